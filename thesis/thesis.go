// Package thesis checks a claims file against the data: each claim (a sentence from a
// market commentary) carries one measurable check and an expectation, and gets a
// verdict (supported, contradicted or inconclusive) with the measured value, n, the
// interval or p-value and the data it used.
//
// Claims files are YAML, decoded strictly: an unknown key is an error naming the key
// and its line, and a claim that cannot be checked is an error naming the claim (the CLI
// exits 2). The check types are a registry (Register): period_return, event_return,
// regime_mean, regime_difference, relative_return, record and drawdown are built in;
// other packages add types from their own files by calling Register in an init
// function, with Decode and ParseProxies to read their parameters.
//
// Verdict rules (Evaluate):
//   - sign expectations on an estimate with inference (a mean over events or over a
//     regime): inconclusive when n is too small (fewer than study.MinEvents events) or the
//     p-value is not below alpha (default 0.10); otherwise supported when the estimate has
//     the claimed sign and contradicted when it has the other;
//   - sign expectations on a single measurement, and value or bound expectations: the
//     measured value against the claim, within the tolerance;
//   - a claim measured on several proxies (price/^RUT and price/IWM) is supported when
//     every conclusive proxy supports it, contradicted when every conclusive proxy
//     contradicts it, inconclusive when none is conclusive or they disagree.
//
// When a dated claim's number is wrong, checks that can (Searcher) look for the
// nearest period where the claimed move did happen, so the verdict can say "the number
// is right but the date is wrong".
//
// thesis never reads files, touches the network or looks at the clock: it parses the
// bytes it is given, and measures through the Data interface the engine implements.
package thesis

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// Verdicts.
const (
	Supported    = "supported"
	Contradicted = "contradicted"
	Inconclusive = "inconclusive"
)

// File is a parsed claims file.
type File struct {
	Name   string   // file name, for errors
	Title  string   `yaml:"title"`
	Source string   `yaml:"source"`
	Date   string   `yaml:"date"`
	Claims []*Claim `yaml:"-"`
}

// Claim is one claim with its check and expectation.
type Claim struct {
	ID     string
	Text   string
	Note   string
	Line   int    // line of the claim in the file
	Type   string // check type
	Check  Check
	Expect Expect
}

// Expect is what the claim says about the measured value. Exactly one of Sign, Value,
// Above and Below is set, unless the check decides itself (a record's "since" date).
type Expect struct {
	Sign      int      // +1 positive, -1 negative, 0 none
	Value     *float64 // decimal (value_pct / 100)
	Above     *float64 // decimal: the value exceeds this ("over 10%")
	Below     *float64 // decimal: the value is under this
	Tolerance float64  // decimal (tolerance_pp / 100), for Value, Above and Below
	Alpha     float64  // significance level for sign expectations on estimates (0.10)
	Line      int
}

// String says the expectation in words.
func (e Expect) String() string {
	tol := ""
	if e.Tolerance > 0 {
		tol = fmt.Sprintf(" ± %.2fpp", 100*e.Tolerance)
	}
	switch {
	case e.Sign > 0:
		return "positive"
	case e.Sign < 0:
		return "negative"
	case e.Value != nil:
		return fmt.Sprintf("%.2f%%%s", 100**e.Value, tol)
	case e.Above != nil:
		return fmt.Sprintf("above %.2f%%%s", 100**e.Above, tol)
	case e.Below != nil:
		return fmt.Sprintf("below %.2f%%%s", 100**e.Below, tol)
	}
	return "(decided by the check)"
}

func (e Expect) empty() bool {
	return e.Sign == 0 && e.Value == nil && e.Above == nil && e.Below == nil
}

// holds reports whether v meets a value or bound expectation.
func (e Expect) holds(v float64) bool {
	switch {
	case e.Value != nil:
		return math.Abs(v-*e.Value) <= e.Tolerance+1e-12
	case e.Above != nil:
		return v >= *e.Above-e.Tolerance
	case e.Below != nil:
		return v <= *e.Below+e.Tolerance
	case e.Sign > 0:
		return v > 0
	case e.Sign < 0:
		return v < 0
	}
	return false
}

// Data is what checks measure: catalog series by id and the Fed history. The engine
// implements it over the catalog; implementations may offer more (a check type needing
// fund holdings type-asserts to the richer interface it needs).
type Data interface {
	Series(id string) (*series.Series, error)
	History() (*cycle.History, error)
}

// Measurement is a check's result on one proxy.
type Measurement struct {
	Proxy string  `json:"proxy"` // what was measured, e.g. "price/IWM vs price/SPY"
	Value float64 `json:"value"` // decimal
	N     int     `json:"n"`     // observations or events behind Value
	// Inference marks Value as an estimate with a p-value (P) and an interval (Lo, Hi at
	// Level); sign expectations are then decided by significance.
	Inference bool    `json:"inference"`
	P         float64 `json:"p"`
	Lo        float64 `json:"lo"`
	Hi        float64 `json:"hi"`
	Level     float64 `json:"level"`
	TooFew    bool    `json:"too_few"` // too few events to conclude
	// Sources are the catalog ids read; From and To the dates the value covers.
	Sources []string    `json:"sources"`
	From    series.Date `json:"from"`
	To      series.Date `json:"to"`
	Detail  string      `json:"detail"` // how it was measured, in words
	// Verdict, when set by the check, decides the proxy (with Reason), for checks whose
	// criterion is not a number (a record's "since" date).
	Verdict string `json:"-"`
	Reason  string `json:"-"`
}

// Check is one claim's measurable check, decoded from its file.
type Check interface {
	// Measure measures every proxy of the check.
	Measure(d Data) ([]Measurement, error)
	// Describe says what the check measures, in words.
	Describe() string
}

// Searcher is implemented by dated checks that can look for the claimed move near the
// claimed date: Search returns the nearest period (within the check's search range)
// where proxy i's value satisfies ok, or nil.
type Searcher interface {
	Search(d Data, proxy int, ok func(float64) bool) (*Alternative, error)
}

// Alternative is a period where the claimed move did happen.
type Alternative struct {
	Label  string      `json:"label"`  // "2024-11" or "week from 2025-09-02"
	Offset string      `json:"offset"` // "+1 month", "-2 weeks"
	Value  float64     `json:"value"`
	From   series.Date `json:"from"`
	To     series.Date `json:"to"`
}

// Decoder decodes a check's parameters from its YAML mapping (the "check" node; the
// "type" key is already read and must be ignored). path names the node in errors, e.g.
// `claim "smb-easing": check`.
type Decoder func(n *yaml.Node, path string) (Check, error)

type registration struct {
	doc string
	dec Decoder
}

var (
	regMu    sync.RWMutex
	registry = map[string]registration{}
)

// Register adds a check type. It is meant for init functions (the registry is written
// at program start and only read afterwards); registering a name twice panics.
func Register(name, doc string, dec Decoder) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("thesis: check type registered twice: " + name)
	}
	registry[name] = registration{doc, dec}
}

// Types returns the registered check types and their one-line descriptions, sorted.
func Types() [][2]string {
	regMu.RLock()
	defer regMu.RUnlock()
	var out [][2]string
	for n, r := range registry {
		out = append(out, [2]string{n, r.doc})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func lookup(name string) (Decoder, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	r, ok := registry[name]
	return r.dec, ok
}

// ErrInvalid is wrapped by every error about the claims file itself.
var ErrInvalid = errors.New("invalid claims file")

// Parse decodes a claims file. Errors are *source.ParseError values (so they wrap
// source.ErrBadInput) with the line and the key path as Field (claims[2].check), naming
// the claim by id in the message.
func Parse(data []byte, name string) (*File, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := source.YAMLLine(err)
		return nil, &source.ParseError{File: name, Line: line, Err: fmt.Errorf("%w: %s", ErrInvalid, msg)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, &source.ParseError{File: name, Err: fmt.Errorf("%w: empty document", ErrInvalid)}
	}
	root := doc.Content[0]
	f := &File{Name: name}
	fail := func(line int, field, format string, args ...any) error {
		return &source.ParseError{File: name, Line: line, Field: field, Err: fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))}
	}
	if root.Kind != yaml.MappingNode {
		return nil, fail(root.Line, "", "want a mapping with title and claims")
	}
	var claimsNode *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "title":
			f.Title = v.Value
		case "source":
			f.Source = v.Value
		case "date":
			f.Date = v.Value
		case "claims":
			claimsNode = v
		default:
			return nil, fail(k.Line, "", "unknown key %q (want title, source, date, claims)", k.Value)
		}
	}
	if claimsNode == nil || claimsNode.Kind != yaml.SequenceNode || len(claimsNode.Content) == 0 {
		line := root.Line
		if claimsNode != nil {
			line = claimsNode.Line
		}
		return nil, fail(line, "claims", "want a list of at least one claim")
	}
	ids := map[string]int{}
	for i, cn := range claimsNode.Content {
		c, err := parseClaim(cn, i)
		if err != nil {
			field, line, msg := claimField(i, err)
			if line == 0 {
				line = cn.Line
			}
			return nil, fail(line, field, "%s", msg)
		}
		if prev, dup := ids[c.ID]; dup {
			return nil, fail(c.Line, fmt.Sprintf("claims[%d].id", i), "claim %q: id used twice (first on line %d)", c.ID, prev)
		}
		ids[c.ID] = c.Line
		f.Claims = append(f.Claims, c)
	}
	return f, nil
}

// claimField locates an error from parsing claims[i]: its line, and its key path as a
// field (claims[i], claims[i].check or claims[i].expect). The message keeps the claim's
// name (claim "id") so the user finds it by id.
func claimField(i int, err error) (field string, line int, msg string) {
	field, msg = fmt.Sprintf("claims[%d]", i), err.Error()
	var le *lineError
	if errors.As(err, &le) {
		line, msg = le.line, le.msg
	}
	msg = strings.TrimPrefix(msg, field+": ")
	for _, sub := range []string{"check", "expect"} {
		if j := strings.Index(msg, ": "+sub+": "); j >= 0 {
			field += "." + sub
			msg = msg[:j] + msg[j+len(sub)+2:]
			break
		}
	}
	return field, line, msg
}

// lineError is an error at a line of the file.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// Errorf returns an error located at node n's line, for Decoders: the file parser turns
// it into a *source.ParseError with that line.
func Errorf(n *yaml.Node, format string, args ...any) error {
	return &lineError{line: n.Line, msg: fmt.Sprintf(format, args...)}
}

func parseClaim(n *yaml.Node, idx int) (*Claim, error) {
	if n.Kind != yaml.MappingNode {
		return nil, Errorf(n, "claims[%d]: want a mapping with id, text, check and expect", idx)
	}
	c := &Claim{Line: n.Line}
	var checkNode, expectNode *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "id":
			c.ID = v.Value
		case "text":
			c.Text = v.Value
		case "note":
			c.Note = v.Value
		case "check":
			checkNode = v
		case "expect":
			expectNode = v
		default:
			return nil, Errorf(k, "claims[%d]: unknown key %q (want id, text, note, check, expect)", idx, k.Value)
		}
	}
	name := fmt.Sprintf("claims[%d]", idx)
	if c.ID != "" {
		name = fmt.Sprintf("claim %q", c.ID)
	} else {
		return nil, Errorf(n, "%s: missing id", name)
	}
	if strings.TrimSpace(c.Text) == "" {
		return nil, Errorf(n, "%s: missing text", name)
	}
	if checkNode == nil {
		return nil, Errorf(n, "%s: missing check", name)
	}
	if checkNode.Kind != yaml.MappingNode {
		return nil, Errorf(checkNode, "%s: check: want a mapping with a type", name)
	}
	for i := 0; i+1 < len(checkNode.Content); i += 2 {
		if checkNode.Content[i].Value == "type" {
			c.Type = checkNode.Content[i+1].Value
		}
	}
	if c.Type == "" {
		return nil, Errorf(checkNode, "%s: check: missing type (one of %s)", name, typeNames())
	}
	dec, ok := lookup(c.Type)
	if !ok {
		return nil, Errorf(checkNode, "%s: check: unknown type %q (one of %s)", name, c.Type, typeNames())
	}
	chk, err := dec(checkNode, name+": check")
	if err != nil {
		return nil, err
	}
	c.Check = chk
	if expectNode != nil {
		if c.Expect, err = parseExpect(expectNode, name+": expect"); err != nil {
			return nil, err
		}
	}
	if c.Expect.empty() {
		if sd, ok := chk.(interface{ SelfDecided() bool }); !ok || !sd.SelfDecided() {
			return nil, Errorf(n, "%s: missing expect (sign, value_pct, above_pct or below_pct)", name)
		}
	}
	return c, nil
}

func typeNames() string {
	var names []string
	for _, t := range Types() {
		names = append(names, t[0])
	}
	return strings.Join(names, ", ")
}

type expectYAML struct {
	Sign        string   `yaml:"sign"`
	ValuePct    *float64 `yaml:"value_pct"`
	AbovePct    *float64 `yaml:"above_pct"`
	BelowPct    *float64 `yaml:"below_pct"`
	TolerancePP *float64 `yaml:"tolerance_pp"`
	Alpha       *float64 `yaml:"alpha"`
}

func parseExpect(n *yaml.Node, path string) (Expect, error) {
	var y expectYAML
	if err := Decode(n, path, &y); err != nil {
		return Expect{}, err
	}
	e := Expect{Alpha: 0.10, Line: n.Line}
	set := 0
	switch strings.ToLower(y.Sign) {
	case "":
	case "positive", "+", "up":
		e.Sign = 1
		set++
	case "negative", "-", "down":
		e.Sign = -1
		set++
	default:
		return e, Errorf(n, "%s: sign %q: want positive or negative", path, y.Sign)
	}
	pct := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		set++
		v := *p / 100
		return &v
	}
	e.Value, e.Above, e.Below = pct(y.ValuePct), pct(y.AbovePct), pct(y.BelowPct)
	if set > 1 {
		return e, Errorf(n, "%s: give one of sign, value_pct, above_pct, below_pct", path)
	}
	if y.TolerancePP != nil {
		if *y.TolerancePP < 0 {
			return e, Errorf(n, "%s: tolerance_pp must be >= 0", path)
		}
		e.Tolerance = *y.TolerancePP / 100
	}
	if y.Alpha != nil {
		if *y.Alpha <= 0 || *y.Alpha >= 1 {
			return e, Errorf(n, "%s: alpha must be in (0, 1)", path)
		}
		e.Alpha = *y.Alpha
	}
	return e, nil
}

// Decode decodes the mapping n into dst, a pointer to a struct with yaml tags, strictly:
// a key that dst does not declare is an error naming the key and its line. The key
// "type" is always allowed (check nodes carry it). Check types use it for their
// parameters.
func Decode(n *yaml.Node, path string, dst any) error {
	if n.Kind != yaml.MappingNode {
		return Errorf(n, "%s: want a mapping", path)
	}
	allowed := yamlKeys(dst)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Value == "type" {
			continue
		}
		if !allowed[k.Value] {
			var names []string
			for a := range allowed {
				names = append(names, a)
			}
			sort.Strings(names)
			return Errorf(k, "%s: unknown key %q (want %s)", path, k.Value, strings.Join(names, ", "))
		}
	}
	if err := n.Decode(dst); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			return &lineError{line: n.Line, msg: path + ": " + strings.Join(te.Errors, "; ")}
		}
		return Errorf(n, "%s: %v", path, err)
	}
	return nil
}

// Proxy is one measured series: an id, or an id relative to another ("A vs B").
type Proxy struct {
	ID string
	Vs string
}

// String formats p as it is written: "price/IWM vs price/SPY".
func (p Proxy) String() string {
	if p.Vs == "" {
		return p.ID
	}
	return p.ID + " vs " + p.Vs
}

// Proxies is a list of proxies; in YAML a single string or a list of strings, each
// "ID" or "ID vs ID".
type Proxies []Proxy

// UnmarshalYAML implements yaml.Unmarshaler.
func (p *Proxies) UnmarshalYAML(n *yaml.Node) error {
	var items []*yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		items = []*yaml.Node{n}
	case yaml.SequenceNode:
		items = n.Content
	default:
		return fmt.Errorf("line %d: series: want an id or a list of ids", n.Line)
	}
	for _, it := range items {
		if it.Kind != yaml.ScalarNode || strings.TrimSpace(it.Value) == "" {
			return fmt.Errorf("line %d: series: want an id such as price/IWM or \"price/IWM vs price/SPY\"", it.Line)
		}
		*p = append(*p, ParseProxy(it.Value))
	}
	return nil
}

// ParseProxy parses "ID" or "ID vs ID".
func ParseProxy(s string) Proxy {
	a, b, ok := strings.Cut(s, " vs ")
	if !ok {
		return Proxy{ID: strings.TrimSpace(s)}
	}
	return Proxy{ID: strings.TrimSpace(a), Vs: strings.TrimSpace(b)}
}

func yamlKeys(dst any) map[string]bool {
	return structKeys(dst)
}
