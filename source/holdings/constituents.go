package holdings

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// Constituent is one S&P 500 member as the datahub files list it. Fields a layout
// does not have are zero (text, CIK), NoDate (DateAdded) or NaN (numbers).
type Constituent struct {
	Symbol      string // as listed: "BRK.B" (with a dot, unlike iShares' "BRKB")
	Name        string // "Security" or "Name"
	Sector      string // GICS sector, e.g. "Industrials"
	SubIndustry string // GICS sub-industry, e.g. "Industrial Conglomerates"
	CIK         int    // SEC central index key; 0 when the layout has none

	// constituents.csv only
	Headquarters string
	DateAdded    series.Date
	Founded      string // free text: "2013 (1888)", "1904/1946/1959"

	// constituents-financials.csv only (values from Yahoo Finance, as in the file)
	Price, PE, EPS        float64
	DividendYield         float64 // decimal as in the file: 0.0175 = 1.75%
	Low52, High52         float64
	MarketCap, EBITDA     float64 // USD; 34 market caps are blank (NaN) in the 2026 snapshot
	PriceSales, PriceBook float64
	SECFilings            string // EDGAR browse URL
	Line                  int    // 1-based line of the record
}

// gicsSectors are the GICS sector names, current and former. constituents-financials
// labels its sub-industry values "Sector"; a value in this set is a sector, any other
// a sub-industry.
var gicsSectors = map[string]bool{
	"communication services": true, "consumer discretionary": true, "consumer staples": true,
	"energy": true, "financials": true, "health care": true, "industrials": true,
	"information technology": true, "materials": true, "real estate": true, "utilities": true,
	"telecommunication services": true, "telecommunications services": true,
}

// ParseConstituents parses either datahub S&P 500 file, telling them apart by header:
//
//   - constituents.csv (from Wikipedia): Symbol, Security, GICS Sector, GICS
//     Sub-Industry, Headquarters Location, Date added, CIK, Founded. LF lines, quoted
//     fields with commas ("Saint Paul, Minnesota").
//   - constituents-financials.csv (Yahoo fundamentals): Symbol, Name, Sector, Price,
//     Price/Earnings, Dividend Yield, Earnings/Share, 52 Week Low, 52 Week High, Market
//     Cap, EBITDA, Price/Sales, Price/Book, SEC Filings. CRLF lines; blank numbers
//     (34 market caps in the 2026 snapshot) become NaN. Its "Sector" column holds GICS
//     sub-industries; they are stored as SubIndustry unless the value is a sector name.
//
// Column order is free and header names are matched case-insensitively. A duplicate
// symbol is an error: it would double-count in any concentration figure.
func ParseConstituents(r io.Reader, file string) ([]Constituent, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, source.Errorf(file, 1, "", "empty file: no header")
		}
		return nil, source.CSVError(file, err)
	}
	header = append([]string(nil), header...) // ReuseRecord would overwrite it
	col := map[string]int{}
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[key]; dup {
			return nil, source.Errorf(file, 1, h, "duplicate column")
		}
		col[key] = i
	}
	at := func(name string) int {
		if i, ok := col[strings.ToLower(name)]; ok {
			return i
		}
		return -1
	}
	wiki := at("GICS Sector") >= 0 || at("Security") >= 0
	fin := at("Market Cap") >= 0
	switch {
	case wiki && fin:
		return nil, source.Errorf(file, 1, "", "header mixes the constituents and constituents-financials layouts")
	case !wiki && !fin:
		return nil, source.Errorf(file, 1, "", "unknown layout: want a \"GICS Sector\" (constituents.csv) or \"Market Cap\" (constituents-financials.csv) column")
	}
	nameCol := "Name"
	if wiki {
		nameCol = "Security"
	}
	for _, req := range []string{"Symbol", nameCol} {
		if at(req) < 0 {
			return nil, source.Errorf(file, 1, req, "missing required column")
		}
	}

	var out []Constituent
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
		get := func(name string) string {
			if i := at(name); i >= 0 {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		c := Constituent{
			Symbol: get("Symbol"), Name: get(nameCol), DateAdded: series.NoDate, Line: line,
			Price: math.NaN(), PE: math.NaN(), EPS: math.NaN(), DividendYield: math.NaN(),
			Low52: math.NaN(), High52: math.NaN(), MarketCap: math.NaN(), EBITDA: math.NaN(),
			PriceSales: math.NaN(), PriceBook: math.NaN(),
		}
		if c.Symbol == "" {
			return nil, source.Errorf(file, line, header[at("Symbol")], "empty symbol")
		}
		if prev, dup := seen[c.Symbol]; dup {
			return nil, source.Errorf(file, line, header[at("Symbol")], "symbol %q already listed on line %d", c.Symbol, prev)
		}
		seen[c.Symbol] = line
		if wiki {
			err = c.wikipedia(get)
		} else {
			err = c.financials(get)
		}
		if err != nil {
			var fe fieldError
			if errors.As(err, &fe) {
				return nil, source.Errorf(file, line, header[at(fe.field)], "%v", fe.err)
			}
			return nil, source.Errorf(file, line, "", "%v", err)
		}
		out = append(out, c)
	}
	return out, nil
}

// fieldError carries the column a value came from up to the caller that knows the line.
type fieldError struct {
	field string
	err   error
}

func (e fieldError) Error() string { return e.field + ": " + e.err.Error() }

func (c *Constituent) wikipedia(get func(string) string) error {
	c.Sector = get("GICS Sector")
	c.SubIndustry = get("GICS Sub-Industry")
	c.Headquarters = get("Headquarters Location")
	c.Founded = get("Founded")
	if s := get("Date added"); s != "" {
		// Older copies append the original date: "1976-08-09 (1957-03-04)".
		if len(s) > 10 && s[10] == ' ' {
			s = s[:10]
		}
		d, err := series.ParseDate(s)
		if err != nil {
			return fieldError{"Date added", err}
		}
		c.DateAdded = d
	}
	if s := get("CIK"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 || n > 9999999999 || s[0] == '+' || s[0] == '-' {
			return fieldError{"CIK", fmt.Errorf("%q is not a CIK (want up to 10 digits)", s)}
		}
		c.CIK = n
	}
	return nil
}

func (c *Constituent) financials(get func(string) string) error {
	if s := get("Sector"); gicsSectors[strings.ToLower(s)] {
		c.Sector = s
	} else {
		c.SubIndustry = s
	}
	c.SECFilings = get("SEC Filings")
	for _, n := range []struct {
		col string
		dst *float64
	}{
		{"Price", &c.Price}, {"Price/Earnings", &c.PE}, {"Dividend Yield", &c.DividendYield},
		{"Earnings/Share", &c.EPS}, {"52 Week Low", &c.Low52}, {"52 Week High", &c.High52},
		{"Market Cap", &c.MarketCap}, {"EBITDA", &c.EBITDA}, {"Price/Sales", &c.PriceSales},
		{"Price/Book", &c.PriceBook},
	} {
		v, err := parseNumber(get(n.col))
		if err != nil {
			return fieldError{n.col, err}
		}
		*n.dst = v
	}
	return nil
}

// skipBOM returns r without a leading UTF-8 byte-order mark (Excel writes one).
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(len(bom)); err == nil && string(b) == bom {
		br.Discard(len(bom))
	}
	return br
}
