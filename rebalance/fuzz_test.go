package rebalance

import (
	"math"
	"os"
	"testing"
)

// FuzzParsePolicy: any bytes either fail with an error or give a policy that passes its
// own Validate, whose targets for every regime are finite fractions adding up to the
// invested share, and that never panics. Seeded with the shipped example policy.
func FuzzParsePolicy(f *testing.F) {
	if b, err := os.ReadFile("testdata/policy.yaml"); err == nil {
		f.Add(b)
	} else {
		f.Fatal(err)
	}
	f.Add([]byte("name: x\ncash_buffer_pct: 0\nsleeves:\n  a:\n    target_pct: 100\n    symbols: {SPY: 100}\n"))
	f.Add([]byte("name: x\nsleeves:\n  a: {target_pct: 60, symbols: {SPY: 100}}\n  b: {target_pct: 40, symbols: {IWM: 50, IJR: 50}}\ntilts:\n  easing:\n    sleeves: {a: {target_pct: 30}, b: {target_pct: 70}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePolicy accepted a policy Validate rejects: %v", err)
		}
		for _, regime := range []string{Easing, Tightening, Hold} {
			targets, err := p.Targets(regime)
			if err != nil {
				continue
			}
			sum := p.CashBuffer
			for _, st := range targets {
				if math.IsNaN(st.Weight) || st.Weight < 0 || st.Weight > 1+1e-9 {
					t.Fatalf("%s: sleeve %+v has target %v", regime, st, st.Weight)
				}
				sum += st.Weight
				in := 0.0
				for _, sym := range st.Symbols {
					if !(sym.InSleeve >= 0 && sym.Weight >= 0) {
						t.Fatalf("%s: symbol %+v", regime, sym)
					}
					in += sym.InSleeve
				}
				if len(st.Symbols) > 0 && math.Abs(in-1) > 1e-6 {
					t.Fatalf("%s: sleeve %s symbol weights add up to %v", regime, st.Name, in)
				}
			}
			if math.Abs(sum-1) > 1e-6 {
				t.Fatalf("%s: targets and cash add up to %v", regime, sum)
			}
		}
	})
}
