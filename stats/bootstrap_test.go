package stats

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// smbTail returns the last n months of real SMB returns (testdata/regime_smb.csv).
func smbTail(t testing.TB, n int) []float64 {
	y, _ := readRegimeDesign(t)
	return y[len(y)-n:]
}

// TestBootstrapReproducible: the same seed gives bit-identical replicates for any number
// of workers; another seed gives others.
func TestBootstrapReproducible(t *testing.T) {
	x := smbTail(t, 250)
	opt := BootstrapOptions{Resamples: 3000, Seed: 42, Workers: 1}
	ref, err := BootstrapMean(x, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 3, 16} {
		opt.Workers = w
		got, err := BootstrapMean(x, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Replicates, ref.Replicates) || got.SE != ref.SE || got.P != ref.P {
			t.Errorf("Workers=%d changed the result", w)
		}
	}
	opt.Seed = 43
	other, _ := BootstrapMean(x, opt)
	if slices.Equal(other.Replicates, ref.Replicates) {
		t.Error("seeds 42 and 43 gave the same replicates")
	}
	// Pinned values: a change here means a change of the mapping from seed to numbers,
	// which breaks the promise that a stored seed reproduces a published interval.
	if ref.Replicates[0] != 0.00049400000000000019 || ref.Replicates[2999] != 0.0023527999999999995 {
		t.Errorf("replicates[0], [2999] = %.17g, %.17g: the seed mapping changed", ref.Replicates[0], ref.Replicates[2999])
	}
}

// TestBootstrapSummary: the summary fields follow their documented definitions.
func TestBootstrapSummary(t *testing.T) {
	x := smbTail(t, 250)
	b, err := BootstrapMean(x, BootstrapOptions{Seed: 7, Level: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	if b.Resamples != 10000 || len(b.Replicates) != 10000 {
		t.Fatalf("Resamples = %d, %d replicates", b.Resamples, len(b.Replicates))
	}
	if b.Estimate != Mean(x) || b.BlockLength[0] != math.Cbrt(250) {
		t.Errorf("Estimate %v, BlockLength %v", b.Estimate, b.BlockLength)
	}
	if b.SE != SD(b.Replicates) || b.ReplicateMean != Mean(b.Replicates) {
		t.Error("SE or ReplicateMean differ from SD and Mean of the replicates")
	}
	if b.Lo != Quantile(0.05, b.Replicates) || b.Hi != Quantile(0.95, b.Replicates) {
		t.Error("Lo, Hi are not the type-7 5% and 95% quantiles of the replicates")
	}
	le, ge := 0, 0
	for _, r := range b.Replicates {
		if r <= 0 {
			le++
		}
		if r >= 0 {
			ge++
		}
	}
	if want := math.Min(1, 2*float64(1+min(le, ge))/10001); b.P != want {
		t.Errorf("P = %v, want %v", b.P, want)
	}
	t.Logf("SMB last 250 months: mean %.5f, SE %.5f, 90%% [%.5f, %.5f], p %.4f", b.Estimate, b.SE, b.Lo, b.Hi, b.P)

	// A series far from zero: p is at its floor 2/(B+1).
	shifted := make([]float64, len(x))
	for i, v := range x {
		shifted[i] = v + 0.05
	}
	s, _ := BootstrapMean(shifted, BootstrapOptions{Seed: 7})
	if s.P != 2.0/10001 {
		t.Errorf("P for a mean 20 SEs from 0 = %v, want 2/10001", s.P)
	}
}

// TestStationaryBootstrapVariance checks the block mechanism against the exact variance of
// the stationary-bootstrap mean. Each X*_t is uniform over x, and X*_t, X*_{t+h} lie in the
// same block, h rows apart on the circle, with probability q^h (q = 1 - 1/b), else they are
// independent; so Cov*(X*_t, X*_{t+h}) = q^h Ĉ(h) and
//
//	Var*(x̄*) = (Ĉ(0) + 2 Σ_{h=1}^{n-1} (1 - h/n) q^h Ĉ(h)) / n,
//
// with Ĉ the circular sample autocovariance (Politis and Romano 1994, Lemma 1, whose
// b_N(i) form is the same sum folded with Ĉ(h) = Ĉ(n-h)). With B = 20,000 the squared
// bootstrap SE has a Monte Carlo error of about 1%; the test allows 5%.
func TestStationaryBootstrapVariance(t *testing.T) {
	x := smbTail(t, 250)
	n := len(x)
	m := Mean(x)
	circ := func(i int) float64 {
		s := 0.0
		for j := range n {
			s += (x[j] - m) * (x[(j+i)%n] - m)
		}
		return s / float64(n)
	}
	for _, blk := range []float64{1, 3, DefaultBlockLength(n), 20} {
		q := 1 - 1/blk
		v := circ(0)
		for h := 1; h < n; h++ {
			v += 2 * (1 - float64(h)/float64(n)) * math.Pow(q, float64(h)) * circ(h)
		}
		v /= float64(n)
		b, err := BootstrapMean(x, BootstrapOptions{Resamples: 20000, BlockLength: blk, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if r := b.SE * b.SE / v; math.Abs(r-1) > 0.05 {
			t.Errorf("b = %.2f: bootstrap variance %.4g, exact %.4g (ratio %.3f)", blk, b.SE*b.SE, v, r)
		}
		if math.Abs(b.ReplicateMean-m) > 4*math.Sqrt(v/20000) {
			t.Errorf("b = %.2f: replicate mean %.6g, sample mean %.6g", blk, b.ReplicateMean, m)
		}
	}
}

func TestBootstrapMeanDiff(t *testing.T) {
	y, labels := readRegimeDesign(t)
	var easing, tightening []float64
	for i, l := range labels {
		switch l {
		case "easing":
			easing = append(easing, y[i])
		case "tightening":
			tightening = append(tightening, y[i])
		}
	}
	b, err := BootstrapMeanDiff(easing, tightening, BootstrapOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if b.Estimate != Mean(easing)-Mean(tightening) || len(b.BlockLength) != 2 ||
		b.BlockLength[0] != DefaultBlockLength(len(easing)) || b.BlockLength[1] != DefaultBlockLength(len(tightening)) {
		t.Errorf("Estimate %v, BlockLength %v", b.Estimate, b.BlockLength)
	}
	// For independent samples the bootstrap variance is about the sum of the two.
	ea, _ := BootstrapMean(easing, BootstrapOptions{Seed: 4})
	ti, _ := BootstrapMean(tightening, BootstrapOptions{Seed: 5})
	if r := b.SE * b.SE / (ea.SE*ea.SE + ti.SE*ti.SE); math.Abs(r-1) > 0.05 {
		t.Errorf("Var(diff)/(Var a + Var b) = %.3f", r)
	}
	t.Logf("SMB easing - tightening: %.5f, SE %.5f, 90%% [%.5f, %.5f], p %.4f", b.Estimate, b.SE, b.Lo, b.Hi, b.P)

	// Paired: the bootstrap of the mean of the differences, replicate for replicate.
	a, c := smbTail(t, 300)[:150], smbTail(t, 150)
	p, err := BootstrapPairedMeanDiff(a, c, BootstrapOptions{Seed: 9, Resamples: 2000})
	if err != nil {
		t.Fatal(err)
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - c[i]
	}
	m, _ := BootstrapMean(d, BootstrapOptions{Seed: 9, Resamples: 2000})
	if !slices.Equal(p.Replicates, m.Replicates) {
		t.Error("paired bootstrap differs from the bootstrap of the differences")
	}
}

func TestBootstrapErrors(t *testing.T) {
	if _, err := BootstrapMean([]float64{1, math.NaN(), 2}, BootstrapOptions{}); !errors.Is(err, ErrMissing) {
		t.Errorf("NaN: err = %v", err)
	}
	if _, err := BootstrapMean([]float64{1}, BootstrapOptions{}); !errors.Is(err, ErrTooFew) {
		t.Errorf("one observation: err = %v", err)
	}
	if _, err := BootstrapMeanDiff([]float64{1, 2}, nil, BootstrapOptions{}); !errors.Is(err, ErrTooFew) {
		t.Errorf("empty b: err = %v", err)
	}
	if _, err := BootstrapPairedMeanDiff([]float64{1, 2}, []float64{1, math.Inf(1)}, BootstrapOptions{}); !errors.Is(err, ErrMissing) {
		t.Errorf("Inf in b: err = %v", err)
	}
	for name, f := range map[string]func(){
		"block 0.5":       func() { BootstrapMean([]float64{1, 2}, BootstrapOptions{BlockLength: 0.5}) },
		"level 1":         func() { BootstrapMean([]float64{1, 2}, BootstrapOptions{Level: 1}) },
		"negative B":      func() { BootstrapMean([]float64{1, 2}, BootstrapOptions{Resamples: -1}) },
		"paired mismatch": func() { BootstrapPairedMeanDiff([]float64{1, 2}, []float64{1}, BootstrapOptions{}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func TestGeneratorIntn(t *testing.T) {
	var g generator
	g.seed(1, 0)
	counts := make([]int, 7)
	for range 70000 {
		counts[g.intn(7)]++
	}
	for i, c := range counts {
		if c < 9500 || c > 10500 {
			t.Errorf("intn(7) drew %d %d times in 70,000", i, c)
		}
	}
}

// BenchmarkBootstrapMean: 10,000 stationary-bootstrap resamples of 250 real monthly
// returns (b = 250^(1/3) ≈ 6.3).
func BenchmarkBootstrapMean(b *testing.B) {
	x := smbTail(b, 250)
	for _, w := range []struct {
		name    string
		workers int
	}{{"workers=1", 1}, {"workers=GOMAXPROCS", 0}} {
		b.Run(w.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := BootstrapMean(x, BootstrapOptions{Resamples: 10000, Seed: 1, Workers: w.workers}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*10000*250/b.Elapsed().Seconds(), "obs/s")
		})
	}
}

// TestBlockSamplerNoAlloc: drawing a resample allocates nothing.
func TestBlockSamplerNoAlloc(t *testing.T) {
	s := newBlockSampler(smbTail(t, 250), 0)
	var g generator
	g.seed(1, 0)
	if a := testing.AllocsPerRun(100, func() { s.mean(&g) }); a != 0 {
		t.Errorf("%v allocations per resample", a)
	}
}

// TestStationarySampler: block lengths average b, b = 1 is the iid bootstrap, a path is a
// function of (seed, stream), and drawing one allocates nothing.
func TestStationarySampler(t *testing.T) {
	idx := make([]int, 100000)
	s := NewStationarySampler(50, len(idx), 10)
	s.Indices(1, 0, idx)
	// Mean block length: the share of steps that do not continue the block is about 1/10.
	breaks := 0
	for i := 1; i < len(idx); i++ {
		if idx[i] != (idx[i-1]+1)%50 {
			breaks++
		}
	}
	if got := float64(len(idx)) / float64(breaks+1); got < 9.5 || got > 10.6 {
		t.Errorf("mean block length %.2f, want about 10 (a restart can land on the next index)", got)
	}
	again := make([]int, len(idx))
	s.Indices(1, 0, again)
	if !slices.Equal(idx, again) {
		t.Error("same seed and stream, different path")
	}
	s.Indices(1, 1, again)
	if slices.Equal(idx, again) {
		t.Error("streams 0 and 1 give the same path")
	}
	// b = 1: iid, every index uniform.
	iid := NewStationarySampler(4, len(idx), 1)
	iid.Indices(2, 0, idx)
	var count [4]int
	for _, j := range idx {
		count[j]++
	}
	for j, c := range count {
		if c < 24000 || c > 26000 {
			t.Errorf("iid bootstrap: index %d drawn %d times of %d", j, c, len(idx))
		}
	}
	// A path longer than the data wraps and may hold one block longer than n.
	long := NewStationarySampler(3, 1000, 500)
	p := make([]int, 1000)
	long.Indices(3, 0, p)
	run := 1
	for i := 1; i < len(p) && p[i] == (p[i-1]+1)%3; i++ {
		run++
	}
	if run <= 3 {
		t.Errorf("b = 500 over 3 observations: first block %d long, want longer than the data", run)
	}
	if a := testing.AllocsPerRun(100, func() { s.Indices(1, 7, idx) }); a != 0 {
		t.Errorf("%v allocations per path", a)
	}
}
