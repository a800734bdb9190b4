package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/study"
	"github.com/ratecycle/ratecycle/view"
)

type studyOptions struct {
	series, vs   string
	events       string
	eventsFile   string
	dates        string
	windows      string
	method       string
	estWindow    string
	bootstrap    int
	seed         uint64
	technical    bool
	noInferred   bool
	detail       bool
	format       string
	defaultPairs bool
}

func init() { register(newStudyCmd) }

func newStudyCmd(a *app) *cobra.Command {
	o := &studyOptions{}
	cmd := &cobra.Command{
		Use:   "study",
		Short: "Event study: how a series did around Fed moves or your own dates",
		Long: `Event study of any catalog series around Fed moves (first cuts, all cuts, first hikes,
all hikes, all moves) or around your own dates (--dates, --events-file), optionally
against a benchmark (--vs).

Without --series and --vs the study is price/IWM against price/SPY.

Conventions. Events are announcement dates. Trading days are the dates of the data.
Day 0 is the first trading day on or after the announcement (decisions come at 2 pm, so
the close of day 0 reflects them). A window a:b has bounds in trading days (d), calendar
weeks (w) or calendar months (m); a bare number counts periods of the data:
  0 as a start   the close of the trading day before day 0 (the reaction is included)
  0 as an end    the close of day 0
  kd             start: close of day k-1; end: close of day k (0:1d = days 0 and 1)
  kw, km         the last close on or before the announcement date + k weeks/months
On monthly data (Ken French) the event month m is the announcement's month and month
offsets count from the end of month m-1: 0:1m is month m, 0:12m months m..m+11.
Windows the data do not cover are reported and left out, never extrapolated.

Methods. excess: buy-and-hold return of the series minus that of --vs (the series' own
return without --vs). market-model: alpha and beta by OLS of the series' returns on the
benchmark's over --est-window (periods relative to day 0, default -250:-11 daily, -60:-1
monthly); per event AR, CAR with its t, BHAR; per window CAAR with its cross-sectional
and Brown-Warner t.

Summaries print n, mean, median, sd, hit rate, t (p from Student's t, n-1 df) and a
percentile bootstrap interval of the mean (events resampled independently). With fewer
than 8 events the summary says "too few to conclude". all-moves holds every change of the
policy rate: the data have moves only, not meetings that left rates unchanged.`,
		Example: `  ratecycle study
  ratecycle study --series price/IWM --vs price/SPY --events first-cut --windows 0:1m,0:3m,0:12m
  ratecycle study --series french/F-F_Research_Data_Factors/SMB --events first-cut --windows 0:3m,0:12m
  ratecycle study --series price/ITB --vs price/SPY --dates 2025-08-22 --windows 0:1d,0:1w,0:1m
  ratecycle study --series price/IWM --vs price/SPY --method market-model --est-window -250:-11 --windows 0:1d,0:1w
  ratecycle study --events-file fomc-surprises.csv --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.defaultPairs = !cmd.Flags().Changed("series") && !cmd.Flags().Changed("vs")
			return studyRun(cmd, a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.series, "series", "price/IWM", "catalog id of the series studied (prices become returns)")
	f.StringVar(&o.vs, "vs", "", "catalog id of the benchmark (default price/SPY when --series is not given either)")
	f.StringVar(&o.events, "events", string(cycle.AllCuts), "first-cut, all-cuts, first-hike, all-hikes or all-moves")
	f.StringVar(&o.eventsFile, "events-file", "", "file of event dates, one per line (date[,label]; # comments)")
	f.StringVar(&o.dates, "dates", "", "comma-separated event dates (YYYY-MM-DD), e.g. a speech or a data release")
	f.StringVar(&o.windows, "windows", "0:1d,0:1w,0:1m,0:3m,0:6m,0:12m", "comma-separated windows a:b (units d, w, m)")
	f.StringVar(&o.method, "method", string(study.Excess), "excess or market-model")
	f.StringVar(&o.estWindow, "est-window", "", "market-model estimation window in periods (default -250:-11 daily, -60:-1 monthly)")
	f.IntVar(&o.bootstrap, "bootstrap", 10000, "bootstrap resamples of each window's mean (0: none)")
	f.Uint64Var(&o.seed, "seed", 1, "bootstrap seed")
	f.BoolVar(&o.technical, "include-technical", false, "include the sub-25bp moves of the 1980s in all-* events")
	f.BoolVar(&o.noInferred, "no-inferred", false, "leave out pre-1982 moves inferred from monthly FEDFUNDS")
	f.BoolVar(&o.detail, "detail", false, "csv: one row per event and window instead of the summary")
	formatFlag(cmd, &o.format)
	return cmd
}

func studyOpts(o *studyOptions) (engine.StudyOptions, error) {
	opt := engine.StudyOptions{Series: o.series, Vs: o.vs, Events: o.events, IncludeTechnical: o.technical,
		NoInferred: o.noInferred, Method: study.Method(o.method), Seed: o.seed, Resamples: o.bootstrap}
	if o.defaultPairs {
		opt.Vs = "price/SPY"
	}
	if o.bootstrap == 0 {
		opt.Resamples = -1
	} else if o.bootstrap < 0 {
		return opt, usagef("--bootstrap must be >= 0")
	}
	switch opt.Method {
	case study.Excess, study.MarketModel:
	default:
		return opt, usagef("--method %q: want excess or market-model", o.method)
	}
	if opt.Method == study.MarketModel && opt.Vs == "" {
		return opt, usagef("--method market-model needs --vs (the market)")
	}
	ok := false
	for _, k := range cycle.EventKinds {
		ok = ok || string(k) == o.events
	}
	if !ok {
		return opt, usagef("--events %q: want first-cut, all-cuts, first-hike, all-hikes or all-moves (or --dates / --events-file)", o.events)
	}
	ws, err := study.ParseWindows(o.windows)
	if err != nil {
		return opt, usagef("--windows: %v", err)
	}
	opt.Windows = ws
	if o.estWindow != "" {
		w, err := study.ParseWindow(o.estWindow)
		if err != nil {
			return opt, usagef("--est-window: %v", err)
		}
		opt.Estimation = w
	}
	if o.dates != "" && o.eventsFile != "" {
		return opt, usagef("give --dates or --events-file, not both")
	}
	if o.dates != "" {
		for _, s := range strings.Split(o.dates, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			d, err := series.ParseDate(s)
			if err != nil {
				return opt, usagef("--dates: %v", err)
			}
			opt.Custom = append(opt.Custom, study.Event{Date: d})
		}
		if len(opt.Custom) == 0 {
			return opt, usagef("--dates: no date given")
		}
	}
	if o.eventsFile != "" {
		fh, err := os.Open(o.eventsFile)
		if err != nil {
			return opt, usagef("--events-file: %v", err)
		}
		defer fh.Close()
		evs, err := study.ParseEvents(fh, o.eventsFile)
		if err != nil {
			return opt, err
		}
		opt.Custom = evs
	}
	return opt, nil
}

func studyRun(cmd *cobra.Command, a *app, o *studyOptions) error {
	format, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	opt, err := studyOpts(o)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	res, err := engine.Study(ctx, cat, opt)
	if err != nil {
		return err
	}
	switch format {
	case output.JSON:
		return output.Write(a.io.Out, format, nil, view.Study(res))
	case output.CSV:
		if o.detail {
			return output.Write(a.io.Out, format, studyDetailTab(res), nil)
		}
		return output.Write(a.io.Out, format, studySummaryTab(res, format), nil)
	}
	if err := output.Write(a.io.Out, format, studyEventTab(res), nil); err != nil {
		return err
	}
	fmt.Fprintln(a.io.Out)
	return output.Write(a.io.Out, format, studySummaryTab(res, format), nil)
}

func studyTitle(r *engine.StudyResult) string {
	what := r.Series
	if r.Vs != "" {
		what += " vs " + r.Vs
	}
	return fmt.Sprintf("%s around %s events (%s, %s data %s..%s)", what, r.Events, r.Method, r.Freq, r.From, r.To)
}

func studyEventTab(r *engine.StudyResult) *output.Tab {
	t := &output.Tab{Title: studyTitle(r) + ": per event"}
	t.Columns = []string{"event", "day0"}
	for _, w := range r.Windows {
		t.Columns = append(t.Columns, w.String())
	}
	var notes []string
	before := 0
	for i, ev := range r.EventResult.Events {
		if r.Day0[i] < 0 && len(r.Cells[i]) > 0 && r.Cells[i][0].Reason == study.ReasonBeforeData {
			before++
			continue
		}
		name := ev.Date.String()
		if ev.Inferred {
			name += "*"
		}
		if ev.Label != "" && ev.Label != r.Events {
			name += " " + ev.Label
		}
		d0 := ""
		if r.Day0[i] >= 0 {
			d0 = r.Grid.Dates[r.Day0[i]].String()
		}
		row := []string{name, d0}
		for j := range r.Windows {
			c := r.Cells[i][j]
			if !c.OK {
				row = append(row, "-")
				continue
			}
			row = append(row, output.Pct(c.Value, 2))
		}
		t.Add(row...)
	}
	if len(r.EventResult.Events) == 0 {
		notes = append(notes, "no events")
	}
	if before > 0 {
		notes = append(notes, fmt.Sprintf("%d events before the data start (%s) are not shown.", before, r.From))
	}
	notes = append(notes, "* inferred (pre-1982, from monthly FEDFUNDS); - = window not covered by the data.")
	if r.Method == study.MarketModel {
		notes = append(notes, "Cells are CARs (sums of market-model abnormal returns).")
	} else if r.Vs != "" {
		notes = append(notes, "Cells are excess returns: "+r.Series+" minus "+r.Vs+", buy and hold over the window.")
	} else {
		notes = append(notes, "Cells are buy-and-hold returns of "+r.Series+".")
	}
	t.Notes = notes
	return t
}

func studySummaryTab(r *engine.StudyResult, f output.Format) *output.Tab {
	c := cellsFor(f)
	t := &output.Tab{Title: studyTitle(r) + ": summary"}
	mm := r.Method == study.MarketModel
	t.Columns = []string{"window", "n", "mean", "median", "sd", "hit_rate", "t", "p", "boot_lo", "boot_hi"}
	if mm {
		t.Columns = append(t.Columns, "bw_t", "mean_bhar")
	}
	t.Columns = append(t.Columns, "verdict")
	for _, s := range r.Sums {
		row := []string{s.Window.String(), fmt.Sprint(s.N), c.pct(s.Mean, 2), c.pct(s.Median, 2), c.pct(s.SD, 2),
			c.pct(s.HitRate, 0), c.num(s.T, 2), c.num(s.P, 3), c.pct(s.Lo, 2), c.pct(s.Hi, 2)}
		if mm {
			row = append(row, c.num(s.BWT, 2), c.pct(s.MeanBHAR, 2))
		}
		t.Add(append(row, s.Verdict)...)
	}
	t.Notes = r.Notes
	return t
}

func studyDetailTab(r *engine.StudyResult) *output.Tab {
	t := &output.Tab{Columns: []string{"event", "inferred", "label", "window", "ok", "reason", "start", "end", "asset", "bench", "excess", "value",
		"alpha", "beta", "sigma_e", "car_t", "bhar"}}
	for i, ev := range r.EventResult.Events {
		for j, w := range r.Windows {
			c := r.Cells[i][j]
			row := []string{ev.Date.String(), yn(ev.Inferred), ev.Label, w.String(), yn(c.OK), c.Reason}
			if c.OK {
				row = append(row, c.Start.String(), c.End.String(), output.G(c.Asset), output.G(c.Bench), output.G(c.Excess), output.G(c.Value))
			} else {
				row = append(row, "", "", "", "", "", "")
			}
			if c.MM != nil {
				row = append(row, output.G(c.MM.Alpha), output.G(c.MM.Beta), output.G(c.MM.SigmaE), output.G(c.MM.CART), output.G(c.MM.BHAR))
			} else {
				row = append(row, "", "", "", "", "")
			}
			t.Add(row...)
		}
	}
	return t
}
