// Package output renders command results as aligned tables, CSV or JSON. Tables are
// for people (aligned columns, a title, notes); CSV and JSON are stable for scripts.
//
// output never computes anything: it is given finished rows and values.
package output

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format is an output format.
type Format string

const (
	Table Format = "table"
	CSV   Format = "csv"
	JSON  Format = "json"
)

// ParseFormat accepts table, csv and json.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Table, CSV, JSON:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q (want table, csv or json)", s)
}

// Tab is a titled table with optional notes printed under it in table format.
type Tab struct {
	Title   string
	Columns []string
	Rows    [][]string
	Notes   []string
	// Right marks columns to right-align (numbers); nil aligns numbers automatically.
	Right []bool
}

// Add appends a row.
func (t *Tab) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// Write renders t in format f; JSON renders jsonValue (or the rows as objects when nil).
func Write(w io.Writer, f Format, t *Tab, jsonValue any) error {
	switch f {
	case JSON:
		if jsonValue == nil {
			jsonValue = t.Objects()
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // "S&P 500", not "S\u0026P 500"
		return enc.Encode(jsonValue)
	case CSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(t.Columns); err != nil {
			return err
		}
		if err := cw.WriteAll(t.Rows); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	default:
		return t.writeText(w)
	}
}

// Objects returns the rows as maps keyed by column name, for JSON: a cell that is a
// plain number (as CSV cells are) becomes a JSON number, an empty cell null, anything
// else (dates, ids, text) a string.
func (t *Tab) Objects() []map[string]any {
	out := make([]map[string]any, 0, len(t.Rows))
	for _, r := range t.Rows {
		m := make(map[string]any, len(t.Columns))
		for j, c := range t.Columns {
			if j >= len(r) {
				continue
			}
			m[c] = jsonCell(r[j])
		}
		out = append(out, m)
	}
	return out
}

func jsonCell(s string) any {
	if s == "" {
		return nil
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) && plainNumber(s) {
		return Num(v)
	}
	return s
}

// plainNumber accepts what strconv.FormatFloat writes (digits, one sign, '.', an
// exponent), not forms like "+3" or "0x1p-2" that ParseFloat also takes.
func plainNumber(s string) bool {
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E':
		case c == '-' && (i == 0 || s[i-1] == 'e' || s[i-1] == 'E'):
		case c == '+' && i > 0 && (s[i-1] == 'e' || s[i-1] == 'E'):
		default:
			return false
		}
	}
	return true
}

func (t *Tab) writeText(w io.Writer) error {
	width := make([]int, len(t.Columns))
	right := make([]bool, len(t.Columns))
	for j, c := range t.Columns {
		width[j] = utf8.RuneCountInString(c)
		right[j] = true
	}
	for _, r := range t.Rows {
		for j := range t.Columns {
			if j >= len(r) {
				continue
			}
			if n := utf8.RuneCountInString(r[j]); n > width[j] {
				width[j] = n
			}
			if r[j] != "" && !numeric(r[j]) {
				right[j] = false
			}
		}
	}
	if t.Right != nil {
		copy(right, t.Right)
	}
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(t.Title + "\n")
	}
	line := func(cells []string) {
		for j := range t.Columns {
			c := ""
			if j < len(cells) {
				c = cells[j]
			}
			pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(c))
			if j > 0 {
				b.WriteString("  ")
			}
			if right[j] {
				b.WriteString(pad + c)
			} else if j < len(t.Columns)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		b.WriteString("\n")
	}
	line(t.Columns)
	seps := make([]string, len(t.Columns))
	for j := range seps {
		seps[j] = strings.Repeat("-", width[j])
	}
	line(seps)
	for _, r := range t.Rows {
		line(r)
	}
	for _, n := range t.Notes {
		b.WriteString(n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func numeric(s string) bool {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "%"), "bp")
	s = strings.TrimPrefix(s, "+")
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// F formats a float with prec decimals; NaN prints as "" (missing).
func F(v float64, prec int) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// Pct formats a decimal as a percentage with prec decimals ("12.34%").
func Pct(v float64, prec int) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v*100, 'f', prec, 64) + "%"
}

// G formats a float with full round-trip precision (for CSV and JSON-like output).
func G(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Num is a float64 that marshals NaN and infinities as JSON null.
type Num float64

// Finite values are formatted exactly as encoding/json formats a float64.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(nil, f, format, -1, 64)
	if format == 'e' {
		// encoding/json writes e-07, not e-07's zero: 1e-07 becomes 1e-7.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}
