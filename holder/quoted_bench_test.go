package holder

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/stance-project/stance/arabic"
)

// BenchmarkMarkQuoted times markQuoted alone on the challenge set's
// sentences, warm, per sentence: it runs for every sentence the holder
// search reads. At e2d6369, which found the marks by three scans for their
// lead bytes, it gave 47.5 ns; cold, in the search, the scans cost far
// more (BenchmarkHolderOverhead), and the marks now come from the
// tokenizer.
func BenchmarkMarkQuoted(b *testing.B) {
	f, err := os.Open("../testdata/challenge.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var sentences []*Sentence
	lines := bufio.NewScanner(f)
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		var r struct{ Text string }
		if err := json.Unmarshal(lines.Bytes(), &r); err != nil {
			b.Fatal(err)
		}
		toks, quotes := arabic.TokenizeQuotes(r.Text, nil, nil)
		sentences = append(sentences, &Sentence{Text: r.Text, Tokens: toks, Quotes: quotes, quoted: make([]uint8, len(toks))})
	}
	b.ResetTimer()
	for b.Loop() {
		for _, s := range sentences {
			s.markQuoted()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(sentences)), "ns/sentence")
}
