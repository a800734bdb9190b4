package fetch

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/source/french"
)

const licFrench = "Kenneth R. French Data Library: free for research with attribution (Fama/French, CRSP)"

// maxUnzipped caps the CSV inside a French zip (the largest, 49 industries daily,
// is about 20 MB).
const maxUnzipped = 256 << 20

// french downloads one Ken French file (<base>_CSV.zip), checks the zip holds
// <base>.csv (any case), parses it like the embedded copy and stores every column
// of every section under its catalog id.
func (u *Updater) french(ctx context.Context, t Target) (*prepared, error) {
	base := strings.TrimPrefix(t.ID, "french/")
	zipName := base + "_CSV.zip"
	req := Request{Provider: "french", URL: join(u.Config.URLs.French, "/"+url.PathEscape(zipName)), Want: Zip}
	rawID := "french/" + zipName
	u.emit(Event{Target: t, Phase: PhaseStart, Detail: req.URL})
	resp, unchanged, err := u.download(ctx, req, rawID)
	if err != nil {
		return nil, err
	}
	p := &prepared{rawID: rawID, body: resp.Body, meta: u.meta(req, resp), via: "french", unchanged: unchanged}
	if unchanged {
		return p, nil
	}
	member, csv, err := UnzipMember(resp.Body, zipName, base+".csv")
	if err != nil {
		return p, providerErr("french", req.URL, err)
	}
	f, err := french.Parse(bytes.NewReader(csv), member)
	if err != nil {
		return p, providerErr("french", req.URL, err)
	}
	// Every column the catalog lists for the file's first section must still be there.
	if list, err := u.Catalog.List(ctx); err == nil {
		for _, d := range list {
			if d.ID != t.ID {
				continue
			}
			s0, err := f.Section("")
			for _, col := range d.Columns {
				if err == nil {
					_, err = s0.Series(col)
				}
				if err != nil {
					return p, providerErr("french", req.URL, fmt.Errorf("%w: %s: the first section lacks column %q that the current data has", ErrInvalid, member, col))
				}
			}
		}
	}
	for i, sec := range f.Sections {
		for _, col := range sec.Columns {
			id := t.ID + "/" + col
			if i > 0 {
				id = t.ID + "/" + sec.Key + "/" + col
			}
			s, err := sec.Series(col)
			if err != nil {
				return p, providerErr("french", req.URL, err)
			}
			if s.Len() == 0 || allNaN(s.Values) {
				continue // the store keeps no empty series; -99.99-only columns (<= 0) stay as they are
			}
			unit := "as in the file"
			if sec.Percent {
				unit = "decimal return (file is percent, divided by 100)"
			}
			def := catalog.Dataset{Kind: sec.Kind(), Freq: sec.Freq.String(), Unit: unit, Licence: licFrench,
				Lag: series.Lag{Days: french.LagDays, Freq: sec.Freq}}
			u.stamp(ctx, id, s, def, resp.FetchedAt, p.meta.URL, rawID)
			if err := u.checkAndSplice(ctx, id, &s, p); err != nil {
				return p, providerErr("french", req.URL, err)
			}
			p.series = append(p.series, namedSeries{id, s})
		}
	}
	if len(p.series) == 0 {
		return p, providerErr("french", req.URL, fmt.Errorf("%w: %s has no data", ErrInvalid, member))
	}
	return p, nil
}

func allNaN(v []float64) bool {
	for _, x := range v {
		if x == x {
			return false
		}
	}
	return true
}

// UnzipMember returns the member of a zip archive named want (compared without
// regard to case, as the library mixes .CSV and .csv). A zip without it is an
// ErrContent error naming the expected and the found members.
func UnzipMember(data []byte, zipName, want string) (string, []byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", nil, fmt.Errorf("%w: %s is not a readable zip: %v", ErrContent, zipName, err)
	}
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		if !strings.EqualFold(zf.Name, want) {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return "", nil, fmt.Errorf("%w: %s: member %s: %v", ErrContent, zipName, zf.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxUnzipped+1))
		rc.Close()
		if err != nil {
			return "", nil, fmt.Errorf("%w: %s: member %s: %v", ErrContent, zipName, zf.Name, err)
		}
		if len(b) > maxUnzipped {
			return "", nil, fmt.Errorf("%w: %s: member %s is larger than %d bytes", ErrContent, zipName, zf.Name, maxUnzipped)
		}
		return zf.Name, b, nil
	}
	found := "nothing"
	if len(names) > 0 {
		found = strings.Join(names, ", ")
	}
	return "", nil, fmt.Errorf("%w: %s has no member %s (found: %s)", ErrContent, zipName, want, found)
}
