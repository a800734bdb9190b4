package engine

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/screen"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/sec"
)

func init() { RegisterSection(6, "screen", screenSection) }

// screenSection: the quality screen's top names. Offline there are no current
// fundamentals for the IWM names, so the section says so with the counts, ranks the
// 2010q2 point-in-time screen (the one bulk SEC quarter embedded), and screens the
// embedded companyfacts documents to show the current path end to end.
func screenSection(ctx context.Context, rc *ReportContext) (*report.Section, error) {
	rules := screen.DefaultRules()
	sd, err := openSEC(ctx, rc.Cat, nil)
	if err != nil {
		return nil, err
	}
	iwm, err := sd.screen(ctx, ScreenOptions{Rules: rules, AsOf: series.NoDate})
	if err != nil {
		return nil, err
	}
	fs, err := sd.screen(ctx, ScreenOptions{Rules: rules, FSDS: "2010q2", AsOf: series.NoDate})
	if err != nil {
		return nil, err
	}
	var docs []*sec.CompanyFacts
	for _, p := range EmbeddedFactsFiles() {
		b, err := rc.Cat.File(p)
		if err != nil {
			return nil, err
		}
		cf, err := sec.ParseCompanyFacts(bytes.NewReader(b), p)
		if err != nil {
			return nil, err
		}
		docs = append(docs, cf)
	}
	cur, err := sd.screen(ctx, ScreenOptions{Rules: rules, Facts: docs, AsOf: series.NoDate})
	if err != nil {
		return nil, err
	}
	mapped, tickers := iwm.Mapped, iwm.Tickers
	pass, fail, unknown := fs.Counts()
	sec := &report.Section{ID: "screen", Title: "6. The quality screen's top names"}
	sec.Lead = fmt.Sprintf("Offline, none of the %d IWM names that map to an SEC filer has current fundamentals (run `ratecycle data update --source sec`). The point-in-time screen of 2010 Q2's filers shows the method: of %d screened, %d broke no rule that could be checked and %d failed at least one; none passes outright, because the Altman Z needs 2010 share prices, which are not offline.",
		mapped, len(fs.Rows), unknown+pass, fail)
	sec.Metrics = []report.Metric{
		{Label: "IWM names with fundamentals offline", Value: fmt.Sprintf("%d of %d", len(iwm.Rows), tickers), Note: fmt.Sprintf("%d map to an SEC CIK; companyfacts are downloaded per company", mapped)},
		{Label: "2010q2 filers screened", Value: fmt.Sprint(len(fs.Rows)), Note: fmt.Sprintf("%d excluded with reasons; as of %s", len(fs.Excluded), fs.AsOf)},
		{Label: "2010q2: pass / unknown / fail", Value: fmt.Sprintf("%d / %d / %d", pass, unknown, fail), Note: "unknown = no rule failed, some could not be checked"},
		{Label: "Rules", Value: fmt.Sprint(len(rules.Rules)), Note: rulesText(rules)},
	}
	sec.Paragraphs = []string{
		"The screen computes, from each company's XBRL financial statements, ROA, ROE, gross profitability, operating margin, debt to equity (total liabilities over equity), interest coverage, current ratio, accruals, revenue growth and its stability, the nine Piotroski signals and the Altman Z-score, and applies the rules of examples/screen.yaml. A rule whose input a filer did not report is unknown for that name, never a pass; names are ranked passes first, then those with no failed rule, then failures, and within each group by a quality composite (mean percentile rank of the profitability, leverage, liquidity and accrual metrics).",
		fmt.Sprintf("The 2010 Q2 quarter is the only bulk set of SEC statements embedded: in 2010 only the largest filers used XBRL, so these are large companies, and today's IWM holds %d of them. The ranking shows what the screen does with real filings as an investor could have read them on %s; it is not a list to buy today. Current fundamentals come from the SEC's companyfacts API per company once downloaded.", iwmInFSDS(ctx, sd), fs.AsOf),
	}
	top := report.Table{Title: fmt.Sprintf("Top names, FSDS 2010q2 point in time (as of %s), built-in rules", fs.AsOf),
		Columns: []string{"rank", "company", "status", "quality", "F-score", "ROA", "gross prof.", "debt/equity", "int. cover", "open rules"},
		Numeric: []bool{true, false, false, true, false, true, true, true, true, false}}
	for _, r := range fs.Rows[:min(12, len(fs.Rows))] {
		top.Rows = append(top.Rows, screenRow(r))
	}
	cu := report.Table{Title: "Current companyfacts offline: the two embedded documents (neither is an IWM member; no price, so no Altman Z)",
		Columns: top.Columns, Numeric: top.Numeric}
	for _, r := range cur.Rows {
		cu.Rows = append(cu.Rows, screenRow(r))
	}
	cov := report.Table{Title: "Coverage of the 2010q2 screen: filers with each metric", Columns: []string{"metric", "filers"}, Numeric: []bool{false, true}}
	for _, c := range fs.Metrics {
		cov.Rows = append(cov.Rows, []string{c.Item, fmt.Sprintf("%d of %d", c.N, c.Of)})
	}
	sec.Tables = []report.Table{top, cu, cov}
	sec.Notes = append(sec.Notes, iwm.Notes[0])
	sec.Notes = append(sec.Notes, fs.Notes...)
	sec.Notes = append(sec.Notes, "Exclusions in 2010q2: "+exclusionSummary(fs.Excluded)+".",
		"Sources: sec/fsds-2010q2-secfsdstools/2010q2.zip (SEC DERA Financial Statement Data Sets, Nov 2024 re-issue), sec-edgartools/snow_facts.json and lpa_facts.json (SEC companyfacts), sec/tickers-smid-sec-data-engine/sec_tickers.json (SEC ticker map, Mar 2026). The report reads the embedded snapshot only; `ratecycle screen` also reads companyfacts stored by `data update`.")
	rc.Summarize(fmt.Sprintf("Quality screen: no current fundamentals offline for the %d IWM names with an SEC CIK; on the 2010 Q2 filings (point in time) %d of %d filers broke no rule that could be checked.", mapped, unknown+pass, len(fs.Rows)))
	return sec, nil
}

func screenRow(r screen.Row) []string {
	m := &r.Metrics
	f := func(k screen.Metric) string {
		v := m.Value[k]
		if math.IsNaN(v) {
			return "?"
		}
		return screen.FormatMetric(k, v)
	}
	name := r.Inputs.Name
	if r.Inputs.Ticker != "" {
		name += " (" + r.Inputs.Ticker + ")"
	}
	open := append(append([]string{}, r.Failed...), r.Unknown...)
	for i := range r.Failed {
		open[i] = "FAIL " + open[i]
	}
	return []string{fmt.Sprint(r.Rank), name, string(r.Status), fmt.Sprintf("%.2f", r.Quality), m.FScore.String(),
		f(screen.ROA), f(screen.GrossProfitability), f(screen.DebtToEquity), f(screen.InterestCoverage), strings.Join(open, ", ")}
}

func rulesText(r screen.Rules) string {
	parts := make([]string, len(r.Rules))
	for i, x := range r.Rules {
		parts[i] = x.String()
	}
	return strings.Join(parts, "; ")
}

func iwmInFSDS(ctx context.Context, sd *secData) int {
	res, err := sd.screen(ctx, ScreenOptions{FSDS: "2010q2", Universe: "holdings/IWM", AsOf: series.NoDate})
	if err != nil {
		return 0
	}
	return res.WithData
}

func exclusionSummary(ex []screen.Exclusion) string {
	count := map[string]int{}
	var order []string
	for _, e := range ex {
		r := strings.TrimPrefix(e.Reason, "no usable fundamentals: ")
		if i := strings.Index(r, " for 20"); i > 0 && strings.Contains(r, "reports no net income") {
			r = r[:i] + " reports no net income"
		}
		if count[r] == 0 {
			order = append(order, r)
		}
		count[r]++
	}
	parts := make([]string, len(order))
	for i, r := range order {
		parts[i] = fmt.Sprintf("%d %s", count[r], r)
	}
	return strings.Join(parts, "; ")
}
