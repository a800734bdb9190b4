package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Errors callers can test with errors.Is.
var (
	// ErrTimeout: a try did not finish (headers and whole body) within the client's
	// AttemptTimeout.
	ErrTimeout = errors.New("timed out")
	// ErrTruncated: the connection closed before the announced body was complete.
	ErrTruncated = errors.New("truncated body")
	// ErrContent: the body is not what was asked for (HTML instead of CSV, JSON or
	// zip; an empty body; a zip without the expected member; a provider's "no data").
	ErrContent = errors.New("unexpected content")
	// ErrInvalid: the downloaded data parsed but failed a sanity check against itself
	// or the current vintage, so it was not stored.
	ErrInvalid = errors.New("failed validation")
	// ErrNoUserAgent: SEC requests need a User-Agent with a contact address.
	ErrNoUserAgent = errors.New("SEC EDGAR needs a User-Agent with a contact address")
	// ErrOffline: an update was asked for in offline mode.
	ErrOffline = errors.New("offline")
)

// Error is a failed download. Its message names the provider, the URL (with secrets
// redacted), the HTTP status, how many tries were made and the first ~200 bytes of
// what the server said, e.g.
//
//	fred: GET https://fred.stlouisfed.org/graph/fredgraph.csv?id=DFF: HTTP 500 Internal Server Error after 4 tries: "upstream timeout"
type Error struct {
	Provider string
	URL      string
	Status   int    // 0 when no HTTP answer was received
	Body     string // sanitised start of the body (see Snippet)
	Attempts int
	Note     string // e.g. why a Retry-After was not honoured
	Err      error  // the cause: a transport error, ErrTimeout, ErrTruncated, ErrContent, ...

	retry      bool
	retryAfter time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: GET %s: ", e.Provider, e.URL)
	b.WriteString(e.short())
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d tries", e.Attempts)
	}
	if e.Note != "" {
		b.WriteString(" (" + e.Note + ")")
	}
	if e.Body != "" {
		fmt.Fprintf(&b, ": the server said %q", e.Body)
	}
	return b.String()
}

func (e *Error) short() string {
	var parts []string
	if e.Status != 0 {
		parts = append(parts, fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status)))
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	if len(parts) == 0 {
		return "failed"
	}
	return strings.Join(parts, ": ")
}

func (e *Error) Unwrap() error { return e.Err }

// secretParams are query parameters whose values never appear in errors, logs or
// stored vintages.
var secretParams = []string{"api_key", "apikey", "token", "key"}

// Redact returns u with the values of secret query parameters replaced by "REDACTED".
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.RawQuery == "" {
		return redactText(u)
	}
	q := p.Query()
	changed := false
	for _, k := range secretParams {
		if q.Has(k) {
			q.Set(k, "REDACTED")
			changed = true
		}
	}
	if !changed {
		return u
	}
	p.RawQuery = q.Encode()
	return p.String()
}

var secretRE = regexp.MustCompile(`(?i)\b(api_key|apikey|token)=[^&\s"']+`)

func redactText(s string) string { return secretRE.ReplaceAllString(s, "${1}=REDACTED") }
