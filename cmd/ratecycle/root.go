package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/source"
)

// Exit codes scripts can rely on.
const (
	exitOK      = 0
	exitFailure = 1
	exitBadUse  = 2 // bad usage or bad input
)

// IOStreams carries the process's streams so tests can capture them.
type IOStreams struct {
	In            io.Reader
	Out, Err      io.Writer
	OutIsTerminal bool
	ErrIsTerminal bool
}

func systemIO() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutIsTerminal: isatty.IsTerminal(os.Stdout.Fd()),
		ErrIsTerminal: isatty.IsTerminal(os.Stderr.Fd())}
}

// usageError marks errors that are the user's to fix (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// app is what every command shares: streams, global flags, and the lazily opened
// catalog and store.
type app struct {
	io      *IOStreams
	home    string
	offline bool

	once    sync.Once
	cat     *catalog.Catalog
	catErr  error
	closers []func() error
}

func (a *app) catalog(ctx context.Context) (*catalog.Catalog, error) {
	a.once.Do(func() {
		st, err := a.openStore(ctx, false)
		if err != nil {
			a.catErr = err
			return
		}
		if st == nil {
			a.cat = catalog.New(nil)
			return
		}
		a.cat = catalog.New(st)
	})
	return a.cat, a.catErr
}

// homeDir returns the data directory: --home, RATECYCLE_HOME, or the user cache dir.
func (a *app) homeDir() (string, error) {
	if a.home != "" {
		return a.home, nil
	}
	if h := os.Getenv("RATECYCLE_HOME"); h != "" {
		return h, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory (set --home or RATECYCLE_HOME): %w", err)
	}
	return filepath.Join(d, "ratecycle"), nil
}

func (a *app) close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		_ = a.closers[i]()
	}
}

// formatFlag adds --format to a command that prints data.
func formatFlag(cmd *cobra.Command, dst *string) {
	cmd.Flags().StringVar(dst, "format", "table", "output format: table, csv or json")
}

func parseFormat(s string) (output.Format, error) {
	f, err := output.ParseFormat(s)
	if err != nil {
		return "", usageError{err}
	}
	return f, nil
}

// commands are the top-level commands; each cmd_*.go file registers its own in init,
// so adding a command never touches this file.
var commands []func(*app) *cobra.Command

func register(f func(*app) *cobra.Command) { commands = append(commands, f) }

func init() { register(newVersionCmd) }

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "ratecycle",
		Short: "Test 'small caps win when the Fed cuts' on a century of real data, then plan the trades",
		Long: `ratecycle answers, with real data and honest statistics, the question every desk asks
when the Fed starts cutting: should we rotate into small caps, into which sectors and
companies, how hedged, and with which trades? A century of FRED, Ken French, price,
holdings and SEC data is embedded, so every command works offline.

Exit codes: 0 ok, 1 failure, 2 bad usage or bad input.`,
		Example: `  ratecycle report -o report.html
  ratecycle cycles --since 1990-01-01
  ratecycle data list
  ratecycle data show fred/DFF --from 2024-09-01 --to 2024-09-30`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&a.home, "home", "", "data directory for the local store (default: RATECYCLE_HOME or the user cache dir)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	for _, f := range commands {
		root.AddCommand(f(a))
	}
	rejectUnknownSubcommands(root)
	return root
}

// rejectUnknownSubcommands makes a command that only groups others (data, records,
// sweep ...) fail with exit code 2 on an unknown subcommand instead of printing help and
// succeeding, so a typo in a script is never mistaken for success.
func rejectUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		rejectUnknownSubcommands(sub)
	}
	if !c.HasSubCommands() || c.Run != nil || c.RunE != nil || c == c.Root() {
		return
	}
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("unknown command %q for %q (see '%s --help')", args[0], cmd.CommandPath(), cmd.CommandPath())
		}
		return cmd.Help()
	}
}

func run(ctx context.Context, args []string, ios *IOStreams) int {
	a := &app{io: ios}
	defer a.close()
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(ios.Err, "ratecycle:", err)
	var ue usageError
	switch {
	case errors.As(err, &ue), errors.Is(err, source.ErrBadInput), errors.Is(err, catalog.ErrNotFound):
		return exitBadUse
	case isCobraUsage(err):
		return exitBadUse
	}
	return exitFailure
}

// isCobraUsage recognises cobra's own argument errors (unknown command, wrong arg count).
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires exactly", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// version is set by -ldflags "-X main.version=..."; otherwise the module build info is used.
var version = ""

func newVersionCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "version",
		Short:   "Print the version, Go version and embedded snapshot",
		Example: "  ratecycle version\n  ratecycle version --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			v := version
			goV := ""
			if bi, ok := debug.ReadBuildInfo(); ok {
				if v == "" {
					v = bi.Main.Version
				}
				goV = bi.GoVersion
			}
			if v == "" || v == "(devel)" {
				v = "dev"
			}
			if f == output.JSON {
				return output.Write(a.io.Out, f, nil, map[string]string{"version": v, "go": goV, "snapshot": snapshotLabel()})
			}
			if f == output.CSV {
				t := &output.Tab{Columns: []string{"version", "go", "snapshot"}}
				t.Add(v, goV, snapshotLabel())
				return output.Write(a.io.Out, f, t, nil)
			}
			fmt.Fprintf(a.io.Out, "ratecycle %s (%s, snapshot %s)\n", v, goV, snapshotLabel())
			return nil
		},
	}
	formatFlag(cmd, &format)
	return cmd
}
