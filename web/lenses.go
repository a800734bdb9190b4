package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/concentration"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/screen"
	"github.com/ratecycle/ratecycle/sector"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/valuation"
)

// sectionCharts returns the charts of a report section, built once per process by the
// report's own builder (the embedded data do not change under a running server, as
// for /report).
func (s *Server) sectionCharts(ctx context.Context, name string) ([]report.Chart, error) {
	s.chartsMu.Lock()
	defer s.chartsMu.Unlock()
	if cs, ok := s.charts[name]; ok {
		return cs, nil
	}
	sec, err := engine.ReportSection(ctx, s.cat, name)
	if err != nil {
		return nil, err
	}
	var cs []report.Chart
	if sec != nil {
		cs = sec.Charts
	}
	if s.charts == nil {
		s.charts = map[string][]report.Chart{}
	}
	s.charts[name] = cs
	return cs, nil
}

// ---- valuation: the shape of `ratecycle valuation --format json` ----

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

type gapJSON struct {
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

type valuationJSON struct {
	Definition string         `json:"discount_definition"`
	Since      string         `json:"since"`
	Headline   gapJSON        `json:"headline"`
	Gaps       []gapJSON      `json:"gaps"`
	CAPE       capeJSON       `json:"cape"`
	Sources    []string       `json:"sources"`
	Charts     []report.Chart `json:"charts,omitempty"`
}

func valuationView(res *engine.ValuationResult) valuationJSON {
	out := valuationJSON{Definition: valuation.DiscountDefinition, Since: res.Since.String(), Sources: res.Sources, Gaps: []gapJSON{}}
	for i, g := range res.Gaps {
		p := res.Pairs[i]
		out.Gaps = append(out.Gaps, gapJSON{Pair: p.ID, Name: p.Name, File: p.File, Small: p.Small, Big: p.Big,
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

// valuation answers GET ?since=&method=&pair=&charts=, as `ratecycle valuation`.
func (s *Server) valuation(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	opt := engine.ValuationOptions{Since: series.NewDate(2000, 1, 1)}
	var err error
	if v := r.FormValue("since"); v != "" {
		if opt.Since, err = series.ParseDate(v); err != nil {
			return badRequest(fmt.Errorf("since: %w", err))
		}
	}
	switch m := r.FormValue("method"); m {
	case "", "all":
	default:
		vm, err := valuation.ParseMethod(m)
		if err != nil {
			return badRequest(fmt.Errorf("method: %w", err))
		}
		opt.Methods = []valuation.Method{vm}
	}
	switch p := r.FormValue("pair"); p {
	case "", "all":
	case "2x3", "5x5":
		opt.Pairs = []string{p}
	default:
		return httpErrorf(http.StatusBadRequest, "pair %q: want 2x3, 5x5 or all", p)
	}
	charts, err := boolParam(r, "charts")
	if err != nil {
		return err
	}
	ctx := r.Context()
	res, err := engine.Valuation(ctx, s.cat, opt)
	if err != nil {
		return userErr(err)
	}
	out := valuationView(res)
	if charts {
		if out.Charts, err = s.sectionCharts(ctx, "valuation"); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// ---- concentration: the shape of `ratecycle concentration --format json` ----

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

type concentrationJSON struct {
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

func concentrationView(res *engine.ConcentrationResult) concentrationJSON {
	out := concentrationJSON{Snapshots: []snapshotJSON{snapshotView(res.A)}}
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

// snapshotID checks a concentration snapshot id: a holdings/ or constituents/ id of
// the catalog (never a file).
func snapshotID(name, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	if !engine.IsConcentrationID(id) {
		return httpErrorf(http.StatusBadRequest, "%s %q: want a holdings/ or constituents/ id (holdings/IVV, holdings/IWM, constituents/sp500-financials)", name, id)
	}
	return nil
}

// concentration answers GET ?id=&compare=&top=&keep_share_classes= and the same fields
// as a POST form with a "groups" YAML upload (as `ratecycle concentration --groups`).
func (s *Server) concentration(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	id := r.FormValue("id")
	if id == "" {
		id = "holdings/IVV"
	}
	if err := snapshotID("id", id); err != nil {
		return err
	}
	cmp := r.FormValue("compare")
	if cmp != "" {
		if err := snapshotID("compare", cmp); err != nil {
			return err
		}
	}
	opt := engine.ConcentrationOptions{TopN: 7}
	if v := r.FormValue("top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return httpErrorf(http.StatusBadRequest, "top: %q is not a count from 1 to 1000", v)
		}
		opt.TopN = n
	}
	var err error
	if opt.KeepShareClasses, err = boolParam(r, "keep_share_classes"); err != nil {
		return err
	}
	data, name, err := upload(r, "groups")
	if err != nil {
		return err
	}
	if data != nil {
		if opt.Groups, err = concentration.ParseGroups(data, name); err != nil {
			return err
		}
	}
	ctx := r.Context()
	a, err := engine.ConcentrationSnapshot(ctx, s.cat, id, opt)
	if err != nil {
		return userErr(err)
	}
	var b *concentration.Snapshot
	if cmp != "" {
		if b, err = engine.ConcentrationSnapshot(ctx, s.cat, cmp, opt); err != nil {
			return userErr(err)
		}
	}
	return writeJSON(w, http.StatusOK, concentrationView(engine.Concentration(a, b, opt)))
}

// ---- sectors: the shape of `ratecycle sectors --format json` (sector.Ranking) ----

// sectors answers GET ?universe=&weights=&hac_lags=.
func (s *Server) sectors(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	opt := engine.SectorOptions{Universe: r.FormValue("universe"), Weights: sector.DefaultWeights, MaxLags: -1}
	if opt.Universe == "" {
		opt.Universe = "french12"
	}
	if _, _, err := engine.SectorInputIDs(opt.Universe); err != nil {
		return badRequest(fmt.Errorf("universe: %w", err))
	}
	var err error
	if v := r.FormValue("weights"); v != "" {
		if opt.Weights, err = sector.ParseWeights(v); err != nil {
			return badRequest(fmt.Errorf("weights: %w", err))
		}
	}
	if v := r.FormValue("hac_lags"); v != "" {
		if opt.MaxLags, err = strconv.Atoi(v); err != nil || opt.MaxLags < 0 || opt.MaxLags > 1000 {
			return httpErrorf(http.StatusBadRequest, "hac_lags: %q is not a count from 0 to 1000", v)
		}
	}
	ctx := r.Context()
	h, err := engine.Cycles(ctx, s.cat, cycle.DefaultRules)
	if err != nil {
		return err
	}
	res, err := engine.Sectors(ctx, s.cat, h, opt)
	if err != nil {
		return userErr(err)
	}
	if res.Rows == nil {
		res.Rows = []sector.Row{}
	}
	return writeJSON(w, http.StatusOK, res)
}

// ---- screen: the shape of `ratecycle screen --format json`, rows cut to top ----

type screenJSON struct {
	Universe string              `json:"universe"`
	Source   string              `json:"source"`
	AsOf     string              `json:"as_of"`
	Counts   map[string]int      `json:"counts"`
	Shown    int                 `json:"rows_shown"`
	Notes    []string            `json:"notes"`
	Result   *screen.Result      `json:"result"`
	Excluded map[string][]string `json:"excluded_by_reason"`
}

// defaultFSDS is the embedded Financial Statement Data Sets quarter: the point-in-time
// screen the dashboard shows.
const defaultFSDS = "2010q2"

// screenHandler answers GET ?fsds=&as_of=&universe=&price=&top= and the same fields as
// a POST form with a "rules" YAML upload (as `ratecycle screen --rules`). fsds=none
// screens companyfacts (holdings/IWM, latest filings) instead of an FSDS quarter.
func (s *Server) screenHandler(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	opt := engine.ScreenOptions{FSDS: defaultFSDS, AsOf: series.NoDate, Universe: r.FormValue("universe"), Prices: map[string]float64{},
		Rules: screen.DefaultRules()}
	if _, given := r.Form["fsds"]; given {
		opt.FSDS = r.FormValue("fsds")
	}
	if opt.FSDS == "none" {
		opt.FSDS = ""
	} else if _, err := engine.QuarterEnd(opt.FSDS); err != nil {
		return badRequest(fmt.Errorf("fsds: %w (or none for companyfacts)", err))
	}
	switch opt.Universe {
	case "", "filers", "holdings/IWM":
	default:
		return httpErrorf(http.StatusBadRequest, "universe %q: want filers or holdings/IWM", opt.Universe)
	}
	if opt.Universe == "filers" && opt.FSDS == "" {
		return httpErrorf(http.StatusBadRequest, "universe filers needs an fsds quarter")
	}
	var err error
	if v := r.FormValue("as_of"); v != "" {
		if opt.AsOf, err = series.ParseDate(v); err != nil {
			return badRequest(fmt.Errorf("as_of: %w", err))
		}
	}
	for _, p := range r.Form["price"] {
		k, v, ok := strings.Cut(p, "=")
		x, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || !(x > 0) || math.IsInf(x, 0) || k == "" {
			return httpErrorf(http.StatusBadRequest, "price %q: want TICKER=VALUE with a positive price, e.g. SNOW=180.5", p)
		}
		opt.Prices[strings.ToUpper(strings.TrimSpace(k))] = x
	}
	top := 50
	if v := r.FormValue("top"); v != "" {
		if top, err = strconv.Atoi(v); err != nil || top < 0 || top > 100000 {
			return httpErrorf(http.StatusBadRequest, "top: %q is not a count (0 = all rows)", v)
		}
	}
	data, name, err := upload(r, "rules")
	if err != nil {
		return err
	}
	if data != nil {
		if opt.Rules, err = screen.ParseRules(data, name); err != nil {
			return err
		}
	}
	res, err := engine.Screen(r.Context(), s.cat, opt)
	if err != nil {
		return userErr(err)
	}
	p, fl, u := res.Counts()
	asOf := "latest filings"
	if res.AsOf != series.NoDate {
		asOf = res.AsOf.String()
	}
	cut := *res.Result // the rows are cut in a copy; the engine's result is not changed
	if top > 0 && len(cut.Rows) > top {
		cut.Rows = cut.Rows[:top]
	}
	if cut.Rows == nil {
		cut.Rows = []screen.Row{}
	}
	if cut.Excluded == nil {
		cut.Excluded = []screen.Exclusion{}
	}
	ex := map[string][]string{}
	for _, e := range res.Excluded {
		who := e.Ticker
		if who == "" {
			who = e.Name
		}
		if who == "" {
			who = fmt.Sprintf("CIK %d", e.CIK)
		}
		ex[e.Reason] = append(ex[e.Reason], who)
	}
	return writeJSON(w, http.StatusOK, screenJSON{Universe: res.Universe, Source: res.Source, AsOf: asOf,
		Counts: map[string]int{"screened": len(res.Rows), "pass": p, "fail": fl, "unknown": u, "excluded": len(res.Excluded)},
		Shown:  len(cut.Rows), Notes: res.Notes, Result: &cut, Excluded: ex})
}
