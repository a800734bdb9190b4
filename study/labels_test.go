package study

import (
	"errors"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

func TestParseLabels(t *testing.T) {
	cases := []struct {
		name, in string
		wantErr  string // substring; "" = ok
		at       map[string]string
	}{
		{"header and steps", "date,regime\n2020-03-15,easing\n2022-03-16,tightening\n", "",
			map[string]string{"2020-03-14": "", "2020-03-15": "easing", "2021-01-01": "easing", "2030-01-01": "tightening"}},
		{"no header, unsorted, BOM", "\xef\xbb\xbf2022-03-16,up\r\n2020-03-15,down\r\n", "",
			map[string]string{"2021-01-01": "down", "2022-03-16": "up"}},
		{"bad date", "date,regime\n2020-13-01,easing\n", "line 2 field \"date\"", nil},
		{"empty label", "2020-01-01,\n", "line 1 field \"regime\"", nil},
		{"three columns", "2020-01-01,a,b\n", "line 1: want two columns", nil},
		{"duplicate", "2020-01-01,a\n2020-01-01,b\n", "given twice", nil},
		{"empty", "date,regime\n", "no rows", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, err := ParseLabels(strings.NewReader(c.in), "r.csv")
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || !errors.Is(err, source.ErrBadInput) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for d, want := range c.at {
				if got := u.Label(series.MustDate(d)); got != want {
					t.Errorf("%s: %q, want %q", d, got, want)
				}
			}
		})
	}
}

func TestParseEvents(t *testing.T) {
	evs, err := ParseEvents(strings.NewReader("# speeches\ndate,label\n2025-08-22,Jackson Hole\n\n2024-08-23\n"), "e.csv")
	if err != nil || len(evs) != 2 || evs[0].Date.String() != "2024-08-23" || evs[1].Label != "Jackson Hole" {
		t.Fatalf("%+v %v", evs, err)
	}
	for _, bad := range []string{"", "# only\n", "2025-08-22\nnot a date\n", "2025-08-22\n2025-08-22\n"} {
		if _, err := ParseEvents(strings.NewReader(bad), "e.csv"); !errors.Is(err, source.ErrBadInput) {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}

// FuzzParseLabels checks that no input makes the parser panic, and that what parses is
// sorted with unique dates and non-empty labels.
func FuzzParseLabels(f *testing.F) {
	f.Add([]byte("date,regime\n2020-03-15,easing\n2022-03-16,tightening\n"))
	f.Add([]byte("2020/03/15,\"easing, early\"\n20220316,hold\n"))
	f.Add([]byte("\xef\xbb\xbf2022-03-16,up\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := ParseLabels(strings.NewReader(string(b)), "fuzz.csv")
		if err != nil {
			if !errors.Is(err, source.ErrBadInput) {
				t.Fatalf("error not a parse error: %v", err)
			}
			return
		}
		for i := range u.Dates {
			if u.Labels[i] == "" || (i > 0 && u.Dates[i] <= u.Dates[i-1]) {
				t.Fatalf("bad result %v %v", u.Dates, u.Labels)
			}
		}
	})
}

// FuzzParseEvents checks that no input makes the events parser panic.
func FuzzParseEvents(f *testing.F) {
	f.Add([]byte("# speeches\ndate,label\n2025-08-22,Jackson Hole\n2024-08-23\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		evs, err := ParseEvents(strings.NewReader(string(b)), "fuzz.csv")
		if err != nil {
			if !errors.Is(err, source.ErrBadInput) {
				t.Fatalf("error not a parse error: %v", err)
			}
			return
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].Date <= evs[i-1].Date {
				t.Fatal("not sorted")
			}
		}
	})
}
