package engine

import (
	"context"
	"fmt"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/series"
)

// ReportSection builds the one report section registered under name ("valuation",
// "sectors", ...) with the report's own builder, so a shell that shows an analysis
// beside the report (the dashboard) draws the report's charts rather than copies of
// them. It returns (nil, nil) when the section has nothing to say.
func ReportSection(ctx context.Context, cat *catalog.Catalog, name string) (*report.Section, error) {
	for _, b := range sectionBuilders {
		if b.name != name {
			continue
		}
		h, err := Cycles(ctx, cat, cycle.DefaultRules)
		if err != nil {
			return nil, err
		}
		rc := &ReportContext{Cat: cat, History: h, used: map[string]*series.Series{}}
		sec, err := b.build(ctx, rc)
		if err != nil {
			return nil, fmt.Errorf("report section %s: %w", name, err)
		}
		return sec, nil
	}
	return nil, fmt.Errorf("no report section %q", name)
}

// BacktestCharts are the report's charts of one backtest run, for any strategy: the
// growth of $1 of every portfolio with h's easing cycles shaded, each portfolio's
// wealth relative to the strategy's relative_to portfolio, and drawdowns. Daily runs
// keep one point a week, as in the report.
func BacktestCharts(res *backtest.Result, h *cycle.History) []report.Chart {
	cs := []report.Chart{btGrowthChart(res, h)}
	if rel := btRelativeChart(res, h); len(rel.Series) > 0 {
		cs = append(cs, rel)
	}
	return append(cs, btDrawdownChart(res))
}
