package study

import (
	"errors"
	"math"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

func TestPeriodAndDrawdown(t *testing.T) {
	ds := []series.Date{series.MustDate("2024-11-28"), series.MustDate("2024-11-29"), series.MustDate("2024-12-02"),
		series.MustDate("2024-12-10"), series.MustDate("2024-12-19"), series.MustDate("2024-12-31"), series.MustDate("2025-01-02")}
	s := &series.Series{Name: "P", Kind: series.KindPrice, Freq: series.Daily, Dates: ds, Values: []float64{95, 100, 99, 104, 90, 96, 97}}
	from, to := series.MustDate("2024-12-01"), series.MustDate("2024-12-31")
	sp, err := PeriodReturn(s, from, to)
	if err != nil || math.Abs(sp.Return-(-0.04)) > 1e-12 || sp.Start != ds[1] || sp.End != ds[5] || sp.N != 4 {
		t.Fatalf("period %+v %v", sp, err)
	}
	dd, err := DrawdownIn(s, from, to)
	if err != nil || math.Abs(dd.Depth-(90.0/104-1)) > 1e-12 || dd.Peak != ds[3] || dd.Trough != ds[4] {
		t.Fatalf("drawdown %+v %v", dd, err)
	}
	// A fall on the first day counts from the previous close.
	dd, _ = DrawdownIn(s, series.MustDate("2024-12-02"), series.MustDate("2024-12-02"))
	if math.Abs(dd.Depth-(-0.01)) > 1e-12 || dd.Peak != ds[1] {
		t.Errorf("first-day fall %+v", dd)
	}
	if _, err := PeriodReturn(s, series.MustDate("2024-11-01"), to); !errors.Is(err, ErrNotCovered) {
		t.Errorf("before the data: %v", err)
	}
	if _, err := PeriodReturn(s, from, series.MustDate("2025-01-31")); !errors.Is(err, ErrNotCovered) {
		t.Errorf("after the data: %v", err)
	}
	b := &series.Series{Name: "B", Kind: series.KindPrice, Freq: series.Daily, Dates: ds, Values: []float64{1, 1, 1, 1, 1, 1.1, 1}}
	rel, err := RelativeReturn(s, b, from, to)
	if err != nil || math.Abs(rel.Diff-(-0.04-0.1)) > 1e-12 {
		t.Errorf("relative %+v %v", rel, err)
	}
}

func TestRecords(t *testing.T) {
	// Weekly returns (Friday closes): +1%, +5%, +2%, +3%, +4%.
	ds := []series.Date{series.MustDate("2025-01-03"), series.MustDate("2025-01-10"), series.MustDate("2025-01-17"),
		series.MustDate("2025-01-24"), series.MustDate("2025-01-31"), series.MustDate("2025-02-07")}
	p := []float64{100}
	for _, r := range []float64{0.01, 0.05, 0.02, 0.03, 0.04} {
		p = append(p, p[len(p)-1]*(1+r))
	}
	s := &series.Series{Name: "W", Kind: series.KindPrice, Freq: series.Daily, Dates: ds, Values: p}
	cases := []struct {
		at    string
		worst bool
		ret   float64
		since string
		rank  int
		words string
	}{
		{"2025-02-05", false, 0.04, "2025-01-17", 2, "best week since 2025-01-17"},
		{"2025-01-15", false, 0.05, "", 1, "best week on record (since 2025-01-10, 1 earlier)"},
		{"2025-01-24", true, 0.02, "2025-01-10", 2, "worst week since 2025-01-10"},
	}
	for _, c := range cases {
		r, err := RecordAt(s, series.Weekly, series.MustDate(c.at), c.worst)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.Return-c.ret) > 1e-12 || r.Since.String() != c.since || r.Rank != c.rank || r.Phrase() != c.words {
			t.Errorf("%s: %+v %q", c.at, r, r.Phrase())
		}
	}
	best, err := BestIn(s, series.Weekly, series.MustDate("2025-01-20"), series.MustDate("2025-02-10"), false)
	if err != nil || best.Period.String() != "2025-02-07" {
		t.Errorf("best in %+v %v", best, err)
	}
	rr, err := RollingRelative(s, &series.Series{Name: "F", Kind: series.KindPrice, Dates: ds, Values: []float64{1, 1, 1, 1, 1, 1}}, 2)
	if err != nil || rr.Len() != 4 || math.Abs(rr.Values[0]-(1.01*1.05-1)) > 1e-12 {
		t.Errorf("rolling %+v %v", rr, err)
	}
}
