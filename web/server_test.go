package web

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/view"
)

var (
	testOnce sync.Once
	testSrv  *Server
)

// server returns one Server over the embedded snapshot (no store), shared by the tests
// so the catalog's parse cache is paid once.
func server(t testing.TB) *Server {
	t.Helper()
	testOnce.Do(func() {
		s, err := New(catalog.New(nil), Options{Built: "built by the web tests"})
		if err != nil {
			t.Fatal(err)
		}
		testSrv = s
	})
	if testSrv == nil {
		t.Fatal("server setup failed")
	}
	return testSrv
}

type resp struct {
	code int
	hdr  http.Header
	body []byte
}

func do(t testing.TB, h http.Handler, req *http.Request) resp {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return resp{w.Code, w.Header(), w.Body.Bytes()}
}

func get(t testing.TB, target string) resp {
	return do(t, server(t), httptest.NewRequest("GET", target, nil))
}

func decode(t *testing.T, r resp) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%.300s", err, r.body)
	}
	return m
}

// errorOf checks r is a JSON error with the status and returns its message.
func errorOf(t *testing.T, r resp, status int) string {
	t.Helper()
	if r.code != status {
		t.Fatalf("status %d, want %d: %.300s", r.code, status, r.body)
	}
	if ct := r.hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error Content-Type %q, want JSON", ct)
	}
	m := decode(t, r)
	msg, ok := m["error"].(string)
	if !ok || msg == "" || len(m) != 1 {
		t.Fatalf("error body %s, want {\"error\": \"...\"}", r.body)
	}
	return msg
}

func TestEndpoints(t *testing.T) {
	t.Run("datasets", func(t *testing.T) {
		r := get(t, "/api/v1/datasets?provider=fred")
		m := decode(t, r)
		if r.code != 200 || m["count"].(float64) < 10 {
			t.Fatalf("%d %.200s", r.code, r.body)
		}
		if !bytes.Contains(r.body, []byte(`"id":"fred/DFF"`)) || bytes.Contains(r.body, []byte(`"provider":"french"`)) {
			t.Errorf("provider filter: %.300s", r.body)
		}
	})
	t.Run("info", func(t *testing.T) {
		m := decode(t, get(t, "/api/v1/datasets/french/F-F_Research_Data_Factors_daily/SMB/info"))
		if m["first"] != "1926-07-01" || m["dataset"].(map[string]any)["provider"] != "french" {
			t.Errorf("info: %v", m)
		}
	})
	t.Run("series", func(t *testing.T) {
		// FRED DFF around the September 2024 cut (announced the 18th, effective the 19th).
		r := get(t, "/api/v1/series/fred/DFF?from=2024-09-16&to=2024-09-20")
		var s seriesJSON
		if err := json.Unmarshal(r.body, &s); err != nil {
			t.Fatal(err)
		}
		var vals []float64
		for _, v := range s.Values {
			vals = append(vals, float64(v))
		}
		if s.N != 5 || s.Dates[0].String() != "2024-09-16" || vals[2] != 5.33 || vals[3] != 4.83 || s.Unit != "percent" {
			t.Errorf("series: %+v", s)
		}
	})
	t.Run("series resampled", func(t *testing.T) {
		m := decode(t, get(t, "/api/v1/series/french/F-F_Research_Data_Factors_daily/SMB?resample=monthly&from=2020-01-01&to=2020-12-31"))
		if m["frequency"] != "monthly" || m["n"].(float64) != 12 || m["kind"] != "return" {
			t.Errorf("resampled: %.300v", m)
		}
	})
	t.Run("cycles", func(t *testing.T) {
		r := get(t, "/api/v1/cycles?since=2019-01-01")
		m := decode(t, r)
		cs := m["cycles"].([]any)
		if len(cs) < 3 || !bytes.Contains(r.body, []byte(`"first_move":"2024-09-18"`)) || !bytes.Contains(r.body, []byte(`"announced":"2020-03-15"`)) {
			t.Errorf("cycles: %.400s", r.body)
		}
		if m["rules"].(map[string]any)["technical_bp"] != 25.0 {
			t.Errorf("rules: %v", m["rules"])
		}
	})
	t.Run("risk get", func(t *testing.T) {
		// The same figures as `ratecycle risk` (testdata/script/risk.txtar).
		r := get(t, "/api/v1/risk?series=price/IWM&benchmark=price/SPY&from=2015-01-01&to=2024-12-31")
		var rr struct {
			Scale   int
			Results []struct {
				Name    string
				Metrics map[string]any
			}
		}
		if err := json.Unmarshal(r.body, &rr); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		mt := rr.Results[0].Metrics
		if rr.Scale != 252 || mt["n"] != 2516.0 || !near(mt["annualized_return"], 0.0776, 5e-5) || !near(mt["beta"], 1.10687, 5e-5) {
			t.Errorf("risk: scale %d n %v ann %v beta %v", rr.Scale, mt["n"], mt["annualized_return"], mt["beta"])
		}
	})
	t.Run("risk upload", func(t *testing.T) {
		body, ct := multipartBody(t, map[string]string{"benchmark": "bench"}, "returns", "fund.csv",
			"date,fund,bench\n2024-01-31,0.02,0.01\n2024-02-29,-0.01,-0.02\n2024-03-31,0.03,0.02\n2024-04-30,0.01,0.015\n2024-05-31,-0.02,-0.01\n")
		req := httptest.NewRequest("POST", "/api/v1/risk", body)
		req.Header.Set("Content-Type", ct)
		r := do(t, server(t), req)
		if r.code != 200 || !bytes.Contains(r.body, []byte(`"name":"fund"`)) || !bytes.Contains(r.body, []byte(`"beta":`)) {
			t.Errorf("%d %.300s", r.code, r.body)
		}
	})
	t.Run("report", func(t *testing.T) {
		r := get(t, "/report")
		if r.code != 200 || !bytes.Contains(r.body, []byte(`data-chart="policy-rate"`)) || !bytes.Contains(r.body, []byte("built by the web tests")) {
			t.Fatalf("%d %.200s", r.code, r.body)
		}
		if again := get(t, "/report"); !bytes.Equal(again.body, r.body) {
			t.Error("the report is not cached per process")
		}
	})
}

func near(v any, want, tol float64) bool {
	f, ok := v.(float64)
	return ok && f > want-tol && f < want+tol
}

func multipartBody(t testing.TB, fields map[string]string, file, name, content string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != "" {
		fw, err := mw.CreateFormFile(file, name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, content)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

func TestErrors(t *testing.T) {
	s := server(t)
	for _, tc := range []struct {
		name, method, target string
		status               int
		msg                  string // a regexp the message must match
	}{
		{"unknown id", "GET", "/api/v1/series/fred/NOPE", 404, `dataset not found`},
		{"unknown id info", "GET", "/api/v1/datasets/price/NOPE/info", 404, `not found`},
		{"info without suffix", "GET", "/api/v1/datasets/fred/DFF", 404, `/info`},
		{"bad date", "GET", "/api/v1/series/fred/DFF?from=2024-13-01", 400, `^from: .*not a date`},
		{"reversed range", "GET", "/api/v1/series/fred/DFF?from=2024-02-01&to=2024-01-01", 400, `before`},
		{"bad resample", "GET", "/api/v1/series/fred/DFF?resample=hourly", 400, `^resample:`},
		{"bad how", "GET", "/api/v1/series/fred/DFF?resample=monthly&how=max", 400, `^how:`},
		{"bad rule", "GET", "/api/v1/cycles?technical_bp=-1", 400, `technical_bp`},
		{"risk without series", "GET", "/api/v1/risk", 400, `give series=`},
		{"risk of a rate", "GET", "/api/v1/risk?series=fred/DFF", 400, `rate series, not prices or returns`},
		{"risk unknown id", "GET", "/api/v1/risk?series=price/NOPE", 404, `not found`},
		{"risk weights", "GET", "/api/v1/risk?series=price/IWM,price/SPY&weights=1", 400, `weights has 1 values for 2 series`},
		{"method", "DELETE", "/api/v1/cycles", 405, `DELETE not allowed`},
		{"method on post route", "PUT", "/api/v1/risk", 405, `allowed: GET, POST`},
		{"method on dashboard", "POST", "/", 405, `not allowed`},
		{"unknown endpoint", "GET", "/api/v1/nothing", 404, `no such page`},
		{"unknown page", "GET", "/favicon.ico", 404, `no such page`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, httptest.NewRequest(tc.method, tc.target, nil))
			msg := errorOf(t, r, tc.status)
			if !regexp.MustCompile(tc.msg).MatchString(msg) {
				t.Errorf("message %q does not match %q", msg, tc.msg)
			}
			if tc.status == 405 && r.hdr.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
}

// TestUploads: bad uploads are answered with the parser's message (file, line, field);
// bodies over the limit with 413.
func TestUploads(t *testing.T) {
	s := server(t)
	body, ct := multipartBody(t, nil, "returns", "my/fund.csv", "date,fund\n2024-01-31,0.02\n2024-02-29,x1\n")
	req := httptest.NewRequest("POST", "/api/v1/risk", body)
	req.Header.Set("Content-Type", ct)
	msg := errorOf(t, do(t, s, req), 400)
	if msg != `parse fund.csv line 3 field "fund": "x1" is not a number` {
		t.Errorf("parser message: %q", msg)
	}

	big := strings.Repeat("2024-01-31,0.01\n", DefaultMaxUpload/16+100)
	body, ct = multipartBody(t, nil, "returns", "big.csv", "date,fund\n"+big)
	req = httptest.NewRequest("POST", "/api/v1/risk", body)
	req.Header.Set("Content-Type", ct)
	if msg := errorOf(t, do(t, s, req), 413); !strings.Contains(msg, "larger than 2097152 bytes") {
		t.Errorf("413 message %q", msg)
	}
	req = httptest.NewRequest("POST", "/api/v1/risk", strings.NewReader("series="+strings.Repeat("x", DefaultMaxUpload+1)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	errorOf(t, do(t, s, req), 413)
}

// TestTraversal sends path-traversal attempts as raw request lines to a real server:
// each is refused (400) or not found (404, possibly after the mux's redirect to the
// cleaned path), and nothing from the filesystem comes back.
func TestTraversal(t *testing.T) {
	ts := httptest.NewServer(server(t))
	defer ts.Close()
	for _, p := range []string{
		"/api/v1/series/../../etc/passwd",
		"/api/v1/series/%2e%2e/%2e%2e/etc/passwd",
		"/api/v1/series/fred/..%2f..%2f..%2fetc%2fpasswd",
		"/api/v1/series/..%5c..%5cetc%5cpasswd",
		"/api/v1/series//etc/passwd",
		"/api/v1/series/fred/DFF%00.csv",
		"/api/v1/datasets/../../../etc/passwd/info",
		"/api/v1/datasets/%2e%2e%2f%2e%2e%2fetc%2fpasswd/info",
		"/api/v1/risk?series=../../etc/passwd",
		"/api/v1/risk?series=price/IWM&benchmark=..%2F..%2Fetc%2Fpasswd",
		"/api/v1/risk?series=price/IWM&rf=/etc/passwd",
		"/../../../../etc/passwd",
	} {
		t.Run(p, func(t *testing.T) {
			req, err := http.NewRequest("GET", ts.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.URL.Opaque = p // sent as written, not cleaned by the client
			res, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 400 && res.StatusCode != 404 {
				t.Errorf("status %d, want 400 or 404: %s", res.StatusCode, body)
			}
			if bytes.Contains(body, []byte("root:")) {
				t.Fatalf("served a file: %s", body)
			}
			var m map[string]string
			if err := json.Unmarshal(body, &m); err != nil || m["error"] == "" {
				t.Errorf("not a JSON error: %s", body)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	for _, target := range []string{"/", "/api/v1/cycles", "/api/v1/nothing", "/report"} {
		r := get(t, target)
		csp := r.hdr.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self' 'unsafe-inline'") ||
			!strings.Contains(csp, "connect-src 'self'") || strings.Contains(csp, "http") {
			t.Errorf("%s: CSP %q", target, csp)
		}
		if r.hdr.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", target)
		}
	}
}

// TestDashboardSelfContained: the page loads nothing from anywhere (the CSP would block
// it anyway): no script src, no stylesheet link, no http(s) URL outside the inlined
// libraries' comments.
func TestDashboardSelfContained(t *testing.T) {
	r := get(t, "/")
	if r.code != 200 || !strings.HasPrefix(r.hdr.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", r.code, r.hdr.Get("Content-Type"))
	}
	page := string(r.body)
	for _, bad := range []string{"<script src", "<link rel=\"stylesheet\"", "cdn.", "@import"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{"window.ratecycleCharts", "echarts", `id="cycles"`, `id="risk"`, `id="valuation"`, `id="concentration"`, `id="sectors"`, `id="screen"`, `id="backtest"`, `id="hedge"`, `href="/report"`, "prefers-color-scheme: dark"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestReportSize: the report stays under 5 MB (it inlines ECharts, about 1.1 MB).
func TestReportSize(t *testing.T) {
	r := get(t, "/report")
	if r.code != 200 {
		t.Fatal(r.code)
	}
	t.Logf("report: %.2f MB", float64(len(r.body))/1e6)
	if len(r.body) >= 5e6 {
		t.Errorf("report is %d bytes, over 5 MB", len(r.body))
	}
}

// TestOpenAPI checks openapi.json against the routes both ways: every documented
// method and path is a registered route and every route is documented; a request to
// each documented path reaches the mux pattern registered for it.
func TestOpenAPI(t *testing.T) {
	s := server(t)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIJSON, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	documented := map[Route]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			switch m {
			case "get", "post", "put", "delete", "patch", "head", "options":
				documented[Route{strings.ToUpper(m), p}] = true
			}
		}
	}
	registered := map[Route]string{}
	for _, rt := range s.routes() {
		registered[rt.Route] = rt.pattern
	}
	for rt := range documented {
		if _, ok := registered[rt]; !ok {
			t.Errorf("openapi.json documents %s %s, which the server does not register", rt.Method, rt.Path)
		}
	}
	for rt, pattern := range registered {
		if !documented[rt] {
			t.Errorf("route %s %s (%s) is missing from openapi.json", rt.Method, rt.Path, pattern)
		}
		target := strings.NewReplacer("{id}", "fred/DFF").Replace(rt.Path)
		if got := s.Pattern(httptest.NewRequest(rt.Method, target, nil)); got != pattern {
			t.Errorf("%s %s reaches pattern %q, want %q", rt.Method, target, got, pattern)
		}
	}
	// Every $ref resolves.
	var all any
	json.Unmarshal(openAPIJSON, &all)
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == "$ref" {
					refs = append(refs, x.(string))
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(all)
	sort.Strings(refs)
	for _, ref := range refs {
		node := all
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := node.(map[string]any)
			node = m[part]
		}
		if node == nil {
			t.Errorf("unresolved $ref %s", ref)
		}
	}
	// The document is served as it is embedded.
	if r := get(t, "/api/v1/openapi.json"); !bytes.Equal(r.body, openAPIJSON) {
		t.Error("served openapi.json differs from the embedded file")
	}
}

func TestAnalyses(t *testing.T) {
	s := server(t)
	t.Run("study default", func(t *testing.T) {
		var st view.StudyJSON
		r := get(t, "/api/v1/study")
		if err := json.Unmarshal(r.body, &st); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		if st.Series != "price/IWM" || st.Vs != "price/SPY" || st.Events != "all-cuts" || len(st.Summary) != 6 || len(st.Notes) == 0 {
			t.Errorf("study: %s vs %s %s, %d windows", st.Series, st.Vs, st.Events, len(st.Summary))
		}
		for _, sm := range st.Summary {
			if sm.N < st.MinEvents || sm.Verdict == "" {
				t.Errorf("window %s: n %d verdict %q", sm.Window, sm.N, sm.Verdict)
			}
		}
	})
	t.Run("study custom dates monthly", func(t *testing.T) {
		r := get(t, "/api/v1/study?series=french/F-F_Research_Data_Factors/SMB&vs=&dates=2024-09-18,2019-07-31&windows=0:1m,0:3m&bootstrap=0")
		var st view.StudyJSON
		if err := json.Unmarshal(r.body, &st); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		if st.Events != "custom" || st.Frequency != "monthly" || len(st.PerEvent) != 2 || st.Summary[0].N != 2 || !st.Summary[0].TooFew {
			t.Errorf("custom study: %+v", st.Summary)
		}
	})
	t.Run("study events file", func(t *testing.T) {
		body, ct := multipartBody(t, map[string]string{"windows": "0:1d,0:1w", "bootstrap": "0"}, "events_file", "speeches.csv",
			"# Jackson Hole\n2025-08-22,Jackson Hole\n2024-08-23,Jackson Hole\n")
		req := httptest.NewRequest("POST", "/api/v1/study", body)
		req.Header.Set("Content-Type", ct)
		r := do(t, s, req)
		if r.code != 200 || !bytes.Contains(r.body, []byte(`"label":"Jackson Hole"`)) {
			t.Errorf("%d %.300s", r.code, r.body)
		}
		body, ct = multipartBody(t, nil, "events_file", "bad.csv", "2025-08-22\nnot a date\n")
		req = httptest.NewRequest("POST", "/api/v1/study", body)
		req.Header.Set("Content-Type", ct)
		if msg := errorOf(t, do(t, s, req), 400); !strings.Contains(msg, "bad.csv") || !strings.Contains(msg, "line 2") {
			t.Errorf("events file error %q", msg)
		}
	})
	t.Run("regimes", func(t *testing.T) {
		var rg view.RegimesJSON
		r := get(t, "/api/v1/regimes?series=french/F-F_Research_Data_Factors/SMB&by=fed")
		if err := json.Unmarshal(r.body, &rg); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		b := rg.Series[0]
		n := 0
		for _, g := range b.Regimes {
			n += g.N
		}
		if rg.By != "fed" || len(b.Regimes) != 3 || n != b.N || b.PeriodsPerYear != 12 || len(b.Differences) != 2 {
			t.Errorf("regimes: %+v", b)
		}
	})
	t.Run("rebalance examples", func(t *testing.T) {
		r := do(t, s, httptest.NewRequest("POST", "/api/v1/rebalance", nil))
		var rb struct {
			HoldingsFile string `json:"holdings_file"`
			Trades       []tradeJSON
			Summary      map[string]float64
		}
		if err := json.Unmarshal(r.body, &rb); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		if rb.HoldingsFile != "examples/holdings.csv" || len(rb.Trades) == 0 || rb.Trades[0].Side != "sell" || rb.Summary["value_before"] <= 0 {
			t.Errorf("rebalance: %+v", rb)
		}
	})
	t.Run("check example", func(t *testing.T) {
		r := do(t, s, httptest.NewRequest("POST", "/api/v1/check", nil))
		var ck view.CheckJSON
		if err := json.Unmarshal(r.body, &ck); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		n := 0
		for _, c := range ck.Counts {
			n += c
		}
		if len(ck.Claims) == 0 || n != len(ck.Claims) || ck.Claims[0].Verdict == "" || len(ck.Claims[0].Proxies) == 0 {
			t.Errorf("check: %+v", ck)
		}
	})
	t.Run("check upload", func(t *testing.T) {
		body, ct := multipartBody(t, nil, "claims", "mine.yaml", "title: x\nclaims:\n  - id: a\n    bogus: 1\n")
		req := httptest.NewRequest("POST", "/api/v1/check", body)
		req.Header.Set("Content-Type", ct)
		if msg := errorOf(t, do(t, s, req), 400); !strings.Contains(msg, "mine.yaml line 4") || !strings.Contains(msg, `"bogus"`) {
			t.Errorf("claims error %q", msg)
		}
	})
	t.Run("rebalance regime given", func(t *testing.T) {
		body, ct := multipartBody(t, map[string]string{"regime": "hold"}, "", "", "")
		req := httptest.NewRequest("POST", "/api/v1/rebalance", body)
		req.Header.Set("Content-Type", ct)
		r := do(t, s, req)
		if r.code != 200 || !bytes.Contains(r.body, []byte(`"regime":"hold"`)) || !bytes.Contains(r.body, []byte(`"regime_auto":false`)) {
			t.Errorf("%d %.300s", r.code, r.body)
		}
	})
	for _, tc := range []struct {
		name, field, file, content, msg string
	}{
		{"bad holdings", "holdings", "book.csv", "symbol,quantity\nSPY,x\n", `book.csv line 1 field "price"`},
		{"bad holdings number", "holdings", "book.csv", "symbol,quantity,price\nSPY,10,1\nIWM,x,2\n", `book.csv line 3`},
		{"bad policy", "policy", "p.yaml", "name: x\nbogus: 1\n", `parse p.yaml line 2: unknown key "bogus"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, ct := multipartBody(t, nil, tc.field, tc.file, tc.content)
			req := httptest.NewRequest("POST", "/api/v1/rebalance", body)
			req.Header.Set("Content-Type", ct)
			if msg := errorOf(t, do(t, s, req), 400); !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q lacks %q", msg, tc.msg)
			}
		})
	}
	for _, tc := range []struct{ target, msg string }{
		{"/api/v1/study?windows=0:1x", "windows:"},
		{"/api/v1/study?events=some-cuts", `events "some-cuts"`},
		{"/api/v1/study?series=price/IWM&vs=&method=market-model", "needs vs"},
		{"/api/v1/study?bootstrap=-1", "bootstrap"},
		{"/api/v1/study?dates=2024-02-30", "dates:"},
		{"/api/v1/regimes?hac_lags=x", "hac_lags"},
		{"/api/v1/regimes?diff=easing", "want A,B"},
	} {
		t.Run(tc.target, func(t *testing.T) {
			if msg := errorOf(t, get(t, tc.target), 400); !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q lacks %q", msg, tc.msg)
			}
		})
	}
	if msg := errorOf(t, get(t, "/api/v1/study?series=price/NOPE"), 404); !strings.Contains(msg, "not found") {
		t.Errorf("unknown series: %q", msg)
	}
}
