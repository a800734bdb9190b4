package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/holdings"
	"github.com/ratecycle/ratecycle/store"
)

// ISharesProducts are the built-in iShares product pages (id/slug) by fund ticker;
// Config.IShares adds more.
var ISharesProducts = map[string]string{
	"IWM": "239710/ishares-russell-2000-etf",
	"IVV": "239726/ishares-core-sp-500-etf",
}

// embeddedHoldings are the snapshot's holdings files, the baseline for the first update.
var embeddedHoldings = map[string]string{
	"IWM": "ishares-holdings/IWM_holdings.csv",
	"IVV": "ishares-holdings/IVV_holdings.csv",
}

// holdings downloads an iShares fund's holdings CSV, parses it with the parser the
// snapshot uses and checks it against the current file (stored, else embedded):
// same fund name, an as-of date not older, at least half as many equity lines, and
// equities making up a plausible share of the fund. It is stored as a raw file
// only (a snapshot, not a series).
func (u *Updater) holdings(ctx context.Context, t Target) (*prepared, error) {
	fund := strings.TrimPrefix(t.ID, "holdings/")
	prod := ISharesProducts[fund]
	if v, ok := u.Config.IShares[fund]; ok {
		prod = v
	}
	if prod == "" {
		return nil, fmt.Errorf("%w: holdings/%s: no iShares product id for %s (built in: IWM, IVV); add it under ishares_products in the config file, e.g. %s: 239774",
			ErrUsage, fund, fund, fund)
	}
	if !strings.Contains(prod, "/") {
		prod += "/fund"
	}
	name := fund + "_holdings"
	req := Request{Provider: "ishares", URL: join(u.Config.URLs.IShares, "/us/products/"+prod+"/1467271812596.ajax?fileType=csv&fileName="+name+"&dataType=fund"), Want: CSV}
	rawID := "holdings/" + name + ".csv"
	u.emit(Event{Target: t, Phase: PhaseStart, Detail: req.URL})
	resp, unchanged, err := u.download(ctx, req, rawID)
	if err != nil {
		return nil, err
	}
	p := &prepared{rawID: rawID, body: resp.Body, meta: u.meta(req, resp), via: "ishares", unchanged: unchanged}
	if unchanged {
		return p, nil
	}
	f, err := holdings.ParseIShares(bytes.NewReader(resp.Body), rawID)
	if err != nil {
		return p, providerErr("ishares", req.URL, err)
	}
	prev, err := u.currentFund(ctx, fund, rawID)
	if err != nil {
		return p, err
	}
	if err := ValidateFund(prev, f); err != nil {
		return p, providerErr("ishares", req.URL, err)
	}
	p.note = fmt.Sprintf("%s as of %s, %d equity lines", f.Name, f.AsOf, len(f.Equities()))
	return p, nil
}

func (u *Updater) currentFund(ctx context.Context, fund, rawID string) (*holdings.Fund, error) {
	b, v, err := u.Store.File(ctx, rawID, "")
	file := rawID + " vintage " + v.ID
	switch {
	case errors.Is(err, store.ErrNotFound):
		p, ok := embeddedHoldings[fund]
		if !ok {
			return nil, nil
		}
		if b, err = u.Catalog.File(p); err != nil {
			return nil, err
		}
		file = p
	case err != nil:
		return nil, fmt.Errorf("store: %w", err)
	}
	return holdings.ParseIShares(bytes.NewReader(b), file)
}

// ValidateFund checks a new holdings file against the current one (nil if none).
func ValidateFund(prev, next *holdings.Fund) error {
	eq := len(next.Equities())
	if eq == 0 {
		return fmt.Errorf("%w: no equity holdings", ErrInvalid)
	}
	if w := next.EquityWeights(); w.EquityShare < 0.5 || w.EquityShare > 1.1 {
		return fmt.Errorf("%w: equities are %.1f%% of the fund", ErrInvalid, 100*w.EquityShare)
	}
	if prev == nil {
		return nil
	}
	if prev.Name != "" && !strings.EqualFold(strings.TrimSpace(prev.Name), strings.TrimSpace(next.Name)) {
		return fmt.Errorf("%w: the file is for %q, the current one for %q (wrong product id?)", ErrInvalid, next.Name, prev.Name)
	}
	if prev.AsOf != series.NoDate && next.AsOf != series.NoDate && next.AsOf < prev.AsOf {
		return fmt.Errorf("%w: holdings as of %s are older than the current %s", ErrInvalid, next.AsOf, prev.AsOf)
	}
	if pe := len(prev.Equities()); eq < pe/2 {
		return fmt.Errorf("%w: %d equity lines, fewer than half the current %d", ErrInvalid, eq, pe)
	}
	return nil
}
