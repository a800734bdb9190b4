package rebalance

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// twoSleeves: core 88% (SPY 60, QQQ 40), small-cap 10% (IWM), cash 2%; 2pp / 25% bands.
func twoSleeves() *Policy {
	return &Policy{
		CashBuffer: 0.02, CostBps: 10, MinTradeValue: 100, WholeShares: true,
		Bands: Bands{Absolute: 0.02, Relative: 0.25},
		Sleeves: []Sleeve{
			{Name: "core", Target: 0.88, Symbols: []SymbolWeight{{Symbol: "SPY", Weight: 0.6}, {Symbol: "QQQ", Weight: 0.4}}},
			{Name: "small-cap", Target: 0.10, Symbols: []SymbolWeight{{Symbol: "IWM", Weight: 1}}},
		},
		Tilts: []Tilt{{Regime: Easing, Sleeves: []SleeveTilt{
			{Name: "core", Target: ptr(0.78)},
			{Name: "small-cap", Target: ptr(0.20), Symbols: []SymbolWeight{{Symbol: "IWM", Weight: 0.5}, {Symbol: "KRE", Weight: 0.5}}},
		}}},
	}
}

func ptr(x float64) *float64 { return &x }

// A $100,000 book at the untilted targets: SPY 52.8%, QQQ 35.2%, IWM 10%, cash 2%.
func atTarget() []Position {
	return []Position{
		{Symbol: "SPY", Quantity: 528, Price: 100, Sleeve: "core"},
		{Symbol: "QQQ", Quantity: 352, Price: 100, Sleeve: "core"},
		{Symbol: "IWM", Quantity: 100, Price: 100, Sleeve: "small-cap"},
	}
}

func TestRebalance(t *testing.T) {
	type trade struct {
		sym  string
		side Side
		qty  float64
		rule string // substring
	}
	tests := []struct {
		name   string
		pos    []Position
		cash   float64
		regime string
		edit   func(*Policy)
		prices map[string]float64
		want   []trade
		note   string
	}{
		{name: "at target: nothing", pos: atTarget(), cash: 2000},
		{name: "inside the bands: nothing", cash: 2000, pos: []Position{
			{Symbol: "SPY", Quantity: 545, Price: 100}, {Symbol: "QQQ", Quantity: 340, Price: 100}, {Symbol: "IWM", Quantity: 95, Price: 100}},
		// SPY +1.7pp < 2pp, QQQ -1.2pp < 2pp, IWM -0.5pp < 2.5pp; sleeves +0.5pp, -0.5pp.
		},
		{name: "symbol beyond its band", cash: 2000, pos: []Position{
			{Symbol: "SPY", Quantity: 560, Price: 100}, {Symbol: "QQQ", Quantity: 320, Price: 100}, {Symbol: "IWM", Quantity: 100, Price: 100}},
			want: []trade{
				{"SPY", Sell, 32, "SPY target 52.8% (60% of sleeve core), drift +3.2pp > band 2pp"},
				{"QQQ", Buy, 31, "QQQ target 35.2% (40% of sleeve core), drift -3.2pp > band 2pp"},
			}},
		{name: "easing tilt moves the small-cap sleeve", pos: atTarget(), cash: 2000, regime: Easing,
			prices: map[string]float64{"KRE": 50},
			want: []trade{
				{"QQQ", Sell, 40, "sleeve core target 78% (easing tilt), drift +10pp > band 2pp"},
				{"SPY", Sell, 60, "sleeve core target 78% (easing tilt)"},
				{"KRE", Buy, 199, "sleeve small-cap target 20% (easing tilt), drift -10pp > band 2pp; KRE target 10% (50% of sleeve small-cap, easing tilt)"},
			}},
		{name: "holding the policy does not name is sold", cash: 2000, pos: append(atTarget()[:2],
			Position{Symbol: "IWM", Quantity: 90, Price: 100}, Position{Symbol: "AAPL", Quantity: 10, Price: 100, Sleeve: "small-cap"}),
			want: []trade{
				// IWM at 9% is inside its 2pp band, and so is its sleeve (IWM + AAPL = 10%).
				{"AAPL", Sell, 10, "AAPL not in the policy: target 0% (sleeve small-cap), drift +1pp > band 0pp"},
			}},
		{name: "a trade under the minimum is not made", cash: 2000, pos: []Position{
			{Symbol: "SPY", Quantity: 560, Price: 100}, {Symbol: "QQQ", Quantity: 320, Price: 100}, {Symbol: "IWM", Quantity: 100, Price: 100}},
			edit: func(p *Policy) { p.MinTradeValue = 5000 }},
		{name: "buys scaled to keep the cash buffer", cash: 0, pos: []Position{
			{Symbol: "SPY", Quantity: 600, Price: 100}, {Symbol: "QQQ", Quantity: 350, Price: 100}, {Symbol: "IWM", Quantity: 50, Price: 100}},
			// The core sleeve is +7pp over, so all of it goes to target: SPY sells 72
			// (7,200 less costs); 2,000 refills the buffer, and QQQ (1 share) and IWM (-5pp)
			// share the other 5,193 (scaled from 5,210).
			want: []trade{
				{"SPY", Sell, 72, "sleeve core target 88%, drift +7pp > band 2pp; SPY target 52.8%"},
				{"QQQ", Buy, 1, "sleeve core target 88%"},
				{"IWM", Buy, 49, "drift -5pp > band 2pp"},
			}, note: "buys scaled to 99.87% of their size"},
		{name: "fractional shares", cash: 2000, pos: []Position{
			{Symbol: "SPY", Quantity: 560, Price: 100}, {Symbol: "QQQ", Quantity: 320, Price: 100}, {Symbol: "IWM", Quantity: 100, Price: 100}},
			edit: func(p *Policy) { p.WholeShares = false },
			// Targets are of the value after costs (99,993.60): SPY sells to 52.8% of it.
			// IWM, 0.6 dollars over target but in band, keeps cash that QQQ's buy needed.
			want: []trade{{"SPY", Sell, 32.033795, "drift +3.2pp"}, {"QQQ", Buy, 31.971070, "drift -3.2pp"}}},
		{name: "no tilt for the regime", pos: atTarget(), cash: 2000, regime: Hold, note: "no tilt for regime hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := twoSleeves()
			if tt.edit != nil {
				tt.edit(p)
			}
			plan, err := Rebalance(Input{Positions: tt.pos, Cash: tt.cash, Policy: p, Regime: tt.regime, Prices: tt.prices})
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Trades) != len(tt.want) {
				t.Fatalf("%d trades, want %d:\n%s", len(plan.Trades), len(tt.want), show(plan))
			}
			for i, w := range tt.want {
				g := plan.Trades[i]
				if g.Symbol != w.sym || g.Side != w.side || math.Abs(g.Quantity-w.qty) > 1e-6 || !strings.Contains(g.Rule, w.rule) {
					t.Errorf("trade %d: %s %s %v (%s); want %s %s %v (%s)", i, g.Side, g.Symbol, g.Quantity, g.Rule, w.side, w.sym, w.qty, w.rule)
				}
			}
			if tt.note != "" && !strings.Contains(strings.Join(plan.Summary.Notes, "\n"), tt.note) {
				t.Errorf("notes %q, want one containing %q", plan.Summary.Notes, tt.note)
			}
			checkPlan(t, Input{Positions: tt.pos, Cash: tt.cash, Policy: p, Regime: tt.regime, Prices: tt.prices}, plan)
		})
	}
}

func TestRebalanceErrors(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Input)
		policy string // YAML, instead of twoSleeves
		want   string
	}{
		{name: "negative quantity", edit: func(in *Input) { in.Positions[1].Quantity = -5 }, want: "position 2 (QQQ): quantity -5 is negative"},
		{name: "no price", edit: func(in *Input) { in.Positions[0].Price = 0 }, want: "position 1 (SPY): no price (price 0)"},
		{name: "market value disagrees", edit: func(in *Input) { in.Positions[2].MarketValue = 9000 }, want: "position 3 (IWM): market value 9000.00 is not quantity × price = 100 × 100 = 10000.00"},
		{name: "duplicate symbol", edit: func(in *Input) { in.Positions[2].Symbol = "SPY" }, want: "position 3 (SPY): symbol also in position 1"},
		{name: "unknown sleeve", edit: func(in *Input) {
			in.Positions = append(in.Positions, Position{Symbol: "AAPL", Quantity: 1, Price: 200, Sleeve: "mega-cap"})
		}, want: `position 4 (AAPL): sleeve "mega-cap" is not in the policy (sleeves: core, small-cap)`},
		{name: "untargeted without sleeve", edit: func(in *Input) {
			in.Positions = append(in.Positions, Position{Symbol: "AAPL", Quantity: 1, Price: 200})
		}, want: "position 4 (AAPL): the policy does not name this symbol and the position has no sleeve"},
		{name: "policy symbol without a price", edit: func(in *Input) { in.Regime = Easing }, want: "symbol KRE (sleeve small-cap) is not held and has no price in Prices"},
		{name: "policy symbol without a price names the line", edit: func(in *Input) { in.Prices = nil },
			policy: minimalPolicy + "tilts:\n  easing:\n    sleeves:\n      small-cap: {symbols: {IWM: 50, KRE: 50}}\n", want: "line 14: symbol KRE"},
		{name: "negative cash", edit: func(in *Input) { in.Cash = -1 }, want: "cash -1 is not a number >= 0"},
		{name: "unknown regime", edit: func(in *Input) { in.Regime = "cutting" }, want: `regime "cutting" is not one of easing, tightening, hold`},
		{name: "targets do not sum", edit: func(in *Input) { in.Policy.Sleeves[0].Target = 0.8 }, want: "sum to 92%, want 100% (tolerance 1e-6)"},
		{name: "empty book", edit: func(in *Input) {
			in.Positions, in.Cash, in.Prices = nil, 0, map[string]float64{"SPY": 1, "QQQ": 1, "IWM": 1}
		}, want: "the book is worth nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Positions: atTarget(), Cash: 2000, Policy: twoSleeves()}
			if tt.policy != "" {
				p, err := ParsePolicy([]byte(tt.policy))
				if err != nil {
					t.Fatal(err)
				}
				in.Policy, in.Regime = p, Easing
			}
			tt.edit(&in)
			_, err := Rebalance(in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error:\n  %v\nwant it to contain\n  %s", err, tt.want)
			}
		})
	}
}

func show(p *Plan) string {
	var b strings.Builder
	for _, t := range p.Trades {
		fmt.Fprintf(&b, "  %s %s %v @ %v: %s\n", t.Side, t.Symbol, t.Quantity, t.Price, t.Rule)
	}
	return b.String()
}

// checkPlan asserts the invariants every plan must meet, and returns whether the
// rebalance of its result was empty.
func checkPlan(t *testing.T, in Input, p *Plan) {
	t.Helper()
	s := p.Summary
	tol := 1e-9 * s.ValueBefore
	if s.CashAfter < 0 {
		t.Errorf("cash after %v < 0", s.CashAfter)
	}
	if math.Abs(s.ValueBefore-(s.ValueAfter+s.Cost)) > tol {
		t.Errorf("value before %.6f != after %.6f + costs %.6f", s.ValueBefore, s.ValueAfter, s.Cost)
	}
	after := s.CashAfter
	for _, ps := range p.After {
		if ps.Quantity < 0 {
			t.Errorf("%s: quantity after %v < 0", ps.Symbol, ps.Quantity)
		}
		after += ps.Quantity * ps.Price
	}
	if math.Abs(after-s.ValueAfter) > tol {
		t.Errorf("positions after + cash = %.6f, summary says %.6f", after, s.ValueAfter)
	}
	cost, buying := 0.0, false
	for _, tr := range p.Trades {
		if !(math.Abs(tr.Drift) > tr.Band) {
			t.Errorf("%s %s: traded inside its band: drift %v, band %v (%s)", tr.Side, tr.Symbol, tr.Drift, tr.Band, tr.Rule)
		}
		if tr.Side == Buy {
			buying = true
		} else if buying {
			t.Errorf("sell of %s after a buy", tr.Symbol)
		}
		if !(tr.Quantity > 0) || tr.Value < math.Max(in.Policy.MinTradeValue, 0.01) {
			t.Errorf("%s %s: quantity %v value %v under the minimum trade", tr.Side, tr.Symbol, tr.Quantity, tr.Value)
		}
		if in.Policy.WholeShares && tr.Side == Buy && tr.Quantity != math.Floor(tr.Quantity) {
			t.Errorf("buy %s: %v is not whole shares", tr.Symbol, tr.Quantity)
		}
		cost += tr.Cost
	}
	if math.Abs(cost-s.Cost) > tol {
		t.Errorf("trade costs sum to %v, summary %v", cost, s.Cost)
	}
	again, err := Rebalance(Input{Positions: p.After, Cash: s.CashAfter, Policy: in.Policy, Regime: in.Regime})
	if err != nil {
		t.Fatalf("rebalancing the result: %v", err)
	}
	if len(again.Trades) > 0 {
		t.Errorf("rebalancing the result asks for %d more trades:\n%sfirst plan:\n%s", len(again.Trades), show(again), show(p))
	}
}
