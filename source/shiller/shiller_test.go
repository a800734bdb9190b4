package shiller

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
	"github.com/ratecycle/ratecycle/source/sourcetest"
)

const realFile = "../../snapshot/data/shiller-datahub/data.csv"

func parseReal(t testing.TB) *Table {
	t.Helper()
	b, err := os.ReadFile(realFile)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Parse(bytes.NewReader(b), "shiller-datahub/data.csv")
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func checkInvariants(t testing.TB, tb *Table) {
	t.Helper()
	if len(tb.Dates) == 0 || len(tb.Columns) == 0 || len(tb.Cols) != len(tb.Columns) {
		t.Fatalf("%d dates, %d columns, %d value columns", len(tb.Dates), len(tb.Columns), len(tb.Cols))
	}
	for i := 1; i < len(tb.Dates); i++ {
		if tb.Dates[i] <= tb.Dates[i-1] {
			t.Fatalf("dates not increasing at %d", i)
		}
	}
	for j, c := range tb.Cols {
		if len(c) != len(tb.Dates) {
			t.Fatalf("column %q: %d values for %d dates", tb.Columns[j], len(c), len(tb.Dates))
		}
		for _, v := range c {
			if v == 0 || math.IsInf(v, 0) {
				t.Fatalf("column %q holds %v", tb.Columns[j], v)
			}
		}
		s, err := tb.Series(tb.Columns[j])
		if err != nil || s.Len() != len(tb.Dates) || !s.Prov.Lag.PeriodStart {
			t.Fatalf("Series(%q): %v", tb.Columns[j], err)
		}
	}
}

// Expectations from the MANIFEST and grep on the file (line numbers in comments).
func TestParseRealFile(t *testing.T) {
	tb := parseReal(t)
	checkInvariants(t, tb)
	want := []string{SP500, Dividend, Earnings, CPI, LongRate, RealPrice, RealDividend, RealEarnings, PE10}
	if strings.Join(tb.Columns, "|") != strings.Join(want, "|") {
		t.Errorf("columns %q", tb.Columns)
	}
	if len(tb.Dates) != 1866 || tb.Dates[0].String() != "1871-01-01" || tb.Dates[len(tb.Dates)-1].String() != "2026-06-01" {
		t.Errorf("%d rows %s..%s", len(tb.Dates), tb.Dates[0], tb.Dates[len(tb.Dates)-1])
	}
	at := func(col, d string) float64 {
		s, err := tb.Series(col)
		if err != nil {
			t.Fatal(err)
		}
		v, ok := s.At(series.MustDate(d))
		if !ok {
			t.Fatalf("%s: no row %s", col, d)
		}
		return v
	}
	cases := []struct {
		col, date string
		want      float64 // NaN for the 0.0 marker
	}{
		{PE10, "1880-12-01", math.NaN()}, // line 121: ...,15.77,0.0
		{PE10, "1881-01-01", 18.47},      // line 122
		{SP500, "2020-03-01", 2652.3936363636367},
		{LongRate, "2020-03-01", 0.87},
		{Dividend, "2023-06-01", 68.71},      // line 1831
		{Dividend, "2023-07-01", math.NaN()}, // line 1832: dividends end 2023-06
		{CPI, "2023-09-01", 306.13},          // line 1834
		{CPI, "2023-10-01", math.NaN()},      // line 1835: Shiller's own data ends 2023-09
		{SP500, "2023-10-01", 4269.40},
		{"pe10", "2023-09-01", 30.81}, // any case
	}
	for _, c := range cases {
		got := at(c.col, c.date)
		if !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s %s = %v, want %v", c.col, c.date, got, c.want)
		}
	}
	s, _ := tb.Series(SP500)
	if s.Kind != series.KindPrice || s.Freq != series.Monthly || s.Prov.Provider != "shiller" || s.Prov.SourceID != SP500 ||
		s.Prov.File != "shiller-datahub/data.csv" || !strings.Contains(s.Prov.Note, "ends 2023-09-01") {
		t.Errorf("SP500 %v %v prov %+v", s.Kind, s.Freq, s.Prov)
	}
	r, _ := tb.Series(LongRate)
	if r.Kind != series.KindRate || r.Prov.Unit != "percent" {
		t.Errorf("long rate kind %v unit %q", r.Kind, r.Prov.Unit)
	}
	// the March 2020 row covers March; with no lag it is public when March ends
	if got := r.Prov.Lag.Published(series.MustDate("2020-03-01")).String(); got != "2020-03-31" {
		t.Errorf("published %s", got)
	}
	if _, err := tb.Series("CAPE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown column: %v", err)
	}
}

func TestQuirks(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name  string
		in    string
		dates []string
		cols  [][]float64
	}{
		{"zero is missing", "Date,SP500,PE10\n1871-01-01,4.44,0.0\n1871-02-01,4.5,0\n", []string{"1871-01-01", "1871-02-01"}, [][]float64{{4.44, 4.5}, {nan, nan}}},
		{"empty is missing", "Date,SP500,PE10\n1871-01-01,4.44,\n", []string{"1871-01-01"}, [][]float64{{4.44}, {nan}}},
		{"negative zero is missing", "Date,SP500\n1871-01-01,-0.0\n", []string{"1871-01-01"}, [][]float64{{nan}}},
		{"CRLF, BOM, no final newline", "\xef\xbb\xbfDate,SP500\r\n1871-01-01,4.44\r\n1871-02-01,4.5", []string{"1871-01-01", "1871-02-01"}, [][]float64{{4.44, 4.5}}},
		{"long float", "Date,SP500\n2020-03-01,2652.3936363636367\n", []string{"2020-03-01"}, [][]float64{{2652.3936363636367}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb, err := Parse(strings.NewReader(c.in), "data.csv")
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, tb)
			var ds []string
			for _, d := range tb.Dates {
				ds = append(ds, d.String())
			}
			if strings.Join(ds, " ") != strings.Join(c.dates, " ") {
				t.Errorf("dates %v", ds)
			}
			for j, col := range c.cols {
				for i, v := range col {
					if g := tb.Cols[j][i]; !(g == v || math.IsNaN(g) && math.IsNaN(v)) {
						t.Errorf("col %d row %d = %v, want %v", j, i, g, v)
					}
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		line  int
		field string
		msg   string
	}{
		{"bad number", "Date,SP500,PE10\n1871-01-01,4.44,0.0\n1871-02-01,4.5,1O.2\n", 3, "PE10", `"1O.2" is not a number`},
		{"bad date", "Date,SP500\n1871-13-01,4.44\n", 2, "Date", `"1871-13-01" is not a date`},
		{"dates go back", "Date,SP500\n1871-02-01,1\n1871-01-01,1\n", 3, "Date", "does not follow"},
		{"short row", "Date,SP500,Dividend,Earnings\n1871-01-01,4.44\n", 2, "Dividend", "row has 2 fields"},
		{"long row", "Date,SP500\n1871-01-01,4.44,1\n", 2, "column 3", "row has 3 fields"},
		{"no Date column", "SP500,PE10\n4.44,1\n", 1, "SP500", "must start with Date"},
		{"no value columns", "Date\n1871-01-01\n", 1, "", "no value columns"},
		{"duplicate column", "Date,PE10,PE10\n1871-01-01,1,1\n", 1, "PE10", "duplicate column"},
		{"empty column name", "Date,,PE10\n1871-01-01,1,1\n", 1, "column 2", "empty column"},
		{"header only", "Date,SP500\n", 1, "", "no rows"},
		{"empty", "", 0, "", "no header"},
		{"infinite", "Date,SP500\n1871-01-01,1e999\n", 2, "SP500", "is not a number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.in), "shiller/bad.csv")
			sourcetest.CheckParseError(t, err, "shiller/bad.csv", c.line, c.field, c.msg)
		})
	}
}

func FuzzParseShiller(f *testing.F) {
	b, err := os.ReadFile(realFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:2048])
	f.Add(b[len(b)-2048:])
	f.Add(append(b[:200:200], "\r\n1871-03-01,,0.0,-0,\"1\",1e3,,,,\n"...))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := Parse(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			var pe *source.ParseError
			if !errors.As(err, &pe) || pe.File != "fuzz.csv" {
				t.Fatalf("error %v (%T) is not a ParseError naming the file", err, err)
			}
			return
		}
		checkInvariants(t, tb)
	})
}

func BenchmarkParseShiller(b *testing.B) {
	data, err := os.ReadFile(realFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "data.csv"); err != nil {
			b.Fatal(err)
		}
	}
}
