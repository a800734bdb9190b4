package hedge

import (
	"fmt"
	"math"
	"sort"
)

// Multiplier is the number of shares one listed US equity or ETF option contract covers.
const Multiplier = 100

// Underlying is what the hedge is written on (an index ETF such as IWM) with the market
// inputs that price options on it.
type Underlying struct {
	Symbol string
	Spot   float64 // price per share
	Rate   float64 // continuously compounded risk-free rate, decimal per year
	Yield  float64 // continuous dividend yield, decimal per year
	Vol    float64 // annual volatility used for every strike (no smile), decimal
	Expiry float64 // years to expiry
}

func (u Underlying) validate() error {
	o := Option{Kind: Put, Spot: u.Spot, Strike: u.Spot, Rate: u.Rate, Yield: u.Yield, Vol: u.Vol, Expiry: u.Expiry}
	if err := o.Validate(); err != nil {
		return fmt.Errorf("underlying %s: %w", u.Symbol, err)
	}
	if u.Vol == 0 || u.Expiry == 0 {
		return fmt.Errorf("underlying %s: a hedge needs a positive volatility and expiry (got vol %v, expiry %v years)", u.Symbol, u.Vol, u.Expiry)
	}
	return nil
}

func (u Underlying) option(k Kind, strike float64) Option {
	return Option{Kind: k, Spot: u.Spot, Strike: strike, Rate: u.Rate, Yield: u.Yield, Vol: u.Vol, Expiry: u.Expiry}
}

// Exposure is the portfolio (or sleeve) being hedged.
type Exposure struct {
	Value float64 // market value
	Beta  float64 // beta of the portfolio's returns to the underlying's
}

// Sizing says how many contracts hedge an Exposure and how that number was reached.
type Sizing struct {
	Value      float64
	Beta       float64
	Spot       float64
	Exact      float64 // Beta × Value / (Spot × Multiplier), before rounding
	Contracts  int     // Exact rounded to the nearest whole contract (halves away from zero)
	Shares     float64 // Contracts × Multiplier
	Notional   float64 // hedged notional, Shares × Spot
	HedgeRatio float64 // Notional / (Beta × Value): 1 is a full beta hedge
	Rule       string  // the computation in words
}

// Size returns the contracts that hedge e with options on an underlying priced spot:
// contracts = round(beta × value / (spot × 100)). It is an error when the result rounds
// to zero contracts.
func Size(e Exposure, spot float64) (Sizing, error) {
	switch {
	case !(e.Value > 0) || math.IsInf(e.Value, 0):
		return Sizing{}, fmt.Errorf("hedge sizing: portfolio value %v is not a positive number", e.Value)
	case !(e.Beta > 0) || math.IsInf(e.Beta, 0):
		return Sizing{}, fmt.Errorf("hedge sizing: beta %v is not a positive number (a put hedge needs positive beta)", e.Beta)
	case !(spot > 0) || math.IsInf(spot, 0):
		return Sizing{}, fmt.Errorf("hedge sizing: spot %v is not a positive number", spot)
	}
	exact := e.Beta * e.Value / (spot * Multiplier)
	n := int(math.Round(exact))
	s := Sizing{Value: e.Value, Beta: e.Beta, Spot: spot, Exact: exact, Contracts: n,
		Shares: float64(n * Multiplier), Notional: float64(n*Multiplier) * spot}
	s.HedgeRatio = s.Notional / (e.Beta * e.Value)
	s.Rule = fmt.Sprintf("contracts = round(beta × value / (spot × %d)) = round(%.2f × %.2f / (%.2f × %d)) = round(%.2f) = %d (hedge ratio %.1f%%)",
		Multiplier, e.Beta, e.Value, spot, Multiplier, exact, n, 100*s.HedgeRatio)
	if n == 0 {
		return s, fmt.Errorf("hedge sizing: %.2f contracts rounds to none: %s", exact, s.Rule)
	}
	return s, nil
}

// Leg is one option in a strategy, per share of the underlying.
type Leg struct {
	Kind      Kind
	Strike    float64
	Moneyness float64 // Strike / Spot
	Position  int     // +1 long, -1 short
	Premium   float64 // Black-Scholes-Merton price of one option on one share
	Greeks    Greeks  // of one long option on one share
}

func (l Leg) payoff(st float64) float64 {
	if l.Kind == Call {
		return float64(l.Position) * math.Max(st-l.Strike, 0)
	}
	return float64(l.Position) * math.Max(l.Strike-st, 0)
}

// Point is one row of a payoff table at expiry.
type Point struct {
	Move       float64 // the underlying's move from spot, decimal (-0.30 .. +0.30)
	Underlying float64 // the underlying's price at expiry
	Unhedged   float64 // portfolio value without the hedge: Value × (1 + Beta × Move)
	Payoff     float64 // the options' payoff at expiry, all contracts
	Hedged     float64 // Unhedged + Payoff - PremiumTotal
}

// Quote is a priced, sized hedge with what a risk manager asks of it.
//
// The portfolio is assumed to move Beta times the underlying (no idiosyncratic risk),
// and the premium is paid at inception without interest on it; both are stated in the
// payoff table's definition.
type Quote struct {
	Strategy   string
	Underlying Underlying
	Legs       []Leg
	Sizing     Sizing

	PremiumPerShare float64 // net premium paid per share of underlying (negative: a net credit)
	PremiumTotal    float64 // PremiumPerShare × Sizing.Shares
	CostPct         float64 // PremiumTotal / Sizing.Notional, decimal
	CostPctAnnual   float64 // CostPct / Expiry (simple annualisation), decimal per year

	// Breakevens are the underlying's prices at expiry at which one share plus the
	// strategy, net of its premium, is worth what the share was at inception. Empty when
	// the hedged share cannot break even (e.g. a collar capped below spot + premium).
	Breakevens []float64
	// ProtectionBelow is the highest long put strike: the hedge pays when the
	// underlying ends below it.
	ProtectionBelow float64
	// MaxPayoutPerShare is the most the options can pay at expiry per share: the put
	// strike for a protective put, K1 - K2 for a put spread.
	MaxPayoutPerShare float64
	// FloorPerShare is the worst value at expiry of one share plus the strategy, net of
	// premium; MaxLossPct is FloorPerShare / Spot - 1, the worst return of a hedged share.
	FloorPerShare float64
	MaxLossPct    float64

	// Position greeks of all contracts (long and short legs netted), QuantLib units.
	Delta, Gamma, Vega, Theta float64

	Payoff []Point
}

// Moves are the underlying's moves in the payoff table: -30% to +30% in steps of 5%.
var Moves = []float64{-0.30, -0.25, -0.20, -0.15, -0.10, -0.05, 0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30}

// ProtectivePut quotes long puts struck at moneyness (K/S, 0.95 = 95% of spot), sized to
// e's beta-weighted value.
func ProtectivePut(u Underlying, e Exposure, moneyness float64) (*Quote, error) {
	if err := checkMoneyness("put", moneyness); err != nil {
		return nil, err
	}
	return quote(fmt.Sprintf("protective put %s", pct(moneyness)), u, e, []legSpec{{Put, moneyness, +1}})
}

// PutSpread quotes a long put at moneyness long and a short put at the lower moneyness
// short: cheaper than a protective put, it pays at most (long - short) × spot per share.
func PutSpread(u Underlying, e Exposure, long, short float64) (*Quote, error) {
	if err := checkMoneyness("long put", long); err != nil {
		return nil, err
	}
	if err := checkMoneyness("short put", short); err != nil {
		return nil, err
	}
	if !(short < long) {
		return nil, fmt.Errorf("put spread: the short put strike %s must be below the long put strike %s", pct(short), pct(long))
	}
	return quote(fmt.Sprintf("put spread %s/%s", pct(long), pct(short)), u, e,
		[]legSpec{{Put, long, +1}, {Put, short, -1}})
}

// Collar quotes a long put at moneyness put financed by a short call at moneyness call
// (above the put strike): protection below the put, upside given up above the call.
func Collar(u Underlying, e Exposure, put, call float64) (*Quote, error) {
	if err := checkMoneyness("put", put); err != nil {
		return nil, err
	}
	if err := checkMoneyness("call", call); err != nil {
		return nil, err
	}
	if !(call > put) {
		return nil, fmt.Errorf("collar: the call strike %s must be above the put strike %s", pct(call), pct(put))
	}
	return quote(fmt.Sprintf("collar %s/%s", pct(put), pct(call)), u, e,
		[]legSpec{{Put, put, +1}, {Call, call, -1}})
}

// ZeroCostCollar quotes a collar whose call strike is solved so that the call's premium
// equals the put's: no net premium. It is an error when no call strike at or above the
// put strike does that (the put is struck above the forward, or is worth nothing).
func ZeroCostCollar(u Underlying, e Exposure, put float64) (*Quote, error) {
	if err := checkMoneyness("put", put); err != nil {
		return nil, err
	}
	if err := u.validate(); err != nil {
		return nil, err
	}
	call, err := ZeroCostCallStrike(u, put*u.Spot)
	if err != nil {
		return nil, err
	}
	q, err := quote(fmt.Sprintf("zero-cost collar %s/%s", pct(put), pct(call/u.Spot)), u, e,
		[]legSpec{{Put, put, +1}, {Call, call / u.Spot, -1}})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// ZeroCostCallStrike returns the call strike, at or above putStrike, whose call is worth
// exactly the put struck at putStrike. The call's value falls from C(putStrike) to zero
// as its strike rises, so the root is bracketed between putStrike and a strike 12
// standard deviations above the forward and found with Brent's method on log strike.
func ZeroCostCallStrike(u Underlying, putStrike float64) (float64, error) {
	if err := u.validate(); err != nil {
		return 0, err
	}
	if !(putStrike > 0) || math.IsInf(putStrike, 0) {
		return 0, fmt.Errorf("zero-cost collar: put strike %v is not a positive number", putStrike)
	}
	p := u.option(Put, putStrike).Price()
	fwd := u.Spot * math.Exp((u.Rate-u.Yield)*u.Expiry)
	if !(p > 0) {
		return 0, fmt.Errorf("zero-cost collar: the put struck at %.4g is worth nothing, so no finite call strike pays for it", putStrike)
	}
	h := func(lnK float64) float64 { return u.option(Call, math.Exp(lnK)).Price() - p }
	a := math.Log(putStrike)
	ha := h(a) // = S e^{-qT} - K e^{-rT} by put-call parity
	if math.Abs(ha) <= 1e-13*u.Spot {
		return putStrike, nil // struck at the forward: the call at the same strike pays for it
	}
	if ha < 0 {
		return 0, fmt.Errorf("zero-cost collar: no call strike at or above the put strike %.4g pays for the put (%.4g per share): the put strike is above the forward %.4g, so a call at the put strike is already cheaper (%.4g)",
			putStrike, p, fwd, ha+p)
	}
	b := math.Log(fwd) + 12*u.Vol*math.Sqrt(u.Expiry)
	if b <= a {
		b = a + 12*u.Vol*math.Sqrt(u.Expiry)
	}
	hb := h(b)
	if hb > 0 {
		return 0, fmt.Errorf("zero-cost collar: the put premium %.3g per share is below the price of a call %.4g struck 12 standard deviations above the forward; no practical call strike exists", p, hb+p)
	}
	lnK := brent(h, a, b, ha, hb, 1e-14)
	return math.Exp(lnK), nil
}

type legSpec struct {
	kind      Kind
	moneyness float64
	position  int
}

func checkMoneyness(what string, m float64) error {
	if !(m > 0) || math.IsInf(m, 0) {
		return fmt.Errorf("%s strike %v is not a positive fraction of spot (0.95 = 95%%)", what, m)
	}
	return nil
}

func pct(m float64) string { return fmt.Sprintf("%.4g%%", 100*m) }

func quote(name string, u Underlying, e Exposure, specs []legSpec) (*Quote, error) {
	if err := u.validate(); err != nil {
		return nil, err
	}
	sz, err := Size(e, u.Spot)
	if err != nil {
		return nil, err
	}
	q := &Quote{Strategy: name, Underlying: u, Sizing: sz}
	n := sz.Shares
	for _, s := range specs {
		k := s.moneyness * u.Spot
		g := u.option(s.kind, k).Greeks()
		q.Legs = append(q.Legs, Leg{Kind: s.kind, Strike: k, Moneyness: s.moneyness, Position: s.position, Premium: g.Price, Greeks: g})
		w := float64(s.position)
		q.PremiumPerShare += w * g.Price
		q.Delta += n * w * g.Delta
		q.Gamma += n * w * g.Gamma
		q.Vega += n * w * g.Vega
		q.Theta += n * w * g.Theta
		if s.kind == Put && s.position > 0 {
			q.ProtectionBelow = math.Max(q.ProtectionBelow, k)
		}
	}
	q.PremiumTotal = q.PremiumPerShare * n
	q.CostPct = q.PremiumTotal / sz.Notional
	q.CostPctAnnual = q.CostPct / u.Expiry
	q.Breakevens, q.MaxPayoutPerShare, q.FloorPerShare = q.profile()
	q.MaxLossPct = q.FloorPerShare/u.Spot - 1
	for _, m := range Moves {
		q.Payoff = append(q.Payoff, q.At(m))
	}
	return q, nil
}

// At returns the payoff-table row for any move of the underlying from spot (decimal,
// -0.5 = a 50% fall), with the quote's sizing: the same computation as Payoff, for
// moves outside Moves such as a replayed stress window.
func (q *Quote) At(move float64) Point {
	st := q.Underlying.Spot * (1 + move)
	pay := q.payoff(st) * q.Sizing.Shares
	unhedged := q.Sizing.Value * (1 + q.Sizing.Beta*move)
	return Point{Move: move, Underlying: st, Unhedged: unhedged, Payoff: pay, Hedged: unhedged + pay - q.PremiumTotal}
}

// payoff is the strategy's payoff at expiry per share when the underlying ends at st.
func (q *Quote) payoff(st float64) float64 {
	v := 0.0
	for _, l := range q.Legs {
		v += l.payoff(st)
	}
	return v
}

// profile walks the piecewise-linear value of one hedged share at expiry,
// g(x) = x + payoff(x) - premium, whose kinks are the strikes, and returns its zero
// crossings (breakevens), the options' largest payoff and g's minimum over x >= 0.
func (q *Quote) profile() (breakevens []float64, maxPayout, floor float64) {
	s0 := q.Underlying.Spot
	knots := []float64{0}
	for _, l := range q.Legs {
		knots = append(knots, l.Strike)
	}
	sort.Float64s(knots)
	last := knots[len(knots)-1]
	knots = append(knots, last+s0) // beyond the last strike g is linear
	pnl := func(x float64) float64 { return x + q.payoff(x) - q.PremiumPerShare - s0 }
	floor = math.Inf(1)
	maxPayout = math.Inf(-1)
	for i, x := range knots {
		floor = math.Min(floor, pnl(x)+s0)
		maxPayout = math.Max(maxPayout, q.payoff(x))
		if i == 0 {
			continue
		}
		a, b := knots[i-1], x
		ga, gb := pnl(a), pnl(b)
		if ga == 0 {
			breakevens = appendRoot(breakevens, a)
			continue
		}
		if i < len(knots)-1 {
			if gb != 0 && (ga < 0) != (gb < 0) {
				breakevens = appendRoot(breakevens, a+(b-a)*ga/(ga-gb))
			}
			continue
		}
		// Last piece: g is linear from the last strike to infinity.
		slope := (gb - ga) / (b - a)
		if (ga < 0 && slope > 0) || (ga > 0 && slope < 0) {
			breakevens = appendRoot(breakevens, a-ga/slope)
		}
		if q.payoff(b) > q.payoff(a) {
			maxPayout = math.Inf(1) // a long call pays without limit
		}
	}
	return breakevens, maxPayout, floor
}

func appendRoot(r []float64, x float64) []float64 {
	if n := len(r); n > 0 && math.Abs(r[n-1]-x) < 1e-9*math.Max(1, math.Abs(x)) {
		return r
	}
	return append(r, x)
}
