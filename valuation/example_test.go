package valuation_test

import (
	"context"
	"fmt"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/valuation"
)

// Example computes the headline small-versus-big valuation gap from the embedded Ken
// French 2x3 file: the June-formation book-to-market rolled forward with returns,
// small (below the NYSE median) against big.
func Example() {
	ctx := context.Background()
	cat := catalog.New(nil)
	load := func(section, col string) *series.Series {
		id := "french/6_Portfolios_2x3/" + col // the first section: value-weighted returns
		if section != "" {
			id = "french/6_Portfolios_2x3/" + section + "/" + col
		}
		s, err := cat.Load(ctx, id, "")
		if err != nil {
			panic(err)
		}
		return s
	}
	leg := func(cols ...string) ([]series.Date, []valuation.Portfolio) {
		var ss []*series.Series
		for _, c := range cols {
			ss = append(ss, load("value-weight-average-of-be-fyt-1-me-june-t", c),
				load("number-of-firms-in-portfolios", c), load("average-market-cap", c), load("", c))
		}
		f := series.Align(series.Inner, ss...)
		var ps []valuation.Portfolio
		for k, c := range cols {
			ps = append(ps, valuation.Portfolio{Name: c, BMJune: f.Cols[4*k], Firms: f.Cols[4*k+1],
				AvgCap: f.Cols[4*k+2], Return: f.Cols[4*k+3]})
		}
		return f.Dates, ps
	}
	dates, small := leg("SMALL LoBM", "ME1 BM2", "SMALL HiBM")
	_, big := leg("BIG LoBM", "ME2 BM2", "BIG HiBM")

	g, err := valuation.Analyze("SMALL vs BIG", valuation.Rolled, dates,
		valuation.LegBM(valuation.Rolled, dates, small), valuation.LegBM(valuation.Rolled, dates, big),
		series.MustDate("2000-01-01"))
	if err != nil {
		panic(err)
	}
	fmt.Printf("as of %s: relative B/M %.2f, relative P/B %.3f (median %.3f since %s)\n",
		g.Latest, g.RelBMNow, g.RelPBNow, g.PBFull.Median, g.PBFull.From)
	fmt.Printf("z %.2f, percentile %.1f%% of %d months; since 2000: z %.2f, percentile %.1f%%\n",
		g.BMFull.Z, 100*g.BMFull.Percentile, g.BMFull.N, g.BMSince.Z, 100*g.BMSince.Percentile)
	fmt.Printf("discount %.1f%%, largest since 2000: %v\n", 100*g.Discount, g.LargestSince)
	// Output:
	// as of 2024-10-31: relative B/M 3.82, relative P/B 0.262 (median 0.591 since 1926-07-31)
	// z 2.88, percentile 98.5% of 1180 months; since 2000: z 3.98, percentile 100.0%
	// discount 55.7%, largest since 2000: true
}
