package french

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// Parse reads a Ken French Data Library CSV file. file names the input in errors and
// provenance (a path such as "kenfrench/F-F_Research_Data_Factors_daily.CSV"); its
// base name without extension becomes File.Name.
//
// It accepts CRLF or LF line ends, a UTF-8 byte order mark, description lines present
// or stripped, a first section title present or stripped, multi-line titles,
// space-padded values and column names, a trailing comma on the header and rows, and
// a trailing copyright line. Within a section dates must increase strictly and every
// row must have one value per column.
func Parse(r io.Reader, file string) (*File, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	return parse(data, file)
}

func readAll(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	if l, ok := r.(interface{ Len() int }); ok {
		buf.Grow(l.Len() + bytes.MinRead)
	}
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

type parser struct {
	file string
	f    *File
	text []string // the current run of non-blank text lines
	cur  *Section // section receiving data rows; nil outside one
	line int
}

func (p *parser) errorf(field, format string, args ...any) error {
	return source.Errorf(p.file, p.line, field, format, args...)
}

func parse(data []byte, file string) (*File, error) {
	p := &parser{file: file, f: &File{Name: baseName(file), path: file}}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for no, line := range source.Lines(data) {
		p.line = no
		i := skipSpace(line, 0)
		switch {
		case i == len(line):
			// A blank line ends a run of text: text not directly above a header is
			// description (before the first section) or footer (after it).
			p.flushText()
		case line[i] == ',':
			if err := p.header(line[i+1:]); err != nil {
				return nil, err
			}
		case line[i] >= '0' && line[i] <= '9' && bytes.IndexByte(line, ',') >= 0:
			if err := p.row(line, i); err != nil {
				return nil, err
			}
		default:
			if err := p.closeSection(); err != nil {
				return nil, err
			}
			p.text = append(p.text, strings.TrimSpace(string(line)))
		}
	}
	if err := p.closeSection(); err != nil {
		return nil, err
	}
	p.flushText()
	if len(p.f.Sections) == 0 {
		return nil, p.errorf("", "no section header (a row starting with ',') found")
	}
	assignKeys(p.f.Sections)
	for i, s := range p.f.Sections {
		s.file, s.index = p.f, i
	}
	return p.f, nil
}

func (p *parser) flushText() {
	if len(p.f.Sections) == 0 {
		p.f.Description = append(p.f.Description, p.text...)
	} else {
		p.f.Footer = append(p.f.Footer, p.text...)
	}
	p.text = p.text[:0:0]
}

// closeSection ends the current section; a header with no rows below it is an error
// (a truncated download looks like that).
func (p *parser) closeSection() error {
	s := p.cur
	p.cur = nil
	if s != nil && len(s.Dates) == 0 {
		return source.Errorf(p.file, s.Line, "", "section %q has a header but no data rows", s.Title)
	}
	return nil
}

// header starts a new section; rest is the header row after its leading comma.
func (p *parser) header(rest []byte) error {
	if err := p.closeSection(); err != nil {
		return err
	}
	var cols []string
	for {
		n := bytes.IndexByte(rest, ',')
		if n < 0 {
			cols = append(cols, string(trimSpace(rest)))
			break
		}
		cols = append(cols, string(trimSpace(rest[:n])))
		rest = rest[n+1:]
	}
	if len(cols) > 1 && cols[len(cols)-1] == "" {
		cols = cols[:len(cols)-1] // trailing comma
	}
	seen := make(map[string]bool, len(cols))
	for j, c := range cols {
		if c == "" {
			return p.errorf(fmt.Sprintf("column %d", j+1), "empty column name in header")
		}
		if seen[c] {
			return p.errorf(c, "duplicate column name in header")
		}
		seen[c] = true
	}
	notes := p.text
	p.text = nil
	s := &Section{
		Title:   title(notes),
		Notes:   notes,
		Columns: cols,
		Cols:    make([][]float64, len(cols)),
		Percent: !isLevel(notes),
		Line:    p.line,
	}
	p.f.Sections = append(p.f.Sections, s)
	p.cur = s
	return nil
}

// row parses one data row; i is the index of its first non-space byte.
func (p *parser) row(line []byte, i int) error {
	s := p.cur
	if s == nil {
		if len(p.f.Sections) == 0 {
			return p.errorf("date", "data row before any header row")
		}
		return p.errorf("date", "data row after a text line without a header row")
	}
	j := i
	for j < len(line) && line[j] != ',' {
		j++
	}
	df := trimSpace(line[i:j])
	d, freq, ok := parseDate(df)
	if !ok {
		return p.errorf("date", "%q is not a date (want YYYYMM, YYYYMMDD or YYYY)", df)
	}
	if n := len(s.Dates); n == 0 {
		s.Freq = freq
	} else {
		if freq != s.Freq {
			return p.errorf("date", "%q is %s but the section's earlier rows are %s", df, freq, s.Freq)
		}
		if d <= s.Dates[n-1] {
			return p.errorf("date", "date %s does not follow %s", d, s.Dates[n-1])
		}
	}
	pos := j + 1 // start of the next field; > len(line) once the row is used up
	for k := range s.Cols {
		if pos > len(line) {
			return p.errorf(s.Columns[k], "row has %d values, header has %d columns", k, len(s.Cols))
		}
		e := bytes.IndexByte(line[pos:], ',')
		if e < 0 {
			e = len(line)
		} else {
			e += pos
		}
		field := trimSpace(line[pos:e])
		v := math.NaN()
		if len(field) > 0 {
			var ok bool
			v, ok = parseNumber(field)
			if !ok {
				return p.errorf(s.Columns[k], "%q is not a number", field)
			}
			if isMissing(v) {
				v = math.NaN()
			} else if s.Percent {
				v /= 100
			}
		}
		s.Cols[k] = append(s.Cols[k], v)
		pos = e + 1
	}
	if pos <= len(line) {
		// One trailing empty field is a trailing comma; anything else is an extra value.
		extra := line[pos:]
		if bytes.IndexByte(extra, ',') >= 0 || len(trimSpace(extra)) > 0 {
			return p.errorf(fmt.Sprintf("column %d", len(s.Cols)+1), "row has more values than the header's %d columns", len(s.Cols))
		}
	}
	s.Dates = append(s.Dates, d)
	return nil
}

// parseDate parses YYYY (annual, dated Dec 31), YYYYMM (monthly, dated on the month's
// last day) and YYYYMMDD (daily).
func parseDate(b []byte) (series.Date, series.Frequency, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return series.NoDate, series.Irregular, false
		}
		n = n*10 + int(c-'0')
		if n > 1e8 {
			return series.NoDate, series.Irregular, false
		}
	}
	switch len(b) {
	case 4:
		return series.NewDate(n, 12, 31), series.Annual, true
	case 6:
		y, m := n/100, n%100
		if m < 1 || m > 12 {
			return series.NoDate, series.Irregular, false
		}
		return series.NewDate(y, time.Month(m), 1).MonthEnd(), series.Monthly, true
	case 8:
		d, ok := series.ParseDateBytes(b)
		return d, series.Daily, ok
	}
	return series.NoDate, series.Irregular, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}

func trimSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t' || b[j-1] == '\r') {
		j--
	}
	return b[i:j]
}
