package fetch_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/fetch"
	"github.com/ratecycle/ratecycle/fetch/fetchtest"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/snapshot"
	"github.com/ratecycle/ratecycle/source/fred"
	"github.com/ratecycle/ratecycle/store"
)

var testNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

type env struct {
	srv   *fetchtest.Server
	st    *store.Store
	cat   *catalog.Catalog
	u     *fetch.Updater
	waits *[]time.Duration
}

// newEnv starts the replay servers and an empty store, and returns an updater
// pointed at them whose backoff waits are recorded, not slept.
func newEnv(t testing.TB) *env {
	t.Helper()
	srv := fetchtest.New()
	t.Cleanup(srv.Close)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := fetch.DefaultConfig()
	cfg.URLs = srv.URLs()
	cfg.SECUserAgent = "ratecycle tests tests@example.com"
	cfg.HTTP.Rate = 1000
	cfg.HTTP.Timeout = 5 * time.Second
	cl := cfg.NewClient()
	var mu sync.Mutex
	waits := &[]time.Duration{}
	cl.Sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		*waits = append(*waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	cat := catalog.New(st)
	u := &fetch.Updater{Store: st, Catalog: cat, Client: cl, Config: cfg, Since: series.NoDate, Now: func() time.Time { return testNow }}
	return &env{srv, st, cat, u, waits}
}

func (e *env) run(t *testing.T, ids ...string) []fetch.Result {
	t.Helper()
	var targets []fetch.Target
	for _, id := range ids {
		ts, _, err := fetch.Plan(context.Background(), e.cat, []string{id}, "", e.u.Config, testNow, 0)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, ts...)
	}
	res, err := e.u.Run(context.Background(), targets)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (e *env) one(t *testing.T, id string) fetch.Result {
	t.Helper()
	return e.run(t, id)[0]
}

// embeddedSeries is the catalog's series over the snapshot alone.
func embeddedSeries(t *testing.T, id string) *series.Series {
	t.Helper()
	s, err := catalog.New(nil).Load(context.Background(), id, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// currentChecksum returns the checksum of id's current stored vintage.
func (e *env) current(t *testing.T, id string) store.Vintage {
	t.Helper()
	v, err := e.st.Vintage(context.Background(), id, "")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustStatus(t *testing.T, r fetch.Result, want fetch.Status) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %s, want %s (err %v)", r.Target.ID, r.Status, want, r.Err)
	}
}

func TestUpdateEveryProviderFromReplay(t *testing.T) {
	e := newEnv(t)
	start := time.Now()
	res := e.run(t, "fred/DFF", "fred/DGS10", "fred/USREC", "french/F-F_Research_Data_Factors", "french/F-F_Research_Data_Factors_daily",
		"price/^SPX", "price/IWM", "holdings/IWM", "sec/tickers", "sec/companyfacts/SNOW", "sec/frames/us-gaap/Assets/USD/CY2024Q4I")
	t.Logf("first update of %d targets: %v", len(res), time.Since(start))
	for _, r := range res {
		mustStatus(t, r, fetch.Updated)
	}
	ctx := context.Background()
	// The stored series are the embedded ones, bit for bit: same parser, same bytes.
	for _, id := range []string{"fred/DFF", "fred/DGS10", "fred/USREC", "french/F-F_Research_Data_Factors/SMB",
		"french/F-F_Research_Data_Factors/annual-factors-january-december/HML", "french/F-F_Research_Data_Factors_daily/Mkt-RF"} {
		v := e.current(t, id)
		if want := store.Checksum(embeddedSeries(t, id)); v.Checksum != want {
			t.Errorf("%s: stored checksum %.12s, embedded %.12s", id, v.Checksum, want)
		}
		d, err := e.cat.Info(ctx, id)
		if err != nil || d.Source != "store" || d.Vintage != v.ID {
			t.Errorf("%s: catalog source %q vintage %q, want store %s (%v)", id, d.Source, d.Vintage, v.ID, err)
		}
		s, err := e.cat.Load(ctx, id, "")
		if err != nil || s.Prov.Vintage != v.ID || s.Prov.Unit == "" || s.Prov.Licence == "" {
			t.Errorf("%s: loaded %+v, %v", id, s.Prov, err)
		}
	}
	// Every series of the French file points at the raw zip it came from.
	raw := e.current(t, "french/F-F_Research_Data_Factors_CSV.zip")
	for _, r := range res {
		for _, v := range r.Series {
			if r.Target.ID == "french/F-F_Research_Data_Factors" && v.Raw != raw.ID {
				t.Fatalf("%s: raw %s, want %s", v.Dataset, v.Raw, raw.ID)
			}
		}
	}
	if r := res[3]; len(r.Series) != 8 { // 4 monthly + 4 annual columns
		t.Errorf("French factors: %d series", len(r.Series))
	}
	byID := map[string]fetch.Result{}
	for _, r := range res {
		byID[r.Target.ID] = r
	}
	if r := byID["price/^SPX"]; r.Via != "stooq" {
		t.Errorf("^SPX via %s", r.Via)
	}
	if r := byID["price/IWM"]; r.Via != "yahoo" || !strings.Contains(r.Note, "Stooq has no data for IWM; Yahoo used") {
		t.Errorf("IWM via %s: %s", r.Via, r.Note)
	}
	if r := byID["sec/companyfacts/SNOW"]; r.Raw.Dataset != "sec/companyfacts/CIK0001640147.json" || !strings.Contains(r.Note, "SNOWFLAKE") {
		t.Errorf("SNOW: %s %s", r.Raw.Dataset, r.Note)
	}

	// Second run: every provider answers 304 to the stored ETags; nothing is written.
	before := len(e.srv.Requests())
	start = time.Now()
	res = e.run(t, "fred/DFF", "fred/DGS10", "fred/USREC", "french/F-F_Research_Data_Factors", "french/F-F_Research_Data_Factors_daily",
		"price/^SPX", "price/IWM", "holdings/IWM", "sec/tickers", "sec/companyfacts/SNOW", "sec/frames/us-gaap/Assets/USD/CY2024Q4I")
	t.Logf("second (conditional) update: %v, %d requests", time.Since(start), len(e.srv.Requests())-before)
	for _, r := range res {
		if r.Target.ID == "price/IWM" {
			// Yahoo's URL carries period2=now, so no conditional request; the same
			// bytes are still recognised.
			mustStatus(t, r, fetch.Unchanged)
			continue
		}
		mustStatus(t, r, fetch.Unchanged)
	}
	vs, _ := e.st.Vintages(ctx, "fred/DFF")
	if len(vs) != 1 {
		t.Fatalf("%d vintages of fred/DFF after an unchanged update", len(vs))
	}
}

// fault runs an update of id against a fault and checks that it failed with an
// error containing every want, and that the current vintage (if any) is untouched.
func (e *env) fault(t *testing.T, id, rawID string, f fetchtest.Fault, target error, want ...string) fetch.Result {
	t.Helper()
	var before store.Vintage
	if v, err := e.st.Vintage(context.Background(), rawID, ""); err == nil {
		before = v
	}
	e.srv.Inject(f)
	defer e.srv.ClearFaults()
	r := e.one(t, id)
	mustStatus(t, r, fetch.Failed)
	if target != nil && !errors.Is(r.Err, target) {
		t.Errorf("error %v is not %v", r.Err, target)
	}
	for _, w := range want {
		if !strings.Contains(r.Err.Error(), w) {
			t.Errorf("error %q lacks %q", r.Err, w)
		}
	}
	if before.ID != "" {
		after, err := e.st.Vintage(context.Background(), rawID, "")
		if err != nil || after.ID != before.ID || after.Checksum != before.Checksum {
			t.Errorf("current vintage changed from %s to %s", before.ID, after.ID)
		}
	}
	return r
}

func TestFaults(t *testing.T) {
	e := newEnv(t)
	mustStatus(t, e.one(t, "fred/DFF"), fetch.Updated)
	mustStatus(t, e.one(t, "french/F-F_Research_Data_Factors"), fetch.Updated)
	dff, _ := fetchtest.FREDCSV("DFF")
	dffURL := e.srv.URL("fred") + "/graph/fredgraph.csv?id=DFF"

	t.Run("500 every time", func(t *testing.T) {
		e.fault(t, "fred/DFF", "fred/DFF.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Status(500, "Internal error: database unavailable")},
			nil, "fred: GET "+dffURL, "HTTP 500 Internal Server Error after 4 tries", `the server said "Internal error: database unavailable"`)
	})
	t.Run("500 twice then fine", func(t *testing.T) {
		e.srv.Inject(fetchtest.Fault{Provider: "fred", Times: 2, Handler: fetchtest.Status(503, "busy")})
		defer e.srv.ClearFaults()
		n := len(e.srv.Requests())
		mustStatus(t, e.one(t, "fred/DFF"), fetch.Unchanged)
		if got := len(e.srv.Requests()) - n; got != 3 {
			t.Fatalf("%d requests", got)
		}
	})
	t.Run("429 with Retry-After", func(t *testing.T) {
		*e.waits = nil
		e.srv.Inject(fetchtest.Fault{Provider: "fred", Times: 1, Handler: fetchtest.Status(429, "Too Many Requests", "Retry-After", "3")})
		defer e.srv.ClearFaults()
		mustStatus(t, e.one(t, "fred/DFF"), fetch.Unchanged)
		if len(*e.waits) != 1 || (*e.waits)[0] != 3*time.Second {
			t.Fatalf("waits %v", *e.waits)
		}
	})
	t.Run("503 with HTTP-date Retry-After", func(t *testing.T) {
		*e.waits = nil
		e.u.Client.Now = func() time.Time { return testNow }
		defer func() { e.u.Client.Now = time.Now }()
		e.srv.Inject(fetchtest.Fault{Provider: "fred", Times: 1, Handler: fetchtest.Status(503, "maintenance", "Retry-After",
			testNow.Add(42*time.Second).Format(http.TimeFormat))})
		defer e.srv.ClearFaults()
		mustStatus(t, e.one(t, "fred/DFF"), fetch.Unchanged)
		if len(*e.waits) != 1 || (*e.waits)[0] != 42*time.Second {
			t.Fatalf("waits %v", *e.waits)
		}
	})
	t.Run("truncated body", func(t *testing.T) {
		e.fault(t, "fred/DFF", "fred/DFF.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Truncated(dff[:len(dff)/2], 1000)},
			fetch.ErrTruncated, "connection closed early reading the body", "after 4 tries")
	})
	t.Run("slow body, short timeout", func(t *testing.T) {
		old := e.u.Client.AttemptTimeout
		e.u.Client.AttemptTimeout = 200 * time.Millisecond
		defer func() { e.u.Client.AttemptTimeout = old }()
		start := time.Now()
		e.fault(t, "fred/DFF", "fred/DFF.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Slow(dff, 4096, 50*time.Millisecond)},
			fetch.ErrTimeout, "timed out after 200ms reading the body")
		if el := time.Since(start); el > 3*time.Second {
			t.Errorf("took %v", el)
		}
	})
	t.Run("HTML page instead of CSV", func(t *testing.T) {
		e.fault(t, "fred/DFF", "fred/DFF.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Status(200,
			"<!DOCTYPE html><html><head><title>FRED | Scheduled Maintenance</title></head><body>Back soon</body></html>", "Content-Type", "text/html")},
			fetch.ErrContent, "an HTML page", "FRED | Scheduled Maintenance", "HTTP 200")
	})
	t.Run("zip without the expected member", func(t *testing.T) {
		z, _ := fetchtest.Zip("F-F_Research_Data_Factors_weekly.CSV", []byte("x"))
		e.fault(t, "french/F-F_Research_Data_Factors", "french/F-F_Research_Data_Factors_CSV.zip",
			fetchtest.Fault{Provider: "french", Handler: fetchtest.Status(200, string(z), "Content-Type", "application/zip")},
			fetch.ErrContent, "F-F_Research_Data_Factors_CSV.zip has no member F-F_Research_Data_Factors.csv (found: F-F_Research_Data_Factors_weekly.CSV)")
	})
	t.Run("not a zip", func(t *testing.T) {
		e.fault(t, "french/F-F_Research_Data_Factors", "french/F-F_Research_Data_Factors_CSV.zip",
			fetchtest.Fault{Provider: "french", Handler: fetchtest.Status(200, "Date,Mkt-RF\n", "Content-Type", "application/zip")},
			fetch.ErrContent, "not a zip file")
	})
	t.Run("wrong Content-Length", func(t *testing.T) {
		e.fault(t, "fred/DFF", "fred/DFF.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Truncated(dff, 17)},
			fetch.ErrTruncated, "of 418396 announced")
	})
	t.Run("shorter file", func(t *testing.T) {
		short := dff[:bytes.LastIndex(dff[:len(dff)-4000], []byte("\n"))+1]
		e.fault(t, "fred/DFF", "fred/DFF.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Status(200, string(short))},
			fetch.ErrInvalid, "fred/DFF: failed validation: ends 2025-02-01, before the current vintage's 2025-10-09")
	})
	t.Run("a row short in the middle", func(t *testing.T) {
		lines := strings.SplitAfter(string(dff), "\n")
		cut := strings.Join(lines[:100], "") + strings.Join(lines[110:], "")
		e.fault(t, "fred/DFF", "fred/DFF.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Status(200, cut)},
			fetch.ErrInvalid, "10 fewer than the current vintage's 26034")
	})
	t.Run("another series", func(t *testing.T) {
		other, _ := snapshot.ReadFile("fred/T10Y2Y.csv")
		e.fault(t, "fred/DFF", "fred/DFF.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Status(200, string(other))},
			fetch.ErrContent, "asked for DFF, the file holds T10Y2Y")
	})
	t.Run("values that disagree", func(t *testing.T) {
		doubled := strings.ReplaceAll(string(dff), ",1.", ",3.")
		doubled = strings.ReplaceAll(doubled, ",2.", ",5.")
		e.fault(t, "fred/DFF", "fred/DFF.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Status(200, doubled)},
			fetch.ErrInvalid, "disagrees with the current vintage on")
	})
	t.Run("parse error", func(t *testing.T) {
		bad := strings.Replace(string(dff), "1954-07-05,0.88", "1954-07-05,0.8x8", 1)
		e.fault(t, "fred/DFF", "fred/DFF.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Status(200, bad)},
			nil, "fred: "+dffURL+": parse fred/DFF.csv line 6")
	})
	t.Run("304 but nothing stored", func(t *testing.T) {
		e.fault(t, "fred/DGS2", "fred/DGS2.csv", fetchtest.Fault{Provider: "fred", Handler: fetchtest.Status(304, "")},
			fetch.ErrContent, "304 Not Modified but nothing is stored")
	})

	// After all of this, fred/DFF still has its first vintage, intact.
	vs, err := e.st.Vintages(context.Background(), "fred/DFF")
	if err != nil || len(vs) != 1 || vs[0].Checksum != store.Checksum(embeddedSeries(t, "fred/DFF")) {
		t.Fatalf("%d vintages, %v", len(vs), err)
	}
	if err := e.st.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestNewDataMakesANewVintage(t *testing.T) {
	e := newEnv(t)
	mustStatus(t, e.one(t, "fred/DFF"), fetch.Updated)
	first := e.current(t, "fred/DFF")
	dff, _ := fetchtest.FREDCSV("DFF")
	e.srv.SetBody("fred", "DFF", fetchtest.AppendRow(dff, "3.87"))
	r := e.one(t, "fred/DFF")
	mustStatus(t, r, fetch.Updated)
	second := e.current(t, "fred/DFF")
	if second.ID == first.ID || second.N != first.N+1 || second.Last.String() != "2025-10-10" {
		t.Fatalf("second vintage %+v", second)
	}
	s, err := e.cat.Load(context.Background(), "fred/DFF", "")
	if err != nil || s.Values[s.Len()-1] != 3.87 {
		t.Fatal(err)
	}
	// The first vintage stays readable and can be pinned.
	old, err := e.cat.Load(context.Background(), "fred/DFF", first.ID)
	if err != nil || old.Len() != first.N {
		t.Fatal(err)
	}
}

func TestUnchangedWithoutETag(t *testing.T) {
	e := newEnv(t)
	e.srv.NoETag = true
	mustStatus(t, e.one(t, "fred/DFF"), fetch.Updated)
	r := e.one(t, "fred/DFF")
	mustStatus(t, r, fetch.Unchanged)
	for _, req := range e.srv.Requests() {
		if !strings.HasPrefix(req, "fred /graph/fredgraph.csv?id=DFF") {
			t.Fatal(req)
		}
	}
}

func TestFREDAPI(t *testing.T) {
	e := newEnv(t)
	e.u.Config.FREDAPIKey = "0123456789abcdef"
	r := e.one(t, "fred/DGS10")
	mustStatus(t, r, fetch.Updated)
	if r.Via != "fred-api" || r.Raw.Dataset != "fred/DGS10.json" || strings.Contains(r.Raw.URL, "0123456789abcdef") ||
		!strings.Contains(r.Raw.URL, "api_key=REDACTED") {
		t.Fatalf("via %s raw %s url %s", r.Via, r.Raw.Dataset, r.Raw.URL)
	}
	if got, want := e.current(t, "fred/DGS10").Checksum, store.Checksum(embeddedSeries(t, "fred/DGS10")); got != want {
		t.Fatal("API series differs from the embedded one")
	}
	r = e.one(t, "fred/NOSUCH")
	mustStatus(t, r, fetch.Failed)
	if !strings.Contains(r.Err.Error(), "HTTP 404") || !strings.Contains(r.Err.Error(), "The series does not exist") || strings.Contains(r.Err.Error(), "0123456789abcdef") {
		t.Fatal(r.Err)
	}
}

func TestSince(t *testing.T) {
	e := newEnv(t)
	mustStatus(t, e.one(t, "fred/DFF"), fetch.Updated)
	dff, _ := fetchtest.FREDCSV("DFF")
	e.srv.SetBody("fred", "DFF", fetchtest.From(fetchtest.AppendRow(dff, "3.87"), "2025-01-01"))
	e.u.Since = series.MustDate("2025-01-01")
	r := e.one(t, "fred/DFF")
	mustStatus(t, r, fetch.Updated)
	if !strings.Contains(r.Note, "observations from 2025-01-01 downloaded, earlier ones kept from vintage") {
		t.Fatal(r.Note)
	}
	v := e.current(t, "fred/DFF")
	if v.N != 26035 || v.First.String() != "1954-07-01" || v.Last.String() != "2025-10-10" {
		t.Fatalf("%+v", v)
	}
	if !strings.Contains(e.srv.Requests()[len(e.srv.Requests())-1], "cosd=2025-01-01") {
		t.Fatal(e.srv.Requests())
	}
}

func TestPriceFallbacks(t *testing.T) {
	e := newEnv(t)
	// Stooq is down; Yahoo answers.
	e.srv.Inject(fetchtest.Fault{Provider: "stooq", Handler: fetchtest.Status(502, "Bad Gateway")})
	r := e.one(t, "price/SPY")
	mustStatus(t, r, fetch.Updated)
	if r.Via != "yahoo" || !strings.Contains(r.Note, "HTTP 502") {
		t.Fatalf("%s %s", r.Via, r.Note)
	}
	// Stooq's daily hits limit (a 200 text body) is not data either.
	e.srv.ClearFaults()
	e.srv.Inject(fetchtest.Fault{Provider: "stooq", Handler: fetchtest.Status(200, "Exceeded the daily hits limit")})
	r = e.one(t, "price/^NDX")
	mustStatus(t, r, fetch.Updated)
	if r.Via != "yahoo" || !strings.Contains(r.Note, `not a Stooq price CSV: the server said "Exceeded the daily hits limit"`) {
		t.Fatalf("%s %s", r.Via, r.Note)
	}
	// Both fail: the error tells both stories.
	e.srv.Inject(fetchtest.Fault{Provider: "yahoo", Handler: fetchtest.Status(500, "Internal Server Error")})
	r = e.one(t, "price/XLK")
	mustStatus(t, r, fetch.Failed)
	for _, w := range []string{"stooq: GET", "not a Stooq price CSV", `"Exceeded the daily hits limit"`, "Yahoo fallback: yahoo: GET", "HTTP 500", "after 4 tries"} {
		if !strings.Contains(r.Err.Error(), w) {
			t.Errorf("%q lacks %q", r.Err, w)
		}
	}
	// Unknown everywhere.
	e.srv.ClearFaults()
	r = e.one(t, "price/ZZZZ")
	mustStatus(t, r, fetch.Failed)
	if !errors.Is(r.Err, fetch.ErrNoData) {
		t.Fatal(r.Err)
	}
}

func TestHoldingsChecks(t *testing.T) {
	e := newEnv(t)
	ivv, _ := snapshot.ReadFile("ishares-holdings/IVV_holdings.csv")
	e.srv.SetBody("ishares", "IWM", ivv)
	r := e.one(t, "holdings/IWM")
	mustStatus(t, r, fetch.Failed)
	if !strings.Contains(r.Err.Error(), `the file is for "iShares Core S&P 500 ETF", the current one for "iShares Russell 2000 ETF" (wrong product id?)`) {
		t.Fatal(r.Err)
	}
	e.srv.SetBody("ishares", "IWM", nil)
	r = e.one(t, "holdings/IWM")
	mustStatus(t, r, fetch.Updated)
	if !strings.Contains(r.Note, "as of 2026-05-05, 1924 equity lines") {
		t.Fatal(r.Note)
	}
	r = e.one(t, "holdings/IJR")
	mustStatus(t, r, fetch.Failed)
	if !strings.Contains(r.Err.Error(), "add it under ishares_products in the config file") {
		t.Fatal(r.Err)
	}
}

func TestSECNeedsUserAgentBeforeAnyRequest(t *testing.T) {
	e := newEnv(t)
	e.u.Config.SECUserAgent = ""
	_, _, err := fetch.Plan(context.Background(), e.cat, []string{"sec/tickers"}, "", e.u.Config, testNow, 0)
	if !errors.Is(err, fetch.ErrNoUserAgent) || !strings.Contains(err.Error(), "RATECYCLE_SEC_USER_AGENT") {
		t.Fatal(err)
	}
	_, _, err = fetch.Plan(context.Background(), e.cat, nil, "sec", e.u.Config, testNow, 0)
	if !errors.Is(err, fetch.ErrNoUserAgent) {
		t.Fatal(err)
	}
	e.u.Config.SECUserAgent = "ratecycle" // no contact address
	if _, _, err = fetch.Plan(context.Background(), e.cat, []string{"sec/tickers"}, "", e.u.Config, testNow, 0); err == nil ||
		!strings.Contains(err.Error(), `"ratecycle" has no e-mail address`) {
		t.Fatal(err)
	}
	// The all-providers default skips SEC and says why.
	e.u.Config.SECUserAgent = ""
	ts, notes, err := fetch.Plan(context.Background(), e.cat, nil, "", e.u.Config, testNow, 0)
	if err != nil || len(notes) != 1 || !strings.Contains(notes[0], "SEC EDGAR skipped") {
		t.Fatal(err, notes)
	}
	for _, tg := range ts {
		if tg.Source == "sec" {
			t.Fatal(tg)
		}
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Fatalf("%d requests", n)
	}
}

func TestSECRateLimit(t *testing.T) {
	e := newEnv(t)
	e.u.Config.HTTP.SECRate = 50 // more than SEC allows: lowered to 10
	var ts []fetch.Target
	for _, y := range []string{"2022", "2023", "2024"} {
		for _, c := range []string{"Assets", "Liabilities", "StockholdersEquity", "AssetsCurrent"} {
			ts = append(ts, fetch.Target{ID: "sec/frames/us-gaap/" + c + "/USD/CY" + y + "Q4I", Source: "sec"})
		}
	}
	start := time.Now()
	if _, err := e.u.Run(context.Background(), ts); err != nil {
		t.Fatal(err)
	}
	// 12 requests at 10 per second with a burst of 1: at least 1.1 s.
	if el := time.Since(start); el < 1100*time.Millisecond {
		t.Fatalf("12 SEC requests took %v", el)
	}
}

func TestCancelReportsHowFar(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	var done atomic.Int32
	e.u.Events = func(ev fetch.Event) {
		if ev.Phase == fetch.PhaseDone && done.Add(1) == 2 {
			cancel()
		}
	}
	ts, _, err := fetch.Plan(ctx, e.cat, nil, "fred", e.u.Config, testNow, 0)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.u.Run(ctx, ts)
	if !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	counts := map[fetch.Status]int{}
	for _, r := range res {
		counts[r.Status]++
	}
	if counts[fetch.Updated] < 2 || counts[fetch.NotAttempted] == 0 || counts[fetch.Updated]+counts[fetch.Interrupted]+counts[fetch.NotAttempted] != len(ts) {
		t.Fatalf("%v", counts)
	}
	if err := e.st.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestReaderSeesOldOrNew reads fred/DFF in a loop while updates replace it; every
// read must be one whole vintage (checksum of the old or the new data).
func TestReaderSeesOldOrNew(t *testing.T) {
	e := newEnv(t)
	mustStatus(t, e.one(t, "fred/DFF"), fetch.Updated)
	dff, _ := fetchtest.FREDCSV("DFF")
	bodies := [][]byte{dff}
	for i := range 5 {
		bodies = append(bodies, fetchtest.AppendRow(bodies[i], "4.0"+string(rune('0'+i))))
	}
	valid := map[string]bool{}
	for _, b := range bodies {
		s, err := fred.Parse(bytes.NewReader(b), "DFF.csv")
		if err != nil {
			t.Fatal(err)
		}
		valid[store.Checksum(s)] = true
	}
	stop := make(chan struct{})
	var reads atomic.Int32
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			s, err := e.st.Series(context.Background(), "fred/DFF", "")
			if err != nil {
				t.Error(err)
				return
			}
			if !valid[store.Checksum(s)] {
				t.Errorf("reader saw a series that is no vintage: %d points", s.Len())
				return
			}
			reads.Add(1)
		}
	}()
	for _, b := range bodies[1:] {
		e.srv.SetBody("fred", "DFF", b)
		mustStatus(t, e.one(t, "fred/DFF"), fetch.Updated)
	}
	close(stop)
	wg.Wait()
	t.Logf("%d consistent reads during 5 updates", reads.Load())
}

func TestPlan(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	plan := func(ids []string, source string) []string {
		t.Helper()
		ts, _, err := fetch.Plan(ctx, e.cat, ids, source, e.u.Config, testNow, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tg := range ts {
			out = append(out, tg.ID)
		}
		return out
	}
	if got := plan(nil, "fred"); len(got) != 11 || got[0] != "fred/CPIAUCSL" {
		t.Errorf("fred: %v", got)
	}
	if got := plan(nil, "french"); len(got) != 10 {
		t.Errorf("french: %v", got)
	}
	if got := plan(nil, "holdings"); strings.Join(got, " ") != "holdings/IVV holdings/IWM" {
		t.Errorf("holdings: %v", got)
	}
	if got := plan(nil, "prices"); len(got) < 30 || !strings.Contains(strings.Join(got, " "), "price/^SPX") {
		t.Errorf("prices: %v", got)
	}
	if got := strings.Join(plan(nil, "sec"), " "); !strings.HasPrefix(got, "sec/tickers sec/frames/us-gaap/Revenues/USD/CY2025 ") ||
		!strings.Contains(got, "us-gaap/Assets/USD/CY2025Q4I") {
		t.Errorf("sec: %v", got)
	}
	got := plan([]string{"sec/companyfacts/aapl", "french/F-F_Research_Data_Factors/SMB", "french/F-F_Research_Data_Factors/HML",
		"fred/dff", "sec/tickers", "price/iwm"}, "")
	if want := "fred/DFF french/F-F_Research_Data_Factors price/IWM sec/tickers sec/companyfacts/AAPL"; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if got := plan(nil, ""); len(got) < 55 {
		t.Errorf("everything: %d targets", len(got))
	}
	for _, bad := range []string{"fred", "fred/", "fred/D FF", "price/../../etc", "sec/frames/Revenues", "sec/other", "user/x"} {
		if _, _, err := fetch.Plan(ctx, e.cat, []string{bad}, "", e.u.Config, testNow, 0); !errors.Is(err, fetch.ErrUsage) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// BenchmarkUpdateAllFRED updates the catalog's 11 FRED series from the local
// replay server into a fresh store: download, parse, validate, write.
func BenchmarkUpdateAllFRED(b *testing.B) {
	benchUpdate(b, "fred")
}

// BenchmarkUpdateAllFrench does the same for the 10 Ken French files (zips of
// 19 MB of CSV, 2,000+ series).
func BenchmarkUpdateAllFrench(b *testing.B) {
	benchUpdate(b, "french")
}

func benchUpdate(b *testing.B, source string) {
	e := newEnv(b)
	ts, _, err := fetch.Plan(context.Background(), e.cat, nil, source, e.u.Config, testNow, 0)
	if err != nil {
		b.Fatal(err)
	}
	series, bytes := 0, 0
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "store.db"))
		if err != nil {
			b.Fatal(err)
		}
		e.u.Store, e.u.Catalog = st, catalog.New(st)
		b.StartTimer()
		res, err := e.u.Run(context.Background(), ts)
		if err != nil {
			b.Fatal(err)
		}
		series, bytes = 0, 0
		for _, r := range res {
			if r.Status != fetch.Updated {
				b.Fatalf("%s: %s %v", r.Target.ID, r.Status, r.Err)
			}
			series += len(r.Series)
			bytes += r.Bytes
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(series), "series")
	b.SetBytes(int64(bytes))
}
