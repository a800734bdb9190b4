package thesis

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/study"
)

func init() {
	Register("period_return", "return of a series (or one against another, \"A vs B\") over a month or a date range", decodePeriod("period_return"))
	Register("relative_return", "return of one series minus another's (\"A vs B\") over a month or a date range", decodePeriod("relative_return"))
	Register("drawdown", "deepest peak-to-trough fall of a series inside a month or a date range (negative)", decodePeriod("drawdown"))
	Register("event_return", "mean return (or excess, \"A vs B\") over a window after Fed events or given dates", decodeEvent)
	Register("regime_mean", "mean period return in one regime (fed, recession, early:N) with its HAC t", decodeRegime(false))
	Register("regime_difference", "difference of mean period returns between two regimes with its HAC t", decodeRegime(true))
	Register("record", "a period's return and rank: best (or worst) day, week or month since when", decodeRecord)
}

// ---- periods -------------------------------------------------------------------------

type periodYAML struct {
	Series Proxies `yaml:"series"`
	Period string  `yaml:"period"`
	From   string  `yaml:"from"`
	To     string  `yaml:"to"`
	Search *int    `yaml:"search"`
}

// periodSpec is a month or a date range, with the step of the nearest-period search.
type periodSpec struct {
	From, To series.Date
	Month    bool // a calendar month: the search moves by months, else by the range's length
	Search   int  // ± steps searched
}

func (p periodSpec) shift(k int) (series.Date, series.Date) {
	if p.Month {
		f := p.From.AddMonths(k).MonthStart()
		return f, f.MonthEnd()
	}
	step := int(p.To-p.From) + 1
	if step <= 7 {
		step = 7
	}
	return p.From.AddDays(k * step), p.To.AddDays(k * step)
}

func (p periodSpec) label(from, to series.Date) string {
	if p.Month {
		return from.String()[:7]
	}
	return from.String() + ".." + to.String()
}

func (p periodSpec) offset(k int) string {
	unit := "month"
	if !p.Month {
		unit = "period"
		if int(p.To-p.From)+1 <= 7 {
			unit = "week"
		}
	}
	if k != 1 && k != -1 {
		unit += "s"
	}
	return fmt.Sprintf("%+d %s", k, unit)
}

func parsePeriod(n *yaml.Node, path string, y periodYAML) (periodSpec, error) {
	ps := periodSpec{Search: 6}
	if y.Search != nil {
		if *y.Search < 0 || *y.Search > 60 {
			return ps, Errorf(n, "%s: search must be between 0 and 60 steps", path)
		}
		ps.Search = *y.Search
	}
	switch {
	case y.Period != "" && (y.From != "" || y.To != ""):
		return ps, Errorf(n, "%s: give period or from/to, not both", path)
	case y.Period != "":
		d, err := series.ParseDate(y.Period + "-01")
		if err != nil {
			return ps, Errorf(n, "%s: period %q: want a month YYYY-MM", path, y.Period)
		}
		ps.From, ps.To, ps.Month = d, d.MonthEnd(), true
	case y.From != "" && y.To != "":
		var err error
		if ps.From, err = series.ParseDate(y.From); err != nil {
			return ps, Errorf(n, "%s: from: %v", path, err)
		}
		if ps.To, err = series.ParseDate(y.To); err != nil {
			return ps, Errorf(n, "%s: to: %v", path, err)
		}
		if ps.To < ps.From {
			return ps, Errorf(n, "%s: to is before from", path)
		}
		ps.Month = ps.From == ps.From.MonthStart() && ps.To == ps.From.MonthEnd()
	default:
		return ps, Errorf(n, "%s: missing period (YYYY-MM) or from and to", path)
	}
	return ps, nil
}

type periodCheck struct {
	kind    string
	proxies Proxies
	p       periodSpec
}

func decodePeriod(kind string) Decoder {
	return func(n *yaml.Node, path string) (Check, error) {
		var y periodYAML
		if err := Decode(n, path, &y); err != nil {
			return nil, err
		}
		if len(y.Series) == 0 {
			return nil, Errorf(n, "%s: missing series", path)
		}
		for _, p := range y.Series {
			if kind == "relative_return" && p.Vs == "" {
				return nil, Errorf(n, "%s: relative_return needs \"A vs B\" series, got %q", path, p)
			}
			if kind == "drawdown" && p.Vs != "" {
				return nil, Errorf(n, "%s: drawdown takes one series per proxy, got %q", path, p)
			}
		}
		ps, err := parsePeriod(n, path, y)
		if err != nil {
			return nil, err
		}
		return &periodCheck{kind: kind, proxies: y.Series, p: ps}, nil
	}
}

// Describe implements Check.
func (c *periodCheck) Describe() string {
	what := map[string]string{"period_return": "return", "relative_return": "relative return", "drawdown": "drawdown (peak to trough)"}[c.kind]
	return fmt.Sprintf("%s of %s over %s", what, proxyList(c.proxies), c.p.label(c.p.From, c.p.To))
}

func proxyList(ps Proxies) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return strings.Join(s, ", ")
}

func (c *periodCheck) measure(d Data, p Proxy, from, to series.Date) (Measurement, error) {
	m := Measurement{Proxy: p.String(), N: 1, Sources: []string{p.ID}, Value: math.NaN(), P: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	a, err := d.Series(p.ID)
	if err != nil {
		return m, err
	}
	switch {
	case c.kind == "drawdown":
		dd, err := study.DrawdownIn(a, from, to)
		if err != nil {
			return m, err
		}
		m.Value, m.From, m.To = dd.Depth, dd.Start, dd.End
		m.Detail = fmt.Sprintf("peak %s to trough %s: %s; return over the period %s", dd.Peak, dd.Trough, pct(dd.Depth), pct(dd.Return))
	case p.Vs != "":
		b, err := d.Series(p.Vs)
		if err != nil {
			return m, err
		}
		rel, err := study.RelativeReturn(a, b, from, to)
		if err != nil {
			return m, err
		}
		m.Sources = append(m.Sources, p.Vs)
		m.Value, m.From, m.To = rel.Diff, rel.A.Start, rel.A.End
		m.Detail = fmt.Sprintf("%s %s minus %s %s, closes %s..%s", p.ID, pct(rel.A.Return), p.Vs, pct(rel.B.Return), rel.A.Start, rel.A.End)
	default:
		sp, err := study.PeriodReturn(a, from, to)
		if err != nil {
			return m, err
		}
		m.Value, m.From, m.To = sp.Return, sp.Start, sp.End
		m.Detail = fmt.Sprintf("close %s to close %s", sp.Start, sp.End)
	}
	return m, nil
}

// Measure implements Check.
func (c *periodCheck) Measure(d Data) ([]Measurement, error) {
	var out []Measurement
	for _, p := range c.proxies {
		m, err := c.measure(d, p, c.p.From, c.p.To)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Search implements Searcher: the nearest month (or period of the same length) within
// ±Search steps where the proxy's value meets the claim; earlier first on ties.
func (c *periodCheck) Search(d Data, i int, ok func(float64) bool) (*Alternative, error) {
	for k := 1; k <= c.p.Search; k++ {
		for _, s := range []int{-k, k} {
			from, to := c.p.shift(s)
			m, err := c.measure(d, c.proxies[i], from, to)
			if err != nil {
				if errors.Is(err, study.ErrNotCovered) {
					continue
				}
				return nil, err
			}
			if ok(m.Value) {
				return &Alternative{Label: c.p.label(from, to), Offset: c.p.offset(s), Value: m.Value, From: from, To: to}, nil
			}
		}
	}
	return nil, nil
}

// ---- events --------------------------------------------------------------------------

type eventYAML struct {
	Series    Proxies  `yaml:"series"`
	Events    string   `yaml:"events"`
	Dates     []string `yaml:"dates"`
	Window    string   `yaml:"window"`
	Method    string   `yaml:"method"`
	Inferred  *bool    `yaml:"include_inferred"`
	Search    *int     `yaml:"search"`
	Resamples *int     `yaml:"bootstrap"`
}

type eventCheck struct {
	proxies   Proxies
	kind      string
	dates     []series.Date
	window    study.Window
	method    study.Method
	inferred  bool
	search    int
	resamples int
}

func decodeEvent(n *yaml.Node, path string) (Check, error) {
	var y eventYAML
	if err := Decode(n, path, &y); err != nil {
		return nil, err
	}
	c := &eventCheck{proxies: y.Series, kind: y.Events, method: study.Method(y.Method), inferred: true, search: 8, resamples: 10000}
	if len(c.proxies) == 0 {
		return nil, Errorf(n, "%s: missing series", path)
	}
	if y.Inferred != nil {
		c.inferred = *y.Inferred
	}
	if y.Search != nil {
		c.search = *y.Search
	}
	if y.Resamples != nil {
		c.resamples = *y.Resamples
	}
	switch c.method {
	case "":
		c.method = study.Excess
	case study.Excess, study.MarketModel:
	default:
		return nil, Errorf(n, "%s: method %q: want excess or market-model", path, y.Method)
	}
	if (c.kind == "") == (len(y.Dates) == 0) {
		return nil, Errorf(n, "%s: give events (first-cut, all-cuts, ...) or dates, one of them", path)
	}
	if c.kind != "" {
		ok := false
		for _, k := range cycle.EventKinds {
			ok = ok || string(k) == c.kind
		}
		if !ok {
			return nil, Errorf(n, "%s: events %q: want first-cut, all-cuts, first-hike, all-hikes or all-moves", path, c.kind)
		}
	}
	for _, s := range y.Dates {
		dt, err := series.ParseDate(s)
		if err != nil {
			return nil, Errorf(n, "%s: dates: %v", path, err)
		}
		c.dates = append(c.dates, dt)
	}
	if y.Window == "" {
		return nil, Errorf(n, "%s: missing window (e.g. 0:12m)", path)
	}
	w, err := study.ParseWindow(y.Window)
	if err != nil {
		return nil, Errorf(n, "%s: %v", path, err)
	}
	c.window = w
	for _, p := range c.proxies {
		if c.method == study.MarketModel && p.Vs == "" {
			return nil, Errorf(n, "%s: the market model needs \"A vs MARKET\" series, got %q", path, p)
		}
	}
	return c, nil
}

// Describe implements Check.
func (c *eventCheck) Describe() string {
	ev := c.kind + " events"
	if c.kind == "" {
		var ds []string
		for _, d := range c.dates {
			ds = append(ds, d.String())
		}
		ev = strings.Join(ds, ", ")
	}
	what := "return"
	if c.method == study.MarketModel {
		what = "CAR (market model)"
	}
	return fmt.Sprintf("%s of %s over window %s after %s", what, proxyList(c.proxies), c.window, ev)
}

func (c *eventCheck) events(d Data, dates []series.Date) ([]study.Event, error) {
	if len(dates) > 0 {
		out := make([]study.Event, len(dates))
		for i, dt := range dates {
			out[i] = study.Event{Date: dt}
		}
		return out, nil
	}
	h, err := d.History()
	if err != nil {
		return nil, err
	}
	ds, inf, err := h.Dates(cycle.EventKind(c.kind), false)
	if err != nil {
		return nil, err
	}
	var out []study.Event
	for i, dt := range ds {
		if inf[i] && !c.inferred {
			continue
		}
		out = append(out, study.Event{Date: dt, Inferred: inf[i]})
	}
	return out, nil
}

func (c *eventCheck) measure(d Data, p Proxy, dates []series.Date) (Measurement, error) {
	m := Measurement{Proxy: p.String(), Sources: []string{p.ID}, Value: math.NaN(), P: math.NaN(), Lo: math.NaN(), Hi: math.NaN(),
		From: series.NoDate, To: series.NoDate}
	a, err := d.Series(p.ID)
	if err != nil {
		return m, err
	}
	var b *series.Series
	if p.Vs != "" {
		if b, err = d.Series(p.Vs); err != nil {
			return m, err
		}
		m.Sources = append(m.Sources, p.Vs)
	}
	evs, err := c.events(d, dates)
	if err != nil {
		return m, err
	}
	res, err := study.Run(study.EventStudy{Asset: a, Bench: b, Events: evs, Windows: []study.Window{c.window}, Method: c.method,
		Resamples: c.resamples, Seed: 1})
	if err != nil {
		return m, err
	}
	s := res.Sums[0]
	m.N, m.Value, m.Level = s.N, s.Mean, s.Level
	var used []string
	for i := range res.Cells {
		cell := res.Cells[i][0]
		if !cell.OK {
			continue
		}
		if m.From == series.NoDate {
			m.From = cell.Start
		}
		m.To = cell.End
		used = append(used, fmt.Sprintf("%s %s", evs[i].Date, pct(cell.Value)))
	}
	if s.N == 0 {
		return m, fmt.Errorf("%s: no event with data for window %s (data %s..%s): %w", p, c.window, res.From, res.To, study.ErrNotCovered)
	}
	if s.N >= 2 {
		m.Inference, m.P, m.Lo, m.Hi, m.TooFew = true, s.P, s.Lo, s.Hi, s.TooFew
		m.Detail = fmt.Sprintf("mean over %d events (%s data %s..%s), t=%.2f; %.0f%% bootstrap interval [%s, %s]",
			s.N, freqName(res), res.From, res.To, s.T, 100*s.Level, pct(s.Lo), pct(s.Hi))
		if s.Overlap {
			m.Detail += "; windows overlap, so events are not independent"
		}
	} else {
		m.Detail = "one event: " + strings.Join(used, ", ")
	}
	return m, nil
}

func freqName(r *study.EventResult) string {
	if r.Grid.Monthly {
		return "monthly"
	}
	return "daily"
}

// Measure implements Check.
func (c *eventCheck) Measure(d Data) ([]Measurement, error) {
	var out []Measurement
	for _, p := range c.proxies {
		m, err := c.measure(d, p, c.dates)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Search implements Searcher for one custom date: the same window started 1, 2, ...
// weeks earlier or later (up to search weeks) where the claimed move happened.
func (c *eventCheck) Search(d Data, i int, ok func(float64) bool) (*Alternative, error) {
	if len(c.dates) != 1 {
		return nil, nil
	}
	for k := 1; k <= c.search; k++ {
		for _, s := range []int{-k, k} {
			dt := c.dates[0].AddDays(7 * s)
			m, err := c.measure(d, c.proxies[i], []series.Date{dt})
			if err != nil {
				if errors.Is(err, study.ErrNotCovered) {
					continue
				}
				return nil, err
			}
			if ok(m.Value) {
				unit := "weeks"
				if s == 1 || s == -1 {
					unit = "week"
				}
				return &Alternative{Label: fmt.Sprintf("window %s from %s", c.window, dt), Offset: fmt.Sprintf("%+d %s", s, unit),
					Value: m.Value, From: m.From, To: m.To}, nil
			}
		}
	}
	return nil, nil
}

// ---- regimes -------------------------------------------------------------------------

type regimeYAML struct {
	Series  Proxies `yaml:"series"`
	Regimes string  `yaml:"regimes"`
	Regime  string  `yaml:"regime"`
	A       string  `yaml:"a"`
	B       string  `yaml:"b"`
	Freq    string  `yaml:"freq"`
	From    string  `yaml:"from"`
	To      string  `yaml:"to"`
	HACLags *int    `yaml:"hac_lags"`
}

type regimeCheck struct {
	diff     bool
	proxies  Proxies
	by       string
	regime   string
	a, b     string
	freq     series.Frequency
	from, to series.Date
	lags     int
}

func decodeRegime(diff bool) Decoder {
	return func(n *yaml.Node, path string) (Check, error) {
		var y regimeYAML
		if err := Decode(n, path, &y); err != nil {
			return nil, err
		}
		c := &regimeCheck{diff: diff, proxies: y.Series, by: y.Regimes, regime: y.Regime, a: y.A, b: y.B,
			from: series.NoDate, to: series.NoDate, lags: -1}
		if len(c.proxies) == 0 {
			return nil, Errorf(n, "%s: missing series", path)
		}
		if c.by == "" {
			c.by = "fed"
		}
		if c.by != "fed" && c.by != "recession" && !strings.HasPrefix(c.by, "early:") {
			return nil, Errorf(n, "%s: regimes %q: want fed, recession or early:N", path, c.by)
		}
		if strings.HasPrefix(c.by, "early:") {
			if k, err := strconv.Atoi(strings.TrimPrefix(c.by, "early:")); err != nil || k < 1 {
				return nil, Errorf(n, "%s: regimes %q: want early:N with N >= 1 months", path, c.by)
			}
		}
		if diff {
			if c.a == "" || c.b == "" || c.regime != "" {
				return nil, Errorf(n, "%s: regime_difference needs a and b (the regimes compared, mean(a) - mean(b))", path)
			}
		} else if c.regime == "" || c.a != "" || c.b != "" {
			return nil, Errorf(n, "%s: regime_mean needs regime (e.g. easing)", path)
		}
		if y.Freq != "" {
			f, err := series.ParseFrequency(y.Freq)
			if err != nil {
				return nil, Errorf(n, "%s: freq: %v", path, err)
			}
			c.freq = f
		}
		for _, s := range []struct {
			v   string
			dst *series.Date
		}{{y.From, &c.from}, {y.To, &c.to}} {
			if s.v == "" {
				continue
			}
			dt, err := series.ParseDate(s.v)
			if err != nil {
				return nil, Errorf(n, "%s: %v", path, err)
			}
			*s.dst = dt
		}
		if y.HACLags != nil {
			if *y.HACLags < 0 {
				return nil, Errorf(n, "%s: hac_lags must be >= 0", path)
			}
			c.lags = *y.HACLags
		}
		return c, nil
	}
}

// Describe implements Check.
func (c *regimeCheck) Describe() string {
	if c.diff {
		return fmt.Sprintf("mean return of %s in %s minus %s regimes (%s; one dummy regression, HAC)", proxyList(c.proxies), c.a, c.b, c.by)
	}
	return fmt.Sprintf("mean return of %s in the %s regime (%s; one dummy regression, HAC)", proxyList(c.proxies), c.regime, c.by)
}

func (c *regimeCheck) labeller(d Data) (study.Labeller, []string, error) {
	switch {
	case c.by == "recession":
		s, err := d.Series("fred/USREC")
		if err != nil {
			return nil, nil, err
		}
		return study.Recession{USREC: s}, []string{"fred/USREC"}, nil
	default:
		h, err := d.History()
		if err != nil {
			return nil, nil, err
		}
		if strings.HasPrefix(c.by, "early:") {
			k, _ := strconv.Atoi(strings.TrimPrefix(c.by, "early:"))
			return study.EarlyEasing{H: h, Months: k}, []string{"fred/DFEDTAR", "fred/DFEDTARU", "fred/FEDFUNDS"}, nil
		}
		return study.FedRegimes{H: h}, []string{"fred/DFEDTAR", "fred/DFEDTARU", "fred/FEDFUNDS"}, nil
	}
}

// Measure implements Check.
func (c *regimeCheck) Measure(d Data) ([]Measurement, error) {
	lab, src, err := c.labeller(d)
	if err != nil {
		return nil, err
	}
	var out []Measurement
	for _, p := range c.proxies {
		m := Measurement{Proxy: p.String(), Sources: append([]string{p.ID}, src...), Value: math.NaN(), Inference: true,
			Lo: math.NaN(), Hi: math.NaN(), Level: 0.95}
		a, err := d.Series(p.ID)
		if err != nil {
			return nil, err
		}
		var b *series.Series
		if p.Vs != "" {
			if b, err = d.Series(p.Vs); err != nil {
				return nil, err
			}
			m.Sources = append(m.Sources, p.Vs)
		}
		r, err := study.SampleReturns(a, b, c.freq, c.from, c.to)
		if err != nil {
			return nil, err
		}
		res, err := study.RegimeSeries(r, lab, study.RegimeOptions{MaxLags: c.lags})
		if err != nil {
			return nil, err
		}
		m.From, m.To = res.From, res.To
		var est, se, p2 float64
		if c.diff {
			df, err := res.Difference(c.a, c.b)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			sa, _ := res.Stat(c.a)
			sb, _ := res.Stat(c.b)
			est, se, p2 = df.Diff, df.SE, df.P
			m.N = sa.N + sb.N
			m.Detail = fmt.Sprintf("%s %s/period (n=%d) minus %s %s/period (n=%d) = %s/period (%s a year), HAC t=%.2f (%d lags), %s..%s",
				c.a, pct(sa.Mean), sa.N, c.b, pct(sb.Mean), sb.N, pct(df.Diff), pct(df.AnnDiff), df.T, res.MaxLags, res.From, res.To)
		} else {
			st, ok := res.Stat(c.regime)
			if !ok {
				return nil, fmt.Errorf("%s: no %q period in %s..%s (regimes: %s)", p, c.regime, res.From, res.To, regimeNames(res))
			}
			est, se, p2, m.N = st.Mean, st.SE, st.P, st.N
			m.Detail = fmt.Sprintf("%s mean %s/period (%s a year) over %d of %d periods, HAC t=%.2f (%d lags), %s..%s",
				c.regime, pct(st.Mean), pct(st.AnnMean), st.N, res.N, st.T, res.MaxLags, res.From, res.To)
		}
		m.Value, m.P = est, p2
		m.Lo, m.Hi = est-1.959963984540054*se, est+1.959963984540054*se
		out = append(out, m)
	}
	return out, nil
}

func regimeNames(r *study.RegimeResult) string {
	var s []string
	for _, st := range r.Stats {
		s = append(s, st.Label)
	}
	return strings.Join(s, ", ")
}

// ---- records -------------------------------------------------------------------------

type recordYAML struct {
	Series Proxies `yaml:"series"`
	Freq   string  `yaml:"freq"`
	At     string  `yaml:"at"`
	From   string  `yaml:"from"`
	To     string  `yaml:"to"`
	Worst  bool    `yaml:"worst"`
	Since  string  `yaml:"since"`
}

type recordCheck struct {
	proxies  Proxies
	freq     series.Frequency
	at       series.Date
	from, to series.Date
	worst    bool
	since    series.Date // NoDate: no "since" criterion
	sinceRaw string
}

func decodeRecord(n *yaml.Node, path string) (Check, error) {
	var y recordYAML
	if err := Decode(n, path, &y); err != nil {
		return nil, err
	}
	c := &recordCheck{proxies: y.Series, freq: series.Weekly, at: series.NoDate, since: series.NoDate, worst: y.Worst, sinceRaw: y.Since}
	if len(c.proxies) == 0 {
		return nil, Errorf(n, "%s: missing series", path)
	}
	for _, p := range c.proxies {
		if p.Vs != "" {
			return nil, Errorf(n, "%s: record takes one series per proxy, got %q", path, p)
		}
	}
	if y.Freq != "" {
		f, err := series.ParseFrequency(y.Freq)
		if err != nil || (f != series.Daily && f != series.Weekly && f != series.Monthly) {
			return nil, Errorf(n, "%s: freq %q: want daily, weekly or monthly", path, y.Freq)
		}
		c.freq = f
	}
	var err error
	switch {
	case y.At != "" && (y.From != "" || y.To != ""):
		return nil, Errorf(n, "%s: give at or from/to, not both", path)
	case y.At != "":
		if c.at, err = series.ParseDate(y.At); err != nil {
			return nil, Errorf(n, "%s: at: %v", path, err)
		}
	case y.From != "" && y.To != "":
		if c.from, err = series.ParseDate(y.From); err != nil {
			return nil, Errorf(n, "%s: from: %v", path, err)
		}
		if c.to, err = series.ParseDate(y.To); err != nil {
			return nil, Errorf(n, "%s: to: %v", path, err)
		}
	default:
		return nil, Errorf(n, "%s: give at (a date in the period) or from and to (the best period inside)", path)
	}
	if y.Since != "" {
		if c.since, err = endOf(y.Since); err != nil {
			return nil, Errorf(n, "%s: since: %v", path, err)
		}
	}
	return c, nil
}

// endOf parses YYYY, YYYY-MM or YYYY-MM-DD as the last day it names.
func endOf(s string) (series.Date, error) {
	switch len(s) {
	case 4:
		y, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("%q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		return series.NewDate(y, 12, 31), nil
	case 7:
		d, err := series.ParseDate(s + "-01")
		if err != nil {
			return 0, fmt.Errorf("%q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		return d.MonthEnd(), nil
	}
	return series.ParseDate(s)
}

// SelfDecided reports that the record check decides its verdict from its since date
// when it has one, so the claim needs no expect.
func (c *recordCheck) SelfDecided() bool { return c.since != series.NoDate }

// Describe implements Check.
func (c *recordCheck) Describe() string {
	word := "best"
	if c.worst {
		word = "worst"
	}
	where := "the period containing " + c.at.String()
	if c.at == series.NoDate {
		where = fmt.Sprintf("the %s %s in %s..%s", word, c.freq, c.from, c.to)
	}
	s := fmt.Sprintf("%s return of %s for %s", c.freq, proxyList(c.proxies), where)
	if c.since != series.NoDate {
		s += fmt.Sprintf("; claim: %s since %s", word, c.sinceRaw)
	}
	return s
}

// Measure implements Check.
func (c *recordCheck) Measure(d Data) ([]Measurement, error) {
	var out []Measurement
	for _, p := range c.proxies {
		s, err := d.Series(p.ID)
		if err != nil {
			return nil, err
		}
		var rec study.Record
		if c.at != series.NoDate {
			rec, err = study.RecordAt(s, c.freq, c.at, c.worst)
		} else {
			rec, err = study.BestIn(s, c.freq, c.from, c.to, c.worst)
		}
		if err != nil {
			return nil, err
		}
		m := Measurement{Proxy: p.String(), Value: rec.Return, N: 1, Sources: []string{p.ID}, P: math.NaN(), Lo: math.NaN(), Hi: math.NaN(),
			From: rec.Period, To: rec.Period, Detail: fmt.Sprintf("%s ending %s: %s, %s (rank %d of %d)", c.freq, rec.Period, pct(rec.Return), rec.Phrase(), rec.Rank, rec.Prior+1)}
		if c.since != series.NoDate {
			if rec.Since == series.NoDate || rec.Since <= c.since {
				m.Verdict, m.Reason = Supported, fmt.Sprintf("%s (%s): no better %s after %s", rec.Phrase(), pct(rec.Return), c.freq, c.sinceRaw)
			} else {
				m.Verdict, m.Reason = Contradicted, fmt.Sprintf("%s (%s): %s ending %s was at least as good (%s)", rec.Phrase(), pct(rec.Return), c.freq, rec.Since, pct(rec.SinceReturn))
			}
		}
		out = append(out, m)
	}
	return out, nil
}
