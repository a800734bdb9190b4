// Package sourcetest holds test helpers shared by the parser packages. It is imported by
// tests only.
package sourcetest

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ratecycle/ratecycle/source"
)

// CheckParseError fails t unless err is a *source.ParseError wrapping source.ErrBadInput
// with the given file, line and field, and its message names the file, the line (when
// line > 0), the quoted field (when not empty) and contains msg.
func CheckParseError(t testing.TB, err error, file string, line int, field, msg string) {
	t.Helper()
	var pe *source.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, source.ErrBadInput) {
		t.Fatalf("error %v (%T), want *source.ParseError", err, err)
	}
	if pe.File != file || pe.Line != line || pe.Field != field {
		t.Errorf("file %q line %d field %q, want line %d field %q", pe.File, pe.Line, pe.Field, line, field)
	}
	text := err.Error()
	if !strings.Contains(text, file) || !strings.Contains(text, msg) ||
		(line > 0 && !strings.Contains(text, "line "+strconv.Itoa(line))) ||
		(field != "" && !strings.Contains(text, strconv.Quote(field))) {
		t.Errorf("message %q lacks file, line %d, field %q or %q", text, line, field, msg)
	}
}
