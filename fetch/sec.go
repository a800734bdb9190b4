package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/time/rate"

	"github.com/ratecycle/ratecycle/store"
)

// embeddedTickers is the newest ticker map in the snapshot (about March 2026).
const embeddedTickers = "sec/tickers-smid-sec-data-engine/sec_tickers.json"

// sec downloads the ticker map, one company's companyfacts or one XBRL frame. Every
// SEC request carries the configured User-Agent and shares one rate limit across
// www.sec.gov and data.sec.gov (Config.HTTP.SECRate, at most 10 per second).
func (u *Updater) sec(ctx context.Context, t Target) (*prepared, error) {
	if err := u.Config.CheckSECUserAgent(); err != nil {
		return nil, err
	}
	name := strings.TrimPrefix(t.ID, "sec/")
	var req Request
	var rawID string
	var check func(body []byte, prevBody []byte) (string, error)
	switch kind, rest, _ := strings.Cut(name, "/"); kind {
	case "tickers":
		req = u.secRequest(join(u.Config.URLs.SEC, "/files/company_tickers.json"))
		rawID = "sec/company_tickers.json"
		check = validateTickers
	case "companyfacts":
		cik, err := u.resolveCIK(ctx, rest)
		if err != nil {
			return nil, err
		}
		file := fmt.Sprintf("CIK%010d.json", cik)
		req = u.secRequest(join(u.Config.URLs.SECData, "/api/xbrl/companyfacts/"+file))
		rawID = "sec/companyfacts/" + file
		check = func(b, _ []byte) (string, error) { return validateCompanyFacts(b, cik) }
	case "frames":
		req = u.secRequest(join(u.Config.URLs.SECData, "/api/xbrl/frames/"+rest+".json"))
		rawID = "sec/frames/" + rest + ".json"
		check = func(b, _ []byte) (string, error) { return validateFrame(b, rest) }
	default:
		return nil, fmt.Errorf("%w: %s", ErrUsage, t.ID)
	}
	u.emit(Event{Target: t, Phase: PhaseStart, Detail: req.URL})
	resp, unchanged, err := u.download(ctx, req, rawID)
	if err != nil {
		return nil, err
	}
	p := &prepared{rawID: rawID, body: resp.Body, meta: u.meta(req, resp), via: "sec", unchanged: unchanged}
	if unchanged {
		return p, nil
	}
	var prev []byte
	if b, _, err := u.Store.File(ctx, rawID, ""); err == nil {
		prev = b
	} else if !errors.Is(err, store.ErrNotFound) {
		return p, fmt.Errorf("store: %w", err)
	} else if rawID == "sec/company_tickers.json" {
		prev, _ = u.Catalog.File(embeddedTickers)
	}
	note, err := check(resp.Body, prev)
	if err != nil {
		return p, providerErr("sec", req.URL, err)
	}
	p.note = note
	return p, nil
}

func (u *Updater) secRequest(url string) Request {
	h := http.Header{}
	h.Set("User-Agent", u.Config.SECUserAgent)
	lim := rate.Limit(u.Config.HTTP.SECRate)
	if lim <= 0 || lim > 10 {
		lim = 10
	}
	return Request{Provider: "sec", URL: url, Want: JSON, Header: h, RateKey: "sec", Limit: lim}
}

type tickerEntry struct {
	CIK    json.Number `json:"cik_str"`
	Ticker string      `json:"ticker"`
	Title  string      `json:"title"`
}

func parseTickers(b []byte) (map[string]tickerEntry, error) {
	var m map[string]tickerEntry
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: not the SEC ticker map ({\"0\":{\"cik_str\":...,\"ticker\":...,\"title\":...}}): %v", ErrContent, err)
	}
	return m, nil
}

// validateTickers: every entry has a CIK and a ticker, and the map has at least
// half as many entries as the current one (and at least 1,000: SEC lists ~10,000).
func validateTickers(b, prev []byte) (string, error) {
	m, err := parseTickers(b)
	if err != nil {
		return "", err
	}
	for k, e := range m {
		if _, err := strconv.ParseInt(e.CIK.String(), 10, 64); err != nil || e.Ticker == "" {
			return "", fmt.Errorf("%w: entry %q has no CIK or ticker", ErrInvalid, k)
		}
	}
	floor := 1000
	if pm, err := parseTickers(prev); err == nil && len(pm)/2 > floor {
		floor = len(pm) / 2
	}
	if len(m) < floor {
		return "", fmt.Errorf("%w: %d tickers, fewer than the %d expected", ErrInvalid, len(m), floor)
	}
	return fmt.Sprintf("%d tickers", len(m)), nil
}

func validateCompanyFacts(b []byte, cik int64) (string, error) {
	var doc struct {
		CIK        json.RawMessage            `json:"cik"` // a number from SEC; re-saved copies quote it ("0001997711")
		EntityName string                     `json:"entityName"`
		Facts      map[string]json.RawMessage `json:"facts"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", fmt.Errorf("%w: not SEC companyfacts: %v", ErrContent, err)
	}
	if got, err := strconv.ParseInt(strings.Trim(string(doc.CIK), `"`), 10, 64); err != nil || got != cik {
		return "", fmt.Errorf("%w: asked for CIK %d, the file is for %q", ErrInvalid, cik, doc.CIK)
	}
	if len(doc.Facts) == 0 {
		return "", fmt.Errorf("%w: %s has no facts", ErrInvalid, doc.EntityName)
	}
	return fmt.Sprintf("%s, %d taxonomies", doc.EntityName, len(doc.Facts)), nil
}

func validateFrame(b []byte, frame string) (string, error) {
	var doc struct {
		Taxonomy string            `json:"taxonomy"`
		Tag      string            `json:"tag"`
		CCP      string            `json:"ccp"`
		UOM      string            `json:"uom"`
		Data     []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", fmt.Errorf("%w: not an SEC XBRL frame: %v", ErrContent, err)
	}
	parts := strings.Split(frame, "/")
	want := []string{doc.Taxonomy, doc.Tag, doc.UOM, doc.CCP}
	for i := range parts {
		if i < len(want) && !strings.EqualFold(parts[i], want[i]) && want[i] != "" {
			return "", fmt.Errorf("%w: asked for %s, the frame is %s", ErrInvalid, frame, strings.Join(want, "/"))
		}
	}
	if len(doc.Data) == 0 {
		return "", fmt.Errorf("%w: frame %s has no data", ErrInvalid, frame)
	}
	return fmt.Sprintf("%d facts", len(doc.Data)), nil
}

// resolveCIK turns a ticker (or a CIK) into a CIK with the stored ticker map, else
// the embedded one.
func (u *Updater) resolveCIK(ctx context.Context, s string) (int64, error) {
	if n, err := strconv.ParseInt(strings.TrimPrefix(s, "CIK"), 10, 64); err == nil {
		return n, nil
	}
	b, _, err := u.Store.File(ctx, "sec/company_tickers.json", "")
	src := "the stored ticker map"
	if errors.Is(err, store.ErrNotFound) {
		b, err = u.Catalog.File(embeddedTickers)
		src = "the embedded ticker map (update sec/tickers for a newer one)"
	}
	if err != nil {
		return 0, err
	}
	m, err := parseTickers(b)
	if err != nil {
		return 0, err
	}
	want := strings.ToUpper(s)
	alt := strings.ReplaceAll(want, ".", "-")
	for _, e := range m {
		if t := strings.ToUpper(e.Ticker); t == want || t == alt {
			return e.CIK.Int64()
		}
	}
	return 0, fmt.Errorf("%w: sec/companyfacts/%s: ticker %s is not in %s", ErrUsage, s, s, src)
}
