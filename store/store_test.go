package store

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ratecycle/ratecycle/series"
)

// bitsEqual compares floats by their bits, so NaN payloads and -0 must survive.
var bitsEqual = cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) })

func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// daily returns n daily observations from 2000-01-03 with values f(i).
func daily(name string, n int, f func(i int) float64) *series.Series {
	start := series.MustDate("2000-01-03")
	dates := make([]series.Date, n)
	values := make([]float64, n)
	for i := range dates {
		dates[i] = start.AddDays(i)
		values[i] = f(i)
	}
	s, err := series.New(name, series.KindRate, series.Daily, dates, values)
	if err != nil {
		panic(err)
	}
	return s
}

func TestSeriesRoundTripIsExact(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	retrieved := time.Date(2024, 5, 1, 12, 30, 15, 123456789, time.UTC)
	s, err := series.New("DFF", series.KindRate, series.Monthly,
		[]series.Date{series.MustDate("1954-07-01"), series.MustDate("1954-08-01"), series.MustDate("1954-09-01"),
			series.MustDate("1954-10-01"), series.MustDate("1954-11-01"), series.MustDate("1954-12-01")},
		[]float64{1.13, math.NaN(), math.Float64frombits(0x7ff8_0000_dead_beef), math.Copysign(0, -1), math.Inf(1), -1e-300})
	if err != nil {
		t.Fatal(err)
	}
	s.Prov = series.Provenance{
		Provider: "fred", SourceID: "DFF", File: "snapshot/fred/DFF.csv",
		URL: "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DFF", RetrievedAt: retrieved,
		Vintage: "old label, replaced by the store", Unit: "percent", Licence: "public domain",
		Lag: series.Lag{Days: 1, PeriodStart: true, Freq: series.Monthly}, Note: "effective rate",
	}
	meta := VintageMeta{FetchedAt: retrieved, URL: s.Prov.URL, ETag: `"abc"`, LastModified: "Wed, 01 May 2024 12:00:00 GMT"}
	v, err := st.PutSeries(ctx, "fred/DFF", s, meta)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Series(ctx, "fred/DFF", "")
	if err != nil {
		t.Fatal(err)
	}
	want := s.Clone()
	want.Prov.Vintage = v.ID
	if diff := cmp.Diff(want, got, bitsEqual); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if v.Checksum != Checksum(s) || v.N != 6 || v.First != s.First() || v.Last != s.Last() || !v.Current {
		t.Errorf("PutSeries returned %+v", v)
	}
	stored, err := st.Vintage(ctx, "fred/DFF", "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v, stored); diff != "" {
		t.Errorf("Vintage differs from what PutSeries returned (-put +stored):\n%s", diff)
	}
	if stored.ETag != `"abc"` || stored.LastModified != meta.LastModified || !stored.FetchedAt.Equal(retrieved) {
		t.Errorf("HTTP metadata lost: %+v", stored)
	}
}

func TestPutSeriesFillsProvenanceFromMeta(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	fixed := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	st.now = func() time.Time { return fixed }
	s := daily("mine", 3, func(i int) float64 { return float64(i) })
	s.Prov = series.Provenance{Provider: "user"}
	if _, err := st.PutSeries(ctx, "user/mine", s, VintageMeta{File: "/home/me/mine.csv"}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Series(ctx, "user/mine", "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Prov.File != "/home/me/mine.csv" || !got.Prov.RetrievedAt.Equal(fixed) {
		t.Errorf("provenance not filled from meta: %+v", got.Prov)
	}
}

func TestVintagesKeepHistory(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	var puts []Vintage
	var inputs []*series.Series
	for k := 1; k <= 3; k++ {
		s := daily("DGS10", 100*k, func(i int) float64 { return float64(k) + float64(i)/1000 })
		v, err := st.PutSeries(ctx, "fred/DGS10", s, VintageMeta{})
		if err != nil {
			t.Fatal(err)
		}
		puts, inputs = append(puts, v), append(inputs, s)
	}
	cur, err := st.Series(ctx, "fred/DGS10", "")
	if err != nil {
		t.Fatal(err)
	}
	if cur.Prov.Vintage != puts[2].ID || cur.Len() != 300 {
		t.Errorf("current is vintage %s with %d points, want %s with 300", cur.Prov.Vintage, cur.Len(), puts[2].ID)
	}
	for i, v := range puts {
		old, err := st.Series(ctx, "fred/DGS10", v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(inputs[i].Values, old.Values, bitsEqual); diff != "" {
			t.Errorf("vintage %s values (-want +got):\n%s", v.ID, diff)
		}
	}
	vs, err := st.Vintages(ctx, "fred/DGS10")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var current []bool
	for _, v := range vs {
		ids = append(ids, v.ID)
		current = append(current, v.Current)
	}
	if diff := cmp.Diff([]string{puts[2].ID, puts[1].ID, puts[0].ID}, ids); diff != "" {
		t.Errorf("Vintages not newest first (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{true, false, false}, current); diff != "" {
		t.Errorf("Current flags (-want +got):\n%s", diff)
	}

	if _, err := st.PutFile(ctx, "fred/DGS10.csv", []byte("DATE,DGS10\n"), VintageMeta{}); err != nil {
		t.Fatal(err)
	}
	list, err := st.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("List returned %d datasets, want 2: %+v", len(list), list)
	}
	d := list[0]
	if d.ID != "fred/DGS10" || d.Provider != "fred" || d.Kind != KindSeries || d.Vintages != 3 ||
		d.Current.ID != puts[2].ID || d.Current.N != 300 || d.Current.First != cur.First() || d.Current.Last != cur.Last() {
		t.Errorf("List()[0] = %+v", d)
	}
	if list[1].ID != "fred/DGS10.csv" || list[1].Kind != KindFile || list[1].Current.Size != 11 {
		t.Errorf("List()[1] = %+v", list[1])
	}
}

func TestUpdateIsAtomic(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	raw := []byte("observation_date,DFF\n1954-07-01,1.13\n")
	s := daily("DFF", 10, func(i int) float64 { return 1 })

	// The updater's pattern: raw bytes and the series parsed from them, together.
	var fv, sv Vintage
	err := st.Update(ctx, func(tx Tx) error {
		var err error
		if fv, err = tx.PutFile(ctx, "fred/DFF.csv", raw, VintageMeta{URL: "https://example.invalid/DFF.csv", ETag: "e1"}); err != nil {
			return err
		}
		// The transaction sees its own writes.
		if b, _, err := tx.File(ctx, "fred/DFF.csv", ""); err != nil || string(b) != string(raw) {
			t.Errorf("tx.File inside the update = %q, %v", b, err)
		}
		sv, err = tx.PutSeries(ctx, "fred/DFF", s, VintageMeta{Raw: fv.ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := st.Vintage(ctx, "fred/DFF", ""); err != nil || v.Raw != fv.ID || v.ID != sv.ID {
		t.Errorf("series vintage = %+v, %v; want Raw %s", v, err, fv.ID)
	}

	// A failing update writes nothing, even what it wrote before failing.
	boom := errors.New("parse failed")
	err = st.Update(ctx, func(tx Tx) error {
		if _, err := tx.PutFile(ctx, "fred/DFF.csv", []byte("garbage"), VintageMeta{ETag: "e2"}); err != nil {
			return err
		}
		if _, err := tx.PutFile(ctx, "fred/NEW.csv", []byte("new"), VintageMeta{}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update error = %v, want %v", err, boom)
	}
	// And so does one that panics.
	func() {
		defer func() { recover() }()
		st.Update(ctx, func(tx Tx) error {
			tx.PutFile(ctx, "fred/DFF.csv", []byte("garbage"), VintageMeta{})
			panic("parser bug")
		})
	}()
	b, v, err := st.File(ctx, "fred/DFF.csv", "")
	if err != nil || string(b) != string(raw) || v.ETag != "e1" || v.ID != fv.ID {
		t.Errorf("after failed updates File = %q %+v %v, want the first vintage", b, v, err)
	}
	if _, _, err := st.File(ctx, "fred/NEW.csv", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("dataset created by a failed update exists: %v", err)
	}
	if vs, _ := st.Vintages(ctx, "fred/DFF.csv"); len(vs) != 1 {
		t.Errorf("%d vintages of fred/DFF.csv, want 1", len(vs))
	}
}

func TestCanceledPutLeavesPreviousVintage(t *testing.T) {
	st := openTest(t)
	old := daily("x", 10, func(i int) float64 { return 1 })
	v, err := st.PutSeries(context.Background(), "user/x", old, VintageMeta{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := st.PutSeries(ctx, "user/x", daily("x", 10, func(i int) float64 { return 2 }), VintageMeta{}); err == nil {
		t.Fatal("PutSeries with a canceled context succeeded")
	}
	if cur, err := st.Vintage(context.Background(), "user/x", ""); err != nil || cur.ID != v.ID {
		t.Errorf("current = %+v, %v; want vintage %s", cur, err, v.ID)
	}
}

func TestPutSeriesRejectsBadSeries(t *testing.T) {
	d := series.MustDate
	nan := math.NaN()
	tests := []struct {
		name string
		s    *series.Series
		want string
	}{
		{"nil", nil, "nil series"},
		{"empty", &series.Series{Name: "e"}, "no observations"},
		{"lengths", &series.Series{Dates: []series.Date{d("2020-01-01")}, Values: []float64{1, 2}}, "1 dates but 2 values"},
		{"unsorted", &series.Series{Dates: []series.Date{d("2020-01-02"), d("2020-01-01")}, Values: []float64{1, 2}},
			"observation 2 (2020-01-01) follows 2020-01-02"},
		{"duplicate", &series.Series{Dates: []series.Date{d("2020-01-01"), d("2020-01-01")}, Values: []float64{1, 2}},
			"dates must increase strictly"},
		{"frequency", &series.Series{Freq: 42, Dates: []series.Date{d("2020-01-01")}, Values: []float64{1}},
			`unknown frequency "Frequency(42)"`},
		{"no date", &series.Series{Dates: []series.Date{series.NoDate}, Values: []float64{1}}, "has no date"},
		{"all NaN", &series.Series{Dates: []series.Date{d("2020-01-01"), d("2020-01-02")}, Values: []float64{nan, nan}},
			"all 2 values are missing (NaN)"},
	}
	st := openTest(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := st.PutSeries(context.Background(), "fred/DFF", tt.s, VintageMeta{})
			if !errors.Is(err, ErrInvalidSeries) || !strings.Contains(err.Error(), tt.want) ||
				!strings.HasPrefix(err.Error(), "store: put fred/DFF vintage: invalid series: ") {
				t.Errorf("error = %v, want ErrInvalidSeries mentioning %q", err, tt.want)
			}
		})
	}
	if list, _ := st.List(context.Background()); len(list) != 0 {
		t.Errorf("rejected puts left datasets: %+v", list)
	}
}

func TestValidateID(t *testing.T) {
	tests := []struct {
		id   string
		want string // "" means valid
	}{
		{"fred/DFF", ""},
		{"french/F-F_Research_Data_Factors_daily/SMB", ""},
		{"french/49_Industry_Portfolios/Average Value Weighted Returns -- Daily/Banks", ""},
		{"user/mes données", ""},
		{"sec-xbrl/0000320193", ""},
		{"", "empty"},
		{"DFF", "no provider"},
		{"/DFF", "empty provider"},
		{"fred/", "empty name"},
		{"FRED/DFF", "provider \"FRED\""},
		{"1fred/DFF", "lowercase letter"},
		{"fr ed/DFF", "lowercase letter"},
		{"fred/D\x00FF", "NUL"},
		{"fred/D\nFF", "U+000A"},
		{"fred/ DFF", "space"},
		{"fred/DFF ", "space"},
		{"fred/\xff", "UTF-8"},
		{"fred/" + strings.Repeat("x", MaxIDLen), "bytes long"},
		{strings.Repeat("p", 33) + "/x", "provider longer"},
	}
	for _, tt := range tests {
		err := ValidateID(tt.id)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("ValidateID(%q) = %v, want nil", tt.id, err)
		case tt.want != "" && (!errors.Is(err, ErrInvalidID) || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("ValidateID(%q) = %v, want ErrInvalidID mentioning %q", tt.id, err, tt.want)
		}
	}
	st := openTest(t)
	_, err := st.PutFile(context.Background(), "DFF", []byte("x"), VintageMeta{})
	if !errors.Is(err, ErrInvalidID) || !strings.HasPrefix(err.Error(), "store: put DFF vintage: invalid dataset id") {
		t.Errorf("PutFile with a bad id: %v", err)
	}
}

func TestReadErrors(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	sv, err := st.PutSeries(ctx, "fred/DFF", daily("DFF", 5, func(int) float64 { return 1 }), VintageMeta{})
	if err != nil {
		t.Fatal(err)
	}
	fv, err := st.PutFile(ctx, "fred/DFF.csv", nil, VintageMeta{})
	if err != nil {
		t.Fatal(err)
	}
	if b, _, err := st.File(ctx, "fred/DFF.csv", fv.ID); err != nil || b == nil || len(b) != 0 {
		t.Errorf("empty file read back as %v, %v", b, err)
	}
	check := func(name string, err error, target error, msg string) {
		t.Helper()
		if !errors.Is(err, target) || err.Error() != msg {
			t.Errorf("%s: error = %v\nwant %q (wrapping %v)", name, err, msg, target)
		}
	}
	_, err = st.Series(ctx, "fred/NOPE", "")
	check("missing dataset", err, ErrNotFound, `store: read fred/NOPE: no dataset "fred/NOPE": not found`)
	_, err = st.Series(ctx, "fred/DFF", "999")
	check("missing vintage", err, ErrNotFound, `store: read fred/DFF vintage 999: no vintage "999" of fred/DFF: not found`)
	_, err = st.Series(ctx, "fred/DFF", fv.ID) // a vintage, but of another dataset
	check("other dataset's vintage", err, ErrNotFound, `store: read fred/DFF vintage 2: no vintage "2" of fred/DFF: not found`)
	_, err = st.Series(ctx, "fred/DFF", "latest")
	check("not a vintage id", err, ErrNotFound, `store: read fred/DFF vintage latest: "latest" is not a vintage id: not found`)
	_, err = st.Series(ctx, "fred/DFF.csv", "")
	check("file as series", err, ErrWrongKind, `store: read fred/DFF.csv: wrong kind of dataset: it is a raw file, not a series (read it with File)`)
	_, _, err = st.File(ctx, "fred/DFF", sv.ID)
	check("series as file", err, ErrWrongKind, `store: read fred/DFF vintage 1: wrong kind of dataset: it is a series, not a raw file (read it with Series)`)
	_, err = st.PutFile(ctx, "fred/DFF", []byte("x"), VintageMeta{})
	check("put file into series", err, ErrWrongKind, `store: put fred/DFF vintage: wrong kind of dataset: fred/DFF holds a series, not a file`)
	_, err = st.PutSeries(ctx, "fred/X", daily("X", 1, func(int) float64 { return 1 }), VintageMeta{Raw: sv.ID})
	check("raw is a series", err, ErrWrongKind, `store: put fred/X vintage: raw vintage 1: wrong kind of dataset: it is a series, not a file`)
	_, err = st.PutSeries(ctx, "fred/X", daily("X", 1, func(int) float64 { return 1 }), VintageMeta{Raw: "77"})
	check("raw missing", err, ErrNotFound, `store: put fred/X vintage: raw vintage 77: not found`)
	_, err = st.Vintages(ctx, "fred/NOPE")
	check("vintages of missing", err, ErrNotFound, `store: vintages of fred/NOPE: no dataset "fred/NOPE": not found`)
	err = st.Delete(ctx, "fred/NOPE")
	check("delete missing", err, ErrNotFound, `store: delete fred/NOPE: no dataset "fred/NOPE": not found`)
}

func TestDeleteAndPrune(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	var file Vintage
	var ids []string
	for k := 1; k <= 5; k++ {
		var err error
		if file, err = st.PutFile(ctx, "fred/DFF.csv", []byte{byte(k)}, VintageMeta{}); err != nil {
			t.Fatal(err)
		}
		v, err := st.PutSeries(ctx, "fred/DFF", daily("DFF", k, func(int) float64 { return float64(k) }), VintageMeta{Raw: file.ID})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	if _, err := st.Prune(ctx, "fred/DFF", 0); err == nil {
		t.Error("Prune keep 0 succeeded")
	}
	n, err := st.Prune(ctx, "fred/DFF", 2)
	if err != nil || n != 3 {
		t.Fatalf("Prune = %d, %v; want 3 removed", n, err)
	}
	vs, _ := st.Vintages(ctx, "fred/DFF")
	if len(vs) != 2 || vs[0].ID != ids[4] || vs[1].ID != ids[3] {
		t.Errorf("after Prune(2): %+v", vs)
	}
	if _, err := st.Series(ctx, "fred/DFF", ids[0]); !errors.Is(err, ErrNotFound) {
		t.Errorf("pruned vintage still readable: %v", err)
	}
	if n, err := st.Prune(ctx, "", 1); err != nil || n != 1+4 {
		t.Errorf("Prune all keep 1 = %d, %v; want 5 removed", n, err)
	}
	if _, err := st.Prune(ctx, "fred/NOPE", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("Prune of a missing dataset: %v", err)
	}

	// Deleting the raw file keeps the series and drops the link.
	if err := st.Delete(ctx, "fred/DFF.csv"); err != nil {
		t.Fatal(err)
	}
	if v, err := st.Vintage(ctx, "fred/DFF", ""); err != nil || v.Raw != "" || v.ID != ids[4] {
		t.Errorf("after deleting the raw file: %+v, %v", v, err)
	}
	if err := st.Delete(ctx, "fred/DFF"); err != nil {
		t.Fatal(err)
	}
	if list, _ := st.List(ctx); len(list) != 0 {
		t.Errorf("List after deleting everything: %+v", list)
	}
	var payloads int
	st.db.QueryRow(`SELECT count(*) FROM payload`).Scan(&payloads)
	if payloads != 0 {
		t.Errorf("%d payloads left behind", payloads)
	}
	// Vintage ids are never reused.
	v, err := st.PutSeries(ctx, "fred/DFF", daily("DFF", 1, func(int) float64 { return 1 }), VintageMeta{})
	if err != nil || v.ID != "11" {
		t.Errorf("new vintage after deletes = %q, %v; want id 11", v.ID, err)
	}
	if err := st.Check(ctx); err != nil {
		t.Error(err)
	}
}

func TestOpenSettings(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2",
		"busy_timeout": "10000", "application_id": "1919120244",
	} {
		var got string
		if err := st.db.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil || got != want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", pragma, got, err, want)
		}
	}
	// A directory with '?' and '#' in its name is a directory, not DSN parameters.
	dir := filepath.Join(t.TempDir(), "odd?_txlock=x#dir", "sub")
	s2, err := Open(ctx, filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if _, err := os.Stat(filepath.Join(dir, "store.db")); err != nil {
		t.Error(err)
	}
}

func TestDefaultPath(t *testing.T) {
	if p, err := DefaultPath("/data/rc"); err != nil || p != filepath.Join("/data/rc", "store.db") {
		t.Errorf("DefaultPath(home) = %q, %v", p, err)
	}
	t.Setenv("XDG_CACHE_HOME", "/xdg/cache")
	t.Setenv("HOME", "/home/u")
	p, err := DefaultPath("")
	if err != nil {
		t.Fatal(err)
	}
	cache, _ := os.UserCacheDir()
	if p != filepath.Join(cache, "ratecycle", "store.db") {
		t.Errorf("DefaultPath(\"\") = %q, want under %q", p, cache)
	}
}

func TestCheckFindsCorruptPayload(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	v, err := st.PutSeries(ctx, "fred/DFF", daily("DFF", 100, func(i int) float64 { return float64(i) }), VintageMeta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Check(ctx); err != nil {
		t.Fatal(err)
	}
	// Flip one bit of one value behind the store's back.
	var data []byte
	if err := st.db.QueryRowContext(ctx, `SELECT data FROM payload WHERE vintage = ?`, v.ID).Scan(&data); err != nil {
		t.Fatal(err)
	}
	data[500] ^= 1
	if _, err := st.db.ExecContext(ctx, `UPDATE payload SET data = ? WHERE vintage = ?`, data, v.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.Check(ctx); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "fred/DFF vintage 1") {
		t.Errorf("Check after corruption = %v, want ErrCorrupt naming fred/DFF vintage 1", err)
	}
}
