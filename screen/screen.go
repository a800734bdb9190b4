package screen

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Outcome is the result of a rule, or of all rules, for one company.
type Outcome string

// Outcomes. Unknown is never a pass: a rule whose metric is missing is unknown, and a
// company with no failed rule but an unknown one is unknown overall.
const (
	Pass        Outcome = "pass"
	Fail        Outcome = "fail"
	UnknownRule Outcome = "unknown"
)

// Check is one rule applied to one company.
type Check struct {
	Rule    Rule    `json:"rule"`
	Value   float64 `json:"-"`
	Outcome Outcome `json:"outcome"`
	Why     string  `json:"why,omitempty"` // for unknown: the missing input; for fail: the value vs the limit
}

// Row is one screened company.
type Row struct {
	Rank    int
	Inputs  *Inputs
	Metrics Metrics
	Checks  []Check
	Status  Outcome
	Failed  []string
	Unknown []string
	// Quality is the mean percentile rank (0 worst .. 1 best) of the company's known
	// QualityMetrics within the screened universe; NaN with fewer than three known.
	Quality  float64
	QualityN int
}

// QualityMetrics are the metrics averaged (as percentile ranks) into Row.Quality.
var QualityMetrics = []Metric{ROA, GrossProfitability, OperatingMargin, DebtToEquity, InterestCoverage, CurrentRatio, Accruals, FScoreMetric}

// Exclusion is a company of the universe that could not be screened, with the reason.
type Exclusion struct {
	Ticker string `json:"ticker,omitempty"`
	Name   string `json:"name,omitempty"`
	CIK    int    `json:"cik,omitempty"`
	Reason string `json:"reason"`
}

// Coverage counts how many screened companies had an input or a metric.
type Coverage struct {
	Item string `json:"item"`
	N    int    `json:"n"`
	Of   int    `json:"of"`
}

// Result is a finished screen.
type Result struct {
	Rules    Rules       `json:"rules"`
	Rows     []Row       `json:"rows"` // ranked
	Excluded []Exclusion `json:"excluded"`
	// Inputs and Metrics count the screened companies that had each input (current
	// period) and each metric.
	Inputs  []Coverage `json:"input_coverage"`
	Metrics []Coverage `json:"metric_coverage"`
}

// Counts returns how many rows passed, failed and were unknown.
func (r *Result) Counts() (pass, fail, unknown int) {
	for _, row := range r.Rows {
		switch row.Status {
		case Pass:
			pass++
		case Fail:
			fail++
		default:
			unknown++
		}
	}
	return
}

// Evaluate applies one rule to a company's metrics.
func Evaluate(r Rule, m *Metrics) Check {
	c := Check{Rule: r, Value: m.Value[r.Metric]}
	if r.Metric == FScoreMetric {
		f := m.FScore
		lo, hi := float64(f.Score), float64(f.Max())
		switch {
		case !r.Max && lo >= r.Limit, r.Max && hi <= r.Limit:
			c.Outcome = Pass
		case !r.Max && hi < r.Limit, r.Max && lo > r.Limit:
			c.Outcome = Fail
			c.Why = fmt.Sprintf("F-score %s vs %s", f, r)
		default:
			c.Outcome = UnknownRule
			c.Why = fmt.Sprintf("F-score %s: the %d unknown signal(s) decide it", f, 9-f.Known)
		}
		return c
	}
	v := c.Value
	switch {
	case math.IsNaN(v):
		c.Outcome = UnknownRule
		c.Why = m.Why[r.Metric]
		if c.Why == "" {
			c.Why = "missing"
		}
	case (!r.Max && v >= r.Limit) || (r.Max && v <= r.Limit):
		c.Outcome = Pass
	default:
		c.Outcome = Fail
		c.Why = fmt.Sprintf("%s = %s", r.Metric, FormatMetric(r.Metric, v))
		if w := m.Why[r.Metric]; w != "" {
			c.Why += " (" + w + ")"
		}
		c.Why += fmt.Sprintf(", limit %s", FormatMetric(r.Metric, r.Limit))
	}
	return c
}

// FormatMetric prints a metric value in its natural unit: percent for returns, margins
// and growth, a plain number for ratios and scores.
func FormatMetric(m Metric, v float64) string {
	switch {
	case math.IsNaN(v):
		return "unknown"
	case math.IsInf(v, 1):
		return "+inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	switch m {
	case ROA, ROE, GrossProfitability, OperatingMargin, Accruals, RevenueGrowth, RevenueGrowthSD:
		return fmt.Sprintf("%.1f%%", 100*v)
	case FScoreMetric:
		return fmt.Sprintf("%.0f", v)
	case MarketCap:
		return fmt.Sprintf("%.0fM", v/1e6)
	}
	return fmt.Sprintf("%.2f", v)
}

// Run computes every company's metrics, applies the rules and ranks the companies:
// those that passed every rule first, then those with no failure but unknown rules
// (fewest unknown first), then those that failed (fewest failures first); within each
// group by Quality, best first, then by name. excluded are the names of the universe
// that could not be screened; they are kept, with their reasons, in the result.
func Run(companies []Inputs, excluded []Exclusion, rules Rules) *Result {
	res := &Result{Rules: rules, Excluded: excluded}
	res.Rows = make([]Row, len(companies))
	for i := range companies {
		row := &res.Rows[i]
		row.Inputs = &companies[i]
		row.Metrics = Compute(row.Inputs)
		row.Status = Pass
		for _, r := range rules.Rules {
			c := Evaluate(r, &row.Metrics)
			row.Checks = append(row.Checks, c)
			switch c.Outcome {
			case Fail:
				row.Failed = append(row.Failed, r.Key)
				row.Status = Fail
			case UnknownRule:
				row.Unknown = append(row.Unknown, r.Key)
				if row.Status == Pass {
					row.Status = UnknownRule
				}
			}
		}
	}
	quality(res.Rows)
	sort.SliceStable(res.Rows, func(i, j int) bool { return less(&res.Rows[i], &res.Rows[j]) })
	for i := range res.Rows {
		res.Rows[i].Rank = i + 1
	}
	n := len(res.Rows)
	for i := Input(0); i < NumInputs; i++ {
		k := 0
		for _, row := range res.Rows {
			if row.Inputs.Cur.Has(i) {
				k++
			}
		}
		res.Inputs = append(res.Inputs, Coverage{Item: i.String(), N: k, Of: n})
	}
	k := 0
	for _, row := range res.Rows {
		if !math.IsNaN(row.Inputs.SharesOut) {
			k++
		}
	}
	res.Inputs = append(res.Inputs, Coverage{Item: "shares_outstanding", N: k, Of: n})
	k = 0
	for _, row := range res.Rows {
		if !math.IsNaN(row.Inputs.Price) {
			k++
		}
	}
	res.Inputs = append(res.Inputs, Coverage{Item: "price", N: k, Of: n})
	for m := Metric(0); m < NumMetrics; m++ {
		k := 0
		for _, row := range res.Rows {
			if m == FScoreMetric {
				if row.Metrics.FScore.Known == 9 {
					k++
				}
			} else if !math.IsNaN(row.Metrics.Value[m]) {
				k++
			}
		}
		item := m.String()
		if m == FScoreMetric {
			item = "fscore (all 9 signals)"
		}
		res.Metrics = append(res.Metrics, Coverage{Item: item, N: k, Of: n})
	}
	return res
}

func statusOrder(o Outcome) int {
	switch o {
	case Pass:
		return 0
	case UnknownRule:
		return 1
	}
	return 2
}

func less(a, b *Row) bool {
	if sa, sb := statusOrder(a.Status), statusOrder(b.Status); sa != sb {
		return sa < sb
	}
	if la, lb := len(a.Failed)+len(a.Unknown), len(b.Failed)+len(b.Unknown); la != lb {
		return la < lb
	}
	qa, qb := a.Quality, b.Quality
	switch {
	case math.IsNaN(qa) && !math.IsNaN(qb):
		return false
	case !math.IsNaN(qa) && math.IsNaN(qb):
		return true
	case qa != qb && !math.IsNaN(qa):
		return qa > qb
	}
	if a.Inputs.Name != b.Inputs.Name {
		return a.Inputs.Name < b.Inputs.Name
	}
	return a.Inputs.CIK < b.Inputs.CIK
}

// quality sets each row's Quality: the mean of its percentile ranks in QualityMetrics.
// A percentile rank is (rank-1)/(n-1) among the companies with the metric, ties sharing
// their mean rank, oriented so that 1 is best; the F-score counts only when all nine
// signals are known.
func quality(rows []Row) {
	sum := make([]float64, len(rows))
	cnt := make([]int, len(rows))
	for _, m := range QualityMetrics {
		idx := []int{}
		for i := range rows {
			v := rows[i].Metrics.Value[m]
			if m == FScoreMetric && rows[i].Metrics.FScore.Known < 9 {
				continue
			}
			if !math.IsNaN(v) {
				idx = append(idx, i)
			}
		}
		if len(idx) < 2 {
			continue
		}
		val := func(i int) float64 {
			v := rows[i].Metrics.Value[m]
			if !m.HigherIsBetter() {
				return -v
			}
			return v
		}
		sort.SliceStable(idx, func(a, b int) bool { return val(idx[a]) < val(idx[b]) })
		for a := 0; a < len(idx); {
			b := a
			for b+1 < len(idx) && val(idx[b+1]) == val(idx[a]) {
				b++
			}
			pr := (float64(a+b) / 2) / float64(len(idx)-1)
			for k := a; k <= b; k++ {
				sum[idx[k]] += pr
				cnt[idx[k]]++
			}
			a = b + 1
		}
	}
	for i := range rows {
		rows[i].QualityN = cnt[i]
		rows[i].Quality = math.NaN()
		if cnt[i] >= 3 {
			rows[i].Quality = sum[i] / float64(cnt[i])
		}
	}
}

// Reasons is a one-line account of a row's outcome: which rules failed and why, which
// were unknown and why.
func (row *Row) Reasons() string {
	var parts []string
	for _, c := range row.Checks {
		switch c.Outcome {
		case Fail:
			parts = append(parts, "FAIL "+c.Rule.Key+": "+c.Why)
		case UnknownRule:
			parts = append(parts, "unknown "+c.Rule.Key+": "+c.Why)
		}
	}
	if len(parts) == 0 {
		return "passed every rule"
	}
	return strings.Join(parts, "; ")
}
