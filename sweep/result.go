package sweep

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ratecycle/ratecycle/backtest"
)

// Summary is what a sweep reports: the ranked top trials with their deflated Sharpe
// ratios, and the statistics of all trials the deflation uses.
type Summary struct {
	Header Header
	Rank   Metric
	Trials int // trials summarised
	// SRMean and SRVar are the mean and sample variance (n-1) of the trials'
	// per-period Sharpe ratios; SR0 is ExpectedMaxSharpe(Trials, SRVar), per period.
	SRMean, SRVar, SR0 float64
	// The same for the per-period active Sharpe ratios (information ratios) against
	// the relative_to portfolio; NaN without one.
	IRMean, IRVar, IR0 float64
	IRTrials           int // trials with an information ratio
	Top                []Ranked
}

// Ranked is one of the top trials.
type Ranked struct {
	Rank   int
	Index  int
	Params []float64
	Stats  backtest.TrialStats
	// DSR is the deflated Sharpe ratio: the probability that the trial's true Sharpe
	// is above zero given that it was picked from Summary.Trials trials.
	DSR float64
	// DSRActive deflates the information ratio the same way: the probability that the
	// trial truly beats the relative_to portfolio.
	DSRActive float64
}

// Summarizer consumes records in grid order and keeps only the top K and running
// moments, so its memory does not grow with the number of trials.
type Summarizer struct {
	h          Header
	rank       Metric
	k          int
	n          int
	mean       float64 // Welford, in grid order: the same bits in one run and a merge
	m2         float64
	amean, am2 float64
	an         int // trials with a finite information ratio
	top        topHeap
}

// NewSummarizer keeps the k best trials by metric m.
func NewSummarizer(h Header, m Metric, k int) *Summarizer {
	if k < 1 {
		k = 1
	}
	return &Summarizer{h: h, rank: m, k: k, top: topHeap{m: m}}
}

// Add records one trial. Records must come in increasing grid index.
func (s *Summarizer) Add(r *Record) {
	s.n++
	x := r.Stats.SharpePP
	d := x - s.mean
	s.mean += d / float64(s.n)
	s.m2 += d * (x - s.mean)
	// A trial identical to its benchmark (tilt 0) has no information ratio; it is left
	// out of the IR moments, not counted as zero.
	if a := r.Stats.ActivePP; !math.IsNaN(a) && !math.IsInf(a, 0) {
		s.an++
		da := a - s.amean
		s.amean += da / float64(s.an)
		s.am2 += da * (a - s.amean)
	}
	if len(s.top.items) < s.k {
		p := append([]float64(nil), r.Params...)
		heap.Push(&s.top, Ranked{Index: r.Index, Params: p, Stats: r.Stats})
		return
	}
	worst := &s.top.items[0]
	if s.top.better(r.Index, &r.Stats, worst.Index, &worst.Stats) {
		copy(worst.Params, r.Params)
		worst.Index, worst.Stats = r.Index, r.Stats
		heap.Fix(&s.top, 0)
	}
}

// Summary returns the ranked top trials with their deflated Sharpe ratios.
func (s *Summarizer) Summary() *Summary {
	out := &Summary{Header: s.h, Rank: s.rank, Trials: s.n, SRMean: s.mean, SRVar: math.NaN(), IRMean: math.NaN(), IRVar: math.NaN(),
		IRTrials: s.an}
	if s.n > 1 {
		out.SRVar = s.m2 / float64(s.n-1)
	}
	v := out.SRVar
	if math.IsNaN(v) {
		v = 0
	}
	out.SR0 = ExpectedMaxSharpe(s.n, v)
	out.IR0 = math.NaN()
	if s.an > 0 {
		out.IRMean = s.amean
		va := 0.0
		if s.an > 1 {
			out.IRVar = s.am2 / float64(s.an-1)
			va = out.IRVar
		}
		// every trial was a try, including those equal to the benchmark
		out.IR0 = ExpectedMaxSharpe(s.n, va)
	}
	items := append([]Ranked(nil), s.top.items...)
	// best first: sort by the heap's order, reversed
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && s.top.better(items[j].Index, &items[j].Stats, items[j-1].Index, &items[j-1].Stats); j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
	for i := range items {
		st := &items[i].Stats
		items[i].Rank = i + 1
		items[i].DSR = DeflatedSharpe(st.SharpePP, st.N, st.Skew, st.Kurt, s.n, v)
		items[i].DSRActive = ProbabilisticSharpe(st.ActivePP, out.IR0, st.N, st.ActiveSkew, st.ActiveKurt)
	}
	out.Top = items
	return out
}

// topHeap is a min-heap: the worst of the kept trials on top.
type topHeap struct {
	m     Metric
	items []Ranked
}

// better orders by score, then by grid index (lower first), so ties are deterministic.
func (h *topHeap) better(ia int, a *backtest.TrialStats, ib int, b *backtest.TrialStats) bool {
	sa, sb := h.m.score(a), h.m.score(b)
	if sa != sb {
		return sa > sb
	}
	return ia < ib
}
func (h *topHeap) Len() int { return len(h.items) }
func (h *topHeap) Less(i, j int) bool {
	return h.better(h.items[j].Index, &h.items[j].Stats, h.items[i].Index, &h.items[i].Stats)
}
func (h *topHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *topHeap) Push(x any)    { h.items = append(h.items, x.(Ranked)) }
func (h *topHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

// Writer writes a sweep's records as JSON lines: a header line {"sweep": Header},
// then one line per trial. Floats are written in their shortest exact form ('g', -1),
// so a record read back has the same bits; NaN and infinities are the strings "NaN",
// "+Inf" and "-Inf". After the first record it allocates nothing per trial.
type Writer struct {
	w   *bufio.Writer
	buf []byte
}

// NewWriter writes the header line.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	b, err := json.Marshal(struct {
		Sweep Header `json:"sweep"`
	}{h})
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriter(w)
	bw.Write(b)
	bw.WriteByte('\n')
	return &Writer{w: bw}, nil
}

func appendFloat(b []byte, x float64) []byte {
	switch {
	case math.IsNaN(x):
		return append(b, `"NaN"`...)
	case math.IsInf(x, 1):
		return append(b, `"+Inf"`...)
	case math.IsInf(x, -1):
		return append(b, `"-Inf"`...)
	}
	return strconv.AppendFloat(b, x, 'g', -1, 64)
}

// Write writes one record.
func (w *Writer) Write(r *Record) error {
	b := w.buf[:0]
	b = append(b, `{"i":`...)
	b = strconv.AppendInt(b, int64(r.Index), 10)
	b = append(b, `,"p":[`...)
	for k, x := range r.Params {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendFloat(b, x)
	}
	s := &r.Stats
	b = append(b, `],"n":`...)
	b = strconv.AppendInt(b, int64(s.N), 10)
	for _, f := range [...]struct {
		k string
		v float64
	}{{"final", s.Final}, {"cagr", s.CAGR}, {"vol", s.Vol}, {"sharpe", s.Sharpe}, {"sr", s.SharpePP}, {"maxdd", s.MaxDD},
		{"calmar", s.Calmar}, {"turnover", s.Turnover}, {"skew", s.Skew}, {"kurt", s.Kurt},
		{"ir", s.IR}, {"ar", s.ActivePP}, {"askew", s.ActiveSkew}, {"akurt", s.ActiveKurt}} {
		b = append(b, ',', '"')
		b = append(b, f.k...)
		b = append(b, '"', ':')
		b = appendFloat(b, f.v)
	}
	b = append(b, `,"trades":`...)
	b = strconv.AppendInt(b, int64(s.Trades), 10)
	b = append(b, '}', '\n')
	w.buf = b
	_, err := w.w.Write(b)
	return err
}

// Flush flushes the buffered lines.
func (w *Writer) Flush() error { return w.w.Flush() }

type jfloat float64

func (f *jfloat) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*f = jfloat(math.NaN())
	case `"+Inf"`:
		*f = jfloat(math.Inf(1))
	case `"-Inf"`:
		*f = jfloat(math.Inf(-1))
	default:
		x, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return fmt.Errorf("%s is not a number", b)
		}
		*f = jfloat(x)
	}
	return nil
}

type jrecord struct {
	I        *int     `json:"i"`
	P        []jfloat `json:"p"`
	N        int      `json:"n"`
	Final    jfloat   `json:"final"`
	CAGR     jfloat   `json:"cagr"`
	Vol      jfloat   `json:"vol"`
	Sharpe   jfloat   `json:"sharpe"`
	SR       jfloat   `json:"sr"`
	MaxDD    jfloat   `json:"maxdd"`
	Calmar   jfloat   `json:"calmar"`
	Turnover jfloat   `json:"turnover"`
	Skew     jfloat   `json:"skew"`
	Kurt     jfloat   `json:"kurt"`
	IR       jfloat   `json:"ir"`
	AR       jfloat   `json:"ar"`
	ASkew    jfloat   `json:"askew"`
	AKurt    jfloat   `json:"akurt"`
	Trades   int      `json:"trades"`
}

// Reader reads a file written by Writer.
type Reader struct {
	Header Header
	name   string
	sc     *bufio.Scanner
	line   int
	rec    Record
}

// NewReader reads the header line of a sweep file; name is used in messages.
func NewReader(r io.Reader, name string) (*Reader, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	rd := &Reader{name: name, sc: sc}
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return nil, fmt.Errorf("%s: empty file (want a sweep header line)", name)
	}
	rd.line = 1
	var h struct {
		Sweep *Header `json:"sweep"`
	}
	dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil || h.Sweep == nil {
		return nil, fmt.Errorf("%s line 1: not a sweep header (written by 'ratecycle sweep --out')", name)
	}
	rd.Header = *h.Sweep
	return rd, nil
}

// Next returns the next record, or io.EOF. The record is reused by the next call.
func (r *Reader) Next() (*Record, error) {
	if !r.sc.Scan() {
		if err := r.sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", r.name, err)
		}
		return nil, io.EOF
	}
	r.line++
	var j jrecord
	dec := json.NewDecoder(bytes.NewReader(r.sc.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil || j.I == nil {
		return nil, fmt.Errorf("%s line %d: not a trial record: %v", r.name, r.line, err)
	}
	if len(j.P) != len(r.Header.Params) {
		return nil, fmt.Errorf("%s line %d: %d parameter values, the header names %d", r.name, r.line, len(j.P), len(r.Header.Params))
	}
	r.rec.Index = *j.I
	r.rec.Params = r.rec.Params[:0]
	for _, x := range j.P {
		r.rec.Params = append(r.rec.Params, float64(x))
	}
	r.rec.Stats = backtest.TrialStats{N: j.N, Final: float64(j.Final), CAGR: float64(j.CAGR), Vol: float64(j.Vol), Sharpe: float64(j.Sharpe),
		SharpePP: float64(j.SR), MaxDD: float64(j.MaxDD), Calmar: float64(j.Calmar), Turnover: float64(j.Turnover),
		Skew: float64(j.Skew), Kurt: float64(j.Kurt), Trades: j.Trades,
		IR: float64(j.IR), ActivePP: float64(j.AR), ActiveSkew: float64(j.ASkew), ActiveKurt: float64(j.AKurt)}
	return &r.rec, nil
}

// Merge reads the shard files of one sweep (any order), checks that they come from
// the same sweep and together hold every trial exactly once, and calls sink with
// the records in grid order, exactly as one unsharded run would have. It returns the
// merged header (Shard "1/1").
func Merge(readers []*Reader, sink func(*Record) error) (Header, error) {
	if len(readers) == 0 {
		return Header{}, errors.New("merge: no shard files")
	}
	h := readers[0].Header
	sh, err := ParseShard(h.Shard)
	if err != nil {
		return Header{}, fmt.Errorf("merge: %s: %w", readers[0].name, err)
	}
	if sh.Count > len(readers) {
		return Header{}, fmt.Errorf("merge: %s is shard %s but %d file(s) were given: every shard is needed", readers[0].name, sh, len(readers))
	}
	byIndex := make([]*Reader, sh.Count)
	for _, r := range readers {
		o := r.Header
		s, err := ParseShard(o.Shard)
		if err != nil {
			return Header{}, fmt.Errorf("merge: %s: %w", r.name, err)
		}
		o.Shard = h.Shard
		if !sameHeader(o, h) {
			return Header{}, fmt.Errorf("merge: %s is from another sweep than %s (strategy, run, portfolio, dates or grid differ)", r.name, readers[0].name)
		}
		if s.Count != sh.Count {
			return Header{}, fmt.Errorf("merge: %s is shard %s, %s is shard %s: different shard counts", r.name, s, readers[0].name, sh)
		}
		if byIndex[s.Index-1] != nil {
			return Header{}, fmt.Errorf("merge: shard %s given twice (%s and %s)", s, byIndex[s.Index-1].name, r.name)
		}
		byIndex[s.Index-1] = r
	}
	for i, r := range byIndex {
		if r == nil {
			return Header{}, fmt.Errorf("merge: shard %d/%d is missing", i+1, sh.Count)
		}
	}
	h.Shard = All.String()
	for i := 0; i < h.Trials; i++ {
		r := byIndex[i%sh.Count]
		rec, err := r.Next()
		if err == io.EOF {
			return Header{}, fmt.Errorf("merge: %s ends before trial %d (an interrupted shard? rerun it)", r.name, i)
		}
		if err != nil {
			return Header{}, fmt.Errorf("merge: %w", err)
		}
		if rec.Index != i {
			return Header{}, fmt.Errorf("merge: %s line %d holds trial %d, expected %d", r.name, r.line, rec.Index, i)
		}
		if err := sink(rec); err != nil {
			return Header{}, err
		}
	}
	for _, r := range byIndex {
		if _, err := r.Next(); err != io.EOF {
			return Header{}, fmt.Errorf("merge: %s has lines after its last trial", r.name)
		}
	}
	return h, nil
}

func sameHeader(a, b Header) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
