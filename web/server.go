// Package web serves ratecycle's local dashboard and its JSON API under /api/v1/. It is a
// thin shell: every answer comes from the same engine calls as the CLI, so the two can
// never disagree.
//
// web never takes a filesystem path from a request and never writes a file: dataset ids
// are resolved by the catalog (embedded snapshot and local store), and uploads are read
// into memory (size-limited) and parsed by the same parsers as the CLI's files.
package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/source"
)

// DefaultMaxUpload is the largest request body an endpoint accepts (2 MB).
const DefaultMaxUpload = 2 << 20

// Options configure a Server.
type Options struct {
	// Built is the provenance line of the report (/report): when and by what it was
	// built. The caller reads the clock; web does not.
	Built string
	// MaxUpload limits request bodies in bytes (0 = DefaultMaxUpload).
	MaxUpload int64
	// Log receives one line per failed request (status 500); nil discards them.
	Log io.Writer
}

// Server is the dashboard and API handler.
type Server struct {
	cat  *catalog.Catalog
	opt  Options
	mux  *http.ServeMux
	log  *log.Logger
	page []byte // the dashboard, rendered once

	reportMu   sync.Mutex
	reportHTML []byte // /report, built on first request and kept for the process

	chartsMu sync.Mutex
	charts   map[string][]report.Chart // report sections' charts, by section, built once
}

// Route is one method and path of the API, as the OpenAPI document names it.
type Route struct {
	Method string // GET, POST
	Path   string // OpenAPI path template, e.g. /api/v1/datasets/{id}/info
}

type route struct {
	Route
	pattern string // ServeMux pattern
	h       handlerFunc
}

// handlerFunc answers a request or returns an error that ServeHTTP turns into JSON.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// New returns the handler over cat.
func New(cat *catalog.Catalog, opt Options) (*Server, error) {
	if opt.MaxUpload <= 0 {
		opt.MaxUpload = DefaultMaxUpload
	}
	logw := opt.Log
	if logw == nil {
		logw = io.Discard
	}
	s := &Server{cat: cat, opt: opt, mux: http.NewServeMux(), log: log.New(logw, "ratecycle serve: ", log.LstdFlags)}
	page, err := renderDashboard(s.features())
	if err != nil {
		return nil, err
	}
	s.page = page
	byPath := map[string][]string{}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.wrap(rt.h))
		p := strings.TrimPrefix(rt.pattern, rt.Method+" ")
		byPath[p] = append(byPath[p], rt.Method)
	}
	// The same paths with any other method: 405 with an Allow header, as JSON.
	for p, methods := range byPath {
		allow := strings.Join(methods, ", ")
		if strings.Contains(allow, "GET") {
			allow += ", HEAD"
		}
		s.mux.Handle(p, s.wrap(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Allow", allow)
			return httpErrorf(http.StatusMethodNotAllowed, "method %s not allowed on %s (allowed: %s)", r.Method, r.URL.Path, allow)
		}))
	}
	s.mux.Handle("/", s.wrap(func(w http.ResponseWriter, r *http.Request) error {
		return httpErrorf(http.StatusNotFound, "no such page or endpoint: %s (see /api/v1/openapi.json)", r.URL.Path)
	}))
	return s, nil
}

// Routes lists every method and path the server answers, as the OpenAPI document
// must describe them.
func (s *Server) Routes() []Route {
	var out []Route
	for _, rt := range s.routes() {
		out = append(out, rt.Route)
	}
	return out
}

// Pattern returns the ServeMux pattern that answers r ("" when none does): the
// OpenAPI test checks each documented path reaches the route registered for it.
func (s *Server) Pattern(r *http.Request) string {
	_, p := s.mux.Handler(r)
	return p
}

// contentSecurityPolicy allows only what the page itself carries: its inline scripts
// and styles (ECharts, the chart renderer and the dashboard are all inlined), data:
// images (ECharts' "save as image"), and fetches to this server.
const contentSecurityPolicy = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// ServeHTTP adds the security headers and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxUpload)
	}
	s.mux.ServeHTTP(w, r)
}

// httpError is an error with the status it deserves.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func httpErrorf(status int, format string, args ...any) error {
	return &httpError{status, fmt.Sprintf(format, args...)}
}

func badRequest(err error) error { return &httpError{http.StatusBadRequest, err.Error()} }

// wrap turns a handlerFunc's error into a JSON {"error": "..."} with its status:
// 400 bad input (parser errors name file, line and field), 404 unknown id, 413 body
// too large, 500 otherwise (logged).
func (s *Server) wrap(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Printf("%s %s: panic: %v", r.Method, r.URL.Path, v)
				writeError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		err := h(w, r)
		if err == nil {
			return
		}
		status, msg := classify(err)
		if status == 0 { // the client went away
			return
		}
		if status >= 500 {
			s.log.Printf("%s %s: %v", r.Method, r.URL.Path, err)
		}
		writeError(w, status, msg)
	})
}

func classify(err error) (int, string) {
	var he *httpError
	var mbe *http.MaxBytesError
	var pe *source.ParseError
	switch {
	case errors.As(err, &he):
		return he.status, he.msg
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", mbe.Limit)
	case errors.Is(err, context.Canceled):
		return 0, ""
	case errors.Is(err, catalog.ErrNotFound):
		return http.StatusNotFound, err.Error()
	case errors.As(err, &pe), errors.Is(err, source.ErrBadInput):
		return http.StatusBadRequest, err.Error()
	}
	return http.StatusInternalServerError, err.Error()
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // a JSON response is never parsed as HTML (nosniff)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
	return nil
}
