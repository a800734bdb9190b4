package thesis_test

import (
	"context"
	"fmt"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/thesis"
)

// Checking the claims of examples/small-caps-2026.yaml against the embedded data.
func Example() {
	f, err := thesis.Parse(examples.SmallCaps2026, examples.SmallCaps2026Name)
	if err != nil {
		fmt.Println(err)
		return
	}
	data := engine.NewThesisData(context.Background(), catalog.New(nil), nil)
	for _, r := range thesis.Evaluate(f, data) {
		fmt.Printf("%s: %s\n", r.ID, r.Verdict)
		for _, p := range r.Proxies {
			fmt.Printf("  %s: %+.2f%% (n=%d)\n", p.Proxy, 100*p.Value, p.N)
		}
	}
	// Output:
	// smb-falling-rates: supported
	//   french/F-F_Research_Data_Factors/SMB: +0.36% (n=265)
	// small-beat-large-after-first-cut: inconclusive
	//   price/IWM vs price/SPY: +1.36% (n=4)
	//   french/F-F_Research_Data_Factors/SMB: +4.70% (n=19)
	// homebuilders-jackson-hole: contradicted
	//   price/ITB: +3.19% (n=1)
	//   price/XHB: +2.40% (n=1)
	// russell-december-pullback: supported
	//   price/^RUT: -8.76% (n=1)
	//   price/IWM: -8.83% (n=1)
	// mag7-share: inconclusive
	//   holdings/IVV: +32.86% (n=503)
	//   constituents/sp500-financials: +35.94% (n=466)
	// russell-discount: contradicted
	//   2x3 rolled (6_Portfolios_2x3): +55.68% (n=1180)
	//   2x3 published (6_Portfolios_2x3): +34.74% (n=1180)
	// russell-discount-largest: inconclusive
	//   2x3 rolled (6_Portfolios_2x3): +55.68% (n=298)
	//   2x3 published (6_Portfolios_2x3): +34.74% (n=298)
}

// A claim with the right number on the wrong date: the checker finds where it happened.
func Example_wrongDate() {
	claims := []byte(`claims:
  - id: russell-november
    text: "The Russell 2000 fell 8.4% in November 2024."
    check: {type: period_return, series: "price/^RUT", period: 2024-11}
    expect: {value_pct: -8.4, tolerance_pp: 0.25}
`)
	f, _ := thesis.Parse(claims, "wrong-date.yaml")
	r := thesis.Evaluate(f, engine.NewThesisData(context.Background(), catalog.New(nil), nil))[0]
	fmt.Println(r.Verdict)
	fmt.Println(r.Proxies[0].Reason)
	// Output:
	// contradicted
	// measured +10.84%, claim -8.40% ± 0.25pp; the claimed move did happen nearby: 2024-12 (+1 month, -8.40%)
}
