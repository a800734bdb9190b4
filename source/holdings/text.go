package holdings

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

const bom = "\uFEFF"

// splitLines splits data into lines without their terminators (LF or CRLF). A final
// line without a terminator is kept; an empty tail after the last newline is not.
func splitLines(data string) []string {
	lines := strings.Split(data, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

var (
	errUnterminated = errors.New("unterminated quoted field")
	errAfterQuote   = errors.New("unexpected character after closing quote")
)

// splitCSVLine splits one CSV line into fields: comma separated, fields optionally
// enclosed in double quotes with "" for a literal quote. A quoted field cannot span
// lines here: iShares rows never do, and a line with an open quote is not a row.
func splitCSVLine(line string, dst []string) ([]string, error) {
	dst = dst[:0]
	for i := 0; ; {
		if i < len(line) && line[i] == '"' {
			// Fast path: no doubled quote inside, so the cell is a substring.
			if k := strings.IndexByte(line[i+1:], '"'); k >= 0 {
				j := i + 1 + k + 1
				if j == len(line) || line[j] == ',' {
					dst = append(dst, line[i+1:j-1])
					if j == len(line) {
						return dst, nil
					}
					i = j + 1
					continue
				}
			}
			var b strings.Builder
			j := i + 1
			for {
				k := strings.IndexByte(line[j:], '"')
				if k < 0 {
					return dst, errUnterminated
				}
				b.WriteString(line[j : j+k])
				j += k + 1
				if j < len(line) && line[j] == '"' {
					b.WriteByte('"')
					j++
					continue
				}
				break
			}
			dst = append(dst, b.String())
			if j == len(line) {
				return dst, nil
			}
			if line[j] != ',' {
				return dst, errAfterQuote
			}
			i = j + 1
			continue
		}
		k := strings.IndexByte(line[i:], ',')
		if k < 0 {
			return append(dst, line[i:]), nil
		}
		dst = append(dst, line[i:i+k])
		i += k + 1
	}
}

// isBlank reports whether s holds only white space, counting U+00A0 (NO-BREAK SPACE),
// which iShares files use as the separator line before the legal footer.
func isBlank(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }) == ""
}

// isNA reports whether a cell is a "not available" marker.
func isNA(s string) bool {
	switch s {
	case "", "-", "--", "N/A", "n/a", "NA":
		return true
	}
	return false
}

// parseNumber parses a number as vendors write it: optional thousands separators
// ("1,532,594,919.50"), a leading "$", negatives as "-12" or "(12)". n/a markers give
// NaN. It rejects what strconv.ParseFloat would accept but no vendor means: "Inf",
// "NaN", hex floats, misplaced separators ("1,5" is not fifteen).
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if isNA(s) {
		return math.NaN(), nil
	}
	orig := s
	neg := false
	if len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' {
		neg = true
		s = s[1 : len(s)-1]
	}
	if strings.HasPrefix(s, "-") {
		if neg {
			return 0, fmt.Errorf("%q is not a number", orig)
		}
		neg = true
		s = s[1:]
	}
	s = strings.TrimPrefix(s, "$")
	if s == "" {
		return 0, fmt.Errorf("%q is not a number", orig)
	}
	if strings.IndexByte(s, ',') >= 0 {
		var ok bool
		if s, ok = stripThousands(s); !ok {
			return 0, fmt.Errorf("%q is not a number (misplaced thousands separator)", orig)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-' {
			return 0, fmt.Errorf("%q is not a number", orig)
		}
	}
	if s[0] < '0' || s[0] > '9' {
		if s[0] != '.' {
			return 0, fmt.Errorf("%q is not a number", orig)
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", orig)
	}
	if neg {
		v = -v
	}
	return v, nil
}

// stripThousands removes thousands separators from s after checking that they group
// the integer part in threes.
func stripThousands(s string) (string, bool) {
	intEnd := strings.IndexByte(s, '.')
	if intEnd < 0 {
		intEnd = len(s)
	}
	if strings.IndexByte(s[intEnd:], ',') >= 0 {
		return "", false
	}
	var buf [64]byte
	out := buf[:0]
	group := 0 // digits since the last separator; -1 before the first separator
	first := true
	for i := 0; i < intEnd; i++ {
		c := s[i]
		if c != ',' {
			out = append(out, c)
			group++
			continue
		}
		if (first && (group < 1 || group > 3)) || (!first && group != 3) {
			return "", false
		}
		first, group = false, 0
	}
	if group != 3 {
		return "", false
	}
	out = append(out, s[intEnd:]...)
	return string(out), true
}

// text normalises a text cell: trimmed, and "" for n/a markers.
func text(s string) string {
	s = strings.TrimSpace(s)
	if s == "-" || s == "--" {
		return ""
	}
	return s
}
