package sector_test

import (
	"context"
	"fmt"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/sector"
)

// Rank the Ken French 12 industries for an easing cycle on the embedded data, with the
// default weights; engine.Sectors loads the series and calls sector.Rank.
func ExampleRank() {
	ctx := context.Background()
	cat := catalog.New(nil)
	h, err := engine.Cycles(ctx, cat, cycle.DefaultRules)
	if err != nil {
		panic(err)
	}
	w, _ := sector.ParseWeights("first_cut=0.35,easing=0.25,rate_beta=0.2,momentum=0.2")
	r, err := engine.Sectors(ctx, cat, h, engine.SectorOptions{Universe: "french12", Weights: w, MaxLags: -1})
	if err != nil {
		panic(err)
	}
	for _, row := range r.Rows[:3] {
		fmt.Printf("%d %s %s %+.2f: %s\n", row.Rank, row.Asset.Name, row.Call, row.Score, row.Reason)
	}
	// Output:
	// 1 Shops overweight +1.14: +7.1% vs market 12m after first cuts (n=19), easing months +6.4%/yr (t 3.1), beta to 2y yield -0.4% per pp (t -1.5), momentum 12m +4.6%, 6m +3.1%
	// 2 Durbl overweight +0.68: +0.4% vs market 12m after first cuts (n=19), easing months +7.1%/yr (t 1.6), beta to 2y yield +1.0% per pp (t 2.5), momentum 12m +21.0%, 6m +59.0%
	// 3 NoDur overweight +0.62: +5.0% vs market 12m after first cuts (n=19), easing months +3.6%/yr (t 1.7), beta to 2y yield -0.8% per pp (t -3.1), momentum 12m -21.0%, 6m -6.1%
}
