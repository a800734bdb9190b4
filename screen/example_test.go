package screen_test

import (
	"bytes"
	"fmt"
	"os"

	"github.com/ratecycle/ratecycle/screen"
	"github.com/ratecycle/ratecycle/source/sec"
)

// A screen of Snowflake's companyfacts with the built-in rules and a price of $180.
func ExampleRun() {
	b, _ := os.ReadFile("../snapshot/data/sec-edgartools/snow_facts.json")
	cf, err := sec.ParseCompanyFacts(bytes.NewReader(b), "snow_facts.json")
	if err != nil {
		panic(err)
	}
	in, err := screen.FromCompanyFacts(cf, sec.NoCutoff)
	if err != nil {
		panic(err)
	}
	in.Ticker, in.Price = "SNOW", 180
	res := screen.Run([]screen.Inputs{in}, nil, screen.DefaultRules())
	row := res.Rows[0]
	fmt.Println(row.Inputs.Basis())
	fmt.Println("F-score", row.Metrics.FScore, "Altman Z", screen.FormatMetric(screen.AltmanZ, row.Metrics.Value[screen.AltmanZ]))
	fmt.Println(row.Status, row.Failed)
	// Output:
	// 10-K FY to 2025-01-31 vs 2024-01-31
	// F-score 3/9 Altman Z 5.06
	// fail [min_roa max_debt_to_equity min_interest_coverage min_fscore]
}
