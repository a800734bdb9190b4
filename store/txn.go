package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ratecycle/ratecycle/series"
)

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// txn implements Tx over a querier. Writes only happen through a *sql.Tx (Update);
// reads also run on the *sql.DB pool, one statement each.
type txn struct {
	q   querier
	now func() time.Time
}

// vintageCols are the columns scanVintage reads, from vintage v joined to dataset d.
const vintageCols = `v.id, v.dataset, d.kind, d.current IS v.id, v.stored_at, v.fetched_at,
	v.url, v.file, v.etag, v.last_modified, v.raw, v.checksum, v.size, v.n, v.first_date, v.last_date`

type scanner interface{ Scan(dest ...any) error }

// scanVintage scans vintageCols followed by extra destinations.
func scanVintage(sc scanner, extra ...any) (Vintage, error) {
	var (
		v                   Vintage
		id                  int64
		kind                string
		stored, fetched     string
		raw, first, last    sql.NullInt64
		dest                []any
		storedAt, fetchedAt time.Time
		err                 error
	)
	dest = append(dest, &id, &v.Dataset, &kind, &v.Current, &stored, &fetched,
		&v.URL, &v.File, &v.ETag, &v.LastModified, &raw, &v.Checksum, &v.Size, &v.N, &first, &last)
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return Vintage{}, err
	}
	if storedAt, err = parseTime(stored); err != nil {
		return Vintage{}, fmt.Errorf("vintage %d: stored_at: %w", id, err)
	}
	if fetchedAt, err = parseTime(fetched); err != nil {
		return Vintage{}, fmt.Errorf("vintage %d: fetched_at: %w", id, err)
	}
	v.ID = strconv.FormatInt(id, 10)
	v.Kind = Kind(kind)
	v.StoredAt, v.FetchedAt = storedAt, fetchedAt
	if raw.Valid {
		v.Raw = strconv.FormatInt(raw.Int64, 10)
	}
	v.First, v.Last = series.NoDate, series.NoDate
	if first.Valid {
		v.First = series.Date(first.Int64)
	}
	if last.Valid {
		v.Last = series.Date(last.Int64)
	}
	return v, nil
}

// vintageArg turns a vintage id into a query argument: nil for "" (the current
// vintage). ok is false for a string that cannot be a vintage id.
func vintageArg(vintage string) (arg any, ok bool) {
	if vintage == "" {
		return nil, true
	}
	n, err := strconv.ParseInt(vintage, 10, 64)
	if err != nil || n <= 0 {
		return nil, false
	}
	return n, true
}

// what names the thing a read was about, for errors: "fred/DFF" or "fred/DFF vintage 7".
func what(id, vintage string) string {
	if vintage == "" {
		return id
	}
	return id + " vintage " + vintage
}

// notFound explains a read that found no row: no dataset, or no such vintage of it.
func (t *txn) notFound(ctx context.Context, id, vintage string) error {
	var n int
	if err := t.q.QueryRowContext(ctx, `SELECT count(*) FROM dataset WHERE id = ?`, id).Scan(&n); err == nil && n == 0 {
		return fmt.Errorf("no dataset %q: %w", id, ErrNotFound)
	}
	return fmt.Errorf("no vintage %q of %s: %w", vintage, id, ErrNotFound)
}

// storedProvenance is how a series' descriptive fields travel in the provenance
// column. Lag.Freq has no JSON tag of its own in package series.
type storedProvenance struct {
	Prov    series.Provenance `json:"provenance"`
	LagFreq string            `json:"lag_freq"`
}

func (t *txn) Series(ctx context.Context, id, vintage string) (*series.Series, error) {
	fail := func(err error) (*series.Series, error) {
		return nil, fmt.Errorf("store: read %s: %w", what(id, vintage), err)
	}
	vid, ok := vintageArg(vintage)
	if !ok {
		return fail(fmt.Errorf("%q is not a vintage id: %w", vintage, ErrNotFound))
	}
	var (
		name, kind, freq, prov string
		data                   sql.RawBytes
	)
	// One statement: the vintage row and its payload come from the same snapshot.
	// Rows rather than Row so the payload can be decoded from the driver's buffer
	// (RawBytes) without another copy.
	rows, err := t.q.QueryContext(ctx, `SELECT `+vintageCols+`, v.name, v.series_kind, v.freq, v.provenance, p.data
		FROM dataset d JOIN vintage v ON v.dataset = d.id JOIN payload p ON p.vintage = v.id
		WHERE d.id = ?1 AND v.id = coalesce(?2, d.current)`, id, vid)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return fail(err)
		}
		rows.Close()
		return fail(t.notFound(ctx, id, vintage))
	}
	v, err := scanVintage(rows, &name, &kind, &freq, &prov, &data)
	if err != nil {
		return fail(err)
	}
	if v.Kind != KindSeries {
		return fail(fmt.Errorf("%w: it is a raw file, not a series (read it with File)", ErrWrongKind))
	}
	dates, values, err := decodeObservations(data, v.N)
	if err != nil {
		return fail(err)
	}
	if err := rows.Close(); err != nil {
		return fail(err)
	}
	f, err := series.ParseFrequency(freq)
	if err != nil {
		return fail(fmt.Errorf("%w: %v", ErrCorrupt, err))
	}
	var sp storedProvenance
	if err := json.Unmarshal([]byte(prov), &sp); err != nil {
		return fail(fmt.Errorf("%w: provenance: %v", ErrCorrupt, err))
	}
	if sp.LagFreq != "" {
		if sp.Prov.Lag.Freq, err = series.ParseFrequency(sp.LagFreq); err != nil {
			return fail(fmt.Errorf("%w: %v", ErrCorrupt, err))
		}
	}
	sp.Prov.Vintage = v.ID
	return &series.Series{Name: name, Kind: series.Kind(kind), Freq: f, Dates: dates, Values: values, Prov: sp.Prov}, nil
}

func (t *txn) File(ctx context.Context, id, vintage string) ([]byte, Vintage, error) {
	fail := func(err error) ([]byte, Vintage, error) {
		return nil, Vintage{}, fmt.Errorf("store: read %s: %w", what(id, vintage), err)
	}
	vid, ok := vintageArg(vintage)
	if !ok {
		return fail(fmt.Errorf("%q is not a vintage id: %w", vintage, ErrNotFound))
	}
	var data []byte
	row := t.q.QueryRowContext(ctx, `SELECT `+vintageCols+`, p.data
		FROM dataset d JOIN vintage v ON v.dataset = d.id JOIN payload p ON p.vintage = v.id
		WHERE d.id = ?1 AND v.id = coalesce(?2, d.current)`, id, vid)
	v, err := scanVintage(row, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return fail(t.notFound(ctx, id, vintage))
	}
	if err != nil {
		return fail(err)
	}
	if v.Kind != KindFile {
		return fail(fmt.Errorf("%w: it is a series, not a raw file (read it with Series)", ErrWrongKind))
	}
	if data == nil {
		data = []byte{} // an empty file is still a file
	}
	return data, v, nil
}

func (t *txn) Vintage(ctx context.Context, id, vintage string) (Vintage, error) {
	fail := func(err error) (Vintage, error) {
		return Vintage{}, fmt.Errorf("store: read %s: %w", what(id, vintage), err)
	}
	vid, ok := vintageArg(vintage)
	if !ok {
		return fail(fmt.Errorf("%q is not a vintage id: %w", vintage, ErrNotFound))
	}
	row := t.q.QueryRowContext(ctx, `SELECT `+vintageCols+`
		FROM dataset d JOIN vintage v ON v.dataset = d.id
		WHERE d.id = ?1 AND v.id = coalesce(?2, d.current)`, id, vid)
	v, err := scanVintage(row)
	if errors.Is(err, sql.ErrNoRows) {
		return fail(t.notFound(ctx, id, vintage))
	}
	if err != nil {
		return fail(err)
	}
	return v, nil
}

func (t *txn) Vintages(ctx context.Context, id string) ([]Vintage, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+vintageCols+`
		FROM dataset d JOIN vintage v ON v.dataset = d.id
		WHERE d.id = ? ORDER BY v.id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("store: vintages of %s: %w", id, err)
	}
	defer rows.Close()
	var out []Vintage
	for rows.Next() {
		v, err := scanVintage(rows)
		if err != nil {
			return nil, fmt.Errorf("store: vintages of %s: %w", id, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: vintages of %s: %w", id, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("store: vintages of %s: no dataset %q: %w", id, id, ErrNotFound)
	}
	return out, nil
}

func (t *txn) List(ctx context.Context) ([]Dataset, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+vintageCols+`, d.provider,
			(SELECT count(*) FROM vintage c WHERE c.dataset = d.id)
		FROM dataset d JOIN vintage v ON v.id = d.current
		ORDER BY d.id`)
	if err != nil {
		return nil, fmt.Errorf("store: list: %w", err)
	}
	defer rows.Close()
	var out []Dataset
	for rows.Next() {
		var d Dataset
		v, err := scanVintage(rows, &d.Provider, &d.Vintages)
		if err != nil {
			return nil, fmt.Errorf("store: list: %w", err)
		}
		d.ID, d.Kind, d.Current = v.Dataset, v.Kind, v
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list: %w", err)
	}
	return out, nil
}

func (t *txn) PutSeries(ctx context.Context, id string, s *series.Series, meta VintageMeta) (Vintage, error) {
	fail := func(err error) (Vintage, error) {
		return Vintage{}, fmt.Errorf("store: put %s vintage: %w", id, err)
	}
	if err := ValidateID(id); err != nil {
		return fail(err)
	}
	if err := validateSeries(s); err != nil {
		return fail(err)
	}
	fetched := t.fetchedAt(meta)
	if meta.FetchedAt.IsZero() && !s.Prov.RetrievedAt.IsZero() {
		fetched = s.Prov.RetrievedAt.UTC()
	}
	prov := s.Prov
	prov.Vintage = "" // the store assigns it on read
	if prov.URL == "" {
		prov.URL = meta.URL
	}
	if prov.File == "" {
		prov.File = meta.File
	}
	if prov.RetrievedAt.IsZero() {
		prov.RetrievedAt = fetched
	}
	sp := storedProvenance{Prov: prov}
	if prov.Lag.Freq != series.Irregular {
		sp.LagFreq = prov.Lag.Freq.String()
	}
	provJSON, err := json.Marshal(sp)
	if err != nil {
		return fail(fmt.Errorf("provenance: %w", err))
	}
	cols := &seriesCols{n: len(s.Dates), first: int64(s.First()), last: int64(s.Last()),
		name: s.Name, kind: string(s.Kind), freq: s.Freq.String(), prov: string(provJSON)}
	v, err := t.put(ctx, id, KindSeries, encodeObservations(s.Dates, s.Values), meta, fetched, cols)
	if err != nil {
		return fail(err)
	}
	v.N, v.First, v.Last = len(s.Dates), s.First(), s.Last()
	return v, nil
}

// seriesCols are the vintage columns only a series has.
type seriesCols struct {
	n                      int
	first, last            int64
	name, kind, freq, prov string
}

func (t *txn) PutFile(ctx context.Context, id string, data []byte, meta VintageMeta) (Vintage, error) {
	if err := ValidateID(id); err != nil {
		return Vintage{}, fmt.Errorf("store: put %s vintage: %w", id, err)
	}
	if data == nil {
		data = []byte{} // payload.data is NOT NULL; an empty download is still a vintage
	}
	v, err := t.put(ctx, id, KindFile, data, meta, t.fetchedAt(meta), nil)
	if err != nil {
		return Vintage{}, fmt.Errorf("store: put %s vintage: %w", id, err)
	}
	return v, nil
}

func (t *txn) fetchedAt(meta VintageMeta) time.Time {
	if meta.FetchedAt.IsZero() {
		return t.now().UTC()
	}
	return meta.FetchedAt.UTC()
}

// put writes the vintage row (with sc's columns for a series) and its payload, and
// points the dataset at the new vintage. The caller's
// transaction makes the whole sequence atomic: readers see the old current vintage
// until commit, then the new one.
func (t *txn) put(ctx context.Context, id string, kind Kind, data []byte, meta VintageMeta,
	fetched time.Time, sc *seriesCols) (Vintage, error) {
	now := t.now().UTC()
	if _, err := t.q.ExecContext(ctx, `INSERT INTO dataset (id, provider, kind, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, id, provider(id), string(kind), formatTime(now)); err != nil {
		return Vintage{}, err
	}
	var have string
	if err := t.q.QueryRowContext(ctx, `SELECT kind FROM dataset WHERE id = ?`, id).Scan(&have); err != nil {
		return Vintage{}, err
	}
	if Kind(have) != kind {
		return Vintage{}, fmt.Errorf("%w: %s holds a %s, not a %s", ErrWrongKind, id, have, kind)
	}
	var raw any
	if meta.Raw != "" {
		r, ok := vintageArg(meta.Raw)
		if !ok {
			return Vintage{}, fmt.Errorf("raw vintage %q: %w", meta.Raw, ErrNotFound)
		}
		var rawKind string
		err := t.q.QueryRowContext(ctx, `SELECT d.kind FROM vintage v JOIN dataset d ON d.id = v.dataset
			WHERE v.id = ?`, r).Scan(&rawKind)
		if errors.Is(err, sql.ErrNoRows) {
			return Vintage{}, fmt.Errorf("raw vintage %s: %w", meta.Raw, ErrNotFound)
		}
		if err != nil {
			return Vintage{}, err
		}
		if Kind(rawKind) != KindFile {
			return Vintage{}, fmt.Errorf("raw vintage %s: %w: it is a %s, not a file", meta.Raw, ErrWrongKind, rawKind)
		}
		raw = r
	}
	sum := checksum(data)
	if sc == nil {
		sc = &seriesCols{}
	}
	var first, last any // NULL for files
	if kind == KindSeries {
		first, last = sc.first, sc.last
	}
	res, err := t.q.ExecContext(ctx, `INSERT INTO vintage
		(dataset, stored_at, fetched_at, url, file, etag, last_modified, raw, checksum, size,
		 n, first_date, last_date, name, series_kind, freq, provenance)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, formatTime(now), formatTime(fetched), meta.URL, meta.File, meta.ETag, meta.LastModified, raw, sum, len(data),
		sc.n, first, last, sc.name, sc.kind, sc.freq, sc.prov)
	if err != nil {
		return Vintage{}, err
	}
	vid, err := res.LastInsertId()
	if err != nil {
		return Vintage{}, err
	}
	if _, err := t.q.ExecContext(ctx, `INSERT INTO payload (vintage, data) VALUES (?, ?)`, vid, data); err != nil {
		return Vintage{}, err
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE dataset SET current = ? WHERE id = ?`, vid, id); err != nil {
		return Vintage{}, err
	}
	return Vintage{
		ID: strconv.FormatInt(vid, 10), Dataset: id, Kind: kind, Current: true,
		StoredAt: now, FetchedAt: fetched,
		URL: meta.URL, File: meta.File, ETag: meta.ETag, LastModified: meta.LastModified, Raw: meta.Raw,
		Checksum: sum, Size: int64(len(data)), First: series.NoDate, Last: series.NoDate,
	}, nil
}

func (t *txn) Delete(ctx context.Context, id string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM dataset WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: delete %s: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("store: delete %s: no dataset %q: %w", id, id, ErrNotFound)
	}
	return nil
}

func (t *txn) Prune(ctx context.Context, id string, keep int) (int, error) {
	scope := id
	if scope == "" {
		scope = "all datasets"
	}
	if keep < 1 {
		return 0, fmt.Errorf("store: prune %s: keep %d vintages: must keep at least 1 (delete the dataset instead)", scope, keep)
	}
	var ids []string
	if id != "" {
		ids = []string{id}
	} else {
		rows, err := t.q.QueryContext(ctx, `SELECT id FROM dataset ORDER BY id`)
		if err != nil {
			return 0, fmt.Errorf("store: prune %s: %w", scope, err)
		}
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				rows.Close()
				return 0, fmt.Errorf("store: prune %s: %w", scope, err)
			}
			ids = append(ids, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, fmt.Errorf("store: prune %s: %w", scope, err)
		}
	}
	removed := 0
	for _, d := range ids {
		var exists int
		if err := t.q.QueryRowContext(ctx, `SELECT count(*) FROM dataset WHERE id = ?`, d).Scan(&exists); err != nil {
			return removed, fmt.Errorf("store: prune %s: %w", d, err)
		}
		if exists == 0 {
			return removed, fmt.Errorf("store: prune %s: no dataset %q: %w", d, d, ErrNotFound)
		}
		res, err := t.q.ExecContext(ctx, `DELETE FROM vintage WHERE dataset = ?1
			AND id IS NOT (SELECT current FROM dataset WHERE id = ?1)
			AND id NOT IN (SELECT id FROM vintage WHERE dataset = ?1 ORDER BY id DESC LIMIT ?2)`, d, keep)
		if err != nil {
			return removed, fmt.Errorf("store: prune %s: %w", d, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return removed, fmt.Errorf("store: prune %s: %w", d, err)
		}
		removed += int(n)
	}
	return removed, nil
}
