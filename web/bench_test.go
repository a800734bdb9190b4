package web

import (
	"net/http/httptest"
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
