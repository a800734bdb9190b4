// Package yahoo parses Yahoo Finance chart JSON (the v8/finance/chart endpoint) into
// the same daily price table the CSV parser in source/price produces, so a Yahoo
// download and a Stooq or yfinance CSV of the same instrument are interchangeable.
//
// A chart answer holds one result: meta (symbol, exchangeTimezoneName, trading
// periods), a list of bar timestamps (Unix seconds), and parallel arrays of open,
// high, low, close and volume, plus adjclose when asked for daily bars. Each
// timestamp becomes the calendar date in the exchange's own time zone (a US bar
// stamped 09:30 New York is that day, whatever the machine's zone). Null entries,
// which Yahoo writes for bars without trades, become NaN. The adjusted close is kept
// as Table.AdjClose, so Table.CloseSeries prefers it.
//
// yahoo never touches the network or the clock (the retrieval time is given), and
// never panics on bad input: a malformed answer yields a *source.ParseError naming
// the JSON path; Yahoo's own error object ("Not Found: No data found, symbol may
// be delisted") and an answer without bars wrap ErrNoData.
package yahoo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
	"github.com/ratecycle/ratecycle/source/price"
)

// ErrNoData is wrapped when Yahoo answers with an error object or without bars: the
// symbol is unknown, delisted, or has no bars in the asked period.
var ErrNoData = errors.New("no data")

type chart struct {
	Chart struct {
		Result []result `json:"result"`
		Error  *struct {
			Code        string `json:"code"`
			Description string `json:"description"`
		} `json:"error"`
	} `json:"chart"`
}

type result struct {
	Meta struct {
		Symbol               string `json:"symbol"`
		ExchangeTimezoneName string `json:"exchangeTimezoneName"`
		DataGranularity      string `json:"dataGranularity"`
		CurrentTradingPeriod *struct {
			Regular struct {
				End int64 `json:"end"`
			} `json:"regular"`
		} `json:"currentTradingPeriod"`
	} `json:"meta"`
	Timestamp  []int64 `json:"timestamp"`
	Indicators struct {
		Quote []struct {
			Open   []*float64 `json:"open"`
			High   []*float64 `json:"high"`
			Low    []*float64 `json:"low"`
			Close  []*float64 `json:"close"`
			Volume []*float64 `json:"volume"`
		} `json:"quote"`
		AdjClose []struct {
			AdjClose []*float64 `json:"adjclose"`
		} `json:"adjclose"`
	} `json:"indicators"`
}

// Parse reads a chart JSON answer; file names it in errors and in the table. The
// symbol comes from opt.Symbol or else meta.symbol. When opt.RetrievedAt falls on
// the last bar's date, before that session's close (meta.currentTradingPeriod's
// regular end, else 16:00 exchange time), the last row is flagged partial.
func Parse(r io.Reader, file string, opt price.Options) (*price.Table, error) {
	perr := func(path, format string, args ...any) error {
		return &source.ParseError{File: file, Path: path, Err: fmt.Errorf(format, args...)}
	}
	var c chart
	dec := json.NewDecoder(r)
	if err := dec.Decode(&c); err != nil {
		return nil, perr("", "not a Yahoo chart answer: %v", err)
	}
	if e := c.Chart.Error; e != nil {
		return nil, fmt.Errorf("%s: Yahoo says %s: %s: %w", file, e.Code, e.Description, ErrNoData)
	}
	if len(c.Chart.Result) == 0 {
		return nil, fmt.Errorf("%s: Yahoo answered without a result: %w", file, ErrNoData)
	}
	res := &c.Chart.Result[0]
	const root = "chart.result[0]"
	if g := res.Meta.DataGranularity; g != "" && g != "1d" {
		return nil, perr(root+".meta.dataGranularity", "bars are %q, want daily (1d)", g)
	}
	tzName := res.Meta.ExchangeTimezoneName
	if tzName == "" {
		return nil, perr(root+".meta.exchangeTimezoneName", "missing: bars cannot be dated")
	}
	loc, err := time.LoadLocation(tzName)
	if err != nil {
		return nil, perr(root+".meta.exchangeTimezoneName", "unknown time zone %q", tzName)
	}
	n := len(res.Timestamp)
	if n == 0 {
		return nil, fmt.Errorf("%s: Yahoo answered without bars for %s: %w", file, res.Meta.Symbol, ErrNoData)
	}
	if len(res.Indicators.Quote) == 0 {
		return nil, perr(root+".indicators.quote", "missing")
	}
	q := res.Indicators.Quote[0]
	cols := []struct {
		name string
		vals []*float64
		dst  *[]float64
	}{}
	t := &price.Table{Source: "yahoo", File: file, RetrievedAt: opt.RetrievedAt}
	add := func(path string, vals []*float64, dst *[]float64, required bool) error {
		if vals == nil {
			if required {
				return perr(path, "missing")
			}
			return nil
		}
		if len(vals) != n {
			return perr(path, "%d values for %d timestamps", len(vals), n)
		}
		cols = append(cols, struct {
			name string
			vals []*float64
			dst  *[]float64
		}{path, vals, dst})
		return nil
	}
	qp := root + ".indicators.quote[0]."
	for _, err := range []error{
		add(qp+"open", q.Open, &t.Open, false),
		add(qp+"high", q.High, &t.High, false),
		add(qp+"low", q.Low, &t.Low, false),
		add(qp+"close", q.Close, &t.Close, len(res.Indicators.AdjClose) == 0),
		add(qp+"volume", q.Volume, &t.Volume, false),
	} {
		if err != nil {
			return nil, err
		}
	}
	if len(res.Indicators.AdjClose) > 0 {
		if err := add(root+".indicators.adjclose[0].adjclose", res.Indicators.AdjClose[0].AdjClose, &t.AdjClose, true); err != nil {
			return nil, err
		}
	}
	for _, c := range cols {
		*c.dst = make([]float64, 0, n)
	}
	t.Dates = make([]series.Date, 0, n)
	for i, ts := range res.Timestamp {
		if ts < -62135596800 || ts > 253402300799 { // outside years 1..9999
			return nil, perr(fmt.Sprintf("%s.timestamp[%d]", root, i), "%d is not a plausible Unix time", ts)
		}
		d := series.FromTime(time.Unix(ts, 0).In(loc))
		if k := len(t.Dates); k > 0 {
			switch prev := t.Dates[k-1]; {
			case d < prev:
				return nil, perr(fmt.Sprintf("%s.timestamp[%d]", root, i), "date %s is before the previous bar's %s", d, prev)
			case d == prev:
				// Yahoo appends the live bar with the current trade time; when it lands
				// on the day of the last regular bar it supersedes it.
				t.Dates = t.Dates[:k-1]
				for _, c := range cols {
					*c.dst = (*c.dst)[:k-1]
				}
			}
		}
		t.Dates = append(t.Dates, d)
		for _, c := range cols {
			v := math.NaN()
			if p := c.vals[i]; p != nil {
				v = *p
			}
			*c.dst = append(*c.dst, v)
		}
	}
	t.Symbol = opt.Symbol
	if t.Symbol == "" {
		t.Symbol = strings.ToUpper(res.Meta.Symbol)
	}
	if !opt.RetrievedAt.IsZero() {
		last := t.Dates[len(t.Dates)-1]
		at := opt.RetrievedAt.In(loc)
		closeAt := time.Date(at.Year(), at.Month(), at.Day(), 16, 0, 0, 0, loc)
		if p := res.Meta.CurrentTradingPeriod; p != nil && p.Regular.End != 0 {
			if e := time.Unix(p.Regular.End, 0).In(loc); series.FromTime(e) == last {
				closeAt = e
			}
		}
		t.PartialLast = series.FromTime(at) == last && at.Before(closeAt)
	}
	if opt.LastRowIntraday {
		t.PartialLast = true
	}
	return t, nil
}
