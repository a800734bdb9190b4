package backtest_test

import (
	"fmt"
	"math"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/series"
)

// The example strategy on Ken French monthly data, 1963-2024: the rotation into small
// caps during easing cycles against a static mix and the market.
func ExampleExecute() {
	s, err := backtest.ParseStrategy(examples.Rotation, "examples/rotation.yaml")
	if err != nil {
		panic(err)
	}
	data := buildData(exampleTB{}, realData(exampleTB{}))
	res, err := backtest.Execute(s, "french", data, series.NoDate, series.NoDate, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s .. %s, %d months\n", res.Dates[1], res.Dates[len(res.Dates)-1], len(res.Dates)-1)
	for _, p := range res.Portfolios {
		fmt.Printf("%-8s CAGR %5.2f%%  Sharpe %.3f  max drawdown %4.1f%%\n", p.Name,
			100*p.Summary.AnnualizedReturn, p.Summary.SharpeAnnualized, 100*p.Summary.MaxDrawdown)
	}
	// Output:
	// 1963-01-31 .. 2024-12-31, 744 months
	// rotation CAGR 11.78%  Sharpe 0.493  max drawdown 53.3%
	// static   CAGR 11.15%  Sharpe 0.464  max drawdown 51.8%
	// market   CAGR 10.75%  Sharpe 0.459  max drawdown 50.4%
}

// A valuation signal added by another package: the z-score of the latest published
// value of a series against its trailing 120 published observations. Registered in
// an init function, it becomes usable in any strategy file as
// `when: {example_value_z: {gt: 1}}`, and the engine loads its Inputs.
func ExampleRegisterSignal() {
	backtest.RegisterSignal(backtest.SignalDef{
		Name:   "example_value_z",
		Unit:   "standard deviations",
		Doc:    "z-score of the Shiller CAPE against its trailing 10 years, as published",
		Inputs: []string{"shiller/PE10"},
		Eval: func(v *backtest.View) (float64, error) {
			w, err := v.History("shiller/PE10", 120, nil) // only what was published by v.Date()
			if err != nil || len(w) < 120 {
				return math.NaN(), err // unknown: no rule matches
			}
			var m, s2 float64
			for _, x := range w {
				m += x
			}
			m /= float64(len(w))
			for _, x := range w {
				s2 += (x - m) * (x - m)
			}
			return (w[len(w)-1] - m) / math.Sqrt(s2/float64(len(w)-1)), nil
		},
	})
	d, _ := backtest.LookupSignal("example_value_z")
	fmt.Println(d.Name, d.Inputs)
	// Output: example_value_z [shiller/PE10]
}

// exampleTB lets examples use the test helpers.
type exampleTB struct{}

func (exampleTB) Helper()           {}
func (exampleTB) Fatal(args ...any) { panic(fmt.Sprint(args...)) }
