package stats

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// RegimeMean is the mean of y within one regime, with HAC inference.
type RegimeMean struct {
	Label string  // regime label
	N     int     // observations in the regime
	Mean  float64 // mean of y over the regime (the dummy's coefficient)
	SE    float64 // HAC standard error of the mean
	T     float64 // Mean / SE
	P     float64 // two-sided p-value of T, standard normal
}

// Regimes is the result of RegimeOLS.
type Regimes struct {
	Means []RegimeMean // one per distinct label, in sorted label order
	Fit   *Fit         // the dummy regression (columns in the order of Means)
	HAC   *Inference   // its HAC inference
	// MaxLags and Correction are the HAC options used.
	MaxLags    int
	Correction bool
}

// RegimeOLS estimates the mean of y in each regime by OLS of y on one 0/1 dummy per
// distinct label and no intercept, with Newey-West HAC errors (Fit.HAC(maxlags,
// correction)): each coefficient is the regime's sample mean, and its standard error
// accounts for autocorrelation and heteroskedasticity across the whole series, since the
// regression is run on the time series as a whole, observations in calendar order.
// This is statsmodels' OLS(y, dummies).fit(cov_type='HAC', cov_kwds={'maxlags': maxlags,
// 'use_correction': correction}); p-values are normal, as statsmodels' are by default.
//
// Regimes are ordered by label (sort order), so the result does not depend on which
// regime comes first. len(labels) must equal len(y) (RegimeOLS panics otherwise). A NaN
// or infinite y is an error wrapping ErrMissing (trim the series first: dropping
// observations inside it would change what the HAC lags mean), an empty label wraps
// ErrMissing, and n <= number of regimes wraps ErrTooFew.
func RegimeOLS(y []float64, labels []string, maxlags int, correction bool) (*Regimes, error) {
	if len(labels) != len(y) {
		panic(fmt.Sprintf("stats: RegimeOLS: len(labels) = %d, len(y) = %d", len(labels), len(y)))
	}
	for i, l := range labels {
		if l == "" {
			return nil, fmt.Errorf("stats: RegimeOLS: observation %d has no regime label: %w", i, ErrMissing)
		}
	}
	names := slices.Clone(labels)
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("stats: RegimeOLS: no observations: %w", ErrTooFew)
	}
	col := make(map[string]int, len(names))
	for j, l := range names {
		col[l] = j
	}
	x := mat.NewDense(len(y), len(names), nil)
	counts := make([]int, len(names))
	for i, l := range labels {
		x.Set(i, col[l], 1)
		counts[col[l]]++
	}
	fit, err := OLS(y, x)
	if err != nil {
		return nil, fmt.Errorf("stats: RegimeOLS: %w", err)
	}
	hac := fit.HAC(maxlags, correction)
	r := &Regimes{Fit: fit, HAC: hac, MaxLags: maxlags, Correction: correction}
	for j, l := range names {
		r.Means = append(r.Means, RegimeMean{
			Label: l, N: counts[j], Mean: hac.Params[j], SE: hac.SE[j], T: hac.T[j], P: hac.P[j],
		})
	}
	return r, nil
}

// Difference tests H0: mean(a) = mean(b) between two regimes with the full HAC covariance
// V of the dummy regression: Estimate = mean_a - mean_b, SE = √(V_aa + V_bb - 2V_ab),
// T = Estimate/SE, P two-sided from the standard normal. This equals statsmodels'
// results.t_test('a - b = 0') on the HAC fit. An unknown label is an error.
func (r *Regimes) Difference(a, b string) (Contrast, error) {
	ia, ib := r.index(a), r.index(b)
	if ia < 0 {
		return Contrast{}, fmt.Errorf("stats: Difference: no regime %q (have %v)", a, r.labels())
	}
	if ib < 0 {
		return Contrast{}, fmt.Errorf("stats: Difference: no regime %q (have %v)", b, r.labels())
	}
	c := make([]float64, len(r.Means))
	c[ia]++
	c[ib]--
	return r.HAC.Contrast(c, 0), nil
}

func (r *Regimes) index(label string) int {
	return slices.IndexFunc(r.Means, func(m RegimeMean) bool { return m.Label == label })
}

func (r *Regimes) labels() []string {
	out := make([]string, len(r.Means))
	for i, m := range r.Means {
		out[i] = m.Label
	}
	return out
}
