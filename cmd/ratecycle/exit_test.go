package main

import (
	"bytes"
	"context"
	"testing"
)

// TestExitCodes checks the codes scripts rely on, in process.
func TestExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"version", []string{"version"}, exitOK},
		{"unknown command", []string{"nope"}, exitBadUse},
		{"unknown flag", []string{"cycles", "--nope"}, exitBadUse},
		{"bad format", []string{"cycles", "--format", "xml"}, exitBadUse},
		{"unknown dataset", []string{"data", "show", "fred/NOPE"}, exitBadUse},
		{"missing arg", []string{"data", "info"}, exitBadUse},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			t.Setenv("RATECYCLE_HOME", t.TempDir())
			got := run(context.Background(), c.args, &IOStreams{In: &bytes.Buffer{}, Out: &out, Err: &errb})
			if got != c.want {
				t.Fatalf("exit %d, want %d; stderr: %s", got, c.want, errb.String())
			}
		})
	}
}
