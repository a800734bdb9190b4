package engine

import (
	"context"
	"fmt"
	"math"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/valuation"
)

func init() { RegisterSection(3, "valuation", valuationSection) }

// valuationSection: the small-versus-big valuation gap over a century (relative P/B with
// its median and 10th/90th percentile lines), where today stands, the discount to the
// long-run median against the commentary's 17%, and the S&P 500 CAPE.
func valuationSection(ctx context.Context, rc *ReportContext) (*report.Section, error) {
	res, err := valuationWith(ctx, rc.Load, ValuationOptions{})
	if err != nil {
		return nil, err
	}
	h := res.Headline()
	pub := res.Find("2x3", valuation.Published)
	q5r, q5p := res.Find("5x5", valuation.Rolled), res.Find("5x5", valuation.Published)
	if pub == nil || q5r == nil || q5p == nil {
		return nil, fmt.Errorf("valuation: a pair or method is missing")
	}
	c := res.CAPE
	month := func(d series.Date) string { return d.Time().Format("January 2006") }
	sec := &report.Section{ID: "valuation", Title: "3. The valuation gap"}
	sec.Lead = fmt.Sprintf("In %s small caps were priced at %.2f times the large caps' price-to-book, against a median of %.2f since 1926: a %.0f%% discount to that median, cheaper than in %.0f%% of months since 1926 (z = %.1f) and %s since 2000.",
		month(h.Latest), h.RelPBNow, h.PBFull.Median, 100*h.Discount, 100*h.BMFull.Percentile, h.BMFull.Z, cheapestPhrase(h))
	sec.Metrics = []report.Metric{
		{Label: "Relative P/B, small / big", Value: fmt.Sprintf("%.2f", h.RelPBNow), Note: fmt.Sprintf("%s; median since 1926 %.2f (10th-90th pct %.2f-%.2f)", h.Latest, h.PBFull.Median, h.PBFull.P10, h.PBFull.P90)},
		{Label: "Discount to the long-run median", Value: fmt.Sprintf("%.0f%%", 100*h.Discount), Note: fmt.Sprintf("rolled B/M; %.0f%% on French's published B/M (prices of Dec %d)", 100*pub.Discount, pub.Latest.Year()-1)},
		{Label: "Percentile (relative B/M)", Value: fmt.Sprintf("%.1f%%", 100*h.BMFull.Percentile), Note: fmt.Sprintf("of %d months since 1926; %.1f%% of %d since 2000", h.BMFull.N, 100*h.BMSince.Percentile, h.BMSince.N)},
		{Label: "z-score (relative B/M)", Value: fmt.Sprintf("%.2f", h.BMFull.Z), Note: fmt.Sprintf("%.2f since 2000", h.BMSince.Z)},
		{Label: "Largest discount since 2000?", Value: yesNo(h.LargestSince), Note: fmt.Sprintf("rolled: peak %.0f%% in %s; published: %s (peak %.0f%% in %s)", 100*h.MaxDiscountSince, h.MaxDiscountSinceAt.String()[:7], yesNo(pub.LargestSince), 100*pub.MaxDiscountSince, pub.MaxDiscountSinceAt.String()[:7])},
		{Label: "S&P 500 CAPE", Value: fmt.Sprintf("%.1f", c.Value), Note: fmt.Sprintf("%s: %.0fth percentile since 1881 (median %.1f); Shiller's data end 2023-09", c.Latest.String()[:7], 100*c.Full.Percentile, c.Full.Median)},
	}
	share, runStart := discountRun(h)
	run := "but not in the latest month"
	if runStart != series.NoDate {
		run = "continuously since " + month(runStart)
	}
	sec.Paragraphs = []string{
		fmt.Sprintf("The commentary says the Russell 2000 trades at a 17%% discount to fair value relative to the S&P 500, the largest since 2000. On a century of Ken French's size portfolios, with fair value read as the median relative price-to-book since 1926, the discount is larger than claimed: %.0f%% with book-to-market rolled forward to %s prices, %.0f%% on the published book-to-market, %.0f%% and %.0f%% for the smallest fifth against the largest fifth of NYSE-sized firms. Whether it is the largest since 2000 depends on the construction: yes on rolled prices, but not on the published figures, whose deepest point was %s.",
			100*h.Discount, month(h.Latest), 100*pub.Discount, 100*q5r.Discount, 100*q5p.Discount, month(pub.MaxDiscountSinceAt)),
		fmt.Sprintf("Part of today's figure is new book rather than new prices: at the July %d re-formation the small leg's book-to-market rose %.0f%% in one month on fiscal-%d book values (the big leg's %+.0f%%); in June, before it, the rolled discount was %.0f%%. A wide discount does not say when it closes: since 2000 small caps were below their long-run relative P/B in %.0f%% of months, %s. On the large-cap side, the S&P 500's CAPE of %.1f (%s) was above %.0f%% of months since 1881.",
			h.Reformed.Year(), 100*h.SmallReformJump, h.Reformed.Year()-1, 100*h.BigReformJump, 100*h.DiscountBeforeReform, 100*share, run, c.Value, c.Latest.String()[:7], 100*c.Full.Percentile),
	}
	ch := report.Chart{ID: "valuation-gap", Title: "Relative price-to-book, small / big (Ken French 2x3, monthly), with its 1926-" + fmt.Sprint(h.Latest.Year()) + " median and 10th/90th percentiles; easing cycles shaded",
		Kind: "time", YLabel: "small P/B / big P/B", Height: 380}
	for _, d := range h.Dates {
		ch.X = append(ch.X, d.String())
	}
	pubPB := alignTo(h.Dates, pub.Dates, pub.RelPB)
	ch.Series = []report.ChartSeries{
		{Name: "rolled (June book, current prices)", Type: "line", Y: h.RelPB},
		{Name: "published (book and price of December t-1)", Type: "line", Y: pubPB},
		{Name: fmt.Sprintf("median %.2f", h.PBFull.Median), Type: "line", Y: constant(len(h.Dates), h.PBFull.Median), Color: "#555555"},
		{Name: fmt.Sprintf("10th percentile %.2f", h.PBFull.P10), Type: "line", Y: constant(len(h.Dates), h.PBFull.P10), Color: "#999999"},
		{Name: fmt.Sprintf("90th percentile %.2f", h.PBFull.P90), Type: "line", Y: constant(len(h.Dates), h.PBFull.P90), Color: "#999999"},
	}
	if rc.History != nil {
		for _, cy := range rc.History.Cycles {
			if cy.Direction == cycle.Easing {
				ch.Shades = append(ch.Shades, report.Shade{From: cy.FirstMove.String(), To: cy.LastMove.String(), Label: "easing from " + cy.FirstMove.String()})
			}
		}
	}
	cape := report.Chart{ID: "cape", Title: fmt.Sprintf("S&P 500 CAPE (Shiller PE10, monthly 1881-%s) with its median and 10th/90th percentiles", c.Latest.String()[:7]),
		Kind: "time", YLabel: "CAPE", Height: 300}
	for _, d := range c.Dates {
		cape.X = append(cape.X, d.String())
	}
	cape.Series = []report.ChartSeries{
		{Name: "CAPE", Type: "line", Y: c.Values},
		{Name: fmt.Sprintf("median %.1f", c.Full.Median), Type: "line", Y: constant(len(c.Dates), c.Full.Median), Color: "#555555"},
		{Name: fmt.Sprintf("10th percentile %.1f", c.Full.P10), Type: "line", Y: constant(len(c.Dates), c.Full.P10), Color: "#999999"},
		{Name: fmt.Sprintf("90th percentile %.1f", c.Full.P90), Type: "line", Y: constant(len(c.Dates), c.Full.P90), Color: "#999999"},
	}
	sec.Charts = []report.Chart{ch, cape}
	t := report.Table{Title: fmt.Sprintf("Small versus big: both pairs, both constructions (2x3 to %s, 5x5 to %s)", h.Latest.String()[:7], q5r.Latest.String()[:7]),
		Columns: []string{"pair", "construction", "rel. P/B", "median", "z (all)", "pct (all)", "z (2000-)", "pct (2000-)", "discount", "largest since 2000"}}
	for i, g := range res.Gaps {
		largest := "yes"
		if !g.LargestSince {
			largest = fmt.Sprintf("no (%.0f%%, %s)", 100*g.MaxDiscountSince, g.MaxDiscountSinceAt.String()[:7])
		}
		t.Rows = append(t.Rows, []string{res.Pairs[i].ID, string(g.Method), fmt.Sprintf("%.3f", g.RelPBNow),
			fmt.Sprintf("%.3f", g.PBFull.Median), fmt.Sprintf("%.2f", g.BMFull.Z), fmt.Sprintf("%.1f%%", 100*g.BMFull.Percentile),
			fmt.Sprintf("%.2f", g.BMSince.Z), fmt.Sprintf("%.1f%%", 100*g.BMSince.Percentile), fmt.Sprintf("%.1f%%", 100*g.Discount), largest})
	}
	sec.Tables = []report.Table{t}
	sec.Notes = []string{
		valuation.DiscountDefinition + ". z-scores and percentiles are of relative B/M. Relative B/M above 1 means small caps carry more book per dollar of price; a high percentile of it means small caps are cheaper than usual. z uses the sample sd; percentile = share of months at or below today; quantiles R type 7.",
		"Legs: 2x3 = SMALL (SMALL LoBM, ME1 BM2, SMALL HiBM; below the NYSE median) vs BIG (BIG LoBM, ME2 BM2, BIG HiBM); 5x5 = ME1 (bottom NYSE size quintile) vs ME5 (top). Portfolios combine by market cap = number of firms x average market cap. French small caps proxy the Russell 2000; firms with negative book are not in these portfolios.",
		"Rolled: the section 'Value Weight Average of BE_FYt-1/ME_June t', July row, is each portfolio's book over its end-of-June market value; it is rolled forward with the portfolio's value-weighted return (dividends included, which understates B/M by at most a year's yield), so a leg is aggregate book over aggregate current market value. Published: the section 'Value Weight Average of BE/ME' as is: every firm's ratio is fixed at its December t-1 price for a year and only the weights move, so it lags prices by 6 to 18 months.",
		fmt.Sprintf("Data: Ken French 6_Portfolios_2x3 to %s, 25_Portfolios_5x5 to %s (the embedded files); the commentary's 'today' is later. Shiller's CAPE ends 2023-09 in the embedded copy.", h.Latest.String()[:7], q5r.Latest.String()[:7]),
	}
	rc.Summarize(fmt.Sprintf("Valuation: small caps trade at a %.0f%% discount to their century-median price-to-book relative to large caps (%s, %.0fth percentile; %.0f%% on French's published book-to-market), more than the 17%% the commentary claims; the S&P 500 CAPE was at its %.0fth percentile (%s).",
		100*h.Discount, h.Latest.String()[:7], 100*h.BMFull.Percentile, 100*pub.Discount, 100*c.Full.Percentile, c.Latest.String()[:7]))
	return sec, nil
}

func cheapestPhrase(g *valuation.Gap) string {
	if g.LargestSince {
		return "the cheapest month"
	}
	return fmt.Sprintf("cheaper than all but %d months", g.MonthsCheaperSince-1)
}

// discountRun returns the share of months since g.Since with a positive discount and the
// first month of the current unbroken run of positive discounts.
func discountRun(g *valuation.Gap) (share float64, start series.Date) {
	n, pos := 0, 0
	start = series.NoDate
	for i, d := range g.Dates {
		if d < g.Since || math.IsNaN(g.DiscountSeries[i]) {
			continue
		}
		n++
		if g.DiscountSeries[i] > 0 {
			pos++
			if start == series.NoDate {
				start = d
			}
		} else {
			start = series.NoDate
		}
	}
	if n == 0 {
		return math.NaN(), series.NoDate
	}
	return float64(pos) / float64(n), start
}

func constant(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// alignTo puts values dated on from onto dates (NaN where from has no such date).
func alignTo(dates, from []series.Date, values []float64) []float64 {
	idx := make(map[series.Date]int, len(from))
	for i, d := range from {
		idx[d] = i
	}
	out := make([]float64, len(dates))
	for i, d := range dates {
		out[i] = math.NaN()
		if j, ok := idx[d]; ok {
			out[i] = values[j]
		}
	}
	return out
}
