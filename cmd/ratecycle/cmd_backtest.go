package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/view"
)

// exampleStrategy is the name under which the embedded example strategy is found even
// outside the source tree.
const exampleStrategy = "examples/rotation.yaml"

type backtestOptions struct {
	runs      []string
	from, to  string
	format    string
	equityOut string
	trades    bool
	params    []string
	signals   bool
}

func init() { register(newBacktestCmd) }

func newBacktestCmd(a *app) *cobra.Command {
	o := &backtestOptions{}
	cmd := &cobra.Command{
		Use:   "backtest [STRATEGY.yaml]",
		Short: "Backtest a regime rotation strategy point in time against its benchmarks",
		Long: `Backtest the portfolios of a strategy file (default: the embedded examples/rotation.yaml)
on each of its runs, and print the PerformanceAnalytics risk table of every portfolio and
the return it earned in each Fed regime.

Point in time: a rule sees an observation only once it was published (Fed moves on their
announcement day; pre-1982 inferred moves once the monthly average confirmed them; FRED
yields a day late; NBER recession months a year late; Ken French data a month late).
Reading an unpublished observation is an error naming the series and the date.

Conventions: decisions are taken at the close of a period and earn the next period's
returns; costs are cost_bps of the value traded in risky assets; the first purchase is
free; cash earns the run's cash series (French RF as is; a yield in percent such as
fred/DGS3MO as (1+y/100)^(days/365)-1 over each period's calendar days, at the yield last
seen at its start). Sharpe ratios are PA 2.1.0's (arithmetic, Rf = the cash returns).
The strategy file format is in docs/backtest.md; --signals lists the signals.`,
		Example: `  ratecycle backtest
  ratecycle backtest examples/rotation.yaml --run french --from 1990-01-01
  ratecycle backtest examples/rotation.yaml --param tilt=0.3 --format json
  ratecycle backtest my.yaml --equity-out equity.csv --trades
  ratecycle backtest --signals`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return backtestRun(cmd, a, o, args) },
	}
	cmd.Flags().StringSliceVar(&o.runs, "run", nil, "runs to do (default: every run of the file)")
	cmd.Flags().StringVar(&o.from, "from", "", "first return date (YYYY-MM-DD); default the run's")
	cmd.Flags().StringVar(&o.to, "to", "", "last return date (YYYY-MM-DD); default the run's")
	cmd.Flags().StringVar(&o.equityOut, "equity-out", "", "write every portfolio's growth of $1 to this CSV file")
	cmd.Flags().BoolVar(&o.trades, "trades", false, "list the trades of the non-benchmark portfolios (table and csv)")
	cmd.Flags().StringArrayVar(&o.params, "param", nil, "override a parameter: NAME=VALUE (repeatable)")
	cmd.Flags().BoolVar(&o.signals, "signals", false, "list the signals rules can test, and exit")
	formatFlag(cmd, &o.format)
	return cmd
}

// readStrategy reads a strategy file; no name, or examples/rotation.yaml outside the
// source tree, gives the embedded example.
func readStrategy(args []string) ([]byte, string, error) {
	if len(args) == 0 {
		return examples.Rotation, exampleStrategy, nil
	}
	b, err := os.ReadFile(args[0])
	if errors.Is(err, fs.ErrNotExist) && (args[0] == exampleStrategy || args[0] == "./"+exampleStrategy) {
		return examples.Rotation, exampleStrategy, nil
	}
	if err != nil {
		return nil, "", usageError{err}
	}
	return b, args[0], nil
}

func parseStrategy(b []byte, name string) (*backtest.Strategy, error) {
	s, err := backtest.ParseStrategy(b, name)
	if err != nil {
		return nil, usageError{err}
	}
	return s, nil
}

func parseDates(from, to string) (series.Date, series.Date, error) {
	f, t := series.NoDate, series.NoDate
	var err error
	if from != "" {
		if f, err = series.ParseDate(from); err != nil {
			return f, t, usagef("--from: %v", err)
		}
	}
	if to != "" {
		if t, err = series.ParseDate(to); err != nil {
			return f, t, usagef("--to: %v", err)
		}
	}
	if f != series.NoDate && t != series.NoDate && t < f {
		return f, t, usagef("--to %s is before --from %s", t, f)
	}
	return f, t, nil
}

func paramValues(s *backtest.Strategy, kv []string) ([]float64, error) {
	vals := s.Defaults()
	for _, x := range kv {
		name, v, ok := strings.Cut(x, "=")
		i, known := s.ParamIndex(strings.TrimSpace(name))
		if !ok || !known {
			return nil, usagef("--param %q: want NAME=VALUE with NAME one of %s", x, strings.Join(s.ParamNames(), ", "))
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, usagef("--param %q: %q is not a number", x, v)
		}
		vals[i] = f
	}
	return vals, nil
}

func backtestRun(cmd *cobra.Command, a *app, o *backtestOptions, args []string) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	if o.signals {
		return writeSignals(a, f)
	}
	from, to, err := parseDates(o.from, o.to)
	if err != nil {
		return err
	}
	b, name, err := readStrategy(args)
	if err != nil {
		return err
	}
	s, err := parseStrategy(b, name)
	if err != nil {
		return err
	}
	for _, r := range o.runs {
		if _, err := s.Run(r); err != nil {
			return usageError{err}
		}
	}
	params, err := paramValues(s, o.params)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	res, err := engine.Backtest(ctx, cat, s, engine.BacktestOptions{Runs: o.runs, From: from, To: to, Params: params})
	if err != nil {
		return err
	}
	if o.equityOut != "" {
		if err := writeEquity(o.equityOut, res); err != nil {
			return err
		}
	}
	switch f {
	case output.JSON:
		return output.Write(a.io.Out, f, nil, view.Backtest(s, name, res, true))
	case output.CSV:
		t := backtestCSV(res)
		if o.trades {
			if err := output.Write(a.io.Out, f, t, nil); err != nil {
				return err
			}
			fmt.Fprintln(a.io.Out)
			return output.Write(a.io.Out, f, tradesTab(res), nil)
		}
		return output.Write(a.io.Out, f, t, nil)
	}
	for _, r := range res {
		for _, t := range backtestTables(r) {
			if err := output.Write(a.io.Out, f, t, nil); err != nil {
				return err
			}
			fmt.Fprintln(a.io.Out)
		}
	}
	if o.trades {
		return output.Write(a.io.Out, f, tradesTab(res), nil)
	}
	return nil
}

func writeSignals(a *app, f output.Format) error {
	t := &output.Tab{Title: "Signals a rule's when: can test", Columns: []string{"signal", "values", "inputs", "description"}}
	for _, n := range backtest.SignalNames() {
		d, _ := backtest.LookupSignal(n)
		vals := d.Unit
		if d.Levels != nil {
			vals = strings.Join(d.Levels, "|")
		}
		in := strings.Join(d.Inputs, " ")
		if d.Fed {
			in = strings.TrimSpace("Fed cycle history " + in)
		}
		t.Add(n, vals, in, d.Doc)
	}
	return output.Write(a.io.Out, f, t, nil)
}

func tradesTab(res []*backtest.Result) *output.Tab {
	t := &output.Tab{Title: "Trades (weights after the trade; cash is the remainder)", Columns: []string{"run", "portfolio", "date", "rule", "weights_after", "turnover", "cost"}}
	for _, r := range res {
		for _, p := range r.Portfolios {
			if p.Benchmark {
				continue
			}
			for _, tr := range p.Trades {
				var w []string
				for j, x := range tr.After {
					name := "cash"
					if j < len(r.Assets) {
						name = r.Assets[j]
					}
					w = append(w, fmt.Sprintf("%s %.1f%%", name, 100*x))
				}
				t.Add(r.Run.Name, p.Name, tr.Date, tr.Rule, strings.Join(w, " "), output.F(tr.Turnover, 4), output.F(tr.Cost, 6))
			}
		}
	}
	return t
}

func backtestCSV(res []*backtest.Result) *output.Tab {
	t := &output.Tab{Columns: []string{"run", "portfolio", "benchmark", "from", "to", "periods", "cagr", "vol", "sharpe", "sortino",
		"max_drawdown", "calmar", "final_wealth", "turnover_per_year", "trades", "cost_paid", "beta", "tracking_error", "information_ratio"}}
	for _, g := range backtest.RegimeOrder {
		t.Columns = append(t.Columns, "ann_return_"+string(g))
	}
	for _, r := range res {
		for _, p := range r.Portfolios {
			rep := p.Summary
			beta, te, ir := math.NaN(), math.NaN(), math.NaN()
			if rep.Relative != nil {
				beta, te, ir = rep.Relative.Beta, rep.Relative.TrackingError, rep.Relative.InformationRatio
			}
			row := []string{r.Run.Name, p.Name, yn(p.Benchmark), r.Dates[1].String(), r.Dates[len(r.Dates)-1].String(), fmt.Sprint(len(p.Returns)),
				output.G(rep.AnnualizedReturn), output.G(rep.AnnualizedStdDev), output.G(rep.SharpeAnnualized), output.G(rep.Sortino),
				output.G(rep.MaxDrawdown), output.G(rep.Calmar), output.G(p.Stats.Final), output.G(p.Stats.Turnover), fmt.Sprint(p.Stats.Trades),
				output.G(p.CostPaid), output.G(beta), output.G(te), output.G(ir)}
			for i := range backtest.RegimeOrder {
				v := math.NaN()
				if i < len(p.PerRegime) {
					v = p.PerRegime[i].Annualized
				}
				row = append(row, output.G(v))
			}
			t.Add(row...)
		}
	}
	return t
}

// writeEquity writes run,date,<portfolio...> growth of $1, one row per date.
func writeEquity(path string, res []*backtest.Result) error {
	fh, err := createAtomic(path)
	if err != nil {
		return err
	}
	defer fh.Abort()
	w := csv.NewWriter(fh)
	head := []string{"run", "date"}
	for _, p := range res[0].Portfolios {
		head = append(head, p.Name)
	}
	w.Write(head)
	for _, r := range res {
		for t, d := range r.Dates {
			row := []string{r.Run.Name, d.String()}
			for _, p := range r.Portfolios {
				row = append(row, strconv.FormatFloat(p.Equity[t], 'g', 10, 64))
			}
			w.Write(row)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return fh.Commit()
}

// backtestTables are the table-format views of one run: the risk table and the
// return per regime.
func backtestTables(r *backtest.Result) []*output.Tab {
	unit := "months"
	switch r.Scale {
	case 252:
		unit = "days"
	case 52:
		unit = "weeks"
	}
	title := r.Run.Title
	if title == "" {
		title = r.Run.Name
	}
	risk := &output.Tab{
		Title: fmt.Sprintf("Run %s: %s\n%s .. %s, %d %s; cash %s", r.Run.Name, title, r.Dates[1], r.Dates[len(r.Dates)-1], len(r.Dates)-1, unit, r.Run.Cash),
		Columns: []string{"portfolio", "cagr", "vol", "sharpe", "sortino", "max_dd", "calmar", "$1_grows_to", "turnover/yr", "trades",
			"beta", "info_ratio"},
	}
	for _, p := range r.Portfolios {
		rep := p.Summary
		beta, ir := "", ""
		if rep.Relative != nil {
			beta, ir = output.F(rep.Relative.Beta, 2), output.F(rep.Relative.InformationRatio, 2)
		}
		name := p.Name
		if p.Benchmark {
			name += " (benchmark)"
		}
		risk.Add(name, output.Pct(rep.AnnualizedReturn, 2), output.Pct(rep.AnnualizedStdDev, 2), output.F(rep.SharpeAnnualized, 3),
			output.F(rep.Sortino, 3), output.Pct(rep.MaxDrawdown, 1), output.F(rep.Calmar, 3), output.F(p.Stats.Final, 2),
			output.Pct(p.Stats.Turnover, 1), fmt.Sprint(p.Stats.Trades), beta, ir)
	}
	risk.Notes = append(risk.Notes,
		"PerformanceAnalytics conventions: geometric CAGR; sample sd x sqrt(scale); Sharpe (PA 2.1.0) and Sortino (per period, MAR 0) with Rf = the cash returns;",
		"max drawdown counts the starting $1 as a peak. Turnover = value traded in risky assets / portfolio value, per year. Beta and information ratio vs "+r.RelativeTo+".")
	risk.Notes = append(risk.Notes, r.Notes...)
	counts := map[string]int{}
	for _, g := range r.Regimes {
		counts[string(g)]++
	}
	reg := &output.Tab{Title: "Return per Fed regime (annualised; regime as known at the start of each period; excess vs " + r.RelativeTo + ")",
		Columns: []string{"portfolio"}}
	for _, g := range backtest.RegimeOrder {
		reg.Columns = append(reg.Columns, fmt.Sprintf("%s (n=%d)", g, counts[string(g)]), "excess")
	}
	for _, p := range r.Portfolios {
		row := []string{p.Name}
		for _, g := range p.PerRegime {
			row = append(row, output.Pct(g.Annualized, 2), output.Pct(g.Excess, 2))
		}
		reg.Add(row...)
	}
	reg.Notes = []string{"Regimes: easing/tightening while the cycle's latest move is at most 6 months old, else hold (cycle.DefaultRules)."}
	if len(r.Portfolios) == 0 || r.Portfolios[0].PerRegime == nil {
		return []*output.Tab{risk}
	}
	return []*output.Tab{risk, reg}
}
