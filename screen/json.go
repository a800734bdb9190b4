package screen

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/sec"
)

// num marshals NaN as JSON null and infinities as the strings "+inf" and "-inf".
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return []byte("null"), nil
	case math.IsInf(f, 1):
		return []byte(`"+inf"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-inf"`), nil
	}
	return []byte(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

func dateStr(d series.Date) string {
	if d == series.NoDate || d == sec.NoCutoff {
		return ""
	}
	return d.String()
}

type valuesJSON struct {
	Start       string            `json:"start,omitempty"`
	End         string            `json:"end,omitempty"`
	BalanceDate string            `json:"balance_date,omitempty"`
	Months      int               `json:"months"`
	Values      map[string]num    `json:"values"`
	Concepts    map[string]string `json:"concepts"`
}

func valuesOf(v *Values) valuesJSON {
	j := valuesJSON{Start: dateStr(v.Start), End: dateStr(v.End), BalanceDate: dateStr(v.BalanceDate), Months: v.Months,
		Values: map[string]num{}, Concepts: map[string]string{}}
	for i := Input(0); i < NumInputs; i++ {
		j.Values[i.String()] = num(v.V[i])
		if v.Concept[i] != "" {
			j.Concepts[i.String()] = v.Concept[i]
		}
	}
	return j
}

type checkJSON struct {
	Rule    string  `json:"rule"`
	Limit   float64 `json:"limit"`
	Value   num     `json:"value"`
	Outcome Outcome `json:"outcome"`
	Why     string  `json:"why,omitempty"`
}

// MarshalJSON writes a screened company: identity, status, the metrics (NaN as null,
// infinities as "+inf"), why a metric is missing, the F-score's signals, Altman's
// components, every rule's check and the inputs with the concept behind each.
func (row Row) MarshalJSON() ([]byte, error) {
	in, m := row.Inputs, &row.Metrics
	metrics, why := map[string]num{}, map[string]string{}
	for k := Metric(0); k < NumMetrics; k++ {
		metrics[k.String()] = num(m.Value[k])
		if m.Why[k] != "" {
			why[k.String()] = m.Why[k]
		}
	}
	checks := make([]checkJSON, len(row.Checks))
	for i, c := range row.Checks {
		checks[i] = checkJSON{c.Rule.Key, c.Rule.Limit, num(c.Value), c.Outcome, c.Why}
	}
	var ax [5]num
	for i, x := range m.AltmanX {
		ax[i] = num(x)
	}
	return json.Marshal(struct {
		Rank       int               `json:"rank"`
		Ticker     string            `json:"ticker,omitempty"`
		Name       string            `json:"name"`
		CIK        int               `json:"cik"`
		Status     Outcome           `json:"status"`
		Failed     []string          `json:"failed,omitempty"`
		Unknown    []string          `json:"unknown,omitempty"`
		Reasons    string            `json:"reasons"`
		Quality    num               `json:"quality"`
		QualityN   int               `json:"quality_metrics"`
		Metrics    map[string]num    `json:"metrics"`
		Why        map[string]string `json:"why_missing,omitempty"`
		FScore     FScore            `json:"fscore"`
		AltmanX    [5]num            `json:"altman_x"`
		EBIT       num               `json:"ebit"`
		EBITSource string            `json:"ebit_source,omitempty"`
		Checks     []checkJSON       `json:"checks"`
		Source     string            `json:"source"`
		Taxonomy   string            `json:"taxonomy"`
		Unit       string            `json:"unit"`
		Form       string            `json:"form"`
		Filed      string            `json:"filed"`
		Basis      string            `json:"basis"`
		Current    valuesJSON        `json:"current"`
		Prior      valuesJSON        `json:"prior"`
		SharesOut  num               `json:"shares_outstanding"`
		SharesDate string            `json:"shares_date,omitempty"`
		SharesFrom string            `json:"shares_concept,omitempty"`
		Price      num               `json:"price"`
		PriceDate  string            `json:"price_date,omitempty"`
		PriceFrom  string            `json:"price_source,omitempty"`
		Notes      []string          `json:"notes,omitempty"`
	}{row.Rank, in.Ticker, in.Name, in.CIK, row.Status, row.Failed, row.Unknown, row.Reasons(), num(row.Quality), row.QualityN,
		metrics, why, m.FScore, ax, num(m.EBIT), m.EBITSource, checks, in.Source, in.Taxonomy, in.Unit, in.Form, dateStr(in.Filed),
		in.Basis(), valuesOf(&in.Cur), valuesOf(&in.Prev), num(in.SharesOut), dateStr(in.SharesDate), in.SharesConcept,
		num(in.Price), dateStr(in.PriceDate), in.PriceSource, in.Notes})
}
