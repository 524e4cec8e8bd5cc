// Package stance defines the vocabulary shared by every part of the service:
// the stance and sentiment labels of the annotation guide, spans, and the
// annotated sentence record. It has no dependencies so that model, training,
// corpus and server can all speak it without depending on each other.
package stance

import (
	"fmt"
	"unicode/utf8"
)

// Stance is a sentence's position toward US–Russia military coordination.
type Stance string

// The stance labels of ../shared/annotation/GUIDE.md, in model order.
const (
	Supporting  Stance = "supporting"
	Opposing    Stance = "opposing"
	Conditional Stance = "conditional"
	None        Stance = "none"
)

// Stances lists every stance label in the order the model uses.
var Stances = []Stance{Supporting, Opposing, Conditional, None}

// Sentiment is the evaluative tone of a sentence's own words.
type Sentiment string

// The sentiment labels of the annotation guide, in model order.
const (
	Positive Sentiment = "positive"
	Negative Sentiment = "negative"
	Neutral  Sentiment = "neutral"
)

// Sentiments lists every sentiment label in the order the model uses.
var Sentiments = []Sentiment{Positive, Negative, Neutral}

// Valid reports whether s is one of the guide's stance labels.
func (s Stance) Valid() bool { return indexOf(Stances, s) >= 0 }

// Index returns the model position of s, or -1 when s is not a label.
func (s Stance) Index() int { return indexOf(Stances, s) }

// Valid reports whether s is one of the guide's sentiment labels.
func (s Sentiment) Valid() bool { return indexOf(Sentiments, s) >= 0 }

// Index returns the model position of s, or -1 when s is not a label.
func (s Sentiment) Index() int { return indexOf(Sentiments, s) }

func indexOf[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// Span is a stretch of a sentence. Start and End count Unicode code points
// from the start of the sentence text, End exclusive, as the guide requires;
// Text must equal that slice.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Record is one annotated sentence in the guide's JSON Lines format.
type Record struct {
	ID        string    `json:"id"`
	DocID     string    `json:"doc_id"`
	Text      string    `json:"text"`
	Stance    Stance    `json:"stance"`
	Sentiment Sentiment `json:"sentiment"`
	Holder    *Span     `json:"holder,omitempty"`
	Evidence  []Span    `json:"evidence"`
	Mixed     bool      `json:"mixed,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// SliceRunes returns the code points [start, end) of s, or an error when the
// range does not lie inside s.
func SliceRunes(s string, start, end int) (string, error) {
	n := utf8.RuneCountInString(s)
	if start < 0 || end < start || end > n {
		return "", fmt.Errorf("span [%d,%d) does not fit a text of %d code points", start, end, n)
	}
	return s[ByteOffset(s, start):ByteOffset(s, end)], nil
}

// ByteOffset converts a code-point offset into s to a byte offset. Offsets
// past the end map to len(s).
func ByteOffset(s string, runeOffset int) int {
	i := 0
	for b := range s {
		if i == runeOffset {
			return b
		}
		i++
	}
	return len(s)
}
