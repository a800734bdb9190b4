package risk

import (
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ratecycle/ratecycle/series"
)

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

func monthEnds(from string, n int) []series.Date {
	d := series.MustDate(from)
	out := make([]series.Date, n)
	for i := range out {
		out[i] = d.AddMonths(i).MonthEnd()
	}
	return out
}

func TestQnormMatchesAS241(t *testing.T) {
	// Python 3.11 statistics.NormalDist().inv_cdf, a port of R's qnorm (Wichura's
	// AS241): repr(NormalDist().inv_cdf(p)). The PA tests check qnorm end to end.
	p95, p99 := 0.95, 0.99 // variables: Go folds constant 1-0.95 exactly to 0.05
	for _, c := range []struct{ p, want float64 }{
		{0.05, -1.6448536269514726},
		{0.01, -2.3263478740408408},
		{1 - p95, -1.6448536269514715}, // 0.050000000000000044, PA's alpha
		{1 - p99, -2.3263478740408408},
	} {
		if got := qnorm(c.p); math.Abs(got-c.want) > 4e-16*math.Abs(c.want) {
			t.Errorf("qnorm(%v) = %.17g, want %.17g", c.p, got, c.want)
		}
	}
}

func TestSummaryErrors(t *testing.T) {
	if _, err := Summary([]float64{0.01, math.NaN()}, nil, nil, Options{Scale: 12}); !errors.Is(err, ErrTooShort) {
		t.Errorf("one observation: err = %v, want ErrTooShort", err)
	}
	if _, err := Summary([]float64{0.01, 0.02}, nil, []float64{math.NaN(), 0.01}, Options{Scale: 12}); !errors.Is(err, ErrTooShort) {
		t.Errorf("one paired observation: err = %v, want ErrTooShort", err)
	}
	if _, err := Summary([]float64{0.01, 0.02}, nil, nil, Options{}); err == nil {
		t.Error("scale 0: no error")
	}
	if _, err := Summary([]float64{0.01, 0.02}, nil, nil, Options{Scale: 12, Confidence: []float64{95}}); err == nil {
		t.Error("confidence 95: no error")
	}
	mustPanic(t, "dates of another length", func() { Summary([]float64{0.01, 0.02}, monthEnds("2020-01-31", 3), nil, Options{Scale: 12}) })
	mustPanic(t, "benchmark of another length", func() { Summary([]float64{0.01, 0.02}, nil, []float64{1}, Options{Scale: 12}) })
	mustPanic(t, "rf series of another length", func() {
		Summary([]float64{0.01, 0.02}, nil, nil, Options{Scale: 12, RfSeries: []float64{1, 2, 3}})
	})
	mustPanic(t, "scale 0", func() { AnnualizedReturn([]float64{0.01}, 0) })
	mustPanic(t, "quantile type 10", func() { Quantile([]float64{1}, 0.5, 10) })
	mustPanic(t, "VaR at p=1", func() { VaR([]float64{1}, 1, Historical) })
	mustPanic(t, "Beta of unequal lengths", func() { Beta([]float64{1, 2}, []float64{1}, nil) })
}

func TestTooShortIsNaN(t *testing.T) {
	one := []float64{0.01}
	for name, v := range map[string]float64{
		"StdDev":     StdDev(one),
		"Skewness":   Skewness(one),
		"Kurtosis":   ExcessKurtosis(one),
		"Sharpe":     SharpeAnnualized(one, nil, 12, SharpePA210),
		"Beta":       Beta(one, one, nil),
		"VaR empty":  VaR(nil, 0.95, Gaussian),
		"Annualized": AnnualizedReturn(nil, 12),
	} {
		if !math.IsNaN(v) {
			t.Errorf("%s of a too-short input = %v, want NaN", name, v)
		}
	}
}

func TestVaRNARules(t *testing.T) {
	gains := []float64{0.01, 0.011, 0.012, 0.013, 0.014, 0.02}
	for _, m := range []Method{Historical, Gaussian, Modified, GaussianSample, WorstK} {
		if v := VaR(gains, 0.95, m); !math.IsNaN(v) {
			t.Errorf("%s VaR of gains only = %v, want NaN (PA: NA)", m, v)
		}
		if v := ES(gains, 0.95, m); !math.IsNaN(v) {
			t.Errorf("%s ES of gains only = %v, want NaN (PA: NA)", m, v)
		}
	}
	crash := []float64{-1.5, 0.1, 0.2, 0.1, -0.9}
	if v := VaR(crash, 0.95, Historical); v != -1 {
		t.Errorf("VaR beyond -100%% = %v, want -1 (PA caps the loss at 1)", v)
	}
	// No return strictly below the quantile: ES falls back to the VaR (PA warns).
	flat := []float64{-0.01, -0.01, -0.01}
	if v, e := VaR(flat, 0.95, Historical), ES(flat, 0.95, Historical); v != -0.01 || e != -0.01 {
		t.Errorf("flat series: VaR %v ES %v, want -0.01 both", v, e)
	}
	// p < 0.51 is the tail probability itself, as in PA.
	r := []float64{-0.05, 0.02, -0.01, 0.03, 0.01, -0.02, 0.015, 0.0, -0.03, 0.04}
	if a, b := VaR(r, 0.05, Gaussian), VaR(r, 0.95, Gaussian); math.Abs(a-b) > 1e-15 {
		t.Errorf("VaR(p=0.05) = %v, VaR(p=0.95) = %v", a, b)
	}
	// NaN values are ignored.
	withNaN := append([]float64{math.NaN()}, r...)
	for _, m := range []Method{Historical, Gaussian, Modified} {
		if a, b := ES(withNaN, 0.99, m), ES(r, 0.99, m); a != b {
			t.Errorf("%s ES with a NaN = %v, without %v", m, a, b)
		}
	}
}

func TestMethodNames(t *testing.T) {
	for m := Historical; m <= WorstK; m++ {
		got, err := ParseMethod(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMethod(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseMethod("kernel"); err == nil {
		t.Error("ParseMethod(kernel): no error")
	}
}

func TestDrawdownsByHand(t *testing.T) {
	d := monthEnds("2020-01-31", 9)
	// wealth: 0.9 0.81 0.891 0.9801 1.0781 1.0242 1.0754 1.1292 1.0727
	r := []float64{-0.1, -0.1, 0.1, 0.1, 0.1, -0.05, 0.05, 0.05, -0.05}
	got := Drawdowns(d, r, 0)
	want := []Drawdown{
		// Starts with a loss: the starting wealth 1 is the peak, From is the first month.
		{From: d[0], Trough: d[1], To: d[4], Depth: 0.81 - 1, Length: 5, ToTrough: 2, Recovery: 3, Recovered: true},
		{From: d[5], Trough: d[5], To: d[7], Depth: -0.05, Length: 3, ToTrough: 1, Recovery: 2, Recovered: true},
		// Unrecovered: PA's length runs one period past the data (n - from + 2).
		{From: d[8], Trough: d[8], To: series.NoDate, Depth: -0.05, Length: 2, ToTrough: 1},
	}
	approx := cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-12 })
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("Drawdowns (-want +got):\n%s", diff)
	}
	if top := Drawdowns(d, r, 1); len(top) != 1 || top[0].From != d[0] {
		t.Errorf("top 1 = %+v", top)
	}
	// Equal depths keep chronological order (R's stable sort).
	if got[1].From != d[5] || got[2].From != d[8] {
		t.Error("ties not in chronological order")
	}
	if m := MaxDrawdown(r); math.Abs(m-0.19) > 1e-12 {
		t.Errorf("MaxDrawdown = %v, want 0.19", m)
	}
	// NaN rows are dropped with their dates.
	r2 := append([]float64{math.NaN()}, r...)
	d2 := append([]series.Date{series.MustDate("2019-12-31")}, d...)
	if diff := cmp.Diff(want, Drawdowns(d2, r2, 0), approx); diff != "" {
		t.Errorf("with a leading NaN (-want +got):\n%s", diff)
	}
}

func TestMaxDrawdownFirstPeak(t *testing.T) {
	r := []float64{-0.1, -0.1, 0.05}
	if a, b := MaxDrawdown(r), MaxDrawdownFirstPeak(r); math.Abs(a-0.19) > 1e-12 || math.Abs(b-0.1) > 1e-12 {
		t.Errorf("MaxDrawdown %v (want 0.19), MaxDrawdownFirstPeak %v (want 0.1)", a, b)
	}
}

func TestSharpeRfForms(t *testing.T) {
	r := []float64{0.02, -0.01, 0.03, 0.005, -0.02, 0.01}
	rf := []float64{0.001, 0.001, 0.001, 0.001, 0.001, 0.001}
	for _, c := range []SharpeConvention{SharpePA210, SharpePA208, {Geometric: true}} {
		a := SharpeAnnualized(r, []float64{0.001}, 12, c)
		b := SharpeAnnualized(r, rf, 12, c)
		if math.Abs(a-b) > 1e-14 {
			t.Errorf("%v: scalar rf %v, constant series %v", c, a, b)
		}
	}
	// A NaN in the rf series drops that period.
	rf[2] = math.NaN()
	r2 := []float64{0.02, -0.01, 0.005, -0.02, 0.01}
	if a, b := SharpeRatio(r, rf, SharpePA210), SharpeRatio(r2, []float64{0.001}, SharpePA210); math.Abs(a-b) > 1e-15 {
		t.Errorf("rf with NaN: %v, want %v", a, b)
	}
	if got := SharpePA210.String(); got != "arithmetic numerator, sd(r-rf)" {
		t.Errorf("SharpePA210.String() = %q", got)
	}
}

func TestReportJSON(t *testing.T) {
	ds := readDataset(t, filepath.Join("testdata", "performanceanalytics", "managers.csv"))
	rep, err := Summary(ds.cols["US 3m TR"], ds.dates, ds.cols["SP500 TR"], Options{Scale: 12, TopDrawdowns: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Fatalf("invalid JSON: %s", b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{
		"n":                 132.0,
		"start":             "1996-01-31",
		"var_historical_95": nil,   // PA: NA
		"sortino":           "Inf", // no month below MAR 0
		"sharpe_convention": "arithmetic numerator, sd(r-rf)",
	} {
		if got, ok := m[key]; !ok || got != want {
			t.Errorf("%s = %#v (present %v), want %#v", key, got, ok, want)
		}
	}
	// Keys come in Metrics order, starting as reference.R does.
	if s := string(b); !strings.HasPrefix(s, `{"n":132,"start":"1996-01-31","end":"2006-12-31","scale":12,`) {
		t.Errorf("JSON starts %.80s", s)
	}

	ham2, err := Summary(ds.cols["HAM2"], ds.dates, nil, Options{Scale: 12})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(ham2)
	if !strings.Contains(string(b), `"drawdown_2_to":null`) || !strings.Contains(string(b), `"drawdown_2_recovery":null`) {
		t.Errorf("HAM2's unrecovered drawdown: %s", b)
	}
	if got := (Metric{Name: "x", Value: math.NaN()}).String(); got != "NA" {
		t.Errorf("NaN prints %q, want NA", got)
	}
	if got := (Metric{Name: "x", Kind: MetricDate, Date: series.NoDate}).String(); got != "" {
		t.Errorf("NoDate prints %q, want empty", got)
	}
}

func TestSummaryMatchesSingleFunctions(t *testing.T) {
	ds := readDataset(t, filepath.Join("testdata", "performanceanalytics", "managers.csv"))
	r, b, rf := ds.cols["HAM5"], ds.cols["SP500 TR"], ds.cols["US 3m TR"]
	opt := Options{Scale: 12, RfSeries: rf, MAR: 0.005, Sharpe: SharpePA208, Confidence: []float64{0.9}}
	rep, err := Summary(r, ds.dates, b, opt)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string][2]float64{
		"sharpe":     {rep.SharpeAnnualized, SharpeAnnualized(r, rf, 12, SharpePA208)},
		"sortino":    {rep.Sortino, SortinoRatio(r, 0.005)},
		"dd":         {rep.DownsideDeviation, DownsideDeviation(r, 0.005)},
		"var mod 90": {rep.Tail[2].VaR, VaR(r, 0.9, Modified)},
		"es hist 90": {rep.Tail[0].ES, ES(r, 0.9, Historical)},
		"beta":       {rep.Relative.Beta, Beta(r, b, rf)},
		"alpha":      {rep.Relative.Alpha, Alpha(r, b, rf)},
		"te":         {rep.Relative.TrackingError, TrackingError(r, b, 12)},
		"corr":       {rep.Relative.Correlation, Correlation(r, b)},
	} {
		if c[0] != c[1] {
			t.Errorf("%s: Summary %v, function %v", name, c[0], c[1])
		}
	}
	if rep.N != 77 || rep.Start != series.MustDate("2000-08-31") {
		t.Errorf("HAM5: n %d start %s, want 77 from 2000-08-31", rep.N, rep.Start)
	}
	if len(rep.Tail) != 3 || rep.Tail[0].P != 0.9 {
		t.Errorf("Tail = %+v", rep.Tail)
	}
}

func TestCaptureArithmetic(t *testing.T) {
	a := []float64{0.02, -0.01, 0.03, -0.02}
	b := []float64{0.01, -0.02, 0.02, 0}
	up, down := UpDownCapture(a, b, false)
	if math.Abs(up-0.05/0.03) > 1e-15 || math.Abs(down-(-0.03/-0.02)) > 1e-15 {
		t.Errorf("arithmetic capture %v %v", up, down)
	}
	up, _ = UpDownCapture(a, b, true)
	if want := (1.02*1.03 - 1) / (1.01*1.02 - 1); math.Abs(up-want) > 1e-15 {
		t.Errorf("geometric up capture %v, want %v", up, want)
	}
	if up, _ := UpDownCapture([]float64{0.01}, []float64{-0.01}, true); !math.IsNaN(up) {
		t.Errorf("no up period: %v, want NaN", up)
	}
}

// PA's .skewEst/.kurtEst treat a variance within all.equal's tolerance of 0 as 0
// skewness and kurtosis, so Cornish-Fisher falls back to Gaussian for cash-like series.
func TestModifiedVaRCashLike(t *testing.T) {
	r := []float64{0.0001, 0.00012, 0.00011, -0.00009, 0.0001, 0.00013, -0.0002, 0.00011}
	if v, g := VaR(r, 0.99, Modified), VaR(r, 0.99, Gaussian); v != g {
		t.Errorf("cash-like series: modified VaR %v, Gaussian %v", v, g)
	}
	if s := Skewness(r); s == 0 || math.IsNaN(s) {
		t.Errorf("Skewness itself is not zeroed: %v", s)
	}
}
