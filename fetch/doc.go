// Package fetch updates the local store from the live data providers: FRED (the
// keyless fredgraph CSV, or the JSON API with a key), the Ken French Data Library
// (zipped CSV), Stooq daily CSV with Yahoo chart JSON as the fallback, SEC EDGAR
// (ticker map, companyfacts, XBRL frames) and iShares fund holdings.
//
// The network side is Client: a timeout per try that covers the whole body,
// retries with exponential backoff and jitter on timeouts, dropped connections,
// truncated bodies, 408, 429 and 5xx, Retry-After honoured on 429 and 503 (seconds
// or HTTP-date), per-host rate limits (SEC's two hosts share one limit of at most
// 10 requests per second), conditional requests from the stored vintage's ETag and
// Last-Modified, and content checks (an HTML page where CSV, JSON or a zip was
// expected is an error, never data). Errors name the provider, the URL with secrets
// redacted, the status and the first ~200 bytes of what the server said.
//
// The data side is Updater. Each target is downloaded, parsed with the same parsers
// the embedded snapshot goes through, and validated completely against itself and
// the current data (the stored vintage, or else the embedded snapshot): non-empty,
// dates increasing, not ending earlier, not shorter by more than MaxShrink
// observations, and consistent where old and new overlap. Only then are the raw
// bytes and every series parsed from them written in ONE store transaction
// (store.Backend.Update), so a killed process leaves the previous vintage current
// and a concurrent reader sees the old vintage or the new one, never a mix. A 304
// answer, or bytes identical to the stored vintage, is "unchanged": no new vintage.
//
// Stored ids: series keep their catalog ids (fred/DFF,
// french/F-F_Research_Data_Factors_daily/SMB, price/IWM), so the catalog, which
// prefers the store, serves them from then on. Raw files are kept under the name
// the provider gives them: fred/DFF.csv (fred/DFF.json from the API),
// french/F-F_Research_Data_Factors_daily_CSV.zip, price/IWM.stooq.csv or
// price/IWM.yahoo.json, holdings/IWM_holdings.csv, sec/company_tickers.json,
// sec/companyfacts/CIK0000320193.json, sec/frames/us-gaap/Revenues/USD/CY2024.json.
//
// fetch is the only package that touches the network. It never computes analyses
// and never writes to the store outside one Update transaction per target.
package fetch
