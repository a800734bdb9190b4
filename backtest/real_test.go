package backtest_test

import (
	"math"
	"testing"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/series"
)

// TestTrialMatchesSummary checks that the sweep's fast metrics are the risk package's
// PerformanceAnalytics metrics of the same returns, and that a Trial reproduces the
// full backtest bit for bit.
func TestTrialMatchesSummary(t *testing.T) {
	s, err := backtest.ParseStrategy(examples.Rotation, "rotation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d := buildData(t, realData(t))
	for _, run := range []string{"french", "etf"} {
		p, err := backtest.Prepare(s, run, d, series.NoDate, series.NoDate)
		if err != nil {
			t.Fatal(err)
		}
		params := s.Defaults()
		params[2] = 0.03 // band
		res, err := p.Backtest(params)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := p.NewTrial("rotation")
		if err != nil {
			t.Fatal(err)
		}
		st, err := tr.Run(params)
		if err != nil {
			t.Fatal(err)
		}
		pr := res.Portfolios[0]
		if st != pr.Stats {
			t.Errorf("%s: trial %+v\nbacktest %+v", run, st, pr.Stats)
		}
		rep := pr.Summary
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"cagr", st.CAGR, rep.AnnualizedReturn},
			{"vol", st.Vol, rep.AnnualizedStdDev},
			{"sharpe", st.Sharpe, rep.SharpeAnnualized},
			{"sharpe per period", st.SharpePP, rep.SharpeRatio},
			{"max drawdown", st.MaxDD, rep.MaxDrawdown},
			{"calmar", st.Calmar, rep.Calmar},
			{"final", st.Final - 1, rep.CumulativeReturn},
		} {
			if math.Abs(c.got-c.want) > 1e-12*math.Max(1, math.Abs(c.want)) {
				t.Errorf("%s %s: trial %v, risk.Summary %v", run, c.name, c.got, c.want)
			}
		}
		// Two runs of one Trial give the same bits, and a different parameter changes them.
		st2, _ := tr.Run(params)
		params[0] = 0.2
		st3, _ := tr.Run(params)
		if st2 != st || st3 == st {
			t.Errorf("%s: Trial is not a pure function of its parameters", run)
		}
	}
}

func TestTrialAllocatesNothing(t *testing.T) {
	s, _ := backtest.ParseStrategy(examples.Rotation, "rotation.yaml")
	p, err := backtest.Prepare(s, "etf", buildData(t, realData(t)), series.NoDate, series.NoDate)
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := p.NewTrial("")
	params := s.Defaults()
	tr.Run(params)
	n := testing.AllocsPerRun(20, func() {
		params[0] = 0.7 - params[0]
		if _, err := tr.Run(params); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("Trial.Run allocates %v times per run, want 0", n)
	}
}
