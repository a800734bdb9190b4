package engine

import (
	"context"
	"fmt"
	"math"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/study"
)

func init() { RegisterSection(2, "study", studySection) }

// The series of the historical case.
const (
	smbMonthly  = "french/F-F_Research_Data_Factors/SMB"
	sizeLo10    = "french/Portfolios_Formed_on_ME/Lo 10"
	sizeHi10    = "french/Portfolios_Formed_on_ME/Hi 10"
	etfSmall    = "price/IWM"
	etfLarge    = "price/SPY"
	reportSeed  = 1
	reportBoots = 10000
)

// reportWindows are the windows of the report's event tables.
var reportWindows = study.MustWindows("0:1d,0:1m,0:3m,0:6m,0:12m")
var monthlyWindows = study.MustWindows("0:1m,0:3m,0:6m,0:12m")

// lo10MinusHi10 returns the smallest-decile minus largest-decile monthly return series.
func lo10MinusHi10(lo, hi *series.Series) *series.Series {
	f := series.Align(series.Inner, lo, hi)
	d := &series.Series{Name: "Lo 10 - Hi 10", Kind: series.KindReturn, Freq: series.Monthly, Dates: f.Dates,
		Values: make([]float64, len(f.Dates)), Prov: lo.Prov}
	for i := range f.Dates {
		d.Values[i] = f.Cols[0][i] - f.Cols[1][i]
	}
	return d
}

func studySection(ctx context.Context, rc *ReportContext) (*report.Section, error) {
	h := rc.History
	sec := &report.Section{ID: "historical-case", Title: "2. The historical case: small versus large after first cuts"}
	smb, err := rc.Load(ctx, smbMonthly)
	if err != nil {
		return nil, err
	}
	lo, err := rc.Load(ctx, sizeLo10)
	if err != nil {
		return nil, err
	}
	hi, err := rc.Load(ctx, sizeHi10)
	if err != nil {
		return nil, err
	}
	spread := lo10MinusHi10(lo, hi)
	// Monthly French data since 1926: SMB and the extreme size deciles after first cuts.
	smbRes, err := StudySeries(smb, nil, h, StudyOptions{Series: smbMonthly, Events: string(cycle.FirstCut), Windows: monthlyWindows,
		Resamples: reportBoots, Seed: reportSeed})
	if err != nil {
		return nil, err
	}
	sprRes, err := StudySeries(spread, nil, h, StudyOptions{Series: "Lo 10 - Hi 10 (size deciles)", Events: string(cycle.FirstCut),
		Windows: monthlyWindows, Resamples: reportBoots, Seed: reportSeed})
	if err != nil {
		return nil, err
	}
	// The ETF era on daily prices; left out (not faked) when prices are not available.
	var etfRes *StudyResult
	iwm, errA := rc.Load(ctx, etfSmall)
	spy, errB := rc.Load(ctx, etfLarge)
	if errA == nil && errB == nil {
		etfRes, err = StudySeries(iwm, spy, h, StudyOptions{Series: etfSmall, Vs: etfLarge, Events: string(cycle.FirstCut),
			Windows: reportWindows, Resamples: reportBoots, Seed: reportSeed})
		if err != nil {
			return nil, err
		}
	}
	s12 := lastSum(smbRes)
	p12 := lastSum(sprRes)
	sec.Lead = fmt.Sprintf("In the 12 months after a first cut, SMB averaged %s (n=%d first cuts since 1957, t=%.2f) and the smallest size decile beat the largest by %s (t=%.2f): positive on average, but %s.",
		pctS(s12.Mean), s12.N, s12.T, pctS(p12.Mean), p12.T, plainVerdict(s12))
	sec.Metrics = []report.Metric{
		{Label: "SMB, 12 months after first cuts", Value: pctS(s12.Mean), Note: fmt.Sprintf("n=%d, t=%.2f, p=%.2f, 90%% bootstrap [%s, %s]", s12.N, s12.T, s12.P, pctS(s12.Lo), pctS(s12.Hi))},
		{Label: "Smallest minus largest decile, 12 months", Value: pctS(p12.Mean), Note: fmt.Sprintf("n=%d, t=%.2f, hit rate %.0f%%", p12.N, p12.T, 100*p12.HitRate)},
	}
	if etfRes != nil {
		e12 := lastSum(etfRes)
		sec.Metrics = append(sec.Metrics, report.Metric{Label: "IWM minus SPY, 12 months after first cuts", Value: pctS(e12.Mean),
			Note: fmt.Sprintf("n=%d: %s", e12.N, e12.Verdict)})
	}
	sec.Paragraphs = []string{
		"An event study measures the return from the close before each first cut of an easing cycle to the close k months later. Monthly Ken French data reach back to 1926, but Fed cycles start in 1954 (before 1982 they are inferred from the monthly fed funds rate), so the long sample has about twenty first cuts; the ETF era (IWM since 2000) has four. Four events cannot carry a conclusion and the report says so rather than quoting their mean as evidence.",
		"The t statistics treat first cuts as independent. They are about a year apart at best, and some 12-month windows overlap the next cycle, so the precision is if anything overstated.",
	}
	chart, err := fanChart(h, smb, spread)
	if err != nil {
		return nil, err
	}
	sec.Charts = []report.Chart{chart}
	if etfRes != nil {
		sec.Tables = append(sec.Tables, eventTable("IWM minus SPY after first cuts (daily prices, excess buy-and-hold return)", etfRes))
	}
	sec.Tables = append(sec.Tables, summaryTable("After first cuts on monthly Ken French data since 1926", []*StudyResult{smbRes, sprRes}))
	regTab, regNotes, err := regimeTable(ctx, rc, h, smb, lo, hi, spread, iwm, spy)
	if err != nil {
		return nil, err
	}
	sec.Tables = append(sec.Tables, regTab)
	sec.Notes = append(sec.Notes, smbRes.Notes...)
	sec.Notes = append(sec.Notes, regNotes...)
	rc.Summarize(fmt.Sprintf("History: after the first cut, small caps beat large on average (SMB %s over 12 months, n=%d, t=%.2f), %s.", pctS(s12.Mean), s12.N, s12.T, plainVerdict(s12)))
	return sec, nil
}

func lastSum(r *StudyResult) study.Summary { return r.Sums[len(r.Sums)-1] }

func pctS(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%+.1f%%", 100*v)
}

func plainVerdict(s study.Summary) string {
	switch {
	case s.TooFew:
		return fmt.Sprintf("too few events to conclude (n=%d)", s.N)
	case s.P < 0.05:
		return fmt.Sprintf("significant at 5%% (p=%.3f)", s.P)
	case s.P < 0.10:
		return fmt.Sprintf("significant only at 10%% (p=%.3f)", s.P)
	}
	return fmt.Sprintf("not statistically distinguishable from zero (p=%.2f)", s.P)
}

// fanChart draws the mean cumulative return by month after the first cut (months 0..12)
// with the bootstrap 90% band, on events complete for 12 months.
func fanChart(h *cycle.History, smb, spread *series.Series) (report.Chart, error) {
	var ws []study.Window
	for k := 1; k <= 12; k++ {
		ws = append(ws, study.Window{From: study.Bound{}, To: study.Bound{N: k, Unit: study.Months}})
	}
	c := report.Chart{ID: "first-cut-fan", Title: "Mean cumulative return by month after the first cut, with the bootstrap 90% band of the mean (SMB)",
		Kind: "bar", YLabel: "cumulative return", YPct: true, Height: 360}
	c.X = append(c.X, "0")
	for k := 1; k <= 12; k++ {
		c.X = append(c.X, fmt.Sprint(k))
	}
	var n int
	for i, s := range []*series.Series{smb, spread} {
		res, err := StudySeries(s, nil, h, StudyOptions{Series: s.Name, Events: string(cycle.FirstCut), Windows: ws, Resamples: reportBoots,
			Seed: reportSeed, Balanced: true})
		if err != nil {
			return c, err
		}
		mean, lo, hi := []float64{0}, []float64{0}, []float64{0}
		for _, sm := range res.Sums {
			mean, lo, hi = append(mean, sm.Mean), append(lo, sm.Lo), append(hi, sm.Hi)
		}
		n = res.Sums[0].N
		if i == 0 {
			c.Series = append(c.Series, report.ChartSeries{Name: "SMB: 90% band", Type: "band", Lower: lo, Upper: hi, Y: mean, Color: "#1f5fbf"},
				report.ChartSeries{Name: fmt.Sprintf("SMB: mean (n=%d)", n), Type: "line", Y: mean, Color: "#1f5fbf"})
		} else {
			c.Series = append(c.Series, report.ChartSeries{Name: "Smallest minus largest size decile: mean", Type: "line", Y: mean})
		}
	}
	c.Title = fmt.Sprintf("Mean cumulative return by month after the first cut (n=%d first cuts with 12 months of data), SMB with the bootstrap 90%% band", n)
	return c, nil
}

func eventTable(title string, r *StudyResult) report.Table {
	t := report.Table{Title: title, Columns: []string{"first cut"}}
	for _, w := range r.Windows {
		t.Columns = append(t.Columns, w.String())
	}
	for i, ev := range r.EventResult.Events {
		if r.Day0[i] < 0 {
			continue
		}
		row := []string{ev.Date.String()}
		for j := range r.Windows {
			c := r.Cells[i][j]
			if !c.OK {
				row = append(row, "-")
			} else {
				row = append(row, pctS(c.Value))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	for _, lab := range []string{"mean", "n", "t", "verdict"} {
		row := []string{lab}
		for _, s := range r.Sums {
			switch lab {
			case "mean":
				row = append(row, pctS(s.Mean))
			case "n":
				row = append(row, fmt.Sprint(s.N))
			case "t":
				row = append(row, fmt.Sprintf("%.2f", s.T))
			default:
				v := "ok"
				if s.TooFew {
					v = "too few to conclude"
				}
				row = append(row, v)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func summaryTable(title string, rs []*StudyResult) report.Table {
	t := report.Table{Title: title, Columns: []string{"series", "window", "n", "mean", "median", "hit rate", "t", "p", "90% bootstrap", "verdict"}}
	for _, r := range rs {
		for _, s := range r.Sums {
			t.Rows = append(t.Rows, []string{r.Series, s.Window.String(), fmt.Sprint(s.N), pctS(s.Mean), pctS(s.Median),
				fmt.Sprintf("%.0f%%", 100*s.HitRate), fmt.Sprintf("%.2f", s.T), fmt.Sprintf("%.3f", s.P),
				fmt.Sprintf("[%s, %s]", pctS(s.Lo), pctS(s.Hi)), s.Verdict})
		}
	}
	return t
}

// regimeTable is SMB, the size deciles and (when prices load) IWM minus SPY by Fed
// regime, with the easing-minus-tightening difference.
func regimeTable(ctx context.Context, rc *ReportContext, h *cycle.History, smb, lo, hi, spread, iwm, spy *series.Series) (report.Table, []string, error) {
	t := report.Table{Title: "Mean return by Fed regime, annualised (one dummy regression per series, Newey-West t)",
		Columns: []string{"series", "sample", "easing", "t", "tightening", "t", "hold", "t", "easing - tightening", "t", "p"}}
	type item struct {
		name string
		s    *series.Series
	}
	items := []item{{"SMB", smb}, {"Smallest size decile (Lo 10)", lo}, {"Largest size decile (Hi 10)", hi}, {"Lo 10 minus Hi 10", spread}}
	if iwm != nil && spy != nil {
		d, err := study.SampleReturns(iwm, spy, series.Monthly, series.NoDate, series.NoDate)
		if err == nil {
			items = append(items, item{"IWM minus SPY (monthly)", d})
		}
	}
	lab := study.FedRegimes{H: h}
	var lags string
	for _, it := range items {
		r := it.s
		if r.Kind == series.KindPrice {
			r = r.Returns()
		}
		res, err := study.RegimeSeries(r, lab, study.RegimeOptions{MaxLags: -1, Pairs: [][2]string{{"easing", "tightening"}}})
		if err != nil {
			return t, nil, err
		}
		row := []string{it.name, fmt.Sprintf("%s..%s (n=%d)", res.From.String()[:7], res.To.String()[:7], res.N)}
		for _, l := range []string{"easing", "tightening", "hold"} {
			st, ok := res.Stat(l)
			if !ok {
				row = append(row, "-", "-")
				continue
			}
			row = append(row, pctS(st.AnnMean), fmt.Sprintf("%.2f", st.T))
		}
		if len(res.Diffs) > 0 {
			d := res.Diffs[0]
			row = append(row, pctS(d.AnnDiff), fmt.Sprintf("%.2f", d.T), fmt.Sprintf("%.3f", d.P))
		} else {
			row = append(row, "-", "-", "-")
		}
		t.Rows = append(t.Rows, row)
		lags = res.LagRule
	}
	notes := []string{
		"Regime means: one OLS of the monthly returns on easing/tightening/hold dummies per series, Newey-West errors (" + lags + " for the longest sample), as statsmodels' HAC fit; annualised = monthly mean x 12. A month is labelled by the Fed regime on its last day.",
	}
	return t, notes, nil
}
