// Package cycle turns policy-rate series into dated Fed moves and groups them into
// easing and tightening cycles.
//
// Sources and dating rules (each is a choice a reader could make differently, so the
// rules are stated here and in the CLI's help):
//
//   - 1982-09-27 .. 2008-12-15: FRED DFEDTAR, the single federal funds target. FRED dates
//     a change by the day it took effect; until 2008 the target took effect on the day it
//     was decided (announced, from February 1994), so announced = effective.
//   - 2008-12-16 on: FRED DFEDTARU/DFEDTARL, the target range. From March 2017 FRED dates
//     a range change the day after the FOMC announcement (the day the Fed's implementation
//     note makes it effective), so announced = effective - 1 calendar day; this gives
//     2020-03-15 (a Sunday) for the emergency cut effective 2020-03-16, as it happened.
//     Before 2017 (the 2008-12-16 splice from the 1.00% target to the 0-0.25% range, and
//     the hikes of 2015-12-16 and 2016-12-14) FRED dates the change on the announcement
//     day itself, so announced = effective. RangeNextDayFrom holds the switch date; a test
//     checks every move since 2008 against the FOMC statement dates.
//     Changes are measured on the upper limit; target_after is the upper limit.
//   - Before 1982-09-27 there was no published target: moves are inferred from the
//     monthly average effective rate FEDFUNDS with a zigzag filter (a leg turns when the
//     rate has moved InferTurnBP from the last extreme); the first inferred move of a leg
//     is dated the first day of the month after the extreme, later moves are the months in
//     which the average moved at least InferMoveBP in the leg's direction. Inferred events
//     are marked inferred and carry announced = effective = that first-of-month date.
//
// Cycles: consecutive moves in one direction form a cycle. A move smaller than
// TechnicalBP (the 1/16 and 1/8 point adjustments of the 1980s) never starts or ends a
// cycle; it is kept as an event of the cycle it falls in. A cycle of the other direction
// starts with the first move of at least TechnicalBP against the current direction. A
// cycle is marked recession when an NBER recession month (USREC = 1) lies between its
// first and last move, inclusive.
//
// cycle never reads files or looks at the clock: it is given series.
package cycle

import (
	"errors"
	"fmt"
	"math"

	"github.com/ratecycle/ratecycle/series"
)

// Direction of a move or a cycle.
type Direction string

const (
	Easing     Direction = "easing"
	Tightening Direction = "tightening"
)

// Regime classifies a date: easing or tightening while the cycle in force has moved
// within the last Rules.HoldAfterMonths months, hold otherwise (see History.RegimeAt).
type Regime string

const (
	RegimeEasing     Regime = "easing"
	RegimeTightening Regime = "tightening"
	RegimeHold       Regime = "hold"
)

// Event is one policy-rate move.
type Event struct {
	Announced   series.Date `json:"announced"`
	Effective   series.Date `json:"effective"`
	ChangeBP    float64     `json:"change_bp"`
	TargetAfter float64     `json:"target_after"`         // percent; upper limit of the range after 2008
	TargetLow   float64     `json:"target_low,omitempty"` // percent; lower limit of the range after 2008
	Inferred    bool        `json:"inferred"`             // inferred from FEDFUNDS (before 1982-09-27)
	Source      string      `json:"source"`               // fred/DFEDTAR, fred/DFEDTARU or fred/FEDFUNDS
	Technical   bool        `json:"technical,omitempty"`  // smaller than Rules.TechnicalBP
}

// Direction of the move.
func (e Event) Direction() Direction {
	if e.ChangeBP < 0 {
		return Easing
	}
	return Tightening
}

// Cycle is a run of moves in one direction.
type Cycle struct {
	Direction Direction   `json:"direction"`
	FirstMove series.Date `json:"first_move"` // announcement date of the first move
	LastMove  series.Date `json:"last_move"`  // announcement date of the last move
	Moves     int         `json:"moves"`
	TotalBP   float64     `json:"total_bp"`
	Recession bool        `json:"recession"`
	Inferred  bool        `json:"inferred"` // its first move was inferred
	Events    []Event     `json:"events"`
}

// Rules are the thresholds of the dating and grouping rules (see the package comment).
type Rules struct {
	TechnicalBP float64 `json:"technical_bp"`  // moves smaller than this never start or end a cycle (25)
	InferTurnBP float64 `json:"infer_turn_bp"` // zigzag reversal threshold on monthly FEDFUNDS (125: 75 and 100 split 1961 and 1975 into noise legs)
	InferMoveBP float64 `json:"infer_move_bp"` // monthly change that counts as an inferred move (25)
	// HoldAfterMonths: the regime turns to hold when the cycle's latest move is older
	// than this many months (6).
	HoldAfterMonths int `json:"hold_after_months"`
}

// RangeNextDayFrom is the first date on which FRED's target-range series take effect
// the day after the FOMC announcement (see the package comment).
var RangeNextDayFrom = series.NewDate(2017, 1, 1)

// DefaultRules are the documented defaults.
var DefaultRules = Rules{TechnicalBP: 25, InferTurnBP: 125, InferMoveBP: 25, HoldAfterMonths: 6}

// Inputs are the FRED series the rules read. Target, Upper and Monthly are required;
// Lower and Recession are optional.
type Inputs struct {
	Target    *series.Series // DFEDTAR, percent
	Upper     *series.Series // DFEDTARU, percent
	Lower     *series.Series // DFEDTARL, percent (later values derived as upper - 0.25)
	Monthly   *series.Series // FEDFUNDS, monthly average, percent
	Recession *series.Series // USREC, monthly 0/1
}

// History is the result of Detect: every move and every cycle, oldest first.
type History struct {
	Events  []Event     `json:"events"`
	Cycles  []Cycle     `json:"cycles"`
	Rules   Rules       `json:"rules"`
	DataEnd series.Date `json:"data_end"` // last date the target series cover
}

// Detect applies the rules to the inputs.
func Detect(in Inputs, r Rules) (*History, error) {
	if in.Target == nil || in.Upper == nil || in.Monthly == nil {
		return nil, errors.New("cycle: DFEDTAR, DFEDTARU and FEDFUNDS are required")
	}
	if r.TechnicalBP <= 0 || r.InferTurnBP <= 0 || r.InferMoveBP <= 0 {
		return nil, fmt.Errorf("cycle: thresholds must be positive, got %+v", r)
	}
	target := in.Target.DropNaN()
	upper := in.Upper.DropNaN()
	if target.Len() == 0 || upper.Len() == 0 {
		return nil, errors.New("cycle: empty target series")
	}
	start := target.First()

	inferred := inferEvents(in.Monthly.DropNaN(), start, r)
	var events []Event
	events = append(events, inferred...)

	// Single target era.
	prev := target.Values[0]
	for i := 1; i < target.Len(); i++ {
		v := target.Values[i]
		if v != prev {
			d := target.Dates[i]
			events = append(events, Event{Announced: d, Effective: d, ChangeBP: bp(v - prev),
				TargetAfter: v, Source: "fred/DFEDTAR"})
			prev = v
		}
	}
	// Range era: the splice is a move announced and effective on the range's first day.
	lowerAt := func(d series.Date, up float64) float64 {
		if in.Lower != nil {
			if v, ok := in.Lower.At(d); ok && !math.IsNaN(v) {
				return v
			}
		}
		return up - 0.25
	}
	if upper.First() > target.Last() {
		d := upper.First()
		v := upper.Values[0]
		if v != prev {
			events = append(events, Event{Announced: d, Effective: d, ChangeBP: bp(v - prev),
				TargetAfter: v, TargetLow: lowerAt(d, v), Source: "fred/DFEDTARU"})
		}
		prev = v
	}
	for i := 1; i < upper.Len(); i++ {
		v := upper.Values[i]
		if v != prev {
			eff := upper.Dates[i]
			ann := eff
			if eff >= RangeNextDayFrom {
				ann = eff.AddDays(-1)
			}
			events = append(events, Event{Announced: ann, Effective: eff,
				ChangeBP: bp(v - prev), TargetAfter: v, TargetLow: lowerAt(eff, v), Source: "fred/DFEDTARU"})
			prev = v
		}
	}
	for i := range events {
		events[i].Technical = math.Abs(events[i].ChangeBP) < r.TechnicalBP
	}
	h := &History{Events: events, Rules: r, DataEnd: upper.Last()}
	h.Cycles = group(events, in.Recession, r)
	return h, nil
}

func bp(pct float64) float64 { return math.Round(pct*100*1e6) / 1e6 }

// inferEvents runs the zigzag filter on monthly FEDFUNDS before the target era.
func inferEvents(m *series.Series, until series.Date, r Rules) []Event {
	m = m.Slice(series.NoDate, until.AddDays(-1))
	n := m.Len()
	if n < 2 {
		return nil
	}
	// Zigzag: find alternating extremes; a turn is confirmed once the rate has moved
	// InferTurnBP from the running extreme.
	type leg struct {
		dir     Direction
		extreme int // index of the extreme that starts the leg
	}
	var legs []leg
	hi, lo := 0, 0
	var dir Direction
	for i := 1; i < n; i++ {
		v := m.Values[i]
		switch dir {
		case "":
			if v > m.Values[hi] {
				hi = i
			}
			if v < m.Values[lo] {
				lo = i
			}
			if bp(m.Values[hi]-v) >= r.InferTurnBP && hi < i {
				dir = Easing
				legs = append(legs, leg{Easing, hi})
				lo = i
			} else if bp(v-m.Values[lo]) >= r.InferTurnBP && lo < i {
				dir = Tightening
				legs = append(legs, leg{Tightening, lo})
				hi = i
			}
		case Easing:
			if v < m.Values[lo] {
				lo = i
			}
			if bp(v-m.Values[lo]) >= r.InferTurnBP {
				dir = Tightening
				legs = append(legs, leg{Tightening, lo})
				hi = i
			}
		case Tightening:
			if v > m.Values[hi] {
				hi = i
			}
			if bp(m.Values[hi]-v) >= r.InferTurnBP {
				dir = Easing
				legs = append(legs, leg{Easing, hi})
				lo = i
			}
		}
	}
	var events []Event
	for k, l := range legs {
		end := n - 1
		if k+1 < len(legs) {
			end = legs[k+1].extreme
		}
		last := m.Values[l.extreme]
		started := false
		for i := l.extreme + 1; i <= end; i++ {
			v := m.Values[i]
			ch := bp(v - last)
			// The leg's first move is the first month the average moves its way at all;
			// later moves must be at least InferMoveBP.
			need := r.InferMoveBP
			if !started {
				need = 1e-9
			}
			if (l.dir == Easing && ch > -need) || (l.dir == Tightening && ch < need) {
				continue
			}
			started = true
			d := m.Dates[i].MonthStart()
			events = append(events, Event{Announced: d, Effective: d, ChangeBP: ch, TargetAfter: v,
				Inferred: true, Source: "fred/FEDFUNDS"})
			last = v
		}
	}
	return events
}

// group forms cycles from events (see the package comment).
func group(events []Event, rec *series.Series, r Rules) []Cycle {
	var cycles []Cycle
	var cur *Cycle
	for _, e := range events {
		dir := e.Direction()
		big := math.Abs(e.ChangeBP) >= r.TechnicalBP || e.Inferred
		if cur == nil || (dir != cur.Direction && big) {
			if !big {
				continue // a technical move before any cycle: nothing to attach it to
			}
			cycles = append(cycles, Cycle{Direction: dir, FirstMove: e.Announced, Inferred: e.Inferred})
			cur = &cycles[len(cycles)-1]
		}
		cur.Events = append(cur.Events, e)
		cur.TotalBP = bp((cur.TotalBP + e.ChangeBP) / 100)
		if dir == cur.Direction {
			cur.LastMove = e.Announced
		}
		cur.Moves = len(cur.Events)
	}
	for i := range cycles {
		c := &cycles[i]
		c.Recession = recessionBetween(rec, c.FirstMove, c.LastMove)
	}
	return cycles
}

func recessionBetween(rec *series.Series, from, to series.Date) bool {
	if rec == nil {
		return false
	}
	// USREC dates label months by their first day: a month overlaps [from, to] when it
	// ends on or after from and starts on or before to. Start at the month holding from.
	i := rec.Index(from.MonthStart())
	if i < 0 {
		i = 0
	}
	for ; i < len(rec.Dates) && rec.Dates[i] <= to; i++ {
		if rec.Values[i] == 1 && rec.Dates[i].MonthEnd() >= from {
			return true
		}
	}
	return false
}

// Since returns the cycles whose last move is on or after d.
func (h *History) Since(d series.Date) []Cycle {
	var out []Cycle
	for _, c := range h.Cycles {
		if c.LastMove >= d {
			out = append(out, c)
		}
	}
	return out
}

// RegimeAt classifies d: the direction of the cycle in force on d while that cycle's
// latest move on or before d is at most Rules.HoldAfterMonths old (so a pause of more
// than that inside a cycle, or after its last move, is hold); hold before any cycle.
// Technical moves do not renew the regime.
func (h *History) RegimeAt(d series.Date) Regime {
	for i := len(h.Cycles) - 1; i >= 0; i-- {
		c := h.Cycles[i]
		if c.FirstMove > d {
			continue
		}
		latest := series.NoDate
		for _, e := range c.Events {
			if e.Announced > d {
				break
			}
			if e.Direction() == c.Direction && !e.Technical {
				latest = e.Announced
			}
		}
		if latest != series.NoDate && d <= latest.AddMonths(h.Rules.HoldAfterMonths) {
			return Regime(c.Direction)
		}
		return RegimeHold
	}
	return RegimeHold
}

// Current returns the latest cycle and the regime on date d.
func (h *History) Current(d series.Date) (Cycle, Regime, bool) {
	if len(h.Cycles) == 0 {
		return Cycle{}, RegimeHold, false
	}
	return h.Cycles[len(h.Cycles)-1], h.RegimeAt(d), true
}

// MonthsSinceFirstMove returns whole months between the first move of the cycle in
// force on d (or the latest cycle started on or before d) and d, with that cycle's
// direction; ok is false before the first cycle.
func (h *History) MonthsSinceFirstMove(d series.Date) (int, Direction, bool) {
	for i := len(h.Cycles) - 1; i >= 0; i-- {
		c := h.Cycles[i]
		if c.FirstMove <= d {
			y1, m1, d1 := c.FirstMove.YMD()
			y2, m2, d2 := d.YMD()
			months := (y2-y1)*12 + int(m2) - int(m1)
			if d2 < d1 {
				months--
			}
			return months, c.Direction, true
		}
	}
	return 0, "", false
}

// EventKind selects announcement dates for an event study.
type EventKind string

const (
	FirstCut  EventKind = "first-cut"
	AllCuts   EventKind = "all-cuts"
	FirstHike EventKind = "first-hike"
	AllHikes  EventKind = "all-hikes"
	AllMoves  EventKind = "all-moves"
)

// EventKinds lists the kinds in the order the CLI documents them.
var EventKinds = []EventKind{FirstCut, AllCuts, FirstHike, AllHikes, AllMoves}

// Dates returns the announcement dates of the selected events, oldest first, with
// whether each was inferred. Technical moves are left out of all-cuts, all-hikes and
// all-moves unless includeTechnical is set.
func (h *History) Dates(kind EventKind, includeTechnical bool) ([]series.Date, []bool, error) {
	var ds []series.Date
	var inf []bool
	switch kind {
	case FirstCut, FirstHike:
		want := Easing
		if kind == FirstHike {
			want = Tightening
		}
		for _, c := range h.Cycles {
			if c.Direction == want {
				ds = append(ds, c.FirstMove)
				inf = append(inf, c.Inferred)
			}
		}
	case AllCuts, AllHikes, AllMoves:
		for _, e := range h.Events {
			if e.Technical && !includeTechnical {
				continue
			}
			if (kind == AllCuts && e.ChangeBP >= 0) || (kind == AllHikes && e.ChangeBP <= 0) {
				continue
			}
			ds = append(ds, e.Announced)
			inf = append(inf, e.Inferred)
		}
	default:
		return nil, nil, fmt.Errorf("unknown event kind %q (want one of %v)", kind, EventKinds)
	}
	return ds, inf, nil
}
