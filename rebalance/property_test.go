package rebalance

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Randomised books and policies over fixed seeds: 1-4 sleeves of 1-4 symbols, cash
// buffers 0-5%, bands from none to 5pp / 25%, costs 0-100bp, minimum trades 0-1000,
// whole or fractional shares, books worth $1e3..$1e7 with prices $1..$2000, held
// symbols the policy does not name, and easing tilts that move sleeve targets and
// replace symbols. Some books start near target so the bands decide.
const propertyBooks = 3000

func pick[T any](rng *rand.Rand, xs ...T) T { return xs[rng.IntN(len(xs))] }

func normalised(rng *rand.Rand, n int, total float64) []float64 {
	w := make([]float64, n)
	s := 0.0
	for i := range w {
		w[i] = rng.Float64()
		if rng.IntN(8) == 0 {
			w[i] = 0
		}
		s += w[i]
	}
	if s == 0 {
		w[0], s = 1, 1
	}
	for i := range w {
		w[i] *= total / s
	}
	return w
}

func randomInput(rng *rand.Rand) Input {
	p := &Policy{
		CashBuffer:    pick[float64](rng, 0, 0.01, 0.02, 0.05),
		CostBps:       pick[float64](rng, 0, 1, 5, 25, 100),
		MinTradeValue: pick[float64](rng, 0, 0, 100, 1000),
		WholeShares:   rng.IntN(10) < 7,
		Bands:         Bands{Absolute: pick(rng, 0, 0.005, 0.02, 0.05), Relative: pick(rng, 0, 0.1, 0.25)},
	}
	prices := map[string]float64{}
	price := func() float64 { return math.Round(100*math.Exp(rng.Float64()*math.Log(2000))) / 100 }
	ns := 1 + rng.IntN(4)
	tw := normalised(rng, ns, 1-p.CashBuffer)
	var symbols []string
	for k := range ns {
		s := Sleeve{Name: fmt.Sprintf("s%d", k), Target: tw[k]}
		m := 1 + rng.IntN(4)
		for j, w := range normalised(rng, m, 1) {
			sym := fmt.Sprintf("S%dN%d", k, j)
			s.Symbols = append(s.Symbols, SymbolWeight{Symbol: sym, Weight: w})
			symbols = append(symbols, sym)
			prices[sym] = price()
		}
		p.Sleeves = append(p.Sleeves, s)
	}
	if rng.IntN(2) == 0 {
		tl := Tilt{Regime: Easing}
		nw := normalised(rng, ns, 1-p.CashBuffer)
		for k := range ns {
			c := SleeveTilt{Name: p.Sleeves[k].Name, Target: ptr(nw[k])}
			if rng.IntN(3) == 0 {
				c.Symbols = []SymbolWeight{}
				for j, w := range normalised(rng, 1+rng.IntN(3), 1) {
					sym := fmt.Sprintf("S%dT%d", k, j)
					c.Symbols = append(c.Symbols, SymbolWeight{Symbol: sym, Weight: w})
					symbols = append(symbols, sym)
					prices[sym] = price()
				}
			}
			tl.Sleeves = append(tl.Sleeves, c)
		}
		p.Tilts = []Tilt{tl}
	}
	in := Input{Policy: p, Prices: prices, Regime: pick(rng, "", Easing, Easing, Hold)}
	value := math.Exp(math.Log(1e3) + rng.Float64()*math.Log(1e4))
	near := rng.IntN(3) == 0
	var ts map[string]float64
	if near {
		ts = map[string]float64{}
		for _, s := range p.targets(in.Regime) {
			for _, t := range s.Symbols {
				ts[t.Symbol] = t.Weight
			}
		}
	}
	invested := 0.0
	for _, sym := range symbols {
		if rng.IntN(10) < 3 {
			continue
		}
		w := rng.Float64() * 0.5
		if near {
			w = ts[sym] * (1 + 0.3*(rng.Float64()-0.5))
		}
		q := w * value / prices[sym]
		if p.WholeShares || rng.IntN(2) == 0 {
			q = math.Floor(q)
		}
		if q > 0 {
			// Symbols a tilt adds are named only under it: the sleeve places them otherwise.
			in.Positions = append(in.Positions, Position{Symbol: sym, Quantity: q, Price: prices[sym], Sleeve: "s" + sym[1:2]})
			invested += q * prices[sym]
		}
	}
	for j := range rng.IntN(3) {
		px := price()
		q := math.Floor(rng.Float64() * 0.1 * value / px)
		in.Positions = append(in.Positions, Position{Symbol: fmt.Sprintf("OLD%d", j), Quantity: q, Price: px, Sleeve: p.Sleeves[rng.IntN(ns)].Name})
		invested += q * px
	}
	in.Cash = math.Round(100*rng.Float64()*0.2*value) / 100
	if near {
		in.Cash = math.Max(0, value*p.CashBuffer*(1+0.3*(rng.Float64()-0.5)))
	}
	if invested+in.Cash == 0 {
		in.Cash = 1000
	}
	return in
}

// TestPropertyInvariants: cash never negative, value before = value after + costs,
// sells before buys, no trade inside its band, and rebalancing the result asks for no
// trades (checkPlan); plus every trade is explained by a drift beyond a band in the
// book before the trades, or by the costs of the other trades.
func TestPropertyInvariants(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		rng := rand.New(rand.NewPCG(seed, 0x9e3779b9))
		traded, trades, settled, scaled := 0, 0, 0, 0
		for n := range propertyBooks {
			in := randomInput(rng)
			plan, err := Rebalance(in)
			if err != nil {
				t.Fatalf("seed %d book %d: %v", seed, n, err)
			}
			ok := t.Run(fmt.Sprintf("seed%d/book%d", seed, n), func(t *testing.T) {
				checkPlan(t, in, plan)
				checkExplained(t, plan)
			})
			if !ok {
				t.Fatalf("seed %d book %d: policy %+v\ninput %+v", seed, n, *in.Policy, in)
			}
			if len(plan.Trades) > 0 {
				traded++
			}
			trades += len(plan.Trades)
			if plan.Summary.Passes > 1 {
				settled++
			}
			if plan.Summary.BuyScale < 1-1e-9 {
				scaled++
			}
		}
		t.Logf("seed %d: %d books, %d with trades (%d trades), %d with buys scaled to the buffer, %d needed a settling pass",
			seed, propertyBooks, traded, trades, scaled, settled)
	}
}

func checkExplained(t *testing.T, p *Plan) {
	t.Helper()
	sym := map[string]Row{}
	for _, r := range p.Summary.Symbols {
		sym[r.Name] = r
	}
	slv := map[string]Row{}
	for _, r := range p.Summary.Sleeves {
		slv[r.Name] = r
	}
	for _, tr := range p.Trades {
		r, s := sym[tr.Symbol], slv[tr.Sleeve]
		before := math.Abs(r.Before-r.Target) > r.Band || math.Abs(s.Before-s.Target) > s.Band
		if !before && !strings.Contains(tr.Rule, "after the other trades' costs") && !strings.Contains(tr.Rule, "settling pass") {
			t.Errorf("%s %s: inside its band before the trades (%.6g vs %.6g ± %.6g; sleeve %.6g vs %.6g ± %.6g) and not explained: %s",
				tr.Side, tr.Symbol, r.Before, r.Target, r.Band, s.Before, s.Target, s.Band, tr.Rule)
		}
	}
}

// TestPropertyInsideBands: books whose every symbol and sleeve is within half its band
// of target get no trades.
func TestPropertyInsideBands(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for n := range 1000 {
		in := randomInput(rng)
		in.Policy.Bands = Bands{Absolute: 0.02, Relative: 0.25}
		in.Policy.WholeShares = false
		// Drift each symbol by at most half of the smaller of its band and its share of
		// the sleeve's band, so every symbol and sleeve stays within half its band; cash
		// takes up the difference (and the drifts turn to underweights if it would go
		// negative). The book is worth exactly 1e6, so weights are as drawn.
		b := in.Policy.Bands
		value := 1e6
		var pos []Position
		var drift []float64
		sum := 0.0
		for _, s := range in.Policy.targets(in.Regime) {
			for _, tg := range s.Symbols {
				if tg.Weight == 0 {
					continue
				}
				lim := math.Min(b.Band(tg.Weight), b.Band(s.Weight)/float64(len(s.Symbols))) / 2
				d := lim * (2*rng.Float64() - 1)
				drift = append(drift, d)
				sum += tg.Weight + d
				pos = append(pos, Position{Symbol: tg.Symbol, Quantity: tg.Weight, Price: in.Prices[tg.Symbol]})
			}
		}
		flip := sum > 1
		sum = 0
		for i := range pos {
			d := drift[i]
			if flip && d > 0 {
				d = -d
			}
			w := pos[i].Quantity + d
			sum += w
			pos[i].Quantity = w * value / pos[i].Price
		}
		in.Positions = pos
		in.Cash = (1 - sum) * value
		plan, err := Rebalance(in)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Trades) > 0 {
			t.Fatalf("book %d: %d trades inside the bands:\n%s", n, len(plan.Trades), show(plan))
		}
	}
}

func BenchmarkRebalance(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	var ins []Input
	for range 64 {
		ins = append(ins, randomInput(rng))
	}
	i := 0
	for b.Loop() {
		if _, err := Rebalance(ins[i%len(ins)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
