// Package features turns a sentence into the sparse features both heads
// score: word, stem and character n-grams, negation scope, cue classes from
// the lexicon and target features. Every feature is tied to the tokens that
// produced it, so a prediction can be traced back to words of the original.
//
// Features are named by byte keys such as "s|تنسيق" or "l|support~neg"; the
// extractor hands each key to a callback in a reused buffer, so extraction
// allocates nothing per feature.
package features

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/stance-project/stance/arabic"
	"github.com/stance-project/stance/lexicon"
)

// Config selects the feature families.
type Config struct {
	Words    bool // w| normalised words
	Stems    bool // s| light stems
	Bigrams  bool // b| stem bigrams
	CharMin  int  // c| character n-grams, CharMin..CharMax runes, of words that are not known; 0 disables
	CharMax  int
	NegScope int  // words after a negation that count as negated; 0 disables
	Lexicon  bool // l| cue classes, with negated and contrast-clause variants
	Target   bool // t| and k| target features: sides, coordination terms, cue+target in one clause
	// LengthNorm scales a sentence's features by 1/sqrt(occurrences), so that
	// long sentences of real reporting do not get extreme scores.
	LengthNorm bool
}

// DefaultConfig is the configuration the search starts from.
var DefaultConfig = Config{Words: true, Stems: true, Bigrams: true, CharMin: 3, CharMax: 4, NegScope: 3, Lexicon: true, Target: true}

// SentenceLevel is the token index of features that belong to the sentence
// as a whole rather than to particular words.
const SentenceLevel = -1

// Emit receives one feature occurrence: its key (valid only during the
// call) and the tokens [tok0, tok1] it is attributed to, or SentenceLevel.
type Emit func(key []byte, tok0, tok1 int)

// Extractor extracts features with a fixed configuration and lexicon. It is
// immutable and safe for concurrent use; per-call state lives in Scratch.
type Extractor struct {
	cfg   Config
	lx    *lexicon.Lexicon
	words map[string]wordInfo // precomputed analyses of known words
}

// wordInfo is what the extractor derives from a word alone.
type wordInfo struct {
	stem string
	mask lexicon.Mask
	id   int32 // index in the known-word list
}

// New returns an extractor.
func New(cfg Config, lx *lexicon.Lexicon) *Extractor { return &Extractor{cfg: cfg, lx: lx} }

// WithKnownWords returns an extractor for which the given normalised words
// are known: their stems and cue classes are worked out in advance
// (stemming dominates extraction time) and they get no character n-grams.
// Character n-grams are for the rare, misspelled and unseen words that a
// word feature cannot cover; known words are the frequent ones.
func (e *Extractor) WithKnownWords(words []string) *Extractor {
	return e.WithKnownWordStems(words, nil)
}

// WithKnownWordStems is WithKnownWords with the words' stems given
// (arabic.Stem of each, in order), as a model file stores them: stemming
// ten thousand words is a quarter of the time it takes to load a model.
// With stems nil, they are worked out here; otherwise stems has one entry
// per word (a model file's are checked when it is loaded).
func (e *Extractor) WithKnownWordStems(words, stems []string) *Extractor {
	c := &Extractor{cfg: e.cfg, lx: e.lx, words: make(map[string]wordInfo, len(words))}
	for i, w := range words {
		var info wordInfo
		if stems != nil {
			info = wordInfo{stem: stems[i], mask: e.lx.WordMask(w)}
		} else {
			info = e.analyse(w)
		}
		info.id = int32(i)
		c.words[w] = info
	}
	return c
}

func (e *Extractor) analyse(w string) wordInfo {
	return wordInfo{stem: arabic.Stem(w), mask: e.lx.WordMask(w), id: Unknown}
}

// Unknown is the word ID of a word that is not in the known-word list.
const Unknown = -1

// Scratch holds the per-sentence buffers of one goroutine.
type Scratch struct {
	Tokens  []arabic.Token
	quotes  []arabic.Quote
	words   []string
	stems   []string
	masks   []lexicon.Mask
	ids     []int32
	clause  []int32
	negated []bool
	key     []byte
}

// Extract tokenizes text into s.Tokens and emits its features.
func (e *Extractor) Extract(text string, s *Scratch, emit Emit) {
	e.Analyse(text, s)
	n := len(s.Tokens)
	for i := range n {
		if e.cfg.Words {
			emit(s.keyOf("w|", s.words[i]), i, i)
		}
		if e.cfg.Stems {
			emit(s.keyOf("s|", s.stems[i]), i, i)
			if s.negated[i] {
				emit(s.keyOf("n|", s.stems[i]), i, i)
			}
		}
		if e.cfg.Bigrams && i+1 < n && s.clause[i] == s.clause[i+1] {
			s.key = append(append(append(append(s.key[:0], "b|"...), s.stems[i]...), ' '), s.stems[i+1]...)
			emit(s.key, i, i+1)
		}
		if e.cfg.CharMin > 0 {
			if _, known := e.words[s.words[i]]; !known {
				e.charGrams(s, i, emit)
			}
		}
		if e.cfg.Lexicon {
			e.lexiconFeatures(s, i, emit)
		}
	}
	if e.cfg.Target {
		e.targetFeatures(s, emit)
	}
	if strings.ContainsAny(text, "؟?") {
		first, last := s.questionClause(text)
		emit(append(s.key[:0], "q|question"...), first, last)
	}
	if last, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(text)); !strings.ContainsRune(".!?؟…»”\"", last) {
		emit(append(s.key[:0], "q|no-final-stop"...), SentenceLevel, SentenceLevel)
	}
	emit(append(s.key[:0], "q|bias"...), SentenceLevel, SentenceLevel)
}

// questionClause returns the words of the clause that ends in the last
// question mark of text: a rhetorical question is argued by its own words,
// and evidence drawn from them shows what it rejects or hopes for.
// SentenceLevel twice when no word precedes the mark.
func (s *Scratch) questionClause(text string) (first, last int) {
	at := strings.LastIndexAny(text, "؟?")
	last = -1
	for i, t := range s.Tokens {
		if t.End > at {
			break
		}
		last = i
	}
	if last < 0 {
		return SentenceLevel, SentenceLevel
	}
	first = last
	for first > 0 && s.clause[first-1] == s.clause[last] {
		first--
	}
	return first, last
}

func (s *Scratch) keyOf(prefix, v string) []byte {
	s.key = append(append(s.key[:0], prefix...), v...)
	return s.key
}

func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n, n+n/2)
	}
	b = b[:n]
	clear(b)
	return b
}

// clauseOpeners are the connectives that open a clause of their own.
const clauseOpeners lexicon.Mask = 1<<lexicon.Contrast | 1<<lexicon.Adversative

// clauses numbers the clauses of the sentence: a clause ends at a comma,
// semicolon, colon, dash or sentence stop between two words, and a
// connective of contrast (رغم، بينما) or an adversative (لكن، إلا أن) opens a
// new one.
func (e *Extractor) clauses(text string, s *Scratch) {
	c := int32(0)
	for i, t := range s.Tokens {
		if i > 0 {
			gap := text[s.Tokens[i-1].End:t.Start]
			if strings.ContainsAny(gap, ",،;؛:.!?؟…–—-") || (s.masks[i]&clauseOpeners != 0 && s.masks[i-1]&clauseOpeners == 0) {
				c++
			}
		}
		s.clause[i] = c
	}
}

// negation marks the words that follow a negation, up to NegScope words and
// never past the clause.
func (e *Extractor) negation(s *Scratch) {
	if e.cfg.NegScope == 0 {
		return
	}
	for i, m := range s.masks {
		if !m.Has(lexicon.Negation) {
			continue
		}
		for j := i + 1; j < len(s.masks) && j <= i+e.cfg.NegScope && s.clause[j] == s.clause[i]; j++ {
			if !s.masks[j].Has(lexicon.Negation) {
				s.negated[j] = true
			}
		}
	}
}

// charGrams emits the character n-grams of word i, with ^ and $ marking its
// edges so that prefixes and suffixes stand out.
func (e *Extractor) charGrams(s *Scratch, i int, emit Emit) {
	w := s.words[i]
	// Rune boundaries of "^" + w + "$", as byte offsets into w with the
	// markers at virtual positions -1 and len(w).
	var bounds [64]int
	nb := 0
	bounds[nb] = -1
	nb++
	for k := range w {
		if nb == len(bounds)-1 {
			break
		}
		bounds[nb] = k
		nb++
	}
	bounds[nb] = len(w)
	nb++
	// bounds[j] is the start of the j-th symbol; symbol count is nb.
	for n := e.cfg.CharMin; n <= e.cfg.CharMax; n++ {
		for a := 0; a+n <= nb; a++ {
			s.key = append(s.key[:0], "c|"...)
			for j := a; j < a+n; j++ {
				switch st := bounds[j]; {
				case st < 0:
					s.key = append(s.key, '^')
				case st >= len(w):
					s.key = append(s.key, '$')
				default:
					end := len(w)
					if j+1 < nb && bounds[j+1] >= 0 && bounds[j+1] < end {
						end = bounds[j+1]
					}
					s.key = append(s.key, w[st:end]...)
				}
			}
			emit(s.key, i, i)
		}
	}
}

// lexiconFeatures emits the cue classes of word i: plain, negated, and in a
// clause opened by a contrast cue, which the guide treats as background, or
// by an adversative, which opens the clause that carries the point.
func (e *Extractor) lexiconFeatures(s *Scratch, i int, emit Emit) {
	m := s.masks[i]
	if m == 0 {
		return
	}
	var opener lexicon.Mask // the connective that opens word i's clause, if any
	for j := i; j >= 0 && s.clause[j] == s.clause[i]; j-- {
		if o := s.masks[j] & clauseOpeners; o != 0 {
			opener = o
			break
		}
	}
	for c := range lexicon.NumClasses {
		if !m.Has(c) {
			continue
		}
		s.key = append(append(s.key[:0], "l|"...), c.String()...)
		emit(s.key, i, i)
		if s.negated[i] {
			emit(append(s.key, "~neg"...), i, i)
		}
		if c == lexicon.Contrast || c == lexicon.Adversative {
			continue
		}
		switch {
		case opener.Has(lexicon.Contrast):
			s.key = append(append(s.key[:0], "l|"...), c.String()...)
			emit(append(s.key, "~contrast"...), i, i)
		case opener.Has(lexicon.Adversative):
			s.key = append(append(s.key[:0], "l|"...), c.String()...)
			emit(append(s.key, "~but"...), i, i)
		}
	}
}

// targetFeatures ties cues to the target: whether a clause names both sides
// and coordination, and which cues share a clause with a coordination term.
func (e *Extractor) targetFeatures(s *Scratch, emit Emit) {
	const cues = 1<<lexicon.Support | 1<<lexicon.Opposition | 1<<lexicon.Condition | 1<<lexicon.Until
	var sentence lexicon.Mask
	for start := 0; start < len(s.masks); {
		end := start
		var clause lexicon.Mask
		for end < len(s.masks) && s.clause[end] == s.clause[start] {
			clause |= s.masks[end]
			end++
		}
		sentence |= clause
		coord := clause.Has(lexicon.Coordination)
		both := clause.Has(lexicon.USSide) && clause.Has(lexicon.RussiaSide)
		if coord && both {
			emit(append(s.key[:0], "t|clause:both+coord"...), SentenceLevel, SentenceLevel)
		}
		for i := start; i < end; i++ {
			m := s.masks[i] & cues
			if m == 0 {
				continue
			}
			e.governs(s, i, start, end, m, emit)
			if !coord {
				continue
			}
			for c := range lexicon.NumClasses {
				if !m.Has(c) {
					continue
				}
				s.key = append(append(s.key[:0], "k|"...), c.String()...)
				s.key = append(s.key, "+coord"...)
				if both {
					s.key = append(s.key, "+both"...)
				}
				if s.negated[i] {
					s.key = append(s.key, "~neg"...)
				}
				emit(s.key, i, i)
			}
		}
		start = end
	}
	for _, f := range [...]struct {
		c    lexicon.Class
		name string
	}{{lexicon.USSide, "t|us"}, {lexicon.RussiaSide, "t|russia"}, {lexicon.Coordination, "t|coord"}, {lexicon.Joint, "t|joint"}} {
		if sentence.Has(f.c) {
			emit(append(s.key[:0], f.name...), SentenceLevel, SentenceLevel)
		}
	}
	if sentence.Has(lexicon.USSide) && sentence.Has(lexicon.RussiaSide) && sentence.Has(lexicon.Coordination) {
		emit(append(s.key[:0], "t|sentence:both+coord"...), SentenceLevel, SentenceLevel)
	}
}

// governAfter and governBefore are how far from a cue a word naming joint
// action counts as what the cue is about: a cue governs the phrase right
// after it (يرفض التنسيق مع، مستعدة لتنسيق ضرباتها), and a predicate
// follows its subject closely (التعاون مع موسكو مرفوض). A whole clause of
// real reporting often holds a cue about one thing and the target's words
// about another.
const (
	governAfter  = 6
	governBefore = 3
)

// governs emits the cue classes m of word i, in the clause [start, end),
// with a word naming joint action close after it or before it.
func (e *Extractor) governs(s *Scratch, i, start, end int, m lexicon.Mask, emit Emit) {
	near := ""
	for j := i + 1; j < end && j <= i+governAfter; j++ {
		if s.masks[j].Has(lexicon.Joint) {
			near = "+joint-after"
			break
		}
	}
	if near == "" {
		for j := i - 1; j >= start && j >= i-governBefore; j-- {
			if s.masks[j].Has(lexicon.Joint) {
				near = "+joint-before"
				break
			}
		}
	}
	if near == "" {
		return
	}
	for c := range lexicon.NumClasses {
		if !m.Has(c) {
			continue
		}
		s.key = append(append(append(s.key[:0], "k|"...), c.String()...), near...)
		if s.negated[i] {
			s.key = append(s.key, "~neg"...)
		}
		emit(s.key, i, i)
	}
}

// KnownWords returns the normalised words that occur in at least minCount
// of the texts, sorted: the words an extractor should treat as known.
func KnownWords(texts []string, minCount int) []string {
	df := map[string]int{}
	var toks []arabic.Token
	seen := map[string]bool{}
	for _, t := range texts {
		clear(seen)
		toks = arabic.Tokenize(t, toks[:0])
		for _, tok := range toks {
			if !seen[tok.Norm] {
				seen[tok.Norm] = true
				df[tok.Norm]++
			}
		}
	}
	var out []string
	for w, n := range df {
		if n >= minCount {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// Hash is the 64-bit FNV-1a hash of a feature key. It is stable across
// processes, so a vocabulary can be rebuilt from the key strings.
func Hash(key []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, b := range key {
		h ^= uint64(b)
		h *= 1099511628211
	}
	return h
}

// HashString is Hash for a string key.
func HashString(key string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	return h
}

// Words returns the normalised words of the last extracted sentence.
func (s *Scratch) Words() []string { return s.words[:len(s.Tokens)] }

// Masks returns the cue classes of each word of the last extracted sentence.
func (s *Scratch) Masks() []lexicon.Mask { return s.masks[:len(s.Tokens)] }

// WordIDs returns, for each word of the last extracted sentence, its index
// in the list given to WithKnownWords, or Unknown. Scorers that need more
// facts about a word than the extractor keeps work them out once per known
// word and find them by this index.
func (s *Scratch) WordIDs() []int32 { return s.ids[:len(s.Tokens)] }

// Quotes returns the quotation marks of the last extracted sentence, in
// order (arabic.TokenizeQuotes).
func (s *Scratch) Quotes() []arabic.Quote { return s.quotes }

// Clauses returns the clause number of each word of the last extracted sentence.
func (s *Scratch) Clauses() []int32 { return s.clause[:len(s.Tokens)] }

// Analyse tokenizes text into s and works out words, stems, cue classes,
// clauses and negation scope, without building features: what Extract
// starts with, and all the holder scorer needs.
func (e *Extractor) Analyse(text string, s *Scratch) {
	s.Tokens, s.quotes = arabic.TokenizeQuotes(text, s.Tokens[:0], s.quotes[:0])
	n := len(s.Tokens)
	s.words = grow(s.words, n)
	s.stems = grow(s.stems, n)
	s.masks = grow(s.masks, n)
	s.ids = grow(s.ids, n)
	s.clause = grow(s.clause, n)
	s.negated = grow(s.negated, n)
	for i, t := range s.Tokens {
		s.words[i] = t.Norm
		info, ok := e.words[t.Norm]
		if !ok {
			info = e.analyse(t.Norm)
		}
		s.stems[i], s.masks[i], s.ids[i] = info.stem, info.mask, info.id
	}
	e.lx.ApplyPhrases(s.words, s.masks)
	e.clauses(text, s)
	e.negation(s)
}
