package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
	"github.com/ratecycle/ratecycle/source/fred"
)

const licFRED = "FRED (Federal Reserve Bank of St. Louis): US public-domain data; cite FRED"

// fred downloads one FRED series: the JSON API when a key is configured, else the
// keyless fredgraph CSV.
func (u *Updater) fred(ctx context.Context, t Target) (*prepared, error) {
	sid := strings.TrimPrefix(t.ID, "fred/")
	var req Request
	var rawID, via string
	if key := u.Config.FREDAPIKey; key != "" {
		q := url.Values{"series_id": {sid}, "api_key": {key}, "file_type": {"json"}}
		if u.Since != series.NoDate {
			q.Set("observation_start", u.Since.String())
		}
		req = Request{Provider: "fred", URL: join(u.Config.URLs.FREDAPI, "/fred/series/observations?"+q.Encode()), Want: JSON}
		rawID, via = "fred/"+sid+".json", "fred-api"
	} else {
		q := "id=" + url.QueryEscape(sid)
		if u.Since != series.NoDate {
			q += "&cosd=" + u.Since.String()
		}
		req = Request{Provider: "fred", URL: join(u.Config.URLs.FRED, "/graph/fredgraph.csv?"+q), Want: CSV}
		rawID, via = "fred/"+sid+".csv", "fredgraph"
	}
	u.emit(Event{Target: t, Phase: PhaseStart, Detail: Redact(req.URL)})
	resp, unchanged, err := u.download(ctx, req, rawID)
	if err != nil {
		return nil, err
	}
	p := &prepared{rawID: rawID, body: resp.Body, meta: u.meta(req, resp), via: via, unchanged: unchanged}
	if unchanged {
		return p, nil
	}
	var s *series.Series
	if via == "fred-api" {
		s, err = ParseFREDJSON(bytes.NewReader(resp.Body), rawID)
	} else {
		s, err = fred.Parse(bytes.NewReader(resp.Body), rawID)
	}
	if err != nil {
		return p, providerErr("fred", req.URL, err)
	}
	if s.Name != "" && !strings.EqualFold(s.Name, sid) {
		return p, providerErr("fred", req.URL, fmt.Errorf("%w: asked for %s, the file holds %s", ErrContent, sid, s.Name))
	}
	def := catalog.Dataset{Kind: series.KindLevel, Unit: "as published by FRED", Licence: licFRED}
	u.stamp(ctx, t.ID, s, def, resp.FetchedAt, p.meta.URL, rawID)
	if err := u.checkAndSplice(ctx, t.ID, &s, p); err != nil {
		return p, providerErr("fred", req.URL, err)
	}
	p.series = []namedSeries{{t.ID, s}}
	return p, nil
}

// checkAndSplice splices a --since download onto the current data and validates
// the result against it.
func (u *Updater) checkAndSplice(ctx context.Context, id string, s **series.Series, p *prepared) error {
	cur, err := u.current(ctx, id)
	if err != nil {
		return err
	}
	if u.Since != series.NoDate {
		if cur == nil {
			return fmt.Errorf("%s: --since needs current data to extend, and there is none (update without --since first)", id)
		}
		merged, note := splice(cur, *s)
		merged.Prov.Note = strings.TrimPrefix(strings.TrimPrefix(merged.Prov.Note+"; "+note, "; "), " ")
		*s = merged
		p.note = note
	}
	if err := Validate(cur, *s, u.now()); err != nil {
		return fmt.Errorf("%s: %w", id, err)
	}
	return nil
}

// providerErr words a parse or validation failure of a downloaded body.
func providerErr(provider, u string, err error) error {
	return fmt.Errorf("%s: %s: %w", provider, Redact(u), err)
}

// ParseFREDJSON reads a FRED API series/observations answer (file_type=json):
// observations[].date and .value, "." for a missing value. An error answer
// ({"error_code":400,"error_message":"..."}) is returned as an error quoting the
// message. The series is named after nothing (the answer does not say which series
// it is); Kind is level and Freq inferred, as fred.Parse does for CSV.
func ParseFREDJSON(r io.Reader, file string) (*series.Series, error) {
	var doc struct {
		ErrorCode    int    `json:"error_code"`
		ErrorMessage string `json:"error_message"`
		Observations []struct {
			Date  string `json:"date"`
			Value string `json:"value"`
		} `json:"observations"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, &source.ParseError{File: file, Err: fmt.Errorf("not a FRED API answer: %v", err)}
	}
	if doc.ErrorCode != 0 || doc.ErrorMessage != "" {
		return nil, &source.ParseError{File: file, Path: "error_message", Err: fmt.Errorf("FRED says %d: %s", doc.ErrorCode, redactText(doc.ErrorMessage))}
	}
	if doc.Observations == nil {
		return nil, &source.ParseError{File: file, Path: "observations", Err: fmt.Errorf("missing")}
	}
	s := &series.Series{Kind: series.KindLevel, Dates: make([]series.Date, 0, len(doc.Observations)),
		Values: make([]float64, 0, len(doc.Observations))}
	for i, o := range doc.Observations {
		path := fmt.Sprintf("observations[%d]", i)
		d, err := series.ParseDate(o.Date)
		if err != nil {
			return nil, &source.ParseError{File: file, Path: path + ".date", Err: err}
		}
		if n := len(s.Dates); n > 0 && d <= s.Dates[n-1] {
			return nil, &source.ParseError{File: file, Path: path + ".date", Err: fmt.Errorf("%s does not follow %s", d, s.Dates[n-1])}
		}
		v := math.NaN()
		if val := strings.TrimSpace(o.Value); val != "." && val != "" {
			if v, err = strconv.ParseFloat(val, 64); err != nil || math.IsInf(v, 0) {
				return nil, &source.ParseError{File: file, Path: path + ".value", Err: fmt.Errorf("%q is not a number", o.Value)}
			}
		}
		s.Dates = append(s.Dates, d)
		s.Values = append(s.Values, v)
	}
	s.Freq = series.InferFrequency(s.Dates)
	if s.Freq == series.Monthly || s.Freq == series.Quarterly || s.Freq == series.Annual {
		s.Prov.Lag.PeriodStart = true
	}
	s.Prov.Provider, s.Prov.File = "fred", file
	return s, nil
}
