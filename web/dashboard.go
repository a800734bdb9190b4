package web

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"html/template"

	"github.com/ratecycle/ratecycle/report"
)

//go:embed assets/dashboard.html
var dashboardHTML string

//go:embed assets/dashboard.js
var dashboardJS string

var dashboardPage = template.Must(template.New("dashboard").Parse(dashboardHTML))

// renderDashboard renders the dashboard once: one self-contained page (ECharts, the
// report's chart renderer and the panels' script inlined, no CDN).
func renderDashboard(f features) ([]byte, error) {
	fj, err := json.Marshal(map[string]bool{"study": f.Study, "regimes": f.Regimes, "check": f.Check, "rebalance": f.Rebalance,
		"valuation": f.Valuation, "concentration": f.Concentration, "sectors": f.Sectors, "screen": f.Screen,
		"backtest": f.Backtest, "hedge": f.Hedge})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = dashboardPage.Execute(&buf, map[string]any{
		"F":           f,
		"ECharts":     template.JS(report.EChartsJS),
		"ChartsJS":    template.JS(report.ChartsJS),
		"DashboardJS": template.JS(dashboardJS),
		"Features":    template.JS(fj),
	})
	return buf.Bytes(), err
}
