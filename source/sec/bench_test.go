package sec

import (
	"bytes"
	"os"
	"testing"

	"github.com/ratecycle/ratecycle/series"
)

func BenchmarkParseCompanyFacts(b *testing.B) {
	data := readFile(b, snowFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCompanyFacts(bytes.NewReader(data), "snow_facts.json"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTickers(b *testing.B) {
	data := readFile(b, tickersMar2026)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseTickers(bytes.NewReader(data), "sec_tickers.json"); err != nil {
			b.Fatal(err)
		}
	}
}

// SetBytes is the zip's size; the members unzip to 25.3 MB.
func BenchmarkReadFSDS(b *testing.B) {
	data := readFile(b, fsdsFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadFSDS(bytes.NewReader(data), int64(len(data)), "2010q2.zip"); err != nil {
			b.Fatal(err)
		}
	}
}

// A point-in-time screen: every filer's latest total assets as of 2010-06-30.
func BenchmarkFSDSScreen(b *testing.B) {
	d := readFSDS(b)
	ciks := d.CIKs()
	asOf := series.MustDate("2010-06-30")
	b.ReportAllocs()
	for b.Loop() {
		for _, cik := range ciks {
			d.Latest(cik, "Assets", 0, "USD", asOf)
		}
	}
	b.ReportMetric(float64(len(ciks))*float64(b.N)/b.Elapsed().Seconds(), "filers/s")
}

func BenchmarkReadFSDSTags(b *testing.B) {
	data, err := os.ReadFile(fsdsFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	tags := []string{"Assets", "Liabilities", "NetIncomeLoss", "Revenues", "StockholdersEquity", "AssetsCurrent", "LiabilitiesCurrent"}
	for b.Loop() {
		if _, err := ReadFSDSTags(bytes.NewReader(data), int64(len(data)), "2010q2.zip", tags); err != nil {
			b.Fatal(err)
		}
	}
}
