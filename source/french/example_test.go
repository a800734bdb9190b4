package french_test

import (
	"fmt"
	"log"
	"os"

	"github.com/ratecycle/ratecycle/source/french"
)

// Parse the daily Fama/French 3-factor file embedded in the snapshot and read SMB,
// the small-minus-big factor, as decimal returns.
func ExampleParse() {
	r, err := os.Open("../../snapshot/data/kenfrench/F-F_Research_Data_Factors_daily.CSV")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	f, err := french.Parse(r, "kenfrench/F-F_Research_Data_Factors_daily.CSV")
	if err != nil {
		log.Fatal(err)
	}
	sec, err := f.Section("") // the daily file has one untitled section
	if err != nil {
		log.Fatal(err)
	}
	smb, err := sec.Series("SMB")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sec.Columns, sec.Freq, len(sec.Dates), "rows")
	fmt.Printf("%s %.4f %s\n", smb.First(), smb.Values[0], smb.Kind)
	fmt.Printf("%s %.4f\n", smb.Last(), smb.Values[smb.Len()-1])
	fmt.Println(smb.Prov.SourceID, "lag", smb.Prov.Lag.Days, "days")
	// Output:
	// [Mkt-RF SMB HML RF] daily 25817 rows
	// 1926-07-01 -0.0025 return
	// 2024-08-30 -0.0055
	// F-F_Research_Data_Factors_daily/SMB lag 30 days
}

// Sections of a multi-section file are addressed by key or by title; BE/ME and firm
// counts are levels, left as they are in the file.
func ExampleFile_Section() {
	r, err := os.Open("../../snapshot/data/kenfrench/25_Portfolios_5x5.CSV")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	f, err := french.Parse(r, "kenfrench/25_Portfolios_5x5.CSV")
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range f.Sections {
		fmt.Printf("%-62q %-7v percent=%v\n", s.Key, s.Freq, s.Percent)
	}
	bm, err := f.Section("Value Weight Average of BE/ME")
	if err != nil {
		log.Fatal(err)
	}
	v, err := bm.Series("SMALL HiBM")
	if err != nil {
		log.Fatal(err)
	}
	x, _ := v.At(v.Last())
	fmt.Println(v.Prov.SourceID, v.Last(), x)
	// Output:
	// ""                                                             monthly percent=true
	// "average-equal-weighted-returns-monthly"                       monthly percent=true
	// "average-value-weighted-returns-annual"                        annual  percent=true
	// "average-equal-weighted-returns-annual"                        annual  percent=true
	// "number-of-firms-in-portfolios"                                monthly percent=false
	// "average-market-cap"                                           monthly percent=false
	// "value-weight-average-of-be-me"                                monthly percent=false
	// "value-weight-average-of-be-fyt-1-me-june-t"                   monthly percent=false
	// "value-weight-average-of-op"                                   monthly percent=false
	// "value-weight-average-of-investment-rate-of-growth-of-assets"  monthly percent=false
	// 25_Portfolios_5x5/value-weight-average-of-be-me/SMALL HiBM 2024-12-31 1.5396
}
