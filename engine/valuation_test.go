package engine_test

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/valuation"
)

// rawSections re-reads a Ken French CSV by hand, independently of source/french: it
// splits lines on commas and files each dated row under the title line(s) seen since the
// previous header, so a section is addressed by a fragment of its title. Values stay in
// the file's units (percent for returns).
func rawSections(t *testing.T, b []byte) map[string]map[string][]float64 {
	t.Helper()
	out := map[string]map[string][]float64{}
	var title []string
	var cur map[string][]float64
	for _, ln := range strings.Split(string(b), "\n") {
		ln = strings.TrimRight(ln, "\r")
		s := strings.TrimSpace(ln)
		switch {
		case s == "":
			cur = nil
		case strings.HasPrefix(ln, ","):
			key := strings.Join(title, " | ")
			if key == "" {
				key = "first"
			}
			cur = map[string][]float64{}
			out[key] = cur
			title = nil
		case cur != nil:
			cells := strings.Split(ln, ",")
			var row []float64
			for _, c := range cells[1:] {
				if strings.TrimSpace(c) == "" {
					continue
				}
				v, err := strconv.ParseFloat(strings.TrimSpace(c), 64)
				if err != nil {
					t.Fatalf("raw %q: %v", ln, err)
				}
				row = append(row, v)
			}
			cur[strings.TrimSpace(cells[0])] = row
		default:
			title = append(title, s)
		}
	}
	return out
}

func rawSection(t *testing.T, secs map[string]map[string][]float64, frag string) map[string][]float64 {
	t.Helper()
	var found map[string][]float64
	for k, v := range secs {
		if strings.Contains(k, frag) {
			if found != nil {
				t.Fatalf("title fragment %q matches twice", frag)
			}
			found = v
		}
	}
	if found == nil {
		t.Fatalf("no section titled like %q", frag)
	}
	return found
}

// TestValuationHeadlineByHand recomputes the valuation figures for the latest month of
// 6_Portfolios_2x3 from the raw CSV lines: the published cap-weighted BE/ME of October
// 2024, and the rolled B/M from the July 2024 formation rolled with the July-October
// returns. Columns 0-2 are SMALL LoBM, ME1 BM2, SMALL HiBM; 3-5 BIG LoBM, ME2 BM2, BIG HiBM.
func TestValuationHeadlineByHand(t *testing.T) {
	ctx := context.Background()
	cat := catalog.New(nil)
	b, err := cat.File("kenfrench/6_Portfolios_2x3.CSV")
	if err != nil {
		t.Fatal(err)
	}
	secs := rawSections(t, b)
	beDec := rawSection(t, secs, "Value Weight Average of BE/ME Calculated")
	beJun := rawSection(t, secs, "BE_FYt-1/ME_June t")
	firms := rawSection(t, secs, "Number of Firms")
	avg := rawSection(t, secs, "Average Market Cap")
	ret := rawSection(t, secs, "Average Value Weighted Returns -- Monthly")

	// Published: Σ firms·avgcap·BE/ME / Σ firms·avgcap per leg, October 2024.
	pub := func(lo, hi int) float64 {
		var num, den float64
		for j := lo; j < hi; j++ {
			w := firms["202410"][j] * avg["202410"][j]
			num += w * beDec["202410"][j]
			den += w
		}
		return num / den
	}
	pubRel := pub(0, 3) / pub(3, 6)

	// Rolled: book = BE/ME_June(July row) x firms x avgcap (July row = end of June caps);
	// market value grows with (1 + r/100) over July..October.
	rolled := func(lo, hi int) float64 {
		var book, value float64
		for j := lo; j < hi; j++ {
			me0 := firms["202407"][j] * avg["202407"][j]
			g := 1.0
			for _, m := range []string{"202407", "202408", "202409", "202410"} {
				g *= 1 + ret[m][j]/100
			}
			book += beJun["202407"][j] * me0
			value += me0 * g
		}
		return book / value
	}
	rolRel := rolled(0, 3) / rolled(3, 6)

	res, err := engine.Valuation(ctx, cat, engine.ValuationOptions{Pairs: []string{"2x3"}})
	if err != nil {
		t.Fatal(err)
	}
	h := res.Headline()
	if h.Method != valuation.Rolled || h.Latest.String() != "2024-10-31" {
		t.Fatalf("headline is %s as of %s, want rolled as of 2024-10-31", h.Method, h.Latest)
	}
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("%s = %.15g, by hand %.15g", name, got, want)
		}
	}
	near("rolled relative B/M", h.RelBMNow, rolRel)
	near("rolled small B/M", h.SmallNow, rolled(0, 3))
	pg := res.Find("2x3", valuation.Published)
	near("published relative B/M", pg.RelBMNow, pubRel)

	// Published relative B/M: the whole history by hand, for the median and the discount.
	var relPB []float64
	for m := range firms {
		w := func(lo, hi int) float64 {
			var num, den float64
			for j := lo; j < hi; j++ {
				x := firms[m][j] * avg[m][j]
				num += x * beDec[m][j]
				den += x
			}
			return num / den
		}
		relPB = append(relPB, w(3, 6)/w(0, 3))
	}
	if len(relPB) != 1180 {
		t.Fatalf("%d months by hand, want 1180", len(relPB))
	}
	med := medianOf(relPB)
	near("published median relative P/B", pg.PBFull.Median, med)
	near("published discount", pg.Discount, 1-(1/pubRel)/med)

	// Pinned figures (embedded snapshot, CRSP 202410), so a change is seen in review.
	pin := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.4f, pinned %.4f", name, got, want)
		}
	}
	pin("rolled discount", h.Discount, 0.5568, 5e-4)
	pin("rolled relative B/M", h.RelBMNow, 3.8182, 5e-4)
	pin("published discount", pg.Discount, 0.3474, 5e-4)
	if !h.LargestSince || pg.LargestSince {
		t.Errorf("largest since 2000: rolled %v (want true), published %v (want false: August 2000 was deeper)", h.LargestSince, pg.LargestSince)
	}
}

func medianOf(x []float64) float64 {
	s := append([]float64(nil), x...)
	// insertion sort keeps the test free of the code under test
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// TestValuationCAPE pins the CAPE's end and percentile.
func TestValuationCAPE(t *testing.T) {
	res, err := engine.Valuation(context.Background(), catalog.New(nil), engine.ValuationOptions{Pairs: []string{"2x3"}, Methods: []valuation.Method{valuation.Published}})
	if err != nil {
		t.Fatal(err)
	}
	c := res.CAPE
	if c.Latest.String() != "2023-09-01" {
		t.Errorf("CAPE ends %s, want 2023-09-01 (Shiller's data in the embedded copy)", c.Latest)
	}
	if math.Abs(c.Value-30.81) > 0.005 || c.Full.N != 1713 {
		t.Errorf("CAPE %.3f over %d months, want 30.81 over 1713", c.Value, c.Full.N)
	}
	// share of months at or below, counted by hand
	n := 0
	for _, v := range c.Values {
		if v <= c.Value {
			n++
		}
	}
	if got := float64(n) / float64(len(c.Values)); got != c.Full.Percentile {
		t.Errorf("CAPE percentile %v, by count %v", c.Full.Percentile, got)
	}
}

// BenchmarkValuation is the whole valuation command after the first parse: 81 column
// loads from the parsed French files, four gaps over ~1180 months, and the CAPE.
func BenchmarkValuation(b *testing.B) {
	ctx := context.Background()
	cat := catalog.New(nil)
	if _, err := engine.Valuation(ctx, cat, engine.ValuationOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := engine.Valuation(ctx, cat, engine.ValuationOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
