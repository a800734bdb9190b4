package study

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"sort"
	"strings"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// UserLabels are regime labels a user wrote as a CSV of date,regime rows. A row's regime
// holds from its date until the next row's date (a step function), so a file may list
// only the dates where the regime changes, or one row per observation. Dates before the
// first row are unlabelled; the last row's regime holds to the end of the data.
type UserLabels struct {
	Dates  []series.Date
	Labels []string
	order  []string
}

// ParseLabels reads a regime file: an optional header (a first row whose first cell is
// not a date, e.g. "date,regime"), then rows of date (YYYY-MM-DD, YYYY/MM/DD or
// YYYYMMDD) and a non-empty regime label; extra columns are an error, rows may come in
// any order, a date given twice is an error. Errors are *source.ParseError with the
// line and field.
func ParseLabels(r io.Reader, file string) (*UserLabels, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, source.Errorf(file, 0, "", "%v", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	type row struct {
		d    series.Date
		l    string
		line int
	}
	var rows []row
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, source.Errorf(file, pe.Line, "", "%v", pe.Err)
			}
			return nil, source.Errorf(file, 0, "", "%v", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		d, derr := series.ParseDate(strings.TrimSpace(rec[0]))
		if derr != nil {
			if first {
				first = false
				if len(rec) != 2 {
					return nil, source.Errorf(file, line, "", "want two columns, date and regime; got %d", len(rec))
				}
				continue // header
			}
			return nil, source.Errorf(file, line, "date", "%q is not a date", rec[0])
		}
		first = false
		if len(rec) != 2 {
			return nil, source.Errorf(file, line, "", "want two columns, date and regime; got %d", len(rec))
		}
		l := strings.TrimSpace(rec[1])
		if l == "" {
			return nil, source.Errorf(file, line, "regime", "empty regime label")
		}
		rows = append(rows, row{d, l, line})
	}
	if len(rows) == 0 {
		return nil, source.Errorf(file, 0, "", "no rows")
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].d < rows[j].d })
	u := &UserLabels{}
	seen := map[string]bool{}
	for i, r := range rows {
		if i > 0 && rows[i-1].d == r.d {
			return nil, source.Errorf(file, r.line, "date", "date %s given twice", r.d)
		}
		u.Dates = append(u.Dates, r.d)
		u.Labels = append(u.Labels, r.l)
		if !seen[r.l] {
			seen[r.l] = true
			u.order = append(u.order, r.l)
		}
	}
	return u, nil
}

// Label implements Labeller.
func (u *UserLabels) Label(d series.Date) string {
	i := sort.Search(len(u.Dates), func(i int) bool { return u.Dates[i] > d }) - 1
	if i < 0 {
		return ""
	}
	return u.Labels[i]
}

// Order implements Labeller: labels in the order they first appear (by date).
func (u *UserLabels) Order() []string { return u.order }

// ParseEvents reads an events file: one event per line, a date (YYYY-MM-DD, YYYY/MM/DD
// or YYYYMMDD) optionally followed by a comma and a label ("2025-08-22,Jackson Hole");
// blank lines and lines starting with # are skipped, as is a header line whose first
// cell is not a date. Events are returned in date order; a date given twice is an error.
// Errors are *source.ParseError with the line.
func ParseEvents(r io.Reader, file string) ([]Event, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, source.Errorf(file, 0, "", "%v", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var evs []Event
	lines := map[series.Date]int{}
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ds, label, _ := strings.Cut(line, ",")
		d, err := series.ParseDate(strings.TrimSpace(ds))
		if err != nil {
			if len(evs) == 0 && len(lines) == 0 && i == firstContent(data) {
				continue // header
			}
			return nil, source.Errorf(file, i+1, "date", "%q is not a date", strings.TrimSpace(ds))
		}
		if prev, dup := lines[d]; dup {
			return nil, source.Errorf(file, i+1, "date", "date %s given twice (first on line %d)", d, prev)
		}
		lines[d] = i + 1
		evs = append(evs, Event{Date: d, Label: strings.Trim(strings.TrimSpace(label), `"`)})
	}
	if len(evs) == 0 {
		return nil, source.Errorf(file, 0, "", "no event dates")
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Date < evs[j].Date })
	return evs, nil
}

// firstContent returns the 0-based index of the first line that is neither blank nor a
// comment.
func firstContent(data []byte) int {
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if line != "" && !strings.HasPrefix(line, "#") {
			return i
		}
	}
	return -1
}
