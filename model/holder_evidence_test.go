package model

import (
	"testing"

	"github.com/stance-project/stance"
)

func TestLatestSpanIsTheOneThatStartsLast(t *testing.T) {
	tests := []struct {
		name  string
		spans []Span
		want  int // index of the span returned, -1 for none
	}{
		{"none", nil, -1},
		{"one", []Span{{Start: 40}}, 0},
		{"strongest first, a weaker one later", []Span{{Start: 10, Weight: 3}, {Start: 60, Weight: 1}}, 1},
		{"the strongest is the latest", []Span{{Start: 90, Weight: 3}, {Start: 5, Weight: 2}, {Start: 50, Weight: 1}}, 0},
		{"the latest in the middle", []Span{{Start: 20}, {Start: 70}, {Start: 30}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := latestSpan(tt.spans)
			switch {
			case tt.want < 0 && got != nil:
				t.Fatalf("latestSpan = %v, want nil", got)
			case tt.want >= 0 && (len(got) != 1 || got[0] != tt.spans[tt.want]):
				t.Fatalf("latestSpan = %v, want [%v]", got, tt.spans[tt.want])
			}
		})
	}
}

// The holder scorer reads the strongest holderEvidenceSpans spans however
// many the caller asked for: a caller that wants one span, or none, gets
// the holder of the default call.
func TestHolderDoesNotDependOnTheEvidenceAskedFor(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	holders := 0
	for _, text := range challengeTexts(t) {
		want := m.ClassifySentence(text, Options{})
		if want.Stance == stance.None {
			continue
		}
		if want.Holder != nil {
			holders++
		}
		for _, opt := range []Options{{MaxEvidence: 1}, {MaxEvidence: 2}, {MaxEvidence: 5}, {NoEvidence: true}} {
			got := m.ClassifySentence(text, opt)
			if (got.Holder == nil) != (want.Holder == nil) || got.Holder != nil && *got.Holder != *want.Holder {
				t.Fatalf("%q with %+v: holder %+v, want %+v as with the default options", text, opt, got.Holder, want.Holder)
			}
		}
	}
	if holders == 0 {
		t.Fatal("no challenge sentence has a holder: the test checks nothing")
	}
}
