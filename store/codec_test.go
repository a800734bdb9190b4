package store

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzObservationEncoding checks that the canonical encoding is a bijection: any
// well-sized blob decodes and encodes back to the same bytes (so every NaN payload
// survives), and a wrongly sized one is reported as corrupt, never a panic.
func FuzzObservationEncoding(f *testing.F) {
	f.Add(encodeObservations(benchSeries().Dates[:50], benchSeries().Values[:50]))
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{0xff}, obsSize*3))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := len(b) / obsSize
		if len(b)%obsSize != 0 {
			if _, _, err := decodeObservations(b, n); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("%d bytes for %d points: err = %v, want ErrCorrupt", len(b), n, err)
			}
			return
		}
		dates, values, err := decodeObservations(b, n)
		if err != nil {
			t.Fatal(err)
		}
		if again := encodeObservations(dates, values); !bytes.Equal(again, b) {
			t.Fatalf("decode+encode changed the bytes:\n got %x\nwant %x", again, b)
		}
	})
}
