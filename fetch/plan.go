package fetch

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ratecycle/ratecycle/catalog"
)

// Sources are the values --source accepts, in the order an update runs them.
var Sources = []string{"fred", "french", "prices", "holdings", "sec"}

// Target is one dataset to update: one download (with a fallback for prices) and
// everything parsed from it.
type Target struct {
	ID     string // fred/DFF, french/<file>, price/IWM, holdings/IWM, sec/tickers, sec/companyfacts/AAPL, sec/frames/us-gaap/Revenues/USD/CY2024
	Source string // one of Sources
}

// ErrUsage marks planning errors that are the user's to fix (an unknown id or source).
var ErrUsage = errors.New("bad update request")

// DefaultSECFrames are the XBRL frames `--source sec` fetches for year Y (the
// previous calendar year unless --since says otherwise): flows over the calendar
// year, balance-sheet items at its last instant.
var DefaultSECFrames = []string{
	"us-gaap/Revenues/USD/CY%d", "us-gaap/NetIncomeLoss/USD/CY%d", "us-gaap/OperatingIncomeLoss/USD/CY%d",
	"us-gaap/Assets/USD/CY%dQ4I", "us-gaap/StockholdersEquity/USD/CY%dQ4I",
}

// Plan turns the command line into targets. ids may be any dataset id of a
// provider the updater knows (fred/<any FRED series>, french/<file>[/...],
// price/<symbol>, holdings/<fund>, sec/tickers, sec/companyfacts/<ticker or CIK>,
// sec/frames/<taxonomy>/<concept>/<unit>/<period>); a French column id updates its
// whole file. With no ids, source selects that provider's default set (the
// catalog's datasets; for sec the ticker map and DefaultSECFrames), and with
// neither, every provider's. Without an SEC User-Agent an explicit SEC request is
// an error (before any request is made); the all-providers default skips SEC and
// says so in notes.
func Plan(ctx context.Context, cat *catalog.Catalog, ids []string, source string, cfg Config, now time.Time, sinceYear int) ([]Target, []string, error) {
	if source != "" && !contains(Sources, source) {
		return nil, nil, fmt.Errorf("%w: --source %q: want one of %s", ErrUsage, source, strings.Join(Sources, ", "))
	}
	var out []Target
	var notes []string
	seen := map[string]bool{}
	add := func(t Target) {
		if !seen[t.ID] {
			seen[t.ID] = true
			out = append(out, t)
		}
	}
	for _, id := range ids {
		t, err := targetFor(id)
		if err != nil {
			return nil, nil, err
		}
		if source != "" && t.Source != source {
			return nil, nil, fmt.Errorf("%w: %s is a %s dataset, not --source %s", ErrUsage, id, t.Source, source)
		}
		add(t)
	}
	if len(ids) == 0 {
		srcs := Sources
		if source != "" {
			srcs = []string{source}
		}
		list, err := cat.List(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, src := range srcs {
			if src == "sec" && source == "" && cfg.CheckSECUserAgent() != nil {
				notes = append(notes, "SEC EDGAR skipped: it needs a User-Agent with a contact address (set RATECYCLE_SEC_USER_AGENT or sec_user_agent in the config file)")
				continue
			}
			for _, t := range defaults(src, list, now, sinceYear) {
				add(t)
			}
		}
	}
	for _, t := range out {
		if t.Source == "sec" {
			if err := cfg.CheckSECUserAgent(); err != nil {
				return nil, nil, err
			}
			break
		}
	}
	// Run order: by source as in Sources (the SEC ticker map before companyfacts
	// that need it), then as given.
	rank := map[string]int{}
	for i, s := range Sources {
		rank[s] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		if rank[out[i].Source] != rank[out[j].Source] {
			return rank[out[i].Source] < rank[out[j].Source]
		}
		return out[i].ID == "sec/tickers" && out[j].ID != "sec/tickers"
	})
	return out, notes, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

var (
	fredIDRE   = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	symbolRE   = regexp.MustCompile(`^\^?[A-Za-z0-9][A-Za-z0-9.\-]{0,19}$`)
	fundRE     = regexp.MustCompile(`^[A-Za-z0-9]{1,10}$`)
	frenchRE   = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,120}$`)
	frameRE    = regexp.MustCompile(`^[a-z][a-z0-9\-]*/[A-Za-z][A-Za-z0-9]*/[A-Za-z0-9\-_]+/CY\d{4}(Q[1-4])?I?$`)
	companyRE  = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9.\-]{0,9}|\d{1,10}|CIK\d{10})$`)
	knownUsage = "fred/<series>, french/<file>, price/<symbol>, holdings/<fund>, sec/tickers, sec/companyfacts/<ticker|CIK>, sec/frames/<taxonomy>/<concept>/<unit>/<period>"
)

func targetFor(id string) (Target, error) {
	provider, name, ok := strings.Cut(id, "/")
	bad := func(why string) (Target, error) {
		return Target{}, fmt.Errorf("%w: %q: %s (update accepts %s)", ErrUsage, id, why, knownUsage)
	}
	if !ok || name == "" {
		return bad("not provider/name")
	}
	switch provider {
	case "fred":
		if !fredIDRE.MatchString(name) {
			return bad("not a FRED series id")
		}
		return Target{ID: "fred/" + strings.ToUpper(name), Source: "fred"}, nil
	case "french":
		base, _, _ := strings.Cut(name, "/")
		if !frenchRE.MatchString(base) {
			return bad("not a Ken French file name")
		}
		return Target{ID: "french/" + base, Source: "french"}, nil
	case "price":
		if !symbolRE.MatchString(name) {
			return bad("not a ticker symbol")
		}
		return Target{ID: "price/" + strings.ToUpper(name), Source: "prices"}, nil
	case "holdings":
		if !fundRE.MatchString(name) {
			return bad("not a fund ticker")
		}
		return Target{ID: "holdings/" + strings.ToUpper(name), Source: "holdings"}, nil
	case "sec":
		switch kind, rest, _ := strings.Cut(name, "/"); {
		case name == "tickers":
			return Target{ID: "sec/tickers", Source: "sec"}, nil
		case kind == "companyfacts" && companyRE.MatchString(rest):
			return Target{ID: "sec/companyfacts/" + strings.ToUpper(rest), Source: "sec"}, nil
		case kind == "frames" && frameRE.MatchString(rest):
			return Target{ID: "sec/frames/" + rest, Source: "sec"}, nil
		}
		return bad("not an SEC dataset")
	}
	return bad(fmt.Sprintf("no live source for provider %q", provider))
}

func defaults(src string, list []catalog.Dataset, now time.Time, sinceYear int) []Target {
	var out []Target
	switch src {
	case "fred", "holdings":
		for _, d := range list {
			if d.Provider == src {
				out = append(out, Target{ID: d.ID, Source: src})
			}
		}
	case "french":
		for _, d := range list {
			if d.Provider == "french" && strings.Count(d.ID, "/") == 1 {
				out = append(out, Target{ID: d.ID, Source: src})
			}
		}
	case "prices":
		for _, d := range list {
			if d.Provider == "price" && strings.HasPrefix(d.ID, "price/") {
				out = append(out, Target{ID: d.ID, Source: src})
			}
		}
	case "sec":
		y := now.Year() - 1
		if sinceYear > 0 {
			y = sinceYear
		}
		out = append(out, Target{ID: "sec/tickers", Source: src})
		for _, f := range DefaultSECFrames {
			out = append(out, Target{ID: "sec/frames/" + fmt.Sprintf(f, y), Source: src})
		}
	}
	return out
}
