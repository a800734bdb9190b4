package risk

import "math"

// pairExcess aligns ra, rb and rf (nil, one rate, or a series) and returns the
// excess returns of the periods where none is NaN.
func pairExcess(ra, rb, rf []float64) (xa, xb []float64) {
	mustSameLen("ra", len(ra), "rb", len(rb))
	switch len(rf) {
	case 0, 1:
		a, b := cleanPair(ra, rb)
		if len(rf) == 0 || rf[0] == 0 {
			return a, b
		}
		xa = make([]float64, len(a))
		xb = make([]float64, len(b))
		for i := range a {
			xa[i] = a[i] - rf[0]
			xb[i] = b[i] - rf[0]
		}
		return xa, xb
	}
	mustSameLen("ra", len(ra), "rf", len(rf))
	xa, xb = make([]float64, 0, len(ra)), make([]float64, 0, len(ra))
	for i := range ra {
		if ra[i] == ra[i] && rb[i] == rb[i] && rf[i] == rf[i] {
			xa = append(xa, ra[i]-rf[i])
			xb = append(xb, rb[i]-rf[i])
		}
	}
	return xa, xb
}

// CAPMFit is the least-squares fit of ra - rf = Alpha + Beta*(rb - rf) + e.
type CAPMFit struct {
	Alpha    float64 // per period intercept (PA's CAPM.alpha, not annualised)
	Beta     float64 // slope (PA's CAPM.beta, method "LS")
	RSquared float64 // R^2 of the regression
	N        int     // periods used
}

// CAPM regresses the excess returns of ra on those of the benchmark rb by ordinary
// least squares with an intercept, as PA's CAPM.beta and CAPM.alpha do (with
// digits = NULL: PA rounds to 3 digits when given several columns). rf is nil
// (zero), one per-period rate, or a series aligned with ra; periods where any input
// is NaN are dropped. Fields are NaN with fewer than two periods.
func CAPM(ra, rb, rf []float64) CAPMFit {
	xa, xb := pairExcess(ra, rb, rf)
	f := CAPMFit{N: len(xa), Alpha: math.NaN(), Beta: math.NaN(), RSquared: math.NaN()}
	if len(xa) < 2 {
		return f
	}
	ma, mb := mean(xa), mean(xb)
	var sab, sbb, saa float64
	for i := range xa {
		da, db := xa[i]-ma, xb[i]-mb
		sab += da * db
		sbb += db * db
		saa += da * da
	}
	f.Beta = sab / sbb
	f.Alpha = ma - f.Beta*mb
	f.RSquared = sab * sab / (saa * sbb)
	return f
}

// Beta returns CAPM(ra, rb, rf).Beta.
func Beta(ra, rb, rf []float64) float64 { return CAPM(ra, rb, rf).Beta }

// Alpha returns CAPM(ra, rb, rf).Alpha, per period.
func Alpha(ra, rb, rf []float64) float64 { return CAPM(ra, rb, rf).Alpha }

// Correlation returns the Pearson correlation of ra and rb (raw returns), over the
// periods where both are present.
func Correlation(ra, rb []float64) float64 {
	a, b := cleanPair(ra, rb)
	if len(a) < 2 {
		return math.NaN()
	}
	ma, mb := mean(a), mean(b)
	var sab, saa, sbb float64
	for i := range a {
		da, db := a[i]-ma, b[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	return sab / math.Sqrt(saa*sbb)
}

// TrackingError returns sd(ra - rb)*sqrt(scale), sample standard deviation (PA's
// TrackingError).
func TrackingError(ra, rb []float64, scale int) float64 {
	mustScale(scale)
	a, b := cleanPair(ra, rb)
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return sd(d) * math.Sqrt(float64(scale))
}

// ActivePremium returns AnnualizedReturn(ra) - AnnualizedReturn(rb), both geometric,
// over the periods where both are present (PA's ActivePremium).
func ActivePremium(ra, rb []float64, scale int) float64 {
	a, b := cleanPair(ra, rb)
	return AnnualizedReturn(a, scale) - AnnualizedReturn(b, scale)
}

// InformationRatio returns ActivePremium/TrackingError (PA's InformationRatio: the
// numerator is the difference of geometric annualised returns).
func InformationRatio(ra, rb []float64, scale int) float64 {
	return ActivePremium(ra, rb, scale) / TrackingError(ra, rb, scale)
}

// InformationRatioArithmetic returns mean(ra - rb)*scale/TrackingError, the
// arithmetic variant many textbooks use. Not a PA function.
func InformationRatioArithmetic(ra, rb []float64, scale int) float64 {
	a, b := cleanPair(ra, rb)
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return mean(d) * float64(scale) / TrackingError(a, b, scale)
}

// UpDownCapture returns the up- and down-market capture ratios of ra against the
// benchmark rb (PA's UpDownRatios(method = "Capture")): over the periods where rb > 0
// (up) or rb <= 0 (down), the asset's return divided by the benchmark's. With
// geometric (PA 2.1.0's default) both are compounded, prod(1+r)-1; otherwise summed
// (Bacon's ratio of means). NaN for a side with no periods.
func UpDownCapture(ra, rb []float64, geometric bool) (up, down float64) {
	a, b := cleanPair(ra, rb)
	ua, ub, da, db := 0.0, 0.0, 0.0, 0.0
	if geometric {
		ua, ub, da, db = 1, 1, 1, 1
	}
	nu, nd := 0, 0
	for i := range a {
		if b[i] > 0 {
			nu++
			if geometric {
				ua *= 1 + a[i]
				ub *= 1 + b[i]
			} else {
				ua += a[i]
				ub += b[i]
			}
		} else {
			nd++
			if geometric {
				da *= 1 + a[i]
				db *= 1 + b[i]
			} else {
				da += a[i]
				db += b[i]
			}
		}
	}
	if geometric {
		ua, ub, da, db = ua-1, ub-1, da-1, db-1
	}
	up, down = math.NaN(), math.NaN()
	if nu > 0 {
		up = ua / ub
	}
	if nd > 0 {
		down = da / db
	}
	return up, down
}
