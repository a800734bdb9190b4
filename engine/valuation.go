package engine

import (
	"context"
	"fmt"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/valuation"
)

// ValuationPair names the small and big legs of one Ken French size x book-to-market
// file. Columns are the file's own column names.
type ValuationPair struct {
	ID    string // short id for flags and JSON: "2x3", "5x5"
	Name  string
	File  string // French file base name
	Small []string
	Big   []string
}

// ValuationPairs are the two pairs the valuation lens reports, the headline first: the
// six 2x3 portfolios split at the NYSE median (SMALL vs BIG) and the 25 5x5 portfolios'
// extreme size quintiles (ME1 vs ME5).
var ValuationPairs = []ValuationPair{
	{ID: "2x3", Name: "SMALL vs BIG (6 portfolios, split at the NYSE median)", File: "6_Portfolios_2x3",
		Small: []string{"SMALL LoBM", "ME1 BM2", "SMALL HiBM"}, Big: []string{"BIG LoBM", "ME2 BM2", "BIG HiBM"}},
	{ID: "5x5", Name: "ME1 vs ME5 (25 portfolios, bottom vs top NYSE size quintile)", File: "25_Portfolios_5x5",
		Small: []string{"SMALL LoBM", "ME1 BM2", "ME1 BM3", "ME1 BM4", "SMALL HiBM"},
		Big:   []string{"BIG LoBM", "ME5 BM2", "ME5 BM3", "ME5 BM4", "BIG HiBM"}},
}

// The French sections the valuation lens reads (section keys of the catalog).
const (
	sectionBMDec  = "value-weight-average-of-be-me"
	sectionBMJune = "value-weight-average-of-be-fyt-1-me-june-t"
	sectionFirms  = "number-of-firms-in-portfolios"
	sectionAvgCap = "average-market-cap"
)

// CAPEID is Shiller's cyclically adjusted P/E of the S&P 500.
const CAPEID = "shiller/PE10"

// ValuationOptions choose the recent window and the constructions.
type ValuationOptions struct {
	Since   series.Date        // start of the recent window; the zero Date or NoDate means 2000-01-01
	Methods []valuation.Method // nil means rolled then published
	Pairs   []string           // ValuationPair ids; nil means all
}

// CAPEResult places the latest CAPE in its history.
type CAPEResult struct {
	Latest      series.Date
	Value       float64
	Full, Since valuation.Window
	Dates       []series.Date
	Values      []float64
}

// ValuationResult is the valuation lens: one gap per pair and method (headline first),
// and the CAPE.
type ValuationResult struct {
	Gaps    []*valuation.Gap
	Pairs   []ValuationPair // Pairs[i] is the pair of Gaps[i]
	CAPE    CAPEResult
	Since   series.Date
	Sources []string // catalog ids read
}

// Valuation computes the small-versus-big valuation gap and the CAPE from the catalog.
func Valuation(ctx context.Context, cat *catalog.Catalog, opt ValuationOptions) (*ValuationResult, error) {
	return valuationWith(ctx, func(ctx context.Context, id string) (*series.Series, error) {
		return cat.Load(ctx, id, "")
	}, opt)
}

type loadFunc func(ctx context.Context, id string) (*series.Series, error)

func valuationWith(ctx context.Context, load loadFunc, opt ValuationOptions) (*ValuationResult, error) {
	if opt.Since == series.NoDate || opt.Since == 0 {
		opt.Since = series.NewDate(2000, 1, 1)
	}
	methods := opt.Methods
	if len(methods) == 0 {
		methods = []valuation.Method{valuation.Rolled, valuation.Published}
	}
	res := &ValuationResult{Since: opt.Since}
	for _, p := range ValuationPairs {
		if !wanted(p.ID, opt.Pairs) {
			continue
		}
		dates, small, big, ids, err := loadPair(ctx, load, p)
		if err != nil {
			return nil, err
		}
		res.Sources = append(res.Sources, ids...)
		for _, m := range methods {
			g, err := valuation.Analyze(p.Name, m, dates,
				valuation.LegBM(m, dates, small), valuation.LegBM(m, dates, big), opt.Since)
			if err != nil {
				return nil, err
			}
			res.Gaps = append(res.Gaps, g)
			res.Pairs = append(res.Pairs, p)
		}
	}
	if len(res.Gaps) == 0 {
		return nil, fmt.Errorf("valuation: no pair selected (known: 2x3, 5x5)")
	}
	pe, err := load(ctx, CAPEID)
	if err != nil {
		return nil, fmt.Errorf("valuation: %w", err)
	}
	res.Sources = append(res.Sources, CAPEID)
	pe = pe.DropNaN()
	if pe.Len() < 2 {
		return nil, fmt.Errorf("valuation: %s has %d observations", CAPEID, pe.Len())
	}
	c := CAPEResult{Latest: pe.Last(), Value: pe.Values[pe.Len()-1], Dates: pe.Dates, Values: pe.Values}
	if c.Full, err = valuation.Describe(pe.Dates, pe.Values, series.NoDate, c.Value); err != nil {
		return nil, fmt.Errorf("valuation: CAPE: %w", err)
	}
	if c.Since, err = valuation.Describe(pe.Dates, pe.Values, opt.Since, c.Value); err != nil {
		return nil, fmt.Errorf("valuation: CAPE: %w", err)
	}
	res.CAPE = c
	return res, nil
}

func wanted(id string, ids []string) bool {
	if len(ids) == 0 {
		return true
	}
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// loadPair reads every column the two legs need and aligns them on the file's months.
func loadPair(ctx context.Context, load loadFunc, p ValuationPair) ([]series.Date, []valuation.Portfolio, []valuation.Portfolio, []string, error) {
	var ss []*series.Series
	var ids []string
	cols := append(append([]string(nil), p.Small...), p.Big...)
	for _, col := range cols {
		for _, sec := range []string{sectionBMDec, sectionBMJune, sectionFirms, sectionAvgCap, ""} {
			id := "french/" + p.File + "/" + col
			if sec != "" {
				id = "french/" + p.File + "/" + sec + "/" + col
			}
			s, err := load(ctx, id)
			if err != nil {
				return nil, nil, nil, nil, fmt.Errorf("valuation %s: %w", p.ID, err)
			}
			ss = append(ss, s)
			ids = append(ids, id)
		}
	}
	f := series.Align(series.Inner, ss...)
	if len(f.Dates) == 0 {
		return nil, nil, nil, nil, fmt.Errorf("valuation %s: the sections of %s share no month", p.ID, p.File)
	}
	if ss[4].Kind != series.KindReturn {
		return nil, nil, nil, nil, fmt.Errorf("valuation %s: french/%s/%s is not a return series (first section is %s)", p.ID, p.File, cols[0], ss[4].Kind)
	}
	ports := make([]valuation.Portfolio, len(cols))
	for k, col := range cols {
		j := 5 * k
		ports[k] = valuation.Portfolio{Name: col, BMDec: f.Cols[j], BMJune: f.Cols[j+1], Firms: f.Cols[j+2],
			AvgCap: f.Cols[j+3], Return: f.Cols[j+4]}
	}
	return f.Dates, ports[:len(p.Small)], ports[len(p.Small):], ids, nil
}

// Headline returns the first gap (the 2x3 pair by the rolled method when both are
// computed).
func (r *ValuationResult) Headline() *valuation.Gap { return r.Gaps[0] }

// Find returns the gap of pair id by method m, or nil.
func (r *ValuationResult) Find(id string, m valuation.Method) *valuation.Gap {
	for i, g := range r.Gaps {
		if r.Pairs[i].ID == id && g.Method == m {
			return g
		}
	}
	return nil
}
