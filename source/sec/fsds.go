package sec

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// FSDS is one quarter of the SEC's Financial Statement Data Sets: every submission
// filed in the quarter (sub.txt) and the numbers they reported (num.txt), with the
// tag definitions (tag.txt).
//
// Only the consolidated, undimensioned numbers are kept: rows with a co-registrant
// (coreg) or an XBRL dimension (segments, in the 2024 re-issued schema) describe a
// subsidiary or a segment, not the filer. Rows whose value is empty (a nil XBRL fact)
// carry no number and are dropped too; Dropped counts all three.
type FSDS struct {
	Submissions []Submission
	Numbers     []Number
	Tags        map[TagKey]Tag
	Dropped     struct{ Coreg, Segments, NilValue, OtherTags int }

	byAdsh map[string]int
	keep   map[string]bool    // ReadFSDSTags' filter; nil keeps every tag
	byKey  map[cikTag][]int32 // numbers of one filer and tag, in file order
}

// Submission is one filing (a row of sub.txt).
type Submission struct {
	Adsh      string // accession number, 0000037996-10-000012
	CIK       int
	Name      string
	SIC       int    // standard industrial classification; 0 when blank
	CountryBA string // country of the business address
	Form      string // 10-K, 10-Q, 20-F, 8-K, 10-Q/A, ...
	Period    series.Date
	FY        int    // fiscal year of the filing; 0 when blank
	FP        string // fiscal period: FY, Q1, Q2, Q3, Q4, H1, H2, M9, CY, ...
	Filed     series.Date
	Accepted  string // EDGAR acceptance time as written: "2010-05-07 13:14:00.0"
	FYE       string // fiscal year end as MMDD: "1231"
	Prevrpt   bool   // a later filing amended this one
	Instance  string // the XBRL instance file name
	Line      int    // 1-based line in sub.txt
}

// Number is one value a filing reported (a row of num.txt).
//
// DDate is the end of the period (or the instant) the value describes; Qtrs is the
// length of that period in quarters: 0 for an instant (balance sheet), 1 for a
// quarter, 4 for a year.
type Number struct {
	Adsh    string
	Tag     string
	Version string // "us-gaap/2009" for standard tags, the adsh for custom tags
	DDate   series.Date
	Qtrs    int
	UOM     string // USD, shares, pure, JPY, ...
	Value   float64
	Line    int // 1-based line in num.txt
}

// TagKey identifies a tag definition.
type TagKey struct{ Tag, Version string }

// Tag is one tag definition (a row of tag.txt).
type Tag struct {
	Custom, Abstract bool
	Datatype         string // monetary, shares, perShare, pure, ...
	IOrd             string // "I" instant, "D" duration
	CrDr             string // "C" credit, "D" debit, "" when neither
	Label            string
}

type cikTag struct {
	cik int
	tag string
}

// NumFact is a Number joined with the submission that reported it.
type NumFact struct {
	Number
	CIK           int
	Form, FP      string
	FY            int
	Period, Filed series.Date
}

// maxMember bounds the uncompressed size read from one zip member, so a hostile zip
// cannot exhaust memory; real members are under 100 MB.
const maxMember = 2 << 30

// ReadFSDS reads a Financial Statement Data Sets quarter zip (2010q2.zip) as the SEC
// publishes it: tab-separated sub.txt, num.txt, tag.txt and pre.txt with a header row
// each. Columns are found by header name, so both the original num.txt (adsh tag
// version coreg ddate qtrs uom value footnote) and the 2024 re-issue (with segments)
// are read. pre.txt is only checked for its header: presentation order is not kept.
//
// Errors name the zip and member ("2010q2.zip/num.txt"), the line and the column; a
// missing member is an error naming it.
func ReadFSDS(ra io.ReaderAt, size int64, file string) (*FSDS, error) {
	return ReadFSDSTags(ra, size, file, nil)
}

// ReadFSDSTags is ReadFSDS keeping only the numbers whose tag is in tags (all of them
// when tags is nil). Rows of other tags are still checked for their shape but not
// parsed or kept, which makes a screen that needs a few dozen concepts several times
// faster; they are counted in Dropped.OtherTags.
func ReadFSDSTags(ra io.ReaderAt, size int64, file string, tags []string) (*FSDS, error) {
	var keep map[string]bool
	if tags != nil {
		keep = make(map[string]bool, len(tags))
		for _, t := range tags {
			keep[t] = true
		}
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, &source.ParseError{File: file, Err: fmt.Errorf("not a zip archive: %w", err)}
	}
	members := map[string]*zip.File{}
	for _, f := range zr.File {
		base := path.Base(f.Name)
		if _, dup := members[base]; !dup {
			members[base] = f
		}
	}
	for _, name := range []string{"sub.txt", "num.txt", "tag.txt", "pre.txt"} {
		if members[name] == nil {
			return nil, &source.ParseError{File: file, Field: name,
				Err: fmt.Errorf("missing member %s (an FSDS quarter has sub.txt, num.txt, tag.txt and pre.txt)", name)}
		}
	}
	d := &FSDS{byAdsh: map[string]int{}, byKey: map[cikTag][]int32{}, Tags: map[TagKey]Tag{}, keep: keep}
	steps := []struct {
		name string
		read func(*tsv) error
	}{
		{"sub.txt", d.readSub},
		{"num.txt", d.readNum},
		{"tag.txt", d.readTag},
		{"pre.txt", readPreHeader},
	}
	for _, s := range steps {
		if err := readMember(members[s.name], file+"/"+s.name, s.read); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// readMember opens one zip member and hands it to read as a tsv.
func readMember(f *zip.File, name string, read func(*tsv) error) error {
	rc, err := f.Open()
	if err != nil {
		return &source.ParseError{File: name, Err: fmt.Errorf("cannot open zip member: %w", err)}
	}
	defer rc.Close()
	t := newTSV(io.LimitReader(rc, maxMember+1), name)
	if err := read(t); err != nil {
		return err
	}
	if t.read > maxMember {
		return &source.ParseError{File: name, Err: fmt.Errorf("member larger than %d bytes", maxMember)}
	}
	return nil
}

// tsv reads a tab-separated member with a header row.
type tsv struct {
	sc   *bufio.Scanner
	file string
	line int
	read int64
	cols map[string]int
	cell []string
	hdr  []string
}

func newTSV(r io.Reader, file string) *tsv {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 64<<20) // tag.txt documentation cells are long
	return &tsv{sc: sc, file: file}
}

// header reads the header row and checks that the required columns are present.
func (t *tsv) header(required ...string) error {
	if !t.next() {
		if err := t.err(); err != nil {
			return err
		}
		return source.Errorf(t.file, 1, "", "empty member: no header row")
	}
	t.hdr = append([]string(nil), t.cell...)
	t.cols = map[string]int{}
	for i, h := range t.hdr {
		if _, dup := t.cols[h]; dup {
			return source.Errorf(t.file, t.line, h, "duplicate column")
		}
		t.cols[h] = i
	}
	for _, r := range required {
		if _, ok := t.cols[r]; !ok {
			return source.Errorf(t.file, t.line, r, "missing column (header: %s)", strings.Join(t.hdr, " "))
		}
	}
	return nil
}

// next reads the next row into t.cell; false at the end or on error (see err).
// A row must have as many cells as the header.
func (t *tsv) next() bool {
	for t.sc.Scan() {
		t.line++
		b := t.sc.Bytes()
		t.read += int64(len(b)) + 1
		if len(b) > 0 && b[len(b)-1] == '\r' {
			b = b[:len(b)-1]
		}
		if len(b) == 0 {
			continue
		}
		t.cell = t.cell[:0]
		s := string(b)
		for {
			k := strings.IndexByte(s, '\t')
			if k < 0 {
				t.cell = append(t.cell, s)
				break
			}
			t.cell = append(t.cell, s[:k])
			s = s[k+1:]
		}
		return true
	}
	return false
}

// err returns the scanner's error as a ParseError.
func (t *tsv) err() error {
	err := t.sc.Err()
	if err == nil {
		return nil
	}
	if errors.Is(err, bufio.ErrTooLong) {
		return source.Errorf(t.file, t.line+1, "", "line longer than 64 MB")
	}
	return source.Errorf(t.file, t.line+1, "", "reading zip member: %v", err)
}

// row checks the cell count of the current row.
func (t *tsv) row() error {
	if len(t.cell) != len(t.hdr) {
		field := ""
		if len(t.cell) < len(t.hdr) {
			field = t.hdr[len(t.cell)]
		}
		return source.Errorf(t.file, t.line, field, "row has %d cells, the header has %d", len(t.cell), len(t.hdr))
	}
	return nil
}

// get returns the cell of a column, "" when the column is absent.
func (t *tsv) get(col string) string {
	if i, ok := t.cols[col]; ok {
		return t.cell[i]
	}
	return ""
}

func (t *tsv) fail(col, format string, args ...any) error {
	return source.Errorf(t.file, t.line, col, format, args...)
}

// date parses a YYYYMMDD cell.
func (t *tsv) date(col string) (series.Date, error) {
	s := t.get(col)
	d, ok := series.ParseDateBytes([]byte(s))
	if !ok || len(s) != 8 {
		return series.NoDate, t.fail(col, "%q is not a date (want YYYYMMDD)", s)
	}
	return d, nil
}

// integer parses an integer cell; blank gives 0 unless required. FSDS writes some
// integers as "2010.0" in older files.
func (t *tsv) integer(col string, required bool) (int, error) {
	s := strings.TrimSuffix(t.get(col), ".0")
	if s == "" {
		if required {
			return 0, t.fail(col, "empty")
		}
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > math.MaxInt32 {
		return 0, t.fail(col, "%q is not a non-negative integer", t.get(col))
	}
	return n, nil
}

var subColumns = []string{"adsh", "cik", "name", "sic", "form", "period", "fy", "fp", "filed"}

func (d *FSDS) readSub(t *tsv) error {
	if err := t.header(subColumns...); err != nil {
		return err
	}
	for t.next() {
		if err := t.row(); err != nil {
			return err
		}
		s := Submission{Adsh: t.get("adsh"), Name: t.get("name"), CountryBA: t.get("countryba"),
			Form: t.get("form"), FP: t.get("fp"), Accepted: t.get("accepted"), FYE: t.get("fye"),
			Prevrpt: t.get("prevrpt") == "1", Instance: t.get("instance"), Line: t.line}
		if s.Adsh == "" {
			return t.fail("adsh", "empty accession number")
		}
		if prev, dup := d.byAdsh[s.Adsh]; dup {
			return t.fail("adsh", "%s already on line %d", s.Adsh, d.Submissions[prev].Line)
		}
		var ok bool
		if s.CIK, ok = parseCIK(t.get("cik")); !ok {
			return t.fail("cik", "%q is not a CIK", t.get("cik"))
		}
		var err error
		if s.SIC, err = t.integer("sic", false); err != nil {
			return err
		}
		if s.FY, err = t.integer("fy", false); err != nil {
			return err
		}
		if s.Period, err = t.date("period"); err != nil {
			return err
		}
		if s.Filed, err = t.date("filed"); err != nil {
			return err
		}
		if s.Form == "" {
			return t.fail("form", "empty form type")
		}
		d.byAdsh[s.Adsh] = len(d.Submissions)
		d.Submissions = append(d.Submissions, s)
	}
	return t.err()
}

var numColumns = []string{"adsh", "tag", "version", "ddate", "qtrs", "uom", "value"}

func (d *FSDS) readNum(t *tsv) error {
	if err := t.header(numColumns...); err != nil {
		return err
	}
	intern := map[string]string{}
	in := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		intern[s] = s
		return s
	}
	for t.next() {
		if err := t.row(); err != nil {
			return err
		}
		if d.keep != nil && !d.keep[t.get("tag")] {
			d.Dropped.OtherTags++
			continue
		}
		si, ok := d.byAdsh[t.get("adsh")]
		if !ok {
			return t.fail("adsh", "%q is not a submission in sub.txt", t.get("adsh"))
		}
		sub := &d.Submissions[si]
		n := Number{Adsh: sub.Adsh, Tag: in(t.get("tag")), Version: in(t.get("version")),
			UOM: in(t.get("uom")), Line: t.line}
		if n.Tag == "" {
			return t.fail("tag", "empty tag")
		}
		var err error
		if n.DDate, err = t.date("ddate"); err != nil {
			return err
		}
		if n.Qtrs, err = t.integer("qtrs", true); err != nil {
			return err
		}
		v := t.get("value")
		switch {
		case t.get("coreg") != "":
			d.Dropped.Coreg++
			continue
		case t.get("segments") != "":
			d.Dropped.Segments++
			continue
		case v == "":
			d.Dropped.NilValue++
			continue
		}
		n.Value, err = strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(n.Value, 0) || math.IsNaN(n.Value) {
			return t.fail("value", "%q is not a number", v)
		}
		k := cikTag{sub.CIK, n.Tag}
		d.byKey[k] = append(d.byKey[k], int32(len(d.Numbers)))
		d.Numbers = append(d.Numbers, n)
	}
	return t.err()
}

func (d *FSDS) readTag(t *tsv) error {
	if err := t.header("tag", "version"); err != nil {
		return err
	}
	for t.next() {
		if err := t.row(); err != nil {
			return err
		}
		d.Tags[TagKey{t.get("tag"), t.get("version")}] = Tag{
			Custom: t.get("custom") == "1", Abstract: t.get("abstract") == "1",
			Datatype: t.get("datatype"), IOrd: t.get("iord"), CrDr: t.get("crdr"), Label: t.get("tlabel"),
		}
	}
	return t.err()
}

func readPreHeader(t *tsv) error {
	return t.header("adsh", "report", "line", "stmt", "tag", "version")
}

// Submission returns the submission with accession number adsh.
func (d *FSDS) Submission(adsh string) (Submission, bool) {
	i, ok := d.byAdsh[adsh]
	if !ok {
		return Submission{}, false
	}
	return d.Submissions[i], true
}

// CIKs returns the filers of the quarter, sorted.
func (d *FSDS) CIKs() []int {
	seen := map[int]bool{}
	var out []int
	for _, s := range d.Submissions {
		if !seen[s.CIK] {
			seen[s.CIK] = true
			out = append(out, s.CIK)
		}
	}
	sort.Ints(out)
	return out
}

// Facts returns what filer cik reported for tag over periods of qtrs quarters (0 for
// instants), one value per (period end, unit): the one filed last, ties broken by the
// later accession number, so an amendment replaces the original. Sorted by period
// end, then unit.
func (d *FSDS) Facts(cik int, tag string, qtrs int) []NumFact {
	return d.FactsAsOf(cik, tag, qtrs, NoCutoff)
}

// FactsAsOf is Facts restricted to the submissions filed on or before asOf: a screen
// "as of 2010-06-30" sees what an investor could have read that day.
func (d *FSDS) FactsAsOf(cik int, tag string, qtrs int, asOf series.Date) []NumFact {
	var all []NumFact
	for _, i := range d.byKey[cikTag{cik, tag}] {
		n := d.Numbers[i]
		if n.Qtrs != qtrs {
			continue
		}
		s := d.Submissions[d.byAdsh[n.Adsh]]
		if s.Filed > asOf {
			continue
		}
		all = append(all, NumFact{Number: n, CIK: s.CIK, Form: s.Form, FP: s.FP, FY: s.FY, Period: s.Period, Filed: s.Filed})
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.DDate != b.DDate {
			return a.DDate < b.DDate
		}
		if a.UOM != b.UOM {
			return a.UOM < b.UOM
		}
		if a.Filed != b.Filed {
			return a.Filed < b.Filed
		}
		return a.Adsh < b.Adsh
	})
	out := all[:0]
	for i, f := range all {
		if i+1 < len(all) && all[i+1].DDate == f.DDate && all[i+1].UOM == f.UOM {
			continue
		}
		out = append(out, f)
	}
	return out
}

// Latest returns the most recent period's value of tag in unit uom that filer cik had
// reported by asOf, and false when there is none: the number a point-in-time screen
// uses.
func (d *FSDS) Latest(cik int, tag string, qtrs int, uom string, asOf series.Date) (NumFact, bool) {
	facts := d.FactsAsOf(cik, tag, qtrs, asOf)
	for i := len(facts) - 1; i >= 0; i-- {
		if facts[i].UOM == uom {
			return facts[i], true
		}
	}
	return NumFact{}, false
}
