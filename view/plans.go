package view

import (
	"math"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
)

// The shape of `ratecycle backtest --format json` ----

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

// BacktestJSON is the shape of `ratecycle backtest --format json` and /api/v1/backtest.
type BacktestJSON struct {
	Strategy string      `json:"strategy"`
	File     string      `json:"file"`
	Runs     []btRunJSON `json:"runs"`
}

// Backtest converts the runs of a strategy; trades false leaves the trade lists empty.
func Backtest(s *backtest.Strategy, file string, res []*backtest.Result, trades bool) BacktestJSON {
	out := BacktestJSON{Strategy: s.Name, File: file, Runs: []btRunJSON{}}
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

// GreekUnits states the units of every greek, as QuantLib reports them.
var GreekUnits = map[string]string{
	"rates":        "continuously compounded, decimal per year",
	"expiry":       "years",
	"delta":        "per 1.00 of spot",
	"gamma":        "per 1.00 of spot, squared",
	"vega":         "per 1.00 of volatility (divide by 100 for one vol point)",
	"theta":        "per year of calendar time (divide by 365 for one day)",
	"rho":          "per 1.00 of rate (divide by 100 for one point)",
	"dividend_rho": "per 1.00 of dividend yield (divide by 100 for one point)",
}

// HedgeQuoteJSON is the shape of a strategy quote: `ratecycle hedge --strategy ... --format json` and /api/v1/hedge.
type HedgeQuoteJSON struct {
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

// Hedge converts a hedge quote.
func Hedge(h *engine.HedgeQuote) HedgeQuoteJSON {
	q := h.Quote
	v := HedgeQuoteJSON{Underlying: h.Symbol, ID: h.ID, Strategy: q.Strategy, Market: h.Market, ExpiryDays: h.ExpiryDays,
		ExpiryYears: q.Underlying.Expiry, Value: h.Value, ValueFrom: h.ValueFrom, Beta: h.Beta, BetaDetail: h.BetaDetail,
		Contracts: q.Sizing.Contracts, ContractsExact: q.Sizing.Exact, Shares: q.Sizing.Shares, Notional: q.Sizing.Notional,
		HedgeRatio: q.Sizing.HedgeRatio, SizingRule: q.Sizing.Rule, PremiumShare: q.PremiumPerShare, Premium: q.PremiumTotal,
		CostOfValue: output.Num(h.CostOfValue), CostOfValueYr: output.Num(h.CostOfValueAnnual), CostOfNotional: output.Num(q.CostPct),
		Breakevens: q.Breakevens, ProtectBelow: q.ProtectionBelow, MaxPayout: output.Num(q.MaxPayoutPerShare),
		Floor: output.Num(q.FloorPerShare), MaxLoss: output.Num(q.MaxLossPct),
		Greeks: map[string]output.Num{"delta": output.Num(q.Delta), "gamma": output.Num(q.Gamma), "vega": output.Num(q.Vega), "theta": output.Num(q.Theta)},
		Units:  GreekUnits, Notes: h.Notes, Legs: []hedgeLegJSON{}, Payoff: []hedgePointJSON{}, Stress: []hedgeStressJSON{}}
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
