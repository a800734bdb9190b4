package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/thesis"
	"github.com/ratecycle/ratecycle/view"
)

type checkOptions struct {
	format string
	types  bool
}

func init() { register(newCheckCmd) }

func newCheckCmd(a *app) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [FILE.yaml]",
		Short: "Check a thesis: give each claim of a claims file a verdict from the data",
		Long: `Check the claims of a YAML claims file against the embedded data. Each claim has a
text, one measurable check and an expectation; it gets a verdict (supported,
contradicted, inconclusive), the measured value, n, the interval or p-value and the data
it used. Without FILE the example examples/small-caps-2026.yaml (embedded) is checked.

Verdicts: a sign claimed about an estimate (a mean over events or a regime) needs
p < alpha (default 0.10) and at least 8 events, else it is inconclusive; a value or a
bound is compared with the measurement within tolerance_pp. Claims measured on several
proxies are supported (contradicted) only when every conclusive proxy agrees. When a
dated number is wrong, the checker searches nearby periods for the claimed move and says
where it did happen.

Check types (check.type):
` + checkTypesText() + `
The file is decoded strictly: unknown keys are errors naming the key and the line.
Exit codes: 0 whatever the verdicts; 2 when the file is invalid.`,
		Example: `  ratecycle check
  ratecycle check examples/small-caps-2026.yaml --format md > verdicts.md
  ratecycle check my-claims.yaml --format json | jq '.claims[] | {id, verdict}'
  ratecycle check --format csv > verdicts.csv
  ratecycle check --types`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return checkRun(cmd, a, o, args) },
	}
	cmd.Flags().StringVar(&o.format, "format", "table", "output format: table, csv, json or md")
	cmd.Flags().BoolVar(&o.types, "types", false, "list the check types and exit")
	return cmd
}

func checkTypesText() string {
	var b strings.Builder
	for _, t := range thesis.Types() {
		fmt.Fprintf(&b, "  %-18s %s\n", t[0], t[1])
	}
	return b.String()
}

func checkRun(cmd *cobra.Command, a *app, o *checkOptions, args []string) error {
	format := strings.ToLower(o.format)
	if format == "markdown" {
		format = "md"
	}
	if format != "table" && format != "csv" && format != "json" && format != "md" {
		return usagef("unknown format %q (want table, csv, json or md)", o.format)
	}
	if o.types {
		_, err := io.WriteString(a.io.Out, checkTypesText())
		return err
	}
	var data []byte
	name := ""
	if len(args) == 1 {
		b, err := os.ReadFile(args[0])
		if err != nil {
			return usagef("%v", err)
		}
		data, name = b, args[0]
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	res, err := engine.Thesis(ctx, cat, data, name)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		return output.Write(a.io.Out, output.JSON, nil, view.Check(res))
	case "md":
		_, err := io.WriteString(a.io.Out, checkMarkdown(res))
		return err
	case "csv":
		return output.Write(a.io.Out, output.CSV, checkCSV(res), nil)
	}
	return output.Write(a.io.Out, output.Table, checkTab(res), nil)
}

// measuredText formats a proxy's value with its interval or p-value.
func measuredText(p thesis.ProxyResult) (value, stat string) {
	value = output.Pct(p.Value, 2)
	if p.Inference {
		stat = fmt.Sprintf("p=%s", output.F(p.P, 3))
		if !isNaN(p.Lo) {
			stat += fmt.Sprintf(" [%s, %s]", output.Pct(p.Lo, 2), output.Pct(p.Hi, 2))
		}
	}
	return value, stat
}

func isNaN(f float64) bool { return f != f }

func checkTab(r *engine.ThesisResult) *output.Tab {
	t := &output.Tab{Title: fmt.Sprintf("%s (%s)", r.Title, r.File),
		Columns: []string{"claim", "verdict", "proxy", "measured", "n", "p / interval", "data", "proxy verdict"}}
	for _, c := range r.Results {
		if len(c.Proxies) == 0 {
			t.Add(c.ID, c.Verdict, "", "", "", "", "", c.Reason)
			continue
		}
		for i, p := range c.Proxies {
			id, v := c.ID, c.Verdict
			if i > 0 {
				id, v = "", ""
			}
			val, stat := measuredText(p)
			t.Add(id, v, p.Proxy, val, fmt.Sprint(p.N), stat, p.From.String()+".."+p.To.String(), p.Verdict)
		}
	}
	var notes []string
	for _, c := range r.Results {
		notes = append(notes, fmt.Sprintf("%s: %s", c.ID, c.Text))
		notes = append(notes, fmt.Sprintf("  check: %s; claim: %s", c.Check, c.Expect))
		notes = append(notes, fmt.Sprintf("  %s: %s", c.Verdict, c.Reason))
		for _, p := range c.Proxies {
			if p.Detail != "" {
				notes = append(notes, fmt.Sprintf("  %s: %s", p.Proxy, p.Detail))
			}
		}
		if c.DateNote != "" {
			notes = append(notes, "  date: "+c.DateNote)
		}
	}
	notes = append(notes, fmt.Sprintf("Verdicts: %d supported, %d contradicted, %d inconclusive.",
		r.Counts[thesis.Supported], r.Counts[thesis.Contradicted], r.Counts[thesis.Inconclusive]))
	t.Notes = notes
	return t
}

// checkCSV is one row per claim and proxy (a claim without proxies gets one row with its
// verdict only). measured, p, lo and hi are plain decimals; p, lo, hi and level are
// empty when the value is not an estimate (no inference); from and to are the dates the
// measurement covers.
func checkCSV(r *engine.ThesisResult) *output.Tab {
	t := &output.Tab{Columns: []string{"claim", "verdict", "proxy", "measured", "n", "p", "lo", "hi", "level", "from", "to", "proxy_verdict"}}
	for _, c := range r.Results {
		if len(c.Proxies) == 0 {
			t.Add(c.ID, c.Verdict, "", "", "", "", "", "", "", "", "", "")
			continue
		}
		for _, p := range c.Proxies {
			pv, lo, hi, level := "", "", "", ""
			if p.Inference {
				pv, lo, hi = plainNum(p.P), plainNum(p.Lo), plainNum(p.Hi)
				if p.Level > 0 {
					level = plainNum(p.Level)
				}
			}
			t.Add(c.ID, c.Verdict, p.Proxy, plainNum(p.Value), fmt.Sprint(p.N), pv, lo, hi, level, p.From.String(), p.To.String(), p.Verdict)
		}
	}
	return t
}

func checkMarkdown(r *engine.ThesisResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.Title)
	if r.Source != "" {
		fmt.Fprintf(&b, "Source: %s. ", r.Source)
	}
	fmt.Fprintf(&b, "Claims file: `%s`. Verdicts: %d supported, %d contradicted, %d inconclusive.\n\n",
		r.File, r.Counts[thesis.Supported], r.Counts[thesis.Contradicted], r.Counts[thesis.Inconclusive])
	b.WriteString("| claim | verdict | measured | n | p / interval | data |\n|---|---|---|---|---|---|\n")
	for _, c := range r.Results {
		for _, p := range c.Proxies {
			val, stat := measuredText(p)
			fmt.Fprintf(&b, "| %s | **%s** | %s: %s | %d | %s | %s %s..%s |\n", mdEscape(c.Text), c.Verdict, p.Proxy, val, p.N, stat,
				strings.Join(p.Sources, ", "), p.From, p.To)
		}
		if len(c.Proxies) == 0 {
			fmt.Fprintf(&b, "| %s | **%s** | | | | |\n", mdEscape(c.Text), c.Verdict)
		}
	}
	b.WriteString("\n")
	for _, c := range r.Results {
		fmt.Fprintf(&b, "- **%s** (%s): %s\n  - check: %s; claim: %s\n", c.ID, c.Verdict, mdEscape(c.Reason), c.Check, c.Expect)
		for _, p := range c.Proxies {
			if p.Detail != "" {
				fmt.Fprintf(&b, "  - %s: %s\n", p.Proxy, mdEscape(p.Detail))
			}
		}
		if c.DateNote != "" {
			fmt.Fprintf(&b, "  - date: %s\n", c.DateNote)
		}
	}
	return b.String()
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
