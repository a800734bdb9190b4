// Package valuation measures how cheap small caps are against large caps: the relative
// book-to-market of a small-cap leg over a big-cap leg built from Fama/French size x
// book-to-market portfolios, where it stands in its own history (z-score, percentile,
// median and 10th/90th percentiles), and the "discount to fair value" against the
// long-run median. It also places any level series (Shiller's CAPE) in its history.
//
// Two monthly constructions are offered, because the French files' book-to-market is
// an annual quantity:
//
//   - Rolled (the default): each June-t formation's book-to-market ("Value Weight
//     Average of BE_FYt-1/ME_June t", read in the July-t row) is rolled forward month by
//     month with the portfolio's value-weighted return, so the ratio follows prices:
//     B/M(m) = Σ BM0·ME0 / Σ ME0·G(m), where ME0 is a portfolio's market cap at
//     formation (number of firms x average market cap in the July row, which the files
//     measure at the end of June) and G(m) its cumulative return from July t to m.
//     That is aggregate book over aggregate current market value, Σ BE / Σ ME(m).
//   - Published: the files' "Value Weight Average of BE/ME" as it is, combined across
//     portfolios with start-of-month market caps. Its per-firm ratios are fixed at the
//     December t-1 price for a whole year; only the weights move with prices, so it lags
//     the market by six to eighteen months.
//
// valuation is pure: it is given aligned monthly columns and returns numbers. It never
// reads files, looks at the clock or keeps state.
package valuation

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/stats"
)

// Method is a construction of monthly book-to-market.
type Method string

const (
	// Rolled rolls each June formation's book-to-market forward with returns.
	Rolled Method = "rolled"
	// Published uses the files' monthly "Value Weight Average of BE/ME" section as is.
	Published Method = "published"
)

// ParseMethod accepts "rolled" and "published".
func ParseMethod(s string) (Method, error) {
	switch m := Method(s); m {
	case Rolled, Published:
		return m, nil
	}
	return "", fmt.Errorf("unknown valuation method %q (want rolled or published)", s)
}

// Portfolio is one size x book-to-market portfolio's monthly columns, aligned on the
// dates the caller passes with it. Every slice has one value per date; NaN is missing.
type Portfolio struct {
	Name   string
	BMDec  []float64 // "Value Weight Average of BE/ME" (book FY t-1 over ME Dec t-1)
	BMJune []float64 // "Value Weight Average of BE_FYt-1/ME_June t"
	Firms  []float64 // "Number of Firms in Portfolios"
	AvgCap []float64 // "Average Market Cap" ($ million, end of the previous month)
	Return []float64 // value-weighted return in the month, decimal
}

// ErrNoData is wrapped when a leg has no usable month.
var ErrNoData = errors.New("no usable observations")

// LegBM returns the leg's monthly book-to-market by method m: the portfolios combined
// by market capitalisation (number of firms x average market cap). dates must be month
// ends, increasing; every portfolio's columns have len(dates) values (a mismatch
// panics). A month where no portfolio has the needed values is NaN.
func LegBM(m Method, dates []series.Date, leg []Portfolio) []float64 {
	for _, p := range leg {
		n := len(dates)
		if len(p.Firms) != n || len(p.AvgCap) != n ||
			(m == Published && len(p.BMDec) != n) ||
			(m == Rolled && (len(p.BMJune) != n || len(p.Return) != n)) {
			panic(fmt.Sprintf("valuation: portfolio %q columns do not match %d dates", p.Name, n))
		}
	}
	switch m {
	case Published:
		return publishedBM(dates, leg)
	case Rolled:
		return rolledBM(dates, leg)
	}
	panic(fmt.Sprintf("valuation: unknown method %q", m))
}

// publishedBM is Σ cap·BM / Σ cap with start-of-month caps, the same weights French uses
// inside each portfolio, so the leg value is what one big portfolio would report.
func publishedBM(dates []series.Date, leg []Portfolio) []float64 {
	out := make([]float64, len(dates))
	for i := range dates {
		var num, den float64
		for _, p := range leg {
			w := p.Firms[i] * p.AvgCap[i]
			if ok(w) && ok(p.BMDec[i]) {
				num += w * p.BMDec[i]
				den += w
			}
		}
		out[i] = ratio(num, den)
	}
	return out
}

// rolledBM: at each July row a portfolio's book is BM0·ME0 (ME0 = firms x average cap,
// measured at the end of June) and its market value then grows with its returns; the leg
// is Σ book / Σ market value. A portfolio with a missing formation value or return drops
// out until the next formation. Months before the first July are NaN.
func rolledBM(dates []series.Date, leg []Portfolio) []float64 {
	out := make([]float64, len(dates))
	book := make([]float64, len(leg))
	value := make([]float64, len(leg))
	started := false
	for i, d := range dates {
		if d.Month() == time.July {
			started = true
			for j, p := range leg {
				me0 := p.Firms[i] * p.AvgCap[i]
				book[j], value[j] = math.NaN(), math.NaN()
				if ok(me0) && ok(p.BMJune[i]) {
					book[j], value[j] = p.BMJune[i]*me0, me0
				}
			}
		}
		if !started {
			out[i] = math.NaN()
			continue
		}
		var num, den float64
		for j, p := range leg {
			value[j] *= 1 + p.Return[i] // NaN stays NaN until the next July
			if ok(book[j]) && ok(value[j]) {
				num += book[j]
				den += value[j]
			}
		}
		out[i] = ratio(num, den)
	}
	return out
}

func ok(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) && x > 0 }

func ratio(num, den float64) float64 {
	if den <= 0 {
		return math.NaN()
	}
	return num / den
}

// Window summarises a series over [From, To], its last observation: the current
// value's z-score and percentile in the window, and the window's median and 10th and
// 90th percentiles. Quantiles are R type 7 (numpy's default); the z-score uses the
// sample standard deviation (n-1); Percentile is the share of the window's
// observations at or below the current value (an empirical CDF, so the window's
// maximum is at 1).
type Window struct {
	From, To   series.Date
	N          int
	Mean, SD   float64
	Z          float64
	Percentile float64
	Median     float64
	P10, P90   float64
	Min, Max   float64
	MinAt      series.Date
	MaxAt      series.Date
}

// Describe summarises x (one value per date, NaN skipped) over the dates on or after
// from (series.NoDate for the whole history), placing now in it. It returns ErrNoData
// (wrapped) when fewer than two observations remain.
func Describe(dates []series.Date, x []float64, from series.Date, now float64) (Window, error) {
	if len(dates) != len(x) {
		panic("valuation: Describe dates and values differ in length")
	}
	w := Window{From: series.NoDate, To: series.NoDate, MinAt: series.NoDate, MaxAt: series.NoDate,
		Min: math.Inf(1), Max: math.Inf(-1)}
	vals := make([]float64, 0, len(x))
	for i, d := range dates {
		if (from != series.NoDate && d < from) || math.IsNaN(x[i]) {
			continue
		}
		if w.From == series.NoDate {
			w.From = d
		}
		w.To = d
		vals = append(vals, x[i])
		if x[i] < w.Min {
			w.Min, w.MinAt = x[i], d
		}
		if x[i] > w.Max {
			w.Max, w.MaxAt = x[i], d
		}
	}
	w.N = len(vals)
	if w.N < 2 {
		return w, fmt.Errorf("describe from %s: %d observations: %w", from, w.N, ErrNoData)
	}
	w.Mean, w.SD = stats.Mean(vals), stats.SD(vals)
	w.Z = (now - w.Mean) / w.SD
	sort.Float64s(vals)
	w.Median = stats.QuantileSorted(0.5, vals)
	w.P10 = stats.QuantileSorted(0.1, vals)
	w.P90 = stats.QuantileSorted(0.9, vals)
	w.Percentile = float64(sort.Search(len(vals), func(i int) bool { return vals[i] > now })) / float64(w.N)
	return w, nil
}
