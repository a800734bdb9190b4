package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/hedge"
	"github.com/ratecycle/ratecycle/rebalance"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
	"github.com/ratecycle/ratecycle/source/holdings"
)

// Conventions of the hedge quotes, stated wherever their numbers are printed.
const (
	// DaysPerYear turns --expiry-days into years (Actual/365, as the QuantLib
	// reference values in hedge/testdata).
	DaysPerYear = 365
	// TradingDaysPerYear annualises daily volatility (sqrt(252)).
	TradingDaysPerYear = 252
	// RealizedVolDays is the window of realised volatility: about three months.
	RealizedVolDays = 63
	// VolRatioDays is the window of the realised-vol ratio that scales the VIX to an
	// underlying other than the S&P 500: about a year.
	VolRatioDays = 252
	// BetaMonths is the window of the daily-return betas and of the book's risk.
	BetaMonths = 24
	// MinBetaObs is the fewest common daily returns a symbol's beta is estimated from;
	// with fewer the symbol is treated as one without a price series.
	MinBetaObs = 60
	// AssumedYield is the default dividend yield of a strategy quote. The embedded
	// prices are dividend-adjusted and carry no yield, so this is an assumption
	// (roughly IWM's), printed as one.
	AssumedYield = 0.012
	// ProxySymbol stands in for a held symbol without a price series: its beta is
	// assumed to be 1 against the S&P 500 (SPY).
	ProxySymbol = "SPY"
	// RateID is the risk-free rate of `--rate auto`.
	RateID = "fred/DGS3MO"
	// VIXID is the implied volatility of `--vol vix`.
	VIXID = "price/^VIX"
)

// Volatility sources of a hedge quote.
const (
	VolVIX      = "vix"      // the VIX's last close, scaled to the underlying by realised vol
	VolRealized = "realized" // realised volatility of the last RealizedVolDays returns plus a premium
	VolGiven    = "given"    // HedgeMarket.VolValue
)

// Strategies a hedge quote can be.
var Strategies = []string{"protective-put", "put-spread", "collar", "zero-cost-collar"}

// LoadFunc loads a catalog series by id. The CLI passes CatalogLoad(cat); the report
// passes ReportContext.Load, which also records the series for the data appendix.
type LoadFunc func(ctx context.Context, id string) (*series.Series, error)

// memoLoad wraps load so that one request reads each id once: a rebalance asks for
// the underlying's prices in the beta, the volatility and the stress windows. The
// series are only read, never modified, so sharing them is safe.
func memoLoad(load LoadFunc) LoadFunc {
	seen := map[string]*series.Series{}
	return func(ctx context.Context, id string) (*series.Series, error) {
		if s, ok := seen[id]; ok {
			return s, nil
		}
		s, err := load(ctx, id)
		if err == nil {
			seen[id] = s
		}
		return s, err
	}
}

// CatalogLoad loads the current vintage of each id from cat.
func CatalogLoad(cat *catalog.Catalog) LoadFunc {
	return func(ctx context.Context, id string) (*series.Series, error) { return cat.Load(ctx, id, "") }
}

// InputError is bad input that the engine finds in a user's file beyond what its
// parser checks: a holdings row the policy cannot place, a symbol without a price. It
// names the file, line and field, and wraps source.ErrBadInput so the CLI exits 2.
type InputError struct {
	File  string
	Line  int    // 0 when the error is about the whole file
	Field string // column, key or symbol; "" when none
	Err   error
}

func (e *InputError) Error() string {
	msg := e.File
	if e.Line > 0 {
		msg += fmt.Sprintf(" line %d", e.Line)
	}
	if e.Field != "" {
		msg += fmt.Sprintf(" field %q", e.Field)
	}
	return msg + ": " + e.Err.Error()
}

func (e *InputError) Unwrap() []error { return []error{e.Err, source.ErrBadInput} }

// specError is a request that cannot be met as asked (a strike order, a hedge that
// rounds to no contracts): the user's to fix, so it wraps source.ErrBadInput too.
type specError struct{ err error }

func (e specError) Error() string   { return e.err.Error() }
func (e specError) Unwrap() []error { return []error{e.err, source.ErrBadInput} }

func badSpec(format string, args ...any) error { return specError{fmt.Errorf(format, args...)} }

// cents rounds a price to the cent: the catalog's adjusted closes carry float noise
// (218.64999389648438) that trades and quotes should not.
func toCents(p float64) float64 { return math.Round(p*100) / 100 }

// Book is a holdings file as the engine uses it: source/holdings' user format, whose
// CASH row (any case) is the book's cash rather than a position.
type Book struct {
	File      string              `json:"file"`
	Positions []holdings.Position `json:"positions"` // without the CASH row
	Cash      float64             `json:"cash"`
	CashLine  int                 `json:"cash_line,omitempty"` // line of the CASH row, 0 if none
}

// ParseBook reads a holdings CSV in the user format of source/holdings
// (symbol,quantity,price,market_value,sector,sleeve). The CASH row convention of the
// example files (quantity = market value, price 1) is applied here, because the user
// format's parser treats CASH as any other symbol: the row's market value becomes
// Book.Cash. Errors are *source.ParseError values naming file, line and column.
func ParseBook(file string, data []byte) (*Book, error) {
	ps, err := holdings.ParseUserHoldings(bytes.NewReader(data), file)
	if err != nil {
		return nil, err
	}
	b := &Book{File: file}
	for _, p := range ps {
		if strings.EqualFold(p.Symbol, rebalance.CashSymbol) {
			b.Cash, b.CashLine = p.MarketValue, p.Line
			continue
		}
		b.Positions = append(b.Positions, p)
	}
	return b, nil
}

// ExampleBook returns the shipped example book, examples/holdings.csv.
func ExampleBook() *Book {
	b, err := ParseBook(examples.HoldingsName, examples.HoldingsCSV)
	if err != nil {
		panic("engine: the embedded example holdings do not parse: " + err.Error())
	}
	return b
}

// Value returns the book's market value: positions plus cash.
func (b *Book) Value() float64 {
	v := b.Cash
	for _, p := range b.Positions {
		v += p.MarketValue
	}
	return v
}

// Observed is a market input with where it came from.
type Observed struct {
	Value  float64     `json:"value"`
	Date   series.Date `json:"date"`   // series.NoDate ("") for inputs that are not observed
	Source string      `json:"source"` // a catalog id, "given" or "assumed"
	Note   string      `json:"note,omitempty"`
}

func givenInput(v float64, note string) Observed {
	return Observed{Value: v, Date: series.NoDate, Source: "given", Note: note}
}

// PriceID returns the catalog id of a symbol's prices: "IWM" -> "price/IWM"; an id that
// already names a provider ("price/^RUT") is kept.
func PriceID(symbol string) string {
	if strings.Contains(symbol, "/") {
		return symbol
	}
	return "price/" + strings.ToUpper(strings.TrimSpace(symbol))
}

// SymbolOf returns the symbol of a price id: "price/IWM" -> "IWM".
func SymbolOf(id string) string { return strings.TrimPrefix(id, "price/") }

// LastClose returns the last non-missing close of the price series id.
func LastClose(ctx context.Context, load LoadFunc, id string) (Observed, error) {
	s, err := loadPriceSeries(ctx, load, id)
	if err != nil {
		return Observed{}, err
	}
	v, d, _ := s.AsOf(s.Last())
	return Observed{Value: v, Date: d, Source: id, Note: "last close"}, nil
}

// loadPrices loads id, refusing series that are not prices and empty ones.
func loadPriceSeries(ctx context.Context, load LoadFunc, id string) (*series.Series, error) {
	s, err := load(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.Kind != series.KindPrice {
		return nil, badSpec("%s is a %s series, not prices", id, s.Kind)
	}
	s = s.DropNaN()
	if s.Len() < 2 {
		return nil, fmt.Errorf("%s has %d prices", id, s.Len())
	}
	return s, nil
}

// dailyReturns loads the prices of id as simple daily returns.
func priceReturns(ctx context.Context, load LoadFunc, id string) (*series.Series, error) {
	s, err := loadPriceSeries(ctx, load, id)
	if err != nil {
		return nil, err
	}
	r := s.Returns()
	r.Kind = series.KindReturn
	return r, nil
}

// RiskFreeRate returns the last 3-month Treasury yield (fred/DGS3MO) as a decimal. The
// constant-maturity yield is a bond-equivalent yield; it is used as the continuously
// compounded rate the pricing formulas take (the difference is y²/2 a year, about 0.08
// points at 4%), and the note says so.
func RiskFreeRate(ctx context.Context, load LoadFunc) (Observed, error) {
	s, err := load(ctx, RateID)
	if err != nil {
		return Observed{}, err
	}
	s = s.DropNaN()
	if s.Len() == 0 {
		return Observed{}, fmt.Errorf("%s has no observations", RateID)
	}
	v, d, _ := s.AsOf(s.Last())
	return Observed{Value: v / 100, Date: d, Source: RateID,
		Note: fmt.Sprintf("3-month Treasury yield %.2f%% on %s, taken as the continuously compounded rate", v, d)}, nil
}

// realizedVol returns the annualised sample standard deviation (sqrt(252) convention,
// as PerformanceAnalytics' StdDev.annualized) of the last n returns of r, with the
// first and last dates of the window.
func realizedVol(r *series.Series, n int) (vol float64, from, to series.Date, used int) {
	r = r.DropNaN()
	if r.Len() < n {
		n = r.Len()
	}
	if n < 2 {
		return math.NaN(), series.NoDate, series.NoDate, n
	}
	k := r.Len() - n
	return risk.AnnualizedStdDev(r.Values[k:], TradingDaysPerYear), r.Dates[k], r.Dates[r.Len()-1], n
}

// sp500Trackers are the underlyings the VIX measures directly.
var sp500Trackers = map[string]bool{"price/SPY": true, "price/IVV": true, "price/^SPX": true}

// HedgeMarket says where a quote's volatility, rate and dividend yield come from.
type HedgeMarket struct {
	Vol        string  // VolVIX, VolRealized or VolGiven
	VolValue   float64 // the volatility with VolGiven, decimal
	VolPremium float64 // added to realised volatility with VolRealized, decimal
	RateAuto   bool    // true: RiskFreeRate; false: Rate
	Rate       float64 // continuously compounded, decimal
	Yield      float64 // continuous dividend yield, decimal
	YieldGiven bool    // false: Yield is the AssumedYield default (said so in the output)
}

// DefaultHedgeMarket is what the report and the rebalance command quote with: the VIX
// scaled to the underlying, the 3-month Treasury rate, the assumed dividend yield.
func DefaultHedgeMarket() HedgeMarket {
	return HedgeMarket{Vol: VolVIX, VolPremium: 0.02, RateAuto: true, Yield: AssumedYield}
}

// MarketInputs are the resolved inputs of a quote.
type MarketInputs struct {
	Spot  Observed `json:"spot"`
	Vol   Observed `json:"vol"`
	Rate  Observed `json:"rate"`
	Yield Observed `json:"dividend_yield"`
}

// ResolveMarket finds spot, volatility, rate and yield for options on the price series
// id, as m asks.
func ResolveMarket(ctx context.Context, load LoadFunc, id string, m HedgeMarket) (MarketInputs, error) {
	var in MarketInputs
	var err error
	if in.Spot, err = LastClose(ctx, load, id); err != nil {
		return in, err
	}
	in.Spot.Value = toCents(in.Spot.Value)
	in.Spot.Note = "last close, to the cent (the adjusted series equals the traded close on its last date)"
	if in.Vol, err = hedgeVol(ctx, load, id, m); err != nil {
		return in, err
	}
	if m.RateAuto {
		if in.Rate, err = RiskFreeRate(ctx, load); err != nil {
			return in, err
		}
	} else {
		in.Rate = givenInput(m.Rate, "continuously compounded")
	}
	for _, o := range []*Observed{&in.Vol, &in.Rate} {
		if o.Date != series.NoDate && in.Spot.Date-o.Date > 5 {
			o.Note += fmt.Sprintf(" (%d days before the spot's date %s: the embedded data end there)", in.Spot.Date-o.Date, in.Spot.Date)
		}
	}
	in.Yield = givenInput(m.Yield, "continuous")
	if !m.YieldGiven {
		in.Yield.Source = "assumed"
		in.Yield.Note = "assumed: the embedded prices are dividend-adjusted and carry no yield (set --dividend-yield)"
	}
	return in, nil
}

func hedgeVol(ctx context.Context, load LoadFunc, id string, m HedgeMarket) (Observed, error) {
	sym := SymbolOf(id)
	switch m.Vol {
	case VolGiven:
		return givenInput(m.VolValue, "annual volatility, every strike (no smile)"), nil
	case VolRealized:
		r, err := priceReturns(ctx, load, id)
		if err != nil {
			return Observed{}, err
		}
		v, from, to, n := realizedVol(r, RealizedVolDays)
		if n < RealizedVolDays {
			return Observed{}, fmt.Errorf("realised volatility of %s: %d daily returns, need %d", id, n, RealizedVolDays)
		}
		return Observed{Value: v + m.VolPremium, Date: to, Source: id,
			Note: fmt.Sprintf("realised volatility of %s over the %d daily returns %s..%s, %.2f%% (sample sd × √252), plus a %.2f-point premium",
				sym, n, from, to, 100*v, 100*m.VolPremium)}, nil
	case VolVIX:
		vix, err := LastClose(ctx, load, VIXID)
		if err != nil {
			return Observed{}, err
		}
		o := Observed{Value: vix.Value / 100, Date: vix.Date, Source: VIXID}
		if sp500Trackers[id] {
			o.Note = fmt.Sprintf("VIX %.2f on %s: the S&P 500's 30-day implied volatility, used for every strike and expiry", vix.Value, vix.Date)
			return o, nil
		}
		ratio, note, err := volRatio(ctx, load, id)
		if err != nil {
			return Observed{}, err
		}
		o.Value *= ratio
		o.Note = fmt.Sprintf("VIX %.2f on %s is the S&P 500's 30-day implied volatility; scaled to %s by %s: %.2f%%", vix.Value, vix.Date, sym, note, 100*o.Value)
		return o, nil
	}
	return Observed{}, badSpec("volatility source %q is not one of %s, %s, %s", m.Vol, VolVIX, VolRealized, VolGiven)
}

// volRatio is the realised volatility of id over that of SPY on their last
// VolRatioDays common daily returns.
func volRatio(ctx context.Context, load LoadFunc, id string) (float64, string, error) {
	ru, err := priceReturns(ctx, load, id)
	if err != nil {
		return 0, "", err
	}
	rs, err := priceReturns(ctx, load, PriceID(ProxySymbol))
	if err != nil {
		return 0, "", err
	}
	f := series.Align(series.Inner, ru, rs).DropNaN()
	n := len(f.Dates)
	if n < VolRatioDays {
		return 0, "", fmt.Errorf("scaling the VIX to %s: %d common daily returns with SPY, need %d", id, n, VolRatioDays)
	}
	k := n - VolRatioDays
	vu := risk.AnnualizedStdDev(f.Cols[0][k:], TradingDaysPerYear)
	vs := risk.AnnualizedStdDev(f.Cols[1][k:], TradingDaysPerYear)
	ratio := vu / vs
	return ratio, fmt.Sprintf("the ratio of its realised volatility to SPY's over the %d daily returns %s..%s (%.2f%% / %.2f%% = %.3f)",
		VolRatioDays, f.Dates[k], f.Dates[n-1], 100*vu, 100*vs, ratio), nil
}

// BookLine is a holding valued for a beta: a symbol and its market value.
type BookLine struct {
	Symbol string
	Value  float64
}

// BetaLine is one holding's part in a book's beta.
type BetaLine struct {
	Symbol string  `json:"symbol"`
	Value  float64 `json:"value"`
	Weight float64 `json:"weight"` // of the book, cash included
	Beta   float64 `json:"beta"`   // daily-return beta to the underlying
	N      int     `json:"n"`      // common daily returns
	Proxy  string  `json:"proxy,omitempty"`
}

// BookBeta is a book's value-weighted beta to an underlying.
type BookBeta struct {
	Of         string      `json:"of"` // what the book is: a file, a sleeve
	Underlying string      `json:"underlying"`
	Beta       float64     `json:"beta"`
	From       series.Date `json:"from"`
	To         series.Date `json:"to"`
	Lines      []BetaLine  `json:"lines"`
	Cash       float64     `json:"cash"`
	Notes      []string    `json:"notes"`
}

// PortfolioBeta returns the value-weighted beta of a book (lines plus cash) to the
// price series underlying: each symbol's beta is risk.Beta (PerformanceAnalytics'
// CAPM.beta, no risk-free rate) of its daily returns on the underlying's over the
// BetaMonths to the underlying's last price; cash has beta 0. A symbol without a price
// series, or with fewer than MinBetaObs common returns, is assumed to have beta 1 to
// the S&P 500 and gets SPY's beta to the underlying; the notes say which.
func PortfolioBeta(ctx context.Context, load LoadFunc, of, underlying string, lines []BookLine, cash float64) (*BookBeta, error) {
	ru, err := priceReturns(ctx, load, underlying)
	if err != nil {
		return nil, err
	}
	to := ru.Last()
	from := to.AddMonths(-BetaMonths)
	ru = ru.Slice(from.AddDays(1), to)
	total := cash
	for _, l := range lines {
		total += l.Value
	}
	if !(total > 0) {
		return nil, errors.New("beta of an empty book (no positions, no cash)")
	}
	out := &BookBeta{Of: of, Underlying: underlying, From: ru.First(), To: to, Cash: cash}
	betaOf := func(id string) (float64, int, error) {
		r, err := priceReturns(ctx, load, id)
		if err != nil {
			return 0, 0, err
		}
		f := series.Align(series.Inner, r.Slice(from.AddDays(1), to), ru).DropNaN()
		if len(f.Dates) < MinBetaObs {
			return math.NaN(), len(f.Dates), nil
		}
		return risk.Beta(f.Cols[0], f.Cols[1], nil), len(f.Dates), nil
	}
	proxyBeta, proxyN := math.NaN(), 0
	var proxied []string
	for _, l := range lines {
		bl := BetaLine{Symbol: l.Symbol, Value: l.Value, Weight: l.Value / total}
		b, n, err := betaOf(PriceID(l.Symbol))
		switch {
		case errors.Is(err, catalog.ErrNotFound), err == nil && math.IsNaN(b):
			if math.IsNaN(proxyBeta) {
				if proxyBeta, proxyN, err = betaOf(PriceID(ProxySymbol)); err != nil {
					return nil, err
				}
			}
			bl.Beta, bl.N, bl.Proxy = proxyBeta, proxyN, ProxySymbol
			why := "no price series"
			if n > 0 {
				why = fmt.Sprintf("%d daily returns", n)
			}
			proxied = append(proxied, fmt.Sprintf("%s (%s)", l.Symbol, why))
		case err != nil:
			return nil, fmt.Errorf("beta of %s: %w", l.Symbol, err)
		default:
			bl.Beta, bl.N = b, n
		}
		out.Beta += bl.Weight * bl.Beta
		out.Lines = append(out.Lines, bl)
	}
	note := fmt.Sprintf("Beta of %s: value-weighted daily-return betas (PerformanceAnalytics CAPM.beta, no risk-free rate) to %s over %s..%s",
		of, SymbolOf(underlying), out.From, out.To)
	if cash > 0 {
		note += fmt.Sprintf("; cash (%.2f%% of the book) has beta 0", 100*cash/total)
	}
	out.Notes = append(out.Notes, note+".")
	if len(proxied) > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("Assumed beta 1 to the S&P 500 (SPY's beta to %s, %.3f) for %s.", SymbolOf(underlying), proxyBeta, strings.Join(proxied, ", ")))
	}
	return out, nil
}

// HedgeRequest asks for a strategy quote.
type HedgeRequest struct {
	Underlying string  // a symbol (IWM) or a price id (price/IWM)
	Strategy   string  // one of Strategies
	PutStrike  float64 // moneyness of the long put, K/S (0.95)
	ShortPut   float64 // put-spread: moneyness of the short put
	CallStrike float64 // collar: moneyness of the short call
	ExpiryDays int     // calendar days
	Value      float64 // value hedged; 0 = the book's value
	Beta       float64 // the value's beta to the underlying; 0 = PortfolioBeta of the book
	Book       *Book   // for Value and Beta when 0; nil = the example book
	Market     HedgeMarket
	Windows    []risk.Window // nil = risk.BuiltinWindows()
	Load       LoadFunc      // nil = CatalogLoad(cat)
}

// HedgeStress is the hedged and unhedged value at the end of a stress window.
type HedgeStress struct {
	Window   risk.Window   `json:"window"`
	Coverage risk.Coverage `json:"-"`
	N        int           `json:"n"`    // daily returns of the underlying inside the window
	Days     int           `json:"days"` // calendar days From..To
	Move     float64       `json:"move"` // the underlying's return over the window
	Point    hedge.Point   `json:"point"`
}

// HedgeQuote is a priced, sized hedge on catalog data with the provenance of every
// input.
type HedgeQuote struct {
	ID         string       `json:"id"` // the underlying's price id
	Symbol     string       `json:"symbol"`
	Quote      *hedge.Quote `json:"-"`
	Market     MarketInputs `json:"market"`
	ExpiryDays int          `json:"expiry_days"`
	Value      float64      `json:"value"`
	ValueFrom  string       `json:"value_from"` // "given", or the book it is the value of
	Beta       float64      `json:"beta"`
	BetaDetail *BookBeta    `json:"beta_detail,omitempty"` // nil when the beta was given
	// CostOfValue is the net premium as a fraction of the value hedged (Quote.CostPct
	// is of the hedged notional instead); CostOfValueAnnual divides it by the expiry
	// in years (simple annualisation).
	CostOfValue       float64       `json:"cost_of_value"`
	CostOfValueAnnual float64       `json:"cost_of_value_per_year"`
	Stress            []HedgeStress `json:"stress"`
	// Notes state the model, sizing, payoff and stress conventions (the beta's are in
	// BetaDetail.Notes).
	Notes []string `json:"notes"`
}

// QuoteHedge prices and sizes a hedge on the catalog's data: spot is the underlying's
// last close, volatility, rate and yield come as req.Market says, and the beta is the
// book's unless given. The result carries the payoff table from -30% to +30% and the
// value at the end of each stress window.
func QuoteHedge(ctx context.Context, cat *catalog.Catalog, req HedgeRequest) (*HedgeQuote, error) {
	load := req.Load
	if load == nil {
		load = CatalogLoad(cat)
	}
	load = memoLoad(load)
	id := PriceID(req.Underlying)
	var bb *BookBeta
	valueFrom := "given"
	if req.Value <= 0 || req.Beta <= 0 {
		book := req.Book
		if book == nil {
			book = ExampleBook()
		}
		if req.Value <= 0 {
			req.Value = book.Value()
			valueFrom = "the value of " + book.File
		}
		if req.Beta <= 0 {
			lines := make([]BookLine, len(book.Positions))
			for i, p := range book.Positions {
				lines[i] = BookLine{p.Symbol, p.MarketValue}
			}
			var err error
			if bb, err = PortfolioBeta(ctx, load, book.File, id, lines, book.Cash); err != nil {
				return nil, err
			}
		}
	}
	return quoteHedge(ctx, load, id, req, valueFrom, bb)
}

func quoteHedge(ctx context.Context, load LoadFunc, id string, req HedgeRequest, valueFrom string, bb *BookBeta) (*HedgeQuote, error) {
	if req.ExpiryDays < 1 {
		return nil, badSpec("expiry %d days: must be at least 1", req.ExpiryDays)
	}
	mkt, err := ResolveMarket(ctx, load, id, req.Market)
	if err != nil {
		return nil, err
	}
	beta := req.Beta
	if bb != nil {
		beta = bb.Beta
	}
	T := float64(req.ExpiryDays) / DaysPerYear
	u := hedge.Underlying{Symbol: SymbolOf(id), Spot: mkt.Spot.Value, Rate: mkt.Rate.Value, Yield: mkt.Yield.Value, Vol: mkt.Vol.Value, Expiry: T}
	e := hedge.Exposure{Value: req.Value, Beta: beta}
	var q *hedge.Quote
	switch req.Strategy {
	case "protective-put":
		q, err = hedge.ProtectivePut(u, e, req.PutStrike)
	case "put-spread":
		q, err = hedge.PutSpread(u, e, req.PutStrike, req.ShortPut)
	case "collar":
		q, err = hedge.Collar(u, e, req.PutStrike, req.CallStrike)
	case "zero-cost-collar":
		q, err = hedge.ZeroCostCollar(u, e, req.PutStrike)
	default:
		return nil, badSpec("strategy %q is not one of %s", req.Strategy, strings.Join(Strategies, ", "))
	}
	if err != nil {
		return nil, specError{err}
	}
	hq := &HedgeQuote{ID: id, Symbol: u.Symbol, Quote: q, Market: mkt, ExpiryDays: req.ExpiryDays, Value: req.Value,
		ValueFrom: valueFrom, Beta: beta, BetaDetail: bb}
	hq.CostOfValue = q.PremiumTotal / req.Value
	hq.CostOfValueAnnual = hq.CostOfValue / T
	if hq.Stress, err = hedgeStress(ctx, load, id, q, req.Windows); err != nil {
		return nil, err
	}
	hq.Notes = []string{
		fmt.Sprintf("Black-Scholes-Merton with one volatility for every strike (no smile or skew: real puts below spot usually trade at a higher implied volatility, so the put legs are likely underpriced); expiry %d days = %.4f years (Actual/365).", req.ExpiryDays, T),
		fmt.Sprintf("Sizing: %s.", q.Sizing.Rule),
		fmt.Sprintf("Payoff table: value at expiry with the portfolio moving beta (%.3f) times %s (no idiosyncratic risk), the premium paid at inception without interest.", beta, u.Symbol),
		fmt.Sprintf("Stress windows: %s's return from the close of each window's start to the close of its end, applied as one move at the option's expiry. This is an approximation: the option's time value and the volatility during the window are ignored, and windows longer than %d days would outlive the option.", u.Symbol, req.ExpiryDays),
	}
	return hq, nil
}

func hedgeStress(ctx context.Context, load LoadFunc, id string, q *hedge.Quote, windows []risk.Window) ([]HedgeStress, error) {
	if windows == nil {
		windows = risk.BuiltinWindows()
	}
	r, err := priceReturns(ctx, load, id)
	if err != nil {
		return nil, err
	}
	rep, err := risk.Replay(r, windows)
	if err != nil {
		return nil, err
	}
	out := make([]HedgeStress, len(rep))
	for i, x := range rep {
		out[i] = HedgeStress{Window: x.Window, Coverage: x.Coverage, N: x.N, Days: int(x.Window.To - x.Window.From), Move: x.CumulativeReturn}
		if x.Coverage == risk.CoverNone {
			out[i].Move = math.NaN()
			continue
		}
		out[i].Point = q.At(x.CumulativeReturn)
	}
	return out, nil
}
