package engine

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"testing"

	"github.com/ratecycle/ratecycle/backtest"
	"github.com/ratecycle/ratecycle/catalog"
	"github.com/ratecycle/ratecycle/examples"
	"github.com/ratecycle/ratecycle/series"
	"github.com/ratecycle/ratecycle/sweep"
)

func TestBacktestRuns(t *testing.T) {
	s, err := backtest.ParseStrategy(examples.Rotation, "rotation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Backtest(context.Background(), catalog.New(nil), s, BacktestOptions{From: series.MustDate("2000-01-01"), To: series.NoDate})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Run.Name != "french" || res[1].Run.Name != "etf" {
		t.Fatalf("%d results", len(res))
	}
	if d := res[0].Dates[1]; d != series.MustDate("2000-01-31") {
		t.Errorf("french from %s", d)
	}
	if _, err := Backtest(context.Background(), catalog.New(nil), s, BacktestOptions{Runs: []string{"bonds"}}); err == nil {
		t.Error("unknown run: no error")
	}
}

// TestSweepShardsMerge: Sweep's shards merged by MergeSweeps are one Sweep.
func TestSweepShardsMerge(t *testing.T) {
	ctx := context.Background()
	cat := catalog.New(nil)
	g, _ := sweep.ParseGrid("tilt=0.2:1:0.2,lag=0:2")
	opt := SweepOptions{Run: "etf", From: series.NoDate, To: series.NoDate, Grid: g, Rank: sweep.Calmar, Top: 4}
	var whole bytes.Buffer
	opt.Out = &whole
	want, err := Sweep(ctx, cat, examples.Rotation, "rotation.yaml", opt)
	if err != nil {
		t.Fatal(err)
	}
	var files []io.Reader
	var names []string
	for i := 1; i <= 2; i++ {
		var b bytes.Buffer
		o := opt
		o.Out, o.Shard = &b, sweep.Shard{Index: i, Count: 2}
		if _, err := Sweep(ctx, cat, examples.Rotation, "rotation.yaml", o); err != nil {
			t.Fatal(err)
		}
		files = append([]io.Reader{&b}, files...)
		names = append([]string{"shard"}, names...)
	}
	var merged bytes.Buffer
	got, err := MergeSweeps(files, names, sweep.Calmar, 4, &merged)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || !bytes.Equal(merged.Bytes(), whole.Bytes()) {
		t.Errorf("merged shards differ from one sweep")
	}
	if want.Header.Digest != StrategyDigest(examples.Rotation) || want.Header.Periods != 6404 || want.Trials != 15 {
		t.Errorf("header %+v", want.Header)
	}
}
