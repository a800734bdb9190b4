package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestMigrationsAreNumberedFromOne(t *testing.T) {
	for i, m := range migrations {
		if m.version != i+1 {
			t.Errorf("migrations[%d] has version %d, want %d (append-only, no gaps)", i, m.version, i+1)
		}
	}
}

func TestOpenIsIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	// Several processes may open a new store at once; each migration applies once.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			s, err := Open(ctx, path)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != latestVersion() {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, latestVersion())
	}
	var rows int
	s.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&rows)
	if rows != len(migrations) {
		t.Errorf("%d rows in schema_migrations, want %d", rows, len(migrations))
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	newer := latestVersion() + 1
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, 'from the future', '')`, newer); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, path)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
	}
	for _, want := range []string{"store: open " + path, "schema version is 2", "up to 1", "upgrade ratecycle"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	saved := migrations
	t.Cleanup(func() { migrations = saved })
	migrations = append(append([]migration(nil), saved...), migration{
		version: len(saved) + 1, name: "broken",
		sql: `CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);`,
	})
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "migration 2 (broken)") {
		t.Fatalf("Open with a broken migration = %v", err)
	}
	migrations = saved
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'`).Scan(&n)
	if v, _ := s.SchemaVersion(ctx); v != 1 || n != 0 {
		t.Errorf("after a failed migration: version %d, half_done tables %d; want 1, 0", v, n)
	}
}

func TestOpenRefusesForeignDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE contacts (name TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "not a ratecycle store") {
		t.Errorf("Open of another program's database = %v", err)
	}
}
