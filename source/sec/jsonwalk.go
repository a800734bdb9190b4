package sec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source"
)

// walker reads a JSON document token by token and keeps the path of the value it is
// on, so an error can say exactly where it is: facts.us-gaap.Revenues.units.USD[3].val.
// encoding/json's Unmarshal reports neither array indices nor map keys reliably.
type walker struct {
	dec  *json.Decoder
	data []byte
	file string
	path []pathSeg
}

// pathSeg is one step of a JSON path: a key, or an index when key is "".
type pathSeg struct {
	key   string
	index int
}

func newWalker(data []byte, file string) *walker {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return &walker{dec: dec, data: data, file: file}
}

// pathString renders the path: keys joined by dots, indices in brackets.
func (w *walker) pathString() string {
	var b strings.Builder
	for _, s := range w.path {
		if s.key == "" {
			fmt.Fprintf(&b, "[%d]", s.index)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

// lineAt returns the 1-based line of byte offset off.
func (w *walker) lineAt(off int64) int {
	if off > int64(len(w.data)) {
		off = int64(len(w.data))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(w.data[:off], []byte{'\n'}) + 1
}

// fail builds a ParseError at the current path and input position. The field is the
// last key on the path.
func (w *walker) fail(format string, args ...any) error {
	field := ""
	for i := len(w.path) - 1; i >= 0; i-- {
		if w.path[i].key != "" {
			field = w.path[i].key
			break
		}
	}
	return &source.ParseError{File: w.file, Line: w.lineAt(w.dec.InputOffset()), Path: w.pathString(),
		Field: field, Err: fmt.Errorf(format, args...)}
}

// token reads the next token; a syntax error becomes a ParseError at the current path.
func (w *walker) token() (json.Token, error) {
	t, err := w.dec.Token()
	if err == nil {
		return t, nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		e := w.fail("malformed JSON: %v", se).(*source.ParseError)
		e.Line = w.lineAt(se.Offset)
		return nil, e
	}
	if err == io.EOF {
		return nil, w.fail("unexpected end of JSON input")
	}
	return nil, w.fail("%v", err)
}

// describe names a token's JSON type for error messages.
func describe(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		if v == '[' {
			return "an array"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		if len(v) > 40 {
			v = v[:40] + "..."
		}
		return fmt.Sprintf("the string %q", v)
	case json.Number:
		return "the number " + string(v)
	case bool:
		return fmt.Sprintf("%t", v)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", t)
}

// object reads an object, calling fn for each key with the decoder positioned on its
// value; fn must consume the value. A value that is not an object is an error.
func (w *walker) object(fn func(key string) error) error {
	t, err := w.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return w.fail("want an object, got %s", describe(t))
	}
	return w.objectBody(fn)
}

// objectBody is object after its '{' has been read.
func (w *walker) objectBody(fn func(key string) error) error {
	for w.dec.More() {
		t, err := w.token()
		if err != nil {
			return err
		}
		key, ok := t.(string)
		if !ok {
			return w.fail("want an object key, got %s", describe(t))
		}
		w.path = append(w.path, pathSeg{key: key})
		if err := fn(key); err != nil {
			return err
		}
		w.path = w.path[:len(w.path)-1]
	}
	_, err := w.token() // '}'
	return err
}

// array reads an array, calling fn for each element with the decoder positioned on it;
// fn must consume the element.
func (w *walker) array(fn func(i int) error) error {
	t, err := w.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return w.fail("want an array, got %s", describe(t))
	}
	for i := 0; w.dec.More(); i++ {
		w.path = append(w.path, pathSeg{index: i})
		if err := fn(i); err != nil {
			return err
		}
		w.path = w.path[:len(w.path)-1]
	}
	_, err = w.token() // ']'
	return err
}

// skip consumes one value of any type.
func (w *walker) skip() error {
	depth := 0
	for {
		t, err := w.token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// scalar reads a value that must not be an object or array.
func (w *walker) scalar() (json.Token, error) {
	t, err := w.token()
	if err != nil {
		return nil, err
	}
	if d, ok := t.(json.Delim); ok {
		return nil, w.fail("want a string, number or null, got %s", describe(d))
	}
	return t, nil
}

// str reads a string; null gives "" and ok false.
func (w *walker) str() (s string, ok bool, err error) {
	t, err := w.scalar()
	if err != nil {
		return "", false, err
	}
	switch v := t.(type) {
	case string:
		return v, true, nil
	case nil:
		return "", false, nil
	}
	return "", false, w.fail("want a string, got %s", describe(t))
}

// number reads a finite JSON number.
func (w *walker) number() (float64, error) {
	t, err := w.scalar()
	if err != nil {
		return 0, err
	}
	n, ok := t.(json.Number)
	if !ok {
		return 0, w.fail("want a number, got %s", describe(t))
	}
	v, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, w.fail("number %s is out of range", n)
	}
	return v, nil
}

// integer reads an integral number; null gives 0 and ok false.
func (w *walker) integer() (v int, ok bool, err error) {
	t, err := w.scalar()
	if err != nil {
		return 0, false, err
	}
	switch n := t.(type) {
	case nil:
		return 0, false, nil
	case json.Number:
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil || i < math.MinInt32 || i > math.MaxInt32 {
			return 0, false, w.fail("want an integer, got %s", n)
		}
		return int(i), true, nil
	}
	return 0, false, w.fail("want an integer, got %s", describe(t))
}

// cik reads a central index key written as a number (320193) or a zero-padded string
// ("0000320193").
func (w *walker) cik() (int, error) {
	t, err := w.scalar()
	if err != nil {
		return 0, err
	}
	var s string
	switch v := t.(type) {
	case json.Number:
		s = string(v)
	case string:
		s = v
	default:
		return 0, w.fail("want a CIK (number or digit string), got %s", describe(t))
	}
	n, ok := parseCIK(s)
	if !ok {
		return 0, w.fail("%q is not a CIK (1 to 10 digits)", s)
	}
	return n, nil
}

// parseCIK parses 1 to 10 decimal digits into a positive CIK.
func parseCIK(s string) (int, bool) {
	if len(s) == 0 || len(s) > 10 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n > 0
}

// date reads a YYYY-MM-DD string.
func (w *walker) date() (series.Date, error) {
	s, ok, err := w.str()
	if err != nil {
		return series.NoDate, err
	}
	if !ok {
		return series.NoDate, w.fail("want a date, got null")
	}
	d, valid := series.ParseDateBytes([]byte(s))
	if !valid || len(s) != 10 {
		return series.NoDate, w.fail("%q is not a date (want YYYY-MM-DD)", s)
	}
	return d, nil
}

// end checks that nothing but white space follows the document.
func (w *walker) end() error {
	if _, err := w.dec.Token(); err != io.EOF {
		w.path = w.path[:0]
		return w.fail("data after the end of the JSON document")
	}
	return nil
}
