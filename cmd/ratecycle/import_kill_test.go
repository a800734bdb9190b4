package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/store"
)

// TestImportKilledMidwayKeepsPreviousVintage runs the real `ratecycle data import` of a
// large file as a child process and SIGKILLs it at random moments (while parsing, while
// writing the transaction, around the commit). After every kill the store must pass its
// integrity and checksum checks, and the current vintage must be either the previous
// complete one or the complete new one: never a part.
func TestImportKilledMidwayKeepsPreviousVintage(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	bin, err := exec.LookPath("ratecycle")
	if err != nil {
		t.Fatalf("the testscript-installed ratecycle command is not on PATH: %v", err)
	}
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	small := filepath.Join(dir, "small.csv")
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(small, []byte("date,v\n2024-01-31,1\n2024-02-29,2\n2024-03-31,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const rows = 400_000
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "date,v")
	d := series.MustDate("1900-01-01")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(w, "%s,%d.5\n", d+series.Date(i), i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	run := func(args ...string) (string, error) {
		cmd := exec.Command(bin, append([]string{"--home", home}, args...)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("data", "import", small, "--as", "user/x", "--kind", "level"); err != nil {
		t.Fatalf("seed import: %v\n%s", err, out)
	}
	// Time one full import of the big file into a throwaway home.
	start := time.Now()
	timing := exec.Command(bin, "--home", filepath.Join(dir, "timing"), "data", "import", big, "--as", "user/x")
	if out, err := timing.CombinedOutput(); err != nil {
		t.Fatalf("timing import: %v\n%s", err, out)
	}
	full := time.Since(start)
	t.Logf("a full import of %d rows takes %v", rows, full)

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	t.Logf("kill delays from seed %d", seed)
	ctx := context.Background()
	completed := 0
	rounds := 8
	for k := 0; k < rounds; k++ {
		cmd := exec.Command(bin, "--home", home, "data", "import", big, "--as", "user/x")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Float64() * float64(full) * 1.1)
		time.Sleep(delay)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		finished := err == nil

		st, err := store.Open(ctx, filepath.Join(home, "store.db"))
		if err != nil {
			t.Fatalf("round %d (kill after %v): reopen: %v", k, delay, err)
		}
		if err := st.Check(ctx); err != nil {
			t.Fatalf("round %d (kill after %v): store check: %v", k, delay, err)
		}
		s, err := st.Series(ctx, "user/x", "")
		if err != nil {
			t.Fatalf("round %d: current vintage unreadable: %v", k, err)
		}
		vs, err := st.Vintages(ctx, "user/x")
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		switch s.Len() {
		case 3:
			if s.Values[2] != 3 {
				t.Fatalf("round %d: previous vintage changed: %v", k, s.Values)
			}
		case rows:
			completed++
			if s.Values[rows-1] != float64(rows-1)+0.5 {
				t.Fatalf("round %d: new vintage incomplete at the end: %v", k, s.Values[rows-1])
			}
			// Start the next round from the small vintage again.
			if out, err := run("data", "import", small, "--as", "user/x", "--kind", "level"); err != nil {
				t.Fatalf("reseed: %v\n%s", err, out)
			}
		default:
			t.Fatalf("round %d (kill after %v, finished=%v): current vintage has %d rows: a partial import", k, delay, finished, s.Len())
		}
		for _, v := range vs {
			if v.N != 3 && v.N != rows {
				t.Fatalf("round %d: a stored vintage has %d rows", k, v.N)
			}
		}
	}
	t.Logf("%d kills: %d imports completed before the kill, %d left the previous vintage current", rounds, completed, rounds-completed)
	if out, err := run("data", "show", "user/x"); err != nil || !strings.Contains(out, "observations") {
		t.Fatalf("data show after kills: %v\n%s", err, out)
	}
}
