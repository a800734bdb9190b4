// Package sector ranks sectors and industries for an easing cycle: which of them beat
// the market after the Fed's first cuts, in easing regimes, when short rates fell, and
// lately.
//
// For each asset (a Ken French industry portfolio or a sector ETF) against its market
// (Fama/French Mkt = Mkt-RF + RF, or SPY):
//
//   - first_cut: the mean excess return, asset minus market buy-and-hold, over the
//     twelve months after each first cut of an easing cycle (study.Run, Excess method:
//     on monthly data the event month and the eleven after it; on daily prices from the
//     close before the announcement to the close twelve calendar months later), with n;
//     the six-month window is shown too. Fewer than study.MinEvents events are too few
//     to conclude, and the output says so.
//   - easing: the mean monthly excess return in months the Fed was easing
//     (cycle.History.RegimeAt via study.FedRegimes), annualised ×12, with its
//     Newey-West t from one regime-dummy regression over the whole sample.
//   - rate_beta: the slope of the monthly excess return on the monthly change of the
//     2-year Treasury yield (FRED DGS2, month-end level, percentage points; since June
//     1976), with Newey-West errors (lag floor(4(n/100)^(2/9))). A negative beta means
//     the asset beats the market when the 2-year yield falls: it benefits from falling
//     rates. The slope on the change of the monthly average fed funds rate (FEDFUNDS) is
//     shown beside it; it does not enter the score.
//   - momentum: the excess return over the last 6 and 12 months to the data end; the
//     score uses their mean.
//
// The combined score is Σ w·z over the four inputs, each z-scored across the universe
// (sample standard deviation), with the rate beta's sign flipped so that higher is
// better for every input; the weights are normalised to sum to 1 and printed with the
// output. An input an asset lacks (no complete event, too short a history) counts as
// z = 0, the universe average, and the reason says so. Calls: the top third of the
// ranking (round(n/3) names) is overweight, the bottom third underweight, the rest
// neutral.
//
// sector never reads files, touches the network or looks at the clock: it is given
// series and the Fed's history.
package sector

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/stats"
	"github.com/ratecycle/ratecycle/study"
)

// Asset is one sector or industry.
type Asset struct {
	ID    string         `json:"id"`    // catalog id: french/12_Industry_Portfolios/Hlth, price/XLV
	Name  string         `json:"name"`  // short label: Hlth, XLV
	Title string         `json:"title"` // what it holds
	S     *series.Series `json:"-"`     // monthly returns or daily prices
}

// Inputs are the series a ranking reads.
type Inputs struct {
	Universe   string
	Assets     []Asset
	Market     *series.Series // same kind and frequency as the assets
	MarketName string
	History    *cycle.History
	Yield2Y    *series.Series // fred/DGS2, percent
	Policy     *series.Series // fred/FEDFUNDS, percent, monthly average
}

// Weights weigh the four inputs of the score.
type Weights struct {
	FirstCut float64 `json:"first_cut"`
	Easing   float64 `json:"easing"`
	RateBeta float64 `json:"rate_beta"`
	Momentum float64 `json:"momentum"`
}

// DefaultWeights are the weights of --weights' default.
var DefaultWeights = Weights{FirstCut: 0.35, Easing: 0.25, RateBeta: 0.2, Momentum: 0.2}

func (w Weights) sum() float64 { return w.FirstCut + w.Easing + w.RateBeta + w.Momentum }

// Normalized returns the weights scaled to sum to 1.
func (w Weights) Normalized() Weights {
	s := w.sum()
	return Weights{w.FirstCut / s, w.Easing / s, w.RateBeta / s, w.Momentum / s}
}

// String is "first_cut=0.35,easing=0.25,rate_beta=0.2,momentum=0.2".
func (w Weights) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	return "first_cut=" + f(w.FirstCut) + ",easing=" + f(w.Easing) + ",rate_beta=" + f(w.RateBeta) + ",momentum=" + f(w.Momentum)
}

// ParseWeights reads "first_cut=0.35,easing=0.25,rate_beta=0.2,momentum=0.2". Inputs not
// named keep their default weight; weights must be finite and non-negative with a
// positive sum.
func ParseWeights(s string) (Weights, error) {
	w := DefaultWeights
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return w, fmt.Errorf("weight %q: want name=value, e.g. momentum=0.2", part)
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return w, fmt.Errorf("weight %q: %q is not a non-negative number", part, v)
		}
		switch strings.TrimSpace(k) {
		case "first_cut":
			w.FirstCut = x
		case "easing":
			w.Easing = x
		case "rate_beta":
			w.RateBeta = x
		case "momentum":
			w.Momentum = x
		default:
			return w, fmt.Errorf("weight %q: unknown input %q (have first_cut, easing, rate_beta, momentum)", part, k)
		}
	}
	if w.sum() <= 0 {
		return w, fmt.Errorf("weights %q: they sum to zero", s)
	}
	return w, nil
}

// Options configure Rank.
type Options struct {
	Weights Weights
	// MaxLags is the Newey-West lag of the regressions; negative: stats.NeweyWestLags(n).
	MaxLags int
}

// Beta is a regression slope with its HAC t.
type Beta struct {
	Beta float64     `json:"beta"` // decimal excess return per percentage point
	T    float64     `json:"t"`
	N    int         `json:"n"` // months
	From series.Date `json:"from"`
	To   series.Date `json:"to"`
	Lags int         `json:"hac_lags"`
}

// Row is one ranked asset. Its JSON form (MarshalJSON) writes NaN as null.
type Row struct {
	Asset     Asset
	FirstCut  study.Summary
	FirstCut6 study.Summary
	// Easing is the easing regime's excess-return statistics (AnnMean, T, N months).
	Easing    study.RegimeStat
	EasingOK  bool
	Rate2Y    Beta
	Policy    Beta
	Mom6      float64
	Mom12     float64
	MomAsOf   series.Date
	Z         [4]float64 // first_cut, easing, -rate_beta, momentum
	Score     float64
	Rank      int
	Call      string // overweight, neutral, underweight
	Reason    string
	Missing   []string // inputs counted as z = 0
	EventsOut []string
}

// Ranking is the result of Rank.
type Ranking struct {
	Universe string        `json:"universe"`
	Market   string        `json:"market"`
	Weights  Weights       `json:"weights"` // normalised
	Rows     []Row         `json:"rows"`    // best first
	Events   []series.Date `json:"first_cuts"`
	Notes    []string      `json:"notes"`
}

// Input names in the order of Row.Z.
var InputNames = [4]string{"first_cut", "easing", "rate_beta", "momentum"}

var windows = study.MustWindows("0:12m,0:6m")

// Rank measures every asset and ranks them by the weighted score.
func Rank(in Inputs, opt Options) (*Ranking, error) {
	if in.Market == nil || in.History == nil {
		panic("sector: Rank: nil market or history")
	}
	w := opt.Weights
	if w == (Weights{}) {
		w = DefaultWeights
	}
	if w.sum() <= 0 {
		return nil, fmt.Errorf("weights sum to zero")
	}
	w = w.Normalized()
	dates, inferred, err := in.History.Dates(cycle.FirstCut, false)
	if err != nil {
		return nil, err
	}
	events := make([]study.Event, len(dates))
	for i, d := range dates {
		events[i] = study.Event{Date: d, Inferred: inferred[i], Label: "first-cut"}
	}
	r := &Ranking{Universe: in.Universe, Market: in.MarketName, Weights: w, Events: dates}
	dy := monthlyChange(in.Yield2Y)
	dp := monthlyChange(in.Policy)
	mkt := monthlyReturns(in.Market)
	for _, a := range in.Assets {
		row, err := measure(a, in, events, mkt, dy, dp, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.ID, err)
		}
		r.Rows = append(r.Rows, row)
	}
	score(r.Rows, w)
	r.Notes = notes(r, in)
	return r, nil
}

func measure(a Asset, in Inputs, events []study.Event, mkt, dy, dp *series.Series, opt Options) (Row, error) {
	row := Row{Asset: a, Mom6: math.NaN(), Mom12: math.NaN()}
	al, err := study.Align(a.S, in.Market)
	if err != nil {
		return row, err
	}
	res, err := study.RunAligned(al, study.EventStudy{Events: events, Windows: windows, Method: study.Excess, Seed: 1})
	if err != nil {
		return row, err
	}
	row.FirstCut, row.FirstCut6 = res.Sums[0], res.Sums[1]
	for i, ev := range res.Events {
		if c := res.Cells[i][0]; !c.OK && ev.Date >= al.Grid.Dates[0] {
			row.EventsOut = append(row.EventsOut, ev.Date.String()+": "+c.Reason)
		}
	}
	// Momentum to the last common date.
	n := len(al.Grid.Dates)
	end := al.Grid.Dates[n-1]
	row.MomAsOf = end
	row.Mom6 = relReturn(al, end.AddMonths(-6), n-1)
	row.Mom12 = relReturn(al, end.AddMonths(-12), n-1)

	ex := excess(monthlyReturns(a.S), mkt)
	if ex.Len() > 0 {
		rr, err := study.RegimeSeries(ex, study.FedRegimes{H: in.History}, study.RegimeOptions{MaxLags: opt.MaxLags, Order: []string{"easing", "hold", "tightening"}})
		if err == nil {
			row.Easing, row.EasingOK = rr.Stat(string(cycle.RegimeEasing))
		}
	}
	row.Rate2Y = regress(ex, dy, opt.MaxLags)
	row.Policy = regress(ex, dp, opt.MaxLags)
	return row, nil
}

// relReturn is the asset's buy-and-hold return minus the market's from the last date on
// or before from to index j; NaN when from is before the data.
func relReturn(al *study.Aligned, from series.Date, j int) float64 {
	i := sort.Search(len(al.Grid.Dates), func(k int) bool { return al.Grid.Dates[k] > from }) - 1
	if i < 0 || i >= j {
		return math.NaN()
	}
	return (al.A[j]/al.A[i] - 1) - (al.B[j]/al.B[i] - 1)
}

// monthlyReturns turns a series into month-end-dated monthly returns: monthly returns
// as they are; prices resampled to the last close of each month, dropping a last month
// that is not complete (its last close more than four days before the month end).
func monthlyReturns(s *series.Series) *series.Series {
	if s.Kind == series.KindReturn {
		if s.Freq == series.Monthly || series.InferFrequency(s.Dates) == series.Monthly {
			out := s.Clone()
			for i, d := range out.Dates {
				out.Dates[i] = d.MonthEnd()
			}
			return out
		}
		return s.Resample(series.Monthly, series.CompoundReturns)
	}
	return monthlyLevels(s).Returns()
}

func monthlyLevels(s *series.Series) *series.Series {
	c := s.DropNaN()
	m := c.Resample(series.Monthly, series.Last)
	if c.Len() > 0 && int(c.Last().MonthEnd()-c.Last()) > 4 && m.Len() > 0 {
		m = m.Slice(series.NoDate, m.Dates[m.Len()-1].AddDays(-1))
	}
	return m
}

// monthlyChange is the change of a rate's month-end (or monthly) level, dated at month
// ends, in percentage points.
func monthlyChange(s *series.Series) *series.Series {
	if s == nil {
		return nil
	}
	var lv *series.Series
	if s.Freq == series.Monthly || series.InferFrequency(s.Dates) == series.Monthly {
		lv = s.DropNaN().Clone()
		for i, d := range lv.Dates {
			lv.Dates[i] = d.MonthEnd()
		}
	} else {
		lv = monthlyLevels(s)
	}
	out := lv.Clone()
	out.Kind = series.KindLevel
	out.Values = make([]float64, lv.Len())
	out.Values[0] = math.NaN()
	for i := 1; i < lv.Len(); i++ {
		out.Values[i] = lv.Values[i] - lv.Values[i-1]
		if lv.Dates[i].AddMonths(-1).MonthEnd() != lv.Dates[i-1] {
			out.Values[i] = math.NaN() // a gap: not a one-month change
		}
	}
	return out
}

// excess is a - b on their common month-end dates, as a monthly return series.
func excess(a, b *series.Series) *series.Series {
	f := series.Align(series.Inner, a, b)
	out := &series.Series{Name: a.Name + " - " + b.Name, Kind: series.KindReturn, Freq: series.Monthly}
	for i, d := range f.Dates {
		x, y := f.Cols[0][i], f.Cols[1][i]
		if math.IsNaN(x) || math.IsNaN(y) {
			// keep only the run after the last gap: HAC lags need a contiguous sample
			out.Dates, out.Values = out.Dates[:0], out.Values[:0]
			continue
		}
		out.Dates = append(out.Dates, d)
		out.Values = append(out.Values, x-y)
	}
	return out
}

// regress fits y = a + b·x + u with Newey-West errors on the common months.
func regress(y, x *series.Series, maxLags int) Beta {
	b := Beta{Beta: math.NaN(), T: math.NaN(), From: series.NoDate, To: series.NoDate}
	if x == nil || y.Len() == 0 {
		return b
	}
	f := series.Align(series.Inner, y, x).DropNaN()
	n := len(f.Dates)
	if n < 24 {
		b.N = n
		return b
	}
	fit, err := stats.OLS(f.Cols[0], stats.Design(true, f.Cols[1]))
	if err != nil {
		return b
	}
	lags := maxLags
	if lags < 0 {
		lags = stats.NeweyWestLags(n)
	}
	inf := fit.HAC(lags, false)
	b.Beta, b.T, b.N, b.From, b.To, b.Lags = inf.Params[1], inf.T[1], n, f.Dates[0], f.Dates[n-1], lags
	return b
}

// score z-scores the inputs across rows, weighs them, ranks and makes the calls.
func score(rows []Row, w Weights) {
	raw := func(r *Row, k int) float64 {
		switch k {
		case 0:
			if r.FirstCut.N == 0 {
				return math.NaN()
			}
			return r.FirstCut.Mean
		case 1:
			if !r.EasingOK {
				return math.NaN()
			}
			return r.Easing.AnnMean
		case 2:
			return -r.Rate2Y.Beta
		}
		return (r.Mom6 + r.Mom12) / 2
	}
	ws := [4]float64{w.FirstCut, w.Easing, w.RateBeta, w.Momentum}
	for k := 0; k < 4; k++ {
		var xs []float64
		for i := range rows {
			if v := raw(&rows[i], k); !math.IsNaN(v) {
				xs = append(xs, v)
			}
		}
		mu, sd := stats.Mean(xs), math.NaN()
		if len(xs) >= 2 {
			sd = stats.SD(xs)
		}
		for i := range rows {
			v := raw(&rows[i], k)
			z := 0.0
			if math.IsNaN(v) {
				rows[i].Missing = append(rows[i].Missing, InputNames[k])
			} else if sd > 0 {
				z = (v - mu) / sd
			}
			rows[i].Z[k] = z
		}
	}
	for i := range rows {
		s := 0.0
		for k := range ws {
			s += ws[k] * rows[i].Z[k]
		}
		rows[i].Score = s
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Score != rows[j].Score {
			return rows[i].Score > rows[j].Score
		}
		return rows[i].Asset.Name < rows[j].Asset.Name
	})
	third := int(math.Round(float64(len(rows)) / 3))
	for i := range rows {
		rows[i].Rank = i + 1
		switch {
		case i < third:
			rows[i].Call = "overweight"
		case i >= len(rows)-third:
			rows[i].Call = "underweight"
		default:
			rows[i].Call = "neutral"
		}
		rows[i].Reason = reason(&rows[i])
	}
}

func signedPct(x float64, prec int) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(100*x, 'f', prec, 64) + "%"
}

func plusPct(x float64, prec int) string {
	s := signedPct(x, prec)
	if !math.IsNaN(x) && x >= 0 {
		s = "+" + s
	}
	return s
}

// reason is the one-line account of a row's inputs.
func reason(r *Row) string {
	var parts []string
	fc := r.FirstCut
	switch {
	case fc.N == 0:
		parts = append(parts, "no complete 12m window after a first cut")
	default:
		s := fmt.Sprintf("%s vs market 12m after first cuts (n=%d", plusPct(fc.Mean, 1), fc.N)
		if fc.TooFew {
			s += ", too few to conclude"
		}
		parts = append(parts, s+")")
	}
	if r.EasingOK {
		parts = append(parts, fmt.Sprintf("easing months %s/yr (t %.1f)", plusPct(r.Easing.AnnMean, 1), r.Easing.T))
	} else {
		parts = append(parts, "easing months n/a")
	}
	if !math.IsNaN(r.Rate2Y.Beta) {
		parts = append(parts, fmt.Sprintf("beta to 2y yield %s per pp (t %.1f)", plusPct(r.Rate2Y.Beta, 1), r.Rate2Y.T))
	} else {
		parts = append(parts, "beta to 2y yield n/a")
	}
	parts = append(parts, fmt.Sprintf("momentum 12m %s, 6m %s", plusPct(r.Mom12, 1), plusPct(r.Mom6, 1)))
	return strings.Join(parts, ", ")
}

func notes(r *Ranking, in Inputs) []string {
	n := len(r.Rows)
	third := int(math.Round(float64(n) / 3))
	out := []string{
		fmt.Sprintf("Score = Σ w·z over %d assets, weights %s (normalised to sum 1); z-scores across the universe, sample SD; rate_beta enters as -beta (a negative beta to 2y-yield changes = benefits from falling rates); momentum = mean of the 6m and 12m excess returns.", n, r.Weights),
		fmt.Sprintf("Calls: rank 1..%d overweight (top third), last %d underweight (bottom third), the rest neutral. A missing input counts as z = 0.", third, third),
		fmt.Sprintf("Excess = asset minus %s. First cuts: %d easing cycles' first moves (%s .. %s; before 1982 inferred from monthly FEDFUNDS); 12m window = on monthly data the event month and the next 11, on daily prices close before the announcement to 12 calendar months later. Fewer than %d events is too few to conclude.",
			in.MarketName, len(r.Events), first(r.Events), last(r.Events), study.MinEvents),
		"Easing = mean monthly excess return in months the Fed was easing (cycle regime: the cycle's latest move under 6 months old), ×12, Newey-West t from one regime-dummy regression. Betas: monthly excess return on the monthly change of DGS2 (month-end, since 1976) and of FEDFUNDS (monthly average), Newey-West t, lag floor(4(n/100)^(2/9)).",
	}
	return out
}

func first(d []series.Date) string {
	if len(d) == 0 {
		return "-"
	}
	return d[0].String()
}

func last(d []series.Date) string {
	if len(d) == 0 {
		return "-"
	}
	return d[len(d)-1].String()
}

// MarketFromFactors builds the Fama/French market return Mkt = (Mkt-RF) + RF.
func MarketFromFactors(mktRF, rf *series.Series) *series.Series {
	f := series.Align(series.Inner, mktRF, rf)
	out := &series.Series{Name: "Mkt", Kind: series.KindReturn, Freq: series.Monthly, Prov: mktRF.Prov}
	out.Prov.SourceID = "F-F_Research_Data_Factors/Mkt-RF + RF"
	out.Prov.Note = "market return = Mkt-RF + RF"
	for i, d := range f.Dates {
		out.Dates = append(out.Dates, d)
		out.Values = append(out.Values, f.Cols[0][i]+f.Cols[1][i])
	}
	return out
}

// num marshals NaN and infinities as JSON null.
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

type eventJSON struct {
	N       int    `json:"n"`
	Mean    num    `json:"mean"`
	Median  num    `json:"median"`
	SD      num    `json:"sd"`
	HitRate num    `json:"hit_rate"`
	T       num    `json:"t"`
	TooFew  bool   `json:"too_few"`
	Verdict string `json:"verdict"`
}

func eventOf(s study.Summary) eventJSON {
	return eventJSON{s.N, num(s.Mean), num(s.Median), num(s.SD), num(s.HitRate), num(s.T), s.TooFew, s.Verdict}
}

type betaJSON struct {
	Beta num    `json:"beta"`
	T    num    `json:"t"`
	N    int    `json:"n"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	Lags int    `json:"hac_lags"`
}

func betaOf(b Beta) betaJSON {
	j := betaJSON{Beta: num(b.Beta), T: num(b.T), N: b.N, Lags: b.Lags}
	if b.N > 0 && b.From != series.NoDate {
		j.From, j.To = b.From.String(), b.To.String()
	}
	return j
}

// MarshalJSON writes the row with NaN as null; returns and betas are decimals (a beta
// is the excess return per percentage point of yield change).
func (r Row) MarshalJSON() ([]byte, error) {
	z := map[string]num{}
	for k, n := range InputNames {
		z[n] = num(r.Z[k])
	}
	easing := map[string]any{"n": 0, "ann_mean": nil, "t": nil}
	if r.EasingOK {
		easing = map[string]any{"n": r.Easing.N, "ann_mean": num(r.Easing.AnnMean), "t": num(r.Easing.T)}
	}
	return json.Marshal(struct {
		Rank      int            `json:"rank"`
		ID        string         `json:"id"`
		Name      string         `json:"name"`
		Title     string         `json:"title"`
		Call      string         `json:"call"`
		Score     num            `json:"score"`
		Z         map[string]num `json:"z"`
		FirstCut  eventJSON      `json:"first_cut_12m"`
		FirstCut6 eventJSON      `json:"first_cut_6m"`
		Easing    map[string]any `json:"easing"`
		Beta2Y    betaJSON       `json:"beta_2y"`
		BetaFF    betaJSON       `json:"beta_fed_funds"`
		Mom6      num            `json:"momentum_6m"`
		Mom12     num            `json:"momentum_12m"`
		MomAsOf   string         `json:"momentum_as_of"`
		Reason    string         `json:"reason"`
		Missing   []string       `json:"missing_inputs,omitempty"`
		EventsOut []string       `json:"events_left_out,omitempty"`
	}{r.Rank, r.Asset.ID, r.Asset.Name, r.Asset.Title, r.Call, num(r.Score), z, eventOf(r.FirstCut), eventOf(r.FirstCut6),
		easing, betaOf(r.Rate2Y), betaOf(r.Policy), num(r.Mom6), num(r.Mom12), r.MomAsOf.String(), r.Reason, r.Missing, r.EventsOut})
}
