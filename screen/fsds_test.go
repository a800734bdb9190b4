package screen

import (
	"archive/zip"
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/sec"
)

func readFSDS(t testing.TB) *sec.FSDS {
	t.Helper()
	b, err := os.ReadFile(fsdsFile)
	if err != nil {
		t.Fatal(err)
	}
	d, err := sec.ReadFSDS(bytes.NewReader(b), int64(len(b)), "2010q2.zip")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// rawNum scans num.txt of the zip directly (not through source/sec) for one
// submission's undimensioned values: tag|ddate|qtrs -> value.
func rawNum(t *testing.T, adsh string) map[string]float64 {
	t.Helper()
	zr, err := zip.OpenReader(fsdsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]float64{}
	for _, f := range zr.File {
		if f.Name != "num.txt" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(rc)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var col map[string]int
		for sc.Scan() {
			cells := strings.Split(sc.Text(), "\t")
			if col == nil {
				col = map[string]int{}
				for i, c := range cells {
					col[c] = i
				}
				continue
			}
			if cells[col["adsh"]] != adsh || cells[col["segments"]] != "" || cells[col["coreg"]] != "" {
				continue
			}
			v, err := strconv.ParseFloat(cells[col["value"]], 64)
			if err != nil {
				continue
			}
			out[cells[col["tag"]]+"|"+cells[col["ddate"]]+"|"+cells[col["qtrs"]]] = v
		}
		rc.Close()
	}
	return out
}

// TestFSDSSigmaAldrich recomputes Sigma-Aldrich's ratios in the 2010q2 point-in-time
// screen from the raw rows of its 10-Q for 2010-03-31 (filed 2010-04-22).
func TestFSDSSigmaAldrich(t *testing.T) {
	raw := rawNum(t, "0001193125-10-089763")
	v := func(k string) float64 {
		x, ok := raw[k]
		if !ok {
			t.Fatalf("%s not in num.txt", k)
		}
		return x
	}
	in, err := FromFSDS(readFSDS(t), 90185, series.MustDate("2010-06-30"), "2010q2")
	if err != nil {
		t.Fatal(err)
	}
	if in.Form != "10-Q" || in.Cur.Months != 3 || in.Cur.End.String() != "2010-03-31" ||
		in.Prev.End.String() != "2009-03-31" || in.Prev.BalanceDate.String() != "2009-12-31" {
		t.Fatalf("basis %s", in.Basis())
	}
	m := Compute(&in)
	a := v("Assets|20100331|0")
	ni := v("NetIncomeLoss|20100331|1")
	closeTo(t, "roa (annualised x4)", m.Value[ROA], ni*4/a)
	closeTo(t, "gross_profitability", m.Value[GrossProfitability], v("GrossProfit|20100331|1")*4/a)
	closeTo(t, "operating_margin", m.Value[OperatingMargin], v("OperatingIncomeLoss|20100331|1")/v("SalesRevenueNet|20100331|1"))
	closeTo(t, "debt_to_equity", m.Value[DebtToEquity], v("Liabilities|20100331|0")/v("StockholdersEquity|20100331|0"))
	closeTo(t, "interest_coverage", m.Value[InterestCoverage], v("OperatingIncomeLoss|20100331|1")/v("InterestExpense|20100331|1"))
	closeTo(t, "current_ratio", m.Value[CurrentRatio], v("AssetsCurrent|20100331|0")/v("LiabilitiesCurrent|20100331|0"))
	closeTo(t, "accruals", m.Value[Accruals], (ni-v("NetCashProvidedByUsedInOperatingActivities|20100331|1"))*4/a)
	closeTo(t, "revenue_growth", m.Value[RevenueGrowth], v("SalesRevenueNet|20100331|1")/v("SalesRevenueNet|20090331|1")-1)
	// ROA rose: 100/2769 against 84/2714 (the comparative balance sheet of 2009-12-31).
	if s := m.FScore.Signals[2]; s.Value != 1 {
		t.Errorf("roa_up %+v", s)
	}
	if !strings.Contains(in.Notes[0], "2009-12-31") {
		t.Errorf("the comparative balance-sheet date is not noted: %v", in.Notes)
	}
}

// TestFSDSScreen is the 2010q2 point-in-time screen of every filer end to end: counts,
// exclusions with reasons, and the Altman rule unknown for lack of 2010 prices.
func TestFSDSScreen(t *testing.T) {
	d := readFSDS(t)
	asOf := series.MustDate("2010-06-30")
	var ins []Inputs
	var ex []Exclusion
	for _, cik := range d.CIKs() {
		in, err := FromFSDS(d, cik, asOf, "2010q2")
		if err != nil {
			ex = append(ex, Exclusion{CIK: cik, Name: in.Name, Reason: err.Error()})
			continue
		}
		ins = append(ins, in)
	}
	res := Run(ins, ex, DefaultRules())
	if n := len(d.CIKs()); n != 500 || len(res.Rows)+len(res.Excluded) != n {
		t.Fatalf("%d filers, %d screened + %d excluded", n, len(res.Rows), len(res.Excluded))
	}
	if len(res.Rows) != 483 {
		t.Errorf("screened %d, want 483", len(res.Rows))
	}
	for _, e := range res.Excluded {
		if e.Reason == "" || e.Name == "" {
			t.Errorf("exclusion without a reason or name: %+v", e)
		}
	}
	p, f, u := res.Counts()
	if p != 0 || p+f+u != len(res.Rows) {
		t.Errorf("pass %d fail %d unknown %d: nobody can pass min_altman_z without a price", p, f, u)
	}
	for _, r := range res.Rows {
		if r.Status == Pass {
			t.Errorf("%s passed with rule altman unknown", r.Inputs.Name)
		}
	}
	// An earlier as-of sees fewer filings: point in time.
	early := 0
	for _, cik := range d.CIKs() {
		if _, err := FromFSDS(d, cik, series.MustDate("2010-04-30"), "2010q2"); err == nil {
			early++
		}
	}
	if early == 0 || early >= len(res.Rows) {
		t.Errorf("as of 2010-04-30: %d screened (as of 2010-06-30: %d)", early, len(res.Rows))
	}
}

func BenchmarkScreenFSDS(b *testing.B) {
	d := readFSDS(b)
	asOf := series.MustDate("2010-06-30")
	ciks := d.CIKs()
	rules := DefaultRules()
	b.ReportAllocs()
	for b.Loop() {
		var ins []Inputs
		for _, cik := range ciks {
			if in, err := FromFSDS(d, cik, asOf, "2010q2"); err == nil {
				ins = append(ins, in)
			}
		}
		Run(ins, nil, rules)
	}
	b.ReportMetric(float64(len(ciks))*float64(b.N)/b.Elapsed().Seconds(), "filers/s")
}

func BenchmarkCompanyFacts(b *testing.B) {
	cf := readFacts(b, snowFile)
	for b.Loop() {
		in, err := FromCompanyFacts(cf, sec.NoCutoff)
		if err != nil {
			b.Fatal(err)
		}
		Compute(&in)
	}
}
