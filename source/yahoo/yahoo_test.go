package yahoo

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/snapshot"
	"github.com/ratecycle/ratecycle/source"
	"github.com/ratecycle/ratecycle/source/price"
)

var update = flag.Bool("update", false, "rewrite testdata/IWM_chart.json from the embedded yahoo-alitalbi/IWM.csv")

const seedFile = "testdata/IWM_chart.json"

// embeddedIWM is the real IWM history the seed is built from.
func embeddedIWM(t testing.TB) *price.Table {
	t.Helper()
	b, err := snapshot.ReadFile("yahoo-alitalbi/IWM.csv")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := price.Parse(bytes.NewReader(b), "yahoo-alitalbi/IWM.csv", price.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

var newYork, _ = time.LoadLocation("America/New_York")

// chartJSON writes rows [from, to) of tb in Yahoo's chart layout, as the endpoint
// answers for interval=1d&events=div|split: bars stamped at the 09:30 New York open,
// quote arrays in Yahoo's key order, and adjclose. The embedded file is yfinance's
// auto-adjusted download, so its Close is already the adjusted close: it fills both
// close and adjclose (the real endpoint's close would be unadjusted).
func chartJSON(tb *price.Table, from, to int) []byte {
	var b bytes.Buffer
	num := func(v float64) string {
		if math.IsNaN(v) {
			return "null"
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	ts := func(d series.Date) int64 {
		t := d.Time()
		return time.Date(t.Year(), t.Month(), t.Day(), 9, 30, 0, 0, newYork).Unix()
	}
	arr := func(name string, vals []float64) {
		b.WriteString(`"` + name + `":[`)
		for i := from; i < to; i++ {
			if i > from {
				b.WriteByte(',')
			}
			b.WriteString(num(vals[i]))
		}
		b.WriteByte(']')
	}
	last := tb.Dates[to-1].Time()
	end := time.Date(last.Year(), last.Month(), last.Day(), 16, 0, 0, 0, newYork).Unix()
	b.WriteString(`{"chart":{"result":[{"meta":{"currency":"USD","symbol":"IWM","exchangeName":"PCX","fullExchangeName":"NYSEArca",` +
		`"instrumentType":"ETF","firstTradeDate":959347800,"regularMarketTime":` + strconv.FormatInt(end, 10) +
		`,"hasPrePostMarketData":true,"gmtoffset":-18000,"timezone":"EST","exchangeTimezoneName":"America/New_York",` +
		`"regularMarketPrice":` + num(tb.Close[to-1]) + `,"fiftyTwoWeekHigh":` + num(tb.High[to-1]) + `,"fiftyTwoWeekLow":` + num(tb.Low[to-1]) +
		`,"regularMarketVolume":` + num(tb.Volume[to-1]) + `,"longName":"iShares Russell 2000 ETF","shortName":"iShares Russell 2000 ETF",` +
		`"chartPreviousClose":` + num(tb.Close[from]) + `,"priceHint":2,"currentTradingPeriod":{"pre":{"timezone":"EST","start":` +
		strconv.FormatInt(end-11*3600-1800, 10) + `,"end":` + strconv.FormatInt(end-6*3600-1800, 10) + `,"gmtoffset":-18000},` +
		`"regular":{"timezone":"EST","start":` + strconv.FormatInt(end-6*3600-1800, 10) + `,"end":` + strconv.FormatInt(end, 10) +
		`,"gmtoffset":-18000},"post":{"timezone":"EST","start":` + strconv.FormatInt(end, 10) + `,"end":` + strconv.FormatInt(end+4*3600, 10) +
		`,"gmtoffset":-18000}},"dataGranularity":"1d","range":"","validRanges":["1d","5d","1mo","3mo","6mo","1y","2y","5y","10y","ytd","max"]},`)
	b.WriteString(`"timestamp":[`)
	for i := from; i < to; i++ {
		if i > from {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(ts(tb.Dates[i]), 10))
	}
	b.WriteString(`],"indicators":{"quote":[{`)
	arr("open", tb.Open)
	b.WriteByte(',')
	arr("low", tb.Low)
	b.WriteByte(',')
	arr("high", tb.High)
	b.WriteByte(',')
	arr("volume", tb.Volume)
	b.WriteByte(',')
	arr("close", tb.Close)
	b.WriteString(`}],"adjclose":[{`)
	arr("adjclose", tb.Close)
	b.WriteString(`}]}}],"error":null}}`)
	return b.Bytes()
}

// TestSeedIsRealData checks the committed seed against the embedded CSV it was built
// from (the last 250 rows), value for value; -update rewrites it.
func TestSeedIsRealData(t *testing.T) {
	tb := embeddedIWM(t)
	from, to := tb.Len()-250, tb.Len()
	if *update {
		if err := os.WriteFile(seedFile, chartJSON(tb, from, to), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(bytes.NewReader(b), seedFile, price.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Symbol != "IWM" || got.Source != "yahoo" || got.Len() != 250 {
		t.Fatalf("symbol %q source %q rows %d", got.Symbol, got.Source, got.Len())
	}
	for i := range got.Dates {
		j := from + i
		if got.Dates[i] != tb.Dates[j] || got.AdjClose[i] != tb.Close[j] || got.Open[i] != tb.Open[j] ||
			got.High[i] != tb.High[j] || got.Low[i] != tb.Low[j] || got.Volume[i] != tb.Volume[j] {
			t.Fatalf("row %d: %s adj %v open %v, want %s %v %v", i, got.Dates[i], got.AdjClose[i], got.Open[i], tb.Dates[j], tb.Close[j], tb.Open[j])
		}
	}
	if first, last := got.Dates[0].String(), got.Dates[got.Len()-1].String(); first != "2025-02-25" || last != "2026-02-23" {
		t.Errorf("range %s..%s", first, last)
	}
	// CloseSeries prefers adjclose.
	if s := got.CloseSeries(); s.Values[0] != tb.Close[from] || s.Prov.Note != "column Adj Close" {
		t.Errorf("CloseSeries: %v %q", s.Values[0], s.Prov.Note)
	}
}

func TestFullHistoryRoundTrip(t *testing.T) {
	tb := embeddedIWM(t)
	got, err := Parse(bytes.NewReader(chartJSON(tb, 0, tb.Len())), "IWM.json", price.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != 6473 || got.Dates[0] != tb.Dates[0] || got.Dates[got.Len()-1] != tb.Dates[tb.Len()-1] {
		t.Fatalf("%d rows %s..%s", got.Len(), got.Dates[0], got.Dates[got.Len()-1])
	}
}

// edit decodes the seed, lets f change it, and re-encodes it.
func edit(t *testing.T, f func(m map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func res0(m map[string]any) map[string]any {
	return m["chart"].(map[string]any)["result"].([]any)[0].(map[string]any)
}

func quote0(m map[string]any) map[string]any {
	return res0(m)["indicators"].(map[string]any)["quote"].([]any)[0].(map[string]any)
}

func TestNullsBecomeNaN(t *testing.T) {
	b := edit(t, func(m map[string]any) {
		q := quote0(m)
		for _, k := range []string{"open", "high", "low", "close", "volume"} {
			q[k].([]any)[3] = nil
		}
		res0(m)["indicators"].(map[string]any)["adjclose"].([]any)[0].(map[string]any)["adjclose"].([]any)[3] = nil
	})
	got, err := Parse(bytes.NewReader(b), "nulls.json", price.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range [][]float64{got.Open, got.High, got.Low, got.Close, got.AdjClose, got.Volume} {
		if !math.IsNaN(col[3]) || math.IsNaN(col[2]) || math.IsNaN(col[4]) {
			t.Fatalf("row 3 should be NaN, neighbours not: %v", col[2:5])
		}
	}
}

// TestExchangeTimezone: a Tokyo bar stamped 09:00 JST is 00:00 UTC that same day
// and the previous day in New York; its date must be the Tokyo one.
func TestExchangeTimezone(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	ts := time.Date(2024, 3, 4, 9, 0, 0, 0, tokyo).Unix()
	js := `{"chart":{"result":[{"meta":{"symbol":"1306.T","exchangeTimezoneName":"Asia/Tokyo","dataGranularity":"1d"},` +
		`"timestamp":[` + strconv.FormatInt(ts, 10) + `],"indicators":{"quote":[{"close":[2500.5],"volume":[100]}]}}],"error":null}}`
	got, err := Parse(strings.NewReader(js), "tokyo.json", price.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Dates[0].String() != "2024-03-04" || got.AdjClose != nil || got.Close[0] != 2500.5 {
		t.Fatalf("%s %v %v", got.Dates[0], got.Close, got.AdjClose)
	}
	// In New York the same instant is still 2024-03-03; a parser using the machine's
	// or New York's zone would be a day off.
	if series.FromTime(time.Unix(ts, 0).In(newYork)).String() != "2024-03-03" {
		t.Fatal("test premise")
	}
}

func TestPartialLastBar(t *testing.T) {
	b, _ := os.ReadFile(seedFile)
	// 2026-02-23 11:00 New York: the last bar is that day's, before the 16:00 close.
	at := time.Date(2026, 2, 23, 11, 0, 0, 0, newYork)
	got, err := Parse(bytes.NewReader(b), "IWM.json", price.Options{RetrievedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if !got.PartialLast {
		t.Fatal("last bar not flagged partial")
	}
	got.DropPartial()
	if got.Dates[got.Len()-1].String() != "2026-02-20" {
		t.Fatalf("after DropPartial last is %s", got.Dates[got.Len()-1])
	}
	got, _ = Parse(bytes.NewReader(b), "IWM.json", price.Options{RetrievedAt: at.Add(6 * time.Hour)})
	if got.PartialLast {
		t.Fatal("flagged partial after the close")
	}
}

func TestLiveBarSupersedesSameDay(t *testing.T) {
	b := edit(t, func(m map[string]any) {
		r := res0(m)
		ts := r["timestamp"].([]any)
		ts[len(ts)-1] = ts[len(ts)-2].(float64) + 3600 // same day, later
	})
	got, err := Parse(bytes.NewReader(b), "live.json", price.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != 249 || got.Dates[248].String() != "2026-02-20" {
		t.Fatalf("%d rows, last %s", got.Len(), got.Dates[got.Len()-1])
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, js string
		noData   bool
		want     string
	}{
		{"yahoo error object", `{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}`,
			true, "Yahoo says Not Found: No data found, symbol may be delisted"},
		{"no result", `{"chart":{"result":[],"error":null}}`, true, "without a result"},
		{"no bars", `{"chart":{"result":[{"meta":{"symbol":"X","exchangeTimezoneName":"America/New_York"},"indicators":{"quote":[{}]}}],"error":null}}`,
			true, "without bars"},
		{"html", `<html><body>Will be right back</body></html>`, false, "not a Yahoo chart answer"},
		{"truncated", `{"chart":{"result":[{"meta":{"symbol":"X"`, false, "not a Yahoo chart answer"},
		{"no timezone", `{"chart":{"result":[{"meta":{"symbol":"X"},"timestamp":[1],"indicators":{"quote":[{"close":[1]}]}}]}}`,
			false, "exchangeTimezoneName: missing"},
		{"bad timezone", `{"chart":{"result":[{"meta":{"symbol":"X","exchangeTimezoneName":"Mars/Olympus"},"timestamp":[1],"indicators":{"quote":[{"close":[1]}]}}]}}`,
			false, `unknown time zone "Mars/Olympus"`},
		{"length mismatch", `{"chart":{"result":[{"meta":{"symbol":"X","exchangeTimezoneName":"UTC"},"timestamp":[1,90000],"indicators":{"quote":[{"close":[1]}]}}]}}`,
			false, "chart.result[0].indicators.quote[0].close: 1 values for 2 timestamps"},
		{"no close", `{"chart":{"result":[{"meta":{"symbol":"X","exchangeTimezoneName":"UTC"},"timestamp":[1],"indicators":{"quote":[{"open":[1]}]}}]}}`,
			false, "quote[0].close: missing"},
		{"going back", `{"chart":{"result":[{"meta":{"symbol":"X","exchangeTimezoneName":"UTC"},"timestamp":[90000,1],"indicators":{"quote":[{"close":[1,2]}]}}]}}`,
			false, "timestamp[1]: date 1970-01-01 is before the previous bar's 1970-01-02"},
		{"weekly", `{"chart":{"result":[{"meta":{"symbol":"X","exchangeTimezoneName":"UTC","dataGranularity":"1wk"},"timestamp":[1],"indicators":{"quote":[{"close":[1]}]}}]}}`,
			false, `bars are "1wk"`},
		{"string value", `{"chart":{"result":[{"meta":{"symbol":"X","exchangeTimezoneName":"UTC"},"timestamp":[1],"indicators":{"quote":[{"close":["1"]}]}}]}}`,
			false, "not a Yahoo chart answer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.js), "x.json", price.Options{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if errors.Is(err, ErrNoData) != c.noData {
				t.Errorf("errors.Is(ErrNoData) = %v", !c.noData)
			}
			if !c.noData && !errors.Is(err, source.ErrBadInput) {
				t.Errorf("%v is not a source.ErrBadInput", err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile(seedFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}`))
	f.Add([]byte(`{"chart":{"result":[{"meta":{"symbol":"X","exchangeTimezoneName":"UTC"},"timestamp":[1,90000],"indicators":{"quote":[{"close":[1,null]}],"adjclose":[{"adjclose":[null,2]}]}}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := Parse(bytes.NewReader(b), "fuzz.json", price.Options{RetrievedAt: time.Unix(1700000000, 0)})
		if err != nil {
			return
		}
		if tb.Len() == 0 {
			t.Fatal("no rows without an error")
		}
		for i := 1; i < tb.Len(); i++ {
			if tb.Dates[i] <= tb.Dates[i-1] {
				t.Fatalf("dates not increasing at %d", i)
			}
		}
		for _, c := range [][]float64{tb.Open, tb.High, tb.Low, tb.Close, tb.AdjClose, tb.Volume} {
			if c != nil && len(c) != tb.Len() {
				t.Fatalf("column of %d for %d dates", len(c), tb.Len())
			}
		}
		if tb.Close == nil && tb.AdjClose == nil {
			t.Fatal("no close column")
		}
		_ = tb.CloseSeries()
	})
}

func BenchmarkParseChart(b *testing.B) {
	tb := embeddedIWM(b)
	js := chartJSON(tb, 0, tb.Len())
	b.SetBytes(int64(len(js)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(js), "IWM.json", price.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleParse() {
	b, err := os.ReadFile(filepath.FromSlash(seedFile))
	if err != nil {
		panic(err)
	}
	tb, err := Parse(bytes.NewReader(b), "IWM.json", price.Options{})
	if err != nil {
		panic(err)
	}
	s := tb.CloseSeries()
	last := s.Len() - 1
	fmt.Printf("%s: %d daily bars, last %s, adjusted close %.2f\n", tb.Symbol, tb.Len(), s.Dates[last], s.Values[last])
	// Output: IWM: 250 daily bars, last 2026-02-23, adjusted close 260.51
}
