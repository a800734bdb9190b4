package holdings

import (
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

const (
	spFile    = "../../snapshot/data/sp500-datahub/constituents.csv"
	spFinFile = "../../snapshot/data/sp500-datahub/constituents-financials.csv"
)

func parseConstituents(t *testing.T, path string) []Constituent {
	t.Helper()
	cs, err := ParseConstituents(strings.NewReader(string(readFile(t, path))), path)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestParseConstituentsWikipedia(t *testing.T) {
	cs := parseConstituents(t, spFile)
	if len(cs) != 503 {
		t.Fatalf("%d rows, MANIFEST says 503", len(cs))
	}
	mmm := cs[0]
	if mmm.Symbol != "MMM" || mmm.Name != "3M" || mmm.Sector != "Industrials" ||
		mmm.SubIndustry != "Industrial Conglomerates" || mmm.Headquarters != "Saint Paul, Minnesota" ||
		mmm.DateAdded != series.MustDate("1957-03-04") || mmm.CIK != 66740 || mmm.Founded != "1902" ||
		!math.IsNaN(mmm.MarketCap) || mmm.Line != 2 {
		t.Errorf("MMM = %+v", mmm)
	}
	sectors := map[string]int{}
	for _, c := range cs {
		sectors[c.Sector]++
		if c.CIK <= 0 {
			t.Errorf("%s has no CIK", c.Symbol)
		}
	}
	if len(sectors) != 11 || sectors["Industrials"] != 83 {
		t.Errorf("sectors = %v", sectors)
	}
}

func TestParseConstituentsFinancials(t *testing.T) {
	cs := parseConstituents(t, spFinFile)
	if len(cs) != 503 {
		t.Fatalf("%d rows, MANIFEST says 503", len(cs))
	}
	var caps []float64
	var missing []string
	for _, c := range cs {
		if math.IsNaN(c.MarketCap) {
			missing = append(missing, c.Symbol)
			continue
		}
		caps = append(caps, c.MarketCap)
	}
	if len(missing) != 34 {
		t.Errorf("%d blank market caps, MANIFEST says 34: %v", len(missing), missing)
	}
	for _, s := range []string{"BRK.B", "HD", "CRM", "MU", "LOW", "ADI"} {
		if !containsString(missing, s) {
			t.Errorf("MANIFEST lists %s among the blank market caps", s)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(caps)))
	top, all := 0.0, 0.0
	for i, v := range caps {
		if i < 7 {
			top += v
		}
		all += v
	}
	// MANIFEST: "top-7 share by market cap of the non-missing rows = 38.2%"
	// (Python: 0.3824244652432825, GOOGL and GOOG both counted).
	if share := top / all; math.Round(share*1000)/1000 != 0.382 || !near(share, 0.3824244652432825, 1e-12) {
		t.Errorf("top-7 share = %.6f, MANIFEST says 38.2%%", share)
	}
	mmm := cs[0]
	if mmm.Symbol != "MMM" || mmm.Sector != "" || mmm.SubIndustry != "Industrial Conglomerates" ||
		mmm.Price != 178.96 || mmm.DividendYield != 0.0175 || mmm.MarketCap != 92293693440 ||
		mmm.CIK != 0 || mmm.DateAdded != series.NoDate {
		t.Errorf("MMM = %+v", mmm)
	}
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func TestParseConstituentsQuirks(t *testing.T) {
	wikiHdr := "Symbol,Security,GICS Sector,GICS Sub-Industry,Headquarters Location,Date added,CIK,Founded\n"
	finHdr := "Symbol,Name,Sector,Price,Price/Earnings,Dividend Yield,Earnings/Share,52 Week Low,52 Week High,Market Cap,EBITDA,Price/Sales,Price/Book,SEC Filings\r\n"
	tests := []struct {
		name    string
		in      string
		rows    int
		check   func(t *testing.T, cs []Constituent)
		errLine int
		errFld  string
	}{
		{name: "quoted field with comma", in: wikiHdr + `BXP,"BXP, Inc.",Real Estate,Office REITs,"Boston, Massachusetts",2006-04-03,1037540,1970` + "\n", rows: 1,
			check: func(t *testing.T, cs []Constituent) {
				if cs[0].Name != "BXP, Inc." || cs[0].Headquarters != "Boston, Massachusetts" {
					t.Errorf("%+v", cs[0])
				}
			}},
		{name: "CRLF and blank market cap", in: finHdr + "ADI,Analog Devices,Semiconductors,373.09,44.415478,0.0119,8.4,223.47,445.91,,6922700800,,5.402404,http://x\r\n", rows: 1,
			check: func(t *testing.T, cs []Constituent) {
				if !math.IsNaN(cs[0].MarketCap) || cs[0].Price != 373.09 || cs[0].SECFilings != "http://x" {
					t.Errorf("%+v", cs[0])
				}
			}},
		{name: "sector names stay sectors", in: finHdr + "MMM,3M,Industrials,1,,,,,,5,,,,\r\n", rows: 1,
			check: func(t *testing.T, cs []Constituent) {
				if cs[0].Sector != "Industrials" || cs[0].SubIndustry != "" {
					t.Errorf("%+v", cs[0])
				}
			}},
		{name: "columns in another order, BOM", in: "\uFEFFCIK,Symbol,Security,GICS Sector\n0000066740,MMM,3M,Industrials\n", rows: 1,
			check: func(t *testing.T, cs []Constituent) {
				if cs[0].CIK != 66740 || cs[0].Symbol != "MMM" {
					t.Errorf("%+v", cs[0])
				}
			}},
		{name: "older date added with original date", in: wikiHdr + "MMM,3M,Industrials,X,Y,1976-08-09 (1957-03-04),66740,1902\n", rows: 1,
			check: func(t *testing.T, cs []Constituent) {
				if cs[0].DateAdded != series.MustDate("1976-08-09") {
					t.Errorf("%s", cs[0].DateAdded)
				}
			}},
		{name: "empty file", in: "", errLine: 1},
		{name: "unknown layout", in: "Ticker,Weight\nA,1\n", errLine: 1},
		{name: "bad market cap", in: finHdr + "MMM,3M,X,1,,,,,,9e9x,,,,\r\n", errLine: 2, errFld: "Market Cap"},
		{name: "bad CIK", in: wikiHdr + "MMM,3M,Industrials,X,Y,1957-03-04,-66740,1902\n", errLine: 2, errFld: "CIK"},
		{name: "bad date added", in: wikiHdr + "MMM,3M,Industrials,X,Y,1957-02-30,66740,1902\n", errLine: 2, errFld: "Date added"},
		{name: "duplicate symbol", in: wikiHdr + "MMM,3M,I,X,Y,,1,\nMMM,3M,I,X,Y,,1,\n", errLine: 3, errFld: "Symbol"},
		{name: "empty symbol", in: wikiHdr + ",3M,I,X,Y,,1,\n", errLine: 2, errFld: "Symbol"},
		{name: "wrong field count", in: wikiHdr + "MMM,3M\n", errLine: 2},
		{name: "bare quote", in: wikiHdr + "MMM,3\"M,I,X,Y,,1,\n", errLine: 2},
		{name: "mixed layouts", in: "Symbol,Security,Market Cap\n", errLine: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := ParseConstituents(strings.NewReader(tc.in), "test.csv")
			if tc.errLine > 0 || tc.errFld != "" {
				checkParseError(t, err, tc.errLine, tc.errFld)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != tc.rows {
				t.Fatalf("%d rows, want %d", len(cs), tc.rows)
			}
			if tc.check != nil {
				tc.check(t, cs)
			}
		})
	}
}
