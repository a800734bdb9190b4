package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/rebalance"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

var planHistory *cycle.History

func history(t testing.TB) *cycle.History {
	if planHistory == nil {
		h, err := Cycles(context.Background(), planCat, cycle.DefaultRules)
		if err != nil {
			t.Fatal(err)
		}
		planHistory = h
	}
	return planHistory
}

// The engine's plan on the shipped examples is the rebalance package's Example: the
// same book, policy and prices (the catalog's 2026-07-13 closes the Example passes by
// hand), under the easing regime the Fed's history gives on its data end.
func TestRebalanceExample(t *testing.T) {
	p, err := Rebalance(context.Background(), planCat, RebalanceRequest{History: history(t)})
	if err != nil {
		t.Fatal(err)
	}
	if p.Regime != rebalance.Easing || !p.RegimeAuto || !strings.Contains(p.RegimeWhy, "announced 2025-10-29") {
		t.Errorf("regime %s (auto %v): %s", p.Regime, p.RegimeAuto, p.RegimeWhy)
	}
	wantPrices := map[string]float64{"IJR": 144.99, "ITB": 96.30, "XHB": 107.07, "KRE": 75.12, "XLI": 180.37, "QUAL": 218.65}
	for _, pu := range p.Prices {
		if w, ok := wantPrices[pu.Symbol]; ok && (pu.Price != w || pu.Date != series.MustDate("2026-07-13")) {
			t.Errorf("%s priced %v on %s, want %v on 2026-07-13", pu.Symbol, pu.Price, pu.Date, w)
		}
	}
	positions, cash, err := rebalance.ParseHoldings(examples.HoldingsCSV)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := rebalance.ParsePolicy(examples.PolicyYAML)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := rebalance.Rebalance(rebalance.Input{Positions: positions, Cash: cash, Policy: pol, Regime: rebalance.Easing, Prices: wantPrices})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Plan.Trades) != 13 || len(direct.Trades) != 13 {
		t.Fatalf("%d trades, package example %d; want 13", len(p.Plan.Trades), len(direct.Trades))
	}
	for i, tr := range p.Plan.Trades {
		d := direct.Trades[i]
		if tr.Symbol != d.Symbol || tr.Side != d.Side || tr.Quantity != d.Quantity || math.Abs(tr.Value-d.Value) > 1e-6 {
			t.Errorf("trade %d: %s %s %v = %v; package: %s %s %v = %v", i, tr.Side, tr.Symbol, tr.Quantity, tr.Value, d.Side, d.Symbol, d.Quantity, d.Value)
		}
	}
	if s := p.Plan.Summary; math.Abs(s.Turnover-direct.Summary.Turnover) > 1e-12 || math.Abs(s.Cost-298.59) > 0.005 {
		t.Errorf("turnover %v, cost %v; want %v and 298.59", s.Turnover, s.Cost, direct.Summary.Turnover)
	}

	// Risk: the before-weights are the book's, on about two years of daily returns.
	rb, ra := p.RiskBefore, p.RiskAfter
	if rb.N < 495 || rb.N > 505 || rb.N != ra.N || rb.To != series.MustDate("2026-07-13") {
		t.Errorf("risk on %d/%d days to %s", rb.N, ra.N, rb.To)
	}
	if math.Abs(rb.Weights["SPY"]-0.299668) > 1e-12 || !(rb.Vol > 0.05 && rb.Vol < 0.4) || !(rb.VaR < 0 && rb.VaR > -0.05) {
		t.Errorf("risk before: %+v", rb)
	}
	if math.Abs(rb.VaRValue-rb.VaR*1e6) > 1e-6 {
		t.Errorf("VaR value %v, want VaR × 1,000,000 = %v", rb.VaRValue, rb.VaR*1e6)
	}

	// The policy's put spread, on the small-cap sleeve after the trades.
	h := p.Hedge
	if h == nil {
		t.Fatalf("no hedge: %s", p.HedgeWhy)
	}
	var sleeve float64
	for _, a := range p.Plan.After {
		if a.Sleeve == "small-cap" {
			sleeve += a.Quantity * a.Price
		}
	}
	if p.HedgeSleeve != "small-cap" || math.Abs(h.Value-sleeve) > 1e-6 || h.Quote.Strategy != "put spread 95%/80%" || h.ExpiryDays != 91 {
		t.Errorf("hedge on %s worth %v (sleeve %v): %s, %d days", p.HedgeSleeve, h.Value, sleeve, h.Quote.Strategy, h.ExpiryDays)
	}
	if h.Quote.Sizing.Contracts != int(math.Round(h.Beta*sleeve/(293.48*100))) || h.BetaDetail == nil || len(h.BetaDetail.Lines) != 5 {
		t.Errorf("contracts %d for beta %v × %v", h.Quote.Sizing.Contracts, h.Beta, sleeve)
	}
}

// bookRisks is the risk package's volatility and VaR of the weighted daily returns.
func TestBookRisks(t *testing.T) {
	ctx := context.Background()
	rb, ra, _, err := bookRisks(ctx, planLoad(), map[string]float64{"SPY": 1}, map[string]float64{"SPY": 0.5, "IWM": 0.25})
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := priceReturns(ctx, planLoad(), "price/SPY")
	ri, _ := priceReturns(ctx, planLoad(), "price/IWM")
	f := series.Align(series.Inner, ri, rs)
	k := 0
	for f.Dates[k] <= rb.To.AddMonths(-24) {
		k++
	}
	spy := f.Cols[1][k:]
	if rb.N != len(spy) || rb.Vol != risk.AnnualizedStdDev(spy, 252) || rb.VaR != risk.VaR(spy, 0.95, risk.Historical) {
		t.Errorf("SPY alone: n %d vol %v VaR %v; want %d %v %v", rb.N, rb.Vol, rb.VaR, len(spy), risk.AnnualizedStdDev(spy, 252), risk.VaR(spy, 0.95, risk.Historical))
	}
	mix := make([]float64, len(spy))
	for i := range mix {
		mix[i] = 0.5*spy[i] + 0.25*f.Cols[0][k+i]
	}
	if !near(ra.Vol, risk.AnnualizedStdDev(mix, 252), 1e-12) {
		t.Errorf("mix vol %v, want %v", ra.Vol, risk.AnnualizedStdDev(mix, 252))
	}
}

func TestRebalanceInputs(t *testing.T) {
	ctx := context.Background()
	csv := func(rows ...string) *Book {
		b, err := ParseBook("book.csv", []byte("symbol,quantity,price,market_value,sector,sleeve\n"+strings.Join(rows, "\n")+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// A row with a market value only is priced at its catalog close; --cash replaces CASH.
	cash := 20000.0
	p, err := Rebalance(ctx, planCat, RebalanceRequest{History: history(t), Regime: "hold", Cash: &cash,
		Book: csv("SPY,,,\"749,170\",,", "QQQ,100,711.74,,,", "CASH,5000,1,5000,,")})
	if err != nil {
		t.Fatal(err)
	}
	if p.Regime != "hold" || p.RegimeAuto || p.Plan.Summary.CashBefore != 20000 {
		t.Errorf("regime %s (auto %v), cash %v", p.Regime, p.RegimeAuto, p.Plan.Summary.CashBefore)
	}
	if pu := p.Prices[0]; pu.Symbol != "SPY" || pu.Price != 749.17 || pu.Date != series.MustDate("2026-07-13") {
		t.Errorf("SPY priced %+v", pu)
	}
	if got := p.Plan.Summary.Symbols; got == nil {
		t.Error("no weights")
	}
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "replaces the CASH row of book.csv line 4") || !strings.Contains(notes, "SPY (book.csv line 2) has a market value only: 1000.0000 shares") {
		t.Errorf("notes: %s", notes)
	}

	policy := func(edit func(string) string) []byte { return []byte(edit(string(examples.PolicyYAML))) }
	for _, tc := range []struct {
		name   string
		req    RebalanceRequest
		want   string
		file   string
		line   int
		anyErr bool
	}{
		{name: "unknown sleeve", req: RebalanceRequest{Book: csv("SPY,1,749.17,,,core", "GLD,10,200,,Gold,commodities")},
			want: `book.csv line 3 field "sleeve": GLD: sleeve "commodities" is not in the policy`, file: "book.csv", line: 3},
		{name: "no sleeve", req: RebalanceRequest{Book: csv("GLD,10,200,,,")},
			want: "GLD: the policy does not name this symbol and the row has no sleeve", file: "book.csv", line: 2},
		{name: "weights do not sum", req: RebalanceRequest{PolicyFile: "p.yaml", Policy: policy(func(s string) string {
			return strings.Replace(s, "target_pct: 60", "target_pct: 55", 1)
		})}, want: "parse p.yaml line 21: sleeve targets core 55%", file: "p.yaml", line: 21},
		{name: "symbol without a price", req: RebalanceRequest{PolicyFile: "p.yaml", Policy: policy(func(s string) string {
			return strings.Replace(s, "KRE: 15}", "NOSUCH: 15}", 1)
		})}, want: `p.yaml line 50: NOSUCH (sleeve small-cap) is not in examples/holdings.csv and has no price: dataset not found: "price/NOSUCH"`, file: "p.yaml", line: 50},
		{name: "unknown sleeve in a tilt", req: RebalanceRequest{PolicyFile: "p.yaml", Policy: policy(func(s string) string {
			return strings.Replace(s, "      bonds: {target_pct: 8}", "      bond: {target_pct: 8}", 1)
		})}, want: `field "tilts.easing.sleeves": unknown sleeve "bond"`, file: "p.yaml", line: 51},
		{name: "bad regime", req: RebalanceRequest{Regime: "panic"}, want: `regime "panic"`, anyErr: true},
	} {
		tc.req.History = history(t)
		_, err := Rebalance(ctx, planCat, tc.req)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, source.ErrBadInput) {
			t.Errorf("%s: err = %v\nwant bad input containing %q", tc.name, err, tc.want)
			continue
		}
		if tc.anyErr {
			continue
		}
		// The book's and the pricing errors are InputErrors, the policy's own are the
		// policy parser's *source.ParseError with the file filled in.
		var ie *InputError
		var pe *source.ParseError
		switch {
		case errors.As(err, &ie):
			if ie.File != tc.file || ie.Line != tc.line {
				t.Errorf("%s: %#v, want file %s line %d", tc.name, ie, tc.file, tc.line)
			}
		case errors.As(err, &pe):
			if pe.File != tc.file || pe.Line != tc.line {
				t.Errorf("%s: %#v, want file %s line %d", tc.name, pe, tc.file, tc.line)
			}
		default:
			t.Errorf("%s: %T is neither an InputError nor a ParseError", tc.name, err)
		}
	}
}

func TestReportPlanSections(t *testing.T) {
	ctx := context.Background()
	rc := &ReportContext{Cat: planCat, History: history(t), used: map[string]*series.Series{}}
	h, err := hedgeSection(ctx, rc)
	if err != nil {
		t.Fatal(err)
	}
	r, err := rebalanceSection(ctx, rc)
	if err != nil {
		t.Fatal(err)
	}
	if h.Title != "9. The hedge quote" || len(h.Charts) != 1 || len(h.Charts[0].Series) != 2 || len(h.Charts[0].X) != 13 || len(h.Tables[0].Rows) != 4 {
		t.Errorf("hedge section: %q, %d charts, %d stress rows", h.Title, len(h.Charts), len(h.Tables[0].Rows))
	}
	if r.Title != "10. The rebalance plan" || r.Charts[0].Kind != "bar" || len(r.Charts[0].Series) != 3 || len(r.Tables[0].Rows) != 13 {
		t.Errorf("rebalance section: %q, chart %s with %d series, %d trades", r.Title, r.Charts[0].Kind, len(r.Charts[0].Series), len(r.Tables[0].Rows))
	}
	if len(rc.summary) != 2 || !strings.HasPrefix(rc.summary[0], "Hedge: a put spread 95%/80% on IWM") || !strings.HasPrefix(rc.summary[1], "Plan: 13 trades") {
		t.Errorf("summary lines: %q", rc.summary)
	}
	for _, id := range []string{"price/IWM", "price/^VIX", "fred/DGS3MO", "price/QUAL"} {
		if rc.used[id] == nil {
			t.Errorf("%s is not recorded for the data appendix", id)
		}
	}
	if got := planUSD(-1234567.6); got != "-$1,234,568" {
		t.Errorf("planUSD = %q", got)
	}
}

// BenchmarkRebalanceExample is `ratecycle rebalance` on the examples without the
// process start: parse book and policy, auto regime, prices, plan, risk before/after
// and the policy's hedge quote (catalog files already parsed, as in a running server).
func BenchmarkRebalanceExample(b *testing.B) {
	ctx := context.Background()
	h := history(b)
	book := ExampleBook()
	for b.Loop() {
		p, err := Rebalance(ctx, planCat, RebalanceRequest{Book: book, History: h})
		if err != nil || p.Hedge == nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuoteHedgeAutoBeta is `ratecycle hedge` with the defaults: VIX scaled to
// IWM, DGS3MO, the example book's beta and the four stress windows.
func BenchmarkQuoteHedgeAutoBeta(b *testing.B) {
	ctx := context.Background()
	req := HedgeRequest{Underlying: "IWM", Strategy: "put-spread", PutStrike: 0.95, ShortPut: 0.8, ExpiryDays: 91, Market: DefaultHedgeMarket()}
	for b.Loop() {
		if _, err := QuoteHedge(ctx, planCat, req); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleRebalance() {
	ctx := context.Background()
	p, err := Rebalance(ctx, planCat, RebalanceRequest{}) // the example book and policy, regime auto
	if err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	for _, t := range p.Plan.Trades[:3] {
		fmt.Fprintf(&buf, "%s %s %v\n", t.Side, t.Symbol, t.Quantity)
	}
	fmt.Print(buf.String())
	fmt.Println(p.Regime, p.HedgeSleeve, p.Hedge.Quote.Sizing.Contracts, "contracts")
	// Output:
	// sell IVV 50
	// sell SPY 129
	// sell XLC 77
	// easing small-cap 6 contracts
}
