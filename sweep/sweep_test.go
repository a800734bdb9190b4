package sweep

import (
	"bytes"
	"context"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/series"
)

func TestParseGrid(t *testing.T) {
	g, err := ParseGrid("tilt=0.1:0.5:0.1, lag=0:3,band=0.02,0.05")
	if err != nil {
		t.Fatal(err)
	}
	if g.String() != "tilt=0.1,0.2,0.3,0.4,0.5,lag=0,1,2,3,band=0.02,0.05" || g.Len() != 40 {
		t.Fatalf("grid %s (%d trials)", g, g.Len())
	}
	pt := make([]float64, 3)
	g.Point(0, pt)
	if !reflect.DeepEqual(pt, []float64{0.1, 0, 0.02}) {
		t.Errorf("point 0 = %v", pt)
	}
	g.Point(39, pt)
	if !reflect.DeepEqual(pt, []float64{0.5, 3, 0.05}) {
		t.Errorf("point 39 = %v", pt)
	}
	g.Point(9, pt) // 9 = 1*8 + 0*2 + 1
	if !reflect.DeepEqual(pt, []float64{0.2, 0, 0.05}) {
		t.Errorf("point 9 = %v", pt)
	}
	for _, bad := range []string{"", "0.1,tilt=1", "tilt=", "tilt=1:0", "tilt=0:1:0", "tilt=a", "tilt=1,tilt=2", "tilt=1,1", "=1", "tilt=1:2:3:4"} {
		if _, err := ParseGrid(bad); err == nil {
			t.Errorf("ParseGrid(%q): no error", bad)
		}
	}
}

func TestShards(t *testing.T) {
	for n := 1; n <= 5; n++ {
		for size := 0; size < 12; size++ {
			count := 0
			for i := 1; i <= n; i++ {
				sh := Shard{i, n}
				owned := 0
				for k := 0; k < size; k++ {
					if sh.Owns(k) {
						owned++
					}
				}
				if owned != sh.Size(size) {
					t.Fatalf("shard %s of %d: owns %d, Size %d", sh, size, owned, sh.Size(size))
				}
				count += owned
			}
			if count != size {
				t.Fatalf("%d shards of %d trials cover %d", n, size, count)
			}
		}
	}
	for _, bad := range []string{"0/3", "4/3", "1/0", "a/b", "1", "1/3/4"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q): no error", bad)
		}
	}
}

var (
	prepOnce sync.Once
	prepped  map[string]*backtest.Prepared
	prepErr  error
)

// prepared returns the example strategy's runs prepared on the embedded data.
func prepared(t testing.TB, run string) *backtest.Prepared {
	t.Helper()
	prepOnce.Do(func() {
		ctx := context.Background()
		cat := catalog.New(nil)
		s, err := backtest.ParseStrategy(examples.Rotation, "rotation.yaml")
		if err != nil {
			prepErr = err
			return
		}
		ss := map[string]*series.Series{}
		ids := []string{"fred/DFEDTAR", "fred/DFEDTARU", "fred/DFEDTARL", "fred/FEDFUNDS", "fred/USREC"}
		for _, r := range s.Runs {
			in, _ := s.Inputs(r.Name)
			ids = append(ids, in...)
		}
		for _, id := range ids {
			if ss[id], err = cat.Load(ctx, id, ""); err != nil {
				prepErr = err
				return
			}
		}
		h, err := cycle.Detect(cycle.Inputs{Target: ss["fred/DFEDTAR"], Upper: ss["fred/DFEDTARU"], Lower: ss["fred/DFEDTARL"],
			Monthly: ss["fred/FEDFUNDS"], Recession: ss["fred/USREC"]}, cycle.DefaultRules)
		if err != nil {
			prepErr = err
			return
		}
		prepped = map[string]*backtest.Prepared{}
		for _, r := range s.Runs {
			if prepped[r.Name], err = backtest.Prepare(s, r.Name, &backtest.Data{Series: ss, History: h}, series.NoDate, series.NoDate); err != nil {
				prepErr = err
				return
			}
		}
	})
	if prepErr != nil {
		t.Fatal(prepErr)
	}
	return prepped[run]
}

// runToBytes runs a (shard of a) sweep and returns its JSON lines and summary.
func runToBytes(t *testing.T, p *backtest.Prepared, g *Grid, sh Shard, workers int) ([]byte, *Summary) {
	t.Helper()
	h := Header{Strategy: "rotation", Run: p.Run.Name, Portfolio: "rotation", Grid: g.String(), Params: g.Names(), Trials: g.Len(), Shard: sh.String()}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	sum := NewSummarizer(h, Sharpe, 7)
	last := -1
	n, err := Run(context.Background(), p, "rotation", g, Options{Workers: workers, Shard: sh}, func(r *Record) error {
		if r.Index <= last {
			t.Fatalf("record %d after %d: not in grid order", r.Index, last)
		}
		last = r.Index
		sum.Add(r)
		return w.Write(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != sh.Size(g.Len()) {
		t.Fatalf("%d trials, want %d", n, sh.Size(g.Len()))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), sum.Summary()
}

// TestShardsMergeToOneRun: three shards merged give the same bytes and summary as
// one run, whatever the number of workers.
func TestShardsMergeToOneRun(t *testing.T) {
	p := prepared(t, "french")
	g, _ := ParseGrid("tilt=0:1:0.1,lag=0:2,band=0,0.03")
	whole, want := runToBytes(t, p, g, All, 2)
	one, _ := runToBytes(t, p, g, All, 1)
	if !bytes.Equal(whole, one) {
		t.Fatal("1 and 2 workers wrote different trials")
	}
	var readers []*Reader
	for _, i := range []int{3, 1, 2} { // any order
		b, _ := runToBytes(t, p, g, Shard{i, 3}, 2)
		r, err := NewReader(bytes.NewReader(b), "shard"+string(rune('0'+i)))
		if err != nil {
			t.Fatal(err)
		}
		readers = append(readers, r)
	}
	h := readers[0].Header
	h.Shard = All.String()
	var merged bytes.Buffer
	w, _ := NewWriter(&merged, h)
	sum := NewSummarizer(h, Sharpe, 7)
	if _, err := Merge(readers, func(r *Record) error { sum.Add(r); return w.Write(r) }); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if !bytes.Equal(merged.Bytes(), whole) {
		t.Error("merged shards differ from one run")
	}
	got := sum.Summary()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged summary\n%+v\none run\n%+v", got, want)
	}
	if want.Trials != 66 || len(want.Top) != 7 || want.Top[0].Rank != 1 {
		t.Errorf("summary: %d trials, %d listed", want.Trials, len(want.Top))
	}
	for i := 1; i < len(want.Top); i++ {
		if want.Top[i].Stats.Sharpe > want.Top[i-1].Stats.Sharpe {
			t.Errorf("top trials not in order of Sharpe")
		}
	}
}

func TestMergeRefusesBadShards(t *testing.T) {
	p := prepared(t, "french")
	g, _ := ParseGrid("tilt=0.1:0.5:0.2,lag=0:1")
	b1, _ := runToBytes(t, p, g, Shard{1, 2}, 1)
	b2, _ := runToBytes(t, p, g, Shard{2, 2}, 1)
	g2, _ := ParseGrid("tilt=0.1:0.5:0.2,lag=0:2")
	o2, _ := runToBytes(t, p, g2, Shard{2, 2}, 1)
	truncated := b2[:bytes.LastIndexByte(b2[:len(b2)-1], '\n')+1]
	for name, c := range map[string]struct {
		files [][]byte
		want  string
	}{
		"missing":   {[][]byte{b1}, "is shard 1/2 but 1 file(s) were given"},
		"twice":     {[][]byte{b1, b1}, "shard 1/2 given twice"},
		"other":     {[][]byte{b1, o2}, "is from another sweep"},
		"truncated": {[][]byte{b1, truncated}, "ends before trial 5 (an interrupted shard? rerun it)"},
		"garbage":   {[][]byte{b1, []byte("hello\n")}, "not a sweep header"},
	} {
		var rs []*Reader
		var err error
		for i, f := range c.files {
			var r *Reader
			if r, err = NewReader(bytes.NewReader(f), "f"+string(rune('1'+i))); err != nil {
				break
			}
			rs = append(rs, r)
		}
		if err == nil {
			_, err = Merge(rs, func(*Record) error { return nil })
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", name, err, c.want)
		}
	}
}

// TestCancel stops a sweep part way: the records given are the first trials in order
// and the error says how far it got.
func TestCancel(t *testing.T) {
	p := prepared(t, "french")
	g, _ := ParseGrid("tilt=0:1:0.01,lag=0:3")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := 0
	n, err := Run(ctx, p, "rotation", g, Options{Workers: 2, Progress: func(done, total int) {
		if done == 50 {
			cancel()
		}
	}}, func(r *Record) error {
		if r.Index != seen {
			t.Fatalf("record %d, want %d", r.Index, seen)
		}
		seen++
		return nil
	})
	if !errors.Is(err, ErrStopped) || !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
	if n != seen || n < 50 || n >= g.Len() {
		t.Fatalf("emitted %d, saw %d", n, seen)
	}
	if !strings.Contains(err.Error(), "sweep stopped after") || !strings.Contains(err.Error(), " of 404 trials") {
		t.Errorf("message %q", err)
	}
}

func TestBadTrialFailsUpFront(t *testing.T) {
	p := prepared(t, "french")
	g, _ := ParseGrid("tilt=0.5:1.5:0.5")
	_, err := Run(context.Background(), p, "rotation", g, Options{}, func(*Record) error { t.Fatal("ran a trial"); return nil })
	if err == nil || !strings.Contains(err.Error(), "trial 2 (tilt=1.5)") || !strings.Contains(err.Error(), "weight 1 - tilt = -0.5 is not between 0 and 1") {
		t.Errorf("error %v", err)
	}
	g, _ = ParseGrid("tlit=1")
	if _, err := Run(context.Background(), p, "rotation", g, Options{}, nil); err == nil || !strings.Contains(err.Error(), `"tlit" is not a parameter`) {
		t.Errorf("error %v", err)
	}
}

// TestMemoryFlat: a sweep's allocations do not grow with the number of trials
// (results stream; no equity curve or trial list is kept).
func TestMemoryFlat(t *testing.T) {
	p := prepared(t, "french")
	measure := func(spec string) (uint64, int) {
		g, _ := ParseGrid(spec)
		h := Header{Params: g.Names(), Trials: g.Len(), Shard: "1/1"}
		w, _ := NewWriter(io.Discard, h)
		sum := NewSummarizer(h, Sharpe, 10)
		sink := func(r *Record) error { sum.Add(r); return w.Write(r) }
		Run(context.Background(), p, "rotation", g, Options{Workers: 2}, sink) // warm the signal cache
		var a, b runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&a)
		if _, err := Run(context.Background(), p, "rotation", g, Options{Workers: 2}, sink); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&b)
		return b.Mallocs - a.Mallocs, g.Len()
	}
	small, ns := measure("tilt=0:1:0.1,lag=0:1")   // 22 trials
	large, nl := measure("tilt=0:1:0.001,lag=0:1") // 2002 trials
	t.Logf("%d trials: %d allocations; %d trials: %d allocations", ns, small, nl, large)
	if large > small+200 {
		t.Errorf("allocations grow with the grid: %d for %d trials, %d for %d", small, ns, large, nl)
	}
}

// BenchmarkSweepDaily sweeps the rotation on the daily ETF run (6,404 days; SPY, IWM
// and cash) on every core and reports asset-days per second: trials x days x columns.
func BenchmarkSweepDaily(b *testing.B) {
	p := prepared(b, "etf")
	g, _ := ParseGrid("tilt=0.05:1:0.05,lag=0:3,band=0,0.02,0.05") // 240 trials
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), p, "rotation", g, Options{}, func(*Record) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(g.Len()*p.T()*p.Cols())*float64(b.N)/b.Elapsed().Seconds(), "asset-days/s")
	b.ReportMetric(float64(g.Len())*float64(b.N)/b.Elapsed().Seconds(), "trials/s")
}

func FuzzReader(f *testing.F) {
	p := prepared(f, "french")
	g, _ := ParseGrid("tilt=0.1:0.5:0.2,lag=0:1")
	var buf bytes.Buffer
	h := Header{Strategy: "rotation", Run: "french", Portfolio: "rotation", Grid: g.String(), Params: g.Names(), Trials: g.Len(), Shard: "1/1"}
	w, _ := NewWriter(&buf, h)
	Run(context.Background(), p, "rotation", g, Options{Workers: 1}, func(r *Record) error { return w.Write(r) })
	w.Flush()
	f.Add(buf.Bytes())
	f.Add([]byte(`{"sweep":{"params":["a"],"trials":1,"shard":"1/1"}}` + "\n" + `{"i":0,"p":["NaN"],"n":2,"calmar":"+Inf"}` + "\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewReader(bytes.NewReader(b), "fuzz")
		if err != nil {
			return
		}
		Merge([]*Reader{r}, func(rec *Record) error {
			if len(rec.Params) != len(r.Header.Params) {
				t.Fatalf("record with %d params, header %d", len(rec.Params), len(r.Header.Params))
			}
			return nil
		})
	})
}
