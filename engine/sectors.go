package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
	"github.com/ratecycle/ratecycle/sector"
	"github.com/ratecycle/ratecycle/series"
)

// SectorUniverses are the universes `ratecycle sectors` ranks.
var SectorUniverses = []string{"french12", "french49", "etf"}

// SectorOptions are the inputs of a sector ranking.
type SectorOptions struct {
	Universe string // french12 (default), french49 or etf
	Weights  sector.Weights
	MaxLags  int // Newey-West lag; negative = the default rule
}

// french12 and french49 are the Ken French industry columns with what each holds
// (from the library's industry definitions).
var french12 = [][2]string{
	{"NoDur", "Consumer non-durables: food, tobacco, textiles, apparel, leather, toys"},
	{"Durbl", "Consumer durables: cars, TVs, furniture, household appliances"},
	{"Manuf", "Manufacturing: machinery, trucks, planes, office furniture, paper, printing"},
	{"Enrgy", "Oil, gas and coal extraction and products"},
	{"Chems", "Chemicals and allied products"},
	{"BusEq", "Business equipment: computers, software, electronic equipment"},
	{"Telcm", "Telephone and television transmission"},
	{"Utils", "Utilities"},
	{"Shops", "Wholesale, retail and some services (laundries, repair shops)"},
	{"Hlth", "Healthcare, medical equipment and drugs"},
	{"Money", "Finance"},
	{"Other", "Other: mines, construction, building materials, transport, hotels, business services, entertainment"},
}

var french49 = [][2]string{
	{"Agric", "Agriculture"}, {"Food", "Food products"}, {"Soda", "Candy and soda"}, {"Beer", "Beer and liquor"},
	{"Smoke", "Tobacco products"}, {"Toys", "Recreation"}, {"Fun", "Entertainment"}, {"Books", "Printing and publishing"},
	{"Hshld", "Consumer goods"}, {"Clths", "Apparel"}, {"Hlth", "Healthcare"}, {"MedEq", "Medical equipment"},
	{"Drugs", "Pharmaceutical products"}, {"Chems", "Chemicals"}, {"Rubbr", "Rubber and plastic products"},
	{"Txtls", "Textiles"}, {"BldMt", "Construction materials"}, {"Cnstr", "Construction"}, {"Steel", "Steel works"},
	{"FabPr", "Fabricated products"}, {"Mach", "Machinery"}, {"ElcEq", "Electrical equipment"},
	{"Autos", "Automobiles and trucks"}, {"Aero", "Aircraft"}, {"Ships", "Shipbuilding, railroad equipment"},
	{"Guns", "Defense"}, {"Gold", "Precious metals"}, {"Mines", "Non-metallic and industrial metal mining"},
	{"Coal", "Coal"}, {"Oil", "Petroleum and natural gas"}, {"Util", "Utilities"}, {"Telcm", "Communication"},
	{"PerSv", "Personal services"}, {"BusSv", "Business services"}, {"Hardw", "Computers"},
	{"Softw", "Computer software"}, {"Chips", "Electronic equipment"}, {"LabEq", "Measuring and control equipment"},
	{"Paper", "Business supplies"}, {"Boxes", "Shipping containers"}, {"Trans", "Transportation"},
	{"Whlsl", "Wholesale"}, {"Rtail", "Retail"}, {"Meals", "Restaurants, hotels, motels"}, {"Banks", "Banking"},
	{"Insur", "Insurance"}, {"RlEst", "Real estate"}, {"Fin", "Trading"}, {"Other", "Almost nothing"},
}

var sectorETFs = [][2]string{
	{"XLB", "Materials Select Sector SPDR"}, {"XLC", "Communication Services Select Sector SPDR (from 2018)"},
	{"XLE", "Energy Select Sector SPDR"}, {"XLF", "Financial Select Sector SPDR"},
	{"XLI", "Industrial Select Sector SPDR"}, {"XLK", "Technology Select Sector SPDR"},
	{"XLP", "Consumer Staples Select Sector SPDR"}, {"XLRE", "Real Estate Select Sector SPDR (from 2015)"},
	{"XLU", "Utilities Select Sector SPDR"}, {"XLV", "Health Care Select Sector SPDR"},
	{"XLY", "Consumer Discretionary Select Sector SPDR"}, {"ITB", "iShares U.S. Home Construction"},
	{"XHB", "SPDR S&P Homebuilders"}, {"KRE", "SPDR S&P Regional Banking"}, {"QUAL", "iShares MSCI USA Quality Factor"},
}

// SectorInputIDs returns the dataset ids a universe reads: the assets, then the market,
// then the rates.
func SectorInputIDs(universe string) (assets [][2]string, market []string, err error) {
	switch universe {
	case "", "french12":
		for _, c := range french12 {
			assets = append(assets, [2]string{"french/12_Industry_Portfolios/" + c[0], c[1]})
		}
	case "french49":
		for _, c := range french49 {
			assets = append(assets, [2]string{"french/49_Industry_Portfolios/" + c[0], c[1]})
		}
	case "etf":
		for _, c := range sectorETFs {
			assets = append(assets, [2]string{"price/" + c[0], c[1]})
		}
		return assets, []string{"price/SPY"}, nil
	default:
		return nil, nil, fmt.Errorf("unknown universe %q (want %s)", universe, strings.Join(SectorUniverses, ", "))
	}
	return assets, []string{"french/F-F_Research_Data_Factors/Mkt-RF", "french/F-F_Research_Data_Factors/RF"}, nil
}

// RateIDs are the rate series the sector betas read.
var RateIDs = []string{"fred/DGS2", "fred/FEDFUNDS"}

// Sectors ranks a universe of sectors or industries.
func Sectors(ctx context.Context, cat *catalog.Catalog, h *cycle.History, opt SectorOptions) (*sector.Ranking, error) {
	return sectors(ctx, func(ctx context.Context, id string) (*series.Series, error) { return cat.Load(ctx, id, "") }, h, opt)
}

func sectors(ctx context.Context, load func(context.Context, string) (*series.Series, error), h *cycle.History, opt SectorOptions) (*sector.Ranking, error) {
	ids, mids, err := SectorInputIDs(opt.Universe)
	if err != nil {
		return nil, err
	}
	universe := opt.Universe
	if universe == "" {
		universe = "french12"
	}
	in := sector.Inputs{Universe: universe, History: h}
	for _, a := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s, err := load(ctx, a[0])
		if err != nil {
			return nil, fmt.Errorf("sectors: %w", err)
		}
		in.Assets = append(in.Assets, sector.Asset{ID: a[0], Name: a[0][strings.LastIndex(a[0], "/")+1:], Title: a[1], S: s})
	}
	if len(mids) == 2 {
		mrf, err := load(ctx, mids[0])
		if err != nil {
			return nil, fmt.Errorf("sectors: %w", err)
		}
		rf, err := load(ctx, mids[1])
		if err != nil {
			return nil, fmt.Errorf("sectors: %w", err)
		}
		in.Market, in.MarketName = sector.MarketFromFactors(mrf, rf), "the Fama/French market (Mkt-RF + RF)"
	} else {
		m, err := load(ctx, mids[0])
		if err != nil {
			return nil, fmt.Errorf("sectors: %w", err)
		}
		in.Market, in.MarketName = m, "SPY"
	}
	if in.Yield2Y, err = load(ctx, RateIDs[0]); err != nil {
		return nil, fmt.Errorf("sectors: %w", err)
	}
	if in.Policy, err = load(ctx, RateIDs[1]); err != nil {
		return nil, fmt.Errorf("sectors: %w", err)
	}
	return sector.Rank(in, sector.Options{Weights: opt.Weights, MaxLags: opt.MaxLags})
}
