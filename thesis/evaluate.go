package thesis

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/study"
)

func structKeys(dst any) map[string]bool {
	t := reflect.TypeOf(dst)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	keys := map[string]bool{}
	if t.Kind() != reflect.Struct {
		return keys
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k := range structKeys(reflect.New(f.Type).Interface()) {
				keys[k] = true
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		keys[name] = true
	}
	return keys
}

// ProxyResult is one proxy's measurement and verdict.
type ProxyResult struct {
	Measurement
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
	// Nearest is the nearest period where the claimed move happened, when the claim's
	// own period does not show it.
	Nearest *Alternative `json:"nearest,omitempty"`
}

// Result is one claim's verdict.
type Result struct {
	ID       string        `json:"id"`
	Text     string        `json:"text"`
	Type     string        `json:"type"`
	Check    string        `json:"check"`  // what was measured, in words
	Expect   string        `json:"expect"` // what the claim says
	Verdict  string        `json:"verdict"`
	Reason   string        `json:"reason"`
	Proxies  []ProxyResult `json:"proxies"`
	Note     string        `json:"note,omitempty"`
	Line     int           `json:"line"`
	Error    string        `json:"error,omitempty"` // a check that could not be measured
	DateNote string        `json:"date_note,omitempty"`
}

// Evaluate measures every claim of f and gives each a verdict. A check that cannot be
// measured (data missing for its period) makes its claim inconclusive with the error,
// never the whole run fail.
func Evaluate(f *File, d Data) []Result {
	out := make([]Result, 0, len(f.Claims))
	for _, c := range f.Claims {
		out = append(out, EvaluateClaim(c, d))
	}
	return out
}

// EvaluateClaim measures one claim.
func EvaluateClaim(c *Claim, d Data) Result {
	r := Result{ID: c.ID, Text: c.Text, Type: c.Type, Check: c.Check.Describe(), Expect: c.Expect.String(), Note: c.Note, Line: c.Line}
	ms, err := c.Check.Measure(d)
	if err != nil {
		r.Verdict, r.Reason, r.Error = Inconclusive, "could not measure: "+err.Error(), err.Error()
		return r
	}
	for i, m := range ms {
		pr := judge(c.Expect, m)
		if pr.Verdict == Contradicted && !m.Inference && !c.Expect.empty() {
			if s, ok := c.Check.(Searcher); ok {
				alt, err := s.Search(d, i, c.Expect.holds)
				if err == nil && alt != nil {
					pr.Nearest = alt
					pr.Reason += fmt.Sprintf("; the claimed move did happen nearby: %s (%s, %s)", alt.Label, alt.Offset, pct(alt.Value))
				} else if err == nil {
					pr.Reason += "; no nearby period shows the claimed move either"
				}
			}
		}
		r.Proxies = append(r.Proxies, pr)
	}
	r.Verdict, r.Reason = aggregate(r.Proxies)
	for _, p := range r.Proxies {
		if p.Nearest != nil {
			r.DateNote = fmt.Sprintf("the number matches %s, not the claimed date", p.Nearest.Label)
			break
		}
	}
	return r
}

func pct(v float64) string { return fmt.Sprintf("%+.2f%%", 100*v) }

// judge decides one proxy.
func judge(e Expect, m Measurement) ProxyResult {
	pr := ProxyResult{Measurement: m}
	if m.Verdict != "" {
		pr.Verdict, pr.Reason = m.Verdict, m.Reason
		return pr
	}
	if math.IsNaN(m.Value) {
		pr.Verdict, pr.Reason = Inconclusive, "no value"
		return pr
	}
	if m.Inference {
		if m.TooFew {
			pr.Verdict, pr.Reason = Inconclusive, fmt.Sprintf("too few to conclude (n=%d < %d)", m.N, study.MinEvents)
			return pr
		}
		switch {
		case e.Sign != 0:
			got := 1
			if m.Value < 0 {
				got = -1
			}
			switch {
			case m.P < e.Alpha && got == e.Sign:
				pr.Verdict = Supported
				pr.Reason = fmt.Sprintf("estimate %s, p=%.3f < %.2f", pct(m.Value), m.P, e.Alpha)
			case m.P < e.Alpha:
				pr.Verdict = Contradicted
				pr.Reason = fmt.Sprintf("estimate %s has the other sign, p=%.3f < %.2f", pct(m.Value), m.P, e.Alpha)
			default:
				pr.Verdict = Inconclusive
				pr.Reason = fmt.Sprintf("estimate %s not distinguishable from zero (p=%.2f >= %.2f)", pct(m.Value), m.P, e.Alpha)
				if got != e.Sign {
					pr.Reason += "; the point estimate has the other sign"
				}
			}
		default:
			target := "the claim"
			if e.Value != nil {
				target = pct(*e.Value)
			}
			switch {
			case e.holds(m.Value):
				pr.Verdict, pr.Reason = Supported, fmt.Sprintf("estimate %s meets %s", pct(m.Value), target)
			case !math.IsNaN(m.Lo) && !e.holds(m.Lo) && !e.holds(m.Hi) && sameSide(e, m):
				pr.Verdict, pr.Reason = Contradicted, fmt.Sprintf("estimate %s; its %.0f%% interval [%s, %s] misses %s", pct(m.Value), 100*m.Level, pct(m.Lo), pct(m.Hi), target)
			default:
				pr.Verdict, pr.Reason = Inconclusive, fmt.Sprintf("estimate %s misses %s but its interval [%s, %s] does not rule it out", pct(m.Value), target, pct(m.Lo), pct(m.Hi))
			}
		}
		return pr
	}
	if e.holds(m.Value) {
		pr.Verdict, pr.Reason = Supported, fmt.Sprintf("measured %s, claim %s", pct(m.Value), e)
	} else {
		pr.Verdict, pr.Reason = Contradicted, fmt.Sprintf("measured %s, claim %s", pct(m.Value), e)
	}
	return pr
}

// sameSide reports whether the whole interval lies on one side of the claim.
func sameSide(e Expect, m Measurement) bool {
	if e.Value == nil {
		return true
	}
	v := *e.Value
	return (m.Lo > v+e.Tolerance) || (m.Hi < v-e.Tolerance)
}

func aggregate(ps []ProxyResult) (string, string) {
	if len(ps) == 0 {
		return Inconclusive, "nothing measured"
	}
	sup, con := 0, 0
	for _, p := range ps {
		switch p.Verdict {
		case Supported:
			sup++
		case Contradicted:
			con++
		}
	}
	var reasons []string
	for _, p := range ps {
		reasons = append(reasons, p.Proxy+": "+p.Reason)
	}
	reason := strings.Join(reasons, "; ")
	switch {
	case sup > 0 && con == 0:
		return Supported, reason
	case con > 0 && sup == 0:
		return Contradicted, reason
	case sup > 0 && con > 0:
		return Inconclusive, "the proxies disagree: " + reason
	}
	return Inconclusive, reason
}

// dateRange formats a measured range.
func dateRange(from, to series.Date) string {
	if from == series.NoDate || to == series.NoDate {
		return ""
	}
	return from.String() + ".." + to.String()
}
