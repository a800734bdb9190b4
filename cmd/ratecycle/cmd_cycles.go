package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/series"
)

type cyclesOptions struct {
	since     string
	format    string
	events    bool
	technical float64
	inferTurn float64
}

func init() { register(newCyclesCmd) }

func newCyclesCmd(a *app) *cobra.Command {
	o := &cyclesOptions{}
	cmd := &cobra.Command{
		Use:   "cycles",
		Short: "List the Fed's easing and tightening cycles with announcement-dated moves",
		Long: `List Fed easing and tightening cycles since 1954.

Moves come from FRED DFEDTAR (1982-2008) and DFEDTARU/DFEDTARL (2008 on), each with the
FOMC announcement date and the date FRED shows it taking effect (since 2017 the day after
the announcement). Before 1982 there was no published target: moves are inferred from the
monthly FEDFUNDS average with a zigzag filter and marked inferred. Moves smaller than
--technical-bp (the 1/16 and 1/8 point adjustments of the 1980s) never start a cycle.
A cycle is marked recession when an NBER recession month lies between its first and last
move.`,
		Example: `  ratecycle cycles
  ratecycle cycles --since 2000-01-01 --events
  ratecycle cycles --format json | jq '.cycles[] | select(.direction=="easing") | .first_move'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cyclesRun(cmd, a, o) },
	}
	cmd.Flags().StringVar(&o.since, "since", "", "only cycles whose last move is on or after this date (YYYY-MM-DD)")
	cmd.Flags().BoolVar(&o.events, "events", false, "list every move instead of one row per cycle (table and csv)")
	cmd.Flags().Float64Var(&o.technical, "technical-bp", cycle.DefaultRules.TechnicalBP, "moves smaller than this (bp) never start or end a cycle")
	cmd.Flags().Float64Var(&o.inferTurn, "infer-turn-bp", cycle.DefaultRules.InferTurnBP, "zigzag threshold (bp) for inferring pre-1982 cycles from FEDFUNDS")
	formatFlag(cmd, &o.format)
	return cmd
}

type cyclesJSON struct {
	Cycles  []cycle.Cycle `json:"cycles"`
	Rules   cycle.Rules   `json:"rules"`
	DataEnd series.Date   `json:"data_end"`
	Sources []string      `json:"sources"`
}

func cyclesRun(cmd *cobra.Command, a *app, o *cyclesOptions) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	since := series.NoDate
	if o.since != "" {
		if since, err = series.ParseDate(o.since); err != nil {
			return usagef("--since: %v", err)
		}
	}
	rules := cycle.DefaultRules
	rules.TechnicalBP, rules.InferTurnBP = o.technical, o.inferTurn
	if rules.TechnicalBP <= 0 || rules.InferTurnBP <= 0 {
		return usagef("--technical-bp and --infer-turn-bp must be positive")
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	h, err := engine.Cycles(ctx, cat, rules)
	if err != nil {
		return err
	}
	cycles := h.Cycles
	if since != series.NoDate {
		cycles = h.Since(since)
	}
	if f == output.JSON {
		return output.Write(a.io.Out, f, nil, cyclesJSON{Cycles: cycles, Rules: h.Rules, DataEnd: h.DataEnd, Sources: engine.CycleInputIDs})
	}
	if o.events {
		t := &output.Tab{Columns: []string{"cycle", "announced", "effective", "change_bp", "target_after", "inferred", "technical", "source"}}
		for _, c := range cycles {
			for _, e := range c.Events {
				t.Add(string(c.Direction)+" "+c.FirstMove.String(), e.Announced.String(), e.Effective.String(),
					output.F(e.ChangeBP, 2), output.F(e.TargetAfter, 4), yn(e.Inferred), yn(e.Technical), e.Source)
			}
		}
		return output.Write(a.io.Out, f, t, nil)
	}
	t := &output.Tab{
		Title:   fmt.Sprintf("Fed cycles (policy-rate data to %s)", h.DataEnd),
		Columns: []string{"direction", "first_move", "last_move", "moves", "total_bp", "recession", "inferred"},
	}
	for _, c := range cycles {
		t.Add(string(c.Direction), c.FirstMove.String(), c.LastMove.String(), fmt.Sprint(c.Moves),
			output.F(c.TotalBP, 2), yn(c.Recession), yn(c.Inferred))
	}
	t.Notes = []string{
		"Dates are FOMC announcement dates; inferred = before 1982, from monthly FEDFUNDS.",
		fmt.Sprintf("Rules: moves under %.0fbp never start a cycle; pre-1982 legs turn at %.0fbp. Sources: %v.", rules.TechnicalBP, rules.InferTurnBP, engine.CycleInputIDs),
	}
	return output.Write(a.io.Out, f, t, nil)
}

func yn(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
