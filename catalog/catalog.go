// Package catalog maps dataset ids (fred/DFF, french/F-F_Research_Data_Factors_daily/SMB,
// price/IWM, shiller/PE10, holdings/IWM) to the embedded snapshot and to the local store,
// and loads them as series with full provenance.
//
// Resolution order: a dataset imported or downloaded into the store wins over the
// embedded snapshot (pin a vintage to choose); otherwise the embedded file is parsed.
// Parsed embedded files are cached in memory for the life of the process.
//
// catalog reads embedded bytes and the store; it never touches the network (updates are
// the fetch layer's job) and never computes analyses.
package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/snapshot"
	"github.com/ratecycle/ratecycle/source/fred"
	"github.com/ratecycle/ratecycle/source/french"
	"github.com/ratecycle/ratecycle/source/holdings"
	"github.com/ratecycle/ratecycle/source/price"
	"github.com/ratecycle/ratecycle/source/shiller"
	"github.com/ratecycle/ratecycle/store"
)

// ErrNotFound is returned for an unknown dataset id.
var ErrNotFound = errors.New("dataset not found")

// Dataset describes one dataset id.
type Dataset struct {
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Provider  string            `json:"provider"`
	Kind      series.Kind       `json:"kind"`
	Freq      string            `json:"frequency"`
	Unit      string            `json:"unit"`
	Files     []string          `json:"files"` // embedded files (a splice lists several)
	URL       string            `json:"url,omitempty"`
	Licence   string            `json:"licence"`
	Lag       series.Lag        `json:"publication_lag"`
	LagNote   string            `json:"publication_lag_note"`
	Note      string            `json:"note,omitempty"`
	Columns   []string          `json:"columns,omitempty"` // for files holding many series
	Source    string            `json:"source"`            // "embedded" or "store"
	Vintage   string            `json:"vintage,omitempty"`
	Extra     map[string]string `json:"extra,omitempty"`
	retrieved time.Time
}

// Store is what the catalog reads from the local store.
type Store = store.Reader

// has reports whether the store holds a series dataset id.
func (c *Catalog) has(ctx context.Context, id string) (bool, error) {
	if c.store == nil {
		return false, nil
	}
	v, err := c.store.Vintage(ctx, id, "")
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return v.Kind == store.KindSeries, nil
}

// Catalog resolves dataset ids.
type Catalog struct {
	fsys  fs.FS
	store Store
	fixed map[string]*Dataset // non-French ids

	mu     sync.Mutex
	french map[string]*french.File
	series map[string]*series.Series
	funds  map[string]*holdings.Fund
}

// New returns a catalog over the embedded snapshot and, when st is not nil, the store.
func New(st Store) *Catalog {
	if st == nil || (func() bool { s, ok := st.(*store.Store); return ok && s == nil })() {
		st = nil
	}
	c := &Catalog{fsys: snapshot.FS(), store: st, fixed: map[string]*Dataset{},
		french: map[string]*french.File{}, series: map[string]*series.Series{}, funds: map[string]*holdings.Fund{}}
	for _, d := range builtins() {
		d := d
		c.fixed[d.ID] = &d
	}
	return c
}

const (
	licFRED    = "FRED (Federal Reserve Bank of St. Louis): US public-domain data; cite FRED"
	licFrench  = "Kenneth R. French Data Library: free for research with attribution (Fama/French, CRSP)"
	licYahoo   = "Yahoo Finance via yfinance: Yahoo terms of use, no open licence"
	licStooq   = "Stooq: Stooq terms of use"
	licShiller = "Robert Shiller data via datahub.io: ODC-PDDL"
	licIShares = "iShares/BlackRock download: BlackRock terms, not open-licensed"
	licDatahub = "datahub.io S&P 500 constituents: ODC-PDDL (values from Yahoo Finance / Wikipedia)"
)

// retrieval times of embedded price files whose last row was fetched intraday
// (MANIFEST: file commit times), so the parser can flag the partial last row.
var (
	dsturdyRetrieved  = time.Date(2026, 7, 14, 14, 9, 0, 0, time.UTC) // 10:09 EDT
	stooqSPXRetrieved = time.Date(2025, 10, 7, 15, 0, 0, 0, time.UTC) // intraday per MANIFEST
)

func fredDS(id, title string, kind series.Kind, freq, unit string, lag series.Lag, lagNote string, files ...string) Dataset {
	return Dataset{ID: "fred/" + id, Title: title, Provider: "fred", Kind: kind, Freq: freq, Unit: unit,
		Files: files, URL: "https://fred.stlouisfed.org/series/" + id, Licence: licFRED, Lag: lag, LagNote: lagNote}
}

func builtins() []Dataset {
	day1 := series.Lag{Days: 1}
	monthly := func(days int) series.Lag { return series.Lag{Days: days, PeriodStart: true, Freq: series.Monthly} }
	ds := []Dataset{
		fredDS("DFEDTAR", "Federal funds target rate (single target), 1982-2008", series.KindRate, "daily", "percent",
			series.Lag{}, "known on the announcement day", "fred/DFEDTAR.csv"),
		fredDS("DFEDTARU", "Federal funds target range, upper limit", series.KindRate, "daily", "percent",
			series.Lag{}, "dated by effective day, which is on or after the announcement", "fred/DFEDTARU.csv"),
		fredDS("DFEDTARL", "Federal funds target range, lower limit (embedded copy ends 2024-01-31)", series.KindRate, "daily", "percent",
			series.Lag{}, "dated by effective day, which is on or after the announcement", "fred-hussam-2024/DFEDTARL.csv"),
		fredDS("DFF", "Effective federal funds rate, daily", series.KindRate, "daily", "percent",
			day1, "published the next business day", "fred/DFF.csv"),
		fredDS("FEDFUNDS", "Effective federal funds rate, monthly average", series.KindRate, "monthly", "percent",
			monthly(1), "published the day after the month ends", "fred/FEDFUNDS.csv", "carpet155-macro-regime/FEDFUNDS.csv"),
		fredDS("DGS10", "10-year Treasury constant-maturity yield", series.KindRate, "daily", "percent",
			day1, "published the next business day", "fred-bendsbeforethebreak/DGS10.csv", "carpet155-macro-regime/DGS10.csv"),
		fredDS("DGS2", "2-year Treasury constant-maturity yield", series.KindRate, "daily", "percent",
			day1, "published the next business day", "fred-bendsbeforethebreak/DGS2.csv", "carpet155-macro-regime/DGS2.csv"),
		fredDS("DGS3MO", "3-month Treasury constant-maturity yield", series.KindRate, "daily", "percent",
			day1, "published the next business day", "fred-bendsbeforethebreak/DGS3MO.csv"),
		fredDS("T10Y2Y", "10-year minus 2-year Treasury spread", series.KindRate, "daily", "percent points",
			day1, "published the next business day", "fred/T10Y2Y.csv"),
		fredDS("USREC", "NBER-based recession indicator (1 = recession month)", series.KindLevel, "monthly", "indicator",
			monthly(365), "NBER dates turning points 6-18 months late; a year after the month ends is assumed", "fred-bendsbeforethebreak/USREC.csv"),
		fredDS("CPIAUCSL", "CPI-U all items, seasonally adjusted", series.KindLevel, "monthly", "index 1982-84=100",
			monthly(14), "BLS publishes about two weeks after the month ends", "fred/CPIAUCSL.csv", "carpet155-macro-regime/CPIAUCSL.csv"),
	}
	// Prices: the close-only, split-consistent yfinance set is primary.
	for _, sym := range []string{"IJR", "ITB", "IVV", "IWM", "KRE", "MDY", "QQQ", "QUAL", "RSP", "RWM", "SH", "SPY", "TLT", "USMV",
		"XHB", "XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY"} {
		ds = append(ds, Dataset{ID: "price/" + sym, Title: sym + " daily adjusted close", Provider: "price", Kind: series.KindPrice,
			Freq: "daily", Unit: "USD, dividend and split adjusted", Files: []string{"yahoo-dsturdy/" + sym + ".csv"},
			URL: "https://finance.yahoo.com/quote/" + sym, Licence: licYahoo, LagNote: "known at the close", retrieved: dsturdyRetrieved})
	}
	for _, sym := range []string{"IWM", "QQQ", "SPY", "^RUT", "^VIX"} {
		id := "price/" + sym
		file := "yahoo-alitalbi/" + sym + ".csv"
		if !strings.HasPrefix(sym, "^") {
			id = "ohlc/" + sym
		}
		ds = append(ds, Dataset{ID: id, Title: sym + " daily OHLCV", Provider: "price", Kind: series.KindPrice, Freq: "daily",
			Unit: "USD (index points for ^ symbols)", Files: []string{file}, URL: "https://finance.yahoo.com/quote/" + sym,
			Licence: licYahoo, LagNote: "known at the close"})
	}
	ds = append(ds,
		Dataset{ID: "price/^SPX", Title: "S&P 500 index (Stooq), monthly before 1885 then daily", Provider: "price", Kind: series.KindPrice,
			Freq: "daily", Unit: "index points", Files: []string{"stooq-andyranitzsch/^spx_d.csv"}, URL: "https://stooq.com/q/d/?s=^spx",
			Licence: licStooq, LagNote: "known at the close", retrieved: stooqSPXRetrieved},
		Dataset{ID: "price/^NDX", Title: "Nasdaq-100 index (Stooq)", Provider: "price", Kind: series.KindPrice, Freq: "daily",
			Unit: "index points", Files: []string{"stooq-jiaqisun/^ndx_d.csv"}, URL: "https://stooq.com/q/d/?s=^ndx", Licence: licStooq,
			LagNote: "known at the close"},
	)
	for _, col := range []string{"SP500", "Dividend", "Earnings", "Consumer Price Index", "Long Interest Rate", "Real Price",
		"Real Dividend", "Real Earnings", "PE10"} {
		kind := series.KindLevel
		if col == "SP500" || col == "Real Price" {
			kind = series.KindPrice
		}
		ds = append(ds, Dataset{ID: "shiller/" + col, Title: "Shiller S&P 500 data: " + col, Provider: "shiller", Kind: kind,
			Freq: "monthly", Files: []string{"shiller-datahub/data.csv"}, URL: "http://www.econ.yale.edu/~shiller/data.htm",
			Licence: licShiller,
			LagNote: "per column (the parser's): prices and rates 0 days, CPI 30, dividends, earnings and CAPE 90 after the month; Shiller's own columns end 2023-09",
			Unit:    "as in Shiller's file (0.0 is missing)"})
	}
	ds = append(ds,
		Dataset{ID: "holdings/IWM", Title: "iShares Russell 2000 ETF holdings, 2026-05-05", Provider: "holdings", Freq: "snapshot",
			Files: []string{"ishares-holdings/IWM_holdings.csv"}, URL: "https://www.ishares.com/us/products/239710/", Licence: licIShares},
		Dataset{ID: "holdings/IVV", Title: "iShares Core S&P 500 ETF holdings, 2024-12-06", Provider: "holdings", Freq: "snapshot",
			Files: []string{"ishares-holdings/IVV_holdings.csv"}, URL: "https://www.ishares.com/us/products/239726/", Licence: licIShares},
		Dataset{ID: "constituents/sp500", Title: "S&P 500 constituents (Wikipedia via datahub)", Provider: "constituents", Freq: "snapshot",
			Files: []string{"sp500-datahub/constituents.csv"}, Licence: licDatahub},
		Dataset{ID: "constituents/sp500-financials", Title: "S&P 500 constituents with market caps (Yahoo via datahub; 34 caps blank)",
			Provider: "constituents", Freq: "snapshot", Files: []string{"sp500-datahub/constituents-financials.csv"}, Licence: licDatahub},
	)
	return ds
}

// frenchFiles lists the embedded Ken French files by base name.
var frenchFiles = []string{
	"F-F_Research_Data_Factors", "F-F_Research_Data_Factors_daily", "F-F_Research_Data_5_Factors_2x3",
	"F-F_Research_Data_5_Factors_2x3_daily", "F-F_Momentum_Factor", "Portfolios_Formed_on_ME",
	"6_Portfolios_2x3", "25_Portfolios_5x5", "12_Industry_Portfolios", "49_Industry_Portfolios",
}

func frenchPath(base string) string {
	if base == "F-F_Research_Data_5_Factors_2x3" {
		return "kenfrench/" + base + ".csv"
	}
	return "kenfrench/" + base + ".CSV"
}

// List returns every dataset, French files as one entry per section (with its columns).
func (c *Catalog) List(ctx context.Context) ([]Dataset, error) {
	var out []Dataset
	for _, d := range c.fixed {
		out = append(out, *d)
	}
	for _, base := range frenchFiles {
		f, err := c.frenchFile(base)
		if err != nil {
			return nil, err
		}
		for i, sec := range f.Sections {
			id := "french/" + base
			if i > 0 {
				id += "/" + sec.Key
			}
			out = append(out, c.frenchDataset(id, base, sec, ""))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (c *Catalog) frenchDataset(id, base string, sec *french.Section, column string) Dataset {
	kind := series.KindLevel
	unit := "as in the file"
	if sec.Percent {
		kind = series.KindReturn
		unit = "decimal return (file is percent, divided by 100)"
	}
	title := sec.Title
	if title == "" {
		title = "first section"
	}
	d := Dataset{ID: id, Title: base + ": " + title, Provider: "french", Kind: kind, Freq: sec.Freq.String(), Unit: unit,
		Files: []string{frenchPath(base)}, Licence: licFrench,
		URL:     "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/data_library.html",
		Lag:     series.Lag{Days: 30, Freq: sec.Freq},
		LagNote: "the library is updated monthly, about a month after the period ends",
		Columns: sec.Columns}
	if column != "" {
		d.Columns = nil
	}
	return d
}

// Info describes a dataset id, including a single French column or a store-only id.
func (c *Catalog) Info(ctx context.Context, id string) (Dataset, error) {
	if d, ok := c.fixed[id]; ok {
		return c.withStore(ctx, *d), nil
	}
	if strings.HasPrefix(id, "french/") {
		base, sec, col, err := c.resolveFrench(id)
		if err != nil {
			return Dataset{}, err
		}
		return c.withStore(ctx, c.frenchDataset(id, base, sec, col)), nil
	}
	if c.store != nil {
		if ok, err := c.has(ctx, id); err == nil && ok {
			s, err := c.store.Series(ctx, id, "")
			if err != nil {
				return Dataset{}, err
			}
			return Dataset{ID: id, Title: s.Name, Provider: s.Prov.Provider, Kind: s.Kind, Freq: s.Freq.String(),
				Unit: s.Prov.Unit, Files: []string{s.Prov.File}, URL: s.Prov.URL, Licence: s.Prov.Licence,
				Lag: s.Prov.Lag, Source: "store", Vintage: s.Prov.Vintage, Note: s.Prov.Note}, nil
		}
	}
	return Dataset{}, fmt.Errorf("%w: %q (see 'ratecycle data list')", ErrNotFound, id)
}

func (c *Catalog) withStore(ctx context.Context, d Dataset) Dataset {
	d.Source = "embedded"
	d.Vintage = snapshot.Label
	if ok, err := c.has(ctx, d.ID); err == nil && ok {
		d.Source = "store"
		d.Vintage = ""
		if v, err := c.store.Vintage(ctx, d.ID, ""); err == nil {
			d.Vintage = v.ID
		}
	}
	return d
}

// Load returns the series for id: from the store when present there (vintage "" means
// the current one), else from the embedded snapshot. The result is the caller's to modify.
func (c *Catalog) Load(ctx context.Context, id, vintage string) (*series.Series, error) {
	ok, err := c.has(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok || (vintage != "" && c.store != nil) {
		s, err := c.store.Series(ctx, id, vintage)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		return s, nil
	}
	if vintage != "" && vintage != snapshot.Label {
		return nil, fmt.Errorf("%w: %s has no stored vintage %q (the embedded snapshot is %q)", ErrNotFound, id, vintage, snapshot.Label)
	}
	c.mu.Lock()
	s, ok := c.series[id]
	c.mu.Unlock()
	if ok {
		return s.Clone(), nil
	}
	s, err = c.loadEmbedded(id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.series[id] = s
	c.mu.Unlock()
	return s.Clone(), nil
}

// LoadAll loads several ids, failing on the first error.
func (c *Catalog) LoadAll(ctx context.Context, ids ...string) ([]*series.Series, error) {
	out := make([]*series.Series, len(ids))
	for i, id := range ids {
		s, err := c.Load(ctx, id, "")
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func (c *Catalog) loadEmbedded(id string) (*series.Series, error) {
	if strings.HasPrefix(id, "french/") {
		base, sec, col, err := c.resolveFrench(id)
		if err != nil {
			return nil, err
		}
		s, err := sec.Series(col)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrNotFound, id, err)
		}
		d := c.frenchDataset(id, base, sec, col)
		c.stamp(s, d)
		return s, nil
	}
	d, ok := c.fixed[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q (see 'ratecycle data list')", ErrNotFound, id)
	}
	var s *series.Series
	var err error
	switch d.Provider {
	case "fred":
		s, err = c.loadFRED(d)
	case "price":
		s, err = c.loadPrice(d)
	case "shiller":
		s, err = c.loadShiller(d)
	default:
		return nil, fmt.Errorf("%s is a %s snapshot, not a series (use the command that reads it)", id, d.Provider)
	}
	if err != nil {
		return nil, err
	}
	c.stamp(s, *d)
	return s, nil
}

func (c *Catalog) stamp(s *series.Series, d Dataset) {
	s.Name = d.ID
	s.Kind = d.Kind
	if f, err := series.ParseFrequency(d.Freq); err == nil {
		s.Freq = f
	}
	s.Prov.Provider = d.Provider
	s.Prov.SourceID = strings.TrimPrefix(d.ID, d.Provider+"/")
	s.Prov.File = strings.Join(d.Files, " + ")
	s.Prov.URL = d.URL
	s.Prov.Licence = d.Licence
	s.Prov.Unit = d.Unit
	if d.Lag != (series.Lag{}) || d.Provider != "shiller" {
		s.Prov.Lag = d.Lag
	}
	s.Prov.Lag.Freq = s.Freq
	s.Prov.Vintage = snapshot.Label
	s.Prov.RetrievedAt = d.retrieved
	if d.Note != "" {
		s.Prov.Note = d.Note
	}
}

func (c *Catalog) read(p string) ([]byte, error) {
	b, err := fs.ReadFile(c.fsys, p)
	if err != nil {
		return nil, fmt.Errorf("embedded file %s: %w", p, err)
	}
	return b, nil
}

// loadFRED parses the primary file and splices later rows from extension files.
func (c *Catalog) loadFRED(d *Dataset) (*series.Series, error) {
	var out *series.Series
	var notes []string
	for _, p := range d.Files {
		b, err := c.read(p)
		if err != nil {
			return nil, err
		}
		s, err := fred.Parse(bytes.NewReader(b), p)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = s
			continue
		}
		last := out.Last()
		ext := s.Slice(last.AddDays(1), series.NoDate)
		if ext.Len() > 0 {
			out.Dates = append(out.Dates, ext.Dates...)
			out.Values = append(out.Values, ext.Values...)
			notes = append(notes, fmt.Sprintf("rows after %s from %s", last, p))
		}
	}
	if len(notes) > 0 {
		out.Prov.Note = "spliced: " + strings.Join(notes, "; ")
	}
	return out, nil
}

func (c *Catalog) loadPrice(d *Dataset) (*series.Series, error) {
	p := d.Files[0]
	b, err := c.read(p)
	if err != nil {
		return nil, err
	}
	opt := price.SnapshotOptions(p)
	opt.Symbol = strings.TrimPrefix(strings.TrimPrefix(d.ID, "price/"), "ohlc/")
	t, err := price.Parse(bytes.NewReader(b), p, opt)
	if err != nil {
		return nil, err
	}
	note := ""
	if t.PartialLast {
		note = fmt.Sprintf("last row %s was fetched intraday and is dropped as partial", t.Dates[len(t.Dates)-1])
		t.DropPartial()
	}
	s := t.CloseSeries()
	if note != "" {
		s.Prov.Note = note
	}
	return s, nil
}

func (c *Catalog) loadShiller(d *Dataset) (*series.Series, error) {
	p := d.Files[0]
	b, err := c.read(p)
	if err != nil {
		return nil, err
	}
	t, err := shiller.Parse(bytes.NewReader(b), p)
	if err != nil {
		return nil, err
	}
	return t.Series(strings.TrimPrefix(d.ID, "shiller/"))
}

func (c *Catalog) frenchFile(base string) (*french.File, error) {
	c.mu.Lock()
	f, ok := c.french[base]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	p := frenchPath(base)
	b, err := c.read(p)
	if err != nil {
		return nil, err
	}
	f, err = french.Parse(bytes.NewReader(b), p)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.french[base] = f
	c.mu.Unlock()
	return f, nil
}

// resolveFrench splits french/<file>[/<section-key>]/<column>. Column names may hold
// spaces and section keys never hold slashes, so the last element is the column.
func (c *Catalog) resolveFrench(id string) (string, *french.Section, string, error) {
	parts := strings.Split(strings.TrimPrefix(id, "french/"), "/")
	if len(parts) < 2 {
		return "", nil, "", fmt.Errorf("%w: %q: want french/<file>[/<section>]/<column>", ErrNotFound, id)
	}
	base := parts[0]
	known := false
	for _, b := range frenchFiles {
		if b == base {
			known = true
		}
	}
	if !known {
		return "", nil, "", fmt.Errorf("%w: %q: no embedded Ken French file %q (have %s)", ErrNotFound, id, base, strings.Join(frenchFiles, ", "))
	}
	f, err := c.frenchFile(base)
	if err != nil {
		return "", nil, "", err
	}
	key := ""
	col := parts[len(parts)-1]
	if len(parts) > 2 {
		key = strings.Join(parts[1:len(parts)-1], "/")
	}
	sec, err := f.Section(key)
	if err != nil {
		// A column name containing '/' (BE/ME-style) joins back.
		if len(parts) > 2 {
			if s0, err0 := f.Section(""); err0 == nil {
				if _, errc := s0.Series(strings.Join(parts[1:], "/")); errc == nil {
					return base, s0, strings.Join(parts[1:], "/"), nil
				}
			}
		}
		return "", nil, "", fmt.Errorf("%w: %q: %v", ErrNotFound, id, err)
	}
	return base, sec, col, nil
}

// Fund returns an embedded or stored iShares holdings snapshot.
func (c *Catalog) Fund(ctx context.Context, id string) (*holdings.Fund, error) {
	c.mu.Lock()
	f, ok := c.funds[id]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	d, ok := c.fixed[id]
	if !ok || d.Provider != "holdings" {
		return nil, fmt.Errorf("%w: %q is not a holdings dataset (have holdings/IWM, holdings/IVV)", ErrNotFound, id)
	}
	// A download by `data update` (stored as the raw iShares file) wins over the snapshot.
	name := d.Files[0]
	var b []byte
	var err error
	if c.store != nil {
		raw := id + "_holdings.csv"
		if data, v, serr := c.store.File(ctx, raw, ""); serr == nil {
			b, name = data, fmt.Sprintf("%s (stored vintage %s)", raw, v.ID)
		} else if !errors.Is(serr, store.ErrNotFound) {
			return nil, serr
		}
	}
	if b == nil {
		if b, err = c.read(d.Files[0]); err != nil {
			return nil, err
		}
	}
	f, err = holdings.ParseIShares(bytes.NewReader(b), name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.funds[id] = f
	c.mu.Unlock()
	return f, nil
}

// Constituents returns an embedded constituents snapshot.
func (c *Catalog) Constituents(ctx context.Context, id string) ([]holdings.Constituent, error) {
	d, ok := c.fixed[id]
	if !ok || d.Provider != "constituents" {
		return nil, fmt.Errorf("%w: %q is not a constituents dataset", ErrNotFound, id)
	}
	b, err := c.read(d.Files[0])
	if err != nil {
		return nil, err
	}
	return holdings.ParseConstituents(bytes.NewReader(b), d.Files[0])
}

// File returns the raw bytes of an embedded file (for commands that parse formats the
// catalog does not turn into series, such as SEC files).
func (c *Catalog) File(p string) ([]byte, error) { return c.read(path.Clean(p)) }
