package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/usercsv"
)

func init() { register(newRiskCmd) }

type riskOptions struct {
	ids       []string
	weights   []float64
	returns   string
	benchmark string
	rf        string
	freq      string
	format    string
	top       int
	sharpe208 bool
	rolling   int
	rangeFlags
}

func newRiskCmd(a *app) *cobra.Command {
	o := &riskOptions{}
	cmd := &cobra.Command{
		Use:   "risk",
		Short: "Risk and performance metrics, drawdowns, VaR and ES (PerformanceAnalytics conventions)",
		Long: `Risk and performance metrics of catalog series, a weighted portfolio of them, or your
own CSV of dated returns: annualised return (geometric), volatility (sqrt(scale)), Sharpe
and Sortino, maximum drawdown and Calmar, the worst drawdowns (peak, trough, recovery),
VaR and expected shortfall at 95% and 99% (historical, Gaussian, modified Cornish-Fisher),
skewness and excess kurtosis, and against a benchmark: beta, alpha, correlation, tracking
error, information ratio, up/down capture.

Conventions follow R's PerformanceAnalytics 2.1.0 (and agree with it to 1e-13 on its own
edhec and managers data): VaR and ES are negative returns; the Sharpe ratio uses the
arithmetic mean excess return over the sd of excess returns (--sharpe-pa208 for 2.0.8's
geometric convention); Sortino is per period with MAR 0. --format json prints per series
the metrics under the names PerformanceAnalytics' reference script writes.

Prices become simple returns; --weights makes one portfolio held at constant weights,
rebalanced every period.`,
		Example: `  ratecycle risk --series price/IWM,price/SPY --benchmark price/SPY
  ratecycle risk --series price/IWM,price/SPY --weights 0.3,0.7 --freq monthly --rf fred/DGS3MO
  ratecycle risk --series french/F-F_Research_Data_Factors/SMB --from 1963-07-01 --format json
  ratecycle risk --returns my-fund.csv --benchmark SPX`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return riskRun(cmd, a, o) },
	}
	cmd.Flags().StringSliceVar(&o.ids, "series", nil, "catalog ids (prices or returns), comma separated")
	cmd.Flags().Float64SliceVar(&o.weights, "weights", nil, "combine --series into one portfolio with these weights")
	cmd.Flags().StringVar(&o.returns, "returns", "", "your CSV of dated returns (date first, one column per series, empty = missing)")
	cmd.Flags().StringVar(&o.benchmark, "benchmark", "", "benchmark: a catalog id, or a column of --returns")
	cmd.Flags().StringVar(&o.rf, "rf", "", "risk-free rate: a per-period decimal (0.0002) or fred/DGS3MO (annual yield, converted per period)")
	cmd.Flags().StringVar(&o.freq, "freq", "", "resample to weekly or monthly (compounded) before measuring")
	cmd.Flags().IntVar(&o.top, "drawdowns", 5, "how many worst drawdowns to list")
	cmd.Flags().BoolVar(&o.sharpe208, "sharpe-pa208", false, "PerformanceAnalytics 2.0.8 Sharpe: geometric annualised return over sd of returns")
	cmd.Flags().IntVar(&o.rolling, "rolling", 0, "also print the last values of rolling volatility, Sharpe and beta over this many periods")
	o.rangeFlags.add(cmd)
	cmd.Flags().Lookup("vintage").Hidden = true
	formatFlag(cmd, &o.format)
	return cmd
}

func riskRun(cmd *cobra.Command, a *app, o *riskOptions) error {
	f, err := parseFormat(o.format)
	if err != nil {
		return err
	}
	from, to, err := o.dates()
	if err != nil {
		return err
	}
	if len(o.ids) == 0 && o.returns == "" {
		return usagef("give --series IDS or --returns FILE.csv")
	}
	if len(o.weights) > 0 && len(o.weights) != len(o.ids) {
		return usagef("--weights has %d values for %d --series", len(o.weights), len(o.ids))
	}
	if err := checkWeights(o.weights); err != nil {
		return err
	}
	freq := series.Daily
	if o.freq != "" {
		if freq, err = series.ParseFrequency(o.freq); err != nil {
			return usageError{err}
		}
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	var ss []*series.Series
	var bench *series.Series
	if o.returns != "" {
		fh, err := os.Open(o.returns)
		if err != nil {
			return usageError{err}
		}
		cols, err := usercsv.Parse(fh, o.returns, series.KindReturn)
		fh.Close()
		if err != nil {
			return err
		}
		for _, c := range cols {
			if o.benchmark != "" && c.Name == o.benchmark {
				bench = c
				continue
			}
			ss = append(ss, c)
		}
		if o.benchmark != "" && bench == nil && !strings.Contains(o.benchmark, "/") {
			return usagef("--benchmark %q is not a column of %s", o.benchmark, o.returns)
		}
	}
	if len(o.ids) > 0 {
		rs, err := engine.LoadReturns(ctx, cat, o.ids, freq)
		if err != nil {
			return err
		}
		if len(o.weights) > 0 {
			p, err := engine.Portfolio("portfolio", rs, o.weights)
			if err != nil {
				return err
			}
			rs = []*series.Series{p}
		}
		ss = append(ss, rs...)
	}
	if bench == nil && o.benchmark != "" {
		bs, err := engine.LoadReturns(ctx, cat, []string{o.benchmark}, freq)
		if err != nil {
			return err
		}
		bench = bs[0]
	}
	if freq != series.Daily {
		for i, s := range ss {
			if s.Freq != freq {
				ss[i] = s.Resample(freq, series.CompoundReturns)
			}
		}
		if bench != nil && bench.Freq != freq {
			bench = bench.Resample(freq, series.CompoundReturns)
		}
	}
	req := engine.RiskRequest{Series: ss, Benchmark: bench, From: from, To: to,
		Options: risk.Options{TopDrawdowns: o.top}}
	if o.sharpe208 {
		req.Options.Sharpe = risk.SharpePA208
	}
	if o.rf != "" {
		if err := req.SetRiskFree(ctx, cat, o.rf); err != nil {
			return err
		}
	}
	res, err := engine.Risk(req)
	if err != nil {
		return usageError{err}
	}
	if f == output.JSON {
		// One object keyed by series, each the metrics under reference.R's names.
		var buf bytes.Buffer
		buf.WriteString("{\n")
		for i, r := range res {
			b, err := json.MarshalIndent(r.Report, "  ", "  ")
			if err != nil {
				return err
			}
			name, _ := json.Marshal(r.Name)
			fmt.Fprintf(&buf, "  %s: %s", name, b)
			if i < len(res)-1 {
				buf.WriteString(",")
			}
			buf.WriteString("\n")
		}
		buf.WriteString("}\n")
		_, err := a.io.Out.Write(buf.Bytes())
		return err
	}
	// Table / CSV: one row per metric, one column per series.
	t := &output.Tab{Columns: []string{"metric"}}
	for _, r := range res {
		t.Columns = append(t.Columns, r.Name)
	}
	metrics := make([][]risk.Metric, len(res))
	for i, r := range res {
		metrics[i] = r.Report.Metrics()
	}
	for k, m := range metrics[0] {
		if strings.HasPrefix(m.Name, "drawdown_") {
			continue
		}
		row := []string{m.Name}
		for i := range res {
			if k < len(metrics[i]) {
				row = append(row, metricString(metrics[i][k], f))
			}
		}
		t.Add(row...)
	}
	if f == output.Table {
		r0 := res[0].Report
		t.Title = fmt.Sprintf("Risk (scale %d periods a year, %s .. %s)", r0.Scale, r0.Start, r0.End)
		t.Notes = []string{
			"Conventions: PerformanceAnalytics 2.1.0. Returns geometric annualised; volatility sqrt(scale); VaR/ES are negative returns (historical quantile type 7; gaussian uses the population variance; modified = Cornish-Fisher).",
		}
		if bench != nil {
			t.Notes = append(t.Notes, "Benchmark: "+bench.Name+"; relative metrics on the dates both have returns.")
		}
	}
	if err := output.Write(a.io.Out, f, t, nil); err != nil {
		return err
	}
	if f != output.Table {
		return nil
	}
	for _, r := range res {
		dt := &output.Tab{Title: "\nWorst drawdowns of " + r.Name, Columns: []string{"from (peak)", "trough", "to (recovered)", "depth", "length", "to trough", "recovery"}}
		for _, d := range r.Report.Drawdowns {
			to := d.To.String()
			if !d.Recovered {
				to = "not yet"
			}
			dt.Add(d.From.String(), d.Trough.String(), to, output.Pct(d.Depth, 2), fmt.Sprint(d.Length), fmt.Sprint(d.ToTrough), recoveryString(d))
		}
		if err := output.Write(a.io.Out, f, dt, nil); err != nil {
			return err
		}
	}
	if o.rolling > 0 {
		return rollingTable(a, ss, bench, o.rolling)
	}
	return nil
}

func recoveryString(d risk.Drawdown) string {
	if !d.Recovered {
		return ""
	}
	return fmt.Sprint(d.Recovery)
}

func metricString(m risk.Metric, f output.Format) string {
	switch m.Kind {
	case risk.MetricDate:
		return m.Date.String()
	case risk.MetricText:
		return m.Text
	}
	if f == output.CSV {
		return plainNum(m.Value) // NaN as an empty cell
	}
	if math.IsNaN(m.Value) {
		return "NA"
	}
	if m.Name == "n" || m.Name == "scale" || m.Name == "benchmark_n" {
		return strconv.FormatFloat(m.Value, 'f', 0, 64)
	}
	return strconv.FormatFloat(m.Value, 'f', 6, 64)
}

func rollingTable(a *app, ss []*series.Series, bench *series.Series, w int) error {
	t := &output.Tab{Title: fmt.Sprintf("\nRolling %d-period metrics, last value", w), Columns: []string{"series", "date", "volatility", "sharpe", "beta"}}
	for _, s := range ss {
		scale := s.Freq.PeriodsPerYear()
		if scale == 0 {
			scale = 252
		}
		vol, err := risk.RollingVolatility(s, w, scale)
		if err != nil {
			return usageError{err}
		}
		sh, err := risk.RollingSharpe(s, w, scale, 0, risk.SharpePA210)
		if err != nil {
			return usageError{err}
		}
		beta := ""
		if bench != nil {
			if b, err := risk.RollingBeta(s, bench, w, 0); err == nil && b.Len() > 0 {
				beta = output.F(b.Values[b.Len()-1], 3)
			}
		}
		if vol.Len() == 0 {
			continue
		}
		t.Add(s.Name, vol.Last().String(), output.Pct(vol.Values[vol.Len()-1], 2), output.F(sh.Values[sh.Len()-1], 3), beta)
	}
	return output.Write(a.io.Out, output.Table, t, nil)
}

// checkWeights refuses weights that are not finite numbers.
func checkWeights(w []float64) error {
	for i, x := range w {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return usagef("--weights: value %d (%v) is not a finite number", i+1, x)
		}
	}
	return nil
}

// weightsNote says where the rest goes when weights do not sum to 1.
func weightsNote(w []float64) string {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	if math.Abs(sum-1) < 1e-9 {
		return ""
	}
	return fmt.Sprintf("Weights sum to %.4g: the remaining %.4g earns nothing (no cash return) and is counted as a position of zero return.", sum, 1-sum)
}
