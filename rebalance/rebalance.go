// Package rebalance turns holdings, cash and a target policy into trades: which symbols
// to sell and buy, how many shares, at what estimated cost, and which rule asked for
// each trade.
//
// # Rules
//
// Targets are weights of the whole book (positions plus cash). A policy groups symbols
// into sleeves; under the current regime (easing, tightening or hold, an input decided
// elsewhere) a tilt may change a sleeve's target and its symbols. A held symbol the
// policy does not name has target zero and is sold outright (fractional remnants too).
//
// A symbol trades only when it is outside its band: its weight is further from target
// than the band (see Bands), or its sleeve's weight is further from the sleeve target
// than the sleeve's band, in which case every symbol in the sleeve goes back to target.
// Trades go all the way to target, not to the band's edge. Weights are measured after
// the plan's own costs, so a symbol that the costs of other trades push out of its band
// trades too; each Trade records the drift and band that triggered it.
//
// Sells come before buys. Buys spend only the cash above the buffer (cash buffer × the
// book's value after costs, or nothing if the cash after sells is already below it); when
// they would spend more, every buy is scaled down by the same factor. Costs are
// CostBps × |value| on each trade and leave the book as cash, so
// value before = value after + costs.
//
// With whole shares a trade is rounded towards zero (never past target); the cash that
// rounding leaves is then spent on whole shares of the symbols still at least one share
// short of target, largest shortfall first. This makes the plan idempotent: rebalancing
// the result asks for no trades, because every symbol is then inside its band or less
// than one share (or one minimum trade) from target, and no symbol needing a share can
// be afforded. Rebalance checks this on its own result and folds any second-pass trade
// into the plan, so the property holds by construction. Trades worth less than
// MinTradeValue, or less than one cent, are not made.
//
// # Policy file
//
//	name: easing rotation          # free text
//	cash_buffer_pct: 2             # cash target, % of the book; counts in the 100%
//	cost_bps: 5                    # estimated cost per trade, bp of its value
//	min_trade_value: 500           # currency units
//	whole_shares: true             # false: fractional shares
//	bands:
//	  absolute_pp: 2               # percentage points of the book
//	  relative_pct: 25             # % of the target; the smaller band applies
//	sleeves:                       # targets + cash_buffer_pct = 100
//	  large-cap:
//	    target_pct: 78
//	    symbols: {SPY: 50, QQQ: 30, IVV: 20}    # % of the sleeve, sum 100
//	  small-cap:
//	    target_pct: 10
//	    symbols: {IWM: 100}
//	  bonds:
//	    target_pct: 10
//	    symbols: {TLT: 100}
//	tilts:                         # only while the named regime holds
//	  easing:
//	    note: rotate into small caps as the Fed cuts
//	    sleeves:
//	      large-cap: {target_pct: 68}            # target only: symbols kept
//	      small-cap:
//	        target_pct: 20
//	        symbols: {IWM: 50, XLI: 25, KRE: 25} # replaces the sleeve's symbols
//	hedge:                         # carried to the plan; package hedge prices it
//	  underlying: IWM
//	  strategy: put-spread         # protective-put | put-spread | collar | zero-cost-collar
//	  put_strike_pct: 95
//	  short_put_strike_pct: 80
//	  expiry_days: 91
//	  note: free text
//
// Unknown keys, duplicate keys and wrongly typed values are errors naming the line.
//
// rebalance never reads files, touches the network or looks at the clock: it is given
// holdings, prices, a policy (as bytes or a value) and the regime.
package rebalance

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Position is one holding.
type Position struct {
	Symbol      string
	Quantity    float64
	Price       float64
	MarketValue float64 // Quantity × Price; 0 means "compute it"
	Sector      string
	Sleeve      string // used only for symbols the policy does not name
}

// Input is everything a rebalance needs.
type Input struct {
	Positions []Position
	Cash      float64
	// Prices for symbols the policy targets but the book does not hold. Held symbols
	// use their Position.Price.
	Prices map[string]float64
	Policy *Policy
	Regime string // easing, tightening, hold, or "" for the untilted policy
}

// Side is buy or sell.
type Side string

// The sides of a trade.
const (
	Buy  Side = "buy"
	Sell Side = "sell"
)

// Trade is one order.
type Trade struct {
	Symbol   string
	Sleeve   string
	Side     Side
	Quantity float64 // shares, positive
	Price    float64
	Value    float64 // Quantity × Price
	Cost     float64 // estimated, CostBps × Value
	Rule     string  // why: the target, the drift and the band that triggered it
	Drift    float64 // weight minus target that triggered the trade (symbol or sleeve), decimal
	Band     float64 // the band it exceeded, decimal
}

// Row is a line of the weights table (a symbol or a sleeve).
type Row struct {
	Name           string
	Sleeve         string // for symbols
	QuantityBefore float64
	QuantityAfter  float64
	Before         float64 // weight in the book before, decimal
	After          float64 // after the trades and their costs
	Target         float64
	Band           float64
	Tilted         bool
}

// Summary describes a plan's effect.
type Summary struct {
	Regime      string
	ValueBefore float64 // positions + cash
	ValueAfter  float64 // = ValueBefore - Cost
	CashBefore  float64
	CashAfter   float64
	CashTarget  float64 // CashBuffer × ValueAfter
	Bought      float64 // total value of buys
	Sold        float64 // total value of sells
	Turnover    float64 // (Bought + Sold) / 2 / ValueBefore
	Cost        float64 // total estimated cost
	BuyScale    float64 // 1, or the factor buys were scaled by to keep the cash buffer
	Passes      int     // 1; more when checking idempotence found rounding to top up
	Symbols     []Row   // sleeve order, then symbol
	Sleeves     []Row
	Notes       []string
}

// Plan is the result of Rebalance.
type Plan struct {
	Trades  []Trade    // sells first, then buys; by sleeve and symbol within each
	After   []Position // the book after the trades (every symbol held or targeted)
	Summary Summary
}

// holding is the working state of one symbol.
type holding struct {
	pos     Position
	row     int // index in Input.Positions, or -1 for a symbol only the policy names
	target  float64
	inSlv   float64
	band    float64
	sleeve  int
	tilted  bool
	inPlan  bool // named by the policy under the regime
	trigger *Trade
}

type book struct {
	in      Input
	p       *Policy
	sleeves []SleeveTarget
	slvBand []float64
	h       []holding
	cash    float64
	value   float64
	cost    float64 // per unit of value traded
	minVal  float64
}

// Rebalance plans the trades that bring in's book to its policy under in.Regime.
//
// Errors name the offending position row or policy line: a symbol without a price, a
// negative quantity or cash, a market value that disagrees with quantity × price, a
// duplicate symbol, an unknown sleeve, a policy whose weights do not sum to 100%.
func Rebalance(in Input) (*Plan, error) {
	b, err := newBook(in)
	if err != nil {
		return nil, err
	}
	qty, scale := b.solve()
	// Idempotence: a second pass over the result must ask for nothing. It normally
	// does; if rounding ever leaves something, fold it in and check again.
	passes := 1
	for pass := 0; ; pass++ {
		nb := b.apply(qty)
		q2, _ := nb.solve()
		if !anyTrade(q2) {
			break
		}
		if pass == 8 {
			return nil, errors.New("rebalance: plan did not settle after 8 passes (a bug: please report the book and policy)")
		}
		passes++
		for i, q := range q2 {
			if q != 0 {
				qty[i] += q
				if b.h[i].trigger == nil {
					t := *nb.h[i].trigger
					t.Rule += " (settling pass)"
					b.h[i].trigger = &t
				}
			}
		}
	}
	pl := b.plan(qty, scale)
	pl.Summary.Passes = passes
	return pl, nil
}

func anyTrade(q []float64) bool {
	for _, x := range q {
		if x != 0 {
			return true
		}
	}
	return false
}

func newBook(in Input) (*book, error) {
	if in.Policy == nil {
		return nil, errors.New("rebalance: no policy")
	}
	if err := checkRegime(in.Regime); err != nil {
		return nil, fmt.Errorf("rebalance: %w", err)
	}
	if err := in.Policy.Validate(); err != nil {
		return nil, fmt.Errorf("rebalance: policy: %w", err)
	}
	if !(in.Cash >= 0) || math.IsInf(in.Cash, 0) {
		return nil, fmt.Errorf("rebalance: cash %v is not a number >= 0", in.Cash)
	}
	p := in.Policy
	b := &book{in: in, p: p, sleeves: p.targets(in.Regime), cash: in.Cash, cost: p.CostBps / 1e4,
		minVal: math.Max(p.MinTradeValue, 0.01)}
	sleeveIdx := map[string]int{}
	target := map[string]Target{}
	var sleeveNames []string
	for i, s := range b.sleeves {
		sleeveIdx[s.Name] = i
		sleeveNames = append(sleeveNames, s.Name)
		b.slvBand = append(b.slvBand, p.Bands.Band(s.Weight))
		for _, t := range s.Symbols {
			target[t.Symbol] = t
		}
	}
	seen := map[string]int{}
	for i, ps := range in.Positions {
		name := fmt.Sprintf("position %d (%s)", i+1, ps.Symbol)
		switch {
		case strings.TrimSpace(ps.Symbol) == "":
			return nil, fmt.Errorf("rebalance: position %d: empty symbol", i+1)
		case !(ps.Quantity >= 0) || math.IsInf(ps.Quantity, 0):
			return nil, fmt.Errorf("rebalance: %s: quantity %v is negative or not a number", name, ps.Quantity)
		case !(ps.Price > 0) || math.IsInf(ps.Price, 0):
			return nil, fmt.Errorf("rebalance: %s: no price (price %v)", name, ps.Price)
		}
		if j, dup := seen[ps.Symbol]; dup {
			return nil, fmt.Errorf("rebalance: %s: symbol also in position %d", name, j+1)
		}
		seen[ps.Symbol] = i
		mv := ps.Quantity * ps.Price
		if ps.MarketValue != 0 && math.Abs(ps.MarketValue-mv) > math.Max(0.01, 1e-6*math.Abs(mv)) {
			return nil, fmt.Errorf("rebalance: %s: market value %.2f is not quantity × price = %v × %v = %.2f", name, ps.MarketValue, ps.Quantity, ps.Price, mv)
		}
		h := holding{pos: ps, row: i}
		h.pos.MarketValue = mv
		if t, ok := target[ps.Symbol]; ok {
			h.target, h.inSlv, h.tilted, h.inPlan = t.Weight, t.InSleeve, t.Tilted, true
			h.sleeve = sleeveIdx[t.Sleeve]
		} else {
			k, ok := sleeveIdx[ps.Sleeve]
			if !ok {
				if ps.Sleeve == "" {
					return nil, fmt.Errorf("rebalance: %s: the policy does not name this symbol and the position has no sleeve (sleeves: %s)", name, strings.Join(sleeveNames, ", "))
				}
				return nil, fmt.Errorf("rebalance: %s: sleeve %q is not in the policy (sleeves: %s)", name, ps.Sleeve, strings.Join(sleeveNames, ", "))
			}
			h.sleeve = k
		}
		h.pos.Sleeve = b.sleeves[h.sleeve].Name
		b.h = append(b.h, h)
	}
	for _, s := range b.sleeves {
		for _, t := range s.Symbols {
			if _, held := seen[t.Symbol]; held {
				continue
			}
			px, ok := in.Prices[t.Symbol]
			if !ok || !(px > 0) || math.IsInf(px, 0) {
				return nil, fmt.Errorf("rebalance: policy %w", at(t.Line, "symbol %s (sleeve %s) is not held and has no price in Prices (got %v)", t.Symbol, s.Name, px))
			}
			b.h = append(b.h, holding{pos: Position{Symbol: t.Symbol, Price: px, Sleeve: s.Name}, row: -1,
				target: t.Weight, inSlv: t.InSleeve, tilted: t.Tilted, inPlan: true, sleeve: sleeveIdx[s.Name]})
		}
	}
	// Sleeve order, then symbol, so plans and tables read the same every time.
	sort.SliceStable(b.h, func(i, j int) bool {
		if b.h[i].sleeve != b.h[j].sleeve {
			return b.h[i].sleeve < b.h[j].sleeve
		}
		return b.h[i].pos.Symbol < b.h[j].pos.Symbol
	})
	b.value = b.cash
	for i := range b.h {
		b.h[i].band = p.Bands.Band(b.h[i].target)
		b.value += b.h[i].pos.MarketValue
	}
	if !(b.value > 0) {
		return nil, errors.New("rebalance: the book is worth nothing (no positions, no cash)")
	}
	return b, nil
}

// apply returns the book after trading qty (signed shares) at estimated cost.
func (b *book) apply(qty []float64) *book {
	nb := *b
	nb.h = make([]holding, len(b.h))
	nb.cash = b.cash
	for i, h := range b.h {
		h.trigger = nil
		h.pos.Quantity += qty[i]
		if h.pos.Quantity < 0 { // a sell-all that rounding pushed below zero
			h.pos.Quantity = 0
		}
		h.pos.MarketValue = h.pos.Quantity * h.pos.Price
		v := qty[i] * h.pos.Price
		nb.cash -= v + math.Abs(v)*b.cost
		nb.h[i] = h
	}
	if nb.cash < 0 && nb.cash > -1e-9*b.value {
		nb.cash = 0 // rounding when buys spend the cash exactly (a zero buffer)
	}
	nb.value = nb.cash
	for _, h := range nb.h {
		nb.value += h.pos.MarketValue
	}
	return &nb
}

func (b *book) costOf(qty []float64) float64 {
	c := 0.0
	for i, q := range qty {
		c += math.Abs(q*b.h[i].pos.Price) * b.cost
	}
	return c
}

// solve returns the signed share quantities to trade and the buy scale factor, recording
// in each traded holding's trigger why it trades.
func (b *book) solve() ([]float64, float64) {
	n := len(b.h)
	in := make([]bool, n)
	// First the drifts in the book as it is.
	b.mark(in, b.value, "")
	var qty []float64
	scale := 1.0
	for range n + len(b.sleeves) + 1 {
		x := b.value
		prev := -1.0
		// The targets are weights of the book after costs, which depend on the trades:
		// iterate to the fixed point (costs are basis points, so this converges at once;
		// with whole shares it stops when the rounded plan repeats).
		for range 100 {
			qty, scale = b.pass(in, x)
			nx := b.value - b.costOf(qty)
			if nx == x || math.Abs(nx-x) <= 1e-13*b.value || nx == prev {
				x = nx
				break
			}
			prev, x = x, nx
		}
		// Then the drifts in the book after the trades and their costs.
		after := b.apply(qty)
		for i := range after.h {
			after.h[i].trigger = b.h[i].trigger
		}
		added := after.mark(in, after.value, " after the other trades' costs")
		for i := range b.h {
			b.h[i].trigger = after.h[i].trigger
		}
		if !added {
			break
		}
	}
	for i := range qty {
		if qty[i] == 0 {
			b.h[i].trigger = nil
		}
	}
	return qty, scale
}

func pp(x float64) string   { return fmt.Sprintf("%+.3gpp", 100*x) }
func band(x float64) string { return fmt.Sprintf("%.3gpp", 100*x) }
func pc(x float64) string   { return fmt.Sprintf("%.4g%%", 100*x) }

// mark adds to in the symbols out of their band, or in a sleeve out of its band, in b
// valued at v; it reports whether it added any.
func (b *book) mark(in []bool, v float64, when string) bool {
	added := false
	tilt := ""
	if b.in.Regime != "" {
		tilt = " (" + b.in.Regime + " tilt)"
	}
	sw := make([]float64, len(b.sleeves))
	for _, h := range b.h {
		sw[h.sleeve] += h.pos.MarketValue / v
	}
	for k, s := range b.sleeves {
		d := sw[k] - s.Weight
		if math.Abs(d) <= b.slvBand[k] {
			continue
		}
		t := ""
		if s.Tilted {
			t = tilt
		}
		rule := fmt.Sprintf("sleeve %s target %s%s, drift %s > band %s%s", s.Name, pc(s.Weight), t, pp(d), band(b.slvBand[k]), when)
		for i := range b.h {
			if b.h[i].sleeve == k && !in[i] {
				in[i], added = true, true
				b.h[i].trigger = &Trade{Rule: rule + "; " + b.symbolTarget(i, tilt), Drift: d, Band: b.slvBand[k]}
			}
		}
	}
	for i, h := range b.h {
		if in[i] {
			continue
		}
		d := h.pos.MarketValue/v - h.target
		if math.Abs(d) <= h.band {
			continue
		}
		in[i], added = true, true
		b.h[i].trigger = &Trade{Rule: fmt.Sprintf("%s, drift %s > band %s%s", b.symbolTarget(i, tilt), pp(d), band(h.band), when), Drift: d, Band: h.band}
	}
	return added
}

func (b *book) symbolTarget(i int, tilt string) string {
	h := b.h[i]
	s := b.sleeves[h.sleeve].Name
	if !h.inPlan {
		r := "the policy"
		if b.in.Regime != "" {
			r += " under " + b.in.Regime
		}
		return fmt.Sprintf("%s not in %s: target 0%% (sleeve %s)", h.pos.Symbol, r, s)
	}
	t := ""
	if h.tilted {
		t = ", " + b.in.Regime + " tilt"
	}
	return fmt.Sprintf("%s target %s (%s of sleeve %s%s)", h.pos.Symbol, pc(h.target), pc(h.inSlv), s, t)
}

// pass plans one set of trades for the symbols in `in`, with targets valued at x (the
// book's value after costs), and returns signed shares and the buy scale.
func (b *book) pass(in []bool, x float64) ([]float64, float64) {
	qty := make([]float64, len(b.h))
	whole := b.p.WholeShares
	round := func(q float64) float64 {
		if whole {
			return math.Floor(q)
		}
		return q
	}
	// Sells.
	cash := b.cash
	for i, h := range b.h {
		if !in[i] {
			continue
		}
		var q float64
		if h.target == 0 {
			q = h.pos.Quantity // sell everything, fractional remnants included
		} else if d := h.pos.MarketValue - h.target*x; d > 0 {
			q = math.Min(round(d/h.pos.Price), h.pos.Quantity)
		}
		if v := q * h.pos.Price; q > 0 && v >= b.minVal {
			qty[i] = -q
			cash += v - v*b.cost
		}
	}
	// Buys, scaled to the cash above the buffer.
	avail := math.Max(0, cash-b.p.CashBuffer*x)
	need := 0.0
	want := make([]float64, len(b.h))
	for i, h := range b.h {
		if in[i] && h.target > 0 {
			if d := h.target*x - h.pos.MarketValue; d > 0 {
				want[i] = d / h.pos.Price
				need += d * (1 + b.cost)
			}
		}
	}
	scale := 1.0
	if need > avail {
		// A hair under the exact ratio, so rounding in the sum cannot overspend.
		scale = avail / need * (1 - 1e-12)
	}
	spent := 0.0
	for i, w := range want {
		px := b.h[i].pos.Price
		q := round(w * scale)
		// Rounding in the sums can leave the last buy a hair short of cash: trim it.
		if fit := (avail - spent) / (px * (1 + b.cost)); q > fit {
			q = round(math.Max(0, fit))
		}
		if v := q * px; q > 0 && v >= b.minVal {
			qty[i] = q
			spent += v * (1 + b.cost)
		}
	}
	if whole {
		// Spend what rounding left on whole shares still needed, largest shortfall
		// first; each symbol takes as many as it needs and the cash allows.
		type cand struct {
			i     int
			short float64
		}
		var cs []cand
		for i, w := range want {
			if w > 0 {
				cs = append(cs, cand{i, (w - qty[i]) * b.h[i].pos.Price})
			}
		}
		sort.SliceStable(cs, func(a, c int) bool { return cs[a].short > cs[c].short })
		for _, c := range cs {
			px := b.h[c.i].pos.Price
			left := avail - spent
			k := math.Min(math.Floor(c.short/px), math.Floor(left/(px*(1+b.cost))))
			if qty[c.i] == 0 && k*px < b.minVal {
				continue
			}
			for k > 0 && spent+k*px*(1+b.cost) > avail {
				k--
			}
			if k > 0 {
				qty[c.i] += k
				spent += k * px * (1 + b.cost)
			}
		}
	}
	return qty, scale
}

// plan assembles the trades and summary for qty.
func (b *book) plan(qty []float64, scale float64) *Plan {
	after := b.apply(qty)
	pl := &Plan{}
	s := &pl.Summary
	s.Regime = b.in.Regime
	s.ValueBefore, s.ValueAfter = b.value, after.value
	s.CashBefore, s.CashAfter = b.cash, after.cash
	s.CashTarget = b.p.CashBuffer * after.value
	s.BuyScale = scale
	var sells, buys []Trade
	for i, q := range qty {
		h := b.h[i]
		if q == 0 {
			continue
		}
		t := *h.trigger
		t.Symbol, t.Sleeve, t.Price = h.pos.Symbol, b.sleeves[h.sleeve].Name, h.pos.Price
		t.Quantity = math.Abs(q)
		t.Value = t.Quantity * t.Price
		t.Cost = t.Value * b.cost
		s.Cost += t.Cost
		if q < 0 {
			t.Side = Sell
			s.Sold += t.Value
			sells = append(sells, t)
		} else {
			t.Side = Buy
			s.Bought += t.Value
			if scale < 0.99 {
				t.Rule += fmt.Sprintf("; buys scaled to %.4g%% to keep the %s cash buffer", 100*scale, pc(b.p.CashBuffer))
			}
			buys = append(buys, t)
		}
	}
	pl.Trades = append(sells, buys...)
	s.Turnover = (s.Bought + s.Sold) / 2 / b.value
	if scale < 1-1e-9 {
		s.Notes = append(s.Notes, fmt.Sprintf("buys scaled to %.4g%% of their size: the cash after sells and costs, less the %s buffer, could not pay for all of them", 100*scale, pc(b.p.CashBuffer)))
	}
	slv := make([]Row, len(b.sleeves))
	for k, st := range b.sleeves {
		slv[k] = Row{Name: st.Name, Target: st.Weight, Band: b.slvBand[k], Tilted: st.Tilted}
	}
	for i, h := range b.h {
		a := after.h[i]
		r := Row{Name: h.pos.Symbol, Sleeve: b.sleeves[h.sleeve].Name, QuantityBefore: h.pos.Quantity, QuantityAfter: a.pos.Quantity,
			Before: h.pos.MarketValue / b.value, After: a.pos.MarketValue / after.value, Target: h.target, Band: h.band, Tilted: h.tilted}
		s.Symbols = append(s.Symbols, r)
		slv[h.sleeve].Before += r.Before
		slv[h.sleeve].After += r.After
		pos := a.pos
		if pos.Sector == "" && h.row >= 0 {
			pos.Sector = b.in.Positions[h.row].Sector
		}
		pl.After = append(pl.After, pos)
	}
	s.Sleeves = slv
	if b.in.Regime != "" && b.p.tilt(b.in.Regime) == nil {
		s.Notes = append(s.Notes, fmt.Sprintf("the policy has no tilt for regime %s: untilted targets", b.in.Regime))
	} else if t := b.p.tilt(b.in.Regime); t != nil && t.Note != "" {
		s.Notes = append(s.Notes, fmt.Sprintf("%s tilt: %s", t.Regime, t.Note))
	}
	return pl
}
