package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/risk"
)

func init() { RegisterSection(9, "hedge", hedgeSection) }

// reportPlan runs the rebalance of the report's book (ReportOptions.Holdings, else the
// example) against the example policy, reading every series through rc so the data
// appendix lists it. Sections 9 and 10 each call it: the plan takes milliseconds.
func reportPlan(ctx context.Context, rc *ReportContext) (*RebalancePlan, error) {
	req := RebalanceRequest{History: rc.History, Load: rc.Load}
	if len(rc.Opt.HoldingsData) > 0 {
		book, err := ParseBook(rc.Opt.Holdings, rc.Opt.HoldingsData)
		if err != nil {
			return nil, err
		}
		req.Book = book
	}
	return Rebalance(ctx, rc.Cat, req)
}

// planUSD formats a currency amount with thousands separators: 1234567.8 -> "$1,234,568".
func planUSD(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-$" + b.String()
	}
	return "$" + b.String()
}

func planPct(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) }

// hedgeSection is section 9: the policy's hedge quoted on the sleeve it protects.
func hedgeSection(ctx context.Context, rc *ReportContext) (*report.Section, error) {
	p, err := reportPlan(ctx, rc)
	if err != nil {
		return nil, err
	}
	sec := &report.Section{ID: "hedge", Title: "9. The hedge quote"}
	if p.Hedge == nil {
		if p.Policy.Hedge == nil {
			return nil, nil
		}
		sec.Lead = "The policy's hedge could not be quoted: " + p.HedgeWhy + "."
		return sec, nil
	}
	h := p.Hedge
	q := h.Quote
	be, beNote := "none", "the hedged sleeve cannot break even"
	if len(q.Breakevens) > 0 {
		be = fmt.Sprintf("%.2f", q.Breakevens[0])
		beNote = fmt.Sprintf("%s %+.1f%% at expiry", h.Symbol, 100*(q.Breakevens[0]/q.Underlying.Spot-1))
	}
	sec.Lead = fmt.Sprintf("The policy's %s on %s for %d days, sized to the %s sleeve after the trades (%s, beta %.2f to %s): %d contracts for %s, %.1f%% of the sleeve (%.1f%% a year). It pays below %.2f and at most %s.",
		q.Strategy, h.Symbol, h.ExpiryDays, p.HedgeSleeve, planUSD(h.Value), h.Beta, h.Symbol, q.Sizing.Contracts, planUSD(q.PremiumTotal),
		100*h.CostOfValue, 100*h.CostOfValueAnnual, q.ProtectionBelow, planUSD(q.MaxPayoutPerShare*q.Sizing.Shares))
	sec.Metrics = []report.Metric{
		{Label: "Premium", Value: planUSD(q.PremiumTotal), Note: fmt.Sprintf("%.4f per share, %d contracts of %d", q.PremiumPerShare, q.Sizing.Contracts, 100)},
		{Label: "Cost, % of the sleeve", Value: planPct(h.CostOfValue), Note: fmt.Sprintf("%s a year (simple annualisation)", planPct(h.CostOfValueAnnual))},
		{Label: "Breakeven", Value: be, Note: beNote},
		{Label: "Spot " + h.Symbol, Value: fmt.Sprintf("%.2f", h.Market.Spot.Value), Note: "close of " + h.Market.Spot.Date.String()},
		{Label: "Volatility", Value: planPct(h.Market.Vol.Value), Note: fmt.Sprintf("%s, %s", h.Market.Vol.Source, h.Market.Vol.Date)},
		{Label: "Rate", Value: planPct(h.Market.Rate.Value), Note: fmt.Sprintf("%s, %s", h.Market.Rate.Source, h.Market.Rate.Date)},
	}
	sec.Paragraphs = []string{
		fmt.Sprintf("The hedge is on %s, not on each holding: the sleeve is assumed to move %.2f times %s (its value-weighted beta from two years of daily returns), so what it does not share with %s (homebuilders' and regional banks' own risks) stays unhedged.",
			h.Symbol, h.Beta, h.Symbol, h.Symbol),
		"Volatility: " + h.Market.Vol.Note + ". Rate: " + h.Market.Rate.Note + ". Dividend yield: " + h.Market.Yield.Note + ".",
	}
	c := report.Chart{ID: "hedge-payoff", Title: fmt.Sprintf("Value of the %s sleeve at expiry as %s moves, with and without the hedge", p.HedgeSleeve, h.Symbol),
		Kind: "bar", YLabel: "USD", Height: 340}
	var unhedged, hedged []float64
	for _, pt := range q.Payoff {
		c.X = append(c.X, fmt.Sprintf("%+.0f%%", 100*pt.Move))
		unhedged = append(unhedged, pt.Unhedged)
		hedged = append(hedged, pt.Hedged)
	}
	c.Series = []report.ChartSeries{{Name: "unhedged", Type: "line", Y: unhedged}, {Name: "hedged, net of premium", Type: "line", Y: hedged}}
	sec.Charts = []report.Chart{c}
	st := report.Table{Title: fmt.Sprintf("Stress windows: %s's move replayed, the sleeve at the window's end", h.Symbol),
		Columns: []string{"window", "from", "to", h.Symbol + " move", "unhedged", "hedged", "difference"}, Numeric: []bool{false, false, false, true, true, true, true}}
	for _, s := range h.Stress {
		if s.Coverage == risk.CoverNone {
			st.Rows = append(st.Rows, []string{s.Window.Name, s.Window.From.String(), s.Window.To.String(), "no data", "", "", ""})
			continue
		}
		st.Rows = append(st.Rows, []string{s.Window.Name, s.Window.From.String(), s.Window.To.String(), fmt.Sprintf("%+.1f%%", 100*s.Move),
			planUSD(s.Point.Unhedged), planUSD(s.Point.Hedged), planUSD(s.Point.Hedged - s.Point.Unhedged)})
	}
	lt := report.Table{Title: "Legs (per share)", Columns: []string{"leg", "strike", "moneyness", "premium", "delta"}, Numeric: []bool{false, true, true, true, true}}
	for _, l := range q.Legs {
		side := "long "
		if l.Position < 0 {
			side = "short "
		}
		lt.Rows = append(lt.Rows, []string{side + l.Kind.String(), fmt.Sprintf("%.2f", l.Strike), planPct(l.Moneyness), fmt.Sprintf("%.4f", l.Premium), fmt.Sprintf("%.4f", l.Greeks.Delta)})
	}
	sec.Tables = []report.Table{st, lt}
	sec.Notes = append(sec.Notes, h.Notes...)
	if h.BetaDetail != nil {
		sec.Notes = append(sec.Notes, h.BetaDetail.Notes...)
	}
	rc.Summarize(fmt.Sprintf("Hedge: a %s on %s for %d days costs %s, %.1f%% of the %s sleeve (%.1f%% a year), and pays up to %s below %.2f.",
		q.Strategy, h.Symbol, h.ExpiryDays, planUSD(q.PremiumTotal), 100*h.CostOfValue, p.HedgeSleeve, 100*h.CostOfValueAnnual,
		planUSD(q.MaxPayoutPerShare*q.Sizing.Shares), q.ProtectionBelow))
	return sec, nil
}
