// Package price parses daily price history downloaded from Stooq or Yahoo Finance
// (directly or through yfinance) into a table of dated open, high, low, close,
// adjusted close and volume columns.
//
// Columns are found by header name, so every layout in use parses: Stooq's
// "Date,Open,High,Low,Close,Volume", yfinance's "Date,Close,High,Low,Open,Volume",
// Yahoo's classic "Date,Open,High,Low,Close,Adj Close,Volume", a bare "Date,Close",
// and yfinance's three-row header ("Price,Close,..." / "Ticker,SPY,..." / "Date,,...").
// Unknown columns (Dividends, Stock Splits, OpenInt) are ignored. Volume may be
// fractional. Empty cells, "null" and "NaN" become NaN.
//
// A download made during a trading day ends with a partial row: today's price so far
// and a fraction of the day's volume. Parse flags it (Table.PartialLast) when told
// when the file was retrieved; DropPartial removes it. See Options.
//
// price never touches the network and never reads the clock (the retrieval time is
// given), and never panics on bad input: a malformed file yields a *source.ParseError
// naming the file, line and column.
package price

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"time"
	_ "time/tzdata" // America/New_York must resolve on machines without zoneinfo

	"github.com/ratecycle/ratecycle/series"
)

// ErrNotFound is wrapped by Table.Series when the file has no such column.
var ErrNotFound = errors.New("not found")

// Options says what the caller knows about a file that the file does not say.
type Options struct {
	// Symbol names the instrument. When empty it comes from a yfinance "Ticker" header
	// row, else from the file name ("IWM.csv" is IWM, Stooq's "^spx_d.csv" is ^SPX).
	Symbol string
	// RetrievedAt is when the file was downloaded (zero if unknown). The last row is
	// partial when its date is the retrieval day in New York and the download happened
	// before the 16:00 New York close.
	RetrievedAt time.Time
	// LastRowIntraday marks the last row partial when the caller knows it is (for
	// example from the snapshot MANIFEST) but not the retrieval time.
	LastRowIntraday bool
}

// Table is one instrument's price history. Columns absent from the file are nil; the
// others have one value per date.
type Table struct {
	Symbol string
	Source string // "stooq" for Stooq's Date,Open,High,Low,Close[,Volume] layout, "yahoo" otherwise
	File   string // the file as given to Parse
	Dates  []series.Date

	Open, High, Low, Close, AdjClose, Volume []float64

	// PartialLast is true when the last row is an intraday snapshot, not a close.
	PartialLast bool
	RetrievedAt time.Time
}

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.Dates) }

// DropPartial removes the last row when it is partial, so that every row is a
// finished trading day.
func (t *Table) DropPartial() {
	if !t.PartialLast || len(t.Dates) == 0 {
		return
	}
	n := len(t.Dates) - 1
	t.Dates = t.Dates[:n]
	for _, c := range t.cols() {
		if *c != nil {
			*c = (*c)[:n]
		}
	}
	t.PartialLast = false
}

func (t *Table) cols() []*[]float64 {
	return []*[]float64{&t.Open, &t.High, &t.Low, &t.Close, &t.AdjClose, &t.Volume}
}

// CloseSeries returns the closing price as a series named after the symbol: the
// adjusted close when the file has an Adj Close column, the Close column otherwise
// (yfinance's Close is already adjusted for splits and dividends; Stooq's and
// Yahoo's raw Close are not). A partial last row is included; call DropPartial
// first to leave it out.
func (t *Table) CloseSeries() *series.Series {
	if t.AdjClose != nil {
		s, _ := t.Series("Adj Close")
		return s
	}
	s, err := t.Series("Close")
	if err != nil {
		// Parse guarantees Close or Adj Close; an empty table built by hand has neither.
		return &series.Series{Name: t.Symbol, Kind: series.KindPrice, Prov: t.prov("Close")}
	}
	return s
}

// Series returns one column ("Open", "High", "Low", "Close", "Adj Close" or
// "Volume", any case) as a series named after the symbol, with its own copy of the
// data. Volume is a KindLevel series, the others KindPrice.
func (t *Table) Series(column string) (*series.Series, error) {
	k, ok := columnKind(column)
	var vals []float64
	if ok {
		vals = *t.cols()[k]
	}
	if vals == nil {
		return nil, fmt.Errorf("price %s: no column %q: %w", t.Symbol, column, ErrNotFound)
	}
	kind := series.KindPrice
	if k == colVolume {
		kind = series.KindLevel
	}
	return &series.Series{
		Name:   t.Symbol,
		Kind:   kind,
		Freq:   series.InferFrequency(t.Dates),
		Dates:  append([]series.Date(nil), t.Dates...),
		Values: append([]float64(nil), vals...),
		Prov:   t.prov(columnNames[k]),
	}, nil
}

func (t *Table) prov(column string) series.Provenance {
	p := series.Provenance{
		Provider:    "price",
		SourceID:    t.Source + "/" + t.Symbol,
		File:        t.File,
		RetrievedAt: t.RetrievedAt,
		Unit:        "price",
		Note:        "column " + column,
	}
	if column == "Volume" {
		p.Unit = "shares"
	}
	if t.PartialLast && len(t.Dates) > 0 {
		p.Note += fmt.Sprintf("; last row %s is intraday (partial)", t.Dates[len(t.Dates)-1])
	}
	return p
}

// column indexes into Table.cols.
const (
	colOpen = iota
	colHigh
	colLow
	colClose
	colAdjClose
	colVolume
)

var columnNames = [...]string{"Open", "High", "Low", "Close", "Adj Close", "Volume"}

// columnKind maps a header name to a column index.
func columnKind(name string) (int, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer("_", " ", "-", " ").Replace(n)
	switch n {
	case "open":
		return colOpen, true
	case "high":
		return colHigh, true
	case "low":
		return colLow, true
	case "close":
		return colClose, true
	case "adj close", "adjclose", "adjusted close":
		return colAdjClose, true
	case "volume":
		return colVolume, true
	}
	return 0, false
}

// newYork is US Eastern time, where Stooq's and Yahoo's US daily bars close at 16:00.
var newYork = func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil { // cannot happen with time/tzdata linked in
		return time.FixedZone("EST", -5*3600)
	}
	return loc
}()

// partialLast decides whether a last row dated last is an intraday snapshot.
func partialLast(last series.Date, opt Options) bool {
	if opt.LastRowIntraday {
		return true
	}
	if opt.RetrievedAt.IsZero() {
		return false
	}
	at := opt.RetrievedAt.In(newYork)
	return series.FromTime(at) == last && at.Hour() < 16
}

// symbolFromFile derives a symbol from a file name: the base name without extension,
// upper-cased, with Stooq's "_d" (daily) suffix removed.
func symbolFromFile(file string) string {
	b := path.Base(strings.ReplaceAll(file, `\`, "/"))
	b = strings.TrimSuffix(b, path.Ext(b))
	if strings.HasSuffix(strings.ToLower(b), "_d") {
		b = b[:len(b)-2]
	}
	if b == "." || b == "/" {
		return ""
	}
	return strings.ToUpper(b)
}

// SnapshotOptions returns what snapshot/data/MANIFEST.md records about when an
// embedded price file was retrieved; path is relative to the snapshot's data
// directory ("yahoo-dsturdy/IWM.csv").
//
//   - yahoo-dsturdy/*: committed 2026-07-14 10:09 EDT, so the last row (2026-07-14) is
//     intraday and is flagged through RetrievedAt.
//   - stooq-andyranitzsch/^spx_d.csv: the last row (2025-10-07) was fetched intraday;
//     the MANIFEST gives no time, so LastRowIntraday is set instead.
//   - yahoo-alitalbi/* (to 2026-02-23) and stooq-jiaqisun/^ndx_d.csv (to 2025-03-11):
//     the MANIFEST records no retrieval time and no partial row; zero Options.
func SnapshotOptions(path string) Options {
	p := filepath.ToSlash(path)
	switch {
	case strings.HasPrefix(p, "yahoo-dsturdy/"):
		return Options{RetrievedAt: time.Date(2026, 7, 14, 10, 9, 0, 0, newYork)}
	case p == "stooq-andyranitzsch/^spx_d.csv":
		return Options{LastRowIntraday: true}
	}
	return Options{}
}
