package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/screen"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/store"
)

// TestScreenIWMOffline: offline, the IWM screen says how many names map to a CIK and
// that none has fundamentals, and explains every one of the 1,924 equity lines.
func TestScreenIWMOffline(t *testing.T) {
	res, err := Screen(context.Background(), catalog.New(nil), ScreenOptions{AsOf: series.NoDate})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 0 || len(res.Excluded) != 1924 {
		t.Fatalf("%d screened, %d excluded", len(res.Rows), len(res.Excluded))
	}
	reasons := map[string]int{}
	for _, e := range res.Excluded {
		reasons[e.Reason]++
	}
	if n := reasons["no fundamentals offline: run `ratecycle data update --source sec`"]; n < 1890 {
		t.Errorf("no-fundamentals exclusions %d", n)
	}
	notes := strings.Join(res.Notes, " ")
	for _, want := range []string{"1920 unique tickers", "1906 map to an SEC CIK", "0 have companyfacts offline", "data update --source sec"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q: %s", want, notes)
		}
	}
}

// TestScreenFSDSHoldings: today's IWM members that filed in 2010q2, point in time.
func TestScreenFSDSHoldings(t *testing.T) {
	res, err := Screen(context.Background(), catalog.New(nil), ScreenOptions{FSDS: "2010q2", Universe: "holdings/IWM", AsOf: series.NoDate})
	if err != nil {
		t.Fatal(err)
	}
	if res.AsOf.String() != "2010-06-30" {
		t.Errorf("as of %s", res.AsOf)
	}
	// 25 IWM CIKs filed in the quarter (sec/MANIFEST.md); one reports no net income tag.
	if len(res.Rows) != 24 || !strings.Contains(res.Universe, "25") || !strings.Contains(res.Universe, "Anachronistic") {
		t.Errorf("%d screened; universe %q", len(res.Rows), res.Universe)
	}
	for _, r := range res.Rows {
		if r.Inputs.Ticker == "" || r.Status == screen.Pass {
			t.Errorf("%s: ticker %q status %s", r.Inputs.Name, r.Inputs.Ticker, r.Status)
		}
	}
	if _, err := Screen(context.Background(), catalog.New(nil), ScreenOptions{FSDS: "2011q1"}); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("missing quarter: %v", err)
	}
}

// TestScreenFromStore: companyfacts stored under sec/companyfacts/CIK########## are
// screened for the IWM member with that CIK. (The document is Snowflake's, stored under
// the CIK of IWM's first holding, BE, only to exercise the id convention.)
func TestScreenFromStore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cat := catalog.New(st)
	snow, err := cat.File("sec-edgartools/snow_facts.json")
	if err != nil {
		t.Fatal(err)
	}
	res0, err := Screen(ctx, cat, ScreenOptions{AsOf: series.NoDate, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	var cik int
	for _, e := range res0.Excluded {
		if e.Ticker == "BE" {
			cik = e.CIK
		}
	}
	if cik == 0 {
		t.Fatal("BE has no CIK")
	}
	id := fmt.Sprintf("%sCIK%010d", StoreFactsPrefix, cik)
	if _, err := st.PutFile(ctx, id, snow, store.VintageMeta{URL: "test"}); err != nil {
		t.Fatal(err)
	}
	res, err := Screen(ctx, cat, ScreenOptions{AsOf: series.NoDate, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0].Inputs.Ticker != "BE" || !strings.Contains(res.Rows[0].Inputs.Source, id) {
		t.Fatalf("rows %d", len(res.Rows))
	}
	in := res.Rows[0].Inputs
	if in.PriceSource == "" || in.PriceDate.String() != "2026-05-05" {
		t.Errorf("price %v from %q at %s", in.Price, in.PriceSource, in.PriceDate)
	}
	if !strings.Contains(strings.Join(res.Notes, " "), "1 have companyfacts offline") {
		t.Errorf("notes %v", res.Notes)
	}
	// With one member's facts stored, the fallback does not apply.
	if res, err := Screen(ctx, cat, ScreenOptions{AsOf: series.NoDate, Store: st, Fallback: "2010q2"}); err != nil || res.FellBack || len(res.Rows) != 1 {
		t.Errorf("fallback with stored facts: %v, fell back %v", err, res != nil && res.FellBack)
	}
}

func TestScreenFallback(t *testing.T) {
	res, err := Screen(context.Background(), catalog.New(nil), ScreenOptions{AsOf: series.NoDate, Fallback: "2010q2"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.FellBack || res.AsOf.String() != "2010-06-30" || len(res.Rows) == 0 || !strings.HasPrefix(res.Universe, "every filer of FSDS 2010q2") {
		t.Fatalf("fell back %v, as of %s, %d rows, universe %q", res.FellBack, res.AsOf, len(res.Rows), res.Universe)
	}
	want := "No current fundamentals offline for the holdings/IWM universe (0 of its 1920 tickers have companyfacts): showing the 2010 Q2 point-in-time screen"
	if !strings.HasPrefix(res.Notes[0], want) {
		t.Errorf("first note %q, want it to start %q", res.Notes[0], want)
	}
}
