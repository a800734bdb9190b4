package series

import (
	"fmt"
	"math"
	"time"
)

// How says how the observations inside a period become one value.
type How int

const (
	Last            How = iota // last non-missing value (prices, rates, levels)
	CompoundReturns            // prod(1+r)-1 (returns)
	Sum                        // sum (flows, log returns)
	Mean                       // arithmetic mean (monthly average of a daily rate)
	First                      // first non-missing value
)

func (h How) String() string {
	return [...]string{"last", "compound", "sum", "mean", "first"}[h]
}

// ParseHow parses last, compound, sum, mean and first.
func ParseHow(s string) (How, error) {
	for i, n := range []string{"last", "compound", "sum", "mean", "first"} {
		if s == n {
			return How(i), nil
		}
	}
	return Last, fmt.Errorf("unknown aggregation %q (want last, compound, sum, mean or first)", s)
}

// DefaultHow returns the natural aggregation for a kind: compound for returns, last otherwise.
func DefaultHow(k Kind) How {
	if k == KindReturn {
		return CompoundReturns
	}
	return Last
}

// PeriodEnd returns the label of the period containing d at frequency f: the Friday
// ending its week (weeks run Saturday..Friday, as pandas' W-FRI), the last calendar day
// of its month, quarter or year. Daily returns d.
func PeriodEnd(d Date, f Frequency) Date {
	switch f {
	case Weekly:
		off := (int(time.Friday) - int(d.Weekday()) + 7) % 7
		return d.AddDays(off)
	case Monthly:
		return d.MonthEnd()
	case Quarterly:
		y, m, _ := d.YMD()
		qm := time.Month(((int(m)-1)/3)*3 + 3)
		return NewDate(y, qm, DaysIn(y, qm))
	case Annual:
		return NewDate(d.Year(), time.December, 31)
	}
	return d
}

// Resample aggregates s to frequency f, labelling each period by its calendar end
// (see PeriodEnd). Periods with no non-missing observation are NaN, except that Sum
// and CompoundReturns of an empty period are also NaN (not zero), so gaps stay visible.
// A trailing period that is not complete is kept; callers that need complete periods
// compare the last date with the source's last date.
func (s *Series) Resample(f Frequency, how How) *Series {
	if f == Daily || f == Irregular {
		return s.Clone()
	}
	out := s.derive(s.Kind, len(s.Dates)/20+1)
	out.Freq = f
	i := 0
	for i < len(s.Dates) {
		end := PeriodEnd(s.Dates[i], f)
		j := i
		acc, n := 0.0, 0
		first, last := math.NaN(), math.NaN()
		if how == CompoundReturns {
			acc = 1
		}
		for ; j < len(s.Dates) && s.Dates[j] <= end; j++ {
			v := s.Values[j]
			if math.IsNaN(v) {
				continue
			}
			if n == 0 {
				first = v
			}
			last = v
			n++
			switch how {
			case CompoundReturns:
				acc *= 1 + v
			case Sum, Mean:
				acc += v
			}
		}
		var v float64
		switch {
		case n == 0:
			v = math.NaN()
		case how == Last:
			v = last
		case how == First:
			v = first
		case how == CompoundReturns:
			v = acc - 1
		case how == Sum:
			v = acc
		case how == Mean:
			v = acc / float64(n)
		}
		out.Dates = append(out.Dates, end)
		out.Values = append(out.Values, v)
		i = j
	}
	return out
}
