package backtest_test

import (
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/series"
)

// BenchmarkBacktestMonthly is one full monthly backtest of the example rotation over
// 1926-07..2024-12 (1182 months): alignment, point-in-time signals, the three
// portfolios with trades and equity, PerformanceAnalytics summaries and per-regime
// returns. Loading the catalog and detecting the cycles are outside (done once).
func BenchmarkBacktestMonthly(b *testing.B) {
	y := strings.Replace(string(examples.Rotation), "from: 1963-01-01", "from: 1926-07-01", 1)
	s, err := backtest.ParseStrategy([]byte(y), "rotation.yaml")
	if err != nil {
		b.Fatal(err)
	}
	d := buildData(b, realData(b))
	b.ReportAllocs()
	months := 0
	for b.Loop() {
		res, err := backtest.Execute(s, "french", d, series.NoDate, series.NoDate, nil)
		if err != nil {
			b.Fatal(err)
		}
		months = len(res.Dates) - 1
	}
	b.ReportMetric(float64(months), "months")
}

// BenchmarkTrialDaily is the sweep's inner loop: one trial of the rotation on the
// daily ETF run (about 6,400 days x 3 columns: SPY, IWM, cash), metrics included.
func BenchmarkTrialDaily(b *testing.B) {
	s, err := backtest.ParseStrategy(examples.Rotation, "rotation.yaml")
	if err != nil {
		b.Fatal(err)
	}
	p, err := backtest.Prepare(s, "etf", buildData(b, realData(b)), series.NoDate, series.NoDate)
	if err != nil {
		b.Fatal(err)
	}
	tr, _ := p.NewTrial("")
	params := s.Defaults()
	params[2] = 0.02
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Run(params); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.T()*p.Cols())*float64(b.N)/b.Elapsed().Seconds(), "asset-days/s")
}
