package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
)

func TestBacktestSection(t *testing.T) {
	ctx := context.Background()
	cat := catalog.New(nil)
	h, err := Cycles(ctx, cat, cycle.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	rc := &ReportContext{Cat: cat, History: h, used: map[string]*series.Series{}}
	sec, err := backtestSection(ctx, rc)
	if err != nil {
		t.Fatal(err)
	}
	if sec.Title != "8. The rotation backtest against its benchmarks" || len(sec.Charts) != 4 || len(sec.Tables) != 4 {
		t.Fatalf("section %q: %d charts, %d tables", sec.Title, len(sec.Charts), len(sec.Tables))
	}
	if !strings.Contains(sec.Lead, "earned 11.78% a year against 10.75% for the market on Ken French data 1963-2024") {
		t.Errorf("lead %q", sec.Lead)
	}
	if len(rc.summary) != 1 || !strings.HasPrefix(rc.summary[0], "Backtest: rotating 50% into small caps") {
		t.Errorf("summary %q", rc.summary)
	}
	for _, id := range []string{"price/SPY", "price/IWM", "fred/DGS3MO", "french/Portfolios_Formed_on_ME/Lo 30", "fred/FEDFUNDS"} {
		if rc.used[id] == nil {
			t.Errorf("%s not recorded for the data appendix", id)
		}
	}
	for _, c := range sec.Charts {
		for _, s := range c.Series {
			if len(s.Y) != len(c.X) {
				t.Errorf("chart %s series %s: %d values for %d dates", c.ID, s.Name, len(s.Y), len(c.X))
			}
		}
		if len(c.X) > 2000 {
			t.Errorf("chart %s has %d points; daily runs are thinned to weeks", c.ID, len(c.X))
		}
	}
	if got := sec.Tables[1].Columns[1]; got != "easing (n=242)" {
		t.Errorf("regime column %q", got)
	}
}
