package model

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TestSpellingsClassifyAlike checks that a sentence classifies the same
// whichever way the newspaper spells American, أميركي (the seed articles,
// mostly) or أمريكي (our corpus, mostly), and Syria, سورية or سوريا. The
// two spellings have the same length, so even the offsets must agree.
func TestSpellingsClassifyAlike(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	respell := strings.NewReplacer("أمريك", "أميرك", "امريك", "اميرك", " سوريا ", " سورية ", " سوريا.", " سورية.", " سوريا،", " سورية،")
	checked := 0
	for _, text := range challengeTexts(t) {
		other := respell.Replace(text)
		if other == text {
			continue
		}
		checked++
		want, got := m.Classify(text, Options{}), m.Classify(other, Options{})
		for i := range got { // the texts differ; everything else must not
			got[i].Text = want[i].Text
			for _, spans := range [][]Span{got[i].StanceEvidence, got[i].SentimentEvidence} {
				for k := range spans {
					spans[k].Text = text[spans[k].Start:spans[k].End]
				}
			}
			if h := got[i].Holder; h != nil {
				h.Text = text[h.Start:h.End]
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("respelled, %q classifies differently:\n got %+v\nwant %+v", text, got, want)
		}
	}
	if checked < 50 {
		t.Fatalf("only %d challenge sentences spell American; the test needs more", checked)
	}
}

// TestPresentationFormsClassifyAlike checks that a sentence written in the
// isolated presentation forms of its letters (as text taken from a PDF can
// be) classifies as it does in plain letters: same labels, probabilities
// and code-point offsets of evidence and holder. Byte offsets differ, since
// the forms take three bytes a letter.
func TestPresentationFormsClassifyAlike(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	isolated := map[rune]rune{} // letter → the first presentation form that stands for it alone
	for r := rune(0xFE70); r <= 0xFEFC; r++ {
		if d := []rune(norm.NFKC.String(string(r))); len(d) == 1 && unicode.IsLetter(d[0]) {
			if _, ok := isolated[d[0]]; !ok {
				isolated[d[0]] = r
			}
		}
	}
	type runeSpan struct{ start, end int }
	summary := func(s Sentence) (out []any) {
		out = append(out, s.Stance, s.StanceProbs, s.Sentiment, s.SentimentProbs, runeSpan{s.RuneStart, s.RuneEnd})
		for _, sp := range append(append([]Span(nil), s.StanceEvidence...), s.SentimentEvidence...) {
			out = append(out, runeSpan{sp.RuneStart, sp.RuneEnd}, sp.Weight)
		}
		if s.Holder != nil {
			out = append(out, runeSpan{s.Holder.RuneStart, s.Holder.RuneEnd}, s.Holder.Actor)
		}
		return out
	}
	for _, text := range challengeTexts(t) {
		forms := strings.Map(func(r rune) rune {
			if f, ok := isolated[r]; ok {
				return f
			}
			return r
		}, text)
		want, got := m.Classify(text, Options{}), m.Classify(forms, Options{})
		if len(got) != len(want) {
			t.Fatalf("%q: %d sentences in presentation forms, %d in letters", text, len(got), len(want))
		}
		for i := range got {
			if g, w := summary(got[i]), summary(want[i]); !reflect.DeepEqual(g, w) {
				t.Errorf("in presentation forms, %q classifies differently:\n got %v\nwant %v", want[i].Text, g, w)
			}
		}
	}
}
