package model

import (
	"testing"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/corpus"
)

// challengeRecords returns the annotated records of the challenge set,
// text the default model never trained on.
func challengeRecords(tb testing.TB) []stance.Record {
	tb.Helper()
	recs, err := corpus.ReadFile("../testdata/challenge.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// challengeTexts returns the sentences of the challenge set: news-length
// text the model never trained on.
func challengeTexts(tb testing.TB) []string {
	recs := challengeRecords(tb)
	texts := make([]string, len(recs))
	for i, r := range recs {
		texts[i] = r.Text
	}
	return texts
}

// BenchmarkHolderSearch measures the holder search alone (holderOf) on
// the challenge sentences with a stance. Before each search, untimed, two
// other sentences and then the sentence itself are classified, as within
// Classify: the classifier's tables push the holder's out of the cache
// between two sentences, and a benchmark of the search on its own would
// time it on a warm cache. With -benchtime 1s it runs for about 20 s,
// most of it untimed.
func BenchmarkHolderSearch(b *testing.B) {
	m, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	type prepared struct {
		text     string
		evidence []Span
	}
	texts := challengeTexts(b)
	var sents []prepared
	for _, text := range texts {
		if r, _, _ := m.classify(&scratch{}, text, Options{}); r.Stance != stance.None {
			sents = append(sents, prepared{text, r.StanceEvidence})
		}
	}
	sc := &scratch{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		m.classify(sc, texts[(2*i)%len(texts)], Options{})
		m.classify(sc, texts[(2*i+1)%len(texts)], Options{})
		p := sents[i%len(sents)]
		m.classify(sc, p.text, Options{})
		b.StartTimer()
		m.holderOf(sc, p.text, p.evidence)
	}
}
