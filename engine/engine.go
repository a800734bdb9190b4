// Package engine answers the questions the CLI, the report and the web server ask: it
// loads series from the catalog and calls the pure analysis packages, so every shell
// gets the same numbers from the same calls.
//
// engine reads through the catalog only; it never parses files, touches the network or
// renders output.
package engine

import (
	"context"
	"fmt"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/cycle"
)

// CycleInputIDs are the datasets the cycle rules read.
var CycleInputIDs = []string{"fred/DFEDTAR", "fred/DFEDTARU", "fred/DFEDTARL", "fred/FEDFUNDS", "fred/USREC"}

// Cycles detects the Fed's moves and cycles from the catalog's policy-rate series.
func Cycles(ctx context.Context, cat *catalog.Catalog, rules cycle.Rules) (*cycle.History, error) {
	ss, err := cat.LoadAll(ctx, CycleInputIDs...)
	if err != nil {
		return nil, fmt.Errorf("cycles: %w", err)
	}
	return cycle.Detect(cycle.Inputs{Target: ss[0], Upper: ss[1], Lower: ss[2], Monthly: ss[3], Recession: ss[4]}, rules)
}
