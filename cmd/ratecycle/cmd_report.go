package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/report"
)

type reportOptions struct {
	out      string
	format   string
	png      string
	holdings string
	thesis   string
}

func init() { register(newReportCmd) }

func newReportCmd(a *app) *cobra.Command {
	o := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the strategic-rebalance report (the main job)",
		Long: `Write the strategic-rebalance report: where the Fed is, the historical case for small
caps, and the data behind every number. The HTML file is self-contained (scripts, styles
and the ECharts library inlined): it opens offline, prints, and follows dark mode.

The file is written atomically: a new file is written beside the target and renamed
over it only when complete, so a failed run never leaves half a report.`,
		Example: `  ratecycle report -o report.html
  ratecycle report --format md -o report.md --png charts
  ratecycle report -o plan.html --holdings my-book.csv --thesis my-claims.yaml
  ratecycle report --format json -o - | jq '.sections[].title'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return reportRun(cmd, a, o) },
	}
	cmd.Flags().StringVarP(&o.out, "output", "o", "report.html", "output file, or - for standard output")
	cmd.Flags().StringVar(&o.format, "format", "", "html, md or json (default: from the output file's extension, else html)")
	cmd.Flags().StringVar(&o.png, "png", "", "also write each chart as a PNG into this directory")
	cmd.Flags().StringVar(&o.holdings, "holdings", "", "your holdings CSV for the rebalance plan and hedge (default: the example book)")
	cmd.Flags().StringVar(&o.thesis, "thesis", "", "your claims YAML for the thesis check (default: examples/small-caps-2026.yaml)")
	return cmd
}

func reportRun(cmd *cobra.Command, a *app, o *reportOptions) error {
	format := strings.ToLower(o.format)
	if format == "" {
		switch strings.ToLower(filepath.Ext(o.out)) {
		case ".md", ".markdown":
			format = "md"
		case ".json":
			format = "json"
		default:
			format = "html"
		}
	}
	if format != "html" && format != "md" && format != "json" {
		return usagef("--format %q: want html, md or json", o.format)
	}
	ctx := cmd.Context()
	cat, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	opt := engine.ReportOptions{Built: builtLine(), Holdings: o.holdings, Thesis: o.thesis}
	if o.holdings != "" {
		if opt.HoldingsData, err = os.ReadFile(o.holdings); err != nil {
			return usageError{err}
		}
	}
	if o.thesis != "" {
		if opt.ThesisData, err = os.ReadFile(o.thesis); err != nil {
			return usageError{err}
		}
	}
	doc, err := engine.Report(ctx, cat, opt)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch format {
	case "html":
		err = report.WriteHTML(&buf, doc)
	case "md":
		err = report.WriteMarkdown(&buf, doc, o.png)
	case "json":
		err = report.WriteJSON(&buf, doc)
	}
	if err != nil {
		return err
	}
	if o.png != "" {
		files, err := report.WritePNGs(doc, o.png)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.io.Err, "wrote %d charts to %s\n", len(files), o.png)
	}
	if o.out == "-" {
		_, err = a.io.Out.Write(buf.Bytes())
		return err
	}
	if err := writeAtomic(o.out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "wrote %s (%d sections, %.1f MB)\n", o.out, len(doc.Sections), float64(buf.Len())/1e6)
	return nil
}

func builtLine() string {
	v := version
	if v == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			v = bi.Main.Version
		}
	}
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	return fmt.Sprintf("built %s by ratecycle %s", time.Now().UTC().Format("2006-01-02 15:04 UTC"), v)
}

// writeAtomic writes data to a temporary file in the target's directory, syncs it and
// renames it over path, so readers see the old file or the new one, never a part.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, errors.Unwrap(err))
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := firstErr(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// atomicFile streams into a temporary file beside its target and renames it over the
// target only on Commit, so an error or a kill never leaves a half-written file (sweeps
// stream their results and cannot be buffered whole).
type atomicFile struct {
	*os.File
	path string
	done bool
}

func createAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, errors.Unwrap(err))
	}
	return &atomicFile{File: f, path: path}, nil
}

// Commit syncs, closes and renames the file into place.
func (a *atomicFile) Commit() error {
	a.done = true
	serr := a.Sync()
	cerr := a.File.Close()
	if err := firstErr(serr, cerr, os.Chmod(a.Name(), 0o644)); err != nil {
		os.Remove(a.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	if err := os.Rename(a.Name(), a.path); err != nil {
		os.Remove(a.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	return nil
}

// Abort removes the temporary file; after Commit it does nothing.
func (a *atomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.File.Close()
	os.Remove(a.Name())
}
