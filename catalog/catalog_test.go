package catalog

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

func TestEveryListedDatasetLoads(t *testing.T) {
	ctx := context.Background()
	c := New(nil)
	ds, err := c.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) < 60 {
		t.Fatalf("only %d datasets listed", len(ds))
	}
	loaded := 0
	for _, d := range ds {
		ids := []string{d.ID}
		if d.Provider == "french" {
			ids = nil
			for _, col := range d.Columns {
				ids = append(ids, d.ID+"/"+col)
			}
		}
		if d.Provider == "holdings" || d.Provider == "constituents" {
			continue
		}
		for _, id := range ids {
			s, err := c.Load(ctx, id, "")
			if err != nil {
				if strings.Contains(err.Error(), "not built yet") {
					continue
				}
				t.Errorf("%s: %v", id, err)
				continue
			}
			loaded++
			if s.Len() == 0 {
				t.Errorf("%s: empty", id)
			}
			if s.Name != id || s.Prov.Provider == "" || s.Prov.File == "" || s.Prov.Licence == "" {
				t.Errorf("%s: provenance incomplete: name=%q %+v", id, s.Name, s.Prov)
			}
			for i := 1; i < s.Len(); i++ {
				if s.Dates[i] <= s.Dates[i-1] {
					t.Fatalf("%s: dates not increasing at %s", id, s.Dates[i])
				}
			}
		}
	}
	t.Logf("loaded %d series", loaded)
}

func TestFrenchPercentToDecimal(t *testing.T) {
	ctx := context.Background()
	c := New(nil)
	smb, err := c.Load(ctx, "french/F-F_Research_Data_Factors_daily/SMB", "")
	if err != nil {
		t.Fatal(err)
	}
	// 19260701 row of the file: SMB = -0.25 (percent).
	if v, ok := smb.At(series.MustDate("1926-07-01")); !ok || math.Abs(v-(-0.0025)) > 1e-15 {
		t.Fatalf("SMB 1926-07-01 = %v", v)
	}
	if smb.Kind != series.KindReturn || smb.Freq != series.Daily {
		t.Fatalf("kind %s freq %s", smb.Kind, smb.Freq)
	}
	if smb.Prov.Lag.Days != 30 {
		t.Fatalf("lag %+v", smb.Prov.Lag)
	}
}

func TestSpliceAndNotes(t *testing.T) {
	ctx := context.Background()
	c := New(nil)
	ff, err := c.Load(ctx, "fred/FEDFUNDS", "")
	if err != nil {
		t.Fatal(err)
	}
	if ff.Last().String() != "2026-03-01" || !strings.Contains(ff.Prov.Note, "carpet155") {
		t.Fatalf("FEDFUNDS splice: last %s note %q", ff.Last(), ff.Prov.Note)
	}
	if v, _ := ff.At(series.MustDate("2025-04-01")); v != 4.33 {
		t.Fatalf("FEDFUNDS 2025-04 = %v (from the original file)", v)
	}
}

func TestUnknownIDs(t *testing.T) {
	ctx := context.Background()
	c := New(nil)
	for _, id := range []string{"fred/NOPE", "french/NoSuchFile/SMB", "french/F-F_Research_Data_Factors/NOPE", "nope"} {
		if _, err := c.Load(ctx, id, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", id, err)
		}
	}
	if _, err := c.Load(ctx, "fred/DFF", "no-such-vintage"); !errors.Is(err, ErrNotFound) {
		t.Errorf("vintage: err = %v", err)
	}
}

// BenchmarkOpenDataset measures opening an embedded dataset from a cold catalog (the
// parse of its file included): the largest files bound the worst case.
func BenchmarkOpenDataset(b *testing.B) {
	ctx := context.Background()
	for _, id := range []string{"fred/DFF", "french/F-F_Research_Data_Factors_daily/SMB", "french/49_Industry_Portfolios/Banks",
		"french/25_Portfolios_5x5/SMALL LoBM", "fred/DGS10"} {
		b.Run(strings.ReplaceAll(id, "/", "_"), func(b *testing.B) {
			for b.Loop() {
				c := New(nil)
				if _, err := c.Load(ctx, id, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
