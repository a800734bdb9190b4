package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/sweep"
)

// SweepOptions configure Sweep.
type SweepOptions struct {
	Run       string      // "" = the strategy's first run
	Portfolio string      // "" = its first non-benchmark portfolio
	From, To  series.Date // NoDate: the run's own (the zero Date is 1970-01-01)
	Grid      *sweep.Grid
	Shard     sweep.Shard // zero = the whole grid
	Rank      sweep.Metric
	Top       int // trials listed in the summary
	Workers   int // 0 = every core
	// Out, when set, receives every trial as a JSON line (sweep.Writer), in grid order.
	Out      io.Writer
	Progress func(done, total int)
}

// StrategyDigest returns the sha256 of a strategy file: shards of one sweep must
// have read the same file.
func StrategyDigest(file []byte) string {
	h := sha256.Sum256(file)
	return hex.EncodeToString(h[:])
}

// Sweep runs the grid over one portfolio of the strategy read from file. It returns
// the summary of the trials done (all of them unless ctx was cancelled; the error
// then says how far it got) and the sweep's header.
func Sweep(ctx context.Context, cat *catalog.Catalog, file []byte, name string, opt SweepOptions) (*sweep.Summary, error) {
	s, err := backtest.ParseStrategy(file, name)
	if err != nil {
		return nil, err
	}
	run, err := s.Run(opt.Run)
	if err != nil {
		return nil, err
	}
	pf, err := s.Portfolio(opt.Portfolio)
	if err != nil {
		return nil, err
	}
	p, err := PrepareBacktest(ctx, cat, s, run.Name, opt.From, opt.To)
	if err != nil {
		return nil, err
	}
	shard := opt.Shard
	if shard.Count == 0 {
		shard = sweep.All
	}
	h := sweep.Header{Strategy: s.Name, Digest: StrategyDigest(file), Run: run.Name, Portfolio: pf.Name,
		From: p.Dates[1].String(), To: p.Dates[p.T()].String(), Periods: p.T(), Scale: p.Scale,
		Grid: opt.Grid.String(), Params: opt.Grid.Names(), Trials: opt.Grid.Len(), Shard: shard.String()}
	sum := sweep.NewSummarizer(h, opt.Rank, opt.Top)
	var w *sweep.Writer
	if opt.Out != nil {
		if w, err = sweep.NewWriter(opt.Out, h); err != nil {
			return nil, err
		}
	}
	_, runErr := sweep.Run(ctx, p, pf.Name, opt.Grid, sweep.Options{Workers: opt.Workers, Shard: shard, Progress: opt.Progress},
		func(r *sweep.Record) error {
			sum.Add(r)
			if w != nil {
				return w.Write(r)
			}
			return nil
		})
	if w != nil {
		if err := w.Flush(); err != nil && runErr == nil {
			runErr = err
		}
	}
	return sum.Summary(), runErr
}

// MergeSweeps combines the shard files of one sweep into the summary one unsharded
// run gives, writing every trial to out when it is not nil.
func MergeSweeps(files []io.Reader, names []string, rank sweep.Metric, top int, out io.Writer) (*sweep.Summary, error) {
	var rs []*sweep.Reader
	for i, f := range files {
		r, err := sweep.NewReader(f, names[i])
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	h := rs[0].Header
	h.Shard = sweep.All.String()
	sum := sweep.NewSummarizer(h, rank, top)
	var w *sweep.Writer
	if out != nil {
		var err error
		if w, err = sweep.NewWriter(out, h); err != nil {
			return nil, err
		}
	}
	if _, err := sweep.Merge(rs, func(r *sweep.Record) error {
		sum.Add(r)
		if w != nil {
			return w.Write(r)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if w != nil {
		if err := w.Flush(); err != nil {
			return nil, err
		}
	}
	return sum.Summary(), nil
}

// SweepTotal is a helper for messages: the trials a shard owns.
func SweepTotal(g *sweep.Grid, sh sweep.Shard) int {
	if sh.Count == 0 {
		sh = sweep.All
	}
	return sh.Size(g.Len())
}
