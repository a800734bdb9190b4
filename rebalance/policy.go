package rebalance

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ratecycle/ratecycle/source"
)

// The regimes a tilt can apply in; the current one is an input to Rebalance, decided
// elsewhere (package cycle) and never looked up here.
const (
	Easing     = "easing"
	Tightening = "tightening"
	Hold       = "hold"
)

// sumTol is the tolerance on weights that must add up to 100% (as decimals).
const sumTol = 1e-6

// Policy is a target allocation with the rules for reaching it. Percentages in the YAML
// file become decimals here (20 -> 0.20).
//
// Sleeve targets are fractions of the whole book (positions plus cash) and, with the cash
// buffer, sum to 1: the cash buffer is the cash sleeve's target. Symbol weights are
// fractions of their sleeve and sum to 1 within it, so a symbol's target in the book is
// sleeve target × symbol weight.
type Policy struct {
	Name          string
	CashBuffer    float64 // target cash as a fraction of the book; buys never spend below it
	CostBps       float64 // estimated cost of a trade, basis points of its value
	MinTradeValue float64 // trades worth less are not made
	WholeShares   bool    // trade whole shares (false: fractional)
	Bands         Bands
	Sleeves       []Sleeve
	Tilts         []Tilt // at most one per regime
	Hedge         *HedgeNote
}

// Bands are the drift tolerances: a symbol or sleeve trades only when its weight is
// further from its target than its band. The band for a target t is the smaller of
// Absolute and Relative × t, using whichever is set (> 0); with neither set it is zero.
type Bands struct {
	Absolute float64 // in weight, decimal: 0.02 = 2 percentage points
	Relative float64 // fraction of the target: 0.25 = 25% of it
}

// Band returns the band around target t.
func (b Bands) Band(t float64) float64 {
	switch {
	case b.Absolute > 0 && b.Relative > 0:
		return math.Min(b.Absolute, b.Relative*t)
	case b.Absolute > 0:
		return b.Absolute
	case b.Relative > 0:
		return b.Relative * t
	}
	return 0
}

// Sleeve is a group of symbols with one target weight in the book.
type Sleeve struct {
	Name    string
	Target  float64 // fraction of the book
	Symbols []SymbolWeight
	Line    int // line in the policy file, 0 when built in code
}

// SymbolWeight is a symbol's share of its sleeve.
type SymbolWeight struct {
	Symbol string
	Weight float64 // fraction of the sleeve
	Line   int
}

// Tilt changes sleeves while a regime holds: a new target for a sleeve, new symbol
// weights for it (replacing the sleeve's list), or both.
type Tilt struct {
	Regime  string
	Note    string
	Sleeves []SleeveTilt
	Line    int
}

// SleeveTilt is one sleeve's change under a tilt. A nil Target keeps the sleeve's target;
// nil Symbols keep its symbols.
type SleeveTilt struct {
	Name    string
	Target  *float64
	Symbols []SymbolWeight
	Line    int
}

// HedgeNote says how the plan means to hedge; package hedge prices it.
type HedgeNote struct {
	Underlying     string
	Strategy       string  // protective-put, put-spread, collar or zero-cost-collar
	PutStrike      float64 // moneyness K/S of the long put, decimal (0.95)
	ShortPutStrike float64 // put-spread only
	CallStrike     float64 // collar only
	ExpiryDays     int
	Note           string
	Line           int
}

// Target is one symbol's effective target under a regime.
type Target struct {
	Symbol   string
	Sleeve   string
	Weight   float64 // fraction of the book
	InSleeve float64 // fraction of the sleeve
	Tilted   bool    // the regime's tilt set this sleeve's symbol weights
	Line     int
}

// SleeveTarget is one sleeve's effective target under a regime.
type SleeveTarget struct {
	Name    string
	Weight  float64
	Tilted  bool // the regime's tilt set this sleeve's target
	Symbols []Target
	Line    int
}

// Targets returns the sleeves and symbols the policy aims at under regime ("" for the
// untilted policy), after checking the policy.
func (p *Policy) Targets(regime string) ([]SleeveTarget, error) {
	if err := checkRegime(regime); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p.targets(regime), nil
}

func checkRegime(r string) error {
	switch r {
	case "", Easing, Tightening, Hold:
		return nil
	}
	return fmt.Errorf("regime %q is not one of easing, tightening, hold", r)
}

func (p *Policy) tilt(regime string) *Tilt {
	for i := range p.Tilts {
		if p.Tilts[i].Regime == regime {
			return &p.Tilts[i]
		}
	}
	return nil
}

// targets applies regime's tilt without checking anything.
func (p *Policy) targets(regime string) []SleeveTarget {
	var tl *Tilt
	if regime != "" {
		tl = p.tilt(regime)
	}
	out := make([]SleeveTarget, 0, len(p.Sleeves))
	for _, s := range p.Sleeves {
		st := SleeveTarget{Name: s.Name, Weight: s.Target, Line: s.Line}
		syms := s.Symbols
		symTilted := false
		if tl != nil {
			for _, c := range tl.Sleeves {
				if c.Name != s.Name {
					continue
				}
				if c.Target != nil {
					st.Weight, st.Tilted = *c.Target, true
					st.Line = c.Line
				}
				if c.Symbols != nil {
					syms, symTilted = c.Symbols, true
				}
			}
		}
		for _, w := range syms {
			st.Symbols = append(st.Symbols, Target{Symbol: w.Symbol, Sleeve: s.Name, Weight: st.Weight * w.Weight,
				InSleeve: w.Weight, Tilted: symTilted, Line: w.Line})
		}
		out = append(out, st)
	}
	return out
}

// at returns a *source.ParseError at line (0 when the policy was built in code or the
// key has no line). Messages are written "key.path: message": the key path becomes the
// error's Field (when it holds no space or quote; otherwise the message keeps it). The
// file name is the caller's to fill in (FileError).
func at(line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	field := ""
	if k, rest, ok := strings.Cut(msg, ": "); ok && !strings.ContainsAny(k, " \"'") {
		field, msg = k, rest
	}
	return &source.ParseError{Line: line, Field: field, Err: errors.New(msg)}
}

// FileError sets file as the file of err when err is (or wraps) a *source.ParseError
// that names none, and returns err.
func FileError(err error, file string) error {
	var pe *source.ParseError
	if errors.As(err, &pe) && pe.File == "" {
		pe.File = file
	}
	return err
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

func finiteIn(x, lo, hi float64) bool { return x >= lo && x <= hi }

// Validate checks the policy under every regime it has a tilt for: weights are finite
// and non-negative, sleeve targets plus the cash buffer sum to 100% and symbol weights
// to 100% of each sleeve with a positive target (tolerance 1e-6), a symbol sits in one
// sleeve, tilts name known sleeves and regimes. Errors are *source.ParseError values
// naming the YAML line (when known) and key.
func (p *Policy) Validate() error {
	if !finiteIn(p.CashBuffer, 0, 1) {
		return at(0, "cash_buffer_pct: %v is not between 0 and 100", 100*p.CashBuffer)
	}
	if !finiteIn(p.CostBps, 0, 10000) {
		return at(0, "cost_bps: %v is not between 0 and 10000", p.CostBps)
	}
	if !finiteIn(p.MinTradeValue, 0, math.MaxFloat64) {
		return at(0, "min_trade_value: %v is not a number >= 0", p.MinTradeValue)
	}
	if !finiteIn(p.Bands.Absolute, 0, 1) || !finiteIn(p.Bands.Relative, 0, math.MaxFloat64) {
		return at(0, "bands: %+v are not non-negative", p.Bands)
	}
	if len(p.Sleeves) == 0 {
		return at(0, "sleeves: policy has no sleeves")
	}
	names := map[string]bool{}
	for _, s := range p.Sleeves {
		if s.Name == "" {
			return at(s.Line, "a sleeve has no name")
		}
		if names[s.Name] {
			return at(s.Line, "sleeve %q appears twice", s.Name)
		}
		names[s.Name] = true
	}
	seen := map[string]bool{}
	for _, t := range p.Tilts {
		if err := checkRegime(t.Regime); err != nil || t.Regime == "" {
			return at(t.Line, "tilts: regime %q is not one of easing, tightening, hold", t.Regime)
		}
		if seen[t.Regime] {
			return at(t.Line, "tilts: regime %q has two tilts", t.Regime)
		}
		seen[t.Regime] = true
		for _, c := range t.Sleeves {
			if !names[c.Name] {
				return at(c.Line, "tilts.%s.sleeves: unknown sleeve %q (sleeves: %s)", t.Regime, c.Name, strings.Join(sortedKeys(names), ", "))
			}
		}
	}
	regimes := []string{""}
	for _, t := range p.Tilts {
		regimes = append(regimes, t.Regime)
	}
	for _, r := range regimes {
		if err := p.validateTargets(r); err != nil {
			var pe *source.ParseError
			if r != "" && errors.As(err, &pe) {
				pe.Err = fmt.Errorf("under the %s tilt: %w", r, pe.Err)
			}
			return err
		}
	}
	if h := p.Hedge; h != nil {
		switch h.Strategy {
		case "", "protective-put", "put-spread", "collar", "zero-cost-collar":
		default:
			return at(h.Line, "hedge.strategy: %q is not one of protective-put, put-spread, collar, zero-cost-collar", h.Strategy)
		}
	}
	return nil
}

func (p *Policy) validateTargets(regime string) error {
	ts := p.targets(regime)
	total := p.CashBuffer
	var parts []string
	where := map[string]string{}
	for _, s := range ts {
		if !finiteIn(s.Weight, 0, 1) {
			return at(s.Line, "sleeves.%s.target_pct: %v is not between 0 and 100", s.Name, 100*s.Weight)
		}
		total += s.Weight
		parts = append(parts, fmt.Sprintf("%s %.6g%%", s.Name, 100*s.Weight))
		in := 0.0
		for _, t := range s.Symbols {
			if t.Symbol == "" {
				return at(t.Line, "sleeves.%s.symbols: empty symbol", s.Name)
			}
			if !finiteIn(t.InSleeve, 0, 1) {
				return at(t.Line, "sleeves.%s.symbols.%s: weight %v%% is not between 0 and 100", s.Name, t.Symbol, 100*t.InSleeve)
			}
			if other, dup := where[t.Symbol]; dup {
				return at(t.Line, "symbol %s is in sleeve %s and in sleeve %s", t.Symbol, other, s.Name)
			}
			where[t.Symbol] = s.Name
			in += t.InSleeve
		}
		if s.Weight > 0 && math.Abs(in-1) > sumTol {
			return at(s.Line, "sleeves.%s.symbols: weights sum to %.8g%% of the sleeve, want 100%% (tolerance 1e-6)", s.Name, 100*in)
		}
	}
	if math.Abs(total-1) > sumTol {
		line := p.Sleeves[0].Line
		if tl := p.tilt(regime); regime != "" && tl != nil {
			line = tl.Line
		}
		return at(line, "sleeve targets %s + cash_buffer_pct %.6g%% sum to %.8g%%, want 100%% (tolerance 1e-6)",
			strings.Join(parts, " + "), 100*p.CashBuffer, 100*total)
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

// ParsePolicy reads a policy from YAML (format in the package comment). Decoding is
// strict: an unknown key, a duplicate key or a value of the wrong type is an error naming
// its line; the result is then checked with Validate. Errors are *source.ParseError
// values (wrapping source.ErrBadInput) with the line and the key path as Field;
// ParsePolicy is given bytes and opens no file, so File is left for the caller
// (FileError).
func ParsePolicy(data []byte) (*Policy, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, at(0, "empty document")
	}
	p := &Policy{}
	err := eachKey(doc.Content[0], "", map[string]func(*yaml.Node) error{
		"name":            func(n *yaml.Node) error { return str(n, "name", &p.Name) },
		"cash_buffer_pct": func(n *yaml.Node) error { return pctOf(n, "cash_buffer_pct", &p.CashBuffer) },
		"cost_bps":        func(n *yaml.Node) error { return num(n, "cost_bps", &p.CostBps) },
		"min_trade_value": func(n *yaml.Node) error { return num(n, "min_trade_value", &p.MinTradeValue) },
		"whole_shares":    func(n *yaml.Node) error { return boolean(n, "whole_shares", &p.WholeShares) },
		"bands": func(n *yaml.Node) error {
			return eachKey(n, "bands", map[string]func(*yaml.Node) error{
				"absolute_pp":  func(n *yaml.Node) error { return pctOf(n, "bands.absolute_pp", &p.Bands.Absolute) },
				"relative_pct": func(n *yaml.Node) error { return pctOf(n, "bands.relative_pct", &p.Bands.Relative) },
			})
		},
		"sleeves": func(n *yaml.Node) error {
			return eachEntry(n, "sleeves", func(name string, k, v *yaml.Node) error {
				s := Sleeve{Name: name, Line: k.Line}
				err := eachKey(v, "sleeves."+name, map[string]func(*yaml.Node) error{
					"target_pct": func(n *yaml.Node) error { return pctOf(n, "sleeves."+name+".target_pct", &s.Target) },
					"symbols": func(n *yaml.Node) error {
						var err error
						s.Symbols, err = symbolWeights(n, "sleeves."+name+".symbols")
						return err
					},
				})
				p.Sleeves = append(p.Sleeves, s)
				return err
			})
		},
		"tilts": func(n *yaml.Node) error {
			return eachEntry(n, "tilts", func(regime string, k, v *yaml.Node) error {
				t := Tilt{Regime: regime, Line: k.Line}
				if err := checkRegime(regime); err != nil || regime == "" {
					return at(k.Line, "tilts: regime %q is not one of easing, tightening, hold", regime)
				}
				path := "tilts." + regime
				err := eachKey(v, path, map[string]func(*yaml.Node) error{
					"note": func(n *yaml.Node) error { return str(n, path+".note", &t.Note) },
					"sleeves": func(n *yaml.Node) error {
						return eachEntry(n, path+".sleeves", func(name string, k, v *yaml.Node) error {
							c := SleeveTilt{Name: name, Line: k.Line}
							sp := path + ".sleeves." + name
							err := eachKey(v, sp, map[string]func(*yaml.Node) error{
								"target_pct": func(n *yaml.Node) error {
									var x float64
									if err := pctOf(n, sp+".target_pct", &x); err != nil {
										return err
									}
									c.Target = &x
									c.Line = n.Line
									return nil
								},
								"symbols": func(n *yaml.Node) error {
									var err error
									c.Symbols, err = symbolWeights(n, sp+".symbols")
									if c.Symbols == nil && err == nil {
										c.Symbols = []SymbolWeight{}
									}
									return err
								},
							})
							t.Sleeves = append(t.Sleeves, c)
							return err
						})
					},
				})
				p.Tilts = append(p.Tilts, t)
				return err
			})
		},
		"hedge": func(n *yaml.Node) error {
			h := &HedgeNote{Line: n.Line}
			p.Hedge = h
			return eachKey(n, "hedge", map[string]func(*yaml.Node) error{
				"underlying":           func(n *yaml.Node) error { return str(n, "hedge.underlying", &h.Underlying) },
				"strategy":             func(n *yaml.Node) error { return str(n, "hedge.strategy", &h.Strategy) },
				"put_strike_pct":       func(n *yaml.Node) error { return pctOf(n, "hedge.put_strike_pct", &h.PutStrike) },
				"short_put_strike_pct": func(n *yaml.Node) error { return pctOf(n, "hedge.short_put_strike_pct", &h.ShortPutStrike) },
				"call_strike_pct":      func(n *yaml.Node) error { return pctOf(n, "hedge.call_strike_pct", &h.CallStrike) },
				"expiry_days": func(n *yaml.Node) error {
					if err := n.Decode(&h.ExpiryDays); err != nil || h.ExpiryDays <= 0 {
						return at(n.Line, "hedge.expiry_days: %q is not a positive whole number of days", n.Value)
					}
					return nil
				},
				"note": func(n *yaml.Node) error { return str(n, "hedge.note", &h.Note) },
			})
		},
	})
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

func keyList(m map[string]func(*yaml.Node) error) string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return strings.Join(k, ", ")
}

// eachKey decodes a mapping with a fixed set of keys.
func eachKey(n *yaml.Node, path string, fields map[string]func(*yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return at(n.Line, "%s: want a mapping of keys (%s), got %s", path, keyList(fields), kindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		if !ok {
			return at(k.Line, "%s: unknown key %q (known keys: %s)", path, k.Value, keyList(fields))
		}
		if seen[k.Value] {
			return at(k.Line, "%s: key %q appears twice", path, k.Value)
		}
		seen[k.Value] = true
		if err := f(v); err != nil {
			return err
		}
	}
	return nil
}

// eachEntry walks a mapping whose keys are names (sleeves, regimes, symbols).
func eachEntry(n *yaml.Node, path string, f func(name string, k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return at(n.Line, "%s: want a mapping of names, got %s", path, kindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return at(k.Line, "%s: %q appears twice", path, k.Value)
		}
		seen[k.Value] = true
		if err := f(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func symbolWeights(n *yaml.Node, path string) ([]SymbolWeight, error) {
	var out []SymbolWeight
	err := eachEntry(n, path, func(sym string, k, v *yaml.Node) error {
		w := SymbolWeight{Symbol: sym, Line: k.Line}
		if err := pctOf(v, path+"."+sym, &w.Weight); err != nil {
			return err
		}
		out = append(out, w)
		return nil
	})
	return out, err
}

func kindName(n *yaml.Node) string {
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

func num(n *yaml.Node, path string, x *float64) error {
	if n.Kind != yaml.ScalarNode || n.Decode(x) != nil || math.IsNaN(*x) || math.IsInf(*x, 0) || *x < 0 {
		return at(n.Line, "%s: %s is not a number >= 0", path, kindName(n))
	}
	return nil
}

// pctOf reads a percentage and stores it as a decimal.
func pctOf(n *yaml.Node, path string, x *float64) error {
	if err := num(n, path, x); err != nil {
		return err
	}
	*x /= 100
	return nil
}

func str(n *yaml.Node, path string, s *string) error {
	if n.Kind != yaml.ScalarNode {
		return at(n.Line, "%s: want text, got %s", path, kindName(n))
	}
	*s = n.Value
	return nil
}

func boolean(n *yaml.Node, path string, b *bool) error {
	if n.Kind != yaml.ScalarNode || n.Decode(b) != nil {
		return at(n.Line, "%s: %s is not true or false", path, kindName(n))
	}
	return nil
}
