package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/price"
	"github.com/ratecycle/ratecycle/source/yahoo"
)

const licPrice = "Stooq / Yahoo Finance: provider terms of use, no open licence"

// ErrNoData: the provider has no data for the symbol (Stooq's "No data" body,
// Yahoo's "Not Found" error object).
var ErrNoData = errors.New("no data for this symbol")

// StooqSymbol maps a ratecycle symbol to Stooq's: US listings take ".us"
// (IWM -> iwm.us), indices keep their caret (^SPX -> ^spx).
func StooqSymbol(sym string) string {
	s := strings.ToLower(sym)
	if strings.HasPrefix(s, "^") || strings.Contains(s, ".") {
		return s
	}
	return s + ".us"
}

// prices downloads a daily price history from Stooq, and from Yahoo when Stooq has
// no data for the symbol, answers with something that is not a price CSV, fails,
// or returns a history that does not pass validation (Stooq's ETF histories often
// start years after Yahoo's).
func (u *Updater) prices(ctx context.Context, t Target) (*prepared, error) {
	sym := strings.TrimPrefix(t.ID, "price/")
	p, stooqErr := u.stooq(ctx, t, sym)
	if stooqErr == nil || ctx.Err() != nil {
		return p, stooqErr
	}
	py, yerr := u.yahoo(ctx, t, sym)
	if yerr != nil {
		return py, fmt.Errorf("%w; Yahoo fallback: %w", stooqErr, yerr)
	}
	why := "Stooq failed: " + stooqErr.Error()
	if errors.Is(stooqErr, ErrNoData) {
		why = "Stooq has no data for " + sym
	}
	py.note = strings.TrimPrefix(py.note+"; "+why+"; Yahoo used", "; ")
	return py, nil
}

func (u *Updater) stooq(ctx context.Context, t Target, sym string) (*prepared, error) {
	q := "s=" + url.QueryEscape(StooqSymbol(sym)) + "&i=d"
	if u.Since != series.NoDate {
		q += "&d1=" + strings.ReplaceAll(u.Since.String(), "-", "") + "&d2=" + strings.ReplaceAll(series.FromTime(u.now()).String(), "-", "")
	}
	req := Request{Provider: "stooq", URL: join(u.Config.URLs.Stooq, "/q/d/l/?"+q), Want: CSV}
	rawID := "price/" + sym + ".stooq.csv"
	u.emit(Event{Target: t, Phase: PhaseStart, Detail: req.URL})
	resp, unchanged, err := u.download(ctx, req, rawID)
	if err != nil {
		return nil, err
	}
	p := &prepared{rawID: rawID, body: resp.Body, meta: u.meta(req, resp), via: "stooq", unchanged: unchanged}
	if unchanged {
		return p, nil
	}
	body := bytes.TrimSpace(bytes.TrimPrefix(resp.Body, bom))
	if len(body) < 200 && bytes.HasPrefix(bytes.ToLower(body), []byte("no data")) {
		return p, &Error{Provider: "stooq", URL: Redact(req.URL), Status: resp.Status, Body: Snippet(body), Err: ErrNoData}
	}
	if !bytes.HasPrefix(body, []byte("Date,")) {
		return p, &Error{Provider: "stooq", URL: Redact(req.URL), Status: resp.Status, Body: Snippet(body),
			Err: fmt.Errorf("%w: not a Stooq price CSV", ErrContent)}
	}
	tb, err := price.Parse(bytes.NewReader(resp.Body), rawID, price.Options{Symbol: sym, RetrievedAt: resp.FetchedAt})
	if err != nil {
		return p, providerErr("stooq", req.URL, err)
	}
	return p, u.priceSeries(ctx, t, tb, p, "Stooq close")
}

func (u *Updater) yahoo(ctx context.Context, t Target, sym string) (*prepared, error) {
	from := int64(0)
	if u.Since != series.NoDate {
		from = u.Since.Time().Unix()
	}
	q := "period1=" + strconv.FormatInt(from, 10) + "&period2=" + strconv.FormatInt(u.now().Unix(), 10) +
		"&interval=1d&events=div%7Csplit&includeAdjustedClose=true"
	req := Request{Provider: "yahoo", URL: join(u.Config.URLs.Yahoo, "/v8/finance/chart/"+url.PathEscape(sym)+"?"+q), Want: JSON}
	rawID := "price/" + sym + ".yahoo.json"
	u.emit(Event{Target: t, Phase: PhaseStart, Detail: req.URL})
	resp, unchanged, err := u.download(ctx, req, rawID)
	if err != nil {
		return nil, err
	}
	p := &prepared{rawID: rawID, body: resp.Body, meta: u.meta(req, resp), via: "yahoo", unchanged: unchanged}
	if unchanged {
		return p, nil
	}
	tb, err := yahoo.Parse(bytes.NewReader(resp.Body), rawID, price.Options{Symbol: sym, RetrievedAt: resp.FetchedAt})
	if errors.Is(err, yahoo.ErrNoData) {
		return p, &Error{Provider: "yahoo", URL: Redact(req.URL), Status: resp.Status, Body: Snippet(resp.Body), Err: ErrNoData}
	}
	if err != nil {
		return p, providerErr("yahoo", req.URL, err)
	}
	return p, u.priceSeries(ctx, t, tb, p, "Yahoo adjusted close")
}

func (u *Updater) priceSeries(ctx context.Context, t Target, tb *price.Table, p *prepared, what string) error {
	tb.DropPartial()
	if tb.Len() == 0 {
		return providerErr(p.via, p.meta.URL, fmt.Errorf("%w: no finished trading day", ErrInvalid))
	}
	s := tb.CloseSeries()
	def := catalog.Dataset{Kind: series.KindPrice, Freq: "daily", Unit: "USD", Licence: licPrice}
	u.stamp(ctx, t.ID, s, def, p.meta.FetchedAt, p.meta.URL, p.rawID)
	s.Prov.Note = strings.TrimPrefix(s.Prov.Note+"; "+what, "; ")
	if p.via == "stooq" {
		s.Prov.Unit = "USD, close as published by Stooq"
	}
	if err := u.checkAndSplice(ctx, t.ID, &s, p); err != nil {
		return providerErr(p.via, p.meta.URL, err)
	}
	p.series = []namedSeries{{t.ID, s}}
	return nil
}
