package report

import (
	_ "embed"
	"encoding/json"
	"html/template"
	"io"
	"strings"
)

//go:embed assets/echarts.min.js
var echartsJS string

//go:embed assets/charts.js
var chartsJS string

//go:embed template.html
var pageTemplate string

// EChartsJS is the vendored Apache ECharts library (assets/echarts.min.js) and ChartsJS
// the renderer of chart specs; the dashboard inlines the same two scripts.
var (
	EChartsJS = echartsJS
	ChartsJS  = chartsJS
)

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"isnum": func(s string) bool {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "%"), "bp"))
		if s == "" {
			return false
		}
		s = strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
		s = strings.TrimPrefix(s, "$")
		for _, c := range s {
			if (c < '0' || c > '9') && c != '.' && c != ',' {
				return false
			}
		}
		return true
	},
	"appendix": appendixTable,
	// short cells (a verdict, a date, "1180; 1180") never wrap; long ones may wrap anywhere.
	"short": func(s string) bool { return len([]rune(s)) <= 14 },
}).Parse(pageTemplate))

// WriteHTML writes the document as one self-contained HTML page: the ECharts library,
// the chart specs, styles (light, dark and print) and the renderer are all inline.
func WriteHTML(w io.Writer, d *Document) error {
	var charts []Chart
	for _, s := range d.Sections {
		charts = append(charts, s.Charts...)
	}
	specs, err := json.Marshal(charts)
	if err != nil {
		return err
	}
	// Closing tags inside JSON would end the script element early.
	safe := strings.ReplaceAll(string(specs), "</", "<\\/")
	return page.Execute(w, map[string]any{
		"Doc":      d,
		"ECharts":  template.JS(echartsJS),
		"ChartsJS": template.JS(chartsJS),
		"Specs":    template.JS(safe),
	})
}
