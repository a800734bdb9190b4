package fred_test

import (
	"fmt"
	"log"
	"os"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/fred"
)

// Parse the effective federal funds rate (DFF) from the embedded snapshot and look up
// the rate on the day before the September 2024 cut.
func ExampleParse() {
	r, err := os.Open("../../snapshot/data/fred/DFF.csv")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	s, err := fred.Parse(r, "fred/DFF.csv")
	if err != nil {
		log.Fatal(err)
	}
	v, at, _ := s.AsOf(series.MustDate("2024-09-18"))
	fmt.Println(s.Name, s.Freq, s.Len(), s.First(), s.Last())
	fmt.Println(at, v)
	// Output:
	// DFF daily 26034 1954-07-01 2025-10-09
	// 2024-09-18 5.33
}
