package study

import (
	"testing"
	"time"

	"github.com/ratecycle/ratecycle/series"
)

func TestParseWindow(t *testing.T) {
	cases := []struct {
		in      string
		want    Window
		wantErr bool
	}{
		{"0:1m", Window{Bound{0, Periods}, Bound{1, Months}}, false},
		{"-1m:0", Window{Bound{-1, Months}, Bound{0, Periods}}, false},
		{"0:1d", Window{Bound{0, Periods}, Bound{1, Days}}, false},
		{"0:1w", Window{Bound{0, Periods}, Bound{1, Weeks}}, false},
		{"-250:-11", Window{Bound{-250, Periods}, Bound{-11, Periods}}, false},
		{" 0 : 12M ", Window{Bound{0, Periods}, Bound{12, Months}}, false},
		{"0m:0", Window{}, false},
		{"1m:0", Window{}, true},
		{"-11:-250", Window{}, true},
		{"0-1m", Window{}, true},
		{"0:1y", Window{}, true},
		{"a:b", Window{}, true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			w, err := ParseWindow(c.in)
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && w != c.want {
				t.Fatalf("got %+v, want %+v", w, c.want)
			}
		})
	}
	if got := MustWindows("0:1d,-1m:0,-250:-11")[1].String(); got != "-1m:0" {
		t.Errorf("String = %q", got)
	}
}

// businessDays returns the Monday-Friday dates from..to.
func businessDays(from, to string) []series.Date {
	var ds []series.Date
	for d := series.MustDate(from); d <= series.MustDate(to); d = d.AddDays(1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			ds = append(ds, d)
		}
	}
	return ds
}

func monthEnds(from string, n int) []series.Date {
	var ds []series.Date
	d := series.MustDate(from)
	for i := 0; i < n; i++ {
		ds = append(ds, d.AddMonths(i).MonthEnd())
	}
	return ds
}

func TestAnchorsDaily(t *testing.T) {
	g := Grid{Dates: businessDays("2023-01-02", "2024-12-31")}
	cases := []struct {
		event, window string
		start, end    string
		reason        string
	}{
		{"2024-09-18", "0:1d", "2024-09-17", "2024-09-19", ""},
		{"2024-09-18", "0:0", "2024-09-17", "2024-09-18", ""},
		{"2024-09-18", "1:5", "2024-09-18", "2024-09-25", ""},
		{"2024-09-18", "0:1m", "2024-09-17", "2024-10-18", ""},
		{"2024-09-18", "1m:3m", "2024-10-18", "2024-12-18", ""},
		{"2024-09-18", "-1m:0", "2024-08-16", "2024-09-18", ""},
		{"2024-03-17", "0:1d", "2024-03-15", "2024-03-19", ""}, // Sunday: day 0 is Monday
		{"2024-08-23", "0:1w", "2024-08-22", "2024-08-30", ""},
		{"2024-01-31", "0:1m", "2024-01-30", "2024-02-29", ""},     // AddMonths clamps to the month end
		{"2024-09-18", "-250:-11", "2023-10-03", "2024-09-03", ""}, // numpy busday_count: 251 and 11 days before
		{"2024-09-18", "0:6m", "", "", "window ends after the data"},
		{"2023-01-02", "0:1d", "", "", ReasonBeforeData},
		{"2025-01-02", "0:1d", "", "", "after the data end"},
	}
	for _, c := range cases {
		t.Run(c.event+" "+c.window, func(t *testing.T) {
			ev := series.MustDate(c.event)
			s, e, reason, ok := g.Anchors(ev, g.Day0(ev), mustWindow(c.window))
			if c.reason != "" {
				if ok || reason != c.reason {
					t.Fatalf("ok=%v reason=%q, want %q", ok, reason, c.reason)
				}
				return
			}
			if !ok {
				t.Fatalf("not ok: %s", reason)
			}
			if g.Dates[s].String() != c.start || g.Dates[e].String() != c.end {
				t.Fatalf("got %s..%s, want %s..%s", g.Dates[s], g.Dates[e], c.start, c.end)
			}
		})
	}
}

func TestAnchorsMonthly(t *testing.T) {
	g := Grid{Dates: monthEnds("2000-01-31", 72), Monthly: true}
	cases := []struct {
		event, window string
		start, end    string
		bad           bool
	}{
		{"2003-03-19", "0:1m", "2003-02-28", "2003-03-31", false},
		{"2003-03-19", "0:3m", "2003-02-28", "2003-05-31", false},
		{"2003-03-19", "0:12m", "2003-02-28", "2004-02-29", false},
		{"2003-03-19", "-1m:0", "2003-01-31", "2003-02-28", false},
		{"2003-03-01", "0:1m", "2003-02-28", "2003-03-31", false}, // inferred events are dated the 1st
		{"2003-03-31", "0:1m", "2003-02-28", "2003-03-31", false}, // announced on the last day
		{"2003-03-19", "-12:-1", "2002-02-28", "2003-02-28", false},
		{"2003-03-19", "0:1d", "", "", true},
		{"2005-06-15", "0:12m", "", "", true},
	}
	for _, c := range cases {
		t.Run(c.event+" "+c.window, func(t *testing.T) {
			ev := series.MustDate(c.event)
			s, e, reason, ok := g.Anchors(ev, g.Day0(ev), mustWindow(c.window))
			if c.bad {
				if ok {
					t.Fatalf("want not ok, got %s..%s", g.Dates[s], g.Dates[e])
				}
				return
			}
			if !ok {
				t.Fatalf("not ok: %s", reason)
			}
			if g.Dates[s].String() != c.start || g.Dates[e].String() != c.end {
				t.Fatalf("got %s..%s, want %s..%s", g.Dates[s], g.Dates[e], c.start, c.end)
			}
		})
	}
}

func mustWindow(s string) Window {
	w, err := ParseWindow(s)
	if err != nil {
		panic(err)
	}
	return w
}
