package holder_test

import (
	"slices"
	"testing"

	"github.com/stance-project/stance/features"
	"github.com/stance-project/stance/holder"
	"github.com/stance-project/stance/lexicon"
)

func prepared(t *testing.T, text string) *holder.Sentence {
	t.Helper()
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatal(err)
	}
	var sc features.Scratch
	features.New(features.DefaultConfig, lx).Analyse(text, &sc)
	s := &holder.Sentence{Text: text, Tokens: sc.Tokens, Words: sc.Words(), Masks: sc.Masks(), Clauses: sc.Clauses()}
	s.Prepare(lx.Actors)
	return s
}

func spanText(s *holder.Sentence, c holder.Candidate) string {
	return s.Text[s.Tokens[c.First].Start:s.Tokens[c.Last].End]
}

func TestCandidatesStartAtStartWordsAndActors(t *testing.T) {
	s := prepared(t, "وقال المتحدث باسم البنتاغون بيتر كوك، إن واشنطن لن تتعاون مع روسيا.")
	starts := map[string]bool{"متحدث": true}
	var got []string
	for _, c := range holder.Candidates(s, starts, nil) {
		if c.Last-c.First+1 > holder.MaxWords {
			t.Fatalf("candidate %q longer than %d words", spanText(s, c), holder.MaxWords)
		}
		if s.Clauses[c.First] != s.Clauses[c.Last] {
			t.Fatalf("candidate %q crosses a clause", spanText(s, c))
		}
		got = append(got, spanText(s, c))
	}
	for _, want := range []string{"المتحدث باسم البنتاغون بيتر كوك", "واشنطن", "روسيا", "البنتاغون"} {
		if !slices.Contains(got, want) {
			t.Errorf("no candidate %q among %q", want, got)
		}
	}
	// A start word's span stops at the comma that ends its clause.
	if slices.Contains(got, "كوك، إن") || slices.Contains(got, "المتحدث باسم البنتاغون بيتر كوك، إن") {
		t.Errorf("a candidate crosses the comma: %q", got)
	}
}

func TestPrepareFindsActors(t *testing.T) {
	s := prepared(t, "وقال وزير الخارجية الأمريكي جون كيري إن موسكو شريك.")
	found := map[lexicon.Side]bool{}
	for i, n := range s.ActorLen {
		if n > 0 {
			found[s.ActorSide[i]] = true
		}
		if s.Bare[i] == "" {
			t.Errorf("word %d has no bare form", i)
		}
	}
	if !found[lexicon.SideUS] || !found[lexicon.SideRussia] {
		t.Errorf("actor sides found %v, want us and russia", found)
	}
}

// The features a scorer sums once per word must be those Features gives a
// candidate, so that training and scoring see the same thing.
func TestFeaturesAreEdgesPlusSpan(t *testing.T) {
	s := prepared(t, "وأكد المتحدث باسم الكرملين ديمتري بيسكوف أن موسكو مستعدة للتنسيق.")
	c := holder.Candidate{First: 1, Last: 5}
	var all, parts []string
	holder.Features(s, c, nil, func(k []byte) { all = append(all, string(k)) })
	collect := func(k []byte) { parts = append(parts, string(k)) }
	buf := holder.FirstFeatures(s, c.First, nil, collect)
	buf = holder.LastFeatures(s, c.Last, buf, collect)
	holder.SpanFeatures(s, c, buf, collect)
	if !slices.Equal(all, parts) {
		t.Fatalf("Features %q\nedges and span %q", all, parts)
	}
	var spanKeys []string
	holder.Facts(s, c).SpanKeys(func(p ...string) {
		k := ""
		for _, x := range p {
			k += x
		}
		spanKeys = append(spanKeys, k)
	})
	var fromSpan []string
	holder.SpanFeatures(s, c, nil, func(k []byte) { fromSpan = append(fromSpan, string(k)) })
	if !slices.Equal(spanKeys, fromSpan) {
		t.Fatalf("SpanKeys %q, SpanFeatures %q", spanKeys, fromSpan)
	}
}
