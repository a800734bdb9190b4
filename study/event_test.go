package study

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

func priceSeries(name string, ds []series.Date, f func(i int) float64) *series.Series {
	v := make([]float64, len(ds))
	for i := range ds {
		v[i] = f(i)
	}
	return &series.Series{Name: name, Kind: series.KindPrice, Freq: series.Daily, Dates: ds, Values: v}
}

func TestRunExcess(t *testing.T) {
	ds := businessDays("2023-01-02", "2024-12-31")
	// The asset grows 0.2% a day, the benchmark 0.1% a day: over k days the excess is
	// 1.002^k - 1.001^k.
	a := priceSeries("A", ds, func(i int) float64 { return 100 * math.Pow(1.002, float64(i)) })
	b := priceSeries("B", ds, func(i int) float64 { return 50 * math.Pow(1.001, float64(i)) })
	evs := []Event{{Date: series.MustDate("2024-03-13")}, {Date: series.MustDate("2024-06-12")}, {Date: series.MustDate("2024-12-31")}}
	res, err := Run(EventStudy{Asset: a, Bench: b, Events: evs, Windows: MustWindows("0:1d,0:5"), Resamples: 1000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"0:1d": math.Pow(1.002, 2) - math.Pow(1.001, 2), "0:5": math.Pow(1.002, 6) - math.Pow(1.001, 6)}
	for j, w := range res.Windows {
		for i := 0; i < 2; i++ {
			c := res.Cells[i][j]
			if !c.OK || math.Abs(c.Value-want[w.String()]) > 1e-12 {
				t.Errorf("event %d window %s: %+v, want %v", i, w, c, want[w.String()])
			}
		}
		if c := res.Cells[2][j]; c.OK || c.Reason != "window ends after the data" {
			t.Errorf("last event %s: %+v", w, c)
		}
		s := res.Sums[j]
		if s.N != 2 || !s.TooFew || !strings.Contains(s.Verdict, "too few to conclude (n=2 < 8)") {
			t.Errorf("summary %+v", s)
		}
	}
}

func TestRunReturnSeriesMonthly(t *testing.T) {
	ds := monthEnds("1950-01-31", 240)
	v := make([]float64, len(ds))
	for i := range v {
		v[i] = 0.01
	}
	s := &series.Series{Name: "R", Kind: series.KindReturn, Freq: series.Monthly, Dates: ds, Values: v}
	var evs []Event
	for y := 1952; y <= 1966; y++ {
		evs = append(evs, Event{Date: series.NewDate(y, 3, 1)})
	}
	res, err := Run(EventStudy{Asset: s, Events: evs, Windows: MustWindows("0:1m,0:12m"), Resamples: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Grid.Monthly || res.From != ds[0] {
		t.Fatalf("grid monthly %v from %s", res.Grid.Monthly, res.From)
	}
	for j, k := range []float64{1, 12} {
		s := res.Sums[j]
		if s.N != len(evs) || math.Abs(s.Mean-(math.Pow(1.01, k)-1)) > 1e-12 || s.TooFew {
			t.Errorf("window %d: %+v", j, s)
		}
		// Constant values: the interval collapses on the mean.
		if math.Abs(s.Lo-s.Mean) > 1e-12 || math.Abs(s.Hi-s.Mean) > 1e-12 {
			t.Errorf("interval [%v, %v]", s.Lo, s.Hi)
		}
	}
}

func TestRunMarketModel(t *testing.T) {
	ds := businessDays("2020-01-01", "2024-12-31")
	rng := rand.New(rand.NewPCG(1, 2))
	rm := make([]float64, len(ds))
	ra := make([]float64, len(ds))
	for i := range ds {
		rm[i] = 0.0004 + 0.01*rng.NormFloat64()
		ra[i] = 0.0001 + 1.5*rm[i] + 0.002*rng.NormFloat64()
	}
	evDay := []string{"2022-03-16", "2023-03-15", "2024-03-13"}
	for _, e := range evDay {
		i := (&Grid{Dates: ds}).Day0(series.MustDate(e))
		ra[i] += 0.05 // a 5% abnormal return on day 0
	}
	a := &series.Series{Name: "A", Kind: series.KindReturn, Freq: series.Daily, Dates: ds, Values: ra}
	m := &series.Series{Name: "M", Kind: series.KindReturn, Freq: series.Daily, Dates: ds, Values: rm}
	var evs []Event
	for _, e := range evDay {
		evs = append(evs, Event{Date: series.MustDate(e)})
	}
	res, err := Run(EventStudy{Asset: a, Bench: m, Events: evs, Windows: MustWindows("0:0,0:5"), Method: MarketModel, Resamples: -1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Estimation.String() != "-250:-11" {
		t.Errorf("estimation %s", res.Estimation)
	}
	for i := range evs {
		c := res.Cells[i][0]
		if !c.OK || math.Abs(c.MM.Beta-1.5) > 0.05 || math.Abs(c.Value-0.05) > 0.01 || c.MM.NEst != 240 || c.MM.Length != 1 {
			t.Errorf("event %d: %+v %+v", i, c, c.MM)
		}
		if c.MM.CART < 10 {
			t.Errorf("CAR t %v", c.MM.CART)
		}
	}
	if s := res.Sums[0]; math.IsNaN(s.BWT) || s.BWT < 10 || math.Abs(s.Mean-0.05) > 0.01 {
		t.Errorf("summary %+v", s)
	}
	if _, err := Run(EventStudy{Asset: a, Events: evs, Windows: MustWindows("0:0"), Method: MarketModel}); err == nil {
		t.Error("market model without a benchmark: want an error")
	}
}

func TestRunBalancedAndOverlap(t *testing.T) {
	ds := monthEnds("2000-01-31", 36)
	v := make([]float64, len(ds))
	s := &series.Series{Name: "R", Kind: series.KindReturn, Freq: series.Monthly, Dates: ds, Values: v}
	evs := []Event{{Date: series.MustDate("2000-06-15")}, {Date: series.MustDate("2001-01-15")}, {Date: series.MustDate("2002-06-15")}}
	res, err := Run(EventStudy{Asset: s, Events: evs, Windows: MustWindows("0:1m,0:12m"), Balanced: true, Resamples: -1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sums[0].N != 2 || res.Sums[1].N != 2 {
		t.Errorf("balanced n = %d, %d", res.Sums[0].N, res.Sums[1].N)
	}
	if res.Sums[0].Overlap || !res.Sums[1].Overlap || !res.Overlap {
		t.Errorf("overlap %v %v", res.Sums[0].Overlap, res.Sums[1].Overlap)
	}
}

func TestVerdict(t *testing.T) {
	cases := []struct {
		name string
		s    Summary
		want string
	}{
		{"none", Summary{N: 0}, "no complete event"},
		{"few", Summary{N: 4, TooFew: true}, "too few to conclude (n=4 < 8)"},
		{"significant", Summary{N: 20, Mean: 0.02, P: 0.01, Lo: 0.01, Hi: 0.03, Level: 0.9}, "mean above zero: p=0.010, 90% interval excludes 0"},
		{"weak", Summary{N: 20, Mean: -0.02, P: 0.5, Lo: -0.05, Hi: 0.01, Level: 0.9}, "not distinguishable from zero (p=0.50)"},
	}
	for _, c := range cases {
		if got := verdict(c.s); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
