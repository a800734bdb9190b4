package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/ratecycle/ratecycle/backtest"
)

// Metric names a ranking metric.
type Metric string

const (
	Sharpe Metric = "sharpe" // annualised Sharpe ratio, higher first
	CAGR   Metric = "cagr"   // geometric annualised return, higher first
	Calmar Metric = "calmar" // CAGR / max drawdown, higher first
	MaxDD  Metric = "maxdd"  // max drawdown, smaller first
	Vol    Metric = "vol"    // annualised volatility, smaller first
	IR     Metric = "ir"     // information ratio against the relative_to portfolio, higher first
)

// Metrics lists the ranking metrics.
var Metrics = []Metric{Sharpe, CAGR, Calmar, MaxDD, Vol, IR}

// ParseMetric accepts the names of Metrics.
func ParseMetric(s string) (Metric, error) {
	for _, m := range Metrics {
		if string(m) == strings.ToLower(s) {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown metric %q (want one of sharpe, ir, cagr, calmar, maxdd, vol)", s)
}

// score orders trials: higher is better; NaN sorts last.
func (m Metric) score(s *backtest.TrialStats) float64 {
	var x float64
	switch m {
	case CAGR:
		x = s.CAGR
	case Calmar:
		x = s.Calmar
	case MaxDD:
		x = -s.MaxDD
	case Vol:
		x = -s.Vol
	case IR:
		x = s.IR
	default:
		x = s.Sharpe
	}
	if math.IsNaN(x) {
		return math.Inf(-1)
	}
	return x
}

// Header identifies a sweep; every shard of one sweep writes the same header but for
// Shard, and Merge refuses shards whose headers differ.
type Header struct {
	Strategy  string   `json:"strategy"`
	Digest    string   `json:"digest"` // sha256 of the strategy file
	Run       string   `json:"run"`
	Portfolio string   `json:"portfolio"`
	From      string   `json:"from"` // the run's first and last return dates
	To        string   `json:"to"`
	Periods   int      `json:"periods"`
	Scale     int      `json:"scale"`
	Grid      string   `json:"grid"` // canonical (Grid.String)
	Params    []string `json:"params"`
	Trials    int      `json:"trials"`
	Shard     string   `json:"shard"`
}

// Record is one trial: its grid index, its values of the grid's axes and its metrics.
// A sink given a Record must not keep Params: the memory is reused.
type Record struct {
	Index  int
	Params []float64
	Stats  backtest.TrialStats
}

// Options configure Run.
type Options struct {
	Workers int   // goroutines; 0 = GOMAXPROCS
	Shard   Shard // zero value = the whole grid
	// Progress, when set, is called after each trial is emitted, from one goroutine,
	// with done increasing to total (the shard's trial count).
	Progress func(done, total int)
}

// ErrStopped wraps the context's error when a sweep is cancelled.
var ErrStopped = errors.New("sweep stopped")

// Run runs the trials of grid that opt.Shard owns on portfolio of p, on
// opt.Workers goroutines, and calls sink with each trial's record in grid order. It
// returns the number of trials emitted. Cancelling ctx stops it after the running
// trials; the error then wraps ErrStopped and ctx.Err() and says how far it got (the
// records already given to sink are the first done trials of the shard, in order).
func Run(ctx context.Context, p *backtest.Prepared, portfolio string, grid *Grid, opt Options, sink func(*Record) error) (int, error) {
	s := p.Strategy
	idx := make([]int, len(grid.Axes))
	for k, a := range grid.Axes {
		i, ok := s.ParamIndex(a.Name)
		if !ok {
			return 0, fmt.Errorf("grid parameter %q is not a parameter of %s (params: %s)", a.Name, s.Name, strings.Join(s.ParamNames(), ", "))
		}
		idx[k] = i
	}
	shard := opt.Shard
	if shard.Count == 0 {
		shard = All
	}
	n := grid.Len()
	total := shard.Size(n)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, total))
	// Every trial is checked before any runs, so a bad corner of the grid fails at once.
	{
		tr, err := p.NewTrial(portfolio)
		if err != nil {
			return 0, err
		}
		params := s.Defaults()
		pt := make([]float64, len(grid.Axes))
		for i := 0; i < n; i++ {
			if !shard.Owns(i) {
				continue
			}
			grid.Point(i, pt)
			for k, j := range idx {
				params[j] = pt[k]
			}
			if err := tr.Check(params); err != nil {
				return 0, fmt.Errorf("trial %d (%s): %w", i, pointString(grid, pt), err)
			}
		}
	}
	if total == 0 {
		return 0, nil
	}
	// A ring of `window` slots holds the trials between the next to emit and the last
	// dispatched: workers may run ahead of the emitter by at most window trials.
	window := 4 * workers
	type slot struct {
		rec Record
		err error
	}
	ring := make([]slot, window)
	for i := range ring {
		ring[i].rec.Params = make([]float64, len(grid.Axes))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int) // sequence numbers
	done := make(chan int, window)
	credits := make(chan struct{}, window)
	for i := 0; i < window; i++ {
		credits <- struct{}{}
	}
	var wg sync.WaitGroup
	trials := make([]*backtest.Trial, workers)
	for w := range trials {
		tr, err := p.NewTrial(portfolio)
		if err != nil {
			return 0, err
		}
		trials[w] = tr
	}
	// seqIndex maps a shard's k-th trial to its grid index.
	seqIndex := func(k int) int {
		if shard.Count <= 1 {
			return k
		}
		return k*shard.Count + shard.Index - 1
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(tr *backtest.Trial) {
			defer wg.Done()
			params := s.Defaults()
			for k := range jobs {
				sl := &ring[k%window]
				i := seqIndex(k)
				sl.rec.Index = i
				grid.Point(i, sl.rec.Params)
				for a, j := range idx {
					params[j] = sl.rec.Params[a]
				}
				sl.rec.Stats, sl.err = tr.Run(params)
				done <- k
			}
		}(trials[w])
	}
	go func() {
		defer close(jobs)
		for k := 0; k < total; k++ {
			select {
			case <-ctx.Done():
				return
			case <-credits:
			}
			select {
			case <-ctx.Done():
				return
			case jobs <- k:
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()
	ready := make([]bool, window)
	emitted := 0
	var runErr error
	for k := range done {
		ready[k%window] = true
		for runErr == nil && emitted < total && ready[emitted%window] {
			sl := &ring[emitted%window]
			ready[emitted%window] = false
			if sl.err != nil {
				runErr = fmt.Errorf("trial %d (%s): %w", sl.rec.Index, pointString(grid, sl.rec.Params), sl.err)
				cancel()
				break
			}
			if err := sink(&sl.rec); err != nil {
				runErr = err
				cancel()
				break
			}
			emitted++
			credits <- struct{}{}
			if opt.Progress != nil {
				opt.Progress(emitted, total)
			}
		}
	}
	if runErr != nil {
		return emitted, runErr
	}
	if emitted < total {
		if err := ctx.Err(); err != nil {
			return emitted, fmt.Errorf("%w after %d of %d trials: %w", ErrStopped, emitted, total, err)
		}
	}
	return emitted, nil
}

func pointString(g *Grid, pt []float64) string {
	var b strings.Builder
	for k, a := range g.Axes {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.Name + "=" + strconv.FormatFloat(pt[k], 'g', -1, 64))
	}
	return b.String()
}
