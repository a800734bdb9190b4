package store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ratecycle/ratecycle/series"
)

// TestMain lets the test binary double as the child process of
// TestKilledImportLeavesPreviousVintage: with STORE_CHILD=1 it runs importForever
// instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv("STORE_CHILD") == "1" {
		if err := importForever(os.Getenv("STORE_CHILD_PATH"), os.Getenv("STORE_CHILD_FROM")); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const (
	bigID = "test/big"
	rawID = "test/raw"
)

// bigGeneration is the k-th vintage of the large series: 200,000 to 300,000 daily
// points (a few MB, so a write takes long enough to be killed in the middle) whose
// values all depend on k.
func bigGeneration(k int) *series.Series {
	n := 200_000 + (k%5)*25_000
	return daily("big", n, func(i int) float64 {
		if i%97 == 0 {
			return math.NaN()
		}
		return float64(k) + float64(i)*1e-7
	})
}

// rawGeneration is the k-th vintage of the raw file the big series is "parsed" from.
func rawGeneration(k int) []byte {
	b := make([]byte, 512<<10)
	for i := range b {
		b[i] = byte(i*31 + k*7)
	}
	copy(b, fmt.Sprintf("generation %d\n", k))
	return b
}

// importGeneration writes generation k the way the updater will: the raw file, the
// series parsed from it, and pruning, in one transaction.
func importGeneration(ctx context.Context, st *Store, k int) error {
	s, raw := bigGeneration(k), rawGeneration(k)
	return st.Update(ctx, func(tx Tx) error {
		fv, err := tx.PutFile(ctx, rawID, raw, VintageMeta{ETag: strconv.Itoa(k)})
		if err != nil {
			return err
		}
		if _, err := tx.PutSeries(ctx, bigID, s, VintageMeta{Raw: fv.ID}); err != nil {
			return err
		}
		if _, err := tx.Prune(ctx, bigID, 3); err != nil {
			return err
		}
		_, err = tx.Prune(ctx, rawID, 3)
		return err
	})
}

// importForever is the child: it imports generation after generation until killed,
// printing "begin k" before each transaction and "commit k" after it returns.
func importForever(path, from string) error {
	k, err := strconv.Atoi(from)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := Open(ctx, path)
	if err != nil {
		return err
	}
	for k++; ; k++ {
		fmt.Printf("begin %d\n", k)
		if err := importGeneration(ctx, st, k); err != nil {
			return err
		}
		fmt.Printf("commit %d\n", k)
	}
}

// TestKilledImportLeavesPreviousVintage SIGKILLs a child process in the middle of
// imports, again and again on the same store, at random moments. After each kill the
// store must pass integrity_check and checksum verification, and the current
// vintage must be exactly the last generation the child committed (or the one it
// committed just before it could say so), with its raw file from the same
// generation: never a partial or mixed import.
func TestKilledImportLeavesPreviousVintage(t *testing.T) {
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" || runtime.GOOS == "ios" {
		t.Skip("cannot start child processes on " + runtime.GOOS)
	}
	rounds := 10
	if testing.Short() {
		rounds = 3
	}
	if n, err := strconv.Atoi(os.Getenv("STORE_KILL_ROUNDS")); err == nil && n > 0 {
		rounds = n // soak: STORE_KILL_ROUNDS=200 go test -run Killed ./store
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("random delays from seed %d", seed)

	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := importGeneration(ctx, st, 0); err != nil {
		t.Fatal(err)
	}
	// Kill within about three imports of the child starting one, whatever the
	// machine's speed.
	maxDelay := 3 * time.Since(start)
	st.Close()

	// Where the kills landed: inside an import's transaction (rolled back on reopen),
	// after its commit but before the child reported it (in practice during the WAL
	// checkpoint SQLite runs as part of a large commit), or between imports.
	committed, rolledBack, afterCommit := 0, 0, 0
	for round := range rounds {
		delay := time.Duration(rng.Int64N(int64(maxDelay)))
		lastBegin, lastCommit := runAndKill(t, path, committed, delay)
		st, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		k := verifyAfterKill(t, st, round)
		st.Close()
		switch {
		case k == lastCommit && lastBegin > lastCommit:
			rolledBack++
		case k == lastCommit:
		case k == lastCommit+1 && lastBegin == k:
			afterCommit++
		default:
			t.Fatalf("round %d: current generation is %d; child began %d and reported %d committed",
				round, k, lastBegin, lastCommit)
		}
		t.Logf("round %d: killed after %v; began %d, reported %d committed, store has %d",
			round, delay.Round(time.Millisecond), lastBegin, lastCommit, k)
		committed = k
	}
	t.Logf("%d kills: %d inside an import transaction, %d after a commit before it was reported, %d between imports; the store was intact every time",
		rounds, rolledBack, afterCommit, rounds-rolledBack-afterCommit)
	if rounds >= 10 && rolledBack == 0 {
		t.Errorf("no kill out of %d landed inside a transaction: the test proved nothing", rounds)
	}
}

// runAndKill starts the child importing generations after from, kills it delay after
// it began its first import, and returns the last generation it began and the last
// it reported committed.
func runAndKill(t *testing.T, path string, from int, delay time.Duration) (lastBegin, lastCommit int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STORE_CHILD=1", "STORE_CHILD_PATH="+path, "STORE_CHILD_FROM="+strconv.Itoa(from))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	lastBegin, lastCommit = from, from
	record := func(line string) {
		verb, num, _ := strings.Cut(line, " ")
		k, err := strconv.Atoi(num)
		if err != nil {
			t.Errorf("child said %q", line)
			return
		}
		switch verb {
		case "begin":
			lastBegin = k
		case "commit":
			lastCommit = k
		}
	}

	// Wait for the child to begin writing, then let it run for delay.
	timeout := time.After(2 * time.Minute)
	var kill <-chan time.Time
	for kill == nil {
		select {
		case line, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("child exited before importing: %s", stderr.String())
			}
			record(line)
			if strings.HasPrefix(line, "begin ") {
				kill = time.After(delay)
			}
		case <-timeout:
			cmd.Process.Kill()
			t.Fatal("child did not start importing within 2 minutes")
		}
	}
	for killed := false; !killed; {
		select {
		case line, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("child exited on its own: %s", stderr.String())
			}
			record(line)
		case <-kill:
			if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
				t.Fatal(err)
			}
			killed = true
		}
	}
	for line := range lines { // what it printed before dying
		record(line)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatalf("child was not killed: %s", stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("child wrote to stderr: %s", stderr.String())
	}
	return lastBegin, lastCommit
}

// verifyAfterKill checks the reopened store and returns the generation it holds.
func verifyAfterKill(t *testing.T, st *Store, round int) int {
	t.Helper()
	ctx := context.Background()
	var integrity string
	if err := st.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("round %d: integrity_check = %q, %v", round, integrity, err)
	}
	if err := st.Check(ctx); err != nil { // every kept vintage against its checksum
		t.Fatalf("round %d: %v", round, err)
	}
	s, err := st.Series(ctx, bigID, "")
	if err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
	k := int(s.Values[1]) // values[0] is NaN
	want := bigGeneration(k)
	if diff := cmp.Diff(want.Values, s.Values, bitsEqual); diff != "" || s.Len() != want.Len() {
		t.Fatalf("round %d: current series is not generation %d (%d points, want %d)", round, k, s.Len(), want.Len())
	}
	sv, err := st.Vintage(ctx, bigID, "")
	if err != nil {
		t.Fatal(err)
	}
	if sv.Checksum != Checksum(want) {
		t.Fatalf("round %d: current vintage checksum %s, generation %d has %s", round, sv.Checksum, k, Checksum(want))
	}
	raw, fv, err := st.File(ctx, rawID, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, rawGeneration(k)) || fv.ETag != strconv.Itoa(k) || sv.Raw != fv.ID {
		t.Fatalf("round %d: series is generation %d but the current raw file is %q (vintage %s, series says %s)",
			round, k, raw[:bytes.IndexByte(raw, '\n')], fv.ID, sv.Raw)
	}
	return k
}
