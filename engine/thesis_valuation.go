package engine

import (
	"context"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/thesis"
	"github.com/ratecycle/ratecycle/valuation"
)

// The "valuation" check type: small-versus-big relative valuation from the Ken French
// size x book-to-market portfolios, and the S&P 500 CAPE. It is registered here, beside
// the engine code that builds the legs, rather than in thesis, because it reads several
// French sections per portfolio through the same loader the valuation command uses.
//
//	check:
//	  type: valuation
//	  measure: discount        # discount (default), relative_pb, percentile, percentile_since,
//	                           # largest_since (decides itself: no expect), cape_percentile
//	  pair: 2x3                # 2x3 (SMALL vs BIG), 5x5 (ME1 vs ME5), or a list; default 2x3
//	  method: [rolled, published]  # one or both; default both
//	  since: 2000-01-01        # the recent window (percentile_since, largest_since)
//
// Every pair and method is one proxy; values are decimals (a 17% discount is 0.17, so
// expect value_pct: 17).
func init() {
	thesis.Register("valuation", "small-vs-big relative valuation (Ken French): discount to the long-run median relative P/B, relative P/B, percentile, largest since a date; or the CAPE percentile", decodeValuationCheck)
}

type valuationCheckYAML struct {
	Measure string    `yaml:"measure"`
	Pair    yamlWords `yaml:"pair"`
	Method  yamlWords `yaml:"method"`
	Since   string    `yaml:"since"`
}

// yamlWords is one word or a list of words.
type yamlWords []string

func (w *yamlWords) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*w = yamlWords{strings.TrimSpace(n.Value)}
		return nil
	case yaml.SequenceNode:
		for _, it := range n.Content {
			if it.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: want a word or a list of words", it.Line)
			}
			*w = append(*w, strings.TrimSpace(it.Value))
		}
		return nil
	}
	return fmt.Errorf("line %d: want a word or a list of words", n.Line)
}

var valuationMeasures = map[string]string{
	"discount":         "discount to the full-history median relative P/B",
	"relative_pb":      "relative P/B (small / big)",
	"percentile":       "percentile of relative B/M over the full history",
	"percentile_since": "percentile of relative B/M since the window start",
	"largest_since":    "whether today's discount is the largest since the window start",
	"cape_percentile":  "percentile of the S&P 500 CAPE since 1881",
}

type valuationCheck struct {
	measure string
	pairs   []string
	methods []valuation.Method
	since   series.Date
}

func decodeValuationCheck(n *yaml.Node, path string) (thesis.Check, error) {
	var y valuationCheckYAML
	if err := thesis.Decode(n, path, &y); err != nil {
		return nil, err
	}
	c := &valuationCheck{measure: y.Measure, since: series.NewDate(2000, 1, 1)}
	if c.measure == "" {
		c.measure = "discount"
	}
	if _, ok := valuationMeasures[c.measure]; !ok {
		return nil, thesis.Errorf(n, "%s: measure %q: want one of %s", path, c.measure, measureList())
	}
	for _, p := range y.Pair {
		if p != "2x3" && p != "5x5" {
			return nil, thesis.Errorf(n, "%s: pair %q: want 2x3 or 5x5", path, p)
		}
		c.pairs = append(c.pairs, p)
	}
	if len(c.pairs) == 0 {
		c.pairs = []string{"2x3"}
	}
	for _, m := range y.Method {
		vm, err := valuation.ParseMethod(m)
		if err != nil {
			return nil, thesis.Errorf(n, "%s: %v", path, err)
		}
		c.methods = append(c.methods, vm)
	}
	if len(c.methods) == 0 {
		c.methods = []valuation.Method{valuation.Rolled, valuation.Published}
	}
	if y.Since != "" {
		d, err := series.ParseDate(y.Since)
		if err != nil {
			return nil, thesis.Errorf(n, "%s: since: %v", path, err)
		}
		c.since = d
	}
	return c, nil
}

func measureList() string {
	return "discount, relative_pb, percentile, percentile_since, largest_since, cape_percentile"
}

// SelfDecided: largest_since is a yes/no the check decides; it needs no expect.
func (c *valuationCheck) SelfDecided() bool { return c.measure == "largest_since" }

func (c *valuationCheck) Describe() string {
	if c.measure == "cape_percentile" {
		return valuationMeasures[c.measure] + " (Shiller PE10)"
	}
	var ms []string
	for _, m := range c.methods {
		ms = append(ms, string(m))
	}
	s := fmt.Sprintf("%s, Ken French %s, %s book-to-market", valuationMeasures[c.measure], strings.Join(c.pairs, " and "), strings.Join(ms, " and "))
	switch c.measure {
	case "discount", "largest_since":
		s += " (" + valuation.DiscountDefinition + ")"
	}
	if c.measure == "percentile_since" || c.measure == "largest_since" {
		s += "; window from " + c.since.String()
	}
	return s
}

func (c *valuationCheck) Measure(d thesis.Data) ([]thesis.Measurement, error) {
	load := func(_ context.Context, id string) (*series.Series, error) { return d.Series(id) }
	res, err := valuationWith(context.Background(), load, ValuationOptions{Since: c.since, Methods: c.methods, Pairs: c.pairs})
	if err != nil {
		return nil, err
	}
	if c.measure == "cape_percentile" {
		cp := res.CAPE
		return []thesis.Measurement{{Proxy: CAPEID, Value: cp.Full.Percentile, N: cp.Full.N, Sources: []string{CAPEID},
			From: cp.Full.From, To: cp.Latest, P: lensNaN(), Lo: lensNaN(), Hi: lensNaN(),
			Detail: fmt.Sprintf("CAPE %.2f on %s is at or above %.1f%% of %d months since %s (Shiller's data end 2023-09)",
				cp.Value, cp.Latest.String()[:7], 100*cp.Full.Percentile, cp.Full.N, cp.Full.From.String()[:7])}}, nil
	}
	var out []thesis.Measurement
	for i, g := range res.Gaps {
		p := res.Pairs[i]
		m := thesis.Measurement{Proxy: fmt.Sprintf("%s %s (%s)", p.ID, g.Method, p.File), N: g.BMFull.N,
			Sources: []string{"french/" + p.File + "/" + sectionBMJune, "french/" + p.File + "/" + sectionBMDec,
				"french/" + p.File + "/" + sectionFirms, "french/" + p.File + "/" + sectionAvgCap, "french/" + p.File},
			From: g.BMFull.From, To: g.Latest, P: lensNaN(), Lo: lensNaN(), Hi: lensNaN()}
		base := fmt.Sprintf("%s: relative P/B %.3f against a %s-%s median of %.3f: discount 1 - %.3f/%.3f = %.1f%%",
			g.Latest.String()[:7], g.RelPBNow, g.PBFull.From.String()[:4], g.Latest.String()[:4], g.PBFull.Median, g.RelPBNow, g.PBFull.Median, 100*g.Discount)
		switch c.measure {
		case "discount":
			m.Value, m.Detail = g.Discount, base
		case "relative_pb":
			m.Value, m.Detail = g.RelPBNow, base
		case "percentile":
			m.Value = g.BMFull.Percentile
			m.Detail = fmt.Sprintf("relative B/M %.3f at or above %.1f%% of %d months since %s", g.RelBMNow, 100*g.BMFull.Percentile, g.BMFull.N, g.BMFull.From.String()[:7])
		case "percentile_since":
			m.Value, m.N, m.From = g.BMSince.Percentile, g.BMSince.N, g.BMSince.From
			m.Detail = fmt.Sprintf("relative B/M %.3f at or above %.1f%% of %d months since %s", g.RelBMNow, 100*g.BMSince.Percentile, g.BMSince.N, g.BMSince.From.String()[:7])
		case "largest_since":
			m.Value, m.N, m.From = g.Discount, g.BMSince.N, g.BMSince.From
			m.Detail = base
			if g.LargestSince {
				m.Verdict = thesis.Supported
				m.Reason = fmt.Sprintf("the %s discount of %.1f%% is the largest since %s", g.Latest.String()[:7], 100*g.Discount, c.since.String()[:7])
			} else {
				m.Verdict = thesis.Contradicted
				m.Reason = fmt.Sprintf("the %s discount of %.1f%% is not the largest since %s: %.1f%% in %s was larger",
					g.Latest.String()[:7], 100*g.Discount, c.since.String()[:7], 100*g.MaxDiscountSince, g.MaxDiscountSinceAt.String()[:7])
			}
		}
		out = append(out, m)
	}
	return out, nil
}
