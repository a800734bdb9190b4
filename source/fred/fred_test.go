package fred

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
	"github.com/ratecycle/ratecycle/source/sourcetest"
)

const dataDir = "../../snapshot/data/"

func parseFile(t testing.TB, name string) *series.Series {
	t.Helper()
	b, err := os.ReadFile(dataDir + name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(bytes.NewReader(b), name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The expectations come from the MANIFEST and from head/tail/grep on each file.
func TestParseRealFiles(t *testing.T) {
	cases := []struct {
		file        string
		name        string
		freq        series.Frequency
		rows, nans  int
		first, last string
		lastValue   float64
	}{
		{"fred/CPIAUCSL.csv", "CPIAUCSL", series.Monthly, 944, 0, "1947-01-01", "2025-08-01", 323.364},
		{"fred/DFEDTAR.csv", "DFEDTAR", series.Daily, 9577, 0, "1982-09-27", "2008-12-15", 1},
		{"fred/DFEDTARU.csv", "DFEDTARU", series.Daily, 6176, 0, "2008-12-16", "2025-11-12", 4},
		{"fred/DFF.csv", "DFF", series.Daily, 26034, 0, "1954-07-01", "2025-10-09", 4.10},
		{"fred/FEDFUNDS.csv", "FEDFUNDS", series.Monthly, 850, 0, "1954-07-01", "2025-04-01", 4.33},
		{"fred/T10Y2Y.csv", "T10Y2Y", series.Daily, 12884, 542, "1976-06-01", "2025-10-17", 0.56},
		{"fred-hussam-2024/DFEDTARL.csv", "DFEDTARL", series.Daily, 5525, 0, "2008-12-16", "2024-01-31", 5.25},
		{"fred-bendsbeforethebreak/DGS10.csv", "DGS10", series.Daily, 16670, 711, "1962-01-02", "2025-11-24", 4.04},
		{"fred-bendsbeforethebreak/DGS2.csv", "DGS2", series.Daily, 12910, 543, "1976-06-01", "2025-11-24", 3.46},
		{"fred-bendsbeforethebreak/DGS3MO.csv", "DGS3MO", series.Daily, 11540, -1, "1981-09-01", "2025-11-24", 3.91},
		{"fred-bendsbeforethebreak/USREC.csv", "USREC", series.Monthly, 2051, 0, "1854-12-01", "2025-10-01", 0},
		{"carpet155-macro-regime/CPIAUCSL.csv", "", series.Monthly, 314, 0, "2000-01-01", "2026-03-01", 330.293},
		{"carpet155-macro-regime/DGS10.csv", "", series.Daily, 6571, 0, "2000-01-03", "2026-04-10", 4.31},
		{"carpet155-macro-regime/DGS2.csv", "", series.Daily, 6571, 0, "2000-01-03", "2026-04-10", 3.81},
		{"carpet155-macro-regime/FEDFUNDS.csv", "", series.Monthly, 315, 0, "2000-01-01", "2026-03-01", 3.64},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			s := parseFile(t, c.file)
			if s.Name != c.name || s.Prov.SourceID != c.name || s.Freq != c.freq || s.Len() != c.rows {
				t.Errorf("name %q id %q freq %v rows %d; want %q %v %d", s.Name, s.Prov.SourceID, s.Freq, s.Len(), c.name, c.freq, c.rows)
			}
			if s.First().String() != c.first || s.Last().String() != c.last {
				t.Errorf("range %s..%s, want %s..%s", s.First(), s.Last(), c.first, c.last)
			}
			if v := s.Values[s.Len()-1]; v != c.lastValue {
				t.Errorf("last value %v, want %v", v, c.lastValue)
			}
			nans := 0
			for _, v := range s.Values {
				if math.IsNaN(v) {
					nans++
				}
			}
			if c.nans >= 0 && nans != c.nans {
				t.Errorf("%d missing values, want %d", nans, c.nans)
			}
			p := s.Prov
			if p.Provider != "fred" || p.File != c.file || s.Kind != series.KindLevel || p.Lag.PeriodStart != (c.freq == series.Monthly) {
				t.Errorf("kind %v prov %+v", s.Kind, p)
			}
			checkInvariants(t, s)
		})
	}
}

func checkInvariants(t testing.TB, s *series.Series) {
	t.Helper()
	if len(s.Dates) != len(s.Values) || len(s.Dates) == 0 {
		t.Fatalf("%d dates, %d values", len(s.Dates), len(s.Values))
	}
	for i := 1; i < len(s.Dates); i++ {
		if s.Dates[i] <= s.Dates[i-1] {
			t.Fatalf("dates not increasing at %d: %s after %s", i, s.Dates[i], s.Dates[i-1])
		}
	}
	for _, v := range s.Values {
		if math.IsInf(v, 0) {
			t.Fatal("infinite value")
		}
	}
}

func TestQuirks(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name   string
		in     string
		id     string
		dates  []string
		values []float64
	}{
		{"new header", "observation_date,DFF\n1954-07-01,1.13\n1954-07-02,1.25\n", "DFF", []string{"1954-07-01", "1954-07-02"}, []float64{1.13, 1.25}},
		{"old header", "DATE,FEDFUNDS\n1954-07-01,0.8\n", "FEDFUNDS", []string{"1954-07-01"}, []float64{0.8}},
		{"lower-case id", "observation_date,dgs10\n1962-01-02,4.06\n", "DGS10", []string{"1962-01-02"}, []float64{4.06}},
		{"reformatted date,value", "date,value\n2000-01-01,169.3\n", "", []string{"2000-01-01"}, []float64{169.3}},
		{"dot is missing", "DATE,DGS10\n1962-01-01,.\n1962-01-02,4.06\n", "DGS10", []string{"1962-01-01", "1962-01-02"}, []float64{nan, 4.06}},
		{"empty is missing", "observation_date,T10Y2Y\n1976-07-05,\n1976-07-06,0.75\n", "T10Y2Y", []string{"1976-07-05", "1976-07-06"}, []float64{nan, 0.75}},
		{"CRLF and BOM", "\xef\xbb\xbfobservation_date,DFF\r\n1954-07-01,1.13\r\n", "DFF", []string{"1954-07-01"}, []float64{1.13}},
		{"no final newline, blank lines", "observation_date,DFF\n\n1954-07-01,1.13\n\n1954-07-02,1.25", "DFF", []string{"1954-07-01", "1954-07-02"}, []float64{1.13, 1.25}},
		{"quoted by a spreadsheet", "\"observation_date\",\"DFF\"\n\"1954-07-01\",\"1.13\"\n", "DFF", []string{"1954-07-01"}, []float64{1.13}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse(strings.NewReader(c.in), "x.csv")
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != c.id || s.Prov.SourceID != c.id {
				t.Errorf("name %q id %q, want %q", s.Name, s.Prov.SourceID, c.id)
			}
			var ds []string
			for _, d := range s.Dates {
				ds = append(ds, d.String())
			}
			if strings.Join(ds, " ") != strings.Join(c.dates, " ") {
				t.Errorf("dates %v, want %v", ds, c.dates)
			}
			for i, v := range c.values {
				if g := s.Values[i]; !(g == v || math.IsNaN(g) && math.IsNaN(v)) {
					t.Errorf("value %d = %v, want %v", i, g, v)
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
		{"bad number", "observation_date,DFF\n1954-07-01,1.13\n1954-07-02,1.2x\n", 3, "DFF", `"1.2x" is not a number`},
		{"bad date", "DATE,FEDFUNDS\n1954-13-01,0.8\n", 2, "DATE", `"1954-13-01" is not a date`},
		{"dates go back", "observation_date,DFF\n1954-07-02,1\n1954-07-01,1\n", 3, "observation_date", "does not follow"},
		{"duplicate date", "observation_date,DFF\n1954-07-01,1\n1954-07-01,1\n", 3, "observation_date", "does not follow"},
		{"missing value column", "observation_date,DFF\n1954-07-01\n", 2, "DFF", "row has 1 fields"},
		{"extra column", "observation_date,DFF\n1954-07-01,1,2\n", 2, "column 3", "row has 3 fields"},
		{"wide header", "observation_date,DFF,DGS10\n", 1, "", "want two columns"},
		{"unknown date column", "when,DFF\n1954-07-01,1\n", 1, "when", "first column"},
		{"empty id", "observation_date,\n1954-07-01,1\n", 1, "column 2", "empty series id"},
		{"header only", "observation_date,DFF\n", 1, "DFF", "no observations"},
		{"empty", "", 0, "", "no header"},
		{"infinity", "observation_date,DFF\n1954-07-01,1e999\n", 2, "DFF", "is not a number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.in), "fred/bad.csv")
			sourcetest.CheckParseError(t, err, "fred/bad.csv", c.line, c.field, c.msg)
		})
	}
}

func TestPublicationLagMonthly(t *testing.T) {
	// FEDFUNDS for March is dated 2025-03-01; it cannot be public before March ends.
	s := parseFile(t, "fred/FEDFUNDS.csv")
	if got := s.Prov.Lag.Published(series.MustDate("2025-03-01")).String(); got != "2025-03-31" {
		t.Errorf("published %s", got)
	}
}

func FuzzParseFRED(f *testing.F) {
	files, _ := filepath.Glob(dataDir + "fred*/*.csv")
	more, _ := filepath.Glob(dataDir + "carpet155-macro-regime/*.csv")
	for _, fn := range append(files, more...) {
		b, err := os.ReadFile(fn)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 1024)])
	}
	b, err := os.ReadFile(dataDir + "fred/FEDFUNDS.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("\xef\xbb\xbfDATE,DGS10\r\n1962-01-01,.\r\n1962-01-02,\r\n1962-01-03,4.06"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			var pe *source.ParseError
			if !errors.As(err, &pe) || pe.File != "fuzz.csv" {
				t.Fatalf("error %v (%T) is not a ParseError naming the file", err, err)
			}
			return
		}
		checkInvariants(t, s)
	})
}

func BenchmarkParseFRED(b *testing.B) {
	data, err := os.ReadFile(dataDir + "fred/DFF.csv")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "fred/DFF.csv"); err != nil {
			b.Fatal(err)
		}
	}
}
