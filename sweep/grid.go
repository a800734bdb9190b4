// Package sweep runs a strategy over a grid of parameter values on every core,
// streams each trial's metrics in grid order, ranks the trials and reports the
// deflated Sharpe ratio of the best ones, so the best of many trials is not mistaken
// for skill. A grid splits into shards (--shard i/n) that any batch scheduler can run;
// Merge combines their outputs into exactly the result of one run.
//
// sweep keeps no equity curve and no list of all trials: memory is the workers'
// scratch, a reorder window and the top-K table, whatever the grid's size. It opens
// no file and reads no clock; it is given a prepared run and writers.
package sweep

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Axis is one swept parameter and its values.
type Axis struct {
	Name   string
	Values []float64
}

// Grid is the cartesian product of its axes. Trial i takes the values given by the
// mixed-radix digits of i, the last axis varying fastest.
type Grid struct {
	Axes []Axis
}

// ParseGrid reads "tilt=0.1:0.5:0.1,lag=0:3,band=0.02,0.05": each axis is NAME=
// followed by a list of values separated by commas and/or ranges FROM:TO[:STEP]
// (STEP 1 by default; TO included when it is on the step, within 1e-9 of a step).
// A comma followed by NAME= starts the next axis.
func ParseGrid(spec string) (*Grid, error) {
	g := &Grid{}
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("empty grid (want e.g. tilt=0.1:0.5:0.1,lag=0:3)")
	}
	for _, tok := range strings.Split(spec, ",") {
		tok = strings.TrimSpace(tok)
		if name, rest, ok := strings.Cut(tok, "="); ok {
			name = strings.TrimSpace(name)
			if name == "" {
				return nil, fmt.Errorf("grid %q: %q has no parameter name", spec, tok)
			}
			for _, a := range g.Axes {
				if a.Name == name {
					return nil, fmt.Errorf("grid %q: parameter %s appears twice", spec, name)
				}
			}
			g.Axes = append(g.Axes, Axis{Name: name})
			tok = rest
		} else if len(g.Axes) == 0 {
			return nil, fmt.Errorf("grid %q: values %q before any NAME=", spec, tok)
		}
		ax := &g.Axes[len(g.Axes)-1]
		vals, err := parseValues(strings.TrimSpace(tok))
		if err != nil {
			return nil, fmt.Errorf("grid %q: %s: %w", spec, ax.Name, err)
		}
		ax.Values = append(ax.Values, vals...)
	}
	n := 1.0
	for _, a := range g.Axes {
		seen := map[float64]bool{}
		for _, v := range a.Values {
			if seen[v] {
				return nil, fmt.Errorf("grid %q: %s lists %v twice", spec, a.Name, v)
			}
			seen[v] = true
		}
		n *= float64(len(a.Values))
	}
	if n > 1<<40 {
		return nil, fmt.Errorf("grid %q has %.3g trials; more than 2^40 is not supported", spec, n)
	}
	return g, nil
}

func parseValues(s string) ([]float64, error) {
	num := func(x string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%q is not a number", x)
		}
		return v, nil
	}
	parts := strings.Split(s, ":")
	switch len(parts) {
	case 1:
		v, err := num(parts[0])
		return []float64{v}, err
	case 2, 3:
		from, err := num(parts[0])
		if err != nil {
			return nil, err
		}
		to, err := num(parts[1])
		if err != nil {
			return nil, err
		}
		step := 1.0
		if len(parts) == 3 {
			if step, err = num(parts[2]); err != nil {
				return nil, err
			}
		}
		if step <= 0 || to < from {
			return nil, fmt.Errorf("range %q: want FROM <= TO and a positive STEP", s)
		}
		k := math.Floor((to-from)/step + 1e-9)
		if k > 1e7 {
			return nil, fmt.Errorf("range %q has more than 10 million values", s)
		}
		out := make([]float64, 0, int(k)+1)
		for i := 0; i <= int(k); i++ {
			// from + i*step, rounded to 12 significant digits so 0.1:0.5:0.1 gives 0.3, not
			// 0.30000000000000004.
			v, _ := strconv.ParseFloat(strconv.FormatFloat(from+float64(i)*step, 'g', 12, 64), 64)
			out = append(out, v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%q is not a value or FROM:TO[:STEP]", s)
}

// Len returns the number of trials.
func (g *Grid) Len() int {
	n := 1
	for _, a := range g.Axes {
		n *= len(a.Values)
	}
	return n
}

// Names lists the axes' parameter names.
func (g *Grid) Names() []string {
	out := make([]string, len(g.Axes))
	for i, a := range g.Axes {
		out[i] = a.Name
	}
	return out
}

// Point writes trial i's value of each axis into dst (len(g.Axes)).
func (g *Grid) Point(i int, dst []float64) {
	for k := len(g.Axes) - 1; k >= 0; k-- {
		vals := g.Axes[k].Values
		dst[k] = vals[i%len(vals)]
		i /= len(vals)
	}
}

// String writes the grid in canonical form (every value listed), so two spellings of
// one grid compare equal.
func (g *Grid) String() string {
	var b strings.Builder
	for i, a := range g.Axes {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(a.Name)
		b.WriteByte('=')
		for j, v := range a.Values {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	return b.String()
}

// Shard is slice Index (1-based) of Count: it owns the trials i with i mod Count ==
// Index-1, so shards get interleaved, similar-cost slices of the grid.
type Shard struct {
	Index, Count int
}

// All is the whole grid.
var All = Shard{1, 1}

// ParseShard reads "i/n" with 1 <= i <= n.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 1 <= i <= n, e.g. 2/3", s)
	}
	return Shard{i, n}, nil
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Owns reports whether trial i belongs to the shard.
func (s Shard) Owns(i int) bool { return s.Count <= 1 || i%s.Count == s.Index-1 }

// Size returns the number of the grid's n trials the shard owns.
func (s Shard) Size(n int) int {
	if s.Count <= 1 {
		return n
	}
	k := n / s.Count
	if s.Index-1 < n%s.Count {
		k++
	}
	return k
}
