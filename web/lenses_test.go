package web

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/view"
)

// TestLenses checks the valuation, concentration, sectors and screen endpoints on the
// embedded data against the figures the CLI's testscripts pin (cmd/ratecycle/testdata/
// script/*.txtar), so the two shells cannot drift apart.
func TestLenses(t *testing.T) {
	t.Run("valuation", func(t *testing.T) {
		var v view.ValuationJSON
		r := get(t, "/api/v1/valuation")
		if err := json.Unmarshal(r.body, &v); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		h := v.Headline
		// valuation.txtar: 2x3 rolled as of 2024-10-31, discount 55.7%, the largest since 2000.
		if len(v.Gaps) != 4 || h.Pair != "2x3" || h.Method != "rolled" || h.AsOf.String() != "2024-10-31" ||
			!near(float64(h.Discount), 0.5568, 5e-5) || !h.LargestSince || v.Charts != nil {
			t.Errorf("valuation headline %+v (%d gaps, charts %d)", h, len(v.Gaps), len(v.Charts))
		}
		if v.CAPE.ID != "shiller/PE10" || !near(float64(v.CAPE.Value), 30.81, 0.005) || v.CAPE.AsOf.String() != "2023-09-01" {
			t.Errorf("CAPE %+v", v.CAPE)
		}
	})
	t.Run("valuation charts and options", func(t *testing.T) {
		r := get(t, "/api/v1/valuation?pair=5x5&method=published&since=2010-01-01&charts=true")
		var v struct {
			Since  string
			Gaps   []view.GapJSON
			Charts []struct {
				ID     string
				Kind   string
				X      []string
				Series []struct {
					Name string
					Y    []*float64
				}
			}
		}
		if err := json.Unmarshal(r.body, &v); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		if v.Since != "2010-01-01" || len(v.Gaps) != 1 || v.Gaps[0].Pair != "5x5" || v.Gaps[0].Method != "published" ||
			!near(float64(v.Gaps[0].Discount), 0.428, 5e-4) {
			t.Errorf("5x5 published: %+v", v.Gaps)
		}
		// The report's charts: the 2x3 relative P/B since 1926 and the CAPE.
		if len(v.Charts) != 2 || v.Charts[0].ID != "valuation-gap" || v.Charts[1].ID != "cape" || v.Charts[0].Kind != "time" ||
			len(v.Charts[0].X) < 1000 || v.Charts[0].X[0][:4] != "1926" || len(v.Charts[0].Series) != 5 {
			t.Fatalf("charts: %d", len(v.Charts))
		}
		for _, sr := range v.Charts[0].Series {
			if len(sr.Y) != len(v.Charts[0].X) {
				t.Errorf("series %q has %d values for %d dates", sr.Name, len(sr.Y), len(v.Charts[0].X))
			}
		}
	})
	t.Run("concentration", func(t *testing.T) {
		var c view.ConcentrationJSON
		r := get(t, "/api/v1/concentration")
		if err := json.Unmarshal(r.body, &c); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		s := c.Snapshots[0]
		// concentration.txtar: top-7 31.14% of the fund, effective N 49.6, mag7 32.86%.
		if s.Source != "holdings/IVV" || s.AsOf != "2024-12-06" || !near(float64(s.TopFundShare), 0.3114, 5e-5) ||
			!near(float64(s.EffectiveN), 49.6, 0.05) || c.Comparison != nil || len(s.Top) != 7 || len(s.Sectors) < 10 {
			t.Errorf("IVV: %s %s top %v effN %v", s.Source, s.AsOf, s.TopFundShare, s.EffectiveN)
		}
		mag7 := false
		for _, g := range s.Groups {
			mag7 = mag7 || g.Name == "mag7" && near(float64(g.Share), 0.3286, 5e-5)
		}
		if !mag7 {
			t.Errorf("mag7: %+v", s.Groups)
		}
		if !bytes.Contains(r.body, []byte(`"ticker":"ESZ4"`)) {
			t.Error("the futures line is not listed apart")
		}
	})
	t.Run("concentration compare", func(t *testing.T) {
		var c view.ConcentrationJSON
		r := get(t, "/api/v1/concentration?id=holdings/IVV&compare=constituents/sp500-financials&top=10")
		if err := json.Unmarshal(r.body, &c); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		// concentration.txtar: 469 of 503 constituents have a market cap.
		b := c.Snapshots[1]
		if len(c.Snapshots) != 2 || b.Holdings+len(b.Excluded) != b.Lines || b.Lines != 503 || c.Comparison == nil ||
			c.Comparison.B != "constituents/sp500-financials" || len(c.Comparison.Sectors) < 10 || c.Snapshots[0].TopN != 10 {
			t.Errorf("compare: %d snapshots, %d of %d", len(c.Snapshots), b.Holdings, b.Lines)
		}
		// An index has no fund weights: NaN inside, null in JSON.
		if !bytes.Contains(r.body, []byte(`"fund_weight":null`)) || bytes.Contains(r.body, []byte("NaN")) {
			t.Error("missing fund weights are not null")
		}
	})
	t.Run("concentration groups upload", func(t *testing.T) {
		body, ct := multipartBody(t, map[string]string{"id": "holdings/IWM"}, "groups", "g.yaml",
			"groups:\n  - name: banks\n    tickers: [KRE, XLF]\n")
		req := httptest.NewRequest("POST", "/api/v1/concentration", body)
		req.Header.Set("Content-Type", ct)
		r := do(t, server(t), req)
		if r.code != 200 || !bytes.Contains(r.body, []byte(`"name":"banks"`)) || !bytes.Contains(r.body, []byte(`"source":"holdings/IWM"`)) {
			t.Errorf("%d %.300s", r.code, r.body)
		}
		body, ct = multipartBody(t, nil, "groups", "g.yaml", "groups:\n  - name: x\n    tickers: [A]\n    colour: red\n")
		req = httptest.NewRequest("POST", "/api/v1/concentration", body)
		req.Header.Set("Content-Type", ct)
		if msg := errorOf(t, do(t, server(t), req), 400); !strings.Contains(msg, "g.yaml") || !strings.Contains(msg, "line 4") {
			t.Errorf("groups error %q", msg)
		}
	})
	t.Run("sectors", func(t *testing.T) {
		var rk struct {
			Universe string
			Rows     []struct {
				Rank  int
				Name  string
				Call  string
				Score float64
			}
			Notes []string
		}
		r := get(t, "/api/v1/sectors")
		if err := json.Unmarshal(r.body, &rk); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		// sectors.txtar: Shops first (1.14), Enrgy last (-1.54).
		n := len(rk.Rows)
		if rk.Universe != "french12" || n != 12 || rk.Rows[0].Name != "Shops" || !near(rk.Rows[0].Score, 1.14, 0.005) ||
			rk.Rows[n-1].Name != "Enrgy" || rk.Rows[n-1].Call != "underweight" || len(rk.Notes) == 0 {
			t.Errorf("sectors: %+v", rk.Rows)
		}
		r = get(t, "/api/v1/sectors?universe=etf&weights=first_cut=0.5,easing=0.2,rate_beta=0.3,momentum=0")
		if r.code != 200 || !bytes.Contains(r.body, []byte(`"universe":"etf"`)) || !bytes.Contains(r.body, []byte(`"momentum":0`)) {
			t.Errorf("etf: %d %.300s", r.code, r.body)
		}
	})
	t.Run("screen fsds", func(t *testing.T) {
		var sc struct {
			Universe string
			AsOf     string `json:"as_of"`
			Counts   map[string]int
			Shown    int `json:"rows_shown"`
			Result   struct {
				Rows     []any
				Excluded []any
			}
		}
		r := get(t, "/api/v1/screen?top=5")
		if err := json.Unmarshal(r.body, &sc); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		// FSDS 2010q2, point in time at the quarter's end: every filer of the quarter.
		c := sc.Counts
		if sc.AsOf != "2010-06-30" || !strings.Contains(sc.Universe, "FSDS 2010q2") || sc.Shown != 5 || len(sc.Result.Rows) != 5 ||
			c["screened"] != c["pass"]+c["fail"]+c["unknown"] || c["screened"] < 100 || c["excluded"] != len(sc.Result.Excluded) {
			t.Errorf("screen: %s %s %v shown %d", sc.Universe, sc.AsOf, c, sc.Shown)
		}
		if !bytes.Contains(r.body, []byte(`"fscore":{"signals":[`)) {
			t.Error("rows lack the Piotroski signals")
		}
	})
	t.Run("screen rules upload", func(t *testing.T) {
		body, ct := multipartBody(t, map[string]string{"top": "3", "universe": "holdings/IWM"}, "rules", "mine.yaml", "name: lenient\nmin_fscore: 2\n")
		req := httptest.NewRequest("POST", "/api/v1/screen", body)
		req.Header.Set("Content-Type", ct)
		r := do(t, server(t), req)
		if r.code != 200 || !bytes.Contains(r.body, []byte(`"name":"lenient"`)) || !bytes.Contains(r.body, []byte("holdings/IWM members")) {
			t.Errorf("%d %.400s", r.code, r.body)
		}
		body, ct = multipartBody(t, nil, "rules", "mine.yaml", "name: x\nmin_fscore: 2\nmax_vibes: 1\n")
		req = httptest.NewRequest("POST", "/api/v1/screen", body)
		req.Header.Set("Content-Type", ct)
		if msg := errorOf(t, do(t, server(t), req), 400); !strings.Contains(msg, "mine.yaml") || !strings.Contains(msg, "line 3") {
			t.Errorf("rules error %q", msg)
		}
	})
}

// TestPlans checks the backtest and hedge endpoints against the CLI's pinned figures.
func TestPlans(t *testing.T) {
	s := server(t)
	t.Run("backtest example", func(t *testing.T) {
		var bt struct {
			File string
			Runs []struct {
				Run        string
				To         string
				Periods    int
				Params     map[string]float64
				Charts     []any
				Portfolios []struct {
					Name      string
					Trades    int
					Risk      map[string]any
					TradeList []any `json:"trade_list"`
				}
			}
		}
		r := get(t, "/api/v1/backtest?run=french&trades=false")
		if err := json.Unmarshal(r.body, &bt); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		run := bt.Runs[0]
		// backtest.txtar: 1963-01-31 .. 2024-12-31, 744 months; rotation CAGR 11.78%.
		if bt.File != "examples/rotation.yaml" || len(bt.Runs) != 1 || run.Run != "french" || run.Periods != 744 || run.To != "2024-12-31" ||
			len(run.Portfolios) != 3 || run.Portfolios[0].Name != "rotation" || len(run.Portfolios[0].TradeList) != 0 || run.Charts != nil {
			t.Fatalf("backtest: %+v", run)
		}
		risk := run.Portfolios[0].Risk
		if !near(risk["annualized_return"], 0.1178, 5e-5) || run.Params["tilt"] != 0.5 || run.Portfolios[0].Trades == 0 {
			t.Errorf("rotation: cagr %v params %v", risk["annualized_return"], run.Params)
		}
	})
	t.Run("backtest etf charts and params", func(t *testing.T) {
		r := get(t, "/api/v1/backtest?run=etf&param=tilt=0.3&charts=true&from=2010-01-01")
		var bt struct {
			Runs []struct {
				From   string
				Params map[string]float64
				Charts []struct {
					ID     string
					X      []string
					Shades []any
				}
				Portfolios []struct {
					TradeList []any `json:"trade_list"`
				}
			}
		}
		if err := json.Unmarshal(r.body, &bt); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		run := bt.Runs[0]
		if len(bt.Runs) != 1 || run.Params["tilt"] != 0.3 || run.From < "2010-01-01" || len(run.Portfolios[0].TradeList) == 0 {
			t.Errorf("etf run: %+v", run.Params)
		}
		var ids []string
		for _, c := range run.Charts {
			ids = append(ids, c.ID)
		}
		if strings.Join(ids, " ") != "backtest-growth-etf backtest-relative-etf backtest-drawdown-etf" ||
			len(run.Charts[0].X) > 1000 || len(run.Charts[0].Shades) == 0 {
			t.Errorf("charts %v (%d points)", ids, len(run.Charts[0].X))
		}
	})
	t.Run("backtest upload", func(t *testing.T) {
		strategy, err := os.ReadFile("../examples/rotation.yaml")
		if err != nil {
			t.Fatal(err)
		}
		mine := strings.Replace(string(strategy), "tilt: 0.5 ", "tilt: 0.4 ", 1)
		body, ct := multipartBody(t, map[string]string{"run": "french", "trades": "false"}, "strategy", "mine.yaml", mine)
		req := httptest.NewRequest("POST", "/api/v1/backtest", body)
		req.Header.Set("Content-Type", ct)
		r := do(t, s, req)
		if r.code != 200 || !bytes.Contains(r.body, []byte(`"file":"mine.yaml"`)) || !bytes.Contains(r.body, []byte(`"tilt":0.4`)) {
			t.Errorf("%d %.300s", r.code, r.body)
		}
	})
	for _, tc := range []struct {
		name, file, content string
		status              int
		msg                 string
	}{
		{"unknown key", "bad.yaml", "name: x\nparams:\n  tilt: 0.5\nbogus: 1\n", 400, `parse bad.yaml line 4: unknown key "bogus"`},
		{"not yaml", "bad.yaml", "name: [\n", 400, "bad.yaml"},
		{"unknown id", "ids.yaml", strings.Replace(exampleYAML(t), "small: price/IWM", "small: price/NOPE", 1), 404, `"price/NOPE"`},
		{"traversal id", "ids.yaml", strings.Replace(exampleYAML(t), "small: price/IWM", "small: ../../etc/passwd", 1), 400, "not a dataset id"},
		{"too big", "big.yaml", "name: x\n" + strings.Repeat("# padding\n", MaxStrategyBytes/10+1), 413, "over the 262144-byte limit"},
	} {
		t.Run("backtest "+tc.name, func(t *testing.T) {
			body, ct := multipartBody(t, nil, "strategy", tc.file, tc.content)
			req := httptest.NewRequest("POST", "/api/v1/backtest", body)
			req.Header.Set("Content-Type", ct)
			if msg := errorOf(t, do(t, s, req), tc.status); !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q lacks %q", msg, tc.msg)
			}
		})
	}
	t.Run("hedge default", func(t *testing.T) {
		var h hedgeTestJSON
		r := get(t, "/api/v1/hedge")
		if err := json.Unmarshal(r.body, &h); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		if h.ID != "price/IWM" || !strings.HasPrefix(h.Strategy, "protective put") || h.ExpiryDays != 91 || h.Contracts < 1 ||
			len(h.Payoff) < 10 || len(h.Stress) == 0 || h.BetaDetail == nil || h.Market["spot"].Source != "price/IWM" || len(h.Legs) != 1 {
			t.Errorf("hedge: %+v", h)
		}
		// The hedged value at -30% is above the unhedged one by the payoff net of premium.
		p := h.Payoff[0]
		if !(p.Move < -0.29) || !near(p.Hedged, p.Unhedged+p.Payoff-h.Premium, 1e-6) || !(p.Hedged > p.Unhedged) {
			t.Errorf("payoff row %+v, premium %v", p, h.Premium)
		}
	})
	t.Run("hedge given", func(t *testing.T) {
		var h hedgeTestJSON
		r := get(t, "/api/v1/hedge?underlying=SPY&strategy=collar&put=0.9&call=1.1&expiry_days=182&vol=0.2&rate=0.04&dividend_yield=0.013&portfolio_value=1000000&beta=1.2&windows=covid-2020")
		if err := json.Unmarshal(r.body, &h); err != nil || r.code != 200 {
			t.Fatalf("%d %v %.300s", r.code, err, r.body)
		}
		if h.ID != "price/SPY" || len(h.Legs) != 2 || h.Value != 1e6 || h.Beta != 1.2 || h.BetaDetail != nil || h.Market["vol"].Value != 0.2 ||
			h.Market["rate"].Value != 0.04 || len(h.Stress) != 1 || h.Stress[0].Window != "covid-2020" {
			t.Errorf("collar: %+v", h)
		}
	})
	for _, tc := range []struct{ target, msg string }{
		{"/api/v1/backtest?run=nope", `has no run "nope"`},
		{"/api/v1/backtest?param=tilt", "want NAME=VALUE"},
		{"/api/v1/backtest?param=tilt=x", `"x" is not a number`},
		{"/api/v1/backtest?from=2024-01-01&to=2023-01-01", "before"},
		{"/api/v1/hedge?strategy=straddle", `strategy "straddle"`},
		{"/api/v1/hedge?strategy=put-spread&put=0.8&short_put=0.9", "must be below"},
		{"/api/v1/hedge?vol=fast", `vol "fast"`},
		{"/api/v1/hedge?vol_premium=0.05", "vol=realized only"},
		{"/api/v1/hedge?expiry_days=0", "expiry_days"},
		{"/api/v1/hedge?beta=-1", "positive"},
		{"/api/v1/hedge?underlying=../../etc/passwd", "not a dataset id"},
		{"/api/v1/hedge?windows=nope", "windows:"},
		{"/api/v1/valuation?pair=3x3", `pair "3x3"`},
		{"/api/v1/valuation?method=cheap", "method:"},
		{"/api/v1/valuation?since=2000-13-01", "since:"},
		{"/api/v1/concentration?id=fred/DFF", "holdings/ or constituents/"},
		{"/api/v1/concentration?compare=../x", "not a dataset id"},
		{"/api/v1/concentration?top=0", "top:"},
		{"/api/v1/sectors?universe=french5", "universe:"},
		{"/api/v1/sectors?weights=vibes=1", "weights:"},
		{"/api/v1/screen?fsds=2010q5", "fsds:"},
		{"/api/v1/screen?universe=everyone", `universe "everyone"`},
		{"/api/v1/screen?price=SNOW", "TICKER=VALUE"},
	} {
		t.Run(tc.target, func(t *testing.T) {
			if msg := errorOf(t, get(t, tc.target), 400); !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q lacks %q", msg, tc.msg)
			}
		})
	}
	for _, target := range []string{"/api/v1/hedge?underlying=NOPE", "/api/v1/concentration?id=holdings/NOPE", "/api/v1/screen?fsds=2011q1"} {
		if msg := errorOf(t, get(t, target), 404); !strings.Contains(msg, "not") {
			t.Errorf("%s: %q", target, msg)
		}
	}
}

// hedgeTestJSON reads the fields of a hedge quote the tests check.
type hedgeTestJSON struct {
	ID, Strategy         string
	ExpiryDays           int `json:"expiry_days"`
	Contracts            int
	Value, Beta, Premium float64
	BetaDetail           *struct{ Beta float64 } `json:"beta_detail"`
	Legs                 []any
	Market               map[string]struct {
		Value  float64
		Source string
	}
	Payoff []struct{ Move, Unhedged, Payoff, Hedged float64 }
	Stress []struct{ Window string }
}

func exampleYAML(t *testing.T) string {
	b, err := os.ReadFile("../examples/rotation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
