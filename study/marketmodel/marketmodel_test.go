package marketmodel

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/ratecycle/ratecycle/stats"
)

const tol = 1e-8 // absolute, or relative for numbers above 1

// table is a dated CSV of testdata: the date column and numeric columns (empty = NaN).
type table struct {
	dates []string
	cols  map[string][]float64
}

func readTable(t testing.TB, name string) table {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tb := table{cols: map[string][]float64{}}
	hdr := rows[0]
	for i, r := range rows[1:] {
		tb.dates = append(tb.dates, r[0])
		for j := 1; j < len(hdr); j++ {
			v := math.NaN()
			if r[j] != "" {
				if v, err = strconv.ParseFloat(r[j], 64); err != nil {
					t.Fatalf("%s row %d %q: %v", name, i+2, hdr[j], err)
				}
			}
			tb.cols[hdr[j]] = append(tb.cols[hdr[j]], v)
		}
	}
	return tb
}

// expectedEvent mirrors one event of testdata/event_study.json (R 4.2.2, base lm, written by
// testdata/event_study.R).
type expectedEvent struct {
	Asset             string    `json:"asset"`
	Market            string    `json:"market"`
	EventDate         string    `json:"event_date"`
	EventRow          int       `json:"event_row"` // 1-based, after dropping missing rows
	EstimationWindow  [2]int    `json:"estimation_window"`
	EstimationStart   string    `json:"estimation_start"`
	EstimationEnd     string    `json:"estimation_end"`
	NEst              int       `json:"n_est"`
	EventWindow       [2]int    `json:"event_window"`
	WindowStart       string    `json:"window_start"`
	WindowEnd         string    `json:"window_end"`
	Alpha             float64   `json:"alpha"`
	Beta              float64   `json:"beta"`
	SigmaE            float64   `json:"sigma_e"`
	RelativeT         []int     `json:"relative_t"`
	Dates             []string  `json:"dates"`
	AR                []float64 `json:"AR"`
	CARPath           []float64 `json:"CAR_path"`
	CAR               float64   `json:"CAR"`
	CARTStat          float64   `json:"CAR_t_stat"`
	MarketAdjustedCAR float64   `json:"market_adjusted_CAR"`
	MeanAdjustedCAR   float64   `json:"mean_adjusted_CAR"`
	CumReturnAsset    float64   `json:"cum_return_asset"`
	CumReturnMarket   float64   `json:"cum_return_market"`
	BHAR              float64   `json:"BHAR"`
	CumReturnPath     []float64 `json:"cum_return_path"`
}

type expectedStudy struct {
	Dataset          string             `json:"dataset"`
	Market           string             `json:"market"`
	EstimationWindow [2]int             `json:"estimation_window"`
	EventWindow      [2]int             `json:"event_window"`
	Events           []expectedEvent    `json:"events"`
	CAAR             map[string]float64 `json:"CAAR"`
}

type checker struct {
	t              *testing.T
	peer           string
	n              int
	maxAbs, maxRel float64
}

func newChecker(t *testing.T, peer string) *checker {
	c := &checker{t: t, peer: peer}
	t.Cleanup(func() {
		t.Logf("%s: %d values, max abs diff %.3g, max rel diff %.3g", c.peer, c.n, c.maxAbs, c.maxRel)
	})
	return c
}

func (c *checker) num(what string, got, want float64) {
	c.t.Helper()
	c.n++
	d := math.Abs(got - want)
	c.maxAbs = math.Max(c.maxAbs, d)
	if want != 0 {
		c.maxRel = math.Max(c.maxRel, d/math.Abs(want))
	}
	if !(d <= tol || d <= tol*math.Abs(want)) {
		c.t.Errorf("%s: got %.17g, %s has %.17g (diff %.3g)", what, got, c.peer, want, d)
	}
}

func (c *checker) nums(what string, got, want []float64) {
	c.t.Helper()
	if len(got) != len(want) {
		c.t.Errorf("%s: %d values, %s has %d", what, len(got), c.peer, len(want))
		return
	}
	for i := range got {
		c.num(fmt.Sprintf("%s[%d]", what, i), got[i], want[i])
	}
}

// runStudy recomputes every event of a study from its CSV, the way the reference does:
// drop rows missing in asset or market, locate the event date, estimate.
func runStudy(t *testing.T, s expectedStudy) []*Result {
	t.Helper()
	tb := readTable(t, s.Dataset)
	var out []*Result
	for _, e := range s.Events {
		tag := e.Asset + " " + e.EventDate
		a, m, rows := DropMissing(tb.cols[e.Asset], tb.cols[s.Market])
		dates := make([]string, len(rows))
		for i, r := range rows {
			dates[i] = tb.dates[r]
		}
		ev := slices.Index(dates, e.EventDate)
		if ev < 0 {
			t.Fatalf("%s: event date not a row", tag)
		}
		if ev+1 != e.EventRow {
			t.Errorf("%s: event row %d (1-based), R has %d", tag, ev+1, e.EventRow)
		}
		est := Window{s.EstimationWindow[0], s.EstimationWindow[1]}
		win := Window{s.EventWindow[0], s.EventWindow[1]}
		r, err := Estimate(a, m, ev, est, win)
		if err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		if got := dates[ev+est.From]; got != e.EstimationStart {
			t.Errorf("%s: estimation starts %s, R %s", tag, got, e.EstimationStart)
		}
		if got := dates[ev+est.To]; got != e.EstimationEnd {
			t.Errorf("%s: estimation ends %s, R %s", tag, got, e.EstimationEnd)
		}
		if got := dates[ev+win.From : ev+win.To+1]; !slices.Equal(got, e.Dates) || got[0] != e.WindowStart || got[len(got)-1] != e.WindowEnd {
			t.Errorf("%s: window dates %v, R %v", tag, got, e.Dates)
		}
		if r.NEst != e.NEst || !slices.Equal(r.RelativeTimes(), e.RelativeT) {
			t.Errorf("%s: n_est %d, relative times %v; R %d, %v", tag, r.NEst, r.RelativeTimes(), e.NEst, e.RelativeT)
		}
		out = append(out, r)
	}
	return out
}

// TestEventStudyR compares every value of event_study.json: 24 events (managers monthly,
// EuStockMarkets daily) with their alpha, beta, sigma, AR, CAR path, CAR t, adjusted CARs,
// compounded returns, BHAR, and the CAAR per asset.
func TestEventStudyR(t *testing.T) {
	var doc struct {
		Studies map[string]expectedStudy `json:"studies"`
	}
	b, err := os.ReadFile(filepath.Join("testdata", "event_study.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Studies) != 2 {
		t.Fatalf("%d studies, want 2", len(doc.Studies))
	}
	c := newChecker(t, "R event_study.R")
	events := 0
	for sid, s := range doc.Studies {
		results := runStudy(t, s)
		byAsset := map[string][]*Result{}
		for i, e := range s.Events {
			events++
			r := results[i]
			tag := sid + " " + e.Asset + " " + e.EventDate
			c.num(tag+" alpha", r.Alpha, e.Alpha)
			c.num(tag+" beta", r.Beta, e.Beta)
			c.num(tag+" sigma_e", r.SigmaE, e.SigmaE)
			c.nums(tag+" AR", r.AR, e.AR)
			c.nums(tag+" CAR_path", r.CARPath, e.CARPath)
			c.num(tag+" CAR", r.CAR, e.CAR)
			c.num(tag+" CAR_t_stat", r.CARTStat, e.CARTStat)
			c.num(tag+" market_adjusted_CAR", r.MarketAdjustedCAR, e.MarketAdjustedCAR)
			c.num(tag+" mean_adjusted_CAR", r.MeanAdjustedCAR, e.MeanAdjustedCAR)
			c.num(tag+" cum_return_asset", r.CumReturnAsset, e.CumReturnAsset)
			c.num(tag+" cum_return_market", r.CumReturnMarket, e.CumReturnMarket)
			c.num(tag+" BHAR", r.BHAR, e.BHAR)
			c.nums(tag+" cum_return_path", r.CumReturnPath, e.CumReturnPath)
			byAsset[e.Asset] = append(byAsset[e.Asset], r)
		}
		if len(byAsset) != len(s.CAAR) {
			t.Errorf("%s: %d assets, R has CAAR for %d", sid, len(byAsset), len(s.CAAR))
		}
		for a, want := range s.CAAR {
			c.num(sid+" CAAR "+a, Average(byAsset[a]).CAAR, want)
		}
	}
	if events != 24 {
		t.Errorf("compared %d events, want 24", events)
	}
}

// TestCAARScipy compares the cross-sectional t test of the CAAR with scipy's ttest_1samp on
// the same CARs (testdata/caar_ttest.py), per asset and pooled.
func TestCAARScipy(t *testing.T) {
	var doc struct {
		Studies map[string]expectedStudy `json:"studies"`
	}
	b, err := os.ReadFile(filepath.Join("testdata", "event_study.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var want struct {
		Studies map[string]map[string]struct {
			N              int
			CAAR, SD, T, P float64
		} `json:"studies"`
	}
	b, err = os.ReadFile(filepath.Join("testdata", "caar_ttest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	c := newChecker(t, "scipy ttest_1samp")
	for sid, s := range doc.Studies {
		results := runStudy(t, s)
		groups := map[string][]*Result{"all": results}
		for i, e := range s.Events {
			groups[e.Asset] = append(groups[e.Asset], results[i])
		}
		for g, rs := range groups {
			w, ok := want.Studies[sid][g]
			if !ok {
				t.Fatalf("caar_ttest.json has no %s %s", sid, g)
			}
			got := Average(rs)
			tag := sid + " " + g
			if got.N != w.N {
				t.Errorf("%s: N = %d, scipy %d", tag, got.N, w.N)
			}
			c.num(tag+" CAAR", got.CAAR, w.CAAR)
			c.num(tag+" sd", got.SD, w.SD)
			c.num(tag+" t", got.T, w.T)
			c.num(tag+" p", got.P, w.P)
		}
	}
}

func TestEstimateErrors(t *testing.T) {
	tb := readTable(t, "managers.csv")
	a, m := tb.cols["HAM1"], tb.cols["SP500 TR"]
	est, win := Window{-26, -3}, Window{-2, 2}
	for _, c := range []struct {
		name     string
		asset    []float64
		event    int
		est, win Window
		want     error
	}{
		{"too early", a, 20, est, win, ErrWindow},
		{"too late", a, len(a) - 2, est, win, ErrWindow},
		{"overlap", a, 60, Window{-26, -2}, win, ErrWindow},
		{"reversed", a, 60, Window{-3, -26}, win, ErrWindow},
		{"short estimation", a, 60, Window{-4, -3}, win, stats.ErrTooFew},
		{"missing", tb.cols["HAM5"], 60, est, win, stats.ErrMissing},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Estimate(c.asset, m, c.event, c.est, c.win); !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	flat := slices.Repeat([]float64{0.01}, len(a))
	if _, err := Estimate(a, flat, 60, est, win); !errors.Is(err, stats.ErrSingular) {
		t.Errorf("constant market: err = %v", err)
	}
	if c := AverageCARs([]float64{0.1}); c.N != 1 || c.CAAR != 0.1 || !math.IsNaN(c.T) || !math.IsNaN(c.P) {
		t.Errorf("one CAR: %+v", c)
	}
	defer func() {
		if recover() == nil {
			t.Error("length mismatch did not panic")
		}
	}()
	Estimate(a, m[1:], 60, est, win)
}

// BenchmarkEstimate: one daily event, 240-day estimation window, 11-day event window.
func BenchmarkEstimate(b *testing.B) {
	tb := readTable(b, "eustockmarkets_returns.csv")
	a, m := tb.cols["DAX"], tb.cols["FTSE"]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Estimate(a, m, 1000, Window{-250, -11}, Window{-5, 5}); err != nil {
			b.Fatal(err)
		}
	}
}
