package valuation

import (
	"math"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

func months(from string, n int) []series.Date {
	d := series.MustDate(from)
	out := make([]series.Date, n)
	for i := range out {
		out[i] = d.AddMonths(i).MonthEnd()
	}
	return out
}

func fill(n int, v float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return x
}

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.IsNaN(want) {
		if !math.IsNaN(got) {
			t.Errorf("%s = %v, want NaN", name, got)
		}
		return
	}
	if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.15g, want %.15g", name, got, want)
	}
}

func TestPublishedBM(t *testing.T) {
	dates := months("2024-01-31", 2)
	leg := []Portfolio{
		{Name: "a", BMDec: []float64{0.5, 0.6}, Firms: []float64{10, 10}, AvgCap: []float64{100, 100}},
		{Name: "b", BMDec: []float64{1.5, math.NaN()}, Firms: []float64{20, 20}, AvgCap: []float64{150, 150}},
	}
	got := LegBM(Published, dates, leg)
	// month 1: (1000*0.5 + 3000*1.5) / 4000; month 2: b is missing, so a alone
	near(t, "month 1", got[0], (1000*0.5+3000*1.5)/4000)
	near(t, "month 2", got[1], 0.6)
}

// TestRolledBM checks that the rolled leg is aggregate book over aggregate market value:
// book fixed at formation, market value compounding with returns, reset every July.
func TestRolledBM(t *testing.T) {
	dates := months("2023-05-31", 15) // May 2023 .. July 2024
	n := len(dates)
	a := Portfolio{Name: "a", BMJune: fill(n, 0.5), Firms: fill(n, 10), AvgCap: fill(n, 100), Return: fill(n, 0.01)}
	b := Portfolio{Name: "b", BMJune: fill(n, 2.0), Firms: fill(n, 5), AvgCap: fill(n, 40), Return: fill(n, -0.02)}
	b.Return[5] = math.NaN() // October 2023: b drops out until July 2024
	a.BMJune[14] = 0.25      // the July 2024 formation has new book
	got := LegBM(Rolled, dates, []Portfolio{a, b})
	near(t, "before the first July", got[0], math.NaN())
	near(t, "June 2023", got[1], math.NaN())
	// July 2023 (i=2): book a 500, b 400; value a 1000*1.01, b 200*0.98.
	near(t, "July 2023", got[2], (500+400)/(1000*1.01+200*0.98))
	near(t, "September 2023", got[4], (500+400)/(1000*math.Pow(1.01, 3)+200*math.Pow(0.98, 3)))
	near(t, "October 2023 (b missing)", got[5], 500/(1000*math.Pow(1.01, 4)))
	near(t, "June 2024", got[13], 500/(1000*math.Pow(1.01, 12)))
	near(t, "July 2024 (re-formed)", got[14], (0.25*1000+400)/(1000*1.01+200*0.98))
}

func TestLegBMPanicsOnLength(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic on a short column")
		}
	}()
	LegBM(Published, months("2024-01-31", 3), []Portfolio{{Name: "a", BMDec: fill(2, 1), Firms: fill(3, 1), AvgCap: fill(3, 1)}})
}

func TestDescribe(t *testing.T) {
	dates := months("1999-10-31", 6)
	x := []float64{4, 1, math.NaN(), 3, 2, 5}
	w, err := Describe(dates, x, series.NoDate, 3)
	if err != nil {
		t.Fatal(err)
	}
	if w.N != 5 || w.From != dates[0] || w.To != dates[5] {
		t.Errorf("window %d obs %s..%s", w.N, w.From, w.To)
	}
	near(t, "mean", w.Mean, 3)
	near(t, "sd", w.SD, math.Sqrt(2.5))
	near(t, "z", w.Z, 0)
	near(t, "percentile", w.Percentile, 0.6) // 1, 2, 3 of 5 at or below 3
	near(t, "median", w.Median, 3)
	near(t, "p10", w.P10, 1.4) // type 7: h = 0.4 -> 1 + 0.4*(2-1)
	near(t, "p90", w.P90, 4.6)
	if w.MinAt != dates[1] || w.MaxAt != dates[5] {
		t.Errorf("min at %s, max at %s", w.MinAt, w.MaxAt)
	}
	s, err := Describe(dates, x, series.MustDate("2000-01-01"), 3)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 3 || s.From != dates[3] {
		t.Errorf("since 2000: %d obs from %s", s.N, s.From)
	}
	near(t, "percentile since", s.Percentile, 2.0/3)
	if _, err := Describe(dates[:1], x[:1], series.NoDate, 1); err == nil {
		t.Error("one observation described without error")
	}
}

func TestAnalyze(t *testing.T) {
	dates := months("1999-06-30", 6) // Jun 1999 .. Nov 1999
	small := []float64{1, 1, 1, 1, 1, 1}
	big := []float64{0.5, 0.4, 0.25, 0.5, 0.2, 0.3}
	// relative P/B = big/small: 0.5 0.4 0.25 0.5 0.2 0.3; median 0.35
	g, err := Analyze("test", Rolled, dates, small, big, series.MustDate("1999-09-01"))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "rel P/B now", g.RelPBNow, 0.3)
	near(t, "rel B/M now", g.RelBMNow, 1/0.3)
	near(t, "median P/B", g.PBFull.Median, 0.35)
	near(t, "discount", g.Discount, 1-0.3/0.35)
	near(t, "max discount since", g.MaxDiscountSince, 1-0.2/0.35)
	if g.MaxDiscountSinceAt != dates[4] || g.LargestSince {
		t.Errorf("largest since at %s (today largest %v), want %s and false", g.MaxDiscountSinceAt, g.LargestSince, dates[4])
	}
	if g.MonthsCheaperSince != 2 { // Oct (0.2) and Nov (0.3) at or below 0.3
		t.Errorf("months at or below today's P/B since: %d, want 2", g.MonthsCheaperSince)
	}
	if g.Reformed != dates[1] {
		t.Errorf("re-formed %s, want July 1999", g.Reformed)
	}
	near(t, "big jump", g.BigReformJump, 0.4/0.5-1)
	near(t, "discount before", g.DiscountBeforeReform, 1-0.5/0.35)

	big[5] = 0.1 // now today is the cheapest since September
	g, err = Analyze("test", Rolled, dates, small, big, series.MustDate("1999-09-01"))
	if err != nil {
		t.Fatal(err)
	}
	if !g.LargestSince || g.MaxDiscountSinceAt != dates[5] {
		t.Errorf("today should be the largest discount since September")
	}
	if _, err := Analyze("empty", Rolled, dates, fill(6, math.NaN()), big, series.NoDate); err == nil {
		t.Error("no error for a leg without data")
	}
}

func TestParseMethod(t *testing.T) {
	for _, s := range []string{"rolled", "published"} {
		if m, err := ParseMethod(s); err != nil || string(m) != s {
			t.Errorf("ParseMethod(%q) = %q, %v", s, m, err)
		}
	}
	if _, err := ParseMethod("annual"); err == nil {
		t.Error("ParseMethod accepted annual")
	}
}

func BenchmarkLegBMRolled(b *testing.B) {
	n := 1180
	dates := months("1926-07-31", n)
	leg := make([]Portfolio, 5)
	for j := range leg {
		leg[j] = Portfolio{BMJune: fill(n, 0.5+float64(j)), Firms: fill(n, 100), AvgCap: fill(n, 50), Return: fill(n, 0.01)}
	}
	b.ReportAllocs()
	for b.Loop() {
		LegBM(Rolled, dates, leg)
	}
	b.ReportMetric(float64(n*len(leg))*float64(b.N)/b.Elapsed().Seconds(), "portfolio-months/s")
}

func BenchmarkAnalyze(b *testing.B) {
	n := 1180
	dates := months("1926-07-31", n)
	small, big := make([]float64, n), make([]float64, n)
	for i := range small {
		small[i] = 0.6 + 0.2*math.Sin(float64(i)/30)
		big[i] = 0.3 + 0.1*math.Cos(float64(i)/50)
	}
	since := series.MustDate("2000-01-01")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze("bench", Rolled, dates, small, big, since); err != nil {
			b.Fatal(err)
		}
	}
}
