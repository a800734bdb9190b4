package backtest

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
)

// FedState is the Fed's cycle as it was known on a date.
type FedState struct {
	// Regime applies cycle.History.RegimeAt's hold rule to the known moves.
	Regime cycle.Regime
	// Cycle is the direction of the latest cycle known ("" before the first one).
	Cycle cycle.Direction
	// FirstMove is the announcement date of that cycle's first move; LastMove of its
	// latest non-technical move in its direction (NoDate if none yet).
	FirstMove, LastMove series.Date
	// Moves counts the moves known so far (all cycles).
	Moves int
}

// fedKnown answers FedState queries. Every move has a known date: its announcement
// date for moves from the target series (public the day the FOMC announces them); for
// the pre-1982 moves inferred from monthly FEDFUNDS, the day the month's average
// was published and the zigzag had confirmed the turn (the filter only knows a leg
// has started once the rate has moved InferTurnBP from its extreme). Known dates never
// decrease along the event list, so the moves known on d are a prefix of it, and the
// cycles formed from that prefix by cycle's grouping rule (which looks only backward)
// are exactly the cycles known on d.
type fedKnown struct {
	known  []series.Date
	states []fedPrefix // states[k]: after the first k moves
	hold   int
}

type fedPrefix struct {
	dir         cycle.Direction
	first, last series.Date
}

// newFedKnown dates every move of h. fedfunds (monthly FEDFUNDS with its publication
// lag) is required when h has inferred moves.
func newFedKnown(h *cycle.History, fedfunds *series.Series) (*fedKnown, error) {
	n := len(h.Events)
	f := &fedKnown{known: make([]series.Date, n), states: make([]fedPrefix, n+1), hold: h.Rules.HoldAfterMonths}
	f.states[0] = fedPrefix{first: series.NoDate, last: series.NoDate}
	var ff *series.Series
	if fedfunds != nil {
		ff = fedfunds.DropNaN()
	}
	confirm := series.NoDate // known date of the current inferred leg's turn
	cur := fedPrefix{first: series.NoDate, last: series.NoDate}
	prevKnown := series.NoDate
	for i, e := range h.Events {
		dir := e.Direction()
		big := math.Abs(e.ChangeBP) >= h.Rules.TechnicalBP || e.Inferred
		newCycle := big && (cur.dir == "" || dir != cur.dir)
		k := e.Announced
		if e.Inferred {
			if ff == nil {
				return nil, errors.New("backtest: fred/FEDFUNDS is needed to date the moves inferred before 1982")
			}
			if newCycle || confirm == series.NoDate {
				c, err := confirmation(ff, e, h.Rules.InferTurnBP)
				if err != nil {
					return nil, err
				}
				confirm = c
			}
			k = max(ff.Prov.Lag.Published(e.Announced), confirm)
		}
		if k < prevKnown {
			k = prevKnown
		}
		f.known[i], prevKnown = k, k
		if newCycle {
			cur = fedPrefix{dir: dir, first: e.Announced, last: series.NoDate}
		}
		if cur.dir != "" && dir == cur.dir && !e.Technical {
			cur.last = e.Announced
		}
		f.states[i+1] = cur
	}
	return f, nil
}

// confirmation returns the publication date of the first monthly average that lies
// InferTurnBP beyond the extreme that the inferred move e (the first of its leg)
// starts from: the day the zigzag filter could first have seen the leg.
func confirmation(ff *series.Series, e cycle.Event, turnBP float64) (series.Date, error) {
	approx := e.TargetAfter - e.ChangeBP/100
	i0 := ff.Index(e.Announced)
	if i0 < 0 || ff.Dates[i0] != e.Announced {
		return series.NoDate, fmt.Errorf("backtest: FEDFUNDS has no month %s for the inferred move", e.Announced)
	}
	ext := math.NaN()
	for j := i0 - 1; j >= 0; j-- {
		if math.Abs(ff.Values[j]-approx) < 1e-7 {
			ext = ff.Values[j]
			break
		}
	}
	if math.IsNaN(ext) {
		return series.NoDate, fmt.Errorf("backtest: cannot find the FEDFUNDS extreme (%.4f) before the inferred move of %s", approx, e.Announced)
	}
	bp := func(pct float64) float64 { return math.Round(pct*100*1e6) / 1e6 } // as package cycle rounds
	for j := i0; j < ff.Len(); j++ {
		v := ff.Values[j]
		if (e.ChangeBP < 0 && bp(ext-v) >= turnBP) || (e.ChangeBP > 0 && bp(v-ext) >= turnBP) {
			return ff.Prov.Lag.Published(ff.Dates[j]), nil
		}
	}
	return series.NoDate, fmt.Errorf("backtest: the inferred leg starting %s is never confirmed by FEDFUNDS", e.Announced)
}

func (f *fedKnown) at(d series.Date) FedState {
	k := sort.Search(len(f.known), func(i int) bool { return f.known[i] > d })
	st := f.states[k]
	out := FedState{Regime: cycle.RegimeHold, Cycle: st.dir, FirstMove: st.first, LastMove: st.last, Moves: k}
	if st.dir != "" && st.last != series.NoDate && d <= st.last.AddMonths(f.hold) {
		out.Regime = cycle.Regime(st.dir)
	}
	return out
}

// KnownDates returns, for every move of h (in h.Events order), the first date on
// which it was public under the rules of FedState: the announcement date, or for
// an inferred move the publication of the monthly average confirming its leg.
func KnownDates(h *cycle.History, fedfunds *series.Series) ([]series.Date, error) {
	f, err := newFedKnown(h, fedfunds)
	if err != nil {
		return nil, err
	}
	return f.known, nil
}
