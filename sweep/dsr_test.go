package sweep

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/ratecycle/ratecycle/risk"
)

// TestDeflatedSharpeScipy compares with testdata/dsr.json, written by testdata/dsr.py
// with SciPy 1.10.1 (Bailey and López de Prado 2014, eqs. 8-10).
func TestDeflatedSharpeScipy(t *testing.T) {
	b, err := os.ReadFile("testdata/dsr.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		T              int
		SR, Skew, Kurt float64
		TrialSRsVar    float64 `json:"trial_srs_var"`
		PSRZero        float64 `json:"psr_zero"`
		Cases          []struct {
			N        int
			V        float64
			SR0      float64 `json:"sr0"`
			PSRAtSR0 float64 `json:"psr_at_sr0"`
		}
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	// Rebuild the script's return series and trial Sharpe ratios.
	r := make([]float64, ref.T)
	for i := range r {
		tt := float64(i + 1)
		r[i] = 0.008 + 0.04*math.Sin(1.7*tt) + 0.03*math.Pow(math.Cos(0.37*tt), 3)
		if (i+1)%97 == 0 {
			r[i] -= 0.09
		}
	}
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %.17g, SciPy %.17g", name, got, want)
		}
	}
	near("sharpe", risk.SharpeRatio(r, nil, risk.SharpePA210), ref.SR, 1e-13)
	near("skewness", risk.Skewness(r), ref.Skew, 1e-12)
	near("kurtosis", risk.ExcessKurtosis(r)+3, ref.Kurt, 1e-12)
	var m, m2 float64
	for k := 0; k < 40; k++ {
		x := 0.02 + 0.003*float64(k) - 0.0001*float64(k*k)
		d := x - m
		m += d / float64(k+1)
		m2 += d * (x - m)
	}
	near("variance of trial Sharpe ratios", m2/39, ref.TrialSRsVar, 1e-12)
	near("PSR(0)", ProbabilisticSharpe(ref.SR, 0, ref.T, ref.Skew, ref.Kurt), ref.PSRZero, 1e-13)
	for _, c := range ref.Cases {
		near("SR0", ExpectedMaxSharpe(c.N, c.V), c.SR0, 1e-13)
		near("DSR", DeflatedSharpe(ref.SR, ref.T, ref.Skew, ref.Kurt, c.N, c.V), c.PSRAtSR0, 1e-12)
	}
}

func TestDeflatedSharpeEdges(t *testing.T) {
	if ExpectedMaxSharpe(1, 0.1) != 0 || ExpectedMaxSharpe(10, 0) != 0 {
		t.Error("one trial or no spread: SR0 must be 0")
	}
	if !math.IsNaN(ProbabilisticSharpe(0.1, 0, 1, 0, 3)) {
		t.Error("t < 2 must be NaN")
	}
	if !math.IsNaN(ProbabilisticSharpe(3, 0, 100, 2, 3)) {
		t.Error("a non-positive variance term must be NaN")
	}
	// More trials, same spread: a higher bar.
	if !(ExpectedMaxSharpe(1000, 0.01) > ExpectedMaxSharpe(10, 0.01)) {
		t.Error("SR0 must grow with the number of trials")
	}
	for _, p := range []float64{1e-10, 0.01, 0.3, 0.5, 0.975, 1 - 1e-9} {
		if x := normCDF(normQuantile(p)); math.Abs(x-p) > 1e-14*math.Max(1, 1/p) {
			t.Errorf("Phi(invPhi(%v)) = %v", p, x)
		}
	}
}
