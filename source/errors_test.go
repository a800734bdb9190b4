package source

import (
	"errors"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestYAMLLine(t *testing.T) {
	var v any
	err := yaml.Unmarshal([]byte("a: 1\nb: [\n"), &v)
	if err == nil {
		t.Fatal("want a syntax error")
	}
	if line, msg := YAMLLine(err); line != 2 || msg != "yaml: did not find expected node content" {
		t.Fatalf("YAMLLine(%q) = %d, %q", err, line, msg)
	}
	if line, msg := YAMLLine(errors.New("yaml: unmarshal errors")); line != 0 || msg != "yaml: unmarshal errors" {
		t.Fatalf("no line: %d %q", line, msg)
	}
}
