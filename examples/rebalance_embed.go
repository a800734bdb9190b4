package examples

import _ "embed" // the example book and policy are compiled in

// HoldingsCSV is examples/holdings.csv: the large-cap-heavy $1,000,000 example book
// (2026-07-13 closes) that `ratecycle rebalance` and `ratecycle hedge --beta auto` use
// when no holdings file is given.
//
//go:embed holdings.csv
var HoldingsCSV []byte

// PolicyYAML is examples/policy.yaml: the commentary's easing rotation into small caps
// as a rebalance policy, with a put spread on IWM sized to the small-cap sleeve.
//
//go:embed policy.yaml
var PolicyYAML []byte

// The names under which the CLI and the report cite the embedded examples.
const (
	HoldingsName = "examples/holdings.csv"
	PolicyName   = "examples/policy.yaml"
)
