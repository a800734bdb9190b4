package study

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/series"
)

// Unit is the unit of a window bound.
type Unit byte

// Window bound units.
const (
	Periods Unit = 0   // periods of the data: trading days on daily data, months on monthly data
	Days    Unit = 'd' // trading days (daily data only)
	Weeks   Unit = 'w' // calendar weeks of 7 days (daily data only)
	Months  Unit = 'm' // calendar months
)

// Bound is one end of a window: N units relative to the announcement.
type Bound struct {
	N    int
	Unit Unit
}

// String formats b as it is parsed: "-1m", "3d", "-250", "0".
func (b Bound) String() string {
	if b.N == 0 || b.Unit == Periods {
		return strconv.Itoa(b.N)
	}
	return strconv.Itoa(b.N) + string(b.Unit)
}

// Window is an event window From:To (see the package comment for what each bound
// means on daily and monthly data).
type Window struct {
	From, To Bound
}

// String formats w as it is parsed: "0:1m".
func (w Window) String() string { return w.From.String() + ":" + w.To.String() }

// MarshalText writes the window as it is parsed ("0:1m").
func (w Window) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// DefaultWindows are the windows of the default study: the announcement reaction, a
// week, and one, three, six and twelve months after the announcement.
var DefaultWindows = MustWindows("0:1d,0:1w,0:1m,0:3m,0:6m,0:12m")

// ParseBound parses "-250", "0", "1d", "-1m", "3w".
func ParseBound(s string) (Bound, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Bound{}, fmt.Errorf("empty window bound")
	}
	u := Periods
	switch s[len(s)-1] {
	case 'd', 'D':
		u = Days
	case 'w', 'W':
		u = Weeks
	case 'm', 'M':
		u = Months
	}
	num := s
	if u != Periods {
		num = s[:len(s)-1]
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return Bound{}, fmt.Errorf("window bound %q: want an integer with an optional unit d, w or m", s)
	}
	if n == 0 {
		u = Periods
	}
	return Bound{N: n, Unit: u}, nil
}

// ParseWindow parses "a:b", e.g. "0:1m", "-1m:0", "0:1d", "-250:-11". The start must
// come before the end when both use the same unit.
func ParseWindow(s string) (Window, error) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return Window{}, fmt.Errorf("window %q: want from:to, e.g. 0:1m or -1m:0", s)
	}
	from, err := ParseBound(a)
	if err != nil {
		return Window{}, fmt.Errorf("window %q: %w", s, err)
	}
	to, err := ParseBound(b)
	if err != nil {
		return Window{}, fmt.Errorf("window %q: %w", s, err)
	}
	if (from.Unit == to.Unit || from.N == 0 || to.N == 0) && from.N > to.N {
		return Window{}, fmt.Errorf("window %q: start after end", s)
	}
	return Window{From: from, To: to}, nil
}

// ParseWindows parses a comma-separated list of windows.
func ParseWindows(s string) ([]Window, error) {
	var ws []Window
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		w, err := ParseWindow(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		ws = append(ws, w)
	}
	if len(ws) == 0 {
		return nil, fmt.Errorf("no window in %q", s)
	}
	return ws, nil
}

// MustWindows is ParseWindows for constants; it panics on error.
func MustWindows(s string) []Window {
	ws, err := ParseWindows(s)
	if err != nil {
		panic(err)
	}
	return ws
}

// Grid is the trading-day grid of an event study: the dates of the data and whether
// they are monthly (month-end) observations.
type Grid struct {
	Dates   []series.Date
	Monthly bool
}

// Day0 returns the index of day 0 for an announcement on d: the first date on or after
// d, or -1 when d is after the last date or before the first (an event before the data
// has no day -1 to start from).
func (g Grid) Day0(d series.Date) int {
	i := sort.Search(len(g.Dates), func(i int) bool { return g.Dates[i] >= d })
	if i == len(g.Dates) || i == 0 {
		return -1
	}
	if g.Monthly && g.Dates[i].MonthStart() > d.MonthEnd() {
		return -1 // a gap in the data: the event's month is missing
	}
	return i
}

// onOrBefore returns the index of the last date <= d, or -1.
func (g Grid) onOrBefore(d series.Date) int {
	return sort.Search(len(g.Dates), func(i int) bool { return g.Dates[i] > d }) - 1
}

// ReasonBeforeData is the reason given for events before the data start.
const ReasonBeforeData = "before the data start"

// Anchors returns the indexes of the start and end closes of window w for an event
// announced on ev with day 0 at index day0, following the package conventions. ok is
// false, with the reason, when the window is not covered by the data or is empty.
func (g Grid) Anchors(ev series.Date, day0 int, w Window) (start, end int, reason string, ok bool) {
	if day0 < 0 {
		if len(g.Dates) > 0 && ev < g.Dates[len(g.Dates)-1] {
			return 0, 0, ReasonBeforeData, false
		}
		return 0, 0, "after the data end", false
	}
	var err error
	if start, err = g.bound(ev, day0, w.From, true); err != nil {
		return 0, 0, err.Error(), false
	}
	if end, err = g.bound(ev, day0, w.To, false); err != nil {
		return 0, 0, err.Error(), false
	}
	switch {
	case start < 0:
		return 0, 0, "window starts before the data", false
	case end >= len(g.Dates):
		return 0, 0, "window ends after the data", false
	case end <= start:
		return 0, 0, "empty window", false
	}
	return start, end, "", true
}

func (g Grid) bound(ev series.Date, day0 int, b Bound, isStart bool) (int, error) {
	if b.N == 0 {
		if isStart || g.Monthly {
			return day0 - 1, nil
		}
		return day0, nil
	}
	if g.Monthly {
		switch b.Unit {
		case Months:
			return day0 - 1 + b.N, nil
		case Periods:
			if isStart {
				return day0 + b.N - 1, nil
			}
			return day0 + b.N, nil
		default:
			return 0, fmt.Errorf("unit %q needs daily data", string(b.Unit))
		}
	}
	switch b.Unit {
	case Periods, Days:
		if isStart {
			return day0 + b.N - 1, nil
		}
		return day0 + b.N, nil
	}
	target := ev.AddDays(7 * b.N)
	if b.Unit == Months {
		target = ev.AddMonths(b.N)
	}
	if len(g.Dates) == 0 || target > g.Dates[len(g.Dates)-1] {
		return len(g.Dates), nil // not covered yet
	}
	return g.onOrBefore(target), nil
}
