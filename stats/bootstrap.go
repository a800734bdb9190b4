package stats

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// BootstrapOptions configures the stationary bootstrap. The zero value is usable: 10,000
// resamples, the default mean block length, a 90% interval, seed 0, all cores.
type BootstrapOptions struct {
	// Resamples is B, the number of bootstrap replicates; 0 means 10,000.
	Resamples int
	// BlockLength is the mean block length b >= 1 (blocks are geometric with mean b);
	// 0 means DefaultBlockLength(n) for each resampled series. b = 1 is the iid bootstrap.
	BlockLength float64
	// Level is the coverage of the percentile interval, in (0, 1); 0 means 0.90.
	Level float64
	// Seed seeds the generators. The same data, options and seed give the same result
	// on every machine and for every Workers or GOMAXPROCS.
	Seed uint64
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0). It changes the
	// speed only, never the result.
	Workers int
}

// Bootstrap summarises a bootstrap distribution of a statistic θ.
type Bootstrap struct {
	Estimate float64 // θ̂, the statistic on the original data
	// ReplicateMean and SE are the mean and the sample standard deviation (B - 1) of the
	// replicates θ*_1..θ*_B; SE is the bootstrap standard error of θ̂.
	ReplicateMean, SE float64
	// Lo and Hi bound the percentile interval: the type-7 quantiles (1-Level)/2 and
	// (1+Level)/2 of the replicates.
	Lo, Hi float64
	Level  float64
	// P is the two-sided p-value for H0: θ = 0 that inverts the percentile interval,
	//   P = min(1, 2·(1 + min(#{θ*_b <= 0}, #{θ*_b >= 0})) / (B + 1)),
	// so P < 1 - Level about when the Level interval excludes 0. The +1 counts the observed
	// sample as one draw, so P is never 0: its floor is 2/(B+1).
	P float64
	// Resamples is B; BlockLength the mean block length used for each resampled series
	// (one entry, or two for independent samples); Seed the seed.
	Resamples   int
	BlockLength []float64
	Seed        uint64
	// Replicates holds θ*_1..θ*_B in resample order.
	Replicates []float64
}

// DefaultBlockLength returns the default mean block length of the stationary bootstrap for
// n observations, b = n^(1/3) (the rate-optimal order for the variance of a mean, Politis
// and Romano 1994; Politis and White 2004 estimate the constant, which we take as 1), and
// at least 1. For 250 observations b ≈ 6.3; for 1,200 months b ≈ 10.6.
func DefaultBlockLength(n int) float64 {
	return math.Max(1, math.Cbrt(float64(n)))
}

// BootstrapMean bootstraps the mean of the series x with the stationary bootstrap of
// Politis and Romano (1994): a resample of length n is built from blocks that start at a
// uniformly drawn index and whose lengths are geometric on {1, 2, ...} with mean b
// (P(L > k) = (1 - 1/b)^k), wrapping around the end of x, concatenated and cut at n. Its
// mean is one replicate θ*. The draws come from PCG-DXSM generators (math/rand/v2) seeded
// from opt.Seed and the index of each chunk of 256 resamples, so the result is
// reproducible and independent of the number of workers.
//
// A NaN or infinite value in x is an error wrapping ErrMissing (drop NaN first if the
// series is a plain sample; for time series dropping changes the block structure), fewer
// than 2 observations wraps ErrTooFew. Invalid options (B < 0, 0 < b < 1, a level outside
// (0, 1)) panic.
func BootstrapMean(x []float64, opt BootstrapOptions) (*Bootstrap, error) {
	if err := checkSample("x", x); err != nil {
		return nil, fmt.Errorf("stats: BootstrapMean: %w", err)
	}
	opt = opt.withDefaults()
	s := newBlockSampler(x, opt.BlockLength)
	return run(Mean(x), []float64{s.b}, opt, func(g *generator) float64 { return s.mean(g) }), nil
}

// BootstrapMeanDiff bootstraps the difference of means mean(a) - mean(b) of two
// independent samples (e.g. returns in two regimes): each replicate resamples a and b
// separately with the stationary bootstrap (see BootstrapMean), each with its own mean
// block length (opt.BlockLength for both when set, else DefaultBlockLength of its own
// length). The samples may differ in length. When a and b are the observations of one
// series in two regimes, each is the concatenation of its episodes and a block may join the
// end of one episode to the start of the next; with episodes much longer than b this is a
// small effect. Errors as BootstrapMean.
func BootstrapMeanDiff(a, b []float64, opt BootstrapOptions) (*Bootstrap, error) {
	if err := checkSample("a", a); err != nil {
		return nil, fmt.Errorf("stats: BootstrapMeanDiff: %w", err)
	}
	if err := checkSample("b", b); err != nil {
		return nil, fmt.Errorf("stats: BootstrapMeanDiff: %w", err)
	}
	opt = opt.withDefaults()
	sa, sb := newBlockSampler(a, opt.BlockLength), newBlockSampler(b, opt.BlockLength)
	return run(Mean(a)-Mean(b), []float64{sa.b, sb.b}, opt, func(g *generator) float64 {
		return sa.mean(g) - sb.mean(g)
	}), nil
}

// BootstrapPairedMeanDiff bootstraps mean(a) - mean(b) for two aligned series (a[t] and
// b[t] observed at the same time t): the same blocks of time are drawn for both, which is
// the stationary bootstrap of the mean of d[t] = a[t] - b[t], and keeps the correlation
// between the series. len(a) must equal len(b) (it panics otherwise). Errors as
// BootstrapMean.
func BootstrapPairedMeanDiff(a, b []float64, opt BootstrapOptions) (*Bootstrap, error) {
	if len(a) != len(b) {
		panic(fmt.Sprintf("stats: BootstrapPairedMeanDiff: len(a) = %d, len(b) = %d", len(a), len(b)))
	}
	if err := checkSample("a", a); err != nil {
		return nil, fmt.Errorf("stats: BootstrapPairedMeanDiff: %w", err)
	}
	if err := checkSample("b", b); err != nil {
		return nil, fmt.Errorf("stats: BootstrapPairedMeanDiff: %w", err)
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	opt = opt.withDefaults()
	s := newBlockSampler(d, opt.BlockLength)
	return run(Mean(d), []float64{s.b}, opt, func(g *generator) float64 { return s.mean(g) }), nil
}

func checkSample(name string, x []float64) error {
	if len(x) < 2 {
		return fmt.Errorf("%s has %d observations, need 2: %w", name, len(x), ErrTooFew)
	}
	for i, v := range x {
		if !isFinite(v) {
			return fmt.Errorf("%s[%d] is %v: %w", name, i, v, ErrMissing)
		}
	}
	return nil
}

func (o BootstrapOptions) withDefaults() BootstrapOptions {
	if o.Resamples < 0 {
		panic(fmt.Sprintf("stats: bootstrap: Resamples = %d < 0", o.Resamples))
	}
	if o.Resamples == 0 {
		o.Resamples = 10000
	}
	if o.BlockLength != 0 && !(o.BlockLength >= 1) {
		panic(fmt.Sprintf("stats: bootstrap: mean block length %v < 1", o.BlockLength))
	}
	if o.Level == 0 {
		o.Level = 0.90
	}
	if !(o.Level > 0 && o.Level < 1) {
		panic(fmt.Sprintf("stats: bootstrap: level %v outside (0, 1)", o.Level))
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// chunk is the number of resamples drawn from one generator. It fixes the mapping from
// seed to replicates, so it must not change with the number of workers.
const chunk = 256

// run draws opt.Resamples replicates with stat, chunk by chunk, on opt.Workers goroutines.
func run(est float64, blocks []float64, opt BootstrapOptions, stat func(*generator) float64) *Bootstrap {
	B := opt.Resamples
	reps := make([]float64, B)
	nchunks := (B + chunk - 1) / chunk
	var next atomic.Int64
	work := func() {
		var g generator
		for {
			c := int(next.Add(1) - 1)
			if c >= nchunks {
				return
			}
			g.seed(opt.Seed, uint64(c))
			for i := c * chunk; i < min(B, (c+1)*chunk); i++ {
				reps[i] = stat(&g)
			}
		}
	}
	workers := min(opt.Workers, nchunks)
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()

	sorted := slices.Clone(reps)
	slices.Sort(sorted)
	le := 0 // #{θ* <= 0}
	for le < B && sorted[le] <= 0 {
		le++
	}
	lt := 0 // #{θ* < 0}
	for lt < B && sorted[lt] < 0 {
		lt++
	}
	ge := B - lt // #{θ* >= 0}
	p := math.Min(1, 2*float64(1+min(le, ge))/float64(B+1))
	alpha := (1 - opt.Level) / 2
	return &Bootstrap{
		Estimate:      est,
		ReplicateMean: Mean(reps),
		SE:            SD(reps),
		Lo:            QuantileSorted(alpha, sorted),
		Hi:            QuantileSorted(1-alpha, sorted),
		Level:         opt.Level,
		P:             p,
		Resamples:     B,
		BlockLength:   blocks,
		Seed:          opt.Seed,
		Replicates:    reps,
	}
}

// blockSampler draws stationary-bootstrap resamples of x and returns their means.
type blockSampler struct {
	x []float64
	blocks
}

// blocks draws the blocks of stationary-bootstrap resamples: a uniform start and a
// geometric length with mean b, both BootstrapMean and StationarySampler use it.
type blocks struct {
	n int     // observations to draw from
	b float64 // mean block length
	// stay[k-1] = q^k·2⁶⁴ (q = 1 - 1/b), truncated: a block reaches a (k+1)-th element when
	// its uniform 64-bit draw r is below stay[k-1], so P(L > k) = q^k, the geometric law.
	// Drawing r once per block and scanning this table replaces the logarithm of the
	// inversion formula, which dominated the run time. The table stops where q^k·2⁶⁴ < 1
	// or at the resample length - 1 (a block never exceeds it); it is empty for b = 1.
	stay []uint64
}

func newBlocks(n, length int, b float64) blocks {
	s := blocks{n: n, b: b}
	if b > 1 {
		q := 1 - 1/b
		for k := 1; k < length; k++ {
			t := math.Pow(q, float64(k)) * 0x1p64
			if t < 1 {
				break
			}
			if t >= 0x1p64 {
				s.stay = append(s.stay, math.MaxUint64)
			} else {
				s.stay = append(s.stay, uint64(t))
			}
		}
	}
	return s
}

// next draws one block of at most left elements: its start in 0..n-1 and its length l,
// 1 <= l <= left. The block continues circularly past n-1 to 0.
func (s *blocks) next(g *generator, left int) (start, l int) {
	start = g.intn(uint64(s.n))
	r := g.pcg.Uint64()
	l = 1
	for l < left && l <= len(s.stay) && r < s.stay[l-1] {
		l++
	}
	return start, l
}

func newBlockSampler(x []float64, b float64) *blockSampler {
	if b == 0 {
		b = DefaultBlockLength(len(x))
	}
	return &blockSampler{x: x, blocks: newBlocks(len(x), len(x), b)}
}

// mean returns the mean of one resample. It does not allocate: blocks are summed in place.
func (s *blockSampler) mean(g *generator) float64 {
	n := len(s.x)
	sum := 0.0
	for left := n; left > 0; {
		start, l := s.next(g, left)
		left -= l
		for l > 0 {
			m := min(l, n-start)
			for _, v := range s.x[start : start+m] {
				sum += v
			}
			l -= m
			start = 0
		}
	}
	return sum / float64(n)
}

// StationarySampler draws index paths of the stationary bootstrap of Politis and Romano
// (1994) for callers that need the resampled series itself, not only its mean (a Monte
// Carlo of compounded wealth and drawdowns): blocks start at a uniformly drawn position in
// 0..n-1, continue circularly past the end, and have geometric lengths with mean b
// (P(L > k) = (1 - 1/b)^k), concatenated and cut at the path length. It uses the block
// draws and the generators of BootstrapMean. A StationarySampler is read-only after
// NewStationarySampler and safe for concurrent use.
type StationarySampler struct {
	blocks
	length int
}

// NewStationarySampler returns a sampler of paths of the given length over n observations
// with mean block length b. b = 1 is the iid bootstrap. It panics if n < 1, length < 1 or
// b < 1.
func NewStationarySampler(n, length int, b float64) *StationarySampler {
	if n < 1 || length < 1 || !(b >= 1) {
		panic(fmt.Sprintf("stats: NewStationarySampler(%d, %d, %v): want n >= 1, length >= 1, b >= 1", n, length, b))
	}
	return &StationarySampler{blocks: newBlocks(n, length, b), length: length}
}

// Indices fills idx, whose length must be the sampler's path length, with one path of
// positions in 0..n-1. The path is a function of (seed, stream) alone: a simulation gives
// path i the stream i and gets the same paths on every machine, in any order, on any
// number of goroutines. It does not allocate.
func (s *StationarySampler) Indices(seed, stream uint64, idx []int) {
	if len(idx) != s.length {
		panic(fmt.Sprintf("stats: StationarySampler.Indices: len(idx) = %d, path length %d", len(idx), s.length))
	}
	var g generator
	g.seed(seed, stream)
	for t := 0; t < len(idx); {
		start, l := s.next(&g, len(idx)-t)
		for ; l > 0; l-- {
			idx[t] = start
			t++
			if start++; start == s.n {
				start = 0
			}
		}
	}
}

// generator is a PCG-DXSM stream with the draws the bootstrap needs. They are derived from
// Uint64 here rather than through rand.Rand, whose methods' algorithms the standard library
// does not promise to keep, so the mapping from seed to numbers is fixed by this file and
// the PCG algorithm alone.
type generator struct{ pcg rand.PCG }

// seed positions the generator for chunk c of a run seeded with s. Both PCG seed words are
// splitmix64 mixes, so neighbouring chunks and seeds get unrelated streams.
func (g *generator) seed(s, c uint64) {
	g.pcg.Seed(splitmix64(s^0x9e3779b97f4a7c15), splitmix64(splitmix64(s)+c))
}

// intn returns a uniform integer in [0, n), n > 0, by Lemire's multiply-and-reject method.
func (g *generator) intn(n uint64) int {
	hi, lo := bits.Mul64(g.pcg.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(g.pcg.Uint64(), n)
		}
	}
	return int(hi)
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
