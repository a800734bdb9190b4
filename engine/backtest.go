package engine

import (
	"context"
	"fmt"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
)

// BacktestData loads what run of strategy s reads: its asset, cash and signal series
// from the catalog, FEDFUNDS (to date the pre-1982 inferred moves) and the Fed cycle
// history.
func BacktestData(ctx context.Context, cat *catalog.Catalog, s *backtest.Strategy, run string) (*backtest.Data, error) {
	ids, err := s.Inputs(run)
	if err != nil {
		return nil, err
	}
	d := &backtest.Data{Series: map[string]*series.Series{}}
	for _, id := range append(ids, backtest.FedFundsID) {
		x, err := cat.Load(ctx, id, "")
		if err != nil {
			return nil, fmt.Errorf("backtest %s: %w", run, err)
		}
		d.Series[id] = x
	}
	h, err := Cycles(ctx, cat, cycle.DefaultRules)
	if err != nil {
		return nil, err
	}
	d.History = h
	return d, nil
}

// BacktestOptions select what Backtest runs.
type BacktestOptions struct {
	Runs     []string    // run names; nil = every run of the strategy
	From, To series.Date // narrow every run's dates (NoDate = the file's; the zero Date is 1970-01-01)
	Params   []float64   // nil = the strategy's defaults
}

// Backtest runs every portfolio of s on each selected run.
func Backtest(ctx context.Context, cat *catalog.Catalog, s *backtest.Strategy, opt BacktestOptions) ([]*backtest.Result, error) {
	runs := opt.Runs
	if runs == nil {
		for _, r := range s.Runs {
			runs = append(runs, r.Name)
		}
	}
	var out []*backtest.Result
	for _, name := range runs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := PrepareBacktest(ctx, cat, s, name, opt.From, opt.To)
		if err != nil {
			return nil, err
		}
		res, err := p.Backtest(opt.Params)
		if err != nil {
			return nil, fmt.Errorf("run %s: %w", name, err)
		}
		out = append(out, res)
	}
	return out, nil
}

// PrepareBacktest loads and aligns one run, ready for one backtest or a sweep.
func PrepareBacktest(ctx context.Context, cat *catalog.Catalog, s *backtest.Strategy, run string, from, to series.Date) (*backtest.Prepared, error) {
	d, err := BacktestData(ctx, cat, s, run)
	if err != nil {
		return nil, err
	}
	return backtest.Prepare(s, run, d, from, to)
}
