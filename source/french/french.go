// Package french parses the multi-section CSV files of the Kenneth R. French Data
// Library (Fama/French factors, size and book-to-market portfolios, industry
// portfolios) into sections of dated columns.
//
// A French file is a run of sections. Each section is an optional title (one line, or
// several such as "For portfolios formed in June of year t" followed by formula
// lines), a header row that starts with a comma, and data rows dated YYYYMM (monthly),
// YYYYMMDD (daily) or "  YYYY" (annual). Description lines may precede the first
// section and a copyright line may follow the last; uploaders sometimes strip both the
// description and the first section's title, and Parse accepts either layout.
//
// Units. Return sections are in percent in the file and are divided by 100 here, so
// every return leaving this package is a decimal (Section.Percent reports that it
// happened). Characteristic sections are levels left as they are: a section is a level
// when its title mentions number of firms, firm size, market cap, BE/ME (including
// "Sum of BE / Sum of ME" and BE_FYt-1/ME_June t), OP, investment, or is one of the
// "For portfolios formed in June of year t" blocks; every other section, including one
// whose title was stripped, is a return section.
//
// Missing values (-99.99 and -999 in the file, or an empty cell) become NaN.
//
// french never touches the network or the clock, and never panics on bad input: every
// malformed file yields a *source.ParseError naming the file, line and column.
package french

import (
	"errors"
	"fmt"
	"math"
	"path"
	"strings"

	"github.com/ratecycle/ratecycle/series"
)

// LagDays is the publication lag given to every French series. The library is
// refreshed about once a month with data through the end of the previous month, so an
// observation is public about 30 days after the period it closes.
const LagDays = 30

// ErrNotFound is wrapped by Section and Series when the asked-for section or column
// does not exist.
var ErrNotFound = errors.New("not found")

// File is one parsed French CSV file.
type File struct {
	Name        string     // file base name without extension, e.g. "F-F_Research_Data_Factors_daily"
	Description []string   // non-blank lines before the first section, trimmed (nil when stripped)
	Sections    []*Section // in file order
	Footer      []string   // text after the last section, e.g. the copyright line

	path string // file as given to Parse, for provenance
}

// Section is one block of a French file: a title, a header and dated rows.
type Section struct {
	// Title is the section title with surrounding space trimmed. A title spread over
	// several lines is joined with single spaces ("Annual Factors: January-December"),
	// except for the "For portfolios formed in June of year t" blocks, whose Title is
	// their most specific line with the formula cut off ("Value Weight Average of
	// BE/ME"); Notes keeps every line. Title is "" when the file has none (a stripped
	// first section, or a factor file's monthly block).
	Title string
	// Notes holds every title line as it appears in the file, trimmed.
	Notes []string
	// Key is a slug of Title, unique within the file: lower case, each run of
	// characters other than a-z and 0-9 replaced by one '-', leading and trailing '-'
	// trimmed, "-2", "-3", ... appended on a collision. A section without a title has
	// key "" when it is the first one and "section-N" (N counting from 1) otherwise.
	Key     string
	Freq    series.Frequency // Monthly (YYYYMM, dated on the month's last day), Daily or Annual (dated Dec 31)
	Columns []string         // column names, trimmed
	Dates   []series.Date
	Cols    [][]float64 // Cols[j][i] is column j on Dates[i]; NaN when missing
	Percent bool        // the file's percent values were divided by 100 (a return section)
	Line    int         // 1-based line of the header row

	file  *File
	index int
}

// Kind returns series.KindReturn for return sections and series.KindLevel otherwise.
func (s *Section) Kind() series.Kind {
	if s.Percent {
		return series.KindReturn
	}
	return series.KindLevel
}

// Section returns the section whose Key or exact Title (trimmed) equals key, ignoring
// case; a key whose slug equals a section's Key also matches. The empty key returns
// the first section, which is how files whose first title was stripped are addressed.
func (f *File) Section(key string) (*Section, error) {
	if len(f.Sections) == 0 {
		return nil, fmt.Errorf("french %s: no sections: %w", f.Name, ErrNotFound)
	}
	k := strings.TrimSpace(key)
	if k == "" {
		return f.Sections[0], nil
	}
	for _, s := range f.Sections {
		if strings.EqualFold(s.Key, k) {
			return s, nil
		}
	}
	for _, s := range f.Sections {
		if s.Title != "" && strings.EqualFold(s.Title, k) {
			return s, nil
		}
	}
	if sl := slug(k); sl != "" {
		for _, s := range f.Sections {
			if s.Key == sl {
				return s, nil
			}
		}
	}
	keys := make([]string, len(f.Sections))
	for i, s := range f.Sections {
		keys[i] = fmt.Sprintf("%q", s.Key)
	}
	return nil, fmt.Errorf("french %s: no section %q (keys: %s): %w", f.Name, key, strings.Join(keys, ", "), ErrNotFound)
}

// Series returns one column of the section as a series named after the column, with
// its own copy of the dates and values. Its Kind is KindReturn (decimal) for return
// sections and KindLevel otherwise; its provenance names provider "french", source id
// "<file>/<key>/<column>" ("<file>/<column>" for the first section, so the id does not
// depend on whether its title was stripped) and a publication lag of LagDays.
func (s *Section) Series(column string) (*series.Series, error) {
	j := -1
	for i, c := range s.Columns {
		if c == column {
			j = i
			break
		}
	}
	if j < 0 {
		want := strings.TrimSpace(column)
		for i, c := range s.Columns {
			if strings.EqualFold(c, want) {
				j = i
				break
			}
		}
	}
	name := ""
	if s.file != nil {
		name = s.file.Name
	}
	if j < 0 {
		return nil, fmt.Errorf("french %s section %q: no column %q (have %s): %w",
			name, s.Key, column, strings.Join(s.Columns, ", "), ErrNotFound)
	}
	col := s.Columns[j]
	id := name + "/" + col
	if s.index > 0 {
		id = name + "/" + s.Key + "/" + col
	}
	out := &series.Series{
		Name:   col,
		Kind:   s.Kind(),
		Freq:   s.Freq,
		Dates:  append([]series.Date(nil), s.Dates...),
		Values: append([]float64(nil), s.Cols[j]...),
		Prov: series.Provenance{
			Provider: "french",
			SourceID: id,
			Unit:     s.unit(),
			Licence:  "Kenneth R. French Data Library (Fama/French, from CRSP): free for research with attribution",
			Lag:      series.Lag{Days: LagDays, Freq: s.Freq},
			Note:     "French publishes about a month after the period ends",
		},
	}
	if s.file != nil {
		out.Prov.File = s.file.path
	}
	return out, nil
}

func (s *Section) unit() string {
	if s.Percent {
		return "decimal return"
	}
	t := strings.ToLower(strings.Join(s.Notes, " "))
	switch {
	case strings.Contains(t, "number of firms"):
		return "count"
	case strings.Contains(t, "firm size"), strings.Contains(t, "market cap"):
		return "USD millions"
	case strings.Contains(t, "be/me"), strings.Contains(t, "be_fy"), strings.Contains(t, "sum of be"):
		return "ratio"
	}
	return ""
}

// levelMarkers are the title fragments (lower case) that make a section a level
// rather than a percent return; see the package comment.
var levelMarkers = []string{
	"number of firms",
	"firm size",
	"market cap",
	"be/me",
	"be_fy",
	"sum of be",
	"average of op",
	"investment",
	"for portfolios formed in june",
}

// isLevel reports whether a section with these title lines holds levels.
func isLevel(notes []string) bool {
	t := strings.ToLower(strings.Join(notes, " "))
	for _, m := range levelMarkers {
		if strings.Contains(t, m) {
			return true
		}
	}
	return false
}

// title builds a section title from its trimmed title lines (see Section.Title).
func title(notes []string) string {
	if len(notes) == 0 {
		return ""
	}
	if len(notes) > 1 && hasPrefixFold(notes[0], "for portfolios formed") {
		t := notes[1]
		if i := strings.Index(strings.ToLower(t), " calculated"); i > 0 {
			t = t[:i]
		}
		t = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t), ":"))
		if t != "" {
			return t
		}
		return notes[1]
	}
	return strings.Join(notes, " ")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// slug lower-cases s and turns each run of characters other than a-z and 0-9 into a
// single '-', trimming '-' at both ends.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteByte(c)
			continue
		}
		dash = true
	}
	return b.String()
}

// assignKeys gives every section a unique key (see Section.Key).
func assignKeys(secs []*Section) {
	used := make(map[string]bool, len(secs))
	for i, s := range secs {
		k := slug(s.Title)
		if k == "" && i > 0 {
			k = fmt.Sprintf("section-%d", i+1)
		}
		if k != "" && used[k] {
			for n := 2; ; n++ {
				c := fmt.Sprintf("%s-%d", k, n)
				if !used[c] {
					k = c
					break
				}
			}
		}
		used[k] = true
		s.Key = k
	}
}

// baseName returns the file's base name without its extension.
func baseName(file string) string {
	b := path.Base(strings.ReplaceAll(file, `\`, "/"))
	if b == "." || b == "/" {
		return ""
	}
	return strings.TrimSuffix(b, path.Ext(b))
}

// isMissing reports whether v is one of French's missing-value markers.
func isMissing(v float64) bool { return v == -99.99 || v == -999 || math.IsNaN(v) }
