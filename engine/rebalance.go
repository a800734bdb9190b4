package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/rebalance"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
)

// RegimeAuto asks Rebalance to take the regime from the Fed's history.
const RegimeAuto = "auto"

// VaRLevel is the confidence level of the book's historical VaR.
const VaRLevel = 0.95

// RebalanceRequest asks for a plan.
type RebalanceRequest struct {
	Book       *Book          // nil = the example book (examples/holdings.csv)
	PolicyFile string         // the policy's name in messages ("" with Policy nil)
	Policy     []byte         // policy YAML; nil = examples/policy.yaml
	Regime     string         // RegimeAuto (or ""), easing, tightening or hold
	Cash       *float64       // replaces the book's CASH row when not nil
	History    *cycle.History // for RegimeAuto; nil = Cycles(ctx, cat, cycle.DefaultRules)
	Market     HedgeMarket    // inputs of the policy hedge's quote; zero = DefaultHedgeMarket()
	Load       LoadFunc       // nil = CatalogLoad(cat)
}

// PriceUsed is the price a symbol trades at in the plan and where it came from.
type PriceUsed struct {
	Symbol string      `json:"symbol"`
	Price  float64     `json:"price"`
	Date   series.Date `json:"date"`   // NoDate ("") for a price from the holdings file
	Source string      `json:"source"` // "holdings.csv line 3" or "price/IJR last close"
}

// BookRisk is the risk of a book held at fixed weights over the last BetaMonths.
type BookRisk struct {
	Vol      float64            `json:"annualized_volatility"` // sample sd × √252
	VaR      float64            `json:"var_historical_95"`     // daily, PA sign: negative = loss
	VaRValue float64            `json:"var_95_value"`          // VaR × book value, currency
	N        int                `json:"n"`                     // daily returns
	From     series.Date        `json:"from"`
	To       series.Date        `json:"to"`
	Weights  map[string]float64 `json:"weights"` // cash (the rest) earns 0
}

// RebalancePlan is a plan on catalog data with what was assumed to make it.
type RebalancePlan struct {
	HoldingsFile string            `json:"holdings_file"`
	PolicyFile   string            `json:"policy_file"`
	Policy       *rebalance.Policy `json:"-"`
	Plan         *rebalance.Plan   `json:"-"`
	Regime       string            `json:"regime"`
	RegimeAuto   bool              `json:"regime_auto"`
	RegimeWhy    string            `json:"regime_why"`
	Prices       []PriceUsed       `json:"prices"`
	RiskBefore   *BookRisk         `json:"risk_before"`
	RiskAfter    *BookRisk         `json:"risk_after"`
	// Hedge is the policy's hedge quoted on HedgeSleeve after the trades; nil when the
	// policy has none or it cannot be quoted (HedgeWhy says why).
	Hedge       *HedgeQuote `json:"-"`
	HedgeSleeve string      `json:"hedge_sleeve,omitempty"`
	HedgeWhy    string      `json:"hedge_why,omitempty"`
	Notes       []string    `json:"notes"`
}

// Rebalance plans the trades that bring a book to a policy under the current (or a
// given) regime, with the prices the catalog has for symbols the book does not hold,
// the book's risk before and after, and the policy's hedge quoted on its sleeve.
//
// Bad input (a policy that does not parse or sum, a holdings row the policy cannot
// place, a symbol without a price) is an error naming the file and line that wraps
// source.ErrBadInput.
func Rebalance(ctx context.Context, cat *catalog.Catalog, req RebalanceRequest) (*RebalancePlan, error) {
	load := req.Load
	if load == nil {
		load = CatalogLoad(cat)
	}
	load = memoLoad(load)
	book := req.Book
	if book == nil {
		book = ExampleBook()
	}
	if req.Policy == nil {
		req.Policy, req.PolicyFile = examples.PolicyYAML, examples.PolicyName
	}
	pol, err := rebalance.ParsePolicy(req.Policy)
	if err != nil {
		return nil, rebalance.FileError(err, req.PolicyFile)
	}
	out := &RebalancePlan{HoldingsFile: book.File, PolicyFile: req.PolicyFile, Policy: pol}

	// The regime.
	switch req.Regime {
	case "", RegimeAuto:
		h := req.History
		if h == nil {
			if h, err = Cycles(ctx, cat, cycle.DefaultRules); err != nil {
				return nil, err
			}
		}
		out.Regime, out.RegimeWhy = RegimeNow(h)
		out.RegimeAuto = true
	case rebalance.Easing, rebalance.Tightening, rebalance.Hold:
		out.Regime, out.RegimeWhy = req.Regime, "given"
	default:
		return nil, badSpec("regime %q is not one of auto, easing, tightening, hold", req.Regime)
	}
	targets, err := pol.Targets(out.Regime)
	if err != nil {
		return nil, rebalance.FileError(err, req.PolicyFile)
	}

	// The cash.
	cash := book.Cash
	if req.Cash != nil {
		if !(*req.Cash >= 0) || math.IsInf(*req.Cash, 0) {
			return nil, badSpec("cash %v is not a number >= 0", *req.Cash)
		}
		if book.CashLine > 0 {
			out.Notes = append(out.Notes, fmt.Sprintf("Cash %.2f given on the command line replaces the CASH row of %s line %d (%.2f).", *req.Cash, book.File, book.CashLine, book.Cash))
		}
		cash = *req.Cash
	}

	// Positions, with catalog prices where the file gives only a market value.
	sleeves := map[string]bool{}
	var sleeveNames []string
	inPlan := map[string]bool{}
	for _, s := range targets {
		sleeves[s.Name] = true
		sleeveNames = append(sleeveNames, s.Name)
		for _, t := range s.Symbols {
			inPlan[t.Symbol] = true
		}
	}
	var positions []rebalance.Position
	held := map[string]bool{}
	for _, p := range book.Positions {
		held[p.Symbol] = true
		if !inPlan[p.Symbol] && !sleeves[p.Sleeve] {
			msg := fmt.Sprintf("%s: the policy does not name this symbol and the row has no sleeve (sleeves: %s)", p.Symbol, strings.Join(sleeveNames, ", "))
			if p.Sleeve != "" {
				msg = fmt.Sprintf("%s: sleeve %q is not in the policy %s (sleeves: %s)", p.Symbol, p.Sleeve, req.PolicyFile, strings.Join(sleeveNames, ", "))
			}
			return nil, &InputError{File: book.File, Line: p.Line, Field: "sleeve", Err: errors.New(msg)}
		}
		rp := rebalance.Position{Symbol: p.Symbol, Quantity: p.Quantity, Price: p.Price, Sector: p.Sector, Sleeve: p.Sleeve}
		pu := PriceUsed{Symbol: p.Symbol, Price: p.Price, Date: series.NoDate, Source: fmt.Sprintf("%s line %d", book.File, p.Line)}
		if math.IsNaN(p.Price) || math.IsNaN(p.Quantity) {
			o, err := LastClose(ctx, load, PriceID(p.Symbol))
			if err != nil {
				return nil, &InputError{File: book.File, Line: p.Line, Field: "price", Err: fmt.Errorf("%s has only a market value and no catalog price: %w", p.Symbol, err)}
			}
			o.Value = toCents(o.Value)
			rp.Price, rp.Quantity = o.Value, p.MarketValue/o.Value
			pu = PriceUsed{Symbol: p.Symbol, Price: o.Value, Date: o.Date, Source: o.Source + " last close, to the cent"}
			out.Notes = append(out.Notes, fmt.Sprintf("%s (%s line %d) has a market value only: %.4f shares at its %s close %.2f.", p.Symbol, book.File, p.Line, rp.Quantity, o.Date, o.Value))
		}
		positions = append(positions, rp)
		out.Prices = append(out.Prices, pu)
	}

	// Prices of the symbols the policy adds.
	prices := map[string]float64{}
	for _, s := range targets {
		for _, t := range s.Symbols {
			if held[t.Symbol] {
				continue
			}
			o, err := LastClose(ctx, load, PriceID(t.Symbol))
			if err != nil {
				return nil, &InputError{File: req.PolicyFile, Line: t.Line,
					Err: fmt.Errorf("%s (sleeve %s) is not in %s and has no price: %w", t.Symbol, s.Name, book.File, err)}
			}
			o.Value = toCents(o.Value)
			prices[t.Symbol] = o.Value
			out.Prices = append(out.Prices, PriceUsed{Symbol: t.Symbol, Price: o.Value, Date: o.Date, Source: o.Source + " last close, to the cent"})
		}
	}

	plan, err := rebalance.Rebalance(rebalance.Input{Positions: positions, Cash: cash, Prices: prices, Policy: pol, Regime: out.Regime})
	if err != nil {
		return nil, &InputError{File: book.File + " with " + req.PolicyFile, Err: err}
	}
	out.Plan = plan

	// Risk before and after.
	before := map[string]float64{}
	for _, p := range positions {
		if v := p.Quantity * p.Price; v != 0 {
			before[p.Symbol] = v / plan.Summary.ValueBefore
		}
	}
	after := map[string]float64{}
	for _, p := range plan.After {
		if v := p.Quantity * p.Price; v != 0 {
			after[p.Symbol] = v / plan.Summary.ValueAfter
		}
	}
	rb, ra, notes, err := bookRisks(ctx, load, before, after)
	if err != nil {
		return nil, err
	}
	rb.VaRValue, ra.VaRValue = rb.VaR*plan.Summary.ValueBefore, ra.VaR*plan.Summary.ValueAfter
	out.RiskBefore, out.RiskAfter = rb, ra
	out.Notes = append(out.Notes, notes...)

	// The policy's hedge, on its sleeve after the trades.
	if pol.Hedge != nil {
		m := req.Market
		if m.Vol == "" {
			m = DefaultHedgeMarket()
		}
		out.Hedge, out.HedgeSleeve, out.HedgeWhy = policyHedge(ctx, load, pol.Hedge, plan, m)
	} else {
		out.HedgeWhy = "the policy has no hedge block"
	}
	return out, nil
}

// RegimeNow returns the regime on the policy-rate data end and why.
func RegimeNow(h *cycle.History) (regime, why string) {
	d := h.DataEnd
	last, reg, ok := h.Current(d)
	if !ok {
		return string(reg), fmt.Sprintf("no Fed cycle before the policy-rate data end %s", d)
	}
	var move cycle.Event
	for _, e := range last.Events {
		if !e.Technical && e.Announced <= d {
			move = e
		}
	}
	age := int(d - move.Announced)
	switch reg {
	case cycle.RegimeHold:
		why = fmt.Sprintf("hold: the Fed's latest move (%+.0f bp, announced %s) is more than %d months before the policy-rate data end %s",
			move.ChangeBP, move.Announced, h.Rules.HoldAfterMonths, d)
	default:
		why = fmt.Sprintf("%s: the Fed's latest move (%+.0f bp, announced %s, in the %s cycle that began %s) came %d days before the policy-rate data end %s, within the %d months after which the regime turns to hold",
			reg, move.ChangeBP, move.Announced, last.Direction, last.FirstMove, age, d, h.Rules.HoldAfterMonths)
	}
	return string(reg), why
}

// bookRisks measures two weightings of the same symbols on the same dates: daily
// returns of the book held at constant weights (cash earning 0) over the BetaMonths to
// the symbols' last common date. Symbols without a price series use SPY's returns.
func bookRisks(ctx context.Context, load LoadFunc, before, after map[string]float64) (*BookRisk, *BookRisk, []string, error) {
	syms := map[string]bool{}
	for s := range before {
		syms[s] = true
	}
	for s := range after {
		syms[s] = true
	}
	names := make([]string, 0, len(syms))
	for s := range syms {
		names = append(names, s)
	}
	sort.Strings(names)
	var notes []string
	var proxied []string
	rets := make([]*series.Series, len(names))
	for i, s := range names {
		r, err := priceReturns(ctx, load, PriceID(s))
		if errors.Is(err, catalog.ErrNotFound) {
			proxied = append(proxied, s)
			r, err = priceReturns(ctx, load, PriceID(ProxySymbol))
		}
		if err != nil {
			return nil, nil, nil, fmt.Errorf("risk of the book: %s: %w", s, err)
		}
		rets[i] = r
	}
	if len(rets) == 0 {
		empty := &BookRisk{Weights: map[string]float64{}}
		return empty, empty, []string{"The book holds only cash: no risk to measure."}, nil
	}
	f := series.Align(series.Inner, rets...).DropNaN()
	if len(f.Dates) == 0 {
		return nil, nil, nil, errors.New("risk of the book: its symbols share no trading day")
	}
	to := f.Dates[len(f.Dates)-1]
	k := 0
	for k < len(f.Dates) && f.Dates[k] <= to.AddMonths(-BetaMonths) {
		k++
	}
	measure := func(w map[string]float64) (*BookRisk, error) {
		ws := make([]float64, len(names))
		for j, s := range names {
			ws[j] = w[s]
		}
		p, err := Portfolio("book", rets, ws) // the same aligned dates as f
		if err != nil {
			return nil, err
		}
		r := p.Values[k:]
		return &BookRisk{Vol: risk.AnnualizedStdDev(r, TradingDaysPerYear), VaR: risk.VaR(r, VaRLevel, risk.Historical),
			N: len(r), From: f.Dates[k], To: to, Weights: w}, nil
	}
	rb, err := measure(before)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("risk of the book: %w", err)
	}
	ra, err := measure(after)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("risk of the book: %w", err)
	}
	notes = append(notes, fmt.Sprintf("Risk: the book at its weights before and after, held constant (rebalanced daily, cash earning 0), over the %d common daily returns %s..%s of its symbols; volatility is the sample sd × √252, VaR the 95%% historical one-day VaR (R's type-7 quantile, PerformanceAnalytics' sign: negative = loss).",
		rb.N, rb.From, rb.To))
	if len(proxied) > 0 {
		notes = append(notes, fmt.Sprintf("No price series for %s: SPY's returns stand in for them.", strings.Join(proxied, ", ")))
	}
	if rb.N < 2*TradingDaysPerYear*9/10 {
		notes = append(notes, fmt.Sprintf("Only %d common daily returns: the youngest symbol's history limits the window.", rb.N))
	}
	return rb, ra, notes, nil
}

// policyHedge quotes the policy's hedge note on the sleeve that holds its underlying
// after the trades (or the sleeve named small-cap), with the sleeve's beta.
func policyHedge(ctx context.Context, load LoadFunc, hn *rebalance.HedgeNote, plan *rebalance.Plan, m HedgeMarket) (*HedgeQuote, string, string) {
	id := PriceID(hn.Underlying)
	sleeve := ""
	for _, r := range plan.Summary.Symbols {
		if r.Name == SymbolOf(id) {
			sleeve = r.Sleeve
		}
	}
	if sleeve == "" {
		for _, r := range plan.Summary.Sleeves {
			if r.Name == "small-cap" {
				sleeve = r.Name
			}
		}
	}
	if sleeve == "" {
		return nil, "", fmt.Sprintf("no sleeve holds %s and none is named small-cap: nothing to size the hedge to", hn.Underlying)
	}
	var lines []BookLine
	value := 0.0
	for _, p := range plan.After {
		if p.Sleeve == sleeve && p.Quantity*p.Price > 0 {
			lines = append(lines, BookLine{p.Symbol, p.Quantity * p.Price})
			value += p.Quantity * p.Price
		}
	}
	if value <= 0 {
		return nil, sleeve, fmt.Sprintf("sleeve %s is empty after the trades: nothing to hedge", sleeve)
	}
	bb, err := PortfolioBeta(ctx, load, "sleeve "+sleeve+" after the trades", id, lines, 0)
	if err != nil {
		return nil, sleeve, err.Error()
	}
	req := HedgeRequest{Underlying: id, Strategy: hn.Strategy, PutStrike: hn.PutStrike, ShortPut: hn.ShortPutStrike,
		CallStrike: hn.CallStrike, ExpiryDays: hn.ExpiryDays, Value: value, Market: m}
	q, err := quoteHedge(ctx, load, id, req, "sleeve "+sleeve+" after the trades", bb)
	if err != nil {
		return nil, sleeve, err.Error()
	}
	if hn.Note != "" {
		q.Notes = append(q.Notes, "Policy: "+hn.Note)
	}
	return q, sleeve, ""
}
