package engine

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/study"
)

// RegimeBy names the ways engine.Regimes splits a sample.
const (
	ByFed       = "fed"       // easing, tightening, hold (cycle.History.RegimeAt)
	ByRecession = "recession" // recession or expansion (fred/USREC)
	ByEarly     = "early"     // "early:N": the first N months of each easing cycle vs the rest
	ByFile      = "file"      // the user's own labels (RegimesOptions.Labels)
)

// RegimesOptions configures Regimes.
type RegimesOptions struct {
	// Series are catalog ids; each is studied on its own (prices become returns).
	Series []string
	// Extra are series the caller loaded itself (a user's returns file), studied after
	// Series.
	Extra []*series.Series
	// Vs is an optional catalog id: each series is studied as its return minus Vs's
	// return in the same period (on the common dates).
	Vs string
	// By is fed, recession, early:N or file; "" means fed.
	By string
	// Labels are the user's labels when By is file.
	Labels study.Labeller
	// Freq resamples to a lower frequency first (monthly from daily prices); 0 keeps the
	// data's frequency.
	Freq series.Frequency
	// From and To restrict the sample; NoDate or the zero Date leaves a side open.
	From, To series.Date
	// MaxLags is the Newey-West lag; negative means stats.NeweyWestLags(n).
	MaxLags int
	// Pairs are the differences to test; nil means the first regime minus each other.
	Pairs [][2]string
}

// RegimeBlock is one series split by regime.
type RegimeBlock struct {
	Name   string              `json:"series"`
	Vs     string              `json:"vs,omitempty"`
	Result *study.RegimeResult `json:"result"`
}

// RegimesResult is Regimes' answer.
type RegimesResult struct {
	By      string        `json:"by"`
	Blocks  []RegimeBlock `json:"series"`
	Sources []string      `json:"sources"`
	Notes   []string      `json:"notes"`
}

// Labeller returns the labeller for a By value.
func Labeller(ctx context.Context, cat *catalog.Catalog, by string, user study.Labeller) (study.Labeller, []string, error) {
	switch {
	case by == "" || by == ByFed:
		h, err := Cycles(ctx, cat, cycle.DefaultRules)
		if err != nil {
			return nil, nil, err
		}
		return study.FedRegimes{H: h}, CycleInputIDs, nil
	case by == ByRecession:
		s, err := cat.Load(ctx, "fred/USREC", "")
		if err != nil {
			return nil, nil, err
		}
		return study.Recession{USREC: s}, []string{"fred/USREC"}, nil
	case strings.HasPrefix(by, ByEarly+":"):
		n, err := strconv.Atoi(strings.TrimPrefix(by, ByEarly+":"))
		if err != nil || n < 1 {
			return nil, nil, fmt.Errorf("regimes %q: want early:N with N >= 1 months", by)
		}
		h, err := Cycles(ctx, cat, cycle.DefaultRules)
		if err != nil {
			return nil, nil, err
		}
		return study.EarlyEasing{H: h, Months: n}, CycleInputIDs, nil
	case by == ByFile:
		if user == nil {
			return nil, nil, fmt.Errorf("regimes by file need a labels file")
		}
		return user, nil, nil
	}
	return nil, nil, fmt.Errorf("regimes %q: want fed, recession, early:N or file", by)
}

// Regimes splits each series' returns by regime (one dummy regression with Newey-West
// errors per series, see study.Regimes).
func Regimes(ctx context.Context, cat *catalog.Catalog, opt RegimesOptions) (*RegimesResult, error) {
	lab, src, err := Labeller(ctx, cat, opt.By, opt.Labels)
	if err != nil {
		return nil, err
	}
	by := opt.By
	if by == "" {
		by = ByFed
	}
	res := &RegimesResult{By: by}
	var vs *series.Series
	if opt.Vs != "" {
		if vs, err = cat.Load(ctx, opt.Vs, ""); err != nil {
			return nil, err
		}
	}
	var ss []*series.Series
	for _, id := range opt.Series {
		s, err := cat.Load(ctx, id, "")
		if err != nil {
			return nil, err
		}
		s.Name = id
		ss = append(ss, s)
		res.Sources = append(res.Sources, id)
	}
	ss = append(ss, opt.Extra...)
	if vs != nil {
		res.Sources = append(res.Sources, opt.Vs)
	}
	res.Sources = append(res.Sources, src...)
	from, to := opt.From, opt.To
	if from == 0 {
		from = series.NoDate
	}
	if to == 0 {
		to = series.NoDate
	}
	for _, s := range ss {
		r, err := study.SampleReturns(s, vs, opt.Freq, from, to)
		if err != nil {
			return nil, err
		}
		rr, err := study.RegimeSeries(r, lab, study.RegimeOptions{MaxLags: opt.MaxLags, Pairs: opt.Pairs})
		if err != nil {
			return nil, err
		}
		res.Blocks = append(res.Blocks, RegimeBlock{Name: s.Name, Vs: opt.Vs, Result: rr})
	}
	res.Notes = regimeNotes(res, lab)
	return res, nil
}

func regimeNotes(r *RegimesResult, lab study.Labeller) []string {
	n := []string{
		"Means, SEs, t and differences come from ONE OLS of the returns on regime dummies over the whole sample with Newey-West (HAC, Bartlett) errors, as statsmodels OLS(r, dummies).fit(cov_type='HAC', cov_kwds={'maxlags': L}); p-values are normal.",
		"ann_mean = mean x periods per year; vol = sd x sqrt(periods per year); sharpe = ann_mean/vol with no risk-free rate subtracted.",
	}
	if len(r.Blocks) > 0 {
		n = append(n, "HAC lags: "+r.Blocks[0].Result.LagRule+".")
	}
	switch lab.(type) {
	case study.FedRegimes:
		n = append(n, "Regimes: a period is labelled by the Fed regime on its last day (cycle rules: easing or tightening while the cycle's latest move is at most 6 months old, hold otherwise; before 1982 cycles are inferred from monthly FEDFUNDS). Periods before the first cycle (1954) or after the policy data end are left out.")
	case study.EarlyEasing:
		n = append(n, "Regimes: a period is in the first N months of easing when its last day lies in an easing cycle less than N months after the cycle's first cut.")
	case study.Recession:
		n = append(n, "Regimes: NBER recession months from fred/USREC (known months to years late: descriptive, not tradable).")
	default:
		n = append(n, "Regimes: the user's labels; each row's regime holds from its date to the next row's.")
	}
	return n
}
