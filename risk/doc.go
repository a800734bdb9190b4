// Package risk computes performance and risk metrics of return series the way R's
// PerformanceAnalytics (PA) does, replays stress windows and runs block-bootstrap
// Monte Carlo simulations.
//
// Returns are decimal period returns (0.0123 = 1.23%). scale is the number of
// periods per year: 12 for monthly data, 252 for daily. Unless a doc comment says
// otherwise every function follows the PerformanceAnalytics 2.1.0 convention of the
// same name, and its test compares it with PA's own output (testdata/README.md):
//
//   - annualised return is geometric, prod(1+r)^(scale/n) - 1;
//   - standard deviations are sample (n-1) ones, annualised by sqrt(scale);
//   - VaR and ES are returned as PA returns them: negative numbers for losses, NaN
//     where PA returns NA (the estimate would be a gain), and -1 where PA caps a
//     loss above 100%;
//   - Gaussian and Cornish-Fisher VaR/ES use the population (n) variance; historical
//     VaR is R's type-7 quantile; historical ES is the mean of returns strictly below it;
//   - the starting wealth of 1 counts as a peak in drawdowns;
//   - the Sortino ratio is per period and DownsideDeviation divides by all n.
//
// Missing values are NaN. Like PA's na.omit, single-series functions ignore NaN
// observations and pair functions (beta, tracking error, ...) ignore every period in
// which either series, or a risk-free series, is NaN. A function whose input is too
// short for the statistic (fewer than two observations for a standard deviation)
// returns NaN; Summary returns ErrTooShort. Slices of different lengths, or
// impossible arguments such as a window of 0, are programmer errors and panic.
//
// Where PA's defaults changed between releases, ratecycle's default is PA 2.1.0's
// and the other is an explicit option: SharpeAnnualized's numerator is arithmetic
// and its denominator sd(r - rf) unless a SharpeConvention says otherwise
// (SharpePA208), and capture ratios compound (Options.CaptureArithmetic for sums).
//
// Where ratecycle departs from PA on purpose the doc comment says so and a test
// pins the difference: Drawdowns returns no row for a series that never falls
// (PA returns a phantom depth-0 row), Drawdown.Depth is not rounded to 4 decimals,
// and Report's JSON writes NA as null and Inf as the string "Inf".
//
// risk is pure: it never reads files, touches the network or looks at the clock,
// and its only randomness is the seeded generator of MonteCarlo.
package risk
