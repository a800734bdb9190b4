package backtest

import (
	"fmt"
	"math"
	"sort"
)

// compiled is a portfolio with its parameters resolved: a weight table with one row
// per rule and a last row for the default weights, columns assets then cash.
type compiled struct {
	cols  int
	w     []float64 // (len(rules)+1)*cols
	rules [][]ccond
	band  float64
	cost  float64 // fraction of turnover (bps/1e4)
	lag   int
	every Every
}

type ccond struct {
	sig  int    // index into the strategy's sorted signal list
	mask uint64 // categorical: bit i set when level i matches
	cat  bool
	cmps []ccmp
}

type ccmp struct {
	op byte // '<' lt, 'l' le, '>' gt, 'g' ge, '=' eq, '!' ne
	v  float64
}

var opCode = map[string]byte{"lt": '<', "le": 'l', "gt": '>', "ge": 'g', "eq": '=', "ne": '!'}

// compile resolves p under params into c (reusing its memory when given).
func (s *Strategy) compileInto(c *compiled, p *Portfolio, params []float64, assets []string) error {
	cols := len(assets) + 1
	c.cols = cols
	c.every = p.Every
	c.band = p.Band.Eval(params)
	if math.IsNaN(c.band) || c.band < 0 || c.band > 1 {
		return fmt.Errorf("line %d: portfolios.%s.rebalance.band: %s = %v is not between 0 and 1", p.Band.Line, p.Name, p.Band.Src, c.band)
	}
	bps := p.CostBps.Eval(params)
	if math.IsNaN(bps) || bps < 0 || bps > 10000 {
		return fmt.Errorf("line %d: portfolios.%s.cost_bps: %s = %v is not between 0 and 10000", p.CostBps.Line, p.Name, p.CostBps.Src, bps)
	}
	c.cost = bps / 1e4
	lag := p.SignalLag.Eval(params)
	if math.IsNaN(lag) || lag < 0 || lag > 600 || math.Abs(lag-math.Round(lag)) > 1e-9 {
		return fmt.Errorf("line %d: portfolios.%s.signal_lag_months: %s = %v is not a whole number of months between 0 and 600", p.SignalLag.Line, p.Name, p.SignalLag.Src, lag)
	}
	c.lag = int(math.Round(lag))
	nr := len(p.Rules)
	if cap(c.w) < (nr+1)*cols {
		c.w = make([]float64, (nr+1)*cols)
	}
	c.w = c.w[:(nr+1)*cols]
	fill := func(row []float64, ws []Weight, rule, line int) error {
		what := func() string {
			if rule < 0 {
				return "portfolios." + p.Name + ".weights"
			}
			return fmt.Sprintf("portfolios.%s.rules[%d].weights", p.Name, rule)
		}
		for j := range row {
			row[j] = 0
		}
		sum := 0.0
		for _, w := range ws {
			j := indexOf(assets, w.Asset)
			x := w.W.Eval(params)
			if math.IsNaN(x) || x < 0 || x > 1 {
				return fmt.Errorf("line %d: %s.%s: weight %s = %v is not between 0 and 1", w.Line, what(), w.Asset, w.W.Src, x)
			}
			row[j] += x
			sum += x
		}
		if sum > 1+1e-9 {
			return fmt.Errorf("line %d: %s: weights sum to %.6g > 1 (no leverage: cash is 1 minus the weights)", line, what(), sum)
		}
		row[cols-1] = max(0, 1-sum)
		return nil
	}
	for i, r := range p.Rules {
		if err := fill(c.w[i*cols:(i+1)*cols], r.Weights, i, r.Line); err != nil {
			return err
		}
	}
	if err := fill(c.w[nr*cols:], p.Weights, -1, p.Line); err != nil {
		return err
	}
	if cap(c.rules) < nr {
		c.rules = make([][]ccond, nr)
	}
	c.rules = c.rules[:nr]
	sigs := s.signalList()
	for i, r := range p.Rules {
		conds := c.rules[i]
		if len(conds) != len(r.When) {
			conds = make([]ccond, len(r.When))
		}
		for k, cd := range r.When {
			def, _ := LookupSignal(cd.Signal)
			cc := &conds[k]
			cc.sig = sort.SearchStrings(sigs, cd.Signal)
			cc.cat, cc.mask = false, 0
			if def.Levels != nil {
				cc.cat = true
				for _, l := range cd.Levels {
					cc.mask |= 1 << uint(indexOf(def.Levels, l))
				}
			}
			cc.cmps = cc.cmps[:0]
			for _, cm := range cd.Cmp {
				cc.cmps = append(cc.cmps, ccmp{op: opCode[cm.Op], v: cm.Value.Eval(params)})
			}
		}
		c.rules[i] = conds
	}
	return nil
}

func (s *Strategy) compile(p *Portfolio, params []float64, assets []string) (*compiled, error) {
	c := &compiled{}
	return c, s.compileInto(c, p, params, assets)
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// states writes into dst[t] the index of the rule in force at decision t (len(rules)
// for the default weights).
func (c *compiled) states(sig [][]float64, dst []uint8) {
	nr := uint8(len(c.rules))
	for t := range dst {
		st := nr
	rules:
		for i, conds := range c.rules {
			for _, cd := range conds {
				x := sig[cd.sig][t]
				if x != x { // NaN: unknown matches nothing
					continue rules
				}
				if cd.cat {
					if cd.mask&(1<<uint(x)) == 0 {
						continue rules
					}
					continue
				}
				for _, cm := range cd.cmps {
					ok := false
					switch cm.op {
					case '<':
						ok = x < cm.v
					case 'l':
						ok = x <= cm.v
					case '>':
						ok = x > cm.v
					case 'g':
						ok = x >= cm.v
					case '=':
						ok = x == cm.v
					case '!':
						ok = x != cm.v
					}
					if !ok {
						continue rules
					}
				}
			}
			st = uint8(i)
			break
		}
		dst[t] = st
	}
}

// recorder keeps what a full backtest reports; the sweep runs without one.
type recorder struct {
	equity  []float64 // T+1
	weights []float64 // (T+1)*cols, after each decision
	trades  []Trade
}

// Trade is one rebalancing.
type Trade struct {
	Date     string    `json:"date"`
	Rule     string    `json:"rule"`   // the rule in force ("default" when none matched)
	Before   []float64 `json:"before"` // weights before (assets then cash)
	After    []float64 `json:"after"`
	Turnover float64   `json:"turnover"` // sum of |change| of risky weights
	Cost     float64   `json:"cost"`     // fraction of the portfolio paid
}

// simulate runs one portfolio: holdings drift with returns; on check dates they go
// back to the rule's target when any weight is more than the band away. ret[t-1] is
// the return of period t after costs. It returns the final wealth, max drawdown
// (starting wealth counted as a peak), total turnover and the number of trades.
func (p *Prepared) simulate(c *compiled, st []uint8, h, ret []float64, rec *recorder, ruleName func(int) string) (final, maxDD, turnover float64, trades int) {
	cols := c.cols
	n := cols - 1
	T := p.T()
	R := p.r
	W := c.w
	var check []bool
	switch c.every {
	case EveryPeriod:
		check = p.checkAll
	case EveryQuarter:
		check = p.checkQtr
	default:
		check = p.checkMon
	}
	band := c.band
	cost := c.cost
	h = h[:cols]
	w0 := W[int(st[0])*cols : int(st[0])*cols+cols]
	copy(h, w0) // the first purchase is free: the backtest starts invested
	V, peak := 1.0, 1.0
	if rec != nil {
		rec.equity[0] = 1
		copy(rec.weights[:cols], h)
	}
	for t := 1; t <= T; t++ {
		row := R[t*cols : t*cols+cols]
		prev := V
		V = 0
		for j, x := range row {
			v := h[j] * (1 + x)
			h[j] = v
			V += v
		}
		if check[t] {
			tw := W[int(st[t])*cols : int(st[t])*cols+cols]
			lim := band * V
			trade := false
			for j, x := range tw {
				if d := x*V - h[j]; d > lim || -d > lim {
					trade = true
					break
				}
			}
			if trade {
				tv := 0.0
				for j := 0; j < n; j++ {
					tv += math.Abs(tw[j]*V - h[j])
				}
				if tv > 1e-12*V {
					turn := tv / V
					var before []float64
					if rec != nil {
						before = make([]float64, cols)
						for j := range h {
							before[j] = h[j] / V
						}
					}
					V -= cost * tv
					for j, x := range tw {
						h[j] = x * V
					}
					turnover += turn
					trades++
					if rec != nil {
						rec.trades = append(rec.trades, Trade{Date: p.Dates[t].String(), Rule: ruleName(int(st[t])),
							Before: before, After: append([]float64(nil), tw...), Turnover: turn, Cost: cost * turn})
					}
				}
			}
		}
		ret[t-1] = V/prev - 1
		if V > peak {
			peak = V
		} else if dd := 1 - V/peak; dd > maxDD {
			maxDD = dd
		}
		if rec != nil {
			rec.equity[t] = V
			for j := range h {
				rec.weights[t*cols+j] = h[j] / V
			}
		}
	}
	return V, maxDD, turnover, trades
}

// TrialStats are the metrics of one backtest of one portfolio, computed in the same
// pass as the simulation (no equity curve is kept). They equal risk.Summary's values
// for the same returns: Sharpe is PA 2.1.0's SharpeRatio.annualized with the cash
// returns as Rf, CAGR the geometric annualised return, MaxDD with the starting
// wealth as a peak, Calmar = CAGR/MaxDD.
type TrialStats struct {
	N        int     // periods
	Final    float64 // wealth of $1
	CAGR     float64
	Vol      float64 // annualised sample standard deviation
	Sharpe   float64 // annualised
	SharpePP float64 // per period: mean(r - rf)/sd(r - rf)
	MaxDD    float64
	Calmar   float64
	Turnover float64 // per year: sum of |change| of risky weights / years
	Trades   int
	// Skew and Kurt are the moment skewness and (non-excess) kurtosis, population
	// moments, of the excess returns r - rf: the inputs of the deflated Sharpe ratio.
	Skew, Kurt float64
	// Active statistics of r - b, b the strategy's relative_to portfolio run with the
	// same parameters: IR is the annualised arithmetic information ratio
	// mean(r-b)/sd(r-b)*sqrt(scale), ActivePP its per-period value, ActiveSkew and
	// ActiveKurt the moments of r - b. NaN when the portfolio is its own benchmark or
	// the strategy has none.
	IR, ActivePP, ActiveSkew, ActiveKurt float64
}

// Trial runs one portfolio of a Prepared many times with different parameters,
// reusing its memory: after the first call, Run allocates nothing. A Trial is not
// safe for concurrent use; make one per goroutine.
type Trial struct {
	p    *Prepared
	port *Portfolio
	c    compiled
	st   []uint8
	h    []float64
	ret  []float64
	// the relative_to portfolio, rerun only when a parameter it reads changes
	bench      *Portfolio
	bc         compiled
	bret       []float64
	benchUses  []int
	benchKey   []float64
	benchValid bool
}

// NewTrial returns a Trial of the named portfolio ("" = the first non-benchmark one).
func (p *Prepared) NewTrial(portfolio string) (*Trial, error) {
	pf, err := p.Strategy.Portfolio(portfolio)
	if err != nil {
		return nil, err
	}
	if len(pf.Rules) > 254 {
		return nil, fmt.Errorf("portfolio %s has more than 254 rules", pf.Name)
	}
	T := p.T()
	tr := &Trial{p: p, port: pf, st: make([]uint8, T+1), h: make([]float64, p.cols), ret: make([]float64, T)}
	if b, err := p.Strategy.Portfolio(p.Strategy.RelativeTo); err == nil && p.Strategy.RelativeTo != "" && b != pf {
		tr.bench = b
		tr.bret = make([]float64, T)
		tr.benchUses = b.paramsUsed()
		tr.benchKey = make([]float64, len(tr.benchUses))
	}
	return tr, nil
}

// paramsUsed lists the parameters any expression of the portfolio reads.
func (pf *Portfolio) paramsUsed() []int {
	seen := map[int]bool{}
	add := func(e Expr) {
		for _, i := range e.Params() {
			seen[i] = true
		}
	}
	add(pf.Band)
	add(pf.CostBps)
	add(pf.SignalLag)
	for _, w := range pf.Weights {
		add(w.W)
	}
	for _, r := range pf.Rules {
		for _, w := range r.Weights {
			add(w.W)
		}
		for _, c := range r.When {
			for _, cm := range c.Cmp {
				add(cm.Value)
			}
		}
	}
	out := make([]int, 0, len(seen))
	for i := range seen {
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

// runBench brings tr.bret up to date for params.
func (tr *Trial) runBench(params []float64) error {
	same := tr.benchValid
	for k, i := range tr.benchUses {
		if tr.benchKey[k] != params[i] {
			same = false
		}
		tr.benchKey[k] = params[i]
	}
	if same {
		return nil
	}
	p := tr.p
	if err := p.Strategy.compileInto(&tr.bc, tr.bench, params, p.Assets); err != nil {
		return fmt.Errorf("benchmark %s: %w", tr.bench.Name, err)
	}
	sig, err := p.signalValues(tr.bc.lag)
	if err != nil {
		return err
	}
	tr.bc.states(sig, tr.st)
	p.simulate(&tr.bc, tr.st, tr.h, tr.bret, nil, nil)
	tr.benchValid = true
	return nil
}

// Portfolio returns the portfolio the trial runs.
func (tr *Trial) Portfolio() *Portfolio { return tr.port }

// Check resolves params without running (for validating a grid up front).
func (tr *Trial) Check(params []float64) error {
	return tr.p.Strategy.compileInto(&tr.c, tr.port, params, tr.p.Assets)
}

// Run backtests the portfolio with params (one value per strategy parameter, in file
// order) and returns its metrics.
func (tr *Trial) Run(params []float64) (TrialStats, error) {
	p := tr.p
	if err := p.Strategy.compileInto(&tr.c, tr.port, params, p.Assets); err != nil {
		return TrialStats{}, err
	}
	sig, err := p.signalValues(tr.c.lag)
	if err != nil {
		return TrialStats{}, err
	}
	var bret []float64
	if tr.bench != nil {
		if err := tr.runBench(params); err != nil {
			return TrialStats{}, err
		}
		bret = tr.bret
	}
	tr.c.states(sig, tr.st)
	final, maxDD, turn, trades := p.simulate(&tr.c, tr.st, tr.h, tr.ret, nil, nil)
	return p.stats(tr.ret, bret, final, maxDD, turn, trades), nil
}

// stats computes TrialStats from the period returns in two passes.
func (p *Prepared) stats(ret, bench []float64, final, maxDD, turn float64, trades int) TrialStats {
	T := len(ret)
	cols := p.cols
	rf := p.r[cols+cols-1:] // period 1's cash, then every cols-th value
	n := float64(T)
	var sr, se float64
	for t, x := range ret {
		sr += x
		se += x - rf[t*cols]
	}
	mr, me := sr/n, se/n
	var vr, m2, m3, m4 float64
	for t, x := range ret {
		d := x - mr
		vr += d * d
		e := x - rf[t*cols] - me
		e2 := e * e
		m2 += e2
		m3 += e2 * e
		m4 += e2 * e2
	}
	scale := float64(p.Scale)
	s := TrialStats{N: T, Final: final, MaxDD: maxDD, Turnover: turn / (n / scale), Trades: trades}
	s.CAGR = math.Pow(final, scale/n) - 1
	s.Vol = math.Sqrt(vr/(n-1)) * math.Sqrt(scale)
	sdE := math.Sqrt(m2 / (n - 1))
	s.SharpePP = me / sdE
	s.Sharpe = s.SharpePP * math.Sqrt(scale)
	s.Calmar = s.CAGR / maxDD
	if maxDD == 0 {
		s.Calmar = math.Inf(1)
	}
	pm2 := m2 / n
	s.Skew = (m3 / n) / math.Pow(pm2, 1.5)
	s.Kurt = (m4 / n) / (pm2 * pm2)
	s.IR, s.ActivePP, s.ActiveSkew, s.ActiveKurt = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	if bench != nil {
		var sa float64
		for t, x := range ret {
			sa += x - bench[t]
		}
		ma := sa / n
		var a2, a3, a4 float64
		for t, x := range ret {
			d := x - bench[t] - ma
			d2 := d * d
			a2 += d2
			a3 += d2 * d
			a4 += d2 * d2
		}
		s.ActivePP = ma / math.Sqrt(a2/(n-1))
		s.IR = s.ActivePP * math.Sqrt(scale)
		pa2 := a2 / n
		s.ActiveSkew = (a3 / n) / math.Pow(pa2, 1.5)
		s.ActiveKurt = (a4 / n) / (pa2 * pa2)
	}
	return s
}
