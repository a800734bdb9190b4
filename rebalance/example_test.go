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
}
