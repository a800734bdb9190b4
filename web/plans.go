package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
)

// MaxStrategyBytes limits an uploaded strategy file: a strategy is a page of YAML, so
// anything near the request limit is not one.
const MaxStrategyBytes = 256 << 10

// exampleStrategy is the name the CLI gives the embedded example strategy.
const exampleStrategy = "examples/rotation.yaml"

// ---- backtest: the shape of `ratecycle backtest --format json` ----

type btRegimeJSON struct {
	Regime     cycle.Regime `json:"regime"`
	N          int          `json:"n"`
	Cumulative output.Num   `json:"cumulative"`
	Annualized output.Num   `json:"annualized"`
	Excess     output.Num   `json:"excess"`
}

type btPortfolioJSON struct {
	Name      string           `json:"name"`
	Benchmark bool             `json:"benchmark"`
	Final     output.Num       `json:"final_wealth"`
	Turnover  output.Num       `json:"turnover_per_year"`
	Trades    int              `json:"trades"`
	CostPaid  output.Num       `json:"cost_paid"`
	Summary   *risk.Report     `json:"risk"` // PerformanceAnalytics names; NaN as null
	PerRegime []btRegimeJSON   `json:"per_regime"`
	TradeList []backtest.Trade `json:"trade_list"`
}

type btRunJSON struct {
	Run        string             `json:"run"`
	Title      string             `json:"title"`
	From       string             `json:"from"`
	To         string             `json:"to"`
	Periods    int                `json:"periods"`
	Scale      int                `json:"scale"`
	Assets     []string           `json:"assets"`
	Cash       string             `json:"cash"`
	RelativeTo string             `json:"relative_to"`
	Regimes    map[string]int     `json:"regime_periods"`
	Notes      []string           `json:"notes"`
	Portfolios []btPortfolioJSON  `json:"portfolios"`
	Params     map[string]float64 `json:"params"`
	Charts     []report.Chart     `json:"charts,omitempty"`
}

type backtestJSON struct {
	Strategy string      `json:"strategy"`
	File     string      `json:"file"`
	Runs     []btRunJSON `json:"runs"`
}

func backtestView(s *backtest.Strategy, file string, res []*backtest.Result, trades bool) backtestJSON {
	out := backtestJSON{Strategy: s.Name, File: file, Runs: []btRunJSON{}}
	for _, r := range res {
		j := btRunJSON{Run: r.Run.Name, Title: r.Run.Title, From: r.Dates[1].String(), To: r.Dates[len(r.Dates)-1].String(),
			Periods: len(r.Dates) - 1, Scale: r.Scale, Assets: r.Assets, Cash: r.Run.Cash, RelativeTo: r.RelativeTo,
			Regimes: map[string]int{}, Notes: r.Notes, Params: map[string]float64{}, Portfolios: []btPortfolioJSON{}}
		if j.Notes == nil {
			j.Notes = []string{}
		}
		for i, p := range s.Params {
			j.Params[p.Name] = r.Params[i]
		}
		for _, g := range r.Regimes {
			j.Regimes[string(g)]++
		}
		for _, p := range r.Portfolios {
			tl := p.Trades
			if tl == nil || !trades {
				tl = []backtest.Trade{}
			}
			pj := btPortfolioJSON{Name: p.Name, Benchmark: p.Benchmark, Final: output.Num(p.Stats.Final),
				Turnover: output.Num(p.Stats.Turnover), Trades: p.Stats.Trades, CostPaid: output.Num(p.CostPaid), Summary: p.Summary,
				PerRegime: []btRegimeJSON{}, TradeList: tl}
			for _, g := range p.PerRegime {
				pj.PerRegime = append(pj.PerRegime, btRegimeJSON{g.Regime, g.N, output.Num(g.Cumulative), output.Num(g.Annualized), output.Num(g.Excess)})
			}
			j.Portfolios = append(j.Portfolios, pj)
		}
		out.Runs = append(out.Runs, j)
	}
	return out
}

// backtest answers GET (the embedded examples/rotation.yaml) and POST (a "strategy"
// YAML upload, or the example without one), with run (repeatable or comma separated;
// default every run of the file), from, to, param=NAME=VALUE (repeatable), trades
// (default true: every trade of every portfolio) and charts (the report's growth,
// relative-wealth and drawdown charts of each run).
func (s *Server) backtest(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	data, name, err := upload(r, "strategy")
	if err != nil {
		return err
	}
	if data == nil {
		data, name = examples.Rotation, exampleStrategy
	} else if len(data) > MaxStrategyBytes {
		return httpErrorf(http.StatusRequestEntityTooLarge, "strategy file %s is %d bytes, over the %d-byte limit", name, len(data), MaxStrategyBytes)
	}
	st, err := backtest.ParseStrategy(data, name)
	if err != nil {
		return badRequest(err)
	}
	opt := engine.BacktestOptions{Runs: list(r.Form["run"])}
	for _, run := range opt.Runs {
		if _, err := st.Run(run); err != nil {
			return badRequest(fmt.Errorf("run: %w", err))
		}
	}
	runs := opt.Runs
	if runs == nil {
		for _, x := range st.Runs {
			runs = append(runs, x.Name)
		}
	}
	// A strategy names catalog ids; check them as the id parameters are checked.
	for _, run := range runs {
		ids, err := st.Inputs(run)
		if err != nil {
			return badRequest(err)
		}
		for _, id := range ids {
			if err := checkID(id); err != nil {
				return err
			}
		}
	}
	if opt.From, opt.To, err = dateRange(r.FormValue("from"), r.FormValue("to")); err != nil {
		return err
	}
	opt.Params = st.Defaults()
	for _, kv := range r.Form["param"] {
		k, v, ok := strings.Cut(kv, "=")
		i, known := st.ParamIndex(strings.TrimSpace(k))
		if !ok || !known {
			return httpErrorf(http.StatusBadRequest, "param %q: want NAME=VALUE with NAME one of %s", kv, strings.Join(st.ParamNames(), ", "))
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return httpErrorf(http.StatusBadRequest, "param %q: %q is not a number", kv, v)
		}
		opt.Params[i] = f
	}
	trades := true
	if _, given := r.Form["trades"]; given {
		if trades, err = boolParam(r, "trades"); err != nil {
			return err
		}
	}
	charts, err := boolParam(r, "charts")
	if err != nil {
		return err
	}
	ctx := r.Context()
	res, err := engine.Backtest(ctx, s.cat, st, opt)
	if err != nil {
		return userErr(err)
	}
	out := backtestView(st, name, res, trades)
	if charts {
		h, err := engine.Cycles(ctx, s.cat, cycle.DefaultRules)
		if err != nil {
			return err
		}
		for i, x := range res {
			out.Runs[i].Charts = engine.BacktestCharts(x, h)
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// ---- hedge: the shape of `ratecycle hedge --format json` (a strategy quote) ----

var greekUnits = map[string]string{
	"rates":        "continuously compounded, decimal per year",
	"expiry":       "years",
	"delta":        "per 1.00 of spot",
	"gamma":        "per 1.00 of spot, squared",
	"vega":         "per 1.00 of volatility (divide by 100 for one vol point)",
	"theta":        "per year of calendar time (divide by 365 for one day)",
	"rho":          "per 1.00 of rate (divide by 100 for one point)",
	"dividend_rho": "per 1.00 of dividend yield (divide by 100 for one point)",
}

type hedgeQuoteJSON struct {
	Underlying     string                `json:"underlying"`
	ID             string                `json:"id"`
	Strategy       string                `json:"strategy"`
	Market         engine.MarketInputs   `json:"market"`
	ExpiryDays     int                   `json:"expiry_days"`
	ExpiryYears    float64               `json:"expiry_years"`
	Value          float64               `json:"value"`
	ValueFrom      string                `json:"value_from"`
	Beta           float64               `json:"beta"`
	BetaDetail     *engine.BookBeta      `json:"beta_detail,omitempty"`
	Legs           []hedgeLegJSON        `json:"legs"`
	Contracts      int                   `json:"contracts"`
	ContractsExact float64               `json:"contracts_exact"`
	Shares         float64               `json:"shares"`
	Notional       float64               `json:"notional"`
	HedgeRatio     float64               `json:"hedge_ratio"`
	SizingRule     string                `json:"sizing_rule"`
	PremiumShare   float64               `json:"premium_per_share"`
	Premium        float64               `json:"premium"`
	CostOfValue    output.Num            `json:"cost_of_value"`
	CostOfValueYr  output.Num            `json:"cost_of_value_per_year"`
	CostOfNotional output.Num            `json:"cost_of_notional"`
	Breakevens     []float64             `json:"breakevens"`
	ProtectBelow   float64               `json:"protection_below"`
	MaxPayout      output.Num            `json:"max_payout_per_share"`
	Floor          output.Num            `json:"floor_per_share"`
	MaxLoss        output.Num            `json:"max_loss_pct"`
	Greeks         map[string]output.Num `json:"position_greeks"`
	Payoff         []hedgePointJSON      `json:"payoff"`
	Stress         []hedgeStressJSON     `json:"stress"`
	Units          map[string]string     `json:"units"`
	Notes          []string              `json:"notes"`
}

type hedgeLegJSON struct {
	Kind      string     `json:"kind"`
	Position  int        `json:"position"`
	Strike    float64    `json:"strike"`
	Moneyness float64    `json:"moneyness"`
	Premium   output.Num `json:"premium"`
	Delta     output.Num `json:"delta"`
	Gamma     output.Num `json:"gamma"`
	Vega      output.Num `json:"vega"`
	Theta     output.Num `json:"theta"`
	Rho       output.Num `json:"rho"`
}

type hedgePointJSON struct {
	Move       float64    `json:"move"`
	Underlying float64    `json:"underlying"`
	Unhedged   output.Num `json:"unhedged"`
	Payoff     output.Num `json:"payoff"`
	Hedged     output.Num `json:"hedged"`
}

type hedgeStressJSON struct {
	Window   string      `json:"window"`
	From     series.Date `json:"from"`
	To       series.Date `json:"to"`
	About    string      `json:"about"`
	Days     int         `json:"days"`
	N        int         `json:"n"`
	Move     output.Num  `json:"move"`
	Unhedged output.Num  `json:"unhedged"`
	Payoff   output.Num  `json:"payoff"`
	Hedged   output.Num  `json:"hedged"`
}

func hedgeView(h *engine.HedgeQuote) hedgeQuoteJSON {
	q := h.Quote
	v := hedgeQuoteJSON{Underlying: h.Symbol, ID: h.ID, Strategy: q.Strategy, Market: h.Market, ExpiryDays: h.ExpiryDays,
		ExpiryYears: q.Underlying.Expiry, Value: h.Value, ValueFrom: h.ValueFrom, Beta: h.Beta, BetaDetail: h.BetaDetail,
		Contracts: q.Sizing.Contracts, ContractsExact: q.Sizing.Exact, Shares: q.Sizing.Shares, Notional: q.Sizing.Notional,
		HedgeRatio: q.Sizing.HedgeRatio, SizingRule: q.Sizing.Rule, PremiumShare: q.PremiumPerShare, Premium: q.PremiumTotal,
		CostOfValue: output.Num(h.CostOfValue), CostOfValueYr: output.Num(h.CostOfValueAnnual), CostOfNotional: output.Num(q.CostPct),
		Breakevens: q.Breakevens, ProtectBelow: q.ProtectionBelow, MaxPayout: output.Num(q.MaxPayoutPerShare),
		Floor: output.Num(q.FloorPerShare), MaxLoss: output.Num(q.MaxLossPct),
		Greeks: map[string]output.Num{"delta": output.Num(q.Delta), "gamma": output.Num(q.Gamma), "vega": output.Num(q.Vega), "theta": output.Num(q.Theta)},
		Units:  greekUnits, Notes: h.Notes, Legs: []hedgeLegJSON{}, Payoff: []hedgePointJSON{}, Stress: []hedgeStressJSON{}}
	if v.Breakevens == nil {
		v.Breakevens = []float64{}
	}
	for _, l := range q.Legs {
		v.Legs = append(v.Legs, hedgeLegJSON{Kind: l.Kind.String(), Position: l.Position, Strike: l.Strike, Moneyness: l.Moneyness,
			Premium: output.Num(l.Premium), Delta: output.Num(l.Greeks.Delta), Gamma: output.Num(l.Greeks.Gamma), Vega: output.Num(l.Greeks.Vega),
			Theta: output.Num(l.Greeks.Theta), Rho: output.Num(l.Greeks.Rho)})
	}
	for _, p := range q.Payoff {
		v.Payoff = append(v.Payoff, hedgePointJSON{p.Move, p.Underlying, output.Num(p.Unhedged), output.Num(p.Payoff), output.Num(p.Hedged)})
	}
	for _, s := range h.Stress {
		sp := hedgeStressJSON{Window: s.Window.Name, From: s.Window.From, To: s.Window.To, About: s.Window.Note, Days: s.Days, N: s.N,
			Move: output.Num(s.Move), Unhedged: output.Num(math.NaN()), Payoff: output.Num(math.NaN()), Hedged: output.Num(math.NaN())}
		if s.Coverage != risk.CoverNone {
			sp.Unhedged, sp.Payoff, sp.Hedged = output.Num(s.Point.Unhedged), output.Num(s.Point.Payoff), output.Num(s.Point.Hedged)
		}
		v.Stress = append(v.Stress, sp)
	}
	return v
}

// floatParam reads a finite number field, or def when absent.
func floatParam(r *http.Request, name string, def float64) (float64, error) {
	v := r.FormValue(name)
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, httpErrorf(http.StatusBadRequest, "%s: %q is not a number", name, v)
	}
	return f, nil
}

// hedgeRequest reads a hedge quote request with the CLI's defaults and checks.
func hedgeRequest(r *http.Request) (engine.HedgeRequest, error) {
	req := engine.HedgeRequest{Underlying: r.FormValue("underlying"), Strategy: r.FormValue("strategy"), ExpiryDays: 91}
	if req.Underlying == "" {
		req.Underlying = "IWM"
	}
	if err := checkID(engine.PriceID(req.Underlying)); err != nil {
		return req, err
	}
	if req.Strategy == "" {
		req.Strategy = "protective-put"
	}
	var err error
	if req.PutStrike, err = floatParam(r, "put", 0.95); err != nil {
		return req, err
	}
	if req.ShortPut, err = floatParam(r, "short_put", 0.80); err != nil {
		return req, err
	}
	if req.CallStrike, err = floatParam(r, "call", 1.10); err != nil {
		return req, err
	}
	switch req.Strategy {
	case "protective-put", "zero-cost-collar":
	case "put-spread":
		if !(req.ShortPut < req.PutStrike) {
			return req, httpErrorf(http.StatusBadRequest, "short_put %v must be below put %v", req.ShortPut, req.PutStrike)
		}
	case "collar":
		if !(req.CallStrike > req.PutStrike) {
			return req, httpErrorf(http.StatusBadRequest, "call %v must be above put %v", req.CallStrike, req.PutStrike)
		}
	default:
		return req, httpErrorf(http.StatusBadRequest, "strategy %q: want one of %s", req.Strategy, strings.Join(engine.Strategies, ", "))
	}
	if !(req.PutStrike > 0 && req.PutStrike < 2) || !(req.ShortPut > 0) || !(req.CallStrike > 0) || req.CallStrike > 10 {
		return req, httpErrorf(http.StatusBadRequest, "strikes are positive fractions of spot (0.95 = 95%%)")
	}
	if v := r.FormValue("expiry_days"); v != "" {
		if req.ExpiryDays, err = strconv.Atoi(v); err != nil || req.ExpiryDays < 1 || req.ExpiryDays > 3650 {
			return req, httpErrorf(http.StatusBadRequest, "expiry_days: %q is not a count of days from 1 to 3650", v)
		}
	}
	if req.Value, err = floatParam(r, "portfolio_value", 0); err != nil {
		return req, err
	}
	if req.Value < 0 {
		return req, httpErrorf(http.StatusBadRequest, "portfolio_value %v: must be positive (or absent for the example book's value)", req.Value)
	}
	if v := r.FormValue("beta"); v != "" && !strings.EqualFold(v, "auto") {
		b, err := strconv.ParseFloat(v, 64)
		if err != nil || !(b > 0) || math.IsInf(b, 0) {
			return req, httpErrorf(http.StatusBadRequest, "beta %q: want auto or a positive number (a put hedge needs positive beta)", v)
		}
		req.Beta = b
	}
	m := engine.HedgeMarket{VolPremium: 0.02, Yield: engine.AssumedYield, RateAuto: true}
	switch vol := strings.ToLower(r.FormValue("vol")); vol {
	case "", engine.VolVIX:
		m.Vol = engine.VolVIX
	case engine.VolRealized:
		m.Vol = engine.VolRealized
	default:
		x, err := strconv.ParseFloat(vol, 64)
		if err != nil || !(x > 0) || x > 5 {
			return req, httpErrorf(http.StatusBadRequest, "vol %q: want vix, realized or a decimal volatility such as 0.22", vol)
		}
		m.Vol, m.VolValue = engine.VolGiven, x
	}
	if v := r.FormValue("vol_premium"); v != "" {
		if m.Vol != engine.VolRealized {
			return req, httpErrorf(http.StatusBadRequest, "vol_premium applies to vol=realized only")
		}
		if m.VolPremium, err = floatParam(r, "vol_premium", 0.02); err != nil {
			return req, err
		}
	}
	if v := r.FormValue("rate"); v != "" && !strings.EqualFold(v, "auto") {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1 {
			return req, httpErrorf(http.StatusBadRequest, "rate %q: want auto or a decimal rate such as 0.04", v)
		}
		m.Rate, m.RateAuto = x, false
	}
	if v := r.FormValue("dividend_yield"); v != "" {
		if m.Yield, err = floatParam(r, "dividend_yield", 0); err != nil {
			return req, err
		}
		if math.Abs(m.Yield) > 1 {
			return req, httpErrorf(http.StatusBadRequest, "dividend_yield %v: yields are decimals (0.012 = 1.2%%)", m.Yield)
		}
		m.YieldGiven = true
	}
	req.Market = m
	for _, spec := range list(r.Form["windows"]) {
		win, err := risk.ParseWindow(spec)
		if err != nil {
			return req, badRequest(fmt.Errorf("windows: %w", err))
		}
		req.Windows = append(req.Windows, win)
	}
	return req, nil
}

// hedge answers GET ?underlying=&strategy=&put=&short_put=&call=&expiry_days=&vol=
// &vol_premium=&rate=&dividend_yield=&portfolio_value=&beta=&windows=, as
// `ratecycle hedge --strategy ...` (value and beta from the example book unless given).
func (s *Server) hedge(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	req, err := hedgeRequest(r)
	if err != nil {
		return err
	}
	q, err := engine.QuoteHedge(r.Context(), s.cat, req)
	if err != nil {
		return userErr(err)
	}
	return writeJSON(w, http.StatusOK, hedgeView(q))
}
