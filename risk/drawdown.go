package risk

import (
	"math"
	"slices"

	"github.com/ratecycle/ratecycle/series"
)

// DrawdownSeries returns, for each non-missing return, the wealth w_t = prod(1+r)
// relative to its running peak minus one (PA's Drawdowns, geometric): 0 at a new
// high, negative below it. The starting wealth of 1 counts as a peak.
func DrawdownSeries(r []float64) []float64 {
	x := clean(r)
	out := make([]float64, len(x))
	w, peak := 1.0, 1.0
	for i, v := range x {
		w *= 1 + v
		if w > peak {
			peak = w
		}
		out[i] = w/peak - 1
	}
	return out
}

// MaxDrawdown returns the largest peak-to-trough fall of the wealth prod(1+r), as a
// positive fraction (0.25 = a 25% fall), with the starting wealth of 1 counted as a
// peak (PA's maxDrawdown, geometric, invert = TRUE). It is 0 for a series that never
// falls below a previous high and for an empty input.
func MaxDrawdown(r []float64) float64 {
	return maxDrawdown(r, 1)
}

// MaxDrawdownFirstPeak is MaxDrawdown with the first observation's wealth as the
// first peak instead of the starting wealth of 1. The two differ only when the first
// return is negative and the series does not recover above 1 before its deepest
// trough. PA does not offer it; the suite's pa_metrics.json records it as a variant.
func MaxDrawdownFirstPeak(r []float64) float64 {
	return maxDrawdown(r, math.Inf(-1))
}

func maxDrawdown(r []float64, peak float64) float64 {
	w, worst := 1.0, 0.0
	for _, v := range r {
		if v != v {
			continue
		}
		w *= 1 + v
		if w > peak {
			peak = w
		}
		if d := 1 - w/peak; d > worst {
			worst = d
		}
	}
	return worst
}

// CalmarRatio returns AnnualizedReturn(r, scale)/MaxDrawdown(r) over the whole
// sample (PA's CalmarRatio; not a trailing 36-month window). +Inf (or NaN) when the
// series has no drawdown, as in PA.
func CalmarRatio(r []float64, scale int) float64 {
	return AnnualizedReturn(r, scale) / MaxDrawdown(r)
}

// Drawdown is one episode of PA's table.Drawdowns.
type Drawdown struct {
	// From is the first period below the previous peak (PA's "From": the period
	// after the peak, not the peak itself). Trough is the period of the lowest
	// wealth (the first one on ties). To is the first period back at or above the
	// peak, or series.NoDate if the series ends before it recovers.
	From, Trough, To series.Date
	// Depth is the trough's wealth relative to the peak minus one (negative, e.g.
	// -0.2927). Unlike table.Drawdowns it is not rounded to 4 decimals.
	Depth float64
	// Length counts the periods From..To inclusive. For an unrecovered drawdown PA
	// counts one period past the last observation (n - from + 2), and so do we.
	Length int
	// ToTrough counts the periods From..Trough inclusive (PA's "To Trough").
	ToTrough int
	// Recovery counts the periods after the trough up to To (PA's "Recovery"); 0 with
	// Recovered false when the series ends first (PA: NA).
	Recovery  int
	Recovered bool
}

// Drawdowns returns the n deepest drawdowns of the return series r dated dates,
// deepest first (ties in chronological order), as PA's table.Drawdowns(R, top = n)
// does; n <= 0 returns all of them. Periods where r is NaN are dropped first.
//
// Convention difference: for a series that never falls below a previous high,
// table.Drawdowns returns one row of depth 0 covering the whole series (its top is
// cut to 0 and R's 1:0 selects the first, non-drawdown run); Drawdowns returns none.
// It panics if dates and r differ in length.
func Drawdowns(dates []series.Date, r []float64, n int) []Drawdown {
	mustSameLen("dates", len(dates), "returns", len(r))
	d := make([]series.Date, 0, len(r))
	x := make([]float64, 0, len(r))
	for i, v := range r {
		if v == v {
			d = append(d, dates[i])
			x = append(x, v)
		}
	}
	dd := DrawdownSeries(x)
	var out []Drawdown
	// Walk the runs of periods below a peak, as PA's findDrawdowns does (its runs of
	// periods at a peak are never drawdowns and are skipped here).
	for i := 0; i < len(dd); {
		if dd[i] >= 0 {
			i++
			continue
		}
		from, trough := i, i
		for i < len(dd) && dd[i] < 0 {
			if dd[i] < dd[trough] {
				trough = i
			}
			i++
		}
		to := i // index of recovery, len(dd) when unrecovered (PA's n+1, 1-based)
		e := Drawdown{
			From:     d[from],
			Trough:   d[trough],
			To:       series.NoDate,
			Depth:    dd[trough],
			Length:   to - from + 1,
			ToTrough: trough - from + 1,
		}
		if to < len(dd) {
			e.To = d[to]
			e.Recovery = to - trough
			e.Recovered = true
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b Drawdown) int {
		switch {
		case a.Depth < b.Depth:
			return -1
		case a.Depth > b.Depth:
			return 1
		}
		return 0
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
