package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/rebalance"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/study"
	"github.com/ratecycle/ratecycle/view"
)

// features says which dashboard panels have an engine analysis behind them; a panel
// whose analysis is not built is left out, never faked.
type features struct {
	Study, Regimes, Check, Rebalance                           bool
	Valuation, Concentration, Sectors, Screen, Backtest, Hedge bool
}

func (s *Server) features() features {
	return features{Study: true, Regimes: true, Check: true, Rebalance: true,
		Valuation: true, Concentration: true, Sectors: true, Screen: true, Backtest: true, Hedge: true}
}

// analysisRoutes are the endpoints of the analyses beyond cycles and risk.
func (s *Server) analysisRoutes() []route {
	r := func(method, path string, h handlerFunc) route {
		return route{Route{method, path}, method + " " + path, h}
	}
	return []route{
		r("GET", "/api/v1/study", s.study),
		r("POST", "/api/v1/study", s.study),
		r("GET", "/api/v1/regimes", s.regimes),
		r("POST", "/api/v1/check", s.check),
		r("POST", "/api/v1/rebalance", s.rebalance),
		r("GET", "/api/v1/valuation", s.valuation),
		r("GET", "/api/v1/concentration", s.concentration),
		r("POST", "/api/v1/concentration", s.concentration),
		r("GET", "/api/v1/sectors", s.sectors),
		r("GET", "/api/v1/screen", s.screenHandler),
		r("POST", "/api/v1/screen", s.screenHandler),
		r("GET", "/api/v1/backtest", s.backtest),
		r("POST", "/api/v1/backtest", s.backtest),
		r("GET", "/api/v1/hedge", s.hedge),
	}
}

// boolParam reads a true/false query or form field.
func boolParam(r *http.Request, name string) (bool, error) {
	v := r.FormValue(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, httpErrorf(http.StatusBadRequest, "%s: %q is not true or false", name, v)
	}
	return b, nil
}

// studyOptions reads an event study request: the CLI's flags as fields, with the
// CLI's defaults (price/IWM against price/SPY around all cuts when nothing is given).
func studyOptions(r *http.Request) (engine.StudyOptions, error) {
	opt := engine.StudyOptions{Series: r.FormValue("series"), Vs: r.FormValue("vs"), Events: r.FormValue("events"),
		Method: study.Method(r.FormValue("method")), Seed: 1}
	_, vsGiven := r.Form["vs"]
	if opt.Series == "" && !vsGiven {
		opt.Series, opt.Vs = "price/IWM", "price/SPY"
	} else if opt.Series == "" {
		opt.Series = "price/IWM"
	}
	for _, id := range []string{opt.Series, opt.Vs} {
		if id == "" {
			continue
		}
		if err := checkID(id); err != nil {
			return opt, err
		}
	}
	if opt.Events == "" {
		opt.Events = string(cycle.AllCuts)
	}
	ok := false
	for _, k := range cycle.EventKinds {
		ok = ok || string(k) == opt.Events
	}
	if !ok {
		return opt, httpErrorf(http.StatusBadRequest, "events %q: want first-cut, all-cuts, first-hike, all-hikes or all-moves (or dates / an events file)", opt.Events)
	}
	switch opt.Method {
	case "":
		opt.Method = study.Excess
	case study.Excess, study.MarketModel:
	default:
		return opt, httpErrorf(http.StatusBadRequest, "method %q: want excess or market-model", opt.Method)
	}
	if opt.Method == study.MarketModel && opt.Vs == "" {
		return opt, httpErrorf(http.StatusBadRequest, "method market-model needs vs (the market)")
	}
	windows := r.FormValue("windows")
	if windows == "" {
		windows = "0:1d,0:1w,0:1m,0:3m,0:6m,0:12m"
	}
	ws, err := study.ParseWindows(windows)
	if err != nil {
		return opt, badRequest(fmt.Errorf("windows: %w", err))
	}
	opt.Windows = ws
	if v := r.FormValue("est_window"); v != "" {
		if opt.Estimation, err = study.ParseWindow(v); err != nil {
			return opt, badRequest(fmt.Errorf("est_window: %w", err))
		}
	}
	opt.Resamples = 10000
	if v := r.FormValue("bootstrap"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			return opt, httpErrorf(http.StatusBadRequest, "bootstrap: %q is not a count from 0 to 100000", v)
		}
		opt.Resamples = n
		if n == 0 {
			opt.Resamples = -1
		}
	}
	if v := r.FormValue("seed"); v != "" {
		if opt.Seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			return opt, httpErrorf(http.StatusBadRequest, "seed: %q is not a whole number", v)
		}
	}
	if opt.IncludeTechnical, err = boolParam(r, "include_technical"); err != nil {
		return opt, err
	}
	if opt.NoInferred, err = boolParam(r, "no_inferred"); err != nil {
		return opt, err
	}
	for _, d := range list(r.Form["dates"]) {
		date, err := series.ParseDate(d)
		if err != nil {
			return opt, badRequest(fmt.Errorf("dates: %w", err))
		}
		opt.Custom = append(opt.Custom, study.Event{Date: date})
	}
	data, name, err := upload(r, "events_file")
	if err != nil {
		return opt, err
	}
	if data != nil {
		if len(opt.Custom) > 0 {
			return opt, httpErrorf(http.StatusBadRequest, "give dates or an events file, not both")
		}
		if opt.Custom, err = study.ParseEvents(bytes.NewReader(data), name); err != nil {
			return opt, err
		}
	}
	return opt, nil
}

// study answers GET (fields as query parameters) and POST (a form, where an events
// file may be uploaded: date[,label] per line, as `ratecycle study --events-file`).
func (s *Server) study(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	opt, err := studyOptions(r)
	if err != nil {
		return err
	}
	res, err := engine.Study(r.Context(), s.cat, opt)
	if err != nil {
		return userErr(err)
	}
	return writeJSON(w, http.StatusOK, view.Study(res))
}

// regimes answers GET ?series=&vs=&by=&freq=&from=&to=&hac_lags=&diff=A,B.
func (s *Server) regimes(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	opt := engine.RegimesOptions{Series: list(r.Form["series"]), Vs: r.FormValue("vs"), By: r.FormValue("by"), MaxLags: -1}
	if len(opt.Series) == 0 {
		opt.Series = []string{"french/F-F_Research_Data_Factors/SMB"}
	}
	for _, id := range append(append([]string(nil), opt.Series...), opt.Vs) {
		if id != "" {
			if err := checkID(id); err != nil {
				return err
			}
		}
	}
	var err error
	if opt.From, opt.To, err = dateRange(r.FormValue("from"), r.FormValue("to")); err != nil {
		return err
	}
	if v := r.FormValue("freq"); v != "" {
		if opt.Freq, err = series.ParseFrequency(v); err != nil {
			return badRequest(fmt.Errorf("freq: %w", err))
		}
	}
	if v := r.FormValue("hac_lags"); v != "" {
		if opt.MaxLags, err = strconv.Atoi(v); err != nil || opt.MaxLags < 0 || opt.MaxLags > 1000 {
			return httpErrorf(http.StatusBadRequest, "hac_lags: %q is not a count from 0 to 1000", v)
		}
	}
	for _, d := range r.Form["diff"] {
		a, b, ok := strings.Cut(d, ",")
		if !ok || a == "" || b == "" {
			return httpErrorf(http.StatusBadRequest, "diff %q: want A,B", d)
		}
		opt.Pairs = append(opt.Pairs, [2]string{strings.TrimSpace(a), strings.TrimSpace(b)})
	}
	res, err := engine.Regimes(r.Context(), s.cat, opt)
	if err != nil {
		return userErr(err)
	}
	return writeJSON(w, http.StatusOK, view.Regimes(res))
}

// The JSON of a rebalance plan: the fields of `ratecycle rebalance --format json`
// that the dashboard shows (the hedge quote is the hedge command's business).
type tradeJSON struct {
	Symbol   string  `json:"symbol"`
	Side     string  `json:"side"`
	Quantity float64 `json:"quantity"`
	Price    float64 `json:"price"`
	Value    float64 `json:"value"`
	Cost     float64 `json:"cost"`
	Sleeve   string  `json:"sleeve"`
	Rule     string  `json:"rule"`
	Drift    float64 `json:"drift"`
	Band     float64 `json:"band"`
}

type weightJSON struct {
	Name           string  `json:"name"`
	Sleeve         string  `json:"sleeve,omitempty"`
	QuantityBefore float64 `json:"quantity_before"`
	QuantityAfter  float64 `json:"quantity_after"`
	Before         float64 `json:"before"`
	After          float64 `json:"after"`
	Target         float64 `json:"target"`
	Band           float64 `json:"band"`
	Tilted         bool    `json:"tilted"`
}

type bookRiskJSON struct {
	Vol      output.Num  `json:"annualized_volatility"`
	VaR      output.Num  `json:"var_historical_95"`
	VaRValue output.Num  `json:"var_95_value"`
	N        int         `json:"n"`
	From     series.Date `json:"from"`
	To       series.Date `json:"to"`
}

type rebalanceJSON struct {
	HoldingsFile string             `json:"holdings_file"`
	PolicyFile   string             `json:"policy_file"`
	PolicyName   string             `json:"policy_name"`
	Regime       string             `json:"regime"`
	RegimeAuto   bool               `json:"regime_auto"`
	RegimeWhy    string             `json:"regime_why"`
	Trades       []tradeJSON        `json:"trades"`
	Sleeves      []weightJSON       `json:"sleeves"`
	Symbols      []weightJSON       `json:"symbols"`
	Summary      map[string]float64 `json:"summary"`
	RiskBefore   *bookRiskJSON      `json:"risk_before,omitempty"`
	RiskAfter    *bookRiskJSON      `json:"risk_after,omitempty"`
	Prices       []engine.PriceUsed `json:"prices"`
	HedgeSleeve  string             `json:"hedge_sleeve,omitempty"`
	HedgeWhy     string             `json:"hedge_why,omitempty"`
	Notes        []string           `json:"notes"`
	PlanNotes    []string           `json:"plan_notes"`
}

func weightRows(rs []rebalance.Row) []weightJSON {
	out := make([]weightJSON, len(rs))
	for i, r := range rs {
		out[i] = weightJSON{r.Name, r.Sleeve, r.QuantityBefore, r.QuantityAfter, r.Before, r.After, r.Target, r.Band, r.Tilted}
	}
	return out
}

func bookRisk(r *engine.BookRisk) *bookRiskJSON {
	if r == nil {
		return nil
	}
	return &bookRiskJSON{output.Num(r.Vol), output.Num(r.VaR), output.Num(r.VaRValue), r.N, r.From, r.To}
}

// rebalance answers POST multipart with optional "holdings" (CSV) and "policy" (YAML)
// uploads, "regime" (auto, easing, tightening, hold) and "cash"; absent files mean the
// embedded examples, as in `ratecycle rebalance`.
func (s *Server) rebalance(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	req := engine.RebalanceRequest{Regime: strings.ToLower(r.FormValue("regime"))}
	switch req.Regime {
	case "", engine.RegimeAuto, rebalance.Easing, rebalance.Tightening, rebalance.Hold:
	default:
		return httpErrorf(http.StatusBadRequest, "regime %q: want auto, easing, tightening or hold", req.Regime)
	}
	if v := r.FormValue("cash"); v != "" {
		c, err := strconv.ParseFloat(v, 64)
		if err != nil || !(c >= 0) || math.IsInf(c, 0) {
			return httpErrorf(http.StatusBadRequest, "cash %q: must be a number >= 0", v)
		}
		req.Cash = &c
	}
	data, name, err := upload(r, "holdings")
	if err != nil {
		return err
	}
	if data != nil {
		if req.Book, err = engine.ParseBook(name, data); err != nil {
			return err
		}
	}
	if req.Policy, req.PolicyFile, err = upload(r, "policy"); err != nil {
		return err
	}
	p, err := engine.Rebalance(r.Context(), s.cat, req)
	if err != nil {
		return userErr(err)
	}
	sm := p.Plan.Summary
	out := rebalanceJSON{HoldingsFile: p.HoldingsFile, PolicyFile: p.PolicyFile, Regime: p.Regime, RegimeAuto: p.RegimeAuto,
		RegimeWhy: p.RegimeWhy, Trades: []tradeJSON{}, Sleeves: weightRows(sm.Sleeves), Symbols: weightRows(sm.Symbols),
		Summary: map[string]float64{"value_before": sm.ValueBefore, "value_after": sm.ValueAfter, "cash_before": sm.CashBefore,
			"cash_after": sm.CashAfter, "cash_target": sm.CashTarget, "bought": sm.Bought, "sold": sm.Sold, "turnover": sm.Turnover,
			"cost": sm.Cost, "buy_scale": sm.BuyScale},
		RiskBefore: bookRisk(p.RiskBefore), RiskAfter: bookRisk(p.RiskAfter), Prices: p.Prices,
		HedgeSleeve: p.HedgeSleeve, HedgeWhy: p.HedgeWhy, Notes: p.Notes, PlanNotes: sm.Notes}
	if p.Policy != nil {
		out.PolicyName = p.Policy.Name
	}
	for _, t := range p.Plan.Trades {
		out.Trades = append(out.Trades, tradeJSON{t.Symbol, string(t.Side), t.Quantity, t.Price, t.Value, t.Cost, t.Sleeve, t.Rule, t.Drift, t.Band})
	}
	return writeJSON(w, http.StatusOK, out)
}

// check answers POST with a "claims" file (YAML, as `ratecycle check FILE`); without
// one, the embedded example claims are checked.
func (s *Server) check(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	data, name, err := upload(r, "claims")
	if err != nil {
		return err
	}
	res, err := engine.Thesis(r.Context(), s.cat, data, name)
	if err != nil {
		return userErr(err)
	}
	return writeJSON(w, http.StatusOK, view.Check(res))
}
