package backtest

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/ratecycle/ratecycle/series"
)

// SignalDef describes a signal a rule can test. Add a signal by calling RegisterSignal
// from an init function (see ExampleRegisterSignal for a valuation z-score): its
// name becomes a key of a rule's when:, and the engine loads the catalog ids in Inputs.
type SignalDef struct {
	Name string
	Doc  string // one line for 'ratecycle backtest --signals' and the docs
	Unit string // of a numeric signal ("percent points", "months")
	// Levels makes the signal categorical: Eval returns the index of the level in
	// Levels. nil means numeric.
	Levels []string
	// Inputs are the catalog ids Eval reads through the View; reading any other series
	// is an error.
	Inputs []string
	// Fed is true when Eval reads the Fed cycle history (View.Fed).
	Fed bool
	// Eval returns the signal's value as known on v.Date(), NaN when unknown. It must
	// read data only through v, which refuses observations not yet published.
	Eval func(v *View) (float64, error)
}

var (
	signalsMu sync.RWMutex
	signals   = map[string]SignalDef{}
)

// RegisterSignal adds a signal to the set every strategy file can use. It is meant
// to be called from init functions (like database/sql.Register) and panics on a
// duplicate or malformed definition, a programmer error.
func RegisterSignal(d SignalDef) {
	if !isIdent(d.Name) || d.Eval == nil {
		panic(fmt.Sprintf("backtest: RegisterSignal(%q): need a name (letters, digits, _) and Eval", d.Name))
	}
	signalsMu.Lock()
	defer signalsMu.Unlock()
	if _, dup := signals[d.Name]; dup {
		panic("backtest: signal " + d.Name + " registered twice")
	}
	signals[d.Name] = d
}

// LookupSignal returns the registered signal named name.
func LookupSignal(name string) (SignalDef, bool) {
	signalsMu.RLock()
	defer signalsMu.RUnlock()
	d, ok := signals[name]
	return d, ok
}

// SignalNames lists the registered signals, sorted.
func SignalNames() []string {
	signalsMu.RLock()
	defer signalsMu.RUnlock()
	out := make([]string, 0, len(signals))
	for k := range signals {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ErrLookAhead is wrapped by every LookAheadError.
var ErrLookAhead = errors.New("look-ahead")

// LookAheadError reports a read of an observation before its publication date.
type LookAheadError struct {
	Signal    string
	Series    string
	Obs       series.Date // the observation asked for
	Published series.Date // the first day it was public
	Decision  series.Date // the day the decision was made
}

func (e *LookAheadError) Error() string {
	return fmt.Sprintf("look-ahead: signal %s read %s observation %s on %s, but it was published only on %s",
		e.Signal, e.Series, e.Obs, e.Decision, e.Published)
}

func (e *LookAheadError) Unwrap() error { return ErrLookAhead }

// pit is one input series with the publication date of each observation.
type pit struct {
	s   *series.Series
	pub []series.Date // Prov.Lag.Published(Dates[i]); non-decreasing
}

func newPIT(s *series.Series) *pit {
	p := &pit{s: s, pub: make([]series.Date, len(s.Dates))}
	for i, d := range s.Dates {
		p.pub[i] = s.Prov.Lag.Published(d)
		if i > 0 && p.pub[i] < p.pub[i-1] {
			p.pub[i] = p.pub[i-1] // a lag that shrinks cannot publish earlier than the last release
		}
	}
	return p
}

// View is what a signal sees on one decision date: the latest published value of its
// inputs, never more. A decision on date d sees an observation dated o only when
// o's publication date, Lag.Published(o), is on or before d.
type View struct {
	date   series.Date
	signal string
	inputs []string
	data   *world
}

// Date returns the date the signal is evaluated on (the decision date, moved back
// by the portfolio's signal lag).
func (v *View) Date() series.Date { return v.date }

func (v *View) input(id string) (*pit, error) {
	if !contains(v.inputs, id) {
		return nil, fmt.Errorf("signal %s reads %s, which is not among its declared Inputs %v", v.signal, id, v.inputs)
	}
	p, ok := v.data.series[id]
	if !ok {
		return nil, fmt.Errorf("signal %s: series %s was not loaded", v.signal, id)
	}
	return p, nil
}

// Latest returns the last non-missing observation of id published on or before
// Date, with its date; ok is false when there is none yet.
func (v *View) Latest(id string) (val float64, obs series.Date, ok bool, err error) {
	p, err := v.input(id)
	if err != nil {
		return math.NaN(), series.NoDate, false, err
	}
	i := sort.Search(len(p.pub), func(i int) bool { return p.pub[i] > v.date }) - 1
	for ; i >= 0; i-- {
		if x := p.s.Values[i]; !math.IsNaN(x) {
			return x, p.s.Dates[i], true, nil
		}
	}
	return math.NaN(), series.NoDate, false, nil
}

// Value returns the observation of id dated exactly obs. Asking for an observation
// not yet published on Date is a *LookAheadError naming the series and the dates,
// whether or not the observation exists; asking for a date with no observation is
// an ordinary error.
func (v *View) Value(id string, obs series.Date) (float64, error) {
	p, err := v.input(id)
	if err != nil {
		return math.NaN(), err
	}
	if pub := p.s.Prov.Lag.Published(obs); pub > v.date {
		return math.NaN(), &LookAheadError{Signal: v.signal, Series: id, Obs: obs, Published: pub, Decision: v.date}
	}
	i := sort.Search(len(p.s.Dates), func(i int) bool { return p.s.Dates[i] >= obs })
	if i == len(p.s.Dates) || p.s.Dates[i] != obs {
		return math.NaN(), fmt.Errorf("signal %s: %s has no observation dated %s", v.signal, id, obs)
	}
	return p.s.Values[i], nil
}

// History appends to dst the last n non-missing observations of id published on or
// before Date, oldest first (fewer when fewer exist): the window of a z-score.
func (v *View) History(id string, n int, dst []float64) ([]float64, error) {
	p, err := v.input(id)
	if err != nil {
		return dst, err
	}
	i := sort.Search(len(p.pub), func(i int) bool { return p.pub[i] > v.date }) - 1
	start := len(dst)
	for ; i >= 0 && len(dst)-start < n; i-- {
		if x := p.s.Values[i]; !math.IsNaN(x) {
			dst = append(dst, x)
		}
	}
	w := dst[start:]
	for a, b := 0, len(w)-1; a < b; a, b = a+1, b-1 {
		w[a], w[b] = w[b], w[a]
	}
	return dst, nil
}

// Fed returns the Fed's cycle state as it was known on Date: only moves announced
// (inferred moves: confirmed) by then.
func (v *View) Fed() (FedState, error) {
	if v.data.fed == nil {
		return FedState{}, fmt.Errorf("signal %s reads the Fed cycle history, which was not given", v.signal)
	}
	return v.data.fed.at(v.date), nil
}

// world is everything signals can read.
type world struct {
	series map[string]*pit
	fed    *fedKnown
}

func init() {
	RegisterSignal(SignalDef{
		Name: "regime", Fed: true, Levels: []string{"easing", "tightening", "hold"},
		Doc: "Fed regime as known then: the current cycle's direction while its latest move is at most HoldAfterMonths (6) old, else hold",
		Eval: func(v *View) (float64, error) {
			f, err := v.Fed()
			return float64(levelIndex([]string{"easing", "tightening", "hold"}, string(f.Regime))), err
		},
	})
	RegisterSignal(SignalDef{
		Name: "cycle", Fed: true, Levels: []string{"easing", "tightening", "none"},
		Doc: "direction of the latest Fed cycle known then (no hold rule: easing from the first cut until the first hike)",
		Eval: func(v *View) (float64, error) {
			f, err := v.Fed()
			if f.Cycle == "" {
				return 2, err
			}
			return float64(levelIndex([]string{"easing", "tightening"}, string(f.Cycle))), err
		},
	})
	RegisterSignal(SignalDef{
		Name: "months_in_cycle", Fed: true, Unit: "months",
		Doc: "whole months since the first move of the cycle known then",
		Eval: func(v *View) (float64, error) {
			f, err := v.Fed()
			if f.Cycle == "" {
				return math.NaN(), err
			}
			return float64(wholeMonths(f.FirstMove, v.date)), err
		},
	})
	RegisterSignal(SignalDef{
		Name: "months_since_first_cut", Fed: true, Unit: "months",
		Doc: "whole months since the first cut of the current easing cycle (unknown while tightening)",
		Eval: func(v *View) (float64, error) {
			f, err := v.Fed()
			if f.Cycle != "easing" {
				return math.NaN(), err
			}
			return float64(wholeMonths(f.FirstMove, v.date)), err
		},
	})
	RegisterSignal(SignalDef{
		Name: "months_since_first_hike", Fed: true, Unit: "months",
		Doc: "whole months since the first hike of the current tightening cycle (unknown while easing)",
		Eval: func(v *View) (float64, error) {
			f, err := v.Fed()
			if f.Cycle != "tightening" {
				return math.NaN(), err
			}
			return float64(wholeMonths(f.FirstMove, v.date)), err
		},
	})
	RegisterSignal(SignalDef{
		Name: "curve_slope", Unit: "percent points", Inputs: []string{"fred/DGS10", "fred/DGS2"},
		Doc: "10-year minus 2-year Treasury yield, latest published values (FRED, a day late); unknown before DGS2 starts in 1976",
		Eval: func(v *View) (float64, error) {
			a, _, ok1, err := v.Latest("fred/DGS10")
			if err != nil {
				return math.NaN(), err
			}
			b, _, ok2, err := v.Latest("fred/DGS2")
			if err != nil || !ok1 || !ok2 {
				return math.NaN(), err
			}
			return a - b, nil
		},
	})
	RegisterSignal(SignalDef{
		Name: "recession", Unit: "0/1", Inputs: []string{"fred/USREC"},
		Doc: "NBER recession flag (FRED USREC) of the latest month published: a year after the month ends",
		Eval: func(v *View) (float64, error) {
			x, _, _, err := v.Latest("fred/USREC")
			return x, err
		},
	})
}

func levelIndex(levels []string, s string) int {
	for i, l := range levels {
		if l == s {
			return i
		}
	}
	return len(levels) - 1
}

// wholeMonths counts whole months from a to b, as cycle.History.MonthsSinceFirstMove.
func wholeMonths(a, b series.Date) int {
	y1, m1, d1 := a.YMD()
	y2, m2, d2 := b.YMD()
	n := (y2-y1)*12 + int(m2) - int(m1)
	if d2 < d1 {
		n--
	}
	return n
}
