package rebalance

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/source"
)

const minimalPolicy = `name: test
cash_buffer_pct: 2
bands: {absolute_pp: 2, relative_pct: 25}
sleeves:
  core:
    target_pct: 88
    symbols: {SPY: 60, QQQ: 40}
  small-cap:
    target_pct: 10
    symbols: {IWM: 100}
`

func TestParsePolicyShipped(t *testing.T) {
	b, err := os.ReadFile("testdata/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePolicy(b)
	if err != nil {
		t.Fatal(err)
	}
	if p.CashBuffer != 0.02 || p.CostBps != 5 || p.MinTradeValue != 500 || !p.WholeShares || p.Bands != (Bands{0.02, 0.25}) {
		t.Errorf("settings %+v", p)
	}
	if p.Hedge == nil || p.Hedge.Underlying != "IWM" || p.Hedge.Strategy != "put-spread" || p.Hedge.PutStrike != 0.95 || p.Hedge.ShortPutStrike != 0.80 || p.Hedge.ExpiryDays != 91 {
		t.Errorf("hedge %+v", p.Hedge)
	}
	for _, tt := range []struct {
		regime, sleeve string
		want           float64
	}{
		{"", "small-cap", 0.05}, {Hold, "small-cap", 0.05}, {Easing, "small-cap", 0.20}, {Easing, "growth", 0.10},
		{Easing, "core", 0.45}, {Tightening, "small-cap", 0.03},
	} {
		ts, err := p.Targets(tt.regime)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ts {
			if s.Name == tt.sleeve && math.Abs(s.Weight-tt.want) > 1e-12 {
				t.Errorf("regime %q sleeve %s target %v, want %v", tt.regime, tt.sleeve, s.Weight, tt.want)
			}
		}
	}
	ts, _ := p.Targets(Easing)
	got := map[string]float64{}
	for _, s := range ts {
		for _, x := range s.Symbols {
			got[x.Symbol] = x.Weight
		}
	}
	for sym, w := range map[string]float64{"IWM": 0.09, "KRE": 0.03, "ITB": 0.02, "XLI": 0.075, "QQQ": 0.10, "SPY": 0.2025} {
		if math.Abs(got[sym]-w) > 1e-12 {
			t.Errorf("easing target of %s = %v, want %v", sym, got[sym], w)
		}
	}
}

func TestParsePolicyErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unknown top-level key", minimalPolicy + "cash_bufer_pct: 3\n", `parse policy.yaml line 11: unknown key "cash_bufer_pct" (known keys: bands, cash_buffer_pct,`},
		{"unknown sleeve key", strings.Replace(minimalPolicy, "    target_pct: 10", "    taget_pct: 10", 1), `parse policy.yaml line 9 field "sleeves.small-cap": unknown key "taget_pct" (known keys: symbols, target_pct)`},
		{"unknown band key", strings.Replace(minimalPolicy, "absolute_pp", "absolute", 1), `parse policy.yaml line 3 field "bands": unknown key "absolute"`},
		{"duplicate key", minimalPolicy + "name: again\n", `parse policy.yaml line 11: key "name" appears twice`},
		{"not a number", strings.Replace(minimalPolicy, "target_pct: 88", "target_pct: lots", 1), `parse policy.yaml line 6 field "sleeves.core.target_pct": "lots" is not a number`},
		{"negative", strings.Replace(minimalPolicy, "cash_buffer_pct: 2", "cash_buffer_pct: -2", 1), `parse policy.yaml line 2 field "cash_buffer_pct": "-2" is not a number >= 0`},
		{"sleeves do not sum", strings.Replace(minimalPolicy, "target_pct: 88", "target_pct: 80", 1),
			"parse policy.yaml line 5: sleeve targets core 80% + small-cap 10% + cash_buffer_pct 2% sum to 92%, want 100% (tolerance 1e-6)"},
		{"symbols do not sum", strings.Replace(minimalPolicy, "QQQ: 40", "QQQ: 30", 1), `parse policy.yaml line 5 field "sleeves.core.symbols": weights sum to 90% of the sleeve`},
		{"within tolerance", strings.Replace(minimalPolicy, "QQQ: 40", "QQQ: 40.00000001", 1), ""},
		{"symbol in two sleeves", strings.Replace(minimalPolicy, "IWM: 100", "SPY: 100", 1), "parse policy.yaml line 10: symbol SPY is in sleeve core and in sleeve small-cap"},
		{"tilt names an unknown sleeve", minimalPolicy + "tilts:\n  easing:\n    sleeves:\n      smallcap: {target_pct: 20}\n", `parse policy.yaml line 14 field "tilts.easing.sleeves": unknown sleeve "smallcap" (sleeves: core, small-cap)`},
		{"unknown regime", minimalPolicy + "tilts:\n  cutting:\n    sleeves: {}\n", `parse policy.yaml line 12 field "tilts": regime "cutting" is not one of easing, tightening, hold`},
		{"tilt breaks the sum", minimalPolicy + "tilts:\n  easing:\n    sleeves:\n      small-cap: {target_pct: 20}\n",
			"parse policy.yaml line 12: under the easing tilt: sleeve targets core 88% + small-cap 20% + cash_buffer_pct 2% sum to 110%"},
		{"sleeves as a list", "sleeves:\n  - core\n", `parse policy.yaml line 2 field "sleeves": want a mapping of names, got a list`},
		{"bad hedge strategy", minimalPolicy + "hedge: {strategy: straddle}\n", `parse policy.yaml line 11 field "hedge.strategy": "straddle" is not one of`},
		{"bad expiry", minimalPolicy + "hedge: {expiry_days: soon}\n", `parse policy.yaml line 11 field "hedge.expiry_days": "soon" is not a positive whole number`},
		{"bad yaml", "sleeves: [\n", "parse policy.yaml line 1: yaml: did not find expected node content"},
		{"empty", "", "parse policy.yaml: empty document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePolicy([]byte(tt.yaml))
			err = FileError(err, "policy.yaml")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error:\n  %v\nwant it to contain\n  %s", err, tt.want)
			}
			var pe *source.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, source.ErrBadInput) {
				t.Errorf("%v: not a *source.ParseError wrapping source.ErrBadInput", err)
			}
		})
	}
}

func TestBands(t *testing.T) {
	tests := []struct {
		name   string
		b      Bands
		target float64
		want   float64
	}{
		{"both: absolute is smaller", Bands{0.02, 0.25}, 0.20, 0.02},
		{"both: relative is smaller", Bands{0.02, 0.25}, 0.04, 0.01},
		{"both, zero target", Bands{0.02, 0.25}, 0, 0},
		{"absolute only", Bands{Absolute: 0.02}, 0, 0.02},
		{"relative only", Bands{Relative: 0.25}, 0.2, 0.05},
		{"none", Bands{}, 0.2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.b.Band(tt.target); math.Abs(got-tt.want) > 1e-15 {
				t.Errorf("Band(%v) = %v, want %v", tt.target, got, tt.want)
			}
		})
	}
}

func TestParseHoldings(t *testing.T) {
	b, err := os.ReadFile("testdata/holdings.csv")
	if err != nil {
		t.Fatal(err)
	}
	ps, cash, err := ParseHoldings(b)
	if err != nil {
		t.Fatal(err)
	}
	total := cash
	for _, p := range ps {
		total += p.MarketValue
		if math.Abs(p.MarketValue-p.Quantity*p.Price) > 0.005 {
			t.Errorf("%s: market value %v != %v × %v", p.Symbol, p.MarketValue, p.Quantity, p.Price)
		}
	}
	if len(ps) != 8 || cash != 52888 || math.Abs(total-1e6) > 0.01 {
		t.Errorf("%d positions, cash %v, total %v; want 8, 52888, 1000000", len(ps), cash, total)
	}

	errs := []struct {
		name, csv, want string
	}{
		{"negative quantity", "symbol,quantity,price\nSPY,-3,700\n", `parse holdings line 2 field "quantity": SPY: negative quantity -3`},
		{"no price", "symbol,quantity,price\nSPY,3,\n", `parse holdings line 2 field "price": SPY has neither a price nor a market_value`},
		{"zero price", "symbol,quantity,price\nSPY,3,0\n", `parse holdings line 2 field "price": SPY: price 0 must be positive`},
		{"unknown column", "symbol,qty,price\n", `parse holdings line 1 field "qty": unknown column`},
		{"missing column", "symbol,quantity\n", `parse holdings line 1 field "price": need a price or a market_value column`},
		{"short row", "symbol,quantity,price\nSPY,3\n", `parse holdings line 2 field "price": row has 2 cells, the header has 3`},
		{"empty symbol", "symbol,quantity,price\n,3,4\n", `parse holdings line 2 field "symbol": empty symbol`},
		{"value only", "symbol,quantity,market_value\nSPY,,2100\n", `parse holdings line 2 field "quantity": SPY has a market value but no quantity`},
		{"two cash rows", "symbol,quantity,price\nCASH,1,1\ncash,2,1\n", `parse holdings line 3 field "symbol": symbol CASH already on line 2`},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseHoldings([]byte(tt.csv))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if !errors.Is(err, source.ErrBadInput) {
				t.Errorf("error %v does not wrap source.ErrBadInput", err)
			}
		})
	}
	ps, cash, err = ParseHoldings([]byte("\xef\xbb\xbfSymbol,Quantity,Price,Market_Value\n# a comment\nSPY,\"1,000\",700,\nCash,,,2500\n"))
	if err != nil || len(ps) != 1 || ps[0].Quantity != 1000 || ps[0].MarketValue != 700000 || cash != 2500 {
		t.Errorf("BOM, comment, thousands separator, cash row: %+v, %v, %v", ps, cash, err)
	}
}
