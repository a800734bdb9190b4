package screen

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
	"github.com/ratecycle/ratecycle/source/sec"
)

const (
	snowFile = "../snapshot/data/sec-edgartools/snow_facts.json"
	lpaFile  = "../snapshot/data/sec-edgartools/lpa_facts.json"
	fsdsFile = "../snapshot/data/sec/fsds-2010q2-secfsdstools/2010q2.zip"
)

func readFacts(t testing.TB, path string) *sec.CompanyFacts {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := sec.ParseCompanyFacts(bytes.NewReader(b), path)
	if err != nil {
		t.Fatal(err)
	}
	return cf
}

// rawFact is one fact of the companyfacts JSON decoded here with encoding/json, not
// through source/sec: the independent route to the numbers the tests expect.
type rawFact struct {
	Start, End, Form, Filed, Accn string
	Val                           float64
}

func rawDoc(t *testing.T, path string) map[string]map[string]map[string]map[string][]rawFact {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Facts map[string]map[string]struct {
			Units map[string][]rawFact `json:"units"`
		} `json:"facts"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]map[string]map[string][]rawFact{}
	for tax, cs := range doc.Facts {
		out[tax] = map[string]map[string]map[string][]rawFact{}
		for c, v := range cs {
			out[tax][c] = map[string]map[string][]rawFact{"units": v.Units}
		}
	}
	return out
}

// pick returns the value of concept for (start, end) from annual reports, the one filed
// last: what "latest restated" means.
func pick(t *testing.T, doc map[string]map[string]map[string]map[string][]rawFact, tax, concept, unit, start, end string) float64 {
	t.Helper()
	var best *rawFact
	for _, f := range doc[tax][concept]["units"][unit] {
		if f.Start != start || f.End != end || !strings.HasPrefix(f.Form, "10-K") {
			continue
		}
		if best == nil || f.Filed > best.Filed || (f.Filed == best.Filed && f.Accn > best.Accn) {
			best = &f
		}
	}
	if best == nil {
		t.Fatalf("%s %s %s..%s not in the file", tax, concept, start, end)
	}
	return best.Val
}

func closeTo(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.15g, want %.15g", name, got, want)
	}
}

// TestSnowflakeByHand recomputes Snowflake's FY2025 (to 2025-01-31) ratios, the nine
// Piotroski signals and the Altman Z from raw values of snow_facts.json picked here.
func TestSnowflakeByHand(t *testing.T) {
	doc := rawDoc(t, snowFile)
	g := func(c, s, e string) float64 { return pick(t, doc, "us-gaap", c, "USD", s, e) }
	bal := func(c, e string) float64 { return pick(t, doc, "us-gaap", c, "USD", "", e) }
	const s25, e25, s24, e24 = "2024-02-01", "2025-01-31", "2023-02-01", "2024-01-31"
	rev, revP := g("RevenueFromContractWithCustomerExcludingAssessedTax", s25, e25), g("RevenueFromContractWithCustomerExcludingAssessedTax", s24, e24)
	gp, gpP := g("GrossProfit", s25, e25), g("GrossProfit", s24, e24)
	ni, niP := g("NetIncomeLoss", s25, e25), g("NetIncomeLoss", s24, e24)
	cfo := g("NetCashProvidedByUsedInOperatingActivities", s25, e25)
	ebit := g("OperatingIncomeLoss", s25, e25)
	ie := g("InterestExpenseNonoperating", s25, e25) // SNOW has no InterestExpense concept
	sh, shP := pick(t, doc, "us-gaap", "WeightedAverageNumberOfSharesOutstandingBasic", "shares", s25, e25),
		pick(t, doc, "us-gaap", "WeightedAverageNumberOfSharesOutstandingBasic", "shares", s24, e24)
	a, aP := bal("Assets", e25), bal("Assets", e24)
	ca, caP := bal("AssetsCurrent", e25), bal("AssetsCurrent", e24)
	cl, clP := bal("LiabilitiesCurrent", e25), bal("LiabilitiesCurrent", e24)
	tl, eq := bal("Liabilities", e25), bal("StockholdersEquity", e25)
	re := bal("RetainedEarningsAccumulatedDeficit", e25)
	ltd, ltdP := bal("ConvertibleDebtNoncurrent", e25), bal("ConvertibleDebtNoncurrent", e24) // no LongTermDebt* concept
	// The cover page's share count in the latest filing (10-Q filed 2025-05-30).
	var shares float64
	last := ""
	for _, f := range doc["dei"]["EntityCommonStockSharesOutstanding"]["units"]["shares"] {
		if f.End > last {
			last, shares = f.End, f.Val
		}
	}
	// Spot-check the picks against the file as read by eye.
	closeTo(t, "revenue", rev, 3626396000)
	closeTo(t, "net income", ni, -1285640000)
	closeTo(t, "shares", shares, 333700000)

	in, err := FromCompanyFacts(readFacts(t, snowFile), sec.NoCutoff)
	if err != nil {
		t.Fatal(err)
	}
	const price = 180.0
	in.Price = price
	m := Compute(&in)

	closeTo(t, "roa", m.Value[ROA], ni/a)
	closeTo(t, "roe", m.Value[ROE], ni/eq)
	closeTo(t, "gross_profitability", m.Value[GrossProfitability], gp/a)
	closeTo(t, "operating_margin", m.Value[OperatingMargin], ebit/rev)
	closeTo(t, "debt_to_equity", m.Value[DebtToEquity], tl/eq)
	closeTo(t, "interest_coverage", m.Value[InterestCoverage], ebit/ie)
	closeTo(t, "current_ratio", m.Value[CurrentRatio], ca/cl)
	closeTo(t, "accruals", m.Value[Accruals], (ni-cfo)/a)
	closeTo(t, "revenue_growth", m.Value[RevenueGrowth], rev/revP-1)

	b := func(x bool) int {
		if x {
			return 1
		}
		return 0
	}
	want := [9]int{
		b(ni > 0), b(cfo > 0), b(ni/a > niP/aP), b(cfo > ni), b(ltd/a <= ltdP/aP),
		b(ca/cl > caP/clP), b(sh <= shP), b(gp/rev > gpP/revP), b(rev/a > revP/aP),
	}
	// By eye: a loss (0), positive CFO (1), ROA fell (0), CFO > NI (1), convertible notes
	// issued (0), current ratio fell (0), shares rose (0), gross margin fell (0), turnover
	// rose (1): F = 3.
	if want != [9]int{0, 1, 0, 1, 0, 0, 0, 0, 1} {
		t.Fatalf("hand-computed signals %v", want)
	}
	for i, s := range m.FScore.Signals {
		if s.Value != want[i] {
			t.Errorf("signal %d %s = %d, want %d (%s)", i+1, s.Name, s.Value, want[i], s.Shown)
		}
	}
	if m.FScore.Score != 3 || m.FScore.Known != 9 {
		t.Errorf("F-score %v, want 3/9", m.FScore)
	}

	x1, x2, x3 := (ca-cl)/a, re/a, ebit/a
	x4, x5 := shares*price/tl, rev/a
	z := 1.2*x1 + 1.4*x2 + 3.3*x3 + 0.6*x4 + 1.0*x5
	closeTo(t, "altman_z", m.Value[AltmanZ], z)
	closeTo(t, "market_cap", m.Value[MarketCap], shares*price)
	// Worked once on paper ($ millions): X1 = (5869.372-3301.183)/9033.938 = 0.28428,
	// X2 = -7293.575/9033.938 = -0.80735, X3 = -1456.010/9033.938 = -0.16117,
	// X4 = 333.7 x 180 / 6027.295 = 9.96567, X5 = 3626.396/9033.938 = 0.40142;
	// Z = 0.34114 - 1.13029 - 0.53186 + 5.97940 + 0.40142 = 5.0598.
	if math.Abs(z-5.0598) > 1e-4 {
		t.Errorf("hand Altman Z %.4f", z)
	}
}

// TestPointInTime: as of 2024-06-01 the latest fiscal year is FY2024 (10-K filed
// 2024-03-26) and the share count is the one filed 2024-05-31.
func TestPointInTime(t *testing.T) {
	in, err := FromCompanyFacts(readFacts(t, snowFile), series.MustDate("2024-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Cur.End.String() != "2024-01-31" || in.Prev.End.String() != "2023-01-31" || in.Filed.String() != "2024-03-26" {
		t.Errorf("periods %s vs %s filed %s", in.Cur.End, in.Prev.End, in.Filed)
	}
	if in.SharesOut != 334800000 || in.SharesDate.String() != "2024-05-07" {
		t.Errorf("shares %v at %s", in.SharesOut, in.SharesDate)
	}
	// Nothing filed after the as-of date: the revenue history stops at FY2024.
	if last := in.AnnualRevenue[len(in.AnnualRevenue)-1]; last.Date.String() != "2024-01-31" {
		t.Errorf("revenue history ends %s", last.Date)
	}
	if _, err := FromCompanyFacts(readFacts(t, snowFile), series.MustDate("2020-01-01")); !errors.Is(err, ErrNoFundamentals) {
		t.Errorf("before the first 10-K: %v", err)
	}
}

// TestIFRS reads Logistic Properties of the Americas (ifrs-full, 20-F) through the IFRS
// concept names.
func TestIFRS(t *testing.T) {
	in, err := FromCompanyFacts(readFacts(t, lpaFile), sec.NoCutoff)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Input]struct {
		v float64
		c string
	}{
		Revenue:          {43862372, "Revenue"},
		NetIncome:        {-29285428, "ProfitLossAttributableToOwnersOfParent"},
		CFO:              {19391563, "CashFlowsFromUsedInOperations"},
		Equity:           {228964876, "EquityAttributableToOwnersOfParent"},
		LongTermDebt:     {265885799, "LongtermBorrowings"},
		InterestExpense:  {22872591, "InterestExpense"},
		RetainedEarnings: {38593217, "RetainedEarnings"},
	}
	if in.Taxonomy != "ifrs-full" || in.Form != "20-F" {
		t.Errorf("taxonomy %s form %s", in.Taxonomy, in.Form)
	}
	for i, w := range want {
		if in.Cur.V[i] != w.v || in.Cur.Concept[i] != w.c {
			t.Errorf("%s = %v (%s), want %v (%s)", i, in.Cur.V[i], in.Cur.Concept[i], w.v, w.c)
		}
	}
	m := Compute(&in)
	if !math.IsNaN(m.Value[GrossProfitability]) || !strings.Contains(m.Why[GrossProfitability], "gross_profit") {
		t.Errorf("LPA reports no gross profit: %v %q", m.Value[GrossProfitability], m.Why[GrossProfitability])
	}
	if s := m.FScore.Signals[7]; s.Value != Unknown {
		t.Errorf("margin signal without gross profit: %+v", s)
	}
	if m.FScore.Known != 8 {
		t.Errorf("known signals %d, want 8", m.FScore.Known)
	}
}

func TestEvaluate(t *testing.T) {
	m := Metrics{}
	for i := range m.Value {
		m.Value[i] = math.NaN()
	}
	m.Value[DebtToEquity] = 2
	m.Value[CurrentRatio] = math.Inf(1)
	m.Why[ROA] = "net_income missing"
	fs := func(score, known int) FScore { return FScore{Score: score, Known: known} }
	rule := func(k string, v float64) Rule {
		r, err := NewRule(k, v)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	cases := []struct {
		name string
		r    Rule
		f    FScore
		want Outcome
	}{
		{"missing is unknown, never pass", rule("min_roa", 0), FScore{}, UnknownRule},
		{"above a maximum fails", rule("max_debt_to_equity", 1.5), FScore{}, Fail},
		{"at the maximum passes", rule("max_debt_to_equity", 2), FScore{}, Pass},
		{"infinity passes a minimum", rule("min_current_ratio", 1), FScore{}, Pass},
		{"fscore known reaches", rule("min_fscore", 6), fs(6, 7), Pass},
		{"fscore cannot reach", rule("min_fscore", 6), fs(3, 7), Fail},
		{"fscore undecided", rule("min_fscore", 6), fs(5, 7), UnknownRule},
		{"fscore all known short", rule("min_fscore", 6), fs(5, 9), Fail},
		{"max fscore undecided", rule("max_fscore", 3), fs(3, 8), UnknownRule},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mm := m
			mm.FScore = c.f
			mm.Value[FScoreMetric] = float64(c.f.Score)
			got := Evaluate(c.r, &mm)
			if got.Outcome != c.want {
				t.Errorf("%s: %s (%s), want %s", c.r, got.Outcome, got.Why, c.want)
			}
			if got.Outcome == UnknownRule && got.Why == "" {
				t.Errorf("unknown without a reason")
			}
		})
	}
}

func TestParseRules(t *testing.T) {
	cases := []struct {
		name, yaml string
		line       int
		field, msg string
	}{
		{"unknown key", "max_debt_to_equity: 1.5\nmax_de: 2\n", 2, "max_de", "unknown rule"},
		{"unknown metric", "min_sharpe: 1\n", 1, "min_sharpe", `no metric "sharpe"`},
		{"repeated", "min_fscore: 6\nmin_fscore: 7\n", 2, "min_fscore", "given twice (first on line 1)"},
		{"not a number", "min_fscore: six\n", 1, "min_fscore", `"six" is not a number`},
		{"a list", "min_fscore: [6]\n", 1, "min_fscore", "not a number"},
		{"no rules", "name: x\n", 1, "", "no rules"},
		{"not a mapping", "- min_fscore: 6\n", 1, "", "want a mapping"},
		{"bad yaml", "min_fscore: 6\n  x: : :\n", 2, "", ""},
		{"empty", "", 0, "", "empty rules file"},
		{"infinite", "min_roa: .inf\n", 1, "min_roa", "not a number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseRules([]byte(c.yaml), "rules.yaml")
			var pe *source.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, source.ErrBadInput) {
				t.Fatalf("error %v is not a ParseError wrapping ErrBadInput", err)
			}
			if pe.File != "rules.yaml" || pe.Line != c.line || pe.Field != c.field || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("got %q (line %d field %q), want line %d field %q containing %q", err, pe.Line, pe.Field, c.line, c.field, c.msg)
			}
		})
	}
}

// TestExampleRules: examples/screen.yaml is the built-in rule set.
func TestExampleRules(t *testing.T) {
	b, err := os.ReadFile("../examples/screen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := ParseRules(b, "examples/screen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultRules()
	if len(rs.Rules) != len(def.Rules) {
		t.Fatalf("%d rules, built in %d", len(rs.Rules), len(def.Rules))
	}
	for i, r := range rs.Rules {
		d := def.Rules[i]
		if r.Key != d.Key || r.Limit != d.Limit || r.Line == 0 {
			t.Errorf("rule %d: %+v, built in %+v", i, r, d)
		}
	}
}

func FuzzParseRules(f *testing.F) {
	if b, err := os.ReadFile("../examples/screen.yaml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("min_fscore: 6\nmax_debt_to_equity: 1.5\n"))
	f.Add([]byte("name: x\nmin_roa: -0.1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ParseRules(data, "fuzz.yaml")
		if err != nil {
			if !errors.Is(err, source.ErrBadInput) {
				t.Fatalf("error not wrapping ErrBadInput: %v", err)
			}
			return
		}
		for _, r := range rs.Rules {
			if math.IsNaN(r.Limit) || math.IsInf(r.Limit, 0) || r.Line <= 0 {
				t.Fatalf("bad rule %+v", r)
			}
		}
	})
}

// TestRankOrder: passes first, then unknown, then failures; a missing input never
// passes a rule.
func TestRankOrder(t *testing.T) {
	cf := readFacts(t, snowFile)
	in, err := FromCompanyFacts(cf, sec.NoCutoff)
	if err != nil {
		t.Fatal(err)
	}
	good := in
	good.Name = "GOOD"
	good.Cur.V[NetIncome] = 500e6 // profitable: roa passes
	noData := in
	noData.Name = "NODATA"
	noData.Cur.V[NetIncome] = math.NaN()
	rs := Rules{Rules: []Rule{mustRule(t, "min_roa", 0)}}
	res := Run([]Inputs{in, noData, good}, []Exclusion{{Ticker: "X", Reason: "r"}}, rs)
	var got []string
	for _, r := range res.Rows {
		got = append(got, r.Inputs.Name+":"+string(r.Status))
	}
	if strings.Join(got, ",") != "GOOD:pass,NODATA:unknown,SNOWFLAKE INC.:fail" {
		t.Errorf("order %v", got)
	}
	if len(res.Excluded) != 1 || res.Inputs[NetIncome].N != 2 || res.Inputs[NetIncome].Of != 3 {
		t.Errorf("coverage %+v excluded %v", res.Inputs[NetIncome], res.Excluded)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Errorf("JSON: %v", err)
	}
}

func mustRule(t *testing.T, k string, v float64) Rule {
	r, err := NewRule(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
