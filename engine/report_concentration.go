package engine

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/ratecycle/ratecycle/concentration"
	"github.com/ratecycle/ratecycle/report"
)

func init() { RegisterSection(4, "concentration", concentrationSection) }

// The snapshots the report measures: the fund an S&P 500 holder owns, and the index's
// constituents with market caps as a second, later view.
const (
	reportFundID         = "holdings/IVV"
	reportConstituentsID = "constituents/sp500-financials"
)

// concentrationSection: how much of an S&P 500 holding sits in a few names: top-7 and
// mag7 shares, HHI and effective N, sector weights, for the IVV holdings and the
// constituents' market caps side by side.
func concentrationSection(ctx context.Context, rc *ReportContext) (*report.Section, error) {
	opt := ConcentrationOptions{TopN: 7}
	rc.Use(reportFundID, "fund holdings snapshot (equity, cash and futures lines)")
	rc.Use(reportConstituentsID, "constituents with market caps (34 of 503 caps missing)")
	rc.Use("holdings/IWM", "fund holdings snapshot (for the effective N of the Russell 2000)")
	fund, err := ConcentrationSnapshot(ctx, rc.Cat, reportFundID, opt)
	if err != nil {
		return nil, err
	}
	idx, err := ConcentrationSnapshot(ctx, rc.Cat, reportConstituentsID, opt)
	if err != nil {
		return nil, err
	}
	res := Concentration(fund, idx, opt)
	a, b := res.A, res.B
	ga, _ := a.Group("mag7")
	gb, _ := b.Group("mag7")
	it := func(r *concentration.Result) float64 {
		for _, s := range r.Sectors {
			if s.Sector == "Information Technology" {
				return s.Weight
			}
		}
		return 0
	}
	sec := &report.Section{ID: "concentration", Title: "4. Concentration of the S&P 500"}
	sec.Lead = fmt.Sprintf("An S&P 500 index holder has %.1f%% in seven companies (the mag7, IVV holdings of %s) and %.1f%% in the seven largest lines; the effective number of holdings is %.0f, not %d.",
		100*ga.Share, fund.AsOf, 100*a.TopShare, a.EffectiveN, a.Holdings)
	sec.Metrics = []report.Metric{
		{Label: "mag7 share (IVV)", Value: fmt.Sprintf("%.1f%%", 100*ga.Share), Note: fmt.Sprintf("of equities, %s; %.1f%% of the fund", fund.AsOf, 100*ga.FundShare)},
		{Label: "Top-7 lines (IVV)", Value: fmt.Sprintf("%.1f%%", 100*a.TopShare), Note: "GOOGL and GOOG are two lines"},
		{Label: "HHI (IVV)", Value: fmt.Sprintf("%.4f", a.HHI), Note: "sum of squared equity weights"},
		{Label: "Effective N (IVV)", Value: fmt.Sprintf("%.0f", a.EffectiveN), Note: fmt.Sprintf("1/HHI, of %d lines", a.Holdings)},
		{Label: "mag7 share (constituents)", Value: fmt.Sprintf("%.1f%%", 100*gb.Share), Note: fmt.Sprintf("Yahoo market caps, %d of %d lines covered; effective N %.0f", b.Holdings, idx.Lines, b.EffectiveN)},
		{Label: "Information Technology", Value: fmt.Sprintf("%.1f%%", 100*it(a)), Note: fmt.Sprintf("IVV; %.1f%% in the constituents' caps", 100*it(b))},
	}
	sec.Paragraphs = []string{
		fmt.Sprintf("The commentary says the MAG7 account for 35.4%% of the S&P 500. In the embedded IVV holdings of %s they are %.1f%% of the equities (%.1f%% of the fund, which also holds %.2f%% in cash, money-market, collateral and futures lines, kept apart below). The datahub constituents with Yahoo market caps, a later and undated snapshot, give %.1f%% with Alphabet's company-wide cap counted once (%.1f%% if it is counted on both share classes, as the raw file does). The claim sits between the two snapshots: concentration moves with prices, and %.1f points separate them.",
			fund.AsOf, 100*ga.Share, 100*ga.FundShare, 100*a.OtherShare, 100*gb.Share, 100*keepClassesMag7(ctx, rc), 100*(gb.Share-ga.Share)),
		fmt.Sprintf("For an index holder this means a cap-weighted S&P 500 position behaves like a portfolio of about %.0f equal-weighted stocks, and %.0f%% of it moves with seven companies. A rotation into small caps is also a rotation out of that concentration: the Russell 2000 (IWM) has an effective N of %.0f.",
			a.EffectiveN, 100*ga.Share, iwmEffectiveN(ctx, rc)),
	}
	sc := report.Chart{ID: "sector-weights", Title: "S&P 500 sector weights: IVV holdings vs constituents' market caps", Kind: "bar", YLabel: "weight", YPct: true, Height: 360}
	cmp := res.Compare
	var ya, yb []float64
	for _, s := range cmp.Sectors {
		sc.X = append(sc.X, shortSector(s.Name))
		ya = append(ya, s.A)
		yb = append(yb, s.B)
	}
	sc.Series = []report.ChartSeries{
		{Name: "IVV " + fund.AsOf.String(), Type: "bar", Y: ya},
		{Name: "constituents (Yahoo caps)", Type: "bar", Y: yb},
	}
	sec.Charts = []report.Chart{sc}
	top := report.Table{Title: "Largest lines", Columns: []string{"ticker", "name", "IVV " + fund.AsOf.String(), "constituents", "change (pp)"}}
	for _, n := range cmp.Names {
		top.Rows = append(top.Rows, []string{n.Ticker, n.Name, pctCell(n.A), pctCell(n.B), fmt.Sprintf("%+.2f", 100*n.Diff)})
	}
	m := report.Table{Title: "Concentration measures", Columns: []string{"measure", "IVV " + fund.AsOf.String(), "constituents"}}
	m.Rows = [][]string{
		{"equity lines", fmt.Sprintf("%d of %d", a.Holdings, fund.Lines), fmt.Sprintf("%d of %d", b.Holdings, idx.Lines)},
		{"top-7 share", pctCell(a.TopShare), pctCell(b.TopShare)},
		{"mag7 share", pctCell(ga.Share), pctCell(gb.Share)},
		{"HHI", fmt.Sprintf("%.5f", a.HHI), fmt.Sprintf("%.5f", b.HHI)},
		{"effective N (1/HHI)", fmt.Sprintf("%.1f", a.EffectiveN), fmt.Sprintf("%.1f", b.EffectiveN)},
		{"weights from", fund.Basis + " (renormalised over equities)", idx.Basis},
	}
	other := report.Table{Title: fmt.Sprintf("IVV lines that are not stocks (%.2f%% of the fund; not in the equity weights)", 100*a.OtherShare),
		Columns: []string{"ticker", "name", "asset class", "market value ($)", "share of fund", "notional ($)"}}
	for _, h := range fund.Other {
		other.Rows = append(other.Rows, []string{h.Ticker, h.Name, h.AssetClass, fmt.Sprintf("%.0f", h.Value), fmt.Sprintf("%.3f%%", 100*h.FundWeight), fmt.Sprintf("%.0f", h.Notional)})
	}
	sec.Tables = []report.Table{m, top, other}
	sec.Notes = append([]string{
		"HHI = sum of squared weights of the equity lines; effective N = 1/HHI. Concentration is by line, as in the index: GOOGL and GOOG are two lines in IVV; in the constituents file each Alphabet, Fox and News Corp class line carries the company-wide cap, so the company is one line there.",
		fmt.Sprintf("mag7 = %s.", strings.Join(concentration.Mag7.Tickers, ", ")),
	}, append(fund.Notes, idx.Notes...)...)
	rc.Summarize(fmt.Sprintf("Concentration: an S&P 500 holder has %.1f%% in the mag7 (IVV, %s; %.1f%% in the later constituents' caps) against the 35.4%% claimed; the effective number of holdings is %.0f.",
		100*ga.Share, fund.AsOf, 100*gb.Share, a.EffectiveN))
	return sec, nil
}

func pctCell(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*v)
}

// keepClassesMag7 is the constituents' mag7 share with every share class as the file
// gives it; NaN when it cannot be computed.
func keepClassesMag7(ctx context.Context, rc *ReportContext) float64 {
	opt := ConcentrationOptions{KeepShareClasses: true}
	s, err := ConcentrationSnapshot(ctx, rc.Cat, reportConstituentsID, opt)
	if err != nil {
		return math.NaN()
	}
	g, _ := Concentration(s, nil, opt).A.Group("mag7")
	return g.Share
}

func iwmEffectiveN(ctx context.Context, rc *ReportContext) float64 {
	s, err := ConcentrationSnapshot(ctx, rc.Cat, "holdings/IWM", ConcentrationOptions{})
	if err != nil {
		return math.NaN()
	}
	return Concentration(s, nil, ConcentrationOptions{}).A.EffectiveN
}

// shortSector abbreviates GICS sector names so eleven fit under a bar chart.
func shortSector(s string) string {
	switch s {
	case "Information Technology":
		return "Info Tech"
	case "Consumer Discretionary":
		return "Cons Discr"
	case "Consumer Staples":
		return "Cons Staples"
	case "Communication Services":
		return "Comm Svcs"
	}
	return s
}
