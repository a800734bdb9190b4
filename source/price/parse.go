package price

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// Parse reads a Stooq or Yahoo daily price CSV; file names it in errors and
// provenance. Lines may end in CRLF and a UTF-8 byte order mark is skipped. Dates
// (YYYY-MM-DD, optionally followed by a time as yfinance writes for tz-aware
// indexes) must increase strictly; a file may change frequency, as Stooq's
// back-extended ^SPX does (monthly rows before 1885, daily after).
func Parse(r io.Reader, file string, opt Options) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	t := &Table{Symbol: opt.Symbol, File: file, RetrievedAt: opt.RetrievedAt}

	var (
		lineNo   int
		header   []string // column names as in the file
		dateIdx  = -1
		target   []int // per file column: index into t.cols(), or -1 to ignore
		fields   [][]byte
		yfHeader bool // yfinance's Price/Ticker/Date header
	)
	cols := t.cols()
	for no, line := range source.Lines(data) {
		lineNo = no
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		fields = source.SplitFields(fields[:0], line)
		if header == nil {
			var err error
			header, dateIdx, target, yfHeader, err = parseHeader(fields, file, lineNo)
			if err != nil {
				return nil, err
			}
			for _, k := range target {
				if k >= 0 {
					*cols[k] = []float64{} // present, even if no row follows
				}
			}
			continue
		}
		if len(fields) != len(header) {
			field := ""
			if len(fields) < len(header) {
				field = header[len(fields)]
			} else {
				field = fmt.Sprintf("column %d", len(header)+1)
			}
			return nil, source.Errorf(file, lineNo, field, "row has %d fields, header has %d", len(fields), len(header))
		}
		if yfHeader && len(t.Dates) == 0 {
			first := string(fields[0])
			if strings.EqualFold(first, "ticker") {
				if t.Symbol == "" && len(fields) > 1 {
					t.Symbol = strings.ToUpper(string(fields[1]))
				}
				continue
			}
			if strings.EqualFold(first, "date") && allEmpty(fields[1:]) {
				continue
			}
		}
		df := fields[dateIdx]
		if len(df) > 10 && (df[10] == ' ' || df[10] == 'T') {
			df = df[:10] // "2024-01-02 00:00:00-05:00": the date is the trading day
		}
		d, ok := series.ParseDateBytes(df)
		if !ok {
			return nil, source.Errorf(file, lineNo, header[dateIdx], "%q is not a date (want YYYY-MM-DD)", fields[dateIdx])
		}
		if n := len(t.Dates); n > 0 && d <= t.Dates[n-1] {
			return nil, source.Errorf(file, lineNo, header[dateIdx], "date %s does not follow %s", d, t.Dates[n-1])
		}
		for j, k := range target {
			if k < 0 {
				continue
			}
			v, ok := parseValue(fields[j])
			if !ok {
				return nil, source.Errorf(file, lineNo, header[j], "%q is not a number", fields[j])
			}
			*cols[k] = append(*cols[k], v)
		}
		t.Dates = append(t.Dates, d)
	}
	if header == nil {
		return nil, source.Errorf(file, lineNo, "", "empty file: no header")
	}
	if len(t.Dates) == 0 {
		return nil, source.Errorf(file, lineNo, "", "no rows below the header")
	}
	t.Source = sourceOf(target)
	if t.Symbol == "" {
		t.Symbol = symbolFromFile(file)
	}
	t.PartialLast = partialLast(t.Dates[len(t.Dates)-1], opt)
	return t, nil
}

// parseHeader maps header names to table columns. It returns the names, the date
// column, the target column of each file column (-1 to ignore) and whether this is
// yfinance's multi-row header.
func parseHeader(fields [][]byte, file string, line int) ([]string, int, []int, bool, error) {
	names := make([]string, len(fields))
	target := make([]int, len(fields))
	dateIdx := -1
	yf := false
	seen := map[int]bool{}
	for j, f := range fields {
		names[j] = string(f)
		target[j] = -1
		n := strings.ToLower(names[j])
		if n == "date" || (j == 0 && n == "price") {
			if dateIdx >= 0 {
				return nil, 0, nil, false, source.Errorf(file, line, names[j], "two date columns in header")
			}
			dateIdx, yf = j, n == "price"
			continue
		}
		if k, ok := columnKind(names[j]); ok {
			if seen[k] {
				return nil, 0, nil, false, source.Errorf(file, line, names[j], "duplicate column in header")
			}
			seen[k] = true
			target[j] = k
		}
	}
	if dateIdx < 0 {
		return nil, 0, nil, false, source.Errorf(file, line, "Date", "header %q has no Date column", strings.Join(names, ","))
	}
	if !seen[colClose] && !seen[colAdjClose] {
		return nil, 0, nil, false, source.Errorf(file, line, "Close", "header %q has no Close or Adj Close column", strings.Join(names, ","))
	}
	return names, dateIdx, target, yf, nil
}

// sourceOf names the layout: Stooq writes Open, High, Low, Close in that order and
// never an adjusted close; everything else is Yahoo's.
func sourceOf(target []int) string {
	var order []int
	for _, k := range target {
		if k >= 0 && k != colVolume {
			order = append(order, k)
		}
	}
	if len(order) == 4 && order[0] == colOpen && order[1] == colHigh && order[2] == colLow && order[3] == colClose {
		return "stooq"
	}
	return "yahoo"
}

func allEmpty(fs [][]byte) bool {
	for _, f := range fs {
		if len(f) > 0 {
			return false
		}
	}
	return true
}

// parseValue parses a price or volume; empty, "null" and "NaN" are missing.
func parseValue(b []byte) (float64, bool) {
	if len(b) == 0 || bytes.EqualFold(b, []byte("null")) || bytes.EqualFold(b, []byte("nan")) {
		return math.NaN(), true
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}
