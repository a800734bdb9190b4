package holdings

import (
	"bytes"
	"fmt"
	"testing"
)

func BenchmarkParseIShares(b *testing.B) {
	data := readFile(b, iwmFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseIShares(bytes.NewReader(data), "IWM_holdings.csv"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseConstituents(b *testing.B) {
	data := readFile(b, spFinFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseConstituents(bytes.NewReader(data), "constituents-financials.csv"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseUserHoldings(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("symbol,quantity,price,market_value,sector,sleeve\n")
	for i := range 2000 {
		fmt.Fprintf(&buf, "S%04d,%d,%d.25,,Industrials,core\n", i, 10+i, 5+i%300)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseUserHoldings(bytes.NewReader(data), "book.csv"); err != nil {
			b.Fatal(err)
		}
	}
}
