package holdings

import (
	"math"
	"strings"
	"testing"
)

func TestParseUserHoldings(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Position
		errLine int
		errFld  string
	}{
		{name: "all columns", in: "symbol,quantity,price,market_value,sector,sleeve\nIWM,100,200,20000,,core\n",
			want: []Position{{Symbol: "IWM", Quantity: 100, Price: 200, MarketValue: 20000, Sleeve: "core", Line: 2}}},
		{name: "value from quantity and price", in: "symbol,quantity,price\niwm,100,200.5\n",
			want: []Position{{Symbol: "IWM", Quantity: 100, Price: 200.5, MarketValue: 20050, Line: 2}}},
		{name: "price from value and quantity", in: "symbol,quantity,market_value\nXLF,10,500\n",
			want: []Position{{Symbol: "XLF", Quantity: 10, Price: 50, MarketValue: 500, Line: 2}}},
		{name: "value only", in: "symbol,market_value,sector\nXLF,\"52,000\",Financials\n",
			want: []Position{{Symbol: "XLF", Quantity: math.NaN(), Price: math.NaN(), MarketValue: 52000, Sector: "Financials", Line: 2}}},
		{name: "free order, case-insensitive header, BOM, spaces", in: "\uFEFF Sleeve ,MARKET_VALUE, Symbol\nhedge, $1000 , tlt \n",
			want: []Position{{Symbol: "TLT", Quantity: math.NaN(), Price: math.NaN(), MarketValue: 1000, Sleeve: "hedge", Line: 2}}},
		{name: "comments and blank lines", in: "# my book\nsymbol,quantity,price\n\n# core\nIWM,1,2\n",
			want: []Position{{Symbol: "IWM", Quantity: 1, Price: 2, MarketValue: 2, Line: 5}}},
		{name: "CRLF", in: "symbol,quantity,price\r\nIWM,1,2\r\nSPY,3,4\r\n",
			want: []Position{{Symbol: "IWM", Quantity: 1, Price: 2, MarketValue: 2, Line: 2}, {Symbol: "SPY", Quantity: 3, Price: 4, MarketValue: 12, Line: 3}}},
		{name: "header only is an empty book", in: "symbol,quantity,price\n", want: nil},

		{name: "empty file", in: "", errLine: 1},
		{name: "unknown column", in: "symbol,qty,price\nIWM,1,2\n", errLine: 1, errFld: "qty"},
		{name: "repeated column", in: "symbol,price,Price\nIWM,1,2\n", errLine: 1, errFld: "Price"},
		{name: "no symbol column", in: "quantity,price\n1,2\n", errLine: 1, errFld: "symbol"},
		{name: "neither price nor value column", in: "symbol,quantity\nIWM,1\n", errLine: 1, errFld: "price"},
		{name: "symbol without price or value", in: "symbol,quantity,price,market_value\nIWM,1,2,\nSPY,10,,\n", errLine: 3, errFld: "price"},
		{name: "dash is not a price", in: "symbol,quantity,price\nIWM,1,-\n", errLine: 2, errFld: "price"},
		{name: "price without quantity", in: "symbol,quantity,price\nIWM,,2\n", errLine: 2, errFld: "quantity"},
		{name: "negative quantity", in: "symbol,quantity,price\nIWM,-5,2\n", errLine: 2, errFld: "quantity"},
		{name: "zero price", in: "symbol,quantity,price\nIWM,5,0\n", errLine: 2, errFld: "price"},
		// Found by FuzzParseUserHoldings: market_value 0 with a quantity derived price 0.
		{name: "zero value gives no price", in: "symbol,quantity,price,market_value\nIWM,5,,0\n", errLine: 2, errFld: "market_value"},
		{name: "zero value and zero quantity", in: "symbol,quantity,market_value\nIWM,0,0\n",
			want: []Position{{Symbol: "IWM", Quantity: 0, Price: math.NaN(), MarketValue: 0, Line: 2}}},
		{name: "negative value", in: "symbol,market_value\nIWM,-5\n", errLine: 2, errFld: "market_value"},
		{name: "duplicate symbol, any case", in: "symbol,quantity,price\nIWM,1,2\nSPY,1,2\niwm,3,4\n", errLine: 4, errFld: "symbol"},
		{name: "empty symbol", in: "symbol,quantity,price\n,1,2\n", errLine: 2, errFld: "symbol"},
		{name: "bad number", in: "symbol,quantity,price\nIWM,1x,2\n", errLine: 2, errFld: "quantity"},
		{name: "value disagrees with quantity*price", in: "symbol,quantity,price,market_value\nIWM,100,200,30000\n", errLine: 2, errFld: "market_value"},
		{name: "short row", in: "symbol,quantity,price,sector\nIWM,1\n", errLine: 2, errFld: "price"},
		{name: "long row", in: "symbol,quantity,price\nIWM,1,2,3\n", errLine: 2},
		{name: "overflow", in: "symbol,quantity,price\nIWM,1e200,1e200\n", errLine: 2, errFld: "market_value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseUserHoldings(strings.NewReader(tc.in), "test.csv")
			if tc.errLine > 0 || tc.errFld != "" {
				checkParseError(t, err, tc.errLine, tc.errFld)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
			for i := range got {
				if !samePosition(got[i], tc.want[i]) {
					t.Errorf("position %d\n got %+v\nwant %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func samePosition(a, b Position) bool {
	eq := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	return a.Symbol == b.Symbol && a.Sector == b.Sector && a.Sleeve == b.Sleeve && a.Line == b.Line &&
		eq(a.Quantity, b.Quantity) && eq(a.Price, b.Price) && eq(a.MarketValue, b.MarketValue)
}
