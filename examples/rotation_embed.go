package examples

import _ "embed"

// Rotation is examples/rotation.yaml: the small-cap rotation on Fed easing, tested
// monthly on Ken French data since 1963 and daily on ETFs since 2000. The report's
// backtest section runs it.
//
//go:embed rotation.yaml
var Rotation []byte
