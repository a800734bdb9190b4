package risk

import (
	"fmt"
	"math"
	"slices"
)

// Method is a VaR/ES estimator.
type Method int

const (
	// Historical: VaR is R's type-7 quantile of the returns at 1-p; ES is the mean of
	// the returns strictly below it (the VaR itself if none is).
	Historical Method = iota
	// Gaussian: mean + qnorm(1-p)*sigma for VaR and mean - dnorm(qnorm(1-p))/(1-p)*sigma
	// for ES, with sigma the POPULATION standard deviation (divisor n), as PA does.
	Gaussian
	// Modified: Cornish-Fisher VaR (Favre and Galeano 2002) and PA's "operational"
	// Cornish-Fisher ES (Boudt, Peterson and Croux 2008), which never reports an ES
	// smaller than the VaR; population moments. Like PA's .skewEst/.kurtEst, a
	// population variance within R's all.equal tolerance of 0 (<= 1.5e-8) sets skewness
	// and excess kurtosis to 0, making the estimate Gaussian (a cash-like series).
	Modified
	// GaussianSample is Gaussian with the sample (n-1) standard deviation, the
	// textbook and spreadsheet convention. Not a PA method.
	GaussianSample
	// WorstK: with k = ceil((1-p)*n), VaR is the k-th smallest return and ES the mean
	// of the k smallest (R's type-1 quantile and its tail mean). Not a PA method.
	WorstK
)

var methodNames = [...]string{"historical", "gaussian", "modified", "gaussian_sample", "worst_k"}

// String returns the name used in metric names (var_historical_95, ...).
func (m Method) String() string {
	if m < 0 || int(m) >= len(methodNames) {
		return fmt.Sprintf("Method(%d)", int(m))
	}
	return methodNames[m]
}

// ParseMethod parses the names String returns.
func ParseMethod(s string) (Method, error) {
	for i, n := range methodNames {
		if n == s {
			return Method(i), nil
		}
	}
	return 0, fmt.Errorf("unknown VaR method %q (want historical, gaussian, modified, gaussian_sample or worst_k)", s)
}

// tailProb turns a confidence level into the tail probability the way PA's
// .setalphaprob does: p >= 0.51 is a confidence level (0.95 -> 1-0.95, which is
// 0.05000000000000004 in floating point, exactly as in R); a smaller p is taken
// as the tail probability itself.
func tailProb(p float64) float64 {
	if !(p > 0 && p < 1) {
		panic(fmt.Sprintf("risk: VaR confidence level %v outside (0, 1)", p))
	}
	if p >= 0.51 {
		return 1 - p
	}
	return p
}

// VaR returns the value at risk of r at confidence level p (0.95, 0.99) as PA's
// VaR(R, p, method, invert = TRUE) returns it: a negative number for a loss (-0.03
// = a 3% loss). Like PA it returns NaN when the estimate would be a gain, -1 when the
// loss would exceed 100%, and NaN for an empty input. NaN returns are ignored.
// A p below 0.51 is read as the tail probability itself, as in PA.
func VaR(r []float64, p float64, m Method) float64 {
	alpha := tailProb(p)
	return newTail(clean(r)).vaR(alpha, m)
}

// ES returns the expected shortfall (CVaR, ETL) of r at confidence level p with PA's
// sign and NA rules (see VaR). Historical ES is the mean of the returns strictly
// below the type-7 quantile, or that quantile when none is below it; Modified is
// PA's operational Cornish-Fisher ES, min(-E/alpha, h) in standardised units, so it
// is never smaller than the modified VaR.
func ES(r []float64, p float64, m Method) float64 {
	alpha := tailProb(p)
	return newTail(clean(r)).eS(alpha, m)
}

// tail holds what the VaR/ES estimators need from one sample, computed once so a
// report of six estimators at two levels sorts and scans the data once.
type tail struct {
	x              []float64
	sorted         []float64 // lazily
	mu, m2, m3, m4 float64
	skew, exkurt   float64
}

func newTail(x []float64) *tail {
	t := &tail{x: x}
	if len(x) > 0 {
		t.mu, t.m2, t.m3, t.m4 = centralMoments(x)
		t.skew, t.exkurt = skewKurtEst(t.m2, t.m3, t.m4)
	}
	return t
}

func (t *tail) sortedX() []float64 {
	if t.sorted == nil {
		t.sorted = slices.Clone(t.x)
		slices.Sort(t.sorted)
	}
	return t.sorted
}

func (t *tail) sigma(m Method) float64 {
	if m == GaussianSample {
		return sd(t.x)
	}
	return math.Sqrt(t.m2)
}

// h is the Cornish-Fisher quantile of the standardised returns at tail probability alpha.
func (t *tail) h(alpha float64) float64 {
	z := qnorm(alpha)
	s, k := t.skew, t.exkurt
	return z + (z*z-1)*s/6 + (z*z*z-3*z)*k/24 - (2*z*z*z-5*z)*s*s/36
}

func (t *tail) vaR(alpha float64, m Method) float64 {
	if len(t.x) == 0 {
		return math.NaN()
	}
	var loss float64
	switch m {
	case Historical:
		loss = -quantileSorted(t.sortedX(), alpha, 7)
	case WorstK:
		s := t.sortedX()
		loss = -s[worstK(len(s), alpha)-1]
	case Gaussian, GaussianSample:
		loss = -t.mu - qnorm(alpha)*t.sigma(m)
	case Modified:
		loss = -t.mu - t.h(alpha)*math.Sqrt(t.m2)
	default:
		panic(fmt.Sprintf("risk: unknown VaR method %d", int(m)))
	}
	return reasonable(loss)
}

func (t *tail) eS(alpha float64, m Method) float64 {
	if len(t.x) == 0 {
		return math.NaN()
	}
	var loss float64
	switch m {
	case Historical:
		s := t.sortedX()
		q := quantileSorted(s, alpha, 7)
		k := 0
		for k < len(s) && s[k] < q {
			k++
		}
		if k == 0 {
			loss = -q
		} else {
			loss = -mean(s[:k])
		}
	case WorstK:
		s := t.sortedX()
		loss = -mean(s[:worstK(len(s), alpha)])
	case Gaussian, GaussianSample:
		loss = -t.mu + dnorm(qnorm(alpha))*t.sigma(m)/alpha
	case Modified:
		h := t.h(alpha)
		s, k := t.skew, t.exkurt
		h2 := h * h
		h4 := h2 * h2
		e := dnorm(h) * (1 + h2*h*s/6 +
			(h4*h2-9*h4+9*h2+3)*s*s/72 +
			(h4-2*h2-1)*k/24)
		loss = -t.mu - math.Sqrt(t.m2)*math.Min(-e/alpha, h)
	default:
		panic(fmt.Sprintf("risk: unknown ES method %d", int(m)))
	}
	return reasonable(loss)
}

// reasonable applies PA's checks to a loss (positive = loss) and inverts the sign:
// an "inverse risk" (a gain) becomes NaN and a loss above 100% becomes 100%.
func reasonable(loss float64) float64 {
	switch {
	case loss != loss:
		return loss
	case loss < 0:
		return math.NaN()
	case loss > 1:
		return -1
	}
	return -loss
}

// skewKurtEst mirrors PA's .skewEst and .kurtEst: skewness and excess kurtosis from
// population moments, both 0 when m2 is "all.equal" to 0 (below R's tolerance 1.5e-8).
func skewKurtEst(m2, m3, m4 float64) (skew, exkurt float64) {
	if m2 <= 1.5e-8 {
		return 0, 0
	}
	return m3 / math.Pow(m2, 1.5), m4/(m2*m2) - 3
}

// worstK returns k = ceil(alpha*n), at least 1. The 1e-9 guards against 0.05*120
// rounding to 6.000000000000001.
func worstK(n int, alpha float64) int {
	k := int(math.Ceil(alpha*float64(n) - 1e-9))
	return max(1, min(k, n))
}
