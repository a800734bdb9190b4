package stats

import (
	"math"
	"slices"
	"testing"
)

// TestDescribeNumpy compares Describe, Quantile and the single-statistic functions with
// numpy 1.24 / scipy 1.10 (testdata/describe.py) on real series.
func TestDescribeNumpy(t *testing.T) {
	var doc struct {
		Samples []struct {
			File, Column   string
			N              int       `json:"n"`
			Mean           float64   `json:"mean"`
			Median         float64   `json:"median"`
			SD             float64   `json:"sd"`
			Min            float64   `json:"min"`
			Max            float64   `json:"max"`
			Skewness       float64   `json:"skewness"`
			ExcessKurtosis float64   `json:"excess_kurtosis"`
			HitRate        float64   `json:"hit_rate"`
			TStat          float64   `json:"tstat"`
			P              []float64 `json:"quantile_p"`
			Q              []float64 `json:"quantile_type7"`
		} `json:"samples"`
	}
	readJSON(t, "describe.json", &doc)
	if len(doc.Samples) != 7 {
		t.Fatalf("describe.json has %d samples, want 7", len(doc.Samples))
	}
	columns := map[string]map[string][]float64{}
	for _, f := range []string{"reg_edhec_fof.csv", "reg_investment_greene.csv", "regime_smb.csv"} {
		columns[f] = map[string][]float64{}
		if f == "regime_smb.csv" {
			y, _ := readRegimeDesign(t)
			columns[f]["smb"] = y
			continue
		}
		hdr, cols := readColumns(t, f)
		for j, h := range hdr {
			columns[f][h] = cols[j]
		}
	}
	np := newAgreement(t, "numpy/scipy")
	for _, w := range doc.Samples {
		x, ok := columns[w.File][w.Column]
		if !ok {
			t.Fatalf("no column %q in %s", w.Column, w.File)
		}
		tag := w.File + " " + w.Column
		s := Describe(x)
		if s.N != w.N || s.Missing != 0 {
			t.Errorf("%s: N, Missing = %d, %d; numpy n = %d", tag, s.N, s.Missing, w.N)
		}
		np.check(tag+" mean", s.Mean, w.Mean)
		np.check(tag+" median", s.Median, w.Median)
		np.check(tag+" sd", s.SD, w.SD)
		np.check(tag+" min", s.Min, w.Min)
		np.check(tag+" max", s.Max, w.Max)
		np.check(tag+" skewness", s.Skewness, w.Skewness)
		np.check(tag+" excess kurtosis", s.ExcessKurtosis, w.ExcessKurtosis)
		np.check(tag+" hit rate", s.HitRate, w.HitRate)
		np.check(tag+" t", s.TStat, w.TStat)
		np.check(tag+" Mean", Mean(x), w.Mean)
		np.check(tag+" SD", SD(x), w.SD)
		np.check(tag+" Median", Median(x), w.Median)
		np.check(tag+" Skewness", Skewness(x), w.Skewness)
		np.check(tag+" ExcessKurtosis", ExcessKurtosis(x), w.ExcessKurtosis)
		np.check(tag+" HitRate", HitRate(x), w.HitRate)
		np.check(tag+" MeanTStat", MeanTStat(x), w.TStat)
		for i, p := range w.P {
			np.check(tag+" quantile", Quantile(p, x), w.Q[i])
		}
	}
}

// TestDescribeSkipsNaN: Describe drops NaN and counts them; the single-statistic
// functions propagate them.
func TestDescribeSkipsNaN(t *testing.T) {
	y, _ := readRegimeDesign(t)
	x := slices.Clone(y[:120])
	withNaN := slices.Insert(slices.Clone(x), 7, math.NaN())
	withNaN = append(withNaN, math.NaN())
	got, want := Describe(withNaN), Describe(x)
	if got.Missing != 2 || got.N != len(x) {
		t.Errorf("N, Missing = %d, %d; want %d, 2", got.N, got.Missing, len(x))
	}
	got.Missing = 0
	if got != want {
		t.Errorf("Describe with NaN = %+v\nwithout = %+v", got, want)
	}
	for name, f := range map[string]func([]float64) float64{
		"Mean": Mean, "SD": SD, "Median": Median, "Skewness": Skewness,
		"ExcessKurtosis": ExcessKurtosis, "HitRate": HitRate, "MeanTStat": MeanTStat,
		"Quantile(0.1)": func(x []float64) float64 { return Quantile(0.1, x) },
	} {
		if v := f(withNaN); !math.IsNaN(v) {
			t.Errorf("%s with NaN = %v, want NaN", name, v)
		}
	}
	if e := Describe([]float64{math.NaN()}); e.N != 0 || e.Missing != 1 || !math.IsNaN(e.Mean) || !math.IsNaN(e.Min) {
		t.Errorf("Describe(all NaN) = %+v", e)
	}
}

func TestQuantileEdges(t *testing.T) {
	x := []float64{3, 1, 2, 4}
	for _, c := range []struct{ p, want float64 }{
		{0, 1}, {1, 4}, {0.5, 2.5}, {1.0 / 3, 2}, {0.25, 1.75}, {0.9, 3.7},
	} {
		if got := Quantile(c.p, x); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("Quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if !math.IsNaN(Quantile(0.5, nil)) {
		t.Error("Quantile of empty is not NaN")
	}
	if x[0] != 3 {
		t.Error("Quantile sorted its argument")
	}
	defer func() {
		if recover() == nil {
			t.Error("p = 1.5 did not panic")
		}
	}()
	Quantile(1.5, x)
}

// TestConstantSample: a constant sample whose plain sum is inexact (0.1 three times sums to
// 0.30000000000000004) has mean exactly 0.1, zero spread, and no skewness or kurtosis. With
// a plain Σx/n mean the deviations were ±1e-17 and Skewness came out -1, ExcessKurtosis -2.
func TestConstantSample(t *testing.T) {
	for _, x := range [][]float64{{0.1, 0.1, 0.1}, {0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7}, {-3.3, -3.3}} {
		if m := Mean(x); m != x[0] {
			t.Errorf("Mean(%v) = %.17g, want %v exactly", x, m, x[0])
		}
		if s := SD(x); s != 0 {
			t.Errorf("SD(%v) = %v, want 0", x, s)
		}
		if s := Skewness(x); !math.IsNaN(s) {
			t.Errorf("Skewness(%v) = %v, want NaN", x, s)
		}
		if k := ExcessKurtosis(x); !math.IsNaN(k) {
			t.Errorf("ExcessKurtosis(%v) = %v, want NaN", x, k)
		}
	}
}

// TestQuantileTypes checks the nine types on one small sample. Reference: numpy 1.24.2,
// np.quantile([3, 1, 2, 4, 10], 0.3, method=m) for the nine Hyndman-Fan methods
// (inverted_cdf .. normal_unbiased), except type 3: numpy's closest_observation gives 1
// here, while Hyndman and Fan's definition (the nearest even order statistic to
// np = 1.5) and R give the 2nd, 2. risk's suite checks all nine types against R itself.
func TestQuantileTypes(t *testing.T) {
	x := []float64{3, 1, 2, 4, 10}
	want := []float64{2, 2, 2, 1.5, 2, 1.8, 2.2, 1.9333333333333333, 1.95}
	for k := 1; k <= 9; k++ {
		if got := QuantileType(0.3, x, k); math.Abs(got-want[k-1]) > 1e-12 {
			t.Errorf("QuantileType(0.3, type %d) = %.17g, want %v", k, got, want[k-1])
		}
	}
	if got, want := QuantileType(0.3, x, 7), Quantile(0.3, x); got != want {
		t.Errorf("type 7 = %v, Quantile = %v", got, want)
	}
}
