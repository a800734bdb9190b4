package study

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/stats"
	"github.com/ratecycle/ratecycle/study/marketmodel"
)

// MinEvents is the fewest events over which a summary draws a conclusion: with fewer,
// the summary says "too few to conclude". Eight is about the number of easing cycles in
// the ETF era plus the 1980s; below it a t statistic rests on a handful of episodes and
// one cycle can carry the mean.
const MinEvents = 8

// Method is how an event study measures a window.
type Method string

// Methods.
const (
	// Excess: buy-and-hold return of the asset minus that of the benchmark (the asset's
	// own return when there is no benchmark).
	Excess Method = "excess"
	// MarketModel: abnormal returns against alpha + beta × benchmark estimated on an
	// estimation window; the statistic is the CAR (sum of abnormal returns).
	MarketModel Method = "market-model"
)

// Event is one event date.
type Event struct {
	Date     series.Date `json:"date"`               // announcement date
	Inferred bool        `json:"inferred,omitempty"` // a pre-1982 move inferred from monthly data
	Label    string      `json:"label,omitempty"`    // e.g. "first-cut"
}

// EventStudy configures Run.
type EventStudy struct {
	// Asset is the series studied: prices (turned into returns) or returns.
	Asset *series.Series
	// Bench is the optional benchmark (prices or returns); required by MarketModel.
	Bench   *series.Series
	Events  []Event
	Windows []Window
	Method  Method // "" means Excess
	// Estimation is the market model's estimation window, in periods of the data (zero
	// value: -250:-11 on daily data, -60:-1 on monthly data).
	Estimation Window
	// Resamples is the number of bootstrap resamples of each window's mean (0: 10,000;
	// negative: no bootstrap). Seed seeds them; Level is the interval's coverage (0: 0.90).
	Resamples int
	Seed      uint64
	Level     float64
	// Balanced keeps only events that are complete in every window, so all windows
	// average the same events (used for cumulative paths).
	Balanced bool
}

// Cell is one event measured over one window.
type Cell struct {
	OK     bool        `json:"ok"`
	Reason string      `json:"reason,omitempty"` // why not OK
	Start  series.Date `json:"start"`            // the close the window starts from
	End    series.Date `json:"end"`              // the close it ends at
	Asset  float64     `json:"asset"`            // buy-and-hold return of the asset
	Bench  float64     `json:"bench"`            // buy-and-hold return of the benchmark (NaN without one)
	Excess float64     `json:"excess"`           // Asset - Bench (Asset without a benchmark)
	// Value is the statistic summarised: Excess, or the CAR under the market model.
	Value float64 `json:"value"`
	// MM holds the market-model estimates (nil under Excess).
	MM *MMCell `json:"market_model,omitempty"`
}

// MMCell is the market model of one event and window.
type MMCell struct {
	Alpha  float64 `json:"alpha"`
	Beta   float64 `json:"beta"`
	SigmaE float64 `json:"sigma_e"` // residual standard deviation on the estimation window (n-2)
	NEst   int     `json:"n_est"`
	CAR    float64 `json:"car"`    // Σ AR over the window
	CART   float64 `json:"car_t"`  // CAR / (σ_e √L)
	BHAR   float64 `json:"bhar"`   // Π(1+R_asset) - Π(1+R_bench)
	Length int     `json:"length"` // L, periods in the window
}

// Summary summarises one window across events.
type Summary struct {
	Window  Window  `json:"window"`
	N       int     `json:"n"`
	Mean    float64 `json:"mean"` // mean of Cell.Value (the CAAR under the market model)
	Median  float64 `json:"median"`
	SD      float64 `json:"sd"`
	HitRate float64 `json:"hit_rate"` // share of events with Value > 0
	// T is the cross-sectional t of the mean, Mean/(SD/√N); P its two-sided p-value from
	// Student's t with N-1 degrees of freedom.
	T float64 `json:"t"`
	P float64 `json:"p"`
	// Lo and Hi bound the bootstrap percentile interval of the mean at Level (iid
	// resampling of events); NaN without a bootstrap or with N < 2.
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Level float64 `json:"level"`
	// MeanBHAR and BWT are the market model's mean BHAR and the Brown-Warner t of the
	// CAAR, CAAR/(√(Σσ²_i L_i)/N) with σ_i from each estimation window (NaN under Excess).
	MeanBHAR float64 `json:"mean_bhar"`
	BWT      float64 `json:"bw_t"`
	TooFew   bool    `json:"too_few"` // N < MinEvents
	// Overlap reports that the windows of two consecutive events overlap in time, so the
	// events are not independent draws.
	Overlap bool   `json:"overlap"`
	Verdict string `json:"verdict"` // plain words on what the numbers allow
}

// EventResult is the result of Run.
type EventResult struct {
	Method     Method      `json:"method"`
	Grid       Grid        `json:"-"`
	Events     []Event     `json:"events"`
	Day0       []int       `json:"-"`       // index of day 0 in Grid.Dates, -1 if none
	Windows    []Window    `json:"windows"` // in the order given
	Cells      [][]Cell    `json:"cells"`   // Cells[event][window]
	Sums       []Summary   `json:"summaries"`
	From       series.Date `json:"from"` // first and last date of the aligned data
	To         series.Date `json:"to"`
	Estimation Window      `json:"estimation,omitzero"`
	// Overlap reports that some window's events overlap in time (see Summary.Overlap).
	Overlap bool `json:"overlap"`
}

// ErrNoData reports that the series (and benchmark) have no common observations.
var ErrNoData = errors.New("no data")

// levels returns a series as a level on its own dates: prices as they are (missing
// dropped), returns cumulated into a wealth index of 1 at the close before the first
// return (dated one period earlier).
func levels(s *series.Series) ([]series.Date, []float64) {
	if s.Kind != series.KindReturn {
		c := s.DropNaN()
		return c.Dates, c.Values
	}
	c := s.DropNaN()
	if c.Len() == 0 {
		return nil, nil
	}
	ds := make([]series.Date, 0, c.Len()+1)
	vs := make([]float64, 0, c.Len()+1)
	ds = append(ds, before(c.Dates[0], c.Dates))
	vs = append(vs, 1)
	w := 1.0
	for i, r := range c.Values {
		w *= 1 + r
		ds = append(ds, c.Dates[i])
		vs = append(vs, w)
	}
	return ds, vs
}

// before returns the date one period before first: the previous month end for monthly
// data, the previous day otherwise.
func before(first series.Date, dates []series.Date) series.Date {
	if isMonthly(dates) {
		return first.MonthStart().AddDays(-1)
	}
	return first.AddDays(-1)
}

func isMonthly(dates []series.Date) bool {
	f := series.InferFrequency(dates)
	return f == series.Monthly
}

// Aligned is a series (and optional benchmark) as levels on their common dates.
type Aligned struct {
	Grid  Grid
	A, B  []float64 // levels; B nil without a benchmark
	Freq  series.Frequency
	AName string
	BName string
}

// Align puts the asset (and the benchmark, when not nil) on their common dates as
// levels (prices, or wealth indexes cumulated from returns). The grid is monthly when
// the dates are monthly. It fails with ErrNoData when nothing is left.
func Align(asset, bench *series.Series) (*Aligned, error) {
	ad, av := levels(asset)
	al := &Aligned{AName: asset.Name}
	if bench == nil {
		al.Grid.Dates, al.A = ad, av
	} else {
		al.BName = bench.Name
		bd, bv := levels(bench)
		i, j := 0, 0
		for i < len(ad) && j < len(bd) {
			switch {
			case ad[i] < bd[j]:
				i++
			case ad[i] > bd[j]:
				j++
			default:
				al.Grid.Dates = append(al.Grid.Dates, ad[i])
				al.A = append(al.A, av[i])
				al.B = append(al.B, bv[j])
				i++
				j++
			}
		}
	}
	if len(al.Grid.Dates) < 2 {
		name := asset.Name
		if bench != nil {
			name += " and " + bench.Name
		}
		return nil, fmt.Errorf("%s: fewer than two common observations: %w", name, ErrNoData)
	}
	al.Freq = series.InferFrequency(al.Grid.Dates)
	al.Grid.Monthly = al.Freq == series.Monthly
	return al, nil
}

// Returns returns the per-period simple returns of the aligned levels; r[0] is NaN.
func returnsOf(v []float64) []float64 {
	r := make([]float64, len(v))
	r[0] = math.NaN()
	for i := 1; i < len(v); i++ {
		r[i] = v[i]/v[i-1] - 1
	}
	return r
}

// Run runs an event study. Events outside the data, and windows the data do not cover,
// are kept as cells with a reason and left out of the summaries. A market-model study
// without a benchmark is an error.
func Run(in EventStudy) (*EventResult, error) {
	if in.Asset == nil {
		panic("study: Run: nil asset")
	}
	if len(in.Windows) == 0 {
		panic("study: Run: no window")
	}
	m := in.Method
	if m == "" {
		m = Excess
	}
	if m != Excess && m != MarketModel {
		return nil, fmt.Errorf("unknown method %q (want excess or market-model)", m)
	}
	if m == MarketModel && in.Bench == nil {
		return nil, fmt.Errorf("the market model needs a benchmark (the market)")
	}
	al, err := Align(in.Asset, in.Bench)
	if err != nil {
		return nil, err
	}
	return RunAligned(al, in)
}

// RunAligned is Run on data already aligned with Align (the configuration's Asset and
// Bench are ignored), so several studies on the same pair share the alignment.
func RunAligned(al *Aligned, in EventStudy) (*EventResult, error) {
	m := in.Method
	if m == "" {
		m = Excess
	}
	if m == MarketModel && al.B == nil {
		return nil, fmt.Errorf("the market model needs a benchmark (the market)")
	}
	g := al.Grid
	res := &EventResult{Method: m, Grid: g, Events: in.Events, Windows: in.Windows,
		From: g.Dates[1], To: g.Dates[len(g.Dates)-1]}
	est := in.Estimation
	if m == MarketModel {
		if est == (Window{}) {
			est = Window{From: Bound{N: -250}, To: Bound{N: -11}}
			if g.Monthly {
				est = Window{From: Bound{N: -60}, To: Bound{N: -1}}
			}
		}
		if est.From.Unit != Periods || est.To.Unit != Periods || est.From.N >= est.To.N {
			return nil, fmt.Errorf("estimation window %s: want periods of the data a:b with a < b, e.g. -250:-11", est)
		}
		res.Estimation = est
	}
	var ra, rb []float64
	if m == MarketModel {
		ra, rb = returnsOf(al.A), returnsOf(al.B)
	}
	res.Cells = make([][]Cell, len(in.Events))
	res.Day0 = make([]int, len(in.Events))
	for i, ev := range in.Events {
		d0 := g.Day0(ev.Date)
		res.Day0[i] = d0
		row := make([]Cell, len(in.Windows))
		for j, w := range in.Windows {
			c := Cell{Bench: math.NaN(), Asset: math.NaN(), Excess: math.NaN(), Value: math.NaN()}
			s, e, reason, ok := g.Anchors(ev.Date, d0, w)
			if !ok {
				c.Reason = reason
				row[j] = c
				continue
			}
			c.OK, c.Start, c.End = true, g.Dates[s], g.Dates[e]
			c.Asset = al.A[e]/al.A[s] - 1
			c.Excess = c.Asset
			if al.B != nil {
				c.Bench = al.B[e]/al.B[s] - 1
				c.Excess = c.Asset - c.Bench
			}
			c.Value = c.Excess
			if m == MarketModel {
				mm, err := marketModel(ra, rb, d0, est.From.N, est.To.N, s+1-d0, e-d0)
				if err != nil {
					c.OK, c.Reason, c.Value = false, err.Error(), math.NaN()
				} else {
					c.MM = mm
					c.Value = mm.CAR
				}
			}
			row[j] = c
		}
		res.Cells[i] = row
	}
	if in.Balanced {
		for i := range res.Cells {
			all := true
			for _, c := range res.Cells[i] {
				all = all && c.OK
			}
			if !all {
				for j := range res.Cells[i] {
					if res.Cells[i][j].OK {
						res.Cells[i][j].OK = false
						res.Cells[i][j].Reason = "left out to balance the windows"
					}
				}
			}
		}
	}
	res.Sums = make([]Summary, len(in.Windows))
	for j, w := range in.Windows {
		sum, err := summarise(res, j, w, in)
		if err != nil {
			return nil, err
		}
		res.Sums[j] = sum
		res.Overlap = res.Overlap || sum.Overlap
	}
	return res, nil
}

func overlaps(res *EventResult, j int) bool {
	lastEnd := series.NoDate
	for i := range res.Cells {
		c := res.Cells[i][j]
		if !c.OK {
			continue
		}
		if lastEnd != series.NoDate && c.Start < lastEnd {
			return true
		}
		lastEnd = c.End
	}
	return false
}

func summarise(res *EventResult, j int, w Window, in EventStudy) (Summary, error) {
	var vals, bhar []float64
	var sig2L float64
	for i := range res.Cells {
		c := res.Cells[i][j]
		if !c.OK {
			continue
		}
		vals = append(vals, c.Value)
		if c.MM != nil {
			bhar = append(bhar, c.MM.BHAR)
			sig2L += c.MM.SigmaE * c.MM.SigmaE * float64(c.MM.Length)
		}
	}
	level := in.Level
	if level == 0 {
		level = 0.90
	}
	s := Summary{Window: w, N: len(vals), Level: level, Lo: math.NaN(), Hi: math.NaN(),
		MeanBHAR: math.NaN(), BWT: math.NaN(), T: math.NaN(), P: math.NaN()}
	d := stats.Describe(vals)
	s.Mean, s.Median, s.SD, s.HitRate = d.Mean, d.Median, d.SD, d.HitRate
	if s.N >= 2 {
		s.T = d.TStat
		s.P = stats.TwoSidedP(s.T, s.N-1)
		if res.Method == MarketModel {
			// The CAAR's cross-sectional test, as study/marketmodel defines it.
			ca := marketmodel.AverageCARs(vals)
			s.T, s.P = ca.T, ca.P
		}
		if in.Resamples >= 0 {
			bs, err := stats.BootstrapMean(vals, stats.BootstrapOptions{Resamples: in.Resamples, BlockLength: 1,
				Level: level, Seed: windowSeed(in.Seed, w)})
			if err != nil {
				return s, fmt.Errorf("window %s: %w", w, err)
			}
			s.Lo, s.Hi = bs.Lo, bs.Hi
		}
	}
	if len(bhar) > 0 {
		s.MeanBHAR = stats.Mean(bhar)
		s.BWT = s.Mean / (math.Sqrt(sig2L) / float64(len(bhar)))
	}
	s.TooFew = s.N < MinEvents
	s.Overlap = overlaps(res, j)
	s.Verdict = verdict(s)
	return s, nil
}

// windowSeed derives a window's bootstrap seed from the study's seed and the window
// itself, so a window's interval does not depend on which other windows are studied.
func windowSeed(seed uint64, w Window) uint64 {
	h := fnv.New64a()
	h.Write([]byte(w.String()))
	return seed ^ h.Sum64()
}

// verdict says in words what the window's numbers allow a reader to conclude.
func verdict(s Summary) string {
	switch {
	case s.N == 0:
		return "no complete event"
	case s.TooFew:
		return fmt.Sprintf("too few to conclude (n=%d < %d)", s.N, MinEvents)
	}
	side := "above"
	if s.Mean < 0 {
		side = "below"
	}
	var v string
	switch {
	case s.P < 0.10 && !math.IsNaN(s.Lo) && (s.Lo > 0 || s.Hi < 0):
		v = fmt.Sprintf("mean %s zero: p=%.3f, %.0f%% interval excludes 0", side, s.P, 100*s.Level)
	case s.P < 0.10:
		v = fmt.Sprintf("mean %s zero at p=%.3f, but the %.0f%% bootstrap interval includes 0", side, s.P, 100*s.Level)
	default:
		v = fmt.Sprintf("not distinguishable from zero (p=%.2f)", s.P)
	}
	if s.Overlap {
		v += "; overlapping windows make this look more precise than it is"
	}
	return v
}
