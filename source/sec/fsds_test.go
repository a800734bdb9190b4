package sec

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

const fsdsFile = "../../snapshot/data/sec/fsds-2010q2-secfsdstools/2010q2.zip"

func readFSDS(t testing.TB) *FSDS {
	t.Helper()
	b := readFile(t, fsdsFile)
	d, err := ReadFSDS(bytes.NewReader(b), int64(len(b)), "2010q2.zip")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Counts are those of ../../snapshot/data/sec/MANIFEST.md; the screen figures were
// computed from the unzipped members with a short Python script (same rules:
// coreg and segments empty, value present, latest period then latest filing).
func TestReadFSDSReal(t *testing.T) {
	d := readFSDS(t)
	if len(d.Submissions) != 522 {
		t.Errorf("%d submissions, MANIFEST says 522", len(d.Submissions))
	}
	// MANIFEST says "from 501 CIKs"; the cik column of sub.txt holds 500 distinct
	// values (Python agrees), so 501 is taken to be a slip in the MANIFEST.
	if n := len(d.CIKs()); n != 500 {
		t.Errorf("%d filers", n)
	}
	forms := map[string]int{}
	first, last := d.Submissions[0].Filed, d.Submissions[0].Filed
	for _, s := range d.Submissions {
		forms[s.Form]++
		first, last = min(first, s.Filed), max(last, s.Filed)
	}
	if forms["10-Q"] != 452 || forms["10-K"] != 18 || forms["20-F"] != 15 {
		t.Errorf("forms %v; MANIFEST says 452 10-Q, 18 10-K, 15 20-F", forms)
	}
	if first != series.MustDate("2010-04-01") || last != series.MustDate("2010-06-30") {
		t.Errorf("filed %s to %s, MANIFEST says 2010-04-01 to 2010-06-30", first, last)
	}
	total := len(d.Numbers) + d.Dropped.Coreg + d.Dropped.Segments + d.Dropped.NilValue
	if total != 136044 || d.Dropped.Coreg != 5939 || d.Dropped.Segments != 20353 || d.Dropped.NilValue != 293 {
		t.Errorf("num rows: %d kept %+v dropped = %d, MANIFEST says 136,044", len(d.Numbers), d.Dropped, total)
	}
	if len(d.Tags) != 8477 {
		t.Errorf("%d tags, MANIFEST says 8,477", len(d.Tags))
	}
	if tag := d.Tags[TagKey{"Assets", "us-gaap/2009"}]; tag.IOrd != "I" || tag.CrDr != "D" || tag.Datatype != "monetary" || tag.Custom {
		t.Errorf("Assets tag %+v", tag)
	}

	ford, ok := d.Submission("0001157523-10-002965")
	if !ok || ford.CIK != 37996 || ford.Name != "FORD MOTOR CO" || ford.SIC != 3711 || ford.Form != "10-Q" ||
		ford.Period != series.MustDate("2010-03-31") || ford.FY != 2010 || ford.FP != "Q1" ||
		ford.Filed != series.MustDate("2010-05-07") || ford.FYE != "1231" || ford.Line != 2 {
		t.Errorf("Ford 10-Q %+v", ford)
	}
	rev := d.Facts(37996, "Revenues", 1)
	if len(rev) != 2 || rev[1].Value != 31566000000 || rev[1].DDate != series.MustDate("2010-03-31") || rev[0].DDate != series.MustDate("2009-03-31") {
		t.Errorf("Ford quarterly revenue %+v", rev)
	}
}

// A point-in-time screen as of mid-2010: what each filer had reported by a date.
func TestFSDSScreenAsOf(t *testing.T) {
	d := readFSDS(t)
	count := func(tag string, qtrs int, asOf series.Date) int {
		n := 0
		for _, cik := range d.CIKs() {
			if f, ok := d.Latest(cik, tag, qtrs, "USD", asOf); ok {
				n++
				if f.Filed > asOf || f.CIK != cik || f.Qtrs != qtrs || f.UOM != "USD" {
					t.Fatalf("look-ahead or mismatch: %+v", f)
				}
			}
		}
		return n
	}
	tests := []struct {
		tag  string
		qtrs int
		asOf string
		want int
	}{
		{"Assets", 0, "2010-05-15", 421},
		{"Assets", 0, "2010-06-30", 476},
		{"Revenues", 1, "2010-06-30", 234},
		{"Assets", 0, "2010-03-31", 0}, // before the quarter: nothing filed yet
	}
	for _, tc := range tests {
		if got := count(tc.tag, tc.qtrs, series.MustDate(tc.asOf)); got != tc.want {
			t.Errorf("filers with %s (qtrs %d) as of %s: %d, want %d", tc.tag, tc.qtrs, tc.asOf, got, tc.want)
		}
	}
	if _, ok := d.Latest(37996, "Assets", 0, "USD", series.MustDate("2010-05-06")); ok {
		t.Error("Ford's assets visible before its 10-Q was filed on 2010-05-07")
	}
	if f, ok := d.Latest(37996, "Assets", 0, "USD", series.MustDate("2010-05-07")); !ok || f.Value != 191968000000 || f.Form != "10-Q" {
		t.Errorf("Ford assets on 2010-05-07: %+v", f)
	}
}

// fsdsZip builds an FSDS zip from member name/content pairs.
func fsdsZip(t testing.TB, members ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(members); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: members[i], Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(members[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	subHdr = "adsh\tcik\tname\tsic\tcountryba\tform\tperiod\tfy\tfp\tfiled\tprevrpt\n"
	subA   = "0000000001-10-000001\t42\tACME CORP\t3711\tUS\t10-Q\t20100331\t2010\tQ1\t20100507\t0\n"
	subB   = "0000000001-10-000002\t42\tACME CORP\t3711\tUS\t10-Q/A\t20100331\t2010\tQ1\t20100601\t0\n"
	numHdr = "adsh\ttag\tversion\tddate\tqtrs\tuom\tsegments\tcoreg\tvalue\tfootnote\n"
	numA   = "0000000001-10-000001\tAssets\tus-gaap/2009\t20100331\t0\tUSD\t\t\t100.0000\t\n"
	numB   = "0000000001-10-000002\tAssets\tus-gaap/2009\t20100331\t0\tUSD\t\t\t110.0000\t\n"
	numSeg = "0000000001-10-000001\tAssets\tus-gaap/2009\t20100331\t0\tUSD\tSegment=X;\t\t5.0000\t\n"
	numCo  = "0000000001-10-000001\tAssets\tus-gaap/2009\t20100331\t0\tUSD\t\tSub\t6.0000\t\"quoted \"\"note\"\"\"\n"
	numNil = "0000000001-10-000001\tAssets\tus-gaap/2009\t20091231\t0\tUSD\t\t\t\t\n"
	tagTxt = "tag\tversion\tcustom\tabstract\tdatatype\tiord\tcrdr\ttlabel\tdoc\nAssets\tus-gaap/2009\t0\t0\tmonetary\tI\tD\tAssets\tdoc\n"
	preTxt = "adsh\treport\tline\tstmt\tinpth\trfile\ttag\tversion\tplabel\tnegating\n"
)

func TestReadFSDSQuirks(t *testing.T) {
	tests := []struct {
		name    string
		zip     []byte
		check   func(t *testing.T, d *FSDS)
		file    string // expected error file; "" means success
		line    int
		field   string
		errText string
	}{
		{name: "amendment replaces original after it is filed",
			zip: fsdsZip(t, "sub.txt", subHdr+subA+subB, "num.txt", numHdr+numA+numB+numSeg+numCo+numNil, "tag.txt", tagTxt, "pre.txt", preTxt),
			check: func(t *testing.T, d *FSDS) {
				if len(d.Numbers) != 2 || d.Dropped.Segments != 1 || d.Dropped.Coreg != 1 || d.Dropped.NilValue != 1 {
					t.Errorf("kept %d, dropped %+v", len(d.Numbers), d.Dropped)
				}
				if f := d.Facts(42, "Assets", 0); len(f) != 1 || f[0].Value != 110 || f[0].Form != "10-Q/A" {
					t.Errorf("Facts %+v", f)
				}
				if f, _ := d.Latest(42, "Assets", 0, "USD", series.MustDate("2010-05-31")); f.Value != 100 {
					t.Errorf("as of 2010-05-31 %+v", f)
				}
				if f := d.Facts(42, "Assets", 1); len(f) != 0 {
					t.Errorf("qtrs 1: %+v", f)
				}
			}},
		{name: "old schema without segments, CRLF, members in a folder",
			zip: fsdsZip(t, "2010q2/sub.txt", strings.ReplaceAll(subHdr+subA, "\n", "\r\n"),
				"2010q2/num.txt", "adsh\ttag\tversion\tcoreg\tddate\tqtrs\tuom\tvalue\tfootnote\r\n0000000001-10-000001\tAssets\tus-gaap/2009\t\t20100331\t0\tUSD\t-7.5\t\r\n",
				"2010q2/tag.txt", tagTxt, "2010q2/pre.txt", preTxt),
			check: func(t *testing.T, d *FSDS) {
				if len(d.Numbers) != 1 || d.Numbers[0].Value != -7.5 || d.Submissions[0].Filed != series.MustDate("2010-05-07") {
					t.Errorf("%+v %+v", d.Numbers, d.Submissions)
				}
			}},
		{name: "not a zip", zip: []byte("adsh\tcik\n"), file: "q.zip"},
		{name: "missing num.txt", zip: fsdsZip(t, "sub.txt", subHdr, "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip", field: "num.txt", errText: "missing member num.txt"},
		{name: "missing pre.txt", zip: fsdsZip(t, "sub.txt", subHdr, "num.txt", numHdr, "tag.txt", tagTxt), file: "q.zip", field: "pre.txt"},
		{name: "empty sub.txt", zip: fsdsZip(t, "sub.txt", "", "num.txt", numHdr, "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/sub.txt", line: 1},
		{name: "sub.txt lacks filed", zip: fsdsZip(t, "sub.txt", strings.Replace(subHdr, "filed", "fild", 1), "num.txt", numHdr, "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/sub.txt", line: 1, field: "filed"},
		{name: "bad filed date", zip: fsdsZip(t, "sub.txt", subHdr+strings.Replace(subA, "20100507", "20100230", 1), "num.txt", numHdr, "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/sub.txt", line: 2, field: "filed"},
		{name: "bad cik", zip: fsdsZip(t, "sub.txt", subHdr+strings.Replace(subA, "\t42\t", "\tx42\t", 1), "num.txt", numHdr, "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/sub.txt", line: 2, field: "cik"},
		{name: "duplicate adsh", zip: fsdsZip(t, "sub.txt", subHdr+subA+subA, "num.txt", numHdr, "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/sub.txt", line: 3, field: "adsh"},
		{name: "short sub row", zip: fsdsZip(t, "sub.txt", subHdr+"0000000001-10-000001\t42\n", "num.txt", numHdr, "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/sub.txt", line: 2, field: "name"},
		{name: "num adsh not in sub", zip: fsdsZip(t, "sub.txt", subHdr+subA, "num.txt", numHdr+numB, "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/num.txt", line: 2, field: "adsh"},
		{name: "bad value", zip: fsdsZip(t, "sub.txt", subHdr+subA, "num.txt", numHdr+strings.Replace(numA, "100.0000", "1e999", 1), "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/num.txt", line: 2, field: "value"},
		{name: "NaN value", zip: fsdsZip(t, "sub.txt", subHdr+subA, "num.txt", numHdr+strings.Replace(numA, "100.0000", "NaN", 1), "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/num.txt", line: 2, field: "value"},
		{name: "bad qtrs", zip: fsdsZip(t, "sub.txt", subHdr+subA, "num.txt", numHdr+strings.Replace(numA, "\t0\tUSD", "\t-1\tUSD", 1), "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/num.txt", line: 2, field: "qtrs"},
		{name: "bad ddate", zip: fsdsZip(t, "sub.txt", subHdr+subA, "num.txt", numHdr+strings.Replace(numA, "20100331", "2010-03-31", 1), "tag.txt", tagTxt, "pre.txt", preTxt), file: "q.zip/num.txt", line: 2, field: "ddate"},
		{name: "pre.txt header wrong", zip: fsdsZip(t, "sub.txt", subHdr, "num.txt", numHdr, "tag.txt", tagTxt, "pre.txt", "a\tb\n"), file: "q.zip/pre.txt", line: 1, field: "adsh"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ReadFSDS(bytes.NewReader(tc.zip), int64(len(tc.zip)), "q.zip")
			if tc.file == "" {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, d)
				return
			}
			var pe *source.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, source.ErrBadInput) {
				t.Fatalf("error %v (%T), want *source.ParseError", err, err)
			}
			if pe.File != tc.file || (tc.line > 0 && pe.Line != tc.line) || (tc.field != "" && pe.Field != tc.field) {
				t.Errorf("error %v: want file %s line %d field %q", err, tc.file, tc.line, tc.field)
			}
			if !strings.Contains(err.Error(), tc.errText) {
				t.Errorf("error %v does not say %q", err, tc.errText)
			}
		})
	}
}

// TestReadFSDSTagsKeepsTheSameFacts: the tag filter changes what is kept, never what a
// kept tag's facts are.
func TestReadFSDSTagsKeepsTheSameFacts(t *testing.T) {
	b, err := os.ReadFile(fsdsFile)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ReadFSDS(bytes.NewReader(b), int64(len(b)), "2010q2.zip")
	if err != nil {
		t.Fatal(err)
	}
	tags := []string{"Assets", "NetIncomeLoss", "Revenues"}
	some, err := ReadFSDSTags(bytes.NewReader(b), int64(len(b)), "2010q2.zip", tags)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, n := range all.Numbers {
		if n.Tag == "Assets" || n.Tag == "NetIncomeLoss" || n.Tag == "Revenues" {
			want++
		}
	}
	if len(some.Numbers) != want || some.Dropped.OtherTags == 0 {
		t.Fatalf("kept %d numbers, want %d (other tags dropped: %d)", len(some.Numbers), want, some.Dropped.OtherTags)
	}
	for _, cik := range all.CIKs() {
		for _, tag := range tags {
			a, s := all.Facts(cik, tag, 0), some.Facts(cik, tag, 0)
			if len(a) != len(s) {
				t.Fatalf("cik %d %s: %d facts filtered, %d unfiltered", cik, tag, len(s), len(a))
			}
			for i := range a {
				if a[i].Value != s[i].Value || a[i].DDate != s[i].DDate {
					t.Fatalf("cik %d %s: fact %d differs", cik, tag, i)
				}
			}
		}
	}
}
