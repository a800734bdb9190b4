package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ratecycle/ratecycle/fetch/fetchtest"
	"github.com/ratecycle/ratecycle/snapshot"
	"github.com/ratecycle/ratecycle/source/french"
	"github.com/ratecycle/ratecycle/store"
)

// updateEnv starts the replay servers and points ratecycle at them and at a fresh
// data directory, through the environment as a user would.
func updateEnv(t *testing.T) (*fetchtest.Server, string) {
	t.Helper()
	srv := fetchtest.New()
	t.Cleanup(srv.Close)
	home := t.TempDir()
	t.Setenv("RATECYCLE_HOME", home)
	t.Setenv("RATECYCLE_CONFIG", filepath.Join(home, "none.yaml"))
	os.WriteFile(filepath.Join(home, "none.yaml"), nil, 0o644)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("RATECYCLE_HTTP_RATE", "1000")
	t.Setenv("RATECYCLE_HTTP_BASE_DELAY", "1ms")
	t.Setenv("RATECYCLE_SEC_USER_AGENT", "")
	t.Setenv("FRED_API_KEY", "")
	t.Setenv("RATECYCLE_OFFLINE", "")
	return srv, home
}

func runCLI(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, args, &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func TestDataUpdateEndToEnd(t *testing.T) {
	srv, _ := updateEnv(t)
	ctx := context.Background()
	code, out, errs := runCLI(t, ctx, "data", "update", "fred/DFF", "french/F-F_Research_Data_Factors/SMB")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"fred/DFF", "updated", "26034", "1954-07-01..2025-10-09", "fredgraph",
		"french/F-F_Research_Data_Factors", "8 series from french/F-F_Research_Data_Factors_CSV.zip", "2 updated, 0 unchanged, 0 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The catalog now serves the stored vintage.
	code, out, _ = runCLI(t, ctx, "data", "info", "fred/DFF", "--format", "json")
	if code != 0 || !strings.Contains(out, `"source": "store"`) {
		t.Fatalf("info: %s", out)
	}
	// New data upstream: a second vintage; the first stays pinnable.
	dff, _ := fetchtest.FREDCSV("DFF")
	srv.SetBody("fred", "DFF", fetchtest.AppendRow(dff, "3.87"))
	code, out, errs = runCLI(t, ctx, "data", "update", "fred/DFF")
	if code != 0 || !strings.Contains(out, "2025-10-10") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runCLI(t, ctx, "data", "show", "fred/DFF", "--from", "2025-10-08")
	if code != 0 || !strings.Contains(out, "2025-10-10") || !strings.Contains(out, "3.87") {
		t.Fatalf("show: %s", out)
	}
	code, out, _ = runCLI(t, ctx, "data", "vintages", "fred/DFF", "--format", "csv")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.Contains(lines[1], ",yes,") || !strings.Contains(lines[2], "/graph/fredgraph.csv?id=DFF") {
		t.Fatalf("vintages: %s", out)
	}
	first := strings.Split(lines[2], ",")[0]
	code, out, _ = runCLI(t, ctx, "data", "show", "fred/DFF", "--from", "2025-10-08", "--vintage", first)
	if code != 0 || strings.Contains(out, "2025-10-10") || !strings.Contains(out, "2025-10-09") {
		t.Fatalf("show --vintage %s: %s", first, out)
	}
	// Unchanged upstream: 304, no new vintage.
	code, out, _ = runCLI(t, ctx, "data", "update", "fred/DFF", "--format", "json")
	if code != 0 || !strings.Contains(out, `"status": "unchanged"`) {
		t.Fatalf("%s", out)
	}
}

func TestDataUpdateFailureKeepsVintageAndExits1(t *testing.T) {
	srv, _ := updateEnv(t)
	ctx := context.Background()
	if code, out, errs := runCLI(t, ctx, "data", "update", "fred/DFF"); code != 0 {
		t.Fatalf("%s%s", out, errs)
	}
	srv.Inject(fetchtest.Fault{Provider: "fred", Handler: fetchtest.Status(500, "Internal Server Error: upstream")})
	code, out, errs := runCLI(t, ctx, "data", "update", "fred/DFF", "fred/DGS2")
	if code != exitFailure {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"fred/DFF: fred: GET " + srv.URL("fred") + "/graph/fredgraph.csv?id=DFF: HTTP 500 Internal Server Error after 4 tries",
		`the server said "Internal Server Error: upstream"`, "0 updated, 0 unchanged, 2 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "2 of 2 updates failed (see above); the previous vintages stay current") {
		t.Errorf("stderr: %s", errs)
	}
	code, out, _ = runCLI(t, ctx, "data", "show", "fred/DFF", "--from", "2025-10-09")
	if code != 0 || !strings.Contains(out, "2025-10-09") {
		t.Fatal(out)
	}
}

func TestDataUpdateRefusals(t *testing.T) {
	srv, _ := updateEnv(t)
	ctx := context.Background()
	cases := []struct {
		args []string
		env  [2]string
		want string
	}{
		{[]string{"data", "update", "--offline"}, [2]string{}, "--offline (or RATECYCLE_OFFLINE=1) forbids the network"},
		{[]string{"data", "update", "fred/DFF"}, [2]string{"RATECYCLE_OFFLINE", "1"}, "forbids the network"},
		{[]string{"data", "update", "sec/tickers"}, [2]string{}, "SEC EDGAR needs a User-Agent with a contact address: set RATECYCLE_SEC_USER_AGENT"},
		{[]string{"data", "update", "--source", "sec"}, [2]string{}, "SEC EDGAR needs a User-Agent"},
		{[]string{"data", "update", "sec/tickers"}, [2]string{"RATECYCLE_SEC_USER_AGENT", "ratecycle-bot"}, `"ratecycle-bot" has no e-mail address`},
		{[]string{"data", "update", "--source", "bonds"}, [2]string{}, `--source "bonds": want one of fred, french, prices, holdings, sec`},
		{[]string{"data", "update", "shiller/PE10"}, [2]string{}, `no live source for provider "shiller"`},
		{[]string{"data", "update", "fred/DFF", "--source", "french"}, [2]string{}, "fred/DFF is a fred dataset, not --source french"},
		{[]string{"data", "update", "--since", "2025-13-01", "fred/DFF"}, [2]string{}, "--since"},
		{[]string{"data", "update", "fred/DFF"}, [2]string{"RATECYCLE_FRED_URL", "ftp://mirror"}, `fred base URL "ftp://mirror"`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args[2:], " ")+" "+c.env[0], func(t *testing.T) {
			if c.env[0] != "" {
				t.Setenv(c.env[0], c.env[1])
			}
			code, _, errs := runCLI(t, ctx, c.args...)
			if code != exitBadUse || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d, stderr %q, want %q", code, errs, c.want)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("refused updates made %d requests", n)
	}
}

func TestDataUpdateCtrlC(t *testing.T) {
	srv, _ := updateEnv(t)
	srv.Chunk, srv.ChunkDelay = 16<<10, 20*time.Millisecond // DFF takes ~0.5 s
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(700*time.Millisecond, cancel)
	code, out, errs := runCLI(t, ctx, "data", "update", "--source", "fred")
	if code != exitFailure {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "interrupted after ") || !strings.Contains(out, "nothing partial was written") ||
		!strings.Contains(out, "not attempted") || !strings.Contains(errs, "update interrupted") {
		t.Fatalf("%s\n%s", out, errs)
	}
	t.Log(out[strings.Index(out, "interrupted after"):])
}

// tweakFrench returns the 49-industry CSV with the first value of its first data row
// raised by k hundredths of a percent: a small revision that passes validation and
// makes every version's checksum distinct.
func tweakFrench(t *testing.T, csv []byte, k int) []byte {
	lines := strings.SplitAfter(string(csv), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "192607,") {
			f := strings.Split(l, ",")
			v, err := strconv.ParseFloat(strings.TrimSpace(f[1]), 64)
			if err != nil {
				t.Fatal(err)
			}
			f[1] = fmt.Sprintf("%6.2f", v+float64(k)*0.01)
			lines[i] = strings.Join(f, ",")
			return []byte(strings.Join(lines, ""))
		}
	}
	t.Fatal("no 192607 row")
	return nil
}

// frenchChecksums parses a version of the file as the updater does and returns the
// checksum of every stored series id.
func frenchChecksums(t *testing.T, csv []byte) map[string]string {
	f, err := french.Parse(bytes.NewReader(csv), "49_Industry_Portfolios.CSV")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for i, sec := range f.Sections {
		for _, col := range sec.Columns {
			s, _ := sec.Series(col)
			id := "french/49_Industry_Portfolios/" + col
			if i > 0 {
				id = "french/49_Industry_Portfolios/" + sec.Key + "/" + col
			}
			if !allNaN(s.Values) {
				out[id] = store.Checksum(s)
			}
		}
	}
	return out
}

func allNaN(v []float64) bool {
	for _, x := range v {
		if x == x {
			return false
		}
	}
	return true
}

// TestKilledUpdateLeavesPreviousVintage runs `ratecycle data update` as a child
// process against a slow local server, SIGKILLs it while it writes (after it logs
// "writing", at a random moment within the measured length of the write), reopens
// the store and checks that the current data is one whole version: either the
// previous one, every series as it was, or the new one, every series of it, each
// pointing at the raw zip it was parsed from, and every checksum verified.
func TestKilledUpdateLeavesPreviousVintage(t *testing.T) {
	bin, err := exec.LookPath("ratecycle") // testscript.Main put the test binary there as "ratecycle"
	if err != nil {
		t.Skip("no ratecycle command in PATH:", err)
	}
	srv, home := updateEnv(t)
	ctx := context.Background()
	const id, rawID = "french/49_Industry_Portfolios", "french/49_Industry_Portfolios_CSV.zip"
	csv, err := snapshot.ReadFile("kenfrench/49_Industry_Portfolios.CSV")
	if err != nil {
		t.Fatal(err)
	}
	serve := func(k int) map[string]string {
		b := tweakFrench(t, csv, k)
		z, err := fetchtest.Zip("49_Industry_Portfolios.CSV", b)
		if err != nil {
			t.Fatal(err)
		}
		srv.SetBody("french", "49_Industry_Portfolios_CSV.zip", z)
		return frenchChecksums(t, b)
	}
	versions := map[string]int{} // raw vintage id -> version
	sums := map[int]map[string]string{0: serve(0)}

	// Version 0, in process, timing its write.
	start := time.Now()
	code, out, errs := runCLI(t, ctx, "data", "update", id, "-v")
	if code != 0 {
		t.Fatalf("%s%s", out, errs)
	}
	writeAt := strings.Index(errs, ": writing ")
	if writeAt < 0 {
		t.Fatalf("no writing line: %s", errs)
	}
	total := time.Since(start)
	st, err := store.Open(ctx, filepath.Join(home, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	rv, err := st.Vintage(ctx, rawID, "")
	if err != nil {
		t.Fatal(err)
	}
	versions[rv.ID] = 0
	st.Close()
	t.Logf("first update of %s (%d series) took %v", id, len(sums[0]), total)

	rounds := 6
	if testing.Short() {
		rounds = 3
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("random kill delays from seed %d", seed)
	srv.Chunk, srv.ChunkDelay = 256<<10, 30*time.Millisecond // a slow server: ~0.1 s per download
	// Calibrate: one child update not killed, timing its write (from "writing" to
	// its next log line, on this clock).
	sums[1] = serve(1)
	_, write := killDuringWrite(t, bin, id, -1)
	versions[currentRaw(t, home, rawID)] = 1
	t.Logf("a child's write transaction takes about %v", write.Round(time.Millisecond))
	rolledBack, committed := 0, 0
	for round := 2; round <= rounds+1; round++ {
		sums[round] = serve(round)
		// Kill between 0 and 1.5 times the write's duration after "writing": most
		// kills land inside the transaction, some after its commit.
		delay := time.Duration(rng.Int64N(int64(write) * 3 / 2))
		wrote, _ := killDuringWrite(t, bin, id, delay)
		st, err := store.Open(ctx, filepath.Join(home, "store.db"))
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		if err := st.Check(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		rv, err := st.Vintage(ctx, rawID, "")
		if err != nil {
			t.Fatal(err)
		}
		k, known := versions[rv.ID]
		if !known {
			k = round
			versions[rv.ID] = round
		}
		n := 0
		for sid, want := range sums[k] {
			v, err := st.Vintage(ctx, sid, "")
			if err != nil {
				t.Fatalf("round %d: %s: %v", round, sid, err)
			}
			if v.Checksum != want || v.Raw != rv.ID {
				t.Fatalf("round %d: %s is not version %d of raw vintage %s: checksum %.12s raw %s (a mix)", round, sid, k, rv.ID, v.Checksum, v.Raw)
			}
			n++
		}
		st.Close()
		if k == round {
			committed++
		} else {
			rolledBack++
		}
		t.Logf("round %d: killed %v after 'writing' (child logged %q); store holds version %d, all %d series consistent",
			round, delay.Round(time.Millisecond), wrote, k, n)
	}
	t.Logf("%d kills: %d rolled back to the previous version, %d after the commit; intact every time", rounds, rolledBack, committed)
	if rounds >= 6 && rolledBack == 0 {
		t.Errorf("no kill landed inside the write: the test proved nothing")
	}
}

func currentRaw(t *testing.T, home, rawID string) string {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(home, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.Vintage(context.Background(), rawID, "")
	if err != nil {
		t.Fatal(err)
	}
	return v.ID
}

// killDuringWrite starts the child update, waits for its "writing" log line, waits
// delay and SIGKILLs it. It returns the child's last log line. With a negative
// delay it lets the child finish and also returns how long after "writing" the
// next line came (the write's duration).
func killDuringWrite(t *testing.T, bin string, id string, delay time.Duration) (string, time.Duration) {
	t.Helper()
	cmd := exec.Command(bin, "data", "update", id, "-v")
	cmd.Env = os.Environ()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	last := ""
	timeout := time.After(time.Minute)
	for !strings.Contains(last, ": writing ") {
		select {
		case l, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("child exited before writing; last line %q", last)
			}
			last = l
		case <-timeout:
			cmd.Process.Kill()
			t.Fatal("child did not start writing within a minute")
		}
	}
	if delay < 0 {
		at := time.Now()
		l, ok := <-lines
		took := time.Since(at)
		for range lines {
		}
		if err := cmd.Wait(); err != nil || !ok || !strings.HasSuffix(l, ": updated") {
			t.Fatalf("calibration child: %v, %q", err, l)
		}
		return l, took
	}
	time.Sleep(delay)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for l := range lines {
		last = l
	}
	cmd.Wait()
	return last, 0
}
