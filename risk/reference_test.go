package risk

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

// Reference values in these tests come from R's PerformanceAnalytics:
// testdata/performanceanalytics/*-expected.csv from PA 2.1.0 via reference.R, and
// testdata/suite/expected/*.json from PA 2.0.8 (and 2.1.0) via pa_metrics.R. See
// testdata/README.md.

const refTol = 1e-8 // |got - want| <= refTol * max(1, |want|)

// dataset is a dated CSV of returns: first column dates, then one column per
// series, empty cells missing.
type dataset struct {
	dates []series.Date
	names []string
	cols  map[string][]float64
}

func readDataset(t testing.TB, path string) *dataset {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	d := &dataset{names: rows[0][1:], cols: map[string][]float64{}}
	for _, row := range rows[1:] {
		dt, err := series.ParseDate(row[0])
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		d.dates = append(d.dates, dt)
		for j, name := range d.names {
			v := math.NaN()
			if s := strings.TrimSpace(row[j+1]); s != "" {
				if v, err = strconv.ParseFloat(s, 64); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
			}
			d.cols[name] = append(d.cols[name], v)
		}
	}
	return d
}

// deviation tracks how many reference values a test compared and the largest
// deviation it saw.
type deviation struct {
	n          int
	maxAbs     float64
	maxRel     float64
	worst      string
	worstRel   string
	exactTexts int
}

func (dv *deviation) number(t *testing.T, what string, got, want float64) {
	t.Helper()
	dv.n++
	if math.IsNaN(want) || math.IsInf(want, 0) {
		if !(math.IsNaN(want) && math.IsNaN(got)) && got != want {
			t.Errorf("%s: got %v, want %v", what, got, want)
		}
		return
	}
	d := math.Abs(got - want)
	if !(d <= refTol*math.Max(1, math.Abs(want))) {
		t.Errorf("%s: got %.17g, want %.17g (diff %.3g)", what, got, want, d)
	}
	if d > dv.maxAbs {
		dv.maxAbs, dv.worst = d, what
	}
	if want != 0 {
		if rel := d / math.Abs(want); rel > dv.maxRel {
			dv.maxRel, dv.worstRel = rel, what
		}
	}
}

func (dv *deviation) text(t *testing.T, what, got, want string) {
	t.Helper()
	dv.n++
	dv.exactTexts++
	if got != want {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

func (dv *deviation) log(t *testing.T, what string) {
	t.Helper()
	t.Logf("%s: compared %d reference values (%d dates/texts exactly); max |deviation| %.3g (%s), max relative %.3g (%s)",
		what, dv.n, dv.exactTexts, dv.maxAbs, dv.worst, dv.maxRel, dv.worstRel)
}

func parseRef(s string) float64 {
	switch s {
	case "NA":
		return math.NaN()
	case "Inf":
		return math.Inf(1)
	case "-Inf":
		return math.Inf(-1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return v
}

// TestPerformanceAnalytics210 compares every row of the PA 2.1.0 reference files
// written by testdata/performanceanalytics/reference.R.
func TestPerformanceAnalytics210(t *testing.T) {
	var total deviation
	for _, tc := range []struct{ data, expected, bench string }{
		{"edhec.csv", "edhec-expected.csv", ""},
		{"managers.csv", "managers-expected.csv", "SP500 TR"},
	} {
		dir := filepath.Join("testdata", "performanceanalytics")
		ds := readDataset(t, filepath.Join(dir, tc.data))
		f, err := os.Open(filepath.Join(dir, tc.expected))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		reports := map[string]map[string]Metric{}
		for _, name := range ds.names {
			var bench []float64
			if tc.bench != "" && name != tc.bench {
				bench = ds.cols[tc.bench]
			}
			// reference.R: scale 12, Rf 0, MAR 0, table.Drawdowns(top = 3),
			// SharpeRatio.annualized with PA 2.1.0's default geometric = FALSE.
			rep, err := Summary(ds.cols[name], ds.dates, bench, Options{Scale: 12, TopDrawdowns: 3})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			m := map[string]Metric{}
			for _, x := range rep.Metrics() {
				m[x.Name] = x
			}
			reports[name] = m
		}
		var dv deviation
		for _, row := range rows[1:] {
			name, metric, want := row[0], row[1], row[2]
			what := tc.data + " " + name + " " + metric
			got, ok := reports[name][metric]
			if !ok {
				if noDrawdownRow(name, metric, want) {
					// Documented difference (see Drawdowns): PA lists one depth-0 "drawdown"
					// for a series that never falls; we list none. Count it as compared.
					dv.text(t, what, want, want)
					continue
				}
				t.Errorf("%s: no such metric in Report.Metrics", what)
				continue
			}
			switch {
			case got.Kind == MetricDate:
				dv.text(t, what, got.String(), want)
			case strings.HasSuffix(metric, "_depth"):
				// table.Drawdowns rounds Depth to 4 decimals; Drawdown.Depth is not rounded.
				dv.number(t, what, math.Round(got.Value*1e4)/1e4, parseRef(want))
			default:
				dv.number(t, what, got.Value, parseRef(want))
			}
		}
		dv.log(t, tc.expected)
		total.n += dv.n
		total.exactTexts += dv.exactTexts
		if dv.maxAbs > total.maxAbs {
			total.maxAbs, total.worst = dv.maxAbs, dv.worst
		}
		if dv.maxRel > total.maxRel {
			total.maxRel, total.worstRel = dv.maxRel, dv.worstRel
		}
	}
	total.log(t, "PerformanceAnalytics 2.1.0 total")
}

// noDrawdownRow reports whether a reference row is PA's phantom drawdown of a series
// without any drawdown ("US 3m TR": depth 0, from = trough = first date, to NA,
// length n+1).
func noDrawdownRow(name, metric, want string) bool {
	if name != "US 3m TR" || !strings.HasPrefix(metric, "drawdown_1_") {
		return false
	}
	switch metric {
	case "drawdown_1_depth":
		return want == "0"
	case "drawdown_1_from", "drawdown_1_trough":
		return want == "1996-01-31"
	case "drawdown_1_to":
		return want == ""
	case "drawdown_1_length":
		return want == "133"
	}
	return false
}

// TestNoDrawdownDifference pins the documented difference with table.Drawdowns for a
// series that never falls below a previous high.
func TestNoDrawdownDifference(t *testing.T) {
	ds := readDataset(t, filepath.Join("testdata", "performanceanalytics", "managers.csv"))
	r := ds.cols["US 3m TR"]
	if got := Drawdowns(ds.dates, r, 3); len(got) != 0 {
		t.Errorf("Drawdowns of US 3m TR = %+v, want none (PA: one row of depth 0, length 133)", got)
	}
	if got := MaxDrawdown(r); got != 0 {
		t.Errorf("MaxDrawdown = %v, want 0", got)
	}
}

// TestDrawdownDepthNotRounded pins the other documented difference with
// table.Drawdowns: Depth keeps full precision (PA rounds it to 4 decimals), so the
// deepest drawdown equals -MaxDrawdown.
func TestDrawdownDepthNotRounded(t *testing.T) {
	ds := readDataset(t, filepath.Join("testdata", "performanceanalytics", "edhec.csv"))
	r := ds.cols["Convertible Arbitrage"]
	dd := Drawdowns(ds.dates, r, 1)
	const paDepth = -0.2927 // edhec-expected.csv drawdown_1_depth
	if len(dd) != 1 || dd[0].Depth != -MaxDrawdown(r) || dd[0].Depth == paDepth {
		t.Errorf("deepest drawdown %+v, want depth -%v (PA prints %v)", dd, MaxDrawdown(r), paDepth)
	}
}
