package sec

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

const (
	snowFile = "../../snapshot/data/sec-edgartools/snow_facts.json"
	lpaFile  = "../../snapshot/data/sec-edgartools/lpa_facts.json"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseFacts(t *testing.T, path string) *CompanyFacts {
	t.Helper()
	cf, err := ParseCompanyFacts(strings.NewReader(string(readFile(t, path))), path)
	if err != nil {
		t.Fatal(err)
	}
	return cf
}

func countFacts(concepts map[string]*Concept) int {
	n := 0
	for _, c := range concepts {
		for _, fs := range c.Units {
			n += len(fs)
		}
	}
	return n
}

// Reference counts and values below were computed from the same files with Python's
// json module (the dedupe rule re-implemented there: latest filed, then latest accn).
func TestParseCompanyFactsSnowflake(t *testing.T) {
	cf := parseFacts(t, snowFile)
	if cf.CIK != 1640147 || cf.EntityName != "SNOWFLAKE INC." {
		t.Errorf("CIK %d name %q", cf.CIK, cf.EntityName)
	}
	if got := strings.Join(cf.Taxonomies(), ","); got != "dei,srt,us-gaap" {
		t.Errorf("taxonomies %s", got)
	}
	if n, f := len(cf.Concepts["us-gaap"]), countFacts(cf.Concepts["us-gaap"]); n != 336 || f != 8135 {
		t.Errorf("us-gaap: %d concepts, %d facts; want 336, 8135", n, f)
	}
	// MANIFEST: no Revenues, LongTermDebt or InterestExpense tags.
	for _, c := range []string{"Revenues", "LongTermDebt", "InterestExpense"} {
		if cf.Concept("us-gaap", c) != nil || cf.Facts("us-gaap", c, "USD") != nil {
			t.Errorf("unexpected concept %s", c)
		}
	}

	const rev = "RevenueFromContractWithCustomerExcludingAssessedTax"
	if raw, dd := len(cf.Raw("us-gaap", rev, "USD")), len(cf.Facts("us-gaap", rev, "USD")); raw != 61 || dd != 35 {
		t.Errorf("revenue: %d raw facts, %d periods; want 61, 35 (duplicates across filings)", raw, dd)
	}
	annual := cf.Annual("us-gaap", rev, "USD", NoCutoff)
	want := []struct {
		end string
		val float64
	}{
		{"2019-01-31", 96666000}, {"2020-01-31", 264748000}, {"2021-01-31", 592049000},
		{"2022-01-31", 1219327000}, {"2023-01-31", 2065659000}, {"2024-01-31", 2806489000},
		{"2025-01-31", 3626396000},
	}
	if len(annual) != len(want) {
		t.Fatalf("%d annual revenues, want %d: %+v", len(annual), len(want), annual)
	}
	for i, w := range want {
		f := annual[i]
		if f.End != series.MustDate(w.end) || f.Val != w.val || !IsAnnualForm(f.Form) || (f.Days() != 365 && f.Days() != 366) {
			t.Errorf("annual[%d] = %+v, want end %s val %g", i, f, w.end, w.val)
		}
	}

	// Point in time: the first 10-K (FY ending Jan 2021) was filed 2021-03-31.
	if got := cf.Annual("us-gaap", rev, "USD", series.MustDate("2021-03-30")); len(got) != 0 {
		t.Errorf("annual revenue known on 2021-03-30: %+v, want none", got)
	}
	asOf := cf.FactsAsOf("us-gaap", rev, "USD", series.MustDate("2021-06-30"))
	if len(asOf) != 9 {
		t.Errorf("%d revenue periods known on 2021-06-30, want 9", len(asOf))
	}
	for _, f := range asOf {
		if f.Filed > series.MustDate("2021-06-30") {
			t.Errorf("look-ahead: %+v", f)
		}
		if f.Start == series.MustDate("2020-02-01") && f.End == series.MustDate("2021-01-31") &&
			(f.Val != 592049000 || f.Accn != "0001640147-21-000073") {
			t.Errorf("FY2021 as of 2021-06-30 = %+v", f)
		}
	}

	assets := cf.Instant("us-gaap", "Assets", "USD", NoCutoff)
	last := assets[len(assets)-1]
	if last.End != series.MustDate("2025-04-30") || last.Val != 8157407000 || !last.IsInstant() || last.Frame != "CY2025Q1I" {
		t.Errorf("latest assets %+v", last)
	}
	for i := 1; i < len(assets); i++ {
		if assets[i].End <= assets[i-1].End {
			t.Errorf("instants not one per date in order: %s after %s", assets[i].End, assets[i-1].End)
		}
	}
}

func TestParseCompanyFactsLPA(t *testing.T) {
	cf := parseFacts(t, lpaFile)
	if cf.CIK != 1997711 { // "cik": "0001997711", a zero-padded string
		t.Errorf("CIK %d", cf.CIK)
	}
	if got := strings.Join(cf.Taxonomies(), ","); got != "dei,ifrs-full" {
		t.Errorf("taxonomies %s", got)
	}
	if n, f := len(cf.Concepts["ifrs-full"]), countFacts(cf.Concepts["ifrs-full"]); n != 177 || f != 765 {
		t.Errorf("ifrs-full: %d concepts, %d facts; want 177, 765", n, f)
	}
	units := map[string]bool{}
	for _, c := range cf.Concepts["ifrs-full"] {
		for u := range c.Units {
			units[u] = true
		}
	}
	for _, u := range []string{"USD", "shares", "USD/shares", "pure", "COP", "CRC", "PEN"} {
		if !units[u] {
			t.Errorf("unit %s missing", u)
		}
	}
	// Revenue: 6 facts, 4 fiscal years; 2022 and 2023 repeated in the 2025 20-F.
	rev := cf.Annual("ifrs-full", "Revenue", "USD", NoCutoff)
	if len(rev) != 4 || rev[3].Val != 43862372 || rev[1].Filed != series.MustDate("2025-04-02") || rev[1].Form != "20-F" {
		t.Errorf("LPA revenue %+v", rev)
	}
	if got := cf.Annual("ifrs-full", "Revenue", "USD", series.MustDate("2024-12-31")); len(got) != 3 || got[1].Filed != series.MustDate("2024-04-26") {
		t.Errorf("LPA revenue as of 2024 %+v", got)
	}
}

func TestDedupe(t *testing.T) {
	d := series.MustDate
	facts := []Fact{
		{Start: d("2020-01-01"), End: d("2020-12-31"), Filed: d("2021-02-01"), Val: 1, Accn: "A-21-1", Form: "10-K"},
		{Start: d("2020-01-01"), End: d("2020-12-31"), Filed: d("2022-02-01"), Val: 2, Accn: "A-22-1", Form: "10-K"},
		{Start: d("2020-01-01"), End: d("2020-12-31"), Filed: d("2022-02-01"), Val: 3, Accn: "A-22-2", Form: "10-K/A"},
		{Start: d("2020-10-01"), End: d("2020-12-31"), Filed: d("2021-02-01"), Val: 4, Accn: "A-21-1", Form: "10-K"},
		{Start: series.NoDate, End: d("2020-12-31"), Filed: d("2021-02-01"), Val: 5, Accn: "A-21-1", Form: "10-K"},
	}
	got := Dedupe(facts)
	if len(got) != 3 {
		t.Fatalf("%+v", got)
	}
	// Sorted by end then start: the instant (no start) first.
	if got[0].Val != 5 || got[1].Val != 3 || got[2].Val != 4 {
		t.Errorf("dedupe = %+v; want the instant, the later accn on the tie, the quarter", got)
	}
	if facts[0].Val != 1 {
		t.Error("Dedupe modified its input")
	}
	cf := &CompanyFacts{Concepts: map[string]map[string]*Concept{"us-gaap": {"X": {Units: map[string][]Fact{"USD": facts}}}}}
	if a := cf.Annual("us-gaap", "X", "USD", d("2021-12-31")); len(a) != 1 || a[0].Val != 1 {
		t.Errorf("annual as of 2021 = %+v", a)
	}
	if a := cf.Annual("us-gaap", "X", "USD", NoCutoff); len(a) != 1 || a[0].Val != 3 {
		t.Errorf("annual = %+v", a)
	}
	if a := cf.Instant("us-gaap", "X", "USD", NoCutoff); len(a) != 1 || a[0].Val != 5 {
		t.Errorf("instant = %+v", a)
	}
	if Dedupe(nil) != nil || cf.Facts("us-gaap", "nope", "USD") != nil || cf.Facts("nope", "X", "USD") != nil {
		t.Error("missing concept should give nil")
	}
}

func TestParseCompanyFactsQuirks(t *testing.T) {
	fact := `{"end":"2021-03-01","val":288700000,"accn":"0001640147-21-000073","fy":2021,"fp":"FY","form":"10-K","filed":"2021-03-31","frame":"CY2021Q1I"}`
	doc := func(cik, facts string) string {
		return `{"cik":` + cik + `,"entityName":"X","facts":{"us-gaap":{"Revenues":{"label":"Revenues","description":"d","units":{"USD":[` + facts + `]}}}}}`
	}
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, cf *CompanyFacts)
		path  string // expected error path; "" means success
		field string
		line  int
	}{
		{name: "cik as number", in: doc("1640147", fact), check: func(t *testing.T, cf *CompanyFacts) {
			f := cf.Raw("us-gaap", "Revenues", "USD")
			if cf.CIK != 1640147 || len(f) != 1 || f[0].Val != 288700000 || f[0].Start != series.NoDate || f[0].FY != 2021 || f[0].Frame != "CY2021Q1I" {
				t.Errorf("%+v %+v", cf, f)
			}
		}},
		{name: "cik as zero-padded string", in: doc(`"0001997711"`, fact), check: func(t *testing.T, cf *CompanyFacts) {
			if cf.CIK != 1997711 {
				t.Errorf("CIK %d", cf.CIK)
			}
		}},
		{name: "nulls for fy, fp, frame, label", in: `{"cik":1,"facts":{"dei":{"X":{"label":null,"description":null,"units":{"shares":[{"end":"2021-03-01","val":1.5,"accn":"a","fy":null,"fp":null,"form":"10-Q","filed":"2021-03-31","frame":null}]}}}}}`,
			check: func(t *testing.T, cf *CompanyFacts) {
				f := cf.Raw("dei", "X", "shares")[0]
				if f.FY != 0 || f.FP != "" || f.Frame != "" || f.Val != 1.5 {
					t.Errorf("%+v", f)
				}
			}},
		{name: "unknown keys skipped", in: `{"cik":1,"extra":{"a":[1,{"b":null}]},"facts":{"ifrs-full":{"Revenue":{"units":{"EUR":[{"start":"2020-01-01","end":"2020-12-31","val":-3,"accn":"a","form":"20-F","filed":"2021-04-01","new":[true]}]},"more":1}}}}`,
			check: func(t *testing.T, cf *CompanyFacts) {
				if a := cf.Annual("ifrs-full", "Revenue", "EUR", NoCutoff); len(a) != 1 || a[0].Val != -3 || a[0].Days() != 366 {
					t.Errorf("%+v", a)
				}
			}},
		{name: "no facts key", in: `{"cik":5,"entityName":"X"}`, check: func(t *testing.T, cf *CompanyFacts) {
			if cf.CIK != 5 || len(cf.Concepts) != 0 {
				t.Errorf("%+v", cf)
			}
		}},

		{name: "val is a string", in: doc("1", fact+","+fact+","+fact+","+strings.Replace(fact, "288700000", `"abc"`, 1)), path: "facts.us-gaap.Revenues.units.USD[3].val", field: "val", line: 1},
		{name: "val out of range", in: doc("1", strings.Replace(fact, "288700000", "1e999", 1)), path: "facts.us-gaap.Revenues.units.USD[0].val", field: "val"},
		{name: "fy is a string", in: doc("1", strings.Replace(fact, "2021,", `"2021",`, 1)), path: "facts.us-gaap.Revenues.units.USD[0].fy", field: "fy"},
		{name: "fy is fractional", in: doc("1", strings.Replace(fact, "2021,", `2021.5,`, 1)), path: "facts.us-gaap.Revenues.units.USD[0].fy", field: "fy"},
		{name: "bad end date", in: doc("1", strings.Replace(fact, "2021-03-01", "2021-02-30", 1)), path: "facts.us-gaap.Revenues.units.USD[0].end", field: "end"},
		{name: "start after end", in: doc("1", strings.Replace(fact, `{"end"`, `{"start":"2021-04-01","end"`, 1)), path: "facts.us-gaap.Revenues.units.USD[0].start", field: "start"},
		{name: "missing filed", in: doc("1", strings.Replace(fact, `"filed":"2021-03-31",`, "", 1)), path: "facts.us-gaap.Revenues.units.USD[0].filed", field: "filed"},
		{name: "missing val", in: doc("1", strings.Replace(fact, `"val":288700000,`, "", 1)), path: "facts.us-gaap.Revenues.units.USD[0].val", field: "val"},
		{name: "empty accn", in: doc("1", strings.Replace(fact, "0001640147-21-000073", "", 1)), path: "facts.us-gaap.Revenues.units.USD[0].accn", field: "accn"},
		{name: "fact is an array", in: doc("1", "[1]"), path: "facts.us-gaap.Revenues.units.USD[0]"},
		{name: "units is an array", in: `{"cik":1,"facts":{"us-gaap":{"R":{"units":[]}}}}`, path: "facts.us-gaap.R.units", field: "units"},
		{name: "facts is an array", in: `{"cik":1,"facts":[]}`, path: "facts", field: "facts"},
		{name: "cik is a bool", in: `{"cik":true,"facts":{}}`, path: "cik", field: "cik"},
		{name: "cik not digits", in: `{"cik":"00x1","facts":{}}`, path: "cik", field: "cik"},
		{name: "cik negative", in: `{"cik":-5,"facts":{}}`, path: "cik", field: "cik"},
		{name: "cik missing", in: `{"facts":{}}`, path: "cik", field: "cik"},
		{name: "entityName is an object", in: `{"cik":1,"entityName":{}}`, path: "entityName", field: "entityName"},
		{name: "top level is an array", in: `[]`, path: ""},
		{name: "truncated", in: "{\n\"cik\": 1,\n\"facts\": {\"us-gaap\": {\"R\": {\"units\": {\"USD\": [", path: "facts.us-gaap.R.units.USD", line: 3},
		{name: "syntax error on line 3", in: "{\n\"cik\": 1,\n\"facts\": {,}}", path: "facts", line: 3},
		{name: "trailing data", in: `{"cik":1} {"cik":2}`, path: ""},
		{name: "empty input", in: ``, path: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cf, err := ParseCompanyFacts(strings.NewReader(tc.in), "test.json")
			if tc.check != nil {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, cf)
				return
			}
			pe := checkJSONError(t, err, tc.path, tc.field)
			if tc.line > 0 && pe.Line != tc.line {
				t.Errorf("error %v: line %d, want %d", err, pe.Line, tc.line)
			}
		})
	}
}

// checkJSONError asserts that err is a *source.ParseError for test.json at path (and
// field, when not empty) that wraps source.ErrBadInput.
func checkJSONError(t *testing.T, err error, path, field string) *source.ParseError {
	t.Helper()
	var pe *source.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want *source.ParseError", err, err)
	}
	if !errors.Is(err, source.ErrBadInput) || pe.File != "test.json" {
		t.Errorf("error %v: not ErrBadInput or wrong file", err)
	}
	if pe.Path != path {
		t.Errorf("error %v: path %q, want %q", err, pe.Path, path)
	}
	if field != "" && pe.Field != field {
		t.Errorf("error %v: field %q, want %q", err, pe.Field, field)
	}
	return pe
}
