package sweep

import "math"

// EulerGamma is the Euler-Mascheroni constant.
const EulerGamma = 0.5772156649015329

// ExpectedMaxSharpe returns SR0, the expected maximum of n per-period Sharpe ratios
// estimated by trials with no skill whose estimates vary with variance v (Bailey and
// López de Prado 2014, "The Deflated Sharpe Ratio", eq. 8, from the False Strategy
// Theorem):
//
//	SR0 = sqrt(v) * ((1-γ) Φ⁻¹(1 - 1/n) + γ Φ⁻¹(1 - 1/(n e)))
//
// with γ the Euler-Mascheroni constant and Φ⁻¹ the standard normal quantile. It is 0
// for n <= 1 (one trial is not a selection) or v <= 0.
func ExpectedMaxSharpe(n int, v float64) float64 {
	if n <= 1 || !(v > 0) {
		return 0
	}
	N := float64(n)
	return math.Sqrt(v) * ((1-EulerGamma)*normQuantile(1-1/N) + EulerGamma*normQuantile(1-1/(N*math.E)))
}

// ProbabilisticSharpe returns PSR(sr0), the probability that the true per-period
// Sharpe ratio exceeds sr0 given an estimate sr from t returns with skewness skew and
// (non-excess) kurtosis kurt (Bailey and López de Prado 2012; 2014 eq. 9):
//
//	PSR = Φ( (sr - sr0) sqrt(t-1) / sqrt(1 - skew·sr + (kurt-1)/4 · sr²) )
//
// NaN when the variance term is not positive or t < 2.
func ProbabilisticSharpe(sr, sr0 float64, t int, skew, kurt float64) float64 {
	den := 1 - skew*sr + (kurt-1)/4*sr*sr
	if t < 2 || !(den > 0) {
		return math.NaN()
	}
	return normCDF((sr - sr0) * math.Sqrt(float64(t-1)) / math.Sqrt(den))
}

// DeflatedSharpe returns DSR = PSR(SR0) with SR0 = ExpectedMaxSharpe(n, v): the
// probability that a trial's true Sharpe ratio is positive after allowing for the
// n trials its selection was made from (Bailey and López de Prado 2014, eq. 10). All
// Sharpe ratios are per period (not annualised); v is the variance across trials of
// their per-period Sharpe ratios.
func DeflatedSharpe(sr float64, t int, skew, kurt float64, n int, v float64) float64 {
	return ProbabilisticSharpe(sr, ExpectedMaxSharpe(n, v), t, skew, kurt)
}

func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// normQuantile is Φ⁻¹(p) through the inverse error function (relative error near
// machine precision for the p of interest here, 0.5 < p < 1 - 1e-12).
func normQuantile(p float64) float64 {
	if p <= 0 {
		return math.Inf(-1)
	}
	if p >= 1 {
		return math.Inf(1)
	}
	if p < 0.5 {
		return -math.Sqrt2 * math.Erfcinv(2*p)
	}
	return math.Sqrt2 * math.Erfcinv(2*(1-p))
}
