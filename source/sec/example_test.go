package sec_test

import (
	"fmt"
	"log"
	"os"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/sec"
)

// Snowflake's fiscal-year revenue as an investor knew it in mid-2022, and the latest
// values: point-in-time lookups never see a filing made after the as-of date.
func ExampleParseCompanyFacts() {
	const path = "../../snapshot/data/sec-edgartools/snow_facts.json"
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	cf, err := sec.ParseCompanyFacts(f, path)
	if err != nil {
		log.Fatal(err)
	}
	const revenue = "RevenueFromContractWithCustomerExcludingAssessedTax"
	fmt.Println(cf.EntityName, cf.CIK, cf.Taxonomies())
	for _, at := range []struct {
		label string
		asOf  series.Date
	}{{"on 2022-06-30", series.MustDate("2022-06-30")}, {"in the file", sec.NoCutoff}} {
		facts := cf.Annual("us-gaap", revenue, "USD", at.asOf)
		last := facts[len(facts)-1]
		fmt.Printf("known %-13s: %d fiscal years, latest FY ending %s: %.0f USD (%s filed %s)\n",
			at.label, len(facts), last.End, last.Val, last.Form, last.Filed)
	}
	// Output:
	// SNOWFLAKE INC. 1640147 [dei srt us-gaap]
	// known on 2022-06-30: 4 fiscal years, latest FY ending 2022-01-31: 1219327000 USD (10-K filed 2022-03-30)
	// known in the file  : 7 fiscal years, latest FY ending 2025-01-31: 3626396000 USD (10-K filed 2025-03-21)
}

// Map fund tickers to SEC CIKs with the MANIFEST's three rules.
func ExampleTickerMap_Lookup() {
	const path = "../../snapshot/data/sec/tickers-smid-sec-data-engine/sec_tickers.json"
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	m, err := sec.ParseTickers(f, path)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range []string{"NVDA", "BRK.B", "MOGA", "HIFS"} {
		e, match := m.Lookup(t)
		fmt.Printf("%-5s -> %-7d %-6s (%s)\n", t, e.CIK, e.Ticker, match)
	}
	// Output:
	// NVDA  -> 1045810 NVDA   (exact)
	// BRK.B -> 1067983 BRK-B  (dash)
	// MOGA  -> 67887   MOG-A  (class share)
	// HIFS  -> 0              (none)
}

// A point-in-time screen over one FSDS quarter: total assets each filer had reported
// by mid-May and by the end of June 2010.
func ExampleReadFSDS() {
	const path = "../../snapshot/data/sec/fsds-2010q2-secfsdstools/2010q2.zip"
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		log.Fatal(err)
	}
	d, err := sec.ReadFSDS(f, st.Size(), path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d submissions from %d filers, %d numbers kept\n", len(d.Submissions), len(d.CIKs()), len(d.Numbers))
	for _, asOf := range []series.Date{series.MustDate("2010-05-15"), series.MustDate("2010-06-30")} {
		n := 0
		for _, cik := range d.CIKs() {
			if _, ok := d.Latest(cik, "Assets", 0, "USD", asOf); ok {
				n++
			}
		}
		fmt.Printf("as of %s: %d filers had reported total assets\n", asOf, n)
	}
	ford, _ := d.Latest(37996, "Assets", 0, "USD", series.MustDate("2010-06-30"))
	fmt.Printf("Ford: %.0f USD at %s (%s filed %s)\n", ford.Value, ford.DDate, ford.Form, ford.Filed)
	// Output:
	// 522 submissions from 500 filers, 109459 numbers kept
	// as of 2010-05-15: 421 filers had reported total assets
	// as of 2010-06-30: 476 filers had reported total assets
	// Ford: 191968000000 USD at 2010-03-31 (10-Q filed 2010-05-07)
}
