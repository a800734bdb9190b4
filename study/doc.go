// Package study holds ratecycle's event studies, regime statistics and
// relative-performance records: what did a series do around Fed moves (or any dates),
// in easing, tightening and hold regimes, and over a given period.
//
// # Event-study conventions
//
// Events are announcement dates. Trading days are the dates of the data itself (the
// dates on which the asset, and the benchmark when there is one, both have a value).
// Day 0 is the first trading day on or after the announcement: FOMC decisions come at
// 2 pm Eastern, so the close of day 0 already reflects them (a decision announced on a
// Sunday, such as 2020-03-15, has day 0 on the Monday).
//
// A window a:b runs from a start close to an end close, and a window return is the
// buy-and-hold return between them. Bounds carry a unit: d (trading days), w (calendar
// weeks), m (calendar months); a bare number counts periods of the data (trading days
// on daily data, months on monthly data). On daily data:
//
//   - a start bound of 0 is the close of day -1 (the trading day before the
//     announcement), so a window that starts at 0 includes the announcement reaction;
//   - an end bound of 0 is the close of day 0;
//   - k trading days: a start bound k is the close of day k-1, an end bound k the close
//     of day k, so 0:1d is the two-day return over days 0 and 1 (CAR[0,1] in the
//     literature) and a:b covers days a..b inclusive;
//   - k weeks or months (k ≠ 0): the close of the last trading day on or before the
//     announcement date shifted by 7k days or k calendar months (AddMonths clamps the
//     day to the month's end). So 0:1m runs from the close before the announcement to
//     the close one calendar month after it, and 0:1m, 1m:3m chain without a gap.
//
// On monthly data (returns dated at month ends, as the Ken French files are) the event
// month m is the month containing the announcement, and month offsets count from the
// end of month m-1: a bound of k months (start or end) is the end of month m-1+k, so
// 0:1m is the return of month m, 0:12m the twelve months m..m+11, and -1m:0 the month
// before the event. Bare period bounds count like trading days (a:b covers months
// m+a..m+b), which is how estimation windows such as -60:-1 are written. Day and week
// units need daily data.
//
// A window whose end lies after the data's last date (or whose start lies before its
// first) is incomplete: the event is reported with the reason and left out of the
// summary, never extrapolated.
//
// Simple excess returns are the buy-and-hold return of the asset minus that of the
// benchmark over the same window (a BHAR with the benchmark as the expected return).
// The market model (study/marketmodel) estimates alpha and beta on an estimation window
// of per-period returns and reports abnormal returns, CAR, BHAR and their t.
//
// Statistics over events print n, and a summary over fewer than MinEvents events says
// "too few to conclude". Bootstrap intervals treat events as independent draws (the iid
// bootstrap of the mean); windows of events that overlap in time (all cuts of one
// cycle with a 12-month window) are not independent, so t and intervals then overstate
// precision: the output says so.
//
// # Regime statistics
//
// Regimes splits one return series by a label per observation and estimates every
// regime's mean in ONE OLS of the returns on regime dummies over the whole sample with
// Newey-West errors (stats.RegimeOLS), so each regime's t and every difference's t use
// the autocorrelation of the whole series. The default lag is stats.NeweyWestLags(n) =
// floor(4·(n/100)^(2/9)).
//
// study never reads files, touches the network or looks at the clock: it is given
// series, dates and labels. Parsers here (ParseLabels) read bytes they are handed.
package study
