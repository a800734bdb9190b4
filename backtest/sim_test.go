package backtest

import (
	"math"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

func mkSeries(name string, kind series.Kind, dates []string, vals []float64) *series.Series {
	ds := make([]series.Date, len(dates))
	for i, d := range dates {
		ds[i] = series.MustDate(d)
	}
	s, err := series.New(name, kind, series.Monthly, ds, vals)
	if err != nil {
		panic(err)
	}
	return s
}

// TestSimulateByHand checks one portfolio against numbers worked by hand.
func TestSimulateByHand(t *testing.T) {
	y := `name: hand
params: {band: 0}
runs:
  r:
    frequency: monthly
    assets: {a: x/A, b: x/B}
    cash: x/RF
portfolios:
  p:
    rebalance: {every: month, band: band}
    cost_bps: 10
    weights: {a: 0.6, b: 0.3}
`
	s, err := ParseStrategy([]byte(y), "hand.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dates := []string{"2000-01-31", "2000-02-29", "2000-03-31"}
	data := &Data{Series: map[string]*series.Series{
		"x/A":  mkSeries("x/A", series.KindReturn, dates, []float64{0.10, -0.20, 0.05}),
		"x/B":  mkSeries("x/B", series.KindReturn, dates, []float64{-0.05, 0.10, 0}),
		"x/RF": mkSeries("x/RF", series.KindReturn, dates, []float64{0.001, 0.001, 0.001}),
	}}
	res, err := Execute(s, "r", data, series.NoDate, series.NoDate, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Dates[0] != series.MustDate("1999-12-31") {
		t.Errorf("first decision %s, want the month end before the first return", res.Dates[0])
	}
	p := res.Portfolios[0]
	// Period 1: holdings 0.6*1.10 = 0.66, 0.3*0.95 = 0.285, 0.1*1.001 = 0.1001; V = 1.0451.
	// Targets 0.62706, 0.31353; traded |0.62706-0.66| + |0.31353-0.285| = 0.06147 (turnover
	// 0.06147/1.0451); cost 10 bp of it = 0.00006147; V = 1.04503853.
	v1 := 1.0451 - 0.001*0.06147
	if d := p.Equity[1] - v1; math.Abs(d) > 1e-15 {
		t.Errorf("equity after period 1 = %.15f, want %.15f", p.Equity[1], v1)
	}
	if d := p.Trades[0].Turnover - 0.06147/1.0451; math.Abs(d) > 1e-15 {
		t.Errorf("turnover %v", p.Trades[0].Turnover)
	}
	// Period 2 from the target weights: 0.6*0.8 + 0.3*1.1 + 0.1*1.001 = 0.9101 of v1.
	h := []float64{0.6 * v1 * 0.8, 0.3 * v1 * 1.1, 0.1 * v1 * 1.001}
	v2 := h[0] + h[1] + h[2]
	tv := math.Abs(0.6*v2-h[0]) + math.Abs(0.3*v2-h[1])
	v2 -= 0.001 * tv
	if d := p.Equity[2] - v2; math.Abs(d) > 1e-14 {
		t.Errorf("equity after period 2 = %.15f, want %.15f", p.Equity[2], v2)
	}
	if d := p.Returns[1] - (v2/v1 - 1); math.Abs(d) > 1e-14 {
		t.Errorf("return of period 2 %v, want %v", p.Returns[1], v2/v1-1)
	}
	if p.Stats.Trades != 3 {
		t.Errorf("%d trades, want 3 (monthly, band 0)", p.Stats.Trades)
	}
	// A band wider than the drift: no trade at all, weights drift.
	res, err = Execute(s, "r", data, series.NoDate, series.NoDate, []float64{0.2})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Portfolios[0].Trades); n != 0 {
		t.Errorf("%d trades with a 20-point band", n)
	}
	want := (0.6*1.1*0.8*1.05 + 0.3*0.95*1.1*1 + 0.1*1.001*1.001*1.001)
	if got := res.Portfolios[0].Equity[3]; math.Abs(got-want) > 1e-14 {
		t.Errorf("buy and hold final %v, want %v", got, want)
	}
}

func TestRateCash(t *testing.T) {
	// A 5% yield earns (1.05)^(days/365)-1 over each period, at the yield seen at its start.
	y := `name: cash
runs:
  r:
    frequency: daily
    assets: {a: p/A}
    cash: f/Y
portfolios:
  p:
    weights: {a: 0}
`
	s, err := ParseStrategy([]byte(y), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d := func(x string) series.Date { return series.MustDate(x) }
	price := &series.Series{Name: "p/A", Kind: series.KindPrice, Freq: series.Daily,
		Dates: []series.Date{d("2024-01-05"), d("2024-01-08"), d("2024-01-09")}, Values: []float64{100, 101, 102}}
	yield := &series.Series{Name: "f/Y", Kind: series.KindRate, Freq: series.Daily,
		Dates: []series.Date{d("2024-01-04"), d("2024-01-08")}, Values: []float64{5, 6}}
	res, err := Execute(s, "r", &Data{Series: map[string]*series.Series{"p/A": price, "f/Y": yield}}, series.NoDate, series.NoDate, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Cash
	if w := math.Pow(1.05, 3.0/365) - 1; math.Abs(c[0]-w) > 1e-16 {
		t.Errorf("cash over the weekend %v, want %v", c[0], w)
	}
	if w := math.Pow(1.06, 1.0/365) - 1; math.Abs(c[1]-w) > 1e-16 {
		t.Errorf("cash on 2024-01-09 %v, want %v", c[1], w)
	}
	if res.Dates[0] != d("2024-01-05") {
		t.Errorf("first decision %s, want the first close", res.Dates[0])
	}
}
