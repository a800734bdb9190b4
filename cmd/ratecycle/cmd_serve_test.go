package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuf is a stderr the server goroutine writes while the test reads.
type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls until re matches the buffer and returns the first submatch.
func (l *lockedBuf) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(l.String()); m != nil {
			return m[len(m)-1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %q in stderr:\n%s", re, l.String())
	return ""
}

// TestServeGracefulShutdown runs the real serve command on 127.0.0.1:0, answers an API
// request, then cancels the command's context (what SIGINT/SIGTERM do in main) while a
// request is still being sent: that request is answered in full, and the command then
// exits 0 with the listener closed.
func TestServeGracefulShutdown(t *testing.T) {
	t.Setenv("RATECYCLE_HOME", t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr lockedBuf
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, &IOStreams{In: &bytes.Buffer{}, Out: io.Discard, Err: &stderr})
	}()
	addr := stderr.waitFor(t, regexp.MustCompile(`dashboard on http://(127\.0\.0\.1:\d+)/`))
	base := "http://" + addr

	res, err := http.Get(base + "/api/v1/cycles?since=2024-01-01")
	if err != nil {
		t.Fatal(err)
	}
	var cy struct {
		Current struct{ Regime string }
		Cycles  []struct {
			FirstMove string `json:"first_move"`
		}
	}
	err = json.NewDecoder(res.Body).Decode(&cy)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 || len(cy.Cycles) == 0 || cy.Cycles[len(cy.Cycles)-1].FirstMove != "2024-09-18" {
		t.Fatalf("cycles: %d %v %+v", res.StatusCode, err, cy)
	}
	if strings.Contains(stderr.String(), "warning") {
		t.Errorf("warning on loopback: %s", stderr.String())
	}

	// A request in flight: headers and half the form sent, the rest after the cancel.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", base+"/api/v1/risk", pr)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	type answer struct {
		code int
		body string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- answer{err: err}
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		got <- answer{res.StatusCode, string(b), nil}
	}()
	io.WriteString(pw, "series=price/IWM&from=2015-01-01")
	time.Sleep(300 * time.Millisecond) // let the server start reading the request
	cancel()
	stderr.waitFor(t, regexp.MustCompile(`(shutting down)`))
	io.WriteString(pw, "&to=2024-12-31")
	pw.Close()
	a := <-got
	if a.err != nil || a.code != 200 || !strings.Contains(a.body, `"n":2516`) {
		t.Fatalf("in-flight request: %d %v %.300s", a.code, a.err, a.body)
	}

	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	if !strings.Contains(stderr.String(), "ratecycle: stopped") {
		t.Errorf("stderr: %s", stderr.String())
	}
	if _, err := http.Get(base + "/api/v1/cycles"); err == nil {
		t.Error("the listener still answers after shutdown")
	}
}

func TestCheckAddr(t *testing.T) {
	for _, c := range []struct {
		addr     string
		loopback bool
		bad      bool
	}{
		{"127.0.0.1:8080", true, false},
		{"localhost:0", true, false},
		{"[::1]:8080", true, false},
		{"0.0.0.0:8080", false, false},
		{":8080", false, false},
		{"192.0.2.10:80", false, false},
		{"8080", false, true},
		{"127.0.0.1:http", false, true},
		{"127.0.0.1:70000", false, true},
	} {
		lb, err := checkAddr(c.addr)
		if (err != nil) != c.bad || (!c.bad && lb != c.loopback) {
			t.Errorf("checkAddr(%q) = %v, %v", c.addr, lb, err)
		}
	}
}
