package screen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ratecycle/ratecycle/source"
)

// Rule is one threshold on a metric: min_<metric> or max_<metric>.
type Rule struct {
	Key    string  `json:"rule"` // the YAML key: max_debt_to_equity
	Metric Metric  `json:"-"`
	Max    bool    `json:"-"` // a maximum (else a minimum)
	Limit  float64 `json:"limit"`
	Line   int     `json:"line,omitempty"` // line in the rules file; 0 when built in code
}

// String is "debt_to_equity <= 1.5".
func (r Rule) String() string {
	op := ">="
	if r.Max {
		op = "<="
	}
	return fmt.Sprintf("%s %s %s", r.Metric, op, strconv.FormatFloat(r.Limit, 'g', -1, 64))
}

// Rules is a screen's rule set, in file order.
type Rules struct {
	Name  string `json:"name,omitempty"`
	File  string `json:"file,omitempty"` // where the rules came from ("" = built in)
	Rules []Rule `json:"rules"`
}

// NewRule builds a rule from its key ("min_fscore") and limit.
func NewRule(key string, limit float64) (Rule, error) {
	var r Rule
	var name string
	switch {
	case strings.HasPrefix(key, "min_"):
		name = key[4:]
	case strings.HasPrefix(key, "max_"):
		name, r.Max = key[4:], true
	default:
		return r, fmt.Errorf("unknown rule %q: rules are min_<metric> or max_<metric> with metric one of %s", key, strings.Join(metricNames[:], ", "))
	}
	m, ok := ParseMetric(name)
	if !ok {
		return r, fmt.Errorf("unknown rule %q: no metric %q (have %s)", key, name, strings.Join(metricNames[:], ", "))
	}
	if math.IsNaN(limit) || math.IsInf(limit, 0) {
		return r, fmt.Errorf("rule %s: limit must be a finite number", key)
	}
	r.Key, r.Metric, r.Limit = key, m, limit
	return r, nil
}

// DefaultRules is the built-in rule set, the same as examples/screen.yaml.
func DefaultRules() Rules {
	rs := Rules{Name: "quality small caps (built in)"}
	for _, kv := range []struct {
		k string
		v float64
	}{
		{"min_roa", 0},
		{"max_debt_to_equity", 1.5},
		{"min_interest_coverage", 3},
		{"min_current_ratio", 1},
		{"max_accruals", 0.1},
		{"min_fscore", 6},
		{"min_altman_z", 1.81},
	} {
		r, err := NewRule(kv.k, kv.v)
		if err != nil {
			panic(err)
		}
		rs.Rules = append(rs.Rules, r)
	}
	return rs
}

// ParseRules reads a rules file: a YAML mapping of rule keys to numbers, with an
// optional name.
//
//	name: quality small caps
//	max_debt_to_equity: 1.5     # total liabilities / equity
//	min_interest_coverage: 3    # EBIT / interest expense
//	min_fscore: 6               # Piotroski, 0..9
//
// Ratios are decimals (min_roa: 0.05 is 5%). Decoding is strict: an unknown key,
// a key given twice, or a value that is not a finite number is an error naming the file,
// line and key (a *source.ParseError wrapping source.ErrBadInput).
func ParseRules(data []byte, file string) (Rules, error) {
	rs := Rules{File: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return rs, &source.ParseError{File: file, Line: yamlLine(err), Err: err}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return rs, &source.ParseError{File: file, Err: fmt.Errorf("empty rules file: want a mapping such as max_debt_to_equity: 1.5")}
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return rs, &source.ParseError{File: file, Line: top.Line, Err: fmt.Errorf("want a mapping of rules (key: number), got a %s", kindName(top.Kind))}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		key := k.Value
		if prev, ok := seen[key]; ok {
			return rs, &source.ParseError{File: file, Line: k.Line, Field: key, Err: fmt.Errorf("given twice (first on line %d)", prev)}
		}
		seen[key] = k.Line
		if key == "name" {
			if v.Kind != yaml.ScalarNode {
				return rs, &source.ParseError{File: file, Line: v.Line, Field: key, Err: fmt.Errorf("want a string")}
			}
			rs.Name = v.Value
			continue
		}
		if v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") {
			return rs, &source.ParseError{File: file, Line: v.Line, Field: key, Err: fmt.Errorf("%q is not a number", v.Value)}
		}
		x, err := strconv.ParseFloat(strings.ReplaceAll(v.Value, "_", ""), 64)
		if err != nil {
			return rs, &source.ParseError{File: file, Line: v.Line, Field: key, Err: fmt.Errorf("%q is not a number", v.Value)}
		}
		r, err := NewRule(key, x)
		if err != nil {
			return rs, &source.ParseError{File: file, Line: k.Line, Field: key, Err: err}
		}
		r.Line = k.Line
		rs.Rules = append(rs.Rules, r)
	}
	if len(rs.Rules) == 0 {
		return rs, &source.ParseError{File: file, Line: top.Line, Err: fmt.Errorf("no rules: want keys such as max_debt_to_equity: 1.5")}
	}
	return rs, nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}

// yamlLine extracts "line N" from a yaml error message (0 when absent).
func yamlLine(err error) int {
	s := err.Error()
	i := strings.Index(s, "line ")
	if i < 0 {
		return 0
	}
	j := i + 5
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(s[i+5 : j])
	return n
}
