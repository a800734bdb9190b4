package concentration

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ratecycle/ratecycle/source"
)

// Group is a named set of tickers whose combined weight is reported.
type Group struct {
	Name    string
	Tickers []string
	Note    string
	Line    int // line of the group in its YAML file; 0 when built in
}

// Mag7 is the built-in "Magnificent Seven": Apple, Microsoft, Nvidia, Amazon, Alphabet
// (both share classes), Meta and Tesla.
var Mag7 = Group{Name: "mag7", Tickers: []string{"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "GOOG", "META", "TSLA"},
	Note: "Apple, Microsoft, Nvidia, Amazon, Alphabet (GOOGL+GOOG), Meta, Tesla"}

// BuiltinGroups are the groups every analysis reports unless a user redefines them.
func BuiltinGroups() []Group {
	g := Mag7
	g.Tickers = append([]string(nil), Mag7.Tickers...)
	return []Group{g}
}

// ParseGroups reads user groups from YAML:
//
//	groups:
//	  - name: semis
//	    tickers: [NVDA, AVGO, AMD, QCOM]
//	    note: optional free text
//
// Decoding is strict: an unknown or repeated key, a value of the wrong type, an empty
// name or ticker list, a name used twice (case-insensitive) or a ticker listed twice in
// a group (as compared by Key) is an error naming file and line, wrapping
// source.ErrBadInput. ParseGroups is given bytes; it opens no file.
func ParseGroups(data []byte, file string) ([]Group, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, source.Errorf(file, 0, "", "empty groups file (want a 'groups:' list)")
		}
		line, msg := source.YAMLLine(err)
		return nil, source.Errorf(file, line, "", "%s", msg)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, source.Errorf(file, extra.Line, "", "a second YAML document; want one")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, source.Errorf(file, root.Line, "", "want a mapping with a 'groups' key, got %s", kindName(root))
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "groups" {
			return nil, source.Errorf(file, k.Line, "", "unknown key %q (known keys: groups)", k.Value)
		}
		if list != nil {
			return nil, source.Errorf(file, k.Line, "", "key %q appears twice", k.Value)
		}
		list = v
	}
	if list == nil {
		return nil, source.Errorf(file, root.Line, "groups", "missing")
	}
	if list.Kind != yaml.SequenceNode {
		return nil, source.Errorf(file, list.Line, "groups", "want a list of groups, got %s", kindName(list))
	}
	var out []Group
	names := map[string]int{}
	for i, item := range list.Content {
		g, err := parseGroup(item, file, fmt.Sprintf("groups[%d]", i))
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(g.Name)
		if prev, ok := names[key]; ok {
			return nil, source.Errorf(file, g.Line, fmt.Sprintf("groups[%d].name", len(out)), "group %q is defined twice (first on line %d)", g.Name, prev)
		}
		names[key] = g.Line
		out = append(out, g)
	}
	if len(out) == 0 {
		return nil, source.Errorf(file, list.Line, "groups", "no groups")
	}
	return out, nil
}

// parseGroup reads the group at key path path (groups[i]); errors name path.key.
func parseGroup(n *yaml.Node, file, path string) (Group, error) {
	g := Group{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return g, source.Errorf(file, n.Line, path, "a group is a mapping with name and tickers, got %s", kindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return g, source.Errorf(file, k.Line, path, "key %q appears twice", k.Value)
		}
		seen[k.Value] = true
		switch k.Value {
		case "name", "note":
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
				return g, source.Errorf(file, v.Line, path+"."+k.Value, "want text, got %s", kindName(v))
			}
			if k.Value == "name" {
				g.Name = strings.TrimSpace(v.Value)
			} else {
				g.Note = v.Value
			}
		case "tickers":
			if v.Kind != yaml.SequenceNode {
				return g, source.Errorf(file, v.Line, path+"."+k.Value, "want a list of tickers, got %s", kindName(v))
			}
			keys := map[string]bool{}
			for _, t := range v.Content {
				if t.Kind != yaml.ScalarNode || t.Tag == "!!null" || strings.TrimSpace(t.Value) == "" {
					return g, source.Errorf(file, t.Line, path+"."+k.Value, "want a ticker, got %s", kindName(t))
				}
				tk := strings.TrimSpace(t.Value)
				if keys[Key(tk)] {
					return g, source.Errorf(file, t.Line, path+"."+k.Value, "ticker %q is listed twice", tk)
				}
				keys[Key(tk)] = true
				g.Tickers = append(g.Tickers, tk)
			}
		default:
			return g, source.Errorf(file, k.Line, path, "unknown key %q (known keys: name, note, tickers)", k.Value)
		}
	}
	if g.Name == "" {
		return g, source.Errorf(file, n.Line, path+".name", "a group needs a name")
	}
	if len(g.Tickers) == 0 {
		return g, source.Errorf(file, n.Line, path+".tickers", "group %q has no tickers", g.Name)
	}
	return g, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unknown node"
}

// MergeGroups returns base with user's groups appended; a user group with the name of a
// base group (case-insensitive) replaces it in place.
func MergeGroups(base, user []Group) []Group {
	out := append([]Group(nil), base...)
	for _, u := range user {
		replaced := false
		for i := range out {
			if strings.EqualFold(out[i].Name, u.Name) {
				out[i], replaced = u, true
				break
			}
		}
		if !replaced {
			out = append(out, u)
		}
	}
	return out
}
