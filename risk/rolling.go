package risk

import (
	"fmt"
	"math"

	"github.com/ratecycle/ratecycle/series"
)

// Rolling applies f to every window of `window` consecutive values of r and returns
// a slice as long as r: out[i] = f(r[i-window+1 : i+1]) for i >= window-1 and NaN
// before (zoo's rollapply with align = "right", fill = NA). f receives a subslice of
// r and must neither keep nor modify it. Missing values are passed through; the
// metric functions of this package ignore them. It panics if window < 1.
func Rolling(r []float64, window int, f func([]float64) float64) []float64 {
	if window < 1 {
		panic(fmt.Sprintf("risk: rolling window %d (want at least 1)", window))
	}
	out := make([]float64, len(r))
	for i := range out {
		if i+1 < window {
			out[i] = math.NaN()
			continue
		}
		out[i] = f(r[i+1-window : i+1])
	}
	return out
}

// RollingVolatility returns the annualised standard deviation of s over each window
// of `window` observations, dated at the window's last observation. Missing values of
// s are dropped first, so every window holds `window` observations. scale 0 means
// s.Freq.PeriodsPerYear(). The error wraps ErrTooShort when s has fewer than window
// observations.
func RollingVolatility(s *series.Series, window, scale int) (*series.Series, error) {
	scale, err := rollingScale(s, window, scale)
	if err != nil {
		return nil, err
	}
	d, v := dropMissing(s.Dates, s.Values)
	return rollingOut(s, "vol", window, "annualised volatility", d, v, func(lo, hi int) float64 {
		return AnnualizedStdDev(v[lo:hi], scale)
	})
}

// RollingSharpe returns SharpeAnnualized of s over each window of `window`
// observations with a constant per-period risk-free rate rf and convention c, dated
// at the window's last observation. See RollingVolatility for missing values, scale
// and errors.
func RollingSharpe(s *series.Series, window, scale int, rf float64, c SharpeConvention) (*series.Series, error) {
	scale, err := rollingScale(s, window, scale)
	if err != nil {
		return nil, err
	}
	var rfs []float64
	if rf != 0 {
		rfs = []float64{rf}
	}
	d, v := dropMissing(s.Dates, s.Values)
	return rollingOut(s, "sharpe", window, "annualised Sharpe ratio ("+c.String()+")", d, v, func(lo, hi int) float64 {
		return SharpeAnnualized(v[lo:hi], rfs, scale, c)
	})
}

// RollingBeta returns the CAPM beta of asset against bench over each window of
// `window` common observations (dates present in both, neither value missing), with a
// constant per-period risk-free rate rf, dated at the window's last date. The error
// wraps ErrTooShort when there are fewer than window common observations.
func RollingBeta(asset, bench *series.Series, window int, rf float64) (*series.Series, error) {
	if window < 2 {
		return nil, fmt.Errorf("rolling beta of %s: window %d (want at least 2)", asset.Name, window)
	}
	f := series.Align(series.Inner, asset, bench).DropNaN()
	a, b := f.Cols[0], f.Cols[1]
	var rfs []float64
	if rf != 0 {
		rfs = []float64{rf}
	}
	return rollingOut(asset, "beta vs "+bench.Name, window, "CAPM beta against "+bench.Name, f.Dates, a, func(lo, hi int) float64 {
		return Beta(a[lo:hi], b[lo:hi], rfs)
	})
}

func rollingScale(s *series.Series, window, scale int) (int, error) {
	if window < 2 {
		return 0, fmt.Errorf("rolling statistic of %s: window %d (want at least 2)", s.Name, window)
	}
	if scale == 0 {
		scale = s.Freq.PeriodsPerYear()
	}
	if scale < 1 {
		return 0, fmt.Errorf("rolling statistic of %s: %s series has no periods-per-year scale; give one", s.Name, s.Freq)
	}
	return scale, nil
}

func dropMissing(dates []series.Date, v []float64) ([]series.Date, []float64) {
	d := make([]series.Date, 0, len(v))
	x := make([]float64, 0, len(v))
	for i, val := range v {
		if val == val {
			d = append(d, dates[i])
			x = append(x, val)
		}
	}
	return d, x
}

func rollingOut(src *series.Series, what string, w int, unit string, dates []series.Date, v []float64, f func(lo, hi int) float64) (*series.Series, error) {
	if len(v) < w {
		return nil, fmt.Errorf("rolling %s of %s over %d periods: %d observations: %w", what, src.Name, w, len(v), ErrTooShort)
	}
	out := &series.Series{
		Name:   fmt.Sprintf("%s %s %d", src.Name, what, w),
		Kind:   series.KindLevel,
		Freq:   src.Freq,
		Dates:  make([]series.Date, 0, len(v)-w+1),
		Values: make([]float64, 0, len(v)-w+1),
		Prov:   src.Prov,
	}
	out.Prov.Unit = unit
	out.Prov.Note = fmt.Sprintf("rolling %d-period %s of %s (risk package)", w, unit, src.Name)
	for hi := w; hi <= len(v); hi++ {
		out.Dates = append(out.Dates, dates[hi-1])
		out.Values = append(out.Values, f(hi-w, hi))
	}
	return out, nil
}
