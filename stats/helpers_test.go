package stats

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// tol is the agreement required with every peer value: |got - want| <= tol, or
// |got - want| <= tol·|want| (absolute for small numbers, relative for large ones).
const tol = 1e-8

// agreement compares values against a peer and remembers the largest differences, so a
// test can log how close the agreement actually is, not just that it passed.
type agreement struct {
	t              *testing.T
	peer           string
	n              int
	maxAbs, maxRel float64
}

func newAgreement(t *testing.T, peer string) *agreement {
	t.Helper()
	a := &agreement{t: t, peer: peer}
	t.Cleanup(func() {
		t.Logf("%s: %d values, max abs diff %.3g, max rel diff %.3g", a.peer, a.n, a.maxAbs, a.maxRel)
	})
	return a
}

func (a *agreement) check(what string, got, want float64) {
	a.t.Helper()
	a.n++
	if math.IsNaN(got) || math.IsNaN(want) {
		if math.IsNaN(got) != math.IsNaN(want) {
			a.t.Errorf("%s: got %v, %s has %v", what, got, a.peer, want)
		}
		return
	}
	d := math.Abs(got - want)
	rel := 0.0
	if math.Abs(want) > 1e-15 || math.Abs(got) > 1e-15 {
		// Below 1e-15 both sides are rounding noise (an exact 0 against 1e-22):
		// only the absolute difference means something there.
		rel = d / math.Abs(want)
	}
	a.maxAbs = math.Max(a.maxAbs, d)
	a.maxRel = math.Max(a.maxRel, rel)
	if d > tol && d > tol*math.Abs(want) {
		a.t.Errorf("%s: got %.17g, %s has %.17g (diff %.3g)", what, got, a.peer, want, d)
	}
}

func (a *agreement) checkSlice(what string, got, want []float64) {
	a.t.Helper()
	if len(got) != len(want) {
		a.t.Errorf("%s: got %d values, %s has %d", what, len(got), a.peer, len(want))
		return
	}
	for i := range got {
		a.check(what+"["+strconv.Itoa(i)+"]", got[i], want[i])
	}
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// readCSV returns the header and the rows of testdata/name.
func readCSV(t testing.TB, name string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows[0], rows[1:]
}

// readColumns reads numeric columns 1.. of testdata/name (column 0 is the date).
func readColumns(t testing.TB, name string) (header []string, cols [][]float64) {
	t.Helper()
	hdr, rows := readCSV(t, name)
	cols = make([][]float64, len(hdr)-1)
	for i, r := range rows {
		for j := 1; j < len(hdr); j++ {
			v, err := strconv.ParseFloat(r[j], 64)
			if err != nil {
				t.Fatalf("%s row %d column %q: %v", name, i+2, hdr[j], err)
			}
			cols[j-1] = append(cols[j-1], v)
		}
	}
	return hdr[1:], cols
}
