package source

import (
	"bytes"
	"iter"
)

// Lines iterates over the lines of data, yielding each 1-based line number and the
// line without its "\n" and trailing "\r" (files saved on Windows end lines in CRLF).
// Blank lines are yielded too, so line numbers in errors match an editor's. A final
// line without "\n" is yielded; an empty data yields nothing. The lines share data's
// memory.
func Lines(data []byte) iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		for no, pos := 1, 0; pos < len(data); no++ {
			var line []byte
			if n := bytes.IndexByte(data[pos:], '\n'); n >= 0 {
				line, pos = data[pos:pos+n], pos+n+1
			} else {
				line, pos = data[pos:], len(data)
			}
			if !yield(no, bytes.TrimRight(line, "\r")) {
				return
			}
		}
	}
}

// SplitFields appends to dst the comma-separated fields of line, each trimmed of
// spaces and of one pair of surrounding double quotes, and returns the extended
// slice. It is for the simple CSV of price, FRED and Shiller files, which never quote
// a comma; files that may (holdings, user CSV) go through encoding/csv. The fields
// share line's memory.
func SplitFields(dst [][]byte, line []byte) [][]byte {
	for {
		n := bytes.IndexByte(line, ',')
		f := line
		if n >= 0 {
			f = line[:n]
		}
		dst = append(dst, Unquote(f))
		if n < 0 {
			return dst
		}
		line = line[n+1:]
	}
}

// Unquote returns b trimmed of spaces and of one pair of surrounding double quotes
// (which spreadsheet tools add when they re-save a file), and of the spaces inside
// them.
func Unquote(b []byte) []byte {
	b = bytes.TrimSpace(b)
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		return bytes.TrimSpace(b[1 : len(b)-1])
	}
	return b
}
