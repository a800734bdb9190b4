// Command ratecycle answers "the Fed is cutting: should I rotate into small caps, which
// sectors, how hedged, with which trades?" on a century of embedded real data.
//
// main wires flags to analyses and nothing else; the work lives in the packages.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], systemIO())
	stop()
	os.Exit(code)
}
