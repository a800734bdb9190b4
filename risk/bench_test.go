package risk

import (
	"bytes"
	"context"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/snapshot"
	"github.com/ratecycle/ratecycle/source/french"
)

// frenchDaily returns the last n days of the US market (Mkt-RF + RF), a small-cap
// tilt of it (market + SMB) and the risk-free rate from the embedded daily
// Fama/French factor file (1926-2024, 25,817 days): real data for the benchmarks.
func frenchDaily(b *testing.B, n int) (dates []series.Date, small, mkt, rf []float64) {
	b.Helper()
	raw, err := snapshot.ReadFile("kenfrench/F-F_Research_Data_Factors_daily.CSV")
	if err != nil {
		b.Fatal(err)
	}
	f, err := french.Parse(bytes.NewReader(raw), "kenfrench/F-F_Research_Data_Factors_daily.CSV")
	if err != nil {
		b.Fatal(err)
	}
	sec, err := f.Section("")
	if err != nil {
		b.Fatal(err)
	}
	col := func(name string) []float64 {
		s, err := sec.Series(name)
		if err != nil {
			b.Fatal(err)
		}
		return s.Values[len(s.Values)-n:]
	}
	mrf, smb, rf := col("Mkt-RF"), col("SMB"), col("RF")
	mkt = make([]float64, n)
	small = make([]float64, n)
	for i := range mkt {
		mkt[i] = mrf[i] + rf[i]
		small[i] = mkt[i] + smb[i]
	}
	return sec.Dates[len(sec.Dates)-n:], small, mkt, rf
}

// BenchmarkSummary is a full report (all metrics, VaR/ES at two levels by three
// methods, the drawdown table and benchmark-relative metrics with an rf series) on
// 25,000 daily returns.
func BenchmarkSummary(b *testing.B) {
	const n = 25000
	dates, small, mkt, rf := frenchDaily(b, n)
	opt := Options{Scale: 252, RfSeries: rf, TopDrawdowns: 5}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Summary(small, dates, mkt, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "returns/s")
}

// BenchmarkMonteCarlo simulates 10,000 paths of 252 days from 25,000 daily returns
// with 20-day mean blocks, on all of GOMAXPROCS.
func BenchmarkMonteCarlo(b *testing.B) {
	_, small, _, _ := frenchDaily(b, 25000)
	opt := MonteCarloOptions{Paths: 10000, Horizon: 252, MeanBlock: 20, Seed: 1}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := MonteCarlo(context.Background(), small, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(opt.Paths*opt.Horizon)*float64(b.N)/b.Elapsed().Seconds(), "path-days/s")
}

// BenchmarkVaRModified is one Cornish-Fisher VaR on 25,000 daily returns.
func BenchmarkVaRModified(b *testing.B) {
	_, small, _, _ := frenchDaily(b, 25000)
	b.ResetTimer()
	for b.Loop() {
		VaR(small, 0.99, Modified)
	}
}
