package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/study"
)

// Event kinds beyond cycle.EventKinds that StudyOptions.Events accepts.
const CustomEvents = "custom"

// StudyOptions configures an event study over catalog series.
type StudyOptions struct {
	Series string // catalog id of the asset (prices become returns)
	Vs     string // optional catalog id of the benchmark
	// Events is a cycle.EventKind (first-cut, all-cuts, first-hike, all-hikes,
	// all-moves); ignored when Custom is set.
	Events string
	// Custom are custom events (a speech, a data release); they replace Events.
	Custom []study.Event
	// IncludeTechnical adds the sub-25bp moves of the 1980s to all-* event kinds.
	IncludeTechnical bool
	// NoInferred leaves out the pre-1982 moves inferred from monthly data.
	NoInferred bool
	Windows    []study.Window // nil: study.DefaultWindows
	Method     study.Method
	Estimation study.Window
	Resamples  int // 0: 10,000; negative: no bootstrap
	Seed       uint64
	Balanced   bool
}

// StudyResult is an event study with what it read.
type StudyResult struct {
	*study.EventResult
	Series  string      `json:"series"`
	Vs      string      `json:"vs,omitempty"`
	Events  string      `json:"event_kind"`
	Sources []string    `json:"sources"`
	Notes   []string    `json:"notes"`
	Freq    string      `json:"frequency"`
	DataEnd series.Date `json:"policy_data_end"`
}

// StudyEvents returns the event dates of a kind from the Fed history.
func StudyEvents(h *cycle.History, kind string, includeTechnical, noInferred bool) ([]study.Event, error) {
	ds, inf, err := h.Dates(cycle.EventKind(kind), includeTechnical)
	if err != nil {
		return nil, err
	}
	out := make([]study.Event, 0, len(ds))
	for i, d := range ds {
		if noInferred && inf[i] {
			continue
		}
		out = append(out, study.Event{Date: d, Inferred: inf[i], Label: kind})
	}
	return out, nil
}

// Study loads the series and the Fed history from the catalog and runs the event study.
func Study(ctx context.Context, cat *catalog.Catalog, opt StudyOptions) (*StudyResult, error) {
	var h *cycle.History
	if len(opt.Custom) == 0 {
		var err error
		if h, err = Cycles(ctx, cat, cycle.DefaultRules); err != nil {
			return nil, err
		}
	}
	asset, err := cat.Load(ctx, opt.Series, "")
	if err != nil {
		return nil, err
	}
	var bench *series.Series
	if opt.Vs != "" {
		if bench, err = cat.Load(ctx, opt.Vs, ""); err != nil {
			return nil, err
		}
	}
	return StudySeries(asset, bench, h, opt)
}

// StudySeries runs the event study on series already loaded (h may be nil when
// opt.Custom is set).
func StudySeries(asset, bench *series.Series, h *cycle.History, opt StudyOptions) (*StudyResult, error) {
	res := &StudyResult{Series: opt.Series, Vs: opt.Vs, Events: opt.Events}
	if res.Series == "" {
		res.Series = asset.Name
	}
	if bench != nil && res.Vs == "" {
		res.Vs = bench.Name
	}
	res.Sources = []string{res.Series}
	if bench != nil {
		res.Sources = append(res.Sources, res.Vs)
	}
	var events []study.Event
	if len(opt.Custom) > 0 {
		res.Events = CustomEvents
		events = opt.Custom
	} else {
		if res.Events == "" {
			res.Events = string(cycle.AllCuts)
		}
		var err error
		if events, err = StudyEvents(h, res.Events, opt.IncludeTechnical, opt.NoInferred); err != nil {
			return nil, err
		}
		res.Sources = append(res.Sources, CycleInputIDs...)
		res.DataEnd = h.DataEnd
	}
	ws := opt.Windows
	if ws == nil {
		ws = study.DefaultWindows
	}
	er, err := study.Run(study.EventStudy{Asset: asset, Bench: bench, Events: events, Windows: ws, Method: opt.Method,
		Estimation: opt.Estimation, Resamples: opt.Resamples, Seed: opt.Seed, Balanced: opt.Balanced})
	if err != nil {
		return nil, fmt.Errorf("study %s: %w", res.Series, err)
	}
	res.EventResult = er
	res.Freq = "daily"
	if er.Grid.Monthly {
		res.Freq = "monthly"
	}
	res.Notes = studyNotes(res, bench != nil)
	return res, nil
}

func studyNotes(r *StudyResult, hasBench bool) []string {
	var n []string
	if r.Grid.Monthly {
		n = append(n, "Monthly data: the event month m is the month of the announcement; month offsets count from the end of month m-1 (0:1m is month m, 0:12m months m..m+11).")
	} else {
		n = append(n, "Daily data: day 0 is the first trading day on or after the announcement (decisions come at 2 pm, so its close reflects them); a window 0:k starts at the close of the day before day 0; k months ends at the last close on or before the announcement date plus k calendar months.")
	}
	switch {
	case r.Method == study.MarketModel:
		n = append(n, fmt.Sprintf("Market model: alpha and beta by OLS on the estimation window %s (periods relative to day 0); the statistic is the CAR (sum of abnormal returns); CAAR = mean CAR; t = cross-sectional t of the CAAR; BW t = CAAR/(√Σσ²L/N).", r.Estimation))
	case hasBench:
		n = append(n, fmt.Sprintf("Excess = buy-and-hold return of %s minus that of %s over the window.", r.Series, r.Vs))
	default:
		n = append(n, fmt.Sprintf("Value = buy-and-hold (compounded) return of %s over the window.", r.Series))
	}
	n = append(n, fmt.Sprintf("Summaries: t is the cross-sectional t of the mean (p from Student's t, n-1 df); interval = %.0f%% percentile bootstrap of the mean, events resampled independently; fewer than %d events: too few to conclude.", 100*levelOf(r), study.MinEvents))
	if r.Overlap {
		var ws []string
		for _, s := range r.Sums {
			if s.Overlap {
				ws = append(ws, s.Window.String())
			}
		}
		n = append(n, fmt.Sprintf("Windows %s of consecutive events overlap in time: those events are not independent, so t and intervals overstate precision.", strings.Join(ws, ", ")))
	}
	switch r.Events {
	case string(cycle.AllMoves):
		n = append(n, "all-moves = every change of the policy rate; the data hold moves only, not FOMC meetings that left rates unchanged.")
	case CustomEvents:
	default:
		inferred := 0
		for _, e := range r.EventResult.Events {
			if e.Inferred {
				inferred++
			}
		}
		if inferred > 0 {
			n = append(n, fmt.Sprintf("%d events before 1982 are inferred from monthly FEDFUNDS and dated the first of a month.", inferred))
		}
	}
	incomplete := 0
	for i := range r.Cells {
		for _, c := range r.Cells[i] {
			if !c.OK {
				incomplete++
				break
			}
		}
	}
	if incomplete > 0 {
		n = append(n, fmt.Sprintf("%d of %d events lack data for at least one window (before the data start or after %s) and are left out of those windows.", incomplete, len(r.Cells), r.To))
	}
	return n
}

func levelOf(r *StudyResult) float64 {
	if len(r.Sums) > 0 && r.Sums[0].Level > 0 {
		return r.Sums[0].Level
	}
	return 0.90
}
