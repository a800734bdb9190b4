package view

import (
	"github.com/ratecycle/ratecycle/concentration"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/valuation"
)

// The shape of `ratecycle valuation --format json` ----

type valWindowJSON struct {
	From       series.Date `json:"from"`
	To         series.Date `json:"to"`
	N          int         `json:"n"`
	Mean       output.Num  `json:"mean"`
	SD         output.Num  `json:"sd"`
	Z          output.Num  `json:"z"`
	Percentile output.Num  `json:"percentile"`
	Median     output.Num  `json:"median"`
	P10        output.Num  `json:"p10"`
	P90        output.Num  `json:"p90"`
	Min        output.Num  `json:"min"`
	MinAt      series.Date `json:"min_date"`
	Max        output.Num  `json:"max"`
	MaxAt      series.Date `json:"max_date"`
}

func valWindow(w valuation.Window) valWindowJSON {
	return valWindowJSON{w.From, w.To, w.N, output.Num(w.Mean), output.Num(w.SD), output.Num(w.Z), output.Num(w.Percentile),
		output.Num(w.Median), output.Num(w.P10), output.Num(w.P90), output.Num(w.Min), w.MinAt, output.Num(w.Max), w.MaxAt}
}

// GapJSON is one pair and construction of the valuation gap.
type GapJSON struct {
	Pair                 string        `json:"pair"`
	Name                 string        `json:"name"`
	File                 string        `json:"file"`
	Small                []string      `json:"small_portfolios"`
	Big                  []string      `json:"big_portfolios"`
	Method               string        `json:"method"`
	AsOf                 series.Date   `json:"as_of"`
	SmallBM              output.Num    `json:"small_bm"`
	BigBM                output.Num    `json:"big_bm"`
	RelativeBM           output.Num    `json:"relative_bm"`
	RelativePB           output.Num    `json:"relative_pb"`
	BMFull               valWindowJSON `json:"relative_bm_full"`
	BMSince              valWindowJSON `json:"relative_bm_since"`
	PBFull               valWindowJSON `json:"relative_pb_full"`
	PBSince              valWindowJSON `json:"relative_pb_since"`
	Discount             output.Num    `json:"discount"`
	MaxDiscountSince     output.Num    `json:"max_discount_since"`
	MaxDiscountSinceDate series.Date   `json:"max_discount_since_date"`
	LargestSince         bool          `json:"largest_since"`
	MonthsCheaperSince   int           `json:"months_since_at_or_below_todays_pb"`
	Reformed             series.Date   `json:"reformed"`
	SmallReformJump      output.Num    `json:"small_bm_change_at_reformation"`
	BigReformJump        output.Num    `json:"big_bm_change_at_reformation"`
	DiscountBeforeReform output.Num    `json:"discount_before_reformation"`
}

type capeJSON struct {
	ID    string        `json:"id"`
	AsOf  series.Date   `json:"as_of"`
	Value output.Num    `json:"value"`
	Full  valWindowJSON `json:"full"`
	Since valWindowJSON `json:"since"`
	Note  string        `json:"note"`
}

// ValuationJSON is the shape of `ratecycle valuation --format json` and GET /api/v1/valuation.
type ValuationJSON struct {
	Definition string         `json:"discount_definition"`
	Since      string         `json:"since"`
	Headline   GapJSON        `json:"headline"`
	Gaps       []GapJSON      `json:"gaps"`
	CAPE       capeJSON       `json:"cape"`
	Sources    []string       `json:"sources"`
	Charts     []report.Chart `json:"charts,omitempty"`
}

// Valuation converts a valuation result.
func Valuation(res *engine.ValuationResult) ValuationJSON {
	out := ValuationJSON{Definition: valuation.DiscountDefinition, Since: res.Since.String(), Sources: res.Sources, Gaps: []GapJSON{}}
	for i, g := range res.Gaps {
		p := res.Pairs[i]
		out.Gaps = append(out.Gaps, GapJSON{Pair: p.ID, Name: p.Name, File: p.File, Small: p.Small, Big: p.Big,
			Method: string(g.Method), AsOf: g.Latest, SmallBM: output.Num(g.SmallNow), BigBM: output.Num(g.BigNow),
			RelativeBM: output.Num(g.RelBMNow), RelativePB: output.Num(g.RelPBNow),
			BMFull: valWindow(g.BMFull), BMSince: valWindow(g.BMSince), PBFull: valWindow(g.PBFull), PBSince: valWindow(g.PBSince),
			Discount: output.Num(g.Discount), MaxDiscountSince: output.Num(g.MaxDiscountSince), MaxDiscountSinceDate: g.MaxDiscountSinceAt,
			LargestSince: g.LargestSince, MonthsCheaperSince: g.MonthsCheaperSince,
			Reformed: g.Reformed, SmallReformJump: output.Num(g.SmallReformJump), BigReformJump: output.Num(g.BigReformJump),
			DiscountBeforeReform: output.Num(g.DiscountBeforeReform)})
	}
	out.Headline = out.Gaps[0] // Valuation returns at least one gap or an error
	c := res.CAPE
	out.CAPE = capeJSON{ID: engine.CAPEID, AsOf: c.Latest, Value: output.Num(c.Value), Full: valWindow(c.Full), Since: valWindow(c.Since),
		Note: "Shiller's own data end 2023-09 in the embedded datahub copy"}
	return out
}

// The shape of `ratecycle concentration --format json` ----

type holdingJSON struct {
	Ticker     string     `json:"ticker"`
	Name       string     `json:"name"`
	Sector     string     `json:"sector,omitempty"`
	AssetClass string     `json:"asset_class"`
	Weight     output.Num `json:"weight"`
	FundWeight output.Num `json:"fund_weight"`
	Value      output.Num `json:"value"`
	Notional   output.Num `json:"notional,omitempty"`
	Line       int        `json:"line"`
	Also       []string   `json:"also,omitempty"`
}

func holdingOf(h concentration.Holding) holdingJSON {
	return holdingJSON{h.Ticker, h.Name, h.Sector, h.AssetClass, output.Num(h.Weight), output.Num(h.FundWeight),
		output.Num(h.Value), output.Num(h.Notional), h.Line, h.Also}
}

type groupJSON struct {
	Name      string        `json:"name"`
	Share     output.Num    `json:"share"`
	FundShare output.Num    `json:"fund_share"`
	Members   []holdingJSON `json:"members"`
	Missing   []string      `json:"missing"`
}

type sectorWeightJSON struct {
	Sector string     `json:"sector"`
	Weight output.Num `json:"weight"`
	Lines  int        `json:"lines"`
}

type snapshotJSON struct {
	Source       string                    `json:"source"`
	Title        string                    `json:"title"`
	AsOf         string                    `json:"as_of,omitempty"`
	Basis        string                    `json:"weights_from"`
	Renormalised bool                      `json:"equity_weights_renormalised"`
	EquityShare  output.Num                `json:"equity_share_of_fund"`
	Lines        int                       `json:"equity_lines_in_source"`
	Holdings     int                       `json:"equity_lines"`
	TopN         int                       `json:"top_n"`
	TopShare     output.Num                `json:"top_share"`
	TopFundShare output.Num                `json:"top_fund_share"`
	HHI          output.Num                `json:"hhi"`
	EffectiveN   output.Num                `json:"effective_n"`
	OtherShare   output.Num                `json:"non_equity_share_of_fund"`
	Top          []holdingJSON             `json:"top"`
	Groups       []groupJSON               `json:"groups"`
	Sectors      []sectorWeightJSON        `json:"sectors"`
	NonEquity    []holdingJSON             `json:"non_equity"`
	Excluded     []concentration.Exclusion `json:"excluded"`
	Notes        []string                  `json:"notes"`
}

type changeJSON struct {
	Name string     `json:"name"`
	A    output.Num `json:"a"`
	B    output.Num `json:"b"`
	Diff output.Num `json:"change"`
}

type nameChangeJSON struct {
	Ticker string     `json:"ticker"`
	Name   string     `json:"name"`
	A      output.Num `json:"a"`
	B      output.Num `json:"b"`
	Diff   output.Num `json:"change"`
	RankA  int        `json:"rank_a"`
	RankB  int        `json:"rank_b"`
}

type comparisonJSON struct {
	A       string           `json:"a"`
	B       string           `json:"b"`
	Metrics []changeJSON     `json:"metrics"`
	Names   []nameChangeJSON `json:"names"`
	Groups  []changeJSON     `json:"groups"`
	Sectors []changeJSON     `json:"sectors"`
	Common  int              `json:"common_tickers"`
	Overlap output.Num       `json:"common_weight"`
}

// ConcentrationJSON is the shape of `ratecycle concentration --format json` and /api/v1/concentration.
type ConcentrationJSON struct {
	Snapshots  []snapshotJSON  `json:"snapshots"`
	Comparison *comparisonJSON `json:"comparison,omitempty"`
}

func snapshotView(r *concentration.Result) snapshotJSON {
	s := r.Snapshot
	asOf := ""
	if s.AsOf != series.NoDate {
		asOf = s.AsOf.String()
	}
	out := snapshotJSON{Source: s.Source, Title: s.Title, AsOf: asOf, Basis: s.Basis, Renormalised: s.Renormalised,
		EquityShare: output.Num(s.EquityShare), Lines: s.Lines, Holdings: r.Holdings, TopN: r.TopN, TopShare: output.Num(r.TopShare),
		TopFundShare: output.Num(r.TopFundShare), HHI: output.Num(r.HHI), EffectiveN: output.Num(r.EffectiveN),
		OtherShare: output.Num(r.OtherShare), Excluded: s.Excluded, Notes: s.Notes,
		Top: []holdingJSON{}, Groups: []groupJSON{}, Sectors: []sectorWeightJSON{}, NonEquity: []holdingJSON{}}
	if out.Excluded == nil {
		out.Excluded = []concentration.Exclusion{}
	}
	for _, h := range r.Top {
		out.Top = append(out.Top, holdingOf(h))
	}
	for _, g := range r.Groups {
		gj := groupJSON{Name: g.Name, Share: output.Num(g.Share), FundShare: output.Num(g.FundShare), Members: []holdingJSON{}, Missing: g.Missing}
		if gj.Missing == nil {
			gj.Missing = []string{}
		}
		for _, h := range g.Members {
			gj.Members = append(gj.Members, holdingOf(h))
		}
		out.Groups = append(out.Groups, gj)
	}
	for _, sw := range r.Sectors {
		out.Sectors = append(out.Sectors, sectorWeightJSON{sw.Sector, output.Num(sw.Weight), sw.Holdings})
	}
	for _, h := range s.Other {
		out.NonEquity = append(out.NonEquity, holdingOf(h))
	}
	return out
}

func changesView(cs []concentration.Change) []changeJSON {
	out := make([]changeJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, changeJSON{c.Name, output.Num(c.A), output.Num(c.B), output.Num(c.Diff)})
	}
	return out
}

// Concentration converts one snapshot, or two with their comparison.
func Concentration(res *engine.ConcentrationResult) ConcentrationJSON {
	out := ConcentrationJSON{Snapshots: []snapshotJSON{snapshotView(res.A)}}
	if res.B != nil {
		out.Snapshots = append(out.Snapshots, snapshotView(res.B))
		c := res.Compare
		cj := &comparisonJSON{A: res.A.Snapshot.Source, B: res.B.Snapshot.Source, Metrics: changesView(c.Metrics),
			Groups: changesView(c.Groups), Sectors: changesView(c.Sectors), Common: c.Common, Overlap: output.Num(c.Overlap),
			Names: []nameChangeJSON{}}
		for _, n := range c.Names {
			cj.Names = append(cj.Names, nameChangeJSON{n.Ticker, n.Name, output.Num(n.A), output.Num(n.B), output.Num(n.Diff), n.RankA, n.RankB})
		}
		out.Comparison = cj
	}
	return out
}
