package engine

import (
	"bytes"
	"context"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/report"
)

// BenchmarkCyclesCold is `ratecycle cycles` without the process start: a fresh catalog
// parses the five FRED files and the rules run (target: under 100 ms).
func BenchmarkCyclesCold(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		if _, err := Cycles(ctx, catalog.New(nil), cycle.DefaultRules); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReportCold is the main job: every section from a fresh catalog, rendered to
// self-contained HTML (target: under 1 s and 300 MB peak; HTML under 5 MB).
func BenchmarkReportCold(b *testing.B) {
	ctx := context.Background()
	var size int
	for b.Loop() {
		doc, err := Report(ctx, catalog.New(nil), ReportOptions{Built: "benchmark"})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := report.WriteHTML(&buf, doc); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1e6, "MB-html")
}

func TestReportHasCoreSections(t *testing.T) {
	doc, err := Report(context.Background(), catalog.New(nil), ReportOptions{Built: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, s := range doc.Sections {
		ids[s.ID] = true
		if s.Title == "" || s.Lead == "" {
			t.Errorf("section %s has no title or lead", s.ID)
		}
	}
	for _, id := range []string{"fed", "risk", "cycles"} {
		if !ids[id] {
			t.Errorf("section %s missing", id)
		}
	}
	if len(doc.Appendix) < 5 {
		t.Errorf("appendix has %d series", len(doc.Appendix))
	}
	for _, a := range doc.Appendix {
		if a.File == "" || a.Licence == "" || a.Range == "" || a.Vintage == "" {
			t.Errorf("appendix row incomplete: %+v", a)
		}
	}
}
