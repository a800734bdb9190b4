package risk_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"log"
	"math"
	"os"
	"slices"
	"strconv"

	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
)

// readColumn reads one column of a dated returns CSV (empty cells missing).
func readColumn(path, name string) ([]series.Date, []float64) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	j := slices.Index(rows[0], name)
	var dates []series.Date
	var r []float64
	for _, row := range rows[1:] {
		d, err := series.ParseDate(row[0])
		if err != nil {
			log.Fatal(err)
		}
		v := math.NaN()
		if row[j] != "" {
			if v, err = strconv.ParseFloat(row[j], 64); err != nil {
				log.Fatal(err)
			}
		}
		dates, r = append(dates, d), append(r, v)
	}
	return dates, r
}

// Summarise the EDHEC Funds of Funds index (monthly, 1997-2009) with
// PerformanceAnalytics' conventions; every number printed here is checked against PA
// 2.1.0 in the package tests.
func ExampleSummary() {
	dates, r := readColumn("testdata/performanceanalytics/edhec.csv", "Funds of Funds")
	rep, err := risk.Summary(r, dates, nil, risk.Options{Scale: 12, TopDrawdowns: 3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d months %s..%s\n", rep.N, rep.Start, rep.End)
	fmt.Printf("annualised return %.4f, volatility %.4f, Sharpe %.4f (%s)\n",
		rep.AnnualizedReturn, rep.AnnualizedStdDev, rep.SharpeAnnualized, rep.Sharpe)
	fmt.Printf("max drawdown %.4f, Calmar %.4f, Sortino %.4f per month\n", rep.MaxDrawdown, rep.Calmar, rep.Sortino)
	for _, t := range rep.Tail {
		fmt.Printf("%-10s %2.0f%%  VaR %7.4f  ES %7.4f\n", t.Method, 100*t.P, t.VaR, t.ES)
	}
	for _, d := range rep.Drawdowns {
		fmt.Printf("drawdown %.4f from %s trough %s to %q, %d months\n", d.Depth, d.From, d.Trough, d.To, d.Length)
	}
	// Output:
	// 152 months 1997-01-31..2009-08-31
	// annualised return 0.0713, volatility 0.0631, Sharpe 1.1257 (arithmetic numerator, sd(r-rf))
	// max drawdown 0.2059, Calmar 0.3461, Sortino 0.5436 per month
	// historical 95%  VaR -0.0213  ES -0.0390
	// gaussian   95%  VaR -0.0239  ES -0.0315
	// modified   95%  VaR -0.0250  ES -0.0462
	// historical 99%  VaR -0.0608  ES -0.0617
	// gaussian   99%  VaR -0.0363  ES -0.0425
	// modified   99%  VaR -0.0550  ES -0.0550
	// drawdown -0.2059 from 2007-11-30 trough 2008-12-31 to "", 23 months
	// drawdown -0.0707 from 1998-05-31 trough 1998-10-31 to "1999-03-31", 11 months
	// drawdown -0.0388 from 2000-04-30 trough 2000-05-31 to "2000-08-31", 5 months
}

// Simulate two years of the same index by resampling six-month blocks of its history.
func ExampleMonteCarlo() {
	_, r := readColumn("testdata/performanceanalytics/edhec.csv", "Funds of Funds")
	res, err := risk.MonteCarlo(context.Background(), r, risk.MonteCarloOptions{
		Paths: 10000, Horizon: 24, MeanBlock: 6, Seed: 1,
		Quantiles: []float64{0.05, 0.5, 0.95}, Thresholds: []float64{0.1},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, q := range res.HorizonReturn.Quantiles {
		fmt.Printf("2-year return, %2.0f%% quantile: %6.3f\n", 100*q.P, q.Value)
	}
	fmt.Printf("P(2-year loss beyond 10%%) = %.3f\n", res.ProbLoss[0].P)
	fmt.Printf("P(drawdown beyond 10%%)    = %.3f\n", res.ProbDrawdown[0].P)
	// Output:
	// 2-year return,  5% quantile: -0.096
	// 2-year return, 50% quantile:  0.159
	// 2-year return, 95% quantile:  0.392
	// P(2-year loss beyond 10%) = 0.047
	// P(drawdown beyond 10%)    = 0.159
}
