// Package screen is ratecycle's quality screen: it turns a company's SEC XBRL facts
// (a data.sec.gov companyfacts document, or one quarter of the SEC's Financial
// Statement Data Sets) into profitability, leverage, liquidity, accrual and growth
// ratios, the nine Piotroski F-score signals and the Altman Z-score, then applies a
// user's rules and ranks the names.
//
// # What each number means
//
// A company is read at an as-of date, point in time: only filings public on that day
// are used (sec.CompanyFacts.Annual/Instant and sec.FSDS.FactsAsOf), so a later
// restatement never leaks into an earlier screen. The current period (Cur) is the
// latest fiscal period with net income; the prior period (Prev) is the period of the
// same length that ended a year earlier. From companyfacts both are fiscal years (10-K,
// 20-F, 40-F). From an FSDS quarter they are what the latest filing reports: a fiscal
// year for a 10-K, the year to date for a 10-Q (3, 6 or 9 months, with flows annualised
// by 12/months where a ratio mixes flows and balances). The balance sheet is read at
// the end of each period; a 10-Q's comparative balance sheet is the last fiscal year
// end, not the date a year earlier, and Values.BalanceDate says which date was used.
//
// Definitions (flows annualised, balances at the period end):
//
//	ROA                  net income / total assets
//	ROE                  net income / shareholders' equity (unknown when equity <= 0)
//	gross profitability  gross profit / total assets (Novy-Marx); gross profit is
//	                     revenue - cost of revenue when not reported
//	operating margin     operating income / revenue
//	debt to equity       total liabilities / shareholders' equity: book leverage, which
//	                     counts payables, deferred revenue and leases as well as
//	                     borrowings, because filers tag borrowings in too many ways to
//	                     sum reliably; equity <= 0 makes it +Inf (fails any maximum)
//	interest coverage    EBIT / interest expense, EBIT = operating income (pretax income
//	                     + interest expense when operating income is not reported);
//	                     +Inf when interest expense is reported as 0 and EBIT > 0
//	current ratio        current assets / current liabilities
//	accruals             (net income - operating cash flow) / total assets (Sloan)
//	revenue growth       revenue / revenue of the prior period - 1
//	growth stability     sample standard deviation of the yearly revenue growth rates
//	                     of the last five fiscal years (at least three rates)
//
// Piotroski F-score (Piotroski 2000), each signal 1 when true, "unknown" when an input
// is missing: ROA > 0; CFO > 0; ROA rose; CFO > net income (accrual); long-term debt /
// assets did not rise; current ratio rose; weighted average basic shares did not rise
// (no equity issued); gross margin rose; asset turnover (revenue / assets) rose. ROA
// here uses period-end assets in both years (Piotroski uses beginning-of-year assets;
// an FSDS quarter rarely holds the balance sheet two years back). The score counts the
// known signals that are 1; with unknown signals it lies between Score and
// Score+Unknown, and a rule min_fscore passes only when Score alone reaches it, fails
// when even Score+Unknown cannot, and is unknown otherwise.
//
// Altman Z (Altman 1968, public manufacturers): 1.2 X1 + 1.4 X2 + 3.3 X3 + 0.6 X4 +
// 1.0 X5 with X1 = working capital / assets, X2 = retained earnings / assets, X3 = EBIT /
// assets, X4 = market value of equity / total liabilities, X5 = revenue / assets. The
// market value is shares outstanding (dei:EntityCommonStockSharesOutstanding, else
// CommonStockSharesOutstanding) times a price the caller supplies with its date; a
// fund's holding quantity is not shares outstanding. Without a price Z is unknown. Z was
// fitted on manufacturers: for banks and insurers it is not meaningful.
//
// Missing data is explicit everywhere: a ratio whose input is missing is NaN with the
// reason in Metrics.Why, and a rule on it is "unknown", never a pass.
//
// screen never reads files, touches the network or looks at the clock: it is given
// parsed SEC documents, prices and rules (ParseRules reads the bytes it is handed).
package screen
