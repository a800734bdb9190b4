package sector_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
)

// TestRateBetaStatsmodels compares the 2-year-yield betas and their Newey-West t with
// statsmodels (testdata/statsmodels_beta.py reads the raw embedded files itself; its
// output is testdata/statsmodels_beta.json).
func TestRateBetaStatsmodels(t *testing.T) {
	b, err := os.ReadFile("testdata/statsmodels_beta.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref map[string]struct {
		Beta, T float64
		N, Lags int
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cat := catalog.New(nil)
	h, err := engine.Cycles(ctx, cat, cycle.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.Sectors(ctx, cat, h, engine.SectorOptions{Universe: "french12", MaxLags: -1})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, row := range r.Rows {
		want, ok := ref[row.Asset.Name]
		if !ok {
			continue
		}
		seen++
		got := row.Rate2Y
		if got.N != want.N || got.Lags != want.Lags {
			t.Errorf("%s: n %d lags %d, statsmodels n %d lags %d", row.Asset.Name, got.N, got.Lags, want.N, want.Lags)
		}
		if math.Abs(got.Beta-want.Beta) > 1e-12 || math.Abs(got.T-want.T) > 1e-9 {
			t.Errorf("%s: beta %.15g t %.12g, statsmodels %.15g %.12g", row.Asset.Name, got.Beta, got.T, want.Beta, want.T)
		}
	}
	if seen != len(ref) {
		t.Errorf("compared %d of %d industries", seen, len(ref))
	}
}
