// Package source holds what every data provider package shares: the parse error that
// names the file, line (or JSON path) and field of bad input.
//
// The provider packages below it (fred, french, price, shiller, holdings, sec) parse
// real file formats into series. They never decide what a number means for an analysis.
package source

import (
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadInput is wrapped by every ParseError, so callers can map any parse failure to
// exit code 2 with errors.Is(err, source.ErrBadInput).
var ErrBadInput = errors.New("bad input")

// ParseError locates bad input: the file, the 1-based line (0 if not line-based), the
// JSON path for JSON files, the field (column name) and what was wrong.
type ParseError struct {
	File  string // file name as the user gave it, or the embedded path
	Line  int    // 1-based line number; 0 when not applicable
	Path  string // JSON path such as facts.us-gaap.Revenues.units.USD[3].val
	Field string // column or key name
	Err   error
}

func (e *ParseError) Error() string {
	msg := "parse " + e.File
	if e.Line > 0 {
		msg += fmt.Sprintf(" line %d", e.Line)
	}
	if e.Path != "" {
		msg += " at " + e.Path
	}
	if e.Field != "" {
		msg += fmt.Sprintf(" field %q", e.Field)
	}
	return msg + ": " + e.Err.Error()
}

func (e *ParseError) Unwrap() []error { return []error{e.Err, ErrBadInput} }

// Errorf builds a ParseError.
func Errorf(file string, line int, field, format string, args ...any) error {
	return &ParseError{File: file, Line: line, Field: field, Err: fmt.Errorf(format, args...)}
}

// CSVError converts an error from encoding/csv into a ParseError for file: a
// *csv.ParseError keeps its line and says at which character of the line it stopped
// (encoding/csv counts bytes, not fields, so no field is named); any other error is
// wrapped as it is.
func CSVError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		e := pe.Err
		if pe.Column > 0 {
			e = fmt.Errorf("character %d: %w", pe.Column, pe.Err)
		}
		return &ParseError{File: file, Line: pe.Line, Err: e}
	}
	return &ParseError{File: file, Err: err}
}

// YAMLLine splits a YAML syntax error ("yaml: line 3: did not find ...") into its line
// and message ("yaml: did not find ..."), so a parser of a YAML file can report the line
// as ParseError.Line. Errors without a line come back whole with line 0.
func YAMLLine(err error) (int, string) {
	msg := err.Error()
	rest, _ := strings.CutPrefix(msg, "yaml: ")
	if r, ok := strings.CutPrefix(rest, "line "); ok {
		if n, after, ok := strings.Cut(r, ": "); ok {
			if l, e := strconv.Atoi(n); e == nil {
				return l, "yaml: " + after
			}
		}
	}
	return 0, msg
}
