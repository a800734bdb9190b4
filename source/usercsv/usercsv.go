// Package usercsv parses the dated CSV files users write themselves: the first column
// is a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD), every other column is one series, an
// empty cell (or NA, NaN, '.') is missing. Rows may come in any order; a date given
// twice is an error. Numbers are plain decimals: a trailing '%' is an error.
//
// usercsv never guesses what the numbers mean (returns, prices, rates): the caller says.
// When the caller says returns, it refuses numbers that cannot be decimal simple returns
// (see Parse), because percent or price files would otherwise give confident nonsense.
package usercsv

import (
	"bytes"
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

// MaxBytes bounds what Parse reads, so an upload cannot exhaust memory.
const MaxBytes = 64 << 20

// Parse reads a dated CSV into one series per value column, each named by its header
// and of the given kind. Frequency is inferred from the dates.
//
// For series.KindReturn the values must be decimal simple returns (0.012 for 1.2%): a
// value below -1 (a loss of more than 100%) is an error naming its line and column, and
// so is a column whose every value is at least 1 in size (+-100% or more every period),
// which is what a file in percent or a price file looks like.
func Parse(r io.Reader, file string, kind series.Kind) ([]*series.Series, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(data) > MaxBytes {
		return nil, source.Errorf(file, 0, "", "file is larger than %d MB", MaxBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, source.Errorf(file, 1, "", "empty file: want a header row date,<series>,...")
		}
		return nil, source.CSVError(file, err)
	}
	if len(header) < 2 {
		return nil, source.Errorf(file, 1, "", "header has %d column(s): want date then at least one series column", len(header))
	}
	names := make([]string, len(header)-1)
	seen := map[string]bool{}
	for j, h := range header[1:] {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, source.Errorf(file, 1, fmt.Sprintf("column %d", j+2), "empty column name")
		}
		if seen[h] {
			return nil, source.Errorf(file, 1, h, "column name repeated")
		}
		seen[h] = true
		names[j] = h
	}
	var dates []series.Date
	var lines []int
	cols := make([][]float64, len(names))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, source.CSVError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			return nil, source.Errorf(file, line, "", "row has %d fields, header has %d", len(rec), len(header))
		}
		d, err := series.ParseDate(strings.TrimSpace(rec[0]))
		if err != nil {
			return nil, source.Errorf(file, line, header[0], "%v", err)
		}
		dates = append(dates, d)
		lines = append(lines, line)
		for j, cell := range rec[1:] {
			v, err := parseCell(cell)
			if err != nil {
				return nil, source.Errorf(file, line, names[j], "%v", err)
			}
			cols[j] = append(cols[j], v)
		}
	}
	if len(dates) == 0 {
		return nil, source.Errorf(file, 2, "", "no data rows")
	}
	if kind == series.KindReturn {
		for j, n := range names {
			if err := checkReturns(file, n, lines, cols[j]); err != nil {
				return nil, err
			}
		}
	}
	freq := series.Irregular
	out := make([]*series.Series, len(names))
	for j, n := range names {
		ds := append([]series.Date(nil), dates...)
		vs := cols[j]
		if dup, ok := series.SortByDate(ds, vs); !ok {
			return nil, source.Errorf(file, 0, header[0], "date %s appears twice", dup)
		}
		if j == 0 {
			freq = series.InferFrequency(ds)
		}
		s, err := series.New(n, kind, freq, ds, vs)
		if err != nil {
			return nil, source.Errorf(file, 0, n, "%v", err)
		}
		s.Prov = series.Provenance{Provider: "user", SourceID: n, File: file}
		out[j] = s
	}
	return out, nil
}

// checkReturns refuses values that cannot be decimal simple returns; see Parse.
func checkReturns(file, name string, lines []int, v []float64) error {
	big, n := 0, 0
	for i, x := range v {
		if math.IsNaN(x) {
			continue
		}
		if x < -1 {
			return source.Errorf(file, lines[i], name,
				"return %g is a loss of more than 100%%: returns are decimals (0.012 for 1.2%%); divide a percent file by 100", x)
		}
		n++
		if math.Abs(x) >= 1 {
			big++
		}
	}
	if n >= 2 && big == n {
		return source.Errorf(file, 0, name,
			"every value is 1 or more in size (100%% or more each period): returns are decimals (0.012 for 1.2%%); is this a price or percent file?")
	}
	return nil
}

func parseCell(s string) (float64, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "", "na", "nan", ".", "n/a", "null":
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}
