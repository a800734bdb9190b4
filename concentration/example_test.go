package concentration_test

import (
	"context"
	"fmt"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/concentration"
	"github.com/ratecycle/ratecycle/engine"
)

// Example measures the embedded iShares Core S&P 500 (IVV) holdings of 2024-12-06:
// the engine turns the fund into a snapshot (equities renormalised, cash and futures
// apart); Analyze does the arithmetic.
func Example() {
	ctx := context.Background()
	s, err := engine.ConcentrationSnapshot(ctx, catalog.New(nil), "holdings/IVV", engine.ConcentrationOptions{})
	if err != nil {
		panic(err)
	}
	semis := concentration.Group{Name: "semis", Tickers: []string{"NVDA", "AVGO", "AMD", "QCOM"}}
	r := concentration.Analyze(s, 7, append(concentration.BuiltinGroups(), semis))
	fmt.Printf("%s, %s: %d equity lines, %d other lines (%.2f%% of the fund)\n",
		s.Title, s.AsOf, r.Holdings, len(s.Other), 100*r.OtherShare)
	fmt.Printf("top-7 %.2f%%, HHI %.4f, effective N %.1f\n", 100*r.TopShare, r.HHI, r.EffectiveN)
	for _, g := range r.Groups {
		fmt.Printf("%s %.2f%% of equities (%.2f%% of the fund)\n", g.Name, 100*g.Share, 100*g.FundShare)
	}
	fmt.Printf("largest sector: %s %.2f%%\n", r.Sectors[0].Sector, 100*r.Sectors[0].Weight)
	// Output:
	// iShares Core S&P 500 ETF, 2024-12-06: 503 equity lines, 5 other lines (0.23% of the fund)
	// top-7 31.21%, HHI 0.0202, effective N 49.6
	// mag7 32.86% of equities (32.78% of the fund)
	// semis 9.20% of equities (9.18% of the fund)
	// largest sector: Information Technology 32.06%
}
