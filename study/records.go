package study

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/ratecycle/ratecycle/series"
)

// ErrNotCovered reports a period the data do not cover (wholly or in part).
var ErrNotCovered = errors.New("period not covered by the data")

// Span is a series measured over a period. A period [From, To] runs from the last close
// strictly before From to the last close on or before To, so the return of a calendar
// month is the month-end-to-month-end return and the first day's move is included.
type Span struct {
	Series string      `json:"series"`
	From   series.Date `json:"from"`  // requested first day
	To     series.Date `json:"to"`    // requested last day
	Start  series.Date `json:"start"` // the close the period starts from
	End    series.Date `json:"end"`   // the close it ends at
	Return float64     `json:"return"`
	N      int         `json:"n"` // periods (returns) inside
}

// Levels returns s as a level on its own dates: prices as they are (missing values
// dropped), returns cumulated into a wealth index that is 1 at the close one period
// before the first return.
func Levels(s *series.Series) ([]series.Date, []float64) { return levels(s) }

func span(name string, ds []series.Date, vs []float64, from, to series.Date) (Span, int, int, error) {
	sp := Span{Series: name, From: from, To: to, Return: math.NaN()}
	if len(ds) < 2 {
		return sp, 0, 0, fmt.Errorf("%s: no data: %w", name, ErrNotCovered)
	}
	if to < from {
		return sp, 0, 0, fmt.Errorf("%s: period %s..%s ends before it starts", name, from, to)
	}
	s := sort.Search(len(ds), func(i int) bool { return ds[i] >= from }) - 1
	e := sort.Search(len(ds), func(i int) bool { return ds[i] > to }) - 1
	switch {
	case s < 0:
		return sp, 0, 0, fmt.Errorf("%s: %s..%s starts before the data (first close %s): %w", name, from, to, ds[0], ErrNotCovered)
	case to > ds[len(ds)-1]:
		return sp, 0, 0, fmt.Errorf("%s: %s..%s ends after the data (last close %s): %w", name, from, to, ds[len(ds)-1], ErrNotCovered)
	case e <= s:
		return sp, 0, 0, fmt.Errorf("%s: no close inside %s..%s: %w", name, from, to, ErrNotCovered)
	}
	sp.Start, sp.End, sp.N = ds[s], ds[e], e-s
	sp.Return = vs[e]/vs[s] - 1
	return sp, s, e, nil
}

// PeriodReturn returns the buy-and-hold return of s (prices or returns) over [from, to]
// (see Span). A period the data do not wholly cover is an error wrapping ErrNotCovered.
func PeriodReturn(s *series.Series, from, to series.Date) (Span, error) {
	ds, vs := levels(s)
	sp, _, _, err := span(s.Name, ds, vs, from, to)
	return sp, err
}

// Relative is one series' return over a period against another's.
type Relative struct {
	A, B Span
	// Diff is A.Return - B.Return (the excess of the event study).
	Diff float64 `json:"diff"`
}

// RelativeReturn returns the buy-and-hold returns of a and b over [from, to] and their
// difference. Both series must cover the period.
func RelativeReturn(a, b *series.Series, from, to series.Date) (Relative, error) {
	ra, err := PeriodReturn(a, from, to)
	if err != nil {
		return Relative{}, err
	}
	rb, err := PeriodReturn(b, from, to)
	if err != nil {
		return Relative{}, err
	}
	return Relative{A: ra, B: rb, Diff: ra.Return - rb.Return}, nil
}

// Drawdown is the deepest peak-to-trough fall of a series inside a period.
type Drawdown struct {
	Span
	// Depth is trough/peak - 1 (negative, 0 when the series only rose).
	Depth  float64     `json:"depth"`
	Peak   series.Date `json:"peak"`
	Trough series.Date `json:"trough"`
}

// DrawdownIn returns the deepest peak-to-trough fall of s inside [from, to]: peaks and
// troughs are closes from the period's starting close (the last close before from) to
// its last close, so a fall on the first day counts. Span.Return is the period's
// return, for comparison.
func DrawdownIn(s *series.Series, from, to series.Date) (Drawdown, error) {
	ds, vs := levels(s)
	sp, a, b, err := span(s.Name, ds, vs, from, to)
	if err != nil {
		return Drawdown{Span: sp}, err
	}
	dd := Drawdown{Span: sp, Peak: ds[a], Trough: ds[a]}
	peak, peakAt := vs[a], a
	for i := a + 1; i <= b; i++ {
		if vs[i] > peak {
			peak, peakAt = vs[i], i
			continue
		}
		if d := vs[i]/peak - 1; d < dd.Depth {
			dd.Depth, dd.Peak, dd.Trough = d, ds[peakAt], ds[i]
		}
	}
	return dd, nil
}

// PeriodReturns returns the series' simple returns at frequency f: daily returns as
// they are, weekly returns between Friday closes (weeks run Saturday..Friday), monthly
// between month-end closes. Each return is dated by its period's label (series
// .PeriodEnd); the last period may be incomplete.
func PeriodReturns(s *series.Series, f series.Frequency) *series.Series {
	ds, vs := levels(s)
	lv := &series.Series{Name: s.Name, Kind: series.KindPrice, Freq: s.Freq, Dates: ds, Values: vs, Prov: s.Prov}
	if f != series.Daily && f != series.Irregular {
		lv = lv.Resample(f, series.Last)
	}
	return lv.Returns()
}

// Record places one period's return in the series' history.
type Record struct {
	Series string           `json:"series"`
	Freq   series.Frequency `json:"-"`
	Period series.Date      `json:"period"` // label of the period (e.g. the Friday ending the week)
	Return float64          `json:"return"`
	Worst  bool             `json:"worst"` // ranked from the bottom (worst since ...)
	// Since is the latest earlier period whose return was at least as good (as bad, for
	// Worst); NoDate when the period is the best (worst) on record. SinceReturn is its
	// return.
	Since       series.Date `json:"since"`
	SinceReturn float64     `json:"since_return"`
	// Prior is the number of earlier periods on record; Rank is 1 + the number of earlier
	// periods that were better (worse, for Worst).
	Prior int         `json:"prior"`
	Rank  int         `json:"rank"`
	First series.Date `json:"first"` // first period on record
}

// Phrase says the record in words: "best week since 2020-04-10".
func (r Record) Phrase() string {
	word := "best"
	if r.Worst {
		word = "worst"
	}
	unit := map[series.Frequency]string{series.Daily: "day", series.Weekly: "week", series.Monthly: "month",
		series.Quarterly: "quarter", series.Annual: "year"}[r.Freq]
	if r.Since == series.NoDate {
		return fmt.Sprintf("%s %s on record (since %s, %d earlier)", word, unit, r.First, r.Prior)
	}
	return fmt.Sprintf("%s %s since %s", word, unit, r.Since)
}

// RecordAt places the return of the period at frequency f that contains at.
func RecordAt(s *series.Series, f series.Frequency, at series.Date, worst bool) (Record, error) {
	pr := PeriodReturns(s, f)
	label := series.PeriodEnd(at, f)
	i := sort.Search(pr.Len(), func(i int) bool { return pr.Dates[i] >= label })
	if i == pr.Len() || pr.Dates[i] != label {
		return Record{}, fmt.Errorf("%s: no %s return for the period containing %s: %w", s.Name, f, at, ErrNotCovered)
	}
	return recordOf(pr, f, i, worst), nil
}

// BestIn returns the record of the best (or, with worst, the worst) period at frequency
// f whose label lies in [from, to].
func BestIn(s *series.Series, f series.Frequency, from, to series.Date, worst bool) (Record, error) {
	pr := PeriodReturns(s, f)
	best := -1
	for i, d := range pr.Dates {
		if d < from || d > to || math.IsNaN(pr.Values[i]) {
			continue
		}
		if best < 0 || (!worst && pr.Values[i] > pr.Values[best]) || (worst && pr.Values[i] < pr.Values[best]) {
			best = i
		}
	}
	if best < 0 {
		return Record{}, fmt.Errorf("%s: no %s period in %s..%s: %w", s.Name, f, from, to, ErrNotCovered)
	}
	return recordOf(pr, f, best, worst), nil
}

func recordOf(pr *series.Series, f series.Frequency, i int, worst bool) Record {
	x := pr.Values[i]
	r := Record{Series: pr.Name, Freq: f, Period: pr.Dates[i], Return: x, Worst: worst, Since: series.NoDate,
		SinceReturn: math.NaN(), Rank: 1, First: pr.Dates[0]}
	better := func(y float64) bool {
		if worst {
			return y <= x
		}
		return y >= x
	}
	for j := i - 1; j >= 0; j-- {
		y := pr.Values[j]
		if math.IsNaN(y) {
			continue
		}
		r.Prior++
		if better(y) {
			if r.Since == series.NoDate {
				r.Since, r.SinceReturn = pr.Dates[j], y
			}
			if y != x {
				r.Rank++
			}
		}
	}
	return r
}

// RollingRelative returns, on the common dates of a and b, the n-period rolling
// relative return A_t/A_{t-n} - B_t/B_{t-n} (the difference of the buy-and-hold returns
// over the trailing n periods of the aligned data). The first n dates are dropped.
func RollingRelative(a, b *series.Series, n int) (*series.Series, error) {
	if n < 1 {
		panic("study: RollingRelative: n < 1")
	}
	al, err := Align(a, b)
	if err != nil {
		return nil, err
	}
	out := &series.Series{Name: a.Name + " vs " + b.Name, Kind: series.KindReturn, Freq: al.Freq}
	for t := n; t < len(al.A); t++ {
		out.Dates = append(out.Dates, al.Grid.Dates[t])
		out.Values = append(out.Values, al.A[t]/al.A[t-n]-1-(al.B[t]/al.B[t-n]-1))
	}
	return out, nil
}
