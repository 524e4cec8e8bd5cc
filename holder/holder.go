// Package holder finds who holds a sentence's stance: candidate spans of
// words are described by features (the words at their edges and around
// them, reporting verbs, the actor table) and a learned scorer picks one.
// The actor table then maps the span to a canonical actor and side.
package holder

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stance-project/stance/arabic"
	"github.com/stance-project/stance/lexicon"
)

// MaxWords is the longest holder span considered; longer ones are rare.
const MaxWords = 8

// Candidate is a span of words [First, Last] of a sentence.
type Candidate struct{ First, Last int }

// Sentence is what the scorer needs of one analysed sentence.
type Sentence struct {
	Text    string
	Tokens  []arabic.Token
	Words   []string
	Masks   []lexicon.Mask
	Clauses []int32
	// ActorLen[i] is how many words the actor mention starting at word i
	// covers (0 for none), and ActorSide its side; see FindActors.
	ActorLen  []int
	ActorSide []lexicon.Side
}

// FindActors fills s.ActorLen and s.ActorSide, reusing their storage: the
// actor table is matched once per sentence, not once per candidate.
func (s *Sentence) FindActors(actors *lexicon.Actors) {
	n := len(s.Words)
	if cap(s.ActorLen) < n {
		s.ActorLen, s.ActorSide = make([]int, n), make([]lexicon.Side, n)
	}
	s.ActorLen, s.ActorSide = s.ActorLen[:n], s.ActorSide[:n]
	for i := range n {
		k, a := actors.MatchAt(s.Words, i)
		s.ActorLen[i], s.ActorSide[i] = k, a.Side
	}
}

// Candidates lists the spans of up to MaxWords words that stay inside one
// clause and start at a word that starts holders (learned from the corpus:
// المتحدث، وزير، صحيفة، كيري...) or names a side. Scoring every span would
// cost more than classifying the sentence.
func Candidates(s *Sentence, starts map[string]bool, dst []Candidate) []Candidate {
	for i := range s.Tokens {
		if !starts[arabic.Bare(s.Words[i])] && !s.Masks[i].Has(lexicon.USSide) && !s.Masks[i].Has(lexicon.RussiaSide) {
			continue
		}
		for j := i; j < len(s.Tokens) && j-i < MaxWords && s.Clauses[j] == s.Clauses[i]; j++ {
			dst = append(dst, Candidate{First: i, Last: j})
		}
	}
	return dst
}

func bucket(n int) string {
	switch {
	case n <= 3:
		return strconv.Itoa(n)
	case n <= 6:
		return "4-6"
	}
	return "7+"
}

// Features emits the feature keys of one candidate of a sentence whose
// actors have been found. buf is reused.
func Features(s *Sentence, c Candidate, buf []byte, emit func([]byte)) []byte {
	key := func(parts ...string) {
		buf = buf[:0]
		for _, p := range parts {
			buf = append(buf, p...)
		}
		emit(buf)
	}
	word := func(i int) string {
		if i < 0 {
			return "^"
		}
		if i >= len(s.Words) {
			return "$"
		}
		return arabic.Bare(s.Words[i])
	}
	first, last := word(c.First), word(c.Last)
	key("h|first:", first)
	key("h|last:", last)
	key("h|prev:", word(c.First-1))
	key("h|prev2:", word(c.First-2))
	key("h|next:", word(c.Last+1))
	key("h|len:", bucket(c.Last-c.First+1))
	key("h|pos:", bucket(c.First))
	key("h|first+prev:", first, "|", word(c.First-1))
	// Word shapes generalise where the words themselves are rare: an
	// imperfect verb starts with ي or ت, a noun phrase with ال.
	key("h|last-head:", head(last, 1), "|last-tail:", tail(last, 2))
	key("h|first-head:", head(first, 2))
	key("h|next-head:", head(word(c.Last+1), 1))
	// A stance holder is usually the subject of the nearest cue after it.
	const cues = 1<<lexicon.Support | 1<<lexicon.Opposition | 1<<lexicon.Condition | 1<<lexicon.Until
	dist := "none"
	for j := c.Last + 1; j < len(s.Masks); j++ {
		if s.Masks[j]&cues != 0 {
			dist = bucket(j - c.Last)
			break
		}
	}
	key("h|cue-after:", dist)
	if c.First > 0 && s.Masks[c.First-1].Has(lexicon.Reporting) {
		key("h|after-reporting")
	}
	if c.Last+1 < len(s.Masks) && s.Masks[c.Last+1].Has(lexicon.Reporting) {
		key("h|before-reporting")
	}
	var inside lexicon.Mask
	for i := c.First; i <= c.Last; i++ {
		inside |= s.Masks[i]
	}
	for _, cl := range []lexicon.Class{lexicon.Reporting, lexicon.Support, lexicon.Opposition, lexicon.Condition, lexicon.Negation, lexicon.Coordination} {
		if inside.Has(cl) {
			key("h|has:", cl.String())
		}
	}
	if inside.Has(lexicon.USSide) || inside.Has(lexicon.RussiaSide) {
		key("h|side-word")
	}
	for i := c.First; i <= c.Last; i++ {
		if k := s.ActorLen[i]; k > 0 && i+k-1 <= c.Last {
			key("h|actor:", string(s.ActorSide[i]))
			if i == c.First && k == c.Last-c.First+1 {
				key("h|actor-exact")
			}
			break
		}
	}
	// What follows the span in the text: a comma, a colon, a quote.
	if c.Last+1 < len(s.Tokens) {
		gap := strings.TrimSpace(s.Text[s.Tokens[c.Last].End:s.Tokens[c.Last+1].Start])
		if gap != "" {
			key("h|gap-after:", gap)
		}
	} else {
		key("h|at-end")
	}
	if c.First > 0 {
		gap := strings.TrimSpace(s.Text[s.Tokens[c.First-1].End:s.Tokens[c.First].Start])
		if gap != "" {
			key("h|gap-before:", gap)
		}
	}
	key("h|bias")
	return buf
}

// head returns the first n runes of w.
func head(w string, n int) string {
	for i := range w {
		if n == 0 {
			return w[:i]
		}
		n--
	}
	return w
}

// tail returns the last n runes of w.
func tail(w string, n int) string {
	i := len(w)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(w[:i])
		i -= size
	}
	return w[i:]
}
