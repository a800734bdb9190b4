package series

import (
	"fmt"
	"math"
	"sort"
)

// Frame is a set of series aligned on one date index. Cols[j][i] is the value of
// column j on Dates[i]; NaN where a series had no observation.
type Frame struct {
	Dates []Date
	Names []string
	Cols  [][]float64
	Provs []Provenance
	Kinds []Kind
}

// Join says which dates an aligned frame keeps.
type Join int

const (
	Inner Join = iota // dates present in every series
	Outer             // dates present in any series
)

// Align puts the series on one date index. With Inner, only dates where every series
// has an observation (possibly NaN) are kept; with Outer, the union of dates, NaN where
// a series has none. Use AsOfJoin to carry the last value forward instead.
func Align(join Join, ss ...*Series) *Frame {
	f := &Frame{}
	if len(ss) == 0 {
		return f
	}
	switch join {
	case Inner:
		f.Dates = append([]Date(nil), ss[0].Dates...)
		for _, s := range ss[1:] {
			f.Dates = intersect(f.Dates, s.Dates)
		}
	default:
		f.Dates = append([]Date(nil), ss[0].Dates...)
		for _, s := range ss[1:] {
			f.Dates = union(f.Dates, s.Dates)
		}
	}
	for _, s := range ss {
		col := make([]float64, len(f.Dates))
		k := 0
		for i, d := range f.Dates {
			for k < len(s.Dates) && s.Dates[k] < d {
				k++
			}
			if k < len(s.Dates) && s.Dates[k] == d {
				col[i] = s.Values[k]
			} else {
				col[i] = math.NaN()
			}
		}
		f.add(s, col)
	}
	return f
}

// AsOfJoin puts the series on the given dates, taking for each date the last
// non-missing observation on or before it (an "as of" join). Dates before a series
// starts are NaN. With maxStale > 0, an observation older than maxStale days is NaN.
func AsOfJoin(dates []Date, maxStale int, ss ...*Series) *Frame {
	f := &Frame{Dates: append([]Date(nil), dates...)}
	for _, s := range ss {
		col := make([]float64, len(dates))
		k := -1
		lastV, lastD := math.NaN(), NoDate
		for i, d := range dates {
			for k+1 < len(s.Dates) && s.Dates[k+1] <= d {
				k++
				if !math.IsNaN(s.Values[k]) {
					lastV, lastD = s.Values[k], s.Dates[k]
				}
			}
			v := lastV
			if maxStale > 0 && lastD != NoDate && int(d-lastD) > maxStale {
				v = math.NaN()
			}
			col[i] = v
		}
		f.add(s, col)
	}
	return f
}

func (f *Frame) add(s *Series, col []float64) {
	f.Names = append(f.Names, s.Name)
	f.Cols = append(f.Cols, col)
	f.Provs = append(f.Provs, s.Prov)
	f.Kinds = append(f.Kinds, s.Kind)
}

// Col returns the column named name.
func (f *Frame) Col(name string) ([]float64, error) {
	for j, n := range f.Names {
		if n == name {
			return f.Cols[j], nil
		}
	}
	return nil, fmt.Errorf("frame has no column %q (have %v)", name, f.Names)
}

// Series returns column j as a Series.
func (f *Frame) Series(j int) *Series {
	return &Series{Name: f.Names[j], Kind: f.Kinds[j], Prov: f.Provs[j],
		Dates: append([]Date(nil), f.Dates...), Values: append([]float64(nil), f.Cols[j]...)}
}

// DropNaN returns the frame restricted to rows where no column is missing.
func (f *Frame) DropNaN() *Frame {
	out := &Frame{Names: f.Names, Provs: f.Provs, Kinds: f.Kinds, Cols: make([][]float64, len(f.Cols))}
rows:
	for i, d := range f.Dates {
		for _, c := range f.Cols {
			if math.IsNaN(c[i]) {
				continue rows
			}
		}
		out.Dates = append(out.Dates, d)
		for j, c := range f.Cols {
			out.Cols[j] = append(out.Cols[j], c[i])
		}
	}
	return out
}

func intersect(a, b []Date) []Date {
	out := a[:0]
	j := 0
	for _, d := range a {
		for j < len(b) && b[j] < d {
			j++
		}
		if j < len(b) && b[j] == d {
			out = append(out, d)
		}
	}
	return out
}

func union(a, b []Date) []Date {
	out := make([]Date, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && a[i] < b[j]):
			out = append(out, a[i])
			i++
		case i >= len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// SortByDate sorts parallel date and value slices by date; used by parsers of files
// whose rows are not in order. It reports the first duplicated date, if any.
func SortByDate(dates []Date, values []float64) (dup Date, ok bool) {
	idx := make([]int, len(dates))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return dates[idx[a]] < dates[idx[b]] })
	d2 := make([]Date, len(dates))
	v2 := make([]float64, len(values))
	for k, i := range idx {
		d2[k], v2[k] = dates[i], values[i]
	}
	copy(dates, d2)
	copy(values, v2)
	for i := 1; i < len(dates); i++ {
		if dates[i] == dates[i-1] {
			return dates[i], false
		}
	}
	return NoDate, true
}
