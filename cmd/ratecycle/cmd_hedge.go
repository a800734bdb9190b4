package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/hedge"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/view"
)

type hedgeOptions struct {
	format string

	// one option
	price       string
	spot        float64
	strike      float64
	expiry      float64
	impliedFrom float64

	// a strategy
	underlying string
	strategy   string
	put        float64
	shortPut   float64
	call       float64
	days       int
	value      float64
	beta       string
	holdings   string
	volPremium float64
	windows    []string

	// both
	vol   string
	rate  string
	yield float64
}

func init() { register(newHedgeCmd) }

const greekUnits = "Greeks in QuantLib's units: delta per 1.00 of spot, vega per 1.00 of volatility (/100 for one vol point), theta per year of calendar time (/365 for one day), rho and dividend rho per 1.00 of rate or yield (/100 for one point)."

func newHedgeCmd(a *app) *cobra.Command {
	o := &hedgeOptions{}
	cmd := &cobra.Command{
		Use:   "hedge",
		Short: "Price an option, or quote a put, put spread or collar that hedges a book",
		Long: `Price one European option with Black-Scholes-Merton (--price), or quote a hedge on an
index ETF sized to a portfolio's beta (--strategy).

One option: --price put|call with --spot, --strike, --expiry (years), --vol, --rate and
--dividend-yield prints the price and the greeks; --implied-from PRICE solves the
implied volatility instead of taking --vol (exit 2 when no volatility fits). Rates and
yields are continuously compounded decimals. ` + greekUnits + ` The numbers agree with
QuantLib 1.29 to about 1e-12 (hedge/testdata).

A hedge: --underlying IWM|SPY|QQQ or any price/ series of the catalog. Spot is its last
close (dated). Volatility (--vol): "vix" takes the VIX's last close / 100, the S&P 500's
30-day implied volatility, scaled for other underlyings by the ratio of their realised
volatility to SPY's over the last 252 trading days; "realized" takes the realised
volatility of the last 63 daily returns plus --vol-premium; a number is used as given.
One volatility prices every strike (no skew). --rate auto takes the last 3-month
Treasury yield (fred/DGS3MO, dated). --beta auto is the value-weighted beta of the book
(--holdings, else the example book) to the underlying from daily returns over the last
2 years; symbols without a price series are assumed to have beta 1 to SPY.
--portfolio-value defaults to the book's value. Contracts = round(beta x value /
(spot x 100)).

The output: the inputs with their dates, the legs, premium, cost as a percent of the
value hedged and per year, breakevens, contracts, the value with and without the hedge
at expiry for moves of -30%..+30%, and at the end of the risk package's stress windows
(the underlying's replayed move applied as one move at expiry: an approximation).
--format csv prints the payoff table; json prints everything.`,
		Example: `  ratecycle hedge --price put --spot 100 --strike 100 --rate 0.05 --dividend-yield 0 --expiry 1 --vol 0.2 --format json
  ratecycle hedge --price call --spot 42 --strike 40 --rate 0.1 --expiry 0.5 --implied-from 4.76
  ratecycle hedge --underlying IWM --strategy put-spread --put-strike 0.95 --short-put 0.80 --expiry-days 91 --portfolio-value 1000000
  ratecycle hedge --underlying IWM --strategy collar --put-strike 0.95 --call-strike 1.10 --vol realized --vol-premium 0.02
  ratecycle hedge --underlying SPY --strategy zero-cost-collar --put-strike 0.90 --beta 1.2 --rate 0.04 --dividend-yield 0.013
  ratecycle hedge --strategy protective-put --holdings my-book.csv --windows covid-2020,mine=2025-02-19..2025-04-08`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.price != "" {
				return hedgeOptionRun(cmd, a, o)
			}
			return hedgeQuoteRun(cmd, a, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.price, "price", "", "price one option: put or call")
	fl.Float64Var(&o.spot, "spot", 0, "with --price: spot price S")
	fl.Float64Var(&o.strike, "strike", 0, "with --price: strike K")
	fl.Float64Var(&o.expiry, "expiry", 0, "with --price: years to expiry T")
	fl.Float64Var(&o.impliedFrom, "implied-from", 0, "with --price: solve the implied volatility of this option price")
	fl.StringVar(&o.underlying, "underlying", "IWM", "what the hedge is written on: a symbol with a price/ series (IWM, SPY, QQQ, ...) or a price/ id")
	fl.StringVar(&o.strategy, "strategy", "protective-put", "protective-put, put-spread, collar or zero-cost-collar")
	fl.Float64Var(&o.put, "put-strike", 0.95, "long put strike as a fraction of spot")
	fl.Float64Var(&o.shortPut, "short-put", 0.80, "put-spread: short put strike as a fraction of spot")
	fl.Float64Var(&o.call, "call-strike", 1.10, "collar: short call strike as a fraction of spot")
	fl.IntVar(&o.days, "expiry-days", 91, "days to expiry (calendar days; years = days/365)")
	fl.Float64Var(&o.value, "portfolio-value", 0, "value to hedge (default: the book's value)")
	fl.StringVar(&o.beta, "beta", "auto", "the portfolio's beta to the underlying: auto (from the book) or a number")
	fl.StringVar(&o.holdings, "holdings", "", "holdings CSV for --beta auto and the default value (default: the example book, examples/holdings.csv)")
	fl.StringVar(&o.vol, "vol", "vix", "volatility: vix, realized or a decimal (0.22); with --price a decimal")
	fl.Float64Var(&o.volPremium, "vol-premium", 0.02, "added to realised volatility with --vol realized")
	fl.StringVar(&o.rate, "rate", "auto", "risk-free rate, continuously compounded decimal, or auto (last fred/DGS3MO / 100)")
	fl.Float64Var(&o.yield, "dividend-yield", engine.AssumedYield, "continuous dividend yield q, decimal (default 0 with --price; 0.012 for a hedge, an assumption: the embedded prices carry no yield)")
	fl.StringSliceVar(&o.windows, "windows", nil, "stress windows: names (gfc-2008, covid-2020, rate-shock-2022, smallcap-dec-2024) or NAME=FROM..TO (default: all named ones)")
	formatFlag(cmd, &o.format)
	return cmd
}

// parseRate reads --rate: a number, or auto.
func parseRate(s string) (rate float64, auto bool, err error) {
	if strings.EqualFold(s, "auto") {
		return 0, true, nil
	}
	r, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(r) || math.IsInf(r, 0) {
		return 0, false, usagef("--rate %q: want auto or a decimal rate such as 0.04", s)
	}
	if math.Abs(r) > 1 {
		return 0, false, usagef("--rate %v: rates are decimals (0.04 = 4%%)", r)
	}
	return r, false, nil
}

// hedgeOptionJSON is the single-option output: inputs, value and greeks in QuantLib's
// units.
type hedgeOptionJSON struct {
	Kind          string            `json:"kind"`
	Spot          float64           `json:"spot"`
	Strike        float64           `json:"strike"`
	Rate          float64           `json:"rate"`
	RateSource    string            `json:"rate_source"`
	DividendYield float64           `json:"dividend_yield"`
	Expiry        float64           `json:"expiry"`
	Vol           float64           `json:"vol"`
	ImpliedFrom   *float64          `json:"implied_from,omitempty"`
	Price         float64           `json:"price"`
	Delta         float64           `json:"delta"`
	Gamma         float64           `json:"gamma"`
	Vega          float64           `json:"vega"`
	Theta         float64           `json:"theta"`
	Rho           float64           `json:"rho"`
	DividendRho   float64           `json:"dividend_rho"`
	Units         map[string]string `json:"units"`
}

var greekUnitMap = map[string]string{
	"rates":        "continuously compounded, decimal per year",
	"expiry":       "years",
	"delta":        "per 1.00 of spot",
	"gamma":        "per 1.00 of spot, squared",
	"vega":         "per 1.00 of volatility (divide by 100 for one vol point)",
	"theta":        "per year of calendar time (divide by 365 for one day)",
	"rho":          "per 1.00 of rate (divide by 100 for one point)",
	"dividend_rho": "per 1.00 of dividend yield (divide by 100 for one point)",
}

func hedgeOptionRun(cmd *cobra.Command, a *app, o *hedgeOptions) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	for _, name := range []string{"underlying", "strategy", "put-strike", "short-put", "call-strike", "expiry-days", "portfolio-value", "beta", "holdings", "vol-premium", "windows"} {
		if cmd.Flags().Changed(name) {
			return usagef("--%s quotes a hedge; --price prices one option from --spot, --strike, --expiry, --vol (or --implied-from), --rate and --dividend-yield", name)
		}
	}
	var kind hedge.Kind
	switch strings.ToLower(o.price) {
	case "put":
		kind = hedge.Put
	case "call":
		kind = hedge.Call
	default:
		return usagef("--price %q: want put or call", o.price)
	}
	for _, name := range []string{"spot", "strike", "expiry"} {
		if !cmd.Flags().Changed(name) {
			return usagef("--price needs --spot, --strike and --expiry (missing --%s)", name)
		}
	}
	implied := cmd.Flags().Changed("implied-from")
	if !implied && !cmd.Flags().Changed("vol") {
		return usagef("--price needs --vol SIGMA or --implied-from PRICE")
	}
	if implied && cmd.Flags().Changed("vol") {
		return usagef("give --vol or --implied-from, not both")
	}
	yield := o.yield
	if !cmd.Flags().Changed("dividend-yield") {
		yield = 0
	}
	rate, auto, err := parseRate(o.rate)
	if err != nil {
		return err
	}
	out := hedgeOptionJSON{Kind: kind.String(), Spot: o.spot, Strike: o.strike, Rate: rate, RateSource: "given", DividendYield: yield,
		Expiry: o.expiry, Units: greekUnitMap}
	if auto {
		ctx := cmd.Context()
		cat, err := a.catalog(ctx)
		if err != nil {
			return err
		}
		r, err := engine.RiskFreeRate(ctx, engine.CatalogLoad(cat))
		if err != nil {
			return err
		}
		out.Rate, out.RateSource = r.Value, r.Note
	}
	opt := hedge.Option{Kind: kind, Spot: o.spot, Strike: o.strike, Rate: out.Rate, Yield: yield, Expiry: o.expiry}
	if implied {
		opt.Vol = 0.2 // a placeholder for Validate; ImpliedVol ignores it
		if err := opt.Validate(); err != nil {
			return usageError{err}
		}
		v, err := hedge.ImpliedVol(opt, o.impliedFrom)
		if err != nil {
			return usagef("--implied-from %v: %v", o.impliedFrom, err)
		}
		opt.Vol = v
		out.ImpliedFrom = &o.impliedFrom
	} else {
		v, err := strconv.ParseFloat(o.vol, 64)
		if err != nil {
			return usagef("--vol %q: with --price give the volatility as a decimal (0.2 = 20%%)", o.vol)
		}
		opt.Vol = v
		if err := opt.Validate(); err != nil {
			return usageError{err}
		}
	}
	out.Vol = opt.Vol
	g := opt.Greeks()
	out.Price, out.Delta, out.Gamma, out.Vega, out.Theta, out.Rho, out.DividendRho = g.Price, g.Delta, g.Gamma, g.Vega, g.Theta, g.Rho, g.DividendRho
	if f == output.JSON {
		return output.Write(a.io.Out, f, nil, out)
	}
	t := &output.Tab{Title: fmt.Sprintf("European %s, Black-Scholes-Merton", kind), Columns: []string{"field", "value", "unit"}}
	t.Add("spot", output.G(o.spot), "")
	t.Add("strike", output.G(o.strike), "")
	t.Add("rate", output.G(out.Rate), "continuously compounded, decimal ("+out.RateSource+")")
	t.Add("dividend_yield", output.G(yield), "continuous, decimal")
	t.Add("expiry", output.G(o.expiry), "years")
	volUnit := "decimal, given"
	if implied {
		volUnit = fmt.Sprintf("decimal, implied by the price %v", o.impliedFrom)
	}
	t.Add("vol", output.G(opt.Vol), volUnit)
	t.Add("price", output.G(g.Price), "per share")
	for _, k := range []struct {
		name string
		v    float64
	}{{"delta", g.Delta}, {"gamma", g.Gamma}, {"vega", g.Vega}, {"theta", g.Theta}, {"rho", g.Rho}, {"dividend_rho", g.DividendRho}} {
		t.Add(k.name, output.G(k.v), greekUnitMap[k.name])
	}
	t.Notes = []string{greekUnits}
	return output.Write(a.io.Out, f, t, nil)
}

func hedgeQuoteRun(cmd *cobra.Command, a *app, o *hedgeOptions) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	for _, name := range []string{"spot", "strike", "expiry", "implied-from"} {
		if cmd.Flags().Changed(name) {
			return usagef("--%s prices one option: add --price put|call (a hedge takes spot from the catalog and --expiry-days)", name)
		}
	}
	req := engine.HedgeRequest{Underlying: o.underlying, Strategy: o.strategy, PutStrike: o.put, ShortPut: o.shortPut,
		CallStrike: o.call, ExpiryDays: o.days, Value: o.value}
	switch o.strategy {
	case "protective-put", "zero-cost-collar":
	case "put-spread":
		if !(o.shortPut < o.put) {
			return usagef("--short-put %v must be below --put-strike %v", o.shortPut, o.put)
		}
	case "collar":
		if !(o.call > o.put) {
			return usagef("--call-strike %v must be above --put-strike %v", o.call, o.put)
		}
	default:
		return usagef("--strategy %q: want one of %s", o.strategy, strings.Join(engine.Strategies, ", "))
	}
	if !(o.put > 0 && o.put < 2) || !(o.shortPut > 0) || !(o.call > 0) {
		return usagef("strikes are positive fractions of spot (0.95 = 95%%)")
	}
	if o.days < 1 {
		return usagef("--expiry-days %d: must be at least 1", o.days)
	}
	if o.value < 0 || math.IsNaN(o.value) || math.IsInf(o.value, 0) {
		return usagef("--portfolio-value %v: must be positive", o.value)
	}
	if !strings.EqualFold(o.beta, "auto") {
		b, err := strconv.ParseFloat(o.beta, 64)
		if err != nil || !(b > 0) || math.IsInf(b, 0) {
			return usagef("--beta %q: want auto or a positive number (a put hedge needs positive beta)", o.beta)
		}
		req.Beta = b
	}
	m := engine.HedgeMarket{VolPremium: o.volPremium, Yield: o.yield, YieldGiven: cmd.Flags().Changed("dividend-yield")}
	switch strings.ToLower(o.vol) {
	case engine.VolVIX, engine.VolRealized:
		m.Vol = strings.ToLower(o.vol)
	default:
		v, err := strconv.ParseFloat(o.vol, 64)
		if err != nil || !(v > 0) || v > 5 {
			return usagef("--vol %q: want vix, realized or a decimal volatility such as 0.22", o.vol)
		}
		m.Vol, m.VolValue = engine.VolGiven, v
	}
	if m.Rate, m.RateAuto, err = parseRate(o.rate); err != nil {
		return err
	}
	if cmd.Flags().Changed("vol-premium") && m.Vol != engine.VolRealized {
		return usagef("--vol-premium applies to --vol realized only")
	}
	req.Market = m
	for _, spec := range o.windows {
		w, err := risk.ParseWindow(spec)
		if err != nil {
			return usagef("--windows: %v", err)
		}
		req.Windows = append(req.Windows, w)
	}
	if o.holdings != "" {
		if req.Value > 0 && req.Beta > 0 {
			return usagef("--holdings gives the value and beta; with --portfolio-value and --beta both given it is unused")
		}
		data, err := os.ReadFile(o.holdings)
		if err != nil {
			return usagef("--holdings: %v", err)
		}
		if req.Book, err = engine.ParseBook(o.holdings, data); err != nil {
			return err
		}
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	q, err := engine.QuoteHedge(ctx, cat, req)
	if err != nil {
		return err
	}
	switch f {
	case output.JSON:
		return output.Write(a.io.Out, f, nil, view.Hedge(q))
	case output.CSV:
		return output.Write(a.io.Out, f, payoffTab(q, f), nil)
	}
	return writeHedgeQuote(a.io.Out, q, "")
}

func money(v float64) string { return output.F(v, 2) }

// payoffTab is the payoff grid: moves as percentages and money to the cent in tables,
// plain decimals (move -0.3, not -30%) and full precision in CSV.
func payoffTab(h *engine.HedgeQuote, f output.Format) *output.Tab {
	t := &output.Tab{Title: fmt.Sprintf("Value at expiry, with and without the hedge, as %s moves", h.Symbol),
		Columns: []string{"move", strings.ToLower(h.Symbol), "unhedged", "payoff", "hedged", "hedged_minus_unhedged"}}
	c := cellsFor(f)
	for _, p := range h.Quote.Payoff {
		t.Add(c.pct(p.Move, 0), c.num(p.Underlying, 2), c.num(p.Unhedged, 2), c.num(p.Payoff, 2), c.num(p.Hedged, 2), c.num(p.Hedged-p.Unhedged, 2))
	}
	return t
}

// writeHedgeQuote prints a quote as tables: inputs, legs, cost, payoff and stress.
func writeHedgeQuote(w io.Writer, h *engine.HedgeQuote, title string) error {
	q := h.Quote
	if title == "" {
		title = fmt.Sprintf("Hedge: %s on %s, %d days", q.Strategy, h.Symbol, h.ExpiryDays)
	}
	expires := h.Market.Spot.Date.AddDays(h.ExpiryDays)
	in := &output.Tab{Title: fmt.Sprintf("%s (expiring about %s)", title, expires), Columns: []string{"input", "value", "source", "date"}}
	in.Add("spot "+h.Symbol, money(h.Market.Spot.Value), h.Market.Spot.Source, h.Market.Spot.Date.String())
	in.Add("volatility", output.Pct(h.Market.Vol.Value, 2), h.Market.Vol.Source, h.Market.Vol.Date.String())
	in.Add("rate", output.Pct(h.Market.Rate.Value, 2), h.Market.Rate.Source, h.Market.Rate.Date.String())
	in.Add("dividend yield", output.Pct(h.Market.Yield.Value, 2), h.Market.Yield.Source, "")
	in.Add("value hedged", money(h.Value), h.ValueFrom, "")
	betaSrc := "given"
	if h.BetaDetail != nil {
		betaSrc = "auto: " + h.BetaDetail.Of
	}
	in.Add("beta", output.F(h.Beta, 3), betaSrc, "")
	in.Notes = []string{"Volatility: " + h.Market.Vol.Note + ".", "Rate: " + h.Market.Rate.Note + ".", "Dividend yield: " + h.Market.Yield.Note + "."}
	if err := output.Write(w, output.Table, in, nil); err != nil {
		return err
	}
	if h.BetaDetail != nil {
		bt := &output.Tab{Title: fmt.Sprintf("\nBeta of %s to %s", h.BetaDetail.Of, h.Symbol), Columns: []string{"symbol", "value", "weight", "beta", "n", "assumption"}}
		for _, l := range h.BetaDetail.Lines {
			as := ""
			if l.Proxy != "" {
				as = "beta 1 vs " + l.Proxy
			}
			bt.Add(l.Symbol, money(l.Value), output.Pct(l.Weight, 2), output.F(l.Beta, 3), fmt.Sprint(l.N), as)
		}
		if h.BetaDetail.Cash > 0 {
			bt.Add("cash", money(h.BetaDetail.Cash), output.Pct(1-sumWeights(h.BetaDetail.Lines), 2), "0.000", "", "")
		}
		bt.Add("total", "", "", output.F(h.BetaDetail.Beta, 3), "", "")
		bt.Notes = h.BetaDetail.Notes
		if err := output.Write(w, output.Table, bt, nil); err != nil {
			return err
		}
	}
	lt := &output.Tab{Title: "\nLegs (per share; greeks of one long option)", Columns: []string{"leg", "position", "strike", "moneyness", "premium", "delta", "gamma", "vega", "theta"}}
	for _, l := range q.Legs {
		pos := "long"
		if l.Position < 0 {
			pos = "short"
		}
		lt.Add(l.Kind.String(), pos, money(l.Strike), output.Pct(l.Moneyness, 2), output.F(l.Premium, 4), output.F(l.Greeks.Delta, 4),
			output.F(l.Greeks.Gamma, 5), output.F(l.Greeks.Vega, 3), output.F(l.Greeks.Theta, 3))
	}
	lt.Notes = []string{greekUnits}
	if err := output.Write(w, output.Table, lt, nil); err != nil {
		return err
	}
	ct := &output.Tab{Title: "\nCost and protection", Columns: []string{"item", "value"}}
	ct.Add("contracts", fmt.Sprintf("%d (%.2f exact; %.0f shares, notional %s, hedge ratio %s)", q.Sizing.Contracts, q.Sizing.Exact, q.Sizing.Shares, money(q.Sizing.Notional), output.Pct(q.Sizing.HedgeRatio, 1)))
	ct.Add("premium", fmt.Sprintf("%s (%s per share)", money(q.PremiumTotal), output.F(q.PremiumPerShare, 4)))
	ct.Add("cost, % of value hedged", output.Pct(h.CostOfValue, 3))
	ct.Add("cost per year, % of value", output.Pct(h.CostOfValueAnnual, 3)+" (simple: cost / years to expiry)")
	ct.Add("cost, % of hedged notional", output.Pct(q.CostPct, 3))
	be := "none (the hedged share cannot break even)"
	if len(q.Breakevens) > 0 {
		var parts []string
		for _, b := range q.Breakevens {
			parts = append(parts, fmt.Sprintf("%s (%+.2f%%)", money(b), 100*(b/q.Underlying.Spot-1)))
		}
		be = strings.Join(parts, ", ")
	}
	ct.Add("breakevens of "+h.Symbol+" at expiry", be)
	ct.Add("protection below", fmt.Sprintf("%s (%s of spot)", money(q.ProtectionBelow), output.Pct(q.ProtectionBelow/q.Underlying.Spot, 1)))
	mp := "unlimited"
	if !math.IsInf(q.MaxPayoutPerShare, 1) {
		mp = fmt.Sprintf("%s per share, %s in all", money(q.MaxPayoutPerShare), money(q.MaxPayoutPerShare*q.Sizing.Shares))
	}
	ct.Add("largest payout", mp)
	ct.Add("worst return of a hedged share", output.Pct(q.MaxLossPct, 2))
	ct.Add("position greeks", fmt.Sprintf("delta %.2f shares, gamma %.4f, vega %.1f, theta %.1f per year", q.Delta, q.Gamma, q.Vega, q.Theta))
	if err := output.Write(w, output.Table, ct, nil); err != nil {
		return err
	}
	pt := payoffTab(h, output.Table)
	pt.Title = "\n" + pt.Title
	if err := output.Write(w, output.Table, pt, nil); err != nil {
		return err
	}
	st := &output.Tab{Title: fmt.Sprintf("\nStress windows: %s's move replayed, value at the window's end", h.Symbol),
		Columns: []string{"window", "from", "to", "cal_days", "move", "unhedged", "hedged", "hedged_minus_unhedged"}}
	for _, s := range h.Stress {
		if s.Coverage == risk.CoverNone {
			st.Add(s.Window.Name, s.Window.From.String(), s.Window.To.String(), fmt.Sprint(s.Days), "no data", "", "", "")
			continue
		}
		st.Add(s.Window.Name, s.Window.From.String(), s.Window.To.String(), fmt.Sprint(s.Days), output.Pct(s.Move, 2),
			money(s.Point.Unhedged), money(s.Point.Hedged), money(s.Point.Hedged-s.Point.Unhedged))
	}
	st.Notes = h.Notes
	return output.Write(w, output.Table, st, nil)
}

func sumWeights(ls []engine.BetaLine) float64 {
	s := 0.0
	for _, l := range ls {
		s += l.Weight
	}
	return s
}
