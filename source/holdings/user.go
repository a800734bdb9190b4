package holdings

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/ratecycle/ratecycle/source"
)

// Position is one line of a user's own book.
//
// Exactly what the user wrote is kept, then completed: with quantity and price but no
// market value, MarketValue = Quantity*Price; with market value and a positive
// quantity but no price, Price = MarketValue/Quantity. What cannot be derived is NaN.
type Position struct {
	Symbol      string  // upper-cased, trimmed
	Quantity    float64 // shares; NaN when only a market value was given
	Price       float64 // per share, in the book's currency
	MarketValue float64 // in the book's currency
	Sector      string  // optional; "" when not given
	Sleeve      string  // optional grouping ("core", "satellite", "hedge"); "" when not given
	Line        int     // 1-based line in the file
}

// user book columns.
const (
	ucSymbol   = "symbol"
	ucQuantity = "quantity"
	ucPrice    = "price"
	ucValue    = "market_value"
	ucSector   = "sector"
	ucSleeve   = "sleeve"
)

var userColumns = []string{ucSymbol, ucQuantity, ucPrice, ucValue, ucSector, ucSleeve}

// valueTolerance is how far a given market value may differ, relatively, from
// quantity*price before the row is rejected as inconsistent (prices move intraday).
const valueTolerance = 0.01

// ParseUserHoldings parses the CSV in which users write their own book for the
// rebalance command:
//
//	symbol,quantity,price,market_value,sector,sleeve
//	IWM,1200,221.40,,,core
//	XLF,,,"52,000",Financials,satellite
//
// The header is required; its names are case-insensitive and in any order. symbol is
// required, and each row needs a price or a market_value (a price needs a quantity
// with it). sector and sleeve are optional. Blank lines and lines starting with '#'
// are skipped; numbers may have thousands separators and a leading '$'.
//
// Errors name the file, line and column: an unknown or repeated column, an empty or
// duplicate symbol (case-insensitive), a row with neither price nor market_value, a
// negative quantity (short positions are not supported), a non-positive price (given,
// or derived from a market value that is zero for a positive quantity), a negative
// market value, or a market value that disagrees with quantity*price by more than 1%.
func ParseUserHoldings(r io.Reader, file string) ([]Position, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1 // checked below, with a message that names the column
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, source.Errorf(file, 1, "", "empty file: want a header such as %s", strings.Join(userColumns, ","))
	}
	if err != nil {
		return nil, source.CSVError(file, err)
	}
	hline, _ := cr.FieldPos(0)
	col := map[string]int{}
	for _, c := range userColumns {
		col[c] = -1
	}
	names := make([]string, len(header))
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		names[i] = key
		at, known := col[key]
		switch {
		case !known:
			return nil, source.Errorf(file, hline, h, "unknown column (want %s)", strings.Join(userColumns, ", "))
		case at >= 0:
			return nil, source.Errorf(file, hline, h, "column appears twice")
		}
		col[key] = i
	}
	if col[ucSymbol] < 0 {
		return nil, source.Errorf(file, hline, ucSymbol, "missing required column")
	}
	if col[ucPrice] < 0 && col[ucValue] < 0 {
		return nil, source.Errorf(file, hline, ucPrice, "need a price or a market_value column")
	}

	var out []Position
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, source.CSVError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			field := ""
			if len(rec) < len(header) {
				field = names[len(rec)]
			}
			return nil, source.Errorf(file, line, field, "row has %d cells, the header has %d", len(rec), len(header))
		}
		p, err := userPosition(rec, col)
		if err != nil {
			fe := err.(fieldError)
			return nil, source.Errorf(file, line, fe.field, "%v", fe.err)
		}
		p.Line = line
		if prev, dup := seen[p.Symbol]; dup {
			return nil, source.Errorf(file, line, ucSymbol, "symbol %s already on line %d", p.Symbol, prev)
		}
		seen[p.Symbol] = line
		out = append(out, p)
	}
	return out, nil
}

// userPosition converts one row; errors are fieldErrors.
func userPosition(rec []string, col map[string]int) (Position, error) {
	get := func(name string) string {
		if i := col[name]; i >= 0 {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	p := Position{
		Symbol: strings.ToUpper(get(ucSymbol)),
		Sector: get(ucSector),
		Sleeve: get(ucSleeve),
	}
	if p.Symbol == "" {
		return p, fieldError{ucSymbol, fmt.Errorf("empty symbol")}
	}
	for _, n := range []struct {
		name string
		dst  *float64
	}{{ucQuantity, &p.Quantity}, {ucPrice, &p.Price}, {ucValue, &p.MarketValue}} {
		s := get(n.name)
		if s == "-" || strings.EqualFold(s, "n/a") {
			s = "" // a user's "-" means "not given", like an empty cell
		}
		v, err := parseNumber(s)
		if err != nil {
			return p, fieldError{n.name, err}
		}
		*n.dst = v
	}
	q, pr, mv := p.Quantity, p.Price, p.MarketValue
	switch {
	case q < 0:
		return p, fieldError{ucQuantity, fmt.Errorf("%s: negative quantity %g (short positions are not supported)", p.Symbol, q)}
	case pr <= 0:
		return p, fieldError{ucPrice, fmt.Errorf("%s: price %g must be positive", p.Symbol, pr)}
	case mv < 0:
		return p, fieldError{ucValue, fmt.Errorf("%s: negative market_value %g", p.Symbol, mv)}
	case math.IsNaN(pr) && math.IsNaN(mv):
		return p, fieldError{ucPrice, fmt.Errorf("%s has neither a price nor a market_value", p.Symbol)}
	case math.IsNaN(mv) && math.IsNaN(q):
		return p, fieldError{ucQuantity, fmt.Errorf("%s has a price but no quantity (or give market_value)", p.Symbol)}
	}
	switch {
	case math.IsNaN(mv):
		p.MarketValue = q * pr
	case math.IsNaN(pr) && q > 0:
		p.Price = mv / q
		if !(p.Price > 0) { // a zero (or underflowing) market value gives no price
			return p, fieldError{ucValue, fmt.Errorf("%s: market_value %g for %g shares gives no positive price", p.Symbol, mv, q)}
		}
	case !math.IsNaN(pr) && !math.IsNaN(q):
		want := q * pr
		if math.Abs(mv-want) > valueTolerance*math.Max(math.Abs(want), math.Abs(mv))+0.01 {
			return p, fieldError{ucValue, fmt.Errorf("%s: market_value %g disagrees with quantity*price = %g", p.Symbol, mv, want)}
		}
	}
	if math.IsInf(p.MarketValue, 0) {
		return p, fieldError{ucValue, fmt.Errorf("%s: quantity*price overflows", p.Symbol)}
	}
	return p, nil
}
