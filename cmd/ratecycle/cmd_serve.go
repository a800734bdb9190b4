package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/web"
)

func init() { register(newServeCmd) }

type serveOptions struct {
	addr            string
	shutdownTimeout time.Duration
}

func newServeCmd(a *app) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the interactive dashboard and its JSON API on 127.0.0.1:8080",
		Long: `Serve a local dashboard with the same analyses as the CLI, made interactive: the Fed's
cycles, any series, event studies, risk tables, and uploads of your holdings, policy and
claims files. The dashboard is backed by a JSON API under /api/v1/, described by the
OpenAPI 3.1 document at /api/v1/openapi.json; /report serves the full HTML report.

The server listens on 127.0.0.1 (this machine only) unless --addr says otherwise; binding
any other address prints a warning, since the dashboard has no authentication. Uploads
are limited to 2 MB and parsed in memory; no request names a file on this machine.
Ctrl-C (or SIGTERM) stops it gracefully: requests in flight get up to --shutdown-timeout
to finish.`,
		Example: `  ratecycle serve
  ratecycle serve --addr 127.0.0.1:9000
  curl -s localhost:8080/api/v1/cycles | jq '.current'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return serveRun(cmd, a, o) },
	}
	cmd.Flags().StringVar(&o.addr, "addr", "127.0.0.1:8080", "host:port to listen on (port 0 picks a free port)")
	cmd.Flags().DurationVar(&o.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long requests in flight may take to finish on shutdown")
	return cmd
}

// checkAddr validates host:port and reports whether the host is a loopback address.
func checkAddr(addr string) (loopback bool, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false, usagef("--addr %q: want host:port, e.g. 127.0.0.1:8080", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return false, usagef("--addr %q: port %q is not a number from 0 to 65535", addr, port)
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

func serveRun(cmd *cobra.Command, a *app, o *serveOptions) error {
	loopback, err := checkAddr(o.addr)
	if err != nil {
		return err
	}
	if o.shutdownTimeout <= 0 {
		return usagef("--shutdown-timeout must be positive")
	}
	if !loopback {
		fmt.Fprintf(a.io.Err, "warning: --addr %s listens beyond this machine; the dashboard has no authentication, so anyone who can reach it can use it\n", o.addr)
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	h, err := web.New(cat, web.Options{Built: builtLine(), Log: a.io.Err})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute, // the first /report builds the whole report
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	fmt.Fprintf(a.io.Err, "ratecycle: dashboard on http://%s/ (API http://%s/api/v1/openapi.json); Ctrl-C stops\n", ln.Addr(), ln.Addr())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(a.io.Err, "ratecycle: shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: requests still running after %s: %w", o.shutdownTimeout, err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(a.io.Err, "ratecycle: stopped")
	return nil
}
