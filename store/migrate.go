package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// applicationID marks the file as a ratecycle store in the SQLite header
// (PRAGMA application_id; "rcst"), so file(1) and Open can tell it from other
// databases.
const applicationID = 0x72637374

// A migration moves the schema from version-1 to version. Migrations are numbered
// from 1 without gaps, append-only: a released migration is never edited, a change
// is a new migration.
type migration struct {
	version int
	name    string
	sql     string
}

var migrations = []migration{
	{1, "datasets, vintages and payloads", `
CREATE TABLE dataset (
	id         TEXT PRIMARY KEY,                 -- provider/name, see ValidateID
	provider   TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('series', 'file')),
	current    INTEGER REFERENCES vintage(id),   -- the vintage readers get
	created_at TEXT NOT NULL
) STRICT;
CREATE INDEX dataset_current ON dataset(current);

-- One row per vintage; the data itself is in payload so listing vintages never
-- reads it.
CREATE TABLE vintage (
	id            INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, even after pruning
	dataset       TEXT NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
	stored_at     TEXT NOT NULL,                  -- UTC, fixed-width RFC 3339
	fetched_at    TEXT NOT NULL,
	url           TEXT NOT NULL DEFAULT '',
	file          TEXT NOT NULL DEFAULT '',
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	raw           INTEGER REFERENCES vintage(id) ON DELETE SET NULL,
	checksum      TEXT NOT NULL,                  -- hex SHA-256 of payload.data
	size          INTEGER NOT NULL,               -- length of payload.data
	n             INTEGER NOT NULL DEFAULT 0,     -- observations (series)
	first_date    INTEGER,                        -- days since 1970-01-01 (series)
	last_date     INTEGER,
	name          TEXT NOT NULL DEFAULT '',       -- series.Series fields (series)
	series_kind   TEXT NOT NULL DEFAULT '',
	freq          TEXT NOT NULL DEFAULT '',
	provenance    TEXT NOT NULL DEFAULT ''        -- JSON: {provenance, lag_freq}
) STRICT;
CREATE INDEX vintage_dataset ON vintage(dataset, id);
CREATE INDEX vintage_raw ON vintage(raw);

-- Series: n int32 LE dates then n float64 LE values. Files: the raw bytes.
CREATE TABLE payload (
	vintage INTEGER PRIMARY KEY REFERENCES vintage(id) ON DELETE CASCADE,
	data    BLOB NOT NULL
) STRICT;
`},
}

// latestVersion is the schema version this binary writes.
func latestVersion() int { return migrations[len(migrations)-1].version }

// migrate brings the schema up to date. Each migration runs in its own immediate
// (write-locking) transaction together with its row in schema_migrations, so two
// processes opening a new store at once apply each migration once, and a migration
// that fails leaves the previous version intact. A schema newer than this binary
// knows is refused before anything is written.
func migrate(ctx context.Context, db *sql.DB, now func() string) error {
	if err := checkForeign(ctx, db); err != nil {
		return err
	}
	for _, m := range migrations {
		if err := applyMigration(ctx, db, m, now); err != nil {
			return err
		}
	}
	return nil
}

// checkForeign refuses a database that is neither empty nor a ratecycle store, and
// one whose schema is newer than this binary knows.
func checkForeign(ctx context.Context, db *sql.DB) error {
	var appID int64
	if err := db.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return err
	}
	var tables, versioned int
	err := db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE name = 'schema_migrations')
		FROM sqlite_schema WHERE type = 'table'`).Scan(&tables, &versioned)
	if err != nil {
		return err
	}
	if (appID != 0 && appID != applicationID) || (tables > 0 && versioned == 0) {
		return errors.New("not a ratecycle store (a SQLite database written by another program); choose another --home")
	}
	if versioned == 0 {
		return nil
	}
	v, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	return tooNew(v)
}

func tooNew(v int) error {
	if v > latestVersion() {
		return fmt.Errorf("%w: its schema version is %d, this binary knows versions up to %d; upgrade ratecycle (or point --home elsewhere)",
			ErrSchemaTooNew, v, latestVersion())
	}
	return nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func schemaVersion(ctx context.Context, q queryRower) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// applyMigration applies m unless it already is.
func applyMigration(ctx context.Context, db *sql.DB, m migration, now func() string) (err error) {
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE (see dsn)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	_, err = tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	) STRICT`)
	if err != nil {
		return err
	}
	// Read the version again under the write lock: another process may have
	// migrated since we looked.
	v, err := schemaVersion(ctx, tx)
	if err != nil {
		return err
	}
	if err := tooNew(v); err != nil {
		return err
	}
	if v >= m.version {
		return tx.Rollback()
	}
	if v != m.version-1 {
		return fmt.Errorf("schema version %d cannot take migration %d", v, m.version)
	}
	if _, err = tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, now()); err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID)); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("migration %d (%s): commit: %w", m.version, m.name, err)
	}
	return nil
}
