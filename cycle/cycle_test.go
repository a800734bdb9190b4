package cycle

import (
	"bufio"
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/snapshot"
)

// readFRED is a minimal reader for the embedded FRED files used by these tests.
func readFRED(t testing.TB, path string, freq series.Frequency) *series.Series {
	t.Helper()
	b, err := snapshot.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ds []series.Date
	var vs []float64
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Scan()
	for sc.Scan() {
		f := strings.Split(strings.TrimSpace(sc.Text()), ",")
		d := series.MustDate(f[0])
		v := math.NaN()
		if f[1] != "" && f[1] != "." {
			v, _ = strconv.ParseFloat(f[1], 64)
		}
		ds = append(ds, d)
		vs = append(vs, v)
	}
	s, err := series.New(path, series.KindRate, freq, ds, vs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func history(t testing.TB) *History {
	in := Inputs{
		Target:    readFRED(t, "fred/DFEDTAR.csv", series.Daily),
		Upper:     readFRED(t, "fred/DFEDTARU.csv", series.Daily),
		Lower:     readFRED(t, "fred-hussam-2024/DFEDTARL.csv", series.Daily),
		Monthly:   readFRED(t, "fred/FEDFUNDS.csv", series.Monthly),
		Recession: readFRED(t, "fred-bendsbeforethebreak/USREC.csv", series.Monthly),
	}
	h, err := Detect(in, DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestKnownAnnouncementDates(t *testing.T) {
	h := history(t)
	firstCuts, _, _ := h.Dates(FirstCut, false)
	firstHikes, _, _ := h.Dates(FirstHike, false)
	has := func(ds []series.Date, s string) bool {
		for _, d := range ds {
			if d.String() == s {
				return true
			}
		}
		return false
	}
	for _, d := range []string{"2024-09-18", "2019-07-31", "2007-09-18", "2001-01-03", "1998-09-29", "1989-06-06"} {
		if !has(firstCuts, d) {
			t.Errorf("first cut %s missing; got %v", d, firstCuts)
		}
	}
	for _, d := range []string{"2022-03-16", "2015-12-16", "2004-06-30", "1994-02-04"} {
		if !has(firstHikes, d) {
			t.Errorf("first hike %s missing; got %v", d, firstHikes)
		}
	}
	// The emergency cuts of March 2020 were announced on 3 March (a Tuesday) and on
	// Sunday 15 March, effective the next day.
	allCuts, _, _ := h.Dates(AllCuts, false)
	for _, d := range []string{"2020-03-03", "2020-03-15", "2008-12-16", "2025-09-17", "2025-10-29"} {
		if !has(allCuts, d) {
			t.Errorf("cut %s missing", d)
		}
	}
	// No technical move of the 1980s starts a cycle.
	for _, c := range h.Cycles {
		if math.Abs(c.Events[0].ChangeBP) < DefaultRules.TechnicalBP && !c.Inferred {
			t.Errorf("cycle starting %s starts with a technical move %v", c.FirstMove, c.Events[0].ChangeBP)
		}
	}
}

func TestCyclesAlternateAndRecessions(t *testing.T) {
	h := history(t)
	for i := 1; i < len(h.Cycles); i++ {
		if h.Cycles[i].Direction == h.Cycles[i-1].Direction {
			t.Errorf("cycles %s and %s have the same direction", h.Cycles[i-1].FirstMove, h.Cycles[i].FirstMove)
		}
	}
	byFirst := map[string]Cycle{}
	for _, c := range h.Cycles {
		byFirst[c.FirstMove.String()] = c
	}
	if c := byFirst["2007-09-18"]; !c.Recession || c.LastMove.String() != "2008-12-16" {
		t.Errorf("2007 easing: recession=%v last=%s", c.Recession, c.LastMove)
	}
	if c := byFirst["2022-03-16"]; c.Recession || c.TotalBP != 525 || c.Moves != 11 {
		t.Errorf("2022 tightening: %+v", c)
	}
	if c := byFirst["2024-09-18"]; c.Direction != Easing || c.TotalBP != -150 {
		t.Errorf("2024 easing: dir=%s total=%v moves=%d", c.Direction, c.TotalBP, c.Moves)
	}
	if got := h.RegimeAt(series.MustDate("2023-01-15")); got != RegimeTightening {
		t.Errorf("regime 2023-01-15 = %s", got)
	}
	if got := h.RegimeAt(series.MustDate("2017-01-01")); got != RegimeTightening {
		t.Errorf("regime 2017-01-01 = %s", got)
	}
	for d, want := range map[string]Regime{
		"2012-01-01": RegimeHold,       // years after the last cut of 2008
		"2009-05-01": RegimeEasing,     // within six months of 2008-12-16
		"2025-11-12": RegimeEasing,     // two weeks after the cut of 2025-10-29
		"2025-07-01": RegimeHold,       // more than six months after the cut of 2024-12-18
		"2023-12-01": RegimeTightening, // four months after the last hike of 2023-07-26
		"2024-03-01": RegimeHold,       // more than six months after it
	} {
		if got := h.RegimeAt(series.MustDate(d)); got != want {
			t.Errorf("regime %s = %s, want %s", d, got, want)
		}
	}
	inferred := 0
	for _, c := range h.Cycles {
		if c.Inferred {
			inferred++
		}
	}
	if inferred < 8 {
		t.Errorf("only %d inferred cycles before 1982", inferred)
	}
}

func BenchmarkDetect(b *testing.B) {
	in := Inputs{
		Target:  readFRED(b, "fred/DFEDTAR.csv", series.Daily),
		Upper:   readFRED(b, "fred/DFEDTARU.csv", series.Daily),
		Monthly: readFRED(b, "fred/FEDFUNDS.csv", series.Monthly),
	}
	for b.Loop() {
		if _, err := Detect(in, DefaultRules); err != nil {
			b.Fatal(err)
		}
	}
}

// fomcStatements are the FOMC statement dates (federalreserve.gov, monetary policy
// press releases) of every target-range change from December 2008 to the end of the
// embedded DFEDTARU series.
var fomcStatements = []string{
	"2008-12-16", "2015-12-16", "2016-12-14", "2017-03-15", "2017-06-14", "2017-12-13",
	"2018-03-21", "2018-06-13", "2018-09-26", "2018-12-19", "2019-07-31", "2019-09-18",
	"2019-10-30", "2020-03-03", "2020-03-15", "2022-03-16", "2022-05-04", "2022-06-15",
	"2022-07-27", "2022-09-21", "2022-11-02", "2022-12-14", "2023-02-01", "2023-03-22",
	"2023-05-03", "2023-07-26", "2024-09-18", "2024-11-07", "2024-12-18", "2025-09-17",
	"2025-10-29",
}

func TestRangeEraMatchesFOMCStatements(t *testing.T) {
	h := history(t)
	var got []string
	for _, e := range h.Events {
		if e.Effective >= series.MustDate("2008-12-16") {
			got = append(got, e.Announced.String())
		}
	}
	if strings.Join(got, " ") != strings.Join(fomcStatements, " ") {
		t.Fatalf("announcements since 2008:\n got %v\nwant %v", got, fomcStatements)
	}
}

func TestPrintCycles(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("verbose only")
	}
	for _, c := range history(t).Cycles {
		t.Logf("%-10s %s..%s moves=%2d total=%7.2f rec=%v inf=%v", c.Direction, c.FirstMove, c.LastMove, c.Moves, c.TotalBP, c.Recession, c.Inferred)
	}
}
