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

// MaxWords is the longest holder span considered; 96 % of the corpus's
// holders have at most six words.
const MaxWords = 6

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
	// covers (0 for none), and ActorSide its side; see Prepare.
	ActorLen  []int
	ActorSide []lexicon.Side
	// Bare[i] is arabic.Bare of word i, the form the edge features use.
	Bare []string
}

// Prepare fills s.Bare, s.ActorLen and s.ActorSide, reusing their storage:
// the actor table is matched, and each word stripped, once per sentence,
// not once per candidate.
func (s *Sentence) Prepare(actors *lexicon.Actors) {
	n := len(s.Words)
	if cap(s.ActorLen) < n {
		s.ActorLen, s.ActorSide, s.Bare = make([]int, n), make([]lexicon.Side, n), make([]string, n)
	}
	s.ActorLen, s.ActorSide, s.Bare = s.ActorLen[:n], s.ActorSide[:n], s.Bare[:n]
	for i := range n {
		k, a := actors.MatchAt(s.Words, i)
		s.ActorLen[i], s.ActorSide[i] = k, a.Side
		s.Bare[i] = arabic.Bare(s.Words[i])
	}
}

// Candidates lists the spans of up to MaxWords words that stay inside one
// clause and start at a word that starts holders (learned from the corpus:
// المتحدث، وزير، صحيفة، كيري...) or at an actor mention. Scoring every span
// would cost more than classifying the sentence. Prepare must have run.
func Candidates(s *Sentence, starts map[string]bool, dst []Candidate) []Candidate {
	for i := range s.Tokens {
		if !starts[s.Bare[i]] && s.ActorLen[i] == 0 {
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

// keys builds feature keys in a reused buffer.
type keys struct {
	buf  []byte
	emit func([]byte)
}

func (k *keys) add(parts ...string) {
	k.buf = k.buf[:0]
	for _, p := range parts {
		k.buf = append(k.buf, p...)
	}
	k.emit(k.buf)
}

func (s *Sentence) word(i int) string {
	if i < 0 {
		return "^"
	}
	if i >= len(s.Words) {
		return "$"
	}
	return s.Bare[i]
}

// Features emits the feature keys of one candidate of a sentence whose
// Prepare has run: those of its first word, of its last word, and
// of the span as a whole. buf is reused and returned.
func Features(s *Sentence, c Candidate, buf []byte, emit func([]byte)) []byte {
	buf = FirstFeatures(s, c.First, buf, emit)
	buf = LastFeatures(s, c.Last, buf, emit)
	return SpanFeatures(s, c, buf, emit)
}

// FirstFeatures emits the features that depend only on the span's first
// word i: the word, its neighbours before it, its shape, its position.
// Scorers compute them once per word, not once per candidate.
func FirstFeatures(s *Sentence, i int, buf []byte, emit func([]byte)) []byte {
	k := keys{buf: buf, emit: emit}
	first := s.word(i)
	k.add("h|first:", first)
	k.add("h|prev:", s.word(i-1))
	k.add("h|prev2:", s.word(i-2))
	k.add("h|pos:", bucket(i))
	k.add("h|first+prev:", first, "|", s.word(i-1))
	// Word shapes generalise where the words themselves are rare: a noun
	// phrase starts with ال.
	k.add("h|first-head:", head(first, 2))
	if i > 0 && s.Masks[i-1].Has(lexicon.Reporting) {
		k.add("h|after-reporting")
	}
	if i > 0 {
		if gap := strings.TrimSpace(s.Text[s.Tokens[i-1].End:s.Tokens[i].Start]); gap != "" {
			k.add("h|gap-before:", gap)
		}
	}
	return k.buf
}

// LastFeatures emits the features that depend only on the span's last
// word j: the word, what follows it, its shape, the distance to the next cue.
func LastFeatures(s *Sentence, j int, buf []byte, emit func([]byte)) []byte {
	k := keys{buf: buf, emit: emit}
	last := s.word(j)
	k.add("h|last:", last)
	k.add("h|next:", s.word(j+1))
	// An imperfect verb starts with ي or ت: a span ending in one overruns.
	k.add("h|last-head:", head(last, 1), "|last-tail:", tail(last, 2))
	k.add("h|next-head:", head(s.word(j+1), 1))
	// A stance holder is usually the subject of the nearest cue after it.
	const cues = 1<<lexicon.Support | 1<<lexicon.Opposition | 1<<lexicon.Condition | 1<<lexicon.Until
	dist := "none"
	for x := j + 1; x < len(s.Masks); x++ {
		if s.Masks[x]&cues != 0 {
			dist = bucket(x - j)
			break
		}
	}
	k.add("h|cue-after:", dist)
	if j+1 < len(s.Masks) && s.Masks[j+1].Has(lexicon.Reporting) {
		k.add("h|before-reporting")
	}
	// What follows the span in the text: a comma, a colon, a quote.
	if j+1 < len(s.Tokens) {
		if gap := strings.TrimSpace(s.Text[s.Tokens[j].End:s.Tokens[j+1].Start]); gap != "" {
			k.add("h|gap-after:", gap)
		}
	} else {
		k.add("h|at-end")
	}
	return k.buf
}

// spanClasses are the cue classes whose presence inside a span is a feature.
var spanClasses = []lexicon.Class{lexicon.Reporting, lexicon.Support, lexicon.Opposition, lexicon.Condition, lexicon.Negation, lexicon.Coordination}

// SpanFacts are what SpanFeatures looks at, so that a scorer can turn them
// into weights without building keys.
type SpanFacts struct {
	Len        int
	Inside     lexicon.Mask // union of the words' cue classes
	Actor      bool         // an actor mention lies inside the span
	ActorSide  lexicon.Side
	ActorExact bool // the mention is the whole span
}

// Facts works out a candidate's SpanFacts.
func Facts(s *Sentence, c Candidate) SpanFacts {
	f := SpanFacts{Len: c.Last - c.First + 1}
	for i := c.First; i <= c.Last; i++ {
		f.Inside |= s.Masks[i]
	}
	for i := c.First; i <= c.Last; i++ {
		if k := s.ActorLen[i]; k > 0 && i+k-1 <= c.Last {
			f.Actor, f.ActorSide = true, s.ActorSide[i]
			f.ActorExact = i == c.First && k == f.Len
			break
		}
	}
	return f
}

// SpanKeys calls fn with every feature key the facts give.
func (f SpanFacts) SpanKeys(k func(parts ...string)) {
	k("h|len:", bucket(f.Len))
	for _, cl := range spanClasses {
		if f.Inside.Has(cl) {
			k("h|has:", cl.String())
		}
	}
	if f.Inside.Has(lexicon.USSide) || f.Inside.Has(lexicon.RussiaSide) {
		k("h|side-word")
	}
	if f.Actor {
		k("h|actor:", string(f.ActorSide))
		if f.ActorExact {
			k("h|actor-exact")
		}
	}
	k("h|bias")
}

var lengthBuckets = []int{1, 2, 3, 4, 7} // one length of each bucket

// NumSpanFacts is the number of distinct SpanFacts, as far as features go.
const NumSpanFacts = 5 * 128 * 4 * 2

// Index numbers the facts by what the features see of them: the length
// bucket, the span classes, a side word, the actor's side, an exact actor.
// Scorers precompute the span weight of every index.
func (f SpanFacts) Index() int {
	b := 0
	for i, l := range lengthBuckets {
		if bucket(f.Len) == bucket(l) {
			b = i
		}
	}
	bits := 0
	for k, cl := range spanClasses {
		if f.Inside.Has(cl) {
			bits |= 1 << k
		}
	}
	if f.Inside.Has(lexicon.USSide) || f.Inside.Has(lexicon.RussiaSide) {
		bits |= 1 << len(spanClasses)
	}
	side, exact := 0, 0
	if f.Actor {
		side = 1 + sideIndex(f.ActorSide)
		if f.ActorExact {
			exact = 1
		}
	}
	return ((b*128+bits)*4+side)*2 + exact
}

var sides = []lexicon.Side{lexicon.SideUS, lexicon.SideRussia, lexicon.SideOther}

func sideIndex(s lexicon.Side) int {
	for i, x := range sides {
		if x == s {
			return i
		}
	}
	return len(sides) - 1
}

// EachSpanFacts calls fn with one SpanFacts of every index.
func EachSpanFacts(fn func(SpanFacts)) {
	for _, l := range lengthBuckets {
		for bits := range 128 {
			var inside lexicon.Mask
			for k, cl := range spanClasses {
				if bits&(1<<k) != 0 {
					inside |= 1 << cl
				}
			}
			if bits&(1<<len(spanClasses)) != 0 {
				inside |= 1 << lexicon.USSide
			}
			for side := range 4 {
				for exact := range 2 {
					f := SpanFacts{Len: l, Inside: inside, Actor: side > 0, ActorExact: side > 0 && exact == 1}
					if side > 0 {
						f.ActorSide = sides[side-1]
					} else if exact == 1 {
						continue // no actor, no exact actor: the same index as exact 0
					}
					fn(f)
				}
			}
		}
	}
}

// SpanFeatures emits the features of the span as a whole.
func SpanFeatures(s *Sentence, c Candidate, buf []byte, emit func([]byte)) []byte {
	k := keys{buf: buf, emit: emit}
	Facts(s, c).SpanKeys(k.add)
	return k.buf
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
