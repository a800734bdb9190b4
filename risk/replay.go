package risk

import (
	"fmt"
	"math"
	"strings"

	"github.com/ratecycle/ratecycle/series"
)

// Window is a stress period. From and To are closing dates, normally a peak and a
// trough: the window covers the returns dated after From up to and including To, so
// it measures the move from the close of From to the close of To. (series.PeriodReturn
// includes the return dated From; a stress window does not, because that return is
// the move INTO the peak.)
type Window struct {
	Name     string
	From, To series.Date
	Note     string // what happened and why these dates
}

// builtinWindows are the named stress windows. The first three are the S&P 500's
// closing peak and trough of each episode. smallcap-dec-2024 was measured on the
// embedded Russell 2000 data (snapshot yahoo-alitalbi/^RUT.csv and IWM.csv): both
// closed at their high of the period on 2024-11-25 (^RUT 2442.03) and at their
// December low on 2024-12-19 (^RUT 2221.50, -9.03%) after the Fed's hawkish cut of
// 2024-12-18; by 2024-12-31 the index had regained a little (2230.16, -8.68%).
// TestBuiltinWindowSmallCapDec2024 checks these dates against the data.
var builtinWindows = []Window{
	{"gfc-2008", series.NewDate(2007, 10, 9), series.NewDate(2009, 3, 9),
		"global financial crisis: S&P 500 closing high 2007-10-09 to closing low 2009-03-09"},
	{"covid-2020", series.NewDate(2020, 2, 19), series.NewDate(2020, 3, 23),
		"COVID-19 crash: S&P 500 closing high 2020-02-19 to closing low 2020-03-23"},
	{"rate-shock-2022", series.NewDate(2022, 1, 3), series.NewDate(2022, 10, 12),
		"2022 rate shock: S&P 500 closing high 2022-01-03 to closing low 2022-10-12"},
	{"smallcap-dec-2024", series.NewDate(2024, 11, 25), series.NewDate(2024, 12, 19),
		"December 2024 small-cap sell-off: Russell 2000 closing high 2024-11-25 to December closing low 2024-12-19 (FOMC cut with fewer 2025 cuts signalled on 2024-12-18)"},
}

// BuiltinWindows returns a copy of the named stress windows: gfc-2008, covid-2020,
// rate-shock-2022 and smallcap-dec-2024.
func BuiltinWindows() []Window { return append([]Window(nil), builtinWindows...) }

// LookupWindow returns the built-in window with the given name.
func LookupWindow(name string) (Window, bool) {
	for _, w := range builtinWindows {
		if w.Name == name {
			return w, true
		}
	}
	return Window{}, false
}

// ParseWindow reads a window from the command line: a built-in name
// ("covid-2020"), "FROM..TO" or "NAME=FROM..TO" with YYYY-MM-DD dates.
func ParseWindow(spec string) (Window, error) {
	if w, ok := LookupWindow(spec); ok {
		return w, nil
	}
	name, span, named := strings.Cut(spec, "=")
	if !named {
		name, span = spec, spec
	}
	a, b, ok := strings.Cut(span, "..")
	if !ok {
		return Window{}, fmt.Errorf("stress window %q: want a built-in name (%s), FROM..TO or NAME=FROM..TO", spec, windowNames())
	}
	from, err := series.ParseDate(strings.TrimSpace(a))
	if err != nil {
		return Window{}, fmt.Errorf("stress window %q: from: %w", spec, err)
	}
	to, err := series.ParseDate(strings.TrimSpace(b))
	if err != nil {
		return Window{}, fmt.Errorf("stress window %q: to: %w", spec, err)
	}
	w := Window{Name: strings.TrimSpace(name), From: from, To: to, Note: "user-defined"}
	return w, w.check()
}

func windowNames() string {
	var n []string
	for _, w := range builtinWindows {
		n = append(n, w.Name)
	}
	return strings.Join(n, ", ")
}

func (w Window) check() error {
	if w.From == series.NoDate || w.To == series.NoDate || w.From >= w.To {
		return fmt.Errorf("stress window %q: from %s is not before to %s", w.Name, w.From, w.To)
	}
	return nil
}

// Coverage says how much of a window a series covers.
type Coverage int

const (
	// CoverNone: the series has no return inside the window; the result's values are NaN.
	CoverNone Coverage = iota
	// CoverPartial: the series starts after From or ends before To; the values cover
	// only the part it has.
	CoverPartial
	// CoverFull: the series has an observation on or before From and one on or after To.
	CoverFull
)

func (c Coverage) String() string {
	return [...]string{"none", "partial", "full"}[c]
}

// ReplayResult is how one return series fared in one window.
type ReplayResult struct {
	Series   string
	Window   Window
	Coverage Coverage
	// N counts the non-missing returns inside the window; First and Last are their dates.
	N           int
	First, Last series.Date
	// CumulativeReturn is prod(1+r)-1 over the window.
	CumulativeReturn float64
	// MaxDrawdown is the largest fall inside the window, a positive fraction, with
	// the wealth at From counted as a peak.
	MaxDrawdown float64
	// WorstReturn is the worst single-period return (the worst day for daily data)
	// and WorstDate its date.
	WorstReturn float64
	WorstDate   series.Date
}

// Replay measures the return series s in each window. s must hold decimal returns
// (Kind KindReturn or unset): turn prices into returns first with s.Returns().
// Missing returns inside a window are skipped. The error reports a price or level
// series or an invalid window.
func Replay(s *series.Series, windows []Window) ([]ReplayResult, error) {
	if s.Kind != series.KindReturn && s.Kind != "" {
		return nil, fmt.Errorf("stress replay of %s: a %s series; replay needs returns (use Returns())", s.Name, s.Kind)
	}
	out := make([]ReplayResult, 0, len(windows))
	for _, w := range windows {
		if err := w.check(); err != nil {
			return nil, err
		}
		out = append(out, replayOne(s.Name, s.Dates, s.Values, w))
	}
	return out, nil
}

// ReplayFrame replays every column of a frame of returns (a portfolio and its
// holdings, or several portfolios) in each window: the result has one slice per
// column, in column order.
func ReplayFrame(f *series.Frame, windows []Window) ([][]ReplayResult, error) {
	out := make([][]ReplayResult, len(f.Cols))
	for j := range f.Cols {
		if k := f.Kinds; k != nil && k[j] != series.KindReturn && k[j] != "" {
			return nil, fmt.Errorf("stress replay of %s: a %s series; replay needs returns", f.Names[j], k[j])
		}
		out[j] = make([]ReplayResult, 0, len(windows))
		for _, w := range windows {
			if err := w.check(); err != nil {
				return nil, err
			}
			out[j] = append(out[j], replayOne(f.Names[j], f.Dates, f.Cols[j], w))
		}
	}
	return out, nil
}

func replayOne(name string, dates []series.Date, r []float64, w Window) ReplayResult {
	res := ReplayResult{
		Series: name, Window: w, First: series.NoDate, Last: series.NoDate, WorstDate: series.NoDate,
		CumulativeReturn: math.NaN(), MaxDrawdown: math.NaN(), WorstReturn: math.NaN(),
	}
	g, peak, worstDD := 1.0, 1.0, 0.0
	for i, d := range dates {
		if d <= w.From || d > w.To || r[i] != r[i] {
			continue
		}
		if res.N == 0 {
			res.First = d
			res.WorstReturn = r[i]
			res.WorstDate = d
		}
		res.N++
		res.Last = d
		g *= 1 + r[i]
		peak = math.Max(peak, g)
		worstDD = math.Max(worstDD, 1-g/peak)
		if r[i] < res.WorstReturn {
			res.WorstReturn, res.WorstDate = r[i], d
		}
	}
	if res.N == 0 {
		return res
	}
	res.CumulativeReturn = g - 1
	res.MaxDrawdown = worstDD
	// Full coverage needs an observation on or before From and one on or after To.
	res.Coverage = CoverPartial
	first, last := series.NoDate, series.NoDate
	for i, d := range dates {
		if r[i] == r[i] {
			if first == series.NoDate {
				first = d
			}
			last = d
		}
	}
	if first <= w.From && last >= w.To {
		res.Coverage = CoverFull
	}
	return res
}
