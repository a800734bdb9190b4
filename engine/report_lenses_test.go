package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
)

func lensContext(t *testing.T) *ReportContext {
	t.Helper()
	cat := catalog.New(nil)
	h, err := Cycles(context.Background(), cat, cycle.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	return &ReportContext{Cat: cat, History: h, used: map[string]*series.Series{}}
}

// TestValuationSection checks the section's parts and that every series it read is
// recorded for the data appendix.
func TestValuationSection(t *testing.T) {
	rc := lensContext(t)
	sec, err := valuationSection(context.Background(), rc)
	if err != nil {
		t.Fatal(err)
	}
	if sec.ID != "valuation" || !strings.HasPrefix(sec.Title, "3. ") || len(sec.Metrics) < 5 || len(sec.Charts) != 2 || len(sec.Tables) != 1 {
		t.Fatalf("section %q: %d metrics, %d charts, %d tables", sec.Title, len(sec.Metrics), len(sec.Charts), len(sec.Tables))
	}
	ch := sec.Charts[0]
	var names []string
	for _, s := range ch.Series {
		names = append(names, s.Name)
		if len(s.Y) != len(ch.X) {
			t.Errorf("series %q has %d values for %d dates", s.Name, len(s.Y), len(ch.X))
		}
	}
	if got := strings.Join(names, "|"); !strings.Contains(got, "median 0.59") || !strings.Contains(got, "10th percentile 0.35") || !strings.Contains(got, "90th percentile 0.92") {
		t.Errorf("chart lines %s", got)
	}
	if !strings.Contains(sec.Lead, "56% discount") || !strings.Contains(strings.Join(sec.Paragraphs, " "), "17% discount") {
		t.Errorf("lead %q", sec.Lead)
	}
	for _, id := range []string{"shiller/PE10", "french/6_Portfolios_2x3/value-weight-average-of-be-fyt-1-me-june-t/SMALL HiBM", "french/25_Portfolios_5x5/BIG HiBM"} {
		if _, ok := rc.used[id]; !ok {
			t.Errorf("%s not recorded for the appendix", id)
		}
	}
	if len(rc.summary) != 1 {
		t.Errorf("summary lines %d", len(rc.summary))
	}
}

func TestConcentrationSection(t *testing.T) {
	rc := lensContext(t)
	sec, err := concentrationSection(context.Background(), rc)
	if err != nil {
		t.Fatal(err)
	}
	if sec.ID != "concentration" || !strings.HasPrefix(sec.Title, "4. ") || len(sec.Charts) != 1 || sec.Charts[0].Kind != "bar" || len(sec.Tables) != 3 {
		t.Fatalf("section %q: %d charts, %d tables", sec.Title, len(sec.Charts), len(sec.Tables))
	}
	if !strings.Contains(sec.Lead, "32.9% in seven companies") || !strings.Contains(sec.Lead, "effective number of holdings is 50") {
		t.Errorf("lead %q", sec.Lead)
	}
	if len(sec.Tables[2].Rows) != 5 {
		t.Errorf("non-equity table has %d rows, want IVV's 5", len(sec.Tables[2].Rows))
	}
}
