// Package shiller parses the datahub.io copy of Robert Shiller's monthly S&P 500
// data (data/data.csv of datasets/s-and-p-500): price, dividend, earnings, CPI, the
// long interest rate, their real values and the cyclically adjusted P/E (PE10, CAPE).
//
// In this file a missing value is written 0.0, not left empty: PE10 is 0.0 before
// 1881, and every column but SP500 is 0.0 after Shiller's own data ends (2023 in the
// embedded copy), because datahub appends SP500-only rows. Parse turns every 0.0 into
// NaN; no Shiller column can truly be zero. Empty cells are NaN too.
//
// shiller never touches the network or the clock, and never panics on bad input: a
// malformed file yields a *source.ParseError naming the file, line and column.
package shiller

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// Column names of the datahub file.
const (
	SP500        = "SP500"
	Dividend     = "Dividend"
	Earnings     = "Earnings"
	CPI          = "Consumer Price Index"
	LongRate     = "Long Interest Rate"
	RealPrice    = "Real Price"
	RealDividend = "Real Dividend"
	RealEarnings = "Real Earnings"
	PE10         = "PE10"
)

// ErrNotFound is wrapped by Table.Series when the file has no such column.
var ErrNotFound = errors.New("not found")

// Table is the parsed file: one row per month, dated on the first of the month as in
// the file, and one value column per header column after Date.
type Table struct {
	File    string
	Dates   []series.Date
	Columns []string    // header names after Date, trimmed
	Cols    [][]float64 // Cols[j][i] is column j on Dates[i]; NaN when missing
}

// Parse reads the datahub Shiller CSV; file names it in errors and provenance. The
// header must start with Date; dates (YYYY-MM-DD) must increase strictly and every
// row must have a value for every column. CRLF and a UTF-8 byte order mark are
// accepted.
func Parse(r io.Reader, file string) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	t := &Table{File: file}
	var (
		lineNo  int
		dateCol string
		fields  [][]byte
	)
	for no, line := range source.Lines(data) {
		lineNo = no
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		fields = source.SplitFields(fields[:0], line)
		if dateCol == "" {
			if !strings.EqualFold(string(fields[0]), "date") {
				return nil, source.Errorf(file, lineNo, string(fields[0]), "header must start with Date")
			}
			dateCol = string(fields[0])
			seen := map[string]bool{}
			for j, f := range fields[1:] {
				name := string(f)
				if name == "" {
					return nil, source.Errorf(file, lineNo, fmt.Sprintf("column %d", j+2), "empty column name in header")
				}
				if seen[name] {
					return nil, source.Errorf(file, lineNo, name, "duplicate column name in header")
				}
				seen[name] = true
				t.Columns = append(t.Columns, name)
			}
			if len(t.Columns) == 0 {
				return nil, source.Errorf(file, lineNo, "", "header has no value columns")
			}
			t.Cols = make([][]float64, len(t.Columns))
			continue
		}
		if len(fields) != len(t.Columns)+1 {
			field := fmt.Sprintf("column %d", len(t.Columns)+2)
			if len(fields) <= len(t.Columns) {
				field = t.Columns[len(fields)-1]
			}
			return nil, source.Errorf(file, lineNo, field, "row has %d fields, header has %d", len(fields), len(t.Columns)+1)
		}
		d, ok := series.ParseDateBytes(fields[0])
		if !ok {
			return nil, source.Errorf(file, lineNo, dateCol, "%q is not a date (want YYYY-MM-DD)", fields[0])
		}
		if n := len(t.Dates); n > 0 && d <= t.Dates[n-1] {
			return nil, source.Errorf(file, lineNo, dateCol, "date %s does not follow %s", d, t.Dates[n-1])
		}
		for j, f := range fields[1:] {
			v := math.NaN()
			if len(f) > 0 {
				x, err := strconv.ParseFloat(string(f), 64)
				if err != nil || math.IsInf(x, 0) {
					return nil, source.Errorf(file, lineNo, t.Columns[j], "%q is not a number", f)
				}
				if x != 0 { // 0.0 is the file's missing marker
					v = x
				}
			}
			t.Cols[j] = append(t.Cols[j], v)
		}
		t.Dates = append(t.Dates, d)
	}
	if dateCol == "" {
		return nil, source.Errorf(file, lineNo, "", "empty file: no header")
	}
	if len(t.Dates) == 0 {
		return nil, source.Errorf(file, lineNo, "", "no rows below the header")
	}
	return t, nil
}

// Series returns one column (exact name, or any case) as a monthly series named after
// the column, dated on the first of each month as in the file, with its own copy of
// the data.
//
// Kind: SP500 and Real Price are KindPrice, Long Interest Rate is KindRate (percent),
// the others KindLevel. Provenance: provider "shiller", source id the column name,
// Lag.PeriodStart true (a row dated 2020-03-01 covers March). Lag.Days is a
// conservative default the catalog may override: 0 for SP500 and the long rate
// (monthly averages of market data, known when the month ends), 30 for CPI and Real
// Price (CPI comes out the following month), 90 for dividends, earnings, their real
// values and PE10 (S&P reports earnings about a quarter late). When SP500 continues
// past the last month with a CPI (datahub's appended rows), the note says so.
func (t *Table) Series(column string) (*series.Series, error) {
	j := t.index(column)
	if j < 0 {
		return nil, fmt.Errorf("shiller %s: no column %q (have %s): %w", t.File, column, strings.Join(t.Columns, ", "), ErrNotFound)
	}
	name := t.Columns[j]
	kind, unit, lag := series.KindLevel, "", 90
	switch name {
	case SP500:
		kind, unit, lag = series.KindPrice, "index points (monthly average of daily closes)", 0
	case RealPrice:
		kind, unit, lag = series.KindPrice, "index points in current dollars", 30
	case LongRate:
		kind, unit, lag = series.KindRate, "percent", 0
	case CPI:
		unit, lag = "index", 30
	case PE10:
		unit = "ratio"
	}
	s := &series.Series{
		Name:   name,
		Kind:   kind,
		Freq:   series.Monthly,
		Dates:  append([]series.Date(nil), t.Dates...),
		Values: append([]float64(nil), t.Cols[j]...),
		Prov: series.Provenance{
			Provider: "shiller",
			SourceID: name,
			File:     t.File,
			Unit:     unit,
			Licence:  "datahub.io core dataset, ODC-PDDL; credit Robert Shiller",
			Lag:      series.Lag{Days: lag, PeriodStart: true, Freq: series.Monthly},
		},
	}
	if name == SP500 {
		if end, ok := t.lastShillerMonth(); ok && end < t.lastValid(j) {
			s.Prov.Note = fmt.Sprintf("Shiller's own data ends %s; later SP500 rows were appended by datahub", end)
		}
	}
	return s, nil
}

func (t *Table) index(column string) int {
	for j, c := range t.Columns {
		if c == column {
			return j
		}
	}
	want := strings.TrimSpace(column)
	for j, c := range t.Columns {
		if strings.EqualFold(c, want) {
			return j
		}
	}
	return -1
}

// lastShillerMonth is the last date with a CPI value: where Shiller's own data ends.
func (t *Table) lastShillerMonth() (series.Date, bool) {
	j := t.index(CPI)
	if j < 0 {
		return series.NoDate, false
	}
	d := t.lastValid(j)
	return d, d != series.NoDate
}

func (t *Table) lastValid(j int) series.Date {
	for i := len(t.Dates) - 1; i >= 0; i-- {
		if !math.IsNaN(t.Cols[j][i]) {
			return t.Dates[i]
		}
	}
	return series.NoDate
}
