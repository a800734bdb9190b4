package rebalance

import (
	"bytes"
	"math"
	"strings"

	"github.com/ratecycle/ratecycle/source"
	"github.com/ratecycle/ratecycle/source/holdings"
)

// CashSymbol marks the cash row of a holdings file: its market value (or quantity ×
// price) is the book's cash.
const CashSymbol = "CASH"

// holdingsFile names the input in ParseHoldings' errors, which is given bytes only.
const holdingsFile = "holdings"

// ParseHoldings reads a holdings CSV in the user book format of
// holdings.ParseUserHoldings, the one parser of that format,
//
//	symbol,quantity,price,market_value,sector,sleeve
//
// (columns in any order, names case-insensitive; market_value, sector and sleeve may be
// left out or empty; symbols are upper-cased) and splits it into positions and cash: a
// row whose symbol is CASH (any case) is cash, its market value (or quantity × price).
// Lines starting with # are comments. Every other row needs a quantity and a price: a
// row with a market value only needs a price from elsewhere (engine.ParseBook looks it up
// in the catalog). Errors are *source.ParseError values for the file "holdings" naming the
// line and column; they wrap source.ErrBadInput. ParseHoldings is given bytes; it opens no
// file.
func ParseHoldings(data []byte) ([]Position, float64, error) {
	book, err := holdings.ParseUserHoldings(bytes.NewReader(data), holdingsFile)
	if err != nil {
		return nil, 0, err
	}
	var out []Position
	cash := 0.0
	for _, p := range book {
		if strings.EqualFold(p.Symbol, CashSymbol) {
			cash += p.MarketValue
			continue
		}
		switch {
		case math.IsNaN(p.Quantity):
			return nil, 0, source.Errorf(holdingsFile, p.Line, "quantity", "%s has a market value but no quantity", p.Symbol)
		case math.IsNaN(p.Price):
			return nil, 0, source.Errorf(holdingsFile, p.Line, "price", "%s has no price", p.Symbol)
		}
		out = append(out, Position{
			Symbol: p.Symbol, Quantity: p.Quantity, Price: p.Price, MarketValue: p.MarketValue,
			Sector: p.Sector, Sleeve: p.Sleeve,
		})
	}
	return out, cash, nil
}
