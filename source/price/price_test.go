package price

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
	"github.com/ratecycle/ratecycle/source/sourcetest"
)

const dataDir = "../../snapshot/data/"

func parseFile(t testing.TB, name string, opt Options) *Table {
	t.Helper()
	b, err := os.ReadFile(dataDir + name)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Parse(bytes.NewReader(b), name, opt)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func checkInvariants(t testing.TB, tb *Table) {
	t.Helper()
	if len(tb.Dates) == 0 {
		t.Fatal("no rows")
	}
	for i := 1; i < len(tb.Dates); i++ {
		if tb.Dates[i] <= tb.Dates[i-1] {
			t.Fatalf("dates not increasing at %d", i)
		}
	}
	for k, c := range tb.cols() {
		if *c != nil && len(*c) != len(tb.Dates) {
			t.Fatalf("column %s has %d values for %d dates", columnNames[k], len(*c), len(tb.Dates))
		}
	}
	if tb.Close == nil && tb.AdjClose == nil {
		t.Fatal("no close column")
	}
	if tb.Source != "stooq" && tb.Source != "yahoo" {
		t.Fatalf("source %q", tb.Source)
	}
	s := tb.CloseSeries()
	if s.Len() != tb.Len() || s.Kind != series.KindPrice {
		t.Fatalf("close series len %d kind %v", s.Len(), s.Kind)
	}
}

// Every embedded price file parses, with one row per data line, and the facts the
// MANIFEST states hold. Values were read from the files with head, tail and grep.
func TestParseRealFiles(t *testing.T) {
	files, _ := filepath.Glob(dataDir + "stooq-*/*.csv")
	more, _ := filepath.Glob(dataDir + "yahoo-*/*.csv")
	files = append(files, more...)
	if len(files) < 30 {
		t.Fatalf("only %d price files", len(files))
	}
	for _, fn := range files {
		name := strings.TrimPrefix(fn, dataDir)
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(fn)
			if err != nil {
				t.Fatal(err)
			}
			tb := parseFile(t, name, SnapshotOptions(name))
			if want := bytes.Count(b, []byte("\n")) - 1; tb.Len() != want {
				t.Errorf("%d rows, file has %d data lines", tb.Len(), want)
			}
			checkInvariants(t, tb)
			switch {
			case strings.HasPrefix(name, "yahoo-dsturdy/"):
				if tb.Source != "yahoo" || tb.Open != nil || tb.Volume != nil || tb.Last() != "2026-07-14" || !tb.PartialLast {
					t.Errorf("source %s open %v last %s partial %v", tb.Source, tb.Open != nil, tb.Last(), tb.PartialLast)
				}
			case strings.HasPrefix(name, "yahoo-alitalbi/"):
				if tb.Source != "yahoo" || tb.Open == nil || tb.Volume == nil || tb.Last() != "2026-02-23" || tb.PartialLast {
					t.Errorf("source %s open %v last %s partial %v", tb.Source, tb.Open != nil, tb.Last(), tb.PartialLast)
				}
			default:
				if tb.Source != "stooq" {
					t.Errorf("source %s", tb.Source)
				}
			}
		})
	}
}

func (t *Table) Last() string { return t.Dates[len(t.Dates)-1].String() }

func TestKnownValues(t *testing.T) {
	spx := parseFile(t, "stooq-andyranitzsch/^spx_d.csv", SnapshotOptions("stooq-andyranitzsch/^spx_d.csv"))
	// first line 1789-05-01,0.51,...; last 2025-10-07,6748.69,6754.49,6700.23,6714.06,1185455881
	if spx.Symbol != "^SPX" || spx.Dates[0].String() != "1789-05-01" || spx.Close[len(spx.Close)-1] != 6714.06 ||
		spx.Open[len(spx.Open)-1] != 6748.69 || spx.Volume[len(spx.Volume)-1] != 1185455881 || !spx.PartialLast {
		t.Errorf("^spx: %s %s close %v partial %v", spx.Symbol, spx.Dates[0], spx.Close[len(spx.Close)-1], spx.PartialLast)
	}
	// mixed frequency: 1885-02-01 (monthly) is followed by 1885-02-17 (daily)
	c := spx.CloseSeries()
	if c.Freq != series.Daily {
		t.Errorf("^spx freq %v", c.Freq)
	}
	if v, ok := c.At(series.MustDate("1885-02-17")); !ok || v != 4.37 {
		t.Errorf("^spx 1885-02-17 = %v %v", v, ok)
	}
	spx.DropPartial()
	if spx.Last() != "2025-10-06" || len(spx.Volume) != spx.Len() || spx.PartialLast {
		t.Errorf("after DropPartial: last %s", spx.Last())
	}

	ndx := parseFile(t, "stooq-jiaqisun/^ndx_d.csv", Options{})
	// line 9307: 2022-08-31,12448.07,12502.15,12268.08,12272.03,958751963.17469 (fractional volume)
	i := sortSearch(ndx.Dates, series.MustDate("2022-08-31"))
	if ndx.Volume[i] != 958751963.17469 || ndx.Close[i] != 12272.03 {
		t.Errorf("^ndx 2022-08-31 close %v volume %v", ndx.Close[i], ndx.Volume[i])
	}

	iwm := parseFile(t, "yahoo-alitalbi/IWM.csv", Options{Symbol: "IWM"})
	// Date,Close,High,Low,Open,Volume; last line 2026-02-23,260.510009765625,264.3699951171875,258.1050109863281,263.3999938964844,42979999
	n := iwm.Len() - 1
	if iwm.Close[n] != 260.510009765625 || iwm.High[n] != 264.3699951171875 || iwm.Low[n] != 258.1050109863281 ||
		iwm.Open[n] != 263.3999938964844 || iwm.Volume[n] != 42979999 {
		t.Errorf("IWM last row O %v H %v L %v C %v V %v", iwm.Open[n], iwm.High[n], iwm.Low[n], iwm.Close[n], iwm.Volume[n])
	}

	ijr := parseFile(t, "yahoo-dsturdy/IJR.csv", SnapshotOptions("yahoo-dsturdy/IJR.csv"))
	s := ijr.CloseSeries()
	if s.Name != "IJR" || s.Prov.Provider != "price" || s.Prov.SourceID != "yahoo/IJR" ||
		s.Prov.File != "yahoo-dsturdy/IJR.csv" || !strings.Contains(s.Prov.Note, "2026-07-14 is intraday") ||
		!s.Prov.RetrievedAt.Equal(time.Date(2026, 7, 14, 14, 9, 0, 0, time.UTC)) {
		t.Errorf("IJR series %q prov %+v", s.Name, s.Prov)
	}
}

func sortSearch(ds []series.Date, d series.Date) int {
	for i, x := range ds {
		if x == d {
			return i
		}
	}
	return -1
}

func TestPartialLast(t *testing.T) {
	const in = "Date,Close\n2026-07-13,293.48\n2026-07-14,295.20\n"
	ny, _ := time.LoadLocation("America/New_York")
	cases := []struct {
		name string
		opt  Options
		want bool
	}{
		{"unknown retrieval time", Options{}, false},
		{"10:09 EDT on the last day (MANIFEST yahoo-dsturdy)", Options{RetrievedAt: time.Date(2026, 7, 14, 10, 9, 0, 0, ny)}, true},
		{"same instant given in UTC", Options{RetrievedAt: time.Date(2026, 7, 14, 14, 9, 0, 0, time.UTC)}, true},
		{"15:59 EDT", Options{RetrievedAt: time.Date(2026, 7, 14, 15, 59, 59, 0, ny)}, true},
		{"16:00 EDT is after the close", Options{RetrievedAt: time.Date(2026, 7, 14, 16, 0, 0, 0, ny)}, false},
		{"evening in New York, next day in UTC", Options{RetrievedAt: time.Date(2026, 7, 15, 1, 0, 0, 0, time.UTC)}, false},
		{"next morning", Options{RetrievedAt: time.Date(2026, 7, 15, 9, 0, 0, 0, ny)}, false},
		{"told by the caller", Options{LastRowIntraday: true}, true},
		{"03:00 next day in Tokyo is 14:00 in New York", Options{RetrievedAt: time.Date(2026, 7, 15, 3, 0, 0, 0, time.FixedZone("JST", 9*3600))}, true},
		{"06:00 next day in Tokyo is 17:00 in New York", Options{RetrievedAt: time.Date(2026, 7, 15, 6, 0, 0, 0, time.FixedZone("JST", 9*3600))}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb, err := Parse(strings.NewReader(in), "IWM.csv", c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if tb.PartialLast != c.want {
				t.Errorf("PartialLast = %v, want %v", tb.PartialLast, c.want)
			}
			tb.DropPartial()
			if want := 2 - map[bool]int{true: 1, false: 0}[c.want]; tb.Len() != want {
				t.Errorf("after DropPartial %d rows, want %d", tb.Len(), want)
			}
		})
	}
	// winter: EST is UTC-5, so 20:30 UTC is 15:30 in New York, before the close
	tb, err := Parse(strings.NewReader("Date,Close\n2026-01-15,1\n"), "X.csv", Options{RetrievedAt: time.Date(2026, 1, 15, 20, 30, 0, 0, time.UTC)})
	if err != nil || !tb.PartialLast {
		t.Errorf("winter intraday: %v %v", tb.PartialLast, err)
	}
}

func TestQuirks(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name   string
		in     string
		source string
		symbol string
		dates  []string
		open   []float64
		close  []float64
		adj    []float64
		volume []float64
	}{
		{"stooq order", "Date,Open,High,Low,Close,Volume\n2025-10-06,6733.86,6749.52,6717.78,6740.28,3287229545\n", "stooq", "X",
			[]string{"2025-10-06"}, []float64{6733.86}, []float64{6740.28}, nil, []float64{3287229545}},
		{"yfinance order, CRLF", "Date,Close,High,Low,Open,Volume\r\n2000-05-26,32.9,33,32.6,32.7,74800\r\n", "yahoo", "X",
			[]string{"2000-05-26"}, []float64{32.7}, []float64{32.9}, nil, []float64{74800}},
		{"close only", "Date,Close\n2000-05-26,32.59064483642578\n", "yahoo", "X",
			[]string{"2000-05-26"}, nil, []float64{32.59064483642578}, nil, nil},
		{"classic Yahoo with Adj Close and null", "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,2,0.5,1.5,1.4,100\n2020-01-03,null,null,null,null,null,null\n", "yahoo", "X",
			[]string{"2020-01-02", "2020-01-03"}, []float64{1, nan}, []float64{1.5, nan}, []float64{1.4, nan}, []float64{100, nan}},
		{"fractional volume", "Date,Open,High,Low,Close,Volume\n2022-08-31,1,1,1,1,958751963.17469\n", "stooq", "X",
			[]string{"2022-08-31"}, []float64{1}, []float64{1}, nil, []float64{958751963.17469}},
		{"yfinance three-row header and tz-aware dates", "Price,Close,High,Low,Open,Volume\nTicker,spy,SPY,SPY,SPY,SPY\nDate,,,,,\n2024-01-02 00:00:00-05:00,472.6,473.6,470.4,472.1,123\n", "yahoo", "SPY",
			[]string{"2024-01-02"}, []float64{472.1}, []float64{472.6}, nil, []float64{123}},
		{"BOM, quotes, blank lines, unknown columns ignored", "\xef\xbb\xbf\"Date\",\"Close\",\"Dividends\"\n\n\"2024-01-02\",\"10.5\",\"0.1\"\n", "yahoo", "X",
			[]string{"2024-01-02"}, nil, []float64{10.5}, nil, nil},
		{"mixed frequency", "Date,Open,High,Low,Close,Volume\n1884-12-01,4.64,4.64,4.59,4.59,0\n1885-01-01,4.56,4.56,4.5,4.56,0\n1885-02-17,4.37,4.37,4.37,4.37,0\n", "stooq", "X",
			[]string{"1884-12-01", "1885-01-01", "1885-02-17"}, []float64{4.64, 4.56, 4.37}, []float64{4.59, 4.56, 4.37}, nil, []float64{0, 0, 0}},
	}
	eq := func(a, b []float64) bool {
		if (a == nil) != (b == nil) || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !(a[i] == b[i] || math.IsNaN(a[i]) && math.IsNaN(b[i])) {
				return false
			}
		}
		return true
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb, err := Parse(strings.NewReader(c.in), "dir/x.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, tb)
			var ds []string
			for _, d := range tb.Dates {
				ds = append(ds, d.String())
			}
			if tb.Source != c.source || tb.Symbol != c.symbol || strings.Join(ds, " ") != strings.Join(c.dates, " ") {
				t.Errorf("source %s symbol %s dates %v", tb.Source, tb.Symbol, ds)
			}
			if !eq(tb.Open, c.open) || !eq(tb.Close, c.close) || !eq(tb.AdjClose, c.adj) || !eq(tb.Volume, c.volume) {
				t.Errorf("open %v close %v adj %v volume %v", tb.Open, tb.Close, tb.AdjClose, tb.Volume)
			}
		})
	}
}

func TestCloseSeriesPrefersAdjClose(t *testing.T) {
	tb, err := Parse(strings.NewReader("Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,2,0.5,1.5,1.4,100\n"), "AAPL.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := tb.CloseSeries()
	if s.Values[0] != 1.4 || s.Name != "AAPL" || !strings.Contains(s.Prov.Note, "Adj Close") {
		t.Errorf("close series %v %q %q", s.Values, s.Name, s.Prov.Note)
	}
	v, err := tb.Series("volume")
	if err != nil || v.Kind != series.KindLevel || v.Values[0] != 100 {
		t.Errorf("volume %v %v", v, err)
	}
	if _, err := tb.Series("Bid"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown column: %v", err)
	}
}

func TestSymbolFromFile(t *testing.T) {
	for in, want := range map[string]string{
		"yahoo-dsturdy/IWM.csv":          "IWM",
		"stooq-andyranitzsch/^spx_d.csv": "^SPX",
		`C:\data\^ndx_d.csv`:             "^NDX",
		"spy":                            "SPY",
	} {
		if got := symbolFromFile(in); got != want {
			t.Errorf("symbolFromFile(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		line  int
		field string
		msg   string
	}{
		{"bad close", "Date,Open,High,Low,Close,Volume\n2025-10-06,1,1,1,1,1\n2025-10-07,1,1,1,6714.0x,1\n", 3, "Close", `"6714.0x" is not a number`},
		{"bad volume", "Date,Close,High,Low,Open,Volume\n2000-05-26,1,1,1,1,7e\n", 2, "Volume", `"7e" is not a number`},
		{"bad date", "Date,Close\n2000-02-30,1\n", 2, "Date", `"2000-02-30" is not a date`},
		{"dates go back", "Date,Close\n2000-05-26,1\n2000-05-25,1\n", 3, "Date", "does not follow"},
		{"duplicate date", "Date,Close\n2000-05-26,1\n2000-05-26,1\n", 3, "Date", "does not follow"},
		{"short row", "Date,Open,High,Low,Close,Volume\n2025-10-06,1,1,1\n", 2, "Close", "row has 4 fields"},
		{"long row", "Date,Close\n2000-05-26,1,2\n", 2, "column 3", "row has 3 fields"},
		{"no date column", "Day,Close\n2000-05-26,1\n", 1, "Date", "no Date column"},
		{"no close column", "Date,Open\n2000-05-26,1\n", 1, "Close", "no Close"},
		{"duplicate column", "Date,Close,close\n2000-05-26,1,1\n", 1, "close", "duplicate column"},
		{"header only", "Date,Close\n", 1, "", "no rows"},
		{"empty", "", 0, "", "no header"},
		{"infinite", "Date,Close\n2000-05-26,1e999\n", 2, "Close", "is not a number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.in), "price/bad.csv", Options{})
			sourcetest.CheckParseError(t, err, "price/bad.csv", c.line, c.field, c.msg)
		})
	}
}

func FuzzParsePrice(f *testing.F) {
	for _, name := range []string{
		"stooq-andyranitzsch/^spx_d.csv", "stooq-jiaqisun/^ndx_d.csv", "yahoo-alitalbi/IWM.csv",
		"yahoo-alitalbi/^VIX.csv", "yahoo-dsturdy/IWM.csv", "yahoo-dsturdy/XLC.csv",
	} {
		b, err := os.ReadFile(dataDir + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 1500)])
		f.Add(b[max(0, len(b)-600):]) // tail: no header, must fail cleanly
	}
	f.Add([]byte("Price,Close,High,Low,Open,Volume\nTicker,SPY,SPY,SPY,SPY,SPY\nDate,,,,,\n2024-01-02 00:00:00-05:00,1,2,0.5,1.5,10\n"))
	f.Add([]byte("Date,Open,High,Low,Close,Adj Close,Volume\r\n2020-01-02,1,2,0.5,1.5,1.4,100\r\n2020-01-03,null,,NaN,1,1,1.5\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := Options{RetrievedAt: time.Date(2026, 7, 14, 14, 9, 0, 0, time.UTC)}
		tb, err := Parse(bytes.NewReader(data), "fuzz.csv", opt)
		if err != nil {
			var pe *source.ParseError
			if !errors.As(err, &pe) || pe.File != "fuzz.csv" {
				t.Fatalf("error %v (%T) is not a ParseError naming the file", err, err)
			}
			return
		}
		checkInvariants(t, tb)
		n := tb.Len()
		partial := tb.PartialLast
		tb.DropPartial()
		if partial && tb.Len() != n-1 || !partial && tb.Len() != n {
			t.Fatalf("DropPartial: %d rows from %d (partial %v)", tb.Len(), n, partial)
		}
		for k, c := range tb.cols() {
			if *c != nil && len(*c) != tb.Len() {
				t.Fatalf("after DropPartial %s has %d values", columnNames[k], len(*c))
			}
		}
	})
}

func BenchmarkParsePriceStooq(b *testing.B) {
	data, err := os.ReadFile(dataDir + "stooq-andyranitzsch/^spx_d.csv")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "^spx_d.csv", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
