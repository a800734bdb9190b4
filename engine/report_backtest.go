package engine

import (
	"context"
	"fmt"
	"math"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/sweep"
)

func init() { RegisterSection(8, "backtest", backtestSection) }

// reportSweepGrid is the small sweep the report deflates: every tilt from 10% to 100%
// and signal lags of 0 to 3 months.
const reportSweepGrid = "tilt=0.1:1:0.1,lag=0:3"

// backtestSection runs examples/rotation.yaml on both its runs: growth of $1,
// relative wealth and drawdowns, the PerformanceAnalytics table per portfolio, the
// return per Fed regime, and the deflated information ratio of a small sweep.
func backtestSection(ctx context.Context, rc *ReportContext) (*report.Section, error) {
	s, err := backtest.ParseStrategy(examples.Rotation, "examples/rotation.yaml")
	if err != nil {
		return nil, err
	}
	sec := &report.Section{ID: "backtest", Title: "8. The rotation backtest against its benchmarks"}
	var results []*backtest.Result
	var preps []*backtest.Prepared
	for _, r := range s.Runs {
		ids, err := s.Inputs(r.Name)
		if err != nil {
			return nil, err
		}
		d := &backtest.Data{Series: map[string]*series.Series{}, History: rc.History}
		for _, id := range append(ids, backtest.FedFundsID) {
			if d.Series[id], err = rc.Load(ctx, id); err != nil {
				return nil, err
			}
		}
		p, err := backtest.Prepare(s, r.Name, d, series.NoDate, series.NoDate)
		if err != nil {
			return nil, err
		}
		res, err := p.Backtest(nil)
		if err != nil {
			return nil, err
		}
		results = append(results, res)
		preps = append(preps, p)
	}
	get := func(res *backtest.Result, name string) *backtest.PortfolioResult {
		for i := range res.Portfolios {
			if res.Portfolios[i].Name == name {
				return &res.Portfolios[i]
			}
		}
		return nil
	}
	fr, etf := results[0], results[1]
	frRot, frMkt, frStat := get(fr, "rotation"), get(fr, "market"), get(fr, "static")
	etRot, etMkt, etStat := get(etf, "rotation"), get(etf, "market"), get(etf, "static")
	tilt := s.Defaults()[0]
	sec.Lead = fmt.Sprintf("Holding a %.0f%% small-cap tilt from the first cut of each easing cycle to the first hike of the next tightening earned %.2f%% a year against %.2f%% for the market on Ken French data %d-%d (Sharpe %.2f vs %.2f), and %.2f%% against %.2f%% on SPY/IWM since %d (Sharpe %.2f vs %.2f).",
		100*tilt, 100*frRot.Summary.AnnualizedReturn, 100*frMkt.Summary.AnnualizedReturn, fr.Dates[1].Year(), fr.Dates[len(fr.Dates)-1].Year(),
		frRot.Summary.SharpeAnnualized, frMkt.Summary.SharpeAnnualized,
		100*etRot.Summary.AnnualizedReturn, 100*etMkt.Summary.AnnualizedReturn, etf.Dates[1].Year(),
		etRot.Summary.SharpeAnnualized, etMkt.Summary.SharpeAnnualized)
	sec.Metrics = []report.Metric{
		{Label: fmt.Sprintf("Rotation CAGR %d-%d", fr.Dates[1].Year(), fr.Dates[len(fr.Dates)-1].Year()), Value: btPct2(frRot.Summary.AnnualizedReturn),
			Note: fmt.Sprintf("market %s, static mix %s", btPct2(frMkt.Summary.AnnualizedReturn), btPct2(frStat.Summary.AnnualizedReturn))},
		{Label: "Information ratio vs market (French)", Value: fmt.Sprintf("%.2f", frRot.Summary.Relative.InformationRatio),
			Note: fmt.Sprintf("tracking error %s a year", btPct2(frRot.Summary.Relative.TrackingError))},
		{Label: fmt.Sprintf("Rotation CAGR since %d (ETFs)", etf.Dates[1].Year()), Value: btPct2(etRot.Summary.AnnualizedReturn),
			Note: fmt.Sprintf("SPY %s, static mix %s", btPct2(etMkt.Summary.AnnualizedReturn), btPct2(etStat.Summary.AnnualizedReturn))},
		{Label: "Worst drawdown (ETFs)", Value: btPct1(-etRot.Summary.MaxDrawdown), Note: "SPY " + btPct1(-etMkt.Summary.MaxDrawdown)},
	}
	// The sweep: the best of many variants is not evidence; deflate it.
	g, err := sweep.ParseGrid(reportSweepGrid)
	if err != nil {
		return nil, err
	}
	sum := sweep.NewSummarizer(sweep.Header{Params: g.Names(), Trials: g.Len(), Scale: preps[0].Scale}, sweep.IR, 1)
	if _, err := sweep.Run(ctx, preps[0], "rotation", g, sweep.Options{}, func(r *sweep.Record) error { sum.Add(r); return nil }); err != nil {
		return nil, err
	}
	sw := sum.Summary()
	best := sw.Top[0]
	ann := math.Sqrt(float64(preps[0].Scale))
	sec.Metrics = append(sec.Metrics, report.Metric{Label: fmt.Sprintf("Best of %d variants: deflated P(beats market)", sw.Trials),
		Value: fmt.Sprintf("%.2f", best.DSRActive),
		Note:  fmt.Sprintf("tilt %.0f%%, lag %.0f months, information ratio %.2f vs %.2f expected from luck", 100*best.Params[0], best.Params[1], best.Stats.IR, sw.IR0*ann)})
	nEasing := 0
	for _, c := range rc.History.Cycles {
		if c.Direction == cycle.Easing && c.FirstMove >= fr.Dates[0] && c.FirstMove <= fr.Dates[len(fr.Dates)-1] {
			nEasing++
		}
	}
	sec.Paragraphs = []string{
		fmt.Sprintf("The strategy file is examples/rotation.yaml: hold the market; from the month end after the first cut of an easing cycle (as announced) move %.0f%% of the portfolio into small caps (on French data the value-weighted bottom 30%% by size, on ETFs IWM), and move back at the month end after the first hike. The static mix holds half the tilt all the time; the market is Mkt-RF + RF, or SPY. Costs are %.0f bp of turnover, cash earns the T-bill rate.",
			100*tilt, s.Defaults()[3]),
		fmt.Sprintf("Every decision is point in time: a rule sees a Fed move from its announcement day, the moves inferred before 1982 only once the monthly average had confirmed the turn, yields a day late and NBER months a year late. A test changes every observation after a date in every input and checks that no decision up to that date moves. The test period holds %d easing cycles: a handful of episodes decide the result, so the excess return per regime below is an account of those episodes, not an estimate with a tight interval.", nEasing),
		fmt.Sprintf("Picking the best of %d variants (%s) would overstate the edge: the best information ratio, %.2f, compares with %.2f expected from the best of %d skill-less variants, and the deflated probability that it truly beats the market is %.2f (Bailey and López de Prado 2014; 0.95 would be the usual bar).",
			sw.Trials, "tilt 10-100%, signal lag 0-3 months", best.Stats.IR, sw.IR0*ann, sw.Trials, best.DSRActive),
	}
	for i, res := range results {
		sec.Charts = append(sec.Charts, btGrowthChart(res, rc.History))
		if i == 0 {
			sec.Charts = append(sec.Charts, btRelativeChart(res, rc.History))
		} else {
			sec.Charts = append(sec.Charts, btDrawdownChart(res))
		}
	}
	for _, res := range results {
		sec.Tables = append(sec.Tables, btRiskTable(res), btRegimeTable(res))
	}
	sec.Notes = []string{
		"PerformanceAnalytics conventions: geometric annualised return; sample standard deviation x sqrt(12 or 252); Sharpe (PA 2.1.0) and Sortino with Rf = the cash returns; the starting $1 counts as a peak in drawdowns; beta and information ratio against the market.",
		"Regimes: easing or tightening while the cycle's latest move is at most six months old, else hold; each period is labelled with the regime known at its start.",
	}
	for _, res := range results {
		for _, n := range res.Notes {
			sec.Notes = append(sec.Notes, "Run "+res.Run.Name+": "+n+".")
		}
	}
	rc.Summarize(fmt.Sprintf("Backtest: rotating %.0f%% into small caps from the first cut to the first hike returned %.2f%% a year vs %.2f%% for the market (French monthly %d-%d) and %.2f%% vs %.2f%% on IWM/SPY since %d; deflated for %d variants the edge is %s (P = %.2f), though it rests on %d easing cycles.",
		100*tilt, 100*frRot.Summary.AnnualizedReturn, 100*frMkt.Summary.AnnualizedReturn, fr.Dates[1].Year(), fr.Dates[len(fr.Dates)-1].Year(),
		100*etRot.Summary.AnnualizedReturn, 100*etMkt.Summary.AnnualizedReturn, etf.Dates[1].Year(), sw.Trials, btVerdict(best.DSRActive), best.DSRActive, nEasing))
	return sec, nil
}

func btVerdict(p float64) string {
	switch {
	case p >= 0.95:
		return "unlikely to be luck"
	case p >= 0.8:
		return "suggestive, not conclusive"
	}
	return "indistinguishable from luck"
}

func btPct2(x float64) string { return fmt.Sprintf("%.2f%%", 100*x) }
func btPct1(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// thin keeps one point a week for daily runs (the last of each week) so the report
// stays small; monthly runs keep every point.
func btThin(res *backtest.Result) []int {
	var idx []int
	for t, d := range res.Dates {
		if res.Scale != 252 || t == len(res.Dates)-1 || series.PeriodEnd(d, series.Weekly) != series.PeriodEnd(res.Dates[t+1], series.Weekly) {
			idx = append(idx, t)
		}
	}
	return idx
}

func btEasingShades(h *cycle.History, from, to series.Date) []report.Shade {
	var out []report.Shade
	for i, c := range h.Cycles {
		if c.Direction != cycle.Easing {
			continue
		}
		end := to
		if i+1 < len(h.Cycles) {
			end = h.Cycles[i+1].FirstMove
		}
		if end < from || c.FirstMove > to {
			continue
		}
		out = append(out, report.Shade{From: max(c.FirstMove, from).String(), To: min(end, to).String(), Label: "easing cycle from " + c.FirstMove.String()})
	}
	return out
}

func btGrowthChart(res *backtest.Result, h *cycle.History) report.Chart {
	idx := btThin(res)
	c := report.Chart{ID: "backtest-growth-" + res.Run.Name, Kind: "time", YLabel: "growth of $1", Height: 360,
		Title: fmt.Sprintf("%s: growth of $1, %s to %s (shaded: from each first cut to the next first hike)", res.Run.Title, res.Dates[0], res.Dates[len(res.Dates)-1])}
	for _, t := range idx {
		c.X = append(c.X, res.Dates[t].String())
	}
	for _, p := range res.Portfolios {
		y := make([]float64, len(idx))
		for k, t := range idx {
			y[k] = p.Equity[t]
		}
		c.Series = append(c.Series, report.ChartSeries{Name: p.Name, Type: "line", Y: y})
	}
	c.Shades = btEasingShades(h, res.Dates[0], res.Dates[len(res.Dates)-1])
	return c
}

// relativeChart plots each portfolio's wealth relative to the market's: a linear
// scale that shows a century of outperformance without a log axis.
func btRelativeChart(res *backtest.Result, h *cycle.History) report.Chart {
	var mkt *backtest.PortfolioResult
	for i := range res.Portfolios {
		if res.Portfolios[i].Name == res.RelativeTo {
			mkt = &res.Portfolios[i]
		}
	}
	idx := btThin(res)
	c := report.Chart{ID: "backtest-relative-" + res.Run.Name, Kind: "time", YLabel: "wealth / market's wealth", Height: 320,
		Title: fmt.Sprintf("%s: wealth relative to the %s (rises while the tilt pays)", res.Run.Title, res.RelativeTo)}
	for _, t := range idx {
		c.X = append(c.X, res.Dates[t].String())
	}
	for _, p := range res.Portfolios {
		if mkt == nil || p.Name == mkt.Name {
			continue
		}
		y := make([]float64, len(idx))
		for k, t := range idx {
			y[k] = p.Equity[t] / mkt.Equity[t]
		}
		c.Series = append(c.Series, report.ChartSeries{Name: p.Name + " / " + mkt.Name, Type: "line", Y: y})
	}
	c.Shades = btEasingShades(h, res.Dates[0], res.Dates[len(res.Dates)-1])
	return c
}

func btDrawdownChart(res *backtest.Result) report.Chart {
	idx := btThin(res)
	c := report.Chart{ID: "backtest-drawdown-" + res.Run.Name, Kind: "time", YLabel: "drawdown", YPct: true, Height: 300,
		Title: res.Run.Title + ": drawdown from the running peak"}
	for _, t := range idx {
		c.X = append(c.X, res.Dates[t].String())
	}
	for _, p := range res.Portfolios {
		y := make([]float64, len(idx))
		peak := 1.0
		k := 0
		for t, v := range p.Equity {
			peak = max(peak, v)
			if k < len(idx) && idx[k] == t {
				y[k] = v/peak - 1
				k++
			}
		}
		c.Series = append(c.Series, report.ChartSeries{Name: p.Name, Type: "line", Y: y})
	}
	return c
}

func btRiskTable(res *backtest.Result) report.Table {
	t := report.Table{Title: fmt.Sprintf("%s, %s to %s (%d periods)", res.Run.Title, res.Dates[1], res.Dates[len(res.Dates)-1], len(res.Dates)-1),
		Columns: []string{"portfolio", "CAGR", "volatility", "Sharpe", "max drawdown", "$1 grows to", "turnover / year", "beta", "info. ratio"},
		Numeric: []bool{false, true, true, true, true, true, true, true, true}}
	for _, p := range res.Portfolios {
		r := p.Summary
		beta, ir := "", ""
		if r.Relative != nil {
			beta, ir = fmt.Sprintf("%.2f", r.Relative.Beta), fmt.Sprintf("%.2f", r.Relative.InformationRatio)
		}
		t.Rows = append(t.Rows, []string{p.Name, btPct2(r.AnnualizedReturn), btPct2(r.AnnualizedStdDev), fmt.Sprintf("%.3f", r.SharpeAnnualized),
			btPct1(-r.MaxDrawdown), fmt.Sprintf("%.2f", p.Stats.Final), btPct1(p.Stats.Turnover), beta, ir})
	}
	return t
}

func btRegimeTable(res *backtest.Result) report.Table {
	counts := map[cycle.Regime]int{}
	for _, g := range res.Regimes {
		counts[g]++
	}
	t := report.Table{Title: res.Run.Title + ": annualised return per Fed regime (excess over the market)", Columns: []string{"portfolio"}}
	for _, g := range backtest.RegimeOrder {
		t.Columns = append(t.Columns, fmt.Sprintf("%s (n=%d)", g, counts[g]))
	}
	for _, p := range res.Portfolios {
		row := []string{p.Name}
		for _, g := range p.PerRegime {
			row = append(row, fmt.Sprintf("%s (%+.2f)", btPct2(g.Annualized), 100*g.Excess))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
