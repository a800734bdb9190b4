package study

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/stats"
)

// RegimeStat is one regime's statistics. Mean, SE, T and P come from the dummy
// regression with Newey-West errors over the whole sample; the descriptive statistics
// (Vol, Sharpe) from the regime's own observations.
type RegimeStat struct {
	Label string  `json:"regime"`
	N     int     `json:"n"`
	Mean  float64 `json:"mean"` // mean period return (the dummy's coefficient)
	SE    float64 `json:"se"`   // HAC standard error of Mean
	T     float64 `json:"t"`    // Mean / SE
	P     float64 `json:"p"`    // two-sided, standard normal (statsmodels' default for HAC)
	// AnnMean is Mean × periods per year (arithmetic, so it is the tested quantity scaled).
	AnnMean float64 `json:"ann_mean"`
	// Vol is the sample standard deviation × √(periods per year); Sharpe is AnnMean/Vol,
	// with no risk-free rate subtracted (returns of long-short factors and relative
	// returns are already excess returns; for a plain asset it is a return/risk ratio).
	Vol    float64 `json:"vol"`
	Sharpe float64 `json:"sharpe"`
	// Share is N over all observations.
	Share float64 `json:"share"`
}

// RegimeDiff is the difference between two regimes' means, tested with the full HAC
// covariance of the one regression (statsmodels' t_test('a - b = 0')).
type RegimeDiff struct {
	A    string  `json:"a"`
	B    string  `json:"b"`
	Diff float64 `json:"diff"` // mean(A) - mean(B), per period
	SE   float64 `json:"se"`
	T    float64 `json:"t"`
	P    float64 `json:"p"`
	// AnnDiff is Diff × periods per year.
	AnnDiff float64 `json:"ann_diff"`
}

// RegimeResult is the result of Regimes.
type RegimeResult struct {
	Stats          []RegimeStat     `json:"regimes"` // in the order of RegimeOptions.Order, then sorted
	Diffs          []RegimeDiff     `json:"differences"`
	N              int              `json:"n"`
	From           series.Date      `json:"from"`
	To             series.Date      `json:"to"`
	MaxLags        int              `json:"hac_lags"`
	LagRule        string           `json:"lag_rule"`
	PeriodsPerYear int              `json:"periods_per_year"`
	Fit            *stats.Regimes   `json:"-"`
	Freq           series.Frequency `json:"-"`
}

// RegimeOptions configures Regimes.
type RegimeOptions struct {
	// MaxLags is the Newey-West lag L; negative means the default stats.NeweyWestLags(n).
	MaxLags int
	// PeriodsPerYear annualises; 0 means the frequency's PerformanceAnalytics scale.
	PeriodsPerYear int
	// Order lists regimes in output order (others follow, sorted); the first is the
	// reference of the default differences.
	Order []string
	// Pairs are the differences to test, each {a, b} for mean(a) - mean(b); nil means
	// the first regime in Order minus each other regime.
	Pairs [][2]string
}

// ErrUnknownRegime reports a regime asked for (in a difference) that the sample lacks.
var ErrUnknownRegime = errors.New("unknown regime")

// ErrUnlabelled reports observations without a regime.
var ErrUnlabelled = errors.New("unlabelled observation")

// Regimes estimates each regime's mean return and the differences between regimes
// with one OLS of the returns on regime dummies and Newey-West errors (see the package
// comment). dates, returns and labels are parallel and in calendar order; returns must
// not hold NaN and labels must not be empty (trim both first with Trim). It is
// statsmodels' OLS(r, dummies).fit(cov_type='HAC', cov_kwds={'maxlags': L}).
func Regimes(dates []series.Date, returns []float64, labels []string, opt RegimeOptions) (*RegimeResult, error) {
	if len(dates) != len(returns) || len(labels) != len(returns) {
		panic(fmt.Sprintf("study: Regimes: %d dates, %d returns, %d labels", len(dates), len(returns), len(labels)))
	}
	n := len(returns)
	if n == 0 {
		return nil, fmt.Errorf("regimes: no observations: %w", stats.ErrTooFew)
	}
	freq := series.InferFrequency(dates)
	ppy := opt.PeriodsPerYear
	if ppy == 0 {
		ppy = freq.PeriodsPerYear()
	}
	if ppy == 0 {
		ppy = 1
	}
	lags, rule := opt.MaxLags, "set by --hac-lags"
	if lags < 0 {
		lags = stats.NeweyWestLags(n)
		rule = fmt.Sprintf("floor(4(n/100)^(2/9)) = %d for n = %d (Newey-West 1994)", lags, n)
	}
	fit, err := stats.RegimeOLS(returns, labels, lags, false)
	if err != nil {
		return nil, fmt.Errorf("regimes: %w", err)
	}
	res := &RegimeResult{N: n, From: dates[0], To: dates[n-1], MaxLags: lags, LagRule: rule,
		PeriodsPerYear: ppy, Fit: fit, Freq: freq}
	by := map[string][]float64{}
	for i, l := range labels {
		by[l] = append(by[l], returns[i])
	}
	order := orderLabels(fit, opt.Order)
	for _, l := range order {
		var rm stats.RegimeMean
		for _, m := range fit.Means {
			if m.Label == l {
				rm = m
			}
		}
		sd := stats.SD(by[l])
		st := RegimeStat{Label: l, N: rm.N, Mean: rm.Mean, SE: rm.SE, T: rm.T, P: rm.P,
			AnnMean: rm.Mean * float64(ppy), Vol: sd * math.Sqrt(float64(ppy)), Share: float64(rm.N) / float64(n)}
		st.Sharpe = st.AnnMean / st.Vol
		res.Stats = append(res.Stats, st)
	}
	pairs := opt.Pairs
	if pairs == nil && len(order) > 1 {
		for _, b := range order[1:] {
			pairs = append(pairs, [2]string{order[0], b})
		}
	}
	for _, p := range pairs {
		if p[0] == p[1] {
			continue
		}
		for _, l := range p {
			if _, ok := by[l]; !ok {
				return nil, fmt.Errorf("regimes: %w %q (the sample has %s)", ErrUnknownRegime, l, strings.Join(order, ", "))
			}
		}
		c, err := fit.Difference(p[0], p[1])
		if err != nil {
			return nil, fmt.Errorf("regimes: %w", err)
		}
		res.Diffs = append(res.Diffs, RegimeDiff{A: p[0], B: p[1], Diff: c.Estimate, SE: c.SE, T: c.T, P: c.P,
			AnnDiff: c.Estimate * float64(ppy)})
	}
	return res, nil
}

func orderLabels(fit *stats.Regimes, pref []string) []string {
	have := map[string]bool{}
	for _, m := range fit.Means {
		have[m.Label] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, l := range pref {
		if have[l] && !seen[l] {
			out = append(out, l)
			seen[l] = true
		}
	}
	var rest []string
	for _, m := range fit.Means {
		if !seen[m.Label] {
			rest = append(rest, m.Label)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// Stat returns the statistics of regime l.
func (r *RegimeResult) Stat(l string) (RegimeStat, bool) {
	for _, s := range r.Stats {
		if s.Label == l {
			return s, true
		}
	}
	return RegimeStat{}, false
}

// Difference returns mean(a) - mean(b) with its HAC test.
func (r *RegimeResult) Difference(a, b string) (RegimeDiff, error) {
	for _, l := range []string{a, b} {
		if _, ok := r.Stat(l); !ok {
			return RegimeDiff{}, fmt.Errorf("%w %q", ErrUnknownRegime, l)
		}
	}
	c, err := r.Fit.Difference(a, b)
	if err != nil {
		return RegimeDiff{}, err
	}
	return RegimeDiff{A: a, B: b, Diff: c.Estimate, SE: c.SE, T: c.T, P: c.P, AnnDiff: c.Estimate * float64(r.PeriodsPerYear)}, nil
}

// Trim drops leading and trailing observations that have a NaN return or no label, and
// fails (wrapping ErrUnlabelled or stats.ErrMissing) when one is left inside: dropping
// observations inside the sample would change what the HAC lags mean.
func Trim(dates []series.Date, returns []float64, labels []string) ([]series.Date, []float64, []string, error) {
	bad := func(i int) bool { return math.IsNaN(returns[i]) || labels[i] == "" }
	lo, hi := 0, len(returns)
	for lo < hi && bad(lo) {
		lo++
	}
	for hi > lo && bad(hi-1) {
		hi--
	}
	for i := lo; i < hi; i++ {
		if labels[i] == "" {
			return nil, nil, nil, fmt.Errorf("%s has no regime label: %w", dates[i], ErrUnlabelled)
		}
		if math.IsNaN(returns[i]) {
			return nil, nil, nil, fmt.Errorf("%s has no return: %w", dates[i], stats.ErrMissing)
		}
	}
	return dates[lo:hi], returns[lo:hi], labels[lo:hi], nil
}

// Labeller gives each date a regime label ("" when it has none).
type Labeller interface {
	Label(d series.Date) string
	// Order lists the labels in display order; the first is the reference of the default
	// differences.
	Order() []string
}

// FedRegimes labels a date with cycle.History.RegimeAt: easing, tightening or hold.
// Dates before the history's first cycle are hold; dates after its data end are
// unlabelled (the policy data do not cover them).
type FedRegimes struct{ H *cycle.History }

// Label implements Labeller.
func (f FedRegimes) Label(d series.Date) string {
	if d > f.H.DataEnd || len(f.H.Cycles) == 0 || d < f.H.Cycles[0].FirstMove {
		return ""
	}
	return string(f.H.RegimeAt(d))
}

// Order implements Labeller.
func (FedRegimes) Order() []string {
	return []string{string(cycle.RegimeEasing), string(cycle.RegimeTightening), string(cycle.RegimeHold)}
}

// EarlyEasing labels a date "first-<N>m-of-easing" when it lies in an easing cycle less
// than N months after that cycle's first cut (by cycle.History.MonthsSinceFirstMove),
// and "other" otherwise.
type EarlyEasing struct {
	H      *cycle.History
	Months int
}

// Label implements Labeller.
func (e EarlyEasing) Label(d series.Date) string {
	if d > e.H.DataEnd || len(e.H.Cycles) == 0 || d < e.H.Cycles[0].FirstMove {
		return ""
	}
	m, dir, ok := e.H.MonthsSinceFirstMove(d)
	if ok && dir == cycle.Easing && m < e.Months {
		return e.first()
	}
	return "other"
}

func (e EarlyEasing) first() string { return fmt.Sprintf("first-%dm-of-easing", e.Months) }

// Order implements Labeller.
func (e EarlyEasing) Order() []string { return []string{e.first(), "other"} }

// Recession labels a date "recession" or "expansion" from the NBER indicator (FRED
// USREC, monthly, dated the first of the month): the value of the month containing the
// date. Dates after the indicator's last month are unlabelled.
type Recession struct{ USREC *series.Series }

// Label implements Labeller.
func (r Recession) Label(d series.Date) string {
	v, at, ok := r.USREC.AsOf(d)
	if !ok || at.MonthEnd() < d.MonthStart() || math.IsNaN(v) {
		return ""
	}
	if v >= 0.5 {
		return "recession"
	}
	return "expansion"
}

// Order implements Labeller.
func (Recession) Order() []string { return []string{"recession", "expansion"} }

// LabelAll labels each date.
func LabelAll(l Labeller, dates []series.Date) []string {
	out := make([]string, len(dates))
	for i, d := range dates {
		out[i] = l.Label(d)
	}
	return out
}

// RegimeSeries labels the returns of s (prices become returns first) and runs Regimes
// on the labelled, trimmed sample.
func RegimeSeries(s *series.Series, l Labeller, opt RegimeOptions) (*RegimeResult, error) {
	r := s
	if s.Kind == series.KindPrice {
		r = s.Returns()
	}
	labels := LabelAll(l, r.Dates)
	d, v, lab, err := Trim(r.Dates, r.Values, labels)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name, err)
	}
	if opt.Order == nil {
		opt.Order = l.Order()
	}
	opt.Order = slices.Clone(opt.Order)
	res, err := Regimes(d, v, lab, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name, err)
	}
	return res, nil
}

// SampleReturns turns s into the returns a regime study uses: at frequency freq (0
// keeps the data's own; a lower one compounds, or takes period-end prices, with
// PeriodReturns), prices to returns, minus vs's returns in the same periods on the
// common dates (when vs is not nil), restricted to [from, to] (NoDate: open). Fewer
// than 3 returns left is an error.
func SampleReturns(s, vs *series.Series, freq series.Frequency, from, to series.Date) (*series.Series, error) {
	r := periodic(s, freq)
	if vs != nil {
		b := periodic(vs, freq)
		f := series.Align(series.Inner, r, b)
		d := &series.Series{Name: s.Name + " - " + vs.Name, Kind: series.KindReturn, Freq: r.Freq, Dates: f.Dates,
			Values: make([]float64, len(f.Dates))}
		for i := range f.Dates {
			d.Values[i] = f.Cols[0][i] - f.Cols[1][i]
		}
		r = d
	}
	r = r.Slice(from, to)
	if r.Len() < 3 {
		return nil, fmt.Errorf("%s: fewer than 3 returns in the sample", r.Name)
	}
	return r, nil
}

// periodic returns s as returns at freq (0: its own frequency).
func periodic(s *series.Series, freq series.Frequency) *series.Series {
	if freq == 0 || freq == s.Freq {
		if s.Kind == series.KindReturn {
			return s
		}
		return s.Returns()
	}
	return PeriodReturns(s, freq)
}
