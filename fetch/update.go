package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/store"
)

// Status is how an update of one target ended.
type Status string

const (
	Updated      Status = "updated"       // a new vintage is current
	Unchanged    Status = "unchanged"     // 304, or the same bytes as the stored vintage: nothing written
	Failed       Status = "failed"        // download, parse or validation failed: nothing written
	Interrupted  Status = "interrupted"   // cancelled while in progress: nothing written
	NotAttempted Status = "not attempted" // cancelled before it started
)

// Result is the outcome of one target.
type Result struct {
	Target  Target
	Status  Status
	Via     string          // what answered: "fredgraph", "fred-api", "stooq", "yahoo", ...
	URL     string          // the URL fetched, secrets redacted
	Raw     store.Vintage   // the raw file vintage written (Updated only)
	Series  []store.Vintage // the series vintages written (Updated only)
	Bytes   int             // size of the downloaded body
	Note    string          // e.g. why a fallback was used, what --since kept
	Err     error
	Elapsed time.Duration
}

// Phase is a step of one target's update, reported through Updater.Events.
type Phase string

const (
	PhaseStart   Phase = "start"   // about to download
	PhaseWriting Phase = "writing" // validated; inside the store transaction
	PhaseDone    Phase = "done"    // finished; Event.Result is set
)

// Event reports progress.
type Event struct {
	Target Target
	Phase  Phase
	Detail string  // e.g. the URL being fetched or how many series are being written
	Result *Result // PhaseDone only
}

// Updater runs updates. Store, Catalog and Client are required.
type Updater struct {
	Store store.Backend
	// Catalog gives each dataset's metadata (kind, unit, lag, licence) and its current
	// data (the stored vintage, else the embedded snapshot) to validate against. It
	// must read the same store.
	Catalog *catalog.Catalog
	Client  *Client
	Config  Config
	// Since, when set, downloads only observations from that date on (FRED, Stooq,
	// Yahoo) and keeps the current vintage's earlier observations. Whole-file sources
	// (Ken French, iShares, SEC) ignore it.
	Since series.Date
	// Now is the clock (retrieval times, Yahoo's period2, future-date checks).
	Now func() time.Time
	// Events, when set, is called from the updating goroutines (one per source) as
	// targets progress; it must be safe for concurrent use.
	Events func(Event)
}

func (u *Updater) now() time.Time {
	if u.Now != nil {
		return u.Now()
	}
	return time.Now()
}

func (u *Updater) emit(e Event) {
	if u.Events != nil {
		u.Events(e)
	}
}

// Run updates every target and returns one result per target, in order. Sources
// run concurrently (each under its own host's rate limit); a source's targets run
// one after another. A failed target does not stop the others. When ctx is
// cancelled, the target in progress is abandoned without writing (Interrupted),
// the rest are NotAttempted, and Run returns ctx's error with the results so far.
func (u *Updater) Run(ctx context.Context, targets []Target) ([]Result, error) {
	results := make([]Result, len(targets))
	bySource := map[string][]int{}
	var order []string
	for i, t := range targets {
		results[i] = Result{Target: t, Status: NotAttempted}
		if _, ok := bySource[t.Source]; !ok {
			order = append(order, t.Source)
		}
		bySource[t.Source] = append(bySource[t.Source], i)
	}
	var wg sync.WaitGroup
	for _, src := range order {
		wg.Add(1)
		go func(idx []int) {
			defer wg.Done()
			for _, i := range idx {
				if ctx.Err() != nil {
					return
				}
				results[i] = u.one(ctx, targets[i])
				u.emit(Event{Target: targets[i], Phase: PhaseDone, Result: &results[i]})
			}
		}(bySource[src])
	}
	wg.Wait()
	return results, ctx.Err()
}

// prepared is a target downloaded, parsed and validated, ready to be written.
type prepared struct {
	rawID     string
	body      []byte
	meta      store.VintageMeta
	series    []namedSeries
	unchanged bool
	via, note string
}

type namedSeries struct {
	id string
	s  *series.Series
}

func (u *Updater) one(ctx context.Context, t Target) (r Result) {
	start := time.Now()
	r = Result{Target: t}
	defer func() { r.Elapsed = time.Since(start) }()
	u.emit(Event{Target: t, Phase: PhaseStart})
	var p *prepared
	var err error
	switch t.Source {
	case "fred":
		p, err = u.fred(ctx, t)
	case "french":
		p, err = u.french(ctx, t)
	case "prices":
		p, err = u.prices(ctx, t)
	case "holdings":
		p, err = u.holdings(ctx, t)
	case "sec":
		p, err = u.sec(ctx, t)
	default:
		err = fmt.Errorf("no updater for source %q", t.Source)
	}
	if p != nil {
		r.Via, r.URL, r.Bytes, r.Note = p.via, p.meta.URL, len(p.body), p.note
	}
	if err == nil && !p.unchanged {
		err = u.commit(ctx, t, p, &r)
	}
	switch {
	case err != nil && ctx.Err() != nil:
		r.Status, r.Err = Interrupted, ctx.Err()
	case err != nil:
		r.Status, r.Err = Failed, err
	case p.unchanged:
		r.Status = Unchanged
	default:
		r.Status = Updated
	}
	return r
}

// commit writes the raw file and every series parsed from it in one transaction.
func (u *Updater) commit(ctx context.Context, t Target, p *prepared, r *Result) error {
	var raw store.Vintage
	var vs []store.Vintage
	err := u.Store.Update(ctx, func(tx store.Tx) error {
		raw, vs = store.Vintage{}, vs[:0]
		u.emit(Event{Target: t, Phase: PhaseWriting, Detail: fmt.Sprintf("%s and %d series", p.rawID, len(p.series))})
		fv, err := tx.PutFile(ctx, p.rawID, p.body, p.meta)
		if err != nil {
			return err
		}
		raw = fv
		for _, ns := range p.series {
			m := p.meta
			m.Raw = fv.ID
			m.ETag, m.LastModified = "", ""
			v, err := tx.PutSeries(ctx, ns.id, ns.s, m)
			if err != nil {
				return err
			}
			vs = append(vs, v)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	r.Raw, r.Series = raw, vs
	return nil
}

// download fetches req for the raw file rawID: with If-None-Match/If-Modified-Since
// from its current vintage when that was fetched from the same URL, and reports
// unchanged for a 304 or for bytes equal to the current vintage's.
func (u *Updater) download(ctx context.Context, req Request, rawID string) (*Response, bool, error) {
	cur, err := u.Store.Vintage(ctx, rawID, "")
	have := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, false, fmt.Errorf("store: %w", err)
	}
	if have && cur.URL == Redact(req.URL) {
		req.ETag, req.LastModified = cur.ETag, cur.LastModified
	}
	resp, err := u.Client.Get(ctx, req)
	if err != nil {
		return nil, false, err
	}
	if resp.NotModified {
		if !have {
			return nil, false, &Error{Provider: req.Provider, URL: Redact(req.URL), Status: 304,
				Err: fmt.Errorf("%w: 304 Not Modified but nothing is stored", ErrContent)}
		}
		return resp, true, nil
	}
	if have && cur.Checksum == checksum(resp.Body) {
		return resp, true, nil
	}
	return resp, false, nil
}

func checksum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func (u *Updater) meta(req Request, resp *Response) store.VintageMeta {
	return store.VintageMeta{FetchedAt: resp.FetchedAt, URL: Redact(req.URL), ETag: resp.ETag, LastModified: resp.LastModified}
}

// current returns the data a new vintage of id replaces: the stored vintage, else
// the embedded snapshot, else nil.
func (u *Updater) current(ctx context.Context, id string) (*series.Series, error) {
	s, err := u.Catalog.Load(ctx, id, "")
	if err == nil {
		return s, nil
	}
	if errors.Is(err, catalog.ErrNotFound) || errors.Is(err, store.ErrNotFound) || strings.Contains(err.Error(), "not built yet") {
		return nil, nil
	}
	return nil, err
}

// stamp gives a downloaded series the catalog's description of id (kind, frequency,
// unit, licence, publication lag), or the defaults given for an id the catalog does
// not know.
func (u *Updater) stamp(ctx context.Context, id string, s *series.Series, def catalog.Dataset, fetched time.Time, url, rawID string) {
	d, err := u.Catalog.Info(ctx, id)
	if err != nil {
		d = def
		d.Lag.PeriodStart = d.Lag.PeriodStart || s.Prov.Lag.PeriodStart
	}
	s.Name = id
	if d.Kind != "" {
		s.Kind = d.Kind
	}
	if f, err := series.ParseFrequency(d.Freq); err == nil && f != series.Irregular {
		s.Freq = f
	} else if s.Freq == series.Irregular {
		s.Freq = series.InferFrequency(s.Dates)
	}
	provider, sid, _ := strings.Cut(id, "/")
	note := s.Prov.Note
	s.Prov = series.Provenance{Provider: provider, SourceID: sid, URL: url, File: rawID, RetrievedAt: fetched,
		Unit: d.Unit, Licence: d.Licence, Lag: d.Lag, Note: note}
	s.Prov.Lag.Freq = s.Freq
}
