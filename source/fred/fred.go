// Package fred parses FRED (Federal Reserve Economic Data) CSV downloads into a
// series: one date column and one value column.
//
// It accepts every layout found in the wild: the current fredgraph header
// "observation_date,DFF", the older "DATE,FEDFUNDS", a lower-cased id re-saved by
// pandas ("observation_date,dgs10"), and reformatted "date,value" files whose series
// id is not in the file. Missing observations ('.' in older exports, an empty cell in
// newer ones) become NaN.
//
// fred never touches the network or the clock, never decides what a series means
// (the catalog sets kind, unit and publication lag), and never panics on bad input:
// a malformed file yields a *source.ParseError naming the file, line and column.
package fred

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

// Parse reads a FRED CSV file; file names it in errors and provenance.
//
// The series is named after the upper-cased id in the header ("dgs10" becomes
// "DGS10"); for a "date,value" file the id is unknown and Name and Prov.SourceID are
// empty for the caller to set. Kind is series.KindLevel (the catalog knows which ids
// are rates). Freq is inferred from the dates. FRED dates monthly, quarterly and
// annual observations at the start of their period, so for those frequencies
// Prov.Lag.PeriodStart is true; Lag.Days is left for the catalog.
//
// Lines may end in CRLF, a UTF-8 byte order mark is skipped, blank lines are ignored,
// and dates must increase strictly.
func Parse(r io.Reader, file string) (*series.Series, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))

	var (
		lineNo    int
		dateCol   string // the header's name for the date column
		valueCol  string // the header's name for the value column
		id        string
		haveHead  bool
		dates     []series.Date
		values    []float64
		headerErr = func(format string, args ...any) error {
			return source.Errorf(file, lineNo, "", format, args...)
		}
	)
	for no, line := range source.Lines(data) {
		lineNo = no
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if !haveHead {
			fields := bytes.Split(line, []byte(","))
			if len(fields) != 2 {
				return nil, headerErr("header %q: want two columns, a date and one series", line)
			}
			dateCol, valueCol = string(source.Unquote(fields[0])), string(source.Unquote(fields[1]))
			switch strings.ToLower(dateCol) {
			case "observation_date", "date":
			default:
				return nil, source.Errorf(file, lineNo, dateCol, "header %q: first column must be observation_date, DATE or date", line)
			}
			if valueCol == "" {
				return nil, source.Errorf(file, lineNo, "column 2", "header %q: empty series id", line)
			}
			if !strings.EqualFold(valueCol, "value") {
				id = strings.ToUpper(valueCol)
			}
			haveHead = true
			continue
		}
		comma := bytes.IndexByte(line, ',')
		if n := bytes.Count(line, []byte(",")) + 1; n != 2 {
			field := valueCol
			if n > 2 {
				field = "column 3"
			}
			return nil, source.Errorf(file, lineNo, field, "row has %d fields, want 2", n)
		}
		df := bytes.TrimSpace(line[:comma])
		d, ok := series.ParseDateBytes(source.Unquote(df))
		if !ok {
			return nil, source.Errorf(file, lineNo, dateCol, "%q is not a date (want YYYY-MM-DD)", df)
		}
		if n := len(dates); n > 0 && d <= dates[n-1] {
			return nil, source.Errorf(file, lineNo, dateCol, "date %s does not follow %s", d, dates[n-1])
		}
		vf := source.Unquote(line[comma+1:])
		v := math.NaN()
		if len(vf) > 0 && !(len(vf) == 1 && vf[0] == '.') {
			var err error
			v, err = strconv.ParseFloat(string(vf), 64)
			if err != nil || math.IsInf(v, 0) {
				return nil, source.Errorf(file, lineNo, valueCol, "%q is not a number", vf)
			}
		}
		dates = append(dates, d)
		values = append(values, v)
	}
	if !haveHead {
		return nil, source.Errorf(file, lineNo, "", "empty file: no header")
	}
	if len(dates) == 0 {
		// A header alone is what a truncated download looks like.
		return nil, source.Errorf(file, lineNo, valueCol, "no observations below the header")
	}
	freq := series.InferFrequency(dates)
	s := &series.Series{
		Name:   id,
		Kind:   series.KindLevel,
		Freq:   freq,
		Dates:  dates,
		Values: values,
		Prov: series.Provenance{
			Provider: "fred",
			SourceID: id,
			File:     file,
			Lag:      series.Lag{Freq: freq, PeriodStart: periodStart(freq)},
		},
	}
	return s, nil
}

// periodStart reports whether FRED dates observations of this frequency at the start
// of their period (monthly, quarterly and annual aggregates are; daily and weekly
// observations are dated on the day they describe).
func periodStart(f series.Frequency) bool {
	return f == series.Monthly || f == series.Quarterly || f == series.Annual
}
