package engine

import (
	"fmt"
	"math"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ratecycle/ratecycle/concentration"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/thesis"
)

// The "concentration" check type: the share of a group of tickers (mag7 by default),
// of the top N lines, or of a sector, or the HHI, in fund holdings or index
// constituents. The data must offer holdings (Fund and Constituents, as ThesisData
// does); a source that does not is an error, so the claim is inconclusive.
//
//	check:
//	  type: concentration
//	  holdings: [holdings/IVV, constituents/sp500-financials]   # default holdings/IVV
//	  measure: group_share      # group_share (default), top_share, sector_share, hhi
//	  group: mag7               # a built-in group, or give tickers
//	  tickers: [NVDA, AVGO]     # an inline group
//	  top: 7                    # for top_share
//	  sector: Information Technology   # for sector_share
//	  keep_share_classes: false # constituents: count each class's company-wide cap
//
// Values are shares of the equities (decimals): 35.4% is value_pct: 35.4.
func init() {
	thesis.Register("concentration", "share of a ticker group (mag7), the top N lines or a sector, or the HHI, in fund holdings or index constituents", decodeConcentrationCheck)
}

type concentrationCheckYAML struct {
	Holdings         yamlWords `yaml:"holdings"`
	Measure          string    `yaml:"measure"`
	Group            string    `yaml:"group"`
	Tickers          []string  `yaml:"tickers"`
	Top              int       `yaml:"top"`
	Sector           string    `yaml:"sector"`
	KeepShareClasses bool      `yaml:"keep_share_classes"`
}

type concentrationCheck struct {
	ids     []string
	measure string
	group   concentration.Group
	top     int
	sector  string
	keep    bool
}

func decodeConcentrationCheck(n *yaml.Node, path string) (thesis.Check, error) {
	var y concentrationCheckYAML
	if err := thesis.Decode(n, path, &y); err != nil {
		return nil, err
	}
	c := &concentrationCheck{ids: y.Holdings, measure: y.Measure, top: y.Top, sector: y.Sector, keep: y.KeepShareClasses}
	if len(c.ids) == 0 {
		c.ids = []string{"holdings/IVV"}
	}
	for _, id := range c.ids {
		if !IsConcentrationID(id) {
			return nil, thesis.Errorf(n, "%s: holdings %q: want a holdings/ or constituents/ id", path, id)
		}
	}
	if c.measure == "" {
		c.measure = "group_share"
	}
	switch c.measure {
	case "group_share":
		switch {
		case len(y.Tickers) > 0 && y.Group != "" && !strings.EqualFold(y.Group, "mag7"):
			c.group = concentration.Group{Name: y.Group, Tickers: y.Tickers}
		case len(y.Tickers) > 0:
			name := y.Group
			if name == "" {
				name = "group"
			}
			c.group = concentration.Group{Name: name, Tickers: y.Tickers}
		case y.Group == "" || strings.EqualFold(y.Group, "mag7"):
			c.group = concentration.BuiltinGroups()[0]
		default:
			return nil, thesis.Errorf(n, "%s: group %q is not built in (mag7); list its tickers", path, y.Group)
		}
	case "top_share":
		if c.top == 0 {
			c.top = 7
		}
		if c.top < 1 {
			return nil, thesis.Errorf(n, "%s: top must be at least 1", path)
		}
	case "sector_share":
		if c.sector == "" {
			return nil, thesis.Errorf(n, "%s: sector_share needs a sector", path)
		}
	case "hhi":
	default:
		return nil, thesis.Errorf(n, "%s: measure %q: want group_share, top_share, sector_share or hhi", path, c.measure)
	}
	return c, nil
}

func (c *concentrationCheck) Describe() string {
	what := map[string]string{
		"group_share":  fmt.Sprintf("share of %s (%s)", c.group.Name, strings.Join(c.group.Tickers, ", ")),
		"top_share":    fmt.Sprintf("share of the %d largest lines", c.top),
		"sector_share": "share of " + c.sector,
		"hhi":          "Herfindahl index (sum of squared weights)",
	}[c.measure]
	return fmt.Sprintf("%s in the equities of %s", what, strings.Join(c.ids, " and "))
}

func (c *concentrationCheck) Measure(d thesis.Data) ([]thesis.Measurement, error) {
	src, ok := d.(holdingsSource)
	if !ok {
		return nil, fmt.Errorf("the data source offers no fund holdings or constituents")
	}
	opt := ConcentrationOptions{TopN: max(c.top, 1), KeepShareClasses: c.keep}
	var out []thesis.Measurement
	for _, id := range c.ids {
		s, err := snapshotOf(src, id, opt)
		if err != nil {
			return nil, err
		}
		groups := []concentration.Group(nil)
		if c.measure == "group_share" {
			groups = []concentration.Group{c.group}
		}
		r := concentration.Analyze(s, opt.TopN, groups)
		m := thesis.Measurement{Proxy: id, N: r.Holdings, Sources: []string{id}, From: s.AsOf, To: s.AsOf, P: lensNaN(), Lo: lensNaN(), Hi: lensNaN()}
		if strings.HasPrefix(id, "constituents/") {
			m.Sources = append(m.Sources, ConstituentsRefID)
		}
		when := "undated"
		if s.AsOf != series.NoDate {
			when = s.AsOf.String()
		}
		cover := fmt.Sprintf("%d of %d equity lines", r.Holdings, s.Lines)
		switch c.measure {
		case "group_share":
			g := r.Groups[0]
			m.Value = g.Share
			m.Detail = fmt.Sprintf("%s: %s is %.2f%% of the equities (%s)", when, g.Name, 100*g.Share, cover)
			if !math.IsNaN(g.FundShare) {
				m.Detail += fmt.Sprintf("; %.2f%% of the fund", 100*g.FundShare)
			}
			if len(g.Missing) > 0 {
				m.Detail += "; not held: " + strings.Join(g.Missing, " ")
			}
		case "top_share":
			m.Value = r.TopShare
			m.Detail = fmt.Sprintf("%s: the %d largest lines are %.2f%% of the equities (%s)", when, r.TopN, 100*r.TopShare, cover)
		case "sector_share":
			m.Value = 0
			for _, sw := range r.Sectors {
				if strings.EqualFold(sw.Sector, c.sector) {
					m.Value = sw.Weight
				}
			}
			m.Detail = fmt.Sprintf("%s: %s is %.2f%% of the equities (%s)", when, c.sector, 100*m.Value, cover)
		case "hhi":
			m.Value = r.HHI
			m.Detail = fmt.Sprintf("%s: HHI %.5f, effective number of holdings %.1f (%s)", when, r.HHI, r.EffectiveN, cover)
		}
		out = append(out, m)
	}
	return out, nil
}

// lensNaN fills the inference fields the lens checks do not have.
func lensNaN() float64 { return math.NaN() }
