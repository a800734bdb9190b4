package output

import (
	"encoding/json"
	"math"
	"testing"
)

// TestNumFormatsLikeEncodingJSON: a Num marshals exactly as a float64 does, except
// that NaN and infinities become null.
func TestNumFormatsLikeEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 1e6, 1000000.5, 0.1, 1e-7, 1.5e-7, 123456789e15, 1e21, 2.5e22, -3e-9, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		want, _ := json.Marshal(f)
		got, _ := json.Marshal(Num(f))
		if string(got) != string(want) {
			t.Errorf("%v: Num %s, float64 %s", f, got, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got, _ := json.Marshal(Num(f)); string(got) != "null" {
			t.Errorf("%v: %s, want null", f, got)
		}
	}
}

func TestObjectsTypesCells(t *testing.T) {
	tab := &Tab{Columns: []string{"series", "date", "return", "n", "note"}}
	tab.Add("price/^RUT", "2024-12-31", "-0.084", "21", "")
	tab.Add("x", "2024-01-31", "+3", "1e-05", "12%")
	b, err := json.Marshal(tab.Objects())
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"date":"2024-12-31","n":21,"note":null,"return":-0.084,"series":"price/^RUT"},{"date":"2024-01-31","n":0.00001,"note":"12%","return":"+3","series":"x"}]`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}
