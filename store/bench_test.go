package store

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/ratecycle/ratecycle/series"
)

// benchPoints is a century of daily data, about the size of FRED's DFF (1954-).
const benchPoints = 25_000

func benchSeries() *series.Series {
	return daily("DFF", benchPoints, func(i int) float64 {
		if i%250 == 0 {
			return math.NaN()
		}
		return 5 + math.Sin(float64(i)/500)
	})
}

func BenchmarkPutSeries(b *testing.B) {
	ctx := context.Background()
	st := openTest(b)
	s := benchSeries()
	b.SetBytes(benchPoints * obsSize)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := st.PutSeries(ctx, "fred/DFF", s, VintageMeta{}); err != nil {
			b.Fatal(err)
		}
		if i++; i%100 == 0 { // keep the file from growing without bound
			b.StopTimer()
			if _, err := st.Prune(ctx, "fred/DFF", 3); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	}
}

func BenchmarkSeries(b *testing.B) {
	ctx := context.Background()
	st := openTest(b)
	if _, err := st.PutSeries(ctx, "fred/DFF", benchSeries(), VintageMeta{}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchPoints * obsSize)
	b.ReportAllocs()
	for b.Loop() {
		s, err := st.Series(ctx, "fred/DFF", "")
		if err != nil || s.Len() != benchPoints {
			b.Fatal(s.Len(), err)
		}
	}
}

// BenchmarkRowPerObservation measures the layout the store does not use, one row
// per observation, for comparison with BenchmarkPutSeries and BenchmarkSeries. Its
// value column has to be nullable: SQLite stores a NaN REAL as NULL, so this layout
// cannot even keep a NaN's bits.
func BenchmarkRowPerObservation(b *testing.B) {
	ctx := context.Background()
	st := openTest(b)
	if _, err := st.db.ExecContext(ctx, `CREATE TABLE obs_rows (
		vintage INTEGER NOT NULL, date INTEGER NOT NULL, value REAL,
		PRIMARY KEY (vintage, date)) STRICT, WITHOUT ROWID`); err != nil {
		b.Fatal(err)
	}
	s := benchSeries()
	vintage := 0 // sub-benchmarks run again under -count, on the same table
	put := func() {
		vintage++
		tx, err := st.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer tx.Rollback()
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO obs_rows VALUES (?, ?, ?)`)
		if err != nil {
			b.Fatal(err)
		}
		for i, d := range s.Dates {
			var v any
			if !math.IsNaN(s.Values[i]) {
				v = s.Values[i]
			}
			if _, err := stmt.ExecContext(ctx, vintage, int64(d), v); err != nil {
				b.Fatal(err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("put", func(b *testing.B) {
		b.SetBytes(benchPoints * obsSize)
		for b.Loop() {
			put()
		}
	})
	b.Run("read", func(b *testing.B) {
		put()
		b.SetBytes(benchPoints * obsSize)
		for b.Loop() {
			rows, err := st.db.QueryContext(ctx, `SELECT date, value FROM obs_rows WHERE vintage = ? ORDER BY date`, vintage)
			if err != nil {
				b.Fatal(err)
			}
			dates := make([]series.Date, 0, benchPoints)
			values := make([]float64, 0, benchPoints)
			for rows.Next() {
				var d int64
				var v *float64
				if err := rows.Scan(&d, &v); err != nil {
					b.Fatal(err)
				}
				x := math.NaN()
				if v != nil {
					x = *v
				}
				dates, values = append(dates, series.Date(d)), append(values, x)
			}
			rows.Close()
			if len(dates) != benchPoints {
				b.Fatal(len(dates))
			}
		}
	})
}

// TestRead25kPointsIsFast holds the store to its budget: a century of daily data
// reads in well under 5 ms. The best of several reads is compared, so a busy
// machine does not fail it.
func TestRead25kPointsIsFast(t *testing.T) {
	if raceEnabled {
		t.Skip("timings under the race detector mean nothing")
	}
	ctx := context.Background()
	st := openTest(t)
	if _, err := st.PutSeries(ctx, "fred/DFF", benchSeries(), VintageMeta{}); err != nil {
		t.Fatal(err)
	}
	best := time.Hour
	for range 20 {
		start := time.Now()
		if _, err := st.Series(ctx, "fred/DFF", ""); err != nil {
			t.Fatal(err)
		}
		best = min(best, time.Since(start))
	}
	t.Logf("best read of %d points: %v", benchPoints, best)
	if best > 5*time.Millisecond {
		t.Errorf("reading %d points took %v at best, budget 5ms", benchPoints, best)
	}
}
