package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/view"
)

// MaxStrategyBytes limits an uploaded strategy file: a strategy is a page of YAML, so
// anything near the request limit is not one.
const MaxStrategyBytes = 256 << 10

// exampleStrategy is the name the CLI gives the embedded example strategy.
const exampleStrategy = "examples/rotation.yaml"

// backtest answers GET (the embedded examples/rotation.yaml) and POST (a "strategy"
// YAML upload, or the example without one), with run (repeatable or comma separated;
// default every run of the file), from, to, param=NAME=VALUE (repeatable), trades
// (default true: every trade of every portfolio) and charts (the report's growth,
// relative-wealth and drawdown charts of each run).
func (s *Server) backtest(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	data, name, err := upload(r, "strategy")
	if err != nil {
		return err
	}
	if data == nil {
		data, name = examples.Rotation, exampleStrategy
	} else if len(data) > MaxStrategyBytes {
		return httpErrorf(http.StatusRequestEntityTooLarge, "strategy file %s is %d bytes, over the %d-byte limit", name, len(data), MaxStrategyBytes)
	}
	st, err := backtest.ParseStrategy(data, name)
	if err != nil {
		return badRequest(err)
	}
	opt := engine.BacktestOptions{Runs: list(r.Form["run"])}
	for _, run := range opt.Runs {
		if _, err := st.Run(run); err != nil {
			return badRequest(fmt.Errorf("run: %w", err))
		}
	}
	runs := opt.Runs
	if runs == nil {
		for _, x := range st.Runs {
			runs = append(runs, x.Name)
		}
	}
	// A strategy names catalog ids; check them as the id parameters are checked.
	for _, run := range runs {
		ids, err := st.Inputs(run)
		if err != nil {
			return badRequest(err)
		}
		for _, id := range ids {
			if err := checkID(id); err != nil {
				return err
			}
		}
	}
	if opt.From, opt.To, err = dateRange(r.FormValue("from"), r.FormValue("to")); err != nil {
		return err
	}
	opt.Params = st.Defaults()
	for _, kv := range r.Form["param"] {
		k, v, ok := strings.Cut(kv, "=")
		i, known := st.ParamIndex(strings.TrimSpace(k))
		if !ok || !known {
			return httpErrorf(http.StatusBadRequest, "param %q: want NAME=VALUE with NAME one of %s", kv, strings.Join(st.ParamNames(), ", "))
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return httpErrorf(http.StatusBadRequest, "param %q: %q is not a number", kv, v)
		}
		opt.Params[i] = f
	}
	trades := true
	if _, given := r.Form["trades"]; given {
		if trades, err = boolParam(r, "trades"); err != nil {
			return err
		}
	}
	charts, err := boolParam(r, "charts")
	if err != nil {
		return err
	}
	ctx := r.Context()
	res, err := engine.Backtest(ctx, s.cat, st, opt)
	if err != nil {
		return userErr(err)
	}
	out := view.Backtest(st, name, res, trades)
	if charts {
		h, err := engine.Cycles(ctx, s.cat, cycle.DefaultRules)
		if err != nil {
			return err
		}
		for i, x := range res {
			out.Runs[i].Charts = engine.BacktestCharts(x, h)
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// ---- hedge: the shape of `ratecycle hedge --format json` (a strategy quote) ----

// floatParam reads a finite number field, or def when absent.
func floatParam(r *http.Request, name string, def float64) (float64, error) {
	v := r.FormValue(name)
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, httpErrorf(http.StatusBadRequest, "%s: %q is not a number", name, v)
	}
	return f, nil
}

// hedgeRequest reads a hedge quote request with the CLI's defaults and checks.
func hedgeRequest(r *http.Request) (engine.HedgeRequest, error) {
	req := engine.HedgeRequest{Underlying: r.FormValue("underlying"), Strategy: r.FormValue("strategy"), ExpiryDays: 91}
	if req.Underlying == "" {
		req.Underlying = "IWM"
	}
	if err := checkID(engine.PriceID(req.Underlying)); err != nil {
		return req, err
	}
	if req.Strategy == "" {
		req.Strategy = "protective-put"
	}
	var err error
	if req.PutStrike, err = floatParam(r, "put", 0.95); err != nil {
		return req, err
	}
	if req.ShortPut, err = floatParam(r, "short_put", 0.80); err != nil {
		return req, err
	}
	if req.CallStrike, err = floatParam(r, "call", 1.10); err != nil {
		return req, err
	}
	switch req.Strategy {
	case "protective-put", "zero-cost-collar":
	case "put-spread":
		if !(req.ShortPut < req.PutStrike) {
			return req, httpErrorf(http.StatusBadRequest, "short_put %v must be below put %v", req.ShortPut, req.PutStrike)
		}
	case "collar":
		if !(req.CallStrike > req.PutStrike) {
			return req, httpErrorf(http.StatusBadRequest, "call %v must be above put %v", req.CallStrike, req.PutStrike)
		}
	default:
		return req, httpErrorf(http.StatusBadRequest, "strategy %q: want one of %s", req.Strategy, strings.Join(engine.Strategies, ", "))
	}
	if !(req.PutStrike > 0 && req.PutStrike < 2) || !(req.ShortPut > 0) || !(req.CallStrike > 0) || req.CallStrike > 10 {
		return req, httpErrorf(http.StatusBadRequest, "strikes are positive fractions of spot (0.95 = 95%%)")
	}
	if v := r.FormValue("expiry_days"); v != "" {
		if req.ExpiryDays, err = strconv.Atoi(v); err != nil || req.ExpiryDays < 1 || req.ExpiryDays > 3650 {
			return req, httpErrorf(http.StatusBadRequest, "expiry_days: %q is not a count of days from 1 to 3650", v)
		}
	}
	if req.Value, err = floatParam(r, "portfolio_value", 0); err != nil {
		return req, err
	}
	if req.Value < 0 {
		return req, httpErrorf(http.StatusBadRequest, "portfolio_value %v: must be positive (or absent for the example book's value)", req.Value)
	}
	if v := r.FormValue("beta"); v != "" && !strings.EqualFold(v, "auto") {
		b, err := strconv.ParseFloat(v, 64)
		if err != nil || !(b > 0) || math.IsInf(b, 0) {
			return req, httpErrorf(http.StatusBadRequest, "beta %q: want auto or a positive number (a put hedge needs positive beta)", v)
		}
		req.Beta = b
	}
	m := engine.HedgeMarket{VolPremium: 0.02, Yield: engine.AssumedYield, RateAuto: true}
	switch vol := strings.ToLower(r.FormValue("vol")); vol {
	case "", engine.VolVIX:
		m.Vol = engine.VolVIX
	case engine.VolRealized:
		m.Vol = engine.VolRealized
	default:
		x, err := strconv.ParseFloat(vol, 64)
		if err != nil || !(x > 0) || x > 5 {
			return req, httpErrorf(http.StatusBadRequest, "vol %q: want vix, realized or a decimal volatility such as 0.22", vol)
		}
		m.Vol, m.VolValue = engine.VolGiven, x
	}
	if v := r.FormValue("vol_premium"); v != "" {
		if m.Vol != engine.VolRealized {
			return req, httpErrorf(http.StatusBadRequest, "vol_premium applies to vol=realized only")
		}
		if m.VolPremium, err = floatParam(r, "vol_premium", 0.02); err != nil {
			return req, err
		}
	}
	if v := r.FormValue("rate"); v != "" && !strings.EqualFold(v, "auto") {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1 {
			return req, httpErrorf(http.StatusBadRequest, "rate %q: want auto or a decimal rate such as 0.04", v)
		}
		m.Rate, m.RateAuto = x, false
	}
	if v := r.FormValue("dividend_yield"); v != "" {
		if m.Yield, err = floatParam(r, "dividend_yield", 0); err != nil {
			return req, err
		}
		if math.Abs(m.Yield) > 1 {
			return req, httpErrorf(http.StatusBadRequest, "dividend_yield %v: yields are decimals (0.012 = 1.2%%)", m.Yield)
		}
		m.YieldGiven = true
	}
	req.Market = m
	for _, spec := range list(r.Form["windows"]) {
		win, err := risk.ParseWindow(spec)
		if err != nil {
			return req, badRequest(fmt.Errorf("windows: %w", err))
		}
		req.Windows = append(req.Windows, win)
	}
	return req, nil
}

// hedge answers GET ?underlying=&strategy=&put=&short_put=&call=&expiry_days=&vol=
// &vol_premium=&rate=&dividend_yield=&portfolio_value=&beta=&windows=, as
// `ratecycle hedge --strategy ...` (value and beta from the example book unless given).
func (s *Server) hedge(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	req, err := hedgeRequest(r)
	if err != nil {
		return err
	}
	q, err := engine.QuoteHedge(r.Context(), s.cat, req)
	if err != nil {
		return userErr(err)
	}
	return writeJSON(w, http.StatusOK, view.Hedge(q))
}
