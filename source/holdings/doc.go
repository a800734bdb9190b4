// Package holdings parses who owns what: iShares fund holdings files (IWM, IVV), the
// datahub S&P 500 constituents files, and the CSV book a user writes for their own
// positions.
//
// Weights leave this package as decimals (0.0715 = 7.15%); the iShares "Weight (%)"
// column is divided by 100 here and nowhere else. Source markers for n/a ("-", empty
// cells) become NaN for numbers and "" for text. Cash, money-market, collateral and
// futures lines are kept but never mixed into equities: Fund.Equities and
// Fund.NonEquity split them by asset class.
//
// Every parser returns a *source.ParseError naming file, line and field for bad input,
// and never panics. holdings never touches the network, the clock or any file it was
// not handed as an io.Reader; it does not decide what a weight means for an analysis.
package holdings
