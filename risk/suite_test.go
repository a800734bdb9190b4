package risk

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

// The suite's oracles (testdata/suite/expected) were written by pa_metrics.R with
// PerformanceAnalytics 2.0.8 (pa_metrics.json) and 2.1.0 (pa_metrics_pa210.json),
// every convention-bearing argument explicit.

type suiteFile struct {
	Generator struct {
		Packages map[string]string `json:"packages"`
	} `json:"generator"`
	Cases []suiteCase `json:"cases"`
}

type suiteCase struct {
	ID        string         `json:"id"`
	Kind      string         `json:"kind"`
	Dataset   string         `json:"dataset"`
	Column    string         `json:"column"`
	Asset     string         `json:"asset"`
	Benchmark string         `json:"benchmark"`
	RfColumn  string         `json:"rf_column"`
	Rf        any            `json:"rf"` // 0 or "US 3m TR (column, per period)"
	Scale     int            `json:"scale"`
	RfPer     float64        `json:"rf_per_period"`
	MAR       float64        `json:"mar_per_period"`
	P         float64        `json:"p"`
	N         int            `json:"n"`
	Start     string         `json:"start"`
	End       string         `json:"end"`
	Metrics   map[string]any `json:"metrics"`
}

func TestSuitePA208(t *testing.T) { testSuite(t, "pa_metrics.json", SharpePA208) }

// PA 2.1.0 with geometric = TRUE divides by sd(R - Rf).
func TestSuitePA210(t *testing.T) {
	testSuite(t, "pa_metrics_pa210.json", SharpeConvention{Geometric: true})
}

func testSuite(t *testing.T, file string, paGeometric SharpeConvention) {
	var sf suiteFile
	readJSON(t, filepath.Join("testdata", "suite", "expected", file), &sf)
	if len(sf.Cases) != 80 {
		t.Fatalf("%s: %d cases, want 80", file, len(sf.Cases))
	}
	data := map[string]*dataset{}
	load := func(name string) *dataset {
		if data[name] == nil {
			data[name] = readDataset(t, filepath.Join("testdata", "suite", "data", name))
		}
		return data[name]
	}
	var dv deviation
	for _, c := range sf.Cases {
		ds := load(c.Dataset)
		switch c.Kind {
		case "single":
			suiteSingle(t, &dv, c, ds)
		case "pair":
			suitePair(t, &dv, c, ds)
		case "sharpe_rf_series":
			suiteSharpeRfSeries(t, &dv, c, ds, paGeometric)
		default:
			t.Errorf("%s: unknown case kind %q", c.ID, c.Kind)
		}
	}
	dv.log(t, fmt.Sprintf("%s (PA %s), %d cases", file, sf.Generator.Packages["PerformanceAnalytics"], len(sf.Cases)))
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// metricChecker compares every key of a case's metrics and fails on a key it was
// not told how to compute, so no reference value goes unchecked.
type metricChecker struct {
	t    *testing.T
	dv   *deviation
	id   string
	want map[string]any
	seen map[string]bool
}

func newChecker(t *testing.T, dv *deviation, c suiteCase) *metricChecker {
	return &metricChecker{t: t, dv: dv, id: c.ID, want: c.Metrics, seen: map[string]bool{}}
}

func (m *metricChecker) num(key string, got float64) {
	m.t.Helper()
	m.seen[key] = true
	w, ok := m.want[key]
	if !ok {
		m.t.Errorf("%s: reference has no %s", m.id, key)
		return
	}
	want := math.NaN()
	if w != nil {
		want = w.(float64)
	}
	m.dv.number(m.t, m.id+" "+key, got, want)
}

func (m *metricChecker) str(key, got string) {
	m.t.Helper()
	m.seen[key] = true
	w, _ := m.want[key].(string)
	m.dv.text(m.t, m.id+" "+key, got, w)
}

func (m *metricChecker) done() {
	m.t.Helper()
	var missed []string
	for k := range m.want {
		if !m.seen[k] {
			missed = append(missed, k)
		}
	}
	sort.Strings(missed)
	if len(missed) > 0 {
		m.t.Errorf("%s: reference values not compared: %v", m.id, missed)
	}
}

// span returns n, the first and the last date of the rows where keep is true.
func span(dates []series.Date, keep func(i int) bool) (n int, first, last string) {
	for i := range dates {
		if keep(i) {
			if n == 0 {
				first = dates[i].String()
			}
			last = dates[i].String()
			n++
		}
	}
	return n, first, last
}

func suiteSingle(t *testing.T, dv *deviation, c suiteCase, ds *dataset) {
	r := ds.cols[c.Column]
	if r == nil {
		t.Fatalf("%s: no column %q", c.ID, c.Column)
	}
	m := newChecker(t, dv, c)
	n, first, last := span(ds.dates, func(i int) bool { return !math.IsNaN(r[i]) })
	m.num("n", float64(n))
	m.str("start", first)
	m.str("end", last)
	s, rf := c.Scale, []float64{c.RfPer}
	m.num("cumulative_return", CumulativeReturn(r))
	m.num("annualized_return_geometric", AnnualizedReturn(r, s))
	m.num("annualized_return_arithmetic", AnnualizedReturnArithmetic(r, s))
	m.num("annualized_volatility", AnnualizedStdDev(r, s))
	m.num("sharpe_geometric", SharpeAnnualized(r, rf, s, SharpePA208))
	m.num("sharpe_arithmetic", SharpeAnnualized(r, rf, s, SharpePA210))
	dd := DownsideDeviation(r, c.MAR)
	m.num("downside_deviation", dd)
	m.num("downside_deviation_annualized", dd*math.Sqrt(float64(s)))
	m.num("sortino", SortinoRatio(r, c.MAR))
	m.num("sortino_annualized", SortinoRatio(r, c.MAR)*math.Sqrt(float64(s)))
	m.num("max_drawdown", MaxDrawdown(r))
	m.num("max_drawdown_peak_excl_start", MaxDrawdownFirstPeak(r))
	m.num("calmar", CalmarRatio(r, s))
	m.num("var95_historical", VaR(r, c.P, Historical))
	// The type table uses the literal 0.05, not PA's 1-0.95.
	types, _ := c.Metrics["var95_historical_quantile_type"].(map[string]any)
	m.seen["var95_historical_quantile_type"] = true
	sub := &metricChecker{t: t, dv: dv, id: c.ID + " quantile", want: types, seen: map[string]bool{}}
	for k := 1; k <= 9; k++ {
		sub.num(fmt.Sprintf("type%d", k), Quantile(r, 0.05, k))
	}
	sub.done()
	m.num("var95_gaussian", VaR(r, c.P, Gaussian))
	m.num("var95_gaussian_sample_sd", VaR(r, c.P, GaussianSample))
	m.num("es95_historical", ES(r, c.P, Historical))
	m.num("es95_historical_worst_k", ES(r, c.P, WorstK))
	m.num("es95_historical_worst_k_k", float64(worstK(n, 0.05)))
	m.num("es95_gaussian", ES(r, c.P, Gaussian))
	m.num("es95_gaussian_sample_sd", ES(r, c.P, GaussianSample))
	m.done()
}

func suitePair(t *testing.T, dv *deviation, c suiteCase, ds *dataset) {
	ra, rb := ds.cols[c.Asset], ds.cols[c.Benchmark]
	opt := Options{Scale: c.Scale}
	if _, isCol := c.Rf.(string); isCol {
		opt.RfSeries = ds.cols["US 3m TR"]
	}
	rep, err := Summary(ra, ds.dates, rb, opt)
	if err != nil {
		t.Fatalf("%s: %v", c.ID, err)
	}
	rel := rep.Relative
	m := newChecker(t, dv, c)
	n, first, last := span(ds.dates, func(i int) bool {
		return !math.IsNaN(ra[i]) && !math.IsNaN(rb[i]) && (opt.RfSeries == nil || !math.IsNaN(opt.RfSeries[i]))
	})
	if n != rel.N {
		t.Errorf("%s: Relative.N = %d, want %d", c.ID, rel.N, n)
	}
	m.num("n", float64(rel.N))
	m.str("start", first)
	m.str("end", last)
	m.num("beta", rel.Beta)
	m.num("alpha", rel.Alpha)
	m.num("alpha_annualized_simple", rel.Alpha*float64(c.Scale))
	m.num("alpha_annualized_compound", math.Pow(1+rel.Alpha, float64(c.Scale))-1)
	m.num("r_squared", rel.RSquared)
	m.num("correlation", rel.Correlation)
	m.num("tracking_error", rel.TrackingError)
	m.num("active_premium", rel.ActivePremium)
	m.num("information_ratio", rel.InformationRatio)
	a, b, _ := alignPair(ra, rb, opt.RfSeries)
	m.num("information_ratio_arithmetic", InformationRatioArithmetic(a, b, c.Scale))
	m.done()
	// The single-metric functions agree with Summary.
	if got := Beta(ra, rb, opt.RfSeries); opt.RfSeries != nil && got != rel.Beta {
		t.Errorf("%s: Beta = %v, Summary %v", c.ID, got, rel.Beta)
	}
}

func suiteSharpeRfSeries(t *testing.T, dv *deviation, c suiteCase, ds *dataset, paGeometric SharpeConvention) {
	r, rf := ds.cols[c.Column], ds.cols[c.RfColumn]
	n, first, last := span(ds.dates, func(i int) bool { return !math.IsNaN(r[i]) && !math.IsNaN(rf[i]) })
	if n != c.N || first != c.Start || last != c.End {
		t.Errorf("%s: aligned %d %s..%s, want %d %s..%s", c.ID, n, first, last, c.N, c.Start, c.End)
	}
	dv.n += 3 // n, start, end above
	dv.exactTexts += 3
	m := newChecker(t, dv, c)
	m.num("sharpe_geo_num_sd_R", SharpeAnnualized(r, rf, c.Scale, SharpePA208))
	m.num("sharpe_geo_num_sd_excess", SharpeAnnualized(r, rf, c.Scale, SharpeConvention{Geometric: true}))
	m.num("sharpe_arith", SharpeAnnualized(r, rf, c.Scale, SharpePA210))
	m.num("pa_SharpeRatio.annualized_geometric_TRUE", SharpeAnnualized(r, rf, c.Scale, paGeometric))
	m.done()
	// Summary with the rf series uses the same convention.
	rep, err := Summary(r, ds.dates, nil, Options{Scale: c.Scale, RfSeries: rf, Sharpe: paGeometric})
	if err != nil {
		t.Fatal(err)
	}
	if want := SharpeAnnualized(r, rf, c.Scale, paGeometric); rep.SharpeAnnualized != want {
		t.Errorf("%s: Summary sharpe %v, want %v", c.ID, rep.SharpeAnnualized, want)
	}
}

// TestSuiteVersionDiff checks each value that differs between PA 2.0.8 and 2.1.0:
// SharpePA208 reproduces the first, SharpeConvention{Geometric: true} the second.
func TestSuiteVersionDiff(t *testing.T) {
	var diff struct {
		NDiffs int `json:"n_diffs"`
		Diffs  []map[string]any
	}
	readJSON(t, filepath.Join("testdata", "suite", "expected", "pa_version_diff.json"), &diff)
	ds := readDataset(t, filepath.Join("testdata", "suite", "data", "managers.csv"))
	var dv deviation
	for _, d := range diff.Diffs {
		metric := d["metric"].(string)
		col, ok := strings.CutPrefix(metric, "sharpe_rf_series/managers/")
		col, ok2 := strings.CutSuffix(col, "/pa_SharpeRatio.annualized_geometric_TRUE")
		if !ok || !ok2 {
			t.Fatalf("unexpected diff %q", metric)
		}
		r, rf := ds.cols[col], ds.cols["US 3m TR"]
		dv.number(t, metric+" 2.0.8", SharpeAnnualized(r, rf, 12, SharpePA208), d["expected/pa_metrics.json"].(float64))
		dv.number(t, metric+" 2.1.0", SharpeAnnualized(r, rf, 12, SharpeConvention{Geometric: true}), d["expected/pa_metrics_pa210.json"].(float64))
	}
	if len(diff.Diffs) != diff.NDiffs || diff.NDiffs != 6 {
		t.Errorf("%d diffs (n_diffs %d), want 6", len(diff.Diffs), diff.NDiffs)
	}
	dv.log(t, "pa_version_diff.json")
}
