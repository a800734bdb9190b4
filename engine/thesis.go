package engine

import (
	"context"
	"sync"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/holdings"
	"github.com/ratecycle/ratecycle/thesis"
)

// ThesisData implements thesis.Data over the catalog: series are loaded once and
// shared by every claim (checks must not modify them), the Fed history is detected
// once. It also offers Fund and Constituents for check types that need holdings.
type ThesisData struct {
	ctx context.Context
	cat *catalog.Catalog
	// Load, when set, replaces the catalog lookup (the report records what it reads).
	Load func(ctx context.Context, id string) (*series.Series, error)

	mu     sync.Mutex
	series map[string]*series.Series
	hist   *cycle.History
}

// NewThesisData returns the catalog-backed data for a thesis check. h may be nil (it is
// then detected on first use).
func NewThesisData(ctx context.Context, cat *catalog.Catalog, h *cycle.History) *ThesisData {
	return &ThesisData{ctx: ctx, cat: cat, series: map[string]*series.Series{}, hist: h}
}

// Series implements thesis.Data.
func (d *ThesisData) Series(id string) (*series.Series, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.series[id]; ok {
		return s, nil
	}
	load := d.Load
	if load == nil {
		load = func(ctx context.Context, id string) (*series.Series, error) { return d.cat.Load(ctx, id, "") }
	}
	s, err := load(d.ctx, id)
	if err != nil {
		return nil, err
	}
	s.Name = id
	d.series[id] = s
	return s, nil
}

// History implements thesis.Data.
func (d *ThesisData) History() (*cycle.History, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.hist == nil {
		h, err := Cycles(d.ctx, d.cat, cycle.DefaultRules)
		if err != nil {
			return nil, err
		}
		d.hist = h
	}
	return d.hist, nil
}

// Fund returns an iShares holdings snapshot (for check types about concentration).
func (d *ThesisData) Fund(id string) (*holdings.Fund, error) { return d.cat.Fund(d.ctx, id) }

// Constituents returns an index constituents snapshot.
func (d *ThesisData) Constituents(id string) ([]holdings.Constituent, error) {
	return d.cat.Constituents(d.ctx, id)
}

// ThesisResult is a checked claims file.
type ThesisResult struct {
	File    string          `json:"file"`
	Title   string          `json:"title"`
	Source  string          `json:"source,omitempty"`
	Date    string          `json:"date,omitempty"`
	Results []thesis.Result `json:"claims"`
	Counts  map[string]int  `json:"counts"`
}

// Thesis parses a claims file (data, named name in errors; nil data means the embedded
// example examples/small-caps-2026.yaml) and checks every claim against the catalog.
// A file that does not parse is an error wrapping source.ErrBadInput; a claim that
// cannot be measured is an inconclusive verdict, not an error.
func Thesis(ctx context.Context, cat *catalog.Catalog, data []byte, name string) (*ThesisResult, error) {
	return ThesisWith(NewThesisData(ctx, cat, nil), data, name)
}

// ThesisWith is Thesis over a given data source.
func ThesisWith(d thesis.Data, data []byte, name string) (*ThesisResult, error) {
	if data == nil {
		data, name = examples.SmallCaps2026, examples.SmallCaps2026Name
	}
	f, err := thesis.Parse(data, name)
	if err != nil {
		return nil, err
	}
	res := &ThesisResult{File: name, Title: f.Title, Source: f.Source, Date: f.Date, Counts: map[string]int{}}
	res.Results = thesis.Evaluate(f, d)
	for _, r := range res.Results {
		res.Counts[r.Verdict]++
	}
	return res, nil
}
