package screen

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/sec"
)

// Input is one accounting number the screen reads.
type Input int

// The inputs: flows over a period first, then balance-sheet values at its end.
const (
	Revenue Input = iota
	CostOfRevenue
	GrossProfit
	OperatingIncome
	PretaxIncome
	InterestExpense
	NetIncome
	CFO            // net cash from operating activities
	WeightedShares // weighted average basic shares over the period
	Assets
	CurrentAssets
	CurrentLiabilities
	Liabilities
	Equity // shareholders' equity of the parent
	LongTermDebt
	RetainedEarnings
	NumInputs
)

var inputNames = [NumInputs]string{"revenue", "cost_of_revenue", "gross_profit", "operating_income",
	"pretax_income", "interest_expense", "net_income", "cfo", "weighted_shares", "assets",
	"current_assets", "current_liabilities", "liabilities", "equity", "long_term_debt", "retained_earnings"}

func (i Input) String() string { return inputNames[i] }

// Flow reports whether the input is measured over a period (not at a date).
func (i Input) Flow() bool { return i <= WeightedShares }

// Concepts lists, for each input, the XBRL concepts tried in order: us-gaap first, then
// ifrs-full. A period takes the first concept that has a value for it (filers switch
// concepts over the years: SalesRevenueNet became RevenueFromContractWithCustomer... in
// 2018); a comparison of two periods takes the first concept that has both.
var Concepts = [NumInputs]struct{ GAAP, IFRS []string }{
	Revenue: {
		GAAP: []string{"Revenues", "RevenueFromContractWithCustomerExcludingAssessedTax",
			"RevenueFromContractWithCustomerIncludingAssessedTax", "SalesRevenueNet", "SalesRevenueGoodsNet",
			"SalesRevenueServicesNet", "RevenuesNetOfInterestExpense"},
		IFRS: []string{"Revenue", "RevenueFromContractsWithCustomers"},
	},
	CostOfRevenue: {
		GAAP: []string{"CostOfRevenue", "CostOfGoodsAndServicesSold", "CostOfGoodsSold", "CostOfServices",
			"CostOfGoodsAndServicesSoldExcludingDepreciationDepletionAndAmortization"},
		IFRS: []string{"CostOfSales"},
	},
	GrossProfit:     {GAAP: []string{"GrossProfit"}, IFRS: []string{"GrossProfit"}},
	OperatingIncome: {GAAP: []string{"OperatingIncomeLoss"}, IFRS: []string{"ProfitLossFromOperatingActivities"}},
	PretaxIncome: {
		GAAP: []string{"IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest",
			"IncomeLossFromContinuingOperationsBeforeIncomeTaxesMinorityInterestAndIncomeLossFromEquityMethodInvestments",
			"IncomeLossFromContinuingOperationsBeforeIncomeTaxesDomestic"},
		IFRS: []string{"ProfitLossBeforeTax"},
	},
	InterestExpense: {
		GAAP: []string{"InterestExpense", "InterestExpenseNonoperating", "InterestExpenseDebt", "InterestAndDebtExpense"},
		IFRS: []string{"InterestExpense", "FinanceCosts"},
	},
	NetIncome: {
		GAAP: []string{"NetIncomeLoss", "ProfitLoss", "NetIncomeLossAvailableToCommonStockholdersBasic"},
		IFRS: []string{"ProfitLossAttributableToOwnersOfParent", "ProfitLoss"},
	},
	CFO: {
		GAAP: []string{"NetCashProvidedByUsedInOperatingActivities", "NetCashProvidedByUsedInOperatingActivitiesContinuingOperations"},
		IFRS: []string{"CashFlowsFromUsedInOperatingActivities", "CashFlowsFromUsedInOperations"},
	},
	WeightedShares: {
		GAAP: []string{"WeightedAverageNumberOfSharesOutstandingBasic"},
		IFRS: []string{"WeightedAverageShares"},
	},
	Assets:             {GAAP: []string{"Assets"}, IFRS: []string{"Assets"}},
	CurrentAssets:      {GAAP: []string{"AssetsCurrent"}, IFRS: []string{"CurrentAssets"}},
	CurrentLiabilities: {GAAP: []string{"LiabilitiesCurrent"}, IFRS: []string{"CurrentLiabilities"}},
	Liabilities:        {GAAP: []string{"Liabilities"}, IFRS: []string{"Liabilities"}},
	Equity: {
		GAAP: []string{"StockholdersEquity", "StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest"},
		IFRS: []string{"EquityAttributableToOwnersOfParent", "Equity"},
	},
	LongTermDebt: {
		GAAP: []string{"LongTermDebtNoncurrent", "LongTermDebtAndCapitalLeaseObligations", "LongTermDebt",
			"ConvertibleDebtNoncurrent", "LongTermNotesPayable", "SeniorLongTermNotes"},
		IFRS: []string{"LongtermBorrowings", "NoncurrentPortionOfNoncurrentBorrowings", "Borrowings"},
	},
	RetainedEarnings: {GAAP: []string{"RetainedEarningsAccumulatedDeficit"}, IFRS: []string{"RetainedEarnings"}},
}

// Helper concepts for derived values: total liabilities = liabilities and equity -
// total equity (including non-controlling interests) when Liabilities is not reported.
var (
	liabAndEquity = struct{ GAAP, IFRS []string }{[]string{"LiabilitiesAndStockholdersEquity"}, []string{"EquityAndLiabilities"}}
	totalEquity   = struct{ GAAP, IFRS []string }{
		[]string{"StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest", "StockholdersEquity"},
		[]string{"Equity", "EquityAttributableToOwnersOfParent"}}
	sharesOut = struct{ DEI, GAAP, IFRS []string }{
		[]string{"EntityCommonStockSharesOutstanding"}, []string{"CommonStockSharesOutstanding"}, []string{"NumberOfSharesOutstanding"}}
)

// Values are one period's flows and the balance sheet used with it.
type Values struct {
	Start, End series.Date // the period; flows cover Start..End
	// BalanceDate is the date of the balance-sheet values: End, except for the prior
	// period of a 10-Q, whose comparative balance sheet is the last fiscal year end.
	BalanceDate series.Date
	Months      int // 12 for a fiscal year; 3, 6 or 9 for a 10-Q's year to date
	V           [NumInputs]float64
	// Concept names the XBRL concept behind each value ("" when missing; "derived: ..."
	// when computed from others).
	Concept [NumInputs]string
}

func newValues() Values {
	var v Values
	for i := range v.V {
		v.V[i] = math.NaN()
	}
	v.Start, v.End, v.BalanceDate = series.NoDate, series.NoDate, series.NoDate
	return v
}

// Has reports whether input i has a value.
func (v *Values) Has(i Input) bool { return !math.IsNaN(v.V[i]) }

// Dated is a value at a date.
type Dated struct {
	Date  series.Date
	Value float64
}

// Inputs is everything the screen knows about one company at the as-of date.
type Inputs struct {
	Ticker string // "" when unknown
	Name   string
	CIK    int
	// Source says where the numbers come from: "companyfacts" or "FSDS 2010q2".
	Source   string
	Taxonomy string // us-gaap or ifrs-full
	Unit     string // currency of the monetary values (USD, EUR, ...)
	Form     string // form of the filing that reported the current period
	Filed    series.Date
	AsOf     series.Date // the screen date; sec.NoCutoff for "latest"
	Cur      Values
	Prev     Values // the same-length period a year before Cur; NaN values when not filed
	// AnnualRevenue holds fiscal-year revenues, oldest first, for growth stability.
	AnnualRevenue []Dated
	// Shares outstanding for the market value, with its date and concept.
	SharesOut     float64
	SharesDate    series.Date
	SharesConcept string
	// Price per share in Unit for the market value, with its date and where it came from;
	// NaN when the caller has none.
	Price       float64
	PriceDate   series.Date
	PriceSource string
	Notes       []string
}

// Basis describes the periods compared, for output: "FY to 2025-01-31 vs FY to
// 2024-01-31" or "10-Q 3m to 2010-03-31 vs 2009-03-31; balances 2010-03-31 vs
// 2009-12-31".
func (in *Inputs) Basis() string {
	kind := "FY"
	if in.Cur.Months != 12 {
		kind = fmt.Sprintf("%dm", in.Cur.Months)
	}
	s := fmt.Sprintf("%s %s to %s", in.Form, kind, in.Cur.End)
	if in.Prev.End != series.NoDate {
		s += " vs " + in.Prev.End.String()
	}
	if in.Prev.BalanceDate != series.NoDate && in.Prev.BalanceDate != in.Prev.End {
		s += fmt.Sprintf("; balances %s vs %s", in.Cur.BalanceDate, in.Prev.BalanceDate)
	}
	return s
}

// ErrNoFundamentals reports that a document holds no usable fiscal period at the as-of
// date; the wrapping error says why.
var ErrNoFundamentals = errors.New("no usable fundamentals")

func noFundamentals(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNoFundamentals, fmt.Sprintf(format, args...))
}

// near reports whether two dates are within tol days.
func near(a, b series.Date, tol int) bool {
	d := int(a - b)
	return d >= -tol && d <= tol
}

// FromCompanyFacts reads a company's inputs from its companyfacts document as known on
// asOf (sec.NoCutoff for the latest restated values): the latest fiscal year with net
// income from an annual report (10-K, 20-F, 40-F) and the fiscal year before it.
func FromCompanyFacts(cf *sec.CompanyFacts, asOf series.Date) (Inputs, error) {
	in := Inputs{Name: cf.EntityName, CIK: cf.CIK, Source: "companyfacts", AsOf: asOf, Cur: newValues(), Prev: newValues(),
		SharesOut: math.NaN(), SharesDate: series.NoDate, Price: math.NaN(), PriceDate: series.NoDate}
	taxes := cf.Taxonomies()
	switch {
	case slices.Contains(taxes, "us-gaap"):
		in.Taxonomy = "us-gaap"
	case slices.Contains(taxes, "ifrs-full"):
		in.Taxonomy = "ifrs-full"
	default:
		return in, noFundamentals("no us-gaap or ifrs-full facts (taxonomies: %s)", strings.Join(taxes, ", "))
	}
	r := cfReader{cf: cf, tax: in.Taxonomy, asOf: asOf, annual: map[string][]sec.Fact{}, instant: map[string][]sec.Fact{}}
	r.unit = r.currency()
	in.Unit = r.unit

	// The anchor: the latest fiscal year with net income.
	var cur sec.Fact
	found := false
	for _, c := range r.list(NetIncome) {
		fs := r.annualFacts(c, r.unit)
		if n := len(fs); n > 0 && (!found || fs[n-1].End > cur.End) {
			cur, found = fs[n-1], true
		}
	}
	if !found {
		if asOf == sec.NoCutoff {
			return in, noFundamentals("no fiscal-year net income in an annual report")
		}
		return in, noFundamentals("no fiscal-year net income in an annual report filed by %s", asOf)
	}
	in.Form, in.Filed = cur.Form, cur.Filed
	in.Cur.Start, in.Cur.End, in.Cur.BalanceDate, in.Cur.Months = cur.Start, cur.End, cur.End, 12
	// The prior fiscal year: the annual net income period ending about a year earlier.
	for _, c := range r.list(NetIncome) {
		for _, f := range r.annualFacts(c, r.unit) {
			if d := int(cur.End - f.End); d >= 350 && d <= 380 {
				in.Prev.Start, in.Prev.End, in.Prev.BalanceDate, in.Prev.Months = f.Start, f.End, f.End, 12
			}
		}
		if in.Prev.End != series.NoDate {
			break
		}
	}
	for i := Input(0); i < NumInputs; i++ {
		unit := r.unit
		if i == WeightedShares {
			unit = "shares"
		}
		r.pair(&in, i, unit)
	}
	deriveValues(&in.Cur, r.derivedLiabilities(in.Cur.BalanceDate))
	if in.Prev.End != series.NoDate {
		deriveValues(&in.Prev, r.derivedLiabilities(in.Prev.BalanceDate))
	}

	// Fiscal-year revenues for growth stability, by period end; the first concept (in
	// order) with a value for a year wins.
	byEnd := map[series.Date]float64{}
	for _, c := range r.list(Revenue) {
		for _, f := range r.annualFacts(c, r.unit) {
			if _, ok := byEnd[f.End]; !ok {
				byEnd[f.End] = f.Val
			}
		}
	}
	for d, v := range byEnd {
		if d <= in.Cur.End {
			in.AnnualRevenue = append(in.AnnualRevenue, Dated{d, v})
		}
	}
	slices.SortFunc(in.AnnualRevenue, func(a, b Dated) int { return int(a.Date - b.Date) })

	// Shares outstanding: the cover page's count (dei) is the freshest; else the balance sheet's.
	for _, src := range []struct {
		tax string
		cs  []string
	}{{"dei", sharesOut.DEI}, {"us-gaap", sharesOut.GAAP}, {"ifrs-full", sharesOut.IFRS}} {
		for _, c := range src.cs {
			fs := cf.Instant(src.tax, c, "shares", asOf)
			if len(fs) > 0 {
				f := fs[len(fs)-1]
				in.SharesOut, in.SharesDate, in.SharesConcept = f.Val, f.End, src.tax+":"+c
				break
			}
		}
		if !math.IsNaN(in.SharesOut) {
			break
		}
	}
	return in, nil
}

// cfReader looks facts up in one companyfacts document, caching the deduplicated
// annual and instant facts of each concept.
type cfReader struct {
	cf      *sec.CompanyFacts
	tax     string
	unit    string
	asOf    series.Date
	annual  map[string][]sec.Fact
	instant map[string][]sec.Fact
}

func (r *cfReader) list(i Input) []string {
	if r.tax == "ifrs-full" {
		return Concepts[i].IFRS
	}
	return Concepts[i].GAAP
}

// currency is the unit of the company's total assets: USD when it reports in USD,
// otherwise the unit with the most facts.
func (r *cfReader) currency() string {
	c := r.cf.Concept(r.tax, "Assets")
	if c == nil {
		return "USD"
	}
	if _, ok := c.Units["USD"]; ok {
		return "USD"
	}
	best, n := "USD", 0
	for u, fs := range c.Units {
		if len(fs) > n || (len(fs) == n && u < best) {
			best, n = u, len(fs)
		}
	}
	return best
}

func (r *cfReader) annualFacts(concept, unit string) []sec.Fact {
	k := concept + "|" + unit
	fs, ok := r.annual[k]
	if !ok {
		fs = r.cf.Annual(r.tax, concept, unit, r.asOf)
		r.annual[k] = fs
	}
	return fs
}

func (r *cfReader) instantFacts(concept, unit string) []sec.Fact {
	k := concept + "|" + unit
	fs, ok := r.instant[k]
	if !ok {
		fs = r.cf.Instant(r.tax, concept, unit, r.asOf)
		r.instant[k] = fs
	}
	return fs
}

// value finds concept's value for period v (a flow over v's dates, or a balance at its
// balance date), allowing a week's difference in the dates (52/53-week years).
func (r *cfReader) value(concept, unit string, i Input, v *Values) (float64, bool) {
	if v.End == series.NoDate {
		return 0, false
	}
	if i.Flow() {
		fs := r.annualFacts(concept, unit)
		for j := len(fs) - 1; j >= 0; j-- {
			if near(fs[j].End, v.End, 7) && near(fs[j].Start, v.Start, 7) {
				return fs[j].Val, true
			}
		}
		return 0, false
	}
	fs := r.instantFacts(concept, unit)
	for j := len(fs) - 1; j >= 0; j-- {
		if near(fs[j].End, v.BalanceDate, 7) {
			return fs[j].Val, true
		}
	}
	return 0, false
}

// pair fills input i for Cur and Prev: from the first concept that has both, else each
// from the first concept that has it.
func (r *cfReader) pair(in *Inputs, i Input, unit string) {
	pairLookup(in, i, r.list(i), func(c string, v *Values) (float64, bool) { return r.value(c, unit, i, v) })
}

func pairLookup(in *Inputs, i Input, concepts []string, get func(c string, v *Values) (float64, bool)) {
	for _, c := range concepts {
		a, okA := get(c, &in.Cur)
		b, okB := get(c, &in.Prev)
		if okA && okB {
			in.Cur.V[i], in.Cur.Concept[i] = a, c
			in.Prev.V[i], in.Prev.Concept[i] = b, c
			return
		}
	}
	for _, v := range []*Values{&in.Cur, &in.Prev} {
		for _, c := range concepts {
			if x, ok := get(c, v); ok {
				v.V[i], v.Concept[i] = x, c
				break
			}
		}
	}
}

// derivedLiabilities returns total liabilities at date d as liabilities and equity minus
// total equity, when both are reported.
func (r *cfReader) derivedLiabilities(d series.Date) func() (float64, string, bool) {
	return func() (float64, string, bool) {
		le, eq := liabAndEquity.GAAP, totalEquity.GAAP
		if r.tax == "ifrs-full" {
			le, eq = liabAndEquity.IFRS, totalEquity.IFRS
		}
		v := Values{BalanceDate: d, End: d}
		for _, a := range le {
			x, ok := r.value(a, r.unit, Assets, &v)
			if !ok {
				continue
			}
			for _, b := range eq {
				if y, ok := r.value(b, r.unit, Assets, &v); ok {
					return x - y, "derived: " + a + " - " + b, true
				}
			}
		}
		return 0, "", false
	}
}

// deriveValues fills what can be computed from other inputs: gross profit as revenue -
// cost of revenue, and total liabilities from liabilities-and-equity.
func deriveValues(v *Values, liab func() (float64, string, bool)) {
	if !v.Has(GrossProfit) && v.Has(Revenue) && v.Has(CostOfRevenue) {
		v.V[GrossProfit] = v.V[Revenue] - v.V[CostOfRevenue]
		v.Concept[GrossProfit] = "derived: revenue - cost of revenue"
	}
	if !v.Has(Liabilities) {
		if x, c, ok := liab(); ok {
			v.V[Liabilities], v.Concept[Liabilities] = x, c
		}
	}
}

// IsPeriodicForm reports whether an FSDS submission is a periodic report the screen can
// read (10-K, 10-Q, 20-F, 40-F and their amendments), not an 8-K or 6-K.
func IsPeriodicForm(form string) bool {
	f := strings.TrimSuffix(form, "/A")
	switch f {
	case "10-K", "10-Q", "20-F", "40-F", "10-KT", "10-QT", "20-FT":
		return true
	}
	return false
}

// FromFSDS reads filer cik's inputs from one quarter of the Financial Statement Data
// Sets as known on asOf: the latest periodic report filed by then (10-K, 10-Q, 20-F,
// 40-F), its fiscal year or year to date, the same period a year earlier (reported as
// comparatives), and the balance sheets at the period end and at the comparative date.
func FromFSDS(d *sec.FSDS, cik int, asOf series.Date, quarter string) (Inputs, error) {
	in := Inputs{CIK: cik, Source: "FSDS " + quarter, Taxonomy: "us-gaap", AsOf: asOf, Cur: newValues(), Prev: newValues(),
		SharesOut: math.NaN(), SharesDate: series.NoDate, Price: math.NaN(), PriceDate: series.NoDate}
	var sub sec.Submission
	found := false
	var forms []string
	for _, s := range d.Submissions {
		if s.CIK != cik {
			continue
		}
		in.Name = s.Name // a name is no look-ahead: it labels the exclusion
		if s.Filed > asOf {
			continue
		}
		if !IsPeriodicForm(s.Form) {
			forms = append(forms, s.Form)
			continue
		}
		if !found || s.Period > sub.Period || (s.Period == sub.Period && (s.Filed > sub.Filed || (s.Filed == sub.Filed && s.Adsh > sub.Adsh))) {
			sub, found = s, true
		}
	}
	if !found {
		if len(forms) == 0 {
			return in, noFundamentals("no filing by %s", asOf)
		}
		return in, noFundamentals("no periodic report (10-K, 10-Q, 20-F, 40-F) filed by %s, only %s", asOf, strings.Join(forms, ", "))
	}
	in.Name, in.Form, in.Filed = sub.Name, sub.Form, sub.Filed
	qtrs := 4
	if strings.HasPrefix(sub.Form, "10-Q") {
		switch sub.FP {
		case "Q1":
			qtrs = 1
		case "Q2", "H1":
			qtrs = 2
		case "Q3", "M9":
			qtrs = 3
		}
	}
	end := sub.Period
	// Fiscal periods do not always match the filing's fp (Kroger's 16-week first
	// quarter is filed as Q2): keep the period length that has net income.
	for _, q := range []int{qtrs, 1, 2, 3, 4} {
		if hasAny(d, cik, Concepts[NetIncome].GAAP, q, end, asOf) {
			qtrs = q
			break
		}
	}
	in.Cur.End, in.Cur.BalanceDate, in.Cur.Months = end, end, 3*qtrs
	in.Cur.Start = end.AddMonths(-3 * qtrs).AddDays(1)
	in.Prev.End, in.Prev.Months = end.AddMonths(-12).MonthEnd(), 3*qtrs
	in.Prev.Start = in.Prev.End.AddMonths(-3 * qtrs).AddDays(1)

	// The unit: the one of total assets at the period end (USD for almost every filer).
	in.Unit = "USD"
	for _, f := range d.FactsAsOf(cik, "Assets", 0, asOf) {
		if f.DDate == end {
			in.Unit = f.UOM
			if f.UOM == "USD" {
				break
			}
		}
	}
	// The comparative balance sheet: a year before the period end when the filing has
	// one (10-K), else the latest earlier one (a 10-Q's last fiscal year end).
	for _, f := range d.FactsAsOf(cik, "Assets", 0, asOf) {
		if f.UOM != in.Unit || f.DDate >= end {
			continue
		}
		if f.DDate == in.Prev.End {
			in.Prev.BalanceDate = f.DDate
			break
		}
		if in.Prev.BalanceDate == series.NoDate || f.DDate > in.Prev.BalanceDate {
			in.Prev.BalanceDate = f.DDate
		}
	}
	if in.Prev.BalanceDate == series.NoDate {
		in.Prev.BalanceDate = in.Prev.End
	}
	if in.Prev.BalanceDate != in.Prev.End {
		in.Notes = append(in.Notes, fmt.Sprintf("balance-sheet changes compare %s with the filing's comparative balance sheet of %s, not a year earlier", in.Cur.BalanceDate, in.Prev.BalanceDate))
	}

	get := func(i Input) func(c string, v *Values) (float64, bool) {
		unit := in.Unit
		q := qtrs
		if i == WeightedShares {
			unit = "shares"
		}
		if !i.Flow() {
			q = 0
		}
		return func(c string, v *Values) (float64, bool) {
			at := v.End
			if !i.Flow() {
				at = v.BalanceDate
			}
			for _, f := range d.FactsAsOf(cik, c, q, asOf) {
				if f.DDate == at && f.UOM == unit {
					return f.Value, true
				}
			}
			return 0, false
		}
	}
	for i := Input(0); i < NumInputs; i++ {
		pairLookup(&in, i, append(slices.Clone(Concepts[i].GAAP), Concepts[i].IFRS...), get(i))
	}
	liab := func(v *Values) func() (float64, string, bool) {
		return func() (float64, string, bool) {
			g := get(Assets)
			for _, a := range append(slices.Clone(liabAndEquity.GAAP), liabAndEquity.IFRS...) {
				x, ok := g(a, v)
				if !ok {
					continue
				}
				for _, b := range append(slices.Clone(totalEquity.GAAP), totalEquity.IFRS...) {
					if y, ok := g(b, v); ok {
						return x - y, "derived: " + a + " - " + b, true
					}
				}
			}
			return 0, "", false
		}
	}
	deriveValues(&in.Cur, liab(&in.Cur))
	deriveValues(&in.Prev, liab(&in.Prev))
	if !in.Cur.Has(NetIncome) {
		return in, noFundamentals("%s for %s reports no net income over %d months", sub.Form, end, 3*qtrs)
	}
	// Fiscal-year revenues the quarter holds (a 10-K's comparatives).
	byEnd := map[series.Date]float64{}
	for _, c := range Concepts[Revenue].GAAP {
		for _, f := range d.FactsAsOf(cik, c, 4, asOf) {
			if _, ok := byEnd[f.DDate]; !ok && f.UOM == in.Unit && f.DDate <= end {
				byEnd[f.DDate] = f.Value
			}
		}
	}
	for dd, v := range byEnd {
		in.AnnualRevenue = append(in.AnnualRevenue, Dated{dd, v})
	}
	slices.SortFunc(in.AnnualRevenue, func(a, b Dated) int { return int(a.Date - b.Date) })
	// Shares outstanding: the cover page's count, else the balance sheet's.
	for _, c := range []string{"EntityCommonStockSharesOutstanding", "CommonStockSharesOutstanding"} {
		fs := d.FactsAsOf(cik, c, 0, asOf)
		for j := len(fs) - 1; j >= 0; j-- {
			if fs[j].UOM == "shares" {
				in.SharesOut, in.SharesDate, in.SharesConcept = fs[j].Value, fs[j].DDate, c
				break
			}
		}
		if !math.IsNaN(in.SharesOut) {
			break
		}
	}
	return in, nil
}

// hasAny reports whether filer cik reported any of the tags over qtrs quarters ending at end.
func hasAny(d *sec.FSDS, cik int, tags []string, qtrs int, end, asOf series.Date) bool {
	for _, t := range tags {
		for _, f := range d.FactsAsOf(cik, t, qtrs, asOf) {
			if f.DDate == end {
				return true
			}
		}
	}
	return false
}

// Tags returns every XBRL concept the screen may read, so a reader of a bulk data set
// (an FSDS quarter) can skip the rest.
func Tags() []string {
	var out []string
	for _, c := range Concepts {
		out = append(out, c.GAAP...)
		out = append(out, c.IFRS...)
	}
	out = append(out, liabAndEquity.GAAP...)
	out = append(out, liabAndEquity.IFRS...)
	out = append(out, totalEquity.GAAP...)
	out = append(out, totalEquity.IFRS...)
	out = append(out, sharesOut.DEI...)
	out = append(out, sharesOut.GAAP...)
	out = append(out, sharesOut.IFRS...)
	return out
}
