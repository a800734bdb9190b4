package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/usercsv"
	"github.com/ratecycle/ratecycle/study"
	"github.com/ratecycle/ratecycle/view"
)

type regimesOptions struct {
	series     []string
	vs         string
	returns    string
	by         string
	regimeFile string
	hacLags    int
	freq       string
	from, to   string
	diffs      []string
	format     string
}

func init() { register(newRegimesCmd) }

func newRegimesCmd(a *app) *cobra.Command {
	o := &regimesOptions{}
	cmd := &cobra.Command{
		Use:   "regimes",
		Short: "Split returns by Fed regime (or recession, or your labels) with HAC t statistics",
		Long: `Split return series by regime and test the regime means and their differences.

Regimes (--by):
  fed        easing, tightening, hold: the Fed regime on each period's last day (easing or
             tightening while the cycle's latest move is at most 6 months old, else hold)
  early:N    the first N months after each easing cycle's first cut, vs the rest
  recession  NBER recession or expansion months (fred/USREC)
  --regime-file FILE.csv   your own labels: rows date,regime; each row's regime holds
             from its date to the next row's

Per regime: n, mean, annualised mean (mean x periods per year), volatility (sd x
sqrt(periods per year)), Sharpe (no risk-free rate subtracted) and the HAC t. Means and
differences come from ONE OLS of the returns on regime dummies over the whole sample with
Newey-West errors, exactly statsmodels' OLS(r, dummies).fit(cov_type='HAC',
cov_kwds={'maxlags': L}); p-values are normal. The default lag L is
floor(4(n/100)^(2/9)) (Newey-West 1994); --hac-lags overrides it.

Series are catalog ids (prices become returns; --freq monthly resamples daily prices to
month ends first) or the columns of --returns FILE.csv (date,<name>,... decimal
returns). With --vs every series is studied as its return minus the --vs return in the
same period.`,
		Example: `  ratecycle regimes
  ratecycle regimes --series french/F-F_Research_Data_Factors/SMB --by fed --format json
  ratecycle regimes --series "french/Portfolios_Formed_on_ME/Lo 10" --vs "french/Portfolios_Formed_on_ME/Hi 10"
  ratecycle regimes --series price/IWM --vs price/SPY --freq monthly
  ratecycle regimes --series french/12_Industry_Portfolios/Durbl --by early:12
  ratecycle regimes --returns my-fund.csv --regime-file my-regimes.csv --hac-lags 6`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return regimesRun(cmd, a, o) },
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.series, "series", nil, "catalog id of a return or price series (repeatable; default french/F-F_Research_Data_Factors/SMB)")
	f.StringVar(&o.vs, "vs", "", "catalog id subtracted period by period from each series")
	f.StringVar(&o.returns, "returns", "", "CSV of decimal returns: date,<name>,... (each column is a series)")
	f.StringVar(&o.by, "by", engine.ByFed, "fed, recession or early:N")
	f.StringVar(&o.regimeFile, "regime-file", "", "CSV of date,regime labels (replaces --by)")
	f.IntVar(&o.hacLags, "hac-lags", -1, "Newey-West lags (default floor(4(n/100)^(2/9)))")
	f.StringVar(&o.freq, "freq", "", "resample to daily, weekly or monthly first (default: the data's own)")
	f.StringVar(&o.from, "from", "", "first date of the sample (YYYY-MM-DD)")
	f.StringVar(&o.to, "to", "", "last date of the sample (YYYY-MM-DD)")
	f.StringArrayVar(&o.diffs, "diff", nil, "difference to test, A,B for mean(A)-mean(B) (repeatable; default the first regime minus each other)")
	formatFlag(cmd, &o.format)
	return cmd
}

func regimesRun(cmd *cobra.Command, a *app, o *regimesOptions) error {
	format, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	opt := engine.RegimesOptions{Series: o.series, Vs: o.vs, By: o.by, MaxLags: o.hacLags, From: series.NoDate, To: series.NoDate}
	if o.hacLags < -1 {
		return usagef("--hac-lags must be >= 0")
	}
	if o.from != "" {
		if opt.From, err = series.ParseDate(o.from); err != nil {
			return usagef("--from: %v", err)
		}
	}
	if o.to != "" {
		if opt.To, err = series.ParseDate(o.to); err != nil {
			return usagef("--to: %v", err)
		}
	}
	if o.freq != "" {
		if opt.Freq, err = series.ParseFrequency(o.freq); err != nil {
			return usagef("--freq: %v", err)
		}
	}
	for _, d := range o.diffs {
		x, y, ok := strings.Cut(d, ",")
		if !ok || strings.TrimSpace(x) == "" || strings.TrimSpace(y) == "" {
			return usagef("--diff %q: want A,B", d)
		}
		opt.Pairs = append(opt.Pairs, [2]string{strings.TrimSpace(x), strings.TrimSpace(y)})
	}
	if o.returns != "" {
		fh, err := os.Open(o.returns)
		if err != nil {
			return usagef("--returns: %v", err)
		}
		ss, err := usercsv.Parse(fh, o.returns, series.KindReturn)
		fh.Close()
		if err != nil {
			return err
		}
		opt.Extra = ss
	}
	if len(opt.Series) == 0 && len(opt.Extra) == 0 {
		opt.Series = []string{"french/F-F_Research_Data_Factors/SMB"}
	}
	if o.regimeFile != "" {
		fh, err := os.Open(o.regimeFile)
		if err != nil {
			return usagef("--regime-file: %v", err)
		}
		lab, err := study.ParseLabels(fh, o.regimeFile)
		fh.Close()
		if err != nil {
			return err
		}
		opt.By, opt.Labels = engine.ByFile, lab
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	res, err := engine.Regimes(ctx, cat, opt)
	if err != nil {
		if strings.Contains(err.Error(), "regimes \"") || errors.Is(err, study.ErrUnknownRegime) {
			return usageError{err}
		}
		return err
	}
	if format == output.JSON {
		return output.Write(a.io.Out, format, nil, view.Regimes(res))
	}
	tabs := regimesTabs(res, format)
	for i, t := range tabs {
		if format == output.CSV && i > 0 {
			break // one table per CSV: the per-regime rows carry the differences' series names
		}
		if i > 0 {
			fmt.Fprintln(a.io.Out)
		}
		if err := output.Write(a.io.Out, format, t, nil); err != nil {
			return err
		}
	}
	return nil
}

func regimesTabs(r *engine.RegimesResult, f output.Format) []*output.Tab {
	c := cellsFor(f)
	t := &output.Tab{Title: "Returns by regime (" + r.By + ")",
		Columns: []string{"series", "regime", "n", "share", "mean", "se", "t", "p", "ann_mean", "vol", "sharpe", "from", "to"}}
	d := &output.Tab{Title: "Differences between regimes (same regression, HAC covariance)",
		Columns: []string{"series", "difference", "diff", "ann_diff", "se", "t", "p"}}
	for _, b := range r.Blocks {
		name := b.Name
		if b.Vs != "" {
			name += " - " + b.Vs
		}
		res := b.Result
		for _, s := range res.Stats {
			t.Add(name, s.Label, fmt.Sprint(s.N), c.pct(s.Share, 0), c.pct(s.Mean, 3), c.pct(s.SE, 3),
				c.num(s.T, 2), c.num(s.P, 3), c.pct(s.AnnMean, 2), c.pct(s.Vol, 2), c.num(s.Sharpe, 2),
				res.From.String(), res.To.String())
		}
		for _, x := range res.Diffs {
			d.Add(name, x.A+" - "+x.B, c.pct(x.Diff, 3), c.pct(x.AnnDiff, 2), c.pct(x.SE, 3), c.num(x.T, 2), c.num(x.P, 3))
		}
	}
	t.Notes = nil
	d.Notes = r.Notes
	return []*output.Tab{t, d}
}
