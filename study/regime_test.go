package study

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

// refFit is one fit of testdata/regimes_statsmodels.json (statsmodels 0.13.5, made by
// testdata/regimes_statsmodels.py from testdata/smb_regimes.csv).
type refFit struct {
	By         string      `json:"labels_by"`
	MaxLags    int         `json:"maxlags"`
	Regimes    []string    `json:"regimes"`
	N          []int       `json:"n_by_regime"`
	Params     []float64   `json:"params"`
	BSE        []float64   `json:"bse"`
	T          []float64   `json:"tvalues"`
	P          []float64   `json:"pvalues"`
	Cov        [][]float64 `json:"cov"`
	Difference []struct {
		A, B           string
		Diff, SE, T, P float64
	} `json:"differences"`
}

func loadRegimeCSV(t testing.TB) (dates []series.Date, r []float64, fed, rec []string) {
	f, err := os.Open("testdata/smb_regimes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		d, err := series.ParseDate(row[0])
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseFloat(row[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		dates, r, fed, rec = append(dates, d), append(r, v), append(fed, row[2]), append(rec, row[3])
	}
	return
}

func close8(a, b float64) bool {
	return math.Abs(a-b) <= 1e-8*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// TestRegimesStatsmodels checks every regime mean, SE, t, p and every pairwise difference
// of the real SMB-by-Fed-regime (and by-recession) regressions against statsmodels'
// OLS(r, dummies).fit(cov_type='HAC', cov_kwds={'maxlags': L}) to 1e-8.
func TestRegimesStatsmodels(t *testing.T) {
	data, err := os.ReadFile("testdata/regimes_statsmodels.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		N       int      `json:"n"`
		AutoLag int      `json:"auto_lag"`
		Fits    []refFit `json:"fits"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	dates, r, fed, rec := loadRegimeCSV(t)
	if len(r) != ref.N {
		t.Fatalf("n = %d, reference %d", len(r), ref.N)
	}
	for _, fit := range ref.Fits {
		labels := fed
		if fit.By == "recession" {
			labels = rec
		}
		t.Run(fit.By+"/L="+strconv.Itoa(fit.MaxLags), func(t *testing.T) {
			lags := fit.MaxLags
			if lags == ref.AutoLag {
				lags = -1 // the default lag rule must give the same
			}
			res, err := Regimes(dates, r, labels, RegimeOptions{MaxLags: lags})
			if err != nil {
				t.Fatal(err)
			}
			if res.MaxLags != fit.MaxLags {
				t.Fatalf("lags %d, reference %d", res.MaxLags, fit.MaxLags)
			}
			for j, l := range fit.Regimes {
				st, ok := res.Stat(l)
				if !ok {
					t.Fatalf("no regime %q", l)
				}
				if st.N != fit.N[j] || !close8(st.Mean, fit.Params[j]) || !close8(st.SE, fit.BSE[j]) || !close8(st.T, fit.T[j]) || !close8(st.P, fit.P[j]) {
					t.Errorf("%s: n %d mean %.17g se %.17g t %.17g p %.17g; statsmodels n %d %.17g %.17g %.17g %.17g",
						l, st.N, st.Mean, st.SE, st.T, st.P, fit.N[j], fit.Params[j], fit.BSE[j], fit.T[j], fit.P[j])
				}
			}
			for _, d := range fit.Difference {
				got, err := res.Difference(d.A, d.B)
				if err != nil {
					t.Fatal(err)
				}
				if !close8(got.Diff, d.Diff) || !close8(got.SE, d.SE) || !close8(got.T, d.T) || !close8(got.P, d.P) {
					t.Errorf("%s - %s: %.17g se %.17g t %.17g p %.17g; statsmodels %.17g %.17g %.17g %.17g",
						d.A, d.B, got.Diff, got.SE, got.T, got.P, d.Diff, d.SE, d.T, d.P)
				}
			}
		})
	}
}

func TestRegimesDescriptive(t *testing.T) {
	dates := []series.Date{series.MustDate("2024-01-31"), series.MustDate("2024-02-29"), series.MustDate("2024-03-31"),
		series.MustDate("2024-04-30"), series.MustDate("2024-05-31"), series.MustDate("2024-06-30")}
	r := []float64{0.01, 0.03, -0.01, 0.02, 0.00, 0.04}
	lab := []string{"a", "a", "b", "b", "a", "b"}
	res, err := Regimes(dates, r, lab, RegimeOptions{MaxLags: 1, Order: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats[0].Label != "b" || res.Stats[1].Label != "a" {
		t.Fatalf("order %v", res.Stats)
	}
	b := res.Stats[0]
	if b.N != 3 || !close8(b.Mean, 0.05/3) || !close8(b.AnnMean, 12*0.05/3) || res.PeriodsPerYear != 12 {
		t.Errorf("b = %+v", b)
	}
	// sd of (-0.01, 0.02, 0.04) = 0.025166..; vol = sd·√12
	if !close8(b.Vol, 0.025166114784235832*math.Sqrt(12)) || !close8(b.Sharpe, b.AnnMean/b.Vol) {
		t.Errorf("vol %v sharpe %v", b.Vol, b.Sharpe)
	}
	if len(res.Diffs) != 1 || res.Diffs[0].A != "b" || res.Diffs[0].B != "a" || !close8(res.Diffs[0].Diff, 0.05/3-0.04/3) {
		t.Errorf("diffs %+v", res.Diffs)
	}
}

func TestTrim(t *testing.T) {
	d := []series.Date{1, 2, 3, 4, 5}
	nan := math.NaN()
	cases := []struct {
		name    string
		r       []float64
		l       []string
		want    int
		wantErr bool
	}{
		{"clean", []float64{1, 2, 3, 4, 5}, []string{"a", "a", "b", "b", "a"}, 5, false},
		{"edges", []float64{nan, 2, 3, 4, nan}, []string{"a", "a", "b", "", "a"}, 2, false},
		{"unlabelled inside", []float64{1, 2, 3, 4, 5}, []string{"a", "", "b", "b", "a"}, 0, true},
		{"nan inside", []float64{1, nan, 3, 4, 5}, []string{"a", "a", "b", "b", "a"}, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, r, _, err := Trim(d, c.r, c.l)
			if (err != nil) != c.wantErr || (err == nil && len(r) != c.want) {
				t.Fatalf("got %d, %v", len(r), err)
			}
		})
	}
}
