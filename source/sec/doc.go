// Package sec parses SEC EDGAR data: XBRL companyfacts JSON (one company, every
// concept it has reported), the ticker→CIK maps (company_tickers.json and
// company_tickers_exchange.json) and the Financial Statement Data Sets quarter zips.
//
// A fact is kept with the filing that reported it and that filing's date, so every
// lookup can be made point in time: FactsAsOf and the FSDS accessors only see what had
// been filed on or before a date, and a restated value never leaks into an earlier
// screen. Deduplication (one value per period, the latest filing wins) happens at
// lookup, not at parse, so nothing the SEC published is lost.
//
// Every parser returns a *source.ParseError naming the file and the JSON path (or the
// zip member, line and column) of bad input, and never panics. sec never touches the
// network or the clock: fetching with a User-Agent and the SEC's rate limit is the
// caller's job; it is handed readers.
package sec
