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
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/screen"
	"github.com/ratecycle/ratecycle/sector"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/valuation"
	"github.com/ratecycle/ratecycle/view"
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
	out := view.Valuation(res)
	if charts {
		if out.Charts, err = s.sectionCharts(ctx, "valuation"); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, out)
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
	return writeJSON(w, http.StatusOK, view.Concentration(engine.Concentration(a, b, opt)))
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
