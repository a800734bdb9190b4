package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/sector"
	"github.com/ratecycle/ratecycle/study"
)

func init() { RegisterSection(5, "sectors", sectorsSection) }

// sectorsSection: which sectors had the wind at their back in easing cycles. The Ken
// French 12 industries carry the history (19 first cuts since 1957); the sector ETFs are
// the instruments, with four first cuts at most.
func sectorsSection(ctx context.Context, rc *ReportContext) (*report.Section, error) {
	fr, err := sectors(ctx, rc.Load, rc.History, SectorOptions{Universe: "french12", MaxLags: -1})
	if err != nil {
		return nil, err
	}
	etf, err := sectors(ctx, rc.Load, rc.History, SectorOptions{Universe: "etf", MaxLags: -1})
	if err != nil {
		return nil, err
	}
	sec := &report.Section{ID: "sectors", Title: "5. Sector tailwinds"}
	over, under := names(fr, "overweight"), names(fr, "underweight")
	n := 0
	if len(fr.Rows) > 0 {
		n = fr.Rows[0].FirstCut.N
	}
	top := fr.Rows[0]
	sec.Lead = fmt.Sprintf("Across %d first cuts since 1957, the industries to overweight on the combined score are %s; underweight %s. The strongest, %s, beat the market by %+.1f%% on average in the 12 months after a first cut.",
		n, strings.Join(over, ", "), strings.Join(under, ", "), longName(top), 100*top.FirstCut.Mean)
	sec.Metrics = []report.Metric{
		{Label: "Overweight (Ken French 12)", Value: strings.Join(over, ", "), Note: "top third of the combined score"},
		{Label: "Underweight", Value: strings.Join(under, ", "), Note: "bottom third"},
		{Label: "First cuts measured", Value: fmt.Sprint(n), Note: fmt.Sprintf("French industries to %s; ETFs: at most %d (from 1998)", fr.Rows[0].MomAsOf, maxN(etf))},
		{Label: "Overweight ETFs", Value: strings.Join(names(etf, "overweight"), ", "), Note: "too few first cuts to conclude on their own"},
		{Label: "Score weights", Value: fmt.Sprintf("%.0f / %.0f / %.0f / %.0f", 100*fr.Weights.FirstCut, 100*fr.Weights.Easing, 100*fr.Weights.RateBeta, 100*fr.Weights.Momentum),
			Note: "% first cut / easing / rate beta (sign flipped) / momentum, on z-scores across the universe"},
	}
	sec.Paragraphs = []string{
		"Each industry is measured four ways against the market: its mean excess return over the 12 months after the Fed's first cut of an easing cycle (an event study), its mean excess return in the months the Fed was easing, its sensitivity to changes in the 2-year Treasury yield, and its momentum over the last 6 and 12 months. The score weighs their z-scores; the weights are shown and can be changed with `ratecycle sectors --weights`.",
		"A negative beta to the 2-year yield means the industry beat the market in months the yield fell, which is what a cutting cycle usually brings. The event study's windows overlap within a cycle and pre-1982 cuts are inferred from monthly fed funds, so its t statistics overstate precision; with 19 events one cycle can move the mean by a point or more.",
	}
	sec.Charts = []report.Chart{scoreChart("sector-score", fmt.Sprintf("Combined score, Ken French 12 industries (weights %s)", fr.Weights), fr),
		scoreChart("sector-score-etf", "Combined score, sector ETFs vs SPY (at most four first cuts: too few to conclude)", etf)}
	sec.Tables = []report.Table{rankingTable("Ken French 12 industries vs the market (Mkt-RF + RF), monthly", fr),
		rankingTable("Sector, homebuilder, regional-bank and quality ETFs vs SPY, daily prices", etf)}
	sec.Notes = append(sec.Notes, fr.Notes...)
	sec.Notes = append(sec.Notes, fmt.Sprintf("ETF momentum as of %s; French industries end %s (the embedded Ken French file), so the September 2024 first cut has no complete 12-month window there.", etf.Rows[0].MomAsOf, fr.Rows[0].MomAsOf),
		fmt.Sprintf("n below %d events is too few to conclude: every ETF first-cut figure is in that case.", study.MinEvents))
	rc.Summarize(fmt.Sprintf("Sectors (Ken French 12, %d first cuts): overweight %s; underweight %s.", n, strings.Join(over, ", "), strings.Join(under, ", ")))
	return sec, nil
}

func names(r *sector.Ranking, call string) []string {
	var out []string
	for _, row := range r.Rows {
		if row.Call == call {
			out = append(out, row.Asset.Name)
		}
	}
	return out
}

func maxN(r *sector.Ranking) int {
	m := 0
	for _, row := range r.Rows {
		m = max(m, row.FirstCut.N)
	}
	return m
}

func longName(r sector.Row) string {
	t := r.Asset.Title
	if i := strings.IndexAny(t, ":("); i > 0 {
		t = strings.TrimSpace(t[:i])
	}
	return fmt.Sprintf("%s (%s)", r.Asset.Name, strings.ToLower(t[:1])+t[1:])
}

func scoreChart(id, title string, r *sector.Ranking) report.Chart {
	c := report.Chart{ID: id, Title: title, Kind: "bar", YLabel: "score (weighted z)", Height: 320}
	var y []float64
	for _, row := range r.Rows {
		c.X = append(c.X, row.Asset.Name)
		y = append(y, row.Score)
	}
	c.Series = []report.ChartSeries{{Name: "combined score", Type: "bar", Y: y}}
	return c
}

func rankingTable(title string, r *sector.Ranking) report.Table {
	t := report.Table{Title: title, Columns: []string{"rank", "name", "holds", "call", "score", "why"},
		Numeric: []bool{true, false, false, false, true, false}}
	for _, row := range r.Rows {
		holds := row.Asset.Title
		if i := strings.Index(holds, ":"); i > 0 {
			holds = holds[:i]
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(row.Rank), row.Asset.Name, holds, row.Call, fmt.Sprintf("%+.2f", row.Score), row.Reason})
	}
	return t
}
