package price_test

import (
	"fmt"
	"log"
	"os"

	"github.com/ratecycle/ratecycle/source/price"
)

// Parse the embedded Russell 2000 ETF (IWM) closes. The file was committed at 10:09
// New York time on its last day, so its last row is an intraday price; SnapshotOptions
// carries that fact from the MANIFEST and DropPartial removes the row.
func ExampleParse() {
	const name = "yahoo-dsturdy/IWM.csv"
	r, err := os.Open("../../snapshot/data/" + name)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	t, err := price.Parse(r, name, price.SnapshotOptions(name))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Symbol, t.Source, t.Len(), "rows; partial last row:", t.PartialLast)
	t.DropPartial()
	s := t.CloseSeries()
	fmt.Printf("%s %s close %.2f (%s)\n", s.Name, s.Last(), s.Values[s.Len()-1], s.Prov.SourceID)
	// Output:
	// IWM yahoo 6570 rows; partial last row: true
	// IWM 2026-07-13 close 293.48 (yahoo/IWM)
}
