package risk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/ratecycle/ratecycle/series"
)

// ErrTooShort is returned (wrapped) when a series has too few non-missing
// observations for a statistic.
var ErrTooShort = errors.New("too few observations")

// DefaultConfidence are the VaR/ES confidence levels of a Report unless Options
// says otherwise.
var DefaultConfidence = []float64{0.95, 0.99}

// reportMethods are the VaR/ES estimators of a Report, in reference.R's order.
var reportMethods = []Method{Historical, Gaussian, Modified}

// Options are the conventions of a Summary. Scale is required; the zero value of
// every other field is PerformanceAnalytics 2.1.0's default.
type Options struct {
	// Scale is the number of periods per year: 12 monthly, 252 daily.
	Scale int
	// Rf is a constant per-period risk-free rate (0.002 = 0.2% a month), used by the
	// Sharpe ratios and CAPM alpha/beta. RfSeries, when not nil, replaces it with a
	// per-period rate aligned with the returns; periods where it is NaN are dropped
	// from the Sharpe ratios and from every benchmark-relative metric.
	Rf       float64
	RfSeries []float64
	// MAR is the per-period minimum acceptable return of DownsideDeviation and Sortino.
	MAR float64
	// Sharpe selects the Sharpe convention; the zero value is PA 2.1.0's default
	// (arithmetic numerator, sd of excess returns). SharpePA208 is PA 2.0.8's.
	Sharpe SharpeConvention
	// Confidence lists the VaR/ES confidence levels; nil means DefaultConfidence.
	Confidence []float64
	// TopDrawdowns is how many drawdowns the report lists, deepest first; 0 means 5
	// (table.Drawdowns' default) and a negative number all of them.
	TopDrawdowns int
	// CaptureArithmetic makes the capture ratios ratios of summed returns (Bacon)
	// instead of compounded ones (PA 2.1.0's default).
	CaptureArithmetic bool
}

func (o Options) rf() []float64 {
	if o.RfSeries != nil {
		return o.RfSeries
	}
	if o.Rf == 0 {
		return nil
	}
	return []float64{o.Rf}
}

// TailRisk is the VaR and ES of one estimator at one confidence level, with PA's
// sign convention (negative = loss) and NA rule (NaN).
type TailRisk struct {
	P      float64
	Method Method
	VaR    float64
	ES     float64
}

// Relative holds the benchmark-relative metrics of a Report.
type Relative struct {
	N                int     // periods where the series, the benchmark (and any Rf series) are all present
	Beta             float64 // CAPM.beta with Rf
	Alpha            float64 // CAPM.alpha with Rf, per period
	RSquared         float64
	Correlation      float64 // of raw returns
	TrackingError    float64 // annualised
	ActivePremium    float64 // difference of geometric annualised returns
	InformationRatio float64 // ActivePremium / TrackingError
	UpCapture        float64
	DownCapture      float64
}

// Report is the full set of metrics of one return series. Metrics lists them under
// the names reference.R writes; MarshalJSON writes them in that order.
type Report struct {
	N                 int         // non-missing observations
	Start, End        series.Date // first and last non-missing observation (NoDate without dates)
	Scale             int
	Sharpe            SharpeConvention
	CumulativeReturn  float64
	AnnualizedReturn  float64 // geometric
	AnnualizedStdDev  float64
	SharpeRatio       float64 // per period
	SharpeAnnualized  float64
	Sortino           float64 // per period, at Options.MAR
	DownsideDeviation float64 // per period, at Options.MAR
	MaxDrawdown       float64 // positive fraction
	Calmar            float64
	Tail              []TailRisk // for each confidence level: historical, gaussian, modified
	Skewness          float64
	ExcessKurtosis    float64
	Drawdowns         []Drawdown // deepest first; empty without dates
	Relative          *Relative  // nil without a benchmark
}

// Summary computes a Report for the returns r dated dates against the benchmark
// returns bench. dates may be nil (no drawdown table, no start/end) and bench may be
// nil (no Relative). Single-series metrics use the periods where r is present;
// benchmark-relative ones the periods where r, bench and Options.RfSeries all are,
// as PA's na.omit does. It returns an error wrapping ErrTooShort with fewer than two
// usable observations, and an error for invalid options. It panics if dates, bench or
// RfSeries are given with a length other than len(r).
func Summary(r []float64, dates []series.Date, bench []float64, opt Options) (*Report, error) {
	if dates != nil {
		mustSameLen("returns", len(r), "dates", len(dates))
	}
	if bench != nil {
		mustSameLen("returns", len(r), "benchmark", len(bench))
	}
	if opt.RfSeries != nil {
		mustSameLen("returns", len(r), "risk-free series", len(opt.RfSeries))
	}
	if opt.Scale < 1 {
		return nil, fmt.Errorf("risk summary: scale %d is not a number of periods per year (12 monthly, 252 daily)", opt.Scale)
	}
	conf := opt.Confidence
	if conf == nil {
		conf = DefaultConfidence
	}
	for _, p := range conf {
		if !(p > 0.5 && p < 1) {
			return nil, fmt.Errorf("risk summary: confidence level %v outside (0.5, 1)", p)
		}
	}
	x := clean(r)
	if len(x) < 2 {
		return nil, fmt.Errorf("risk summary: %d non-missing returns: %w", len(x), ErrTooShort)
	}
	rep := &Report{
		N:                 len(x),
		Start:             series.NoDate,
		End:               series.NoDate,
		Scale:             opt.Scale,
		Sharpe:            opt.Sharpe,
		CumulativeReturn:  CumulativeReturn(x),
		AnnualizedReturn:  AnnualizedReturn(x, opt.Scale),
		AnnualizedStdDev:  AnnualizedStdDev(x, opt.Scale),
		SharpeRatio:       SharpeRatio(r, opt.rf(), opt.Sharpe),
		SharpeAnnualized:  SharpeAnnualized(r, opt.rf(), opt.Scale, opt.Sharpe),
		Sortino:           SortinoRatio(x, opt.MAR),
		DownsideDeviation: DownsideDeviation(x, opt.MAR),
		MaxDrawdown:       MaxDrawdown(x),
	}
	rep.Calmar = rep.AnnualizedReturn / rep.MaxDrawdown
	t := newTail(x)
	for _, p := range conf {
		a := tailProb(p)
		for _, m := range reportMethods {
			rep.Tail = append(rep.Tail, TailRisk{P: p, Method: m, VaR: t.vaR(a, m), ES: t.eS(a, m)})
		}
	}
	rep.Skewness = t.skew
	rep.ExcessKurtosis = t.exkurt
	if t.m2 <= 1.5e-8 { // skewKurtEst zeroes them for VaR; report the moments themselves
		rep.Skewness = Skewness(x)
		rep.ExcessKurtosis = ExcessKurtosis(x)
	}
	if dates != nil {
		for i, v := range r {
			if v == v {
				if rep.Start == series.NoDate {
					rep.Start = dates[i]
				}
				rep.End = dates[i]
			}
		}
		top := opt.TopDrawdowns
		if top == 0 {
			top = 5
		}
		rep.Drawdowns = Drawdowns(dates, r, top)
	}
	if bench != nil {
		a, b, f := alignPair(r, bench, opt.RfSeries)
		if len(a) < 2 {
			return nil, fmt.Errorf("risk summary: %d periods with both the series and its benchmark: %w", len(a), ErrTooShort)
		}
		rf := f
		if f == nil && opt.Rf != 0 {
			rf = []float64{opt.Rf}
		}
		fit := CAPM(a, b, rf)
		rel := &Relative{
			N:                len(a),
			Beta:             fit.Beta,
			Alpha:            fit.Alpha,
			RSquared:         fit.RSquared,
			Correlation:      Correlation(a, b),
			TrackingError:    TrackingError(a, b, opt.Scale),
			ActivePremium:    ActivePremium(a, b, opt.Scale),
			InformationRatio: InformationRatio(a, b, opt.Scale),
		}
		rel.UpCapture, rel.DownCapture = UpDownCapture(a, b, !opt.CaptureArithmetic)
		rep.Relative = rel
	}
	return rep, nil
}

// alignPair keeps the periods where a, b and f (when not nil) are all present.
func alignPair(a, b, f []float64) (ca, cb, cf []float64) {
	ca, cb = make([]float64, 0, len(a)), make([]float64, 0, len(a))
	if f != nil {
		cf = make([]float64, 0, len(a))
	}
	for i := range a {
		if a[i] != a[i] || b[i] != b[i] || (f != nil && f[i] != f[i]) {
			continue
		}
		ca = append(ca, a[i])
		cb = append(cb, b[i])
		if f != nil {
			cf = append(cf, f[i])
		}
	}
	return ca, cb, cf
}

// MetricKind says which field of a Metric holds its value.
type MetricKind int

const (
	MetricNumber MetricKind = iota
	MetricDate
	MetricText
)

// Metric is one named value of a Report.
type Metric struct {
	Name  string
	Kind  MetricKind
	Value float64     // MetricNumber: NaN where PA gives NA
	Date  series.Date // MetricDate: series.NoDate for none (an unrecovered drawdown's "to")
	Text  string      // MetricText
}

// String formats the value as reference.R writes it: numbers with 17 significant
// digits, NA, Inf and -Inf; dates as YYYY-MM-DD and a missing date as "".
func (m Metric) String() string {
	switch m.Kind {
	case MetricDate:
		return m.Date.String()
	case MetricText:
		return m.Text
	}
	switch {
	case m.Value != m.Value:
		return "NA"
	case math.IsInf(m.Value, 1):
		return "Inf"
	case math.IsInf(m.Value, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(m.Value, 'g', 17, 64)
}

// appendJSON appends the value as JSON: a number (shortest round-trip form), null
// for NaN, the strings "Inf"/"-Inf" for infinities, a "YYYY-MM-DD" string or null
// for a date, a string for text.
func (m Metric) appendJSON(b []byte) []byte {
	switch m.Kind {
	case MetricDate:
		if m.Date == series.NoDate {
			return append(b, "null"...)
		}
		return appendJSONString(b, m.Date.String())
	case MetricText:
		return appendJSONString(b, m.Text)
	}
	switch {
	case m.Value != m.Value:
		return append(b, "null"...)
	case math.IsInf(m.Value, 1):
		return append(b, `"Inf"`...)
	case math.IsInf(m.Value, -1):
		return append(b, `"-Inf"`...)
	}
	return strconv.AppendFloat(b, m.Value, 'g', -1, 64)
}

// Metrics lists the report under the metric names of reference.R (the script that
// produced testdata/performanceanalytics/*-expected.csv), in its order:
//
//	n annualized_return annualized_stddev sharpe_annualized sortino downside_deviation
//	max_drawdown calmar var_{historical,gaussian,modified}_{95,99} es_... skewness
//	kurtosis_excess drawdown_K_{depth,from,trough,to,length} beta alpha
//	tracking_error information_ratio up_capture down_capture
//
// plus, under names reference.R does not use: start, end, scale, sharpe_convention,
// cumulative_return, sharpe (per period), drawdown_K_to_trough, drawdown_K_recovery,
// benchmark_n, r_squared, correlation and active_premium. VaR/ES names carry the
// confidence level in percent (var_historical_95); drawdowns are numbered from 1.
func (r *Report) Metrics() []Metric {
	num := func(name string, v float64) Metric { return Metric{Name: name, Value: v} }
	date := func(name string, d series.Date) Metric { return Metric{Name: name, Kind: MetricDate, Date: d} }
	ms := []Metric{
		num("n", float64(r.N)),
		date("start", r.Start),
		date("end", r.End),
		num("scale", float64(r.Scale)),
		num("cumulative_return", r.CumulativeReturn),
		num("annualized_return", r.AnnualizedReturn),
		num("annualized_stddev", r.AnnualizedStdDev),
		num("sharpe", r.SharpeRatio),
		num("sharpe_annualized", r.SharpeAnnualized),
		{Name: "sharpe_convention", Kind: MetricText, Text: r.Sharpe.String()},
		num("sortino", r.Sortino),
		num("downside_deviation", r.DownsideDeviation),
		num("max_drawdown", r.MaxDrawdown),
		num("calmar", r.Calmar),
	}
	for _, t := range r.Tail {
		pct := strconv.FormatFloat(t.P*100, 'f', -1, 64)
		ms = append(ms,
			num("var_"+t.Method.String()+"_"+pct, t.VaR),
			num("es_"+t.Method.String()+"_"+pct, t.ES))
	}
	ms = append(ms, num("skewness", r.Skewness), num("kurtosis_excess", r.ExcessKurtosis))
	for k, d := range r.Drawdowns {
		p := "drawdown_" + strconv.Itoa(k+1) + "_"
		rec := math.NaN()
		if d.Recovered {
			rec = float64(d.Recovery)
		}
		ms = append(ms,
			num(p+"depth", d.Depth),
			date(p+"from", d.From),
			date(p+"trough", d.Trough),
			date(p+"to", d.To),
			num(p+"length", float64(d.Length)),
			num(p+"to_trough", float64(d.ToTrough)),
			num(p+"recovery", rec))
	}
	if rel := r.Relative; rel != nil {
		ms = append(ms,
			num("benchmark_n", float64(rel.N)),
			num("beta", rel.Beta),
			num("alpha", rel.Alpha),
			num("r_squared", rel.RSquared),
			num("correlation", rel.Correlation),
			num("tracking_error", rel.TrackingError),
			num("active_premium", rel.ActivePremium),
			num("information_ratio", rel.InformationRatio),
			num("up_capture", rel.UpCapture),
			num("down_capture", rel.DownCapture))
	}
	return ms
}

// MarshalJSON writes the report as one JSON object whose keys are the Metrics names
// in order. NaN (PA's NA) is null, infinities are the strings "Inf" and "-Inf", dates
// are "YYYY-MM-DD" strings (null for none).
func (r *Report) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range r.Metrics() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(appendJSONString(nil, m.Name))
		b.WriteByte(':')
		b.Write(m.appendJSON(nil))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}
