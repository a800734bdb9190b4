package engine_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/engine"
)

// TestMag7OfIVVByHand sums the IVV holdings file's mag7 lines by hand from the raw CSV
// (every field is quoted, so a row splits on `","`), independently of source/holdings:
// the share of the equities' market value, and the file's own rounded weights.
func TestMag7OfIVVByHand(t *testing.T) {
	ctx := context.Background()
	cat := catalog.New(nil)
	b, err := cat.File("ishares-holdings/IVV_holdings.csv")
	if err != nil {
		t.Fatal(err)
	}
	mag7 := map[string]bool{"AAPL": true, "MSFT": true, "NVDA": true, "AMZN": true, "GOOGL": true, "GOOG": true, "META": true, "TSLA": true}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v
	}
	var mvEq, mvMag, mvAll, wMag float64
	var nonEquity []string
	eqLines := 0
	for _, ln := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(ln, `"`) || !strings.HasSuffix(ln, `"`) {
			continue
		}
		f := strings.Split(strings.Trim(ln, `"`), `","`)
		if len(f) != 15 {
			continue // the quoted legal footer
		}
		ticker, class, mv, w := f[0], f[3], num(f[4]), num(f[5])
		mvAll += mv
		if class != "Equity" {
			nonEquity = append(nonEquity, ticker)
			continue
		}
		eqLines++
		mvEq += mv
		if mag7[ticker] {
			mvMag += mv
			wMag += w
		}
	}
	if eqLines != 503 || len(nonEquity) != 5 {
		t.Fatalf("by hand: %d equity lines, non-equity %v; want 503 and 5", eqLines, nonEquity)
	}
	s, err := engine.ConcentrationSnapshot(ctx, cat, "holdings/IVV", engine.ConcentrationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := engine.Concentration(s, nil, engine.ConcentrationOptions{})
	g, ok := r.A.Group("mag7")
	if !ok {
		t.Fatal("no mag7 group")
	}
	if math.Abs(g.Share-mvMag/mvEq) > 1e-12 {
		t.Errorf("mag7 share of equities %.12f, by hand %.12f", g.Share, mvMag/mvEq)
	}
	if math.Abs(g.FundShare-mvMag/mvAll) > 1e-12 {
		t.Errorf("mag7 share of the fund %.12f, by hand %.12f", g.FundShare, mvMag/mvAll)
	}
	// The file's rounded weights say 32.78% of the fund; market values agree to rounding.
	if math.Abs(wMag-32.78) > 1e-9 || math.Abs(100*g.FundShare-wMag) > 0.01 {
		t.Errorf("file weights sum to %.4f%% (want 32.78), fund share %.4f%%", wMag, 100*g.FundShare)
	}
	// Non-equity lines are apart, never in the equity weights.
	if len(s.Other) != 5 || !s.Renormalised || len(s.Equities) != 503 {
		t.Errorf("other %d, renormalised %v, equities %d", len(s.Other), s.Renormalised, len(s.Equities))
	}
	var sum float64
	for _, h := range s.Equities {
		sum += h.Weight
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("equity weights sum to %v", sum)
	}
	// MANIFEST: top-7 lines (AAPL, NVDA, MSFT, AMZN, META, TSLA, GOOGL) = 31.14% of the fund.
	if math.Abs(100*r.A.TopFundShare-31.14) > 0.01 {
		t.Errorf("top-7 fund share %.4f%%, MANIFEST 31.14%%", 100*r.A.TopFundShare)
	}
}

// TestConstituentsTop7ByHand reproduces the MANIFEST's 38.2% (top-7 share of the
// non-missing market caps, every line as the file gives it) and the share-class
// corrected figure, reading the CSV with encoding/csv rather than source/holdings.
func TestConstituentsTop7ByHand(t *testing.T) {
	ctx := context.Background()
	cat := catalog.New(nil)
	b, err := cat.File("sp500-datahub/constituents-financials.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Symbol" || rows[0][9] != "Market Cap" {
		t.Fatalf("header %v", rows[0])
	}
	type line struct {
		sym string
		cap float64
	}
	var caps []line
	missing := 0
	for _, r := range rows[1:] {
		if r[9] == "" {
			missing++
			continue
		}
		v, err := strconv.ParseFloat(r[9], 64)
		if err != nil {
			t.Fatal(err)
		}
		caps = append(caps, line{r[0], v})
	}
	top7 := func(ls []line) float64 {
		s := append([]line(nil), ls...)
		sort.Slice(s, func(i, j int) bool { return s[i].cap > s[j].cap })
		var all, top float64
		for i, l := range s {
			all += l.cap
			if i < 7 {
				top += l.cap
			}
		}
		return top / all
	}
	asFile := top7(caps)
	if missing != 34 || len(caps) != 469 || math.Abs(asFile-0.382) > 0.0005 {
		t.Fatalf("by hand: %d missing, %d caps, top-7 %.4f; MANIFEST says 34, 469, 38.2%%", missing, len(caps), asFile)
	}
	var once []line // Yahoo's company-wide cap on each class: drop the second class
	for _, l := range caps {
		if l.sym != "GOOG" && l.sym != "FOX" && l.sym != "NWS" {
			once = append(once, l)
		}
	}
	for _, tc := range []struct {
		keep bool
		want float64
		n    int
	}{{true, asFile, 469}, {false, top7(once), 466}} {
		opt := engine.ConcentrationOptions{KeepShareClasses: tc.keep}
		s, err := engine.ConcentrationSnapshot(ctx, cat, "constituents/sp500-financials", opt)
		if err != nil {
			t.Fatal(err)
		}
		r := engine.Concentration(s, nil, opt)
		if math.Abs(r.A.TopShare-tc.want) > 1e-12 || r.A.Holdings != tc.n || s.Lines != 503 {
			t.Errorf("keep classes %v: top-7 %.12f over %d of %d lines, by hand %.12f over %d of 503", tc.keep, r.A.TopShare, r.A.Holdings, s.Lines, tc.want, tc.n)
		}
	}
}

func BenchmarkConcentrationIWM(b *testing.B) {
	ctx := context.Background()
	cat := catalog.New(nil)
	opt := engine.ConcentrationOptions{}
	b.ReportAllocs()
	for b.Loop() {
		s, err := engine.ConcentrationSnapshot(ctx, cat, "holdings/IWM", opt)
		if err != nil {
			b.Fatal(err)
		}
		engine.Concentration(s, nil, opt)
	}
}
