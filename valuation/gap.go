package valuation

import (
	"fmt"
	"math"
	"time"

	"github.com/ratecycle/ratecycle/series"
)

// DiscountDefinition is the discount's definition, for outputs to print beside it.
const DiscountDefinition = "discount = 1 - (relative P/B today / median relative P/B over the full history); relative P/B = small P/B / big P/B = big B/M / small B/M"

// Gap is the small-versus-big valuation gap of one pair of legs by one method.
//
// RelBM = small B/M / big B/M (above 1: small caps have more book per dollar of price,
// i.e. are cheaper); RelPB = 1/RelBM, the relative price-to-book. The BM windows place
// today's RelBM (z-score, percentile: a high percentile means small caps are cheaper
// than usual); the PB windows give the relative P/B's median and 10th/90th percentile
// lines. Discount follows DiscountDefinition; DiscountSince is its largest value on or
// after Since (over the same full-history median), and LargestSince reports whether
// today's discount is that largest.
type Gap struct {
	Name   string
	Method Method
	Dates  []series.Date
	Small  []float64 // small leg B/M
	Big    []float64 // big leg B/M
	RelBM  []float64
	RelPB  []float64

	Latest             series.Date
	SmallNow, BigNow   float64
	RelBMNow, RelPBNow float64
	Since              series.Date
	BMFull, BMSince    Window
	PBFull, PBSince    Window
	Discount           float64
	MaxDiscountSince   float64
	MaxDiscountSinceAt series.Date
	LargestSince       bool
	DiscountSeries     []float64 // 1 - RelPB/PBFull.Median for every month
	MonthsCheaperSince int       // months since Since with a relative P/B at or below today's (today included)
	MissingSince       int       // months since Since with a missing value

	// The latest July re-formation (new book, new membership): the legs' one-month
	// change of B/M across it and the discount in the month before it. Rolled values jump
	// there when new book values arrive; a large jump says how much of today's figure
	// the new book explains.
	Reformed             series.Date
	SmallReformJump      float64
	BigReformJump        float64
	DiscountBeforeReform float64
}

// Analyze builds the gap from the legs' monthly B/M (one value per date). since is the
// start of the recent window (2000-01-01 in the commentary). The latest date with both
// legs is "today".
func Analyze(name string, m Method, dates []series.Date, small, big []float64, since series.Date) (*Gap, error) {
	if len(small) != len(dates) || len(big) != len(dates) {
		panic("valuation: Analyze legs and dates differ in length")
	}
	g := &Gap{Name: name, Method: m, Dates: dates, Small: small, Big: big, Since: since,
		RelBM: make([]float64, len(dates)), RelPB: make([]float64, len(dates)), Latest: series.NoDate}
	last := -1
	for i := range dates {
		g.RelBM[i], g.RelPB[i] = math.NaN(), math.NaN()
		if ok(small[i]) && ok(big[i]) {
			g.RelBM[i] = small[i] / big[i]
			g.RelPB[i] = big[i] / small[i]
			last = i
		}
	}
	if last < 0 {
		return nil, fmt.Errorf("valuation %s (%s): %w", name, m, ErrNoData)
	}
	g.Latest = dates[last]
	g.SmallNow, g.BigNow, g.RelBMNow, g.RelPBNow = small[last], big[last], g.RelBM[last], g.RelPB[last]
	var err error
	if g.BMFull, err = Describe(dates, g.RelBM, series.NoDate, g.RelBMNow); err != nil {
		return nil, fmt.Errorf("valuation %s: %w", name, err)
	}
	if g.BMSince, err = Describe(dates, g.RelBM, since, g.RelBMNow); err != nil {
		return nil, fmt.Errorf("valuation %s: %w", name, err)
	}
	if g.PBFull, err = Describe(dates, g.RelPB, series.NoDate, g.RelPBNow); err != nil {
		return nil, fmt.Errorf("valuation %s: %w", name, err)
	}
	if g.PBSince, err = Describe(dates, g.RelPB, since, g.RelPBNow); err != nil {
		return nil, fmt.Errorf("valuation %s: %w", name, err)
	}
	med := g.PBFull.Median
	g.Discount = 1 - g.RelPBNow/med
	g.DiscountSeries = make([]float64, len(dates))
	g.MaxDiscountSince, g.MaxDiscountSinceAt = math.Inf(-1), series.NoDate
	for i, d := range dates {
		g.DiscountSeries[i] = 1 - g.RelPB[i]/med
		if d < since {
			continue
		}
		if math.IsNaN(g.RelPB[i]) {
			g.MissingSince++
			continue
		}
		if g.DiscountSeries[i] > g.MaxDiscountSince {
			g.MaxDiscountSince, g.MaxDiscountSinceAt = g.DiscountSeries[i], d
		}
		if g.RelPB[i] <= g.RelPBNow {
			g.MonthsCheaperSince++
		}
	}
	g.LargestSince = g.Discount >= g.MaxDiscountSince
	g.Reformed, g.SmallReformJump, g.BigReformJump, g.DiscountBeforeReform = series.NoDate, math.NaN(), math.NaN(), math.NaN()
	for i := last; i > 0; i-- {
		if dates[i].Month() == time.July {
			g.Reformed = dates[i]
			g.SmallReformJump = small[i]/small[i-1] - 1
			g.BigReformJump = big[i]/big[i-1] - 1
			g.DiscountBeforeReform = g.DiscountSeries[i-1]
			break
		}
	}
	return g, nil
}
