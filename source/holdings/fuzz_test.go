package holdings

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/ratecycle/ratecycle/source"
)

// mustBeParseError fails unless err is a *source.ParseError wrapping ErrBadInput.
func mustBeParseError(t *testing.T, err error) {
	t.Helper()
	var pe *source.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, source.ErrBadInput) || pe.File != "fuzz.csv" {
		t.Fatalf("error %v (%T) is not a ParseError for fuzz.csv", err, err)
	}
}

// seedPrefix returns the first n lines of b.
func seedPrefix(b []byte, n int) []byte {
	i := 0
	for ; n > 0 && i < len(b); n-- {
		k := bytes.IndexByte(b[i:], '\n')
		if k < 0 {
			return b
		}
		i += k + 1
	}
	return b[:i]
}

func FuzzParseIShares(f *testing.F) {
	// Prefixes of the real files: the fuzzer minimises every new input it finds, which
	// for a 100 kB seed takes minutes. Run with -fuzzminimizetime 3s on a shared box.
	iwm, ivv := readFile(f, iwmFile), readFile(f, ivvFile)
	f.Add(seedPrefix(ivv, 20))
	f.Add(append(seedPrefix(iwm, 20), iwm[bytes.LastIndex(iwm, []byte("\"RTYM6\"")):]...))
	f.Add([]byte(isharesPreamble + isharesHeader + rowBE + rowUSD + rowFut + footer))
	f.Add([]byte(isharesHeader + rowBE + "\n" + rowFN))
	f.Fuzz(func(t *testing.T, data []byte) {
		fund, err := ParseIShares(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			mustBeParseError(t, err)
			return
		}
		if len(fund.Holdings) == 0 {
			t.Fatal("success without holdings")
		}
		prev := 0
		for _, h := range fund.Holdings {
			if h.Line <= prev || h.AssetClass == "" {
				t.Fatalf("bad row %+v after line %d", h, prev)
			}
			prev = h.Line
			for _, v := range []float64{h.MarketValue, h.Weight, h.Notional, h.Quantity, h.Price} {
				if math.IsInf(v, 0) {
					t.Fatalf("infinite value in %+v", h)
				}
			}
		}
		eq, ne := fund.Equities(), fund.NonEquity()
		if len(eq)+len(ne) != len(fund.Holdings) {
			t.Fatalf("%d equities + %d others != %d", len(eq), len(ne), len(fund.Holdings))
		}
		for _, h := range ne {
			if h.IsEquity() {
				t.Fatalf("equity among NonEquity: %+v", h)
			}
		}
		ew := fund.EquityWeights()
		if len(ew.Holdings) != len(eq) {
			t.Fatalf("EquityWeights has %d holdings, want %d", len(ew.Holdings), len(eq))
		}
	})
}

func FuzzParseConstituents(f *testing.F) {
	f.Add(seedPrefix(readFile(f, spFile), 12))
	f.Add(seedPrefix(readFile(f, spFinFile), 12))
	f.Add([]byte("Symbol,Security,GICS Sector\nBXP,\"BXP, Inc.\",Real Estate\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ParseConstituents(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			mustBeParseError(t, err)
			return
		}
		seen := map[string]bool{}
		prev := 0
		for _, c := range cs {
			if c.Symbol == "" || seen[c.Symbol] || c.Line <= prev || c.CIK < 0 {
				t.Fatalf("bad constituent %+v", c)
			}
			seen[c.Symbol] = true
			prev = c.Line
			if math.IsInf(c.MarketCap, 0) || math.IsInf(c.Price, 0) {
				t.Fatalf("infinite value in %+v", c)
			}
		}
	})
}

func FuzzParseUserHoldings(f *testing.F) {
	f.Add([]byte("symbol,quantity,price,market_value,sector,sleeve\nIWM,100,200,20000,,core\nXLF,,,\"52,000\",Financials,satellite\n"))
	f.Add([]byte("# book\nSymbol,Quantity,Price\r\niwm,1,2\r\n"))
	f.Add([]byte("symbol,market_value\nIWM,-5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		book, err := ParseUserHoldings(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			mustBeParseError(t, err)
			return
		}
		seen := map[string]bool{}
		for _, p := range book {
			if p.Symbol == "" || seen[p.Symbol] || p.Line < 2 {
				t.Fatalf("bad position %+v", p)
			}
			seen[p.Symbol] = true
			if p.Quantity < 0 || p.Price <= 0 || p.MarketValue < 0 || math.IsNaN(p.MarketValue) || math.IsInf(p.MarketValue, 0) {
				t.Fatalf("position breaks the rules: %+v", p)
			}
		}
	})
}
