package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/snapshot"
	"github.com/ratecycle/ratecycle/source/usercsv"
	"github.com/ratecycle/ratecycle/store"
)

func snapshotLabel() string { return snapshot.Label }

// openStore opens the local store. Without create, a store that does not exist yet is
// not created (nil, nil): read-only commands then run on the embedded snapshot alone
// and never pay for opening a database.
func (a *app) openStore(ctx context.Context, create bool) (*store.Store, error) {
	home, err := a.homeDir()
	if err != nil {
		return nil, err
	}
	p := filepath.Join(home, "store.db")
	if !create {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	st, err := store.Open(ctx, p)
	if err != nil {
		return nil, err
	}
	a.closers = append(a.closers, st.Close)
	return st, nil
}

func init() { register(newDataCmd) }

func newDataCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "List, show, describe and import datasets",
		Example: `  ratecycle data list
  ratecycle data info french/F-F_Research_Data_Factors_daily/SMB
  ratecycle data show price/IWM --from 2024-12-01 --to 2024-12-31
  ratecycle data import my-returns.csv --as user/fund --kind return`,
	}
	cmd.AddCommand(newDataListCmd(a), newDataShowCmd(a), newDataInfoCmd(a), newDataImportCmd(a), newDataVintagesCmd(a), newDataUpdateCmd(a))
	return cmd
}

func newDataListCmd(a *app) *cobra.Command {
	var format, provider string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every dataset id (embedded and in the local store)",
		Long: `List every dataset id. Ken French files hold many series: each section is listed
with its columns; address a column as french/<file>/<column> (first section) or
french/<file>/<section>/<column>.`,
		Example: `  ratecycle data list
  ratecycle data list --provider french --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			cat, err := a.catalog(ctx)
			if err != nil {
				return err
			}
			ds, err := cat.List(ctx)
			if err != nil {
				return err
			}
			if st, err := a.openStore(ctx, false); err != nil {
				return err
			} else if st != nil {
				stored, err := st.List(ctx)
				if err != nil {
					return err
				}
				known := map[string]bool{}
				for _, d := range ds {
					known[d.ID] = true
				}
				for _, s := range stored {
					if known[s.ID] {
						continue
					}
					title := fmt.Sprintf("%d observations %s..%s", s.Current.N, s.Current.First, s.Current.Last)
					if s.Kind == store.KindFile {
						title = fmt.Sprintf("raw file as downloaded, %d bytes, fetched %s", s.Current.Size, s.Current.FetchedAt.UTC().Format("2006-01-02 15:04"))
					}
					ds = append(ds, catalog.Dataset{ID: s.ID, Provider: s.Provider, Source: "store", Vintage: s.Current.ID, Title: title})
				}
			}
			var kept []catalog.Dataset
			for _, d := range ds {
				if provider == "" || d.Provider == provider {
					kept = append(kept, d)
				}
			}
			if f == output.JSON {
				return output.Write(a.io.Out, f, nil, kept)
			}
			t := &output.Tab{Columns: []string{"id", "frequency", "kind", "title", "columns"}}
			for _, d := range kept {
				cols := strings.Join(d.Columns, "|")
				if f == output.Table && len(cols) > 60 {
					cols = fmt.Sprintf("%d columns: %s ...", len(d.Columns), strings.Join(d.Columns[:min(4, len(d.Columns))], "|"))
				}
				t.Add(d.ID, d.Freq, string(d.Kind), d.Title, cols)
			}
			t.Notes = []string{fmt.Sprintf("%d datasets. Embedded snapshot %s; details with 'ratecycle data info ID'.", len(kept), snapshot.Label)}
			return output.Write(a.io.Out, f, t, nil)
		},
	}
	cmd.Flags().StringVar(&provider, "provider", "", "only this provider (fred, french, price, shiller, holdings, constituents, user)")
	formatFlag(cmd, &format)
	return cmd
}

type rangeFlags struct{ from, to, vintage string }

func (r *rangeFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&r.from, "from", "", "first date (YYYY-MM-DD)")
	cmd.Flags().StringVar(&r.to, "to", "", "last date (YYYY-MM-DD)")
	cmd.Flags().StringVar(&r.vintage, "vintage", "", "a stored vintage id (see 'data vintages ID'); default the current one")
}

func (r *rangeFlags) dates() (series.Date, series.Date, error) {
	from, to := series.NoDate, series.NoDate
	var err error
	if r.from != "" {
		if from, err = series.ParseDate(r.from); err != nil {
			return from, to, usagef("--from: %v", err)
		}
	}
	if r.to != "" {
		if to, err = series.ParseDate(r.to); err != nil {
			return from, to, usagef("--to: %v", err)
		}
	}
	if from != series.NoDate && to != series.NoDate && to < from {
		return from, to, usagef("--to %s is before --from %s", to, from)
	}
	return from, to, nil
}

func newDataShowCmd(a *app) *cobra.Command {
	var format string
	var rf rangeFlags
	var resample, how string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Print a dataset's observations",
		Example: `  ratecycle data show fred/DFF --from 2024-09-16 --to 2024-09-20
  ratecycle data show french/F-F_Research_Data_Factors_daily/SMB --from 2020-03-01 --to 2020-03-31 --resample monthly
  ratecycle data show price/IWM --from 2024-12-01 --format csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			from, to, err := rf.dates()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			cat, err := a.catalog(ctx)
			if err != nil {
				return err
			}
			s, err := cat.Load(ctx, args[0], rf.vintage)
			if err != nil {
				return err
			}
			if resample != "" {
				fr, err := series.ParseFrequency(resample)
				if err != nil {
					return usageError{err}
				}
				h := series.DefaultHow(s.Kind)
				if how != "" {
					if h, err = series.ParseHow(how); err != nil {
						return usageError{err}
					}
				}
				s = s.Resample(fr, h)
			}
			s = s.Slice(from, to)
			if f == output.JSON {
				type obs struct {
					Date  series.Date `json:"date"`
					Value output.Num  `json:"value"`
				}
				rows := make([]obs, s.Len())
				for i := range s.Dates {
					rows[i] = obs{s.Dates[i], output.Num(s.Values[i])}
				}
				return output.Write(a.io.Out, f, nil, map[string]any{"id": args[0], "kind": s.Kind, "frequency": s.Freq.String(),
					"provenance": s.Prov, "observations": rows})
			}
			t := &output.Tab{Columns: []string{"date", args[0]}}
			for i := range s.Dates {
				t.Add(s.Dates[i].String(), output.G(s.Values[i]))
			}
			if f == output.Table {
				t.Notes = []string{fmt.Sprintf("%d observations; %s; unit: %s; empty = missing", s.Len(), s.Freq, s.Prov.Unit)}
			}
			return output.Write(a.io.Out, f, t, nil)
		},
	}
	rf.add(cmd)
	cmd.Flags().StringVar(&resample, "resample", "", "resample to weekly, monthly, quarterly or annual")
	cmd.Flags().StringVar(&how, "how", "", "aggregation when resampling: last, compound, sum, mean or first (default: compound for returns, last otherwise)")
	formatFlag(cmd, &format)
	return cmd
}

func newDataInfoCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "info ID",
		Short:   "Describe a dataset: provenance, range, frequency, publication lag, licence",
		Example: "  ratecycle data info fred/USREC\n  ratecycle data info price/IWM --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			cat, err := a.catalog(ctx)
			if err != nil {
				return err
			}
			d, err := cat.Info(ctx, args[0])
			if err != nil {
				return err
			}
			info := map[string]any{"dataset": d}
			rows := [][2]string{{"id", d.ID}, {"title", d.Title}, {"provider", d.Provider}, {"kind", string(d.Kind)},
				{"frequency", d.Freq}, {"unit", d.Unit}, {"files", strings.Join(d.Files, " + ")}, {"url", d.URL},
				{"licence", d.Licence}, {"publication lag", fmt.Sprintf("%d days (%s)", d.Lag.Days, d.LagNote)},
				{"source", d.Source}, {"vintage", d.Vintage}}
			if s, err := cat.Load(ctx, args[0], ""); err == nil {
				clean := s.DropNaN()
				info["first"], info["last"], info["observations"], info["missing"] = clean.First(), clean.Last(), clean.Len(), s.Len()-clean.Len()
				if s.Prov.Note != "" {
					info["note"] = s.Prov.Note
					rows = append(rows, [2]string{"note", s.Prov.Note})
				}
				rows = append(rows, [2]string{"range", fmt.Sprintf("%s .. %s", clean.First(), clean.Last())},
					[2]string{"observations", fmt.Sprintf("%d (%d missing)", clean.Len(), s.Len()-clean.Len())})
			} else if !strings.Contains(err.Error(), "not a series") {
				return err
			}
			if len(d.Columns) > 0 {
				rows = append(rows, [2]string{"columns", strings.Join(d.Columns, " | ")})
			}
			if f == output.JSON {
				return output.Write(a.io.Out, f, nil, info)
			}
			t := &output.Tab{Columns: []string{"field", "value"}}
			for _, r := range rows {
				t.Add(r[0], r[1])
			}
			return output.Write(a.io.Out, f, t, nil)
		},
	}
	formatFlag(cmd, &format)
	return cmd
}

func newDataImportCmd(a *app) *cobra.Command {
	var as, kind, column string
	cmd := &cobra.Command{
		Use:   "import FILE --as ID",
		Short: "Import your own dated CSV into the local store as a new vintage",
		Long: `Import a CSV whose first column is a date (YYYY-MM-DD) and whose other columns are
series (empty cells missing). The whole file is parsed and checked before anything is
written; the new vintage becomes current in one transaction, and the previous vintage
is kept (see 'data vintages ID').`,
		Example: `  ratecycle data import fund.csv --as user/fund --kind return
  ratecycle data import rates.csv --as user/policy --column rate --kind rate`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if as == "" {
				return usagef("--as ID is required (for example user/myfund)")
			}
			if err := store.ValidateID(as); err != nil {
				return usageError{err}
			}
			k := series.Kind(kind)
			switch k {
			case series.KindReturn, series.KindPrice, series.KindRate, series.KindLevel:
			default:
				return usagef("--kind %q: want return, price, rate or level", kind)
			}
			fh, err := os.Open(args[0])
			if err != nil {
				return usageError{err}
			}
			defer fh.Close()
			ss, err := usercsv.Parse(fh, args[0], k)
			if err != nil {
				return err
			}
			s := ss[0]
			if column != "" {
				s = nil
				for _, c := range ss {
					if c.Name == column {
						s = c
					}
				}
				if s == nil {
					return usagef("%s has no column %q", args[0], column)
				}
			} else if len(ss) > 1 {
				return usagef("%s has %d series columns: choose one with --column", args[0], len(ss))
			}
			abs, _ := filepath.Abs(args[0])
			s.Prov.File = abs
			s.Prov.Provider = "user"
			s.Prov.SourceID = as
			s.Prov.Unit = map[series.Kind]string{series.KindReturn: "decimal return", series.KindPrice: "price",
				series.KindRate: "percent", series.KindLevel: "level"}[k]
			ctx := cmd.Context()
			st, err := a.openStore(ctx, true)
			if err != nil {
				return err
			}
			if cur, err := st.Vintage(ctx, as, ""); err == nil && cur.Checksum == store.Checksum(s) {
				fmt.Fprintf(a.io.Out, "unchanged: %s vintage %s already holds these %d observations (checksum %.12s); no new vintage\n", as, cur.ID, cur.N, cur.Checksum)
				return nil
			}
			v, err := st.PutSeries(ctx, as, s, store.VintageMeta{File: abs, FetchedAt: time.Now()})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.io.Out, "imported %s: %d observations %s..%s as vintage %s (checksum %.12s)\n", as, v.N, v.First, v.Last, v.ID, v.Checksum)
			return nil
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "dataset id to store it under (provider/name, e.g. user/fund)")
	cmd.Flags().StringVar(&kind, "kind", "level", "what the numbers are: return (decimal), price, rate (percent) or level")
	cmd.Flags().StringVar(&column, "column", "", "the column to import when the file has several")
	return cmd
}

func newDataVintagesCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "vintages ID",
		Short:   "List the stored vintages of a dataset (what was fetched or imported when)",
		Example: "  ratecycle data vintages user/fund\n  ratecycle data vintages fred/DFF --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.openStore(ctx, false)
			if err != nil {
				return err
			}
			vs := []store.Vintage{}
			if st != nil {
				if vs, err = st.Vintages(ctx, args[0]); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if vs == nil {
					vs = []store.Vintage{}
				}
			}
			if len(vs) == 0 {
				// Not stored: fine for an embedded dataset (only the snapshot), an error otherwise.
				cat, err := a.catalog(ctx)
				if err != nil {
					return err
				}
				if _, err := cat.Info(ctx, args[0]); err != nil {
					return err
				}
			}
			t := &output.Tab{Columns: []string{"vintage", "current", "stored_at", "fetched_at", "observations", "first", "last", "checksum", "source"}}
			for _, v := range vs {
				src := v.URL
				if src == "" {
					src = v.File
				}
				t.Add(v.ID, yn(v.Current), v.StoredAt.UTC().Format(time.RFC3339), v.FetchedAt.UTC().Format(time.RFC3339),
					fmt.Sprint(v.N), v.First.String(), v.Last.String(), v.Checksum, src)
			}
			t.Notes = []string{fmt.Sprintf("The embedded snapshot %s is always available beneath stored vintages.", snapshot.Label)}
			if f == output.JSON {
				return output.Write(a.io.Out, f, nil, map[string]any{"id": args[0], "vintages": vs, "embedded": snapshot.Label})
			}
			return output.Write(a.io.Out, f, t, nil)
		},
	}
	formatFlag(cmd, &format)
	return cmd
}
