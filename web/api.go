package web

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/risk"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/usercsv"
)

//go:embed openapi.json
var openAPIJSON []byte

// routes is the whole API: the mux is built from it, and the OpenAPI test compares it
// with openapi.json both ways.
func (s *Server) routes() []route {
	r := func(method, path, pattern string, h handlerFunc) route {
		return route{Route{method, path}, method + " " + pattern, h}
	}
	rs := []route{
		r("GET", "/", "/{$}", s.dashboard),
		r("GET", "/report", "/report", s.report),
		r("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", s.openAPI),
		r("GET", "/api/v1/datasets", "/api/v1/datasets", s.datasets),
		// Ids contain slashes (french/F-F_Research_Data_Factors/SMB), so the id is the
		// rest of the path and the handler splits off the /info suffix.
		r("GET", "/api/v1/datasets/{id}/info", "/api/v1/datasets/{rest...}", s.datasetInfo),
		r("GET", "/api/v1/series/{id}", "/api/v1/series/{id...}", s.series),
		r("GET", "/api/v1/cycles", "/api/v1/cycles", s.cycles),
		r("GET", "/api/v1/risk", "/api/v1/risk", s.risk),
		r("POST", "/api/v1/risk", "/api/v1/risk", s.risk),
	}
	return append(rs, s.analysisRoutes()...)
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, err := w.Write(s.page)
	return err
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPIJSON)
	return err
}

// report builds the full HTML report on the first request and keeps it for the
// life of the process (the embedded data does not change under a running server).
func (s *Server) report(w http.ResponseWriter, r *http.Request) error {
	s.reportMu.Lock()
	page := s.reportHTML
	if page == nil {
		doc, err := engine.Report(r.Context(), s.cat, engine.ReportOptions{Built: s.opt.Built})
		if err != nil {
			s.reportMu.Unlock()
			return err
		}
		var buf bytes.Buffer
		if err := report.WriteHTML(&buf, doc); err != nil {
			s.reportMu.Unlock()
			return err
		}
		s.reportHTML = buf.Bytes()
		page = s.reportHTML
	}
	s.reportMu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err := w.Write(page)
	return err
}

// checkID refuses ids that could only be attempts to name something outside the
// catalog. The catalog never maps an id to a filesystem path, so this is a second
// line: such ids are answered 400 before anything is looked up.
func checkID(id string) error {
	switch {
	case id == "":
		return httpErrorf(http.StatusBadRequest, "missing dataset id")
	case len(id) > 256:
		return httpErrorf(http.StatusBadRequest, "dataset id longer than 256 bytes")
	case strings.HasPrefix(id, "/"), strings.HasSuffix(id, "/"), strings.Contains(id, "//"),
		strings.Contains(id, ".."), strings.ContainsRune(id, '\\'):
		return httpErrorf(http.StatusBadRequest, "%q is not a dataset id (ids look like fred/DFF; see /api/v1/datasets)", id)
	}
	for _, c := range id {
		if unicode.IsControl(c) {
			return httpErrorf(http.StatusBadRequest, "dataset id contains a control character")
		}
	}
	return nil
}

func (s *Server) datasets(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.cat.List(r.Context())
	if err != nil {
		return err
	}
	provider := r.URL.Query().Get("provider")
	out := ds[:0:0]
	for _, d := range ds {
		if provider == "" || d.Provider == provider {
			out = append(out, d)
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"count": len(out), "datasets": out})
}

func (s *Server) datasetInfo(w http.ResponseWriter, r *http.Request) error {
	id, ok := strings.CutSuffix(r.PathValue("rest"), "/info")
	if !ok {
		return httpErrorf(http.StatusNotFound, "no such endpoint: %s (dataset details are at /api/v1/datasets/{id}/info)", r.URL.Path)
	}
	if err := checkID(id); err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.cat.Info(ctx, id)
	if err != nil {
		return err
	}
	info := map[string]any{"dataset": d}
	if sr, err := s.cat.Load(ctx, id, ""); err == nil {
		clean := sr.DropNaN()
		info["first"], info["last"], info["observations"], info["missing"] = clean.First(), clean.Last(), clean.Len(), sr.Len()-clean.Len()
		if sr.Prov.Note != "" {
			info["note"] = sr.Prov.Note
		}
	} else if !strings.Contains(err.Error(), "not a series") {
		return err
	}
	return writeJSON(w, http.StatusOK, info)
}

// seriesJSON is a series as columns: dates and values (null = missing).
type seriesJSON struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Kind       series.Kind       `json:"kind"`
	Frequency  string            `json:"frequency"`
	Unit       string            `json:"unit"`
	Provenance series.Provenance `json:"provenance"`
	N          int               `json:"n"`
	Dates      []series.Date     `json:"dates"`
	Values     []output.Num      `json:"values"`
}

func (s *Server) series(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := checkID(id); err != nil {
		return err
	}
	q := r.URL.Query()
	from, to, err := dateRange(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	sr, err := s.cat.Load(r.Context(), id, "")
	if err != nil {
		return err
	}
	if rs := q.Get("resample"); rs != "" {
		f, err := series.ParseFrequency(rs)
		if err != nil {
			return badRequest(fmt.Errorf("resample: %w", err))
		}
		how := series.DefaultHow(sr.Kind)
		if h := q.Get("how"); h != "" {
			if how, err = series.ParseHow(h); err != nil {
				return badRequest(fmt.Errorf("how: %w", err))
			}
		}
		sr = sr.Resample(f, how)
	}
	sr = sr.Slice(from, to)
	vals := make([]output.Num, sr.Len())
	for i, v := range sr.Values {
		vals[i] = output.Num(v)
	}
	dates := sr.Dates
	if dates == nil {
		dates = []series.Date{}
	}
	return writeJSON(w, http.StatusOK, seriesJSON{ID: id, Name: sr.Name, Kind: sr.Kind, Frequency: sr.Freq.String(),
		Unit: sr.Prov.Unit, Provenance: sr.Prov, N: sr.Len(), Dates: dates, Values: vals})
}

func (s *Server) cycles(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	rules := cycle.DefaultRules
	var err error
	if v := q.Get("technical_bp"); v != "" {
		if rules.TechnicalBP, err = positive("technical_bp", v); err != nil {
			return err
		}
	}
	if v := q.Get("infer_turn_bp"); v != "" {
		if rules.InferTurnBP, err = positive("infer_turn_bp", v); err != nil {
			return err
		}
	}
	since := series.NoDate
	if v := q.Get("since"); v != "" {
		if since, err = series.ParseDate(v); err != nil {
			return badRequest(fmt.Errorf("since: %w", err))
		}
	}
	h, err := engine.Cycles(r.Context(), s.cat, rules)
	if err != nil {
		return err
	}
	cs := h.Cycles
	if since != series.NoDate {
		cs = h.Since(since)
	}
	if cs == nil {
		cs = []cycle.Cycle{}
	}
	cur := map[string]any{"regime": h.RegimeAt(h.DataEnd), "as_of": h.DataEnd}
	if c, _, ok := h.Current(h.DataEnd); ok {
		cur["direction"], cur["first_move"], cur["last_move"], cur["moves"], cur["total_bp"] = c.Direction, c.FirstMove, c.LastMove, c.Moves, c.TotalBP
	}
	rj := map[string]any{"technical_bp": h.Rules.TechnicalBP, "infer_turn_bp": h.Rules.InferTurnBP,
		"infer_move_bp": h.Rules.InferMoveBP, "hold_after_months": h.Rules.HoldAfterMonths}
	return writeJSON(w, http.StatusOK, map[string]any{"cycles": cs, "rules": rj, "data_end": h.DataEnd,
		"current": cur, "sources": engine.CycleInputIDs})
}

func positive(name, v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f > 0) || f > 1e6 {
		return 0, httpErrorf(http.StatusBadRequest, "%s: %q is not a positive number", name, v)
	}
	return f, nil
}

func dateRange(fromS, toS string) (series.Date, series.Date, error) {
	from, to := series.NoDate, series.NoDate
	var err error
	if fromS != "" {
		if from, err = series.ParseDate(fromS); err != nil {
			return from, to, badRequest(fmt.Errorf("from: %w", err))
		}
	}
	if toS != "" {
		if to, err = series.ParseDate(toS); err != nil {
			return from, to, badRequest(fmt.Errorf("to: %w", err))
		}
	}
	if from != series.NoDate && to != series.NoDate && to < from {
		return from, to, httpErrorf(http.StatusBadRequest, "to %s is before from %s", to, from)
	}
	return from, to, nil
}

// form reads query parameters and, for POST, url-encoded or multipart form fields
// (uploads stay in memory: the body is already limited by MaxBytesReader).
func form(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	var err error
	if r.Method == http.MethodPost && strings.HasPrefix(ct, "multipart/form-data") {
		err = r.ParseMultipartForm(DefaultMaxUpload)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	if err != nil {
		return badRequest(fmt.Errorf("read form: %w", err))
	}
	return nil
}

// upload returns the bytes of an uploaded file field, or of a plain form field of
// that name (so curl -F name=@file and -d name=... both work); nil when absent.
func upload(r *http.Request, name string) ([]byte, string, error) {
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File[name]; len(fhs) > 0 {
			return readPart(fhs[0], name)
		}
	}
	if v := r.PostFormValue(name); v != "" {
		return []byte(v), name, nil
	}
	return nil, "", nil
}

func readPart(fh *multipart.FileHeader, field string) ([]byte, string, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	name := fh.Filename
	// The name is only a label in messages: never a path to open.
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		name = field
	}
	return b, name, err
}

// list splits comma-separated values and repeated parameters.
func list(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// riskResponse is the risk table of each series (metrics under PerformanceAnalytics'
// names) with the conventions stated.
type riskResponse struct {
	Scale     int                 `json:"scale"`
	Benchmark string              `json:"benchmark,omitempty"`
	Results   []engine.RiskResult `json:"results"`
	Notes     []string            `json:"notes"`
}

// risk answers GET ?series=a,b&benchmark=&weights=&rf=&freq=&from=&to=&drawdowns= and the
// same fields as a POST form, where a "returns" file (the CLI's --returns CSV) may be
// uploaded.
func (s *Server) risk(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	ctx := r.Context()
	ids := list(r.Form["series"])
	for _, id := range ids {
		if err := checkID(id); err != nil {
			return err
		}
	}
	var weights []float64
	for _, v := range list(r.Form["weights"]) {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return httpErrorf(http.StatusBadRequest, "weights: %q is not a number", v)
		}
		weights = append(weights, f)
	}
	if len(weights) > 0 && len(weights) != len(ids) {
		return httpErrorf(http.StatusBadRequest, "weights has %d values for %d series", len(weights), len(ids))
	}
	from, to, err := dateRange(r.FormValue("from"), r.FormValue("to"))
	if err != nil {
		return err
	}
	freq := series.Daily
	if v := r.FormValue("freq"); v != "" {
		if freq, err = series.ParseFrequency(v); err != nil {
			return badRequest(fmt.Errorf("freq: %w", err))
		}
	}
	top := 5
	if v := r.FormValue("drawdowns"); v != "" {
		if top, err = strconv.Atoi(v); err != nil || top < 0 || top > 50 {
			return httpErrorf(http.StatusBadRequest, "drawdowns: %q is not a count from 0 to 50", v)
		}
	}
	benchID := r.FormValue("benchmark")
	var ss []*series.Series
	var bench *series.Series
	data, name, err := upload(r, "returns")
	if err != nil {
		return err
	}
	if data != nil {
		cols, err := usercsv.Parse(bytes.NewReader(data), name, series.KindReturn)
		if err != nil {
			return err
		}
		for _, c := range cols {
			if benchID != "" && c.Name == benchID {
				bench = c
				continue
			}
			ss = append(ss, c)
		}
	}
	if len(ids) == 0 && len(ss) == 0 {
		return httpErrorf(http.StatusBadRequest, "give series=ID[,ID...] or upload a returns CSV")
	}
	if len(ids) > 0 {
		rs, err := engine.LoadReturns(ctx, s.cat, ids, freq)
		if err != nil {
			return userErr(err)
		}
		if len(weights) > 0 {
			p, err := engine.Portfolio("portfolio", rs, weights)
			if err != nil {
				return badRequest(err)
			}
			rs = []*series.Series{p}
		}
		ss = append(ss, rs...)
	}
	if bench == nil && benchID != "" {
		if err := checkID(benchID); err != nil {
			return err
		}
		bs, err := engine.LoadReturns(ctx, s.cat, []string{benchID}, freq)
		if err != nil {
			return userErr(err)
		}
		bench = bs[0]
	}
	if freq != series.Daily {
		for i, sr := range ss {
			if sr.Freq != freq {
				ss[i] = sr.Resample(freq, series.CompoundReturns)
			}
		}
		if bench != nil && bench.Freq != freq {
			bench = bench.Resample(freq, series.CompoundReturns)
		}
	}
	req := engine.RiskRequest{Series: ss, Benchmark: bench, From: from, To: to, Options: risk.Options{TopDrawdowns: top}}
	if v := r.FormValue("rf"); v != "" {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			if err := checkID(v); err != nil {
				return err
			}
		}
		if err := req.SetRiskFree(ctx, s.cat, v); err != nil {
			return err
		}
	}
	res, err := engine.Risk(req)
	if err != nil {
		return badRequest(err)
	}
	out := riskResponse{Results: res, Notes: []string{
		"Conventions: PerformanceAnalytics 2.1.0. Returns geometric annualised; volatility sqrt(scale); VaR/ES are negative returns (historical quantile type 7; gaussian uses the population variance; modified = Cornish-Fisher).",
	}}
	if len(res) > 0 {
		out.Scale = res[0].Report.Scale
	}
	if bench != nil {
		out.Benchmark = bench.Name
		out.Notes = append(out.Notes, "Benchmark: "+bench.Name+"; relative metrics on the dates both have returns.")
	}
	return writeJSON(w, http.StatusOK, out)
}

// userErr marks an engine error caused by the request's choices (a rate series asked
// for as returns) as bad input, keeping unknown ids as 404.
func userErr(err error) error {
	if st, _ := classify(err); st == http.StatusInternalServerError {
		return badRequest(err)
	}
	return err
}
