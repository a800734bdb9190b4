// Package concentration measures how concentrated an index or fund is: the share of
// its largest N lines, the Herfindahl-Hirschman index (the sum of squared weights) and
// the effective number of holdings (1/HHI), sector weights, the share of named groups of
// tickers (the built-in mag7, or groups a user writes in YAML), and what changed
// between two snapshots.
//
// A Snapshot keeps equities and everything else apart: cash, money-market funds,
// collateral and futures are listed in Other with their fund weights and never enter
// the equity weights, which sum to 1 over the equities alone (Renormalised says so).
// Tickers are matched across sources by Key, which ignores case and the punctuation
// that differs between them (BRK.B, BRK-B and BRKB are one ticker).
//
// concentration is pure: it is given snapshots and returns numbers. It never reads
// files, looks at the clock or keeps state; ParseGroups is given bytes.
package concentration

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/ratecycle/ratecycle/series"
)

// Holding is one line of a snapshot.
type Holding struct {
	Ticker     string
	Name       string
	Sector     string
	AssetClass string  // "Equity", "Cash", "Futures", ...; "Equity" for index constituents
	Weight     float64 // share of the snapshot's equities (the equities sum to 1); NaN for Other lines
	FundWeight float64 // share of the whole fund as its file gives it; NaN when the source is not a fund
	Value      float64 // market value (fund) or market cap (index) behind the weight; NaN when unknown
	Notional   float64 // exposure as the fund states it (differs from Value for futures); NaN when unknown
	Line       int     // line in the source file; 0 when unknown
	// Also lists other tickers whose weight this line carries (a share class whose
	// company-wide market cap is counted here once); groups naming them find this line.
	Also []string
}

// Exclusion is a source line left out of the equity weights, with the reason.
type Exclusion struct {
	Ticker string
	Name   string
	Reason string
	Line   int
}

// Snapshot is one dated set of holdings: a fund's file or an index's constituents.
type Snapshot struct {
	Source       string      // catalog id or file name
	Title        string      // "iShares Core S&P 500 ETF"
	AsOf         series.Date // NoDate when the source does not say
	Fund         bool        // a fund's holdings (fund weights, non-equity lines) rather than an index's constituents
	Basis        string      // what the weights are computed from: "market value", "weight", "market cap"
	Equities     []Holding   // weights sum to 1
	Other        []Holding   // non-equity lines with their fund weights; never in Equities
	EquityShare  float64     // the equities' share of the fund on Basis; 1 for an index
	Renormalised bool        // equity weights were rescaled to sum to 1 over the equities
	Excluded     []Exclusion // equity lines left out (a missing market cap, a repeated share class)
	Lines        int         // equity lines in the source, excluded ones included
	Notes        []string    // what a reader must know about the source
}

// Key is the form in which tickers are compared: upper case without '.', '-', '/' or
// spaces, so BRK.B (datahub), BRK-B (Yahoo) and BRKB (iShares) match.
func Key(ticker string) string {
	clean := true
	for i := 0; i < len(ticker); i++ {
		if c := ticker[i]; c >= 'a' && c <= 'z' || c == '.' || c == '-' || c == '/' || c == ' ' || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return ticker
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(strings.TrimSpace(ticker)) {
		switch r {
		case '.', '-', '/', ' ':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Normalise sorts the equities by weight (largest first, then ticker) and rescales
// them to sum to 1, recording whether it had to. A snapshot without equities, or with
// a negative or non-finite weight, is an error.
func (s *Snapshot) Normalise() error {
	var sum float64
	for _, h := range s.Equities {
		if math.IsNaN(h.Weight) || math.IsInf(h.Weight, 0) || h.Weight < 0 {
			return fmt.Errorf("%s: %s has weight %v", s.Source, h.Ticker, h.Weight)
		}
		sum += h.Weight
	}
	if len(s.Equities) == 0 || sum <= 0 {
		return fmt.Errorf("%s: no equity weights", s.Source)
	}
	if math.Abs(sum-1) > 1e-12 {
		for i := range s.Equities {
			s.Equities[i].Weight /= sum
		}
		s.Renormalised = true
	}
	sort.SliceStable(s.Equities, func(i, j int) bool {
		a, b := s.Equities[i], s.Equities[j]
		if a.Weight != b.Weight {
			return a.Weight > b.Weight
		}
		return a.Ticker < b.Ticker
	})
	return nil
}

// HHI returns the Herfindahl-Hirschman index Σ w² of weights that sum to 1 (between
// 1/n for n equal weights and 1 for a single holding).
func HHI(weights []float64) float64 {
	var h float64
	for _, w := range weights {
		h += w * w
	}
	return h
}

// SectorWeight is one sector's share of the equities.
type SectorWeight struct {
	Sector   string
	Weight   float64
	Holdings int
}

// GroupShare is a group's share of a snapshot.
type GroupShare struct {
	Name      string
	Share     float64   // of the equities
	FundShare float64   // of the whole fund; NaN when the source is not a fund
	Members   []Holding // the lines found, largest first
	Missing   []string  // group tickers not in the snapshot
}

// Result is the concentration of one snapshot.
type Result struct {
	Snapshot     *Snapshot
	TopN         int
	Top          []Holding // the TopN largest equity lines
	TopShare     float64   // their share of the equities
	TopFundShare float64   // their share of the fund (NaN when not a fund)
	HHI          float64   // Σ w² over the equity lines
	EffectiveN   float64   // 1 / HHI
	Holdings     int       // equity lines
	Sectors      []SectorWeight
	Groups       []GroupShare
	OtherShare   float64 // Σ fund weights of the non-equity lines (NaN when not a fund)
}

// Analyze measures s, which must be normalised (see Snapshot.Normalise), with the top
// topN lines and the given groups. Concentration is by line: a company with two share
// classes (GOOGL and GOOG) is two lines, as it is in the index. topN < 1 panics.
func Analyze(s *Snapshot, topN int, groups []Group) *Result {
	if topN < 1 {
		panic("concentration: topN must be at least 1")
	}
	r := &Result{Snapshot: s, TopN: topN, Holdings: len(s.Equities), OtherShare: math.NaN()}
	w := make([]float64, len(s.Equities))
	for i, h := range s.Equities {
		w[i] = h.Weight
	}
	r.HHI = HHI(w)
	r.EffectiveN = 1 / r.HHI
	n := min(topN, len(s.Equities))
	r.Top = s.Equities[:n]
	r.TopFundShare = 0
	for _, h := range r.Top {
		r.TopShare += h.Weight
		r.TopFundShare += h.FundWeight // NaN propagates for non-funds
	}
	bySector := map[string]*SectorWeight{}
	for _, h := range s.Equities {
		sec := h.Sector
		if sec == "" {
			sec = "(unknown)"
		}
		sw := bySector[sec]
		if sw == nil {
			sw = &SectorWeight{Sector: sec}
			bySector[sec] = sw
		}
		sw.Weight += h.Weight
		sw.Holdings++
	}
	for _, sw := range bySector {
		r.Sectors = append(r.Sectors, *sw)
	}
	sort.Slice(r.Sectors, func(i, j int) bool {
		if r.Sectors[i].Weight != r.Sectors[j].Weight {
			return r.Sectors[i].Weight > r.Sectors[j].Weight
		}
		return r.Sectors[i].Sector < r.Sectors[j].Sector
	})
	if s.Fund {
		r.OtherShare = 0
		for _, h := range s.Other {
			if !math.IsNaN(h.FundWeight) {
				r.OtherShare += h.FundWeight
			}
		}
	}
	byKey := map[string][]int{}
	for i, h := range s.Equities {
		byKey[Key(h.Ticker)] = append(byKey[Key(h.Ticker)], i)
		for _, a := range h.Also {
			byKey[Key(a)] = append(byKey[Key(a)], i)
		}
	}
	for _, g := range groups {
		gs := GroupShare{Name: g.Name}
		in := map[int]bool{}
		for _, t := range g.Tickers {
			idx, ok := byKey[Key(t)]
			if !ok {
				gs.Missing = append(gs.Missing, t)
				continue
			}
			for _, i := range idx {
				if !in[i] { // a line found by its ticker and an alias counts once
					in[i] = true
					gs.Members = append(gs.Members, s.Equities[i])
				}
			}
		}
		sort.SliceStable(gs.Members, func(i, j int) bool { return gs.Members[i].Weight > gs.Members[j].Weight })
		for _, h := range gs.Members {
			gs.Share += h.Weight
			gs.FundShare += h.FundWeight
		}
		r.Groups = append(r.Groups, gs)
	}
	return r
}

// Basis names.
const (
	BasisMarketValue = "market value"
	BasisWeight      = "weight"
	BasisMarketCap   = "market cap"
)

// Group returns the share of the named group, or false.
func (r *Result) Group(name string) (GroupShare, bool) {
	for _, g := range r.Groups {
		if strings.EqualFold(g.Name, name) {
			return g, true
		}
	}
	return GroupShare{}, false
}
