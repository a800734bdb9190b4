package backtest

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// Strategy is a parsed strategy file: parameters, the data runs it can be tested on,
// and the portfolios (the strategy itself and its benchmarks). The file format is
// described in docs/backtest.md and by examples/rotation.yaml.
type Strategy struct {
	Name        string
	Description string
	Params      []Param
	// RelativeTo names the portfolio that benchmark-relative metrics (beta, tracking
	// error, information ratio, captures) compare with.
	RelativeTo string
	Runs       []Run
	Portfolios []Portfolio

	signals []string // Signals(), computed once
}

// Param is a named number the strategy's expressions read; a sweep overrides it.
type Param struct {
	Name    string
	Default float64
	Line    int
}

// Run binds the strategy's asset names to series for one data set.
type Run struct {
	Name  string
	Title string
	// Frequency of the returns (monthly for the Ken French monthly files, daily for
	// prices); it sets the annualisation scale (12, 252).
	Frequency series.Frequency
	From, To  series.Date // inclusive bounds on the return dates; NoDate = open
	Assets    []Asset
	// Cash is the series the uninvested weight earns: a return series (French RF) is
	// used as is; a rate in percent (fred/DGS3MO) becomes the per-period return
	// (1 + y/100)^(days/365) - 1 over the calendar days of the period, at the yield
	// last observed on or before the period's start.
	Cash string
	Line int
}

// Asset is a named asset of a run: one catalog series, or the sum of several return
// series (Mkt-RF + RF is the market's total return).
type Asset struct {
	Name string
	IDs  []string
	Line int
}

// Every says when a portfolio checks its weights.
type Every string

const (
	EveryPeriod  Every = "period"  // every observation (daily in a daily run)
	EveryMonth   Every = "month"   // the last observation of each month
	EveryQuarter Every = "quarter" // the last observation of each calendar quarter
)

// Portfolio is a set of target weights chosen by rules from the state of the world.
type Portfolio struct {
	Name      string
	Benchmark bool
	// Every and Band: on each check date the rules pick the target weights, and the
	// portfolio trades back to them when any weight is more than Band away (Band 0:
	// whenever it differs at all). Every "period" with a band > 0 is a pure drift-band
	// policy.
	Every Every
	Band  Expr
	// CostBps is charged on turnover: the value traded in risky assets (buys plus
	// sells) times CostBps/10000.
	CostBps Expr
	// SignalLag delays every signal by whole months: a decision on date d sees the
	// world as it was known on d minus SignalLag months.
	SignalLag Expr
	Weights   []Weight // the weights when no rule matches
	Rules     []Rule
	Line      int
}

// Weight is one asset's target weight (a fraction of the portfolio). The rest is cash.
type Weight struct {
	Asset string
	W     Expr
	Line  int
}

// Rule sets Weights while every condition of When holds. Rules are tried in order; the
// first that matches wins; with none, the portfolio's own Weights apply.
type Rule struct {
	Name    string
	When    []Condition
	Weights []Weight
	Line    int
}

// Condition tests one signal. For a categorical signal (regime, cycle) it holds when
// the value is one of Levels; for a numeric one when every comparison holds. A signal
// whose value is unknown on the date (NaN: before its data starts) matches nothing.
type Condition struct {
	Signal string
	Levels []string
	Cmp    []Comparison
	Line   int
}

// Comparison is one numeric test: Op is lt, le, gt, ge, eq or ne.
type Comparison struct {
	Op    string
	Value Expr
}

// ParamIndex returns the index of parameter name.
func (s *Strategy) ParamIndex(name string) (int, bool) {
	for i, p := range s.Params {
		if p.Name == name {
			return i, true
		}
	}
	return 0, false
}

// ParamNames lists the parameters in file order.
func (s *Strategy) ParamNames() []string {
	out := make([]string, len(s.Params))
	for i, p := range s.Params {
		out[i] = p.Name
	}
	return out
}

// Defaults returns the parameters' default values in file order.
func (s *Strategy) Defaults() []float64 {
	out := make([]float64, len(s.Params))
	for i, p := range s.Params {
		out[i] = p.Default
	}
	return out
}

// Run returns the run named name ("" = the first).
func (s *Strategy) Run(name string) (*Run, error) {
	if name == "" && len(s.Runs) > 0 {
		return &s.Runs[0], nil
	}
	var names []string
	for i := range s.Runs {
		if s.Runs[i].Name == name {
			return &s.Runs[i], nil
		}
		names = append(names, s.Runs[i].Name)
	}
	return nil, fmt.Errorf("strategy %q has no run %q (runs: %s)", s.Name, name, strings.Join(names, ", "))
}

// Portfolio returns the portfolio named name ("" = the first that is not a benchmark).
func (s *Strategy) Portfolio(name string) (*Portfolio, error) {
	var names []string
	for i := range s.Portfolios {
		p := &s.Portfolios[i]
		if (name == "" && !p.Benchmark) || p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("strategy %q has no portfolio %q (portfolios: %s)", s.Name, name, strings.Join(names, ", "))
}

// Signals lists the signals the portfolios' rules read, sorted.
func (s *Strategy) Signals() []string { return append([]string(nil), s.signalList()...) }

func (s *Strategy) signalList() []string {
	if s.signals != nil {
		return s.signals
	}
	seen := map[string]bool{}
	for _, p := range s.Portfolios {
		for _, r := range p.Rules {
			for _, c := range r.When {
				seen[c.Signal] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	s.signals = out
	return out
}

// Inputs lists the catalog ids a run of the strategy reads: asset series, the cash
// series and the inputs of every signal used (sorted, without duplicates). Whether
// the Fed cycle history is needed is UsesFed.
func (s *Strategy) Inputs(run string) ([]string, error) {
	r, err := s.Run(run)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, a := range r.Assets {
		for _, id := range a.IDs {
			seen[id] = true
		}
	}
	seen[r.Cash] = true
	for _, name := range s.Signals() {
		def, _ := LookupSignal(name)
		for _, id := range def.Inputs {
			seen[id] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

// ParseStrategy reads a strategy from YAML. Decoding is strict: an unknown key, a
// duplicate key, a value of the wrong type, an unknown signal, asset or parameter is
// an error naming file and line. file is only used in messages; ParseStrategy opens
// nothing.
func ParseStrategy(data []byte, file string) (*Strategy, error) {
	s, err := parseStrategy(data)
	if err != nil {
		var pe *source.ParseError
		if errors.As(err, &pe) {
			pe.File = file
			return nil, err
		}
		return nil, &source.ParseError{File: file, Err: err}
	}
	return s, nil
}

type keyFuncs map[string]func(k, v *yaml.Node) error

// lineErr returns a *source.ParseError at node n's line. Messages are written
// "key.path: message": the key path becomes the error's Field (when it holds no space
// or quote; otherwise the message keeps it). ParseStrategy fills in the file.
func lineErr(n *yaml.Node, format string, args ...any) error {
	return atLine(n.Line, format, args...)
}

func atLine(line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	field := ""
	if k, rest, ok := strings.Cut(msg, ": "); ok && !strings.ContainsAny(k, " \"'") {
		field, msg = k, rest
	}
	return &source.ParseError{Line: line, Field: field, Err: errors.New(msg)}
}

// yamlError turns a YAML syntax error ("yaml: line 3: ...") into a *source.ParseError
// with the line.
func yamlError(err error) error {
	line, msg := source.YAMLLine(err)
	if !strings.HasPrefix(msg, "yaml: ") {
		msg = "yaml: " + msg
	}
	return &source.ParseError{Line: line, Err: errors.New(msg)}
}

// mapping calls f for each key of n in order, rejecting unknown and duplicate keys.
func mapping(n *yaml.Node, path string, f keyFuncs) error {
	if n.Kind != yaml.MappingNode {
		return lineErr(n, "%s: want a mapping of keys, got %s", path, describe(n))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			return lineErr(k, "%s: key %q appears twice (first on line %d)", path, k.Value, prev)
		}
		seen[k.Value] = k.Line
		fn, ok := f[k.Value]
		if !ok {
			known := make([]string, 0, len(f))
			for key := range f {
				known = append(known, key)
			}
			sort.Strings(known)
			return lineErr(k, "%s: unknown key %q (known keys: %s)", path, k.Value, strings.Join(known, ", "))
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// entries calls f for each key of a user-named mapping (runs, portfolios, assets...).
func entries(n *yaml.Node, path string, f func(k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return lineErr(n, "%s: want a mapping, got %s", path, describe(n))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			return lineErr(k, "%s: want a name", path)
		}
		if prev, dup := seen[k.Value]; dup {
			return lineErr(k, "%s: %q appears twice (first on line %d)", path, k.Value, prev)
		}
		seen[k.Value] = k.Line
		if err := f(k, v); err != nil {
			return err
		}
	}
	return nil
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

func scalar(n *yaml.Node, path string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", lineErr(n, "%s: want a value, got %s", path, describe(n))
	}
	return n.Value, nil
}

func strVal(dst *string, path string) func(k, v *yaml.Node) error {
	return func(_, v *yaml.Node) error {
		s, err := scalar(v, path)
		*dst = s
		return err
	}
}

func dateVal(dst *series.Date, path string) func(k, v *yaml.Node) error {
	return func(_, v *yaml.Node) error {
		s, err := scalar(v, path)
		if err != nil {
			return err
		}
		d, err := series.ParseDate(s)
		if err != nil {
			return lineErr(v, "%s: %v", path, err)
		}
		*dst = d
		return nil
	}
}

func parseStrategy(data []byte) (*Strategy, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, atLine(0, "empty strategy file")
	}
	root := doc.Content[0]
	s := &Strategy{}
	// params first: expressions elsewhere refer to them, wherever they sit in the file.
	if root.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "params" {
				if err := s.parseParams(root.Content[i+1]); err != nil {
					return nil, err
				}
			}
		}
	}
	var runsNode, portNode *yaml.Node
	err := mapping(root, "", keyFuncs{
		"name":        strVal(&s.Name, "name"),
		"description": strVal(&s.Description, "description"),
		"params":      func(k, v *yaml.Node) error { return nil },
		"relative_to": strVal(&s.RelativeTo, "relative_to"),
		"runs":        func(k, v *yaml.Node) error { runsNode = v; return nil },
		"portfolios":  func(k, v *yaml.Node) error { portNode = v; return nil },
	})
	if err != nil {
		return nil, err
	}
	if runsNode == nil {
		return nil, lineErr(root, "no runs: (which data to test on)")
	}
	if portNode == nil {
		return nil, lineErr(root, "no portfolios:")
	}
	if err := s.parseRuns(runsNode); err != nil {
		return nil, err
	}
	if err := s.parsePortfolios(portNode); err != nil {
		return nil, err
	}
	s.signalList() // computed now: a Strategy is read-only after parsing
	if err := s.validate(root); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Strategy) parseParams(n *yaml.Node) error {
	return entries(n, "params", func(k, v *yaml.Node) error {
		if !isIdent(k.Value) {
			return lineErr(k, "params: %q is not a name (letters, digits, _)", k.Value)
		}
		if _, ok := LookupSignal(k.Value); ok {
			return lineErr(k, "params: %q is the name of a signal; choose another", k.Value)
		}
		val, err := scalar(v, "params."+k.Value)
		if err != nil {
			return err
		}
		x, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return lineErr(v, "params.%s: %q is not a number", k.Value, val)
		}
		s.Params = append(s.Params, Param{Name: k.Value, Default: x, Line: k.Line})
		return nil
	})
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9')) {
			return false
		}
	}
	return true
}

func (s *Strategy) expr(n *yaml.Node, path string) (Expr, error) {
	val, err := scalar(n, path)
	if err != nil {
		return Expr{}, err
	}
	e, err := parseExpr(val, n.Line, s.ParamIndex)
	if err != nil {
		return Expr{}, lineErr(n, "%s: %v", path, err)
	}
	return e, nil
}

func (s *Strategy) parseRuns(n *yaml.Node) error {
	return entries(n, "runs", func(k, v *yaml.Node) error {
		r := Run{Name: k.Value, From: series.NoDate, To: series.NoDate, Line: k.Line}
		p := "runs." + k.Value
		var freq string
		err := mapping(v, p, keyFuncs{
			"title":     strVal(&r.Title, p+".title"),
			"frequency": strVal(&freq, p+".frequency"),
			"from":      dateVal(&r.From, p+".from"),
			"to":        dateVal(&r.To, p+".to"),
			"cash":      strVal(&r.Cash, p+".cash"),
			"assets": func(_, v *yaml.Node) error {
				return entries(v, p+".assets", func(k, v *yaml.Node) error {
					a := Asset{Name: k.Value, Line: k.Line}
					if !isIdent(a.Name) {
						return lineErr(k, "%s.assets: %q is not a name (letters, digits, _)", p, a.Name)
					}
					switch v.Kind {
					case yaml.ScalarNode:
						a.IDs = []string{v.Value}
					case yaml.SequenceNode:
						for _, e := range v.Content {
							id, err := scalar(e, p+".assets."+a.Name)
							if err != nil {
								return err
							}
							a.IDs = append(a.IDs, id)
						}
					default:
						return lineErr(v, "%s.assets.%s: want a catalog id or a list of ids to add up", p, a.Name)
					}
					if len(a.IDs) == 0 {
						return lineErr(v, "%s.assets.%s: no series", p, a.Name)
					}
					r.Assets = append(r.Assets, a)
					return nil
				})
			},
		})
		if err != nil {
			return err
		}
		switch freq {
		case "monthly":
			r.Frequency = series.Monthly
		case "daily":
			r.Frequency = series.Daily
		case "weekly":
			r.Frequency = series.Weekly
		case "":
			return lineErr(k, "%s: frequency is required (monthly, weekly or daily)", p)
		default:
			return lineErr(v, "%s.frequency: %q is not monthly, weekly or daily", p, freq)
		}
		if len(r.Assets) == 0 {
			return lineErr(k, "%s: no assets", p)
		}
		if r.Cash == "" {
			return lineErr(k, "%s: cash is required (the series the uninvested weight earns)", p)
		}
		if r.From != series.NoDate && r.To != series.NoDate && r.To < r.From {
			return lineErr(k, "%s: to %s is before from %s", p, r.To, r.From)
		}
		s.Runs = append(s.Runs, r)
		return nil
	})
}

func (s *Strategy) parseWeights(n *yaml.Node, path string) ([]Weight, error) {
	var out []Weight
	err := entries(n, path, func(k, v *yaml.Node) error {
		e, err := s.expr(v, path+"."+k.Value)
		if err != nil {
			return err
		}
		out = append(out, Weight{Asset: k.Value, W: e, Line: k.Line})
		return nil
	})
	return out, err
}

func (s *Strategy) parsePortfolios(n *yaml.Node) error {
	return entries(n, "portfolios", func(k, v *yaml.Node) error {
		pf := Portfolio{Name: k.Value, Every: EveryMonth, Line: k.Line}
		p := "portfolios." + k.Value
		err := mapping(v, p, keyFuncs{
			"benchmark": func(_, v *yaml.Node) error {
				if err := v.Decode(&pf.Benchmark); err != nil || v.Kind != yaml.ScalarNode {
					return lineErr(v, "%s.benchmark: want true or false", p)
				}
				return nil
			},
			"rebalance": func(_, v *yaml.Node) error {
				return mapping(v, p+".rebalance", keyFuncs{
					"every": func(_, v *yaml.Node) error {
						val, err := scalar(v, p+".rebalance.every")
						if err != nil {
							return err
						}
						switch Every(val) {
						case EveryPeriod, EveryMonth, EveryQuarter:
							pf.Every = Every(val)
						default:
							return lineErr(v, "%s.rebalance.every: %q is not period, month or quarter", p, val)
						}
						return nil
					},
					"band": func(_, v *yaml.Node) error {
						var err error
						pf.Band, err = s.expr(v, p+".rebalance.band")
						return err
					},
				})
			},
			"cost_bps": func(_, v *yaml.Node) error {
				var err error
				pf.CostBps, err = s.expr(v, p+".cost_bps")
				return err
			},
			"signal_lag_months": func(_, v *yaml.Node) error {
				var err error
				pf.SignalLag, err = s.expr(v, p+".signal_lag_months")
				return err
			},
			"weights": func(_, v *yaml.Node) error {
				var err error
				pf.Weights, err = s.parseWeights(v, p+".weights")
				return err
			},
			"rules": func(_, v *yaml.Node) error {
				if v.Kind != yaml.SequenceNode {
					return lineErr(v, "%s.rules: want a list of rules", p)
				}
				for i, rn := range v.Content {
					rp := fmt.Sprintf("%s.rules[%d]", p, i)
					r := Rule{Line: rn.Line}
					err := mapping(rn, rp, keyFuncs{
						"name": strVal(&r.Name, rp+".name"),
						"when": func(_, v *yaml.Node) error {
							var err error
							r.When, err = s.parseWhen(v, rp+".when")
							return err
						},
						"weights": func(_, v *yaml.Node) error {
							var err error
							r.Weights, err = s.parseWeights(v, rp+".weights")
							return err
						},
					})
					if err != nil {
						return err
					}
					if len(r.When) == 0 {
						return lineErr(rn, "%s: a rule needs when:", rp)
					}
					if r.Weights == nil {
						return lineErr(rn, "%s: a rule needs weights:", rp)
					}
					if r.Name == "" {
						r.Name = fmt.Sprintf("rule %d", i+1)
					}
					pf.Rules = append(pf.Rules, r)
				}
				return nil
			},
		})
		if err != nil {
			return err
		}
		if pf.Weights == nil {
			return lineErr(k, "%s: weights: is required (the weights when no rule matches)", p)
		}
		s.Portfolios = append(s.Portfolios, pf)
		return nil
	})
}

var compareOps = map[string]bool{"lt": true, "le": true, "gt": true, "ge": true, "eq": true, "ne": true}

func (s *Strategy) parseWhen(n *yaml.Node, path string) ([]Condition, error) {
	var out []Condition
	err := entries(n, path, func(k, v *yaml.Node) error {
		def, ok := LookupSignal(k.Value)
		if !ok {
			return lineErr(k, "%s: unknown signal %q (signals: %s)", path, k.Value, strings.Join(SignalNames(), ", "))
		}
		c := Condition{Signal: k.Value, Line: k.Line}
		p := path + "." + k.Value
		if def.Levels != nil {
			var vals []string
			switch v.Kind {
			case yaml.ScalarNode:
				vals = []string{v.Value}
			case yaml.SequenceNode:
				for _, e := range v.Content {
					x, err := scalar(e, p)
					if err != nil {
						return err
					}
					vals = append(vals, x)
				}
			default:
				return lineErr(v, "%s: want one of %s, or a list of them", p, strings.Join(def.Levels, ", "))
			}
			for _, x := range vals {
				if !contains(def.Levels, x) {
					return lineErr(v, "%s: %q is not one of %s", p, x, strings.Join(def.Levels, ", "))
				}
			}
			c.Levels = vals
			out = append(out, c)
			return nil
		}
		switch v.Kind {
		case yaml.ScalarNode:
			e, err := s.expr(v, p)
			if err != nil {
				return err
			}
			c.Cmp = []Comparison{{Op: "eq", Value: e}}
		case yaml.MappingNode:
			err := entries(v, p, func(k, v *yaml.Node) error {
				if !compareOps[k.Value] {
					return lineErr(k, "%s: unknown comparison %q (lt, le, gt, ge, eq, ne)", p, k.Value)
				}
				e, err := s.expr(v, p+"."+k.Value)
				if err != nil {
					return err
				}
				c.Cmp = append(c.Cmp, Comparison{Op: k.Value, Value: e})
				return nil
			})
			if err != nil {
				return err
			}
		default:
			return lineErr(v, "%s: want a number or comparisons such as {lt: 0}", p)
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Strategy) validate(root *yaml.Node) error {
	assetsOf := func(r *Run) map[string]bool {
		m := map[string]bool{}
		for _, a := range r.Assets {
			m[a.Name] = true
		}
		return m
	}
	// Every run must bind the same asset names, so every portfolio runs on every run.
	first := assetsOf(&s.Runs[0])
	for i := 1; i < len(s.Runs); i++ {
		m := assetsOf(&s.Runs[i])
		for name := range first {
			if !m[name] {
				return atLine(s.Runs[i].Line, "runs.%s: no asset %q (run %s has it; every run binds the same asset names)", s.Runs[i].Name, name, s.Runs[0].Name)
			}
		}
		for name := range m {
			if !first[name] {
				return atLine(s.Runs[i].Line, "runs.%s: asset %q is not in run %s (every run binds the same asset names)", s.Runs[i].Name, name, s.Runs[0].Name)
			}
		}
	}
	names := make([]string, 0, len(first))
	for _, a := range s.Runs[0].Assets {
		names = append(names, a.Name)
	}
	checkWeights := func(ws []Weight, path string) error {
		seen := map[string]bool{}
		for _, w := range ws {
			if !first[w.Asset] {
				if w.Asset == "cash" {
					return atLine(w.Line, "%s: cash is the remainder (1 minus the other weights); do not list it", path)
				}
				return atLine(w.Line, "%s: unknown asset %q (assets: %s)", path, w.Asset, strings.Join(names, ", "))
			}
			seen[w.Asset] = true
		}
		return nil
	}
	pnames := map[string]bool{}
	for i := range s.Portfolios {
		p := &s.Portfolios[i]
		pnames[p.Name] = true
		if err := checkWeights(p.Weights, "portfolios."+p.Name+".weights"); err != nil {
			return err
		}
		for j, r := range p.Rules {
			if err := checkWeights(r.Weights, fmt.Sprintf("portfolios.%s.rules[%d].weights", p.Name, j)); err != nil {
				return err
			}
		}
		// Check the weights and settings at the defaults, so a typo fails at once
		// rather than in the middle of a sweep.
		if _, err := s.compile(p, s.Defaults(), names); err != nil {
			// compile's errors say "line N: path: message" (they also come up in a
			// sweep, outside any file); here they are the file's.
			msg, line := err.Error(), 0
			if rest, ok := strings.CutPrefix(msg, "line "); ok {
				if n, after, ok := strings.Cut(rest, ": "); ok {
					if l, e := strconv.Atoi(n); e == nil {
						msg, line = after, l
					}
				}
			}
			return atLine(line, "%s (at the default parameters)", msg)
		}
	}
	if s.RelativeTo == "" {
		for i := len(s.Portfolios) - 1; i >= 0; i-- {
			if s.Portfolios[i].Benchmark {
				s.RelativeTo = s.Portfolios[i].Name
				break
			}
		}
	} else if !pnames[s.RelativeTo] {
		return atLine(root.Line, "relative_to: no portfolio %q", s.RelativeTo)
	}
	return nil
}

func (r *Run) assetNames() []string {
	out := make([]string, len(r.Assets))
	for i, a := range r.Assets {
		out[i] = a.Name
	}
	return out
}
