package backtest

import (
	"fmt"
	"math"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
)

// Result is one run of every portfolio of a strategy.
type Result struct {
	Strategy string
	Run      *Run
	Params   []float64 // the parameter values used, in file order
	// Dates[0] is the first decision date; Dates[t] the date of period t's returns.
	Dates   []series.Date
	Assets  []string
	Scale   int
	Cash    []float64      // cash return of each period (len T)
	Regimes []cycle.Regime // the Fed regime known at the start of each period (len T)
	// RelativeTo is the portfolio that Summary.Relative compares with.
	RelativeTo string
	Portfolios []PortfolioResult
	Notes      []string
}

// PortfolioResult is one portfolio's backtest.
type PortfolioResult struct {
	Name      string
	Benchmark bool
	Returns   []float64 // period returns after costs (len T)
	Equity    []float64 // growth of $1 (len T+1, Equity[0] = 1)
	// Weights[t*(len(Assets)+1)+j] is asset j's weight (cash last) after the decision
	// of Dates[t].
	Weights []float64
	// Rule[t] names the rule in force at the decision of Dates[t] ("default": none).
	Rule     []string
	Trades   []Trade
	Stats    TrialStats   // the same metrics a sweep ranks by
	Summary  *risk.Report // PerformanceAnalytics metrics, Rf = the cash returns
	CostPaid float64      // sum of costs as fractions of the portfolio
	// PerRegime is the return earned while each Fed regime was in force (as known
	// at the start of the period).
	PerRegime []RegimeReturn
}

// RegimeReturn is the return of a portfolio over the periods of one regime.
type RegimeReturn struct {
	Regime     cycle.Regime `json:"regime"`
	N          int          `json:"n"`          // periods
	Cumulative float64      `json:"cumulative"` // prod(1+r)-1 over those periods
	Annualized float64      `json:"annualized"` // prod(1+r)^(scale/N)-1
	// Excess is Annualized minus the RelativeTo portfolio's over the same periods.
	Excess float64 `json:"excess"`
}

// RegimeOrder is the order regimes are reported in.
var RegimeOrder = []cycle.Regime{cycle.RegimeEasing, cycle.RegimeTightening, cycle.RegimeHold}

// Backtest runs every portfolio of the strategy with params (nil = defaults).
func (p *Prepared) Backtest(params []float64) (*Result, error) {
	s := p.Strategy
	if params == nil {
		params = s.Defaults()
	}
	if len(params) != len(s.Params) {
		panic(fmt.Sprintf("backtest: %d parameter values for %d parameters", len(params), len(s.Params)))
	}
	T := p.T()
	var turns []float64
	res := &Result{Strategy: s.Name, Run: p.Run, Params: append([]float64(nil), params...), Dates: p.Dates, Assets: p.Assets,
		Scale: p.Scale, Cash: p.CashReturns(), Regimes: p.Regimes[1:], RelativeTo: s.RelativeTo, Notes: p.Notes}
	for i := range s.Portfolios {
		pf := &s.Portfolios[i]
		c, err := s.compile(pf, params, p.Assets)
		if err != nil {
			return nil, fmt.Errorf("portfolio %s: %w", pf.Name, err)
		}
		sig, err := p.signalValues(c.lag)
		if err != nil {
			return nil, fmt.Errorf("portfolio %s: %w", pf.Name, err)
		}
		st := make([]uint8, T+1)
		c.states(sig, st)
		name := func(k int) string {
			if k < len(pf.Rules) {
				return pf.Rules[k].Name
			}
			return "default"
		}
		rec := &recorder{equity: make([]float64, T+1), weights: make([]float64, (T+1)*p.cols)}
		ret := make([]float64, T)
		final, maxDD, turn, trades := p.simulate(c, st, make([]float64, p.cols), ret, rec, name)
		pr := PortfolioResult{Name: pf.Name, Benchmark: pf.Benchmark, Returns: ret, Equity: rec.equity, Weights: rec.weights,
			Trades: rec.trades, Stats: p.stats(ret, nil, final, maxDD, turn, trades)}
		pr.Rule = make([]string, T+1)
		for t := range st {
			pr.Rule[t] = name(int(st[t]))
		}
		for _, tr := range rec.trades {
			pr.CostPaid += tr.Cost
		}
		res.Portfolios = append(res.Portfolios, pr)
		turns = append(turns, turn)
	}
	var bench []float64
	for _, pr := range res.Portfolios {
		if pr.Name == s.RelativeTo {
			bench = pr.Returns
		}
	}
	for i := range res.Portfolios {
		pr := &res.Portfolios[i]
		var b []float64
		if bench != nil && pr.Name != s.RelativeTo {
			b = bench
			pr.Stats = p.stats(pr.Returns, b, pr.Stats.Final, pr.Stats.MaxDD, turns[i], pr.Stats.Trades)
		}
		rep, err := risk.Summary(pr.Returns, p.Dates[1:], b, risk.Options{Scale: p.Scale, RfSeries: res.Cash})
		if err != nil {
			return nil, fmt.Errorf("portfolio %s: %w", pr.Name, err)
		}
		pr.Summary = rep
		pr.PerRegime = perRegime(pr.Returns, bench, res.Regimes, p.Scale)
	}
	return res, nil
}

func perRegime(r, bench []float64, regimes []cycle.Regime, scale int) []RegimeReturn {
	if len(regimes) == 0 || regimes[0] == "" {
		return nil
	}
	var out []RegimeReturn
	for _, g := range RegimeOrder {
		w, wb := 1.0, 1.0
		n := 0
		for t, x := range r {
			if regimes[t] != g {
				continue
			}
			n++
			w *= 1 + x
			if bench != nil {
				wb *= 1 + bench[t]
			}
		}
		rr := RegimeReturn{Regime: g, N: n, Cumulative: w - 1, Annualized: math.NaN(), Excess: math.NaN()}
		if n > 0 {
			rr.Annualized = math.Pow(w, float64(scale)/float64(n)) - 1
			if bench != nil {
				rr.Excess = rr.Annualized - (math.Pow(wb, float64(scale)/float64(n)) - 1)
			}
		}
		out = append(out, rr)
	}
	return out
}

// Execute prepares run of s on data and backtests every portfolio with params (nil =
// defaults). from and to (NoDate = the run's own) narrow the dates.
func Execute(s *Strategy, run string, data *Data, from, to series.Date, params []float64) (*Result, error) {
	p, err := Prepare(s, run, data, from, to)
	if err != nil {
		return nil, err
	}
	return p.Backtest(params)
}
