package holdings

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// Fund is one iShares holdings file: the preamble and the holdings table.
type Fund struct {
	Name              string      // first preamble line, e.g. "iShares Russell 2000 ETF"
	AsOf              series.Date // "Fund Holdings as of"; NoDate when the file does not say
	Inception         series.Date // "Inception Date"; NoDate when absent
	SharesOutstanding float64     // NaN when absent or "-"
	Holdings          []Holding   // every row, in file order, cash and futures included
}

// Holding is one row of an iShares holdings table.
//
// Weight is a decimal fraction of the fund's net assets (the file's "Weight (%)"
// divided by 100), rounded by iShares to 0.0001; small holdings therefore show 0.
// Missing numbers ("-") are NaN; missing text ("-") is "". The tickers "-" of
// unlisted lines become "".
type Holding struct {
	Ticker, Name, Sector, AssetClass string
	MarketValue                      float64 // in the fund's currency (USD for IWM, IVV)
	Weight                           float64 // decimal, 0.0715 = 7.15%
	Notional                         float64 // "Notional Value": exposure; differs from MarketValue for futures
	Quantity                         float64 // "Quantity" (newer files) or "Shares" (older files)
	Price                            float64
	Location, Exchange, Currency     string
	Line                             int // 1-based line in the file
}

// AssetEquity is the asset class of stock holdings.
const AssetEquity = "Equity"

// IsEquity reports whether h is a stock holding (asset class "Equity").
func (h Holding) IsEquity() bool { return strings.EqualFold(h.AssetClass, AssetEquity) }

// Equities returns the stock holdings in file order.
func (f *Fund) Equities() []Holding {
	var out []Holding
	for _, h := range f.Holdings {
		if h.IsEquity() {
			out = append(out, h)
		}
	}
	return out
}

// NonEquity returns every holding that is not a stock: cash, money-market funds, cash
// collateral and margins, futures and any asset class iShares adds later.
func (f *Fund) NonEquity() []Holding {
	var out []Holding
	for _, h := range f.Holdings {
		if !h.IsEquity() {
			out = append(out, h)
		}
	}
	return out
}

// EquityWeights is the equity sleeve of a fund with weights renormalised to sum to 1.
type EquityWeights struct {
	// Holdings are the equity rows in file order; Weight is the renormalised decimal
	// weight within the equities (the weights sum to 1).
	Holdings []Holding
	// Basis says what the weights were computed from: "market value" (exact, the
	// default) or "weight" (the file's rounded weights, used when a market value is
	// missing).
	Basis string
	// EquityShare is the equities' share of the fund on that basis (IWM May 2026:
	// 0.9949; the rest is cash, money market and collateral).
	EquityShare float64
	// Factor is the renormalisation factor, 1/EquityShare: a fund-level weight times
	// Factor is the weight within the equities.
	Factor float64
}

// EquityWeights renormalises the equity weights over the equities alone.
//
// Market values are used when every equity has one and the fund's total is positive:
// the file's weights are rounded to 0.01 percent, which for a 2,000-stock fund such as
// IWM loses most of the information. Otherwise the file's weights are rescaled.
// Futures carry no market value (their exposure is Notional) and so do not dilute
// the equity share.
func (f *Fund) EquityWeights() EquityWeights {
	eq := f.Equities()
	var mvAll, mvEq, wEq float64
	mvOK := len(eq) > 0
	for _, h := range f.Holdings {
		if !math.IsNaN(h.MarketValue) {
			mvAll += h.MarketValue
		}
		if h.IsEquity() {
			if math.IsNaN(h.MarketValue) {
				mvOK = false
			} else {
				mvEq += h.MarketValue
			}
			if !math.IsNaN(h.Weight) {
				wEq += h.Weight
			}
		}
	}
	out := EquityWeights{Holdings: eq}
	var total, share float64
	if mvOK && mvEq > 0 && mvAll > 0 {
		out.Basis = "market value"
		total, share = mvEq, mvEq/mvAll
		for i := range eq {
			eq[i].Weight = eq[i].MarketValue / total
		}
	} else {
		out.Basis = "weight"
		total = wEq
		share = wEq // the file's weights are already fractions of the fund
		for i := range eq {
			if total > 0 {
				eq[i].Weight /= total // NaN weights stay NaN
			} else {
				eq[i].Weight = math.NaN()
			}
		}
	}
	out.EquityShare, out.Factor = share, 1/share
	if total <= 0 {
		out.EquityShare, out.Factor = math.NaN(), math.NaN()
	}
	return out
}

// holdings table columns. Names are matched case-insensitively after trimming.
const (
	colTicker   = "Ticker"
	colName     = "Name"
	colSector   = "Sector"
	colClass    = "Asset Class"
	colMV       = "Market Value"
	colWeight   = "Weight (%)"
	colNotional = "Notional Value"
	colQuantity = "Quantity"
	colShares   = "Shares"
	colPrice    = "Price"
	colLocation = "Location"
	colExchange = "Exchange"
	colCurrency = "Currency"
)

// ParseIShares parses an iShares holdings CSV as downloaded from ishares.com.
//
// The layout: a UTF-8 byte-order mark; preamble lines (fund name, `Fund Holdings as
// of,"May 05, 2026"`, inception date, shares outstanding, ...); the header line, found
// by its first cell "Ticker"; one fully quoted row per holding with thousands
// separators and "-" for n/a; then a line holding a lone U+00A0 and a multi-line legal
// footer. The holdings end at the first line that is not a row (blank, U+00A0-only,
// or a single cell of prose). A malformed row before that is an error naming its line
// and column, and so is a non-row line followed later by more holdings rows: a table
// is never cut short silently.
//
// Both "Quantity" and the older "Shares" column are accepted. Columns this parser does
// not use (FX Rate, Market Currency, Accrual Date, ISIN, ...) are ignored.
func ParseIShares(r io.Reader, file string) (*Fund, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &source.ParseError{File: file, Err: err}
	}
	lines := splitLines(strings.TrimPrefix(string(data), bom))
	f := &Fund{AsOf: series.NoDate, Inception: series.NoDate, SharesOutstanding: math.NaN()}

	var cells []string
	hdr := -1
	for i, line := range lines {
		cells, err = splitCSVLine(line, cells)
		if err != nil || len(cells) == 0 {
			continue // preamble lines are loose; only the keys below are checked
		}
		key := strings.TrimSpace(cells[0])
		if strings.EqualFold(key, colTicker) {
			hdr = i
			break
		}
		if err := f.preamble(file, i+1, i == 0, key, cells); err != nil {
			return nil, err
		}
	}
	if hdr < 0 {
		return nil, source.Errorf(file, 0, colTicker, "no header line starting with %q", colTicker)
	}
	cols, err := holdingColumns(file, hdr+1, lines[hdr])
	if err != nil {
		return nil, err
	}

	end := len(lines)
	for i := hdr + 1; i < len(lines); i++ {
		line := lines[i]
		if isBlank(line) {
			end = i
			break
		}
		cells, err = splitCSVLine(line, cells)
		if err == nil && len(cells) == 1 {
			end = i // a cell of prose: the footer started without its separator line
			break
		}
		if err != nil {
			return nil, source.Errorf(file, i+1, "", "holdings row: %v", err)
		}
		h, err := cols.holding(file, i+1, cells)
		if err != nil {
			return nil, err
		}
		f.Holdings = append(f.Holdings, h)
	}
	// Nothing after the end of the table may look like a holdings row.
	for j := end + 1; j < len(lines); j++ {
		cells, err = splitCSVLine(lines[j], cells)
		if err != nil || len(cells) != cols.n {
			continue
		}
		if _, err := cols.holding(file, j+1, cells); err == nil {
			return nil, source.Errorf(file, end+1, "", "line is not a holdings row, yet holdings rows follow (line %d)", j+1)
		}
	}
	if len(f.Holdings) == 0 {
		return nil, source.Errorf(file, hdr+2, "", "no holdings rows after the header")
	}
	return f, nil
}

// preamble reads one line above the header.
func (f *Fund) preamble(file string, line int, first bool, key string, cells []string) error {
	val := ""
	if len(cells) > 1 {
		val = strings.TrimSpace(cells[1])
	}
	var err error
	switch {
	case first && len(cells) == 1:
		f.Name = key
	case strings.EqualFold(key, "Fund Holdings as of"):
		f.AsOf, err = parseLongDate(val)
	case strings.EqualFold(key, "Inception Date"):
		f.Inception, err = parseLongDate(val)
	case strings.EqualFold(key, "Shares Outstanding"):
		f.SharesOutstanding, err = parseNumber(val)
	}
	if err != nil {
		return source.Errorf(file, line, key, "%v", err)
	}
	return nil
}

// parseLongDate parses iShares dates such as "May 05, 2026"; "-" gives NoDate.
func parseLongDate(s string) (series.Date, error) {
	if isNA(s) {
		return series.NoDate, nil
	}
	t, err := time.Parse("Jan 2, 2006", s)
	if err != nil {
		return series.NoDate, fmt.Errorf("%q is not a date like \"May 05, 2026\"", s)
	}
	return series.FromTime(t), nil
}

// columns maps the header of a holdings table to cell positions (-1 when absent).
type columns struct {
	n                                                           int
	names                                                       []string
	ticker, name, sector, class, mv, weight, notional, quantity int
	price, location, exchange, currency                         int
}

func holdingColumns(file string, line int, header string) (*columns, error) {
	cells, err := splitCSVLine(header, nil)
	if err != nil {
		return nil, source.Errorf(file, line, "", "header: %v", err)
	}
	c := &columns{n: len(cells), names: cells}
	idx := map[string]*int{
		colTicker: &c.ticker, colName: &c.name, colSector: &c.sector, colClass: &c.class,
		colMV: &c.mv, colWeight: &c.weight, colNotional: &c.notional, colQuantity: &c.quantity,
		colShares: &c.quantity, colPrice: &c.price, colLocation: &c.location,
		colExchange: &c.exchange, colCurrency: &c.currency,
	}
	for _, p := range idx {
		*p = -1
	}
	seen := map[string]bool{}
	for i, name := range cells {
		key := strings.ToLower(strings.TrimSpace(name))
		for want, p := range idx {
			if strings.ToLower(want) != key {
				continue
			}
			if *p >= 0 {
				return nil, source.Errorf(file, line, name, "column appears twice (or both Quantity and Shares)")
			}
			*p = i
		}
		if seen[key] {
			return nil, source.Errorf(file, line, name, "duplicate column")
		}
		seen[key] = true
	}
	for _, req := range []struct {
		name string
		at   int
	}{{colTicker, c.ticker}, {colName, c.name}, {colClass, c.class}, {colMV, c.mv}, {colWeight, c.weight}} {
		if req.at < 0 {
			return nil, source.Errorf(file, line, req.name, "missing required column")
		}
	}
	return c, nil
}

// holding converts one row. cells must not be retained.
func (c *columns) holding(file string, line int, cells []string) (Holding, error) {
	if len(cells) != c.n {
		field := ""
		if len(cells) < c.n {
			field = c.names[len(cells)]
		}
		return Holding{}, source.Errorf(file, line, field, "row has %d cells, the header has %d", len(cells), c.n)
	}
	get := func(i int) string {
		if i < 0 {
			return ""
		}
		return cells[i]
	}
	h := Holding{
		Ticker:     text(get(c.ticker)),
		Name:       text(get(c.name)),
		Sector:     text(get(c.sector)),
		AssetClass: text(get(c.class)),
		Location:   text(get(c.location)),
		Exchange:   text(get(c.exchange)),
		Currency:   text(get(c.currency)),
		Line:       line,
	}
	if h.AssetClass == "" {
		return Holding{}, source.Errorf(file, line, c.names[c.class], "empty asset class")
	}
	for _, n := range []struct {
		at  int
		dst *float64
	}{{c.mv, &h.MarketValue}, {c.weight, &h.Weight}, {c.notional, &h.Notional},
		{c.quantity, &h.Quantity}, {c.price, &h.Price}} {
		if n.at < 0 {
			*n.dst = math.NaN()
			continue
		}
		v, err := parseNumber(cells[n.at])
		if err != nil {
			return Holding{}, source.Errorf(file, line, c.names[n.at], "%v", err)
		}
		*n.dst = v
	}
	h.Weight /= 100 // the file gives percent
	return h, nil
}
