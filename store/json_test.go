package store

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ratecycle/ratecycle/series"
)

// TestVintageJSON: vintages marshal with snake_case keys (the data vintages command
// prints them), and the fetch metadata that is not there is left out.
func TestVintageJSON(t *testing.T) {
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	v := Vintage{ID: "2", Dataset: "user/fund", Kind: KindSeries, Current: true, StoredAt: at, FetchedAt: at,
		File: "fund.csv", Checksum: "4a1b", Size: 36, N: 3, First: series.MustDate("2024-01-31"), Last: series.MustDate("2024-03-31")}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"2","dataset":"user/fund","kind":"series","current":true,"stored_at":"2026-11-24T12:00:00Z",` +
		`"fetched_at":"2026-11-24T12:00:00Z","file":"fund.csv","checksum":"4a1b","size":36,"observations":3,` +
		`"first":"2024-01-31","last":"2024-03-31"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	d, _ := json.Marshal(Dataset{ID: "user/fund", Provider: "user", Kind: KindSeries, Current: v, Vintages: 2})
	if !strings.HasPrefix(string(d), `{"id":"user/fund","provider":"user","kind":"series","current":{"id":"2",`) || !strings.HasSuffix(string(d), `,"vintages":2}`) {
		t.Errorf("Dataset JSON %s", d)
	}
}
