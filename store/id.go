package store

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxIDLen is the longest dataset id the store accepts, in bytes. Ken French
// portfolio ids such as "french/49_Industry_Portfolios_daily/Banks" are far shorter;
// the limit keeps ids usable as file names and table keys.
const MaxIDLen = 255

const maxProviderLen = 32

// ValidateID checks a dataset id: a provider (a lowercase letter, then lowercase
// letters, digits, '-' or '_', at most 32 bytes), a slash, and a non-empty name of
// printable UTF-8 without leading or trailing space; MaxIDLen bytes in all. The error
// wraps ErrInvalidID.
func ValidateID(id string) error {
	bad := func(why string) error {
		return fmt.Errorf("%w %q: %s", ErrInvalidID, id, why)
	}
	if id == "" {
		return bad("empty (want provider/name, e.g. fred/DFF)")
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("%w: %d bytes long (at most %d)", ErrInvalidID, len(id), MaxIDLen)
	}
	if !utf8.ValidString(id) {
		return bad("not valid UTF-8")
	}
	provider, name, ok := strings.Cut(id, "/")
	if !ok {
		return bad("no provider (want provider/name, e.g. fred/DFF)")
	}
	if provider == "" {
		return bad("empty provider before the slash")
	}
	if len(provider) > maxProviderLen {
		return bad(fmt.Sprintf("provider longer than %d bytes", maxProviderLen))
	}
	for i, r := range provider {
		switch {
		case r >= 'a' && r <= 'z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '_'):
		default:
			return bad(fmt.Sprintf("provider %q must be a lowercase letter followed by lowercase letters, digits, '-' or '_'", provider))
		}
	}
	if name == "" {
		return bad("empty name after the provider")
	}
	for _, r := range name {
		if r == 0 {
			return bad("contains a NUL byte")
		}
		if !unicode.IsPrint(r) && r != ' ' {
			return bad(fmt.Sprintf("contains the control or unprintable character %U", r))
		}
	}
	if strings.TrimSpace(name) != name {
		return bad("name starts or ends with a space")
	}
	return nil
}

// provider returns the part of a valid id before its first slash.
func provider(id string) string {
	p, _, _ := strings.Cut(id, "/")
	return p
}
