package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/thesis"
)

// lensClaims are the commentary's valuation and concentration claims as the claims file
// writes them (docs/lenses.md gives the same snippets).
const lensClaims = `title: lens claims
claims:
  - id: mag7-share
    text: "The MAG7 account for 35.4% of the S&P 500."
    check:
      type: concentration
      holdings: [holdings/IVV, constituents/sp500-financials]
      group: mag7
    expect:
      value_pct: 35.4
      tolerance_pp: 1
  - id: russell-discount
    text: "The Russell 2000 trades at a 17% discount to fair value relative to the S&P 500."
    check:
      type: valuation
      measure: discount
      pair: 2x3
      method: [rolled, published]
    expect:
      value_pct: 17
      tolerance_pp: 3
  - id: russell-discount-largest
    text: "The discount is the largest since 2000."
    check:
      type: valuation
      measure: largest_since
      since: 2000-01-01
  - id: cape-high
    text: "US large caps are expensive by history."
    check:
      type: valuation
      measure: cape_percentile
    expect:
      above_pct: 90
  - id: it-weight
    text: "Tech is over 30% of the S&P 500."
    check:
      type: concentration
      measure: sector_share
      sector: Information Technology
    expect:
      above_pct: 30
`

func TestLensChecks(t *testing.T) {
	res, err := engine.Thesis(context.Background(), catalog.New(nil), []byte(lensClaims), "lens.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"mag7-share":               thesis.Inconclusive, // IVV 32.86% contradicts, the constituents' 35.94% supports
		"russell-discount":         thesis.Contradicted, // 55.7% rolled, 34.7% published: both far above 17%
		"russell-discount-largest": thesis.Inconclusive, // rolled yes, published no (August 2000 was deeper)
		"cape-high":                thesis.Supported,    // 94.8th percentile
		"it-weight":                thesis.Supported,    // 32.06%
	}
	for _, r := range res.Results {
		if r.Verdict != want[r.ID] {
			t.Errorf("%s: %s (%s), want %s", r.ID, r.Verdict, r.Reason, want[r.ID])
		}
		for _, p := range r.Proxies {
			if p.Detail == "" || len(p.Sources) == 0 {
				t.Errorf("%s %s: no detail or sources", r.ID, p.Proxy)
			}
		}
	}
	mag := res.Results[0].Proxies
	if len(mag) != 2 || mag[0].Verdict != thesis.Contradicted || mag[1].Verdict != thesis.Supported {
		t.Fatalf("mag7 proxies %+v", mag)
	}
	if !strings.Contains(mag[0].Detail, "32.86% of the equities") || !strings.Contains(mag[1].Detail, "35.94%") {
		t.Errorf("mag7 details %q / %q", mag[0].Detail, mag[1].Detail)
	}
}

func TestLensChecksBadParameters(t *testing.T) {
	for _, tc := range []struct{ check, want string }{
		{"type: valuation\n      measure: cheapness", `measure "cheapness"`},
		{"type: valuation\n      pair: 3x3", `pair "3x3"`},
		{"type: valuation\n      method: annual", `unknown valuation method "annual"`},
		{"type: valuation\n      horizon: 12", `unknown key "horizon"`},
		{"type: concentration\n      holdings: fred/DFF", `holdings "fred/DFF"`},
		{"type: concentration\n      group: semis", `group "semis" is not built in`},
		{"type: concentration\n      measure: sector_share", "needs a sector"},
		{"type: concentration\n      wieght: 1", `unknown key "wieght"`},
	} {
		y := "claims:\n  - id: x\n    text: x\n    check:\n      " + tc.check + "\n    expect:\n      value_pct: 1\n"
		_, err := thesis.Parse([]byte(y), "bad.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.check, err, tc.want)
		}
	}
}
