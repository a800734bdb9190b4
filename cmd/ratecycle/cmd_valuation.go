package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/valuation"
	"github.com/ratecycle/ratecycle/view"
)

type valuationOptions struct {
	since   string
	method  string
	pair    string
	history bool
	format  string
}

func init() { register(newValuationCmd) }

func newValuationCmd(a *app) *cobra.Command {
	o := &valuationOptions{}
	cmd := &cobra.Command{
		Use:   "valuation",
		Short: "Small versus large relative valuation since 1926 (Ken French) and the S&P 500 CAPE (Shiller)",
		Long: `How cheap are small caps against large caps, against their own century of history?

Relative book-to-market = small-cap B/M / big-cap B/M, each leg the market-cap-weighted
(number of firms x average market cap) combination of Ken French's size x book-to-market
portfolios: SMALL vs BIG from 6_Portfolios_2x3 (split at the NYSE median; the headline)
and ME1 vs ME5 from 25_Portfolios_5x5 (bottom vs top NYSE size quintile). Above 1, small
caps carry more book per dollar of price. Relative P/B = 1 / relative B/M.

The files' book-to-market is annual: every firm's book (fiscal year t-1) is fixed from
July t to June t+1. Two monthly constructions (--method):
  rolled     the June-t formation B/M ("Value Weight Average of BE_FYt-1/ME_June t",
             July row) rolled forward with each portfolio's value-weighted return:
             aggregate book / aggregate current market value (the default headline)
  published  the "Value Weight Average of BE/ME" section as published: ratios fixed at
             the December t-1 price, only the weights move, so it lags prices by 6-18
             months

For each: today's value (the files' last month), its z-score (sample sd) and percentile
(share of months at or below today) over the full history and since --since, the
relative P/B's median and 10th/90th percentiles, and
  discount = 1 - (relative P/B today / median relative P/B over the full history),
with whether today's discount is the largest since --since. Then Shiller's CAPE (PE10)
and its percentile; Shiller's own data end 2023-09.

--history prints the monthly series instead (for charts).`,
		Example: `  ratecycle valuation
  ratecycle valuation --method rolled --pair 2x3 --format json | jq '.gaps[0].discount'
  ratecycle valuation --since 2010-01-01
  ratecycle valuation --history --pair 2x3 --format csv > relative-valuation.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return valuationRun(cmd, a, o) },
	}
	cmd.Flags().StringVar(&o.since, "since", "2000-01-01", "start of the recent window for z-score, percentile and 'largest since'")
	cmd.Flags().StringVar(&o.method, "method", "all", "monthly construction: rolled, published or all")
	cmd.Flags().StringVar(&o.pair, "pair", "all", "which portfolios: 2x3 (SMALL vs BIG), 5x5 (ME1 vs ME5) or all")
	cmd.Flags().BoolVar(&o.history, "history", false, "print the monthly relative valuation series instead of the summary")
	formatFlag(cmd, &o.format)
	return cmd
}

func valuationRun(cmd *cobra.Command, a *app, o *valuationOptions) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	opt := engine.ValuationOptions{}
	if opt.Since, err = series.ParseDate(o.since); err != nil {
		return usagef("--since: %v", err)
	}
	switch o.method {
	case "all", "":
	default:
		m, err := valuation.ParseMethod(o.method)
		if err != nil {
			return usagef("--method: %v", err)
		}
		opt.Methods = []valuation.Method{m}
	}
	switch o.pair {
	case "all", "":
	case "2x3", "5x5":
		opt.Pairs = []string{o.pair}
	default:
		return usagef("--pair: unknown pair %q (want 2x3, 5x5 or all)", o.pair)
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	res, err := engine.Valuation(ctx, cat, opt)
	if err != nil {
		return err
	}
	if o.history {
		return valuationHistory(a, f, res)
	}
	if f == output.JSON {
		return output.Write(a.io.Out, f, nil, view.Valuation(res))
	}
	if f == output.CSV {
		return output.Write(a.io.Out, f, valuationLong(res), nil)
	}
	if err := output.Write(a.io.Out, f, valuationWide(res), nil); err != nil {
		return err
	}
	fmt.Fprintln(a.io.Out)
	return output.Write(a.io.Out, f, capeTab(res), nil)
}

func gapLabel(p engine.ValuationPair, g *valuation.Gap) string { return p.ID + " " + string(g.Method) }

// valuationWide is the summary for people: one column per pair and method.
func valuationWide(res *engine.ValuationResult) *output.Tab {
	since := res.Since.String()[:7]
	t := &output.Tab{Title: "Small vs large relative valuation (Ken French size x book-to-market portfolios)",
		Columns: []string{"metric"}}
	for i, g := range res.Gaps {
		t.Columns = append(t.Columns, gapLabel(res.Pairs[i], g))
	}
	row := func(name string, f func(g *valuation.Gap) string) {
		cells := []string{name}
		for _, g := range res.Gaps {
			cells = append(cells, f(g))
		}
		t.Add(cells...)
	}
	row("as of", func(g *valuation.Gap) string { return g.Latest.String() })
	row("small B/M", func(g *valuation.Gap) string { return output.F(g.SmallNow, 3) })
	row("big B/M", func(g *valuation.Gap) string { return output.F(g.BigNow, 3) })
	row("relative B/M (small/big)", func(g *valuation.Gap) string { return output.F(g.RelBMNow, 3) })
	row("relative P/B (small/big)", func(g *valuation.Gap) string { return output.F(g.RelPBNow, 3) })
	row("z-score of rel. B/M, full history", func(g *valuation.Gap) string { return output.F(g.BMFull.Z, 2) })
	row("percentile of rel. B/M, full history", func(g *valuation.Gap) string { return output.Pct(g.BMFull.Percentile, 1) })
	row("z-score of rel. B/M, since "+since, func(g *valuation.Gap) string { return output.F(g.BMSince.Z, 2) })
	row("percentile of rel. B/M, since "+since, func(g *valuation.Gap) string { return output.Pct(g.BMSince.Percentile, 1) })
	row("median rel. P/B, full history", func(g *valuation.Gap) string { return output.F(g.PBFull.Median, 3) })
	row("10th / 90th pct rel. P/B", func(g *valuation.Gap) string {
		return output.F(g.PBFull.P10, 3) + " / " + output.F(g.PBFull.P90, 3)
	})
	row("months in full history", func(g *valuation.Gap) string {
		return fmt.Sprintf("%d (%s..)", g.BMFull.N, g.BMFull.From.String()[:7])
	})
	row("discount to fair value", func(g *valuation.Gap) string { return output.Pct(g.Discount, 1) })
	row("largest discount since "+since, func(g *valuation.Gap) string {
		return output.Pct(g.MaxDiscountSince, 1) + " (" + g.MaxDiscountSinceAt.String()[:7] + ")"
	})
	row("today the largest since "+since, func(g *valuation.Gap) string { return yn(g.LargestSince) })
	row("latest July re-formation", func(g *valuation.Gap) string { return monthOf(g.Reformed) })
	row("  small / big B/M change across it", func(g *valuation.Gap) string {
		return signedPct(g.SmallReformJump) + " / " + signedPct(g.BigReformJump)
	})
	row("  discount the month before it", func(g *valuation.Gap) string { return output.Pct(g.DiscountBeforeReform, 1) })
	h := res.Headline()
	t.Notes = []string{
		"Relative B/M above 1: small caps carry more book per dollar of price than big caps. A high percentile of relative B/M = small caps cheaper than usual.",
		valuation.DiscountDefinition + ".",
		"z-score: (today - mean) / sample sd; percentile: share of months at or below today's value; quantiles R type 7.",
		"rolled: June-t B/M (section 'Value Weight Average of BE_FYt-1/ME_June t', July row) rolled forward with each portfolio's value-weighted return (dividends included, which understates B/M by under a year's yield); legs = aggregate book / aggregate market value.",
		"published: section 'Value Weight Average of BE/ME' as is (book FY t-1 over ME Dec t-1, fixed for a year; weights move monthly), legs weighted by start-of-month cap (firms x average market cap).",
		"Small = below the NYSE median (2x3) or the bottom NYSE quintile (5x5): a proxy for the Russell 2000, not the index itself. Firms with negative book equity are not in these portfolios.",
		fmt.Sprintf("Commentary claim: a 17%% discount, the largest since 2000. The data (%s, %s, as of %s): %s discount; largest since %s: %s (peak %s in %s).",
			res.Pairs[0].ID, h.Method, h.Latest, output.Pct(h.Discount, 1), since, yn(h.LargestSince), output.Pct(h.MaxDiscountSince, 1), h.MaxDiscountSinceAt.String()[:7]),
		"Re-formation: every July the portfolios take new book values (fiscal year t-1) and new members; a jump there is new book (and, for published, a new December price), not the month's own price moves.",
		"Ken French data end " + dataEnds(res) + " (the embedded files' CRSP vintage); the commentary's 2026 'today' is later.",
	}
	return t
}

func monthOf(d series.Date) string {
	if d == series.NoDate {
		return ""
	}
	return d.String()[:7]
}

func signedPct(v float64) string {
	if v >= 0 {
		return "+" + output.Pct(v, 1)
	}
	return output.Pct(v, 1)
}

func dataEnds(res *engine.ValuationResult) string {
	var parts []string
	seen := map[string]bool{}
	for i, g := range res.Gaps {
		p := res.Pairs[i]
		if !seen[p.ID] {
			seen[p.ID] = true
			parts = append(parts, p.File+" "+g.Latest.String()[:7])
		}
	}
	return strings.Join(parts, ", ")
}

// valuationLong is the CSV: one row per pair and method, one named column per number.
func valuationLong(res *engine.ValuationResult) *output.Tab {
	t := &output.Tab{Columns: []string{"pair", "method", "as_of", "small_bm", "big_bm", "relative_bm", "relative_pb",
		"z_full", "percentile_full", "z_since", "percentile_since", "since",
		"median_pb_full", "p10_pb_full", "p90_pb_full", "n_full", "first_month",
		"discount", "max_discount_since", "max_discount_since_date", "largest_since"}}
	for i, g := range res.Gaps {
		t.Add(res.Pairs[i].ID, string(g.Method), g.Latest.String(), output.G(g.SmallNow), output.G(g.BigNow),
			output.G(g.RelBMNow), output.G(g.RelPBNow), output.G(g.BMFull.Z), output.G(g.BMFull.Percentile),
			output.G(g.BMSince.Z), output.G(g.BMSince.Percentile), res.Since.String(),
			output.G(g.PBFull.Median), output.G(g.PBFull.P10), output.G(g.PBFull.P90), fmt.Sprint(g.BMFull.N), g.BMFull.From.String(),
			output.G(g.Discount), output.G(g.MaxDiscountSince), g.MaxDiscountSinceAt.String(), fmt.Sprint(g.LargestSince))
	}
	return t
}

func capeTab(res *engine.ValuationResult) *output.Tab {
	c := res.CAPE
	since := res.Since.String()[:7]
	t := &output.Tab{Title: "S&P 500 CAPE (Shiller PE10)", Columns: []string{"metric", "value"}}
	t.Add("as of", c.Latest.String()[:7])
	t.Add("CAPE", output.F(c.Value, 2))
	t.Add("percentile, full history", output.Pct(c.Full.Percentile, 1))
	t.Add("z-score, full history", output.F(c.Full.Z, 2))
	t.Add("median / 10th / 90th pct, full history", fmt.Sprintf("%s / %s / %s", output.F(c.Full.Median, 1), output.F(c.Full.P10, 1), output.F(c.Full.P90, 1)))
	t.Add("months, full history", fmt.Sprintf("%d (%s..%s)", c.Full.N, c.Full.From.String()[:7], c.Full.To.String()[:7]))
	t.Add("percentile, since "+since, output.Pct(c.Since.Percentile, 1))
	t.Add("maximum (month)", fmt.Sprintf("%s (%s)", output.F(c.Full.Max, 2), c.Full.MaxAt.String()[:7]))
	t.Notes = []string{"Shiller's own data end 2023-09 (the embedded datahub copy); later rows carry only the price. Percentile = share of months at or below the latest CAPE."}
	return t
}

// valuationHistory prints the monthly series: per pair and method the legs' B/M, the
// relative P/B and the discount against the full-history median.
func valuationHistory(a *app, f output.Format, res *engine.ValuationResult) error {
	var ss []*series.Series
	for i, g := range res.Gaps {
		l := strings.ReplaceAll(gapLabel(res.Pairs[i], g), " ", "_")
		for _, c := range []struct {
			name string
			v    []float64
		}{{"small_bm", g.Small}, {"big_bm", g.Big}, {"relative_pb", g.RelPB}, {"discount", g.DiscountSeries}} {
			s, err := series.New(l+"_"+c.name, series.KindLevel, series.Monthly, g.Dates, c.v)
			if err != nil {
				return err
			}
			ss = append(ss, s)
		}
	}
	fr := series.Align(series.Outer, ss...)
	t := &output.Tab{Columns: append([]string{"date"}, fr.Names...)}
	for i, d := range fr.Dates {
		cells := []string{d.String()}
		for j := range fr.Cols {
			cells = append(cells, output.F(fr.Cols[j][i], 6))
		}
		t.Add(cells...)
	}
	if f == output.JSON {
		rows := make([]map[string]any, len(fr.Dates))
		for i, d := range fr.Dates {
			m := map[string]any{"date": d}
			for j, n := range fr.Names {
				m[n] = output.Num(fr.Cols[j][i])
			}
			rows[i] = m
		}
		return output.Write(a.io.Out, f, nil, rows)
	}
	return output.Write(a.io.Out, f, t, nil)
}
