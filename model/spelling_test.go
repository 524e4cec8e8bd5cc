package model

import (
	"reflect"
	"strings"
	"testing"
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
