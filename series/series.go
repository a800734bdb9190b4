package series

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Frequency is the sampling frequency of a series.
type Frequency int

const (
	Irregular Frequency = iota
	Daily               // trading or calendar days, as the source gives them
	Weekly
	Monthly
	Quarterly
	Annual
)

var freqNames = [...]string{"irregular", "daily", "weekly", "monthly", "quarterly", "annual"}

func (f Frequency) String() string {
	if f < 0 || int(f) >= len(freqNames) {
		return fmt.Sprintf("Frequency(%d)", int(f))
	}
	return freqNames[f]
}

// ParseFrequency parses the names String returns.
func ParseFrequency(s string) (Frequency, error) {
	for i, n := range freqNames {
		if n == s {
			return Frequency(i), nil
		}
	}
	return Irregular, fmt.Errorf("unknown frequency %q (want daily, weekly, monthly, quarterly or annual)", s)
}

// PeriodsPerYear is the annualisation scale PerformanceAnalytics uses for f
// (252 daily, 52 weekly, 12 monthly, 4 quarterly, 1 annual); 0 for irregular.
func (f Frequency) PeriodsPerYear() int {
	switch f {
	case Daily:
		return 252
	case Weekly:
		return 52
	case Monthly:
		return 12
	case Quarterly:
		return 4
	case Annual:
		return 1
	}
	return 0
}

// Kind says what the numbers of a series are, so returns are never compounded from
// yields and prices are never averaged as returns.
type Kind string

const (
	KindReturn Kind = "return" // decimal period returns (0.0123 = 1.23%)
	KindPrice  Kind = "price"  // price or index level
	KindRate   Kind = "rate"   // interest rate or yield in percent points
	KindLevel  Kind = "level"  // any other level (CPI, ratio, count, indicator)
)

// Provenance says where a series came from and when each observation became public.
type Provenance struct {
	Provider    string    `json:"provider"`              // fred, french, price, shiller, holdings, sec, user
	SourceID    string    `json:"source_id"`             // provider's id: DFF, F-F_Research_Data_Factors_daily/SMB
	File        string    `json:"file,omitempty"`        // embedded or local file the values were read from
	URL         string    `json:"url,omitempty"`         // where the live data comes from
	RetrievedAt time.Time `json:"retrieved_at,omitzero"` // when the file was fetched (zero if unknown)
	Vintage     string    `json:"vintage,omitempty"`     // store vintage id or snapshot label
	Unit        string    `json:"unit,omitempty"`        // "decimal return", "percent", "USD", ...
	Licence     string    `json:"licence,omitempty"`     // licence or terms note
	Lag         Lag       `json:"publication_lag"`       // publication lag of each observation
	Note        string    `json:"note,omitempty"`        // anything a reader must know (quirks, splices)
}

// Lag is the delay between an observation's date and the day it became public.
//
// An observation dated d is public on Published(d): the end of the period it covers
// (for series dated at the start of their period, such as FRED monthly series) plus
// Days calendar days. A Fed target change is public on its announcement date (Days 0);
// a Ken French monthly return about a month after the month ends.
type Lag struct {
	Days int `json:"days"`
	// PeriodStart is true when dates label the start of the period they cover
	// (FRED monthly 2024-01-01 = January), so the period's end must pass first.
	PeriodStart bool      `json:"period_start,omitempty"`
	Freq        Frequency `json:"-"`
}

// Published returns the first date on which an observation dated d was public.
func (l Lag) Published(d Date) Date {
	end := d
	if l.PeriodStart {
		switch l.Freq {
		case Monthly:
			end = d.MonthEnd()
		case Quarterly:
			end = d.AddMonths(3).AddDays(-1)
		case Annual:
			end = d.AddMonths(12).AddDays(-1)
		case Weekly:
			end = d.AddDays(6)
		}
	}
	return end.AddDays(l.Days)
}

// Series is a dated sequence of float64 values, sorted by strictly increasing date.
// NaN marks a missing value.
type Series struct {
	Name   string     `json:"name"`
	Kind   Kind       `json:"kind"`
	Freq   Frequency  `json:"-"`
	Dates  []Date     `json:"-"`
	Values []float64  `json:"-"`
	Prov   Provenance `json:"provenance"`
}

// New returns a series after checking that dates increase strictly and that there are
// as many values as dates.
func New(name string, kind Kind, freq Frequency, dates []Date, values []float64) (*Series, error) {
	if len(dates) != len(values) {
		return nil, fmt.Errorf("series %s: %d dates but %d values", name, len(dates), len(values))
	}
	for i := 1; i < len(dates); i++ {
		if dates[i] <= dates[i-1] {
			return nil, fmt.Errorf("series %s: date %s does not follow %s", name, dates[i], dates[i-1])
		}
	}
	return &Series{Name: name, Kind: kind, Freq: freq, Dates: dates, Values: values}, nil
}

// Len returns the number of observations, missing ones included.
func (s *Series) Len() int { return len(s.Dates) }

// First and Last return the first and last dates (NoDate when empty).
func (s *Series) First() Date {
	if len(s.Dates) == 0 {
		return NoDate
	}
	return s.Dates[0]
}

func (s *Series) Last() Date {
	if len(s.Dates) == 0 {
		return NoDate
	}
	return s.Dates[len(s.Dates)-1]
}

// Clone returns a deep copy.
func (s *Series) Clone() *Series {
	c := *s
	c.Dates = append([]Date(nil), s.Dates...)
	c.Values = append([]float64(nil), s.Values...)
	return &c
}

// derive returns an empty series carrying s's metadata.
func (s *Series) derive(kind Kind, n int) *Series {
	return &Series{Name: s.Name, Kind: kind, Freq: s.Freq, Prov: s.Prov,
		Dates: make([]Date, 0, n), Values: make([]float64, 0, n)}
}

// Index returns the position of the last observation on or before d, or -1.
func (s *Series) Index(d Date) int {
	return sort.Search(len(s.Dates), func(i int) bool { return s.Dates[i] > d }) - 1
}

// At returns the value dated exactly d and whether there was one.
func (s *Series) At(d Date) (float64, bool) {
	i := s.Index(d)
	if i < 0 || s.Dates[i] != d {
		return math.NaN(), false
	}
	return s.Values[i], true
}

// AsOf returns the last non-missing observation on or before d, with its date.
// ok is false when there is none.
func (s *Series) AsOf(d Date) (v float64, at Date, ok bool) {
	for i := s.Index(d); i >= 0; i-- {
		if !math.IsNaN(s.Values[i]) {
			return s.Values[i], s.Dates[i], true
		}
	}
	return math.NaN(), NoDate, false
}

// AsOfPublished is AsOf restricted to what was public on d: the last non-missing
// observation whose publication date (Prov.Lag) is on or before d.
func (s *Series) AsOfPublished(d Date) (v float64, at Date, ok bool) {
	lag := s.Prov.Lag
	lag.Freq = s.Freq
	for i := s.Index(d); i >= 0; i-- {
		if math.IsNaN(s.Values[i]) || lag.Published(s.Dates[i]) > d {
			continue
		}
		return s.Values[i], s.Dates[i], true
	}
	return math.NaN(), NoDate, false
}

// Slice returns the observations with from <= date <= to. NoDate leaves a side open.
// The result shares no memory with s.
func (s *Series) Slice(from, to Date) *Series {
	lo := 0
	if from != NoDate {
		lo = sort.Search(len(s.Dates), func(i int) bool { return s.Dates[i] >= from })
	}
	hi := len(s.Dates)
	if to != NoDate {
		hi = s.Index(to) + 1
	}
	if hi < lo {
		hi = lo
	}
	out := s.derive(s.Kind, hi-lo)
	out.Dates = append(out.Dates, s.Dates[lo:hi]...)
	out.Values = append(out.Values, s.Values[lo:hi]...)
	return out
}

// DropNaN returns s without its missing observations.
func (s *Series) DropNaN() *Series {
	out := s.derive(s.Kind, len(s.Dates))
	for i, v := range s.Values {
		if !math.IsNaN(v) {
			out.Dates = append(out.Dates, s.Dates[i])
			out.Values = append(out.Values, v)
		}
	}
	return out
}

// Map returns a series whose values are f(value); kind is the kind of the result.
func (s *Series) Map(kind Kind, f func(float64) float64) *Series {
	out := s.derive(kind, len(s.Dates))
	out.Dates = append(out.Dates, s.Dates...)
	for _, v := range s.Values {
		out.Values = append(out.Values, f(v))
	}
	return out
}

// Returns converts prices to simple period returns p[t]/p[t-1]-1. Missing prices are
// skipped over: the return after a gap spans the gap, as a price-only investor earns.
// The first observation has no return and is dropped.
func (s *Series) Returns() *Series {
	out := s.derive(KindReturn, len(s.Dates))
	prev := math.NaN()
	for i, p := range s.Values {
		if math.IsNaN(p) || p <= 0 {
			continue
		}
		if !math.IsNaN(prev) {
			out.Dates = append(out.Dates, s.Dates[i])
			out.Values = append(out.Values, p/prev-1)
		}
		prev = p
	}
	out.Prov.Unit = "decimal return"
	return out
}

// LogReturns converts prices to log returns ln(p[t]/p[t-1]).
func (s *Series) LogReturns() *Series {
	r := s.Returns()
	for i, v := range r.Values {
		r.Values[i] = math.Log1p(v)
	}
	r.Prov.Unit = "log return"
	return r
}

// Cumulate turns returns into a wealth index starting at base before the first return:
// base * prod(1+r). Missing returns count as zero (the index stays flat).
func (s *Series) Cumulate(base float64) *Series {
	out := s.derive(KindLevel, len(s.Dates))
	w := base
	for i, r := range s.Values {
		if !math.IsNaN(r) {
			w *= 1 + r
		}
		out.Dates = append(out.Dates, s.Dates[i])
		out.Values = append(out.Values, w)
	}
	out.Prov.Unit = "wealth index"
	return out
}

// Compound returns prod(1+r)-1 over the non-missing values, and how many there were.
func Compound(returns []float64) (float64, int) {
	g, n := 1.0, 0
	for _, r := range returns {
		if !math.IsNaN(r) {
			g *= 1 + r
			n++
		}
	}
	return g - 1, n
}

// PeriodReturn is the compounded return of a return series over from..to inclusive,
// or of a price series from the last price on or before from to the last on or before to.
func (s *Series) PeriodReturn(from, to Date) (float64, int) {
	if s.Kind == KindPrice {
		a, _, ok1 := s.AsOf(from)
		b, _, ok2 := s.AsOf(to)
		if !ok1 || !ok2 {
			return math.NaN(), 0
		}
		return b/a - 1, s.Index(to) - s.Index(from)
	}
	sl := s.Slice(from, to)
	return Compound(sl.Values)
}

// InferFrequency guesses the frequency from the median spacing of dates: up to 4 days
// is daily (weekends and holidays), up to 10 weekly, up to 45 monthly, up to 120
// quarterly, otherwise annual. Fewer than two dates are Irregular.
func InferFrequency(dates []Date) Frequency {
	if len(dates) < 2 {
		return Irregular
	}
	gaps := make([]int, 0, len(dates)-1)
	for i := 1; i < len(dates); i++ {
		gaps = append(gaps, int(dates[i]-dates[i-1]))
	}
	sort.Ints(gaps)
	g := gaps[len(gaps)/2]
	switch {
	case g <= 4:
		return Daily
	case g <= 10:
		return Weekly
	case g <= 45:
		return Monthly
	case g <= 120:
		return Quarterly
	}
	return Annual
}
