// Package fetchtest runs local HTTP servers that answer like ratecycle's live data
// providers, with the real bytes of the embedded snapshot, and inject faults on
// demand. Tests of package fetch and of `ratecycle data update` point the providers'
// base URLs at it; nothing ever reaches the internet.
//
// Each provider gets its own server (its own host:port, hence its own rate limiter
// in the client): FRED (fredgraph CSV), the FRED API (JSON), Ken French (zips built
// in memory from the embedded CSVs), Stooq (the embedded Stooq files; "No data"
// for other symbols, as Stooq answers), Yahoo (chart JSON built from the embedded
// yfinance CSVs), SEC (the embedded ticker map), SEC data (the embedded
// companyfacts, and XBRL frames assembled from their "frame" attributes) and
// iShares (the embedded holdings files). Every answer carries an ETag and honours
// If-None-Match with 304, as the providers' CDNs do, unless NoETag is set.
package fetchtest

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/fetch"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/snapshot"
	"github.com/ratecycle/ratecycle/source/price"
)

// Providers are the names Server uses for its servers, faults and bodies.
var Providers = []string{"fred", "fredapi", "french", "stooq", "yahoo", "sec", "secdata", "ishares"}

// Fault replaces the normal answer to matching requests.
type Fault struct {
	Provider string // one of Providers
	Match    string // substring of the request's path and query; "" matches all
	Times    int    // how many requests it applies to; 0 means every one
	Handler  http.HandlerFunc
}

// Server is a set of replay servers, one per provider.
type Server struct {
	srv map[string]*httptest.Server

	mu       sync.Mutex
	faults   []*Fault
	bodies   map[string][]byte // provider + " " + key -> replacement body
	requests []string
	// NoETag turns off ETag and 304 answers (FRED's fredgraph sends none).
	NoETag bool
	// Chunk and ChunkDelay, when set, make every body trickle: Chunk bytes, then a
	// pause of ChunkDelay.
	Chunk      int
	ChunkDelay time.Duration
}

// New starts the servers; Close stops them.
func New() *Server {
	s := &Server{srv: map[string]*httptest.Server{}, bodies: map[string][]byte{}}
	for _, p := range Providers {
		s.srv[p] = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(p, w, r) }))
	}
	return s
}

// Close stops every server.
func (s *Server) Close() {
	for _, srv := range s.srv {
		srv.Close()
	}
}

// URL is the base URL of one provider's server.
func (s *Server) URL(provider string) string { return s.srv[provider].URL }

// URLs returns base URLs pointing at the servers.
func (s *Server) URLs() fetch.URLs {
	return fetch.URLs{FRED: s.URL("fred"), FREDAPI: s.URL("fredapi"), French: s.URL("french") + "/ftp", Stooq: s.URL("stooq"),
		Yahoo: s.URL("yahoo"), SEC: s.URL("sec"), SECData: s.URL("secdata"), IShares: s.URL("ishares")}
}

// Env returns the environment variables that point ratecycle at the servers.
func (s *Server) Env() []string {
	u := s.URLs()
	return []string{"RATECYCLE_FRED_URL=" + u.FRED, "RATECYCLE_FRED_API_URL=" + u.FREDAPI, "RATECYCLE_FRENCH_URL=" + u.French,
		"RATECYCLE_STOOQ_URL=" + u.Stooq, "RATECYCLE_YAHOO_URL=" + u.Yahoo, "RATECYCLE_SEC_URL=" + u.SEC,
		"RATECYCLE_SEC_DATA_URL=" + u.SECData, "RATECYCLE_ISHARES_URL=" + u.IShares}
}

// Inject adds a fault; faults are tried in the order added.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// SetBody replaces what a provider serves for key (FRED and FRED API: the series id;
// French: the zip name; Stooq: the Stooq symbol; Yahoo: the symbol; SEC: the path;
// iShares: the fund) until reset with a nil body.
func (s *Server) SetBody(provider, key string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if body == nil {
		delete(s.bodies, provider+" "+key)
		return
	}
	s.bodies[provider+" "+key] = body
}

// Requests returns "provider path?query" for every request so far.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func (s *Server) serve(provider string, w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, provider+" "+r.URL.RequestURI())
	var fault *Fault
	for _, f := range s.faults {
		if f.Provider == provider && strings.Contains(r.URL.RequestURI(), f.Match) && f.Times >= 0 {
			fault = f
			if f.Times > 0 {
				if f.Times--; f.Times == 0 {
					f.Times = -1 // used up
				}
			}
			break
		}
	}
	s.mu.Unlock()
	if fault != nil {
		fault.Handler(w, r)
		return
	}
	key, body, ctype, err := s.answer(provider, r)
	if err != nil {
		code, msg := http.StatusNotFound, err.Error()
		if provider == "yahoo" {
			msg = `{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}`
			w.Header().Set("Content-Type", "application/json")
		}
		http.Error(w, msg, code)
		return
	}
	s.mu.Lock()
	if b, ok := s.bodies[provider+" "+key]; ok {
		body = b
	}
	noETag, chunk, delay := s.NoETag, s.Chunk, s.ChunkDelay
	s.mu.Unlock()
	if !noETag {
		h := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(h[:8]) + `"`
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Tue, 17 Nov 2026 10:00:00 GMT")
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if chunk <= 0 {
		w.Write(body)
		return
	}
	Trickle(w, r, body, chunk, delay)
}

// Trickle writes body in chunks with a pause after each, stopping when the client
// goes away.
func Trickle(w http.ResponseWriter, r *http.Request, body []byte, chunk int, delay time.Duration) {
	for len(body) > 0 {
		n := min(chunk, len(body))
		if _, err := w.Write(body[:n]); err != nil {
			return
		}
		body = body[n:]
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(delay):
		}
	}
}

var (
	catOnce sync.Once
	cat     *catalog.Catalog
)

func embedded() *catalog.Catalog {
	catOnce.Do(func() { cat = catalog.New(nil) })
	return cat
}

// answer returns what the provider serves for r.
func (s *Server) answer(provider string, r *http.Request) (key string, body []byte, ctype string, err error) {
	q := r.URL.Query()
	switch provider {
	case "fred":
		id := q.Get("id")
		b, err := FREDCSV(id)
		if cosd := q.Get("cosd"); err == nil && cosd != "" {
			b = From(b, cosd)
		}
		return id, b, "text/csv", err
	case "fredapi":
		id := q.Get("series_id")
		if q.Get("api_key") == "" {
			return id, nil, "", fmt.Errorf(`{"error_code":400,"error_message":"Bad Request.  Variable api_key is not set."}`)
		}
		b, err := FREDJSON(id, q.Get("observation_start"))
		return id, b, "application/json", err
	case "french":
		name := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		b, err := FrenchZip(strings.TrimSuffix(name, "_CSV.zip"))
		return name, b, "application/x-zip-compressed", err
	case "stooq":
		sym := q.Get("s")
		b, err := StooqCSV(sym)
		if err != nil {
			return sym, []byte("No data"), "text/plain", nil // Stooq's answer for unknown symbols, with 200
		}
		return sym, b, "text/csv", nil
	case "yahoo":
		sym := strings.TrimPrefix(r.URL.Path, "/v8/finance/chart/")
		b, err := YahooChart(sym)
		return sym, b, "application/json", err
	case "sec", "secdata":
		if !strings.Contains(r.Header.Get("User-Agent"), "@") {
			return r.URL.Path, nil, "", fmt.Errorf("Your Request Originates from an Undeclared Automated Tool")
		}
		b, err := SEC(r.URL.Path)
		return r.URL.Path, b, "application/json", err
	case "ishares":
		fund := strings.TrimSuffix(q.Get("fileName"), "_holdings")
		b, err := snapshot.ReadFile("ishares-holdings/" + fund + "_holdings.csv")
		return fund, b, "text/csv", err
	}
	return "", nil, "", fmt.Errorf("unknown provider %s", provider)
}

// fredFiles returns the embedded files of a FRED id.
func fredFiles(id string) ([]string, error) {
	d, err := embedded().Info(context.Background(), "fred/"+id)
	if err != nil {
		return nil, fmt.Errorf("Error: series %s not found", id)
	}
	return d.Files, nil
}

// FREDCSV is fredgraph's answer for id: the embedded file's bytes, or for a series
// the catalog splices from two files, the spliced series in fredgraph's layout
// ("observation_date,ID", empty cells for missing values).
func FREDCSV(id string) ([]byte, error) {
	files, err := fredFiles(id)
	if err != nil {
		return nil, err
	}
	if len(files) == 1 {
		return snapshot.ReadFile(files[0])
	}
	s, err := embedded().Load(context.Background(), "fred/"+id, "")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("observation_date," + id + "\n")
	for i, d := range s.Dates {
		b.WriteString(d.String() + ",")
		if v := s.Values[i]; !math.IsNaN(v) {
			b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// FREDJSON is the FRED API's series/observations answer for id, with the same
// observations as FREDCSV and "." for missing values.
func FREDJSON(id, start string) ([]byte, error) {
	if _, err := fredFiles(id); err != nil {
		return nil, fmt.Errorf(`{"error_code":400,"error_message":"Bad Request.  The series does not exist."}`)
	}
	s, err := embedded().Load(context.Background(), "fred/"+id, "")
	if err != nil {
		return nil, err
	}
	type obs struct {
		RS    string `json:"realtime_start"`
		RE    string `json:"realtime_end"`
		Date  string `json:"date"`
		Value string `json:"value"`
	}
	doc := struct {
		RS, RE       string `json:"-"`
		Units        string `json:"units"`
		Count        int    `json:"count"`
		Observations []obs  `json:"observations"`
	}{Units: "lin", Count: s.Len()}
	for i, d := range s.Dates {
		if d.String() < start {
			continue
		}
		v := "."
		if !math.IsNaN(s.Values[i]) {
			v = strconv.FormatFloat(s.Values[i], 'f', -1, 64)
		}
		doc.Observations = append(doc.Observations, obs{"2026-11-20", "2026-11-20", d.String(), v})
	}
	return json.Marshal(doc)
}

// FrenchZip is the library's <base>_CSV.zip: the embedded CSV as its only member,
// under the name the library uses.
func FrenchZip(base string) ([]byte, error) {
	for _, name := range []string{base + ".CSV", base + ".csv"} {
		b, err := snapshot.ReadFile("kenfrench/" + name)
		if err != nil {
			continue
		}
		return Zip(name, b)
	}
	return nil, fmt.Errorf("no such file: %s_CSV.zip", base)
}

// Zip returns a zip archive holding one member.
func Zip(member string, data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: member, Method: zip.Deflate, Modified: time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// StooqCSV is Stooq's daily CSV for a Stooq symbol (^spx, ^ndx: the embedded
// Stooq files, byte for byte).
func StooqCSV(sym string) ([]byte, error) {
	switch strings.ToLower(sym) {
	case "^spx":
		return snapshot.ReadFile("stooq-andyranitzsch/^spx_d.csv")
	case "^ndx":
		return snapshot.ReadFile("stooq-jiaqisun/^ndx_d.csv")
	}
	return nil, fmt.Errorf("no data")
}

// YahooChart is the chart answer for a symbol, built from the embedded yfinance CSV
// the catalog uses for price/<symbol> (its partial intraday last row dropped).
func YahooChart(sym string) ([]byte, error) {
	d, err := embedded().Info(context.Background(), "price/"+sym)
	if err != nil || len(d.Files) == 0 {
		return nil, fmt.Errorf("not found")
	}
	b, err := snapshot.ReadFile(d.Files[0])
	if err != nil {
		return nil, err
	}
	tb, err := price.Parse(bytes.NewReader(b), d.Files[0], price.SnapshotOptions(d.Files[0]))
	if err != nil {
		return nil, err
	}
	tb.DropPartial()
	return ChartJSON(tb, sym), nil
}

// ChartJSON writes a price table in Yahoo's chart layout: bars stamped at 09:30 New
// York, quote arrays and adjclose (the table's close: yfinance's is adjusted).
func ChartJSON(tb *price.Table, sym string) []byte {
	ny, _ := time.LoadLocation("America/New_York")
	var b bytes.Buffer
	num := func(v float64) string {
		if math.IsNaN(v) {
			return "null"
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	arr := func(name string, vals []float64) {
		b.WriteString(`"` + name + `":[`)
		for i := range tb.Dates {
			if i > 0 {
				b.WriteByte(',')
			}
			if vals == nil {
				b.WriteString("null")
			} else {
				b.WriteString(num(vals[i]))
			}
		}
		b.WriteByte(']')
	}
	fmt.Fprintf(&b, `{"chart":{"result":[{"meta":{"currency":"USD","symbol":%q,"exchangeTimezoneName":"America/New_York","timezone":"EST","gmtoffset":-18000,"dataGranularity":"1d","range":""},"timestamp":[`, sym)
	for i, d := range tb.Dates {
		if i > 0 {
			b.WriteByte(',')
		}
		t := d.Time()
		b.WriteString(strconv.FormatInt(time.Date(t.Year(), t.Month(), t.Day(), 9, 30, 0, 0, ny).Unix(), 10))
	}
	b.WriteString(`],"indicators":{"quote":[{`)
	arr("open", tb.Open)
	b.WriteByte(',')
	arr("high", tb.High)
	b.WriteByte(',')
	arr("low", tb.Low)
	b.WriteByte(',')
	arr("close", tb.Close)
	b.WriteByte(',')
	arr("volume", tb.Volume)
	b.WriteString(`}],"adjclose":[{`)
	arr("adjclose", tb.Close)
	b.WriteString(`}]}}],"error":null}}`)
	return b.Bytes()
}

var companyFacts = map[string]string{
	"CIK0001640147.json": "sec-edgartools/snow_facts.json",
	"CIK0001997711.json": "sec-edgartools/lpa_facts.json",
}

// SEC answers an EDGAR path: the ticker map, the embedded companyfacts, or a frame
// assembled from every embedded companyfacts fact carrying that frame.
func SEC(path string) ([]byte, error) {
	switch {
	case path == "/files/company_tickers.json":
		return snapshot.ReadFile("sec/tickers-iqterminal/company_tickers.json")
	case strings.HasPrefix(path, "/api/xbrl/companyfacts/"):
		if f, ok := companyFacts[strings.TrimPrefix(path, "/api/xbrl/companyfacts/")]; ok {
			return snapshot.ReadFile(f)
		}
	case strings.HasPrefix(path, "/api/xbrl/frames/"):
		return frame(strings.TrimSuffix(strings.TrimPrefix(path, "/api/xbrl/frames/"), ".json"))
	}
	return nil, fmt.Errorf(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
}

func frame(spec string) ([]byte, error) {
	parts := strings.Split(spec, "/")
	if len(parts) != 4 {
		return nil, fmt.Errorf("bad frame %s", spec)
	}
	tax, tag, unit, period := parts[0], parts[1], parts[2], parts[3]
	type fact struct {
		Accn       string  `json:"accn"`
		CIK        int64   `json:"cik"`
		EntityName string  `json:"entityName"`
		Start      string  `json:"start,omitempty"`
		End        string  `json:"end"`
		Val        float64 `json:"val"`
	}
	var data []fact
	files := make([]string, 0, len(companyFacts))
	for _, f := range companyFacts {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := snapshot.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var doc struct {
			CIK        json.RawMessage `json:"cik"`
			EntityName string          `json:"entityName"`
			Facts      map[string]map[string]struct {
				Units map[string][]struct {
					Start, End, Accn, Frame string
					Val                     float64
				} `json:"units"`
			} `json:"facts"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, err
		}
		cik, _ := strconv.ParseInt(strings.Trim(string(doc.CIK), `"`), 10, 64)
		for _, x := range doc.Facts[tax][tag].Units[unit] {
			if x.Frame == period {
				data = append(data, fact{x.Accn, cik, doc.EntityName, x.Start, x.End, x.Val})
			}
		}
	}
	if len(data) == 0 {
		return nil, fmt.Errorf(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code></Error>`)
	}
	return json.Marshal(map[string]any{"taxonomy": tax, "tag": tag, "ccp": period, "uom": unit, "label": tag,
		"description": tag, "pts": len(data), "data": data})
}

// Status answers with a status, a body and header pairs.
func Status(code int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		w.Write([]byte(body))
	}
}

// Truncated announces a Content-Length n bytes longer than the body it sends, then
// closes the connection.
func Truncated(body []byte, n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			http.Error(w, "no hijack", 500)
			return
		}
		conn, buf, err := hj.Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len(body)+n)
		buf.Write(body)
		buf.Flush()
	}
}

// Slow sends body in chunks with a pause after each.
func Slow(body []byte, chunk int, delay time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		Trickle(w, r, body, chunk, delay)
	}
}

// Query returns a request's query value; a helper for fault handlers.
func Query(r *http.Request, key string) string {
	v, _ := url.ParseQuery(r.URL.RawQuery)
	return v.Get(key)
}

// From keeps a CSV's header and the rows dated from date on, as fredgraph's cosd does.
func From(csv []byte, date string) []byte {
	lines := strings.SplitAfter(string(csv), "\n")
	out := lines[0]
	for _, l := range lines[1:] {
		if len(l) >= 10 && l[:10] >= date {
			out += l
		}
	}
	return []byte(out)
}

// AppendRow returns a FRED-style CSV with one more row dated day after the last.
func AppendRow(csv []byte, value string) []byte {
	lines := strings.Split(strings.TrimRight(string(csv), "\n"), "\n")
	last := lines[len(lines)-1]
	d, err := series.ParseDate(last[:10])
	if err != nil {
		return csv
	}
	return []byte(strings.Join(lines, "\n") + "\n" + d.AddDays(1).String() + "," + value + "\n")
}
