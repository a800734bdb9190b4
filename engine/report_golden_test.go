package engine

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/report"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/report-structure.golden from the current report")

// reportStructure summarises a report's shape, not its numbers: section ids and
// titles, metric labels, chart ids, kinds and series names, table titles and column
// headers, and the appendix's ids. Numbers that move with the data (values, row
// counts, dates in titles) are left out, so the golden file changes only when the
// report's structure does. Digits in titles and labels are masked.
func reportStructure(d *report.Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "document %q\n", d.Title)
	fmt.Fprintf(&b, "summary lines: %v\n", len(d.Summary) > 0)
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "\nsection %s %q\n", s.ID, mask(s.Title))
		fmt.Fprintf(&b, "  lead: %v\n", s.Lead != "")
		for _, m := range s.Metrics {
			fmt.Fprintf(&b, "  metric %q\n", mask(m.Label))
		}
		for _, c := range s.Charts {
			fmt.Fprintf(&b, "  chart %s (%s) %q\n", c.ID, c.Kind, mask(c.Title))
			for _, cs := range c.Series {
				fmt.Fprintf(&b, "    series %s %q\n", cs.Type, mask(cs.Name))
			}
		}
		for _, t := range s.Tables {
			fmt.Fprintf(&b, "  table %q\n", mask(t.Title))
			fmt.Fprintf(&b, "    columns %q\n", maskAll(t.Columns))
		}
		fmt.Fprintf(&b, "  notes: %v\n", len(s.Notes) > 0)
	}
	b.WriteString("\nappendix\n")
	for _, src := range d.Appendix {
		fmt.Fprintf(&b, "  %s\n", src.ID)
	}
	return b.String()
}

// mask replaces each run of digits, which in titles and labels are dates, counts and
// levels (a median of 9.87 becomes 10.02 with new data), by one #.
func mask(s string) string {
	var b strings.Builder
	inDigits := false
	for _, r := range s {
		d := r >= '0' && r <= '9'
		if d && !inDigits {
			b.WriteByte('#')
		}
		if !d {
			b.WriteRune(r)
		}
		inDigits = d
	}
	return b.String()
}

func maskAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = mask(s)
	}
	return out
}

// TestReportStructureGolden pins the report's structure. When a section is added or
// reshaped on purpose, rewrite the file with
//
//	go test ./engine -run TestReportStructureGolden -update
//
// and review the diff like code.
func TestReportStructureGolden(t *testing.T) {
	doc, err := Report(context.Background(), catalog.New(nil), ReportOptions{Built: "golden"})
	if err != nil {
		t.Fatal(err)
	}
	got := reportStructure(doc)
	path := filepath.Join("testdata", "report-structure.golden")
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("report structure changed (-golden +now); if on purpose, run go test ./engine -run TestReportStructureGolden -update:\n%s", diff)
	}
}
