package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/ratecycle/ratecycle/report"
	"github.com/ratecycle/ratecycle/thesis"
)

func init() { RegisterSection(11, "thesis", thesisSection) }

// thesisSection checks rc.Opt.ThesisData (a claims file the CLI read) or, when it is empty, the
// embedded example claims.
func thesisSection(ctx context.Context, rc *ReportContext) (*report.Section, error) {
	var data []byte
	name := ""
	if len(rc.Opt.ThesisData) > 0 {
		data, name = rc.Opt.ThesisData, rc.Opt.Thesis
	}
	d := NewThesisData(ctx, rc.Cat, rc.History)
	d.Load = rc.Load
	res, err := ThesisWith(d, data, name)
	if err != nil {
		return nil, err
	}
	sec := &report.Section{ID: "thesis", Title: "11. Thesis check"}
	sec.Lead = fmt.Sprintf("Of %d claims in %q, %d are supported by the data, %d contradicted and %d inconclusive.",
		len(res.Results), res.Title, res.Counts[thesis.Supported], res.Counts[thesis.Contradicted], res.Counts[thesis.Inconclusive])
	t := report.Table{Columns: []string{"claim", "verdict", "measured", "n", "p / interval", "data", "why"}}
	for _, c := range res.Results {
		var meas, ns, stats, data []string
		for _, p := range c.Proxies {
			meas = append(meas, fmt.Sprintf("%s: %s", p.Proxy, pctS(p.Value)))
			ns = append(ns, fmt.Sprint(p.N))
			if p.Inference {
				stats = append(stats, fmt.Sprintf("p=%.3f [%s, %s]", p.P, pctS(p.Lo), pctS(p.Hi)))
			} else {
				stats = append(stats, "-")
			}
			data = append(data, fmt.Sprintf("%s %s..%s", strings.Join(p.Sources[:min(len(p.Sources), 2)], ", "), p.From, p.To))
		}
		why := c.Reason
		if c.DateNote != "" {
			why += " (" + c.DateNote + ")"
		}
		t.Rows = append(t.Rows, []string{c.Text, c.Verdict, strings.Join(meas, "; "), strings.Join(ns, "; "), strings.Join(stats, "; "),
			strings.Join(data, "; "), why})
	}
	sec.Tables = []report.Table{t}
	sec.Paragraphs = []string{
		"Each claim of the commentary is turned into one measurable check on the embedded data. A sign claimed about an average (over Fed events or over a regime) needs p < 0.10 and, for events, at least 8 of them; otherwise the verdict is inconclusive, however good the point estimate looks. Numbers claimed for a dated move are compared within a stated tolerance, and when they miss, nearby periods are searched for the claimed move.",
	}
	for _, c := range res.Results {
		sec.Notes = append(sec.Notes, fmt.Sprintf("%s: %s (claim: %s).", c.ID, c.Check, c.Expect))
	}
	sec.Notes = append(sec.Notes, "Claims file: "+res.File+" ('ratecycle check FILE' checks your own).")
	rc.Summarize(fmt.Sprintf("Thesis check: %d of %d claims supported, %d contradicted, %d inconclusive.",
		res.Counts[thesis.Supported], len(res.Results), res.Counts[thesis.Contradicted], res.Counts[thesis.Inconclusive]))
	return sec, nil
}
