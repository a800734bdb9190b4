package shiller_test

import (
	"fmt"
	"log"
	"os"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/shiller"
)

// Read the cyclically adjusted P/E (PE10, CAPE) from the embedded datahub file. The
// file's 0.0 missing markers are NaN, so the last non-missing value is where
// Shiller's own data ends.
func ExampleParse() {
	r, err := os.Open("../../snapshot/data/shiller-datahub/data.csv")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	t, err := shiller.Parse(r, "shiller-datahub/data.csv")
	if err != nil {
		log.Fatal(err)
	}
	cape, err := t.Series(shiller.PE10)
	if err != nil {
		log.Fatal(err)
	}
	first := cape.DropNaN()
	fmt.Println(cape.Len(), "months;", first.Len(), "with a PE10")
	fmt.Println("first", first.First(), first.Values[0])
	v, at, _ := cape.AsOf(series.MustDate("2026-06-01"))
	fmt.Println("last", at, v)
	// Output:
	// 1866 months; 1713 with a PE10
	// first 1881-01-01 18.47
	// last 2023-09-01 30.81
}
