package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/rebalance"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/view"
)

type rebalanceOptions struct {
	policy    string
	regime    string
	cash      float64
	tradesOut string
	format    string
}

func init() { register(newRebalanceCmd) }

func newRebalanceCmd(a *app) *cobra.Command {
	o := &rebalanceOptions{}
	cmd := &cobra.Command{
		Use:   "rebalance [HOLDINGS.csv]",
		Short: "Turn a book and a target policy into trades, with risk before and after and the policy's hedge",
		Long: `Plan the trades that bring a book to a policy under the Fed's current regime.

HOLDINGS.csv (default: the example book, examples/holdings.csv) has the header
symbol,quantity,price,market_value,sector,sleeve: quantity and price, or a market value
(then the symbol's last catalog close prices it); sector and sleeve are optional, and a
sleeve places a symbol the policy does not name. A row whose symbol is CASH holds the
book's cash (its market value); --cash N replaces it.

POLICY.yaml (--policy; default examples/policy.yaml) gives sleeve targets, symbol
weights within sleeves, bands, costs, regime tilts and a hedge (see the rebalance
package's documentation and examples/policy.yaml).

--regime auto (the default) is the regime on the policy-rate data end, from the Fed's
cycles: easing or tightening while the latest move is under 6 months old, else hold.
Symbols the policy adds are priced at their last catalog close (price/SYMBOL, dated).

The output: the trades (side, quantity, estimated value and cost, and the rule that
asked for each), the weights before, after and target per sleeve and symbol, turnover,
cost and cash, the book's annualised volatility and 95% one-day historical VaR before and
after (daily returns of the last 2 years at fixed weights), and the policy's hedge
quoted on the sleeve that holds its underlying, after the trades (see 'ratecycle hedge').
--format csv prints the trades; --trades-out FILE writes them as CSV (atomically) too.`,
		Example: `  ratecycle rebalance examples/holdings.csv --policy examples/policy.yaml
  ratecycle rebalance my-book.csv --policy my-policy.yaml --regime hold --trades-out trades.csv
  ratecycle rebalance examples/holdings.csv --policy examples/policy.yaml --cash 100000 --format json | jq '.trades[] | {symbol, side, quantity}'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return rebalanceRun(cmd, a, o, args) },
	}
	cmd.Flags().StringVar(&o.policy, "policy", "", "policy YAML (default: the example policy, examples/policy.yaml)")
	cmd.Flags().StringVar(&o.regime, "regime", "auto", "auto, easing, tightening or hold")
	cmd.Flags().Float64Var(&o.cash, "cash", 0, "cash in the book (replaces the holdings' CASH row)")
	cmd.Flags().StringVar(&o.tradesOut, "trades-out", "", "write the trades as CSV to this file (atomically)")
	formatFlag(cmd, &o.format)
	return cmd
}

func rebalanceRun(cmd *cobra.Command, a *app, o *rebalanceOptions, args []string) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	req := engine.RebalanceRequest{Regime: strings.ToLower(o.regime)}
	switch req.Regime {
	case engine.RegimeAuto, rebalance.Easing, rebalance.Tightening, rebalance.Hold:
	default:
		return usagef("--regime %q: want auto, easing, tightening or hold", o.regime)
	}
	if cmd.Flags().Changed("cash") {
		if !(o.cash >= 0) || math.IsInf(o.cash, 0) {
			return usagef("--cash %v: must be a number >= 0", o.cash)
		}
		req.Cash = &o.cash
	}
	if len(args) == 1 {
		data, err := os.ReadFile(args[0])
		if err != nil {
			return usagef("holdings: %v", err)
		}
		if req.Book, err = engine.ParseBook(args[0], data); err != nil {
			return err
		}
	}
	if o.policy != "" {
		if req.Policy, err = os.ReadFile(o.policy); err != nil {
			return usagef("--policy: %v", err)
		}
		req.PolicyFile = o.policy
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	p, err := engine.Rebalance(ctx, cat, req)
	if err != nil {
		return err
	}
	tradesCSV, err := tradesCSV(p.Plan.Trades)
	if err != nil {
		return err
	}
	if o.tradesOut != "" {
		if err := writeAtomic(o.tradesOut, tradesCSV); err != nil {
			return err
		}
	}
	switch f {
	case output.JSON:
		return output.Write(a.io.Out, f, nil, rebalanceView(p))
	case output.CSV:
		_, err := a.io.Out.Write(tradesCSV)
		return err
	}
	if err := writeRebalance(a, p); err != nil {
		return err
	}
	if o.tradesOut != "" {
		fmt.Fprintf(a.io.Out, "\n%d trades written to %s\n", len(p.Plan.Trades), o.tradesOut)
	}
	return nil
}

var tradeColumns = []string{"symbol", "side", "quantity", "price", "value", "cost", "sleeve", "rule"}

// tradesCSV renders the trades as the CSV --trades-out writes and --format csv prints.
func tradesCSV(ts []rebalance.Trade) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(tradeColumns)
	for _, t := range ts {
		_ = w.Write([]string{t.Symbol, string(t.Side), strconv.FormatFloat(t.Quantity, 'f', -1, 64), output.G(t.Price),
			output.F(t.Value, 2), output.F(t.Cost, 2), t.Sleeve, t.Rule})
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

type tradeJSON struct {
	Symbol   string  `json:"symbol"`
	Side     string  `json:"side"`
	Quantity float64 `json:"quantity"`
	Price    float64 `json:"price"`
	Value    float64 `json:"value"`
	Cost     float64 `json:"cost"`
	Sleeve   string  `json:"sleeve"`
	Rule     string  `json:"rule"`
	Drift    float64 `json:"drift"`
	Band     float64 `json:"band"`
}

type weightJSON struct {
	Name           string  `json:"name"`
	Sleeve         string  `json:"sleeve,omitempty"`
	QuantityBefore float64 `json:"quantity_before,omitempty"`
	QuantityAfter  float64 `json:"quantity_after,omitempty"`
	Before         float64 `json:"before"`
	After          float64 `json:"after"`
	Target         float64 `json:"target"`
	Band           float64 `json:"band"`
	Tilted         bool    `json:"tilted"`
}

type rebalanceJSON struct {
	*engine.RebalancePlan
	RiskBefore riskJSON             `json:"risk_before"` // shadows the plan's, with NaN as null
	RiskAfter  riskJSON             `json:"risk_after"`
	Trades     []tradeJSON          `json:"trades"`
	Sleeves    []weightJSON         `json:"sleeves"`
	Symbols    []weightJSON         `json:"symbols"`
	Summary    summaryJSON          `json:"summary"`
	Hedge      *view.HedgeQuoteJSON `json:"hedge,omitempty"`
	PlanNote   []string             `json:"plan_notes"`
}

type riskJSON struct {
	Vol      output.Num         `json:"annualized_volatility"`
	VaR      output.Num         `json:"var_historical_95"`
	VaRValue output.Num         `json:"var_95_value"`
	N        int                `json:"n"`
	From     series.Date        `json:"from"`
	To       series.Date        `json:"to"`
	Weights  map[string]float64 `json:"weights"`
}

func riskView(r *engine.BookRisk) riskJSON {
	return riskJSON{output.Num(r.Vol), output.Num(r.VaR), output.Num(r.VaRValue), r.N, r.From, r.To, r.Weights}
}

type summaryJSON struct {
	ValueBefore float64 `json:"value_before"`
	ValueAfter  float64 `json:"value_after"`
	CashBefore  float64 `json:"cash_before"`
	CashAfter   float64 `json:"cash_after"`
	CashTarget  float64 `json:"cash_target"`
	Bought      float64 `json:"bought"`
	Sold        float64 `json:"sold"`
	Turnover    float64 `json:"turnover"`
	Cost        float64 `json:"cost"`
	BuyScale    float64 `json:"buy_scale"`
}

func weightRows(rs []rebalance.Row) []weightJSON {
	out := make([]weightJSON, len(rs))
	for i, r := range rs {
		out[i] = weightJSON{r.Name, r.Sleeve, r.QuantityBefore, r.QuantityAfter, r.Before, r.After, r.Target, r.Band, r.Tilted}
	}
	return out
}

func rebalanceView(p *engine.RebalancePlan) rebalanceJSON {
	s := p.Plan.Summary
	v := rebalanceJSON{RebalancePlan: p, Trades: []tradeJSON{}, Sleeves: weightRows(s.Sleeves), Symbols: weightRows(s.Symbols),
		Summary:  summaryJSON{s.ValueBefore, s.ValueAfter, s.CashBefore, s.CashAfter, s.CashTarget, s.Bought, s.Sold, s.Turnover, s.Cost, s.BuyScale},
		PlanNote: s.Notes, RiskBefore: riskView(p.RiskBefore), RiskAfter: riskView(p.RiskAfter)}
	for _, t := range p.Plan.Trades {
		v.Trades = append(v.Trades, tradeJSON{t.Symbol, string(t.Side), t.Quantity, t.Price, t.Value, t.Cost, t.Sleeve, t.Rule, t.Drift, t.Band})
	}
	if p.Hedge != nil {
		h := view.Hedge(p.Hedge)
		v.Hedge = &h
	}
	return v
}

func qty(q float64) string { return strconv.FormatFloat(q, 'f', -1, 64) }

// writeRebalance prints a plan as tables: trades, weights, summary, risk, prices, hedge.
func writeRebalance(a *app, p *engine.RebalancePlan) error {
	w := a.io.Out
	s := p.Plan.Summary
	how := "given"
	if p.RegimeAuto {
		how = "auto"
	}
	fmt.Fprintf(w, "Rebalance of %s to %s (%q) under the %s regime (%s)\n", p.HoldingsFile, p.PolicyFile, p.Policy.Name, p.Regime, how)
	if p.RegimeAuto {
		fmt.Fprintf(w, "Regime %s\n", p.RegimeWhy)
	}
	fmt.Fprintln(w)
	tt := &output.Tab{Title: fmt.Sprintf("Trades (%d): sells first, then buys", len(p.Plan.Trades)),
		Columns: []string{"side", "symbol", "sleeve", "quantity", "price", "value", "cost", "rule"}}
	for _, t := range p.Plan.Trades {
		tt.Add(string(t.Side), t.Symbol, t.Sleeve, qty(t.Quantity), output.G(t.Price), money(t.Value), money(t.Cost), t.Rule)
	}
	if len(p.Plan.Trades) == 0 {
		tt.Notes = []string{"No trades: every symbol and sleeve is inside its band."}
	}
	if err := output.Write(w, output.Table, tt, nil); err != nil {
		return err
	}
	wt := &output.Tab{Title: "\nWeights of the book: before, after the trades and costs, target", Columns: []string{"sleeve / symbol", "before", "after", "target", "band", "shares before", "shares after"}}
	for _, sl := range s.Sleeves {
		name := sl.Name
		if sl.Tilted {
			name += " (tilted)"
		}
		wt.Add(name, output.Pct(sl.Before, 2), output.Pct(sl.After, 2), output.Pct(sl.Target, 2), output.Pct(sl.Band, 2), "", "")
		for _, r := range s.Symbols {
			if r.Sleeve == sl.Name {
				wt.Add("  "+r.Name, output.Pct(r.Before, 2), output.Pct(r.After, 2), output.Pct(r.Target, 2), output.Pct(r.Band, 2), qty(r.QuantityBefore), qty(r.QuantityAfter))
			}
		}
	}
	wt.Add("cash", output.Pct(s.CashBefore/s.ValueBefore, 2), output.Pct(s.CashAfter/s.ValueAfter, 2), output.Pct(s.CashTarget/s.ValueAfter, 2), "", "", "")
	if err := output.Write(w, output.Table, wt, nil); err != nil {
		return err
	}
	st := &output.Tab{Title: "\nSummary", Columns: []string{"item", "value"}}
	st.Add("value before / after", fmt.Sprintf("%s / %s", money(s.ValueBefore), money(s.ValueAfter)))
	st.Add("cash before / after (target)", fmt.Sprintf("%s / %s (%s)", money(s.CashBefore), money(s.CashAfter), money(s.CashTarget)))
	st.Add("sold / bought", fmt.Sprintf("%s / %s", money(s.Sold), money(s.Bought)))
	st.Add("turnover", output.Pct(s.Turnover, 2)+" ((bought + sold) / 2 / value before)")
	st.Add("estimated cost", fmt.Sprintf("%s (%s of the book; %g bp a trade)", money(s.Cost), output.Pct(s.Cost/s.ValueBefore, 3), p.Policy.CostBps))
	st.Notes = s.Notes
	if err := output.Write(w, output.Table, st, nil); err != nil {
		return err
	}
	rt := &output.Tab{Title: "\nRisk of the book", Columns: []string{"measure", "before", "after"}}
	rb, ra := p.RiskBefore, p.RiskAfter
	rt.Add("annualised volatility", output.Pct(rb.Vol, 2), output.Pct(ra.Vol, 2))
	rt.Add("95% one-day historical VaR", output.Pct(rb.VaR, 2), output.Pct(ra.VaR, 2))
	rt.Add("95% one-day VaR, value", money(rb.VaRValue), money(ra.VaRValue))
	rt.Add("daily returns (n)", fmt.Sprint(rb.N), fmt.Sprint(ra.N))
	rt.Add("window", fmt.Sprintf("%s..%s", rb.From, rb.To), fmt.Sprintf("%s..%s", ra.From, ra.To))
	rt.Notes = p.Notes
	if err := output.Write(w, output.Table, rt, nil); err != nil {
		return err
	}
	pt := &output.Tab{Title: "\nPrices used", Columns: []string{"symbol", "price", "date", "source"}}
	for _, pu := range p.Prices {
		pt.Add(pu.Symbol, output.G(pu.Price), pu.Date.String(), pu.Source)
	}
	if err := output.Write(w, output.Table, pt, nil); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if p.Hedge == nil {
		fmt.Fprintf(w, "The policy's hedge: not quoted: %s\n", p.HedgeWhy)
		return nil
	}
	return writeHedgeQuote(w, p.Hedge, fmt.Sprintf("The policy's hedge: %s on %s, %d days, sized to sleeve %s after the trades",
		p.Hedge.Quote.Strategy, p.Hedge.Symbol, p.Hedge.ExpiryDays, p.HedgeSleeve))
}
