package backtest

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
)

// Data is everything a run reads, already loaded: the series by catalog id (each with
// its provenance and publication lag) and the Fed cycle history. The engine fills it
// from the catalog; tests build it by hand.
type Data struct {
	Series  map[string]*series.Series
	History *cycle.History // required when a rule reads a Fed signal; gives per-regime returns
}

// FedFundsID is the series used to date the moves inferred before 1982.
const FedFundsID = "fred/FEDFUNDS"

// Prepared is a run's data aligned once for any number of backtests: returns as one
// flat row-major matrix (assets then cash), the rebalancing calendars, and the signals
// computed per signal lag on demand. A Prepared is safe for concurrent use.
type Prepared struct {
	Strategy *Strategy
	Run      *Run
	// Dates[0] is the first decision date (the close before the first return);
	// Dates[t] for t >= 1 is the date of the t-th period's returns.
	Dates  []series.Date
	Assets []string // asset names; column len(Assets) is cash
	Scale  int      // periods per year (12, 52, 252)
	// Regimes[t] (t >= 1) is the Fed regime known at the start of period t (on
	// Dates[t-1]); "" without a history.
	Regimes []cycle.Regime
	// Notes say where the run's dates were cut and why.
	Notes []string

	cols     int
	r        []float64 // (T+1)*cols; row 0 is zero
	checkMon []bool
	checkQtr []bool
	checkAll []bool
	world    *world
	sigNames []string
	sigDefs  []SignalDef

	mu       sync.Mutex
	sigCache map[int][][]float64 // signal lag in months -> [signal][t]
}

// T returns the number of return periods.
func (p *Prepared) T() int { return len(p.Dates) - 1 }

// Cols returns the number of columns of the return matrix (assets plus cash).
func (p *Prepared) Cols() int { return p.cols }

// CashReturns returns the per-period cash returns (index t-1 for period t).
func (p *Prepared) CashReturns() []float64 {
	out := make([]float64, p.T())
	for t := 1; t <= p.T(); t++ {
		out[t-1] = p.r[t*p.cols+p.cols-1]
	}
	return out
}

// AssetReturns returns the per-period returns of asset j (len(Assets) for cash).
func (p *Prepared) AssetReturns(j int) []float64 {
	out := make([]float64, p.T())
	for t := 1; t <= p.T(); t++ {
		out[t-1] = p.r[t*p.cols+j]
	}
	return out
}

// Prepare aligns run's data. from and to, when not NoDate, narrow the run's own
// dates. The run ends at the earliest end among its assets, its cash series, the
// Fed history (when a rule reads it) and every signal input, so no decision is taken
// on stale data; Notes say which one cut it.
func Prepare(s *Strategy, run string, data *Data, from, to series.Date) (*Prepared, error) {
	r, err := s.Run(run)
	if err != nil {
		return nil, err
	}
	if from == series.NoDate {
		from = r.From
	}
	if to == series.NoDate {
		to = r.To
	}
	get := func(id string) (*series.Series, error) {
		x, ok := data.Series[id]
		if !ok || x == nil {
			return nil, fmt.Errorf("run %s: series %s was not loaded", r.Name, id)
		}
		return x, nil
	}
	p := &Prepared{Strategy: s, Run: r, Scale: r.Frequency.PeriodsPerYear(), sigCache: map[int][][]float64{}}
	end := series.Date(math.MaxInt32)
	endWhy := ""
	cut := func(d series.Date, why string) {
		if d < end {
			end, endWhy = d, why
		}
	}
	if to != series.NoDate {
		cut(to, "")
	}
	// Assets: returns, summed across the listed series.
	type assetRet struct {
		ret   *series.Series
		first series.Date // first date of the underlying data (a price's first close)
	}
	assets := make([]assetRet, len(r.Assets))
	for j, a := range r.Assets {
		p.Assets = append(p.Assets, a.Name)
		var parts []*series.Series
		first := series.NoDate
		for _, id := range a.IDs {
			x, err := get(id)
			if err != nil {
				return nil, err
			}
			if x.Freq != r.Frequency {
				return nil, fmt.Errorf("run %s: asset %s: %s is %s but the run is %s", r.Name, a.Name, id, x.Freq, r.Frequency)
			}
			switch x.Kind {
			case series.KindReturn:
			case series.KindPrice:
				x = x.DropNaN()
				if x.Len() > 0 {
					first = max(first, x.First())
				}
				x = x.Returns()
			default:
				return nil, fmt.Errorf("run %s: asset %s: %s is a %s series, not returns or prices", r.Name, a.Name, id, x.Kind)
			}
			parts = append(parts, x)
		}
		sum := parts[0]
		if len(parts) > 1 {
			f := series.Align(series.Inner, parts...)
			vals := make([]float64, len(f.Dates))
			for i := range f.Dates {
				for _, c := range f.Cols {
					vals[i] += c[i]
				}
			}
			sum = &series.Series{Name: a.Name, Kind: series.KindReturn, Freq: r.Frequency, Dates: f.Dates, Values: vals}
		}
		sum = sum.DropNaN()
		if sum.Len() == 0 {
			return nil, fmt.Errorf("run %s: asset %s has no returns", r.Name, a.Name)
		}
		if first == series.NoDate {
			first = sum.First()
		}
		assets[j] = assetRet{sum, first}
		cut(sum.Last(), "asset "+a.Name+" ends")
	}
	cash, err := get(r.Cash)
	if err != nil {
		return nil, err
	}
	cashRate := false
	switch cash.Kind {
	case series.KindReturn:
	case series.KindRate:
		cashRate = true
	default:
		return nil, fmt.Errorf("run %s: cash %s is a %s series; want returns (French RF) or a rate in percent (fred/DGS3MO)", r.Name, r.Cash, cash.Kind)
	}
	cash = cash.DropNaN()
	if cash.Len() == 0 {
		return nil, fmt.Errorf("run %s: cash %s is empty", r.Name, r.Cash)
	}
	if cashRate {
		// a yield earns over the period after it is seen: a week's staleness at the end
		cut(cash.Last().AddDays(7), "cash "+r.Cash+" ends")
	} else {
		cut(cash.Last(), "cash "+r.Cash+" ends")
	}
	// Signals.
	p.sigNames = s.Signals()
	needFed := false
	w := &world{series: map[string]*pit{}}
	for _, name := range p.sigNames {
		def, _ := LookupSignal(name)
		p.sigDefs = append(p.sigDefs, def)
		needFed = needFed || def.Fed
		for _, id := range def.Inputs {
			x, err := get(id)
			if err != nil {
				return nil, fmt.Errorf("signal %s: %w", name, err)
			}
			w.series[id] = newPIT(x)
			if y := x.DropNaN(); y.Len() > 0 {
				cut(series.PeriodEnd(y.Last(), x.Freq), "signal input "+id+" ends")
			}
		}
	}
	if needFed && data.History == nil {
		return nil, fmt.Errorf("run %s: a rule reads the Fed cycle but no cycle history was given", r.Name)
	}
	if data.History != nil {
		ff := data.Series[FedFundsID]
		fk, err := newFedKnown(data.History, ff)
		if err != nil {
			return nil, err
		}
		w.fed = fk
		if needFed {
			cut(data.History.DataEnd, "the Fed target series ends")
		}
	}
	p.world = w
	// Dates: where every asset (and a return-kind cash) has a value, within bounds.
	sets := make([]*series.Series, 0, len(assets)+1)
	for _, a := range assets {
		sets = append(sets, a.ret)
	}
	if !cashRate {
		sets = append(sets, cash)
	}
	f := series.Align(series.Inner, sets...)
	var dates []series.Date
	var rows [][]float64
	for i, d := range f.Dates {
		if (from != series.NoDate && d < from) || d > end {
			continue
		}
		row := make([]float64, len(f.Cols))
		ok := true
		for j, c := range f.Cols {
			row[j] = c[i]
			ok = ok && !math.IsNaN(c[i])
		}
		if ok {
			dates = append(dates, d)
			rows = append(rows, row)
		}
	}
	if len(dates) < 2 {
		return nil, fmt.Errorf("run %s: fewer than two periods where every asset has a return between %s and %s", r.Name, from, end)
	}
	// The first decision is taken at the close before the first return: the latest
	// previous observation among the assets (a price's first close), or the end of the
	// previous month for a monthly series that starts there.
	start := series.NoDate
	for _, a := range assets {
		prev := dates[0].AddDays(-1)
		if r.Frequency == series.Monthly {
			prev = dates[0].MonthStart().AddDays(-1)
		}
		if i := a.ret.Index(dates[0].AddDays(-1)); i >= 0 {
			prev = a.ret.Dates[i]
		} else if a.first < dates[0] {
			prev = a.first
		}
		start = max(start, prev)
	}
	p.Dates = append([]series.Date{start}, dates...)
	n := len(r.Assets)
	p.cols = n + 1
	T := len(dates)
	p.r = make([]float64, (T+1)*p.cols)
	for t := 1; t <= T; t++ {
		row := rows[t-1]
		copy(p.r[t*p.cols:], row[:n])
		if !cashRate {
			p.r[t*p.cols+n] = row[n]
			continue
		}
		prev := p.Dates[t-1]
		y, at, ok := cash.AsOf(prev)
		if !ok {
			return nil, fmt.Errorf("run %s: cash %s starts %s, after the run's first decision %s (set from: later)", r.Name, r.Cash, cash.First(), prev)
		}
		if prev-at > 15 {
			return nil, fmt.Errorf("run %s: cash %s has no observation in the 15 days before %s", r.Name, r.Cash, prev)
		}
		days := float64(p.Dates[t] - prev)
		p.r[t*p.cols+n] = math.Pow(1+y/100, days/365) - 1
	}
	if endWhy != "" && end < f.Dates[len(f.Dates)-1] && p.Dates[T] < end.AddDays(1) {
		p.Notes = append(p.Notes, fmt.Sprintf("the run ends %s: %s", p.Dates[T], endWhy))
	}
	// Calendars: a period is a month (quarter) end when the next one is in another.
	p.checkAll = make([]bool, T+1)
	p.checkMon = make([]bool, T+1)
	p.checkQtr = make([]bool, T+1)
	for t := 0; t <= T; t++ {
		p.checkAll[t] = true
		last := t == T
		y, m, _ := p.Dates[t].YMD()
		if !last {
			y2, m2, _ := p.Dates[t+1].YMD()
			p.checkMon[t] = y2 != y || m2 != m
			p.checkQtr[t] = y2 != y || (int(m2)-1)/3 != (int(m)-1)/3
		} else {
			p.checkMon[t], p.checkQtr[t] = true, true
		}
	}
	p.checkMon[0], p.checkQtr[0] = true, true
	p.Regimes = make([]cycle.Regime, T+1)
	if w.fed != nil {
		for t := 1; t <= T; t++ {
			p.Regimes[t] = w.fed.at(p.Dates[t-1]).Regime
		}
	}
	return p, nil
}

// signalValues returns, for signal lag `lag` months, every used signal's value at
// every decision date: out[k][t] for signal k on Dates[t] (as known lag months
// earlier). Results are cached.
func (p *Prepared) signalValues(lag int) ([][]float64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.sigCache[lag]; ok {
		return v, nil
	}
	out := make([][]float64, len(p.sigNames))
	for k, def := range p.sigDefs {
		vals := make([]float64, len(p.Dates))
		view := &View{signal: def.Name, inputs: def.Inputs, data: p.world}
		for t, d := range p.Dates {
			view.date = d.AddMonths(-lag)
			x, err := def.Eval(view)
			if err != nil {
				return nil, fmt.Errorf("run %s: decision of %s: %w", p.Run.Name, d, err)
			}
			vals[t] = x
		}
		out[k] = vals
	}
	p.sigCache[lag] = out
	return out, nil
}

// SignalValues returns the named signal's value on every decision date, as known
// lag months earlier.
func (p *Prepared) SignalValues(name string, lag int) ([]float64, error) {
	k := sort.SearchStrings(p.sigNames, name)
	if k == len(p.sigNames) || p.sigNames[k] != name {
		return nil, fmt.Errorf("signal %s is not used by strategy %s", name, p.Strategy.Name)
	}
	v, err := p.signalValues(lag)
	if err != nil {
		return nil, err
	}
	return v[k], nil
}
