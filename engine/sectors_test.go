package engine

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/sector"
	"github.com/ratecycle/ratecycle/series"
)

func sectorHistory(t testing.TB, cat *catalog.Catalog) *cycle.History {
	t.Helper()
	h, err := Cycles(context.Background(), cat, cycle.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestSectorsReproducible: the same inputs give the same ranking, byte for byte.
func TestSectorsReproducible(t *testing.T) {
	ctx := context.Background()
	var out [2][]byte
	for i := range out {
		cat := catalog.New(nil)
		r, err := Sectors(ctx, cat, sectorHistory(t, cat), SectorOptions{Universe: "french12", MaxLags: -1})
		if err != nil {
			t.Fatal(err)
		}
		if out[i], err = json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(out[0], out[1]) {
		t.Error("two runs differ")
	}
}

// TestSectorsByHand recomputes Shops' inputs from the raw French monthly returns: the
// mean 12-month excess buy-and-hold return after first cuts (event month and the next
// 11), the slope on DGS2 month-end changes (cov/var), and 12-month momentum.
func TestSectorsByHand(t *testing.T) {
	ctx := context.Background()
	cat := catalog.New(nil)
	h := sectorHistory(t, cat)
	r, err := Sectors(ctx, cat, h, SectorOptions{Universe: "french12", MaxLags: -1})
	if err != nil {
		t.Fatal(err)
	}
	var shops sector.Row
	for _, row := range r.Rows {
		if row.Asset.Name == "Shops" {
			shops = row
		}
	}
	load := func(id string) *series.Series {
		s, err := cat.Load(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	asset := load("french/12_Industry_Portfolios/Shops")
	mrf, rf := load("french/F-F_Research_Data_Factors/Mkt-RF"), load("french/F-F_Research_Data_Factors/RF")
	mkt := map[series.Date]float64{}
	for i, d := range mrf.Dates {
		if j := rf.Index(d); j >= 0 && rf.Dates[j] == d {
			mkt[d] = mrf.Values[i] + rf.Values[j]
		}
	}
	// Event study by hand.
	dates, _, err := h.Dates(cycle.FirstCut, false)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	n := 0
	for _, ev := range dates {
		start := -1
		for i, d := range asset.Dates {
			if d.Year() == ev.Year() && d.Month() == ev.Month() {
				start = i
			}
		}
		if start < 0 || start+12 > len(asset.Dates) {
			continue
		}
		a, m := 1.0, 1.0
		for i := start; i < start+12; i++ {
			a *= 1 + asset.Values[i]
			m *= 1 + mkt[asset.Dates[i]]
		}
		sum += a - m
		n++
	}
	if shops.FirstCut.N != n || n != 19 {
		t.Errorf("first cuts n = %d, by hand %d (want 19: 20 first cuts, 2024-09-18 incomplete)", shops.FirstCut.N, n)
	}
	closeEnough(t, "first-cut mean excess", shops.FirstCut.Mean, sum/float64(n), 1e-12)

	// Slope on DGS2 changes: cov(y, x) / var(x) over the months both exist.
	dgs2 := load("fred/DGS2").DropNaN()
	lv := map[series.Date]float64{}
	for i, d := range dgs2.Dates {
		lv[d.MonthEnd()] = dgs2.Values[i] // the last observation of each month wins
	}
	var xs, ys []float64
	for i, d := range asset.Dates {
		prev := d.AddMonths(-1).MonthEnd()
		a, ok1 := lv[d]
		b, ok2 := lv[prev]
		m, ok3 := mkt[d]
		if ok1 && ok2 && ok3 {
			xs = append(xs, a-b)
			ys = append(ys, asset.Values[i]-m)
		}
	}
	mx, my := meanOf(xs), meanOf(ys)
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if shops.Rate2Y.N != len(xs) {
		t.Errorf("2y beta n = %d, by hand %d", shops.Rate2Y.N, len(xs))
	}
	closeEnough(t, "2y beta", shops.Rate2Y.Beta, sxy/sxx, 1e-10)

	// 12-month momentum to 2024-12: compound the last 12 months.
	k := len(asset.Dates)
	a, m := 1.0, 1.0
	for i := k - 12; i < k; i++ {
		a *= 1 + asset.Values[i]
		m *= 1 + mkt[asset.Dates[i]]
	}
	closeEnough(t, "12m momentum", shops.Mom12, a-m, 1e-12)
}

func meanOf(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func closeEnough(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.15g, by hand %.15g", name, got, want)
	}
}

// TestSectorUniverses: every universe ranks, with a call for each asset and thirds of
// the right size.
func TestSectorUniverses(t *testing.T) {
	ctx := context.Background()
	cat := catalog.New(nil)
	h := sectorHistory(t, cat)
	for _, u := range SectorUniverses {
		r, err := Sectors(ctx, cat, h, SectorOptions{Universe: u, MaxLags: -1})
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		ids, _, _ := SectorInputIDs(u)
		if len(r.Rows) != len(ids) {
			t.Errorf("%s: %d rows for %d assets", u, len(r.Rows), len(ids))
		}
		calls := map[string]int{}
		for _, row := range r.Rows {
			calls[row.Call]++
			if row.Reason == "" {
				t.Errorf("%s %s: no reason", u, row.Asset.Name)
			}
		}
		third := int(math.Round(float64(len(ids)) / 3))
		if calls["overweight"] != third || calls["underweight"] != third {
			t.Errorf("%s: calls %v", u, calls)
		}
	}
	if _, err := Sectors(ctx, cat, h, SectorOptions{Universe: "sp500"}); err == nil {
		t.Error("unknown universe accepted")
	}
}

func BenchmarkSectorRanking(b *testing.B) {
	ctx := context.Background()
	cat := catalog.New(nil)
	h := sectorHistory(b, cat)
	for _, u := range []string{"french12", "french49", "etf"} {
		b.Run(u, func(b *testing.B) {
			for b.Loop() {
				if _, err := Sectors(ctx, cat, h, SectorOptions{Universe: u, MaxLags: -1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
