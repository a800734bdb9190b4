package engine

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/report"
)

func init() { RegisterSection(10, "rebalance", rebalanceSection) }

// rebalanceSection is section 10: the trades that take the book (the user's, or the
// example) to the policy under the current regime, the weights before and after, and
// the book's risk before and after.
func rebalanceSection(ctx context.Context, rc *ReportContext) (*report.Section, error) {
	p, err := reportPlan(ctx, rc)
	if err != nil {
		return nil, err
	}
	s := p.Plan.Summary
	sec := &report.Section{ID: "rebalance", Title: "10. The rebalance plan"}
	var smallBefore, smallAfter float64
	small := p.HedgeSleeve
	if small == "" {
		small = "small-cap"
	}
	for _, r := range s.Sleeves {
		if r.Name == small {
			smallBefore, smallAfter = r.Before, r.After
		}
	}
	sec.Lead = fmt.Sprintf("Under the %s regime, %d trades take %s to the policy %q: %.1f%% turnover for an estimated %s of costs; the %s sleeve goes from %.1f%% to %.1f%% of the book.",
		p.Regime, len(p.Plan.Trades), p.HoldingsFile, p.Policy.Name, 100*s.Turnover, planUSD(s.Cost), small, 100*smallBefore, 100*smallAfter)
	rb, ra := p.RiskBefore, p.RiskAfter
	sec.Metrics = []report.Metric{
		{Label: "Regime", Value: p.Regime, Note: "from the Fed's cycles on the policy-rate data end"},
		{Label: "Trades", Value: fmt.Sprint(len(p.Plan.Trades)), Note: fmt.Sprintf("%s sold, %s bought", planUSD(s.Sold), planUSD(s.Bought))},
		{Label: "Turnover", Value: planPct(s.Turnover), Note: "(bought + sold) / 2 / value"},
		{Label: "Estimated cost", Value: planUSD(s.Cost), Note: fmt.Sprintf("%g bp a trade", p.Policy.CostBps)},
		{Label: "Volatility before → after", Value: fmt.Sprintf("%.1f → %.1f%%", 100*rb.Vol, 100*ra.Vol), Note: "annualised, last 2 years of daily returns"},
		{Label: "95% 1-day VaR before → after", Value: fmt.Sprintf("%.2f → %.2f%%", 100*rb.VaR, 100*ra.VaR), Note: fmt.Sprintf("%s → %s", planUSD(rb.VaRValue), planUSD(ra.VaRValue))},
	}
	sec.Paragraphs = []string{"Regime " + p.RegimeWhy + "."}
	c := report.Chart{ID: "rebalance-weights", Title: "Weights by sleeve: before, after the trades, target", Kind: "bar", YLabel: "share of the book", YPct: true, Height: 320}
	var before, after, target []float64
	for _, r := range s.Sleeves {
		c.X = append(c.X, r.Name)
		before, after, target = append(before, r.Before), append(after, r.After), append(target, r.Target)
	}
	c.X = append(c.X, "cash")
	before = append(before, s.CashBefore/s.ValueBefore)
	after = append(after, s.CashAfter/s.ValueAfter)
	target = append(target, s.CashTarget/s.ValueAfter)
	c.Series = []report.ChartSeries{{Name: "before", Type: "bar", Y: before}, {Name: "after", Type: "bar", Y: after}, {Name: "target", Type: "bar", Y: target}}
	sec.Charts = []report.Chart{c}
	tt := report.Table{Title: "Trades (sells first, then buys)", Columns: []string{"side", "symbol", "sleeve", "shares", "price", "value", "cost", "rule"},
		Numeric: []bool{false, false, false, true, true, true, true, false}}
	for _, t := range p.Plan.Trades {
		tt.Rows = append(tt.Rows, []string{string(t.Side), t.Symbol, t.Sleeve, strconv.FormatFloat(t.Quantity, 'f', -1, 64),
			fmt.Sprintf("%.2f", t.Price), planUSD(t.Value), fmt.Sprintf("%.2f", t.Cost), t.Rule})
	}
	wt := report.Table{Title: "Weights by symbol", Columns: []string{"symbol", "sleeve", "before", "after", "target"}, Numeric: []bool{false, false, true, true, true}}
	for _, r := range s.Symbols {
		wt.Rows = append(wt.Rows, []string{r.Name, r.Sleeve, planPct(r.Before), planPct(r.After), planPct(r.Target)})
	}
	rt := report.Table{Title: "Risk of the book", Columns: []string{"measure", "before", "after"}, Numeric: []bool{false, true, true}}
	rt.Rows = [][]string{
		{"annualised volatility", planPct(rb.Vol), planPct(ra.Vol)},
		{"95% one-day historical VaR", planPct(rb.VaR), planPct(ra.VaR)},
		{"95% one-day VaR, value", planUSD(rb.VaRValue), planUSD(ra.VaRValue)},
		{"value", planUSD(s.ValueBefore), planUSD(s.ValueAfter)},
		{"cash", planUSD(s.CashBefore), planUSD(s.CashAfter)},
	}
	sec.Tables = []report.Table{tt, wt, rt}
	sec.Notes = append(sec.Notes, s.Notes...)
	sec.Notes = append(sec.Notes, p.Notes...)
	byDate := map[string][]string{}
	var dates []string
	for _, pu := range p.Prices {
		if d := pu.Date.String(); d != "" {
			if byDate[d] == nil {
				dates = append(dates, d)
			}
			byDate[d] = append(byDate[d], pu.Symbol)
		}
	}
	for _, d := range dates {
		sec.Notes = append(sec.Notes, fmt.Sprintf("Priced at their catalog close of %s, to the cent: %s.", d, strings.Join(byDate[d], ", ")))
	}
	rc.Summarize(fmt.Sprintf("Plan: %d trades (%.1f%% turnover, %s estimated cost) move the %s sleeve from %.1f%% to %.1f%% of the book; annualised volatility %.1f%% → %.1f%%.",
		len(p.Plan.Trades), 100*s.Turnover, planUSD(s.Cost), small, 100*smallBefore, 100*smallAfter, 100*rb.Vol, 100*ra.Vol))
	return sec, nil
}
