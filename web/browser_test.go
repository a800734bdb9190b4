package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/report"
)

// chromiumPath is Debian's chromium. Without it the browser test skips, unless
// RATECYCLE_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
func chromiumPath(t *testing.T) string {
	const p = "/usr/bin/chromium"
	if _, err := exec.LookPath(p); err != nil {
		if os.Getenv("RATECYCLE_REQUIRE_BROWSER") == "1" {
			t.Fatalf("RATECYCLE_REQUIRE_BROWSER=1 but %s is missing (apt-get install -y chromium): %v", p, err)
		}
		t.Skipf("%s not found (apt-get install -y chromium); skipping the browser test", p)
	}
	return p
}

// console collects what the page reports: console.error/assert calls, uncaught
// exceptions and error entries of the browser log (CSP violations, failed loads).
type console struct {
	mu   sync.Mutex
	errs []string
	all  []string
}

func (c *console) listen(ev any) {
	var msg string
	isErr := false
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			if a.Value != nil {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		msg = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
		isErr = ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = fmt.Sprintf("exception: %s at %s:%d", d.Text, d.URL, d.LineNumber)
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		isErr = true
	case *log.EventEntryAdded:
		msg = fmt.Sprintf("log %s/%s: %s %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL)
		isErr = ev.Entry.Level == log.EntryLevelError
	default:
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all = append(c.all, msg)
	if isErr {
		c.errs = append(c.errs, msg)
	}
}

func (c *console) check(t *testing.T, page string) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.all {
		t.Logf("%s console: %s", page, m)
	}
	for _, e := range c.errs {
		t.Errorf("%s: console error: %s", page, e)
	}
	c.errs, c.all = nil, nil
}

// chartsJS checks every chart container: it must hold a canvas of non-zero size with
// drawn (non-transparent) pixels. It returns one line per chart; "ok" lines only
// when the chart drew.
const chartsJS = `(() => {
  const out = [];
  document.querySelectorAll("[data-chart]").forEach(el => {
    const id = el.getAttribute("data-chart");
    const cs = el.querySelectorAll("canvas");
    if (!cs.length) { out.push(id + ": no canvas"); return; }
    let w = 0, h = 0, ink = 0;
    cs.forEach(c => {
      w = Math.max(w, c.width); h = Math.max(h, c.height);
      if (!c.width || !c.height) { return; }
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) { ink++; } }
    });
    const r = el.getBoundingClientRect();
    out.push((w > 0 && h > 0 && r.width > 0 && r.height > 0 && ink > 2000 ? "ok " : "BLANK ") + id + " " + w + "x" + h + " ink=" + ink);
  });
  return out;
})()`

// waitCharts waits until every [data-chart] container drew (or the deadline), then
// fails on any chart that did not.
func waitCharts(t *testing.T, ctx context.Context, want int) {
	t.Helper()
	var lines []string
	deadline := time.Now().Add(20 * time.Second)
	for {
		var err error
		lines, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](chartsJS))
		if err != nil {
			t.Fatal(err)
		}
		ok := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "ok ") {
				ok++
			}
		}
		if ok == len(lines) && len(lines) >= want || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(lines) < want {
		t.Errorf("%d charts on the page, want at least %d", len(lines), want)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "ok ") {
			t.Errorf("chart did not draw: %s", l)
		} else {
			t.Log(l)
		}
	}
}

func screenshot(t *testing.T, ctx context.Context, dir, name string, a chromedp.Action[[]byte]) {
	t.Helper()
	b, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d KB)", p, len(b)/1024)
}

// TestBrowser opens the real report file and the real dashboard in headless chromium:
// every chart draws (a canvas of non-zero size with ink), the risk form round-trips
// through the API (GET and a CSV upload), nothing is written to the console as an
// error, and each report section and dashboard panel is captured as a PNG
// (RATECYCLE_SCREENSHOTS, else a temporary directory).
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	execPath := chromiumPath(t)
	shots := os.Getenv("RATECYCLE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()

	// The report, written by the real report code to a file.
	cat := catalog.New(nil)
	doc, err := engine.Report(context.Background(), cat, engine.ReportOptions{Built: "built by the browser test"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	reportPath := filepath.Join(dir, "report.html")
	f, err := os.Create(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.WriteHTML(f, doc); err != nil {
		t.Fatal(err)
	}
	f.Close()

	// The dashboard, served by the real handler.
	ts := httptest.NewServer(server(t))
	defer ts.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(filepath.Join(dir, "chromium")),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	var con console
	if err := chromedp.Listen(bctx, con.listen); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(bctx, 50*time.Second)
	defer cancel()

	t.Run("report", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate("file://"+reportPath)); err != nil {
			t.Fatal(err)
		}
		nCharts := 0
		for _, s := range doc.Sections {
			nCharts += len(s.Charts)
		}
		drawn, err := chromedp.Run(ctx, chromedp.Poll[string](`document.documentElement.getAttribute("data-charts-drawn")`,
			chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil {
			t.Fatalf("report never set data-charts-drawn: %v", err)
		}
		if drawn != fmt.Sprint(nCharts) {
			t.Errorf("data-charts-drawn=%s, want %d", drawn, nCharts)
		}
		waitCharts(t, ctx, nCharts)
		ids := []string{}
		for _, s := range doc.Sections {
			ids = append(ids, s.ID)
		}
		ids = append(ids, "appendix")
		for _, id := range ids {
			screenshot(t, ctx, shots, "report-"+id, chromedp.Screenshot(chromedp.ID(id)))
		}
		con.check(t, "report")
	})

	t.Run("dashboard", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[string](`document.documentElement.getAttribute("data-ready")`,
			chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("dashboard never became ready: %v", err)
		}
		waitCharts(t, ctx, dashboardCharts)
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#cycles-table tbody tr").length`))
		if err != nil || rows < 30 {
			t.Errorf("cycles table has %d rows (%v), want every cycle since 1954", rows, err)
		}

		// The risk form round-trips through the API: new series, submit, a table
		// with a column per series and a row per metric.
		err = chromedp.Do(ctx,
			fill("risk-form", map[string]string{"series": "price/IWM,price/QQQ", "benchmark": "price/SPY", "from": "2018-01-01", "to": "2024-12-31"}),
			chromedp.Click(chromedp.CSS(`#risk-form button`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		head, err := chromedp.Run(ctx, chromedp.Poll[string](
			`(() => { const h = [...document.querySelectorAll("#risk-table thead th")].map(e => e.textContent).join("|");
			          return h.includes("price/QQQ") && document.querySelectorAll("#risk-table tbody tr").length > 20 ? h : null; })()`,
			chromedp.WithPollingTimeout(15*time.Second)))
		if err != nil {
			t.Fatalf("risk table never showed price/QQQ: %v", err)
		}
		if head != "metric|price/IWM|price/QQQ" {
			t.Errorf("risk columns %q", head)
		}
		beta, err := chromedp.Run(ctx, chromedp.Evaluate[string](
			`[...document.querySelectorAll("#risk-table tbody tr")].find(r => r.cells[0].textContent === "beta").cells[2].textContent`))
		if err != nil || beta == "" || !strings.HasPrefix(beta, "1.") {
			t.Errorf("QQQ beta against SPY %q (%v), want a number near 1.1", beta, err)
		}

		// The same form with a CSV upload (multipart POST).
		csv := filepath.Join(dir, "fund.csv")
		os.WriteFile(csv, []byte("date,fund,bench\n2024-01-31,0.02,0.01\n2024-02-29,-0.01,-0.02\n2024-03-31,0.03,0.02\n2024-04-30,0.01,0.015\n2024-05-31,-0.02,-0.01\n"), 0o644)
		err = chromedp.Do(ctx,
			fill("risk-form", map[string]string{"series": "", "benchmark": "bench", "from": "", "to": ""}),
			chromedp.SetUploadFiles(chromedp.CSS(`#risk-form input[name=returns]`), []string{csv}),
			chromedp.Click(chromedp.CSS(`#risk-form button`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[string](
			`(() => { const h = [...document.querySelectorAll("#risk-table thead th")].map(e => e.textContent).join("|"); return h === "metric|fund" ? h : null; })()`,
			chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Errorf("uploaded returns never showed in the risk table: %v", err)
		}
		// Back to catalog series for the screenshot.
		chromedp.Do(ctx, fill("risk-form", map[string]string{"returns": "", "series": "price/IWM,price/SPY", "benchmark": "price/SPY", "from": "2015-01-01"}),
			chromedp.Click(chromedp.CSS(`#risk-form button`)))
		chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#risk-table thead th:nth-child(2)").textContent === "price/IWM"`,
			chromedp.WithPollingTimeout(10*time.Second)))

		browserForms(t, ctx)
		browserPlanForms(t, ctx)
		waitCharts(t, ctx, dashboardCharts+1) // the backtest of both runs draws four

		screenshot(t, ctx, shots, "dashboard", chromedp.FullScreenshot(100))
		for _, id := range panelIDs(t, ctx) {
			screenshot(t, ctx, shots, "dashboard-"+id, chromedp.Screenshot(chromedp.ID(id)))
		}
		con.check(t, "dashboard")

		// Dark mode: the charts are drawn with ECharts' dark theme and the page's dark
		// colours; a screenshot to read it.
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[string](`document.documentElement.getAttribute("data-ready")`,
			chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatal(err)
		}
		waitCharts(t, ctx, dashboardCharts)
		bg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
		if bg != "rgb(18, 22, 28)" {
			t.Errorf("dark mode background %q", bg)
		}
		screenshot(t, ctx, shots, "dashboard-dark", chromedp.FullScreenshot(100))
		con.check(t, "dashboard (dark)")
	})
	t.Logf("browser test took %s", time.Since(start).Round(time.Millisecond))
}

// dashboardCharts is how many charts the dashboard draws on load: policy, series,
// study, valuation gap and CAPE, concentration sectors, sector scores, backtest growth
// and relative wealth (the French run), hedge payoff.
const dashboardCharts = 10

// fill sets form fields by name (an empty value clears a file input too).
func fill(formID string, fields map[string]string) chromedp.Action[chromedp.Void] {
	b, _ := json.Marshal(fields)
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
  const f = document.getElementById(%q), v = %s;
  for (const k in v) { f.elements[k].value = v[k]; }
})()`, formID, b))
}

// panelIDs lists the dashboard's panels.
func panelIDs(t *testing.T, ctx context.Context) []string {
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("section.panel")].map(s => s.id)`))
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// browserForms round-trips the analysis panels through their forms: an event study
// with other windows and events, and a rebalance with uploaded holdings and policy.
func browserForms(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(ctx,
		fill("study-form", map[string]string{"series": "french/F-F_Research_Data_Factors/SMB", "vs": "", "events": "first-cut", "windows": "0:3m,0:12m"}),
		chromedp.Click(chromedp.CSS(`#study-form button`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	caption, err := chromedp.Run(ctx, chromedp.Poll[string](
		`(() => { const c = document.querySelector("#study-table caption"), n = document.querySelectorAll("#study-table tbody tr").length;
		          return c && c.textContent.includes("first-cut") && n === 2 ? c.textContent : null; })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("study table never showed the first-cut study: %v", err)
	}
	if !strings.Contains(caption, "french/F-F_Research_Data_Factors/SMB") || !strings.Contains(caption, "monthly") {
		t.Errorf("study caption %q", caption)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#study-table tbody tr").cells[1].textContent`))
	if err != nil || n == "" || n == "0" {
		t.Errorf("study n %q (%v)", n, err)
	}

	// The check panel checked the example claims on load: a verdict per claim.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("#check-table tbody tr").length > 0 &&
		[...document.querySelectorAll("#check-table tbody tr")].every(r => r.cells[2].textContent !== "")`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Errorf("check table never showed verdicts: %v", err)
	}

	// Rebalance with the example files uploaded under other names and a given regime.
	dir := t.TempDir()
	hold, pol := filepath.Join(dir, "my-book.csv"), filepath.Join(dir, "my-policy.yaml")
	for src, dst := range map[string]string{"../examples/holdings.csv": hold, "../examples/policy.yaml": pol} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(dst, b, 0o644)
	}
	err = chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS(`#rebalance-form input[name=holdings]`), []string{hold}),
		chromedp.SetUploadFiles(chromedp.CSS(`#rebalance-form input[name=policy]`), []string{pol}),
		fill("rebalance-form", map[string]string{"regime": "tightening"}),
		chromedp.Click(chromedp.CSS(`#rebalance-form button`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	caption, err = chromedp.Run(ctx, chromedp.Poll[string](
		`(() => { const c = document.querySelector("#rebalance-table caption"); return c && c.textContent.includes("my-book.csv") ? c.textContent : null; })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("rebalance table never showed the uploaded book: %v", err)
	}
	if !strings.Contains(caption, "my-policy.yaml") {
		t.Errorf("rebalance caption %q", caption)
	}
	regime, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#rebalance-metrics .metric .v").textContent`))
	if regime != "tightening" {
		t.Errorf("rebalance regime %q, want the one given", regime)
	}
}

// browserPlanForms round-trips the lens and plan panels: the backtest of both runs of
// the example with another tilt (charts per run, a risk table per run), a collar quote
// with a given volatility (two legs, the payoff chart redrawn), and the sector ETFs.
func browserPlanForms(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(ctx,
		fill("backtest-form", map[string]string{"run": "french,etf", "tilt": "0.3", "from": "2005-01-01"}),
		chromedp.Click(chromedp.CSS(`#backtest-form button`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	captions, err := chromedp.Run(ctx, chromedp.Poll[[]string](
		`(() => { const c = [...document.querySelectorAll("#backtest-table caption")].map(e => e.textContent);
		          return c.some(x => x.startsWith("Run etf")) && document.querySelector('[data-chart="backtest-growth-etf"] canvas') ? c : null; })()`,
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("backtest never showed the etf run: %v", err)
	}
	if len(captions) != 4 || !strings.HasPrefix(captions[0], "Run french") || !strings.Contains(captions[0], "tilt 0.3") || !strings.Contains(captions[0], "2005-") {
		t.Errorf("backtest captions %q", captions)
	}
	rows, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("#backtest-table > div:first-child tbody tr td:first-child")].map(e => e.textContent)`))
	if strings.Join(rows, "|") != "rotation|static (benchmark)|market (benchmark)" {
		t.Errorf("backtest risk table rows %q", rows)
	}

	err = chromedp.Do(ctx,
		fill("hedge-form", map[string]string{"strategy": "collar", "put": "0.9", "call": "1.15", "vol": "0.25", "expiry_days": "182", "portfolio_value": "500000", "beta": "1.1"}),
		chromedp.Click(chromedp.CSS(`#hedge-form button`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	legs, err := chromedp.Run(ctx, chromedp.Poll[string](
		`(() => { const r = [...document.querySelectorAll("#hedge-legs tbody tr")].map(e => e.cells[0].textContent).join("|");
		          return r.includes("short call") ? r : null; })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("hedge legs never showed the collar: %v", err)
	}
	if legs != "long put|short call" {
		t.Errorf("collar legs %q", legs)
	}
	tiles, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#hedge-metrics").textContent`))
	if !strings.Contains(tiles, "500,000.00") || !strings.Contains(tiles, "25.0%") || !strings.Contains(tiles, "beta 1.10") {
		t.Errorf("hedge tiles do not show the value, volatility and beta given: %q", tiles)
	}
	caption, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#chart-hedge").previousElementSibling.textContent`))
	if !strings.Contains(caption, "collar 90%/115%") {
		t.Errorf("payoff chart caption %q", caption)
	}

	err = chromedp.Do(ctx,
		fill("sectors-form", map[string]string{"universe": "etf"}),
		chromedp.Click(chromedp.CSS(`#sectors-form button`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`document.querySelector("#sectors-table caption").textContent.startsWith("Ranking of etf against SPY") &&
		 document.querySelectorAll("#sectors-table tbody tr").length === 15`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Errorf("sectors never ranked the 15 ETFs: %v", err)
	}
}
