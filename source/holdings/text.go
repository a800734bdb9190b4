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
	intPart, frac := s, ""
	if k := strings.IndexByte(s, '.'); k >= 0 {
		intPart, frac = s[:k], s[k:]
	}
	if strings.IndexByte(frac, ',') >= 0 {
		return "", false
	}
	groups := strings.Split(intPart, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, "") + frac, true
}

// text normalises a text cell: trimmed, and "" for n/a markers.
func text(s string) string {
	s = strings.TrimSpace(s)
	if s == "-" || s == "--" {
		return ""
	}
	return s
}
