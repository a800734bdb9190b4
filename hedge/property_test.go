package hedge

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Randomised properties over a fixed seed, so a failure reproduces. Inputs span spot
// 1..5000, moneyness 0.5..1.6, r and q -2%..10%, vol 5%..150%, expiry 1 day..10 years.

const propertyCases = 5000

func randomOption(rng *rand.Rand) Option {
	s := math.Exp(rng.Float64() * math.Log(5000))
	k := Call
	if rng.IntN(2) == 1 {
		k = Put
	}
	return Option{
		Kind:   k,
		Spot:   s,
		Strike: s * (0.5 + 1.1*rng.Float64()),
		Rate:   -0.02 + 0.12*rng.Float64(),
		Yield:  -0.02 + 0.12*rng.Float64(),
		Vol:    0.05 + 1.45*rng.Float64(),
		Expiry: math.Exp(math.Log(1.0/365) + rng.Float64()*math.Log(3650)),
	}
}

func TestPropertyPutCallParity(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for range propertyCases {
		o := randomOption(rng)
		o.Kind = Call
		c := o.Price()
		o.Kind = Put
		p := o.Price()
		rhs := o.Spot*math.Exp(-o.Yield*o.Expiry) - o.Strike*math.Exp(-o.Rate*o.Expiry)
		d := math.Abs((c - p) - rhs)
		worst = math.Max(worst, d/o.Spot)
		if d > 1e-12*math.Max(o.Spot, o.Strike) {
			t.Fatalf("%+v: C - P = %.17g, S e^{-qT} - K e^{-rT} = %.17g", o, c-p, rhs)
		}
	}
	t.Logf("%d cases, max |C - P - (S e^-qT - K e^-rT)| / S = %.3g", propertyCases, worst)
}

// TestPropertyGreeksFiniteDifference compares each greek with a central difference of
// Price (delta, gamma in S; vega in sigma; theta as -dV/dT; rho in r; dividend rho in q).
func TestPropertyGreeksFiniteDifference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	checked := 0
	for range propertyCases {
		o := randomOption(rng)
		g := o.Greeks()
		// Far out of the money in a short time the price is ~1e-300 and its differences
		// are pure rounding; skip the cases whose vega is negligible.
		if g.Vega < 1e-6*o.Spot {
			continue
		}
		checked++
		fd := func(set func(*Option, float64), x, h float64) (first, second float64) {
			up, dn := o, o
			set(&up, x+h)
			set(&dn, x-h)
			pu, pd := up.Price(), dn.Price()
			return (pu - pd) / (2 * h), (pu - 2*o.Price() + pd) / (h * h)
		}
		// Steps in S scale with the price's own scale in S, S sigma sqrt(T).
		hS := o.Spot * math.Min(1, o.Vol*math.Sqrt(o.Expiry))
		delta, _ := fd(func(p *Option, v float64) { p.Spot = v }, o.Spot, 1e-4*hS)
		_, gamma := fd(func(p *Option, v float64) { p.Spot = v }, o.Spot, 1e-3*hS)
		vega, _ := fd(func(p *Option, v float64) { p.Vol = v }, o.Vol, 1e-5)
		hT := math.Min(1e-5, o.Expiry/10)
		dVdT, _ := fd(func(p *Option, v float64) { p.Expiry = v }, o.Expiry, hT)
		rho, _ := fd(func(p *Option, v float64) { p.Rate = v }, o.Rate, 1e-6)
		drho, _ := fd(func(p *Option, v float64) { p.Yield = v }, o.Yield, 1e-6)
		for _, c := range []struct {
			name      string
			got, want float64
			scale     float64 // the size of the price changes the difference is taken over
		}{
			{"delta", g.Delta, delta, 1},
			{"gamma", g.Gamma, gamma, 1 / o.Spot},
			{"vega", g.Vega, vega, o.Spot},
			{"theta", g.Theta, -dVdT, o.Spot},
			{"rho", g.Rho, rho, o.Strike * o.Expiry},
			{"dividend rho", g.DividendRho, drho, o.Spot * o.Expiry},
		} {
			if d := math.Abs(c.got - c.want); d > 1e-4*c.scale+1e-5*math.Abs(c.want) {
				t.Fatalf("%+v: %s = %.12g, central difference %.12g", o, c.name, c.got, c.want)
			}
		}
	}
	t.Logf("%d of %d random options checked (the rest have negligible vega)", checked, propertyCases)
}

func TestPropertyImpliedVolRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	checked, worst := 0, 0.0
	for range propertyCases {
		o := randomOption(rng)
		g := o.Greeks()
		// Only where the price pins sigma down: a change of 1e-8 in sigma must move the
		// price by more than its rounding error.
		if g.Vega*1e-8 < 1e-13*math.Max(o.Spot, o.Strike) {
			continue
		}
		checked++
		iv, err := ImpliedVol(o, g.Price)
		if err != nil {
			t.Fatalf("%+v: ImpliedVol(price %.17g): %v", o, g.Price, err)
		}
		worst = math.Max(worst, math.Abs(iv-o.Vol))
		if math.Abs(iv-o.Vol) > 1e-8 {
			t.Fatalf("%+v: ImpliedVol(Price(sigma)) = %.15g, sigma = %.15g", o, iv, o.Vol)
		}
	}
	t.Logf("%d of %d random options round-tripped, max |IV - sigma| = %.3g", checked, propertyCases, worst)
}

func TestPropertyMonotoneInStrike(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range propertyCases {
		o := randomOption(rng)
		lo, hi := o, o
		hi.Strike = o.Strike * (1 + 0.2*rng.Float64() + 1e-6)
		pl, ph := lo.Price(), hi.Price()
		// Calls fall and puts rise with the strike; the change is at most the
		// discounted strike difference (the price is 1-Lipschitz in K e^{-rT}).
		bound := (hi.Strike - lo.Strike) * math.Exp(-o.Rate*o.Expiry) * (1 + 1e-12)
		if o.Kind == Call && !(ph <= pl && pl-ph <= bound) || o.Kind == Put && !(ph >= pl && ph-pl <= bound) {
			t.Fatalf("%+v: price %.17g at K=%.10g, %.17g at K=%.10g (bound %.6g)", o, pl, lo.Strike, ph, hi.Strike, bound)
		}
	}
}
