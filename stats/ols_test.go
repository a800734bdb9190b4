package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// hacCase mirrors one case of testdata/hac_ols.json, written by testdata/hac_ols.py with
// statsmodels 0.13.5 (OLS(y, X).fit() and .fit(cov_type='HAC', cov_kwds={'maxlags': L,
// 'use_correction': c})).
type hacCase struct {
	ID               string             `json:"id"`
	DesignCSV        string             `json:"design_csv"`
	X                []string           `json:"x"`
	NObs             int                `json:"nobs"`
	K                int                `json:"k"`
	DFResid          int                `json:"df_resid"`
	Params           map[string]float64 `json:"params"`
	BseNonrobust     map[string]float64 `json:"bse_nonrobust"`
	TvaluesNonrobust map[string]float64 `json:"tvalues_nonrobust"`
	RSquared         float64            `json:"rsquared"`
	RSquaredAdj      float64            `json:"rsquared_adj"`
	SSR              float64            `json:"ssr"`
	Sigma2           float64            `json:"sigma2_resid"`
	AutoLag          int                `json:"auto_lag_4(n/100)^(2/9)"`
	HAC              map[string]struct {
		MaxLags       int                `json:"maxlags"`
		UseCorrection bool               `json:"use_correction"`
		Kernel        string             `json:"kernel"`
		Cov           [][]float64        `json:"cov"`
		Bse           map[string]float64 `json:"bse"`
		Tvalues       map[string]float64 `json:"tvalues"`
		PvaluesNormal map[string]float64 `json:"pvalues_normal"`
		PvaluesT      map[string]float64 `json:"pvalues_t"`
	} `json:"hac"`
}

// sandwichCase mirrors testdata/hac_ols_sandwich.json, written by testdata/hac_sandwich.R
// with R sandwich 3.0-2 NeweyWest(lm(y ~ X), lag = L, prewhite = FALSE, adjust = c) and
// lmtest::coeftest(df = Inf).
type sandwichCase struct {
	Params   map[string]float64 `json:"params"`
	NObs     int                `json:"nobs"`
	RSquared float64            `json:"rsquared"`
	HAC      map[string]struct {
		Cov           [][]float64        `json:"cov"`
		Bse           map[string]float64 `json:"bse"`
		PvaluesNormal map[string]float64 `json:"pvalues_normal"`
	} `json:"hac"`
}

// fitDesign reads testdata/reg_<id>.csv (date, y, x...) and fits y on a constant and x.
func fitDesign(t testing.TB, file string) (*Fit, []string) {
	t.Helper()
	hdr, cols := readColumns(t, file)
	fit, err := OLS(cols[0], Design(true, cols[1:]...))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return fit, append([]string{"const"}, hdr[1:]...)
}

// TestHACStatsmodels compares every value of hac_ols.json: 5 real regressions, their
// nonrobust fit, and 46 (maxlags, use_correction) HAC variants with covariance matrices.
func TestHACStatsmodels(t *testing.T) {
	var doc struct {
		Cases []hacCase `json:"cases"`
	}
	readJSON(t, "hac_ols.json", &doc)
	var sw struct {
		Cases map[string]sandwichCase `json:"cases"`
	}
	readJSON(t, "hac_ols_sandwich.json", &sw)
	if len(doc.Cases) != 5 {
		t.Fatalf("hac_ols.json has %d cases, want 5", len(doc.Cases))
	}
	sm := newAgreement(t, "statsmodels")
	rs := newAgreement(t, "R sandwich")
	variants := 0
	for _, c := range doc.Cases {
		fit, names := fitDesign(t, c.DesignCSV)
		if fit.NObs != c.NObs || fit.K != c.K || fit.DFResid != c.DFResid {
			t.Errorf("%s: n, k, df = %d, %d, %d; statsmodels %d, %d, %d", c.ID, fit.NObs, fit.K, fit.DFResid, c.NObs, c.K, c.DFResid)
		}
		if !fit.HasConstant {
			t.Errorf("%s: HasConstant = false", c.ID)
		}
		if got := NeweyWestLags(fit.NObs); got != c.AutoLag {
			t.Errorf("%s: NeweyWestLags(%d) = %d, hac_ols.py auto_lag = %d", c.ID, fit.NObs, got, c.AutoLag)
		}
		nr := fit.Nonrobust()
		for j, nm := range names {
			sm.check(c.ID+" params "+nm, fit.Params[j], c.Params[nm])
			sm.check(c.ID+" bse_nonrobust "+nm, nr.SE[j], c.BseNonrobust[nm])
			sm.check(c.ID+" tvalues_nonrobust "+nm, nr.T[j], c.TvaluesNonrobust[nm])
			rs.check(c.ID+" params "+nm, fit.Params[j], sw.Cases[c.ID].Params[nm])
		}
		sm.check(c.ID+" rsquared", fit.RSquared, c.RSquared)
		sm.check(c.ID+" rsquared_adj", fit.RSquaredAdj, c.RSquaredAdj)
		sm.check(c.ID+" ssr", fit.SSR, c.SSR)
		sm.check(c.ID+" sigma2_resid", fit.Sigma2, c.Sigma2)
		rs.check(c.ID+" rsquared", fit.RSquared, sw.Cases[c.ID].RSquared)

		for key, h := range c.HAC {
			variants++
			if h.Kernel != "bartlett" {
				t.Fatalf("%s %s: kernel %q", c.ID, key, h.Kernel)
			}
			in := fit.HAC(h.MaxLags, h.UseCorrection)
			inT := in.WithDF(fit.DFResid)
			r, ok := sw.Cases[c.ID].HAC[key]
			if !ok {
				t.Errorf("%s %s: missing from hac_ols_sandwich.json", c.ID, key)
			}
			for i := range names {
				for j := range names {
					what := fmt.Sprintf("%s %s cov[%d][%d]", c.ID, key, i, j)
					sm.check(what, in.Cov.At(i, j), h.Cov[i][j])
					rs.check(what, in.Cov.At(i, j), r.Cov[i][j])
				}
			}
			for j, nm := range names {
				what := c.ID + " " + key + " " + nm
				sm.check(what+" bse", in.SE[j], h.Bse[nm])
				sm.check(what+" tvalues", in.T[j], h.Tvalues[nm])
				sm.check(what+" pvalues_normal", in.P[j], h.PvaluesNormal[nm])
				sm.check(what+" pvalues_t", inT.P[j], h.PvaluesT[nm])
				rs.check(what+" bse", in.SE[j], r.Bse[nm])
				rs.check(what+" pvalues_normal", in.P[j], r.PvaluesNormal[nm])
			}
		}
	}
	if variants != 46 {
		t.Errorf("compared %d HAC variants, want 46", variants)
	}
}

func TestNeweyWestLags(t *testing.T) {
	for _, c := range []struct{ n, want int }{
		{0, 0}, {1, 1}, {50, 3}, {100, 4}, {250, 4}, {300, 5}, {839, 6}, {1000, 6}, {25000, 13},
	} {
		if got := NeweyWestLags(c.n); got != c.want {
			t.Errorf("NeweyWestLags(%d) = %d, want %d", c.n, got, c.want)
		}
	}
}

func TestOLSErrors(t *testing.T) {
	y := []float64{1, 2, 3, 4}
	x1 := []float64{1, 3, 2, 5}
	for _, c := range []struct {
		name string
		y    []float64
		x    *mat.Dense
		want error
	}{
		{"NaN in y", []float64{1, math.NaN(), 3, 4}, Design(true, x1), ErrMissing},
		{"Inf in x", y, Design(true, []float64{1, 2, math.Inf(1), 4}), ErrMissing},
		{"too few", y[:2], Design(true, x1[:2]), ErrTooFew},
		{"duplicate column", y, Design(true, x1, x1), ErrSingular},
		{"constant twice", y, Design(true, []float64{2, 2, 2, 2}), ErrSingular},
		{"zero column", y, Design(false, []float64{0, 0, 0, 0}), ErrSingular},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := OLS(c.y, c.x)
			if !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestOLSPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"length mismatch": func() { OLS([]float64{1, 2, 3}, Design(true, []float64{1, 2})) },
		"negative lag": func() {
			fit, _ := OLS([]float64{1, 2, 4}, Design(true, []float64{1, 2, 3}))
			fit.HAC(-1, false)
		},
		"ragged design": func() { Design(true, []float64{1, 2}, []float64{1}) },
		"bad level": func() {
			fit, _ := OLS([]float64{1, 2, 4}, Design(true, []float64{1, 2, 3}))
			fit.Nonrobust().ConfInt(95)
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

// TestOLSUncentredR2: without a constant in the column space, R² is uncentred, as
// statsmodels (k_constant = 0) and R's summary.lm for a model without intercept.
func TestOLSUncentredR2(t *testing.T) {
	y := []float64{1, 3, 2, 5, 4}
	x := []float64{1, 2, 3, 4, 5}
	fit, err := OLS(y, Design(false, x))
	if err != nil {
		t.Fatal(err)
	}
	if fit.HasConstant {
		t.Fatal("HasConstant = true for a design without constant")
	}
	// b = Σxy/Σx² = 53/55; R² = 1 - SSR/Σy² with Σy² = 55
	b := 53.0 / 55
	ssr := 0.0
	for i := range y {
		ssr += (y[i] - b*x[i]) * (y[i] - b*x[i])
	}
	want := 1 - ssr/55
	if math.Abs(fit.RSquared-want) > 1e-14 {
		t.Errorf("R² = %v, want %v", fit.RSquared, want)
	}
	if adj := 1 - 5.0/4*(1-want); math.Abs(fit.RSquaredAdj-adj) > 1e-14 {
		t.Errorf("adjusted R² = %v, want %v", fit.RSquaredAdj, adj)
	}
}

// BenchmarkOLSHAC fits a 1,000×3 design (constant and two regressors) and computes its HAC
// covariance at the rule-of-thumb lag (6).
func BenchmarkOLSHAC(b *testing.B) {
	const n = 1000
	r := rand.New(rand.NewPCG(1, 2))
	x1, x2, y := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		x1[i], x2[i] = r.NormFloat64(), r.NormFloat64()
		y[i] = 0.1 + 0.5*x1[i] - 0.2*x2[i] + r.NormFloat64()
	}
	x := Design(true, x1, x2)
	lags := NeweyWestLags(n)
	b.ReportAllocs()
	for b.Loop() {
		fit, err := OLS(y, x)
		if err != nil {
			b.Fatal(err)
		}
		fit.HAC(lags, false)
	}
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "obs/s")
}
