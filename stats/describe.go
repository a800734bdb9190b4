package stats

import (
	"fmt"
	"math"
	"slices"
)

// The single-statistic functions below propagate NaN: one NaN in x makes the result NaN.
// Describe is the one function that skips NaN, and it says how many it skipped.
// DropNaN makes the choice explicit for other callers.

// DropNaN returns the values of x that are not NaN, in order, in a new slice.
func DropNaN(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// Mean returns the arithmetic mean Σx/n; NaN for an empty x or when x holds a NaN.
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// SD returns the sample standard deviation √(Σ(x - x̄)²/(n - 1)) (R's sd, numpy's
// std(ddof=1)), computed in two passes with a compensation term; NaN when n < 2 or x holds
// a NaN.
func SD(x []float64) float64 {
	n := len(x)
	if n < 2 {
		return math.NaN()
	}
	m := Mean(x)
	var ss, comp float64
	for _, v := range x {
		d := v - m
		ss += d * d
		comp += d
	}
	return math.Sqrt((ss - comp*comp/float64(n)) / float64(n-1))
}

// centralMoments returns the population central moments m2, m3, m4 (divided by n).
func centralMoments(x []float64) (m2, m3, m4 float64) {
	m := Mean(x)
	for _, v := range x {
		d := v - m
		d2 := d * d
		m2 += d2
		m3 += d2 * d
		m4 += d2 * d2
	}
	n := float64(len(x))
	return m2 / n, m3 / n, m4 / n
}

// Skewness returns the moment skewness g1 = m3/m2^(3/2), with m_r = Σ(x - x̄)^r/n the
// population central moments: PerformanceAnalytics' skewness(method = "moment"),
// scipy.stats.skew(bias=True). NaN when n < 2, x holds a NaN, or x is constant.
func Skewness(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	m2, m3, _ := centralMoments(x)
	if m2 == 0 {
		return math.NaN()
	}
	return m3 / math.Pow(m2, 1.5)
}

// ExcessKurtosis returns the moment excess kurtosis g2 = m4/m2² - 3, with m_r the
// population central moments: PerformanceAnalytics' kurtosis(method = "excess"),
// scipy.stats.kurtosis(fisher=True, bias=True). It is 0 for a normal population. NaN when
// n < 2, x holds a NaN, or x is constant.
func ExcessKurtosis(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	m2, _, m4 := centralMoments(x)
	if m2 == 0 {
		return math.NaN()
	}
	return m4/(m2*m2) - 3
}

// HitRate returns the share of observations strictly greater than zero; NaN for an empty
// x or when x holds a NaN.
func HitRate(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	h := 0
	for _, v := range x {
		if math.IsNaN(v) {
			return math.NaN()
		}
		if v > 0 {
			h++
		}
	}
	return float64(h) / float64(len(x))
}

// MeanTStat returns the t statistic of the mean against zero, x̄/(s/√n) with s the sample
// standard deviation (iid assumption; for serially correlated data regress on a constant
// and use Fit.HAC). NaN when n < 2 or x holds a NaN.
func MeanTStat(x []float64) float64 {
	return Mean(x) / (SD(x) / math.Sqrt(float64(len(x))))
}

// Quantile returns the p-quantile of x by R's default type 7 (numpy's "linear"):
// with the sorted values x₍₁₎ ≤ … ≤ x₍ₙ₎ and h = (n - 1)p, it is
// x₍⌊h⌋+1₎ + (h - ⌊h⌋)(x₍⌊h⌋+2₎ - x₍⌊h⌋+1₎). x need not be sorted (Quantile sorts a copy).
// NaN for an empty x or when x holds a NaN. A p outside [0, 1] panics.
func Quantile(p float64, x []float64) float64 {
	if slices.ContainsFunc(x, math.IsNaN) {
		return math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	return QuantileSorted(p, s)
}

// QuantileSorted is Quantile for x already sorted in increasing order (not checked).
func QuantileSorted(p float64, sorted []float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("stats: quantile probability %v outside [0, 1]", p))
	}
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// Median returns the type-7 median Quantile(0.5, x): the middle value, or the mean of the
// two middle values when n is even.
func Median(x []float64) float64 { return Quantile(0.5, x) }

// Summary is the descriptive summary of a sample, see Describe.
type Summary struct {
	N              int     // observations used (not NaN)
	Missing        int     // NaN observations skipped
	Mean           float64 // arithmetic mean
	Median         float64 // type-7 median
	SD             float64 // sample standard deviation (n - 1)
	Min, Max       float64 // extremes
	Skewness       float64 // moment skewness g1 = m3/m2^(3/2)
	ExcessKurtosis float64 // moment excess kurtosis g2 = m4/m2² - 3
	HitRate        float64 // share of observations > 0
	TStat          float64 // Mean/(SD/√N), iid t statistic of the mean
}

// Describe summarises x, SKIPPING NaN values (their count is Summary.Missing). The
// statistics are those of Mean, Median, SD, Skewness, ExcessKurtosis, HitRate and
// MeanTStat on the remaining values; statistics that need more observations than there
// are are NaN (Min and Max are NaN when N = 0).
func Describe(x []float64) Summary {
	v := DropNaN(x)
	s := Summary{N: len(v), Missing: len(x) - len(v)}
	s.Mean = Mean(v)
	s.SD = SD(v)
	s.Skewness = Skewness(v)
	s.ExcessKurtosis = ExcessKurtosis(v)
	s.HitRate = HitRate(v)
	s.TStat = MeanTStat(v)
	slices.Sort(v) // after the sums, so they add in the order of x as Mean(x) does
	s.Median = QuantileSorted(0.5, v)
	s.Min, s.Max = math.NaN(), math.NaN()
	if len(v) > 0 {
		s.Min, s.Max = v[0], v[len(v)-1]
	}
	return s
}
