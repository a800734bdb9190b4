package concentration

import (
	"math"
	"sort"
	"strings"
)

// Change is one quantity in two snapshots. A is the first snapshot's value, B the
// second's; NaN where a snapshot does not have it. Diff = B - A.
type Change struct {
	Name string
	A, B float64
	Diff float64
}

func change(name string, a, b float64) Change { return Change{name, a, b, b - a} }

// NameChange is one ticker's weight in two snapshots (NaN when absent), with its rank
// (1 = largest; 0 when absent).
type NameChange struct {
	Ticker       string
	Name         string
	A, B         float64
	Diff         float64
	RankA, RankB int
}

// Comparison is what changed from snapshot A to snapshot B.
type Comparison struct {
	A, B    *Result
	Metrics []Change     // top-N share, HHI, effective N, holdings, non-equity share
	Names   []NameChange // the union of both top-N lists, by the larger of the two weights
	Groups  []Change     // every group of either result, by share of the equities
	Sectors []Change     // every sector of either, by the larger weight
	Common  int          // tickers held in both
	Overlap float64      // Σ min(wA, wB) over common tickers: the weight the two share
}

// Compare sets two results side by side. Tickers are matched by Key; a line carrying
// other share classes (Holding.Also) is matched with the sum of those classes, and a
// company's rank is that of its first line.
func Compare(a, b *Result) *Comparison {
	c := &Comparison{A: a, B: b}
	c.Metrics = []Change{
		change("holdings", float64(a.Holdings), float64(b.Holdings)),
		change("top share", a.TopShare, b.TopShare),
		change("HHI", a.HHI, b.HHI),
		change("effective N", a.EffectiveN, b.EffectiveN),
		change("non-equity share of fund", a.OtherShare, b.OtherShare),
	}
	// A line that carries other share classes (Holding.Also) is compared with the sum
	// of those classes in the other snapshot: both sides map to the first ticker.
	canon := map[string]string{}
	label := map[string]string{}
	for _, r := range []*Result{a, b} {
		for _, h := range r.Snapshot.Equities {
			for _, al := range h.Also {
				canon[Key(al)] = Key(h.Ticker)
				label[Key(h.Ticker)] = h.Ticker + "(+" + strings.Join(h.Also, "+") + ")"
			}
		}
	}
	keyOf := func(t string) string {
		if k, ok := canon[Key(t)]; ok {
			return k
		}
		return Key(t)
	}
	type pos struct {
		h    Holding
		rank int
	}
	index := func(r *Result) map[string]pos {
		m := make(map[string]pos, len(r.Snapshot.Equities))
		for i, h := range r.Snapshot.Equities {
			k := keyOf(h.Ticker)
			if p, ok := m[k]; ok { // another class of a company already seen: add it
				p.h.Weight += h.Weight
				m[k] = p
				continue
			}
			m[k] = pos{h, i + 1}
		}
		return m
	}
	ia, ib := index(a), index(b)
	// Sum in a fixed order (a's equity order), not map order, so the overlap is the same
	// to the last digit on every run.
	for i, h := range a.Snapshot.Equities {
		k := keyOf(h.Ticker)
		pa := ia[k]
		if pa.rank != i+1 {
			continue // a later line of the same key, already folded into its first line
		}
		if pb, ok := ib[k]; ok {
			c.Common++
			c.Overlap += math.Min(pa.h.Weight, pb.h.Weight)
		}
	}
	seen := map[string]bool{}
	for _, r := range []*Result{a, b} {
		for _, h := range r.Top {
			k := keyOf(h.Ticker)
			if seen[k] {
				continue
			}
			seen[k] = true
			nc := NameChange{Ticker: h.Ticker, Name: h.Name, A: math.NaN(), B: math.NaN()}
			if l, ok := label[k]; ok {
				nc.Ticker = l
			}
			if p, ok := ia[k]; ok {
				nc.A, nc.RankA = p.h.Weight, p.rank
			}
			if p, ok := ib[k]; ok {
				nc.B, nc.RankB = p.h.Weight, p.rank
			}
			nc.Diff = zeroNaN(nc.B) - zeroNaN(nc.A)
			c.Names = append(c.Names, nc)
		}
	}
	sort.SliceStable(c.Names, func(i, j int) bool {
		return math.Max(zeroNaN(c.Names[i].A), zeroNaN(c.Names[i].B)) > math.Max(zeroNaN(c.Names[j].A), zeroNaN(c.Names[j].B))
	})
	c.Groups = mergeChanges(groupMap(a), groupMap(b))
	c.Sectors = mergeChanges(sectorMap(a), sectorMap(b))
	return c
}

func zeroNaN(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

func groupMap(r *Result) map[string]float64 {
	m := map[string]float64{}
	for _, g := range r.Groups {
		m[g.Name] = g.Share
	}
	return m
}

func sectorMap(r *Result) map[string]float64 {
	m := map[string]float64{}
	for _, s := range r.Sectors {
		m[s.Sector] = s.Weight
	}
	return m
}

// mergeChanges pairs the keys of two maps (a key missing on one side counts as 0 there,
// since a sector or group without holdings has no weight) and orders them by the larger
// value.
func mergeChanges(a, b map[string]float64) []Change {
	var out []Change
	for k, va := range a {
		out = append(out, change(k, va, b[k]))
	}
	for k, vb := range b {
		if _, ok := a[k]; !ok {
			out = append(out, change(k, 0, vb))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		mi, mj := math.Max(out[i].A, out[i].B), math.Max(out[j].A, out[j].B)
		if mi != mj {
			return mi > mj
		}
		return strings.Compare(out[i].Name, out[j].Name) < 0
	})
	return out
}
