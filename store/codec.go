package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"

	"github.com/ratecycle/ratecycle/series"
)

// obsSize is the encoded size of one observation: an int32 date and a float64 value.
const obsSize = 4 + 8

// encodeObservations returns the canonical encoding of a series' observations: n
// little-endian int32 day numbers, then n little-endian float64 bit patterns. Dates
// and values are kept in two runs rather than interleaved so each decodes with a
// tight loop.
func encodeObservations(dates []series.Date, values []float64) []byte {
	n := len(dates)
	b := make([]byte, obsSize*n)
	for i, d := range dates {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(d))
	}
	v := b[4*n:]
	for i, x := range values {
		binary.LittleEndian.PutUint64(v[8*i:], math.Float64bits(x))
	}
	return b
}

// decodeObservations reverses encodeObservations; n is the count recorded beside
// the blob, checked against its length.
func decodeObservations(b []byte, n int) ([]series.Date, []float64, error) {
	if len(b) != obsSize*n {
		return nil, nil, fmt.Errorf("%w: %d bytes of observations, want %d for %d points", ErrCorrupt, len(b), obsSize*n, n)
	}
	dates := make([]series.Date, n)
	values := make([]float64, n)
	for i := range dates {
		dates[i] = series.Date(int32(binary.LittleEndian.Uint32(b[4*i:])))
	}
	v := b[4*n:]
	for i := range values {
		values[i] = math.Float64frombits(binary.LittleEndian.Uint64(v[8*i:]))
	}
	return dates, values, nil
}

// checksum is the hex SHA-256 of a canonical encoding.
func checksum(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Checksum returns the checksum PutSeries would record for s: the hex SHA-256 of its
// canonical observation encoding (see the package doc). It covers the dates and the
// exact bits of the values, not the name, kind or provenance.
func Checksum(s *series.Series) string {
	return checksum(encodeObservations(s.Dates, s.Values))
}

// validateSeries rejects what the store must never keep: a series without
// observations, with mismatched lengths, an unknown frequency, unset or non-increasing dates, or no value
// at all (every observation NaN, which is what a parser reading the wrong column
// produces).
func validateSeries(s *series.Series) error {
	if s == nil {
		return fmt.Errorf("%w: nil series", ErrInvalidSeries)
	}
	if len(s.Dates) != len(s.Values) {
		return fmt.Errorf("%w: %d dates but %d values", ErrInvalidSeries, len(s.Dates), len(s.Values))
	}
	if len(s.Dates) == 0 {
		return fmt.Errorf("%w: no observations", ErrInvalidSeries)
	}
	if _, err := series.ParseFrequency(s.Freq.String()); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidSeries, err)
	}
	if s.Dates[0] == series.NoDate {
		return fmt.Errorf("%w: observation 1 has no date", ErrInvalidSeries)
	}
	for i := 1; i < len(s.Dates); i++ {
		if s.Dates[i] <= s.Dates[i-1] {
			return fmt.Errorf("%w: dates must increase strictly, but observation %d (%s) follows %s",
				ErrInvalidSeries, i+1, s.Dates[i], s.Dates[i-1])
		}
	}
	for _, v := range s.Values {
		if !math.IsNaN(v) {
			return nil
		}
	}
	return fmt.Errorf("%w: all %d values are missing (NaN)", ErrInvalidSeries, len(s.Values))
}
