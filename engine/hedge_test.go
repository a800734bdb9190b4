package engine

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/hedge"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// planCat is one catalog for the hedge and rebalance tests: it caches parsed files.
var planCat = catalog.New(nil)

func planLoad() LoadFunc { return CatalogLoad(planCat) }

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestParseBook(t *testing.T) {
	data := []byte("symbol,quantity,price,market_value,sector,sleeve\n" +
		"SPY,10,500,,,core\n" +
		"cash,1000,1,1000,,\n" +
		"XLF,,,\"52,000\",Financials,satellite\n")
	b, err := ParseBook("my.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	if b.Cash != 1000 || b.CashLine != 3 || len(b.Positions) != 2 {
		t.Fatalf("cash %v (line %d), %d positions; want 1000 (line 3), 2 positions", b.Cash, b.CashLine, len(b.Positions))
	}
	if got := b.Value(); got != 5000+1000+52000 {
		t.Errorf("Value() = %v, want 58000", got)
	}
	if p := b.Positions[1]; p.Symbol != "XLF" || !math.IsNaN(p.Quantity) || p.MarketValue != 52000 || p.Line != 4 {
		t.Errorf("market-value-only row = %+v", p)
	}

	_, err = ParseBook("bad.csv", []byte("symbol,quantity,price\nSPY,-3,500\n"))
	var pe *source.ParseError
	if !errors.As(err, &pe) || pe.File != "bad.csv" || pe.Line != 2 || pe.Field != "quantity" || !errors.Is(err, source.ErrBadInput) {
		t.Errorf("negative quantity: err = %v, want a ParseError naming bad.csv line 2 quantity", err)
	}

	ex := ExampleBook()
	if ex.Cash != 52888 || len(ex.Positions) != 8 || math.Abs(ex.Value()-1e6) > 1e-6 {
		t.Errorf("example book: cash %v, %d positions, value %v; want 52888, 8, 1,000,000", ex.Cash, len(ex.Positions), ex.Value())
	}
}

func TestPortfolioBeta(t *testing.T) {
	ctx := context.Background()
	// A book of SPY alone has beta 1 to SPY, whatever its size; cash dilutes it.
	bb, err := PortfolioBeta(ctx, planLoad(), "SPY book", "price/SPY", []BookLine{{"SPY", 250000}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !near(bb.Beta, 1, 1e-12) || bb.Lines[0].N < 495 || bb.Lines[0].N > 505 {
		t.Errorf("SPY on SPY: beta %v over %d days, want 1 over about 500", bb.Beta, bb.Lines[0].N)
	}
	bb, err = PortfolioBeta(ctx, planLoad(), "half cash", "price/SPY", []BookLine{{"SPY", 500}}, 500)
	if err != nil {
		t.Fatal(err)
	}
	if !near(bb.Beta, 0.5, 1e-12) {
		t.Errorf("half SPY, half cash: beta %v, want 0.5", bb.Beta)
	}

	// Betas add up by value weight, and a symbol without prices is SPY's stand-in.
	one := func(sym string) float64 {
		b, err := PortfolioBeta(ctx, planLoad(), sym, "price/IWM", []BookLine{{sym, 1}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		return b.Beta
	}
	bIWM, bSPY, bQQQ := one("IWM"), one("SPY"), one("QQQ")
	if !near(bIWM, 1, 1e-12) || !(bSPY > 0.4 && bSPY < 1) {
		t.Errorf("to IWM: IWM %v (want 1), SPY %v (want in 0.4..1)", bIWM, bSPY)
	}
	mix, err := PortfolioBeta(ctx, planLoad(), "mix", "price/IWM", []BookLine{{"SPY", 300}, {"QQQ", 100}, {"NOSUCH", 100}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := 0.6*bSPY + 0.2*bQQQ + 0.2*bSPY
	if !near(mix.Beta, want, 1e-12) {
		t.Errorf("mix beta %v, want %v", mix.Beta, want)
	}
	if l := mix.Lines[2]; l.Proxy != "SPY" || l.Beta != bSPY {
		t.Errorf("NOSUCH line = %+v, want SPY's beta %v as proxy", l, bSPY)
	}
	if !strings.Contains(strings.Join(mix.Notes, " "), "Assumed beta 1 to the S&P 500") || !strings.Contains(mix.Notes[1], "NOSUCH (no price series)") {
		t.Errorf("notes do not state the assumption: %q", mix.Notes)
	}
}

func TestPortfolioBetaMatchesRiskBeta(t *testing.T) {
	// The same number computed directly: risk.Beta of IWM on SPY daily returns over
	// the 24 months to SPY's last price.
	ctx := context.Background()
	bb, err := PortfolioBeta(ctx, planLoad(), "IWM", "price/SPY", []BookLine{{"IWM", 1}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	ri, _ := priceReturns(ctx, planLoad(), "price/IWM")
	rs, _ := priceReturns(ctx, planLoad(), "price/SPY")
	to := rs.Last()
	f := series.Align(series.Inner, ri.Slice(to.AddMonths(-24).AddDays(1), to), rs.Slice(to.AddMonths(-24).AddDays(1), to))
	want := risk.Beta(f.Cols[0], f.Cols[1], nil)
	if bb.Beta != want || bb.Lines[0].N != len(f.Dates) {
		t.Errorf("beta %v over %d days, want %v over %d", bb.Beta, bb.Lines[0].N, want, len(f.Dates))
	}
	if !(want > 1 && want < 2) {
		t.Errorf("IWM's beta to SPY %v: expected between 1 and 2", want)
	}
}

func TestResolveMarket(t *testing.T) {
	ctx := context.Background()
	vix, err := LastClose(ctx, planLoad(), VIXID)
	if err != nil {
		t.Fatal(err)
	}
	spy, err := ResolveMarket(ctx, planLoad(), "price/SPY", DefaultHedgeMarket())
	if err != nil {
		t.Fatal(err)
	}
	if spy.Vol.Value != vix.Value/100 || spy.Vol.Date != vix.Date {
		t.Errorf("SPY vol %v on %s, want VIX/100 = %v on %s", spy.Vol.Value, spy.Vol.Date, vix.Value/100, vix.Date)
	}
	// 3-month Treasury on the embedded data end (fred-bendsbeforethebreak/DGS3MO.csv).
	if spy.Rate.Value != 0.0391 || spy.Rate.Date != series.MustDate("2025-11-24") {
		t.Errorf("rate %v on %s, want 0.0391 on 2025-11-24", spy.Rate.Value, spy.Rate.Date)
	}
	if spy.Spot.Value != 749.17 || spy.Spot.Date != series.MustDate("2026-07-13") {
		t.Errorf("SPY spot %v on %s, want 749.17 on 2026-07-13", spy.Spot.Value, spy.Spot.Date)
	}
	if spy.Yield.Value != AssumedYield || spy.Yield.Source != "assumed" {
		t.Errorf("yield %+v, want the stated assumption", spy.Yield)
	}

	iwm, err := ResolveMarket(ctx, planLoad(), "price/IWM", DefaultHedgeMarket())
	if err != nil {
		t.Fatal(err)
	}
	ratio, _, err := volRatio(ctx, planLoad(), "price/IWM")
	if err != nil {
		t.Fatal(err)
	}
	if !near(iwm.Vol.Value, vix.Value/100*ratio, 1e-15) || !(ratio > 1) || !strings.Contains(iwm.Vol.Note, "scaled to IWM") {
		t.Errorf("IWM vol %v (ratio %v), want VIX/100 × ratio > VIX/100; note %q", iwm.Vol.Value, ratio, iwm.Vol.Note)
	}

	m := HedgeMarket{Vol: VolRealized, VolPremium: 0.02, Rate: 0.04, Yield: 0}
	rv, err := ResolveMarket(ctx, planLoad(), "price/IWM", m)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := priceReturns(ctx, planLoad(), "price/IWM")
	want := risk.AnnualizedStdDev(r.Values[r.Len()-RealizedVolDays:], 252) + 0.02
	if !near(rv.Vol.Value, want, 1e-15) || rv.Rate.Value != 0.04 || rv.Rate.Source != "given" {
		t.Errorf("realised: vol %v (want %v), rate %+v", rv.Vol.Value, want, rv.Rate)
	}

	if _, err := ResolveMarket(ctx, planLoad(), "fred/DGS10", m); !errors.Is(err, source.ErrBadInput) {
		t.Errorf("a rate series as underlying: err = %v, want bad input", err)
	}
	if _, err := ResolveMarket(ctx, planLoad(), "price/NOPE", m); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("unknown underlying: err = %v, want ErrNotFound", err)
	}
}

func TestQuoteHedge(t *testing.T) {
	ctx := context.Background()
	req := HedgeRequest{Underlying: "IWM", Strategy: "put-spread", PutStrike: 0.95, ShortPut: 0.80, ExpiryDays: 91,
		Value: 1e6, Beta: 1.2, Market: HedgeMarket{Vol: VolGiven, VolValue: 0.22, Rate: 0.04, Yield: 0.012, YieldGiven: true}}
	hq, err := QuoteHedge(ctx, planCat, req)
	if err != nil {
		t.Fatal(err)
	}
	// The engine adds data to the hedge package's quote, nothing else.
	u := hedge.Underlying{Symbol: "IWM", Spot: 293.48, Rate: 0.04, Yield: 0.012, Vol: 0.22, Expiry: 91.0 / 365}
	want, err := hedge.PutSpread(u, hedge.Exposure{Value: 1e6, Beta: 1.2}, 0.95, 0.80)
	if err != nil {
		t.Fatal(err)
	}
	q := hq.Quote
	if q.PremiumTotal != want.PremiumTotal || q.Sizing.Contracts != want.Sizing.Contracts || q.Sizing.Contracts != 41 {
		t.Errorf("premium %v, %d contracts; hedge package: %v, %d (want 41)", q.PremiumTotal, q.Sizing.Contracts, want.PremiumTotal, want.Sizing.Contracts)
	}
	if hq.CostOfValue != q.PremiumTotal/1e6 || !near(hq.CostOfValueAnnual, hq.CostOfValue*365/91, 1e-15) || hq.BetaDetail != nil {
		t.Errorf("cost %v / %v a year, beta detail %v", hq.CostOfValue, hq.CostOfValueAnnual, hq.BetaDetail)
	}
	// Stress: IWM's replayed move in each named window, valued with the payoff table's rule.
	if len(hq.Stress) != len(risk.BuiltinWindows()) {
		t.Fatalf("%d stress rows, want %d", len(hq.Stress), len(risk.BuiltinWindows()))
	}
	for _, s := range hq.Stress {
		if s.Coverage != risk.CoverFull || s.Point != q.At(s.Move) {
			t.Errorf("%s: coverage %v, point %+v, want At(%v)", s.Window.Name, s.Coverage, s.Point, s.Move)
		}
	}
	// covid-2020 as `ratecycle risk`'s section and the stress command show it: -40.68%.
	if c := hq.Stress[1]; c.Window.Name != "covid-2020" || math.Abs(c.Move-(-0.4068)) > 5e-5 {
		t.Errorf("covid-2020 IWM move %v, want -40.68%%", c.Move)
	}
	// Below the short strike the spread pays its cap: hedged - unhedged = cap - premium.
	g := hq.Stress[0].Point
	cap := 0.15 * 293.48 * q.Sizing.Shares
	if math.Abs(g.Hedged-g.Unhedged-(cap-q.PremiumTotal)) > 1e-6 {
		t.Errorf("gfc-2008: hedged - unhedged = %v, want cap %v - premium %v", g.Hedged-g.Unhedged, cap, q.PremiumTotal)
	}

	// Beta and value from the example book when not given.
	req.Beta, req.Value = 0, 0
	hq, err = QuoteHedge(ctx, planCat, req)
	if err != nil {
		t.Fatal(err)
	}
	if hq.BetaDetail == nil || hq.Beta != hq.BetaDetail.Beta || math.Abs(hq.Value-1e6) > 1e-6 || !strings.Contains(hq.ValueFrom, "examples/holdings.csv") {
		t.Errorf("auto: beta %v (detail %v), value %v from %q", hq.Beta, hq.BetaDetail, hq.Value, hq.ValueFrom)
	}

	// Requests that cannot be met are bad input (exit 2), named.
	for _, tc := range []struct {
		name string
		mod  func(*HedgeRequest)
		want string
	}{
		{"unknown strategy", func(r *HedgeRequest) { r.Strategy = "straddle" }, `strategy "straddle"`},
		{"zero contracts", func(r *HedgeRequest) { r.Value, r.Beta = 1000, 1 }, "rounds to none"},
		{"no expiry", func(r *HedgeRequest) { r.ExpiryDays = 0 }, "at least 1"},
		{"spread upside down", func(r *HedgeRequest) { r.ShortPut = 0.99 }, "must be below"},
	} {
		r := req
		r.Value, r.Beta = 1e6, 1
		tc.mod(&r)
		_, err := QuoteHedge(ctx, planCat, r)
		if err == nil || !errors.Is(err, source.ErrBadInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want bad input containing %q", tc.name, err, tc.want)
		}
	}
}

// FuzzParseBook: any bytes either fail with a ParseError or give a book whose CASH row
// is cash, not a position, and whose value adds up.
func FuzzParseBook(f *testing.F) {
	f.Add(examples.HoldingsCSV)
	f.Add([]byte("symbol,quantity,price,market_value\nCASH,1,1,1\ncash,2,1,2\n"))
	f.Add([]byte("symbol,market_value\nXLF,\"52,000\"\nCASH,100\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBook("fuzz.csv", data)
		if err != nil {
			var pe *source.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a ParseError", err)
			}
			return
		}
		sum := b.Cash
		for _, p := range b.Positions {
			if strings.EqualFold(p.Symbol, "CASH") {
				t.Fatalf("CASH kept as a position: %+v", p)
			}
			sum += p.MarketValue
		}
		if v := b.Value(); v != sum && !(math.IsNaN(v) && math.IsNaN(sum)) {
			t.Fatalf("Value() %v, sum %v", v, sum)
		}
	})
}
