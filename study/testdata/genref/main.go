// Command genref writes the inputs of the statsmodels regime reference: the real monthly
// SMB factor (Ken French, embedded snapshot) labelled by the Fed regime of each month,
// as ratecycle computes it, and the same returns labelled by NBER recession. Run from the
// repository root:
//
//	go run ./study/testdata/genref > study/testdata/smb_regimes.csv
//	/usr/bin/python3 study/testdata/regimes_statsmodels.py
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/study"
)

func main() {
	ctx := context.Background()
	cat := catalog.New(nil)
	h, err := engine.Cycles(ctx, cat, cycle.DefaultRules)
	if err != nil {
		log.Fatal(err)
	}
	smb, err := cat.Load(ctx, "french/F-F_Research_Data_Factors/SMB", "")
	if err != nil {
		log.Fatal(err)
	}
	usrec, err := cat.Load(ctx, "fred/USREC", "")
	if err != nil {
		log.Fatal(err)
	}
	fed := study.LabelAll(study.FedRegimes{H: h}, smb.Dates)
	rec := study.LabelAll(study.Recession{USREC: usrec}, smb.Dates)
	// The sample is what study.RegimeSeries uses: trimmed to the labelled months.
	d, _, _, err := study.Trim(smb.Dates, smb.Values, fed)
	if err != nil {
		log.Fatal(err)
	}
	w := os.Stdout
	fmt.Fprintln(w, "date,smb,fed,recession")
	first := d[0]
	for i, dt := range smb.Dates {
		if dt < first || dt > d[len(d)-1] {
			continue
		}
		fmt.Fprintf(w, "%s,%s,%s,%s\n", dt, fmtF(smb.Values[i]), fed[i], rec[i])
	}
}

func fmtF(v float64) string { return fmt.Sprintf("%.17g", v) }
