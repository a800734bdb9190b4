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

// Mean returns the arithmetic mean Σx/n, computed as R's mean does: the plain sum divided
// by n, then one refinement pass that adds Σ(x - m)/n. The pass makes the mean of a
// constant series that constant (0.1, 0.1, 0.1 sums to 0.30000000000000004), so the
// deviations from it are exactly zero, and keeps results equal to R's to the last bits for
// typical return series. NaN for an empty x or when x holds a NaN.
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	n := float64(len(x))
	s := 0.0
	for _, v := range x {
		s += v
	}
	m := s / n
	if math.IsInf(m, 0) || math.IsNaN(m) {
		return m
	}
	t := 0.0
	for _, v := range x {
		t += v - m
	}
	return m + t/n
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

// CentralMoments returns the mean of x and its population central moments
// m_r = Σ(x - x̄)^r/n for r = 2, 3, 4, the ingredients of Skewness, ExcessKurtosis and of
// moment-based risk measures (Cornish-Fisher VaR). NaN for an empty x or when x holds a NaN.
func CentralMoments(x []float64) (mean, m2, m3, m4 float64) {
	mean = Mean(x)
	for _, v := range x {
		d := v - mean
		d2 := d * d
		m2 += d2
		m3 += d2 * d
		m4 += d2 * d2
	}
	n := float64(len(x))
	return mean, m2 / n, m3 / n, m4 / n
}

// Skewness returns the moment skewness g1 = m3/m2^(3/2), with m_r = Σ(x - x̄)^r/n the
// population central moments: PerformanceAnalytics' skewness(method = "moment"),
// scipy.stats.skew(bias=True). NaN when n < 2, x holds a NaN, or x is constant.
func Skewness(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	_, m2, m3, _ := CentralMoments(x)
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
	_, m2, _, m4 := CentralMoments(x)
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
// (1 - f)·x₍⌊h⌋+1₎ + f·x₍⌊h⌋+2₎ with f = h - ⌊h⌋, R's formula. x need not be sorted
// (Quantile sorts a copy). NaN for an empty x or when x holds a NaN. A p outside [0, 1]
// panics.
func Quantile(p float64, x []float64) float64 { return QuantileType(p, x, 7) }

// QuantileSorted is Quantile for x already sorted in increasing order (not checked).
func QuantileSorted(p float64, sorted []float64) float64 { return QuantileSortedType(p, sorted, 7) }

// QuantileType returns R's quantile(x, p, type = typ) for typ 1..9, Hyndman and Fan's
// (1996) definitions as R 4.2 implements them, including its 4ε fuzz on the index. Type 7
// is Quantile; PerformanceAnalytics uses it for historical VaR. x need not be sorted
// (QuantileType sorts a copy). NaN for an empty x or when x holds a NaN. It panics if typ
// is not 1..9 or p is outside [0, 1].
func QuantileType(p float64, x []float64, typ int) float64 {
	if slices.ContainsFunc(x, math.IsNaN) {
		return math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	return QuantileSortedType(p, s, typ)
}

// QuantileSortedType is QuantileType for x already sorted in increasing order (not
// checked).
func QuantileSortedType(p float64, sorted []float64, typ int) float64 {
	if typ < 1 || typ > 9 {
		panic(fmt.Sprintf("stats: quantile type %d (want 1..9)", typ))
	}
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("stats: quantile probability %v outside [0, 1]", p))
	}
	s := sorted
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	fn := float64(n)
	if typ == 7 {
		index := 1 + float64(n-1)*p // 1-based
		lo := math.Floor(index)
		hi := math.Ceil(index)
		q := s[int(lo)-1]
		if index > lo {
			xh := s[int(hi)-1]
			if xh != q { // equal neighbours (even infinite ones) need no interpolation
				h := index - lo
				q = (1-h)*q + h*xh
			}
		}
		return q
	}
	const fuzz = 4 * 2.220446049250313e-16
	var j, h float64
	if typ <= 3 {
		nppm := fn * p
		if typ == 3 {
			nppm -= 0.5
		}
		j = math.Floor(nppm + fuzz)
		switch typ {
		case 1:
			h = b2f(nppm > j)
		case 2:
			h = (b2f(nppm > j) + 1) / 2
		case 3:
			h = b2f(nppm != j || math.Mod(j, 2) == 1)
		}
	} else {
		var a, b float64
		switch typ {
		case 4:
			a, b = 0, 1
		case 5:
			a, b = 0.5, 0.5
		case 6:
			a, b = 0, 0
		case 8:
			a, b = 1.0/3, 1.0/3
		case 9:
			a, b = 3.0/8, 3.0/8
		}
		nppm := a + p*(fn+1-a-b)
		j = math.Floor(nppm + fuzz)
		h = nppm - j
		if math.Abs(h) < fuzz {
			h = 0
		}
	}
	// R pads x as c(x[1], x[1], x, x[n], x[n]) and reads x[j+2], x[j+3] (1-based),
	// that is the order statistics j and j+1 clamped to 1..n.
	at := func(k float64) float64 {
		i := min(max(int(k), 1), n)
		return s[i-1]
	}
	lo, hi := at(j), at(j+1)
	switch {
	case h == 1:
		return hi
	case h > 0 && h < 1 && lo != hi:
		return (1-h)*lo + h*hi
	}
	return lo
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
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
