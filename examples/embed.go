// Package examples ships ratecycle's example input files inside the binary, so the
// report and the commands have a default when the user gives none.
//
// examples holds bytes only; it never reads files at run time.
package examples

import _ "embed"

// SmallCaps2026 is examples/small-caps-2026.yaml: claims from an August 2025
// commentary, the default claims file of 'ratecycle check' and the report's thesis
// section.
//
//go:embed small-caps-2026.yaml
var SmallCaps2026 []byte

// SmallCaps2026Name is the file name SmallCaps2026 was embedded from.
const SmallCaps2026Name = "examples/small-caps-2026.yaml"
