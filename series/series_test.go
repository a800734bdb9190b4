package series

import (
	"math"
	"testing"
	"time"
)

func TestDateRoundTrip(t *testing.T) {
	for d := NewDate(1789, 1, 1); d < NewDate(2100, 1, 1); d += 37 {
		want := d.Time()
		y, m, dd := d.YMD()
		if y != want.Year() || m != want.Month() || dd != want.Day() {
			t.Fatalf("%d: YMD %d-%d-%d, time says %v", d, y, m, dd, want)
		}
		if NewDate(y, m, dd) != d {
			t.Fatalf("NewDate(YMD(%d)) != %d", d, d)
		}
		if d.Weekday() != want.Weekday() {
			t.Fatalf("%s weekday %v want %v", d, d.Weekday(), want.Weekday())
		}
	}
	if got := NewDate(1970, 1, 1); got != 0 {
		t.Fatalf("epoch = %d", got)
	}
}

func TestParseDate(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"2024-09-18", "2024-09-18", true},
		{"2024/09/18", "2024-09-18", true},
		{"20240918", "2024-09-18", true},
		{"2023-02-29", "", false},
		{"2024-02-29", "2024-02-29", true},
		{"2024-13-01", "", false},
		{"24-09-18", "", false},
		{"2024-9-18", "", false},
	}
	for _, c := range cases {
		d, err := ParseDate(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ParseDate(%q) err=%v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if c.ok && d.String() != c.want {
			t.Errorf("ParseDate(%q) = %s want %s", c.in, d, c.want)
		}
	}
}

func TestAddMonthsClamps(t *testing.T) {
	cases := map[string]struct {
		from string
		n    int
		want string
	}{
		"end of Jan to Feb leap": {"2024-01-31", 1, "2024-02-29"},
		"backwards across year":  {"2024-03-31", -13, "2023-02-28"},
		"twelve":                 {"2019-07-31", 12, "2020-07-31"},
	}
	for name, c := range cases {
		if got := MustDate(c.from).AddMonths(c.n).String(); got != c.want {
			t.Errorf("%s: got %s want %s", name, got, c.want)
		}
	}
}

func mk(t *testing.T, kind Kind, dates []string, v []float64) *Series {
	t.Helper()
	ds := make([]Date, len(dates))
	for i, s := range dates {
		ds[i] = MustDate(s)
	}
	s, err := New("x", kind, Daily, ds, v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReturnsAndCumulate(t *testing.T) {
	p := mk(t, KindPrice, []string{"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"}, []float64{100, 110, math.NaN(), 99})
	r := p.Returns()
	if r.Len() != 2 || math.Abs(r.Values[0]-0.1) > 1e-15 || math.Abs(r.Values[1]-(99.0/110-1)) > 1e-15 {
		t.Fatalf("returns %v %v", r.Dates, r.Values)
	}
	w := r.Cumulate(100)
	if math.Abs(w.Values[1]-99) > 1e-12 {
		t.Fatalf("cumulate %v", w.Values)
	}
	if g, n := Compound(r.Values); n != 2 || math.Abs(g+0.01) > 1e-15 {
		t.Fatalf("compound %v %d", g, n)
	}
}

func TestResampleMonthly(t *testing.T) {
	r := mk(t, KindReturn, []string{"2024-01-30", "2024-01-31", "2024-02-01", "2024-02-29"}, []float64{0.01, 0.02, math.NaN(), -0.01})
	m := r.Resample(Monthly, CompoundReturns)
	if m.Len() != 2 || m.Dates[0].String() != "2024-01-31" || m.Dates[1].String() != "2024-02-29" {
		t.Fatalf("dates %v", m.Dates)
	}
	if math.Abs(m.Values[0]-(1.01*1.02-1)) > 1e-15 || math.Abs(m.Values[1]+0.01) > 1e-15 {
		t.Fatalf("values %v", m.Values)
	}
	w := r.Resample(Weekly, Sum)
	if w.Dates[0].Weekday() != time.Friday {
		t.Fatalf("weekly label %s is a %v", w.Dates[0], w.Dates[0].Weekday())
	}
}

func TestAsOfJoinAndAlign(t *testing.T) {
	a := mk(t, KindRate, []string{"2024-01-01", "2024-01-05"}, []float64{5, 4.75})
	b := mk(t, KindRate, []string{"2024-01-02", "2024-01-05"}, []float64{1, 2})
	f := AsOfJoin([]Date{MustDate("2023-12-31"), MustDate("2024-01-03"), MustDate("2024-01-06")}, 0, a, b)
	if !math.IsNaN(f.Cols[0][0]) || f.Cols[0][1] != 5 || f.Cols[0][2] != 4.75 || f.Cols[1][1] != 1 {
		t.Fatalf("asof %v", f.Cols)
	}
	in := Align(Inner, a, b)
	if len(in.Dates) != 1 || in.Dates[0].String() != "2024-01-05" {
		t.Fatalf("inner %v", in.Dates)
	}
	out := Align(Outer, a, b)
	if len(out.Dates) != 3 || !math.IsNaN(out.Cols[1][0]) {
		t.Fatalf("outer %v %v", out.Dates, out.Cols)
	}
}

func TestPublishedLag(t *testing.T) {
	// USREC for March 2020 is dated 2020-03-01; with a 120-day lag it is public after the month ends.
	l := Lag{Days: 120, PeriodStart: true, Freq: Monthly}
	if got := l.Published(MustDate("2020-03-01")).String(); got != "2020-07-29" {
		t.Fatalf("published %s", got)
	}
	s := mk(t, KindLevel, []string{"2020-02-01", "2020-03-01"}, []float64{0, 1})
	s.Freq = Monthly
	s.Prov.Lag = l
	if _, at, _ := s.AsOfPublished(MustDate("2020-06-30")); at.String() != "2020-02-01" {
		t.Fatalf("as of published %s", at)
	}
}

func TestNewRejectsUnsorted(t *testing.T) {
	_, err := New("x", KindLevel, Daily, []Date{2, 1}, []float64{1, 2})
	if err == nil {
		t.Fatal("want error for unsorted dates")
	}
}
