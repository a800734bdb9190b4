package holdings

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

const (
	iwmFile = "../../snapshot/data/ishares-holdings/IWM_holdings.csv"
	ivvFile = "../../snapshot/data/ishares-holdings/IVV_holdings.csv"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseFund(t *testing.T, path string) *Fund {
	t.Helper()
	f, err := ParseIShares(strings.NewReader(string(readFile(t, path))), path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// The figures below are those of ../../snapshot/data/MANIFEST.md (ishares-holdings)
// and ../../snapshot/data/sec/MANIFEST.md, which counted them independently.
func TestParseISharesIWM(t *testing.T) {
	f := parseFund(t, iwmFile)
	if f.Name != "iShares Russell 2000 ETF" {
		t.Errorf("Name = %q", f.Name)
	}
	if f.AsOf != series.MustDate("2026-05-05") || f.Inception != series.MustDate("2000-05-22") {
		t.Errorf("AsOf, Inception = %s, %s", f.AsOf, f.Inception)
	}
	if f.SharesOutstanding != 278_750_000 {
		t.Errorf("SharesOutstanding = %g", f.SharesOutstanding)
	}
	eq := f.Equities()
	if len(eq) != 1924 {
		t.Errorf("equity rows = %d, MANIFEST says 1,924", len(eq))
	}
	unique := map[string]bool{}
	dashes := 0
	for _, h := range eq {
		if h.Ticker == "" {
			dashes++
			continue
		}
		unique[h.Ticker] = true
	}
	if dashes != 3 || len(unique) != 1920 {
		t.Errorf("%d \"-\" tickers and %d unique tickers; sec/MANIFEST says 3 and 1,920", dashes, len(unique))
	}
	classes := map[string]int{}
	for _, h := range f.NonEquity() {
		classes[h.AssetClass]++
		if h.IsEquity() {
			t.Errorf("NonEquity returned equity %+v", h)
		}
	}
	want := map[string]int{"Cash": 2, "Money Market": 1, "Cash Collateral and Margins": 1, "Futures": 1}
	for k, n := range want {
		if classes[k] != n {
			t.Errorf("%d %q rows, want %d", classes[k], k, n)
		}
	}
	if len(eq)+len(f.NonEquity()) != len(f.Holdings) {
		t.Errorf("equities %d + non-equity %d != %d rows", len(eq), len(f.NonEquity()), len(f.Holdings))
	}

	first := f.Holdings[0]
	wantFirst := Holding{Ticker: "BE", Name: "BLOOM ENERGY CLASS A CORP", Sector: "Industrials",
		AssetClass: "Equity", MarketValue: 1532594919.50, Weight: 0.0193, Notional: 1532594919.50,
		Quantity: 5190838, Price: 295.25, Location: "United States", Exchange: "NYSE", Currency: "USD", Line: 11}
	if !near(first.Weight, wantFirst.Weight, 1e-15) {
		t.Errorf("first weight %g, want %g", first.Weight, wantFirst.Weight)
	}
	first.Weight = wantFirst.Weight
	if first != wantFirst {
		t.Errorf("first row\n got %+v\nwant %+v", first, wantFirst)
	}

	var fut Holding
	for _, h := range f.Holdings {
		if h.AssetClass == "Futures" {
			fut = h
		}
	}
	// A futures line has no market value but a notional exposure; it must not be an
	// equity and must not dilute the equity weights.
	if fut.Ticker != "RTYM6" || fut.MarketValue != 0 || fut.Notional != 285_004_710 || fut.Location != "" || fut.Line != 1939 {
		t.Errorf("futures row = %+v", fut)
	}
}

func TestParseISharesIVVTop7(t *testing.T) {
	f := parseFund(t, ivvFile)
	if f.AsOf != series.MustDate("2024-12-06") {
		t.Errorf("AsOf = %s", f.AsOf)
	}
	if n := len(f.Equities()); n != 503 {
		t.Errorf("%d equities, MANIFEST says 503", n)
	}
	w := map[string]float64{}
	for _, h := range f.Equities() {
		w[h.Ticker] = h.Weight
	}
	top7 := 0.0
	for _, tk := range []string{"AAPL", "NVDA", "MSFT", "AMZN", "META", "TSLA", "GOOGL"} {
		top7 += w[tk]
	}
	if !near(top7, 0.3114, 1e-9) {
		t.Errorf("top-7 weight = %.6f, MANIFEST says 31.14%%", top7)
	}
	if !near(w["GOOG"], 0.0164, 1e-12) {
		t.Errorf("GOOG weight = %g, MANIFEST says 1.64%%", w["GOOG"])
	}
	if _, ok := w["BRKB"]; !ok {
		t.Error("BRKB (no dot) missing")
	}
}

func TestEquityWeights(t *testing.T) {
	f := parseFund(t, iwmFile)
	before := f.Holdings[0].Weight
	ew := f.EquityWeights()
	if ew.Basis != "market value" || len(ew.Holdings) != 1924 {
		t.Fatalf("basis %q with %d holdings", ew.Basis, len(ew.Holdings))
	}
	sum := 0.0
	for _, h := range ew.Holdings {
		sum += h.Weight
	}
	if !near(sum, 1, 1e-12) {
		t.Errorf("renormalised weights sum to %.15f", sum)
	}
	// 78,927,356,668.10 of 79,332,456,869.53 in equities (Python sum of the file's column).
	if !near(ew.EquityShare, 0.9948936385, 1e-9) || !near(ew.Factor*ew.EquityShare, 1, 1e-15) {
		t.Errorf("EquityShare %.10f Factor %.10f", ew.EquityShare, ew.Factor)
	}
	// The fund's own holdings are left untouched.
	if f.Holdings[0].Weight != before {
		t.Errorf("EquityWeights changed the fund: %g", f.Holdings[0].Weight)
	}

	// Without market values the file's weights are rescaled instead.
	g := &Fund{Holdings: []Holding{
		{Ticker: "A", AssetClass: "Equity", MarketValue: math.NaN(), Weight: 0.60},
		{Ticker: "B", AssetClass: "Equity", MarketValue: 10, Weight: 0.30},
		{Ticker: "USD", AssetClass: "Cash", MarketValue: 1, Weight: 0.10},
	}}
	ew = g.EquityWeights()
	if ew.Basis != "weight" || !near(ew.EquityShare, 0.9, 1e-15) || !near(ew.Holdings[0].Weight, 2.0/3, 1e-15) {
		t.Errorf("weight basis: %+v", ew)
	}
	empty := (&Fund{}).EquityWeights()
	if !math.IsNaN(empty.Factor) || len(empty.Holdings) != 0 {
		t.Errorf("empty fund: %+v", empty)
	}
}

const isharesHeader = "Ticker,Name,Sector,Asset Class,Market Value,Weight (%),Notional Value,Quantity,Price,Location,Exchange,Currency,FX Rate,Market Currency,Accrual Date\n"

const isharesPreamble = "\uFEFFiShares Russell 2000 ETF\n" +
	"Fund Holdings as of,\"May 05, 2026\"\n" +
	"Inception Date,\"May 22, 2000\"\n" +
	"Shares Outstanding,\"278,750,000.00\"\n" +
	"Stock,\"-\"\n" +
	"\u00a0\n"

const (
	rowBE  = `"BE","BLOOM ENERGY CLASS A CORP","Industrials","Equity","1,532,594,919.50","1.93","1,532,594,919.50","5,190,838.00","295.25","United States","NYSE","USD","1.00","USD","-"` + "\n"
	rowFN  = `"FN","FABRINET","Information Technology","Equity","566,590,217.28","0.71","566,590,217.28","858,054.00","660.32","United States","NYSE","USD","1.00","USD","-"` + "\n"
	rowUSD = `"USD","USD CASH","Cash and/or Derivatives","Cash","68,187,634.10","0.09","68,187,634.10","68,187,634.00","100.00","United States","-","USD","1.00","USD","-"` + "\n"
	rowFut = `"RTYM6","RUSSELL 2000 EMINI CME JUN 26","Cash and/or Derivatives","Futures","0.00","0.00","285,004,710.00","1,998.00","2,852.90","-","Chicago Mercantile Exchange","USD","1.00","USD","-"` + "\n"
	footer = "\u00a0\n\"The content contained herein is owned or licensed by BlackRock, Inc. Accordingly, you\nHoldings subject to change.\nThe Funds are distributed by BlackRock Investments, LLC (together with its affiliates).\n©2023 BlackRock, Inc or its affiliates. All rights reserved.\""
)

func TestParseISharesQuirks(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		rows    int
		check   func(t *testing.T, f *Fund)
		errLine int    // expected error line when > 0
		errFld  string // expected error field
	}{
		{name: "real layout with footer", in: isharesPreamble + isharesHeader + rowBE + rowUSD + rowFut + footer, rows: 3},
		{name: "no BOM, no preamble", in: isharesHeader + rowBE, rows: 1,
			check: func(t *testing.T, f *Fund) {
				if f.AsOf != series.NoDate || !math.IsNaN(f.SharesOutstanding) {
					t.Errorf("AsOf %s SharesOutstanding %g", f.AsOf, f.SharesOutstanding)
				}
			}},
		{name: "CRLF lines", in: strings.ReplaceAll(isharesPreamble+isharesHeader+rowBE+rowFN+footer, "\n", "\r\n"), rows: 2,
			check: func(t *testing.T, f *Fund) {
				if f.Holdings[1].Line != 9 || f.Holdings[1].Ticker != "FN" || f.AsOf != series.MustDate("2026-05-05") {
					t.Errorf("%+v", f.Holdings[1])
				}
			}},
		{name: "older Shares column", in: strings.Replace(isharesHeader, "Quantity", "Shares", 1) + rowBE, rows: 1,
			check: func(t *testing.T, f *Fund) {
				if f.Holdings[0].Quantity != 5190838 {
					t.Errorf("Quantity %g", f.Holdings[0].Quantity)
				}
			}},
		{name: "dash means n/a", in: isharesHeader + `"-","ARCELLX INC Prvt","Health Care","Equity","65,585.87","-","65,585.87","-","-","United States","-","USD","1.00","USD","-"` + "\n", rows: 1,
			check: func(t *testing.T, f *Fund) {
				h := f.Holdings[0]
				if h.Ticker != "" || h.Exchange != "" || !math.IsNaN(h.Weight) || !math.IsNaN(h.Quantity) || h.MarketValue != 65585.87 {
					t.Errorf("%+v", h)
				}
			}},
		{name: "weights are decimals", in: isharesHeader + rowBE, rows: 1,
			check: func(t *testing.T, f *Fund) {
				if !near(f.Holdings[0].Weight, 0.0193, 1e-15) {
					t.Errorf("Weight %g", f.Holdings[0].Weight)
				}
			}},
		{name: "negative in parentheses", in: isharesHeader + strings.Replace(rowUSD, `"68,187,634.10"`, `"(68,187,634.10)"`, 1), rows: 1,
			check: func(t *testing.T, f *Fund) {
				if f.Holdings[0].MarketValue != -68187634.10 {
					t.Errorf("MarketValue %g", f.Holdings[0].MarketValue)
				}
			}},
		{name: "unquoted cells and trailing blank line", in: isharesHeader + "ZZ,ZED,Energy,Equity,100,0.5,100,10,10,US,NYSE,USD,1,USD,-\n\n", rows: 1},
		{name: "footer prose without separator", in: isharesHeader + rowBE + "Holdings subject to change.\n", rows: 1},
		{name: "quoted header cells", in: `"Ticker","Name","Asset Class","Market Value","Weight (%)"` + "\n" + `"A","A INC","Equity","1","2"` + "\n", rows: 1},

		{name: "no header", in: isharesPreamble + rowBE, errFld: "Ticker"},
		{name: "header only", in: isharesPreamble + isharesHeader + footer, errLine: 8},
		{name: "missing required column", in: strings.Replace(isharesHeader, "Asset Class", "Class", 1) + rowBE, errLine: 1, errFld: "Asset Class"},
		{name: "Quantity and Shares both", in: strings.Replace(isharesHeader, "Price", "Shares", 1) + rowBE, errLine: 1, errFld: "Shares"},
		{name: "bad number mid-table", in: isharesPreamble + isharesHeader + rowBE + strings.Replace(rowFN, `"660.32"`, `"660.3x"`, 1) + rowUSD + footer, errLine: 9, errFld: "Price"},
		{name: "misplaced thousands separator", in: isharesHeader + strings.Replace(rowBE, `"5,190,838.00"`, `"51,90,838.00"`, 1), errLine: 2, errFld: "Quantity"},
		{name: "Inf is not a number", in: isharesHeader + strings.Replace(rowBE, `"295.25"`, `"Inf"`, 1), errLine: 2, errFld: "Price"},
		{name: "short row", in: isharesHeader + `"BE","BLOOM","Industrials","Equity","1.00"` + "\n", errLine: 2, errFld: "Weight (%)"},
		{name: "unterminated quote in row", in: isharesHeader + rowBE + `"FN","FABRINET,"Information Technology"` + "\n", errLine: 3},
		{name: "empty asset class", in: isharesHeader + strings.Replace(rowBE, `"Equity"`, `""`, 1), errLine: 2, errFld: "Asset Class"},
		{name: "blank line then more rows", in: isharesHeader + rowBE + "\n" + rowFN, errLine: 3},
		{name: "bad as-of date", in: "Fund Holdings as of,\"May 35, 2026\"\n" + isharesHeader + rowBE, errLine: 1, errFld: "Fund Holdings as of"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseIShares(strings.NewReader(tc.in), "test.csv")
			if tc.errLine > 0 || tc.errFld != "" {
				checkParseError(t, err, tc.errLine, tc.errFld)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Holdings) != tc.rows {
				t.Fatalf("%d rows, want %d", len(f.Holdings), tc.rows)
			}
			if tc.check != nil {
				tc.check(t, f)
			}
		})
	}
}

// checkParseError asserts err is a *source.ParseError for file test.csv at the given
// line (when > 0) and field (when not empty), and wraps source.ErrBadInput.
func checkParseError(t *testing.T, err error, line int, field string) {
	t.Helper()
	var pe *source.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want *source.ParseError", err, err)
	}
	if !errors.Is(err, source.ErrBadInput) || pe.File != "test.csv" {
		t.Errorf("error %v: not ErrBadInput or wrong file", err)
	}
	if line > 0 && pe.Line != line {
		t.Errorf("error %v: line %d, want %d", err, pe.Line, line)
	}
	if field != "" && pe.Field != field {
		t.Errorf("error %v: field %q, want %q", err, pe.Field, field)
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		bad  bool
	}{
		{"1,532,594,919.50", 1532594919.50, false},
		{"0.00", 0, false},
		{"-1,234.5", -1234.5, false},
		{"(1,234.5)", -1234.5, false},
		{"$12", 12, false},
		{"1e3", 1000, false},
		{".5", 0.5, false},
		{"-", math.NaN(), false},
		{"", math.NaN(), false},
		{" 7 ", 7, false},
		{"1,5", 0, true},
		{"1234,567", 0, true},
		{"1.2,3", 0, true},
		{"NaN", 0, true},
		{"inf", 0, true},
		{"0x1p3", 0, true},
		{"1e999", 0, true},
		{"-(1)", 0, true},
		{"(-1)", 0, true},
		{"+1", 0, true},
		{"$", 0, true},
		{"12abc", 0, true},
	}
	for _, tc := range tests {
		got, err := parseNumber(tc.in)
		switch {
		case tc.bad && err == nil:
			t.Errorf("parseNumber(%q) = %g, want an error", tc.in, got)
		case !tc.bad && err != nil:
			t.Errorf("parseNumber(%q): %v", tc.in, err)
		case !tc.bad && !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)):
			t.Errorf("parseNumber(%q) = %g, want %g", tc.in, got, tc.want)
		}
	}
}

func TestSplitCSVLine(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  error
	}{
		{`a,b,,c`, []string{"a", "b", "", "c"}, nil},
		{`"a,1","b""q"""`, []string{"a,1", `b"q"`}, nil},
		{`"",x`, []string{"", "x"}, nil},
		{``, []string{""}, nil},
		{`a,`, []string{"a", ""}, nil},
		{`"a`, nil, errUnterminated},
		{`"a"b`, nil, errAfterQuote},
	}
	for _, tc := range tests {
		got, err := splitCSVLine(tc.in, nil)
		if err != tc.err {
			t.Errorf("splitCSVLine(%q) error %v, want %v", tc.in, err, tc.err)
			continue
		}
		if err == nil && strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) && err == nil {
			t.Errorf("splitCSVLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
