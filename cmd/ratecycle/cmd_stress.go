package main

import (
	"fmt"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
)

func init() { register(newStressCmd) }

type stressOptions struct {
	ids      []string
	weights  []float64
	windows  []string
	paths    int
	horizon  int
	block    float64
	seed     uint64
	loss     []float64
	since    string
	format   string
	noReplay bool
}

func newStressCmd(a *app) *cobra.Command {
	o := &stressOptions{}
	cmd := &cobra.Command{
		Use:   "stress",
		Short: "Replay named crises on a portfolio and simulate it with a block bootstrap",
		Long: `Historical replay: the portfolio's cumulative return, worst day and maximum drawdown
inside named windows (peak close to trough close): gfc-2008, covid-2020, rate-shock-2022,
smallcap-dec-2024, or your own NAME=FROM..TO.

Monte Carlo: paths of --horizon periods resampled from the portfolio's own history with a
stationary block bootstrap (Politis-Romano, geometric blocks of mean --block periods, so
volatility clustering survives), seeded and reproducible whatever the number of cores.
Prints the distribution of the horizon return and of the maximum drawdown, and the
probability of a loss beyond each --loss level.

--format csv prints both as one long table, one plain decimal a row:
section (replay, monte_carlo, loss_probability), key (window, quantile, threshold),
metric, value, from, to.`,
		Example: `  ratecycle stress --series price/IWM,price/SPY --weights 0.3,0.7
  ratecycle stress --series price/IWM --windows covid-2020,mine=2025-02-19..2025-04-08 --paths 20000 --seed 7
  ratecycle stress --series price/SPY --horizon 63 --loss 0.05,0.1 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return stressRun(cmd, a, o) },
	}
	cmd.Flags().StringSliceVar(&o.ids, "series", nil, "catalog ids (prices or returns) of the portfolio")
	cmd.Flags().Float64SliceVar(&o.weights, "weights", nil, "portfolio weights (default equal weights)")
	cmd.Flags().StringSliceVar(&o.windows, "windows", nil, "stress windows (default: every built-in window)")
	cmd.Flags().IntVar(&o.paths, "paths", 10000, "Monte Carlo paths (0 to skip)")
	cmd.Flags().IntVar(&o.horizon, "horizon", 252, "Monte Carlo horizon in periods (252 trading days = a year)")
	cmd.Flags().Float64Var(&o.block, "block", 20, "mean block length of the stationary bootstrap, in periods")
	cmd.Flags().Uint64Var(&o.seed, "seed", 1, "random seed (same seed, same result)")
	cmd.Flags().Float64SliceVar(&o.loss, "loss", []float64{0.1, 0.2, 0.3}, "report the probability of losing more than each of these fractions")
	cmd.Flags().StringVar(&o.since, "since", "", "bootstrap only from returns on or after this date")
	formatFlag(cmd, &o.format)
	return cmd
}

type stressJSON struct {
	Portfolio  string                 `json:"portfolio"`
	Note       string                 `json:"note"`
	Replay     []replayJSON           `json:"replay"`
	MonteCarlo *risk.MonteCarloResult `json:"monte_carlo,omitempty"`
}

type replayJSON struct {
	Window      string      `json:"window"`
	From        series.Date `json:"from"`
	To          series.Date `json:"to"`
	About       string      `json:"about"`
	N           int         `json:"n"`
	Return      output.Num  `json:"return"`
	MaxDrawdown output.Num  `json:"max_drawdown"`
	WorstDay    output.Num  `json:"worst_day"`
	WorstDate   series.Date `json:"worst_date"`
}

func stressRun(cmd *cobra.Command, a *app, o *stressOptions) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	if len(o.ids) == 0 {
		return usagef("give the portfolio with --series IDS [--weights W,...]")
	}
	w := o.weights
	if len(w) == 0 {
		for range o.ids {
			w = append(w, 1/float64(len(o.ids)))
		}
	}
	if len(w) != len(o.ids) {
		return usagef("--weights has %d values for %d --series", len(w), len(o.ids))
	}
	if err := checkWeights(w); err != nil {
		return err
	}
	if o.paths < 0 || o.horizon < 1 || o.block < 1 {
		return usagef("--paths must be >= 0, --horizon and --block >= 1")
	}
	windows := risk.BuiltinWindows()
	if len(o.windows) > 0 {
		windows = nil
		for _, spec := range o.windows {
			win, err := risk.ParseWindow(spec)
			if err != nil {
				return usageError{err}
			}
			windows = append(windows, win)
		}
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	rs, err := engine.LoadReturns(ctx, cat, o.ids, series.Daily)
	if err != nil {
		return err
	}
	p, err := engine.Portfolio("portfolio", rs, w)
	if err != nil {
		return err
	}
	replay, err := risk.Replay(p, windows)
	if err != nil {
		return usageError{err}
	}
	out := stressJSON{Portfolio: p.Prov.Note, Note: "windows run from the close of From to the close of To"}
	for _, r := range replay {
		out.Replay = append(out.Replay, replayJSON{Window: r.Window.Name, From: r.Window.From, To: r.Window.To, About: r.Window.Note,
			N: r.N, Return: output.Num(r.CumulativeReturn), MaxDrawdown: output.Num(r.MaxDrawdown), WorstDay: output.Num(r.WorstReturn), WorstDate: r.WorstDate})
	}
	if o.paths > 0 {
		hist := p
		if o.since != "" {
			d, err := series.ParseDate(o.since)
			if err != nil {
				return usagef("--since: %v", err)
			}
			hist = p.Slice(d, series.NoDate)
		}
		opt := risk.MonteCarloOptions{Paths: o.paths, Horizon: o.horizon, MeanBlock: o.block, Seed: o.seed, Thresholds: o.loss}
		var bar *progressbar.ProgressBar
		if a.io.ErrIsTerminal && o.paths >= 20000 {
			bar = progressbar.NewOptions(o.paths, progressbar.OptionSetWriter(a.io.Err), progressbar.OptionSetDescription("monte carlo"),
				progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100e6))
			opt.Progress = func(done, total int) { _ = bar.Set(done) }
		}
		mc, err := risk.MonteCarlo(ctx, hist.Values, opt)
		if bar != nil {
			_ = bar.Finish()
		}
		if err != nil {
			return err
		}
		mc.Returns, mc.Drawdowns = nil, nil // per-path values are for charts, not for printing
		out.MonteCarlo = mc
	}
	if f == output.JSON {
		return output.Write(a.io.Out, f, nil, out)
	}
	if f == output.CSV {
		return output.Write(a.io.Out, f, stressCSV(replay, out.MonteCarlo), nil)
	}
	t := &output.Tab{Title: "Historical replay of " + p.Prov.Note, Columns: []string{"window", "from", "to", "days", "return", "max_drawdown", "worst_day", "worst_date"}}
	for _, r := range replay {
		if r.N == 0 {
			t.Add(r.Window.Name, r.Window.From.String(), r.Window.To.String(), "0", "", "", "", "no data")
			continue
		}
		t.Add(r.Window.Name, r.Window.From.String(), r.Window.To.String(), fmt.Sprint(r.N), output.Pct(r.CumulativeReturn, 2),
			output.Pct(r.MaxDrawdown, 2), output.Pct(r.WorstReturn, 2), r.WorstDate.String())
	}
	t.Notes = []string{"Windows run from the close of From (the peak) to the close of To (the trough)."}
	if n := weightsNote(w); n != "" {
		t.Notes = append(t.Notes, n)
		out.Note += "; " + n
	}
	if err := output.Write(a.io.Out, f, t, nil); err != nil {
		return err
	}
	if out.MonteCarlo == nil {
		return nil
	}
	mc := out.MonteCarlo
	q := &output.Tab{Title: fmt.Sprintf("\nMonte Carlo: %d paths of %d periods, stationary block bootstrap (mean block %.0f), seed %d", mc.Paths, mc.Horizon, mc.MeanBlock, mc.Seed),
		Columns: []string{"quantile", "horizon_return", "max_drawdown"}}
	for i, hq := range mc.HorizonReturn.Quantiles {
		dd := ""
		if i < len(mc.MaxDrawdown.Quantiles) {
			dd = output.Pct(mc.MaxDrawdown.Quantiles[i].Value, 2)
		}
		q.Add(fmt.Sprintf("%g%%", hq.P*100), output.Pct(hq.Value, 2), dd)
	}
	q.Add("mean", output.Pct(mc.HorizonReturn.Mean, 2), output.Pct(mc.MaxDrawdown.Mean, 2))
	if err := output.Write(a.io.Out, f, q, nil); err != nil {
		return err
	}
	pt := &output.Tab{Columns: []string{"threshold", "P(loss beyond)", "P(drawdown beyond)"}}
	for i, pl := range mc.ProbLoss {
		pd := ""
		if i < len(mc.ProbDrawdown) {
			pd = output.Pct(mc.ProbDrawdown[i].P, 1)
		}
		pt.Add(output.Pct(pl.Threshold, 0), output.Pct(pl.P, 1), pd)
	}
	return output.Write(a.io.Out, f, pt, nil)
}

// stressCSV is the replay and the Monte Carlo as one long table, one number a row:
//
//	section,key,metric,value,from,to
//	replay,gfc-2008,return,-0.5599...,2007-10-09,2009-03-09
//	replay,gfc-2008,worst_day,-0.0958...,2008-10-15,2008-10-15
//	monte_carlo,0.05,horizon_return,-0.21...,,
//	monte_carlo,mean,max_drawdown,0.17...,,
//	loss_probability,0.1,p_loss_beyond,0.12...,,
//
// key is the window (replay), the quantile as a fraction or "mean" (monte_carlo), or the
// loss threshold as a fraction (loss_probability). Values are plain decimals (returns;
// drawdowns as positive fractions, as in the table; probabilities) or counts (days); from and to are the dates the value is
// measured over (the window; the worst day's own date for worst_day), empty for
// simulated values. A window without data has days 0 and empty values.
func stressCSV(replay []risk.ReplayResult, mc *risk.MonteCarloResult) *output.Tab {
	t := &output.Tab{Columns: []string{"section", "key", "metric", "value", "from", "to"}}
	for _, r := range replay {
		from, to := r.Window.From.String(), r.Window.To.String()
		t.Add("replay", r.Window.Name, "days", fmt.Sprint(r.N), from, to)
		if r.N == 0 {
			for _, m := range []string{"return", "max_drawdown", "worst_day"} {
				t.Add("replay", r.Window.Name, m, "", from, to)
			}
			continue
		}
		t.Add("replay", r.Window.Name, "return", plainNum(r.CumulativeReturn), from, to)
		t.Add("replay", r.Window.Name, "max_drawdown", plainNum(r.MaxDrawdown), from, to)
		t.Add("replay", r.Window.Name, "worst_day", plainNum(r.WorstReturn), r.WorstDate.String(), r.WorstDate.String())
	}
	if mc == nil {
		return t
	}
	for i, hq := range mc.HorizonReturn.Quantiles {
		k := plainNum(hq.P)
		t.Add("monte_carlo", k, "horizon_return", plainNum(hq.Value), "", "")
		if i < len(mc.MaxDrawdown.Quantiles) {
			t.Add("monte_carlo", k, "max_drawdown", plainNum(mc.MaxDrawdown.Quantiles[i].Value), "", "")
		}
	}
	t.Add("monte_carlo", "mean", "horizon_return", plainNum(mc.HorizonReturn.Mean), "", "")
	t.Add("monte_carlo", "mean", "max_drawdown", plainNum(mc.MaxDrawdown.Mean), "", "")
	for i, pl := range mc.ProbLoss {
		k := plainNum(pl.Threshold)
		t.Add("loss_probability", k, "p_loss_beyond", plainNum(pl.P), "", "")
		if i < len(mc.ProbDrawdown) {
			t.Add("loss_probability", k, "p_drawdown_beyond", plainNum(mc.ProbDrawdown[i].P), "", "")
		}
	}
	return t
}
