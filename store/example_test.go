package store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/store"
)

// The updater's pattern: the downloaded file and the series parsed from it become
// current together, or not at all. Values are FRED's DFF around the September 2024
// cut.
func ExampleStore_Update() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "ratecycle-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, filepath.Join(dir, "store.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()

	raw := []byte("observation_date,DFF\n2024-09-18,5.33\n2024-09-19,4.83\n")
	dff, err := series.New("DFF", series.KindRate, series.Daily,
		[]series.Date{series.MustDate("2024-09-18"), series.MustDate("2024-09-19")}, []float64{5.33, 4.83})
	if err != nil {
		log.Fatal(err)
	}
	meta := store.VintageMeta{
		FetchedAt: time.Date(2024, 9, 20, 8, 0, 0, 0, time.UTC),
		URL:       "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DFF",
		ETag:      `"66ec5a1c"`,
	}
	err = st.Update(ctx, func(tx store.Tx) error {
		f, err := tx.PutFile(ctx, "fred/DFF.csv", raw, meta)
		if err != nil {
			return err
		}
		meta.Raw = f.ID // the series records the exact bytes it came from
		_, err = tx.PutSeries(ctx, "fred/DFF", dff, meta)
		return err
	})
	if err != nil {
		log.Fatal(err)
	}

	list, err := st.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range list {
		fmt.Printf("%-12s %-6s vintage %s  %2d bytes", d.ID, d.Kind, d.Current.ID, d.Current.Size)
		if d.Kind == store.KindSeries {
			fmt.Printf("  %d obs %s..%s", d.Current.N, d.Current.First, d.Current.Last)
		}
		fmt.Println()
	}
	s, err := st.Series(ctx, "fred/DFF", "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Name, s.Values, "vintage", s.Prov.Vintage, "retrieved", s.Prov.RetrievedAt.Format(time.DateOnly))
	// Output:
	// fred/DFF     series vintage 2  24 bytes  2 obs 2024-09-18..2024-09-19
	// fred/DFF.csv file   vintage 1  53 bytes
	// DFF [5.33 4.83] vintage 2 retrieved 2024-09-20
}
