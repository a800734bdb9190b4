package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/fetch"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/series"
)

// newDataUpdateCmd is registered under `data` by newDataCmd.
func newDataUpdateCmd(a *app) *cobra.Command {
	var source, since, format string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "update [IDS...]",
		Short: "Download new data from FRED, Ken French, Stooq/Yahoo, iShares and SEC into the local store",
		Long: `Download the datasets' current versions from their providers and store each as a new
vintage. Every download is parsed with the same parser as the embedded snapshot and
checked against the current data (stored, else embedded): non-empty, dates increasing,
not ending earlier, at most 5 observations fewer, and consistent where old and new
overlap. Only then are the raw file and every series parsed from it written, in one
transaction: an interrupted or killed update leaves the previous vintage current.
An answer of 304 Not Modified, or the same bytes as stored, is "unchanged" and writes
nothing. From then on every command reads the stored vintage; pin an older one with
--vintage (see 'data vintages ID').

IDS are dataset ids: fred/<series> (any FRED series), french/<file> (a column id
updates its whole file), price/<symbol> (Stooq, then Yahoo), holdings/<fund> (iShares;
IWM and IVV built in), sec/tickers, sec/companyfacts/<ticker or CIK>,
sec/frames/<taxonomy>/<concept>/<unit>/<period>. Without IDS, --source picks one
provider's datasets; with neither, every provider's (SEC only when a User-Agent is set).

Settings come from $RATECYCLE_CONFIG or config.yaml in the data directory, then the
environment: FRED_API_KEY (use the FRED JSON API), RATECYCLE_SEC_USER_AGENT (required
for SEC: "Your Name you@example.com"), RATECYCLE_FRED_URL, RATECYCLE_FRED_API_URL,
RATECYCLE_FRENCH_URL, RATECYCLE_STOOQ_URL, RATECYCLE_YAHOO_URL, RATECYCLE_SEC_URL,
RATECYCLE_SEC_DATA_URL and RATECYCLE_ISHARES_URL (mirrors and proxies),
RATECYCLE_HTTP_TIMEOUT, RATECYCLE_HTTP_ATTEMPTS, RATECYCLE_HTTP_BASE_DELAY and
RATECYCLE_HTTP_RATE.`,
		Example: `  ratecycle data update fred/DFF fred/DFEDTARU
  ratecycle data update --source french
  ratecycle data update price/IWM price/SPY --since 2025-01-01
  RATECYCLE_SEC_USER_AGENT="Jane Doe jane@example.com" ratecycle data update sec/companyfacts/AAPL
  ratecycle data update            # everything
  ratecycle data vintages fred/DFF`,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			if a.offline || os.Getenv("RATECYCLE_OFFLINE") == "1" {
				return usageError{fmt.Errorf("%w: data update downloads from the providers, and --offline (or RATECYCLE_OFFLINE=1) forbids the network; "+
					"offline, commands use the local store and the embedded snapshot only", fetch.ErrOffline)}
			}
			sinceDate, sinceYear := series.NoDate, 0
			if since != "" {
				if sinceDate, err = series.ParseDate(since); err != nil {
					return usagef("--since: %v", err)
				}
				sinceYear = sinceDate.Year()
			}
			home, err := a.homeDir()
			if err != nil {
				return err
			}
			cfg, err := fetch.LoadConfig(home, os.Getenv)
			if err != nil {
				return usageError{err}
			}
			ctx := cmd.Context()
			st, err := a.openStore(ctx, true)
			if err != nil {
				return err
			}
			cat := catalog.New(st)
			targets, notes, err := fetch.Plan(ctx, cat, args, source, cfg, time.Now(), sinceYear)
			if err != nil {
				if errors.Is(err, fetch.ErrUsage) || errors.Is(err, fetch.ErrNoUserAgent) {
					return usageError{err}
				}
				return err
			}
			if len(targets) == 0 {
				return usagef("nothing to update")
			}
			client := cfg.NewClient()
			u := &fetch.Updater{Store: st, Catalog: cat, Client: client, Config: cfg, Since: sinceDate}
			prog := newUpdateProgress(a, len(targets), verbose)
			client.Notify = prog.note
			u.Events = prog.event
			start := time.Now()
			results, runErr := u.Run(ctx, targets)
			prog.finish()
			if err := writeUpdateResults(a, f, results, notes, time.Since(start), runErr); err != nil {
				return err
			}
			return updateOutcome(results, runErr)
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "only this provider: "+strings.Join(fetch.Sources, ", "))
	cmd.Flags().StringVar(&since, "since", "", "download observations from this date on (YYYY-MM-DD) and keep the current vintage's earlier ones (FRED, prices)")
	cmd.Flags().BoolVar(&a.offline, "offline", a.offline, "refuse: offline mode uses the local store and embedded snapshot only")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "log each request, retry and write to stderr")
	formatFlag(cmd, &format)
	return cmd
}

// updateProgress shows a progress bar on a terminal and, with -v, a log line per
// step on stderr.
type updateProgress struct {
	mu      sync.Mutex
	bar     *progressbar.ProgressBar
	verbose bool
	a       *app
}

func newUpdateProgress(a *app, n int, verbose bool) *updateProgress {
	p := &updateProgress{verbose: verbose, a: a}
	if a.io.ErrIsTerminal && !verbose {
		p.bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(a.io.Err), progressbar.OptionShowCount(),
			progressbar.OptionSetDescription("updating"), progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionSetPredictTime(false))
	}
	return p
}

func (p *updateProgress) logf(format string, args ...any) {
	if !p.verbose {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.a.io.Err, format+"\n", args...)
}

func (p *updateProgress) note(msg string) { p.logf("%s", msg) }

func (p *updateProgress) event(e fetch.Event) {
	switch e.Phase {
	case fetch.PhaseStart:
		if p.bar != nil {
			p.bar.Describe(e.Target.ID)
		}
		if e.Detail != "" {
			p.logf("%s: GET %s", e.Target.ID, e.Detail)
		}
	case fetch.PhaseWriting:
		p.logf("%s: writing %s", e.Target.ID, e.Detail)
	case fetch.PhaseDone:
		if p.bar != nil {
			_ = p.bar.Add(1)
		}
		r := e.Result
		if r.Err != nil {
			p.logf("%s: %s: %v", e.Target.ID, r.Status, r.Err)
		} else {
			p.logf("%s: %s", e.Target.ID, r.Status)
		}
	}
}

func (p *updateProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}

type updateRow struct {
	ID           string   `json:"id"`
	Status       string   `json:"status"`
	Via          string   `json:"via,omitempty"`
	URL          string   `json:"url,omitempty"`
	Raw          string   `json:"raw,omitempty"`
	RawVintage   string   `json:"raw_vintage,omitempty"`
	Checksum     string   `json:"checksum,omitempty"`
	Series       []string `json:"series,omitempty"`
	Vintage      string   `json:"vintage,omitempty"`
	Observations int      `json:"observations,omitempty"`
	First        string   `json:"first,omitempty"`
	Last         string   `json:"last,omitempty"`
	Bytes        int      `json:"bytes,omitempty"`
	Seconds      float64  `json:"seconds"`
	Note         string   `json:"note,omitempty"`
	Error        string   `json:"error,omitempty"`
}

func writeUpdateResults(a *app, f output.Format, results []fetch.Result, notes []string, elapsed time.Duration, runErr error) error {
	rows := make([]updateRow, 0, len(results))
	counts := map[fetch.Status]int{}
	for _, r := range results {
		counts[r.Status]++
		row := updateRow{ID: r.Target.ID, Status: string(r.Status), Via: r.Via, URL: r.URL, Bytes: r.Bytes,
			Seconds: r.Elapsed.Seconds(), Note: r.Note}
		if r.Err != nil {
			row.Error = r.Err.Error()
		}
		if r.Status == fetch.Updated {
			row.Raw, row.RawVintage, row.Checksum = r.Raw.Dataset, r.Raw.ID, r.Raw.Checksum
			for _, v := range r.Series {
				row.Series = append(row.Series, v.Dataset)
			}
			if len(r.Series) == 1 {
				v := r.Series[0]
				row.Vintage, row.Observations, row.First, row.Last, row.Checksum = v.ID, v.N, v.First.String(), v.Last.String(), v.Checksum
			}
		}
		rows = append(rows, row)
	}
	summary := fmt.Sprintf("%d updated, %d unchanged, %d failed in %s", counts[fetch.Updated], counts[fetch.Unchanged], counts[fetch.Failed],
		elapsed.Round(10*time.Millisecond))
	if runErr != nil {
		done := counts[fetch.Updated] + counts[fetch.Unchanged] + counts[fetch.Failed]
		summary = fmt.Sprintf("interrupted after %d of %d datasets (%d updated, %d unchanged, %d failed; %d abandoned mid-download, %d not started); "+
			"nothing partial was written: every dataset is stored in one transaction", done, len(results), counts[fetch.Updated],
			counts[fetch.Unchanged], counts[fetch.Failed], counts[fetch.Interrupted], counts[fetch.NotAttempted])
	}
	if f == output.JSON {
		return output.Write(a.io.Out, f, nil, map[string]any{"results": rows, "summary": summary, "notes": notes})
	}
	t := &output.Tab{Columns: []string{"id", "status", "vintage", "observations", "range", "via", "detail"}}
	for i, row := range rows {
		r := results[i]
		rng, obs, vintage := "", "", row.Vintage
		if row.Observations > 0 {
			rng, obs = row.First+".."+row.Last, fmt.Sprint(row.Observations)
		}
		var detail []string
		switch {
		case r.Status == fetch.Updated && len(r.Series) > 1:
			vintage = row.RawVintage
			detail = append(detail, fmt.Sprintf("%d series from %s", len(r.Series), row.Raw))
		case r.Status == fetch.Updated && len(r.Series) == 0:
			vintage = row.RawVintage
			detail = append(detail, row.Raw)
		case r.Err != nil:
			detail = append(detail, "see below")
		}
		if row.Note != "" && r.Err == nil {
			detail = append(detail, row.Note)
		}
		d := strings.Join(detail, "; ")
		if f == output.Table && len(d) > 90 {
			d = d[:87] + "..."
		}
		t.Add(row.ID, row.Status, vintage, obs, rng, row.Via, d)
	}
	if f == output.Table {
		for i, row := range rows {
			if row.Error != "" && results[i].Status == fetch.Failed {
				t.Notes = append(t.Notes, row.ID+": "+row.Error)
			}
		}
		t.Notes = append(t.Notes, notes...)
		t.Notes = append(t.Notes, summary)
	}
	return output.Write(a.io.Out, f, t, nil)
}

func updateOutcome(results []fetch.Result, runErr error) error {
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) {
			return errors.New("update interrupted (see the summary above)")
		}
		return runErr
	}
	failed := 0
	for _, r := range results {
		if r.Status == fetch.Failed {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d updates failed (see above); the previous vintages stay current", failed, len(results))
	}
	return nil
}
