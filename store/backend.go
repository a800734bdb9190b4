package store

import (
	"context"
	"errors"
	"time"

	"github.com/ratecycle/ratecycle/series"
)

// Errors callers can test with errors.Is. Every error the store returns wraps context
// ("store: put fred/DFF vintage: ..."), and one of these where it applies.
var (
	// ErrNotFound: no such dataset, or no such vintage of it.
	ErrNotFound = errors.New("not found")
	// ErrInvalidID: a dataset id that is not provider/name (see ValidateID).
	ErrInvalidID = errors.New("invalid dataset id")
	// ErrInvalidSeries: a series the store refuses to keep (empty, unsorted, all NaN).
	ErrInvalidSeries = errors.New("invalid series")
	// ErrWrongKind: a series asked of a file dataset, or the reverse.
	ErrWrongKind = errors.New("wrong kind of dataset")
	// ErrSchemaTooNew: the database was written by a newer ratecycle.
	ErrSchemaTooNew = errors.New("store schema is newer than this ratecycle")
	// ErrCorrupt: stored bytes do not match their checksum or length.
	ErrCorrupt = errors.New("corrupt vintage")
)

// Kind is what a dataset holds: a series or a raw file.
type Kind string

const (
	KindSeries Kind = "series" // a *series.Series
	KindFile   Kind = "file"   // raw bytes as downloaded (CSV, zip, JSON)
)

// VintageMeta describes where the data of a new vintage came from. Every field is
// optional; a zero FetchedAt means the series' Prov.RetrievedAt, or else now.
type VintageMeta struct {
	FetchedAt    time.Time // when the data was downloaded or read
	URL          string    // where it was downloaded from
	File         string    // local or embedded file it was read from
	ETag         string    // HTTP ETag of the response, for If-None-Match next time
	LastModified string    // HTTP Last-Modified header, verbatim, for If-Modified-Since
	// Raw is the vintage id of a raw file (PutFile) this series was parsed from, so a
	// series can be traced to the exact bytes. Empty when there is none.
	Raw string
}

// Vintage is one stored version of a dataset. Its JSON keys are snake_case, as in the
// CLI's tables (observations for N).
type Vintage struct {
	ID           string      `json:"id"`                      // store-wide unique and never reused, e.g. "17"
	Dataset      string      `json:"dataset"`                 // dataset id, e.g. "fred/DFF"
	Kind         Kind        `json:"kind"`                    // series or file
	Current      bool        `json:"current"`                 // whether it is the dataset's current vintage
	StoredAt     time.Time   `json:"stored_at"`               // when it was written to the store (UTC)
	FetchedAt    time.Time   `json:"fetched_at"`              // VintageMeta.FetchedAt (UTC)
	URL          string      `json:"url,omitempty"`           // where it was downloaded from
	File         string      `json:"file,omitempty"`          // local or embedded file it was read from
	ETag         string      `json:"etag,omitempty"`          // HTTP ETag of the response
	LastModified string      `json:"last_modified,omitempty"` // HTTP Last-Modified header, verbatim
	Raw          string      `json:"raw,omitempty"`           // vintage id of the raw file it was parsed from, if any
	Checksum     string      `json:"checksum"`                // hex SHA-256 of the canonical encoding (see package doc)
	Size         int64       `json:"size"`                    // bytes of the stored encoding
	N            int         `json:"observations"`            // observations (series only)
	First        series.Date `json:"first"`                   // first observation date (series only)
	Last         series.Date `json:"last"`                    // last observation date (series only)
}

// Dataset summarises one dataset and its current vintage.
type Dataset struct {
	ID       string  `json:"id"`
	Provider string  `json:"provider"` // the part of ID before the first slash
	Kind     Kind    `json:"kind"`     // series or file
	Current  Vintage `json:"current"`  // N, First and Last give its range
	Vintages int     `json:"vintages"` // how many vintages are kept
}

// Reader reads datasets. A vintage argument of "" means the current vintage.
type Reader interface {
	// Series returns a series vintage; its Prov.Vintage is the vintage id.
	Series(ctx context.Context, id, vintage string) (*series.Series, error)
	// File returns a raw file vintage and its metadata.
	File(ctx context.Context, id, vintage string) ([]byte, Vintage, error)
	// Vintage returns the metadata of one vintage without its data (an updater
	// reads the current ETag this way).
	Vintage(ctx context.Context, id, vintage string) (Vintage, error)
	// Vintages returns every kept vintage of a dataset, newest first.
	Vintages(ctx context.Context, id string) ([]Vintage, error)
	// List returns every dataset, sorted by id.
	List(ctx context.Context) ([]Dataset, error)
}

// Tx is what can be done inside one atomic update (see Backend.Update). *Store
// implements it too, running each call in its own transaction.
type Tx interface {
	Reader
	// PutSeries writes a new vintage of a series dataset and makes it current.
	PutSeries(ctx context.Context, id string, s *series.Series, meta VintageMeta) (Vintage, error)
	// PutFile writes a new vintage of a raw file dataset and makes it current.
	PutFile(ctx context.Context, id string, data []byte, meta VintageMeta) (Vintage, error)
	// Delete removes a dataset and all its vintages.
	Delete(ctx context.Context, id string) error
	// Prune removes all but the keep newest vintages of a dataset (of every dataset
	// when id is ""); the current vintage is always kept. It returns how many
	// vintages it removed.
	Prune(ctx context.Context, id string, keep int) (int, error)
}

// Backend is the store as the rest of ratecycle sees it. The SQLite *Store is the one
// implementation today; a PostgreSQL backend for a team sharing one store would
// implement the same interface (vintage ids from a sequence, payloads as bytea).
type Backend interface {
	Tx
	// Update runs fn in one transaction: everything fn writes through tx becomes
	// visible at once when fn returns nil, and nothing of it when fn returns an
	// error, panics, or the process dies. Inside fn use tx, not the Backend.
	Update(ctx context.Context, fn func(tx Tx) error) error
	Close() error
}

var _ Backend = (*Store)(nil)
