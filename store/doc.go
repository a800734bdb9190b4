// Package store is ratecycle's local data store: an embedded SQLite database
// (modernc.org/sqlite, pure Go) that keeps every dataset the user imported or
// downloaded, in vintages.
//
// A dataset has an id of the form provider/name ("fred/DFF", "user/my-fund") and holds
// either a series or a raw file (the bytes a download returned). Each write makes a new
// vintage and makes it current in one transaction; earlier vintages stay readable until
// they are pruned, so a bad download never destroys the last good data and any number
// can be traced to the exact vintage it came from.
//
// Crash safety is designed, not hoped for: the database runs in WAL mode with
// synchronous=FULL, and a vintage (observations, provenance, checksum, fetch metadata)
// and the switch of the current pointer are written in one transaction. A process
// killed in the middle of an import leaves the previous vintage current and intact;
// kill_test.go proves it by SIGKILLing a child process mid-write.
//
// Observations are stored compactly, one BLOB per vintage: n little-endian int32 day
// numbers (series.Date) followed by n little-endian IEEE-754 float64 bit patterns, NaN
// payloads preserved bit-exactly. The vintage checksum is the SHA-256 of that encoding
// (of the raw bytes for a file), so two vintages with the same observations have the
// same checksum whatever their fetch time.
//
// The rest of the program depends on the [Backend] interface, not on *Store, so a
// PostgreSQL backend for teams sharing one store can implement the same interface
// later (it does not exist yet).
//
// store never touches the network and never parses provider formats (CSV, zip, JSON):
// it is given series and bytes, and gives them back exactly.
package store
