package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/ratecycle/ratecycle/series"
)

// busyTimeout is how long a writer waits for another process's write transaction
// (a CLI import while the dashboard updates) before giving up with "database is
// locked".
const busyTimeout = 10 * time.Second

// Store is the SQLite implementation of Backend. It is safe for concurrent use by
// several goroutines, and several processes may open the same file: readers never
// block and are never blocked (WAL), writers take turns.
type Store struct {
	db   *sql.DB
	path string
	now  func() time.Time // the clock; tests replace it
}

// DefaultPath returns where the store lives: home/store.db when home is given (the
// CLI passes --home or $RATECYCLE_HOME), otherwise ratecycle/store.db in the user's
// cache directory (os.UserCacheDir: ~/.cache on Linux, ~/Library/Caches on macOS,
// %LocalAppData% on Windows).
func DefaultPath(home string) (string, error) {
	if home != "" {
		return filepath.Join(home, "store.db"), nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("store: no cache directory for the store (set --home or RATECYCLE_HOME): %w", err)
	}
	return filepath.Join(dir, "ratecycle", "store.db"), nil
}

// Open opens the store at path, creating the file and its directory if needed, and
// brings its schema up to date. It refuses a file written by a newer ratecycle
// (ErrSchemaTooNew) and a SQLite file that is not a ratecycle store.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: open: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, path: abs, now: time.Now}
	if err := migrate(ctx, db, func() string { return formatTime(s.now()) }); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// dsn builds the driver's connection string for an absolute path. A file: URI keeps
// a '?' or '#' in a directory name from being read as parameters. Every connection
// of the pool gets the same settings:
//   - WAL: readers see the last committed vintage while a writer works, and a killed
//     writer's partial transaction is discarded on the next open;
//   - synchronous=FULL: a vintage reported stored survives a power cut too (imports
//     are rare, a user's own CSV may exist nowhere else);
//   - foreign keys on, so a vintage cannot outlive its dataset or lose its payload;
//   - _txlock=immediate: write transactions take the write lock at BEGIN, so two
//     writers queue on the busy timeout instead of failing with SQLITE_BUSY when
//     one upgrades from reading to writing. Read-only transactions stay deferred.
func dsn(abs string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if u.Path[0] != '/' { // Windows: C:/x -> /C:/x
		u.Path = "/" + u.Path
	}
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	u.RawQuery = q.Encode()
	return u.String()
}

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database. The last connection to close checkpoints the WAL into
// the main file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

// SchemaVersion returns the schema version of the open store.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	v, err := schemaVersion(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

// Update runs fn in one write transaction (see Backend.Update). Writers in this and
// other processes wait for each other up to the busy timeout. Do not call the Store
// from inside fn: use tx, which also sees fn's own writes.
func (s *Store) Update(ctx context.Context, fn func(tx Tx) error) error {
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin update: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			sqlTx.Rollback() // the error that made us give up is the one to report
		}
	}()
	if err := fn(&txn{q: sqlTx, now: s.now}); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit update: %w", err)
	}
	committed = true
	return nil
}

// PutSeries writes s as a new vintage of dataset id and makes it current, in one
// transaction; the previous vintage is kept. s must have at least one non-missing
// value and strictly increasing dates. Empty Prov fields URL, File and RetrievedAt are
// filled from meta.
func (s *Store) PutSeries(ctx context.Context, id string, ser *series.Series, meta VintageMeta) (v Vintage, err error) {
	err = s.Update(ctx, func(tx Tx) error {
		v, err = tx.PutSeries(ctx, id, ser, meta)
		return err
	})
	return v, err
}

// PutFile writes data as a new vintage of the raw file dataset id and makes it
// current, in one transaction.
func (s *Store) PutFile(ctx context.Context, id string, data []byte, meta VintageMeta) (v Vintage, err error) {
	err = s.Update(ctx, func(tx Tx) error {
		v, err = tx.PutFile(ctx, id, data, meta)
		return err
	})
	return v, err
}

// Delete removes dataset id and all its vintages. Series vintages that recorded a
// deleted file as their Raw source keep their data and lose the link.
func (s *Store) Delete(ctx context.Context, id string) error {
	return s.Update(ctx, func(tx Tx) error { return tx.Delete(ctx, id) })
}

// Prune removes all but the keep newest vintages of dataset id, or of every dataset
// when id is "". The current vintage is always kept; keep must be at least 1 (use
// Delete to remove a dataset). Freed pages are reused by later writes; the file does
// not shrink.
func (s *Store) Prune(ctx context.Context, id string, keep int) (n int, err error) {
	err = s.Update(ctx, func(tx Tx) error {
		n, err = tx.Prune(ctx, id, keep)
		return err
	})
	return n, err
}

// Series returns vintage of series dataset id ("" for the current one), with
// Prov.Vintage set to the vintage id. It reads in a single statement, so it sees one
// committed vintage whole even while another process writes.
func (s *Store) Series(ctx context.Context, id, vintage string) (*series.Series, error) {
	return s.reader().Series(ctx, id, vintage)
}

// File returns vintage of raw file dataset id ("" for the current one).
func (s *Store) File(ctx context.Context, id, vintage string) ([]byte, Vintage, error) {
	return s.reader().File(ctx, id, vintage)
}

// Vintage returns the metadata of one vintage ("" for the current one).
func (s *Store) Vintage(ctx context.Context, id, vintage string) (Vintage, error) {
	return s.reader().Vintage(ctx, id, vintage)
}

// Vintages returns every kept vintage of dataset id, newest first.
func (s *Store) Vintages(ctx context.Context, id string) ([]Vintage, error) {
	return s.reader().Vintages(ctx, id)
}

// List returns every dataset with its current vintage, sorted by id.
func (s *Store) List(ctx context.Context) ([]Dataset, error) {
	return s.reader().List(ctx)
}

// reader runs each read as one autocommit statement on the pool.
func (s *Store) reader() *txn { return &txn{q: s.db, now: s.now} }

// Check verifies the whole store: SQLite's integrity_check and foreign_key_check,
// then every vintage's payload against its recorded size and checksum. It reads
// everything, so it is for `ratecycle store check`, not for every open.
func (s *Store) Check(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("store: check %s: %w", s.path, err)
	}
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			rows.Close()
			return fmt.Errorf("store: check %s: %w", s.path, err)
		}
		if msg != "ok" {
			problems = append(problems, msg)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: check %s: %w", s.path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("store: check %s: %w: integrity_check: %v", s.path, ErrCorrupt, problems)
	}
	var fkViolations int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check`).Scan(&fkViolations); err != nil {
		return fmt.Errorf("store: check %s: %w", s.path, err)
	}
	if fkViolations > 0 {
		return fmt.Errorf("store: check %s: %w: %d foreign key violations", s.path, ErrCorrupt, fkViolations)
	}
	// One vintage at a time: payloads can be large.
	ids, err := s.db.QueryContext(ctx, `SELECT id FROM vintage ORDER BY id`)
	if err != nil {
		return fmt.Errorf("store: check %s: %w", s.path, err)
	}
	var vids []int64
	for ids.Next() {
		var id int64
		if err := ids.Scan(&id); err != nil {
			ids.Close()
			return fmt.Errorf("store: check %s: %w", s.path, err)
		}
		vids = append(vids, id)
	}
	ids.Close()
	if err := ids.Err(); err != nil {
		return fmt.Errorf("store: check %s: %w", s.path, err)
	}
	for _, vid := range vids {
		var (
			dataset, sum string
			size         int64
			data         []byte
		)
		err := s.db.QueryRowContext(ctx, `SELECT v.dataset, v.checksum, v.size, p.data
			FROM vintage v JOIN payload p ON p.vintage = v.id WHERE v.id = ?`, vid).Scan(&dataset, &sum, &size, &data)
		if errors.Is(err, sql.ErrNoRows) {
			continue // pruned since we listed it
		}
		if err != nil {
			return fmt.Errorf("store: check %s: vintage %d: %w", s.path, vid, err)
		}
		if int64(len(data)) != size || checksum(data) != sum {
			return fmt.Errorf("store: check %s: %s vintage %d: %w: payload does not match its checksum", s.path, dataset, vid, ErrCorrupt)
		}
	}
	return nil
}

// timeLayout is fixed-width so stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }
