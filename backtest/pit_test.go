package backtest_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/series"
)

// cycleIDs are the inputs of cycle.Detect (engine.CycleInputIDs; engine imports this
// package, so the list is repeated here).
var cycleIDs = []string{"fred/DFEDTAR", "fred/DFEDTARU", "fred/DFEDTARL", "fred/FEDFUNDS", "fred/USREC"}

// everySignal tests every built-in signal, so the look-ahead test reads every input.
const everySignal = `name: every signal
params: {tilt: 0.5, lag: 0}
runs:
  french:
    frequency: monthly
    from: 1963-01-01
    assets:
      market: [french/F-F_Research_Data_Factors/Mkt-RF, french/F-F_Research_Data_Factors/RF]
      small: french/Portfolios_Formed_on_ME/Lo 30
    cash: french/F-F_Research_Data_Factors/RF
  etf:
    frequency: daily
    assets: {market: price/SPY, small: price/IWM}
    cash: fred/DGS3MO
portfolios:
  busy:
    rebalance: {every: period, band: 0.01}
    cost_bps: 7
    signal_lag_months: lag
    weights: {market: 1}
    rules:
      - when: {recession: 1}
        weights: {market: 0.3}
      - when: {curve_slope: {lt: 0}, regime: tightening}
        weights: {market: 0.6, small: 0.1}
      - when: {months_since_first_cut: {le: 12}}
        weights: {market: 1 - tilt, small: tilt}
      - when: {cycle: easing, months_in_cycle: {gt: 12}}
        weights: {small: 0.8}
      - when: {months_since_first_hike: {lt: 3}}
        weights: {market: 0.5}
  market:
    benchmark: true
    weights: {market: 1}
`

// fataler is what the data helpers need of a testing.TB (examples pass their own).
type fataler interface {
	Helper()
	Fatal(args ...any)
}

var (
	loadOnce sync.Once
	loaded   map[string]*series.Series
	loadErr  error
)

// realData loads every series the tests read from the embedded snapshot, once.
func realData(t fataler) map[string]*series.Series {
	t.Helper()
	loadOnce.Do(func() {
		cat := catalog.New(nil)
		loaded = map[string]*series.Series{}
		s, err := backtest.ParseStrategy([]byte(everySignal), "every.yaml")
		if err != nil {
			loadErr = err
			return
		}
		ids := append([]string(nil), cycleIDs...)
		for _, r := range s.Runs {
			in, _ := s.Inputs(r.Name)
			ids = append(ids, in...)
		}
		for _, id := range ids {
			x, err := cat.Load(context.Background(), id, "")
			if err != nil {
				loadErr = err
				return
			}
			loaded[id] = x
		}
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

// buildData runs cycle.Detect on the given series and returns the backtest inputs.
func buildData(t fataler, ss map[string]*series.Series) *backtest.Data {
	t.Helper()
	h, err := cycle.Detect(cycle.Inputs{Target: ss["fred/DFEDTAR"], Upper: ss["fred/DFEDTARU"], Lower: ss["fred/DFEDTARL"],
		Monthly: ss["fred/FEDFUNDS"], Recession: ss["fred/USREC"]}, cycle.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	return &backtest.Data{Series: ss, History: h}
}

// perturb returns copies of every series with every observation after cut changed
// at random. byPublication also changes the observations of the series signals read
// that are dated before cut but published after it (NBER months up to a year back);
// the returns a portfolio earns are its own as they happen, so asset and cash series
// are perturbed by date only.
func perturb(ss map[string]*series.Series, cut series.Date, byPublication bool, seed uint64) map[string]*series.Series {
	held := map[string]bool{"fred/DGS3MO": true}
	rng := rand.New(rand.NewPCG(seed, 7))
	out := map[string]*series.Series{}
	for id, s := range ss {
		c := s.Clone()
		offset := 0.0 // policy rates move by random steps, not every day (cycle.Detect is slow on noise)
		for i, d := range c.Dates {
			public := d
			if byPublication && !held[id] && s.Prov.Provider != "french" && s.Prov.Provider != "price" {
				public = s.Prov.Lag.Published(d)
			}
			// Target-range changes are announced the day before FRED dates them
			// (since 2017): the observation dated cut+1 was public on cut.
			if (id == "fred/DFEDTARU" || id == "fred/DFEDTARL") && d >= cycle.RangeNextDayFrom {
				public = d.AddDays(-1)
			}
			if public <= cut {
				continue
			}
			v := c.Values[i]
			switch {
			case id == "fred/USREC":
				c.Values[i] = float64(rng.IntN(2))
			case s.Kind == series.KindReturn:
				c.Values[i] = v + 0.05*rng.NormFloat64()
			case s.Kind == series.KindPrice:
				c.Values[i] = v * math.Exp(0.1*rng.NormFloat64())
			case id == "fred/DFEDTAR" || id == "fred/DFEDTARU" || id == "fred/DFEDTARL" || id == "fred/FEDFUNDS":
				if id == "fred/FEDFUNDS" || rng.IntN(40) == 0 {
					offset += 0.25 * float64(rng.IntN(9)-4)
				}
				c.Values[i] = v + offset
			default: // rates in percent
				c.Values[i] = math.Max(0, v+rng.NormFloat64())
			}
			if rng.IntN(50) == 0 && s.Kind != series.KindRate {
				c.Values[i] = math.NaN()
			}
		}
		out[id] = c
	}
	return out
}

// TestNoLookAhead perturbs every observation after a date T in every input (asset
// prices and returns, cash, yields, NBER months, the policy-rate series the Fed
// cycles are detected from) and checks that every decision, weight, trade and equity
// value on or before T is bit for bit the same.
func TestNoLookAhead(t *testing.T) {
	base := realData(t)
	s, err := backtest.ParseStrategy([]byte(everySignal), "every.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rot, err := backtest.ParseStrategy(examples.Rotation, "rotation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*backtest.Result{}
	cuts := map[string][]string{
		"french": {"1966-11-15", "1974-08-15", "1980-05-15", "1974-09-30", "1982-06-30", "1990-10-31", "2001-01-03", "2008-12-16", "2020-03-15"},
		"etf":    {"2001-01-03", "2007-09-18", "2008-12-16", "2019-07-31", "2020-03-15", "2024-09-18"},
	}
	for _, strat := range []*backtest.Strategy{s, rot} {
		for _, run := range []string{"french", "etf"} {
			for _, lag := range []float64{0, 2} {
				params := strat.Defaults()
				if i, ok := strat.ParamIndex("lag"); ok {
					params[i] = lag
				}
				key := strat.Name + run
				ref := want[key]
				if lag != 0 || ref == nil {
					ref, err = backtest.Execute(strat, run, buildData(t, base), series.NoDate, series.NoDate, params)
					if err != nil {
						t.Fatal(err)
					}
					if lag == 0 {
						want[key] = ref
					}
				}
				for k, c := range cuts[run] {
					cut := series.MustDate(c)
					for _, byPub := range []bool{false, true} {
						got, err := backtest.Execute(strat, run, buildData(t, perturb(base, cut, byPub, uint64(k))), series.NoDate, series.NoDate, params)
						if err != nil {
							t.Fatal(err)
						}
						compareUpTo(t, strat.Name+"/"+run+"/"+c, ref, got, cut)
					}
				}
			}
		}
	}
}

func compareUpTo(t *testing.T, name string, a, b *backtest.Result, cut series.Date) {
	t.Helper()
	n := 0
	for n < len(a.Dates) && a.Dates[n] <= cut {
		n++
	}
	if n < 2 {
		t.Fatalf("%s: cut before the run", name)
	}
	changedAfter := false
	for i := range a.Portfolios {
		pa, pb := &a.Portfolios[i], &b.Portfolios[i]
		cols := len(a.Assets) + 1
		for tt := 0; tt < n; tt++ {
			if pa.Rule[tt] != pb.Rule[tt] {
				t.Fatalf("%s: %s decision of %s changed from %q to %q when data after %s changed", name, pa.Name, a.Dates[tt], pa.Rule[tt], pb.Rule[tt], cut)
			}
			for j := 0; j < cols; j++ {
				if x, y := pa.Weights[tt*cols+j], pb.Weights[tt*cols+j]; x != y {
					t.Fatalf("%s: %s weight %d on %s changed from %v to %v when data after %s changed", name, pa.Name, j, a.Dates[tt], x, y, cut)
				}
			}
			if pa.Equity[tt] != pb.Equity[tt] {
				t.Fatalf("%s: %s equity on %s changed", name, pa.Name, a.Dates[tt])
			}
		}
		var ta, tb []backtest.Trade
		for _, tr := range pa.Trades {
			if series.MustDate(tr.Date) <= cut {
				ta = append(ta, tr)
			}
		}
		for _, tr := range pb.Trades {
			if series.MustDate(tr.Date) <= cut {
				tb = append(tb, tr)
			}
		}
		if len(ta) != len(tb) {
			t.Fatalf("%s: %s has %d trades up to %s, %d after perturbing later data", name, pa.Name, len(ta), cut, len(tb))
		}
		for k := range ta {
			if ta[k].Date != tb[k].Date || ta[k].Turnover != tb[k].Turnover || ta[k].Rule != tb[k].Rule {
				t.Fatalf("%s: trade %d differs: %+v vs %+v", name, k, ta[k], tb[k])
			}
		}
		if len(pa.Equity) != len(pb.Equity) || pa.Equity[len(pa.Equity)-1] != pb.Equity[len(pb.Equity)-1] {
			changedAfter = true
		}
	}
	if !changedAfter {
		t.Errorf("%s: perturbing the data after %s changed nothing at all: the test is not testing", name, cut)
	}
}

// TestLookAheadIsAnError registers a signal that reads this month's NBER flag, which
// is published a year later: the backtest fails naming the series and the dates.
func TestLookAheadIsAnError(t *testing.T) {
	base := realData(t)
	y := strings.Replace(everySignal, "{recession: 1}", "{test_peek_recession: 1}", 1)
	s, err := backtest.ParseStrategy([]byte(y), "peek.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = backtest.Execute(s, "french", buildData(t, base), series.NoDate, series.NoDate, nil)
	var la *backtest.LookAheadError
	if !errors.As(err, &la) || !errors.Is(err, backtest.ErrLookAhead) {
		t.Fatalf("error %v, want a LookAheadError", err)
	}
	want := "look-ahead: signal test_peek_recession read fred/USREC observation 1962-12-01 on 1962-12-31, but it was published only on 1963-12-31"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q\nwant it to contain %q", err, want)
	}
}

func init() {
	backtest.RegisterSignal(backtest.SignalDef{
		Name: "test_peek_recession", Unit: "0/1", Inputs: []string{"fred/USREC"},
		Doc: "a signal that cheats: this month's NBER flag",
		Eval: func(v *backtest.View) (float64, error) {
			return v.Value("fred/USREC", v.Date().MonthStart())
		},
	})
}

// TestFedRegimeKnownThen checks that in the target era (announced moves) the regime
// as known then is cycle.History.RegimeAt on every day, and that the inferred moves
// before 1982 become known only when the monthly average confirmed them.
func TestFedRegimeKnownThen(t *testing.T) {
	base := realData(t)
	d := buildData(t, base)
	s, err := backtest.ParseStrategy(examples.Rotation, "rotation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(examples.Rotation), "{cycle: easing}", "{regime: easing}", 1)
	s2, err := backtest.ParseStrategy([]byte(y), "r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := backtest.Prepare(s2, "etf", d, series.NoDate, series.NoDate)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := p.SignalValues("regime", 0)
	if err != nil {
		t.Fatal(err)
	}
	levels := []cycle.Regime{cycle.RegimeEasing, cycle.RegimeTightening, cycle.RegimeHold}
	for i, dt := range p.Dates {
		if got, want := levels[int(vals[i])], d.History.RegimeAt(dt); got != want {
			t.Fatalf("%s: regime known then %s, History.RegimeAt %s", dt, got, want)
		}
	}
	known, err := backtest.KnownDates(d.History, base["fred/FEDFUNDS"])
	if err != nil {
		t.Fatal(err)
	}
	inferred, later := 0, 0
	for i, e := range d.History.Events {
		if !e.Inferred {
			if known[i] != e.Announced {
				t.Errorf("move of %s known %s, want its announcement day", e.Announced, known[i])
			}
			continue
		}
		inferred++
		if known[i] <= e.Announced.MonthEnd() {
			t.Errorf("inferred move of %s known %s, before its month's average was published", e.Announced, known[i])
		}
		if known[i] > e.Announced.MonthEnd().AddDays(1) {
			later++
		}
	}
	t.Logf("%d inferred moves; %d known only after a later month confirmed their leg", inferred, later)
	if later == 0 {
		t.Error("no inferred move waited for confirmation: the zigzag dating is not applied")
	}
	// The 1974 easing leg: the first inferred cut is dated 1974-08-01, but the monthly
	// average fell 125 bp below the July 1974 peak of 12.92% only in October (9.35%? see
	// the pinned date below), published the day after that month ended.
	for i, e := range d.History.Events {
		if e.Announced == series.MustDate("1974-08-01") {
			t.Logf("1974-08-01 inferred cut known on %s", known[i])
			if known[i] != series.MustDate("1974-09-01") && known[i] != series.MustDate("1974-10-01") && known[i] != series.MustDate("1974-11-01") {
				t.Errorf("1974-08-01 known %s", known[i])
			}
		}
	}
	_ = s
}
