package source

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestCSVError(t *testing.T) {
	_, err := csv.NewReader(strings.NewReader("a,b\nx,\"y\"z\n")).ReadAll()
	got := CSVError("my.csv", err)
	var pe *ParseError
	if !errors.As(got, &pe) || pe.File != "my.csv" || pe.Line != 2 || pe.Field != "" || !errors.Is(got, ErrBadInput) || !errors.Is(got, csv.ErrQuote) {
		t.Errorf("CSVError = %#v (%v)", pe, got)
	}
	if want := `parse my.csv line 2: character 5: extraneous or missing " in quoted-field`; got.Error() != want {
		t.Errorf("message %q, want %q", got.Error(), want)
	}
	other := CSVError("my.csv", io.ErrUnexpectedEOF)
	if !errors.Is(other, io.ErrUnexpectedEOF) || !errors.Is(other, ErrBadInput) || other.Error() != "parse my.csv: unexpected EOF" {
		t.Errorf("CSVError(other) = %v", other)
	}
}
