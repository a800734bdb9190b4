package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/study"
)

type recordsOptions struct {
	series, vs string
	from, to   string
	month      string
	at         string
	freq       string
	window     int
	last       int
	worst      bool
	format     string
}

func init() { register(newRecordsCmd) }

func newRecordsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "records",
		Short: "Period returns, drawdowns, relative returns and 'best week since' records",
		Long: `Measure a series over a period: its return (period), its deepest peak-to-trough fall
inside the period (drawdown), its return against another series (relative, with
--window for a rolling relative return), and how a day, week or month ranks in its
history (best: "ITB's best week since 2020-04-10").

A period [from, to] runs from the last close before 'from' to the last close on or before
'to', so --month 2024-12 is the return from the November close to the December close.
Weeks run Saturday..Friday and are labelled by their Friday.`,
		Example: `  ratecycle records period --series "price/^RUT" --month 2024-12
  ratecycle records drawdown --series price/IWM --from 2024-12-01 --to 2024-12-31
  ratecycle records relative --series price/IWM --vs price/SPY --from 2024-09-18 --to 2025-09-18
  ratecycle records relative --series price/IWM --vs price/SPY --window 63 --last 5
  ratecycle records best --series price/ITB --freq weekly --at 2025-08-22
  ratecycle records best --series price/ITB --freq weekly --from 2025-08-18 --to 2025-09-30`,
		Args: cobra.NoArgs,
	}
	for _, name := range []string{"period", "drawdown", "relative", "best"} {
		cmd.AddCommand(newRecordsSub(a, name))
	}
	return cmd
}

func newRecordsSub(a *app, name string) *cobra.Command {
	o := &recordsOptions{}
	short := map[string]string{
		"period":   "Return of a series over a period",
		"drawdown": "Deepest peak-to-trough fall of a series inside a period",
		"relative": "Return of a series minus another's over a period, or rolling (--window)",
		"best":     "How a day, week or month ranks: best (or worst) since when",
	}[name]
	ex := map[string]string{
		"period":   `  ratecycle records period --series "price/^RUT" --month 2024-12`,
		"drawdown": `  ratecycle records drawdown --series "price/^RUT" --month 2024-12`,
		"relative": `  ratecycle records relative --series price/IWM --vs price/SPY --from 2024-09-18 --to 2025-09-18`,
		"best":     `  ratecycle records best --series price/ITB --freq weekly --at 2025-08-22`,
	}[name]
	cmd := &cobra.Command{
		Use:     name,
		Short:   short,
		Example: ex,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return recordsRun(cmd, a, name, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.series, "series", "", "catalog id (prices or returns)")
	f.StringVar(&o.from, "from", "", "first day of the period (YYYY-MM-DD)")
	f.StringVar(&o.to, "to", "", "last day of the period (YYYY-MM-DD)")
	f.StringVar(&o.month, "month", "", "a calendar month YYYY-MM (instead of --from/--to)")
	if name == "relative" {
		f.StringVar(&o.vs, "vs", "", "catalog id of the benchmark")
		f.IntVar(&o.window, "window", 0, "rolling relative return over this many periods of the data instead of one period")
		f.IntVar(&o.last, "last", 10, "with --window: print the last N values")
	}
	if name == "best" {
		f.StringVar(&o.freq, "freq", "weekly", "daily, weekly or monthly")
		f.StringVar(&o.at, "at", "", "rank the period containing this date")
		f.BoolVar(&o.worst, "worst", false, "rank from the bottom (worst since ...)")
	}
	formatFlag(cmd, &o.format)
	_ = cmd.MarkFlagRequired("series")
	return cmd
}

func recordsPeriod(o *recordsOptions) (from, to series.Date, err error) {
	if o.month != "" {
		if o.from != "" || o.to != "" {
			return 0, 0, usagef("give --month or --from/--to, not both")
		}
		d, err := series.ParseDate(o.month + "-01")
		if err != nil {
			return 0, 0, usagef("--month %q: want YYYY-MM", o.month)
		}
		return d, d.MonthEnd(), nil
	}
	if o.from == "" || o.to == "" {
		return 0, 0, usagef("give --month or both --from and --to")
	}
	if from, err = series.ParseDate(o.from); err != nil {
		return 0, 0, usagef("--from: %v", err)
	}
	if to, err = series.ParseDate(o.to); err != nil {
		return 0, 0, usagef("--to: %v", err)
	}
	if to < from {
		return 0, 0, usagef("--to is before --from")
	}
	return from, to, nil
}

func recordsRun(cmd *cobra.Command, a *app, name string, o *recordsOptions) error {
	format, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	c := cellsFor(format)
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	load := func(id string) (*series.Series, error) {
		s, err := cat.Load(ctx, id, "")
		if err == nil {
			s.Name = id
		}
		return s, err
	}
	s, err := load(o.series)
	if err != nil {
		return err
	}
	notCovered := func(err error) error {
		if strings.Contains(err.Error(), study.ErrNotCovered.Error()) {
			return usageError{err}
		}
		return err
	}
	switch name {
	case "period", "drawdown":
		from, to, err := recordsPeriod(o)
		if err != nil {
			return err
		}
		if name == "period" {
			sp, err := study.PeriodReturn(s, from, to)
			if err != nil {
				return notCovered(err)
			}
			t := &output.Tab{Columns: []string{"series", "from", "to", "start_close", "end_close", "periods", "return"}}
			t.Add(sp.Series, sp.From.String(), sp.To.String(), sp.Start.String(), sp.End.String(), fmt.Sprint(sp.N), c.pct(sp.Return, 2))
			t.Notes = []string{"Return from the last close before 'from' to the last close on or before 'to'."}
			return output.Write(a.io.Out, format, t, nil)
		}
		dd, err := study.DrawdownIn(s, from, to)
		if err != nil {
			return notCovered(err)
		}
		t := &output.Tab{Columns: []string{"series", "from", "to", "peak", "trough", "drawdown", "period_return"}}
		t.Add(dd.Series, dd.From.String(), dd.To.String(), dd.Peak.String(), dd.Trough.String(), c.pct(dd.Depth, 2), c.pct(dd.Return, 2))
		t.Notes = []string{"Drawdown: deepest fall from a close to a later close inside the period, counting from the close before 'from'."}
		return output.Write(a.io.Out, format, t, nil)
	case "relative":
		if o.vs == "" {
			return usagef("relative needs --vs")
		}
		b, err := load(o.vs)
		if err != nil {
			return err
		}
		if o.window > 0 {
			rr, err := study.RollingRelative(s, b, o.window)
			if err != nil {
				return err
			}
			t := &output.Tab{Title: fmt.Sprintf("%s minus %s, rolling %d-period buy-and-hold returns", o.series, o.vs, o.window),
				Columns: []string{"date", "relative"}}
			start := max(0, rr.Len()-o.last)
			if o.last <= 0 {
				start = 0
			}
			for i := start; i < rr.Len(); i++ {
				t.Add(rr.Dates[i].String(), c.pct(rr.Values[i], 2))
			}
			return output.Write(a.io.Out, format, t, nil)
		}
		from, to, err := recordsPeriod(o)
		if err != nil {
			return err
		}
		rel, err := study.RelativeReturn(s, b, from, to)
		if err != nil {
			return notCovered(err)
		}
		t := &output.Tab{Columns: []string{"series", "vs", "from", "to", "return", "vs_return", "relative"}}
		t.Add(o.series, o.vs, from.String(), to.String(), c.pct(rel.A.Return, 2), c.pct(rel.B.Return, 2), c.pct(rel.Diff, 2))
		return output.Write(a.io.Out, format, t, nil)
	case "best":
		f, err := series.ParseFrequency(o.freq)
		if err != nil || (f != series.Daily && f != series.Weekly && f != series.Monthly) {
			return usagef("--freq %q: want daily, weekly or monthly", o.freq)
		}
		var rec study.Record
		if o.at != "" {
			at, err := series.ParseDate(o.at)
			if err != nil {
				return usagef("--at: %v", err)
			}
			rec, err = study.RecordAt(s, f, at, o.worst)
			if err != nil {
				return notCovered(err)
			}
		} else {
			from, to, err := recordsPeriod(o)
			if err != nil {
				return err
			}
			rec, err = study.BestIn(s, f, from, to, o.worst)
			if err != nil {
				return notCovered(err)
			}
		}
		t := &output.Tab{Columns: []string{"series", "period", "return", "record", "since_return", "rank", "of"}}
		t.Add(rec.Series, rec.Period.String(), c.pct(rec.Return, 2), rec.Phrase(), c.pct(rec.SinceReturn, 2),
			fmt.Sprint(rec.Rank), fmt.Sprint(rec.Prior+1))
		t.Notes = []string{fmt.Sprintf("%s returns between period-end closes (weeks end on Friday); 'since' is the latest earlier period at least as good.", f)}
		return output.Write(a.io.Out, format, t, nil)
	}
	return nil
}
