package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/screen"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/sec"
	"github.com/ratecycle/ratecycle/store"
)

type screenOptions struct {
	rules        string
	fsds         string
	asOf         string
	universe     string
	facts        []string
	prices       []string
	top          int
	showExcluded bool
	format       string
}

func init() { register(newScreenCmd) }

func newScreenCmd(a *app) *cobra.Command {
	o := &screenOptions{}
	cmd := &cobra.Command{
		Use:   "screen",
		Short: "Quality screen of small caps from SEC XBRL facts: ratios, Piotroski F-score, Altman Z, your rules",
		Long: `Screen a universe of companies on quality from their SEC XBRL financial statements:
ROA, ROE, gross profitability, operating margin, debt to equity (total liabilities /
equity), interest coverage, current ratio, accruals, revenue growth and its stability,
the nine Piotroski signals and the Altman Z-score. Rules come from a YAML file (strict:
unknown keys are errors); a rule whose input is missing is "unknown", never a pass.
Every name of the universe that could not be screened is listed with the reason.

Sources, point in time (only filings public on --as-of are read):
  default         holdings/IWM equities, tickers mapped to CIKs by the SEC ticker map,
                  fundamentals from companyfacts JSON in the local store
                  (sec/companyfacts/CIK##########, written by 'data update --source sec').
                  When no member has any (offline, before an update) and neither
                  --as-of nor --universe is given, the embedded 2010 Q2 point-in-time
                  screen (--fsds 2010q2) runs instead, and the first note says so.
  --facts FILE    companyfacts JSON files (data.sec.gov/api/xbrl/companyfacts/CIK*.json)
  --fsds QUARTER  one quarter of the SEC Financial Statement Data Sets (embedded: 2010q2),
                  every filer of the quarter by default.

Prices for the market value (Altman Z) come from the IWM holdings file when the screen is
not dated before it, or from --price TICKER=VALUE.`,
		Example: `  ratecycle screen
  ratecycle screen --fsds 2010q2 --as-of 2010-06-30
  ratecycle screen --fsds 2010q2 --universe holdings/IWM
  ratecycle screen --facts snow_facts.json --price SNOW=180 --rules examples/screen.yaml
  ratecycle screen --fsds 2010q2 --format json | jq '.result.rows[0].fscore'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return screenRun(cmd, a, o) },
	}
	cmd.Flags().StringVar(&o.rules, "rules", "", "rules YAML file (default: the built-in rules, as examples/screen.yaml)")
	cmd.Flags().StringVar(&o.fsds, "fsds", "", "screen the filers of a Financial Statement Data Sets quarter (2010q2)")
	cmd.Flags().StringVar(&o.asOf, "as-of", "", "screen date YYYY-MM-DD: only filings public by then (default: latest; the quarter's end with --fsds)")
	cmd.Flags().StringVar(&o.universe, "universe", "", "holdings/IWM (default without --fsds) or filers (default with --fsds)")
	cmd.Flags().StringArrayVar(&o.facts, "facts", nil, "a companyfacts JSON file to screen (repeatable)")
	cmd.Flags().StringArrayVar(&o.prices, "price", nil, "TICKER=VALUE price per share for the market value (repeatable)")
	cmd.Flags().IntVar(&o.top, "top", 20, "rows to print in table format (0: all)")
	cmd.Flags().BoolVar(&o.showExcluded, "show-excluded", false, "list every excluded name with its reason (table format)")
	formatFlag(cmd, &o.format)
	return cmd
}

// defaultFallbackQuarter is the embedded FSDS quarter the bare 'ratecycle screen' shows
// when the store has no companyfacts for any IWM member.
const defaultFallbackQuarter = "2010q2"

func screenRun(cmd *cobra.Command, a *app, o *screenOptions) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	opt := engine.ScreenOptions{FSDS: o.fsds, Universe: o.universe, AsOf: series.NoDate, Prices: map[string]float64{}}
	if o.fsds == "" && o.universe == "" && o.asOf == "" && len(o.facts) == 0 {
		// The bare default: without companyfacts offline it would screen nothing.
		opt.Fallback = defaultFallbackQuarter
	}
	if o.asOf != "" {
		if opt.AsOf, err = series.ParseDate(o.asOf); err != nil {
			return usagef("--as-of: %v", err)
		}
	}
	if o.fsds != "" {
		if _, err := engine.QuarterEnd(o.fsds); err != nil {
			return usagef("--fsds: %v", err)
		}
		if len(o.facts) > 0 {
			return usagef("--fsds and --facts are two different sources: give one")
		}
	}
	if o.top < 0 {
		return usagef("--top must be 0 (all) or positive")
	}
	for _, p := range o.prices {
		k, v, ok := strings.Cut(p, "=")
		x, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || !(x > 0) || math.IsInf(x, 0) || k == "" {
			return usagef("--price %q: want TICKER=VALUE with a positive price, e.g. SNOW=180.5", p)
		}
		opt.Prices[strings.ToUpper(k)] = x
	}
	if o.rules != "" {
		b, err := os.ReadFile(o.rules)
		if err != nil {
			return usagef("--rules: %v", err)
		}
		if opt.Rules, err = screen.ParseRules(b, o.rules); err != nil {
			return err
		}
	} else {
		opt.Rules = screen.DefaultRules()
	}
	for _, p := range o.facts {
		b, err := os.ReadFile(p)
		if err != nil {
			return usagef("--facts: %v", err)
		}
		cf, err := sec.ParseCompanyFacts(bytes.NewReader(b), p)
		if err != nil {
			return err
		}
		opt.Facts = append(opt.Facts, cf)
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	st, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	if st != nil {
		opt.Store = store.Reader(st)
	}
	res, err := engine.Screen(ctx, cat, opt)
	if err != nil {
		return err
	}
	switch f {
	case output.JSON:
		return output.Write(a.io.Out, f, nil, screenJSON(res))
	case output.CSV:
		return output.Write(a.io.Out, f, screenCSV(res), nil)
	}
	return screenText(a, res, o)
}

type screenJSONView struct {
	Universe string              `json:"universe"`
	Source   string              `json:"source"`
	AsOf     string              `json:"as_of"`
	Counts   map[string]int      `json:"counts"`
	Notes    []string            `json:"notes"`
	Result   *screen.Result      `json:"result"`
	Excluded map[string][]string `json:"excluded_by_reason"`
}

func screenJSON(res *engine.ScreenResult) screenJSONView {
	p, fl, u := res.Counts()
	asOf := "latest filings"
	if res.AsOf != series.NoDate {
		asOf = res.AsOf.String()
	}
	return screenJSONView{Universe: res.Universe, Source: res.Source, AsOf: asOf,
		Counts: map[string]int{"screened": len(res.Rows), "pass": p, "fail": fl, "unknown": u, "excluded": len(res.Excluded)},
		Notes:  res.Notes, Result: res.Result, Excluded: byReason(res.Excluded)}
}

func byReason(ex []screen.Exclusion) map[string][]string {
	out := map[string][]string{}
	for _, e := range ex {
		who := e.Ticker
		if who == "" {
			who = e.Name
		}
		if who == "" {
			who = fmt.Sprintf("CIK %d", e.CIK)
		}
		out[e.Reason] = append(out[e.Reason], who)
	}
	return out
}

var screenCols = []screen.Metric{screen.ROA, screen.GrossProfitability, screen.OperatingMargin, screen.DebtToEquity,
	screen.InterestCoverage, screen.CurrentRatio, screen.Accruals, screen.RevenueGrowth, screen.AltmanZ}

func screenCSV(res *engine.ScreenResult) *output.Tab {
	t := &output.Tab{Columns: []string{"rank", "ticker", "name", "cik", "status", "quality", "fscore", "fscore_known"}}
	for m := screen.Metric(0); m < screen.NumMetrics; m++ {
		if m != screen.FScoreMetric {
			t.Columns = append(t.Columns, m.String())
		}
	}
	t.Columns = append(t.Columns, "basis", "reasons")
	for _, r := range res.Rows {
		cells := []string{fmt.Sprint(r.Rank), r.Inputs.Ticker, r.Inputs.Name, fmt.Sprint(r.Inputs.CIK), string(r.Status),
			output.F(r.Quality, 4), fmt.Sprint(r.Metrics.FScore.Score), fmt.Sprint(r.Metrics.FScore.Known)}
		for m := screen.Metric(0); m < screen.NumMetrics; m++ {
			if m != screen.FScoreMetric {
				cells = append(cells, csvNum(r.Metrics.Value[m]))
			}
		}
		t.Add(append(cells, r.Inputs.Basis(), r.Reasons())...)
	}
	return t
}

func csvNum(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return output.G(v)
}

func screenText(a *app, res *engine.ScreenResult, o *screenOptions) error {
	asOf := "latest filings"
	if res.AsOf != series.NoDate {
		asOf = res.AsOf.String()
	}
	p, fl, u := res.Counts()
	notes := res.Notes
	head := ""
	if res.FellBack && len(notes) > 0 {
		// The screen shown is not the one asked for: say so before anything else.
		head = strings.Join(wrapNotes(notes[:1]), "\n") + "\n\n"
		notes = notes[1:]
	}
	t := &output.Tab{
		Title: head + fmt.Sprintf("Quality screen of %s, as of %s\nSource: %s\nRules (%s): %s\nScreened %d: %d pass, %d unknown (no rule failed, some could not be checked), %d fail; %d excluded.",
			res.Universe, asOf, res.Source, rulesName(res.Rules), rulesLine(res.Rules), len(res.Rows), p, u, fl, len(res.Excluded)),
		Columns: []string{"rank", "ticker", "name", "status", "quality", "fscore"},
	}
	t.Right = []bool{true, false, false, false, true, false}
	for _, m := range screenCols {
		t.Columns = append(t.Columns, m.String())
		t.Right = append(t.Right, true)
	}
	rows := res.Rows
	if o.top > 0 && len(rows) > o.top {
		rows = rows[:o.top]
	}
	for _, r := range rows {
		cells := []string{fmt.Sprint(r.Rank), r.Inputs.Ticker, trunc(r.Inputs.Name, 28), string(r.Status), output.F(r.Quality, 2), r.Metrics.FScore.String()}
		for _, m := range screenCols {
			v := r.Metrics.Value[m]
			s := screen.FormatMetric(m, v)
			if math.IsNaN(v) {
				s = "?"
			}
			cells = append(cells, s)
		}
		t.Add(cells...)
	}
	if len(rows) < len(res.Rows) {
		t.Notes = append(t.Notes, fmt.Sprintf("(%d more rows: --top 0 prints all, --format csv or json writes all)", len(res.Rows)-len(rows)))
	}
	if len(rows) > 0 {
		t.Notes = append(t.Notes, "", "Why (failed and unknown rules):")
		for _, r := range rows {
			name := r.Inputs.Ticker
			if name == "" {
				name = r.Inputs.Name
			}
			t.Notes = append(t.Notes, fmt.Sprintf("%3d. %s [%s]: %s", r.Rank, name, r.Inputs.Basis(), r.Reasons()),
				"     F-score signals: "+r.Metrics.FScore.Compact())
		}
	}
	t.Notes = append(t.Notes, "")
	t.Notes = append(t.Notes, wrapNotes([]string{"? = unknown (an input is missing; the JSON output says which). quality = mean percentile rank (0..1) of roa, gross_profitability, operating_margin, debt_to_equity, interest_coverage, current_ratio, accruals and a complete fscore within the screened names. fscore a..b = a known points, up to b if the unknown signals were 1. Signals (Piotroski 2000): ROA net income > 0, CFO > 0, dROA ROA rose, ACCRUAL CFO > net income, dLEVER long-term debt/assets did not rise, dLIQUID current ratio rose, EQ_OFFER shares did not rise, dMARGIN gross margin rose, dTURN asset turnover rose; + true, - false, ? unknown."})...)
	if len(res.Rows) == 0 {
		// Nothing screened: the header, the coverage notes and the exclusions say why.
		fmt.Fprintln(a.io.Out, t.Title)
		for _, n := range wrapNotes(notes) {
			fmt.Fprintln(a.io.Out, n)
		}
	} else {
		t.Notes = append(t.Notes, wrapNotes(notes)...)
		if err := output.Write(a.io.Out, output.Table, t, nil); err != nil {
			return err
		}
	}
	fmt.Fprintln(a.io.Out)
	if len(res.Rows) > 0 {
		cov := &output.Tab{Title: "Coverage: screened names with each input (current period) and each metric", Columns: []string{"kind", "item", "names"}}
		for _, c := range res.Inputs {
			cov.Add("input", c.Item, fmt.Sprintf("%d/%d", c.N, c.Of))
		}
		for _, c := range res.Metrics {
			cov.Add("metric", c.Item, fmt.Sprintf("%d/%d", c.N, c.Of))
		}
		if err := output.Write(a.io.Out, output.Table, cov, nil); err != nil {
			return err
		}
		fmt.Fprintln(a.io.Out)
	}
	if len(res.Excluded) == 0 {
		return nil
	}
	ex := &output.Tab{Title: fmt.Sprintf("Excluded: %d names, by reason", len(res.Excluded)), Columns: []string{"names", "reason", "examples"}}
	groups := byReason(res.Excluded)
	reasons := make([]string, 0, len(groups))
	for r := range groups {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if len(groups[reasons[i]]) != len(groups[reasons[j]]) {
			return len(groups[reasons[i]]) > len(groups[reasons[j]])
		}
		return reasons[i] < reasons[j]
	})
	for _, r := range reasons {
		names := groups[r]
		eg := strings.Join(names[:min(5, len(names))], ", ")
		if len(names) > 5 {
			eg += ", ..."
		}
		ex.Add(fmt.Sprint(len(names)), r, eg)
	}
	if o.showExcluded {
		ex.Notes = append(ex.Notes, "", "Every excluded name:")
		for _, e := range res.Excluded {
			ex.Notes = append(ex.Notes, fmt.Sprintf("  %-8s %-30s CIK %-8d %s", e.Ticker, trunc(e.Name, 30), e.CIK, e.Reason))
		}
	} else {
		ex.Notes = append(ex.Notes, "(--show-excluded lists every name; --format json has them all)")
	}
	return output.Write(a.io.Out, output.Table, ex, nil)
}

func rulesName(r screen.Rules) string {
	switch {
	case r.File != "" && r.Name != "":
		return r.Name + ", " + r.File
	case r.File != "":
		return r.File
	case r.Name != "":
		return r.Name
	}
	return "built in"
}

func rulesLine(r screen.Rules) string {
	parts := make([]string, len(r.Rules))
	for i, x := range r.Rules {
		parts[i] = x.String()
	}
	return strings.Join(parts, ", ")
}

func trunc(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
