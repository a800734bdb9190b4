package screen

import (
	"fmt"
	"math"
	"strings"

	"github.com/ratecycle/ratecycle/stats"
)

// Metric is one number a rule can test.
type Metric int

// The metrics, in output order.
const (
	ROA Metric = iota
	ROE
	GrossProfitability
	OperatingMargin
	DebtToEquity
	InterestCoverage
	CurrentRatio
	Accruals
	RevenueGrowth
	RevenueGrowthSD
	FScoreMetric
	AltmanZ
	MarketCap
	NumMetrics
)

var metricNames = [NumMetrics]string{"roa", "roe", "gross_profitability", "operating_margin", "debt_to_equity",
	"interest_coverage", "current_ratio", "accruals", "revenue_growth", "revenue_growth_sd", "fscore", "altman_z", "market_cap"}

func (m Metric) String() string { return metricNames[m] }

// HigherIsBetter says which way the metric points for a quality ranking.
func (m Metric) HigherIsBetter() bool {
	switch m {
	case DebtToEquity, Accruals, RevenueGrowthSD:
		return false
	}
	return true
}

// ParseMetric returns the metric named s ("roa", "debt_to_equity", ...).
func ParseMetric(s string) (Metric, bool) {
	for i, n := range metricNames {
		if n == s {
			return Metric(i), true
		}
	}
	return 0, false
}

// Unknown is the value of a Piotroski signal whose inputs are missing.
const Unknown = -1

// Signal is one of the nine Piotroski signals.
type Signal struct {
	Name  string `json:"name"`   // roa_positive, cfo_positive, ...
	Test  string `json:"test"`   // what is tested, in words
	Value int    `json:"value"`  // 1, 0, or Unknown (-1)
	Shown string `json:"detail"` // the numbers compared, or why the signal is unknown
}

// FScore is the Piotroski F-score with its nine signals.
type FScore struct {
	Signals [9]Signal `json:"signals"`
	Score   int       `json:"score"` // known signals that are 1
	Known   int       `json:"known"` // signals whose inputs were all present
}

// Max is the highest score the unknown signals allow.
func (f FScore) Max() int { return f.Score + 9 - f.Known }

// String is "7/9", or "5+? (7 known)" with unknown signals.
func (f FScore) String() string {
	if f.Known == 9 {
		return fmt.Sprintf("%d/9", f.Score)
	}
	return fmt.Sprintf("%d..%d (%d known)", f.Score, f.Max(), f.Known)
}

var signalCodes = [9]string{"ROA", "CFO", "dROA", "ACCRUAL", "dLEVER", "dLIQUID", "EQ_OFFER", "dMARGIN", "dTURN"}

// Compact lists the nine signals with Piotroski's names: "ROA+ CFO+ dROA- ..." with +
// for 1, - for 0 and ? for unknown.
func (f FScore) Compact() string {
	parts := make([]string, 9)
	for i, s := range f.Signals {
		mark := "?"
		switch s.Value {
		case 1:
			mark = "+"
		case 0:
			mark = "-"
		}
		parts[i] = signalCodes[i] + mark
	}
	return strings.Join(parts, " ")
}

// Metrics are one company's computed numbers. A value that cannot be computed is NaN
// and Why says which input was missing.
type Metrics struct {
	Value [NumMetrics]float64
	Why   [NumMetrics]string
	// AltmanX are Altman's X1..X5 (NaN when missing).
	AltmanX [5]float64
	FScore  FScore
	// EBIT and how it was found (operating income, or pretax income + interest).
	EBIT       float64
	EBITSource string
}

// missing lists the names of the inputs of v that are NaN, prefixed by label.
func missing(label string, v *Values, inputs ...Input) string {
	var m []string
	for _, i := range inputs {
		if !v.Has(i) {
			m = append(m, i.String())
		}
	}
	if len(m) == 0 {
		return ""
	}
	return label + strings.Join(m, ", ") + " missing"
}

// Compute derives the metrics of one company.
func Compute(in *Inputs) Metrics {
	var m Metrics
	for i := range m.Value {
		m.Value[i] = math.NaN()
	}
	for i := range m.AltmanX {
		m.AltmanX[i] = math.NaN()
	}
	c, p := &in.Cur, &in.Prev
	ann := 12 / float64(max(c.Months, 1))
	v := func(i Input) float64 { return c.V[i] }
	set := func(k Metric, why string, f func() (float64, string)) {
		if why != "" {
			m.Why[k] = why
			return
		}
		m.Value[k], m.Why[k] = f()
	}
	pos := func(x float64, name string) string {
		if x <= 0 {
			return name + " <= 0"
		}
		return ""
	}

	set(ROA, missing("", c, NetIncome, Assets), func() (float64, string) {
		if w := pos(v(Assets), "assets"); w != "" {
			return math.NaN(), w
		}
		return v(NetIncome) * ann / v(Assets), ""
	})
	set(ROE, missing("", c, NetIncome, Equity), func() (float64, string) {
		if w := pos(v(Equity), "equity"); w != "" {
			return math.NaN(), w + ": ROE is not meaningful"
		}
		return v(NetIncome) * ann / v(Equity), ""
	})
	set(GrossProfitability, missing("", c, GrossProfit, Assets), func() (float64, string) {
		if w := pos(v(Assets), "assets"); w != "" {
			return math.NaN(), w
		}
		return v(GrossProfit) * ann / v(Assets), ""
	})
	set(OperatingMargin, missing("", c, OperatingIncome, Revenue), func() (float64, string) {
		if w := pos(v(Revenue), "revenue"); w != "" {
			return math.NaN(), w
		}
		return v(OperatingIncome) / v(Revenue), ""
	})
	set(DebtToEquity, missing("", c, Liabilities, Equity), func() (float64, string) {
		if v(Equity) <= 0 {
			return math.Inf(1), "equity <= 0"
		}
		return v(Liabilities) / v(Equity), ""
	})
	m.EBIT = math.NaN()
	switch {
	case c.Has(OperatingIncome):
		m.EBIT, m.EBITSource = v(OperatingIncome), "operating income"
	case c.Has(PretaxIncome) && c.Has(InterestExpense):
		m.EBIT, m.EBITSource = v(PretaxIncome)+v(InterestExpense), "pretax income + interest expense"
	}
	ebitWhy := ""
	if math.IsNaN(m.EBIT) {
		ebitWhy = "EBIT missing (no operating income, nor pretax income and interest expense)"
	}
	set(InterestCoverage, firstOf(ebitWhy, missing("", c, InterestExpense)), func() (float64, string) {
		ie := v(InterestExpense)
		switch {
		case ie < 0:
			return math.NaN(), "interest expense reported negative"
		case ie == 0 && m.EBIT > 0:
			return math.Inf(1), "no interest expense"
		case ie == 0:
			return math.NaN(), "no interest expense and EBIT <= 0"
		}
		return m.EBIT / ie, ""
	})
	set(CurrentRatio, missing("", c, CurrentAssets, CurrentLiabilities), func() (float64, string) {
		if w := pos(v(CurrentLiabilities), "current liabilities"); w != "" {
			return math.NaN(), w
		}
		return v(CurrentAssets) / v(CurrentLiabilities), ""
	})
	set(Accruals, missing("", c, NetIncome, CFO, Assets), func() (float64, string) {
		if w := pos(v(Assets), "assets"); w != "" {
			return math.NaN(), w
		}
		return (v(NetIncome) - v(CFO)) * ann / v(Assets), ""
	})
	set(RevenueGrowth, firstOf(missing("", c, Revenue), missing("prior period: ", p, Revenue)), func() (float64, string) {
		if w := pos(p.V[Revenue], "prior revenue"); w != "" {
			return math.NaN(), w
		}
		return v(Revenue)/p.V[Revenue] - 1, ""
	})
	g := growthRates(in.AnnualRevenue, 5)
	if len(g) >= 3 {
		m.Value[RevenueGrowthSD] = stats.SD(g)
	} else {
		m.Why[RevenueGrowthSD] = fmt.Sprintf("%d yearly growth rates (need 3)", len(g))
	}
	if !math.IsNaN(in.SharesOut) && !math.IsNaN(in.Price) {
		m.Value[MarketCap] = in.SharesOut * in.Price
	} else if math.IsNaN(in.SharesOut) {
		m.Why[MarketCap] = "shares outstanding missing"
	} else {
		m.Why[MarketCap] = "no share price at the screen date"
	}

	m.FScore = piotroski(in)
	m.Value[FScoreMetric] = float64(m.FScore.Score)
	if m.FScore.Known < 9 {
		m.Why[FScoreMetric] = fmt.Sprintf("%d of 9 signals known", m.FScore.Known)
	}
	altman(in, &m)
	return m
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// growthRates returns the last k yearly growth rates of fiscal-year values spaced 350 to
// 380 days apart.
func growthRates(vals []Dated, k int) []float64 {
	var g []float64
	for i := 1; i < len(vals); i++ {
		d := int(vals[i].Date - vals[i-1].Date)
		if d < 350 || d > 380 || vals[i-1].Value <= 0 {
			continue
		}
		g = append(g, vals[i].Value/vals[i-1].Value-1)
	}
	if len(g) > k {
		g = g[len(g)-k:]
	}
	return g
}

// altman fills Altman's Z (1968) when every input and a market value are known.
func altman(in *Inputs, m *Metrics) {
	c := &in.Cur
	ann := 12 / float64(max(c.Months, 1))
	if w := missing("", c, Assets); w != "" {
		m.Why[AltmanZ] = w
		return
	}
	a := c.V[Assets]
	if a <= 0 {
		m.Why[AltmanZ] = "assets <= 0"
		return
	}
	if c.Has(CurrentAssets) && c.Has(CurrentLiabilities) {
		m.AltmanX[0] = (c.V[CurrentAssets] - c.V[CurrentLiabilities]) / a
	}
	if c.Has(RetainedEarnings) {
		m.AltmanX[1] = c.V[RetainedEarnings] / a
	}
	if !math.IsNaN(m.EBIT) {
		m.AltmanX[2] = m.EBIT * ann / a
	}
	mv := "market value of equity (" + m.Why[MarketCap] + ")"
	switch {
	case math.IsNaN(m.Value[MarketCap]):
	case !c.Has(Liabilities) || c.V[Liabilities] <= 0:
		mv = "liabilities"
	default:
		m.AltmanX[3] = m.Value[MarketCap] / c.V[Liabilities]
	}
	if c.Has(Revenue) {
		m.AltmanX[4] = c.V[Revenue] * ann / a
	}
	var miss []string
	for i, name := range []string{"working capital", "retained earnings", "EBIT", mv, "revenue"} {
		if math.IsNaN(m.AltmanX[i]) {
			miss = append(miss, name)
		}
	}
	if len(miss) > 0 {
		m.Why[AltmanZ] = "missing " + strings.Join(miss, ", ")
		return
	}
	x := m.AltmanX
	m.Value[AltmanZ] = 1.2*x[0] + 1.4*x[1] + 3.3*x[2] + 0.6*x[3] + 1.0*x[4]
}

// piotroski computes the nine signals.
func piotroski(in *Inputs) FScore {
	c, p := &in.Cur, &in.Prev
	var f FScore
	sig := func(k int, name, test string, why string, val func() (bool, string)) {
		s := Signal{Name: name, Test: test, Value: Unknown, Shown: why}
		if why == "" {
			ok, shown := val()
			s.Value, s.Shown = 0, shown
			if ok {
				s.Value = 1
			}
		}
		f.Signals[k] = s
	}
	both := func(inputs ...Input) string {
		return firstOf(missing("", c, inputs...), missing("prior period: ", p, inputs...))
	}
	div := func(v *Values, a, b Input) float64 { return v.V[a] / v.V[b] }

	sig(0, "roa_positive", "net income > 0", missing("", c, NetIncome), func() (bool, string) {
		return c.V[NetIncome] > 0, "net income " + money(c.V[NetIncome])
	})
	sig(1, "cfo_positive", "operating cash flow > 0", missing("", c, CFO), func() (bool, string) {
		return c.V[CFO] > 0, "CFO " + money(c.V[CFO])
	})
	sig(2, "roa_up", "ROA rose", both(NetIncome, Assets), func() (bool, string) {
		a, b := div(c, NetIncome, Assets), div(p, NetIncome, Assets)
		return a > b, fmt.Sprintf("ROA %s vs %s", pct(a), pct(b))
	})
	sig(3, "accrual", "operating cash flow > net income", missing("", c, CFO, NetIncome), func() (bool, string) {
		return c.V[CFO] > c.V[NetIncome], fmt.Sprintf("CFO %s vs net income %s", money(c.V[CFO]), money(c.V[NetIncome]))
	})
	sig(4, "leverage_down", "long-term debt / assets did not rise", both(LongTermDebt, Assets), func() (bool, string) {
		a, b := div(c, LongTermDebt, Assets), div(p, LongTermDebt, Assets)
		return a <= b, fmt.Sprintf("%s vs %s", pct(a), pct(b))
	})
	sig(5, "liquidity_up", "current ratio rose", both(CurrentAssets, CurrentLiabilities), func() (bool, string) {
		a, b := div(c, CurrentAssets, CurrentLiabilities), div(p, CurrentAssets, CurrentLiabilities)
		return a > b, fmt.Sprintf("%.2f vs %.2f", a, b)
	})
	sig(6, "no_dilution", "weighted average shares did not rise", both(WeightedShares), func() (bool, string) {
		a, b := c.V[WeightedShares], p.V[WeightedShares]
		return a <= b, fmt.Sprintf("%.4gM vs %.4gM shares", a/1e6, b/1e6)
	})
	gm := func(v *Values) (float64, string) {
		if w := missing("", v, GrossProfit, Revenue); w != "" {
			return math.NaN(), w
		}
		return div(v, GrossProfit, Revenue), ""
	}
	gmc, w1 := gm(c)
	gmp, w2 := gm(p)
	if w2 != "" {
		w2 = "prior period: " + w2
	}
	sig(7, "margin_up", "gross margin rose", firstOf(w1, w2), func() (bool, string) {
		return gmc > gmp, fmt.Sprintf("%s vs %s", pct(gmc), pct(gmp))
	})
	sig(8, "turnover_up", "asset turnover rose", both(Revenue, Assets), func() (bool, string) {
		a, b := div(c, Revenue, Assets), div(p, Revenue, Assets)
		return a > b, fmt.Sprintf("%.3f vs %.3f", a, b)
	})
	for _, s := range f.Signals {
		if s.Value != Unknown {
			f.Known++
			f.Score += s.Value
		}
	}
	return f
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// money prints an amount in millions.
func money(x float64) string { return fmt.Sprintf("%.1fM", x/1e6) }
