package hedge_test

import (
	"fmt"

	"github.com/ratecycle/ratecycle/hedge"
)

// A $200,000 small-cap sleeve with beta 1.0 to IWM, hedged for three months.
// IWM closed at 293.48 on 2026-07-13 (snapshot/data/yahoo-dsturdy/IWM.csv); the rate,
// yield and volatility are illustrative inputs, not market quotes.
func Example() {
	iwm := hedge.Underlying{Symbol: "IWM", Spot: 293.48, Rate: 0.04, Yield: 0.012, Vol: 0.22, Expiry: 91.0 / 365}
	sleeve := hedge.Exposure{Value: 200_000, Beta: 1.0}

	q, err := hedge.PutSpread(iwm, sleeve, 0.95, 0.80)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Strategy)
	fmt.Println(q.Sizing.Rule)
	fmt.Printf("premium %.2f per share, %.0f total: %.2f%% of the hedged notional, %.2f%% a year\n",
		q.PremiumPerShare, q.PremiumTotal, 100*q.CostPct, 100*q.CostPctAnnual)
	fmt.Printf("breakeven %.2f; pays up to %.2f per share below %.2f\n", q.Breakevens[0], q.MaxPayoutPerShare, q.ProtectionBelow)
	fmt.Println("  move   unhedged     hedged")
	for _, p := range q.Payoff[:7] {
		fmt.Printf("%+5.0f%% %10.0f %10.0f\n", 100*p.Move, p.Unhedged, p.Hedged)
	}

	z, err := hedge.ZeroCostCollar(iwm, sleeve, 0.90)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: call strike %.2f, net premium %.2f\n", z.Strategy, z.Legs[1].Strike, z.PremiumPerShare)
	// Output:
	// put spread 95%/80%
	// contracts = round(beta × value / (spot × 100)) = round(1.00 × 200000.00 / (293.48 × 100)) = round(6.81) = 7 (hedge ratio 102.7%)
	// premium 5.69 per share, 3986 total: 1.94% of the hedged notional, 7.78% a year
	// breakeven 299.17; pays up to 44.02 per share below 278.81
	//   move   unhedged     hedged
	//   -30%     140000     166830
	//   -25%     150000     176830
	//   -20%     160000     186830
	//   -15%     170000     186558
	//   -10%     180000     186286
	//    -5%     190000     186014
	//    +0%     200000     196014
	// zero-cost collar 90%/113.4%: call strike 332.84, net premium 0.00
}

func ExampleImpliedVol() {
	put := hedge.Option{Kind: hedge.Put, Spot: 293.48, Strike: 278.81, Rate: 0.04, Yield: 0.012, Expiry: 91.0 / 365}
	v, err := hedge.ImpliedVol(put, 6.10)
	fmt.Printf("%.4f %v\n", v, err)
	_, err = hedge.ImpliedVol(put, 0.01+put.Strike)
	fmt.Println(err)
	// Output:
	// 0.2244 <nil>
	// put price 278.82 is at or above the no-arbitrage upper bound K e^{-rT} = 276.0433569: no volatility fits the price
}
