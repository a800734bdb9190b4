package engine

import (
	"context"
	"errors"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/source"
	"github.com/ratecycle/ratecycle/thesis"
)

// TestThesisExample pins the verdicts of the shipped example claims.
func TestThesisExample(t *testing.T) {
	res, err := Thesis(context.Background(), studyCat, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"smb-falling-rates":                thesis.Supported,
		"small-beat-large-after-first-cut": thesis.Inconclusive,
		"homebuilders-jackson-hole":        thesis.Contradicted,
		"russell-december-pullback":        thesis.Supported,
		"mag7-share":                       thesis.Inconclusive, // IVV 32.9% vs constituents 35.9%
		"russell-discount":                 thesis.Contradicted, // 55.7% rolled, 34.7% published
		"russell-discount-largest":         thesis.Inconclusive, // yes rolled, no published
	}
	if len(res.Results) != len(want) {
		t.Fatalf("%d claims", len(res.Results))
	}
	for _, r := range res.Results {
		if r.Verdict != want[r.ID] {
			t.Errorf("%s: %s (%s), want %s", r.ID, r.Verdict, r.Reason, want[r.ID])
		}
		for _, p := range r.Proxies {
			if len(p.Sources) == 0 || p.From > p.To {
				t.Errorf("%s %s: data %v %s..%s", r.ID, p.Proxy, p.Sources, p.From, p.To)
			}
		}
	}
	iwm := res.Results[1].Proxies[0]
	if iwm.N != 4 || !iwm.TooFew {
		t.Errorf("IWM vs SPY after first cuts: %+v", iwm)
	}
}

func TestThesisBadFile(t *testing.T) {
	_, err := Thesis(context.Background(), studyCat, []byte("claims:\n  - id: x\n    text: y\n    oops: 1\n"), "bad.yaml")
	if !errors.Is(err, source.ErrBadInput) {
		t.Fatalf("err = %v", err)
	}
}

// BenchmarkCheckExample is `ratecycle check` on the example without the process start:
// four claims, eight series, from a fresh catalog (target: under 500 ms).
func BenchmarkCheckExample(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		res, err := Thesis(ctx, catalog.New(nil), nil, "")
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Results) != 4 {
			b.Fatal(len(res.Results))
		}
	}
}
