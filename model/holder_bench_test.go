package model

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/stance-project/stance"
)

// BenchmarkHolderSearch measures the holder search alone (holderOf) on
// the challenge sentences with a stance, each analysed and given its
// evidence beforehand. Nothing else runs between two searches, so its
// tables stay in cache: the figure has little noise, which suits comparing
// changes to the search, but it is the search's cost on a warm cache only.
// Within classification (BenchmarkHolderOverhead) the same search costs
// about 1.7 times as much per sentence.
func BenchmarkHolderSearch(b *testing.B) {
	m, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	type prepared struct {
		sc       *scratch
		text     string
		evidence []Span
	}
	var sents []prepared
	f, err := os.Open("../testdata/challenge.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		var rec struct{ Text string }
		if err := json.Unmarshal(lines.Bytes(), &rec); err != nil {
			b.Fatal(err)
		}
		text, sc := rec.Text, &scratch{}
		r := m.classify(sc, text, Options{})
		if r.Stance == stance.None {
			continue
		}
		sents = append(sents, prepared{sc, text, r.StanceEvidence})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := sents[i%len(sents)]
		m.holderOf(p.sc, p.text, p.evidence)
	}
}
