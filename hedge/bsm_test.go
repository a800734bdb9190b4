package hedge

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

// refTol is how closely prices and greeks must agree with QuantLib (absolute).
const refTol = 1e-10

func kindOf(t *testing.T, s string) Kind {
	t.Helper()
	switch s {
	case "call":
		return Call
	case "put":
		return Put
	}
	t.Fatalf("unknown option type %q", s)
	return 0
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestBlackScholesQuantLib compares every value in testdata/black_scholes.json, written by
// black_scholes.py with QuantLib 1.29's BlackCalculator (peers/suite), to 1e-10.
func TestBlackScholesQuantLib(t *testing.T) {
	var doc struct {
		Cases []struct {
			ID                   string
			Type                 string
			S, K, R, Q, Sigma, T float64
			Expected             map[string]float64
		}
	}
	readJSON(t, "testdata/black_scholes.json", &doc)
	if len(doc.Cases) != 36 {
		t.Fatalf("black_scholes.json has %d cases, want 36", len(doc.Cases))
	}
	worst, worstAt := 0.0, ""
	n := 0
	for _, c := range doc.Cases {
		o := Option{Kind: kindOf(t, c.Type), Spot: c.S, Strike: c.K, Rate: c.R, Yield: c.Q, Vol: c.Sigma, Expiry: c.T}
		g := o.Greeks()
		sd := c.Sigma * math.Sqrt(c.T)
		d1 := (math.Log(c.S/c.K)+(c.R-c.Q)*c.T)/sd + 0.5*sd
		got := map[string]float64{
			"price": g.Price, "delta": g.Delta, "gamma": g.Gamma, "vega": g.Vega, "theta": g.Theta,
			"rho": g.Rho, "dividend_rho": g.DividendRho,
			"theta_per_day_365": g.Theta / 365, "vega_per_vol_point": g.Vega / 100, "rho_per_pct_point": g.Rho / 100,
			"d1": d1, "d2": d1 - sd,
		}
		if len(c.Expected) != len(got) {
			t.Errorf("%s: %d expected values, the test knows %d", c.ID, len(c.Expected), len(got))
		}
		for k, want := range c.Expected {
			v, ok := got[k]
			if !ok {
				t.Errorf("%s: no value for %q", c.ID, k)
				continue
			}
			n++
			if d := math.Abs(v - want); d > refTol || math.IsNaN(d) {
				t.Errorf("%s %s = %.17g, QuantLib %.17g (diff %.3g)", c.ID, k, v, want, d)
			} else if d > worst {
				worst, worstAt = d, c.ID+" "+k
			}
		}
		if p := o.Price(); math.Abs(p-g.Price) > 1e-13*math.Max(1, p) {
			t.Errorf("%s: Price %.17g differs from Greeks().Price %.17g", c.ID, p, g.Price)
		}
	}
	t.Logf("%d values, max abs diff vs QuantLib BlackCalculator %.3g (%s)", n, worst, worstAt)
}

type qlCase struct {
	Type                 string
	S, K, R, Q, Sigma, T float64
	Days                 int
	Label                string
	Price, Delta, Gamma  float64
	Vega, Theta, Rho     float64
	ThetaPerDay          float64 `json:"theta_per_day"`
	DividendRho          float64 `json:"dividend_rho"`
	IV                   float64
	QuantLibError        string `json:"quantlib_error"`
}

// TestQuantLibEngine checks prices, greeks and implied volatilities against
// testdata/iv_quantlib.json (QuantLib 1.29 AnalyticEuropeanEngine and
// VanillaOption.impliedVolatility, written by iv_quantlib.py).
func TestQuantLibEngine(t *testing.T) {
	var doc struct {
		Cases, Market, Errors []qlCase
	}
	readJSON(t, "testdata/iv_quantlib.json", &doc)
	worstG, worstIV := 0.0, 0.0
	for _, c := range doc.Cases {
		o := Option{Kind: kindOf(t, c.Type), Spot: c.S, Strike: c.K, Rate: c.R, Yield: c.Q, Vol: c.Sigma, Expiry: c.T}
		g := o.Greeks()
		for _, v := range []struct {
			name      string
			got, want float64
		}{
			{"price", g.Price, c.Price}, {"delta", g.Delta, c.Delta}, {"gamma", g.Gamma, c.Gamma},
			{"vega", g.Vega, c.Vega}, {"theta", g.Theta, c.Theta}, {"theta/365", g.Theta / 365, c.ThetaPerDay},
			{"rho", g.Rho, c.Rho}, {"dividend rho", g.DividendRho, c.DividendRho},
		} {
			d := math.Abs(v.got - v.want)
			worstG = math.Max(worstG, d)
			if !(d <= refTol) {
				t.Errorf("%s: %s = %.17g, QuantLib %.17g (diff %.3g)", c.Label, v.name, v.got, v.want, d)
			}
		}
		iv, err := ImpliedVol(o, c.Price)
		if err != nil {
			t.Errorf("%s: ImpliedVol: %v", c.Label, err)
			continue
		}
		d := math.Abs(iv - c.IV)
		worstIV = math.Max(worstIV, d)
		if !(d <= 1e-8) {
			t.Errorf("%s: implied vol %.15g, QuantLib %.15g (diff %.3g)", c.Label, iv, c.IV, d)
		}
	}
	for _, c := range doc.Market {
		o := Option{Kind: kindOf(t, c.Type), Spot: c.S, Strike: c.K, Rate: c.R, Yield: c.Q, Expiry: c.T}
		iv, err := ImpliedVol(o, c.Price)
		if err != nil {
			t.Errorf("%s: ImpliedVol: %v", c.Label, err)
			continue
		}
		d := math.Abs(iv - c.IV)
		worstIV = math.Max(worstIV, d)
		if !(d <= 1e-8) {
			t.Errorf("%s: implied vol %.15g, QuantLib %.15g (diff %.3g)", c.Label, iv, c.IV, d)
		}
	}
	for _, c := range doc.Errors {
		o := Option{Kind: kindOf(t, c.Type), Spot: c.S, Strike: c.K, Rate: c.R, Yield: c.Q, Expiry: c.T}
		iv, err := ImpliedVol(o, c.Price)
		if !errors.Is(err, ErrNoVolatility) {
			t.Errorf("%s: ImpliedVol = %v, %v; QuantLib refused (%s), want ErrNoVolatility", c.Label, iv, err, c.QuantLibError)
		}
	}
	t.Logf("%d engine cases: max abs diff prices/greeks %.3g; %d implied vols: max abs diff %.3g; %d refusals agree",
		len(doc.Cases), worstG, len(doc.Cases)+len(doc.Market), worstIV, len(doc.Errors))
}

// Published textbook values (Hull, Options, Futures and Other Derivatives, 8th ed.,
// examples 15.6 and 19.1), to the digits printed there.
func TestTextbook(t *testing.T) {
	tests := []struct {
		name string
		o    Option
		want float64
		get  func(Greeks) float64
		tol  float64
	}{
		{"Hull 15.6 call", Option{Call, 42, 40, 0.10, 0, 0.20, 0.5}, 4.76, func(g Greeks) float64 { return g.Price }, 0.005},
		{"Hull 15.6 put", Option{Put, 42, 40, 0.10, 0, 0.20, 0.5}, 0.81, func(g Greeks) float64 { return g.Price }, 0.005},
		{"Hull 19.1 call delta", Option{Call, 49, 50, 0.05, 0, 0.20, 0.3846}, 0.522, func(g Greeks) float64 { return g.Delta }, 0.0005},
		{"Hull 19.1 call theta per day", Option{Call, 49, 50, 0.05, 0, 0.20, 0.3846}, -0.0118, func(g Greeks) float64 { return g.Theta / 365 }, 0.00005},
		{"Hull 19.1 call gamma", Option{Call, 49, 50, 0.05, 0, 0.20, 0.3846}, 0.066, func(g Greeks) float64 { return g.Gamma }, 0.0005},
		{"Hull 19.1 call vega", Option{Call, 49, 50, 0.05, 0, 0.20, 0.3846}, 12.1, func(g Greeks) float64 { return g.Vega }, 0.05},
		{"Hull 19.1 call rho", Option{Call, 49, 50, 0.05, 0, 0.20, 0.3846}, 8.91, func(g Greeks) float64 { return g.Rho }, 0.005},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.get(tt.o.Greeks()); math.Abs(got-tt.want) > tt.tol {
				t.Errorf("got %.6g, want %.6g ± %g", got, tt.want, tt.tol)
			}
		})
	}
}

func TestDegenerate(t *testing.T) {
	tests := []struct {
		name      string
		o         Option
		price     float64
		delta     float64
		zeroGamma bool
	}{
		{"call at expiry ITM", Option{Call, 110, 100, 0.05, 0.01, 0.2, 0}, 10, 1, true},
		{"put at expiry OTM", Option{Put, 110, 100, 0.05, 0.01, 0.2, 0}, 0, 0, true},
		{"zero vol call ITM forward", Option{Call, 100, 90, 0.05, 0, 0, 1}, 100 - 90*math.Exp(-0.05), 1, true},
		{"zero vol put OTM forward", Option{Put, 100, 90, 0.05, 0, 0, 1}, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.o.Greeks()
			if math.Abs(g.Price-tt.price) > 1e-12 || math.Abs(g.Delta-tt.delta) > 1e-12 {
				t.Errorf("price, delta = %v, %v; want %v, %v", g.Price, g.Delta, tt.price, tt.delta)
			}
			if tt.zeroGamma && (g.Gamma != 0 || g.Vega != 0) {
				t.Errorf("gamma, vega = %v, %v; want 0", g.Gamma, g.Vega)
			}
			if p := tt.o.Price(); math.Abs(p-g.Price) > 1e-12 {
				t.Errorf("Price() = %v, Greeks().Price = %v", p, g.Price)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := Option{Call, 100, 100, 0.05, 0, 0.2, 1}
	tests := []struct {
		name string
		edit func(*Option)
		want string // "" means valid
	}{
		{"valid", func(*Option) {}, ""},
		{"negative rate is fine", func(o *Option) { o.Rate = -0.01 }, ""},
		{"zero spot", func(o *Option) { o.Spot = 0 }, "spot 0"},
		{"NaN strike", func(o *Option) { o.Strike = math.NaN() }, "strike NaN"},
		{"negative vol", func(o *Option) { o.Vol = -0.1 }, "volatility -0.1"},
		{"negative expiry", func(o *Option) { o.Expiry = -1 }, "expiry -1"},
		{"infinite rate", func(o *Option) { o.Rate = math.Inf(1) }, "rate +Inf"},
		{"bad kind", func(o *Option) { o.Kind = 7 }, "kind 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.edit(&o)
			err := o.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestImpliedVolErrors(t *testing.T) {
	call := Option{Kind: Call, Spot: 100, Strike: 80, Rate: 0.05, Expiry: 1}
	put := Option{Kind: Put, Spot: 100, Strike: 120, Rate: 0.05, Expiry: 1}
	tests := []struct {
		name  string
		o     Option
		price float64
		want  string
	}{
		{"call below intrinsic", call, 15, "below the no-arbitrage lower bound max(S e^{-qT} - K e^{-rT}, 0) = 23.9"},
		{"call at spot", call, 100, "at or above the no-arbitrage upper bound S e^{-qT} = 100"},
		{"put above discounted strike", put, 120, "upper bound K e^{-rT} = 114.1"},
		{"put below intrinsic", put, 1, "lower bound max(K e^{-rT} - S e^{-qT}, 0) = 14.1"},
		{"needs more than 500% vol", Option{Kind: Call, Spot: 100, Strike: 100, Expiry: 1}, 99.99, "above the price 98.7"},
		{"at expiry", Option{Kind: Call, Spot: 100, Strike: 100}, 1, "at expiry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ImpliedVol(tt.o, tt.price)
			if !errors.Is(err, ErrNoVolatility) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ImpliedVol = %v, %v; want ErrNoVolatility naming %q", v, err, tt.want)
			}
		})
	}
	if _, err := ImpliedVol(Option{Kind: Call, Spot: -1, Strike: 1, Expiry: 1}, 1); err == nil || errors.Is(err, ErrNoVolatility) {
		t.Errorf("invalid option: got %v, want a validation error", err)
	}
}
