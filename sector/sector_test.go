package sector

import (
	"math"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/study"
)

func TestParseWeights(t *testing.T) {
	cases := []struct {
		in   string
		want Weights
		err  string
	}{
		{"", DefaultWeights, ""},
		{"first_cut=0.35,easing=0.25,rate_beta=0.2,momentum=0.2", DefaultWeights, ""},
		{"momentum=0", Weights{0.35, 0.25, 0.2, 0}, ""},
		{" first_cut = 1 , easing=0 ", Weights{1, 0, 0.2, 0.2}, ""},
		{"beta=1", DefaultWeights, `unknown input "beta"`},
		{"momentum", DefaultWeights, "want name=value"},
		{"momentum=-1", DefaultWeights, "not a non-negative number"},
		{"momentum=NaN", DefaultWeights, "not a non-negative number"},
		{"first_cut=0,easing=0,rate_beta=0,momentum=0", DefaultWeights, "sum to zero"},
	}
	for _, c := range cases {
		w, err := ParseWeights(c.in)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: error %v, want %q", c.in, err, c.err)
		case c.err == "" && (err != nil || w != c.want):
			t.Errorf("%q: %+v %v, want %+v", c.in, w, err, c.want)
		}
	}
	w, _ := ParseWeights("first_cut=2,easing=1,rate_beta=1,momentum=0")
	if n := w.Normalized(); n != (Weights{0.5, 0.25, 0.25, 0}) {
		t.Errorf("normalised %+v", n)
	}
}

// TestScore checks the z-scores, the sign of the rate beta, a missing input counted as
// z = 0, and the thirds.
func TestScore(t *testing.T) {
	mk := func(name string, fc, easing, beta, mom float64, n int) Row {
		r := Row{Asset: Asset{Name: name}, Mom6: mom, Mom12: mom}
		r.FirstCut = study.Summary{N: n, Mean: fc}
		r.Easing, r.EasingOK = study.RegimeStat{AnnMean: easing}, true
		r.Rate2Y = Beta{Beta: beta, T: -1}
		return r
	}
	rows := []Row{
		mk("A", 0.03, 0.02, -0.01, 0.05, 10),
		mk("B", 0.00, 0.00, 0.00, 0.00, 10),
		mk("C", -0.03, -0.02, 0.01, -0.05, 10),
		mk("D", math.NaN(), 0.00, 0.00, 0.00, 0), // no complete event: first_cut counts as 0
	}
	score(rows, Weights{0.25, 0.25, 0.25, 0.25})
	got := map[string]Row{}
	for _, r := range rows {
		got[r.Asset.Name] = r
	}
	// first_cut over A, B, C: mean 0, sample SD 0.03, so z = +1, 0, -1.
	if a := got["A"]; math.Abs(a.Z[0]-1) > 1e-12 || math.Abs(got["C"].Z[0]+1) > 1e-12 {
		t.Errorf("first_cut z: A %v C %v", a.Z[0], got["C"].Z[0])
	}
	// A negative beta is good: A's rate z is positive.
	if got["A"].Z[2] <= 0 || got["C"].Z[2] >= 0 {
		t.Errorf("rate z: A %v C %v", got["A"].Z[2], got["C"].Z[2])
	}
	if d := got["D"]; d.Z[0] != 0 || len(d.Missing) != 1 || d.Missing[0] != "first_cut" || !strings.Contains(d.Reason, "no complete 12m window") {
		t.Errorf("D: %+v", d)
	}
	if rows[0].Asset.Name != "A" || rows[0].Call != "overweight" || rows[3].Asset.Name != "C" || rows[3].Call != "underweight" {
		t.Errorf("order/calls: %s %s, %s %s", rows[0].Asset.Name, rows[0].Call, rows[3].Asset.Name, rows[3].Call)
	}
	if rows[1].Call != "neutral" || rows[2].Call != "neutral" {
		t.Errorf("middle calls %s %s", rows[1].Call, rows[2].Call)
	}
}
