package backtest

import (
	"errors"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/source"
)

const minimal = `name: t
params:
  tilt: 0.5
runs:
  r:
    frequency: monthly
    assets: {a: x/A, b: x/B}
    cash: x/RF
portfolios:
  p:
    weights: {a: 1 - tilt, b: tilt}
`

func TestParseStrategyErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown top key", minimal + "colour: red\n", `parse s.yaml line 12: unknown key "colour" (known keys: description, name, params, portfolios, relative_to, runs)`},
		{"unknown portfolio key", strings.Replace(minimal, "    weights:", "    wieghts: {a: 1}\n    weights:", 1), `parse s.yaml line 11 field "portfolios.p": unknown key "wieghts" (known keys: benchmark, cost_bps, rebalance, rules, signal_lag_months, weights)`},
		{"duplicate key", strings.Replace(minimal, "    cash: x/RF", "    cash: x/RF\n    cash: x/RF2", 1), `parse s.yaml line 9 field "runs.r": key "cash" appears twice (first on line 8)`},
		{"unknown param in expression", strings.Replace(minimal, "b: tilt}", "b: tlit}", 1), `parse s.yaml line 11 field "portfolios.p.weights.b": expression "tlit": unknown parameter "tlit"`},
		{"unknown asset", strings.Replace(minimal, "b: tilt}", "c: tilt}", 1), `parse s.yaml line 11 field "portfolios.p.weights": unknown asset "c" (assets: a, b)`},
		{"leverage", strings.Replace(minimal, "1 - tilt", "0.8", 1), `parse s.yaml line 10 field "portfolios.p.weights": weights sum to 1.3 > 1 (no leverage: cash is 1 minus the weights) (at the default parameters)`},
		{"weight out of range", strings.Replace(minimal, "tilt: 0.5", "tilt: 1.5", 1), `parse s.yaml line 11 field "portfolios.p.weights.a": weight 1 - tilt = -0.5 is not between 0 and 1`},
		{"unknown signal", minimal + "    rules:\n      - when: {regmie: easing}\n        weights: {a: 1}\n", `parse s.yaml line 13 field "portfolios.p.rules[0].when": unknown signal "regmie" (signals: curve_slope, cycle,`},
		{"bad level", minimal + "    rules:\n      - when: {regime: easy}\n        weights: {a: 1}\n", `parse s.yaml line 13 field "portfolios.p.rules[0].when.regime": "easy" is not one of easing, tightening, hold`},
		{"bad comparison", minimal + "    rules:\n      - when: {curve_slope: {below: 0}}\n        weights: {a: 1}\n", `unknown comparison "below"`},
		{"bad frequency", strings.Replace(minimal, "monthly", "hourly", 1), `parse s.yaml line 6 field "runs.r.frequency": "hourly" is not monthly, weekly or daily`},
		{"bad date", strings.Replace(minimal, "    cash: x/RF", "    cash: x/RF\n    from: 2024-13-01", 1), `parse s.yaml line 9 field "runs.r.from": "2024-13-01" is not a date`},
		{"lag not whole", strings.Replace(minimal, "    weights: {a", "    signal_lag_months: 0.5\n    weights: {a", 1), `parse s.yaml line 11 field "portfolios.p.signal_lag_months": 0.5 = 0.5 is not a whole number`},
		{"cash listed", strings.Replace(minimal, "b: tilt}", "cash: tilt}", 1), `cash is the remainder`},
		{"no runs", "name: x\nportfolios: {p: {weights: {a: 1}}}\n", `parse s.yaml line 1: no runs:`},
		{"bad yaml", "runs: [\n", `parse s.yaml line 1: yaml: did not find expected node content`},
		{"empty", "", `parse s.yaml: empty strategy file`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseStrategy([]byte(c.yaml), "s.yaml")
			if err == nil {
				t.Fatalf("no error; want %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "parse s.yaml") {
				t.Fatalf("error %q\nwant it to contain %q", err, c.want)
			}
			var pe *source.ParseError
			if !errors.As(err, &pe) || pe.File != "s.yaml" || !errors.Is(err, source.ErrBadInput) {
				t.Errorf("%v: not a *source.ParseError for s.yaml wrapping source.ErrBadInput", err)
			}
		})
	}
}

func TestParseStrategyOK(t *testing.T) {
	y := minimal + `    rebalance: {every: quarter, band: tilt / 10}
    cost_bps: 2 * (3 + 2)
    rules:
      - name: tilt while easing early
        when: {regime: [easing, hold], months_since_first_cut: {ge: 0, lt: 12}}
        weights: {b: 1}
  bench:
    benchmark: true
    weights: {a: 0.25}
`
	s, err := ParseStrategy([]byte(y), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.RelativeTo != "bench" {
		t.Errorf("RelativeTo %q, want the last benchmark", s.RelativeTo)
	}
	p, _ := s.Portfolio("")
	c, err := s.compile(p, []float64{0.3}, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if c.band != 0.03 || c.cost != 10.0/1e4 || c.every != EveryQuarter {
		t.Errorf("band %v cost %v every %v", c.band, c.cost, c.every)
	}
	// rule row: b 1, cash 0; default row: a 0.7, b 0.3, cash 0
	want := []float64{0, 1, 0, 0.7, 0.3, 0}
	for i, x := range want {
		if d := c.w[i] - x; d > 1e-15 || d < -1e-15 {
			t.Fatalf("weights %v, want %v", c.w, want)
		}
	}
	if got := s.Signals(); strings.Join(got, ",") != "months_since_first_cut,regime" {
		t.Errorf("signals %v", got)
	}
	in, _ := s.Inputs("")
	if strings.Join(in, ",") != "x/A,x/B,x/RF" {
		t.Errorf("inputs %v", in)
	}
	bench, _ := s.Portfolio("bench")
	cb, _ := s.compile(bench, s.Defaults(), []string{"a", "b"})
	if cb.w[2] != 0.75 {
		t.Errorf("cash of bench %v, want 0.75", cb.w[2])
	}
}

func TestExpr(t *testing.T) {
	lookup := func(n string) (int, bool) {
		switch n {
		case "x":
			return 0, true
		case "y_2":
			return 1, true
		}
		return 0, false
	}
	for src, want := range map[string]float64{
		"1":                 1,
		"-x":                -2,
		"1 - x / 4":         0.5,
		"(1 - x) * y_2":     -3,
		"2*(x+y_2)-1e1":     0,
		"- - x":             2,
		"x - y_2 - 1":       -2,
		"1.5e-1 * 2":        0.3,
		"((((x))))/ (y_2)":  2.0 / 3,
		"x*x*x*x*x*x*x*x*x": 512,
	} {
		e, err := parseExpr(src, 1, lookup)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if got := e.Eval([]float64{2, 3}); got-want > 1e-12 || want-got > 1e-12 {
			t.Errorf("%q = %v, want %v", src, got, want)
		}
	}
	for _, bad := range []string{"", "1 +", "(1", "1)", "z", "1 $ 2", "1..2"} {
		if _, err := parseExpr(bad, 1, lookup); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzParseStrategy(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte(minimal + "    rules:\n      - when: {regime: easing, curve_slope: {lt: tilt}}\n        weights: {b: tilt}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseStrategy(b, "fuzz.yaml")
		if err != nil {
			return
		}
		for i := range s.Portfolios {
			if _, err := s.compile(&s.Portfolios[i], s.Defaults(), s.Runs[0].assetNames()); err != nil {
				t.Fatalf("parsed strategy fails to compile at its defaults: %v", err)
			}
		}
	})
}
