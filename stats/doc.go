// Package stats holds the statistics ratecycle's analyses share: ordinary least squares
// with nonrobust and Newey-West (HAC) covariances, regime-mean regressions and their
// differences, the stationary block bootstrap, and descriptive statistics.
//
// It works on plain float64 slices, gonum style: a function per statistic, with the formula
// and the convention in its doc comment. Conventions follow named peers so that every
// number can be checked against them: regressions and HAC errors follow Python statsmodels
// 0.13 (and R sandwich), quantiles follow R type 7 (numpy's default; QuantileType gives R's
// nine types), means follow R's mean (with its refinement pass), skewness and kurtosis
// follow PerformanceAnalytics' "moment" and "excess" methods (scipy's bias=True estimators).
// The tests compare against those peers' own outputs, stored with the scripts that made them
// in testdata/.
//
// Length mismatches and impossible arguments (a negative lag, a confidence level outside
// (0, 1)) are programming errors and panic. Bad data (NaN where none is allowed, too few
// observations, a singular design) is reported as an error that wraps ErrMissing,
// ErrTooFew or ErrSingular.
//
// stats never does I/O, never reads the clock and keeps no global state: randomness comes
// only from the seed a caller passes.
package stats

import "errors"

// Errors for bad data. Functions wrap them with context; test with errors.Is.
var (
	// ErrMissing reports a NaN (or infinite value) where the statistic needs a number.
	ErrMissing = errors.New("missing value")
	// ErrTooFew reports fewer observations than the statistic needs.
	ErrTooFew = errors.New("too few observations")
	// ErrSingular reports a regression design whose columns are linearly dependent.
	ErrSingular = errors.New("singular design")
)
