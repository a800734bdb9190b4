package view

import (
	"math"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/study"
)

type studyCellJSON struct {
	Window string        `json:"window"`
	OK     bool          `json:"ok"`
	Reason string        `json:"reason,omitempty"`
	Start  string        `json:"start,omitempty"`
	End    string        `json:"end,omitempty"`
	Asset  output.Num    `json:"asset"`
	Bench  output.Num    `json:"bench"`
	Excess output.Num    `json:"excess"`
	Value  output.Num    `json:"value"`
	MM     *study.MMCell `json:"market_model,omitempty"`
}

type studyEventJSON struct {
	Date     series.Date     `json:"date"`
	Day0     string          `json:"day0,omitempty"`
	Inferred bool            `json:"inferred"`
	Label    string          `json:"label,omitempty"`
	Windows  []studyCellJSON `json:"windows"`
}

type studySumJSON struct {
	Window   string     `json:"window"`
	N        int        `json:"n"`
	Mean     output.Num `json:"mean"`
	Median   output.Num `json:"median"`
	SD       output.Num `json:"sd"`
	HitRate  output.Num `json:"hit_rate"`
	T        output.Num `json:"t"`
	P        output.Num `json:"p"`
	Lo       output.Num `json:"boot_lo"`
	Hi       output.Num `json:"boot_hi"`
	Level    float64    `json:"level"`
	BWT      output.Num `json:"bw_t"`
	MeanBHAR output.Num `json:"mean_bhar"`
	TooFew   bool       `json:"too_few"`
	Verdict  string     `json:"verdict"`
}

// StudyJSON is the shape of `ratecycle study --format json` and /api/v1/study.
type StudyJSON struct {
	Series     string           `json:"series"`
	Vs         string           `json:"vs,omitempty"`
	Events     string           `json:"events"`
	Method     string           `json:"method"`
	Frequency  string           `json:"frequency"`
	From       string           `json:"from"`
	To         string           `json:"to"`
	Estimation string           `json:"estimation_window,omitempty"`
	MinEvents  int              `json:"min_events"`
	Overlap    bool             `json:"overlapping_windows"`
	Sources    []string         `json:"sources"`
	Summary    []studySumJSON   `json:"summary"`
	PerEvent   []studyEventJSON `json:"per_event"`
	Notes      []string         `json:"notes"`
}

// Study converts an event study; market-model columns are null for the excess method.
func Study(r *engine.StudyResult) StudyJSON {
	out := StudyJSON{Series: r.Series, Vs: r.Vs, Events: r.Events, Method: string(r.Method), Frequency: r.Freq, From: r.From.String(),
		To: r.To.String(), MinEvents: study.MinEvents, Overlap: r.Overlap, Sources: r.Sources, Notes: r.Notes,
		Summary: []studySumJSON{}, PerEvent: []studyEventJSON{}}
	mm := r.Method == study.MarketModel
	if mm {
		out.Estimation = r.Estimation.String()
	}
	for _, s := range r.Sums {
		sj := studySumJSON{Window: s.Window.String(), N: s.N, Mean: output.Num(s.Mean), Median: output.Num(s.Median), SD: output.Num(s.SD),
			HitRate: output.Num(s.HitRate), T: output.Num(s.T), P: output.Num(s.P), Lo: output.Num(s.Lo), Hi: output.Num(s.Hi),
			Level: s.Level, TooFew: s.TooFew, Verdict: s.Verdict, BWT: output.Num(math.NaN()), MeanBHAR: output.Num(math.NaN())}
		if mm {
			sj.BWT, sj.MeanBHAR = output.Num(s.BWT), output.Num(s.MeanBHAR)
		}
		out.Summary = append(out.Summary, sj)
	}
	for i, ev := range r.EventResult.Events {
		ej := studyEventJSON{Date: ev.Date, Inferred: ev.Inferred, Label: ev.Label, Windows: []studyCellJSON{}}
		if r.Day0[i] >= 0 {
			ej.Day0 = r.Grid.Dates[r.Day0[i]].String()
		}
		for j, w := range r.Windows {
			c := r.Cells[i][j]
			cj := studyCellJSON{Window: w.String(), OK: c.OK, Reason: c.Reason, Asset: output.Num(c.Asset), Bench: output.Num(c.Bench),
				Excess: output.Num(c.Excess), Value: output.Num(c.Value), MM: c.MM}
			if c.OK {
				cj.Start, cj.End = c.Start.String(), c.End.String()
			}
			ej.Windows = append(ej.Windows, cj)
		}
		out.PerEvent = append(out.PerEvent, ej)
	}
	return out
}

type regimeStatJSON struct {
	Regime  string     `json:"regime"`
	N       int        `json:"n"`
	Share   output.Num `json:"share"`
	Mean    output.Num `json:"mean"`
	SE      output.Num `json:"se"`
	T       output.Num `json:"t"`
	P       output.Num `json:"p"`
	AnnMean output.Num `json:"ann_mean"`
	Vol     output.Num `json:"vol"`
	Sharpe  output.Num `json:"sharpe"`
}

type regimeDiffJSON struct {
	A       string     `json:"a"`
	B       string     `json:"b"`
	Diff    output.Num `json:"diff"`
	AnnDiff output.Num `json:"ann_diff"`
	SE      output.Num `json:"se"`
	T       output.Num `json:"t"`
	P       output.Num `json:"p"`
}

type regimeBlockJSON struct {
	Series         string           `json:"series"`
	Vs             string           `json:"vs,omitempty"`
	From           string           `json:"from"`
	To             string           `json:"to"`
	N              int              `json:"n"`
	HACLags        int              `json:"hac_lags"`
	LagRule        string           `json:"lag_rule"`
	PeriodsPerYear int              `json:"periods_per_year"`
	Regimes        []regimeStatJSON `json:"regimes"`
	Differences    []regimeDiffJSON `json:"differences"`
}

// RegimesJSON is the shape of `ratecycle regimes --format json` and /api/v1/regimes.
type RegimesJSON struct {
	By      string            `json:"by"`
	Series  []regimeBlockJSON `json:"series"`
	Sources []string          `json:"sources"`
	Notes   []string          `json:"notes"`
}

// Regimes converts regime statistics: per series each regime's n, mean, se, t and the
// differences with their HAC t and p.
func Regimes(r *engine.RegimesResult) RegimesJSON {
	out := RegimesJSON{By: r.By, Sources: r.Sources, Notes: r.Notes, Series: []regimeBlockJSON{}}
	for _, b := range r.Blocks {
		rr := b.Result
		bj := regimeBlockJSON{Series: b.Name, Vs: b.Vs, From: rr.From.String(), To: rr.To.String(), N: rr.N, HACLags: rr.MaxLags,
			LagRule: rr.LagRule, PeriodsPerYear: rr.PeriodsPerYear, Regimes: []regimeStatJSON{}, Differences: []regimeDiffJSON{}}
		for _, st := range rr.Stats {
			bj.Regimes = append(bj.Regimes, regimeStatJSON{st.Label, st.N, output.Num(st.Share), output.Num(st.Mean), output.Num(st.SE),
				output.Num(st.T), output.Num(st.P), output.Num(st.AnnMean), output.Num(st.Vol), output.Num(st.Sharpe)})
		}
		for _, x := range rr.Diffs {
			bj.Differences = append(bj.Differences, regimeDiffJSON{x.A, x.B, output.Num(x.Diff), output.Num(x.AnnDiff), output.Num(x.SE),
				output.Num(x.T), output.Num(x.P)})
		}
		out.Series = append(out.Series, bj)
	}
	return out
}
