package view

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/study"
)

// TestStudyJSON runs IWM against SPY after first cuts on the embedded data and checks
// the shared shape: NaN as null (never the invalid token NaN), the four ETF-era events,
// and the too-few verdict the CLI and the API both print.
func TestStudyJSON(t *testing.T) {
	w, err := study.ParseWindow("0:12m")
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Study(context.Background(), catalog.New(nil), engine.StudyOptions{Series: "price/IWM", Vs: "price/SPY",
		Events: "first-cut", Windows: []study.Window{w}, Resamples: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(Study(res))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "NaN") {
		t.Fatal("NaN in JSON")
	}
	var back struct {
		Summary []struct {
			Window  string   `json:"window"`
			N       int      `json:"n"`
			Mean    *float64 `json:"mean"`
			BWT     *float64 `json:"bw_t"`
			TooFew  bool     `json:"too_few"`
			Verdict string   `json:"verdict"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Summary) != 1 {
		t.Fatalf("summary %+v", back.Summary)
	}
	s := back.Summary[0]
	if s.Window != "0:12m" || s.N != 4 || !s.TooFew || s.Mean == nil || s.BWT != nil || !strings.Contains(s.Verdict, "too few") {
		t.Fatalf("summary %+v", s)
	}
}
