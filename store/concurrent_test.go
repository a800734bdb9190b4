package store

import (
	"context"
	"math"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

// generation returns the series a writer puts as its k-th vintage: a length and
// every value that depend on k, so a reader can tell a whole vintage from a mix.
func generation(k int) *series.Series {
	return daily("gen", 1000+(k%7)*997, func(i int) float64 { return float64(k) + float64(i)*1e-9 })
}

// checkGeneration returns k if s is exactly generation(k), or -1.
func checkGeneration(s *series.Series) int {
	if s.Len() == 0 {
		return -1
	}
	k := int(math.Floor(s.Values[0]))
	want := generation(k)
	if want.Len() != s.Len() {
		return -1
	}
	for i := range want.Values {
		if math.Float64bits(want.Values[i]) != math.Float64bits(s.Values[i]) || want.Dates[i] != s.Dates[i] {
			return -1
		}
	}
	return k
}

// TestReaderSeesOldOrNewVintage runs readers in a second Store (as the dashboard
// would, in another process) while a writer puts vintage after vintage. Every read
// must be one whole vintage, and a reader never goes back in time.
func TestReaderSeesOldOrNewVintage(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	const id, writes = "test/gen", 40
	if _, err := w.PutSeries(ctx, id, generation(0), VintageMeta{}); err != nil {
		t.Fatal(err)
	}

	var done atomic.Bool
	var wg sync.WaitGroup
	var reads atomic.Int64
	seen := make([]map[int]bool, 3)
	for g := range seen {
		seen[g] = map[int]bool{}
		wg.Go(func() {
			last := 0
			for !done.Load() {
				s, err := r.Series(ctx, id, "")
				if err != nil {
					t.Error(err)
					return
				}
				k := checkGeneration(s)
				if k < 0 {
					t.Errorf("reader %d saw a mix of vintages: %d points starting %v", g, s.Len(), s.Values[0])
					return
				}
				if k < last {
					t.Errorf("reader %d went back from generation %d to %d", g, last, k)
				}
				v, err := r.Vintage(ctx, id, s.Prov.Vintage)
				if err != nil {
					t.Error(err)
					return
				}
				if v.Checksum != Checksum(s) {
					t.Errorf("reader %d: vintage %s checksum %s, data hashes to %s", g, v.ID, v.Checksum, Checksum(s))
				}
				last = k
				seen[g][k] = true
				reads.Add(1)
			}
		})
	}
	for k := 1; k <= writes; k++ {
		if _, err := w.PutSeries(ctx, id, generation(k), VintageMeta{}); err != nil {
			t.Error(err)
			break
		}
	}
	done.Store(true)
	wg.Wait()
	distinct := 0
	for _, m := range seen {
		distinct = max(distinct, len(m))
	}
	t.Logf("%d reads during %d writes; a reader saw up to %d generations", reads.Load(), writes, distinct)
	if distinct < 2 {
		t.Errorf("readers never saw a new vintage arrive (%d reads); the test did not overlap reads and writes", reads.Load())
	}
}
