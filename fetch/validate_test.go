package fetch

import (
	"archive/zip"
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/snapshot"
	"github.com/ratecycle/ratecycle/source/fred"
)

func daily(kind series.Kind, from string, vals ...float64) *series.Series {
	d := series.MustDate(from)
	s := &series.Series{Kind: kind, Freq: series.Daily}
	for i, v := range vals {
		s.Dates = append(s.Dates, d.AddDays(i))
		s.Values = append(s.Values, v)
	}
	return s
}

func ramp(n int, f func(i int) float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = f(i)
	}
	return v
}

func TestValidate(t *testing.T) {
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	nan := math.NaN()
	rate := func(i int) float64 { return 4 + 0.01*float64(i%7) }
	price := func(i int) float64 { return 100 * math.Exp(0.001*float64(i)+0.01*math.Sin(float64(i))) }
	prev := daily(series.KindRate, "2026-01-01", ramp(100, rate)...)
	prevPrice := daily(series.KindPrice, "2026-01-01", ramp(100, price)...)
	cases := []struct {
		name       string
		prev, next *series.Series
		want       string // "" = valid
	}{
		{"first vintage", nil, daily(series.KindRate, "2026-01-01", 1, 2), ""},
		{"empty", nil, &series.Series{}, "no observations"},
		{"all missing", nil, daily(series.KindRate, "2026-01-01", nan, nan), "all 2 observations are missing"},
		{"dates going back", nil, &series.Series{Dates: []series.Date{series.MustDate("2026-01-02"), series.MustDate("2026-01-01")}, Values: []float64{1, 2}},
			"dates do not increase at 2026-01-01 after 2026-01-02"},
		{"future", nil, daily(series.KindRate, "2026-11-20", ramp(10, rate)...), "last observation 2026-11-29 is in the future (today is 2026-11-20)"},
		{"same", prev, prev, ""},
		{"one more", prev, daily(series.KindRate, "2026-01-01", ramp(101, rate)...), ""},
		{"five fewer at the start", prev, daily(series.KindRate, "2026-01-06", ramp(100, func(i int) float64 { return rate(i + 5) })[:95]...), ""},
		{"ends a week earlier", prev, daily(series.KindRate, "2026-01-01", ramp(93, rate)...), "7 fewer than the current vintage's 100"},
		{"ends more than a week earlier", prev, daily(series.KindRate, "2026-01-01", ramp(92, rate)...), "ends 2026-04-02, before the current vintage's 2026-04-10"},
		{"shorter history", prev, daily(series.KindRate, "2026-01-11", ramp(90, func(i int) float64 { return rate(i + 10) })...),
			"90 observations (2026-01-11..2026-04-10), 10 fewer than the current vintage's 100"},
		{"three revisions", prev, daily(series.KindRate, "2026-01-01", ramp(100, func(i int) float64 {
			if i < 3 {
				return rate(i) + 1
			}
			return rate(i)
		})...), ""},
		{"another series", prev, daily(series.KindRate, "2026-01-01", ramp(100, func(i int) float64 { return 2 * rate(i) })...),
			"disagrees with the current vintage on 100 of 100 overlapping observations (first at 2026-01-01: 8 now, 4 before)"},
		{"missing values are not disagreements", prev, daily(series.KindRate, "2026-01-01", ramp(100, func(i int) float64 {
			if i%2 == 0 {
				return nan
			}
			return rate(i)
		})...), ""},
		{"price rebased by dividends", prevPrice, daily(series.KindPrice, "2026-01-01", ramp(100, func(i int) float64 { return 0.97 * price(i) })...), ""},
		{"price with a few ex-dividend days", prevPrice, daily(series.KindPrice, "2026-01-01", ramp(100, func(i int) float64 {
			if i >= 30 {
				return price(i) * 0.995
			}
			return price(i)
		})...), ""},
		{"a different price", prevPrice, daily(series.KindPrice, "2026-01-01", ramp(100, func(i int) float64 { return 100 * math.Exp(0.03*math.Cos(float64(i))) })...),
			"disagrees with the current vintage"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Validate(c.prev, c.next, now)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// TestValidateRealRevisions: the embedded DGS10 (pandas re-saved) against the
// carpet155 extract of the same series (holiday rows dropped) agree; DGS10 against
// DGS2 does not.
func TestValidateRealRevisions(t *testing.T) {
	load := func(p string) *series.Series {
		b, err := snapshot.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s, err := fred.Parse(bytes.NewReader(b), p)
		if err != nil {
			t.Fatal(err)
		}
		s.Kind = series.KindRate
		return s
	}
	a := load("fred-bendsbeforethebreak/DGS10.csv")
	b := load("carpet155-macro-regime/DGS10.csv")
	n, bad, _ := compareOverlap(a, b)
	if n < 6000 || bad != 0 {
		t.Fatalf("DGS10 vs DGS10: %d of %d disagree", bad, n)
	}
	n, bad, _ = compareOverlap(a, load("fred-bendsbeforethebreak/DGS2.csv"))
	if bad < n/2 {
		t.Fatalf("DGS10 vs DGS2: only %d of %d disagree", bad, n)
	}
}

func TestSplice(t *testing.T) {
	cur := daily(series.KindPrice, "2026-01-01", 10, 11, 12, 13)
	cur.Prov.Vintage = "7"
	next := daily(series.KindPrice, "2026-01-03", 24, 26, 28)
	got, note := splice(cur, next)
	want := []float64{20, 22, 24, 26, 28}
	if got.Len() != 5 || got.First().String() != "2026-01-01" {
		t.Fatal(got.Dates)
	}
	for i := range want {
		if math.Abs(got.Values[i]-want[i]) > 1e-12 {
			t.Fatalf("%v", got.Values)
		}
	}
	if !strings.Contains(note, "earlier ones kept from vintage 7") || !strings.Contains(note, "rescaled by 2.000000") {
		t.Fatal(note)
	}
	rates := daily(series.KindRate, "2026-01-01", 1, 2, 3)
	got, _ = splice(rates, daily(series.KindRate, "2026-01-03", 5, 6))
	if got.Len() != 4 || got.Values[1] != 2 || got.Values[2] != 5 {
		t.Fatal(got.Values)
	}
}

func TestParseFREDJSON(t *testing.T) {
	js := `{"realtime_start":"2026-11-20","realtime_end":"2026-11-20","observation_start":"1600-01-01","units":"lin","count":3,
	"observations":[{"realtime_start":"2026-11-20","realtime_end":"2026-11-20","date":"2024-01-01","value":"5.33"},
	{"realtime_start":"2026-11-20","realtime_end":"2026-11-20","date":"2024-01-02","value":"."},
	{"realtime_start":"2026-11-20","realtime_end":"2026-11-20","date":"2024-01-03","value":"5.33"}]}`
	s, err := ParseFREDJSON(strings.NewReader(js), "fred/DFF.json")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 3 || s.Values[0] != 5.33 || !math.IsNaN(s.Values[1]) || s.Freq != series.Daily {
		t.Fatalf("%v %v", s.Values, s.Freq)
	}
	for in, want := range map[string]string{
		`{"error_code":400,"error_message":"Bad Request.  The value for variable api_key is not registered."}`: "FRED says 400: Bad Request.",
		`{"observations":[{"date":"2024-01-02","value":"1"},{"date":"2024-01-01","value":"2"}]}`:               "observations[1].date: 2024-01-01 does not follow 2024-01-02",
		`{"observations":[{"date":"2024-01-01","value":"1,5"}]}`:                                               `observations[0].value: "1,5" is not a number`,
		`{"observations":[{"date":"2024-13-01","value":"1"}]}`:                                                 "observations[0].date",
		`{"count":0}`: "observations: missing",
		`<html>`:      "not a FRED API answer",
	} {
		if _, err := ParseFREDJSON(strings.NewReader(in), "x.json"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
}

func FuzzParseFREDJSON(f *testing.F) {
	f.Add([]byte(`{"observations":[{"date":"1954-07-01","value":"1.13"},{"date":"1954-07-02","value":"."}]}`))
	f.Add([]byte(`{"error_code":400,"error_message":"Bad Request."}`))
	// A real series in the API's layout: the embedded DFEDTARL rows.
	b, err := snapshot.ReadFile("fred-hussam-2024/DFEDTARL.csv")
	if err != nil {
		f.Fatal(err)
	}
	var js strings.Builder
	js.WriteString(`{"observations":[`)
	for i, l := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:200] {
		d, v, _ := strings.Cut(strings.TrimSpace(l), ",")
		if i > 0 {
			js.WriteByte(',')
		}
		js.WriteString(`{"realtime_start":"2026-11-20","realtime_end":"2026-11-20","date":"` + d + `","value":"` + v + `"}`)
	}
	js.WriteString(`]}`)
	f.Add([]byte(js.String()))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseFREDJSON(bytes.NewReader(b), "fuzz.json")
		if err != nil {
			return
		}
		if len(s.Dates) != len(s.Values) {
			t.Fatal("length mismatch")
		}
		for i := 1; i < len(s.Dates); i++ {
			if s.Dates[i] <= s.Dates[i-1] {
				t.Fatal("dates not increasing")
			}
		}
	})
}

func TestUnzipMember(t *testing.T) {
	z := zipOf(t, map[string]string{"F-F_Research_Data_Factors.CSV": "data", "readme.txt": "hi"})
	name, b, err := UnzipMember(z, "F-F_Research_Data_Factors_CSV.zip", "F-F_Research_Data_Factors.csv")
	if err != nil || name != "F-F_Research_Data_Factors.CSV" || string(b) != "data" {
		t.Fatal(name, err)
	}
	_, _, err = UnzipMember(z, "x_CSV.zip", "x.csv")
	if !errors.Is(err, ErrContent) || !strings.Contains(err.Error(), "x_CSV.zip has no member x.csv (found: ") {
		t.Fatal(err)
	}
	_, _, err = UnzipMember(z[:len(z)-30], "x_CSV.zip", "x.csv")
	if !errors.Is(err, ErrContent) || !strings.Contains(err.Error(), "is not a readable zip") {
		t.Fatal(err)
	}
}

func TestConfig(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	cfg, err := LoadConfig(home, getenv)
	if err != nil || cfg.URLs != DefaultURLs || cfg.File != "" || cfg.HTTP.Attempts != 4 {
		t.Fatal(cfg, err)
	}
	yaml := `# ratecycle settings
sec_user_agent: "Jane Doe jane@example.com"
urls:
  fred: https://fred-mirror.example.com/base/
  stooq: http://localhost:8080
http:
  timeout: 20s
  attempts: 6
  sec_rate: 25
ishares_products:
  IJR: "239774"
`
	if err := os.WriteFile(filepath.Join(home, "config.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	env["RATECYCLE_STOOQ_URL"] = "https://stooq.example.org"
	env["FRED_API_KEY"] = "k"
	env["RATECYCLE_HTTP_ATTEMPTS"] = "2"
	cfg, err = LoadConfig(home, getenv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.File != filepath.Join(home, "config.yaml") || cfg.URLs.FRED != "https://fred-mirror.example.com/base/" ||
		cfg.URLs.Stooq != "https://stooq.example.org" || cfg.URLs.Yahoo != DefaultURLs.Yahoo || cfg.HTTP.Timeout != 20*time.Second ||
		cfg.HTTP.Attempts != 2 || cfg.HTTP.SECRate != 10 || cfg.FREDAPIKey != "k" || cfg.IShares["IJR"] != "239774" ||
		cfg.CheckSECUserAgent() != nil {
		t.Fatalf("%+v", cfg)
	}
	if got := join(cfg.URLs.FRED, "/graph/fredgraph.csv?id=DFF"); got != "https://fred-mirror.example.com/base/graph/fredgraph.csv?id=DFF" {
		t.Fatal(got)
	}
	for content, want := range map[string]string{
		"urls:\n  fredd: x\n":          "field fredd not found",
		"http:\n  timeout: soon\n":     "config " + filepath.Join(home, "config.yaml"),
		"urls:\n  french: mirror\n":    `french base URL "mirror"`,
		"sec_user_agent: [1, 2]\n":     "cannot unmarshal",
		"\n":                           "",
		"http:\n  attempts: 3\n":       "",
		"ishares_products: {IJR: 1}\n": "",
	} {
		os.WriteFile(filepath.Join(home, "config.yaml"), []byte(content), 0o644)
		_, err := LoadConfig(home, getenv)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("%q: %v, want %q", content, err, want)
		}
	}
	env["RATECYCLE_CONFIG"] = filepath.Join(home, "missing.yaml")
	if _, err := LoadConfig(home, getenv); err == nil {
		t.Error("a missing RATECYCLE_CONFIG file is not an error")
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
