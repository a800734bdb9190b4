package source

import (
	"fmt"
	"testing"
)

func TestLines(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"", ""},
		{"a", "1:a "},
		{"a\n", "1:a "},
		{"a\r\nb\r\n", "1:a 2:b "},
		{"a\n\nb", "1:a 2: 3:b "},
		{"\n", "1: "},
		{"a\r\r\n", "1:a "},
	} {
		got := ""
		for no, line := range Lines([]byte(tc.in)) {
			got += fmt.Sprintf("%d:%s ", no, line)
		}
		if got != tc.want {
			t.Errorf("Lines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for no := range Lines([]byte("a\nb\nc")) {
		if no == 2 {
			break // stopping early must not panic
		}
	}
}

func TestSplitFields(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a,b", `["a" "b"]`},
		{` "Date" , 1.5 ,`, `["Date" "1.5" ""]`},
		{`""`, `[""]`},
		{`"`, `["\""]`},
		{`" x "`, `["x"]`},
		{"", `[""]`},
	} {
		var got []string
		for _, f := range SplitFields(nil, []byte(tc.in)) {
			got = append(got, string(f))
		}
		if s := fmt.Sprintf("%q", got); s != tc.want {
			t.Errorf("SplitFields(%q) = %s, want %s", tc.in, s, tc.want)
		}
	}
}
