package usercsv

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

func TestParse(t *testing.T) {
	in := "\xef\xbb\xbfdate,A,B\n2024-01-31,0.01,\n2023-12-29,0.02,0.5\n20240229,NA,-0.25\n"
	ss, err := Parse(strings.NewReader(in), "mine.csv", series.KindReturn)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 || ss[0].Name != "A" || ss[0].Len() != 3 {
		t.Fatalf("%+v", ss)
	}
	if ss[0].Dates[0].String() != "2023-12-29" || ss[0].Values[0] != 0.02 || !math.IsNaN(ss[0].Values[2]) || !math.IsNaN(ss[1].Values[1]) {
		t.Fatalf("values %v %v", ss[0].Values, ss[1].Values)
	}
	if ss[0].Freq != series.Monthly {
		t.Fatalf("freq %v", ss[0].Freq)
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]struct{ in, want string }{
		"bad number":     {"date,A\n2024-01-31,1.2x\n", `parse f.csv line 2 field "A": "1.2x" is not a number`},
		"bad date":       {"date,A\n2024-02-30,1\n", `parse f.csv line 2 field "date"`},
		"duplicate":      {"date,A\n2024-01-31,0.01\n2024-01-31,0.02\n", "appears twice"},
		"short row":      {"date,A,B\n2024-01-31,1\n", "line 2: row has 2 fields, header has 3"},
		"no columns":     {"date\n2024-01-31\n", "line 1: header has 1 column"},
		"empty":          {"", "empty file"},
		"no rows":        {"date,A\n", "no data rows"},
		"repeated col":   {"date,A,A\n", `field "A": column name repeated`},
		"percent sign":   {"date,A\n2024-01-31,1.2%\n", `parse f.csv line 2 field "A": "1.2%" is not a number`},
		"loss over 100%": {"date,A,B\n2024-01-31,0.01,0.5\n2024-02-29,0.02,-1.1\n", `parse f.csv line 3 field "B": return -1.1 is a loss of more than 100%`},
		"percent file":   {"date,A\n2024-01-31,1.2\n2024-02-29,-1\n2024-03-31,\n", `parse f.csv field "A": every value is 1 or more in size`},
		"price file":     {"Date,Close\n2024-01-31,100\n2024-02-29,102\n", `parse f.csv field "Close": every value is 1 or more in size`},
	}
	for name, c := range cases {
		_, err := Parse(strings.NewReader(c.in), "f.csv", series.KindReturn)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
		if err != nil && !errors.Is(err, source.ErrBadInput) {
			t.Errorf("%s: error does not wrap ErrBadInput", name)
		}
	}
}

// TestParseReturnsOnlyChecked: the return checks apply to KindReturn only; a total
// loss (-1) and single large returns are returns.
func TestParseReturnsOnlyChecked(t *testing.T) {
	prices := "date,P\n2024-01-31,100\n2024-02-29,102\n"
	if _, err := Parse(strings.NewReader(prices), "p.csv", series.KindPrice); err != nil {
		t.Errorf("prices as prices: %v", err)
	}
	ok := "date,R\n2024-01-31,-1\n2024-02-29,0.5\n2024-03-31,3\n"
	if _, err := Parse(strings.NewReader(ok), "r.csv", series.KindReturn); err != nil {
		t.Errorf("a total loss and a tripling are returns: %v", err)
	}
	one := "date,R\n2024-01-31,2\n"
	if _, err := Parse(strings.NewReader(one), "r.csv", series.KindReturn); err != nil {
		t.Errorf("one large return alone is not judged: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("date,A,B\n2024-01-31,0.01,\n2023-12-29,0.02,0.5\n"))
	f.Add([]byte("observation_date,DFF\n1954-07-01,1.13\n1954-07-02,1.25\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ss, err := Parse(strings.NewReader(string(b)), "fuzz.csv", series.KindLevel)
		if err != nil {
			return
		}
		for _, s := range ss {
			if len(s.Dates) != len(s.Values) {
				t.Fatal("length mismatch")
			}
			for i := 1; i < len(s.Dates); i++ {
				if s.Dates[i] <= s.Dates[i-1] {
					t.Fatal("dates not increasing")
				}
			}
		}
		// The same bytes as returns: refused with a ParseError, or no loss beyond -100%.
		rs, err := Parse(strings.NewReader(string(b)), "fuzz.csv", series.KindReturn)
		if err != nil {
			if !errors.Is(err, source.ErrBadInput) {
				t.Fatalf("error %v does not wrap ErrBadInput", err)
			}
			return
		}
		for _, s := range rs {
			for _, v := range s.Values {
				if v < -1 {
					t.Fatalf("return %v accepted", v)
				}
			}
		}
	})
}
