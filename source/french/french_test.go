package french

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

const dataDir = "../../snapshot/data/kenfrench/"

func parseFile(t testing.TB, name string) *File {
	t.Helper()
	b, err := os.ReadFile(dataDir + name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(bytes.NewReader(b), "kenfrench/"+name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

func mustSection(t *testing.T, f *File, key string) *Section {
	t.Helper()
	s, err := f.Section(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// value returns section key's column on date d.
func value(t *testing.T, f *File, key, col, d string) float64 {
	t.Helper()
	s, err := mustSection(t, f, key).Series(col)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := s.At(series.MustDate(d))
	if !ok {
		t.Fatalf("%s %q %s: no row on %s", f.Name, key, col, d)
	}
	return v
}

// same reports whether got is the double a reader gets from the file's text: the
// number parsed by strconv, divided by 100 for percent sections (as pandas' df/100).
func same(got float64, text string, percent bool) bool {
	want, err := strconv.ParseFloat(text, 64)
	if err != nil {
		panic(err)
	}
	if percent {
		want /= 100
	}
	return got == want || (math.IsNaN(got) && math.IsNaN(want))
}

type wantSection struct {
	key         string
	freq        series.Frequency
	percent     bool
	rows        int
	first, last string
}

// The counts, dates and values below were read from the files themselves (grep and
// sed on snapshot/data/kenfrench), not from this parser.
func TestParseRealFiles(t *testing.T) {
	mret := func(key string, rows int, first, last string) wantSection {
		return wantSection{key, series.Monthly, true, rows, first, last}
	}
	mlev := func(key string, rows int, first, last string) wantSection {
		return wantSection{key, series.Monthly, false, rows, first, last}
	}
	aret := func(key string, rows int, first, last string) wantSection {
		return wantSection{key, series.Annual, true, rows, first, last}
	}
	alev := func(key string, rows int, first, last string) wantSection {
		return wantSection{key, series.Annual, false, rows, first, last}
	}
	industry := func(n int) []wantSection {
		_ = n
		return []wantSection{
			mret("average-value-weighted-returns-monthly", 1182, "1926-07-31", "2024-12-31"),
			mret("average-equal-weighted-returns-monthly", 1182, "1926-07-31", "2024-12-31"),
			aret("average-value-weighted-returns-annual", 98, "1927-12-31", "2024-12-31"),
			aret("average-equal-weighted-returns-annual", 98, "1927-12-31", "2024-12-31"),
			mlev("number-of-firms-in-portfolios", 1182, "1926-07-31", "2024-12-31"),
			mlev("average-firm-size", 1182, "1926-07-31", "2024-12-31"),
			alev("sum-of-be-sum-of-me", 99, "1926-12-31", "2024-12-31"),
			alev("value-weighted-average-of-be-me", 99, "1926-12-31", "2024-12-31"),
		}
	}
	sorts := func(last string, monthly, annual, opRows int, annualLast string) []wantSection {
		return []wantSection{
			mret("", monthly, "1926-07-31", last),
			mret("average-equal-weighted-returns-monthly", monthly, "1926-07-31", last),
			aret("average-value-weighted-returns-annual", annual, "1927-12-31", annualLast),
			aret("average-equal-weighted-returns-annual", annual, "1927-12-31", annualLast),
			mlev("number-of-firms-in-portfolios", monthly, "1926-07-31", last),
			mlev("average-market-cap", monthly, "1926-07-31", last),
			mlev("value-weight-average-of-be-me", monthly, "1926-07-31", last),
			mlev("value-weight-average-of-be-fyt-1-me-june-t", monthly, "1926-07-31", last),
			mlev("value-weight-average-of-op", opRows, "1963-07-31", last),
			mlev("value-weight-average-of-investment-rate-of-growth-of-assets", opRows, "1963-07-31", last),
		}
	}
	six := sorts("2024-10-31", 1180, 97, 736, "2023-12-31")
	six[0].key = "average-value-weighted-returns-monthly"

	cases := []struct {
		file     string
		desc     int // description lines
		cols     int
		sections []wantSection
		check    func(t *testing.T, f *File)
	}{
		{"F-F_Research_Data_Factors_daily.CSV", 3, 4,
			[]wantSection{{"", series.Daily, true, 25817, "1926-07-01", "2024-08-30"}},
			func(t *testing.T, f *File) {
				// line 6:  19260701,    0.10,   -0.25,   -0.27,   0.009
				// line 25822: 20240830,    0.98,   -0.55,    0.04,   0.022
				for _, c := range []struct{ col, d, text string }{
					{"Mkt-RF", "1926-07-01", "0.10"}, {"SMB", "1926-07-01", "-0.25"},
					{"HML", "1926-07-01", "-0.27"}, {"RF", "1926-07-01", "0.009"},
					{"Mkt-RF", "2024-08-30", "0.98"}, {"RF", "2024-08-30", "0.022"},
				} {
					if v := value(t, f, "", c.col, c.d); !same(v, c.text, true) {
						t.Errorf("%s %s = %v, want %s/100", c.col, c.d, v, c.text)
					}
				}
			}},
		{"F-F_Research_Data_Factors.CSV", 0, 4,
			[]wantSection{
				mret("", 1182, "1926-07-31", "2024-12-31"),
				aret("annual-factors-january-december", 98, "1927-12-31", "2024-12-31"),
			},
			func(t *testing.T, f *File) {
				// line 2: 192607,    2.96,   -2.56,   -2.43,    0.22
				if v := value(t, f, "", "SMB", "1926-07-31"); !same(v, "-2.56", true) {
					t.Errorf("SMB 1926-07 = %v", v)
				}
			}},
		{"F-F_Research_Data_5_Factors_2x3.csv", 2, 6,
			[]wantSection{
				mret("", 734, "1963-07-31", "2024-08-31"),
				aret("annual-factors-january-december", 60, "1964-12-31", "2023-12-31"),
			},
			func(t *testing.T, f *File) {
				// line 738: 202408,    1.61,   -3.65,   -1.12,    0.85,    0.86,    0.48
				if v := value(t, f, "", "CMA", "2024-08-31"); !same(v, "0.86", true) {
					t.Errorf("CMA 2024-08 = %v", v)
				}
			}},
		{"F-F_Research_Data_5_Factors_2x3_daily.CSV", 2, 6,
			[]wantSection{{"", series.Daily, true, 15397, "1963-07-01", "2024-08-30"}},
			func(t *testing.T, f *File) {
				// line 5: 19630701,   -0.67,    0.02,   -0.35,    0.03,    0.13,   0.012
				if v := value(t, f, "", "RF", "1963-07-01"); !same(v, "0.012", true) {
					t.Errorf("RF 1963-07-01 = %v", v)
				}
			}},
		{"F-F_Momentum_Factor.CSV", 11, 1,
			[]wantSection{
				mret("", 1174, "1927-01-31", "2024-10-31"),
				aret("annual-factors-january-december", 97, "1927-12-31", "2023-12-31"),
			},
			func(t *testing.T, f *File) {
				// header ",Mom   " (trailing spaces); line 1188: 202410,   2.84; line 1289:   2023, -24.30
				if v := value(t, f, "", "Mom", "2024-10-31"); !same(v, "2.84", true) {
					t.Errorf("Mom 2024-10 = %v", v)
				}
				if v := value(t, f, "Annual Factors: January-December", "Mom", "2023-12-31"); !same(v, "-24.30", true) {
					t.Errorf("Mom 2023 = %v", v)
				}
			}},
		{"12_Industry_Portfolios.CSV", 5, 12, industry(12),
			func(t *testing.T, f *File) {
				// line 1194: 202412,  -5.04,  11.00, ...; line 3770 (firms): 202412,    140,     91, ...
				// line 5059 (Sum of BE / Sum of ME):   2024,   0.30,   0.26, ...
				if v := value(t, f, "", "Durbl", "2024-12-31"); !same(v, "11.00", true) {
					t.Errorf("Durbl 2024-12 = %v", v)
				}
				if v := value(t, f, "number-of-firms-in-portfolios", "Durbl", "2024-12-31"); v != 91 {
					t.Errorf("firms Durbl 2024-12 = %v", v)
				}
				if v := value(t, f, "Sum of BE / Sum of ME", "NoDur", "2024-12-31"); v != 0.30 {
					t.Errorf("BE/ME NoDur 2024 = %v", v)
				}
				// padded column name "Hlth " is trimmed
				if _, err := mustSection(t, f, "").Series("Hlth"); err != nil {
					t.Error(err)
				}
			}},
		{"49_Industry_Portfolios.CSV", 5, 49, industry(49),
			func(t *testing.T, f *File) {
				// line 13: 192607,   2.37,   0.12, -99.99, ... (Soda missing in 1926)
				if v := value(t, f, "", "Soda", "1926-07-31"); !math.IsNaN(v) {
					t.Errorf("Soda 1926-07 = %v, want NaN", v)
				}
				// line 775: 199001, -11.55, ...
				if v := value(t, f, "", "Agric", "1990-01-31"); !same(v, "-11.55", true) {
					t.Errorf("Agric 1990-01 = %v", v)
				}
			}},
		{"6_Portfolios_2x3.CSV", 8, 6, six,
			func(t *testing.T, f *File) {
				// line 17: 192607,   1.0874, ...
				if v := value(t, f, "", "SMALL LoBM", "1926-07-31"); !same(v, "1.0874", true) {
					t.Errorf("SMALL LoBM 1926-07 = %v", v)
				}
			}},
		{"25_Portfolios_5x5.CSV", 0, 25, sorts("2024-12-31", 1182, 98, 738, "2024-12-31"),
			func(t *testing.T, f *File) {
				// line 2: 192607,   5.8248, ...; line 7333 (OP): 196307,  -0.9378, ...;
				// line 5398 (BE/ME): 196307,   0.2975, ...; line 3022 (firms): 196307,     90, ...
				if v := value(t, f, "", "SMALL LoBM", "1926-07-31"); !same(v, "5.8248", true) {
					t.Errorf("SMALL LoBM 1926-07 = %v", v)
				}
				if v := value(t, f, "value-weight-average-of-op", "SMALL LoBM", "1963-07-31"); v != -0.9378 {
					t.Errorf("OP SMALL LoBM 1963-07 = %v", v)
				}
				if v := value(t, f, "value-weight-average-of-be-me", "SMALL LoBM", "1963-07-31"); v != 0.2975 {
					t.Errorf("BE/ME SMALL LoBM 1963-07 = %v", v)
				}
				if v := value(t, f, "Number of Firms in Portfolios", "SMALL LoBM", "1963-07-31"); v != 90 {
					t.Errorf("firms SMALL LoBM 1963-07 = %v", v)
				}
			}},
		{"Portfolios_Formed_on_ME.CSV", 0, 19,
			[]wantSection{
				mret("", 1182, "1926-07-31", "2024-12-31"),
				mret("equal-weight-returns-monthly", 1182, "1926-07-31", "2024-12-31"),
				aret("value-weight-returns-annual-from-january-to-december", 98, "1927-12-31", "2024-12-31"),
				aret("equal-weight-returns-annual-from-january-to-december", 98, "1927-12-31", "2024-12-31"),
				mlev("number-of-firms-in-portfolios", 1182, "1926-07-31", "2024-12-31"),
				mlev("average-firm-size", 1182, "1926-07-31", "2024-12-31"),
			},
			func(t *testing.T, f *File) {
				// line 2: 192607,  -99.99,    0.14, ...; line 3764 (size): 192607,    -99.99,      3.26, ...
				if v := value(t, f, "", "<= 0", "1926-07-31"); !math.IsNaN(v) {
					t.Errorf("<= 0 1926-07 = %v, want NaN", v)
				}
				if v := value(t, f, "", "Lo 30", "1926-07-31"); !same(v, "0.14", true) {
					t.Errorf("Lo 30 1926-07 = %v", v)
				}
				if v := value(t, f, "average-firm-size", "Lo 30", "1926-07-31"); v != 3.26 {
					t.Errorf("size Lo 30 1926-07 = %v", v)
				}
				if v := value(t, f, "number-of-firms-in-portfolios", "<= 0", "1926-07-31"); v != 0 {
					t.Errorf("firms <= 0 1926-07 = %v", v)
				}
			}},
	}
	files, _ := filepath.Glob(dataDir + "*")
	if len(files) != len(cases) {
		t.Errorf("%d files in %s, %d cases: every French file needs a case", len(files), dataDir, len(cases))
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			f := parseFile(t, c.file)
			if len(f.Description) != c.desc {
				t.Errorf("description has %d lines, want %d", len(f.Description), c.desc)
			}
			if len(f.Sections) != len(c.sections) {
				t.Fatalf("%d sections, want %d", len(f.Sections), len(c.sections))
			}
			for i, w := range c.sections {
				s := f.Sections[i]
				if s.Key != w.key || s.Freq != w.freq || s.Percent != w.percent || len(s.Dates) != w.rows {
					t.Errorf("section %d: key %q freq %v percent %v rows %d; want %q %v %v %d",
						i, s.Key, s.Freq, s.Percent, len(s.Dates), w.key, w.freq, w.percent, w.rows)
				}
				if got := s.Dates[0].String() + ".." + s.Dates[len(s.Dates)-1].String(); got != w.first+".."+w.last {
					t.Errorf("section %q: dates %s, want %s..%s", s.Key, got, w.first, w.last)
				}
				if len(s.Columns) != c.cols {
					t.Errorf("section %q: %d columns, want %d", s.Key, len(s.Columns), c.cols)
				}
				// every section is addressable by its key
				if got, err := f.Section(s.Key); err != nil || got != s {
					t.Errorf("Section(%q) = %v, %v", s.Key, got, err)
				}
				checkInvariants(t, f)
			}
			c.check(t, f)
		})
	}
}

// checkInvariants asserts what every successful parse guarantees.
func checkInvariants(t testing.TB, f *File) {
	t.Helper()
	if len(f.Sections) == 0 {
		t.Fatal("no sections")
	}
	keys := map[string]bool{}
	for i, s := range f.Sections {
		if keys[s.Key] {
			t.Fatalf("duplicate key %q", s.Key)
		}
		keys[s.Key] = true
		if s.Key == "" && i > 0 {
			t.Fatalf("section %d has an empty key", i)
		}
		if got, err := f.Section(s.Key); err != nil || got != s {
			if !(i > 0 && s.Key == "") {
				t.Fatalf("section %d key %q not addressable: %v", i, s.Key, err)
			}
		}
		if len(s.Dates) == 0 {
			t.Fatalf("section %q has no rows", s.Key)
		}
		if len(s.Cols) != len(s.Columns) {
			t.Fatalf("section %q: %d value columns, %d names", s.Key, len(s.Cols), len(s.Columns))
		}
		for j, c := range s.Cols {
			if len(c) != len(s.Dates) {
				t.Fatalf("section %q column %q: %d values, %d dates", s.Key, s.Columns[j], len(c), len(s.Dates))
			}
		}
		for k := 1; k < len(s.Dates); k++ {
			if s.Dates[k] <= s.Dates[k-1] {
				t.Fatalf("section %q: dates not increasing at %d", s.Key, k)
			}
		}
		for _, c := range s.Columns {
			ser, err := s.Series(c)
			if err != nil {
				t.Fatalf("section %q column %q: %v", s.Key, c, err)
			}
			if ser.Len() != len(s.Dates) || ser.Name != c {
				t.Fatalf("series %q: len %d name %q", c, ser.Len(), ser.Name)
			}
		}
	}
}

// pct divides at run time, as the parser does (a constant expression would be exact).
func pct(v float64) float64 { return v / 100 }

func TestQuirks(t *testing.T) {
	type col struct {
		key, col string
		vals     []float64 // NaN compares equal to NaN
	}
	cases := []struct {
		name   string
		in     string
		keys   []string
		titles []string
		dates  []string // of the first section
		want   []col
	}{
		{
			name:  "description, blank, header, YYYYMMDD, CRLF, copyright",
			in:    "This file was created by X.\r\nSecond line.\r\n\r\n,Mkt-RF,SMB\r\n19260701,    0.10,   -0.25\r\n19260702,    0.45,   -0.33\r\n\r\nCopyright 2024 Eugene F. Fama and Kenneth R. French\r\n",
			keys:  []string{""},
			dates: []string{"1926-07-01", "1926-07-02"},
			want:  []col{{"", "SMB", []float64{pct(-0.25), pct(-0.33)}}},
		},
		{
			name:  "description and title stripped, YYYYMM dated on the month's last day",
			in:    ",Mkt-RF,RF\n192607,    2.96,    0.22\n192802,   -1.00,    0.30\n",
			keys:  []string{""},
			dates: []string{"1926-07-31", "1928-02-29"},
			want:  []col{{"", "RF", []float64{pct(0.22), pct(0.30)}}},
		},
		{
			name:   "title present and annual section with leading-space years",
			in:     "  Average Value Weighted Returns -- Monthly\n,NoDur,Hlth \n192607,   1.45,   1.77\n\n\n  Average Value Weighted Returns -- Annual\n,NoDur,Hlth \n  1927,  20.00, -99.99\n  1928,  -999,  10.00\n",
			keys:   []string{"average-value-weighted-returns-monthly", "average-value-weighted-returns-annual"},
			titles: []string{"Average Value Weighted Returns -- Monthly", "Average Value Weighted Returns -- Annual"},
			dates:  []string{"1926-07-31"},
			want: []col{
				{"", "Hlth", []float64{pct(1.77)}},
				{"average-value-weighted-returns-annual", "Hlth", []float64{math.NaN(), pct(10.00)}},
				{"average-value-weighted-returns-annual", "NoDur", []float64{pct(20.00), math.NaN()}},
			},
		},
		{
			name:   "two-line Annual Factors title and padded column name",
			in:     ",Mom   \n192701,   0.36\n\nAnnual Factors:\nJanuary-December \n,Mom   \n  1927,  24.06\n",
			keys:   []string{"", "annual-factors-january-december"},
			titles: []string{"", "Annual Factors: January-December"},
			dates:  []string{"1927-01-31"},
			want:   []col{{"annual-factors-january-december", "Mom", []float64{pct(24.06)}}},
		},
		{
			name: "multi-line For portfolios formed title is a level section",
			in: ",SMALL LoBM,BIG HiBM\n196307,   1.00,   2.00\n\n\n" +
				"  For portfolios formed in June of year t\n  Value Weight Average of BE/ME Calculated for June of t to June of t+1 as: \n  Sum[ME(Mth) * BE(Fiscal Year t-1) / ME(Dec t-1)] / Sum[ME(Mth)]\n,SMALL LoBM,BIG HiBM\n196307,   0.2975,   0.5583\n\n\n" +
				"  For portfolios formed in June of year t\n  Value Weight Average of OP Calculated as: \n,SMALL LoBM,BIG HiBM\n196307,  -0.9378,   0.5799\n",
			keys:   []string{"", "value-weight-average-of-be-me", "value-weight-average-of-op"},
			titles: []string{"", "Value Weight Average of BE/ME", "Value Weight Average of OP"},
			dates:  []string{"1963-07-31"},
			want: []col{
				{"", "BIG HiBM", []float64{pct(2.00)}},
				{"value-weight-average-of-be-me", "SMALL LoBM", []float64{0.2975}},
				{"value-weight-average-of-op", "SMALL LoBM", []float64{-0.9378}},
			},
		},
		{
			name:  "firm counts and sizes are levels",
			in:    "  Number of Firms in Portfolios\n,Lo 30\n192607,     153\n\n  Average Firm Size\n,Lo 30\n192607,    3.26\n\n  Sum of BE / Sum of ME\n,Lo 30\n  1926,   0.76\n",
			keys:  []string{"number-of-firms-in-portfolios", "average-firm-size", "sum-of-be-sum-of-me"},
			dates: []string{"1926-07-31"},
			want: []col{
				{"", "Lo 30", []float64{153}},
				{"average-firm-size", "Lo 30", []float64{3.26}},
				{"sum-of-be-sum-of-me", "Lo 30", []float64{0.76}},
			},
		},
		{
			name:  "UTF-8 BOM, trailing comma on header and rows, empty cell",
			in:    "\xef\xbb\xbf,A,B,\n192607,   1.00,,\n192608,   2.00,   3.00,\n",
			keys:  []string{""},
			dates: []string{"1926-07-31", "1926-08-31"},
			want:  []col{{"", "B", []float64{math.NaN(), pct(3.00)}}},
		},
		{
			name:   "duplicate titles get -2, untitled later section gets section-N",
			in:     "  Returns\n,A\n192607, 1\n\n  Returns\n,A\n192607, 2\n,A\n192607, 3\n",
			keys:   []string{"returns", "returns-2", "section-3"},
			titles: []string{"Returns", "Returns", ""},
			dates:  []string{"1926-07-31"},
		},
		{
			name:  "no final newline, exponent and long numbers take the slow path",
			in:    ",A,B\n19260701,1e-2,0.12345678901234567890",
			keys:  []string{""},
			dates: []string{"1926-07-01"},
			want:  []col{{"", "A", []float64{pct(1e-2)}}, {"", "B", []float64{pct(0.12345678901234567890)}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(c.in), "x/quirk.CSV")
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, f)
			var keys, titles []string
			for _, s := range f.Sections {
				keys = append(keys, s.Key)
				titles = append(titles, s.Title)
			}
			if strings.Join(keys, "|") != strings.Join(c.keys, "|") {
				t.Errorf("keys %q, want %q", keys, c.keys)
			}
			if c.titles != nil && strings.Join(titles, "|") != strings.Join(c.titles, "|") {
				t.Errorf("titles %q, want %q", titles, c.titles)
			}
			var ds []string
			for _, d := range f.Sections[0].Dates {
				ds = append(ds, d.String())
			}
			if strings.Join(ds, " ") != strings.Join(c.dates, " ") {
				t.Errorf("dates %v, want %v", ds, c.dates)
			}
			for _, w := range c.want {
				s, err := mustSection(t, f, w.key).Series(w.col)
				if err != nil {
					t.Fatal(err)
				}
				for i, v := range w.vals {
					g := s.Values[i]
					if !(g == v || (math.IsNaN(g) && math.IsNaN(v))) {
						t.Errorf("%q %q[%d] = %v, want %v", w.key, w.col, i, g, v)
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
		{"bad number", ",Agric,Banks\n192607, 1.0, 2.0\n192608, 1.0, -99.9x\n", 3, "Banks", `"-99.9x" is not a number`},
		{"short row", ",A,B,C\n192607, 1.0, 2.0\n", 2, "C", "row has 2 values, header has 3 columns"},
		{"long row", ",A\n192607, 1.0, 2.0\n", 2, "column 2", "more values"},
		{"bad month", ",A\n192613, 1.0\n", 2, "date", `"192613" is not a date`},
		{"bad day", ",A\n20230229, 1.0\n", 2, "date", `"20230229" is not a date`},
		{"odd date width", ",A\n19260, 1.0\n", 2, "date", "not a date"},
		{"date with letter", ",A\n1926O7, 1.0\n", 2, "date", "not a date"},
		{"dates go back", ",A\n192608, 1.0\n192607, 1.0\n", 3, "date", "does not follow"},
		{"duplicate date", "\n,A\n19260701, 1.0\n19260701, 1.0\n", 4, "date", "does not follow"},
		{"mixed frequency", ",A\n192607, 1.0\n19260801, 1.0\n", 3, "date", "earlier rows are monthly"},
		{"row before header", "192607, 1.0\n", 1, "date", "before any header"},
		{"row after text", ",A\n192607, 1.0\nNote\n192608, 1.0\n", 4, "date", "without a header"},
		{"header without rows", "  Returns\n,A\n\n  Next\n,A\n192607, 1\n", 2, "", "no data rows"},
		{"duplicate column", ",A,A\n192607, 1, 2\n", 1, "A", "duplicate column"},
		{"empty column name", ",A,,B\n192607, 1, 2, 3\n", 1, "column 2", "empty column"},
		{"no header at all", "just text\n", 1, "", "no section header"},
		{"empty input", "", 0, "", "no section header"},
		{"infinite value", ",A\n192607, 1e999\n", 2, "A", "is not a number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.in), "kenfrench/bad.CSV")
			var pe *source.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want *source.ParseError", err, err)
			}
			if !errors.Is(err, source.ErrBadInput) {
				t.Error("error does not wrap source.ErrBadInput")
			}
			if pe.File != "kenfrench/bad.CSV" || pe.Line != c.line || pe.Field != c.field {
				t.Errorf("file %q line %d field %q, want line %d field %q", pe.File, pe.Line, pe.Field, c.line, c.field)
			}
			msg := err.Error()
			if !strings.Contains(msg, "kenfrench/bad.CSV") || !strings.Contains(msg, c.msg) {
				t.Errorf("message %q lacks file or %q", msg, c.msg)
			}
			if c.line > 0 && !strings.Contains(msg, "line "+strconv.Itoa(c.line)) {
				t.Errorf("message %q does not name line %d", msg, c.line)
			}
			if c.field != "" && !strings.Contains(msg, strconv.Quote(c.field)) {
				t.Errorf("message %q does not name field %q", msg, c.field)
			}
		})
	}
}

func TestBaseName(t *testing.T) {
	for in, want := range map[string]string{
		"kenfrench/F-F_Research_Data_Factors_daily.CSV": "F-F_Research_Data_Factors_daily",
		"F-F_Research_Data_5_Factors_2x3.csv":           "F-F_Research_Data_5_Factors_2x3",
		`C:\data\12_Industry_Portfolios.CSV`:            "12_Industry_Portfolios",
		"":                                              "",
	} {
		if got := baseName(in); got != want {
			t.Errorf("baseName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSectionLookup(t *testing.T) {
	f := parseFile(t, "12_Industry_Portfolios.CSV")
	for _, key := range []string{
		"", "average-value-weighted-returns-monthly", "AVERAGE-VALUE-WEIGHTED-RETURNS-MONTHLY",
		"Average Value Weighted Returns -- Monthly", "  average value weighted returns -- monthly ",
	} {
		if s := mustSection(t, f, key); s != f.Sections[0] {
			t.Errorf("Section(%q) = %q", key, s.Key)
		}
	}
	if s := mustSection(t, f, "Value-Weighted Average of BE/ME"); s.Key != "value-weighted-average-of-be-me" {
		t.Errorf("by title: %q", s.Key)
	}
	if _, err := f.Section("no such section"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "average-firm-size") {
		t.Errorf("missing section error %v", err)
	}
	if _, err := f.Sections[0].Series("Nope"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "NoDur") {
		t.Errorf("missing column error %v", err)
	}
}

func TestSeriesProvenance(t *testing.T) {
	f := parseFile(t, "F-F_Research_Data_Factors.CSV")
	s, err := mustSection(t, f, "").Series("SMB")
	if err != nil {
		t.Fatal(err)
	}
	p := s.Prov
	if s.Name != "SMB" || s.Kind != series.KindReturn || s.Freq != series.Monthly ||
		p.Provider != "french" || p.SourceID != "F-F_Research_Data_Factors/SMB" ||
		p.File != "kenfrench/F-F_Research_Data_Factors.CSV" || p.Lag.Days != 30 || p.Lag.PeriodStart || p.Unit != "decimal return" {
		t.Errorf("series %q %v %v prov %+v", s.Name, s.Kind, s.Freq, p)
	}
	// published a month after the month ends
	if got := p.Lag.Published(series.MustDate("2024-01-31")).String(); got != "2024-03-01" {
		t.Errorf("published %s", got)
	}
	a, err := mustSection(t, f, "annual-factors-january-december").Series("RF")
	if err != nil {
		t.Fatal(err)
	}
	if a.Prov.SourceID != "F-F_Research_Data_Factors/annual-factors-january-december/RF" || a.Freq != series.Annual {
		t.Errorf("annual source id %q freq %v", a.Prov.SourceID, a.Freq)
	}
	// the series owns its slices
	a.Values[0] = 42
	if f.Sections[1].Cols[3][0] == 42 {
		t.Error("Series shares memory with the section")
	}
	g := parseFile(t, "12_Industry_Portfolios.CSV")
	n, err := mustSection(t, g, "number-of-firms-in-portfolios").Series("NoDur")
	if err != nil {
		t.Fatal(err)
	}
	if n.Kind != series.KindLevel || n.Prov.Unit != "count" {
		t.Errorf("firm count kind %v unit %q", n.Kind, n.Prov.Unit)
	}
}

// TestParseNumberMatchesStrconv checks the fast path against strconv.ParseFloat on
// every value of every French file and on awkward shapes.
func TestParseNumberMatchesStrconv(t *testing.T) {
	check := func(s string) {
		got, ok := parseNumber([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		wantOK := err == nil && !math.IsInf(want, 0)
		if ok != wantOK {
			t.Fatalf("parseNumber(%q) ok=%v, strconv err=%v", s, ok, err)
		}
		if ok && math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("parseNumber(%q) = %v (%x), strconv %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
	for _, s := range []string{
		"0", "-0", "-0.00", "+1.5", ".5", "5.", "-.5", "1.23", "-0.456", "0.009", "-99.99", "-999",
		"9007199254740991", "9007199254740992", "9007199254740993", "0.1234567890123456789",
		"123456789012345678901234", "1e5", "1E-5", "0x1p-2", "NaN", "inf", "-Inf", "1e400",
		"", "-", "+", ".", "-.", "1.2.3", "1_000", "1,0", " 1", "0.0000000000000000000001",
		"0.00000000000000000000001", "4.35", "1.1", "2.675", "0.30000000000000004",
	} {
		check(s)
	}
	files, _ := filepath.Glob(dataDir + "*")
	n := 0
	for _, fn := range files {
		b, err := os.ReadFile(fn)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			fields := strings.Split(strings.TrimRight(line, "\r"), ",")
			if len(fields) < 2 || strings.TrimSpace(fields[0]) == "" {
				continue
			}
			for _, fl := range fields[1:] {
				if fl = strings.TrimSpace(fl); fl != "" {
					check(fl)
					n++
				}
			}
		}
	}
	if n < 800_000 {
		t.Errorf("checked only %d values", n)
	}
}

func BenchmarkParseFrenchDaily(b *testing.B) {
	benchFile(b, "F-F_Research_Data_Factors_daily.CSV")
}

func BenchmarkParseFrench25Portfolios(b *testing.B) {
	benchFile(b, "25_Portfolios_5x5.CSV")
}

func benchFile(b *testing.B, name string) {
	data, err := os.ReadFile(dataDir + name)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), name); err != nil {
			b.Fatal(err)
		}
	}
}
