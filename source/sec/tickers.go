package sec

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/ratecycle/ratecycle/source"
)

// TickerEntry is one row of an SEC ticker map. A CIK can have several tickers (share
// classes, preferreds, warrants).
type TickerEntry struct {
	CIK      int
	Ticker   string // upper case, as the SEC writes it: "BRK-B", "MOG-A"
	Title    string // company name
	Exchange string // company_tickers_exchange.json only: "Nasdaq", "NYSE", "OTC", "CBOE", ...; "" when null
}

// TickerMap maps tickers to CIKs.
type TickerMap struct {
	Entries  []TickerEntry // file order (the SEC sorts by market value)
	byTicker map[string]int
}

// Match says which rule matched a ticker in TickerMap.Lookup.
type Match int

const (
	NoMatch    Match = iota
	MatchExact       // the ticker as given (upper-cased)
	MatchDash        // "." (or "/", " ") changed to "-": BRK.B -> BRK-B
	MatchClass       // class share, "-" before the last letter: iShares MOGA -> SEC MOG-A
)

func (m Match) String() string {
	switch m {
	case MatchExact:
		return "exact"
	case MatchDash:
		return "dash"
	case MatchClass:
		return "class share"
	}
	return "none"
}

// ParseTickers parses either SEC ticker map:
//
//   - company_tickers.json: {"0":{"cik_str":1045810,"ticker":"NVDA","title":"NVIDIA
//     CORP"},...}, compact as the SEC serves it or re-serialised with spaces by Python;
//     cik_str may also be a (zero-padded) string.
//   - company_tickers_exchange.json: {"fields":["cik","name","ticker","exchange"],
//     "data":[[1045810,"NVIDIA CORP","NVDA","Nasdaq"],...]}; fields may come in any
//     order and exchange may be null.
//
// Errors name the JSON path (`"12".ticker`, `data[5][0]`) and line. When a ticker is
// listed twice, the first row wins in lookups; both stay in Entries.
func ParseTickers(r io.Reader, file string) (*TickerMap, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &source.ParseError{File: file, Err: err}
	}
	w := newWalker(data, file)
	m := &TickerMap{}
	var fields []string
	var rows [][]json.Token
	var rowsAt []int // line of each row, for errors found after all fields are known
	keyed := false
	err = w.object(func(key string) error {
		switch key {
		case "fields":
			if keyed {
				return w.fail("mixes the keyed and the fields/data layouts")
			}
			fields = []string{}
			return w.array(func(int) error {
				s, ok, err := w.str()
				if err == nil && !ok {
					err = w.fail("want a field name, got null")
				}
				fields = append(fields, s)
				return err
			})
		case "data":
			if keyed {
				return w.fail("mixes the keyed and the fields/data layouts")
			}
			if rows == nil {
				rows = [][]json.Token{} // present, even if empty
			}
			return w.array(func(int) error {
				var row []json.Token
				err := w.array(func(int) error {
					t, err := w.scalar()
					row = append(row, t)
					return err
				})
				rows = append(rows, row)
				rowsAt = append(rowsAt, w.lineAt(w.dec.InputOffset())) // where the row ends
				return err
			})
		}
		if fields != nil || rows != nil {
			return w.fail("mixes the keyed and the fields/data layouts")
		}
		keyed = true
		e, err := w.tickerEntry()
		m.Entries = append(m.Entries, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := w.end(); err != nil {
		return nil, err
	}
	if fields != nil || rows != nil {
		if err := m.fromRows(file, fields, rows, rowsAt); err != nil {
			return nil, err
		}
	}
	m.byTicker = make(map[string]int, len(m.Entries))
	for i, e := range m.Entries {
		if _, dup := m.byTicker[e.Ticker]; !dup {
			m.byTicker[e.Ticker] = i
		}
	}
	return m, nil
}

// tickerEntry reads {"cik_str":..., "ticker":..., "title":...}.
func (w *walker) tickerEntry() (TickerEntry, error) {
	var e TickerEntry
	var haveCIK bool
	err := w.object(func(key string) error {
		var err error
		switch key {
		case "cik_str", "cik":
			e.CIK, err = w.cik()
			haveCIK = true
		case "ticker":
			var s string
			s, _, err = w.str()
			if err == nil {
				e.Ticker, err = w.ticker(s)
			}
		case "title", "name":
			e.Title, _, err = w.str()
		case "exchange":
			e.Exchange, _, err = w.str()
		default:
			err = w.skip()
		}
		return err
	})
	if err != nil {
		return e, err
	}
	if !haveCIK {
		return e, w.missing("cik_str")
	}
	if e.Ticker == "" {
		return e, w.missing("ticker")
	}
	return e, nil
}

// missing reports a required key absent from the object just read.
func (w *walker) missing(key string) error {
	w.path = append(w.path, pathSeg{key: key})
	return w.fail("missing")
}

// ticker checks and normalises a ticker symbol.
func (w *walker) ticker(s string) (string, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if t == "" {
		return "", w.fail("empty ticker")
	}
	return t, nil
}

// fromRows maps the rows of company_tickers_exchange.json through its fields list.
func (m *TickerMap) fromRows(file string, fields []string, rows [][]json.Token, rowsAt []int) error {
	col := map[string]int{"cik": -1, "name": -1, "ticker": -1, "exchange": -1}
	for i, f := range fields {
		if _, known := col[f]; known && col[f] < 0 {
			col[f] = i
		}
	}
	for _, req := range []string{"cik", "ticker"} {
		if col[req] < 0 {
			return &source.ParseError{File: file, Path: "fields", Field: req, Err: errMissing}
		}
	}
	m.Entries = make([]TickerEntry, 0, len(rows))
	for i, row := range rows {
		fail := func(c int, format string, args ...any) error {
			e := &source.ParseError{File: file, Line: rowsAt[i], Path: fmt.Sprintf("data[%d]", i),
				Field: "data", Err: fmt.Errorf(format, args...)}
			if c >= 0 {
				e.Path += fmt.Sprintf("[%d]", c)
				e.Field = fields[c]
			}
			return e
		}
		if len(row) != len(fields) {
			return fail(-1, "row has %d values, fields has %d", len(row), len(fields))
		}
		var e TickerEntry
		if n, ok := row[col["cik"]].(json.Number); ok {
			e.CIK, ok = parseCIK(string(n))
			if !ok {
				return fail(col["cik"], "%s is not a CIK", n)
			}
		} else if s, ok := row[col["cik"]].(string); ok {
			if e.CIK, ok = parseCIK(s); !ok {
				return fail(col["cik"], "%q is not a CIK", s)
			}
		} else {
			return fail(col["cik"], "want a CIK, got %s", describe(row[col["cik"]]))
		}
		s, ok := row[col["ticker"]].(string)
		e.Ticker = strings.ToUpper(strings.TrimSpace(s))
		if !ok || e.Ticker == "" {
			return fail(col["ticker"], "want a ticker, got %s", describe(row[col["ticker"]]))
		}
		for _, opt := range []struct {
			name string
			dst  *string
		}{{"name", &e.Title}, {"exchange", &e.Exchange}} {
			c := col[opt.name]
			if c < 0 {
				continue
			}
			switch v := row[c].(type) {
			case string:
				*opt.dst = v
			case nil:
			default:
				return fail(c, "want a string or null, got %s", describe(v))
			}
		}
		m.Entries = append(m.Entries, e)
	}
	return nil
}

// Len returns the number of rows.
func (m *TickerMap) Len() int { return len(m.Entries) }

// CIK returns the CIK of a ticker by the rules of Lookup.
func (m *TickerMap) CIK(ticker string) (int, bool) {
	e, match := m.Lookup(ticker)
	return e.CIK, match != NoMatch
}

// Lookup finds a ticker as written by a fund or a user, trying in turn:
//
//  1. the ticker itself, upper-cased;
//  2. with ".", "/" and " " changed to "-" (BRK.B, BRK/B -> BRK-B);
//  3. as a class share, "-" before the last letter (iShares MOGA -> SEC MOG-A), for
//     tickers of at least three characters without a separator.
//
// Rule 3 is needed because iShares drops the class separator (CRDA, GEFB, MOGA in IWM,
// May 2026); it could in principle map to another company's class share, so callers
// that care should report which rule matched. The match is NoMatch when none does.
func (m *TickerMap) Lookup(ticker string) (TickerEntry, Match) {
	t := strings.ToUpper(strings.TrimSpace(ticker))
	if t == "" {
		return TickerEntry{}, NoMatch
	}
	if i, ok := m.byTicker[t]; ok {
		return m.Entries[i], MatchExact
	}
	if strings.ContainsAny(t, "./ ") {
		d := strings.Map(func(r rune) rune {
			if r == '.' || r == '/' || r == ' ' {
				return '-'
			}
			return r
		}, t)
		if i, ok := m.byTicker[d]; ok {
			return m.Entries[i], MatchDash
		}
		return TickerEntry{}, NoMatch
	}
	if n := len(t); n >= 3 && !strings.Contains(t, "-") && t[n-1] >= 'A' && t[n-1] <= 'Z' {
		if i, ok := m.byTicker[t[:n-1]+"-"+t[n-1:]]; ok {
			return m.Entries[i], MatchClass
		}
	}
	return TickerEntry{}, NoMatch
}
