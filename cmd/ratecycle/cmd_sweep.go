package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/sweep"
)

type sweepOptions struct {
	grid      string
	run       string
	portfolio string
	rank      string
	top       int
	workers   int
	shard     string
	out       string
	from, to  string
	format    string
}

func init() { register(newSweepCmd) }

func newSweepCmd(a *app) *cobra.Command {
	o := &sweepOptions{}
	cmd := &cobra.Command{
		Use:   "sweep STRATEGY.yaml --grid SPEC",
		Short: "Backtest a strategy over a grid of parameters on every core, ranked, with the deflated Sharpe ratio",
		Long: `Backtest one portfolio of a strategy file (default: its first non-benchmark portfolio) on
one run (default: its first) for every point of a parameter grid, on every core, and rank
the trials by a metric.

The grid is NAME=VALUES for parameters of the file's params:, separated by commas; VALUES
are numbers and FROM:TO[:STEP] ranges (STEP 1 by default, TO included):
  --grid 'tilt=0.1:0.5:0.1,lag=0:3,band=0.02,0.05'    (5 x 4 x 2 = 40 trials)

Every listed trial carries its deflated Sharpe ratio (Bailey and Lopez de Prado 2014): the
probability that its true Sharpe ratio is above zero once the number of trials and the
spread of their Sharpe ratios are accounted for (the best of many skill-less trials has a
high Sharpe ratio by luck), using the skewness and kurtosis of its own excess returns.

--shard i/n runs only the trials whose grid index is i-1 modulo n and writes them (JSON
lines, to --out or stdout); 'ratecycle sweep merge' combines the n shard files into
exactly the output of one unsharded run. Ctrl-C stops cleanly and says how many trials
were done. A progress bar is drawn on stderr when it is a terminal.`,
		Example: `  ratecycle sweep examples/rotation.yaml --grid 'tilt=0.1:0.5:0.1,lag=0:3,band=0.02,0.05'
  ratecycle sweep examples/rotation.yaml --run etf --grid 'tilt=0:1:0.05,lag=0:6' --rank calmar --top 5
  ratecycle sweep examples/rotation.yaml --grid 'tilt=0:1:0.01,lag=0:12' --shard 2/3 --out part2.jsonl
  ratecycle sweep merge part1.jsonl part2.jsonl part3.jsonl --rank sharpe`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return sweepRun(cmd, a, o, args) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.grid, "grid", "", "parameter grid, e.g. 'tilt=0.1:0.5:0.1,lag=0:3' (required)")
	fl.StringVar(&o.run, "run", "", "run of the strategy file (default: its first)")
	fl.StringVar(&o.portfolio, "portfolio", "", "portfolio to sweep (default: the first that is not a benchmark)")
	fl.StringVar(&o.from, "from", "", "first return date (YYYY-MM-DD); default the run's")
	fl.StringVar(&o.to, "to", "", "last return date (YYYY-MM-DD); default the run's")
	fl.IntVar(&o.workers, "workers", 0, "goroutines (default: every core)")
	fl.StringVar(&o.shard, "shard", "", "run only slice i/n of the grid and write its trials as JSON lines")
	fl.StringVar(&o.out, "out", "", "write every trial as a JSON line to this file ('-' = stdout)")
	rankFlags(cmd, o)
	cmd.AddCommand(newSweepMergeCmd(a))
	return cmd
}

func rankFlags(cmd *cobra.Command, o *sweepOptions) {
	cmd.Flags().StringVar(&o.rank, "rank", "sharpe", "rank by sharpe, ir (information ratio vs relative_to), cagr, calmar, maxdd or vol")
	cmd.Flags().IntVar(&o.top, "top", 10, "trials to list")
	formatFlag(cmd, &o.format)
}

func newSweepMergeCmd(a *app) *cobra.Command {
	o := &sweepOptions{}
	cmd := &cobra.Command{
		Use:   "merge SHARD.jsonl...",
		Short: "Combine the shard files of one sweep into the result of one run",
		Long: `Combine the files written by 'ratecycle sweep --shard i/n' (all n of them, in any order)
into the ranking one unsharded run prints, byte for byte. The shards must come from the
same strategy file, run, dates and grid; a missing, repeated or truncated shard is an error.`,
		Example: `  ratecycle sweep merge part1.jsonl part2.jsonl part3.jsonl
  ratecycle sweep merge part*.jsonl --rank calmar --format csv --out all.jsonl`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return sweepMergeRun(a, o, args) },
	}
	cmd.Flags().StringVar(&o.out, "out", "", "also write every trial, in grid order, as JSON lines to this file")
	rankFlags(cmd, o)
	return cmd
}

func sweepRun(cmd *cobra.Command, a *app, o *sweepOptions, args []string) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return usagef("sweep needs a strategy file (for example %s) and --grid", exampleStrategy)
	}
	if o.grid == "" {
		return usagef("--grid is required, e.g. --grid 'tilt=0.1:0.5:0.1,lag=0:3'")
	}
	g, err := sweep.ParseGrid(o.grid)
	if err != nil {
		return usageError{err}
	}
	rank, err := sweep.ParseMetric(o.rank)
	if err != nil {
		return usageError{err}
	}
	if o.top < 1 {
		return usagef("--top must be at least 1")
	}
	shard := sweep.All
	if o.shard != "" {
		if shard, err = sweep.ParseShard(o.shard); err != nil {
			return usageError{err}
		}
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
	for _, ax := range g.Axes {
		if _, ok := s.ParamIndex(ax.Name); !ok {
			return usagef("--grid: %q is not a parameter of %s (params: %s)", ax.Name, name, strings.Join(s.ParamNames(), ", "))
		}
	}
	if _, err := s.Run(o.run); err != nil {
		return usageError{err}
	}
	if _, err := s.Portfolio(o.portfolio); err != nil {
		return usageError{err}
	}
	sharded := o.shard != ""
	var out io.Writer
	var closeOut func() error
	switch {
	case o.out == "-" || (sharded && o.out == ""):
		out = a.io.Out
	case o.out != "":
		fh, err := createAtomic(o.out)
		if err != nil {
			return err
		}
		defer fh.Abort() // a failed or interrupted sweep leaves no partial --out file
		bw := bufio.NewWriter(fh)
		out = bw
		closeOut = func() error {
			if err := bw.Flush(); err != nil {
				return err
			}
			return fh.Commit()
		}
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	total := engine.SweepTotal(g, shard)
	var bar *progressbar.ProgressBar
	var progress func(done, total int)
	if a.io.ErrIsTerminal {
		bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(a.io.Err), progressbar.OptionSetDescription("sweep"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("trials"),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		progress = func(done, _ int) { _ = bar.Set(done) }
	}
	sum, runErr := engine.Sweep(ctx, cat, b, name, engine.SweepOptions{Run: o.run, Portfolio: o.portfolio, From: from, To: to,
		Grid: g, Shard: shard, Rank: rank, Top: o.top, Workers: o.workers, Out: out, Progress: progress})
	if bar != nil {
		_ = bar.Finish()
	}
	if closeOut != nil {
		if err := closeOut(); err != nil && runErr == nil {
			runErr = err
		}
	}
	if runErr != nil {
		if errors.Is(runErr, sweep.ErrStopped) && sum != nil {
			where := ""
			if o.out != "" && o.out != "-" {
				where = fmt.Sprintf("; the first %d trials are in %s", sum.Trials, o.out)
			}
			return fmt.Errorf("%w%s (rerun to finish; a shard file must be complete to merge)", runErr, where)
		}
		return runErr
	}
	if sharded {
		fmt.Fprintf(a.io.Err, "shard %s: %d of %d trials written to %s; combine the %d shards with 'ratecycle sweep merge'\n",
			shard, sum.Trials, g.Len(), outName(o.out), shard.Count)
		return nil
	}
	return writeSweep(a.io.Out, f, sum)
}

func outName(s string) string {
	if s == "" || s == "-" {
		return "stdout"
	}
	return s
}

func sweepMergeRun(a *app, o *sweepOptions, args []string) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	rank, err := sweep.ParseMetric(o.rank)
	if err != nil {
		return usageError{err}
	}
	if o.top < 1 {
		return usagef("--top must be at least 1")
	}
	var files []io.Reader
	for _, p := range args {
		fh, err := os.Open(p)
		if err != nil {
			return usageError{err}
		}
		defer fh.Close()
		files = append(files, fh)
	}
	var out io.Writer
	var bw *bufio.Writer
	var fh *atomicFile
	if o.out != "" {
		if fh, err = createAtomic(o.out); err != nil {
			return err
		}
		defer fh.Abort()
		bw = bufio.NewWriter(fh)
		out = bw
	}
	sum, err := engine.MergeSweeps(files, args, rank, o.top, out)
	if fh != nil && err == nil {
		if err = bw.Flush(); err == nil {
			err = fh.Commit()
		}
	}
	if err != nil {
		return usageError{err}
	}
	return writeSweep(a.io.Out, f, sum)
}

type sweepRowJSON struct {
	Rank     int                `json:"rank"`
	Trial    int                `json:"trial"`
	Params   map[string]float64 `json:"params"`
	Sharpe   output.Num         `json:"sharpe"`
	IR       output.Num         `json:"information_ratio"`
	CAGR     output.Num         `json:"cagr"`
	MaxDD    output.Num         `json:"max_drawdown"`
	Calmar   output.Num         `json:"calmar"`
	Vol      output.Num         `json:"vol"`
	Turnover output.Num         `json:"turnover_per_year"`
	Trades   int                `json:"trades"`
	Skew     output.Num         `json:"skewness"`
	Kurt     output.Num         `json:"kurtosis"`
	DSR      output.Num         `json:"deflated_sharpe"`
	DSRAct   output.Num         `json:"deflated_information_ratio"`
}

type sweepJSON struct {
	Sweep        sweep.Header   `json:"sweep"`
	RankedBy     string         `json:"ranked_by"`
	Trials       int            `json:"trials"`
	SharpeMean   output.Num     `json:"sharpe_mean"`
	SharpeSD     output.Num     `json:"sharpe_sd"`
	ExpectedMax  output.Num     `json:"expected_max_sharpe_null"`
	PerPeriodVar output.Num     `json:"per_period_sharpe_variance"`
	IRMean       output.Num     `json:"information_ratio_mean"`
	IRSD         output.Num     `json:"information_ratio_sd"`
	ExpectedIR   output.Num     `json:"expected_max_information_ratio_null"`
	Top          []sweepRowJSON `json:"top"`
}

// writeSweep renders a sweep summary. It depends only on the summary, so a merged
// sweep prints exactly what one run prints.
func writeSweep(w io.Writer, f output.Format, s *sweep.Summary) error {
	h := s.Header
	ann := math.Sqrt(float64(h.Scale))
	if f == output.JSON {
		j := sweepJSON{Sweep: h, RankedBy: string(s.Rank), Trials: s.Trials, SharpeMean: output.Num(s.SRMean * ann),
			SharpeSD: output.Num(math.Sqrt(s.SRVar) * ann), ExpectedMax: output.Num(s.SR0 * ann), PerPeriodVar: output.Num(s.SRVar),
			IRMean: output.Num(s.IRMean * ann), IRSD: output.Num(math.Sqrt(s.IRVar) * ann), ExpectedIR: output.Num(s.IR0 * ann)}
		for _, r := range s.Top {
			row := sweepRowJSON{Rank: r.Rank, Trial: r.Index, Params: map[string]float64{}, Sharpe: output.Num(r.Stats.Sharpe),
				CAGR: output.Num(r.Stats.CAGR), MaxDD: output.Num(r.Stats.MaxDD), Calmar: output.Num(r.Stats.Calmar), Vol: output.Num(r.Stats.Vol),
				Turnover: output.Num(r.Stats.Turnover), Trades: r.Stats.Trades, Skew: output.Num(r.Stats.Skew), Kurt: output.Num(r.Stats.Kurt),
				DSR: output.Num(r.DSR), IR: output.Num(r.Stats.IR), DSRAct: output.Num(r.DSRActive)}
			for k, n := range h.Params {
				row.Params[n] = r.Params[k]
			}
			j.Top = append(j.Top, row)
		}
		return output.Write(w, f, nil, j)
	}
	t := &output.Tab{
		Title: fmt.Sprintf("Sweep of %s on run %s (%s .. %s, %d periods): %d trials over %s, ranked by %s",
			h.Portfolio, h.Run, h.From, h.To, h.Periods, s.Trials, strings.Join(h.Params, " x "), s.Rank),
		Columns: []string{"rank", "trial"},
	}
	t.Columns = append(t.Columns, h.Params...)
	t.Columns = append(t.Columns, "sharpe", "ir", "cagr", "max_dd", "calmar", "vol", "turnover/yr", "trades", "dsr", "dsr_ir")
	for _, r := range s.Top {
		row := []string{strconv.Itoa(r.Rank), strconv.Itoa(r.Index)}
		for _, x := range r.Params {
			row = append(row, strconv.FormatFloat(x, 'g', -1, 64))
		}
		if f == output.CSV {
			row = append(row, output.G(r.Stats.Sharpe), output.G(r.Stats.IR), output.G(r.Stats.CAGR), output.G(r.Stats.MaxDD), output.G(r.Stats.Calmar),
				output.G(r.Stats.Vol), output.G(r.Stats.Turnover), strconv.Itoa(r.Stats.Trades), output.G(r.DSR), output.G(r.DSRActive))
		} else {
			row = append(row, output.F(r.Stats.Sharpe, 3), output.F(r.Stats.IR, 3), output.Pct(r.Stats.CAGR, 2), output.Pct(r.Stats.MaxDD, 1), output.F(r.Stats.Calmar, 3),
				output.Pct(r.Stats.Vol, 2), output.Pct(r.Stats.Turnover, 1), strconv.Itoa(r.Stats.Trades), output.F(r.DSR, 3), output.F(r.DSRActive, 3))
		}
		t.Add(row...)
	}
	t.Notes = []string{
		fmt.Sprintf("Across the %d trials: Sharpe (annualised, PA 2.1.0, Rf = cash) mean %.3f, sd %.3f; information ratio vs %s mean %.3f, sd %.3f.",
			s.Trials, s.SRMean*ann, math.Sqrt(s.SRVar)*ann, relName(s), s.IRMean*ann, math.Sqrt(s.IRVar)*ann),
		fmt.Sprintf("With no skill the best of %d trials would be expected to reach a Sharpe of %.3f and an information ratio of %.3f by luck alone", s.Trials, s.SR0*ann, s.IR0*ann),
		"(Bailey & Lopez de Prado 2014: SR0 = sd * ((1-g) invPhi(1-1/N) + g invPhi(1-1/(N e))), g = Euler's constant, sd across trials).",
		"dsr = Phi((SR - SR0) sqrt(T-1) / sqrt(1 - skew SR + (kurt-1)/4 SR^2)), per-period SR and moments of the trial's excess returns: the probability",
		"that its true Sharpe is above zero after the selection. dsr_ir deflates the information ratio the same way: the probability that the trial truly",
		"beats the benchmark. Below 0.95, a top rank is not evidence of skill.",
	}
	if s.Trials < 2 {
		t.Notes = append(t.Notes, "With one trial there is no selection: deflated_sharpe is the probabilistic Sharpe ratio against zero.")
	}
	return output.Write(w, f, t, nil)
}

func relName(s *sweep.Summary) string {
	if s.IRTrials == 0 {
		return "(no benchmark)"
	}
	if s.IRTrials < s.Trials {
		return fmt.Sprintf("the relative_to portfolio (%d trials equal to it have none)", s.Trials-s.IRTrials)
	}
	return "the relative_to portfolio"
}
