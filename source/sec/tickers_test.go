package sec

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/source/holdings"
)

const (
	tickersDec2025  = "../../snapshot/data/sec/tickers-iqterminal/company_tickers.json"
	tickersExchange = "../../snapshot/data/sec/tickers-iqterminal/company_tickers_exchange.json"
	tickersMar2026  = "../../snapshot/data/sec/tickers-smid-sec-data-engine/sec_tickers.json"
	iwmFile         = "../../snapshot/data/ishares-holdings/IWM_holdings.csv"
)

func parseTickers(t testing.TB, path string) *TickerMap {
	t.Helper()
	m, err := ParseTickers(strings.NewReader(string(readFile(t, path))), path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The counts are those of ../../snapshot/data/sec/MANIFEST.md.
func TestParseTickersReal(t *testing.T) {
	tests := []struct {
		file       string
		rows, ciks int
		rna        int
	}{
		{tickersDec2025, 10218, 7959, 1599901},
		{tickersExchange, 10218, 7959, 1599901},
		{tickersMar2026, 10462, 8103, 2093101}, // re-serialised by Python, with spaces
	}
	for _, tc := range tests {
		m := parseTickers(t, tc.file)
		ciks := map[int]bool{}
		for _, e := range m.Entries {
			ciks[e.CIK] = true
		}
		if m.Len() != tc.rows || len(ciks) != tc.ciks {
			t.Errorf("%s: %d rows, %d CIKs; want %d, %d", tc.file, m.Len(), len(ciks), tc.rows, tc.ciks)
		}
		if e := m.Entries[0]; e.CIK != 1045810 || e.Ticker != "NVDA" || e.Title != "NVIDIA CORP" {
			t.Errorf("%s: first row %+v", tc.file, e)
		}
		// MANIFEST: "RNA is 1599901 in Dec 2025 and 2093101 in Mar 2026".
		if cik, ok := m.CIK("RNA"); !ok || cik != tc.rna {
			t.Errorf("%s: RNA -> %d", tc.file, cik)
		}
	}

	ex := parseTickers(t, tickersExchange)
	byExchange := map[string]int{}
	for _, e := range ex.Entries {
		byExchange[e.Exchange]++
	}
	want := map[string]int{"Nasdaq": 4171, "NYSE": 3273, "OTC": 2480, "CBOE": 28, "NYS": 1, "": 265}
	for k, n := range want {
		if byExchange[k] != n {
			t.Errorf("exchange %q: %d rows, MANIFEST says %d", k, byExchange[k], n)
		}
	}
}

// iwmTickers returns the unique tickers of the IWM equity rows, without the "-" ones.
func iwmTickers(t *testing.T) []string {
	f, err := os.Open(iwmFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fund, err := holdings.ParseIShares(f, iwmFile)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, h := range fund.Equities() {
		if h.Ticker != "" && !seen[h.Ticker] {
			seen[h.Ticker] = true
			out = append(out, h.Ticker)
		}
	}
	sort.Strings(out)
	return out
}

func TestIWMCoverage(t *testing.T) {
	tickers := iwmTickers(t)
	if len(tickers) != 1920 {
		t.Fatalf("%d unique IWM tickers, MANIFEST says 1,920", len(tickers))
	}
	tests := []struct {
		file         string
		exact, class int
		missing      string
	}{
		{tickersMar2026, 1903, 3, "ADRO AKE EFOR FRBA GTXI HIFS INH NBN ONT P5N994 PDLI SBT THRD TOWN"},
		{tickersDec2025, 1885, 3, "ABX ACH ADRO AHRT AKE AKTS CALY CVSA DCH DFTX EFOR FRBA GPGI GTXI HIFS INH MRDN NBN ONT OPLN P5N994 PDLI PPHC RPC RYZ SBT THRD TOWN TRAX TSEOF VISN XRN"},
	}
	for _, tc := range tests {
		m := parseTickers(t, tc.file)
		count := map[Match]int{}
		var missing, class []string
		for _, tk := range tickers {
			_, match := m.Lookup(tk)
			count[match]++
			switch match {
			case NoMatch:
				missing = append(missing, tk)
			case MatchClass:
				class = append(class, tk)
			}
		}
		if count[MatchExact] != tc.exact || count[MatchClass] != tc.class || count[MatchDash] != 0 {
			t.Errorf("%s: %v; MANIFEST says %d exact + %d class share", tc.file, count, tc.exact, tc.class)
		}
		if got := strings.Join(missing, " "); got != tc.missing {
			t.Errorf("%s: missing\n got %s\nwant %s", tc.file, got, tc.missing)
		}
		if got := strings.Join(class, " "); got != "CRDA GEFB MOGA" {
			t.Errorf("%s: class-share matches %s, MANIFEST says CRDA GEFB MOGA", tc.file, got)
		}
		if mapped := len(tickers) - len(missing); tc.file == tickersMar2026 && mapped != 1906 {
			t.Errorf("%d of 1,920 IWM tickers map, MANIFEST says 1,906", mapped)
		}
	}
}

func TestLookup(t *testing.T) {
	m, err := ParseTickers(strings.NewReader(`{"0":{"cik_str":1067983,"ticker":"BRK-B","title":"BERKSHIRE"},
		"1":{"cik_str":67887,"ticker":"MOG-A","title":"MOOG"},"2":{"cik_str":1,"ticker":"A-B","title":"AB"},
		"3":{"cik_str":320193,"ticker":"AAPL","title":"Apple"},"4":{"cik_str":999,"ticker":"AAPL","title":"dup"}}`), "t.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in    string
		cik   int
		match Match
	}{
		{"AAPL", 320193, MatchExact}, // the first of two rows wins
		{" aapl ", 320193, MatchExact},
		{"BRK-B", 1067983, MatchExact},
		{"BRK.B", 1067983, MatchDash},
		{"BRK/B", 1067983, MatchDash},
		{"BRK B", 1067983, MatchDash},
		{"BRKB", 1067983, MatchClass}, // IVV writes BRKB
		{"MOGA", 67887, MatchClass},
		{"AB", 0, NoMatch}, // too short for the class-share rule
		{"BRK.C", 0, NoMatch},
		{"MOG1", 0, NoMatch},
		{"", 0, NoMatch},
	}
	for _, tc := range tests {
		e, match := m.Lookup(tc.in)
		cik, ok := m.CIK(tc.in)
		if e.CIK != tc.cik || match != tc.match || cik != tc.cik || ok != (tc.match != NoMatch) {
			t.Errorf("Lookup(%q) = %d %v, want %d %v", tc.in, e.CIK, match, tc.cik, tc.match)
		}
	}
	if MatchClass.String() != "class share" || NoMatch.String() != "none" {
		t.Error("Match.String")
	}
}

func TestParseTickersQuirks(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		rows  int
		path  string
		field string
	}{
		{name: "compact", in: `{"0":{"cik_str":1045810,"ticker":"NVDA","title":"NVIDIA CORP"}}`, rows: 1},
		{name: "python spacing", in: `{"0": {"cik_str": 1045810, "ticker": "NVDA", "title": "NVIDIA CORP"}, "1": {"cik_str": 320193, "ticker": "aapl", "title": "Apple Inc."}}`, rows: 2},
		{name: "cik_str as padded string", in: `{"0":{"cik_str":"0001045810","ticker":"NVDA","title":"N"}}`, rows: 1},
		{name: "exchange layout with null", in: `{"fields":["cik","name","ticker","exchange"],"data":[[1045810,"NVIDIA CORP","NVDA","Nasdaq"],[1,"X","XX",null]]}`, rows: 2},
		{name: "exchange layout, data before fields", in: `{"data":[["XX",1]],"fields":["ticker","cik"]}`, rows: 1},
		{name: "empty map", in: `{}`, rows: 0},

		{name: "cik_str is a bool", in: `{"0":{"cik_str":true,"ticker":"A","title":"A"}}`, path: `0.cik_str`, field: "cik_str"},
		{name: "cik_str is zero", in: `{"0":{"cik_str":0,"ticker":"A","title":"A"}}`, path: `0.cik_str`, field: "cik_str"},
		{name: "ticker missing", in: `{"0":{"cik_str":1,"ticker":"A"},"1":{"cik_str":2,"title":"B"}}`, path: `1.ticker`, field: "ticker"},
		{name: "ticker blank", in: `{"0":{"cik_str":1,"ticker":" "}}`, path: `0.ticker`, field: "ticker"},
		{name: "cik missing", in: `{"0":{"ticker":"A"}}`, path: `0.cik_str`, field: "cik_str"},
		{name: "entry is a number", in: `{"0":5}`, path: `0`, field: "0"},
		{name: "fields lacks ticker", in: `{"fields":["cik","name"],"data":[]}`, path: "fields", field: "ticker"},
		{name: "row too short", in: `{"fields":["cik","name","ticker","exchange"],"data":[[1,"A","A","NYSE"],[2,"B","B"]]}`, path: "data[1]", field: "data"},
		{name: "row cik not digits", in: `{"fields":["cik","name","ticker","exchange"],"data":[["x1","A","A","NYSE"]]}`, path: "data[0][0]", field: "cik"},
		{name: "row exchange a number", in: `{"fields":["cik","name","ticker","exchange"],"data":[[1,"A","A",7]]}`, path: "data[0][3]", field: "exchange"},
		{name: "row value an object", in: `{"fields":["cik","name","ticker","exchange"],"data":[[1,{},"A","X"]]}`, path: "data[0][1]"},
		{name: "mixed layouts", in: `{"0":{"cik_str":1,"ticker":"A"},"fields":["cik"]}`, path: "fields", field: "fields"},
		{name: "truncated", in: `{"0":{"cik_str":1,"ticker":"A"`, path: "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseTickers(strings.NewReader(tc.in), "test.json")
			if tc.path == "" {
				if err != nil {
					t.Fatal(err)
				}
				if m.Len() != tc.rows {
					t.Errorf("%d rows, want %d", m.Len(), tc.rows)
				}
				return
			}
			checkJSONError(t, err, tc.path, tc.field)
		})
	}
}
