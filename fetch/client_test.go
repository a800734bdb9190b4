package fetch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testClient returns a client whose waits are recorded instead of slept, with a
// fixed jitter of 0.5 and a fixed clock.
func testClient() (*Client, *[]time.Duration) {
	c := NewClient()
	c.AttemptTimeout = 2 * time.Second
	c.DefaultLimit = 1000
	var mu sync.Mutex
	slept := &[]time.Duration{}
	c.Sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		*slept = append(*slept, d)
		mu.Unlock()
		return ctx.Err()
	}
	c.Jitter = func() float64 { return 0.5 }
	c.Now = func() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }
	return c, slept
}

// script serves answers[i] on the i-th request (the last one repeats).
func script(t *testing.T, answers ...func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		answers[min(i, len(answers)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, body string, hdr ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}
}

const csvBody = "observation_date,DFF\n1954-07-01,1.13\n1954-07-02,1.25\n"

func TestRetry5xxThenSuccess(t *testing.T) {
	c, slept := testClient()
	srv, n := script(t, status(500, "oops"), status(502, "bad gateway"), status(200, csvBody))
	resp, err := c.Get(context.Background(), Request{Provider: "fred", URL: srv.URL + "/x.csv", Want: CSV})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != csvBody || resp.Attempts != 3 || n.Load() != 3 {
		t.Fatalf("attempts %d, requests %d", resp.Attempts, n.Load())
	}
	// Equal jitter at 0.5: 1s -> 750ms, 2s -> 1.5s.
	if want := []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond}; fmt.Sprint(*slept) != fmt.Sprint(want) {
		t.Fatalf("waits %v, want %v", *slept, want)
	}
}

func TestBackoffBoundsAndCap(t *testing.T) {
	c := NewClient()
	for _, j := range []float64{0, 0.999} {
		c.Jitter = func() float64 { return j }
		for n := 1; n <= 12; n++ {
			d := min(c.BaseDelay<<(n-1), c.MaxDelay)
			if got := c.backoff(n); got < d/2 || got > d {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", n, got, d/2, d)
			}
		}
	}
}

func TestRetriesExhaustedNamesEverything(t *testing.T) {
	c, slept := testClient()
	srv, n := script(t, status(500, "<p>upstream\x00 timed out\n\n while   reading</p>"+strings.Repeat("x", 400)))
	_, err := c.Get(context.Background(), Request{Provider: "fred", URL: srv.URL + "/graph/fredgraph.csv?id=DFF", Want: CSV})
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("%T %v", err, err)
	}
	msg := err.Error()
	for _, want := range []string{"fred: GET " + srv.URL + "/graph/fredgraph.csv?id=DFF", "HTTP 500 Internal Server Error", "after 4 tries",
		`the server said "<p>upstream� timed out while reading</p>xxx`, `..."`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if n.Load() != 4 || len(*slept) != 3 || fe.Status != 500 || fe.Attempts != 4 {
		t.Fatalf("requests %d waits %v", n.Load(), *slept)
	}
	if len(fe.Body) > 210 {
		t.Errorf("snippet is %d bytes", len(fe.Body))
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		first  func(http.ResponseWriter, *http.Request)
		want   time.Duration
		failed bool
	}{
		{"429 seconds", status(429, "slow down", "Retry-After", "7"), 7 * time.Second, false},
		{"503 seconds", status(503, "maintenance", "Retry-After", "2"), 2 * time.Second, false},
		{"503 HTTP-date", status(503, "maintenance", "Retry-After", now.Add(90*time.Second).Format(http.TimeFormat)), 90 * time.Second, false},
		{"429 date in the past", status(429, "", "Retry-After", now.Add(-time.Hour).Format(http.TimeFormat)), time.Millisecond, false},
		{"429 without Retry-After uses backoff", status(429, ""), 750 * time.Millisecond, false},
		{"429 garbage Retry-After uses backoff", status(429, "", "Retry-After", "soon"), 750 * time.Millisecond, false},
		{"500 ignores Retry-After", status(500, "", "Retry-After", "9"), 750 * time.Millisecond, false},
		{"429 asks too much", status(429, "come back tomorrow", "Retry-After", "86400"), 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, slept := testClient()
			srv, n := script(t, tc.first, status(200, csvBody))
			_, err := c.Get(context.Background(), Request{Provider: "stooq", URL: srv.URL, Want: CSV})
			if tc.failed {
				if err == nil || !strings.Contains(err.Error(), "asked to retry after 24h0m0s, longer than the 5m0s this client waits") || n.Load() != 1 {
					t.Fatalf("err %v after %d requests", err, n.Load())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(*slept) != 1 || (*slept)[0] != tc.want {
				t.Fatalf("waited %v, want %v", *slept, tc.want)
			}
		})
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 410} {
		c, _ := testClient()
		srv, n := script(t, status(code, `{"error_code":400,"error_message":"Bad Request. The series does not exist."}`))
		_, err := c.Get(context.Background(), Request{Provider: "fred", URL: srv.URL + "?api_key=s3cr3t&series_id=NOPE", Want: JSON})
		if err == nil || n.Load() != 1 {
			t.Fatalf("%d: err %v after %d requests", code, err, n.Load())
		}
		if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "api_key=REDACTED") ||
			!strings.Contains(err.Error(), "The series does not exist") {
			t.Fatalf("%d: %v", code, err)
		}
	}
}

func TestSlowBodyTimesOutAndRetries(t *testing.T) {
	c, _ := testClient()
	c.AttemptTimeout = 150 * time.Millisecond
	c.Attempts = 2
	srv, n := script(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(200)
		for i := 0; i < 100; i++ {
			if _, err := w.Write([]byte(strings.Repeat("1", 1000))); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	start := time.Now()
	_, err := c.Get(context.Background(), Request{Provider: "french", URL: srv.URL, Want: Zip})
	if !errors.Is(err, ErrTimeout) || n.Load() != 2 {
		t.Fatalf("err %v after %d requests", err, n.Load())
	}
	if !strings.Contains(err.Error(), "timed out after 150ms reading the body (got ") || !strings.Contains(err.Error(), "of 100000 announced") {
		t.Errorf("message: %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v", el)
	}
}

func TestSlowHeadersTimeOut(t *testing.T) {
	c, _ := testClient()
	c.AttemptTimeout = 100 * time.Millisecond
	c.Attempts = 3
	srv, n := script(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}, status(200, csvBody))
	resp, err := c.Get(context.Background(), Request{Provider: "fred", URL: srv.URL, Want: CSV})
	if err != nil || resp.Attempts != 2 || n.Load() != 2 {
		t.Fatalf("err %v, requests %d", err, n.Load())
	}
}

// rawServer answers each connection with the bytes f returns, then closes it: for
// bodies shorter than their Content-Length, which net/http refuses to send.
func rawServer(t *testing.T, f func(i int) string) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			i := int(n.Add(1)) - 1
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				if _, err := http.ReadRequest(br); err != nil {
					return
				}
				conn.Write([]byte(f(i)))
			}()
		}
	}()
	return "http://" + ln.Addr().String(), &n
}

func TestTruncatedBodyIsRetriedThenReported(t *testing.T) {
	full := strings.Repeat("1954-07-01,1.13\n", 100)
	cases := []struct {
		name   string
		answer func(i int) string
		ok     bool
	}{
		{"short then whole", func(i int) string {
			if i == 0 {
				return fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(full), full[:700])
			}
			return fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(full), full)
		}, true},
		{"always short", func(i int) string {
			return fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(full)+50, full)
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := testClient()
			url, n := rawServer(t, tc.answer)
			resp, err := c.Get(context.Background(), Request{Provider: "fred", URL: url + "/DFF.csv", Want: CSV})
			if tc.ok {
				if err != nil || string(resp.Body) != full || n.Load() != 2 {
					t.Fatalf("err %v, requests %d", err, n.Load())
				}
				return
			}
			if !errors.Is(err, ErrTruncated) || n.Load() != 4 {
				t.Fatalf("err %v, requests %d", err, n.Load())
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("got %d bytes of %d announced", len(full), len(full)+50)) {
				t.Errorf("message: %v", err)
			}
		})
	}
}

func TestContentChecks(t *testing.T) {
	html := "<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head><body>We'll be back soon.</body></html>"
	cases := []struct {
		name, ctype, body string
		want              Content
		bad               string
	}{
		{"html instead of csv", "text/html; charset=utf-8", html, CSV, "an HTML page"},
		{"html instead of csv, lying type", "text/csv", "\ufeff  <html><body>Error</body></html>", CSV, "an HTML page"},
		{"html instead of json", "text/html", html, JSON, "an HTML page"},
		{"html instead of zip", "application/zip", html, Zip, "an HTML page"},
		{"csv instead of zip", "application/zip", csvBody, Zip, "not a zip file"},
		{"csv instead of json", "application/json", csvBody, JSON, "not JSON"},
		{"json instead of csv", "application/json", `{"error":"x"}`, CSV, "JSON"},
		{"empty", "text/csv", "\n", CSV, "empty body"},
		{"csv served as text/html", "text/html", csvBody, CSV, ""},
		{"json", "application/json", `{"a":1}`, JSON, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := testClient()
			srv, n := script(t, status(200, tc.body, "Content-Type", tc.ctype))
			_, err := c.Get(context.Background(), Request{Provider: "fred", URL: srv.URL, Want: tc.want})
			if tc.bad == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrContent) || !strings.Contains(err.Error(), tc.bad) || n.Load() != 1 {
				t.Fatalf("err %v after %d requests", err, n.Load())
			}
			if strings.Contains(tc.body, "Service Unavailable") && !strings.Contains(err.Error(), "Service Unavailable") {
				t.Errorf("the error does not quote the page: %v", err)
			}
		})
	}
}

func TestConditionalRequest304(t *testing.T) {
	c, _ := testClient()
	srv, _ := script(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Tue, 17 Nov 2026 10:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, csvBody)
	})
	resp, err := c.Get(context.Background(), Request{Provider: "fred", URL: srv.URL, Want: CSV})
	if err != nil || resp.NotModified || resp.ETag != `"v1"` {
		t.Fatalf("%v %+v", err, resp)
	}
	resp, err = c.Get(context.Background(), Request{Provider: "fred", URL: srv.URL, Want: CSV, ETag: `"v1"`, LastModified: "Tue, 17 Nov 2026 10:00:00 GMT"})
	if err != nil || !resp.NotModified || resp.Body != nil {
		t.Fatalf("%v %+v", err, resp)
	}
}

func TestPerHostRateLimit(t *testing.T) {
	c, _ := testClient()
	srv, _ := script(t, status(200, `{}`))
	srv2, _ := script(t, status(200, `{}`))
	// 21 requests at 40/s shared by two hosts under one key: >= 500ms.
	start := time.Now()
	for i := range 21 {
		u := srv.URL
		if i%2 == 1 {
			u = srv2.URL
		}
		if _, err := c.Get(context.Background(), Request{Provider: "sec", URL: u, Want: JSON, RateKey: "sec", Limit: 40}); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 480*time.Millisecond {
		t.Fatalf("21 requests at 40/s took %v", el)
	}
	// Another host has its own limiter (1000/s here): no wait.
	start = time.Now()
	for range 10 {
		if _, err := c.Get(context.Background(), Request{Provider: "fred", URL: srv.URL, Want: JSON}); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el > 400*time.Millisecond {
		t.Fatalf("10 unthrottled requests took %v", el)
	}
}

func TestCancelStopsAtOnce(t *testing.T) {
	c := NewClient()
	c.AttemptTimeout = 10 * time.Second
	srv, n := script(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		w.Write([]byte("observation_date,DFF\n"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Get(ctx, Request{Provider: "fred", URL: srv.URL, Want: CSV})
	if !errors.Is(err, context.Canceled) || n.Load() != 1 || time.Since(start) > 2*time.Second {
		t.Fatalf("err %v, requests %d, after %v", err, n.Load(), time.Since(start))
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	c := NewClient()
	c.BaseDelay = 10 * time.Second
	c.DefaultLimit = 1000
	srv, n := script(t, status(500, "down"))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := c.Get(ctx, Request{Provider: "fred", URL: srv.URL, Want: CSV})
	if !errors.Is(err, context.Canceled) || n.Load() != 1 {
		t.Fatalf("err %v, requests %d", err, n.Load())
	}
}

func TestBodyTooLarge(t *testing.T) {
	c, _ := testClient()
	c.MaxBody = 10
	srv, n := script(t, status(200, csvBody))
	_, err := c.Get(context.Background(), Request{Provider: "fred", URL: srv.URL, Want: CSV})
	if err == nil || !strings.Contains(err.Error(), "body larger than 10 bytes") || n.Load() != 1 {
		t.Fatalf("err %v, requests %d", err, n.Load())
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                               0,
		"0":                              time.Millisecond,
		"120":                            2 * time.Minute,
		"-3":                             0,
		"1.5":                            0,
		"Fri, 20 Nov 2026 12:00:30 GMT":  30 * time.Second,
		"Friday, 20-Nov-26 12:01:00 GMT": time.Minute,      // RFC 850
		"Fri Nov 20 12:00:10 2026":       10 * time.Second, // ANSI C
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	got := Redact("https://api.stlouisfed.org/fred/series/observations?series_id=DFF&api_key=abcd1234&file_type=json")
	if strings.Contains(got, "abcd1234") || !strings.Contains(got, "api_key=REDACTED") {
		t.Fatal(got)
	}
	if s := Snippet([]byte(`{"error_message":"api_key=abcd1234 is not registered"}`)); strings.Contains(s, "abcd1234") {
		t.Fatal(s)
	}
}
