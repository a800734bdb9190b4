package concentration

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/source"
)

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.IsNaN(want) != math.IsNaN(got) || math.Abs(got-want) > 1e-12 {
		t.Errorf("%s = %.15g, want %.15g", name, got, want)
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{"BRK.B": "BRKB", "brk-b": "BRKB", "BRKB": "BRKB", " bf/b ": "BFB", "GOOGL": "GOOGL"} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func fund() *Snapshot {
	nan := math.NaN()
	return &Snapshot{Source: "test", Fund: true, Basis: BasisMarketValue, EquityShare: 0.98,
		Equities: []Holding{
			{Ticker: "B", Sector: "Tech", Weight: 20, FundWeight: 0.196},
			{Ticker: "A", Sector: "Tech", Weight: 50, FundWeight: 0.49},
			{Ticker: "C", Sector: "Energy", Weight: 20, FundWeight: 0.196},
			{Ticker: "BRK.B", Sector: "", Weight: 10, FundWeight: 0.098},
		},
		Other: []Holding{
			{Ticker: "USD", AssetClass: "Cash", Weight: nan, FundWeight: 0.015},
			{Ticker: "ESZ4", AssetClass: "Futures", Weight: nan, FundWeight: 0.005},
		}}
}

func TestNormaliseAndAnalyze(t *testing.T) {
	s := fund()
	if err := s.Normalise(); err != nil {
		t.Fatal(err)
	}
	if !s.Renormalised {
		t.Error("weights summing to 100 were not marked renormalised")
	}
	order := []string{}
	for _, h := range s.Equities {
		order = append(order, h.Ticker)
	}
	if got := strings.Join(order, " "); got != "A B C BRK.B" {
		t.Errorf("order %s, want A B C BRK.B (weight, then ticker)", got)
	}
	r := Analyze(s, 2, []Group{{Name: "ab", Tickers: []string{"a", "b", "Z"}}, {Name: "berkshire", Tickers: []string{"BRKB"}}})
	near(t, "top-2 share", r.TopShare, 0.7)
	near(t, "top-2 fund share", r.TopFundShare, 0.686)
	near(t, "HHI", r.HHI, 0.25+0.04+0.04+0.01)
	near(t, "effective N", r.EffectiveN, 1/0.34)
	near(t, "non-equity share", r.OtherShare, 0.02)
	if len(r.Sectors) != 3 || r.Sectors[0].Sector != "Tech" || r.Sectors[0].Holdings != 2 || r.Sectors[2].Sector != "(unknown)" {
		t.Errorf("sectors %+v", r.Sectors)
	}
	near(t, "Tech", r.Sectors[0].Weight, 0.7)
	g, _ := r.Group("AB")
	near(t, "group ab", g.Share, 0.7)
	if len(g.Missing) != 1 || g.Missing[0] != "Z" || len(g.Members) != 2 {
		t.Errorf("group ab members %d, missing %v", len(g.Members), g.Missing)
	}
	if g, _ := r.Group("berkshire"); g.Share != 0.1 {
		t.Errorf("BRKB did not match BRK.B: %+v", g)
	}
	// HHI bounds: equal weights give 1/n.
	near(t, "HHI of 4 equal", HHI([]float64{0.25, 0.25, 0.25, 0.25}), 0.25)
}

func TestAnalyzeAliasCountsOnce(t *testing.T) {
	s := &Snapshot{Source: "idx", Basis: BasisMarketCap, EquityShare: 1, Equities: []Holding{
		{Ticker: "GOOGL", Weight: 0.6, FundWeight: math.NaN(), Also: []string{"GOOG"}},
		{Ticker: "MSFT", Weight: 0.4, FundWeight: math.NaN()},
	}}
	if err := s.Normalise(); err != nil {
		t.Fatal(err)
	}
	if s.Renormalised {
		t.Error("weights summing to 1 were marked renormalised")
	}
	r := Analyze(s, 7, BuiltinGroups())
	g, ok := r.Group("mag7")
	if !ok {
		t.Fatal("no mag7")
	}
	near(t, "mag7 with GOOGL and GOOG on one line", g.Share, 1)
	if len(g.Members) != 2 || !math.IsNaN(g.FundShare) || !math.IsNaN(r.OtherShare) || !math.IsNaN(r.TopFundShare) {
		t.Errorf("members %d, fund share %v, other %v", len(g.Members), g.FundShare, r.OtherShare)
	}
	if len(r.Top) != 2 {
		t.Errorf("top-7 of 2 lines has %d", len(r.Top))
	}
}

func TestNormaliseErrors(t *testing.T) {
	for name, s := range map[string]*Snapshot{
		"empty":    {Source: "x"},
		"negative": {Source: "x", Equities: []Holding{{Ticker: "A", Weight: -1}, {Ticker: "B", Weight: 2}}},
		"NaN":      {Source: "x", Equities: []Holding{{Ticker: "A", Weight: math.NaN()}}},
		"zero":     {Source: "x", Equities: []Holding{{Ticker: "A", Weight: 0}}},
	} {
		if err := s.Normalise(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestCompare(t *testing.T) {
	a := fund()
	if err := a.Normalise(); err != nil {
		t.Fatal(err)
	}
	b := &Snapshot{Source: "b", Basis: BasisMarketCap, EquityShare: 1, Equities: []Holding{
		{Ticker: "A", Sector: "Tech", Weight: 0.3, FundWeight: math.NaN()},
		{Ticker: "D", Sector: "Utilities", Weight: 0.6, FundWeight: math.NaN()},
		{Ticker: "BRKB", Sector: "Financials", Weight: 0.1, FundWeight: math.NaN()},
	}}
	if err := b.Normalise(); err != nil {
		t.Fatal(err)
	}
	ra, rb := Analyze(a, 2, BuiltinGroups()), Analyze(b, 2, BuiltinGroups())
	c := Compare(ra, rb)
	if c.Common != 2 {
		t.Errorf("common %d, want 2 (A and BRK.B/BRKB)", c.Common)
	}
	near(t, "overlap", c.Overlap, 0.3+0.1)
	var names []string
	for _, n := range c.Names {
		names = append(names, n.Ticker)
	}
	if got := strings.Join(names, " "); got != "D A B" {
		t.Errorf("names %s, want D A B (by the larger weight)", got)
	}
	if c.Names[0].RankA != 0 || c.Names[0].RankB != 1 || !math.IsNaN(c.Names[0].A) {
		t.Errorf("D: %+v", c.Names[0])
	}
	near(t, "D change", c.Names[0].Diff, 0.6)
	near(t, "A change", c.Names[1].Diff, 0.3-0.5)
	for _, m := range c.Metrics {
		if m.Name == "HHI" {
			near(t, "HHI change", m.Diff, (0.09+0.36+0.01)-0.34)
		}
	}
	var utilities bool
	for _, s := range c.Sectors {
		if s.Name == "Utilities" {
			utilities = true
			near(t, "Utilities in A", s.A, 0)
		}
	}
	if !utilities {
		t.Error("a sector only in B is missing from the comparison")
	}
}

func TestParseGroups(t *testing.T) {
	gs, err := ParseGroups([]byte(`# my groups
groups:
  - name: semis
    tickers: [NVDA, AVGO, AMD]
    note: chips
  - name: berkshire
    tickers:
      - BRK.B
`), "g.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 2 || gs[0].Name != "semis" || len(gs[0].Tickers) != 3 || gs[0].Note != "chips" || gs[0].Line != 3 || gs[1].Tickers[0] != "BRK.B" {
		t.Errorf("groups %+v", gs)
	}
	m := MergeGroups(BuiltinGroups(), append(gs, Group{Name: "MAG7", Tickers: []string{"AAPL"}}))
	if len(m) != 3 || m[0].Name != "MAG7" || len(m[0].Tickers) != 1 {
		t.Errorf("merge: %+v", m)
	}
	if len(Mag7.Tickers) != 8 {
		t.Error("MergeGroups changed the built-in mag7")
	}
}

func TestParseGroupsErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"empty", "", "empty groups file"},
		{"unknown top key", "group:\n  - name: a\n", `parse g.yaml line 1: unknown key "group" (known keys: groups)`},
		{"not a list", "groups: semis\n", `line 1 field "groups": want a list`},
		{"unknown group key", "groups:\n  - name: a\n    ticker: [X]\n", `parse g.yaml line 3 field "groups[0]": unknown key "ticker" (known keys: name, note, tickers)`},
		{"repeated key", "groups:\n  - name: a\n    name: b\n    tickers: [X]\n", `parse g.yaml line 3 field "groups[0]": key "name" appears twice`},
		{"no name", "groups:\n  - tickers: [X]\n", "a group needs a name"},
		{"no tickers", "groups:\n  - name: a\n", `group "a" has no tickers`},
		{"empty tickers", "groups:\n  - name: a\n    tickers: []\n", `group "a" has no tickers`},
		{"ticker is a list", "groups:\n  - name: a\n    tickers: [[X]]\n", "want a ticker, got a list"},
		{"null ticker", "groups:\n  - name: a\n    tickers: [X, ~]\n", "want a ticker, got nothing"},
		{"twice in a group", "groups:\n  - name: a\n    tickers: [BRK.B, brkb]\n", `parse g.yaml line 3 field "groups[0].tickers": ticker "brkb" is listed twice`},
		{"name twice", "groups:\n  - name: a\n    tickers: [X]\n  - name: A\n    tickers: [Y]\n", `parse g.yaml line 4 field "groups[1].name": group "A" is defined twice (first on line 2)`},
		{"name is a map", "groups:\n  - name: {a: 1}\n    tickers: [X]\n", "want text, got a mapping"},
		{"syntax", "groups: [\n", "parse g.yaml line 1: yaml: did not find expected node content"},
		{"two documents", "groups:\n  - name: a\n    tickers: [X]\n---\ngroups: []\n", "a second YAML document"},
		{"no groups", "groups: []\n", "no groups"},
		{"group is text", "groups:\n  - semis\n", "a group is a mapping"},
	} {
		_, err := ParseGroups([]byte(tc.yaml), "g.yaml")
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want it to contain %q", tc.name, err, tc.want)
		}
		if !errors.Is(err, source.ErrBadInput) {
			t.Errorf("%s: %v does not wrap source.ErrBadInput", tc.name, err)
		}
	}
}

func FuzzParseGroups(f *testing.F) {
	f.Add([]byte("groups:\n  - name: semis\n    tickers: [NVDA, AVGO]\n"))
	f.Add([]byte("groups:\n  - name: a\n    tickers:\n      - BRK.B\n    note: x\n  - name: b\n    tickers: [X]\n"))
	f.Add([]byte("groups: [{name: a, tickers: [X, Y]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		gs, err := ParseGroups(data, "fuzz.yaml")
		if err != nil {
			if !errors.Is(err, source.ErrBadInput) {
				t.Fatalf("error without ErrBadInput: %v", err)
			}
			return
		}
		names := map[string]bool{}
		for _, g := range gs {
			if g.Name == "" || len(g.Tickers) == 0 || names[strings.ToLower(g.Name)] {
				t.Fatalf("accepted an invalid group %+v", g)
			}
			names[strings.ToLower(g.Name)] = true
		}
	})
}

func BenchmarkAnalyze(b *testing.B) {
	s := &Snapshot{Source: "bench", Basis: BasisMarketCap, EquityShare: 1}
	sectors := []string{"Tech", "Energy", "Financials", "Health Care"}
	for i := range 2000 {
		s.Equities = append(s.Equities, Holding{Ticker: "T" + strings.Repeat("X", i%5) + string(rune('A'+i%26)) + string(rune('A'+i/26%26)),
			Sector: sectors[i%4], Weight: 1 / float64(i+1), FundWeight: math.NaN()})
	}
	if err := s.Normalise(); err != nil {
		b.Fatal(err)
	}
	groups := BuiltinGroups()
	b.ReportAllocs()
	for b.Loop() {
		Analyze(s, 7, groups)
	}
	b.ReportMetric(float64(len(s.Equities))*float64(b.N)/b.Elapsed().Seconds(), "holdings/s")
}
