package model_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stance-project/stance/corpus"
	"github.com/stance-project/stance/model"
	"github.com/stance-project/stance/training"
)

// benchDocuments returns the challenge set as documents of ten sentences:
// news-length sentences the model never trained on.
func benchDocuments(tb testing.TB) (docs []string, sentences int) {
	tb.Helper()
	recs, err := corpus.ReadFile("../testdata/challenge.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	var cur []string
	for _, r := range recs {
		cur = append(cur, r.Text)
		if len(cur) == 10 {
			docs = append(docs, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, d := range docs {
		sentences += strings.Count(d, "\n") + 1
	}
	return docs, sentences
}

func mustDefault(tb testing.TB) *model.Model {
	tb.Helper()
	m, err := model.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// benchClassify classifies the benchmark documents with opt and reports
// the sentence rate.
func benchClassify(b *testing.B, opt model.Options) {
	m := mustDefault(b)
	docs, n := benchDocuments(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	sentences := 0
	for i := 0; b.Loop(); i++ {
		sentences += len(m.Classify(docs[i%len(docs)], opt))
	}
	b.ReportMetric(float64(sentences)/time.Since(start).Seconds(), "sentences/s")
	b.ReportMetric(float64(n)/float64(len(docs)), "sentences/doc")
}

// BenchmarkClassify measures segmentation, both heads and evidence on
// news-length sentences, without holders: issue #3's figure predates them.
// Run with -cpu 1 for the single-core rate.
func BenchmarkClassify(b *testing.B) { benchClassify(b, model.Options{NoHolders: true}) }

// BenchmarkClassifyNoEvidence is the same without evidence spans.
func BenchmarkClassifyNoEvidence(b *testing.B) {
	benchClassify(b, model.Options{NoEvidence: true, NoHolders: true})
}

// BenchmarkClassifyHolders is BenchmarkClassify with holders found, as
// Classify does by default.
func BenchmarkClassifyHolders(b *testing.B) { benchClassify(b, model.Options{}) }

// BenchmarkLoadDefault measures loading the embedded model.
func BenchmarkLoadDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		mustDefault(b)
	}
}

// BenchmarkHeapDefault reports the live heap held by a loaded default model.
func BenchmarkHeapDefault(b *testing.B) {
	var keep *model.Model
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		keep = mustDefault(b)
		keep.Classify("وقال المتحدث إن واشنطن لا تنسق مع موسكو.", model.Options{})
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
	}
	runtime.KeepAlive(keep)
}

// BenchmarkHolderOverhead measures how much slower classification is with
// holders, as a percentage, on the challenge set's documents: two in three
// of their sentences take a stance, and only those are searched for a
// holder.
func BenchmarkHolderOverhead(b *testing.B) {
	docs, _ := benchDocuments(b)
	benchHolderOverhead(b, docs)
}

// BenchmarkHolderOverheadSeeds is BenchmarkHolderOverhead on the five seed
// articles, real reporting, where most sentences take no stance (55 of 93
// by the annotations). The articles are read from $STANCE_SEEDS or
// ../shared/seeds beside the clone.
func BenchmarkHolderOverheadSeeds(b *testing.B) {
	dir, err := training.LocateSeeds("..")
	if err != nil {
		b.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no seed articles (.txt) in %s: set %s to the folder of the five seed .txt files", dir, training.SeedsEnv)
	}
	var docs []string
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, string(text))
	}
	benchHolderOverhead(b, docs)
}

// benchHolderOverhead classifies each document both ways in turn, in
// alternating order, so that the machine's load drifting during the run
// (separate benchmarks run minutes apart) weighs on both alike, and reports
// how much slower it is with holders, as a percentage.
func benchHolderOverhead(b *testing.B, docs []string) {
	m := mustDefault(b)
	plain, holders := model.Options{NoHolders: true}, model.Options{}
	var without, with time.Duration
	for i := 0; b.Loop(); i++ {
		doc := docs[i%len(docs)]
		first, second := plain, holders
		if i%2 == 1 {
			first, second = holders, plain
		}
		t0 := time.Now()
		m.Classify(doc, first)
		t1 := time.Now()
		m.Classify(doc, second)
		t2 := time.Now()
		if !first.NoHolders {
			with, without = with+t1.Sub(t0), without+t2.Sub(t1)
		} else {
			without, with = without+t1.Sub(t0), with+t2.Sub(t1)
		}
	}
	b.ReportMetric(100*(float64(with)/float64(without)-1), "holders-slower-%")
}
