package french

import (
	"math"
	"strconv"
)

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseNumber parses a trimmed decimal such as "1.23", "-0.456" or "-999" without
// allocating. It handles the shapes French files use with Clinger's fast path: an
// integer mantissa below 2^53 and at most 22 fractional digits make float64(m)/10^k
// one correctly rounded division, which is exactly what strconv.ParseFloat returns.
// Anything else (exponents, long mantissas, "NaN") goes to strconv.ParseFloat.
// ok is false when b is not a number or is infinite.
func parseNumber(b []byte) (v float64, ok bool) {
	i := 0
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		i = 1
	}
	var mant uint64
	digits, frac := 0, 0
	dot, seen := false, false
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			if digits == 19 {
				return parseSlow(b)
			}
			seen = true
			mant = mant*10 + uint64(c-'0')
			if mant != 0 {
				digits++
			}
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return parseSlow(b)
		}
	}
	// A lone sign, a lone dot or an empty field is not a number; strconv decides.
	if !seen || frac > 22 || mant >= 1<<53 {
		return parseSlow(b)
	}
	v = float64(mant)
	if frac > 0 {
		v /= pow10[frac]
	}
	if neg {
		v = -v
	}
	return v, true
}

func parseSlow(b []byte) (float64, bool) {
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}
