package rebalance_test

import (
	"fmt"
	"os"

	"github.com/ratecycle/ratecycle/rebalance"
)

// The shipped example: a large-cap-heavy $1M book moved to the easing tilt of
// policy.yaml. Prices are 2026-07-13 closes from snapshot/data/yahoo-dsturdy.
func Example() {
	csvData, err := os.ReadFile("testdata/holdings.csv")
	if err != nil {
		panic(err)
	}
	yamlData, err := os.ReadFile("testdata/policy.yaml")
	if err != nil {
		panic(err)
	}
	positions, cash, err := rebalance.ParseHoldings(csvData)
	if err != nil {
		fmt.Println(err)
		return
	}
	policy, err := rebalance.ParsePolicy(yamlData)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := rebalance.Rebalance(rebalance.Input{
		Positions: positions,
		Cash:      cash,
		Policy:    policy,
		Regime:    rebalance.Easing,
		// Symbols the policy adds: 2026-07-13 closes.
		Prices: map[string]float64{"IJR": 144.99, "ITB": 96.30, "XHB": 107.07, "KRE": 75.12, "XLI": 180.37, "QUAL": 218.65},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range plan.Trades {
		fmt.Printf("%-4s %-5s %5.0f @ %7.2f = %10.2f  cost %6.2f  %s\n", t.Side, t.Symbol, t.Quantity, t.Price, t.Value, t.Cost, t.Rule)
	}
	s := plan.Summary
	fmt.Printf("\n%-18s %7s %7s %7s\n", "sleeve", "before", "after", "target")
	for _, r := range s.Sleeves {
		fmt.Printf("%-18s %6.2f%% %6.2f%% %6.2f%%\n", r.Name, 100*r.Before, 100*r.After, 100*r.Target)
	}
	fmt.Printf("%-18s %6.2f%% %6.2f%% %6.2f%%\n", "cash", 100*s.CashBefore/s.ValueBefore, 100*s.CashAfter/s.ValueAfter, 100*s.CashTarget/s.ValueAfter)
	fmt.Printf("\nturnover %.2f%%, cost %.2f, cash %.2f -> %.2f, value %.2f -> %.2f\n",
		100*s.Turnover, s.Cost, s.CashBefore, s.CashAfter, s.ValueBefore, s.ValueAfter)
	for _, n := range s.Notes {
		fmt.Println(n)
	}
	// Output:
	// sell IVV      50 @  752.58 =   37629.00  cost  18.81  sleeve core target 45% (easing tilt), drift +17pp > band 2pp; IVV target 11.25% (25% of sleeve core)
	// sell SPY     129 @  749.17 =   96642.93  cost  48.32  sleeve core target 45% (easing tilt), drift +17pp > band 2pp; SPY target 20.25% (45% of sleeve core)
	// sell XLC      77 @  111.59 =    8592.43  cost   4.30  sleeve core target 45% (easing tilt), drift +17pp > band 2pp; XLC target 3.6% (8% of sleeve core)
	// sell XLK     127 @  181.28 =   23022.56  cost  11.51  sleeve core target 45% (easing tilt), drift +17pp > band 2pp; XLK target 6.75% (15% of sleeve core)
	// sell XLY      28 @  116.04 =    3249.12  cost   1.62  sleeve core target 45% (easing tilt), drift +17pp > band 2pp; XLY target 3.15% (7% of sleeve core)
	// sell QQQ     159 @  711.74 =  113166.66  cost  56.58  sleeve growth target 10% (easing tilt), drift +11.4pp > band 2pp; QQQ target 10% (100% of sleeve growth)
	// buy  QUAL    339 @  218.65 =   74122.35  cost  37.06  sleeve quality-cyclicals target 15% (easing tilt), drift -15pp > band 2pp; QUAL target 7.5% (50% of sleeve quality-cyclicals); buys scaled to 98.24% to keep the 2% cash buffer
	// buy  XLI     408 @  180.37 =   73590.96  cost  36.80  sleeve quality-cyclicals target 15% (easing tilt), drift -15pp > band 2pp; XLI target 7.5% (50% of sleeve quality-cyclicals); buys scaled to 98.24% to keep the 2% cash buffer
	// buy  IJR     271 @  144.99 =   39292.29  cost  19.65  sleeve small-cap target 20% (easing tilt), drift -17.1pp > band 2pp; IJR target 4% (20% of sleeve small-cap, easing tilt); buys scaled to 98.24% to keep the 2% cash buffer
	// buy  ITB     203 @   96.30 =   19548.90  cost   9.77  sleeve small-cap target 20% (easing tilt), drift -17.1pp > band 2pp; ITB target 2% (10% of sleeve small-cap, easing tilt); buys scaled to 98.24% to keep the 2% cash buffer
	// buy  IWM     202 @  293.48 =   59282.96  cost  29.64  sleeve small-cap target 20% (easing tilt), drift -17.1pp > band 2pp; IWM target 9% (45% of sleeve small-cap, easing tilt); buys scaled to 98.24% to keep the 2% cash buffer
	// buy  KRE     392 @   75.12 =   29447.04  cost  14.72  sleeve small-cap target 20% (easing tilt), drift -17.1pp > band 2pp; KRE target 3% (15% of sleeve small-cap, easing tilt); buys scaled to 98.24% to keep the 2% cash buffer
	// buy  XHB     183 @  107.07 =   19593.81  cost   9.80  sleeve small-cap target 20% (easing tilt), drift -17.1pp > band 2pp; XHB target 2% (10% of sleeve small-cap, easing tilt); buys scaled to 98.24% to keep the 2% cash buffer
	//
	// sleeve              before   after  target
	// core                62.03%  45.13%  45.00%
	// growth              21.35%  10.04%  10.00%
	// quality-cyclicals    0.00%  14.78%  15.00%
	// small-cap            2.93%  19.66%  20.00%
	// bonds                8.40%   8.40%   8.00%
	// cash                 5.29%   2.00%   2.00%
	//
	// turnover 29.86%, cost 298.59, cash 52888.00 -> 20013.80, value 1000000.00 -> 999701.41
	// buys scaled to 98.24% of their size: the cash after sells and costs, less the 2% buffer, could not pay for all of them
	// easing tilt: the commentary's plan: a 20% small-cap sleeve with homebuilders and regional banks, industrials and quality tech overweight, speculative growth underweight, more duration while rates fall
}
