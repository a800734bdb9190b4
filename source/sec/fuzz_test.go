package sec

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// Seeds are small: the fuzzer minimises every new input it finds, which for a seed of
// hundreds of kB takes minutes. Run with -fuzzminimizetime 3s on a shared machine.

func mustBeParseError(t *testing.T, err error) {
	t.Helper()
	var pe *source.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, source.ErrBadInput) || !strings.HasPrefix(pe.File, "fuzz") {
		t.Fatalf("error %v (%T) is not a ParseError for the fuzz input", err, err)
	}
}

// closedPrefix cuts a real companyfacts file after its n-th fact of the first concept
// and closes the document, giving a small valid seed with the real layout.
func closedPrefix(t testing.TB, path string, n int) []byte {
	b := readFile(t, path)
	end := 0
	for range n {
		k := bytes.Index(b[end:], []byte("\n            }"))
		if k < 0 {
			t.Fatalf("%s: fewer than %d facts", path, n)
		}
		end += k + len("\n            }")
	}
	return append(b[:end:end], "\n]}}}}}\n"...)
}

// tickerPrefix cuts a ticker map after n entries and closes it.
func tickerPrefix(t testing.TB, path string, n int, sep, closing string) []byte {
	b := readFile(t, path)
	end := bytes.Index(b, []byte(`"data"`)) + 1 // 0 for the keyed layout
	for range n {
		k := bytes.Index(b[end:], []byte(sep))
		if k < 0 {
			t.Fatalf("%s: fewer than %d entries", path, n)
		}
		end += k + 1
	}
	return append(b[:end:end], closing...)
}

func FuzzParseCompanyFacts(f *testing.F) {
	seeds := [][]byte{
		closedPrefix(f, snowFile, 3),
		closedPrefix(f, lpaFile, 2),
		[]byte(`{"cik":"0000000001","entityName":null,"facts":{"ifrs-full":{"Revenue":{"label":null,"units":{"EUR":[{"start":"2020-01-01","end":"2020-12-31","val":1.5,"accn":"a","fy":null,"fp":null,"form":"20-F","filed":"2021-04-01","frame":null},{"start":"2020-01-01","end":"2020-12-31","val":2,"accn":"b","fy":2021,"fp":"FY","form":"20-F/A","filed":"2021-04-01"}]}}}}}`),
	}
	for _, s := range seeds {
		if _, err := ParseCompanyFacts(bytes.NewReader(s), "seed"); err != nil {
			f.Fatalf("seed does not parse: %v", err)
		}
		f.Add(s)
	}
	f.Add(readFile(f, snowFile)[:1500]) // a cut document: an error with a path
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := ParseCompanyFacts(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			mustBeParseError(t, err)
			return
		}
		if cf.CIK <= 0 {
			t.Fatalf("CIK %d", cf.CIK)
		}
		for _, tax := range cf.Taxonomies() {
			for name, c := range cf.Concepts[tax] {
				for unit, raw := range c.Units {
					for _, f := range raw {
						if f.End == series.NoDate || f.Filed == series.NoDate || (f.Start != series.NoDate && f.Start > f.End) ||
							math.IsNaN(f.Val) || math.IsInf(f.Val, 0) || f.Accn == "" || f.Form == "" {
							t.Fatalf("%s %s %s: bad fact %+v", tax, name, unit, f)
						}
					}
					checkDeduped(t, raw, cf.Facts(tax, name, unit))
					checkDeduped(t, raw, cf.FactsAsOf(tax, name, unit, series.MustDate("2021-01-01")))
					for _, f := range cf.Annual(tax, name, unit, NoCutoff) {
						if !IsAnnualForm(f.Form) || f.Days() < 350 || f.Days() > 380 {
							t.Fatalf("Annual returned %+v", f)
						}
					}
					for _, f := range cf.Instant(tax, name, unit, NoCutoff) {
						if !f.IsInstant() {
							t.Fatalf("Instant returned %+v", f)
						}
					}
				}
			}
		}
	})
}

// checkDeduped checks one fact per period, in order, no more than the raw facts.
func checkDeduped(t *testing.T, raw, dd []Fact) {
	t.Helper()
	if len(dd) > len(raw) {
		t.Fatalf("%d deduplicated facts from %d", len(dd), len(raw))
	}
	for i := 1; i < len(dd); i++ {
		a, b := dd[i-1], dd[i]
		if b.End < a.End || b.End == a.End && b.Start <= a.Start {
			t.Fatalf("not one per period in order: %+v then %+v", a, b)
		}
	}
}

func FuzzParseTickers(f *testing.F) {
	f.Add(tickerPrefix(f, tickersDec2025, 5, "},", "}"))
	f.Add(tickerPrefix(f, tickersMar2026, 5, "},", "}"))
	f.Add(tickerPrefix(f, tickersExchange, 5, "],", "]}"))
	f.Add([]byte(`{"fields":["cik","name","ticker","exchange"],"data":[[1,"A","BRK-B",null],[2,"B","MOG-A","NYSE"]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseTickers(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			mustBeParseError(t, err)
			return
		}
		for _, e := range m.Entries {
			if e.CIK <= 0 || e.Ticker == "" || e.Ticker != strings.ToUpper(e.Ticker) {
				t.Fatalf("bad entry %+v", e)
			}
			got, match := m.Lookup(e.Ticker)
			if match != MatchExact || got.Ticker != e.Ticker {
				t.Fatalf("Lookup(%q) = %+v %v", e.Ticker, got, match)
			}
		}
		for _, probe := range []string{"BRK.B", "MOGA", "A", ""} {
			if e, match := m.Lookup(probe); (match == NoMatch) != (e.CIK == 0) {
				t.Fatalf("Lookup(%q) = %+v %v", probe, e, match)
			}
		}
	})
}

// realMembers returns the first lines of each member of the real FSDS zip: sub.txt
// rows, the num.txt rows of those submissions, tag.txt rows and the pre.txt header.
func realMembers(t testing.TB, subRows, numRows int) (sub, num, tag, pre string) {
	b := readFile(t, fsdsFile)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	head := func(name string, keep func(line string, i int) bool) string {
		for _, zf := range zr.File {
			if zf.Name != name {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			sc := bufio.NewScanner(rc)
			sc.Buffer(nil, 1<<20)
			var out strings.Builder
			for i := 0; sc.Scan(); i++ {
				if keep(sc.Text(), i) {
					out.WriteString(sc.Text() + "\n")
				}
				if i > 200000 {
					break
				}
			}
			return out.String()
		}
		t.Fatalf("no %s", name)
		return ""
	}
	sub = head("sub.txt", func(_ string, i int) bool { return i <= subRows })
	adshs := map[string]bool{}
	for _, l := range strings.Split(sub, "\n")[1:] {
		if a, _, ok := strings.Cut(l, "\t"); ok {
			adshs[a] = true
		}
	}
	n := 0
	num = head("num.txt", func(l string, i int) bool {
		a, _, _ := strings.Cut(l, "\t")
		if i == 0 || adshs[a] && n < numRows {
			n += min(i, 1)
			return true
		}
		return false
	})
	tag = head("tag.txt", func(_ string, i int) bool { return i <= 3 })
	pre = head("pre.txt", func(_ string, i int) bool { return i == 0 })
	return sub, num, tag, pre
}

func FuzzReadFSDS(f *testing.F) {
	sub, num, tag, pre := realMembers(f, 2, 6)
	f.Add(fsdsZip(f, "sub.txt", sub, "num.txt", num, "tag.txt", tag, "pre.txt", pre))
	f.Add(fsdsZip(f, "sub.txt", subHdr+subA+subB, "num.txt", numHdr+numA+numB+numSeg+numCo+numNil, "tag.txt", tagTxt, "pre.txt", preTxt))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ReadFSDS(bytes.NewReader(data), int64(len(data)), "fuzz.zip")
		if err != nil {
			mustBeParseError(t, err)
			return
		}
		checkFSDS(t, d)
	})
}

// FuzzFSDSMembers fuzzes the tables rather than the zip around them, so mutations
// reach the TSV parsing instead of failing zip checksums.
func FuzzFSDSMembers(f *testing.F) {
	sub, num, tag, _ := realMembers(f, 3, 10)
	f.Add([]byte(sub), []byte(num), []byte(tag))
	f.Add([]byte(subHdr+subA+subB), []byte(numHdr+numA+numB+numSeg+numCo+numNil), []byte(tagTxt))
	f.Fuzz(func(t *testing.T, sub, num, tag []byte) {
		z := fsdsZip(t, "sub.txt", string(sub), "num.txt", string(num), "tag.txt", string(tag), "pre.txt", preTxt)
		d, err := ReadFSDS(bytes.NewReader(z), int64(len(z)), "fuzz.zip")
		if err != nil {
			mustBeParseError(t, err)
			return
		}
		checkFSDS(t, d)
	})
}

func checkFSDS(t *testing.T, d *FSDS) {
	t.Helper()
	for _, s := range d.Submissions {
		if s.CIK <= 0 || s.Adsh == "" || s.Filed == series.NoDate || s.Period == series.NoDate {
			t.Fatalf("bad submission %+v", s)
		}
	}
	for _, n := range d.Numbers {
		s, ok := d.Submission(n.Adsh)
		if !ok || math.IsNaN(n.Value) || math.IsInf(n.Value, 0) || n.Qtrs < 0 || n.Tag == "" {
			t.Fatalf("bad number %+v", n)
		}
		all := d.Facts(s.CIK, n.Tag, n.Qtrs)
		if len(all) == 0 {
			t.Fatalf("Facts lost %+v", n)
		}
		for _, f := range d.FactsAsOf(s.CIK, n.Tag, n.Qtrs, s.Filed) {
			if f.Filed > s.Filed {
				t.Fatalf("look-ahead %+v as of %s", f, s.Filed)
			}
		}
	}
}
