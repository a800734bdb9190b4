package rebalance

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// CashSymbol marks the cash row of a holdings file: its market value (or quantity ×
// price) is the book's cash.
const CashSymbol = "CASH"

// ParseHoldings reads a holdings CSV with the header
//
//	symbol,quantity,price,market_value,sector,sleeve
//
// (columns in any order, names case-insensitive; market_value, sector and sleeve may be
// left out or empty). A row whose symbol is CASH (any case) is cash, not a position;
// several add up. Lines starting with # are comments. Errors name the line and column.
// ParseHoldings is given bytes; it opens no file.
func ParseHoldings(data []byte) ([]Position, float64, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, 0, fmt.Errorf("holdings: header: %w", err)
	}
	col := map[string]int{}
	known := []string{"symbol", "quantity", "price", "market_value", "sector", "sleeve"}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		ok := false
		for _, k := range known {
			ok = ok || h == k
		}
		if !ok {
			return nil, 0, fmt.Errorf("holdings: header column %d %q is not one of %s", i+1, h, strings.Join(known, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, 0, fmt.Errorf("holdings: header column %q appears twice", h)
		}
		col[h] = i
	}
	for _, k := range known[:3] {
		if _, ok := col[k]; !ok {
			return nil, 0, fmt.Errorf("holdings: header has no %q column", k)
		}
	}
	var out []Position
	cash := 0.0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("holdings: %w", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			return nil, 0, fmt.Errorf("holdings line %d: %d fields, the header has %d", line, len(rec), len(header))
		}
		field := func(k string) string {
			if i, ok := col[k]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		number := func(k string, optional bool) (float64, error) {
			s := strings.ReplaceAll(field(k), ",", "")
			if s == "" && optional {
				return 0, nil
			}
			x, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return 0, fmt.Errorf("holdings line %d column %q: %q is not a number", line, k, field(k))
			}
			return x, nil
		}
		p := Position{Symbol: field("symbol"), Sector: field("sector"), Sleeve: field("sleeve")}
		if p.Symbol == "" {
			return nil, 0, fmt.Errorf("holdings line %d column \"symbol\": empty", line)
		}
		isCash := strings.EqualFold(p.Symbol, CashSymbol)
		if p.Quantity, err = number("quantity", isCash); err != nil {
			return nil, 0, err
		}
		if p.Price, err = number("price", isCash); err != nil {
			return nil, 0, err
		}
		if p.MarketValue, err = number("market_value", true); err != nil {
			return nil, 0, err
		}
		if isCash {
			v := p.MarketValue
			if v == 0 {
				v = p.Quantity * p.Price
			}
			if v < 0 {
				return nil, 0, fmt.Errorf("holdings line %d: cash %v is negative", line, v)
			}
			cash += v
			continue
		}
		if p.Quantity < 0 {
			return nil, 0, fmt.Errorf("holdings line %d column \"quantity\": %v is negative (short positions are not supported)", line, p.Quantity)
		}
		if p.Price <= 0 {
			return nil, 0, fmt.Errorf("holdings line %d column \"price\": %v is not a positive price", line, p.Price)
		}
		out = append(out, p)
	}
	return out, cash, nil
}
