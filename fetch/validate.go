package fetch

import (
	"fmt"
	"math"
	"time"

	"github.com/ratecycle/ratecycle/series"
)

// Validation thresholds. A new vintage that breaks one is not stored; the previous
// vintage stays current and the error says which check failed and by how much.
const (
	// MaxShrink is how many fewer observations a new vintage may have than the
	// current one (providers occasionally drop a trailing holiday row, never years).
	MaxShrink = 5
	// MaxEndRegress is how much earlier than the current vintage a new one may end.
	MaxEndRegress = 7 // days
	// MaxFuture is how far past today an observation may be dated.
	MaxFuture = 7 // days
	// MaxMismatchShare is the share of overlapping observations that may disagree
	// beyond tolerance (revisions: CPI seasonal factors, Ken French's annual CRSP
	// rebuild, adjusted-price rescaling); a different series disagrees almost
	// everywhere. At least minMismatch disagreements are always allowed.
	MaxMismatchShare = 0.05
	minMismatch      = 3
)

// Validate checks next before it may replace prev (nil when there is no current
// data). It does not modify either series.
//
//   - next has at least one value, strictly increasing dates and nothing dated more
//     than MaxFuture days after now;
//   - next does not end more than MaxEndRegress days before prev ends, and has at
//     most MaxShrink fewer observations;
//   - where both have a value on the same date they agree, except for at most
//     MaxMismatchShare of the overlap: prices are compared by daily return (within
//     1 percentage point, so a dividend back-adjustment or a switch between a
//     dividend-adjusted and a split-only close passes), returns within 0.5
//     percentage points, rates and levels within 1% relative (0.01 absolute near 0).
func Validate(prev, next *series.Series, now time.Time) error {
	if next == nil || next.Len() == 0 {
		return fmt.Errorf("%w: no observations", ErrInvalid)
	}
	vals := 0
	for i, v := range next.Values {
		if !math.IsNaN(v) {
			vals++
		}
		if i > 0 && next.Dates[i] <= next.Dates[i-1] {
			return fmt.Errorf("%w: dates do not increase at %s after %s", ErrInvalid, next.Dates[i], next.Dates[i-1])
		}
	}
	if vals == 0 {
		return fmt.Errorf("%w: all %d observations are missing", ErrInvalid, next.Len())
	}
	if !now.IsZero() {
		if limit := series.FromTime(now).AddDays(MaxFuture); next.Last() > limit {
			return fmt.Errorf("%w: last observation %s is in the future (today is %s)", ErrInvalid, next.Last(), series.FromTime(now))
		}
	}
	if prev == nil || prev.Len() == 0 {
		return nil
	}
	if next.Last() < prev.Last().AddDays(-MaxEndRegress) {
		return fmt.Errorf("%w: ends %s, before the current vintage's %s", ErrInvalid, next.Last(), prev.Last())
	}
	if next.Len() < prev.Len()-MaxShrink {
		return fmt.Errorf("%w: %d observations (%s..%s), %d fewer than the current vintage's %d (%s..%s); at most %d fewer are accepted",
			ErrInvalid, next.Len(), next.First(), next.Last(), prev.Len()-next.Len(), prev.Len(), prev.First(), prev.Last(), MaxShrink)
	}
	n, bad, worst := compareOverlap(prev, next)
	if bad > max(minMismatch, int(MaxMismatchShare*float64(n))) {
		return fmt.Errorf("%w: disagrees with the current vintage on %d of %d overlapping observations (first at %s: %s); a different series?",
			ErrInvalid, bad, n, worst.date, worst.what)
	}
	return nil
}

type mismatch struct {
	date series.Date
	what string
}

// compareOverlap counts dates where both series have a value, and how many of them
// disagree beyond the kind's tolerance; it returns the first disagreement.
func compareOverlap(prev, next *series.Series) (n, bad int, first mismatch) {
	kind := prev.Kind
	if kind == "" {
		kind = next.Kind
	}
	i, j := 0, 0
	var pp, pn float64 // previous common values, for price returns
	havePrev := false
	for i < prev.Len() && j < next.Len() {
		switch {
		case prev.Dates[i] < next.Dates[j]:
			i++
			continue
		case prev.Dates[i] > next.Dates[j]:
			j++
			continue
		}
		a, b, d := prev.Values[i], next.Values[j], prev.Dates[i]
		i++
		j++
		if math.IsNaN(a) || math.IsNaN(b) {
			continue
		}
		var off bool
		var what string
		switch kind {
		case series.KindPrice:
			if havePrev && pp > 0 && pn > 0 && a > 0 && b > 0 {
				n++
				ra, rb := a/pp-1, b/pn-1
				if off = math.Abs(ra-rb) > 0.01; off {
					what = fmt.Sprintf("return %.4f now, %.4f before", rb, ra)
				}
			}
			pp, pn, havePrev = a, b, true
		case series.KindReturn:
			n++
			if off = math.Abs(a-b) > 0.005; off {
				what = fmt.Sprintf("%g now, %g before", b, a)
			}
		default:
			n++
			if off = math.Abs(a-b) > math.Max(0.01*math.Abs(a), 0.01); off {
				what = fmt.Sprintf("%g now, %g before", b, a)
			}
		}
		if off {
			if bad == 0 {
				first = mismatch{d, what}
			}
			bad++
		}
	}
	return n, bad, first
}

// splice extends cur with next from next's first date on (an update --since):
// observations of cur before that date are kept. Prices are rescaled so the seam
// has no jump: an adjusted-close provider re-bases its whole history at every
// dividend, so the kept part is multiplied by next/cur on the first date both have.
func splice(cur, next *series.Series) (*series.Series, string) {
	if cur == nil || cur.Len() == 0 || next.Len() == 0 {
		return next, ""
	}
	from := next.First()
	head := cur.Slice(series.NoDate, from.AddDays(-1))
	factor, note := 1.0, ""
	if cur.Kind == series.KindPrice {
		for j := range next.Dates {
			if v, ok := cur.At(next.Dates[j]); ok && v > 0 && next.Values[j] > 0 && !math.IsNaN(next.Values[j]) {
				factor = next.Values[j] / v
				note = fmt.Sprintf("; observations before %s rescaled by %.6f to the new adjustment basis", from, factor)
				break
			}
		}
	}
	out := next.Clone()
	out.Dates = append(append([]series.Date(nil), head.Dates...), next.Dates...)
	vals := make([]float64, 0, len(out.Dates))
	for _, v := range head.Values {
		vals = append(vals, v*factor)
	}
	out.Values = append(vals, next.Values...)
	return out, fmt.Sprintf("observations from %s downloaded, earlier ones kept from vintage %s%s", from, cur.Prov.Vintage, note)
}
