package french

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ratecycle/ratecycle/source"
)

// skeleton keeps a French file's structure at a fuzzable size: every line that is not
// a data row, and the first three and last two data rows of each block.
func skeleton(b []byte) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	isRow := func(l []byte) bool {
		t := bytes.TrimLeft(l, " ")
		return len(t) > 0 && t[0] >= '0' && t[0] <= '9'
	}
	var out []byte
	for i := 0; i < len(lines); {
		if !isRow(lines[i]) {
			out = append(out, lines[i]...)
			i++
			continue
		}
		j := i
		for j < len(lines) && isRow(lines[j]) {
			j++
		}
		for k := i; k < j; k++ {
			if k < i+3 || k >= j-2 {
				out = append(out, lines[k]...)
			}
		}
		i = j
	}
	return out
}

func FuzzParseFrench(f *testing.F) {
	files, _ := filepath.Glob(dataDir + "*")
	for _, fn := range files {
		b, err := os.ReadFile(fn)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(skeleton(b))
		f.Add(b[:min(len(b), 2048)])
	}
	f.Add([]byte("\xef\xbb\xbf,A,B,\r\n192607,   1.00,,\r\n  1927, -99.99, -999\r\n"))
	f.Add([]byte("  For portfolios formed in June of year t\n  Value Weight Average of OP Calculated as: \n,A\n196307, 0.1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(bytes.NewReader(data), "fuzz.CSV")
		if err != nil {
			var pe *source.ParseError
			if !errors.As(err, &pe) || pe.File != "fuzz.CSV" {
				t.Fatalf("error %v (%T) is not a ParseError naming the file", err, err)
			}
			return
		}
		checkInvariants(t, file)
	})
}

// FuzzParseNumber checks the fast float parser against strconv.ParseFloat.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"0.10", "-0.25", "0.009", "-99.99", "-999", "1e5", "9007199254740993", ".5", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseNumber([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		wantOK := err == nil && !math.IsInf(want, 0)
		if ok != wantOK {
			t.Fatalf("parseNumber(%q) ok=%v, strconv err=%v", s, ok, err)
		}
		if ok && math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("parseNumber(%q) = %v, strconv %v", s, got, want)
		}
	})
}
