package risk

import (
	"fmt"
	"math"

	"github.com/ratecycle/ratecycle/stats"
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

// mean, sd and centralMoments are stats' Mean (R's mean, with its refinement pass), SD
// (R's sd) and CentralMoments, on values the caller has cleaned of NaN.
func mean(x []float64) float64 { return stats.Mean(x) }

func sd(x []float64) float64 { return stats.SD(x) }

func centralMoments(x []float64) (mu, m2, m3, m4 float64) { return stats.CentralMoments(x) }

// Mean returns the arithmetic mean of the non-missing values of r (NaN if there are none).
func Mean(r []float64) float64 { return mean(clean(r)) }

// StdDev returns the sample standard deviation (divisor n-1) of the non-missing
// values of r, as R's sd does; NaN with fewer than two values.
func StdDev(r []float64) float64 { return sd(clean(r)) }

// Skewness returns the moment skewness m3/m2^(3/2) with population moments of the
// non-missing values of r: PerformanceAnalytics' skewness(method = "moment"), its
// default, and stats.Skewness after na.omit. NaN with fewer than two values or a
// constant r.
func Skewness(r []float64) float64 { return stats.Skewness(clean(r)) }

// ExcessKurtosis returns m4/m2^2 - 3 with population moments of the non-missing values
// of r: PerformanceAnalytics' kurtosis(method = "excess"), its default, and
// stats.ExcessKurtosis after na.omit. NaN with fewer than two values or a constant r.
func ExcessKurtosis(r []float64) float64 { return stats.ExcessKurtosis(clean(r)) }

// Quantile returns R's quantile(x, p, type = typ) for typ 1..9 (Hyndman and Fan's
// definitions as implemented in R 4.2, including its 4*eps fuzz; see
// stats.QuantileType). Type 7, R's default and PerformanceAnalytics' choice for
// historical VaR, interpolates linearly between order statistics (numpy's "linear").
// NaN values are ignored; NaN for an empty input. It panics if typ is not 1..9 or p is
// outside [0, 1].
func Quantile(x []float64, p float64, typ int) float64 {
	return stats.QuantileType(p, clean(x), typ)
}

// quantileSorted is stats.QuantileSortedType with risk's argument order.
func quantileSorted(s []float64, p float64, typ int) float64 {
	return stats.QuantileSortedType(p, s, typ)
}

// qnorm is the standard normal quantile function, computed with Wichura's algorithm
// AS241 (Applied Statistics 37(3), 1988, 477-484; coefficients from the paper), the
// algorithm of R's qnorm, so the two agree to the last bits. Evaluating it on p
// itself (not through math.Erfinv(2p-1)) matters for PA's alpha 1-0.95.
func qnorm(p float64) float64 {
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		num := (((((((2.5090809287301226727e+3*r+
			3.3430575583588128105e+4)*r+
			6.7265770927008700853e+4)*r+
			4.5921953931549871457e+4)*r+
			1.3731693765509461125e+4)*r+
			1.9715909503065514427e+3)*r+
			1.3314166789178437745e+2)*r +
			3.3871328727963666080e+0) * q
		den := (((((((5.2264952788528545610e+3*r+
			2.8729085735721942674e+4)*r+
			3.9307895800092710610e+4)*r+
			2.1213794301586595867e+4)*r+
			5.3941960214247511077e+3)*r+
			6.8718700749205790830e+2)*r+
			4.2313330701600911252e+1)*r + 1.0)
		return num / den
	}
	r := p
	if q > 0 {
		r = 1 - p
	}
	r = math.Sqrt(-math.Log(r))
	var num, den float64
	if r <= 5 {
		r -= 1.6
		num = (((((((7.74545014278341407640e-4*r+
			2.27238449892691845833e-2)*r+
			2.41780725177450611770e-1)*r+
			1.27045825245236838258e+0)*r+
			3.64784832476320460504e+0)*r+
			5.76949722146069140550e+0)*r+
			4.63033784615654529590e+0)*r +
			1.42343711074968357734e+0)
		den = (((((((1.05075007164441684324e-9*r+
			5.47593808499534494600e-4)*r+
			1.51986665636164571966e-2)*r+
			1.48103976427480074590e-1)*r+
			6.89767334985100004550e-1)*r+
			1.67638483018380384940e+0)*r+
			2.05319162663775882187e+0)*r + 1.0)
	} else {
		r -= 5
		num = (((((((2.01033439929228813265e-7*r+
			2.71155556874348757815e-5)*r+
			1.24266094738807843860e-3)*r+
			2.65321895265761230930e-2)*r+
			2.96560571828504891230e-1)*r+
			1.78482653991729133580e+0)*r+
			5.46378491116411436990e+0)*r +
			6.65790464350110377720e+0)
		den = (((((((2.04426310338993978564e-15*r+
			1.42151175831644588870e-7)*r+
			1.84631831751005468180e-5)*r+
			7.86869131145613259100e-4)*r+
			1.48753612908506148525e-2)*r+
			1.36929880922735805310e-1)*r+
			5.99832206555887937690e-1)*r + 1.0)
	}
	x := num / den
	if q < 0 {
		x = -x
	}
	return x
}

// dnorm is the standard normal density.
func dnorm(x float64) float64 {
	return math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi)
}
