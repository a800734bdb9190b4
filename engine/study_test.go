package engine

import (
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/study"
)

var studyCat = catalog.New(nil)

// TestStudyIWMFirstCuts pins the ETF-era headline: four first cuts since IWM started,
// too few to conclude.
func TestStudyIWMFirstCuts(t *testing.T) {
	res, err := Study(context.Background(), studyCat, StudyOptions{Series: "price/IWM", Vs: "price/SPY", Events: "first-cut",
		Windows: study.MustWindows("0:1m,0:3m,0:12m"), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Sums[2]
	if s.N != 4 || !s.TooFew || !strings.Contains(s.Verdict, "too few to conclude") {
		t.Errorf("0:12m summary %+v", s)
	}
	// 2001-01-03: IWM minus SPY from the 2001-01-02 close to the 2001-01-03 + 1 month close.
	for i, ev := range res.EventResult.Events {
		if ev.Date.String() == "2024-09-18" {
			c := res.Cells[i][0]
			if !c.OK || c.Start.String() != "2024-09-17" || c.End.String() != "2024-10-18" {
				t.Errorf("2024-09-18 0:1m cell %+v", c)
			}
		}
	}
}

// TestStudySMBMonthly: the French monthly factor, a return series without a benchmark,
// with every first cut since 1957 (inferred before 1982).
func TestStudySMBMonthly(t *testing.T) {
	res, err := Study(context.Background(), studyCat, StudyOptions{Series: "french/F-F_Research_Data_Factors/SMB", Events: "first-cut",
		Windows: study.MustWindows("0:1m,0:12m"), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Grid.Monthly || res.Freq != "monthly" || res.Vs != "" {
		t.Fatalf("grid %v vs %q", res.Grid.Monthly, res.Vs)
	}
	if res.Sums[0].N != 20 || res.Sums[1].N != 19 || res.Sums[1].TooFew {
		t.Errorf("n = %d, %d", res.Sums[0].N, res.Sums[1].N)
	}
	// The first event, 1957-11-01 (inferred): month m = November 1957.
	c := res.Cells[0][0]
	if !res.EventResult.Events[0].Inferred || c.Start.String() != "1957-10-31" || c.End.String() != "1957-11-30" {
		t.Errorf("first cell %+v", c)
	}
}

func TestStudyCustomDatesAndMarketModel(t *testing.T) {
	res, err := Study(context.Background(), studyCat, StudyOptions{Series: "price/ITB", Vs: "price/SPY",
		Custom: []study.Event{{Date: series.MustDate("2025-08-22")}}, Windows: study.MustWindows("0:0,0:1w"), Method: study.MarketModel})
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != CustomEvents || res.Cells[0][0].MM == nil || res.Cells[0][0].MM.NEst != 240 {
		t.Errorf("%+v", res.Cells[0][0])
	}
	if res.Sums[0].N != 1 || !strings.Contains(res.Sums[0].Verdict, "too few") {
		t.Errorf("%+v", res.Sums[0])
	}
}

// TestRegimeReferenceInput checks that the statsmodels reference input
// (study/testdata/smb_regimes.csv) is what the engine labels today, so the 1e-8 match
// of study's test is a match of the real regression the regimes command runs.
func TestRegimeReferenceInput(t *testing.T) {
	f, err := os.Open("../study/testdata/smb_regimes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Regimes(context.Background(), studyCat, RegimesOptions{Series: []string{"french/F-F_Research_Data_Factors/SMB"}, MaxLags: -1})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Blocks[0].Result
	if r.N != len(rows)-1 || r.From.String() != rows[1][0] || r.To.String() != rows[len(rows)-1][0] {
		t.Fatalf("sample %s..%s n=%d, reference %s..%s n=%d", r.From, r.To, r.N, rows[1][0], rows[len(rows)-1][0], len(rows)-1)
	}
	h, err := Cycles(context.Background(), studyCat, cycle.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	lab := study.FedRegimes{H: h}
	for _, row := range rows[1:] {
		if got := lab.Label(series.MustDate(row[0])); got != row[2] {
			t.Fatalf("%s: %s, reference input %s", row[0], got, row[2])
		}
	}
}

func TestRegimesOptions(t *testing.T) {
	ctx := context.Background()
	for _, by := range []string{"fed", "recession", "early:12"} {
		res, err := Regimes(ctx, studyCat, RegimesOptions{Series: []string{"french/Portfolios_Formed_on_ME/Lo 10"},
			Vs: "french/Portfolios_Formed_on_ME/Hi 10", By: by, MaxLags: 3})
		if err != nil {
			t.Fatal(by, err)
		}
		r := res.Blocks[0].Result
		if r.MaxLags != 3 || len(r.Stats) < 2 || len(r.Diffs) < 1 {
			t.Errorf("%s: %+v", by, r)
		}
	}
	if _, err := Regimes(ctx, studyCat, RegimesOptions{Series: []string{"price/IWM"}, By: "early:x"}); err == nil {
		t.Error("early:x: want an error")
	}
	res, err := Regimes(ctx, studyCat, RegimesOptions{Series: []string{"price/IWM"}, Vs: "price/SPY", Freq: series.Monthly, MaxLags: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Blocks[0].Result; r.PeriodsPerYear != 12 || r.From.Year() != 2000 {
		t.Errorf("monthly IWM-SPY %s ppy %d", r.From, r.PeriodsPerYear)
	}
}

// BenchmarkDefaultStudy is `ratecycle study` with its defaults, without the process
// start: IWM against SPY around every cut, six windows, 10,000 bootstrap resamples per
// window, from a fresh catalog (target: under 300 ms).
func BenchmarkDefaultStudy(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		res, err := Study(ctx, catalog.New(nil), StudyOptions{Series: "price/IWM", Vs: "price/SPY", Events: string(cycle.AllCuts), Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Windows) != 6 || res.Sums[0].N < 30 {
			b.Fatalf("windows %d n %d", len(res.Windows), res.Sums[0].N)
		}
	}
}

// BenchmarkDefaultStudyWarm is the same study with the data already parsed: the
// analysis alone.
func BenchmarkDefaultStudyWarm(b *testing.B) {
	ctx := context.Background()
	cat := catalog.New(nil)
	for b.Loop() {
		if _, err := Study(ctx, cat, StudyOptions{Series: "price/IWM", Vs: "price/SPY", Events: string(cycle.AllCuts), Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
