package holdings_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/ratecycle/ratecycle/source/holdings"
)

// Parse the iShares Russell 2000 (IWM) holdings, keep the stocks apart from cash and
// futures, and renormalise their weights over the stocks alone.
func ExampleParseIShares() {
	const path = "../../snapshot/data/ishares-holdings/IWM_holdings.csv"
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	fund, err := holdings.ParseIShares(f, path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s as of %s: %d equities, %d other lines\n",
		fund.Name, fund.AsOf, len(fund.Equities()), len(fund.NonEquity()))
	for _, h := range fund.NonEquity() {
		fmt.Printf("  %-27s %-6s %6.2f%%\n", h.AssetClass, h.Ticker, 100*h.Weight)
	}
	ew := fund.EquityWeights()
	fmt.Printf("equities are %.2f%% of the fund by %s; weights scaled by %.4f\n",
		100*ew.EquityShare, ew.Basis, ew.Factor)
	for _, h := range ew.Holdings[:3] {
		fmt.Printf("  %-5s %.4f%%\n", h.Ticker, 100*h.Weight)
	}
	// Output:
	// iShares Russell 2000 ETF as of 2026-05-05: 1924 equities, 5 other lines
	//   Money Market                XTSLA    0.39%
	//   Cash                        USD      0.09%
	//   Cash Collateral and Margins MSFUT    0.03%
	//   Cash                        CAD      0.00%
	//   Futures                     RTYM6    0.00%
	// equities are 99.49% of the fund by market value; weights scaled by 1.0051
	//   BE    1.9418%
	//   CRDO  0.9400%
	//   STRL  0.7236%
}

// A user's own book: price or market value per row, sector and sleeve optional.
func ExampleParseUserHoldings() {
	const book = `symbol,quantity,price,market_value,sector,sleeve
IWM,1200,221.40,,,core
XLF,,,"52,000",Financials,satellite
`
	positions, err := holdings.ParseUserHoldings(strings.NewReader(book), "book.csv")
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range positions {
		fmt.Printf("%s %g shares, value %.2f, sleeve %q\n", p.Symbol, p.Quantity, p.MarketValue, p.Sleeve)
	}
	_, err = holdings.ParseUserHoldings(strings.NewReader("symbol,quantity,price\nIWM,-5,221.40\n"), "book.csv")
	fmt.Println(err)
	// Output:
	// IWM 1200 shares, value 265680.00, sleeve "core"
	// XLF NaN shares, value 52000.00, sleeve "satellite"
	// parse book.csv line 2 field "quantity": IWM: negative quantity -5 (short positions are not supported)
}
