package engine

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/concentration"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/holdings"
)

// ConstituentsRefID is the constituents list that gives GICS sectors and CIKs to the
// market-cap snapshot (whose own "Sector" column holds sub-industries).
const ConstituentsRefID = "constituents/sp500"

// ConcentrationOptions shape a concentration analysis.
type ConcentrationOptions struct {
	TopN   int                   // top-N share; 0 means 7
	Groups []concentration.Group // user groups, merged over the built-in ones
	// KeepShareClasses counts every line of a constituents snapshot as the file gives
	// it. By default, when share classes of one company (same CIK) each carry the
	// company-wide market cap, as Yahoo reports them, the cap is counted once.
	KeepShareClasses bool
}

// ConcentrationResult is one snapshot's concentration and, when a second snapshot was
// given, the comparison.
type ConcentrationResult struct {
	A, B    *concentration.Result
	Compare *concentration.Comparison
	Groups  []concentration.Group // the groups measured
}

// IsConcentrationID reports whether id names a catalog snapshot the concentration lens
// reads (holdings/... or constituents/...).
func IsConcentrationID(id string) bool {
	return strings.HasPrefix(id, "holdings/") || strings.HasPrefix(id, "constituents/")
}

// ConcentrationSnapshot loads a catalog snapshot: an iShares fund (holdings/IVV,
// holdings/IWM) or a constituents list with market caps (constituents/sp500-financials).
func ConcentrationSnapshot(ctx context.Context, cat *catalog.Catalog, id string, opt ConcentrationOptions) (*concentration.Snapshot, error) {
	s, err := snapshotOf(catalogHoldings{ctx, cat}, id, opt)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(id, "constituents/") {
		if d, err := cat.Info(ctx, id); err == nil && d.Title != "" {
			s.Title = d.Title
		}
	}
	return s, nil
}

// holdingsSource is where snapshots come from: the catalog, or the thesis checker's
// data (engine.ThesisData offers the same two methods).
type holdingsSource interface {
	Fund(id string) (*holdings.Fund, error)
	Constituents(id string) ([]holdings.Constituent, error)
}

type catalogHoldings struct {
	ctx context.Context
	cat *catalog.Catalog
}

func (c catalogHoldings) Fund(id string) (*holdings.Fund, error) { return c.cat.Fund(c.ctx, id) }
func (c catalogHoldings) Constituents(id string) ([]holdings.Constituent, error) {
	return c.cat.Constituents(c.ctx, id)
}

func snapshotOf(src holdingsSource, id string, opt ConcentrationOptions) (*concentration.Snapshot, error) {
	switch {
	case strings.HasPrefix(id, "holdings/"):
		f, err := src.Fund(id)
		if err != nil {
			return nil, err
		}
		return SnapshotFromFund(f, id)
	case strings.HasPrefix(id, "constituents/"):
		cs, err := src.Constituents(id)
		if err != nil {
			return nil, err
		}
		ref, err := src.Constituents(ConstituentsRefID)
		if err != nil {
			return nil, fmt.Errorf("concentration: sectors from %s: %w", ConstituentsRefID, err)
		}
		return SnapshotFromConstituents(cs, ref, id, opt)
	}
	return nil, fmt.Errorf("concentration: %q is not a holdings/ or constituents/ id: %w", id, catalog.ErrNotFound)
}

// ishareSectors maps iShares' sector names to GICS names where they differ, so fund and
// index snapshots compare sector by sector.
var ishareSectors = map[string]string{"Communication": "Communication Services"}

// SnapshotFromFund turns an iShares fund into a snapshot: equities with weights
// renormalised over the equities (on market values when every equity has one, else the
// file's weights), every other line (cash, money market, collateral, futures) apart with
// its share of the fund.
func SnapshotFromFund(f *holdings.Fund, source string) (*concentration.Snapshot, error) {
	ew := f.EquityWeights()
	s := &concentration.Snapshot{Source: source, Title: f.Name, AsOf: f.AsOf, Fund: true, Basis: ew.Basis,
		EquityShare: ew.EquityShare}
	var mvAll float64
	for _, h := range f.Holdings {
		if !math.IsNaN(h.MarketValue) {
			mvAll += h.MarketValue
		}
	}
	fundWeight := func(h holdings.Holding) float64 {
		if ew.Basis == concentration.BasisMarketValue && mvAll > 0 && !math.IsNaN(h.MarketValue) {
			return h.MarketValue / mvAll
		}
		return h.Weight
	}
	orig := map[int]holdings.Holding{}
	for _, h := range f.Holdings {
		orig[h.Line] = h
	}
	for _, h := range ew.Holdings {
		s.Lines++
		sec := h.Sector
		if g, ok := ishareSectors[sec]; ok {
			sec = g
		}
		if math.IsNaN(h.Weight) {
			s.Excluded = append(s.Excluded, concentration.Exclusion{Ticker: h.Ticker, Name: h.Name, Line: h.Line, Reason: "no weight in the file"})
			continue
		}
		s.Equities = append(s.Equities, concentration.Holding{Ticker: h.Ticker, Name: h.Name, Sector: sec,
			AssetClass: h.AssetClass, Weight: h.Weight, FundWeight: fundWeight(orig[h.Line]), Value: h.MarketValue,
			Notional: h.Notional, Line: h.Line})
	}
	for _, h := range f.NonEquity() {
		s.Other = append(s.Other, concentration.Holding{Ticker: h.Ticker, Name: h.Name, Sector: h.Sector,
			AssetClass: h.AssetClass, Weight: math.NaN(), FundWeight: fundWeight(h), Value: h.MarketValue,
			Notional: h.Notional, Line: h.Line})
	}
	if err := s.Normalise(); err != nil {
		return nil, err
	}
	// EquityWeights already rescaled the weights to the equities; say so whenever the
	// fund holds anything else.
	s.Renormalised = s.Renormalised || len(s.Other) > 0 || math.Abs(ew.EquityShare-1) > 1e-12
	s.Notes = append(s.Notes, fmt.Sprintf("Equity weights are renormalised to sum to 100%% over the %d equity lines (basis: %s); equities are %.2f%% of the fund, the other %d lines are listed apart.",
		len(s.Equities), ew.Basis, 100*ew.EquityShare, len(s.Other)))
	return s, nil
}

// SnapshotFromConstituents turns a constituents list with market caps into a snapshot:
// weight = market cap / the sum of the known caps. Lines without a cap are excluded and
// counted (coverage). GICS sectors and CIKs come from ref (constituents/sp500) by symbol.
// Unless opt.KeepShareClasses, a company listed under several symbols with the same CIK
// whose lines all carry a market cap keeps the first line's cap only: Yahoo reports the
// company-wide cap on every class, so summing them counts the company twice.
func SnapshotFromConstituents(cs, ref []holdings.Constituent, source string, opt ConcentrationOptions) (*concentration.Snapshot, error) {
	type refInfo struct {
		sector string
		cik    int
	}
	byKey := map[string]refInfo{}
	for _, c := range ref {
		byKey[concentration.Key(c.Symbol)] = refInfo{c.Sector, c.CIK}
	}
	s := &concentration.Snapshot{Source: source, Title: "S&P 500 constituents", AsOf: series.NoDate,
		Basis: concentration.BasisMarketCap, EquityShare: 1}
	firstOfCIK := map[int]int{} // CIK -> index in s.Equities
	for _, c := range cs {
		s.Lines++
		info, known := byKey[concentration.Key(c.Symbol)]
		sec := info.sector
		if sec == "" {
			sec = c.Sector // the financials file holds a sector name only where it has one
		}
		if math.IsNaN(c.MarketCap) || c.MarketCap <= 0 {
			s.Excluded = append(s.Excluded, concentration.Exclusion{Ticker: c.Symbol, Name: c.Name, Line: c.Line, Reason: "no market cap in the file"})
			continue
		}
		if known && info.cik != 0 && !opt.KeepShareClasses {
			if i, dup := firstOfCIK[info.cik]; dup {
				first := &s.Equities[i]
				first.Also = append(first.Also, c.Symbol)
				s.Excluded = append(s.Excluded, concentration.Exclusion{Ticker: c.Symbol, Name: c.Name, Line: c.Line,
					Reason: fmt.Sprintf("another share class of %s (same CIK %d): its cap is the company-wide cap, counted once on %s", first.Ticker, info.cik, first.Ticker)})
				continue
			}
			firstOfCIK[info.cik] = len(s.Equities)
		}
		s.Equities = append(s.Equities, concentration.Holding{Ticker: c.Symbol, Name: c.Name, Sector: sec, AssetClass: holdings.AssetEquity,
			Weight: c.MarketCap, FundWeight: math.NaN(), Value: c.MarketCap, Notional: math.NaN(), Line: c.Line})
	}
	var sum float64
	noSector, noSectorW := 0, 0.0
	for _, h := range s.Equities {
		sum += h.Value
	}
	if sum <= 0 {
		return nil, fmt.Errorf("concentration: %s has no market caps", source)
	}
	for i := range s.Equities {
		s.Equities[i].Weight /= sum
	}
	if err := s.Normalise(); err != nil {
		return nil, err
	}
	for _, h := range s.Equities {
		if h.Sector == "" {
			noSector++
			noSectorW += h.Weight
		}
	}
	missing := 0
	for _, e := range s.Excluded {
		if strings.HasPrefix(e.Reason, "no market cap") {
			missing++
		}
	}
	s.Notes = append(s.Notes, fmt.Sprintf("Weights = market cap / the sum of the %d known caps ($%.2f trillion); %d of %d lines have no market cap in the file and are left out (coverage %.1f%% of lines).",
		len(s.Equities), sum/1e12, missing, s.Lines, 100*float64(s.Lines-missing)/float64(s.Lines)))
	if dups := len(s.Excluded) - missing; dups > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d extra share-class lines carry their company's whole market cap (Yahoo's convention) and are counted once; --keep-share-classes counts them as the file does.", dups))
	} else if opt.KeepShareClasses {
		s.Notes = append(s.Notes, "Share classes are counted as the file gives them: Yahoo puts the company-wide cap on each class line (GOOGL and GOOG, FOXA and FOX, NWSA and NWS), so those companies count twice.")
	}
	if noSector > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d lines (%.2f%% of the weight) are not in %s, whose member list is newer, and have no GICS sector.", noSector, 100*noSectorW, ConstituentsRefID))
	}
	return s, nil
}

// Concentration measures a (and b, when not nil, with the comparison) with the top-N
// share, HHI, effective N, sectors and the built-in groups merged with opt.Groups.
func Concentration(a, b *concentration.Snapshot, opt ConcentrationOptions) *ConcentrationResult {
	n := opt.TopN
	if n == 0 {
		n = 7
	}
	groups := concentration.MergeGroups(concentration.BuiltinGroups(), opt.Groups)
	r := &ConcentrationResult{A: concentration.Analyze(a, n, groups), Groups: groups}
	if b != nil {
		r.B = concentration.Analyze(b, n, groups)
		r.Compare = concentration.Compare(r.A, r.B)
	}
	return r
}
