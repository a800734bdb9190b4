package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Content is what a request expects in a successful body. A body that is not of
// that kind (typically an HTML error or login page served with status 200) is an
// error, never data.
type Content int

const (
	AnyContent Content = iota
	CSV
	JSON
	Zip
)

func (c Content) String() string {
	switch c {
	case CSV:
		return "CSV"
	case JSON:
		return "JSON"
	case Zip:
		return "a zip file"
	}
	return "any content"
}

// Request is one GET.
type Request struct {
	Provider string // "fred", "french", "stooq", "yahoo", "sec", "ishares": names it in errors
	URL      string
	Want     Content
	// ETag and LastModified come from the stored vintage of the same URL; when set
	// they are sent as If-None-Match and If-Modified-Since, and a 304 answer comes
	// back as Response.NotModified.
	ETag, LastModified string
	Header             http.Header // extra headers (SEC's User-Agent)
	// RateKey groups requests under one rate limiter; "" means the URL's host.
	// SEC's two hosts share one key because its 10 requests/second are per user.
	RateKey string
	// Limit is the rate for RateKey the first time the key is seen (0: the client's
	// DefaultLimit).
	Limit rate.Limit
}

// Response is a successful answer: a complete, checked body, or NotModified.
type Response struct {
	Status             int
	NotModified        bool // 304: the stored vintage is still current
	Body               []byte
	ETag, LastModified string
	ContentType        string
	FetchedAt          time.Time
	Attempts           int
}

// Client fetches with timeouts, retries, Retry-After, per-host rate limits,
// conditional requests and content checks. The zero value is not usable; call
// NewClient. A Client is safe for concurrent use.
type Client struct {
	HTTP *http.Client
	// UserAgent is sent on every request unless the Request's Header sets one.
	UserAgent string
	// Attempts is the most tries per request (first try included).
	Attempts int
	// AttemptTimeout bounds one try: connecting, waiting for headers and reading the
	// whole body. A slow body that does not finish in time is a failed try.
	AttemptTimeout time.Duration
	// BaseDelay and MaxDelay shape the exponential backoff between tries: before
	// try n+1 the client waits a random duration in [d/2, d] with
	// d = min(MaxDelay, BaseDelay*2^(n-1)).
	BaseDelay, MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the client agrees to wait; a server
	// asking for more fails the request at once, saying what it asked.
	MaxRetryAfter time.Duration
	// MaxBody caps a body in bytes.
	MaxBody int64
	// DefaultLimit and DefaultBurst apply to a rate key seen for the first time
	// without a Request.Limit.
	DefaultLimit rate.Limit
	// Notify, when set, is told about each retry (for -v output).
	Notify func(msg string)

	// Now, Sleep and Jitter are the clock, the wait and the randomness; tests replace them.
	Now    func() time.Time
	Sleep  func(ctx context.Context, d time.Duration) error
	Jitter func() float64 // in [0, 1)

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

// NewClient returns a client with ratecycle's defaults: 4 tries, 60 s per try,
// backoff from 1 s to 30 s, Retry-After honoured up to 5 minutes, 512 MiB bodies,
// 5 requests per second per host unless a request says otherwise.
func NewClient() *Client {
	return &Client{
		HTTP:           &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
		UserAgent:      "ratecycle (+https://github.com/ratecycle/ratecycle)",
		Attempts:       4,
		AttemptTimeout: 60 * time.Second,
		BaseDelay:      time.Second,
		MaxDelay:       30 * time.Second,
		MaxRetryAfter:  5 * time.Minute,
		MaxBody:        512 << 20,
		DefaultLimit:   5,
		Now:            time.Now,
		Sleep:          sleepCtx,
		Jitter:         rand.Float64,
		limiters:       map[string]*rate.Limiter{},
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (c *Client) limiter(key string, lim rate.Limit) *rate.Limiter {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.limiters == nil {
		c.limiters = map[string]*rate.Limiter{}
	}
	l, ok := c.limiters[key]
	if !ok {
		if lim == 0 {
			lim = c.DefaultLimit
		}
		l = rate.NewLimiter(lim, 1)
		c.limiters[key] = l
	}
	return l
}

// Get fetches req.URL. It retries network errors, timeouts, truncated bodies, 408,
// 429 and 5xx answers with backoff (429 and 503 wait what Retry-After says), and
// fails at once on other 4xx answers and on a body that is not the wanted content.
// Errors are *Error values naming the provider, the URL (secrets redacted), the
// status and the start of what the server said. A cancelled ctx stops at once and
// returns ctx's error wrapped.
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	attempts := max(c.Attempts, 1)
	key := req.RateKey
	if key == "" {
		if u, err := url.Parse(req.URL); err == nil {
			key = u.Host
		}
	}
	lim := c.limiter(key, req.Limit)
	var last *Error
	for n := 1; ; n++ {
		if err := lim.Wait(ctx); err != nil {
			return nil, c.cancelled(ctx, req, n-1, err)
		}
		resp, ferr := c.try(ctx, req)
		if ferr == nil {
			resp.Attempts = n
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, c.cancelled(ctx, req, n, ctx.Err())
		}
		ferr.Attempts = n
		last = ferr
		if !ferr.retry || n >= attempts {
			return nil, last
		}
		wait := c.backoff(n)
		if ferr.retryAfter > 0 {
			if ferr.retryAfter > c.MaxRetryAfter {
				ferr.Note = fmt.Sprintf("the server asked to retry after %s, longer than the %s this client waits",
					ferr.retryAfter.Round(time.Second), c.MaxRetryAfter)
				return nil, ferr
			}
			wait = ferr.retryAfter
		}
		if c.Notify != nil {
			c.Notify(fmt.Sprintf("%s: try %d of %d failed (%s); retrying in %s", req.Provider, n, attempts, ferr.short(), wait.Round(time.Millisecond)))
		}
		if err := c.Sleep(ctx, wait); err != nil {
			return nil, c.cancelled(ctx, req, n, err)
		}
	}
}

func (c *Client) cancelled(ctx context.Context, req Request, n int, err error) error {
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return &Error{Provider: req.Provider, URL: Redact(req.URL), Attempts: n, Err: err}
}

// backoff is the wait after the n-th failed try: a random duration in [d/2, d],
// d = min(MaxDelay, BaseDelay*2^(n-1)) ("equal jitter": never zero, never in step
// with other clients).
func (c *Client) backoff(n int) time.Duration {
	if c.BaseDelay <= 0 {
		return 0
	}
	d := c.BaseDelay << min(n-1, 30)
	if d <= 0 || d > c.MaxDelay {
		d = c.MaxDelay
	}
	j := 0.5
	if c.Jitter != nil {
		j = c.Jitter()
	}
	return d/2 + time.Duration(j*float64(d/2))
}

// try makes one request and reads the whole body within AttemptTimeout.
func (c *Client) try(ctx context.Context, req Request) (*Response, *Error) {
	fail := func(status int, err error, retry bool) *Error {
		return &Error{Provider: req.Provider, URL: Redact(req.URL), Status: status, Err: err, retry: retry}
	}
	actx := ctx
	if c.AttemptTimeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, c.AttemptTimeout)
		defer cancel()
	}
	hr, err := http.NewRequestWithContext(actx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, fail(0, err, false)
	}
	if c.UserAgent != "" {
		hr.Header.Set("User-Agent", c.UserAgent)
	}
	for k, vs := range req.Header {
		hr.Header[k] = vs
	}
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	start := c.now()
	resp, err := c.HTTP.Do(hr)
	if err != nil {
		return nil, fail(0, c.netErr(actx, err, "waiting for the response"), retryableNetErr(ctx, err))
	}
	defer resp.Body.Close()
	status := resp.StatusCode
	body, rerr := readBody(resp.Body, c.MaxBody)
	switch {
	case status == http.StatusNotModified:
		return &Response{Status: status, NotModified: true, ETag: resp.Header.Get("ETag"),
			LastModified: resp.Header.Get("Last-Modified"), FetchedAt: start}, nil
	case status >= 200 && status < 300:
		if rerr != nil {
			if errors.Is(rerr, errTooBig) {
				return nil, fail(status, fmt.Errorf("body larger than %d bytes", c.MaxBody), false)
			}
			return nil, fail(status, c.netErr(actx, rerr, fmt.Sprintf("reading the body (got %d bytes", len(body))+
				lengthNote(resp.ContentLength)+")"), retryableNetErr(ctx, rerr))
		}
		if resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength && resp.Header.Get("Content-Encoding") == "" {
			return nil, fail(status, fmt.Errorf("body has %d bytes, Content-Length said %d", len(body), resp.ContentLength), true)
		}
		if err := checkContent(req.Want, resp.Header.Get("Content-Type"), body); err != nil {
			e := fail(status, err, false)
			e.Body = Snippet(body)
			return nil, e
		}
		return &Response{Status: status, Body: body, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
			ContentType: resp.Header.Get("Content-Type"), FetchedAt: start}, nil
	}
	e := fail(status, nil, retryableStatus(status))
	e.Body = Snippet(body)
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		e.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
	}
	return nil, e
}

func lengthNote(n int64) string {
	if n < 0 {
		return ""
	}
	return fmt.Sprintf(" of %d announced", n)
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// netErr words a transport error; a per-try deadline becomes "timed out after X".
func (c *Client) netErr(actx context.Context, err error, during string) error {
	if errors.Is(actx.Err(), context.DeadlineExceeded) || isTimeout(err) {
		return fmt.Errorf("timed out after %s %s: %w", c.AttemptTimeout, during, ErrTimeout)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("connection closed early %s: %w", during, ErrTruncated)
	}
	return fmt.Errorf("%s: %w", during, err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// retryableNetErr: every transport failure is worth another try unless the caller
// cancelled.
func retryableNetErr(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var ue *url.Error
	if errors.As(err, &ue) && (strings.Contains(ue.Err.Error(), "unsupported protocol scheme") ||
		strings.Contains(ue.Err.Error(), "no Host in request URL")) {
		return false
	}
	return true
}

func retryableStatus(s int) bool {
	return s == http.StatusRequestTimeout || s == http.StatusTooManyRequests || s >= 500
}

var errTooBig = errors.New("body too large")

func readBody(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = 1 << 40
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if n > limit {
		return buf.Bytes()[:limit], errTooBig
	}
	return buf.Bytes(), err
}

// parseRetryAfter reads both forms of Retry-After: delay-seconds and an HTTP-date.
// A date in the past means "now" (a minimal wait); an unreadable value means no
// advice (0: the client's own backoff applies).
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0
		}
		if secs > 1<<31 {
			secs = 1 << 31
		}
		return max(time.Duration(secs)*time.Second, time.Millisecond)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), time.Millisecond)
	}
	return 0
}

// checkContent refuses a body that is not what was asked for. HTML is the usual
// impostor: error pages, login walls and maintenance notices served with 200.
func checkContent(want Content, ctype string, body []byte) error {
	if want == AnyContent {
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("%w: empty body where %s was expected", ErrContent, want)
	}
	if looksHTML(body) {
		return fmt.Errorf("%w: an HTML page (Content-Type %q) where %s was expected", ErrContent, ctype, want)
	}
	switch want {
	case JSON:
		b := bytes.TrimLeft(bytes.TrimPrefix(body, bom), " \t\r\n")
		if b[0] != '{' && b[0] != '[' {
			return fmt.Errorf("%w: not JSON (Content-Type %q) where JSON was expected", ErrContent, ctype)
		}
	case Zip:
		if !bytes.HasPrefix(body, []byte("PK\x03\x04")) && !bytes.HasPrefix(body, []byte("PK\x05\x06")) {
			return fmt.Errorf("%w: not a zip file (Content-Type %q)", ErrContent, ctype)
		}
	case CSV:
		if b := bytes.TrimLeft(body, " \t\r\n"); b[0] == '{' && strings.Contains(ctype, "json") {
			return fmt.Errorf("%w: JSON (Content-Type %q) where CSV was expected", ErrContent, ctype)
		}
	}
	return nil
}

var bom = []byte("\xef\xbb\xbf")

func looksHTML(body []byte) bool {
	b := bytes.TrimLeft(bytes.TrimPrefix(body, bom), " \t\r\n")
	if len(b) > 512 {
		b = b[:512]
	}
	l := bytes.ToLower(b)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<?xml", "<!--", "<title", "<h1", "<p>", "<div"} {
		if bytes.HasPrefix(l, []byte(p)) {
			return true
		}
	}
	return false
}

// Snippet returns the first ~200 bytes of a body as safe one-line text: control
// characters and invalid UTF-8 replaced, runs of space collapsed, and secrets
// (api_key=...) redacted.
func Snippet(body []byte) string {
	const n = 200
	b := body
	if len(b) > n {
		b = b[:n]
	}
	var sb strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(string(b), "\uFFFD") {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == ' ':
			if !space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = true
			continue
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			r = '\uFFFD'
		}
		space = false
		sb.WriteRune(r)
	}
	s := strings.TrimSpace(sb.String())
	if len(body) > n {
		s += "..."
	}
	return redactText(s)
}
