package risk

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/snapshot"
)

func TestRolling(t *testing.T) {
	r := []float64{1, 2, 3, 4, 5}
	got := Rolling(r, 3, Mean)
	want := []float64{math.NaN(), math.NaN(), 2, 3, 4}
	for i := range want {
		if !(got[i] == want[i] || math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("Rolling mean = %v, want %v", got, want)
		}
	}
	if got := Rolling(r, 9, Mean); !math.IsNaN(got[4]) {
		t.Errorf("window longer than the data: %v", got)
	}
	mustPanic(t, "window 0", func() { Rolling(r, 0, Mean) })
}

func managersSeries(t *testing.T, ds *dataset, name string) *series.Series {
	t.Helper()
	s, err := series.New(name, series.KindReturn, series.Monthly, ds.dates, ds.cols[name])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRollingDated(t *testing.T) {
	ds := readDataset(t, filepath.Join("testdata", "performanceanalytics", "managers.csv"))
	ham2, sp := managersSeries(t, ds, "HAM2"), managersSeries(t, ds, "SP500 TR")

	beta, err := RollingBeta(ham2, sp, 36, 0)
	if err != nil {
		t.Fatal(err)
	}
	// HAM2 has 125 months (7 leading NaN): 125-36+1 windows, the first ending 36
	// observed months after 1996-08-31.
	if beta.Len() != 90 || beta.First() != series.MustDate("1999-07-31") || beta.Last() != series.MustDate("2006-12-31") {
		t.Errorf("rolling beta: %d values %s..%s", beta.Len(), beta.First(), beta.Last())
	}
	a, b := ds.cols["HAM2"][96:132], ds.cols["SP500 TR"][96:132]
	if got, want := beta.Values[beta.Len()-1], Beta(a, b, nil); got != want {
		t.Errorf("last rolling beta %v, want Beta of the last 36 months %v", got, want)
	}

	vol, err := RollingVolatility(sp, 12, 0) // scale from the monthly frequency
	if err != nil {
		t.Fatal(err)
	}
	if got, want := vol.Values[0], AnnualizedStdDev(ds.cols["SP500 TR"][:12], 12); got != want || vol.First() != ds.dates[11] {
		t.Errorf("first rolling vol %v on %s, want %v on %s", got, vol.First(), want, ds.dates[11])
	}
	sh, err := RollingSharpe(sp, 24, 12, 0.002, SharpePA208)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sh.Values[5], SharpeAnnualized(ds.cols["SP500 TR"][5:29], []float64{0.002}, 12, SharpePA208); got != want {
		t.Errorf("rolling sharpe %v, want %v", got, want)
	}
	if _, err := RollingVolatility(sp, 200, 12); !errors.Is(err, ErrTooShort) {
		t.Errorf("window 200 over 132 months: err = %v, want ErrTooShort", err)
	}
	irr := &series.Series{Name: "x", Dates: ds.dates, Values: ds.cols["HAM1"]}
	if _, err := RollingVolatility(irr, 12, 0); err == nil {
		t.Error("irregular series without a scale: no error")
	}
}

func TestReplayByHand(t *testing.T) {
	d := []series.Date{
		series.MustDate("2020-02-18"), series.MustDate("2020-02-19"), series.MustDate("2020-02-20"),
		series.MustDate("2020-02-21"), series.MustDate("2020-02-24"), series.MustDate("2020-02-25"),
	}
	r := []float64{0.5, 0.01, -0.1, 0.05, math.NaN(), -0.02}
	s, _ := series.New("p", series.KindReturn, series.Daily, d, r)
	w := Window{Name: "w", From: d[1], To: d[5]}
	res, err := Replay(s, []Window{w})
	if err != nil {
		t.Fatal(err)
	}
	got := res[0]
	// The window excludes the return dated From (the move into the peak) and the NaN.
	wantCum := 0.9*1.05*0.98 - 1
	if got.N != 3 || got.First != d[2] || got.Last != d[5] || math.Abs(got.CumulativeReturn-wantCum) > 1e-15 {
		t.Errorf("replay = %+v, want 3 returns %s..%s cumulative %v", got, d[2], d[5], wantCum)
	}
	if math.Abs(got.MaxDrawdown-0.1) > 1e-15 || got.WorstReturn != -0.1 || got.WorstDate != d[2] || got.Coverage != CoverFull {
		t.Errorf("replay = %+v", got)
	}
	// A window before the data, and one that starts before it.
	res, _ = Replay(s, []Window{
		{Name: "before", From: series.MustDate("2019-01-01"), To: series.MustDate("2019-02-01")},
		{Name: "straddle", From: series.MustDate("2020-01-01"), To: d[2]},
	})
	if res[0].Coverage != CoverNone || !math.IsNaN(res[0].CumulativeReturn) || res[0].N != 0 {
		t.Errorf("window before the data: %+v", res[0])
	}
	if res[1].Coverage != CoverPartial || res[1].N != 3 {
		t.Errorf("straddling window: %+v", res[1])
	}
	if _, err := Replay(s, []Window{{Name: "bad", From: d[3], To: d[1]}}); err == nil {
		t.Error("from after to: no error")
	}
	prices := &series.Series{Name: "px", Kind: series.KindPrice, Dates: d, Values: r}
	if _, err := Replay(prices, BuiltinWindows()); err == nil {
		t.Error("price series: no error")
	}
	f := series.Align(series.Inner, s, s)
	fr, err := ReplayFrame(f, []Window{w})
	if err != nil || len(fr) != 2 || fr[1][0].CumulativeReturn != got.CumulativeReturn {
		t.Errorf("ReplayFrame = %+v, %v", fr, err)
	}
}

func TestParseWindow(t *testing.T) {
	for spec, want := range map[string]Window{
		"covid-2020":                           builtinWindows[1],
		"2023-03-08..2023-03-13":               {Name: "2023-03-08..2023-03-13", From: series.MustDate("2023-03-08"), To: series.MustDate("2023-03-13"), Note: "user-defined"},
		"svb=2023-03-08..2023-03-13":           {Name: "svb", From: series.MustDate("2023-03-08"), To: series.MustDate("2023-03-13"), Note: "user-defined"},
		"taper tantrum=2013-05-22..2013-06-24": {Name: "taper tantrum", From: series.MustDate("2013-05-22"), To: series.MustDate("2013-06-24"), Note: "user-defined"},
	} {
		got, err := ParseWindow(spec)
		if err != nil || got != want {
			t.Errorf("ParseWindow(%q) = %+v, %v; want %+v", spec, got, err, want)
		}
	}
	for _, bad := range []string{"gfc", "2020-03-01..2020-02-01", "x=2020-02-30..2020-03-01", "2020-01-01"} {
		if _, err := ParseWindow(bad); err == nil {
			t.Errorf("ParseWindow(%q): no error", bad)
		}
	}
}

// yahooCloses reads Date and Close of a yfinance CSV from the embedded snapshot.
func yahooCloses(t testing.TB, path string) *series.Series {
	t.Helper()
	b, err := snapshot.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var d []series.Date
	var v []float64
	for _, row := range rows[1:] {
		dt, err := series.ParseDate(row[0])
		if err != nil {
			t.Fatal(err)
		}
		c, err := strconv.ParseFloat(row[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		d, v = append(d, dt), append(v, c)
	}
	s, err := series.New(path, series.KindPrice, series.Daily, d, v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBuiltinWindowSmallCapDec2024 checks the chosen dates on the embedded Russell
// 2000 data: 2024-11-25 is the highest close of November-December 2024 for both ^RUT
// and IWM, 2024-12-19 their lowest December close after it, and the replay of the
// window is that peak-to-trough move.
func TestBuiltinWindowSmallCapDec2024(t *testing.T) {
	w, ok := LookupWindow("smallcap-dec-2024")
	if !ok {
		t.Fatal("no smallcap-dec-2024 window")
	}
	for _, path := range []string{"yahoo-alitalbi/^RUT.csv", "yahoo-alitalbi/IWM.csv"} {
		px := yahooCloses(t, path)
		peak := px.Slice(series.MustDate("2024-11-01"), series.MustDate("2024-12-31"))
		hi := slices.Index(peak.Values, slices.Max(peak.Values))
		after := px.Slice(w.From, series.MustDate("2024-12-31"))
		lo := slices.Index(after.Values, slices.Min(after.Values))
		if peak.Dates[hi] != w.From || after.Dates[lo] != w.To {
			t.Errorf("%s: high close %s, low close after it %s; window %s..%s", path, peak.Dates[hi], after.Dates[lo], w.From, w.To)
		}
		res, err := Replay(px.Returns(), []Window{w})
		if err != nil {
			t.Fatal(err)
		}
		want := after.Values[lo]/peak.Values[hi] - 1
		got := res[0]
		if math.Abs(got.CumulativeReturn-want) > 1e-12 || math.Abs(got.MaxDrawdown+want) > 1e-12 || got.Coverage != CoverFull {
			t.Errorf("%s: replay %+v, want cumulative %v = -max drawdown", path, got, want)
		}
		if got.WorstDate != series.MustDate("2024-12-18") {
			t.Errorf("%s: worst day %s, want 2024-12-18 (FOMC)", path, got.WorstDate)
		}
		t.Logf("%s %s: %.2f%% from %s to %s, worst day %s %.2f%%", path, w.Name, 100*got.CumulativeReturn, w.From, w.To, got.WorstDate, 100*got.WorstReturn)
	}
}

func TestMonteCarloReproducible(t *testing.T) {
	ds := readDataset(t, filepath.Join("testdata", "performanceanalytics", "edhec.csv"))
	r := ds.cols["Funds of Funds"]
	opt := MonteCarloOptions{Paths: 1000, Horizon: 24, MeanBlock: 6, Seed: 42, Thresholds: []float64{0.05}}
	var runs []*MonteCarloResult
	for _, workers := range []int{1, 3, 0} {
		o := opt
		o.Workers = workers
		var calls []int
		o.Progress = func(done, total int) {
			if total != opt.Paths {
				t.Errorf("progress total %d", total)
			}
			calls = append(calls, done)
		}
		res, err := MonteCarlo(context.Background(), r, o)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.IsSorted(calls) || calls[len(calls)-1] != opt.Paths {
			t.Errorf("workers %d: progress calls %v", workers, calls)
		}
		runs = append(runs, res)
	}
	prev := runtime.GOMAXPROCS(1)
	res, err := MonteCarlo(context.Background(), r, opt)
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	runs = append(runs, res)
	for i, r := range runs[1:] {
		if !slices.Equal(r.Returns, runs[0].Returns) || !slices.Equal(r.Drawdowns, runs[0].Drawdowns) {
			t.Errorf("run %d differs from run 0", i+1)
		}
	}
	other := opt
	other.Seed = 43
	res2, _ := MonteCarlo(context.Background(), r, other)
	if slices.Equal(res2.Returns, runs[0].Returns) {
		t.Error("seed 43 gives the same paths as seed 42")
	}
	q := runs[0].HorizonReturn.Quantiles
	if len(q) != len(DefaultMCQuantiles) {
		t.Fatalf("quantiles %+v", q)
	}
	for i := 1; i < len(q); i++ {
		if q[i].Value < q[i-1].Value {
			t.Errorf("quantiles not increasing: %+v", q)
		}
	}
	// A two-year horizon of Funds of Funds: the median is near the historical
	// two-year compounding.
	hist := math.Pow(1+AnnualizedReturn(r, 12), 2) - 1
	if med := q[3].Value; math.Abs(med-hist) > 0.05 {
		t.Errorf("median 2-year return %.3f, history %.3f", med, hist)
	}
	t.Logf("Funds of Funds, 1000 x 24 months, block 6: median %.3f, 1%% %.3f, P(loss > 5%%) %.3f, median max DD %.3f, 99%% max DD %.3f",
		q[3].Value, q[0].Value, runs[0].ProbLoss[0].P, runs[0].MaxDrawdown.Quantiles[3].Value, runs[0].MaxDrawdown.Quantiles[6].Value)
}

func TestMonteCarloConstantReturns(t *testing.T) {
	res, err := MonteCarlo(context.Background(), []float64{0.01, 0.01, math.NaN()}, MonteCarloOptions{Paths: 10, Horizon: 12, MeanBlock: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := math.Pow(1.01, 12) - 1
	for i := range res.Returns {
		if math.Abs(res.Returns[i]-want) > 1e-14 || res.Drawdowns[i] != 0 {
			t.Fatalf("path %d: return %v drawdown %v, want %v and 0", i, res.Returns[i], res.Drawdowns[i], want)
		}
	}
	if res.ProbLoss[0].P != 0 || res.ProbDrawdown[0].P != 0 {
		t.Errorf("probabilities %+v %+v", res.ProbLoss, res.ProbDrawdown)
	}
}

func TestMonteCarloErrorsAndCancel(t *testing.T) {
	r := []float64{0.01, -0.02, 0.03}
	for _, o := range []MonteCarloOptions{
		{Paths: 0, Horizon: 10, MeanBlock: 2},
		{Paths: 10, Horizon: 0, MeanBlock: 2},
		{Paths: 10, Horizon: 10, MeanBlock: 0.5},
		{Paths: 10, Horizon: 10, MeanBlock: 2, Quantiles: []float64{1.5}},
	} {
		if _, err := MonteCarlo(context.Background(), r, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if _, err := MonteCarlo(context.Background(), []float64{0.01}, MonteCarloOptions{Paths: 1, Horizon: 1, MeanBlock: 1}); !errors.Is(err, ErrTooShort) {
		t.Errorf("one return: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	opt := MonteCarloOptions{Paths: 100000, Horizon: 252, MeanBlock: 5, Workers: 1,
		Progress: func(done, total int) {
			if done >= 640 {
				cancel()
			}
		}}
	_, err := MonteCarlo(ctx, r, opt)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: err = %v", err)
	}
	t.Log(err)
}

// TestMonteCarloJSON: the result marshals with snake_case keys, as Report does, and
// leaves the per-path slices out when a caller has dropped them.
func TestMonteCarloJSON(t *testing.T) {
	res, err := MonteCarlo(context.Background(), []float64{0.01, -0.02, 0.03, 0.005}, MonteCarloOptions{
		Paths: 10, Horizon: 5, MeanBlock: 2, Seed: 1, Quantiles: []float64{0.5}, Thresholds: []float64{0.1}})
	if err != nil {
		t.Fatal(err)
	}
	res.Returns, res.Drawdowns = nil, nil
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"horizon", "horizon_return", "max_drawdown", "mean_block", "paths", "prob_drawdown", "prob_loss", "seed"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	if !strings.Contains(string(b), `"quantiles":[{"p":0.5,"value":`) || !strings.Contains(string(b), `"prob_loss":[{"threshold":0.1,"p":`) {
		t.Errorf("nested keys: %s", b)
	}
}
