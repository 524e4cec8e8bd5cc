package segment_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stance-project/stance/segment"
)

// FuzzSplit checks the invariants any input must keep: sentences in order,
// inside the text, not overlapping, trimmed, never empty, and covering every
// non-space rune of the input.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"وقال د. محمد: «لن ننسق. ليس الآن». ثم غادر.",
		"سورية\n\n«البنتاغون» مصر على رفضه.. وموسكو تجدد عرضها …",
		"3.5 ... ؟! \"a. b.\" ” x. ”",
		"\xff\xfe.\n.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sents := segment.Split(in, nil)
		prevEnd, prevRuneEnd := 0, 0
		covered := 0
		for _, s := range sents {
			if s.Start < prevEnd || s.End <= s.Start || s.End > len(in) {
				t.Fatalf("bad byte span [%d,%d) after %d in %q", s.Start, s.End, prevEnd, in)
			}
			if s.RuneStart < prevRuneEnd || s.RuneStart != utf8.RuneCountInString(in[:s.Start]) ||
				s.RuneEnd-s.RuneStart != utf8.RuneCountInString(in[s.Start:s.End]) {
				t.Fatalf("rune span [%d,%d) does not match bytes [%d,%d) in %q", s.RuneStart, s.RuneEnd, s.Start, s.End, in)
			}
			text := s.Text(in)
			if strings.TrimSpace(text) != text {
				t.Fatalf("sentence %q is not trimmed", text)
			}
			covered += visible(text)
			prevEnd, prevRuneEnd = s.End, s.RuneEnd
		}
		if want := visible(in); covered != want {
			t.Fatalf("sentences cover %d visible runes of %d in %q", covered, want, in)
		}
	})
}

// visible counts the runes that are neither white space nor invisible format marks.
func visible(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) && r != '\uFEFF' && r != '\u200B' && r != '\u200E' && r != '\u200F' {
			n++
		}
	}
	return n
}
