package risk

import (
	"fmt"
	"math"
)

// CumulativeReturn returns prod(1+r) - 1 over the non-missing values of r
// (PA's Return.cumulative, geometric). It is 0 for an empty input.
func CumulativeReturn(r []float64) float64 {
	g := 1.0
	for _, v := range r {
		if v == v {
			g *= 1 + v
		}
	}
	return g - 1
}

// AnnualizedReturn returns the geometric annualised return prod(1+r)^(scale/n) - 1
// over the n non-missing values of r (PA's Return.annualized, geometric = TRUE).
// NaN for an empty input. It panics if scale < 1.
func AnnualizedReturn(r []float64, scale int) float64 {
	mustScale(scale)
	g, n := 1.0, 0
	for _, v := range r {
		if v == v {
			g *= 1 + v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Pow(g, float64(scale)/float64(n)) - 1
}

// AnnualizedReturnArithmetic returns mean(r)*scale (PA's Return.annualized with
// geometric = FALSE).
func AnnualizedReturnArithmetic(r []float64, scale int) float64 {
	mustScale(scale)
	return Mean(r) * float64(scale)
}

// AnnualizedStdDev returns sd(r)*sqrt(scale), sample standard deviation (PA's
// StdDev.annualized). NaN with fewer than two values.
func AnnualizedStdDev(r []float64, scale int) float64 {
	mustScale(scale)
	return StdDev(r) * math.Sqrt(float64(scale))
}

func mustScale(scale int) {
	if scale < 1 {
		panic(fmt.Sprintf("risk: scale %d (want periods per year, e.g. 12 or 252)", scale))
	}
}

// excess returns r - rf with PA's missing-value rule: a period where r, or a
// risk-free series, is NaN is dropped. rf is nil (a zero rate), one per-period rate
// (R recycles it) or a series aligned with r. It also returns the raw returns of the
// kept periods. It panics on any other length of rf.
func excess(r, rf []float64) (x, raw []float64) {
	switch len(rf) {
	case 0:
		raw = clean(r)
		return raw, raw
	case 1:
		raw = clean(r)
		if rf[0] == 0 {
			return raw, raw
		}
		x = make([]float64, len(raw))
		for i, v := range raw {
			x[i] = v - rf[0]
		}
		return x, raw
	}
	mustSameLen("r", len(r), "rf", len(rf))
	raw, f := cleanPair(r, rf)
	x = make([]float64, len(raw))
	for i := range raw {
		x[i] = raw[i] - f[i]
	}
	return x, raw
}

// SharpeConvention selects between the two PerformanceAnalytics definitions of the
// annualised Sharpe ratio. They differ in the numerator (the geometric default of
// SharpeRatio.annualized changed from TRUE in PA 2.0.8 to FALSE in PA 2.1.0) and,
// when the risk-free rate is a series, in the denominator (PA 2.0.8 divided by
// sd(r), PA 2.1.0 by sd(r - rf)). The zero value is PA 2.1.0's default and
// ratecycle's default.
type SharpeConvention struct {
	// Geometric makes the numerator the geometric annualised excess return
	// prod(1 + r - rf)^(scale/n) - 1 instead of mean(r - rf)*scale.
	Geometric bool
	// RawSD makes the denominator the standard deviation of the raw returns r
	// (PA 2.0.8) instead of that of the excess returns r - rf (PA 2.1.0). With a
	// constant risk-free rate the two are equal.
	RawSD bool
}

// Named Sharpe conventions: the defaults of SharpeRatio.annualized in the two
// PerformanceAnalytics releases ratecycle is tested against.
var (
	SharpePA210 = SharpeConvention{}                             // ratecycle's default
	SharpePA208 = SharpeConvention{Geometric: true, RawSD: true} // PA 2.0.8 default
)

// String names the convention the way the CLI prints it.
func (c SharpeConvention) String() string {
	num := "arithmetic"
	if c.Geometric {
		num = "geometric"
	}
	den := "sd(r-rf)"
	if c.RawSD {
		den = "sd(r)"
	}
	return num + " numerator, " + den
}

// SharpeRatio returns the per-period Sharpe ratio mean(r - rf)/sd(r - rf) (PA's
// SharpeRatio with FUN = "StdDev"); with c.RawSD the denominator is sd(r). c.Geometric
// is ignored: a per-period ratio has no annualisation. rf is nil (zero), one
// per-period rate, or a series aligned with r; periods where r or rf is NaN are dropped.
func SharpeRatio(r, rf []float64, c SharpeConvention) float64 {
	x, raw := excess(r, rf)
	den := sd(x)
	if c.RawSD {
		den = sd(raw)
	}
	return mean(x) / den
}

// SharpeAnnualized returns PA's SharpeRatio.annualized(r, Rf = rf, scale, geometric):
// with the zero SharpeConvention (PA 2.1.0) sqrt(scale)*mean(r-rf)/sd(r-rf); with
// Geometric (prod(1+r-rf)^(scale/n) - 1)/(sd*sqrt(scale)). rf is nil (zero), one
// per-period rate, or a series aligned with r.
func SharpeAnnualized(r, rf []float64, scale int, c SharpeConvention) float64 {
	mustScale(scale)
	x, raw := excess(r, rf)
	den := sd(x)
	if c.RawSD {
		den = sd(raw)
	}
	s := float64(scale)
	if c.Geometric {
		g := 1.0
		for _, v := range x {
			g *= 1 + v
		}
		return (math.Pow(g, s/float64(len(x))) - 1) / (den * math.Sqrt(s))
	}
	return mean(x) * s / (den * math.Sqrt(s))
}

// DownsideDeviation returns sqrt(sum(min(r - mar, 0)^2)/n), per period, where n
// counts ALL non-missing observations, not only those below mar (PA's
// DownsideDeviation(R, MAR, method = "full")). NaN for an empty input.
func DownsideDeviation(r []float64, mar float64) float64 {
	x := clean(r)
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		if d := v - mar; d < 0 {
			s += d * d
		}
	}
	return math.Sqrt(s / float64(len(x)))
}

// SortinoRatio returns mean(r - mar)/DownsideDeviation(r, mar), per period, not
// annualised (PA's SortinoRatio). It is +Inf when no return is below mar, as in PA.
func SortinoRatio(r []float64, mar float64) float64 {
	x := clean(r)
	return (mean(x) - mar) / DownsideDeviation(x, mar)
}
