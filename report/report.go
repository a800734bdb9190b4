// Package report renders a finished Document (sections of prose, tables and charts) as
// one self-contained HTML file (every script and style inlined; charts drawn by the
// vendored Apache ECharts), as Markdown, as JSON, or as static PNG charts.
//
// report never computes a number and never loads data: the engine builds the Document,
// report only lays it out. Sections whose analysis is missing are simply not in it.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
)

// Document is the whole report.
type Document struct {
	Title    string    `json:"title"`
	Subtitle string    `json:"subtitle"`
	AsOf     string    `json:"as_of"`   // last date of the data the report uses
	Built    string    `json:"built"`   // when and by what it was built (given, not read from a clock here)
	Summary  []string  `json:"summary"` // the answer in a few lines, first thing a reader sees
	Sections []Section `json:"sections"`
	Appendix []Source  `json:"appendix"` // every series used
}

// Section is one part of the argument.
type Section struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Lead       string   `json:"lead"` // one-sentence takeaway
	Paragraphs []string `json:"paragraphs,omitempty"`
	Metrics    []Metric `json:"metrics,omitempty"` // headline figures shown as tiles
	Charts     []Chart  `json:"charts,omitempty"`
	Tables     []Table  `json:"tables,omitempty"`
	Notes      []string `json:"notes,omitempty"` // conventions, n, caveats
}

// Metric is a headline number.
type Metric struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Note  string `json:"note,omitempty"`
}

// Table is a small table; Numeric marks right-aligned columns.
type Table struct {
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
	Numeric []bool     `json:"-"`
}

// Chart is a chart spec that renders both as an interactive ECharts chart and as a PNG.
type Chart struct {
	ID     string        `json:"id"`
	Title  string        `json:"title"`
	Kind   string        `json:"kind"`   // "time" (x = dates) or "bar" (x = categories)
	YLabel string        `json:"ylabel"` // axis name with unit
	YPct   bool          `json:"ypct"`   // values are decimals shown as percent
	X      []string      `json:"x"`      // dates (YYYY-MM-DD) or categories
	Series []ChartSeries `json:"series"`
	Shades []Shade       `json:"shades,omitempty"` // shaded date ranges (easing cycles, recessions)
	Height int           `json:"height,omitempty"`
}

// ChartSeries is one line, band or bar series. Y has one value per X; NaN is a gap.
// A band fills between Lower and Upper.
type ChartSeries struct {
	Name  string    `json:"name"`
	Type  string    `json:"type"` // "line", "step", "bar", "band", "scatter"
	Y     []float64 `json:"-"`
	Lower []float64 `json:"-"`
	Upper []float64 `json:"-"`
	Color string    `json:"color,omitempty"`
}

// MarshalJSON writes NaN as null, which JSON and ECharts both understand as a gap.
func (s ChartSeries) MarshalJSON() ([]byte, error) {
	type plain struct {
		Name  string     `json:"name"`
		Type  string     `json:"type"`
		Y     []*float64 `json:"y,omitempty"`
		Lower []*float64 `json:"lower,omitempty"`
		Upper []*float64 `json:"upper,omitempty"`
		Color string     `json:"color,omitempty"`
	}
	return json.Marshal(plain{s.Name, s.Type, nullable(s.Y), nullable(s.Lower), nullable(s.Upper), s.Color})
}

func nullable(v []float64) []*float64 {
	if v == nil {
		return nil
	}
	out := make([]*float64, len(v))
	for i := range v {
		if !math.IsNaN(v[i]) && !math.IsInf(v[i], 0) {
			x := v[i]
			out[i] = &x
		}
	}
	return out
}

// Shade is a shaded date range with a label.
type Shade struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Label string `json:"label"`
	Color string `json:"color,omitempty"`
}

// Source is one row of the data appendix.
type Source struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Provider string `json:"provider"`
	File     string `json:"file"`
	URL      string `json:"url,omitempty"`
	Range    string `json:"range"`
	Vintage  string `json:"vintage"`
	Lag      string `json:"publication_lag"`
	Licence  string `json:"licence"`
}

// WriteJSON writes the document as indented JSON.
func WriteJSON(w io.Writer, d *Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// WriteMarkdown writes the document as GitHub-flavoured Markdown (charts become a
// reference to their PNG, when written with --png, and a one-line description).
func WriteMarkdown(w io.Writer, d *Document, pngDir string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n_%s_  \nData to %s. %s\n\n", d.Title, d.Subtitle, d.AsOf, d.Built)
	for _, s := range d.Summary {
		fmt.Fprintf(&b, "- %s\n", s)
	}
	b.WriteString("\n")
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "## %s\n\n", s.Title)
		if s.Lead != "" {
			fmt.Fprintf(&b, "**%s**\n\n", s.Lead)
		}
		for _, m := range s.Metrics {
			fmt.Fprintf(&b, "- %s: **%s**", m.Label, m.Value)
			if m.Note != "" {
				fmt.Fprintf(&b, " (%s)", m.Note)
			}
			b.WriteString("\n")
		}
		if len(s.Metrics) > 0 {
			b.WriteString("\n")
		}
		for _, p := range s.Paragraphs {
			b.WriteString(p + "\n\n")
		}
		for _, c := range s.Charts {
			if pngDir != "" {
				fmt.Fprintf(&b, "![%s](%s/%s.png)\n\n", c.Title, pngDir, c.ID)
			} else {
				fmt.Fprintf(&b, "_Chart: %s (interactive in the HTML report)._\n\n", c.Title)
			}
		}
		for _, t := range s.Tables {
			writeMDTable(&b, t)
		}
		for _, n := range s.Notes {
			fmt.Fprintf(&b, "> %s\n", n)
		}
		if len(s.Notes) > 0 {
			b.WriteString("\n")
		}
	}
	b.WriteString("## Data appendix\n\n")
	writeMDTable(&b, appendixTable(d.Appendix))
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMDTable(b *strings.Builder, t Table) {
	if t.Title != "" {
		fmt.Fprintf(b, "**%s**\n\n", t.Title)
	}
	esc := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = esc(c)
	}
	fmt.Fprintf(b, "| %s |\n|%s\n", strings.Join(cols, " | "), strings.Repeat(" --- |", len(t.Columns)))
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = esc(c)
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
	}
	b.WriteString("\n")
}

func appendixTable(src []Source) Table {
	t := Table{Title: "Every series used, its source, range and vintage",
		Columns: []string{"id", "title", "file", "range", "vintage", "publication lag", "licence"}}
	for _, s := range src {
		t.Rows = append(t.Rows, []string{s.ID, s.Title, s.File, s.Range, s.Vintage, s.Lag, s.Licence})
	}
	return t
}
