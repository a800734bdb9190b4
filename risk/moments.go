package risk

import (
	"fmt"
	"math"
	"slices"
)

// clean returns r without its NaN values (PA's na.omit). It returns r itself, without
// copying, when r has no NaN.
func clean(r []float64) []float64 {
	k := 0
	for _, v := range r {
		if v != v {
			break
		}
		k++
	}
	if k == len(r) {
		return r
	}
	out := make([]float64, k, len(r))
	copy(out, r[:k])
	for _, v := range r[k:] {
		if v == v {
			out = append(out, v)
		}
	}
	return out
}

// cleanPair drops every period in which a or b is NaN, as na.omit(merge(a, b)) does.
func cleanPair(a, b []float64) ([]float64, []float64) {
	mustSameLen("a", len(a), "b", len(b))
	ok := true
	for i := range a {
		if a[i] != a[i] || b[i] != b[i] {
			ok = false
			break
		}
	}
	if ok {
		return a, b
	}
	ca := make([]float64, 0, len(a))
	cb := make([]float64, 0, len(b))
	for i := range a {
		if a[i] == a[i] && b[i] == b[i] {
			ca = append(ca, a[i])
			cb = append(cb, b[i])
		}
	}
	return ca, cb
}

func mustSameLen(an string, a int, bn string, b int) {
	if a != b {
		panic(fmt.Sprintf("risk: %s has %d values but %s has %d", an, a, bn, b))
	}
}

// mean is the arithmetic mean with one refinement pass, as R's mean does with its
// long-double accumulator; it keeps results equal to R's to the last bits for
// typical return series.
func mean(x []float64) float64 {
	n := float64(len(x))
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	m := s / n
	if math.IsInf(m, 0) || m != m {
		return m
	}
	t := 0.0
	for _, v := range x {
		t += v - m
	}
	return m + t/n
}

// centralMoments returns the mean and the population central moments m2, m3, m4
// (sums divided by n).
func centralMoments(x []float64) (mu, m2, m3, m4 float64) {
	mu = mean(x)
	for _, v := range x {
		d := v - mu
		d2 := d * d
		m2 += d2
		m3 += d2 * d
		m4 += d2 * d2
	}
	n := float64(len(x))
	return mu, m2 / n, m3 / n, m4 / n
}

// Mean returns the arithmetic mean of the non-missing values of r (NaN if there are none).
func Mean(r []float64) float64 { return mean(clean(r)) }

// StdDev returns the sample standard deviation (divisor n-1) of the non-missing
// values of r, as R's sd does; NaN with fewer than two values.
func StdDev(r []float64) float64 { return sd(clean(r)) }

func sd(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	m := mean(x)
	s := 0.0
	for _, v := range x {
		d := v - m
		s += d * d
	}
	return math.Sqrt(s / float64(len(x)-1))
}

// Skewness returns the moment skewness m3/m2^(3/2) with population moments:
// PerformanceAnalytics' skewness(method = "moment"), its default. NaN with fewer than
// two values.
func Skewness(r []float64) float64 {
	x := clean(r)
	if len(x) < 2 {
		return math.NaN()
	}
	_, m2, m3, _ := centralMoments(x)
	return m3 / math.Pow(m2, 1.5)
}

// ExcessKurtosis returns m4/m2^2 - 3 with population moments: PerformanceAnalytics'
// kurtosis(method = "excess"), its default. NaN with fewer than two values.
func ExcessKurtosis(r []float64) float64 {
	x := clean(r)
	if len(x) < 2 {
		return math.NaN()
	}
	_, m2, _, m4 := centralMoments(x)
	return m4/(m2*m2) - 3
}

// Quantile returns R's quantile(x, p, type = typ) for typ 1..9 (Hyndman and Fan's
// definitions as implemented in R 4.2, including its 4*eps fuzz). Type 7, R's
// default and PerformanceAnalytics' choice for historical VaR, interpolates linearly
// between order statistics (numpy's "linear"). NaN values are ignored; NaN for an
// empty input. It panics if typ is not 1..9 or p is outside [0, 1].
func Quantile(x []float64, p float64, typ int) float64 {
	if typ < 1 || typ > 9 {
		panic(fmt.Sprintf("risk: quantile type %d (want 1..9)", typ))
	}
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("risk: quantile probability %v outside [0, 1]", p))
	}
	s := slices.Clone(clean(x))
	if len(s) == 0 {
		return math.NaN()
	}
	slices.Sort(s)
	return quantileSorted(s, p, typ)
}

func quantileSorted(s []float64, p float64, typ int) float64 {
	n := len(s)
	fn := float64(n)
	if typ == 7 {
		index := 1 + float64(n-1)*p // 1-based
		lo := math.Floor(index)
		hi := math.Ceil(index)
		q := s[int(lo)-1]
		if index > lo {
			xh := s[int(hi)-1]
			if xh != q {
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
		i := int(k)
		if i < 1 {
			i = 1
		}
		if i > n {
			i = n
		}
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

// qnorm is the standard normal quantile function (R's qnorm). Go's math.Erfinv uses
// Wichura's AS241 rational approximations, the same algorithm as R, so the two agree
// to a few ulps.
func qnorm(p float64) float64 {
	if p < 0.5 {
		return -math.Sqrt2 * math.Erfinv(1-2*p)
	}
	return math.Sqrt2 * math.Erfinv(2*p-1)
}

// dnorm is the standard normal density.
func dnorm(x float64) float64 {
	return math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi)
}
