package engine

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/screen"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/holdings"
	"github.com/ratecycle/ratecycle/source/sec"
	"github.com/ratecycle/ratecycle/store"
)

// Where the screen finds SEC data. Stored datasets (written by `ratecycle data update
// --source sec` or `data import`) win over the embedded snapshot:
//
//	sec/company_tickers             the SEC's company_tickers.json (raw file)
//	sec/companyfacts/CIK0001640147  one company's companyfacts JSON, CIK zero-padded to
//	                                10 digits as in the SEC's URL (sec/companyfacts/SNOW,
//	                                by ticker, is read too)
//	sec/fsds/2010q2                 one Financial Statement Data Sets quarter zip
const (
	StoreTickersID      = "sec/company_tickers"
	StoreFactsPrefix    = "sec/companyfacts/"
	StoreFSDSPrefix     = "sec/fsds/"
	embeddedTickersFile = "sec/tickers-smid-sec-data-engine/sec_tickers.json"
)

// embeddedFacts are the companyfacts documents in the snapshot, by CIK.
var embeddedFacts = map[int]string{
	1640147: "sec-edgartools/snow_facts.json", // Snowflake, us-gaap
	1997711: "sec-edgartools/lpa_facts.json",  // Logistic Properties of the Americas, ifrs-full
}

// EmbeddedFactsFiles lists the embedded companyfacts files, sorted.
func EmbeddedFactsFiles() []string {
	var out []string
	for _, f := range embeddedFacts {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

var embeddedFSDS = map[string]string{"2010q2": "sec/fsds-2010q2-secfsdstools/2010q2.zip"}

// ScreenOptions are the inputs of a quality screen.
type ScreenOptions struct {
	Rules screen.Rules
	// FSDS names a Financial Statement Data Sets quarter ("2010q2") to screen point in
	// time; "" screens companyfacts documents.
	FSDS string
	// AsOf is the screen date: only filings public by then are read. NoDate means the
	// quarter's last day for FSDS, and the latest filings for companyfacts.
	AsOf series.Date
	// Universe: "holdings/IWM" (the default of a companyfacts screen) or "filers" (the
	// default of an FSDS screen: every filer of the quarter). Ignored with Facts.
	Universe string
	// Facts are companyfacts documents given directly (--facts); they are the universe.
	Facts []*sec.CompanyFacts
	// Prices are prices per share by ticker (or "CIK<n>") for the market value, dated AsOf.
	Prices map[string]float64
	// Store is the local store, nil when there is none.
	Store store.Reader
	// Fallback names an FSDS quarter ("2010q2") to screen point in time instead of a
	// holdings universe none of whose members has companyfacts offline (the CLI's
	// default screen, which would otherwise screen nothing). "" never falls back.
	// Used only by a holdings screen (no FSDS, no Facts).
	Fallback string
}

// ScreenResult is a finished screen with what a reader needs to judge it.
type ScreenResult struct {
	*screen.Result
	Universe string      // what was screened, in words
	Source   string      // where the fundamentals came from
	AsOf     series.Date // NoDate for "latest filings"
	Notes    []string    // coverage and caveats, in plain words
	// Coverage of a holdings universe: unique tickers, those the SEC ticker map knows,
	// those with fundamentals (companyfacts offline, or filings in the FSDS quarter).
	Tickers, Mapped, WithData int
	// FellBack is set when the requested holdings universe had no companyfacts offline
	// and the Fallback quarter was screened instead; Notes[0] then says so.
	FellBack bool
}

var quarterRE = regexp.MustCompile(`^(19|20)\d\dq[1-4]$`)

// QuarterEnd returns the last day of an FSDS quarter such as "2010q2".
func QuarterEnd(q string) (series.Date, error) {
	if !quarterRE.MatchString(q) {
		return series.NoDate, fmt.Errorf("quarter %q: want YYYYqN, e.g. 2010q2", q)
	}
	var y, n int
	fmt.Sscanf(q, "%dq%d", &y, &n)
	return series.NewDate(y, time.Month(3*n), 1).MonthEnd(), nil
}

// Screen runs the quality screen.
func Screen(ctx context.Context, cat *catalog.Catalog, opt ScreenOptions) (*ScreenResult, error) {
	d, err := openSEC(ctx, cat, opt.Store)
	if err != nil {
		return nil, err
	}
	return d.screen(ctx, opt)
}

// secData is what the screens read, loaded once: the store's SEC ids, the ticker map
// and the FSDS quarters parsed so far. One value serves several screens (the report
// runs four).
type secData struct {
	cat      *catalog.Catalog
	st       store.Reader
	stored   map[string]bool
	tm       *sec.TickerMap
	tmSource string
	quarters map[string]*sec.FSDS
	qSource  map[string]string
}

func openSEC(ctx context.Context, cat *catalog.Catalog, st store.Reader) (*secData, error) {
	d := &secData{cat: cat, st: st, quarters: map[string]*sec.FSDS{}, qSource: map[string]string{}}
	var err error
	if d.stored, err = storedIDs(ctx, st); err != nil {
		return nil, err
	}
	if d.tm, d.tmSource, err = tickerMap(ctx, cat, st, d.stored); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *secData) screen(ctx context.Context, opt ScreenOptions) (*ScreenResult, error) {
	if len(opt.Rules.Rules) == 0 {
		opt.Rules = screen.DefaultRules()
	}
	switch {
	case len(opt.Facts) > 0:
		return d.screenFacts(ctx, opt)
	case opt.FSDS != "":
		return d.screenFSDS(ctx, opt)
	}
	res, err := d.screenHoldings(ctx, opt)
	if err != nil || opt.Fallback == "" || res.WithData > 0 {
		return res, err
	}
	id := opt.Universe
	if id == "" {
		id = "holdings/IWM"
	}
	fo := opt
	fo.FSDS, fo.Universe = opt.Fallback, ""
	if fo.AsOf, err = QuarterEnd(opt.Fallback); err != nil {
		return nil, err
	}
	fres, err := d.screenFSDS(ctx, fo)
	if err != nil {
		return nil, err
	}
	fres.FellBack = true
	fres.Notes = append([]string{fmt.Sprintf("No current fundamentals offline for the %s universe (%d of its %d tickers have companyfacts): showing the %s Q%s point-in-time screen of every filer of that quarter; run `ratecycle data update --source sec` for current ones.",
		id, res.WithData, res.Tickers, opt.Fallback[:4], opt.Fallback[5:])}, fres.Notes...)
	return fres, nil
}

func storedIDs(ctx context.Context, st store.Reader) (map[string]bool, error) {
	ids := map[string]bool{}
	if st == nil {
		return ids, nil
	}
	ds, err := st.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if strings.HasPrefix(d.ID, "sec/") {
			ids[d.ID] = true
		}
	}
	return ids, nil
}

func tickerMap(ctx context.Context, cat *catalog.Catalog, st store.Reader, stored map[string]bool) (*sec.TickerMap, string, error) {
	if stored[StoreTickersID] {
		b, v, err := st.File(ctx, StoreTickersID, "")
		if err != nil {
			return nil, "", err
		}
		tm, err := sec.ParseTickers(bytes.NewReader(b), StoreTickersID)
		return tm, fmt.Sprintf("%s (stored vintage %s)", StoreTickersID, v.ID), err
	}
	b, err := cat.File(embeddedTickersFile)
	if err != nil {
		return nil, "", err
	}
	tm, err := sec.ParseTickers(bytes.NewReader(b), embeddedTickersFile)
	return tm, embeddedTickersFile + " (embedded, Mar 2026)", err
}

// reverse maps CIKs to the first ticker the map lists for them.
func reverse(tm *sec.TickerMap) map[int]string {
	out := map[int]string{}
	for _, e := range tm.Entries {
		if _, ok := out[e.CIK]; !ok {
			out[e.CIK] = e.Ticker
		}
	}
	return out
}

// loadFacts returns the companyfacts of cik (or ticker) from the store or the snapshot,
// with where it came from; nil when there is none offline.
func loadFacts(ctx context.Context, cat *catalog.Catalog, st store.Reader, stored map[string]bool, cik int, ticker string) (*sec.CompanyFacts, string, error) {
	for _, id := range []string{fmt.Sprintf("%sCIK%010d", StoreFactsPrefix, cik), StoreFactsPrefix + ticker} {
		if ticker == "" && id == StoreFactsPrefix {
			continue
		}
		if !stored[id] {
			continue
		}
		b, v, err := st.File(ctx, id, "")
		if err != nil {
			return nil, "", err
		}
		cf, err := sec.ParseCompanyFacts(bytes.NewReader(b), id)
		if err != nil {
			return nil, "", err
		}
		return cf, fmt.Sprintf("%s (stored vintage %s)", id, v.ID), nil
	}
	if p, ok := embeddedFacts[cik]; ok {
		b, err := cat.File(p)
		if err != nil {
			return nil, "", err
		}
		cf, err := sec.ParseCompanyFacts(bytes.NewReader(b), p)
		if err != nil {
			return nil, "", err
		}
		return cf, p + " (embedded)", nil
	}
	return nil, "", nil
}

func asOfOrLatest(d series.Date) series.Date {
	if d == series.NoDate {
		return sec.NoCutoff
	}
	return d
}

// holdingsPrice attaches a holdings file's price when the screen is not dated before the
// file: a 2026 price next to 2010 fundamentals would be anachronistic.
func holdingsPrice(in *screen.Inputs, h holdings.Holding, fund *holdings.Fund, fundID string, asOf series.Date) {
	if math.IsNaN(h.Price) || h.Price <= 0 {
		return
	}
	if asOf != sec.NoCutoff && asOf < fund.AsOf {
		return
	}
	in.Price, in.PriceDate, in.PriceSource = h.Price, fund.AsOf, fundID+" price "+fund.AsOf.String()
}

func (sd *secData) screenHoldings(ctx context.Context, opt ScreenOptions) (*ScreenResult, error) {
	cat, tm, tmSource := sd.cat, sd.tm, sd.tmSource
	id := opt.Universe
	if id == "" {
		id = "holdings/IWM"
	}
	if !strings.HasPrefix(id, "holdings/") {
		return nil, fmt.Errorf("universe %q: a companyfacts screen reads a holdings dataset (holdings/IWM, holdings/IVV); use --fsds for a quarter's filers", id)
	}
	fund, err := cat.Fund(ctx, id)
	if err != nil {
		return nil, err
	}
	asOf := asOfOrLatest(opt.AsOf)
	members, ex, u := holdingsUniverse(fund, id, tm, tmSource)
	var ins []screen.Inputs
	withFacts := 0
	for _, mb := range members {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h, e, match := mb.h, mb.e, mb.match
		cf, src, err := loadFacts(ctx, cat, sd.st, sd.stored, e.CIK, h.Ticker)
		if err != nil {
			return nil, err
		}
		if cf == nil {
			ex = append(ex, screen.Exclusion{Ticker: h.Ticker, Name: h.Name, CIK: e.CIK,
				Reason: "no fundamentals offline: run `ratecycle data update --source sec`"})
			continue
		}
		withFacts++
		in, err := screen.FromCompanyFacts(cf, asOf)
		if err != nil {
			ex = append(ex, screen.Exclusion{Ticker: h.Ticker, Name: h.Name, CIK: e.CIK, Reason: err.Error()})
			continue
		}
		in.Ticker, in.Source = h.Ticker, "companyfacts "+src
		if match != sec.MatchExact {
			in.Notes = append(in.Notes, fmt.Sprintf("ticker %s matched SEC %s by the %s rule", h.Ticker, e.Ticker, match))
		}
		holdingsPrice(&in, h, fund, id, asOf)
		applyPrice(&in, opt.Prices)
		ins = append(ins, in)
	}
	res := &ScreenResult{Result: screen.Run(ins, ex, opt.Rules), AsOf: opt.AsOf, Tickers: u.tickers, Mapped: u.mapped, WithData: withFacts,
		Universe: fmt.Sprintf("%s equities (%s, holdings as of %s)", id, fund.Name, fund.AsOf),
		Source:   "SEC companyfacts JSON: stored datasets " + StoreFactsPrefix + "CIK########## when present, else the embedded " + strings.Join(EmbeddedFactsFiles(), ", ")}
	res.Notes = append(res.Notes,
		fmt.Sprintf("Coverage: %d unique tickers in %s; %d map to an SEC CIK through %s (%d by the class-share rule); %d have companyfacts offline; %d were screened.",
			u.tickers, id, u.mapped, tmSource, u.class, withFacts, len(ins)))
	if withFacts == 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("No fundamentals offline for any %s name: run `ratecycle data update --source sec` to download companyfacts (stored as %sCIK##########), or screen files with --facts FILE.json. The embedded companyfacts (SNOW, LPA) are not %s members.", id, StoreFactsPrefix, id))
	}
	res.Notes = append(res.Notes, fmt.Sprintf("Market value = shares outstanding (dei:EntityCommonStockSharesOutstanding) x the %s price of %s; the fund's quantity is its own holding, not shares outstanding.", id, fund.AsOf))
	return res, nil
}

type member struct {
	h     holdings.Holding
	e     sec.TickerEntry
	match sec.Match
}

type universeCounts struct{ tickers, mapped, class int }

// holdingsUniverse maps a fund's equities to SEC CIKs, one member per CIK, and explains
// every holding it drops: no ticker, a ticker listed twice, a ticker the SEC map does not
// know, a second share class of a CIK already in.
func holdingsUniverse(fund *holdings.Fund, id string, tm *sec.TickerMap, tmSource string) ([]member, []screen.Exclusion, universeCounts) {
	var out []member
	var ex []screen.Exclusion
	var u universeCounts
	seen := map[string]int{}
	byCIK := map[int]string{}
	for _, h := range fund.Equities() {
		if h.Ticker == "" {
			ex = append(ex, screen.Exclusion{Name: h.Name, Reason: fmt.Sprintf("no ticker in %s (line %d)", id, h.Line)})
			continue
		}
		if l, ok := seen[h.Ticker]; ok {
			ex = append(ex, screen.Exclusion{Ticker: h.Ticker, Name: h.Name, Reason: fmt.Sprintf("listed again on line %d of %s (first on line %d): screened once", h.Line, id, l)})
			continue
		}
		seen[h.Ticker] = h.Line
		u.tickers++
		e, match := tm.Lookup(h.Ticker)
		if match == sec.NoMatch {
			ex = append(ex, screen.Exclusion{Ticker: h.Ticker, Name: h.Name, Reason: "ticker not in the SEC ticker map (" + tmSource + ")"})
			continue
		}
		u.mapped++
		if match == sec.MatchClass {
			u.class++
		}
		if t, ok := byCIK[e.CIK]; ok {
			ex = append(ex, screen.Exclusion{Ticker: h.Ticker, Name: h.Name, CIK: e.CIK, Reason: fmt.Sprintf("same SEC filer (CIK %d) as %s: screened once", e.CIK, t)})
			continue
		}
		byCIK[e.CIK] = h.Ticker
		out = append(out, member{h, e, match})
	}
	return out, ex, u
}

// applyPrice sets a price the user gave for the company's ticker or CIK.
func applyPrice(in *screen.Inputs, prices map[string]float64) {
	p, ok := prices[strings.ToUpper(in.Ticker)]
	if !ok || in.Ticker == "" {
		p, ok = prices[fmt.Sprintf("CIK%d", in.CIK)]
	}
	if !ok {
		return
	}
	in.Price, in.PriceDate, in.PriceSource = p, in.AsOf, "given with --price"
	if in.AsOf == sec.NoCutoff {
		in.PriceDate = series.NoDate
	}
}

func (sd *secData) screenFacts(ctx context.Context, opt ScreenOptions) (*ScreenResult, error) {
	cat, tm := sd.cat, sd.tm
	asOf := asOfOrLatest(opt.AsOf)
	rev := reverse(tm)
	fund, _ := cat.Fund(ctx, "holdings/IWM")
	iwm := map[string]holdings.Holding{}
	if fund != nil {
		for _, h := range fund.Equities() {
			if _, ok := iwm[h.Ticker]; !ok {
				iwm[h.Ticker] = h
			}
		}
	}
	var ins []screen.Inputs
	var ex []screen.Exclusion
	for _, cf := range opt.Facts {
		ticker := rev[cf.CIK]
		in, err := screen.FromCompanyFacts(cf, asOf)
		if err != nil {
			ex = append(ex, screen.Exclusion{Ticker: ticker, Name: cf.EntityName, CIK: cf.CIK, Reason: err.Error()})
			continue
		}
		in.Ticker = ticker
		if h, ok := iwm[ticker]; ok && ticker != "" {
			holdingsPrice(&in, h, fund, "holdings/IWM", asOf)
		}
		applyPrice(&in, opt.Prices)
		ins = append(ins, in)
	}
	res := &ScreenResult{Result: screen.Run(ins, ex, opt.Rules), AsOf: opt.AsOf,
		Universe: fmt.Sprintf("%d companyfacts file(s) given with --facts", len(opt.Facts)),
		Source:   "SEC companyfacts JSON given on the command line"}
	res.Notes = append(res.Notes, "Prices: from holdings/IWM when the company is a member, or --price TICKER=VALUE; without one, the market value and the Altman Z are unknown.")
	return res, nil
}

// quarter returns a parsed FSDS quarter: a stored file dataset sec/fsds/<q> when
// present, else the embedded one.
func (d *secData) quarter(ctx context.Context, q string) (*sec.FSDS, string, error) {
	if f, ok := d.quarters[q]; ok {
		return f, d.qSource[q], nil
	}
	id := StoreFSDSPrefix + q
	var b []byte
	var src string
	if d.stored[id] {
		data, v, err := d.st.File(ctx, id, "")
		if err != nil {
			return nil, "", err
		}
		b, src = data, fmt.Sprintf("%s (stored vintage %s)", id, v.ID)
	} else {
		p, ok := embeddedFSDS[q]
		if !ok {
			return nil, "", fmt.Errorf("%w: FSDS quarter %s is not available offline (embedded: 2010q2; a stored file dataset %s%s is read when present)", catalog.ErrNotFound, q, StoreFSDSPrefix, q)
		}
		data, err := d.cat.File(p)
		if err != nil {
			return nil, "", err
		}
		b, src, id = data, p+" (embedded)", p
	}
	f, err := sec.ReadFSDSTags(bytes.NewReader(b), int64(len(b)), id, screen.Tags())
	if err != nil {
		return nil, "", err
	}
	d.quarters[q], d.qSource[q] = f, src
	return f, src, nil
}

func (sd *secData) screenFSDS(ctx context.Context, opt ScreenOptions) (*ScreenResult, error) {
	cat, tm, tmSource := sd.cat, sd.tm, sd.tmSource
	end, err := QuarterEnd(opt.FSDS)
	if err != nil {
		return nil, err
	}
	d, src, err := sd.quarter(ctx, opt.FSDS)
	if err != nil {
		return nil, err
	}
	asOf := opt.AsOf
	if asOf == series.NoDate {
		asOf = end
	}
	rev := reverse(tm)
	var ciks []int
	var ex []screen.Exclusion
	universe := opt.Universe
	if universe == "" {
		universe = "filers"
	}
	var desc string
	var counts universeCounts
	switch {
	case universe == "filers":
		ciks = d.CIKs()
		desc = fmt.Sprintf("every filer of FSDS %s (%d filers, %d submissions)", opt.FSDS, len(ciks), len(d.Submissions))
	case strings.HasPrefix(universe, "holdings/"):
		fund, err := cat.Fund(ctx, universe)
		if err != nil {
			return nil, err
		}
		filed := map[int]bool{}
		for _, c := range d.CIKs() {
			filed[c] = true
		}
		members, hex, u := holdingsUniverse(fund, universe, tm, tmSource)
		counts = u
		ex = append(ex, hex...)
		for _, mb := range members {
			if !filed[mb.e.CIK] {
				ex = append(ex, screen.Exclusion{Ticker: mb.h.Ticker, Name: mb.h.Name, CIK: mb.e.CIK, Reason: "did not file in FSDS " + opt.FSDS})
				continue
			}
			ciks = append(ciks, mb.e.CIK)
		}
		sort.Ints(ciks)
		desc = fmt.Sprintf("%s members (holdings of %s) that filed in FSDS %s: %d. Anachronistic: today's members, screened on %s filings", universe, fund.AsOf, opt.FSDS, len(ciks), opt.FSDS)
	default:
		return nil, fmt.Errorf("universe %q: want filers or holdings/IWM", universe)
	}
	var ins []screen.Inputs
	for _, cik := range ciks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		in, err := screen.FromFSDS(d, cik, asOf, opt.FSDS)
		if err != nil {
			ex = append(ex, screen.Exclusion{Ticker: rev[cik], Name: in.Name, CIK: cik, Reason: err.Error()})
			continue
		}
		in.Ticker = rev[cik]
		applyPrice(&in, opt.Prices)
		ins = append(ins, in)
	}
	res := &ScreenResult{Result: screen.Run(ins, ex, opt.Rules), AsOf: asOf, Universe: desc,
		Source: "SEC Financial Statement Data Sets " + src, Tickers: counts.tickers, Mapped: counts.mapped, WithData: len(ciks)}
	res.Notes = append(res.Notes,
		fmt.Sprintf("Point in time: only submissions filed by %s are read; a 10-Q's flows are its year to date (annualised where a ratio mixes them with balances) and its balance-sheet changes compare with its comparative balance sheet (the last fiscal year end).", asOf),
		fmt.Sprintf("Tickers are today's (%s) for the filer's CIK: in %s some names traded under other tickers or not at all.", tmSource, opt.FSDS[:4]),
		"No share prices for the quarter are offline, so the market value and the Altman Z are unknown (rule min_altman_z: unknown, never a pass) unless given with --price.")
	return res, nil
}
