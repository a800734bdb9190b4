package sec

import (
	"io"
	"math"
	"sort"
	"strings"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// CompanyFacts is one data.sec.gov companyfacts document: every XBRL fact a company
// has reported, in every filing, grouped by taxonomy, concept and unit.
type CompanyFacts struct {
	CIK        int
	EntityName string
	// Concepts maps taxonomy ("us-gaap", "ifrs-full", "dei", "srt", ...) to concept
	// name to concept, exactly as filed: a value repeated across filings appears once
	// per filing. Use Facts or FactsAsOf for one value per period.
	Concepts map[string]map[string]*Concept
}

// Concept is one XBRL concept with its facts per unit ("USD", "shares",
// "USD/shares", "pure", "EUR", ...), in file order.
type Concept struct {
	Label, Description string
	Units              map[string][]Fact
}

// Fact is one reported value of a concept.
//
// Start is NoDate for instants (balance-sheet items, share counts); a duration covers
// Start..End inclusive. Filed is the day the filing became public: a point-in-time
// reader may only use the fact from then on. FY and FP are the fiscal year and period
// of the filing that reported the value (not necessarily of the value itself: a 10-K
// reports the prior year as comparative); FY is 0 when the SEC gives null.
type Fact struct {
	Start, End, Filed series.Date
	Val               float64
	Accn              string // accession number of the filing, 0001640147-21-000073
	Form              string // 10-K, 10-Q, 20-F, 8-K, 10-K/A, ...
	FP                string // FY, Q1, Q2, Q3, Q4, H1, ...; "" when null
	Frame             string // the SEC's calendar frame (CY2021Q1I) when it assigned one
	FY                int
}

// IsInstant reports whether f is a point-in-time value (no start date).
func (f Fact) IsInstant() bool { return f.Start == series.NoDate }

// Days is the length of a duration fact in days, counting both ends (a calendar year is
// 365); 0 for instants.
func (f Fact) Days() int {
	if f.IsInstant() {
		return 0
	}
	return int(f.End-f.Start) + 1
}

// NoCutoff is an as-of date after every filing: FactsAsOf(..., NoCutoff) is Facts.
const NoCutoff series.Date = math.MaxInt32

// ParseCompanyFacts parses a data.sec.gov companyfacts JSON document:
//
//	{"cik": 1640147, "entityName": "SNOWFLAKE INC.", "facts": {"us-gaap": {"Revenues":
//	  {"label": ..., "description": ..., "units": {"USD": [{"start": "2021-02-01",
//	  "end": "2022-01-31", "val": 1219327000, "accn": "...", "fy": 2022, "fp": "FY",
//	  "form": "10-K", "filed": "2022-03-30", "frame": "CY2021"}, ...]}}}}}
//
// cik may be a number or a zero-padded string (edgartools' LPA fixture); every
// taxonomy present is kept; label, description, fy, fp and frame may be null or
// absent; unknown keys are skipped. end, val, accn, form and filed are required, and
// start must not follow end. Errors name the JSON path, such as
// facts.us-gaap.Revenues.units.USD[3].val, and the line.
func ParseCompanyFacts(r io.Reader, file string) (*CompanyFacts, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &source.ParseError{File: file, Err: err}
	}
	w := newWalker(data, file)
	cf := &CompanyFacts{Concepts: map[string]map[string]*Concept{}}
	haveCIK := false
	err = w.object(func(key string) error {
		var err error
		switch key {
		case "cik":
			cf.CIK, err = w.cik()
			haveCIK = true
		case "entityName":
			cf.EntityName, _, err = w.str()
		case "facts":
			err = w.object(func(tax string) error {
				concepts := cf.Concepts[tax]
				if concepts == nil {
					concepts = map[string]*Concept{}
					cf.Concepts[tax] = concepts
				}
				return w.object(func(name string) error {
					c, err := w.concept()
					concepts[name] = c
					return err
				})
			})
		default:
			err = w.skip()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := w.end(); err != nil {
		return nil, err
	}
	if !haveCIK {
		return nil, &source.ParseError{File: file, Path: "cik", Field: "cik", Err: errMissing}
	}
	return cf, nil
}

type missingError struct{}

func (missingError) Error() string { return "missing" }

var errMissing error = missingError{}

// concept reads {label, description, units:{unit:[fact...]}}.
func (w *walker) concept() (*Concept, error) {
	c := &Concept{Units: map[string][]Fact{}}
	err := w.object(func(key string) error {
		var err error
		switch key {
		case "label":
			c.Label, _, err = w.str()
		case "description":
			c.Description, _, err = w.str()
		case "units":
			err = w.object(func(unit string) error {
				facts := c.Units[unit]
				err := w.array(func(int) error {
					f, err := w.fact()
					facts = append(facts, f)
					return err
				})
				c.Units[unit] = facts
				return err
			})
		default:
			err = w.skip()
		}
		return err
	})
	return c, err
}

// fact reads one {start?, end, val, accn, fy, fp, form, filed, frame?} object.
func (w *walker) fact() (Fact, error) {
	f := Fact{Start: series.NoDate, End: series.NoDate, Filed: series.NoDate, Val: math.NaN()}
	const (
		hasEnd = 1 << iota
		hasVal
		hasAccn
		hasForm
		hasFiled
	)
	seen := 0
	err := w.object(func(key string) error {
		var err error
		var ok bool
		switch key {
		case "start":
			f.Start, err = w.date()
		case "end":
			f.End, err = w.date()
			seen |= hasEnd
		case "val":
			f.Val, err = w.number()
			seen |= hasVal
		case "accn":
			f.Accn, ok, err = w.str()
			if err == nil && (!ok || f.Accn == "") {
				err = w.fail("empty accession number")
			}
			seen |= hasAccn
		case "fy":
			f.FY, _, err = w.integer()
		case "fp":
			f.FP, _, err = w.str()
		case "form":
			f.Form, ok, err = w.str()
			if err == nil && (!ok || f.Form == "") {
				err = w.fail("empty form type")
			}
			seen |= hasForm
		case "filed":
			f.Filed, err = w.date()
			seen |= hasFiled
		case "frame":
			f.Frame, _, err = w.str()
		default:
			err = w.skip()
		}
		return err
	})
	if err != nil {
		return f, err
	}
	for _, req := range []struct {
		bit  int
		name string
	}{{hasEnd, "end"}, {hasVal, "val"}, {hasAccn, "accn"}, {hasForm, "form"}, {hasFiled, "filed"}} {
		if seen&req.bit == 0 {
			w.path = append(w.path, pathSeg{key: req.name})
			return f, w.fail("missing")
		}
	}
	if f.Start != series.NoDate && f.Start > f.End {
		w.path = append(w.path, pathSeg{key: "start"})
		return f, w.fail("start %s is after end %s", f.Start, f.End)
	}
	return f, nil
}

// Taxonomies returns the taxonomies present, sorted.
func (cf *CompanyFacts) Taxonomies() []string {
	out := make([]string, 0, len(cf.Concepts))
	for t := range cf.Concepts {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Concept returns one concept, or nil.
func (cf *CompanyFacts) Concept(taxonomy, name string) *Concept {
	return cf.Concepts[taxonomy][name]
}

// Raw returns every fact of a concept in a unit as filed, duplicates included.
// The slice is the CompanyFacts' own; do not modify it.
func (cf *CompanyFacts) Raw(taxonomy, concept, unit string) []Fact {
	c := cf.Concepts[taxonomy][concept]
	if c == nil {
		return nil
	}
	return c.Units[unit]
}

// Facts returns one fact per period (start, end) of a concept in a unit: the one filed
// last, ties broken by the later accession number. This is the latest restated value
// of each period; for what was known at a date, use FactsAsOf. Sorted by end, then
// start (instants first).
func (cf *CompanyFacts) Facts(taxonomy, concept, unit string) []Fact {
	return Dedupe(cf.Raw(taxonomy, concept, unit))
}

// FactsAsOf is Facts restricted to the filings public on asOf (filed on or before it):
// a backtest screening on asOf sees exactly these values, never a later restatement.
func (cf *CompanyFacts) FactsAsOf(taxonomy, concept, unit string, asOf series.Date) []Fact {
	return Dedupe(filter(cf.Raw(taxonomy, concept, unit), func(f Fact) bool { return f.Filed <= asOf }))
}

// annualForms are the annual-report forms: US domestic, foreign private issuer and
// Canadian MJDS filers, their transition reports and amendments.
var annualForms = map[string]bool{
	"10-K": true, "10-K/A": true, "10-KT": true, "10-KT/A": true,
	"20-F": true, "20-F/A": true, "40-F": true, "40-F/A": true,
}

// IsAnnualForm reports whether form is an annual report (10-K, 20-F, 40-F, their
// transition reports and amendments).
func IsAnnualForm(form string) bool { return annualForms[strings.ToUpper(strings.TrimSpace(form))] }

// Annual returns the fiscal-year values of a duration concept (revenue, net income,
// cash flows) known on asOf: facts from annual reports whose period lasts 350 to 380
// days (52/53-week years included), one per period as in FactsAsOf. Pass NoCutoff
// for the latest restated values.
func (cf *CompanyFacts) Annual(taxonomy, concept, unit string, asOf series.Date) []Fact {
	return Dedupe(filter(cf.Raw(taxonomy, concept, unit), func(f Fact) bool {
		d := f.Days()
		return f.Filed <= asOf && IsAnnualForm(f.Form) && d >= 350 && d <= 380
	}))
}

// Instant returns the point-in-time values of a balance-sheet concept (assets, debt,
// shares outstanding) known on asOf, one per date as in FactsAsOf, from any form.
func (cf *CompanyFacts) Instant(taxonomy, concept, unit string, asOf series.Date) []Fact {
	return Dedupe(filter(cf.Raw(taxonomy, concept, unit), func(f Fact) bool {
		return f.Filed <= asOf && f.IsInstant()
	}))
}

func filter(facts []Fact, keep func(Fact) bool) []Fact {
	var out []Fact
	for _, f := range facts {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// Dedupe keeps one fact per period (start, end): the one filed last, ties broken by
// the later accession number. The result is a new slice sorted by end, then start.
func Dedupe(facts []Fact) []Fact {
	if len(facts) == 0 {
		return nil
	}
	s := append([]Fact(nil), facts...)
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.End != b.End {
			return a.End < b.End
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.Filed != b.Filed {
			return a.Filed < b.Filed
		}
		return a.Accn < b.Accn
	})
	out := s[:0]
	for i, f := range s {
		if i+1 < len(s) && s[i+1].End == f.End && s[i+1].Start == f.Start {
			continue // a later filing reported the same period
		}
		out = append(out, f)
	}
	return out
}
