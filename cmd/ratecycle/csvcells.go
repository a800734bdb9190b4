package main

import (
	"math"
	"strconv"

	"github.com/ratecycle/ratecycle/output"
)

// cellFmt formats the numeric cells of an output.Tab for one output format. Tables (and
// the string rows JSON falls back to when a command passes no JSON value) keep their
// human formatting: percentages, fixed decimals. CSV gets plain numbers a script can
// parse: decimals for returns and weights (0.0123, not 1.23%), full precision, no '+'
// sign, no thousands separators, NaN as an empty cell.
type cellFmt struct{ csv bool }

// cellsFor: CSV and JSON (tables a command hands to output.Write for JSON become
// objects whose plain-number cells are JSON numbers) get plain numbers.
func cellsFor(f output.Format) cellFmt { return cellFmt{csv: f == output.CSV || f == output.JSON} }

// pct is a decimal shown as a percentage with prec decimals in tables and as the
// decimal itself in CSV.
func (c cellFmt) pct(v float64, prec int) string {
	if c.csv {
		return plainNum(v)
	}
	return output.Pct(v, prec)
}

// num is a number with prec decimals in tables and full precision in CSV.
func (c cellFmt) num(v float64, prec int) string {
	if c.csv {
		return plainNum(v)
	}
	return output.F(v, prec)
}

// plainNum is v with round-trip precision: NaN empty, infinities Inf and -Inf.
func plainNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
