package thesis

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// fakeData serves series built in the test.
type fakeData map[string]*series.Series

func (f fakeData) Series(id string) (*series.Series, error) {
	if s, ok := f[id]; ok {
		return s, nil
	}
	return nil, fmt.Errorf("unknown series %s", id)
}

func (f fakeData) History() (*cycle.History, error) {
	return nil, errors.New("no history in this test")
}

// daily returns a price series on every weekday of 2024 whose daily return is r(d).
func daily(name string, r func(d series.Date) float64) *series.Series {
	s := &series.Series{Name: name, Kind: series.KindPrice, Freq: series.Daily}
	p := 100.0
	for d := series.MustDate("2024-01-01"); d <= series.MustDate("2024-12-31"); d = d.AddDays(1) {
		if d.Weekday() == 0 || d.Weekday() == 6 {
			continue
		}
		p *= 1 + r(d)
		s.Dates = append(s.Dates, d)
		s.Values = append(s.Values, p)
	}
	return s
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown top key", "title: x\nclaimz: []\n", `parse c.yaml line 2: invalid claims file: unknown key "claimz"`},
		{"no claims", "title: x\n", `parse c.yaml line 1 field "claims": invalid claims file: want a list`},
		{"unknown claim key", "claims:\n  - id: a\n    text: t\n    txet: t\n", `parse c.yaml line 4 field "claims[0]": invalid claims file: unknown key "txet"`},
		{"missing id", "claims:\n  - text: t\n", `parse c.yaml line 2 field "claims[0]": invalid claims file: missing id`},
		{"missing text", "claims:\n  - id: a\n    check: {type: drawdown}\n", `claim "a": missing text`},
		{"unknown type", "claims:\n  - id: a\n    text: t\n    check:\n      type: vibes\n", `parse c.yaml line 5 field "claims[0].check": invalid claims file: claim "a": unknown type "vibes"`},
		{"unknown check key", "claims:\n  - id: a\n    text: t\n    check:\n      type: drawdown\n      series: price/IWM\n      perod: 2024-12\n    expect: {value_pct: -8}\n",
			`parse c.yaml line 7 field "claims[0].check": invalid claims file: claim "a": unknown key "perod"`},
		{"missing period", "claims:\n  - id: a\n    text: t\n    check:\n      type: drawdown\n      series: price/IWM\n    expect: {value_pct: -8}\n", `field "claims[0].check": invalid claims file: claim "a": missing period`},
		{"missing expect", "claims:\n  - id: a\n    text: t\n    check:\n      type: period_return\n      series: price/IWM\n      period: 2024-12\n", `claim "a": missing expect`},
		{"two expectations", "claims:\n  - id: a\n    text: t\n    check:\n      type: period_return\n      series: price/IWM\n      period: 2024-12\n    expect: {sign: positive, value_pct: 3}\n", "give one of sign"},
		{"bad number", "claims:\n  - id: a\n    text: t\n    check:\n      type: period_return\n      series: price/IWM\n      period: 2024-12\n    expect: {value_pct: lots}\n", "cannot unmarshal"},
		{"duplicate id", "claims:\n  - id: a\n    text: t\n    check: {type: period_return, series: x, period: 2024-12}\n    expect: {sign: +}\n  - id: a\n    text: t\n    check: {type: period_return, series: x, period: 2024-12}\n    expect: {sign: +}\n", "id used twice"},
		{"relative needs vs", "claims:\n  - id: a\n    text: t\n    check: {type: relative_return, series: price/IWM, period: 2024-12}\n    expect: {sign: +}\n", `relative_return needs "A vs B"`},
		{"bad window", "claims:\n  - id: a\n    text: t\n    check: {type: event_return, series: x, events: first-cut, window: 0-12m}\n    expect: {sign: +}\n", "window"},
		{"regime_mean without regime", "claims:\n  - id: a\n    text: t\n    check: {type: regime_mean, series: x}\n    expect: {sign: +}\n", "regime_mean needs regime"},
		{"not yaml", "claims: [\n", "parse c.yaml line 1: invalid claims file: yaml: did not find expected node content"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yaml), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if !errors.Is(err, source.ErrBadInput) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrBadInput and ErrInvalid: %v", err)
			}
		})
	}
}

const demo = `title: demo
claims:
  - id: dec-pullback
    text: "A fell 10% in December 2024."
    check: {type: drawdown, series: A, period: 2024-12}
    expect: {value_pct: -10, tolerance_pp: 0.5}
  - id: nov-pullback
    text: "A fell 10% in November 2024 (wrong month)."
    check: {type: drawdown, series: A, period: 2024-11}
    expect: {value_pct: -10, tolerance_pp: 0.5}
  - id: a-beat-b
    text: "A beat B in December."
    check: {type: period_return, series: "A vs B", period: 2024-12}
    expect: {sign: negative}
  - id: proxies-disagree
    text: "Both fell in December."
    check: {type: period_return, series: [A, B], period: 2024-12}
    expect: {below_pct: 0}
  - id: after-data
    text: "A rose in 2025."
    check: {type: period_return, series: A, period: 2025-03}
    expect: {sign: positive}
  - id: record
    text: "A's best week since 2024-03."
    check: {type: record, series: A, freq: weekly, at: 2024-12-06, since: 2024-03}
`

func TestEvaluate(t *testing.T) {
	// A loses 1% a day from 2024-12-02 to 2024-12-11 (-9.56%), else flat; B gains 0.1% a day.
	a := daily("A", func(d series.Date) float64 {
		if d >= series.MustDate("2024-12-02") && d <= series.MustDate("2024-12-13") {
			return -0.01
		}
		if d >= series.MustDate("2024-01-08") && d <= series.MustDate("2024-01-12") {
			return 0.02
		}
		return 0
	})
	b := daily("B", func(series.Date) float64 { return 0.001 })
	f, err := Parse([]byte(demo), "demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res := Evaluate(f, fakeData{"A": a, "B": b})
	want := map[string]string{"dec-pullback": Supported, "nov-pullback": Contradicted, "a-beat-b": Supported,
		"proxies-disagree": Inconclusive, "after-data": Inconclusive, "record": Contradicted}
	for _, r := range res {
		if r.Verdict != want[r.ID] {
			t.Errorf("%s: %s (%s), want %s", r.ID, r.Verdict, r.Reason, want[r.ID])
		}
	}
	dd := res[0].Proxies[0]
	if math.Abs(dd.Value-(math.Pow(0.99, 10)-1)) > 1e-12 || dd.N != 1 || dd.From.String() != "2024-11-29" {
		t.Errorf("drawdown %+v", dd)
	}
	// The wrong month: the checker finds the claimed fall one month later.
	nov := res[1]
	if p := nov.Proxies[0]; p.Nearest == nil || p.Nearest.Label != "2024-12" || p.Nearest.Offset != "+1 month" ||
		!strings.Contains(nov.DateNote, "2024-12") {
		t.Errorf("nearest %+v, note %q", p.Nearest, nov.DateNote)
	}
	if !strings.Contains(res[4].Reason, "could not measure") {
		t.Errorf("after-data reason %q", res[4].Reason)
	}
	if !strings.Contains(res[3].Reason, "proxies disagree") {
		t.Errorf("disagree reason %q", res[3].Reason)
	}
	if !strings.Contains(res[5].Reason, "at least as good") {
		t.Errorf("record reason %q", res[5].Reason)
	}
}

func TestJudgeInference(t *testing.T) {
	pos := Expect{Sign: 1, Alpha: 0.10}
	v := 0.02
	val := Expect{Value: &v, Tolerance: 0.005, Alpha: 0.10}
	cases := []struct {
		name string
		e    Expect
		m    Measurement
		want string
	}{
		{"too few", pos, Measurement{Inference: true, Value: 0.05, P: 0.001, N: 4, TooFew: true}, Inconclusive},
		{"significant", pos, Measurement{Inference: true, Value: 0.05, P: 0.01, N: 20}, Supported},
		{"significant other sign", pos, Measurement{Inference: true, Value: -0.05, P: 0.01, N: 20}, Contradicted},
		{"not significant", pos, Measurement{Inference: true, Value: 0.05, P: 0.2, N: 20}, Inconclusive},
		{"value in tolerance", val, Measurement{Inference: true, Value: 0.022, P: 0.2, Lo: 0, Hi: 0.04, N: 20}, Supported},
		{"value ruled out", val, Measurement{Inference: true, Value: 0.08, P: 0.01, Lo: 0.06, Hi: 0.1, N: 20}, Contradicted},
		{"value not ruled out", val, Measurement{Inference: true, Value: 0.04, P: 0.2, Lo: 0.0, Hi: 0.08, N: 20}, Inconclusive},
		{"single value, sign", pos, Measurement{Value: -0.01, N: 1}, Contradicted},
	}
	for _, c := range cases {
		if got := judge(c.e, c.m); got.Verdict != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, got.Verdict, got.Reason, c.want)
		}
	}
}

// A check type registered from another file works like a built-in one, with strict keys.
type constCheck struct{ v float64 }

func (c constCheck) Measure(Data) ([]Measurement, error) {
	return []Measurement{{Proxy: "const", Value: c.v, N: 1}}, nil
}
func (c constCheck) Describe() string { return "a constant" }

func TestRegisterExtension(t *testing.T) {
	Register("test_constant", "a constant, for tests", func(n *yaml.Node, path string) (Check, error) {
		var y struct {
			Value float64 `yaml:"value"`
		}
		if err := Decode(n, path, &y); err != nil {
			return nil, err
		}
		return constCheck{y.Value}, nil
	})
	f, err := Parse([]byte("claims:\n  - id: c\n    text: t\n    check: {type: test_constant, value: 0.3}\n    expect: {value_pct: 30}\n"), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if r := Evaluate(f, fakeData{}); r[0].Verdict != Supported {
		t.Errorf("%+v", r[0])
	}
	_, err = Parse([]byte("claims:\n  - id: c\n    text: t\n    check: {type: test_constant, valu: 0.3}\n    expect: {value_pct: 30}\n"), "x.yaml")
	if err == nil || !strings.Contains(err.Error(), `unknown key "valu"`) {
		t.Errorf("err = %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("registering twice must panic")
		}
	}()
	Register("test_constant", "", nil)
}

// FuzzParse checks that no claims file makes the parser panic, and that every error is a
// parse error.
func FuzzParse(f *testing.F) {
	f.Add([]byte(demo))
	f.Add([]byte("claims:\n  - id: a\n    text: t\n    check: {type: event_return, series: [\"A vs B\", C], events: first-cut, window: 0:12m}\n    expect: {sign: positive}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := Parse(b, "fuzz.yaml")
		if err != nil && !errors.Is(err, source.ErrBadInput) {
			t.Fatalf("not a parse error: %v", err)
		}
	})
}
