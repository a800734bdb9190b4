package engine

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/snapshot"
)

// ReportOptions are the inputs of the main job.
type ReportOptions struct {
	Built string // provenance line: when and by which version (the caller reads the clock)
	// A user's holdings CSV for the rebalance and hedge sections, and a claims file for
	// the thesis section: the name (for messages) and the bytes, which the caller reads,
	// so the engine never opens files. Empty data means the embedded example.
	Holdings     string
	HoldingsData []byte
	Thesis       string
	ThesisData   []byte
}

// ReportContext is what a section builder gets: the catalog through a tracker that
// records every series read (for the data appendix), the Fed history, and the options.
type ReportContext struct {
	Cat     *catalog.Catalog
	History *cycle.History
	Opt     ReportOptions
	used    map[string]*series.Series
	files   map[string]string // non-series datasets (holdings, constituents, SEC files) -> note
	summary []string
}

// Use records a dataset that is not a series (a holdings or constituents snapshot, an
// SEC file) for the data appendix, with a note on what it held.
func (rc *ReportContext) Use(id, note string) {
	if rc.files == nil {
		rc.files = map[string]string{}
	}
	rc.files[id] = note
}

// Load reads a series through the catalog and records it for the appendix.
func (rc *ReportContext) Load(ctx context.Context, id string) (*series.Series, error) {
	s, err := rc.Cat.Load(ctx, id, "")
	if err != nil {
		return nil, err
	}
	rc.used[id] = s
	return s, nil
}

// Summarize adds a line to "the answer in brief" at the top of the report.
func (rc *ReportContext) Summarize(line string) { rc.summary = append(rc.summary, line) }

// SectionBuilder builds one report section. It returns (nil, nil) when its analysis
// has nothing to say, so the section is left out rather than faked.
type SectionBuilder func(ctx context.Context, rc *ReportContext) (*report.Section, error)

type registered struct {
	order int
	name  string
	build SectionBuilder
}

var sectionBuilders []registered

// RegisterSection adds a section to the report at position order (1 = where the Fed
// is now ... 11 = thesis; the appendix is always last). Each analysis registers its
// own section from its own file.
func RegisterSection(order int, name string, b SectionBuilder) {
	sectionBuilders = append(sectionBuilders, registered{order, name, b})
}

func init() {
	RegisterSection(1, "fed", fedSection)
	RegisterSection(90, "cycles", func(ctx context.Context, rc *ReportContext) (*report.Section, error) {
		s := cyclesSection(rc.History)
		return &s, nil
	})
}

type tracker = ReportContext

// Report builds the strategic-rebalance report document. Sections whose analysis is
// not available are left out, never faked.
func Report(ctx context.Context, cat *catalog.Catalog, opt ReportOptions) (*report.Document, error) {
	h, err := Cycles(ctx, cat, cycle.DefaultRules)
	if err != nil {
		return nil, err
	}
	rc := &ReportContext{Cat: cat, History: h, Opt: opt, used: map[string]*series.Series{}}
	for _, id := range CycleInputIDs {
		if _, err := rc.Load(ctx, id); err != nil {
			return nil, err
		}
	}
	doc := &report.Document{
		Title:    "Small caps and the Fed's easing cycle",
		Subtitle: "Should we rotate into small caps, into what, how hedged, with which trades?",
		AsOf:     h.DataEnd.String(),
		Built:    opt.Built,
	}
	builders := append([]registered(nil), sectionBuilders...)
	sort.SliceStable(builders, func(i, j int) bool { return builders[i].order < builders[j].order })
	// Sections are independent: build them concurrently, each with its own tracker,
	// then merge in section order so the document is the same whatever the schedule.
	type built struct {
		sec *report.Section
		rc  *ReportContext
		err error
	}
	results := make([]built, len(builders))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, b := range builders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				results[i].err = err
				return
			}
			sub := &ReportContext{Cat: cat, History: h, Opt: opt, used: map[string]*series.Series{}}
			sec, err := b.build(ctx, sub)
			if err != nil {
				err = fmt.Errorf("report section %s: %w", b.name, err)
			}
			results[i] = built{sec, sub, err}
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		if r.sec != nil {
			doc.Sections = append(doc.Sections, *r.sec)
		}
		rc.summary = append(rc.summary, r.rc.summary...)
		for id, s := range r.rc.used {
			rc.used[id] = s
		}
		for id, note := range r.rc.files {
			rc.Use(id, note)
		}
	}
	doc.Summary = rc.summary
	doc.Appendix = appendix(ctx, cat, rc.used)
	doc.Appendix = append(doc.Appendix, fileAppendix(ctx, cat, rc.files)...)
	return doc, nil
}

func fedSection(ctx context.Context, rc *ReportContext) (*report.Section, error) {
	h := rc.History
	sec := &report.Section{ID: "fed", Title: "1. Where the Fed is now"}
	last, regime, ok := h.Current(h.DataEnd)
	if !ok {
		return nil, fmt.Errorf("no Fed cycles found")
	}
	lastEv := last.Events[len(last.Events)-1]
	cuts, cutBP := 0, 0.0
	for _, e := range last.Events {
		if e.Direction() == last.Direction {
			cuts++
			cutBP += e.ChangeBP
		}
	}
	rangeStr := fmt.Sprintf("%.2f%%", lastEv.TargetAfter)
	if lastEv.TargetLow > 0 || lastEv.Source == "fred/DFEDTARU" {
		rangeStr = fmt.Sprintf("%.2f-%.2f%%", lastEv.TargetLow, lastEv.TargetAfter)
	}
	verb := "cutting"
	if last.Direction == cycle.Tightening {
		verb = "hiking"
	}
	months, _, _ := h.MonthsSinceFirstMove(h.DataEnd)
	sec.Lead = fmt.Sprintf("The Fed has been %s since %s: %d moves, %+.0f bp, target range %s after the move announced %s.",
		verb, last.FirstMove, cuts, cutBP, rangeStr, lastEv.Announced)
	sec.Metrics = []report.Metric{
		{Label: "Regime on " + h.DataEnd.String(), Value: string(regime), Note: fmt.Sprintf("the cycle's direction while its latest move is under %d months old", h.Rules.HoldAfterMonths)},
		{Label: "Target range", Value: rangeStr, Note: "after " + lastEv.Announced.String()},
		{Label: "Cycle started", Value: last.FirstMove.String(), Note: fmt.Sprintf("%d months before the data end", months)},
		{Label: "Moves so far", Value: fmt.Sprintf("%d (%+.0f bp)", cuts, cutBP)},
		{Label: "Easing cycles since 1954", Value: fmt.Sprint(countDir(h, cycle.Easing)), Note: fmt.Sprintf("%d before 1982 inferred", countInferred(h, cycle.Easing))},
	}
	sec.Paragraphs = []string{
		"Dates are FOMC announcement dates, the day markets react. FRED dates target changes by the day they took effect, which since 2017 is the day after the announcement; ratecycle keeps both dates for every move.",
	}
	chart, err := policyChart(ctx, rc, h)
	if err != nil {
		return nil, err
	}
	sec.Charts = []report.Chart{chart}
	t := report.Table{Title: "Moves of the current cycle", Columns: []string{"announced", "effective", "change (bp)", "target after (%)"}}
	for _, e := range last.Events {
		t.Rows = append(t.Rows, []string{e.Announced.String(), e.Effective.String(), fmt.Sprintf("%+.0f", e.ChangeBP), fmt.Sprintf("%.2f", e.TargetAfter)})
	}
	sec.Tables = []report.Table{t}
	sec.Notes = []string{
		fmt.Sprintf("Policy-rate data end %s (FRED DFEDTARU as embedded); a later move needs 'ratecycle data update'.", h.DataEnd),
	}
	rc.Summarize(fmt.Sprintf("The Fed is in an %s cycle that began %s (%d moves, %+.0f bp so far; regime on %s: %s).", last.Direction, last.FirstMove, cuts, cutBP, h.DataEnd, regime))
	return sec, nil
}

func countDir(h *cycle.History, d cycle.Direction) int {
	n := 0
	for _, c := range h.Cycles {
		if c.Direction == d {
			n++
		}
	}
	return n
}

func countInferred(h *cycle.History, d cycle.Direction) int {
	n := 0
	for _, c := range h.Cycles {
		if c.Direction == d && c.Inferred {
			n++
		}
	}
	return n
}

// policyChart draws the policy rate since 1954 (weekly), with easing cycles shaded.
func policyChart(ctx context.Context, tr *tracker, h *cycle.History) (report.Chart, error) {
	dff, err := tr.Load(ctx, "fred/DFF")
	if err != nil {
		return report.Chart{}, err
	}
	target, err := tr.Load(ctx, "fred/DFEDTAR")
	if err != nil {
		return report.Chart{}, err
	}
	upper, err := tr.Load(ctx, "fred/DFEDTARU")
	if err != nil {
		return report.Chart{}, err
	}
	// One target line: the single target to 2008, then the range's upper limit.
	tgt := target.Clone()
	ext := upper.Slice(target.Last().AddDays(1), series.NoDate)
	tgt.Dates = append(tgt.Dates, ext.Dates...)
	tgt.Values = append(tgt.Values, ext.Values...)
	wDFF := dff.Resample(series.Weekly, series.Last)
	wTgt := tgt.Resample(series.Weekly, series.Last)
	f := series.Align(series.Outer, wDFF, wTgt)
	c := report.Chart{ID: "policy-rate", Title: "Fed funds: effective rate and target (upper limit after 2008), easing cycles shaded",
		Kind: "time", YLabel: "percent", Height: 380}
	for _, d := range f.Dates {
		c.X = append(c.X, d.String())
	}
	c.Series = []report.ChartSeries{
		{Name: "Effective fed funds (DFF, weekly)", Type: "line", Y: f.Cols[0]},
		{Name: "Target (DFEDTAR / DFEDTARU)", Type: "step", Y: f.Cols[1]},
	}
	for _, cy := range h.Cycles {
		if cy.Direction == cycle.Easing {
			c.Shades = append(c.Shades, report.Shade{From: cy.FirstMove.String(), To: cy.LastMove.String(),
				Label: "easing from " + cy.FirstMove.String()})
		}
	}
	return c, nil
}

func cyclesSection(h *cycle.History) report.Section {
	sec := report.Section{ID: "cycles", Title: "Fed cycles since 1954"}
	ne, nt := countDir(h, cycle.Easing), countDir(h, cycle.Tightening)
	sec.Lead = fmt.Sprintf("%d easing and %d tightening cycles; every statistic over cycles in this report rests on about that many events.", ne, nt)
	t := report.Table{Columns: []string{"direction", "first move", "last move", "moves", "total (bp)", "recession", "inferred"}}
	for i := len(h.Cycles) - 1; i >= 0; i-- {
		c := h.Cycles[i]
		t.Rows = append(t.Rows, []string{string(c.Direction), c.FirstMove.String(), c.LastMove.String(), fmt.Sprint(c.Moves),
			fmt.Sprintf("%+.0f", c.TotalBP), yesNo(c.Recession), yesNo(c.Inferred)})
	}
	sec.Tables = []report.Table{t}
	sec.Notes = []string{
		fmt.Sprintf("Rules: moves under %.0f bp (the 1980s' 1/16 and 1/8 point adjustments) never start or end a cycle; before 1982 cycles are inferred from monthly FEDFUNDS with a %.0f bp zigzag filter; a cycle is 'recession' when an NBER recession month (USREC) lies between its first and last move.", h.Rules.TechnicalBP, h.Rules.InferTurnBP),
	}
	return sec
}

func fileAppendix(ctx context.Context, cat *catalog.Catalog, files map[string]string) []report.Source {
	ids := make([]string, 0, len(files))
	for id := range files {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []report.Source
	for _, id := range ids {
		src := report.Source{ID: id, Range: files[id], Vintage: snapshot.Label, Lag: "snapshot as of the date in its file"}
		if d, err := cat.Info(ctx, id); err == nil {
			src.Title, src.Provider, src.File, src.URL, src.Licence = d.Title, d.Provider, strings.Join(d.Files, " + "), d.URL, d.Licence
			if d.Vintage != "" {
				src.Vintage = d.Vintage
			}
		} else {
			src.File = id
			src.Licence = "see snapshot/data/MANIFEST.md"
		}
		out = append(out, src)
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func appendix(ctx context.Context, cat *catalog.Catalog, used map[string]*series.Series) []report.Source {
	ids := make([]string, 0, len(used))
	for id := range used {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []report.Source
	for _, id := range ids {
		s := used[id]
		d, err := cat.Info(ctx, id)
		if err != nil {
			continue
		}
		clean := s.DropNaN()
		lag := fmt.Sprintf("%d days", d.Lag.Days)
		if d.LagNote != "" {
			lag += ": " + d.LagNote
		}
		out = append(out, report.Source{ID: id, Title: d.Title, Provider: d.Provider, File: strings.Join(d.Files, " + "),
			URL: d.URL, Range: fmt.Sprintf("%s .. %s (%d obs)", clean.First(), clean.Last(), clean.Len()),
			Vintage: d.Vintage, Lag: lag, Licence: d.Licence})
	}
	return out
}
