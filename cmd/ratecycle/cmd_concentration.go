package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/concentration"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/holdings"
	"github.com/ratecycle/ratecycle/view"
)

type concentrationOptions struct {
	file        string
	compare     string
	top         int
	groups      string
	keepClasses bool
	format      string
}

func init() { register(newConcentrationCmd) }

func newConcentrationCmd(a *app) *cobra.Command {
	o := &concentrationOptions{}
	cmd := &cobra.Command{
		Use:   "concentration [ID]",
		Short: "How concentrated an index or fund is: top-N share, HHI, effective N, sectors, mag7 and your groups",
		Long: `Concentration of a fund's holdings or an index's constituents:

  top-N share    the N largest lines' share of the equities (--top, default 7)
  HHI            Herfindahl-Hirschman index, the sum of squared equity weights
  effective N    1 / HHI: how many equal-weighted holdings would be as concentrated
  sectors        GICS sector weights
  groups         the built-in mag7 (AAPL, MSFT, NVDA, AMZN, GOOGL+GOOG, META, TSLA) and
                 groups you define in YAML (--groups)

ID is a catalog snapshot: holdings/IVV (iShares Core S&P 500, the default), holdings/IWM
(iShares Russell 2000), or constituents/sp500-financials (datahub S&P 500 with Yahoo
market caps). --file reads your own iShares holdings download (or a constituents CSV).
--compare ID|FILE sets a second snapshot beside the first: weights of the top names,
group shares, HHI and sectors, with the change.

Cash, money-market, collateral and futures lines are never mixed into the equity weights:
equity weights are renormalised to sum to 100% over the equities and the other lines are
listed apart with their share of the fund. Concentration is by line, as in the index:
GOOGL and GOOG are two lines. In the constituents snapshot, 34 lines have no market cap
(coverage is reported), and Yahoo puts Alphabet's, Fox's and News Corp's company-wide cap
on each share class; those are counted once unless --keep-share-classes.

Groups file (strict: unknown keys, repeats and wrong types are errors with their line):

  groups:
    - name: semis
      tickers: [NVDA, AVGO, AMD, QCOM]
      note: optional

--format json prints every number by name; csv prints one row per figure.`,
		Example: `  ratecycle concentration
  ratecycle concentration holdings/IVV --compare constituents/sp500-financials
  ratecycle concentration --file IVV_holdings.csv --compare holdings/IVV
  ratecycle concentration holdings/IWM --top 10 --groups groups.yaml
  ratecycle concentration --format json | jq '.snapshots[0].groups[] | select(.name=="mag7") | .share'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return concentrationRun(cmd, a, o, args) },
	}
	cmd.Flags().StringVar(&o.file, "file", "", "your iShares holdings CSV (as downloaded) or a constituents CSV, instead of ID")
	cmd.Flags().StringVar(&o.compare, "compare", "", "a second snapshot to compare with: a catalog ID or a CSV file")
	cmd.Flags().IntVar(&o.top, "top", 7, "how many of the largest lines make the top-N share")
	cmd.Flags().StringVar(&o.groups, "groups", "", "YAML file of named ticker groups to report (see above)")
	cmd.Flags().BoolVar(&o.keepClasses, "keep-share-classes", false, "constituents: count every share-class line's market cap as the file gives it")
	formatFlag(cmd, &o.format)
	return cmd
}

func concentrationRun(cmd *cobra.Command, a *app, o *concentrationOptions, args []string) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	if o.top < 1 {
		return usagef("--top must be at least 1")
	}
	if o.file != "" && len(args) > 0 {
		return usagef("give an ID or --file, not both")
	}
	opt := engine.ConcentrationOptions{TopN: o.top, KeepShareClasses: o.keepClasses}
	if o.groups != "" {
		b, err := os.ReadFile(o.groups)
		if err != nil {
			return usageError{err}
		}
		if opt.Groups, err = concentration.ParseGroups(b, o.groups); err != nil {
			return err
		}
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	first := "holdings/IVV"
	isFile := false
	if len(args) == 1 {
		first = args[0]
	}
	if o.file != "" {
		first, isFile = o.file, true
	}
	sa, err := concentrationSnapshot(ctx, cat, first, isFile, opt)
	if err != nil {
		return err
	}
	var sb *concentration.Snapshot
	if o.compare != "" {
		if sb, err = concentrationSnapshot(ctx, cat, o.compare, !engine.IsConcentrationID(o.compare) || fileExists(o.compare), opt); err != nil {
			return err
		}
	}
	res := engine.Concentration(sa, sb, opt)
	switch f {
	case output.JSON:
		return output.Write(a.io.Out, f, nil, view.Concentration(res))
	case output.CSV:
		return output.Write(a.io.Out, f, concentrationLong(res), nil)
	}
	tabs := concentrationTabs(res.A)
	if res.Compare != nil {
		tabs = append(tabs, compareTabs(res.Compare)...)
	}
	for i, t := range tabs {
		if i > 0 {
			fmt.Fprintln(a.io.Out)
		}
		if err := output.Write(a.io.Out, f, t, nil); err != nil {
			return err
		}
	}
	return nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// concentrationSnapshot loads a catalog snapshot or parses a user's file: an iShares
// holdings download (found by its "Ticker" header) or a constituents CSV.
func concentrationSnapshot(ctx context.Context, cat *catalog.Catalog, spec string, isFile bool, opt engine.ConcentrationOptions) (*concentration.Snapshot, error) {
	if !isFile {
		if !engine.IsConcentrationID(spec) {
			return nil, usagef("%q is not a holdings/ or constituents/ id (use --file for a CSV)", spec)
		}
		return engine.ConcentrationSnapshot(ctx, cat, spec, opt)
	}
	b, err := os.ReadFile(spec)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usageError{err}
		}
		return nil, err
	}
	if looksIShares(b) {
		fund, err := holdings.ParseIShares(bytes.NewReader(b), spec)
		if err != nil {
			return nil, err
		}
		return engine.SnapshotFromFund(fund, spec)
	}
	cs, err := holdings.ParseConstituents(bytes.NewReader(b), spec)
	if err != nil {
		return nil, err
	}
	ref, err := cat.Constituents(ctx, engine.ConstituentsRefID)
	if err != nil {
		return nil, err
	}
	return engine.SnapshotFromConstituents(cs, ref, spec, opt)
}

// looksIShares reports whether a CSV has an iShares holdings header line ("Ticker,...").
func looksIShares(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	for _, ln := range bytes.SplitN(b, []byte("\n"), 40) {
		ln = bytes.TrimSpace(ln)
		if bytes.HasPrefix(ln, []byte("Ticker,")) || bytes.HasPrefix(ln, []byte(`"Ticker",`)) {
			return true
		}
	}
	return false
}

func dateOr(d series.Date, alt string) string {
	if d == series.NoDate {
		return alt
	}
	return d.String()
}

func concSnapshotLabel(s *concentration.Snapshot) string {
	return fmt.Sprintf("%s (%s, %s)", s.Title, s.Source, dateOr(s.AsOf, "undated"))
}

func pctOrDash(v float64, prec int) string {
	if math.IsNaN(v) {
		return "-"
	}
	return output.Pct(v, prec)
}

func concentrationTabs(r *concentration.Result) []*output.Tab {
	s := r.Snapshot
	n := fmt.Sprint(r.TopN)
	sum := &output.Tab{Title: "Concentration of " + concSnapshotLabel(s), Columns: []string{"metric", "value"}}
	sum.Add("equity lines", fmt.Sprintf("%d of %d", r.Holdings, s.Lines))
	sum.Add("top-"+n+" share of equities", output.Pct(r.TopShare, 2))
	if s.Fund {
		sum.Add("top-"+n+" share of the fund", output.Pct(r.TopFundShare, 2))
	}
	if g, ok := r.Group("mag7"); ok {
		sum.Add("mag7 share of equities", output.Pct(g.Share, 2))
	}
	sum.Add("HHI (sum of squared weights)", output.F(r.HHI, 5))
	sum.Add("effective number of holdings (1/HHI)", output.F(r.EffectiveN, 1))
	if s.Fund {
		sum.Add("non-equity lines' share of the fund", output.Pct(r.OtherShare, 2))
	}
	sum.Add("weights from", s.Basis)
	sum.Add("equity weights renormalised", yn(s.Renormalised))
	sum.Notes = append(sum.Notes, s.Notes...)
	sum.Notes = append(sum.Notes, fmt.Sprintf("An index holder has %s in %s lines; the effective number of holdings is %.0f of %d.",
		output.Pct(r.TopShare, 1), n, r.EffectiveN, r.Holdings))

	top := &output.Tab{Title: "Largest " + n + " lines", Columns: []string{"rank", "ticker", "name", "sector", "weight"}}
	if s.Fund {
		top.Columns = append(top.Columns, "fund_weight")
	}
	for i, h := range r.Top {
		top.Add(fmt.Sprint(i+1), tickerOf(h), h.Name, h.Sector, output.Pct(h.Weight, 2), pctOrDash(h.FundWeight, 2))
	}

	grp := &output.Tab{Title: "Groups", Columns: []string{"group", "share", "lines", "members", "missing"}}
	if s.Fund {
		grp.Columns = []string{"group", "share", "fund_share", "lines", "members", "missing"}
	}
	for _, g := range r.Groups {
		var m []string
		for _, h := range g.Members {
			m = append(m, tickerOf(h)+" "+output.Pct(h.Weight, 2))
		}
		cells := []string{g.Name, output.Pct(g.Share, 2)}
		if s.Fund {
			cells = append(cells, pctOrDash(g.FundShare, 2))
		}
		grp.Add(append(cells, fmt.Sprint(len(g.Members)), strings.Join(m, ", "), strings.Join(g.Missing, " "))...)
	}

	sec := &output.Tab{Title: "Sector weights (of equities)", Columns: []string{"sector", "weight", "lines"}}
	for _, sw := range r.Sectors {
		sec.Add(sw.Sector, output.Pct(sw.Weight, 2), fmt.Sprint(sw.Holdings))
	}
	tabs := []*output.Tab{sum, top, grp, sec}
	if s.Fund {
		oth := &output.Tab{Title: "Non-equity lines (not in the equity weights)", Columns: []string{"ticker", "name", "asset_class", "market_value", "fund_weight", "notional"}}
		for _, h := range s.Other {
			oth.Add(h.Ticker, h.Name, h.AssetClass, output.F(h.Value, 0), pctOrDash(h.FundWeight, 3), output.F(h.Notional, 0))
		}
		if len(s.Other) == 0 {
			oth.Notes = []string{"none"}
		}
		oth.Notes = append(oth.Notes, "Futures carry no market value; their notional is index exposure the fund holds beside its stocks.")
		tabs = append(tabs, oth)
	}
	if len(s.Excluded) > 0 {
		ex := &output.Tab{Title: fmt.Sprintf("Lines left out of the equity weights (%d)", len(s.Excluded)), Columns: []string{"ticker", "name", "line", "reason"}}
		for _, e := range s.Excluded {
			ex.Add(e.Ticker, e.Name, fmt.Sprint(e.Line), e.Reason)
		}
		tabs = append(tabs, ex)
	}
	return tabs
}

func compareTabs(c *concentration.Comparison) []*output.Tab {
	la, lb := c.A.Snapshot.Source, c.B.Snapshot.Source
	m := &output.Tab{Title: fmt.Sprintf("What changed: %s -> %s", concSnapshotLabel(c.A.Snapshot), concSnapshotLabel(c.B.Snapshot)),
		Columns: []string{"metric", la, lb, "change"}, Right: []bool{false, true, true, true}}
	for _, x := range c.Metrics {
		switch x.Name {
		case "holdings":
			m.Add(x.Name, output.F(x.A, 0), output.F(x.B, 0), fmt.Sprintf("%+.0f", x.Diff))
		case "HHI":
			m.Add(x.Name, output.F(x.A, 5), output.F(x.B, 5), signed(x.Diff, 5))
		case "effective N":
			m.Add(x.Name, output.F(x.A, 1), output.F(x.B, 1), signed(x.Diff, 1))
		case "top share":
			m.Add(fmt.Sprintf("top-%d share", c.A.TopN), output.Pct(x.A, 2), output.Pct(x.B, 2), pp(x.Diff))
		default:
			m.Add(x.Name, pctOrDash(x.A, 2), pctOrDash(x.B, 2), pp(x.Diff))
		}
	}
	m.Notes = []string{fmt.Sprintf("%d tickers in both; their common weight (sum of the smaller weight) is %s. Changes in percentage points (pp).", c.Common, output.Pct(c.Overlap, 1))}
	names := &output.Tab{Title: "Largest lines: weight in each snapshot", Columns: []string{"ticker", "name", la, lb, "change", "rank_a", "rank_b"},
		Right: []bool{false, false, true, true, true, true, true}}
	for _, x := range c.Names {
		names.Add(x.Ticker, x.Name, pctOrDash(x.A, 2), pctOrDash(x.B, 2), pp(x.Diff), rank(x.RankA), rank(x.RankB))
	}
	g := &output.Tab{Title: "Groups", Columns: []string{"group", la, lb, "change"}}
	for _, x := range c.Groups {
		g.Add(x.Name, output.Pct(x.A, 2), output.Pct(x.B, 2), pp(x.Diff))
	}
	s := &output.Tab{Title: "Sectors", Columns: []string{"sector", la, lb, "change"}}
	for _, x := range c.Sectors {
		s.Add(x.Name, output.Pct(x.A, 2), output.Pct(x.B, 2), pp(x.Diff))
	}
	return []*output.Tab{m, names, g, s}
}

// tickerOf shows a line's ticker with the share classes it stands for: GOOGL(+GOOG).
func tickerOf(h concentration.Holding) string {
	if len(h.Also) == 0 {
		return h.Ticker
	}
	return h.Ticker + "(+" + strings.Join(h.Also, "+") + ")"
}

func rank(r int) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprint(r)
}

func signed(v float64, prec int) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%+.*f", prec, v)
}

func pp(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%+.2fpp", 100*v)
}

// concentrationLong is the CSV: one row per figure.
func concentrationLong(res *engine.ConcentrationResult) *output.Tab {
	t := &output.Tab{Columns: []string{"snapshot", "section", "item", "value", "fund_value"}}
	for _, r := range []*concentration.Result{res.A, res.B} {
		if r == nil {
			continue
		}
		src := r.Snapshot.Source
		add := func(sec, item string, v, fv float64) { t.Add(src, sec, item, output.G(v), output.G(fv)) }
		add("metric", "equity_lines", float64(r.Holdings), math.NaN())
		add("metric", fmt.Sprintf("top%d_share", r.TopN), r.TopShare, r.TopFundShare)
		add("metric", "hhi", r.HHI, math.NaN())
		add("metric", "effective_n", r.EffectiveN, math.NaN())
		add("metric", "non_equity_share", math.NaN(), r.OtherShare)
		add("metric", "equity_share", math.NaN(), r.Snapshot.EquityShare)
		for _, h := range r.Top {
			add("top", h.Ticker, h.Weight, h.FundWeight)
		}
		for _, g := range r.Groups {
			add("group", g.Name, g.Share, g.FundShare)
		}
		for _, s := range r.Sectors {
			add("sector", s.Sector, s.Weight, math.NaN())
		}
		for _, h := range r.Snapshot.Other {
			add("non_equity", h.Ticker+" "+h.AssetClass, math.NaN(), h.FundWeight)
		}
	}
	return t
}
