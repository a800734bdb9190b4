package hedge

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// iwm is IWM's close on 2026-07-13 (snapshot/data/yahoo-dsturdy/IWM.csv) with
// illustrative rate, yield and volatility, three months out.
var iwm = Underlying{Symbol: "IWM", Spot: 293.48, Rate: 0.04, Yield: 0.012, Vol: 0.22, Expiry: 91.0 / 365}

func TestSize(t *testing.T) {
	tests := []struct {
		name      string
		e         Exposure
		spot      float64
		contracts int
		err       string
	}{
		{"sleeve of 200k, beta 1", Exposure{200_000, 1}, 293.48, 7, ""},
		{"beta scales the notional", Exposure{200_000, 1.3}, 293.48, 9, ""},
		{"half rounds away from zero", Exposure{25_000, 1}, 100, 3, ""},
		{"just under a half rounds down", Exposure{24_999, 1}, 100, 2, ""},
		{"too small for one contract", Exposure{10_000, 1}, 293.48, 0, "rounds to none"},
		{"negative beta", Exposure{200_000, -0.5}, 293.48, 0, "beta -0.5"},
		{"no value", Exposure{0, 1}, 293.48, 0, "portfolio value 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Size(tt.e, tt.spot)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Contracts != tt.contracts || s.Shares != float64(100*tt.contracts) {
				t.Errorf("contracts %d (shares %v), want %d; %s", s.Contracts, s.Shares, tt.contracts, s.Rule)
			}
			if want := s.Notional / (tt.e.Beta * tt.e.Value); math.Abs(s.HedgeRatio-want) > 1e-15 {
				t.Errorf("hedge ratio %v, want %v", s.HedgeRatio, want)
			}
		})
	}
}

func TestStrategies(t *testing.T) {
	e := Exposure{Value: 200_000, Beta: 1}
	S := iwm.Spot
	put := func(m float64) float64 { return iwm.option(Put, m*S).Price() }
	call := func(m float64) float64 { return iwm.option(Call, m*S).Price() }
	tests := []struct {
		name        string
		quote       func() (*Quote, error)
		premium     float64 // per share
		breakevens  []float64
		maxPayout   float64
		floor       float64
		protectFrom float64
	}{
		{"protective put 95%", func() (*Quote, error) { return ProtectivePut(iwm, e, 0.95) },
			put(0.95), []float64{S + put(0.95)}, 0.95 * S, 0.95*S - put(0.95), 0.95 * S},
		{"put spread 95/80", func() (*Quote, error) { return PutSpread(iwm, e, 0.95, 0.80) },
			put(0.95) - put(0.80), []float64{S + put(0.95) - put(0.80)}, 0.15 * S, 0.15*S - (put(0.95) - put(0.80)), 0.95 * S},
		{"collar 90/110", func() (*Quote, error) { return Collar(iwm, e, 0.90, 1.10) },
			put(0.90) - call(1.10), []float64{S + put(0.90) - call(1.10)}, 0.90 * S, 0.90*S - (put(0.90) - call(1.10)), 0.90 * S},
		{"collar capped below breakeven", func() (*Quote, error) { return Collar(iwm, e, 0.99, 1.001) },
			put(0.99) - call(1.001), nil, 0.99 * S, 0.99*S - (put(0.99) - call(1.001)), 0.99 * S},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := tt.quote()
			if err != nil {
				t.Fatal(err)
			}
			near := func(what string, got, want float64) {
				t.Helper()
				if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("%s = %.12g, want %.12g", what, got, want)
				}
			}
			near("premium per share", q.PremiumPerShare, tt.premium)
			near("premium total", q.PremiumTotal, tt.premium*700)
			near("cost pct", q.CostPct, tt.premium/S)
			near("cost pct per year", q.CostPctAnnual, tt.premium/S/iwm.Expiry)
			near("max payout", q.MaxPayoutPerShare, tt.maxPayout)
			near("floor", q.FloorPerShare, tt.floor)
			near("max loss", q.MaxLossPct, tt.floor/S-1)
			near("protection below", q.ProtectionBelow, tt.protectFrom)
			if len(q.Breakevens) != len(tt.breakevens) {
				t.Fatalf("breakevens %v, want %v", q.Breakevens, tt.breakevens)
			}
			for i := range tt.breakevens {
				near("breakeven", q.Breakevens[i], tt.breakevens[i])
				near("hedged P&L at breakeven", q.Breakevens[i]+q.payoff(q.Breakevens[i])-q.PremiumPerShare-S, 0)
			}
			if len(q.Payoff) != 13 || q.Payoff[0].Move != -0.30 || q.Payoff[12].Move != 0.30 {
				t.Fatalf("payoff table has %d rows from %v", len(q.Payoff), q.Payoff[0].Move)
			}
			for _, p := range q.Payoff {
				near(fmt.Sprintf("unhedged at %+.0f%%", 100*p.Move), p.Unhedged, e.Value*(1+p.Move))
				near(fmt.Sprintf("hedged at %+.0f%%", 100*p.Move), p.Hedged, p.Unhedged+700*q.payoff(S*(1+p.Move))-q.PremiumTotal)
			}
			// A put hedge pays in the crash: hedged beats unhedged at -30%.
			if q.Payoff[0].Hedged <= q.Payoff[0].Unhedged {
				t.Errorf("at -30%% hedged %.2f <= unhedged %.2f", q.Payoff[0].Hedged, q.Payoff[0].Unhedged)
			}
		})
	}
}

func TestZeroCostCollar(t *testing.T) {
	e := Exposure{Value: 200_000, Beta: 1}
	tests := []struct {
		name string
		u    Underlying
		put  float64
		err  string
	}{
		{"90% put, 3 months", iwm, 0.90, ""},
		{"95% put, 3 months", iwm, 0.95, ""},
		{"80% put, 1 year", Underlying{"IWM", 293.48, 0.04, 0.012, 0.22, 1}, 0.80, ""},
		{"put at the forward", Underlying{"X", 100, 0.05, 0.05, 0.2, 1}, 1, ""},
		{"put above the forward", Underlying{"X", 100, 0.01, 0.07, 0.25, 1}, 0.99, "above the forward"},
		{"worthless put", Underlying{"X", 100, 0.04, 0, 0.05, 1.0 / 365}, 0.5, "worth nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ZeroCostCollar(tt.u, e, tt.put)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(q.PremiumPerShare) > 1e-10*tt.u.Spot {
				t.Errorf("net premium %.3g per share, want 0", q.PremiumPerShare)
			}
			kc := q.Legs[1].Strike
			if q.Legs[1].Kind != Call || q.Legs[1].Position != -1 || kc < q.Legs[0].Strike {
				t.Errorf("legs %+v", q.Legs)
			}
			if tt.put == 1 {
				// Both strikes at the forward = spot: the hedged share is worth spot
				// whatever happens, so every price breaks even.
				if math.Abs(kc-tt.u.Spot) > 1e-9 {
					t.Errorf("call strike %v, want the forward %v", kc, tt.u.Spot)
				}
				return
			}
			if len(q.Breakevens) != 1 || math.Abs(q.Breakevens[0]-tt.u.Spot) > 1e-8*tt.u.Spot {
				t.Errorf("breakevens %v, want [spot %v]", q.Breakevens, tt.u.Spot)
			}
		})
	}
}

func TestStrategyErrors(t *testing.T) {
	e := Exposure{Value: 200_000, Beta: 1}
	tests := []struct {
		name string
		f    func() (*Quote, error)
		want string
	}{
		{"spread upside down", func() (*Quote, error) { return PutSpread(iwm, e, 0.8, 0.95) }, "short put strike 95% must be below the long put strike 80%"},
		{"collar crossed", func() (*Quote, error) { return Collar(iwm, e, 0.95, 0.9) }, "call strike 90% must be above the put strike 95%"},
		{"zero strike", func() (*Quote, error) { return ProtectivePut(iwm, e, 0) }, "put strike 0"},
		{"no vol", func() (*Quote, error) { u := iwm; u.Vol = 0; return ProtectivePut(u, e, 0.9) }, "positive volatility"},
		{"too small", func() (*Quote, error) { return ProtectivePut(iwm, Exposure{10_000, 1}, 0.9) }, "rounds to none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.f(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func BenchmarkPrice(b *testing.B) {
	o := Option{Put, 293.48, 278.8, 0.04, 0.012, 0.22, 0.25}
	s := 0.0
	for b.Loop() {
		s += o.Price()
	}
	_ = s
}

func BenchmarkGreeks(b *testing.B) {
	o := Option{Put, 293.48, 278.8, 0.04, 0.012, 0.22, 0.25}
	var g Greeks
	for b.Loop() {
		g = o.Greeks()
	}
	_ = g
}

func BenchmarkImpliedVol(b *testing.B) {
	o := Option{Put, 293.48, 278.8, 0.04, 0.012, 0.22, 0.25}
	p := o.Price()
	for b.Loop() {
		if _, err := ImpliedVol(o, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkZeroCostCollar(b *testing.B) {
	e := Exposure{Value: 200_000, Beta: 1}
	for b.Loop() {
		if _, err := ZeroCostCollar(iwm, e, 0.9); err != nil {
			b.Fatal(err)
		}
	}
}

// At extends the payoff table to any move: it must reproduce the table's rows, and a
// put spread's payoff must stop growing below the short strike.
func TestQuoteAt(t *testing.T) {
	q, err := PutSpread(iwm, Exposure{Value: 1e6, Beta: 1.1}, 0.95, 0.80)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range q.Payoff {
		if got := q.At(p.Move); got != p {
			t.Errorf("At(%v) = %+v, table row %+v", p.Move, got, p)
		}
	}
	deep, deeper := q.At(-0.5), q.At(-0.6)
	want := (0.95 - 0.80) * iwm.Spot * q.Sizing.Shares
	if math.Abs(deep.Payoff-want) > 1e-6 || math.Abs(deeper.Payoff-want) > 1e-6 {
		t.Errorf("put spread payoff at -50%% / -60%% = %v / %v, want the cap %v", deep.Payoff, deeper.Payoff, want)
	}
}
