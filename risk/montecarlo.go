package risk

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/ratecycle/ratecycle/stats"
)

// MonteCarloOptions configures MonteCarlo.
type MonteCarloOptions struct {
	Paths     int     // number of simulated paths, e.g. 10000
	Horizon   int     // periods per path, e.g. 252 trading days
	MeanBlock float64 // mean block length in periods (e.g. 20 days; 1 = iid bootstrap)
	Seed      uint64  // same seed, same data, same options: same result
	// Quantiles of the horizon return and max drawdown distributions to report; nil
	// means DefaultMCQuantiles.
	Quantiles []float64
	// Thresholds X (positive fractions) for the probabilities of a horizon loss
	// beyond X (return < -X) and of a max drawdown beyond X; nil means
	// DefaultMCThresholds.
	Thresholds []float64
	// Workers bounds the goroutines; 0 means GOMAXPROCS. Results do not depend on it.
	Workers int
	// Progress, if not nil, is called with the number of finished paths, from one
	// goroutine at a time, with done increasing, the last call with done == total.
	Progress func(done, total int)
}

// Defaults of MonteCarloOptions.
var (
	DefaultMCQuantiles  = []float64{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}
	DefaultMCThresholds = []float64{0.1, 0.2, 0.3}
)

// QuantileValue is one quantile of a simulated distribution.
type QuantileValue struct {
	P     float64 `json:"p"`
	Value float64 `json:"value"`
}

// Distribution summarises per-path values: their mean and type-7 quantiles.
type Distribution struct {
	Mean      float64         `json:"mean"`
	Quantiles []QuantileValue `json:"quantiles"`
}

// Probability is the share of paths beyond a threshold.
type Probability struct {
	Threshold float64 `json:"threshold"`
	P         float64 `json:"p"`
}

// MonteCarloResult is the outcome of MonteCarlo. Its JSON keys are snake_case, as
// Report's are.
type MonteCarloResult struct {
	Paths     int     `json:"paths"`
	Horizon   int     `json:"horizon"`
	MeanBlock float64 `json:"mean_block"`
	Seed      uint64  `json:"seed"`
	// HorizonReturn is the distribution of prod(1+r)-1 over the horizon.
	HorizonReturn Distribution `json:"horizon_return"`
	// MaxDrawdown is the distribution of each path's max drawdown (positive
	// fractions, starting wealth 1 counted as a peak).
	MaxDrawdown Distribution `json:"max_drawdown"`
	// ProbLoss[k] is the share of paths whose horizon return is below
	// -Thresholds[k]; ProbDrawdown[k] the share whose max drawdown exceeds it.
	ProbLoss     []Probability `json:"prob_loss"`
	ProbDrawdown []Probability `json:"prob_drawdown"`
	// Returns and Drawdowns hold every path's horizon return and max drawdown, in
	// path order, for histograms.
	Returns   []float64 `json:"returns,omitempty"`
	Drawdowns []float64 `json:"drawdowns,omitempty"`
}

// MonteCarlo simulates opt.Paths paths of opt.Horizon periods by resampling the
// historical returns r (NaN dropped) with the stationary block bootstrap of
// stats.StationarySampler (blocks with geometric lengths of mean opt.MeanBlock,
// wrapping circularly), and summarises the horizon return and the max drawdown of the
// paths. Path i is the sampler's stream (opt.Seed, i), so the result depends only on r and
// opt, never on GOMAXPROCS, Workers or scheduling. It stops early with an error
// wrapping ctx.Err() when ctx is cancelled, saying how many paths were done.
func MonteCarlo(ctx context.Context, r []float64, opt MonteCarloOptions) (*MonteCarloResult, error) {
	x := clean(r)
	switch {
	case len(x) < 2:
		return nil, fmt.Errorf("monte carlo: %d non-missing returns: %w", len(x), ErrTooShort)
	case opt.Paths < 1 || opt.Horizon < 1:
		return nil, fmt.Errorf("monte carlo: %d paths of %d periods (want at least 1 of each)", opt.Paths, opt.Horizon)
	case !(opt.MeanBlock >= 1):
		return nil, fmt.Errorf("monte carlo: mean block length %v (want at least 1 period)", opt.MeanBlock)
	}
	qs, ths := opt.Quantiles, opt.Thresholds
	if qs == nil {
		qs = DefaultMCQuantiles
	}
	if ths == nil {
		ths = DefaultMCThresholds
	}
	for _, q := range qs {
		if !(q >= 0 && q <= 1) {
			return nil, fmt.Errorf("monte carlo: quantile %v outside [0, 1]", q)
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const chunk = 64
	nChunks := (opt.Paths + chunk - 1) / chunk
	workers = min(workers, nChunks)

	res := &MonteCarloResult{
		Paths: opt.Paths, Horizon: opt.Horizon, MeanBlock: opt.MeanBlock, Seed: opt.Seed,
		Returns:   make([]float64, opt.Paths),
		Drawdowns: make([]float64, opt.Paths),
	}
	paths := stats.NewStationarySampler(len(x), opt.Horizon, opt.MeanBlock)
	var (
		next atomic.Int64
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			idx := make([]int, opt.Horizon)
			for {
				c := int(next.Add(1) - 1)
				if c >= nChunks || ctx.Err() != nil {
					return
				}
				lo, hi := c*chunk, min((c+1)*chunk, opt.Paths)
				for i := lo; i < hi; i++ {
					paths.Indices(opt.Seed, uint64(i), idx)
					w, peak, dd := 1.0, 1.0, 0.0
					for _, j := range idx {
						w *= 1 + x[j]
						if w > peak {
							peak = w
						} else if d := 1 - w/peak; d > dd {
							dd = d
						}
					}
					res.Returns[i] = w - 1
					res.Drawdowns[i] = dd
				}
				mu.Lock()
				done += hi - lo
				if opt.Progress != nil {
					opt.Progress(done, opt.Paths)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil && done < opt.Paths {
		return nil, fmt.Errorf("monte carlo stopped after %d of %d paths: %w", done, opt.Paths, err)
	}
	res.HorizonReturn = distribution(res.Returns, qs)
	res.MaxDrawdown = distribution(res.Drawdowns, qs)
	for _, th := range ths {
		var nl, nd int
		for i := range res.Returns {
			if res.Returns[i] < -th {
				nl++
			}
			if res.Drawdowns[i] > th {
				nd++
			}
		}
		res.ProbLoss = append(res.ProbLoss, Probability{th, float64(nl) / float64(opt.Paths)})
		res.ProbDrawdown = append(res.ProbDrawdown, Probability{th, float64(nd) / float64(opt.Paths)})
	}
	return res, nil
}

func distribution(v []float64, qs []float64) Distribution {
	s := slices.Clone(v)
	slices.Sort(s)
	d := Distribution{Mean: mean(s)}
	for _, q := range qs {
		d.Quantiles = append(d.Quantiles, QuantileValue{q, quantileSorted(s, q, 7)})
	}
	if len(s) == 0 {
		d.Mean = math.NaN()
	}
	return d
}
