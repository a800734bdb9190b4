// Package marketmodel computes the standard market-model event study on aligned return
// slices: a market model (alpha, beta) estimated by OLS over an estimation window before
// each event, abnormal returns over the event window, their cumulative sum (CAR),
// buy-and-hold returns and BHAR, and across events the CAAR with its cross-sectional t test.
//
// Conventions follow the reference script testdata/event_study.R (base R lm; outputs in
// testdata/event_study.json, which the tests match to 1e-8):
//
//   - Windows are counted in ROWS of the aligned return slices, relative to the event row
//     (relative time 0), both ends inclusive. Rows where the asset or the market is missing
//     are dropped BEFORE counting (DropMissing), so a window of 250 rows is 250 observed days.
//   - Returns are raw simple returns; there is no risk-free adjustment.
//   - The estimation window must end before the event window starts.
//
// The package is pure: it is given slices and returns numbers. It never does I/O, never
// reads the clock and knows nothing of dates; callers map rows to dates.
package marketmodel

import (
	"errors"
	"fmt"
	"math"

	"github.com/ratecycle/ratecycle/stats"
)

// ErrWindow reports windows that are malformed or do not fit the data around an event.
var ErrWindow = errors.New("window does not fit")

// Window is an inclusive range of rows relative to the event row: {-250, -11} is the 240
// rows from 250 rows before the event to 11 rows before it.
type Window struct {
	From, To int
}

// Len returns the number of rows in w, To - From + 1.
func (w Window) Len() int { return w.To - w.From + 1 }

// String formats w as [From, To].
func (w Window) String() string { return fmt.Sprintf("[%d, %d]", w.From, w.To) }

// Result is the market-model study of one asset around one event.
type Result struct {
	EventRow   int    // row of the event in the aligned slices (relative time 0)
	Estimation Window // estimation window, relative to EventRow
	Event      Window // event window, relative to EventRow
	NEst       int    // rows in the estimation window

	// Market model R_i = Alpha + Beta·R_m + e, fitted by OLS over the estimation window.
	Alpha, Beta float64
	// SigmaE is the residual standard deviation √(Σe²/(NEst - 2)) (R's summary(lm)$sigma).
	SigmaE float64

	// AR[k] = R_i - (Alpha + Beta·R_m) at relative time Event.From + k.
	AR []float64
	// CARPath[k] = AR[0] + … + AR[k]; CAR = Σ AR over the event window.
	CARPath []float64
	CAR     float64
	// CARTStat = CAR / (SigmaE·√L), L the event-window length: the test of one event's CAR
	// under the model's residual variance, without the estimation-error adjustment.
	CARTStat float64

	// MarketAdjustedCAR = Σ (R_i - R_m) over the event window (beta 1, alpha 0).
	MarketAdjustedCAR float64
	// MeanAdjustedCAR = Σ (R_i - mean of R_i over the estimation window).
	MeanAdjustedCAR float64

	// CumReturnAsset = Π(1 + R_i) - 1 and CumReturnMarket = Π(1 + R_m) - 1, compounded over
	// the event window; CumReturnPath[k] is the asset's compounded return from Event.From to
	// Event.From + k.
	CumReturnAsset, CumReturnMarket float64
	CumReturnPath                   []float64
	// BHAR = Π(1 + R_i) - Π(1 + R_m): the buy-and-hold abnormal return against the MARKET
	// (the reference's definition), not against the market model's expected returns.
	BHAR float64
}

// RelativeTimes returns the relative times Event.From..Event.To of the entries of AR.
func (r *Result) RelativeTimes() []int {
	out := make([]int, 0, r.Event.Len())
	for t := r.Event.From; t <= r.Event.To; t++ {
		out = append(out, t)
	}
	return out
}

// Estimate runs the market-model event study of one event at row event of the aligned
// slices asset and market (simple returns, same length; Estimate panics otherwise):
//
//	alpha, beta = OLS of asset on market over rows event+est.From .. event+est.To
//	AR_t        = asset_t - (alpha + beta·market_t)  for t in event+win.From .. event+win.To
//	CAR         = Σ AR_t,  CARTStat = CAR/(σ_e·√L)
//	BHAR        = Π(1 + asset_t) - Π(1 + market_t)
//
// See Result for every field. Errors: windows with From > To, an estimation window that
// does not end before the event window, or windows reaching outside the slices wrap
// ErrWindow; fewer than 3 estimation rows wrap stats.ErrTooFew; a NaN in the rows used wraps
// stats.ErrMissing (drop missing rows first with DropMissing, as the reference does); a
// constant market return over the estimation window wraps stats.ErrSingular.
func Estimate(asset, market []float64, event int, est, win Window) (*Result, error) {
	if len(asset) != len(market) {
		panic(fmt.Sprintf("marketmodel: Estimate: len(asset) = %d, len(market) = %d", len(asset), len(market)))
	}
	if est.From > est.To || win.From > win.To {
		return nil, fmt.Errorf("marketmodel: estimation window %v, event window %v: From after To: %w", est, win, ErrWindow)
	}
	if est.To >= win.From {
		return nil, fmt.Errorf("marketmodel: estimation window %v does not end before event window %v: %w", est, win, ErrWindow)
	}
	if event+est.From < 0 || event+win.To >= len(asset) {
		return nil, fmt.Errorf("marketmodel: event at row %d with windows %v and %v needs rows %d..%d of %d: %w",
			event, est, win, event+est.From, event+win.To, len(asset), ErrWindow)
	}
	if est.Len() < 3 {
		return nil, fmt.Errorf("marketmodel: estimation window %v has %d rows, need 3: %w", est, est.Len(), stats.ErrTooFew)
	}
	for t := event + est.From; t <= event+win.To; t++ {
		if t > event+est.To && t < event+win.From {
			continue // the gap between the windows is not used
		}
		if !isFinite(asset[t]) || !isFinite(market[t]) {
			return nil, fmt.Errorf("marketmodel: row %d (relative %d): asset %v, market %v: %w",
				t, t-event, asset[t], market[t], stats.ErrMissing)
		}
	}

	ra := asset[event+est.From : event+est.To+1]
	rm := market[event+est.From : event+est.To+1]
	fit, err := stats.OLS(ra, stats.Design(true, rm))
	if err != nil {
		return nil, fmt.Errorf("marketmodel: market model over %v: %w", est, err)
	}
	r := &Result{
		EventRow:   event,
		Estimation: est,
		Event:      win,
		NEst:       est.Len(),
		Alpha:      fit.Params[0],
		Beta:       fit.Params[1],
		SigmaE:     math.Sqrt(fit.Sigma2),
	}
	meanEst := stats.Mean(ra)
	wa := asset[event+win.From : event+win.To+1]
	wm := market[event+win.From : event+win.To+1]
	growA, growM := 1.0, 1.0
	for k := range wa {
		ar := wa[k] - (r.Alpha + r.Beta*wm[k])
		r.AR = append(r.AR, ar)
		r.CAR += ar
		r.CARPath = append(r.CARPath, r.CAR)
		r.MarketAdjustedCAR += wa[k] - wm[k]
		r.MeanAdjustedCAR += wa[k] - meanEst
		growA *= 1 + wa[k]
		growM *= 1 + wm[k]
		r.CumReturnPath = append(r.CumReturnPath, growA-1)
	}
	r.CARTStat = r.CAR / (r.SigmaE * math.Sqrt(float64(win.Len())))
	r.CumReturnAsset = growA - 1
	r.CumReturnMarket = growM - 1
	r.BHAR = growA - growM
	return r, nil
}

// CAAR is the cross-sectional average of event CARs with its t test.
type CAAR struct {
	N    int     // number of events
	CAAR float64 // mean of the CARs
	SD   float64 // sample standard deviation of the CARs (N - 1)
	// T = CAAR/(SD/√N), the cross-sectional t statistic (Brown and Warner 1985): it uses the
	// dispersion of the CARs across events, so it stays valid when event-induced variance
	// differs from the estimation-window variance, but assumes independent events (events on
	// the same dates for several assets are correlated, and T then overstates significance).
	T float64
	// P is the two-sided p-value of T from Student's t(N - 1), scipy.stats.ttest_1samp.
	P float64
}

// Average returns the CAAR of results (the arithmetic mean of their CARs, as the
// reference's CAAR per asset) and its cross-sectional t test. T, P and SD are NaN for
// fewer than 2 events; all fields but N are NaN for none.
func Average(results []*Result) CAAR {
	cars := make([]float64, len(results))
	for i, r := range results {
		cars[i] = r.CAR
	}
	return AverageCARs(cars)
}

// AverageCARs is Average on the CARs themselves.
func AverageCARs(cars []float64) CAAR {
	c := CAAR{N: len(cars), CAAR: stats.Mean(cars), SD: stats.SD(cars)}
	c.T = c.CAAR / (c.SD / math.Sqrt(float64(c.N)))
	c.P = math.NaN()
	if c.N >= 2 {
		c.P = stats.TwoSidedP(c.T, c.N-1)
	}
	return c
}

// DropMissing returns asset and market without the rows where either is NaN, and for each
// kept row its index in the inputs, so callers can map event dates to rows and rows back to
// dates. Windows are then counted in observed rows, as the reference does. len(asset) must
// equal len(market) (DropMissing panics otherwise).
func DropMissing(asset, market []float64) (a, m []float64, rows []int) {
	if len(asset) != len(market) {
		panic(fmt.Sprintf("marketmodel: DropMissing: len(asset) = %d, len(market) = %d", len(asset), len(market)))
	}
	for i := range asset {
		if math.IsNaN(asset[i]) || math.IsNaN(market[i]) {
			continue
		}
		a = append(a, asset[i])
		m = append(m, market[i])
		rows = append(rows, i)
	}
	return a, m, rows
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
