package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/sector"
)

type sectorsOptions struct {
	universe string
	weights  string
	lags     int
	format   string
}

func init() { register(newSectorsCmd) }

func newSectorsCmd(a *app) *cobra.Command {
	o := &sectorsOptions{}
	cmd := &cobra.Command{
		Use:   "sectors",
		Short: "Rank sectors and industries for an easing cycle: after first cuts, in easing months, rate sensitivity, momentum",
		Long: `Rank sectors or industries by four inputs, each measured against the market:

  first_cut  mean excess return over the 12 months after each first cut of an easing
             cycle (an event study; n is printed and n < 8 is too few to conclude)
  easing     mean monthly excess return in months the Fed was easing, x12, Newey-West t
  rate_beta  slope of the monthly excess return on the monthly change of the 2-year
             Treasury yield (DGS2, since 1976), Newey-West t; NEGATIVE = the asset
             beats the market when the 2-year yield falls (benefits from falling rates).
             The slope on fed funds (FEDFUNDS) changes is shown, not scored.
  momentum   excess return over the last 6 and 12 months to the data end (their mean)

The score is the weighted sum of the inputs' z-scores across the universe (rate_beta
with its sign flipped), with the weights printed; the top third is overweight, the
bottom third underweight, the rest neutral. Universes: french12 and french49 (Ken
French value-weighted industry portfolios, market = Mkt-RF + RF, monthly to the
embedded file's end) and etf (SPDR sector ETFs, ITB and XHB homebuilders, KRE regional
banks, QUAL quality; market = SPY; daily prices, so at most four first cuts).`,
		Example: `  ratecycle sectors
  ratecycle sectors --universe french49 --format csv
  ratecycle sectors --universe etf --weights first_cut=0.5,easing=0.2,rate_beta=0.3,momentum=0
  ratecycle sectors --format json | jq '.rows[] | select(.call=="overweight") | .name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return sectorsRun(cmd, a, o) },
	}
	cmd.Flags().StringVar(&o.universe, "universe", "french12", "french12, french49 or etf")
	cmd.Flags().StringVar(&o.weights, "weights", sector.DefaultWeights.String(), "weights of the score's inputs (normalised to sum 1)")
	cmd.Flags().IntVar(&o.lags, "hac-lags", -1, "Newey-West lag of the regressions (-1: floor(4(n/100)^(2/9)))")
	formatFlag(cmd, &o.format)
	return cmd
}

func sectorsRun(cmd *cobra.Command, a *app, o *sectorsOptions) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	if _, _, err := engine.SectorInputIDs(o.universe); err != nil {
		return usagef("--universe: %v", err)
	}
	w, err := sector.ParseWeights(o.weights)
	if err != nil {
		return usagef("--weights: %v", err)
	}
	if o.lags < -1 {
		return usagef("--hac-lags must be -1 (automatic) or at least 0")
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	h, err := engine.Cycles(ctx, cat, cycle.DefaultRules)
	if err != nil {
		return err
	}
	r, err := engine.Sectors(ctx, cat, h, engine.SectorOptions{Universe: o.universe, Weights: w, MaxLags: o.lags})
	if err != nil {
		return err
	}
	if f == output.JSON {
		return output.Write(a.io.Out, f, nil, r)
	}
	return output.Write(a.io.Out, f, sectorTable(r, f), nil)
}

func sectorTable(r *sector.Ranking, f output.Format) *output.Tab {
	t := &output.Tab{
		Title: fmt.Sprintf("Sector tailwinds for an easing cycle: %s vs %s", r.Universe, r.Market),
		Columns: []string{"rank", "name", "call", "score", "first_cut_12m", "n", "easing_ann", "t_easing",
			"beta_2y", "t_2y", "beta_ff", "t_ff", "mom_6m", "mom_12m"},
	}
	csv := f == output.CSV
	if csv {
		// CSV: plain numbers (decimals, not percentages); n without the '*' marker, which
		// becomes its own too_few column.
		t.Columns = append(t.Columns, "id", "reason", "too_few")
	}
	c := cellsFor(f)
	for _, row := range r.Rows {
		n := fmt.Sprint(row.FirstCut.N)
		if row.FirstCut.TooFew && !csv {
			n += "*"
		}
		ea, et := "", ""
		if row.EasingOK {
			ea, et = c.pct(row.Easing.AnnMean, 1), c.num(row.Easing.T, 1)
		}
		cells := []string{fmt.Sprint(row.Rank), row.Asset.Name, row.Call, c.num(row.Score, 2),
			c.pct(row.FirstCut.Mean, 1), n, ea, et,
			c.pct(row.Rate2Y.Beta, 2), c.num(row.Rate2Y.T, 1), c.pct(row.Policy.Beta, 2), c.num(row.Policy.T, 1),
			c.pct(row.Mom6, 1), c.pct(row.Mom12, 1)}
		if csv {
			if row.FirstCut.N == 0 {
				cells[4] = ""
			}
			cells = append(cells, row.Asset.ID, row.Reason, yn(row.FirstCut.TooFew))
		}
		t.Add(cells...)
	}
	if csv {
		return t
	}
	asOf := ""
	if len(r.Rows) > 0 {
		asOf = r.Rows[0].MomAsOf.String()
	}
	t.Notes = append(t.Notes, "", "Why:")
	for _, row := range r.Rows {
		t.Notes = append(t.Notes, fmt.Sprintf("%2d. %-5s %-11s %s", row.Rank, row.Asset.Name, row.Call, row.Reason))
	}
	t.Notes = append(t.Notes, "",
		"n* = fewer than 8 first cuts with a complete 12-month window: too few to conclude. Betas are excess return per +1 percentage point of yield (or fed funds) change in a month.",
		"Momentum as of "+asOf+" (the data end).")
	t.Notes = append(t.Notes, wrapNotes(r.Notes)...)
	return t
}

// wrapNotes keeps long notes readable in a terminal.
func wrapNotes(notes []string) []string {
	var out []string
	for _, n := range notes {
		for len(n) > 100 {
			i := strings.LastIndex(n[:100], " ")
			if i <= 0 {
				break
			}
			out = append(out, n[:i])
			n = "  " + n[i+1:]
		}
		out = append(out, n)
	}
	return out
}
