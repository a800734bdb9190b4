// Package series holds dated float64 series and aligned frames: the common currency
// of every ratecycle analysis.
//
// A Date is a calendar date with no time zone. Missing values are NaN. Every Series
// carries its Provenance so any number derived from it can be traced to its source.
//
// series never reads files, touches the network or looks at the clock; it is given data.
package series

import (
	"fmt"
	"time"
)

// Date is a calendar date stored as the number of days since 1970-01-01.
// The zero Date is 1970-01-01; use NoDate for "unset".
type Date int32

// NoDate marks an unset date. It sorts before every real date.
const NoDate Date = -1 << 31

// epoch offset: days from 0000-03-01 (proleptic Gregorian) to 1970-01-01, used by the
// civil-from-days algorithm of Howard Hinnant.
const daysTo1970 = 719468

// NewDate returns the Date for year y, month m (1-12) and day d. Out-of-range days
// normalise the way time.Date does (2024-02-30 is 2024-03-01).
func NewDate(y int, m time.Month, d int) Date {
	if m < 1 || m > 12 || d < 1 || d > 28 {
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		y, m, d = t.Year(), t.Month(), t.Day()
	}
	yy := y
	mm := int(m)
	if mm <= 2 {
		yy--
	}
	era := yy
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := yy - era*400
	mp := (mm + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(era*146097 + doe - daysTo1970)
}

// FromTime returns the calendar date of t in t's own location.
func FromTime(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// YMD returns the year, month and day of d.
func (d Date) YMD() (int, time.Month, int) {
	z := int(d) + daysTo1970
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, time.Month(m), day
}

// Year returns d's year.
func (d Date) Year() int { y, _, _ := d.YMD(); return y }

// Month returns d's month.
func (d Date) Month() time.Month { _, m, _ := d.YMD(); return m }

// Day returns d's day of the month.
func (d Date) Day() int { _, _, dd := d.YMD(); return dd }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (int(d) + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// Time returns midnight UTC on d.
func (d Date) Time() time.Time {
	y, m, dd := d.YMD()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// AddDays returns d shifted by n calendar days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddMonths returns d shifted by n calendar months, clamping the day to the end of
// the target month (2024-01-31 + 1 month = 2024-02-29), as pandas' DateOffset does.
func (d Date) AddMonths(n int) Date {
	y, m, dd := d.YMD()
	total := y*12 + int(m) - 1 + n
	ny, nm := total/12, time.Month(total%12+1)
	if total < 0 && total%12 != 0 {
		ny = (total - 11) / 12
		nm = time.Month(total - ny*12 + 1)
	}
	last := DaysIn(ny, nm)
	if dd > last {
		dd = last
	}
	return NewDate(ny, nm, dd)
}

// MonthEnd returns the last calendar day of d's month.
func (d Date) MonthEnd() Date {
	y, m, _ := d.YMD()
	return NewDate(y, m, DaysIn(y, m))
}

// MonthStart returns the first day of d's month.
func (d Date) MonthStart() Date {
	y, m, _ := d.YMD()
	return NewDate(y, m, 1)
}

// DaysIn returns the number of days in month m of year y.
func DaysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// String formats d as YYYY-MM-DD; NoDate prints as the empty string.
func (d Date) String() string {
	if d == NoDate {
		return ""
	}
	y, m, dd := d.YMD()
	if y >= 0 && y <= 9999 {
		var b [10]byte
		b[0] = byte('0' + y/1000)
		b[1] = byte('0' + y/100%10)
		b[2] = byte('0' + y/10%10)
		b[3] = byte('0' + y%10)
		b[4] = '-'
		b[5] = byte('0' + int(m)/10)
		b[6] = byte('0' + int(m)%10)
		b[7] = '-'
		b[8] = byte('0' + dd/10)
		b[9] = byte('0' + dd%10)
		return string(b[:])
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// MarshalText implements encoding.TextMarshaler (YYYY-MM-DD).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDate parses YYYY-MM-DD (also YYYY/MM/DD and YYYYMMDD). It rejects impossible
// dates such as 2023-02-30.
func ParseDate(s string) (Date, error) {
	d, ok := parseDateBytes([]byte(s))
	if !ok {
		return NoDate, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return d, nil
}

// ParseDateBytes is ParseDate on a byte slice without allocating; ok is false when b
// is not a valid date.
func ParseDateBytes(b []byte) (Date, bool) { return parseDateBytes(b) }

func parseDateBytes(b []byte) (Date, bool) {
	var y, m, d int
	switch {
	case len(b) == 10 && (b[4] == '-' || b[4] == '/') && b[7] == b[4]:
		var ok1, ok2, ok3 bool
		y, ok1 = digits(b[0:4])
		m, ok2 = digits(b[5:7])
		d, ok3 = digits(b[8:10])
		if !ok1 || !ok2 || !ok3 {
			return NoDate, false
		}
	case len(b) == 8:
		var ok1, ok2, ok3 bool
		y, ok1 = digits(b[0:4])
		m, ok2 = digits(b[4:6])
		d, ok3 = digits(b[6:8])
		if !ok1 || !ok2 || !ok3 {
			return NoDate, false
		}
	default:
		return NoDate, false
	}
	if m < 1 || m > 12 || d < 1 || d > DaysIn(y, time.Month(m)) {
		return NoDate, false
	}
	return NewDate(y, time.Month(m), d), true
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// MustDate parses s and panics if it is not a date. For tests and constants only.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
