package stats

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// regimeSummary mirrors one fit in testdata/regime_ols.json, written by
// testdata/regime_ols.py with statsmodels 0.13.5 (OLS of monthly SMB on one dummy per
// fed-funds regime, no constant).
type regimeSummary struct {
	Params      []float64   `json:"params"`
	Bse         []float64   `json:"bse"`
	Tvalues     []float64   `json:"tvalues"`
	Pvalues     []float64   `json:"pvalues"`
	ConfInt90   [][]float64 `json:"conf_int_90"`
	ConfInt95   [][]float64 `json:"conf_int_95"`
	Cov         [][]float64 `json:"cov"`
	Differences map[string]struct {
		Effect    float64   `json:"effect"`
		SD        float64   `json:"sd"`
		Tvalue    float64   `json:"tvalue"`
		Pvalue    float64   `json:"pvalue"`
		ConfInt95 []float64 `json:"conf_int_95"`
	} `json:"differences"`
}

type regimeDoc struct {
	NObs      int      `json:"nobs"`
	Regimes   []string `json:"regimes"`
	Counts    []int    `json:"counts"`
	Nonrobust struct {
		regimeSummary
		RSquared    float64 `json:"rsquared"`
		RSquaredAdj float64 `json:"rsquared_adj"`
		KConstant   int     `json:"k_constant"`
		DFResid     float64 `json:"df_resid"`
	} `json:"nonrobust"`
	HAC []struct {
		MaxLags       int           `json:"maxlags"`
		UseCorrection bool          `json:"use_correction"`
		Normal        regimeSummary `json:"normal"`
		UseT          regimeSummary `json:"use_t"`
	} `json:"hac"`
}

// readRegimeDesign reads testdata/regime_smb.csv (month, smb, regime).
func readRegimeDesign(t testing.TB) (y []float64, labels []string) {
	t.Helper()
	_, rows := readCSV(t, "regime_smb.csv")
	for i, r := range rows {
		v, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			t.Fatalf("regime_smb.csv row %d: %v", i+2, err)
		}
		y = append(y, v)
		labels = append(labels, r[2])
	}
	return y, labels
}

// checkInference compares an Inference (and its differences) with one statsmodels fit.
func checkInference(a *agreement, tag string, in *Inference, names []string, want regimeSummary) {
	a.checkSlice(tag+" params", in.Params, want.Params)
	a.checkSlice(tag+" bse", in.SE, want.Bse)
	a.checkSlice(tag+" tvalues", in.T, want.Tvalues)
	a.checkSlice(tag+" pvalues", in.P, want.Pvalues)
	lo90, hi90 := in.ConfInt(0.90)
	lo95, hi95 := in.ConfInt(0.95)
	for j := range names {
		a.check(fmt.Sprintf("%s conf_int_90[%d] lo", tag, j), lo90[j], want.ConfInt90[j][0])
		a.check(fmt.Sprintf("%s conf_int_90[%d] hi", tag, j), hi90[j], want.ConfInt90[j][1])
		a.check(fmt.Sprintf("%s conf_int_95[%d] lo", tag, j), lo95[j], want.ConfInt95[j][0])
		a.check(fmt.Sprintf("%s conf_int_95[%d] hi", tag, j), hi95[j], want.ConfInt95[j][1])
		for k := range names {
			a.check(fmt.Sprintf("%s cov[%d][%d]", tag, j, k), in.Cov.At(j, k), want.Cov[j][k])
		}
	}
	if len(want.Differences) != 3 {
		a.t.Fatalf("%s: %d differences, want 3", tag, len(want.Differences))
	}
	for key, d := range want.Differences {
		ab := strings.SplitN(key, "-", 2)
		r := make([]float64, len(names))
		for j, nm := range names {
			if nm == ab[0] {
				r[j] = 1
			}
			if nm == ab[1] {
				r[j] = -1
			}
		}
		c := in.Contrast(r, 0)
		lo, hi := c.ConfInt(0.95)
		a.check(tag+" "+key+" effect", c.Estimate, d.Effect)
		a.check(tag+" "+key+" sd", c.SE, d.SD)
		a.check(tag+" "+key+" tvalue", c.T, d.Tvalue)
		a.check(tag+" "+key+" pvalue", c.P, d.Pvalue)
		a.check(tag+" "+key+" conf_int_95 lo", lo, d.ConfInt95[0])
		a.check(tag+" "+key+" conf_int_95 hi", hi, d.ConfInt95[1])
	}
}

// TestRegimeOLSStatsmodels compares RegimeOLS, Regimes.Difference, the nonrobust fit,
// ConfInt, Contrast and WithDF with statsmodels on 839 months of real SMB returns.
func TestRegimeOLSStatsmodels(t *testing.T) {
	var doc regimeDoc
	readJSON(t, "regime_ols.json", &doc)
	y, labels := readRegimeDesign(t)
	if len(y) != doc.NObs {
		t.Fatalf("regime_smb.csv has %d rows, regime_ols.json says %d", len(y), doc.NObs)
	}
	sm := newAgreement(t, "statsmodels")

	base, err := RegimeOLS(y, labels, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for j, m := range base.Means {
		if m.Label != doc.Regimes[j] || m.N != doc.Counts[j] {
			t.Errorf("regime %d = %s (n %d), statsmodels %s (n %d)", j, m.Label, m.N, doc.Regimes[j], doc.Counts[j])
		}
	}
	if got := base.Fit.HasConstant; got != (doc.Nonrobust.KConstant == 1) {
		t.Errorf("HasConstant = %v, statsmodels k_constant = %d", got, doc.Nonrobust.KConstant)
	}
	if float64(base.Fit.DFResid) != doc.Nonrobust.DFResid {
		t.Errorf("DFResid = %d, statsmodels %v", base.Fit.DFResid, doc.Nonrobust.DFResid)
	}
	sm.check("rsquared", base.Fit.RSquared, doc.Nonrobust.RSquared)
	sm.check("rsquared_adj", base.Fit.RSquaredAdj, doc.Nonrobust.RSquaredAdj)
	checkInference(sm, "nonrobust", base.Fit.Nonrobust(), doc.Regimes, doc.Nonrobust.regimeSummary)

	if len(doc.HAC) != 8 {
		t.Fatalf("regime_ols.json has %d HAC fits, want 8", len(doc.HAC))
	}
	for _, h := range doc.HAC {
		tag := fmt.Sprintf("maxlags=%d,use_correction=%v", h.MaxLags, h.UseCorrection)
		r, err := RegimeOLS(y, labels, h.MaxLags, h.UseCorrection)
		if err != nil {
			t.Fatal(err)
		}
		checkInference(sm, tag, r.HAC, doc.Regimes, h.Normal)
		checkInference(sm, tag+" use_t", r.HAC.WithDF(r.Fit.DFResid), doc.Regimes, h.UseT)
		for j, m := range r.Means {
			sm.check(tag+" mean "+m.Label, m.Mean, h.Normal.Params[j])
			sm.check(tag+" se "+m.Label, m.SE, h.Normal.Bse[j])
			sm.check(tag+" t "+m.Label, m.T, h.Normal.Tvalues[j])
			sm.check(tag+" p "+m.Label, m.P, h.Normal.Pvalues[j])
		}
		for key, d := range h.Normal.Differences {
			ab := strings.SplitN(key, "-", 2)
			c, err := r.Difference(ab[0], ab[1])
			if err != nil {
				t.Fatal(err)
			}
			sm.check(tag+" Difference "+key+" estimate", c.Estimate, d.Effect)
			sm.check(tag+" Difference "+key+" se", c.SE, d.SD)
			sm.check(tag+" Difference "+key+" t", c.T, d.Tvalue)
			sm.check(tag+" Difference "+key+" p", c.P, d.Pvalue)
		}
	}
}

// TestRegimeMeansAreSampleMeans: each dummy coefficient is the plain mean of its regime.
func TestRegimeMeansAreSampleMeans(t *testing.T) {
	y, labels := readRegimeDesign(t)
	r, err := RegimeOLS(y, labels, NeweyWestLags(len(y)), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range r.Means {
		var v []float64
		for i, l := range labels {
			if l == m.Label {
				v = append(v, y[i])
			}
		}
		if got := Mean(v); math.Abs(got-m.Mean) > 1e-15 {
			t.Errorf("%s: coefficient %v, sample mean %v", m.Label, m.Mean, got)
		}
	}
}

func TestRegimeOLSErrors(t *testing.T) {
	if _, err := RegimeOLS([]float64{1, math.NaN(), 2}, []string{"a", "b", "a"}, 1, false); !errors.Is(err, ErrMissing) {
		t.Errorf("NaN y: err = %v", err)
	}
	if _, err := RegimeOLS([]float64{1, 2, 3}, []string{"a", "", "a"}, 1, false); !errors.Is(err, ErrMissing) {
		t.Errorf("empty label: err = %v", err)
	}
	if _, err := RegimeOLS([]float64{1, 2}, []string{"a", "b"}, 1, false); !errors.Is(err, ErrTooFew) {
		t.Errorf("one observation per regime: err = %v", err)
	}
	if _, err := RegimeOLS(nil, nil, 1, false); !errors.Is(err, ErrTooFew) {
		t.Errorf("empty: err = %v", err)
	}
	r, err := RegimeOLS([]float64{1, 2, 3, 5}, []string{"a", "b", "a", "b"}, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Difference("a", "c"); err == nil {
		t.Error("unknown regime: no error")
	}
	defer func() {
		if recover() == nil {
			t.Error("length mismatch: no panic")
		}
	}()
	RegimeOLS([]float64{1, 2}, []string{"a"}, 0, false)
}
