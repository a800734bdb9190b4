// Package snapshot embeds the default data snapshot: real files from FRED, the Ken
// French Data Library, Yahoo and Stooq price history, Shiller, S&P 500 constituents,
// iShares holdings and SEC EDGAR, copied byte for byte. data/MANIFEST.md (and
// data/sec/MANIFEST.md) give each file's origin, commit, range, format quirks and licence.
//
// snapshot only serves bytes; it never parses them (that is the source packages' job).
package snapshot

import (
	"embed"
	"io/fs"
)

//go:embed data
var files embed.FS

// FS returns the snapshot rooted at its data directory: paths look like
// "fred/DFF.csv" or "kenfrench/F-F_Research_Data_Factors_daily.CSV".
func FS() fs.FS {
	sub, err := fs.Sub(files, "data")
	if err != nil {
		panic(err) // the embed directive guarantees the directory exists
	}
	return sub
}

// ReadFile returns the bytes of one embedded file.
func ReadFile(path string) ([]byte, error) { return fs.ReadFile(FS(), path) }

// Label names this snapshot in provenance and vintages.
const Label = "embedded-2026-11"
