package engine

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
)

// ReturnsOf turns a catalog series into period returns: prices become simple returns,
// returns stay as they are; rates and levels are refused (their changes are not returns).
func ReturnsOf(s *series.Series) (*series.Series, error) {
	switch s.Kind {
	case series.KindReturn:
		return s, nil
	case series.KindPrice:
		r := s.Returns()
		r.Kind = series.KindReturn
		return r, nil
	}
	return nil, fmt.Errorf("%s is a %s series, not prices or returns", s.Name, s.Kind)
}

// LoadReturns loads catalog ids as return series at frequency freq (Daily keeps the
// source's frequency; Monthly compounds daily returns into calendar months).
func LoadReturns(ctx context.Context, cat *catalog.Catalog, ids []string, freq series.Frequency) ([]*series.Series, error) {
	out := make([]*series.Series, len(ids))
	for i, id := range ids {
		s, err := cat.Load(ctx, id, "")
		if err != nil {
			return nil, err
		}
		r, err := ReturnsOf(s)
		if err != nil {
			return nil, err
		}
		if freq != series.Daily && freq != series.Irregular && r.Freq != freq {
			r = r.Resample(freq, series.CompoundReturns)
			r.Kind = series.KindReturn
		}
		out[i] = r
	}
	return out, nil
}

// Portfolio combines aligned return series into the returns of a portfolio held at
// constant weights, rebalanced every period (the convention of PerformanceAnalytics'
// Return.portfolio with rebalance_on each period). Only dates where every component
// has a return are kept. Weights need not sum to 1 (the rest earns nothing).
func Portfolio(name string, comps []*series.Series, weights []float64) (*series.Series, error) {
	if len(comps) != len(weights) {
		panic("engine.Portfolio: one weight per component")
	}
	f := series.Align(series.Inner, comps...).DropNaN()
	if len(f.Dates) == 0 {
		return nil, fmt.Errorf("portfolio %s: the components share no dates", name)
	}
	vals := make([]float64, len(f.Dates))
	for i := range f.Dates {
		for j, w := range weights {
			vals[i] += w * f.Cols[j][i]
		}
	}
	var parts []string
	for j, c := range comps {
		parts = append(parts, fmt.Sprintf("%g x %s", weights[j], c.Name))
	}
	s, err := series.New(name, series.KindReturn, comps[0].Freq, f.Dates, vals)
	if err != nil {
		return nil, err
	}
	s.Prov = series.Provenance{Provider: "portfolio", SourceID: name, Unit: "decimal return",
		Note: "constant weights rebalanced every period: " + strings.Join(parts, " + ")}
	return s, nil
}

// RiskRequest is what `ratecycle risk` and the dashboard ask for.
type RiskRequest struct {
	Series    []*series.Series // return series to describe
	Benchmark *series.Series   // optional benchmark returns
	Rf        *series.Series   // optional risk-free returns per period (aligned as of)
	From, To  series.Date      // series.NoDate leaves a side open (the zero Date is 1970-01-01)
	Options   risk.Options
}

// RiskResult pairs each series with its report.
type RiskResult struct {
	Name   string       `json:"name"`
	Report *risk.Report `json:"metrics"`
}

// Risk computes a risk.Summary for each series against the optional benchmark, on the
// dates where the series (and the benchmark, when given) have returns.
func Risk(req RiskRequest) ([]RiskResult, error) {
	var out []RiskResult
	for _, s := range req.Series {
		s = s.Slice(req.From, req.To)
		var bench []float64
		dates := s.Dates
		vals := s.Values
		if req.Benchmark != nil {
			f := series.Align(series.Inner, s, req.Benchmark.Slice(req.From, req.To))
			dates, vals, bench = f.Dates, f.Cols[0], f.Cols[1]
		}
		opt := req.Options
		if opt.Scale == 0 {
			opt.Scale = s.Freq.PeriodsPerYear()
			if opt.Scale == 0 {
				opt.Scale = 252
			}
		}
		if req.Rf != nil {
			rf := series.AsOfJoin(dates, 10, req.Rf)
			opt.RfSeries = rf.Cols[0]
		}
		rep, err := risk.Summary(vals, dates, bench, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		out = append(out, RiskResult{Name: s.Name, Report: rep})
	}
	return out, nil
}

// RfFromYield turns an annual yield in percent (fred/DGS3MO) into per-period simple
// returns at scale periods a year: (1 + y/100)^(1/scale) - 1, the convention the
// backtests and risk tables state.
func RfFromYield(y *series.Series, scale int) *series.Series {
	out := y.Map(series.KindReturn, func(v float64) float64 {
		if math.IsNaN(v) {
			return v
		}
		return math.Pow(1+v/100, 1/float64(scale)) - 1
	})
	out.Prov.Unit = fmt.Sprintf("decimal return per period (%d a year), from %s", scale, y.Name)
	return out
}

// SetRiskFree reads a risk-free argument into req: a per-period decimal ("0.0002") or
// the catalog id of an annual yield in percent (fred/DGS3MO), converted to per-period
// returns at the first series' frequency (252 a year when it has none). Call it after
// req.Series is set.
func (req *RiskRequest) SetRiskFree(ctx context.Context, cat *catalog.Catalog, spec string) error {
	if v, err := strconv.ParseFloat(spec, 64); err == nil {
		req.Options.Rf = v
		return nil
	}
	y, err := cat.Load(ctx, spec, "")
	if err != nil {
		return err
	}
	scale := 252
	if len(req.Series) > 0 && req.Series[0].Freq.PeriodsPerYear() > 0 {
		scale = req.Series[0].Freq.PeriodsPerYear()
	}
	req.Rf = RfFromYield(y, scale)
	return nil
}
