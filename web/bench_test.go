package web

import (
	"net/http/httptest"
	"os"
	"testing"
)

func benchGet(b *testing.B, target string) {
	s := server(b)
	if r := get(b, target); r.code != 200 { // warm the catalog's parse cache
		b.Fatalf("%d %.300s", r.code, r.body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
		b.SetBytes(int64(w.Body.Len()))
	}
}

// BenchmarkAPIStudy is the dashboard's default event study (price/IWM minus price/SPY
// around all cuts since 2000, six windows, 10,000 bootstrap resamples each), through
// the whole handler: parse, engine, JSON. The budget is 100 ms.
func BenchmarkAPIStudy(b *testing.B) { benchGet(b, "/api/v1/study") }

// BenchmarkAPICycles is the cycles panel's request.
func BenchmarkAPICycles(b *testing.B) { benchGet(b, "/api/v1/cycles") }

// BenchmarkAPIRisk is the risk panel's default request (two daily series and a benchmark).
func BenchmarkAPIRisk(b *testing.B) {
	benchGet(b, "/api/v1/risk?series=price/IWM,price/SPY&benchmark=price/SPY&from=2015-01-01")
}

// BenchmarkAPISeries is a weekly resample of fred/DFF since 1954 (the policy chart).
func BenchmarkAPISeries(b *testing.B) { benchGet(b, "/api/v1/series/fred/DFF?resample=weekly") }

// BenchmarkAPIValuation is `ratecycle valuation` through the handler: both pairs, both
// constructions, 1926 to the files' end, and the CAPE.
func BenchmarkAPIValuation(b *testing.B) { benchGet(b, "/api/v1/valuation") }

// BenchmarkAPIValuationCharts adds the report's two charts (cached per process; the
// cost is encoding about 230 KB of chart data).
func BenchmarkAPIValuationCharts(b *testing.B) { benchGet(b, "/api/v1/valuation?charts=true") }

// BenchmarkAPIConcentration is the concentration panel's request: IVV against the
// constituents' market caps.
func BenchmarkAPIConcentration(b *testing.B) {
	benchGet(b, "/api/v1/concentration?id=holdings/IVV&compare=constituents/sp500-financials")
}

// BenchmarkAPISectors ranks the 12 French industries (event study, regime regression
// and two Newey-West regressions per industry).
func BenchmarkAPISectors(b *testing.B) { benchGet(b, "/api/v1/sectors") }

// BenchmarkAPISectors49 ranks the 49 French industries.
func BenchmarkAPISectors49(b *testing.B) { benchGet(b, "/api/v1/sectors?universe=french49") }

// BenchmarkAPIScreen is the point-in-time screen of every filer of FSDS 2010q2 (the
// top 50 rows returned).
func BenchmarkAPIScreen(b *testing.B) { benchGet(b, "/api/v1/screen") }

// BenchmarkAPIBacktest runs the example strategy on both runs (744 months, 6404 days)
// without the trade lists.
func BenchmarkAPIBacktest(b *testing.B) { benchGet(b, "/api/v1/backtest?trades=false") }

// BenchmarkAPIBacktestCharts is the dashboard's request: the French run with the
// report's charts.
func BenchmarkAPIBacktestCharts(b *testing.B) {
	benchGet(b, "/api/v1/backtest?run=french&trades=false&charts=true")
}

// BenchmarkAPIBacktestUpload posts the example strategy as a file (multipart parse,
// strict YAML parse, both runs).
func BenchmarkAPIBacktestUpload(b *testing.B) {
	s := server(b)
	strategy, err := os.ReadFile("../examples/rotation.yaml")
	if err != nil {
		b.Fatal(err)
	}
	post := func() *httptest.ResponseRecorder {
		body, ct := multipartBody(b, map[string]string{"trades": "false"}, "strategy", "mine.yaml", string(strategy))
		req := httptest.NewRequest("POST", "/api/v1/backtest", body)
		req.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		return w
	}
	if w := post(); w.Code != 200 {
		b.Fatalf("%d %.300s", w.Code, w.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if w := post(); w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkAPIHedge is the hedge panel's default quote: a protective put on IWM sized
// to the example book's beta (daily betas of every holding over two years).
func BenchmarkAPIHedge(b *testing.B) { benchGet(b, "/api/v1/hedge") }
