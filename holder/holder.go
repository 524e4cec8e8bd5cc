// Package holder finds who holds a sentence's stance: candidate spans of
// words are described by features (the words at their edges and around
// them, reporting verbs, the actor table) and a learned scorer picks one.
// The actor table then maps the span to a canonical actor and side.
package holder

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stance-project/stance/arabic"
	"github.com/stance-project/stance/lexicon"
)

// MaxWords is the longest holder span considered: 80 of the 6,282 holders
// of the corpus and the challenge set are longer
// (TestAnnotatedHoldersAreCandidates).
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
	// Evidence[i] is true when word i is in the stance evidence, the words
	// that decided the sentence's label (nil when there are none): a holder
	// is usually the subject of its own position's words, not of another
	// party's in the same sentence. Set before Prepare.
	Evidence []bool
	// Unknown[i] is true for a word the scorer's model does not know: a
	// name the corpus never met, which Starts.NewWordSpan lets a span
	// start at. Set before Prepare when no word indexes are given (with
	// them, a word without one is unknown).
	Unknown []bool
	// Quotes are Text's quotation marks, in order (features.Scratch.Quotes):
	// Prepare marks quoted speech from them.
	Quotes []arabic.Quote
	// ActorLen[i] is how many words the actor mention starting at word i
	// covers (0 for none), and ActorSide[i] its side where ActorLen[i] > 0
	// (elsewhere it holds what an earlier sentence left: Prepare writes no
	// string it need not, see Bare); see Prepare.
	ActorLen  []int
	ActorSide []lexicon.Side
	// Bare[i] is arabic.Bare of word i, the form the edge features use;
	// Prepare does not write it for a word whose Role it is given (a
	// scorer that keeps roles by word keeps the word's edge weights too),
	// which holds what an earlier sentence left. Writing strings, each a
	// pointer the garbage collector must hear of, to every word cost about
	// 2 % of the search (BenchmarkHolderSearch, three interleaved rounds).
	Bare []string
	// nextCue[j] is the index of the first stance cue after word j, or
	// len(Words) when none follows; nextEvidence[j] likewise of the first
	// evidence word, and lastEvidence[i] the last evidence word before word
	// i (-1 for none).
	nextCue, nextEvidence, lastEvidence []int
	// starters are the words a span may start at (start words and actor
	// mentions, no function word), in increasing order, and endable[j] is
	// 1 for a word a span may end at, 0 for a function word, which never
	// starts or ends a holder: a number the
	// candidate loop adds instead of a test it branches on. Which words
	// these are follows no pattern the processor can learn, and the
	// mispredicted branches cost more than the loops' other work.
	starters, startBuf []int32 // starters lies at the end of startBuf
	endable            []uint8
	// speakersFrom[i] is the number of words at word i or after it that
	// name a speaker (SpeakersBeforeEvidence), one entry more than words.
	speakersFrom []int32
	// spanMax[i] is the most words of a span starting at word i: MaxWords,
	// or Starts.NewWordSpan for a word that is a starter only as unknown.
	spanMax []uint8
	// spanBits[i] are the bits word i adds to a span's SpanFacts index, and
	// actorEnding[j] the first word of an actor mention that ends at word j
	// (-1 for none): what CandidatesWithFacts needs to work out the facts of
	// a growing span word by word. actorSideIndex[i] is 1+sideIndex of
	// ActorSide[i], as Index numbers it, for a mention's first word: worked
	// out once for the mention, not for every span that reaches its end.
	spanBits       []uint8
	actorEnding    []int32
	actorSideIndex []uint8
	// quoted[i] is 1 for a word inside a quotation of at least
	// MinQuotedWords words (or one still open at the sentence's end): the
	// words someone is quoted as saying, where the one who says them is
	// seldom named. anyQuoted is false when no word is, and quoted then
	// holds what an earlier sentence left.
	quoted    []uint8
	anyQuoted bool
}

// Role is what the candidate rules need of a word alone, as bits. Prepare
// works it out for every word of a sentence, or reads it from a Vocabulary.
type Role uint8

// The bits of a Role.
const (
	RoleActorFirst Role = 1 << iota // an actor pattern may start at the word
	RoleFunction                    // no holder starts or ends on the word
	RoleStart                       // the word is one of the start words given
	RoleAla                         // the word may be the preposition على (see isPrepositionAla)
	RoleNoEnd                       // a holder may start on the word but not end on it
)

// Starts say where a candidate span may start besides an actor mention.
type Starts struct {
	// Words are the bare words that start holders, learned from the
	// corpus (المتحدث، وزير، صحيفة، كيري).
	Words map[string]bool
	// NewWordSpan is the most words of a span that starts at an unknown
	// word (Sentence.Unknown), 0 for none. News names many holders the
	// corpus never met, after a title it never started one with
	// (السيناتور المستقل عن ولاية مين أنغوس كينغ): their first word is no
	// start word, and without this no span names them. Such spans are kept
	// short, a name rather than a phrase: most unknown words name no one.
	NewWordSpan int
}

// RoleOf works out the Role of the normalised word w.
func RoleOf(w string, actors *lexicon.Actors, starts map[string]bool) Role {
	return roleOf(w, arabic.Bare(w), actors, starts)
}

// Vocabulary is what Prepare needs of each word of a scorer's vocabulary,
// worked out once: a scorer meets the same words again and again, and most
// words of a sentence are known ones.
type Vocabulary struct {
	// roles are one byte a word, a table small enough to stay in cache
	// while a sentence is scored.
	roles []Role
	// The actor patterns that may start at word k, for a word of
	// RoleActorFirst, lie in patterns from mention[k] on, in the order
	// lexicon.Mentions.MatchAt tries them: each is its number of words n,
	// its side's index in sides, then the n-1 words after the first by
	// their index in the vocabulary, or, for a word not in it, by -1-k for
	// others[k]; an n of 0 ends the list. Prepare matches
	// the patterns by the indexes the sentence's words come with, reading
	// a few numbers in a row where lexicon.Mentions had it follow a chain
	// of pointers, a cache miss each.
	mention  []int32
	patterns []int32
	others   []string
	sides    []lexicon.Side
	// forms holds every string roleOf looks a word or its forms up by:
	// the actor patterns' first words, the function words and the start
	// words. A word none of whose forms it may have has no Role but
	// RoleAla's, without a map lookup; most words not among words are so.
	forms WordFilter
}

// NewVocabulary works out the Role and the actor patterns of every word of
// words (normalised), for Prepare to read by the word's index.
func NewVocabulary(words []string, actors *lexicon.Actors, starts map[string]bool) *Vocabulary {
	v := &Vocabulary{roles: make([]Role, len(words)), mention: make([]int32, len(words))}
	// A word listed twice is found by its last index, as the feature
	// extractor numbers it.
	index := make(map[string]int32, len(words))
	for k, w := range words {
		index[w] = int32(k)
	}
	for k, w := range words {
		v.roles[k], v.mention[k] = RoleOf(w, actors, starts), -1
		if v.roles[k]&RoleActorFirst == 0 {
			continue
		}
		v.mention[k] = int32(len(v.patterns))
		actors.MentionsOf(w).Each(func(pattern []string, a lexicon.Actor) {
			if len(pattern) == 0 {
				return // matches nowhere: MatchAt covers no word with it
			}
			side := slices.Index(v.sides, a.Side)
			if side < 0 {
				side = len(v.sides)
				v.sides = append(v.sides, a.Side)
			}
			v.patterns = append(v.patterns, int32(len(pattern)), int32(side))
			for _, pw := range pattern[1:] {
				if id, ok := index[pw]; ok {
					v.patterns = append(v.patterns, id)
				} else {
					v.patterns = append(v.patterns, int32(-1-len(v.others)))
					v.others = append(v.others, pw)
				}
			}
		})
		v.patterns = append(v.patterns, 0)
	}
	actors.FirstWords(v.forms.Add)
	for w := range functionWords {
		v.forms.Add(w)
	}
	for w := range quantifiers {
		v.forms.Add(w)
	}
	for w := range starts {
		v.forms.Add(w)
	}
	return v
}

// matchAt is lexicon.Mentions.MatchAt for the known word i of words,
// whose indexes in the vocabulary are ids: how many words the first
// pattern that matches there covers (0 for none), and its side.
func (v *Vocabulary) matchAt(words []string, ids []int32, i int) (int, lexicon.Side) {
	p := v.patterns[v.mention[ids[i]]:]
	for len(p) > 1 && p[0] > 0 {
		n := int(p[0])
		if i+n <= len(words) && v.follows(p[2:n+1], words, ids, i) {
			return n, v.sides[p[1]]
		}
		p = p[n+1:]
	}
	return 0, ""
}

// follows reports whether the words after word i are those of rest, a
// pattern's words after its first as matchAt reads them.
func (v *Vocabulary) follows(rest []int32, words []string, ids []int32, i int) bool {
	for j, want := range rest {
		if want >= 0 && ids[i+1+j] != want || want < 0 && words[i+1+j] != v.others[-1-want] {
			return false
		}
	}
	return true
}

// mayHaveRole reports whether the normalised word w, of bare form bare,
// may have a Role other than RoleAla: false when roleOf would find none of
// its forms in its maps (actors.MayStart's, functionWords, quantifiers,
// starts).
func (v *Vocabulary) mayHaveRole(w, bare string) bool {
	if v.forms.MayHave(w) || v.forms.MayHave(bare) {
		return true
	}
	stripped := arabic.StripConjunction(w)
	return stripped != w && stripped != bare && v.forms.MayHave(stripped)
}

// roleOf is RoleOf for a word whose bare form is known.
func roleOf(w, bare string, actors *lexicon.Actors, starts map[string]bool) Role {
	var r Role
	if actors.MayStart(w) {
		r |= RoleActorFirst
	}
	if functionWords[w] {
		r |= RoleFunction
	}
	if quantifiers[w] {
		r |= RoleNoEnd
	}
	if starts[bare] {
		r |= RoleStart
	}
	if isAlaForm(w) {
		r |= RoleAla
	}
	return r
}

// functionWords are the prepositions, particles, pronouns, demonstratives,
// relatives, auxiliaries and modals (normalised) at which holders do not
// start or end: two of the 6,282 holders of the corpus and the challenge
// set do (هذه الأوساط; TestAnnotatedHoldersAreCandidates counts them). A
// candidate such as «الدبلوماسي إلى», «الكثير من» or «الأسد يجب» is an
// overrun, and leaving these ends out also spares their scoring. على is not
// among them: it is also the name علي (see isPrepositionAla).
var functionWords = map[string]bool{
	"من": true, "في": true, "الي": true, "عن": true, "ان": true, "لا": true, "لم": true,
	"لن": true, "ما": true, "قد": true, "او": true, "ثم": true, "بل": true, "كما": true,
	"مع": true, "عند": true, "بين": true, "حول": true, "ضد": true, "منذ": true, "بعد": true,
	"قبل": true, "خلال": true, "لدي": true, "الذي": true, "التي": true, "الذين": true,
	"هذا": true, "هذه": true, "ذلك": true, "تلك": true, "هو": true, "هي": true, "هم": true,
	"انه": true, "انها": true, "انهم": true, "اذا": true, "لو": true, "حتي": true,
	"يجب": true, "ينبغي": true, "يمكن": true, "لابد": true, "بد": true, "كان": true,
	"كانت": true, "يكون": true, "تكون": true, "ليس": true, "ليست": true, "سوف": true,
	"عليه": true, "عليها": true, "عليهم": true, "تم": true, "يجري": true,
}

// quantifiers are the words of quantity that open a holder and need what
// follows them («الكثير من ضباط المخابرات»، «بعض المسؤولين»، «عدد من قادة
// الكونغرس»): no holder of the corpus or the challenge set ends on one, and
// a span of the quantifier alone («الكثير») names nobody.
var quantifiers = map[string]bool{
	"الكثير": true, "كثير": true, "بعض": true, "عدد": true, "معظم": true,
	"غالبيه": true, "اغلب": true, "جل": true, "احد": true,
}

// stanceCues are the cue classes a holder is usually the subject of.
const stanceCues = 1<<lexicon.Support | 1<<lexicon.Opposition | 1<<lexicon.Condition | 1<<lexicon.Until

// Prepare fills s.Bare, s.ActorLen and s.ActorSide and marks the start
// words among starts, reusing their storage: the actor table is matched,
// each word stripped and the next cue and evidence words found once per
// sentence, not once per candidate. vocab and ids, when given, hold what
// Prepare needs of word i at index ids[i] of vocab (ids[i] < 0 for a word
// not among them), so that a known word costs no lookups.
func (s *Sentence) Prepare(actors *lexicon.Actors, starts Starts, vocab *Vocabulary, ids []int32) {
	n := len(s.Words)
	// startBuf holds one more than the others: a sentence of no words
	// still needs one entry, which a sentence never prepared lacks.
	if cap(s.startBuf) < n+1 {
		s.ActorLen, s.ActorSide, s.Bare, s.nextCue = make([]int, n), make([]lexicon.Side, n), make([]string, n), make([]int, n)
		s.nextEvidence, s.lastEvidence = make([]int, n), make([]int, n)
		s.startBuf, s.endable = make([]int32, n+1), make([]uint8, n)
		s.spanBits, s.actorEnding, s.actorSideIndex = make([]uint8, n), make([]int32, n), make([]uint8, n)
		s.quoted, s.spanMax = make([]uint8, n), make([]uint8, n)
		s.speakersFrom = make([]int32, n+1)
	}
	s.ActorLen, s.ActorSide, s.Bare, s.nextCue = s.ActorLen[:n], s.ActorSide[:n], s.Bare[:n], s.nextCue[:n]
	s.nextEvidence, s.lastEvidence = s.nextEvidence[:n], s.lastEvidence[:n]
	s.startBuf, s.endable = s.startBuf[:n+1], s.endable[:n]
	s.spanBits, s.actorEnding, s.actorSideIndex = s.spanBits[:n], s.actorEnding[:n], s.actorSideIndex[:n]
	s.quoted, s.spanMax, s.speakersFrom = s.quoted[:n], s.spanMax[:n], s.speakersFrom[:n+1]
	s.markQuoted()
	// The loops read and write the slices through locals of length n: the
	// compiler then drops their bounds checks and keeps them out of s,
	// which every store would make it read again.
	words, masks := s.Words[:n], s.Masks[:n]
	actorLen, actorSide, bare := s.ActorLen[:n], s.ActorSide[:n], s.Bare[:n]
	nextCue, nextEvidence, lastEvidence := s.nextCue[:n], s.nextEvidence[:n], s.lastEvidence[:n]
	spanBits, actorEnding, actorSideIndex := s.spanBits[:n], s.actorEnding[:n], s.actorSideIndex[:n]
	starters, endable, spanMax := s.startBuf[:n+1], s.endable[:n], s.spanMax[:n]
	speakersFrom := s.speakersFrom[:n+1]
	speakersFrom[n] = 0
	unknownWords := s.Unknown
	if len(unknownWords) > n {
		unknownWords = unknownWords[:n]
	}
	evidence := s.Evidence
	if len(evidence) > n {
		evidence = evidence[:n]
	}
	for i := range actorEnding {
		actorEnding[i] = -1
	}
	last := -1
	for i := range lastEvidence {
		lastEvidence[i] = last
		if i < len(evidence) && evidence[i] {
			last = i
		}
	}
	if vocab == nil || len(ids) < n {
		ids = nil
	} else {
		ids = ids[:n]
	}
	next, nextEv := n, n
	// The starters are written from the end of their buffer, each at pos,
	// which moves down only past a starter.
	pos := n
	newSpan := starts.newSpan()
	for i := n - 1; i >= 0; i-- {
		nextEvidence[i] = nextEv
		if i < len(evidence) && evidence[i] {
			nextEv = i
		}
		actorLen[i] = 0
		var role Role
		unknown := false
		if ids != nil && ids[i] >= 0 {
			role = vocab.roles[ids[i]]
			if role&RoleActorFirst != 0 {
				actorLen[i], actorSide[i] = vocab.matchAt(words, ids, i)
			}
		} else {
			unknown = ids != nil || i < len(unknownWords) && unknownWords[i]
			bare[i] = arabic.Bare(words[i])
			if vocab == nil || vocab.mayHaveRole(words[i], bare[i]) {
				role = roleOf(words[i], bare[i], actors, starts.Words)
			} else if isAlaForm(words[i]) {
				role = RoleAla
			}
			if role&RoleActorFirst != 0 {
				k, a := actors.MatchAt(words, i)
				actorLen[i], actorSide[i] = k, a.Side
			}
		}
		if k := actorLen[i]; k > 0 {
			actorEnding[i+k-1] = int32(i)
			actorSideIndex[i] = uint8(1 + sideIndex(actorSide[i]))
		}
		fn := role&RoleFunction != 0
		if role&RoleAla != 0 && isPrepositionAla(arabic.Letters(s.rawWord(i))) {
			fn = true
		}
		full := b2u(role&RoleStart != 0) | b2u(actorLen[i] > 0)
		ok, most := startAt(b2u(fn), full, b2u(unknown), newSpan)
		starters[pos], spanMax[i] = int32(i), most
		pos -= int(ok)
		speakersFrom[i] = speakersFrom[i+1] + int32(speakerAt(ok, full, masks, i))
		endable[i] = 1 - b2u(fn || role&RoleNoEnd != 0)
		m := masks[i]
		spanBits[i] = wordSpanBits(m)
		nextCue[i] = next
		if m&stanceCues != 0 {
			next = i
		}
	}
	s.starters = starters[pos+1:]
}

// speakerAt is 1 when word i names a speaker (SpeakersBeforeEvidence): a
// span starts there (ok) at a start word or an actor mention (full), right
// after a reporting verb; else 0.
func speakerAt(ok, full uint8, masks []lexicon.Mask, i int) uint8 {
	return ok & full & b2u(i > 0 && masks[i-1].Has(lexicon.Reporting))
}

// newSpan is NewWordSpan as startAt takes it.
func (st Starts) newSpan() uint8 { return uint8(min(max(st.NewWordSpan, 0), MaxWords)) }

// startAt says whether a span may start at a word, 1 or 0, and the most
// words it may run: no function word, and a full start, a start word or
// an actor mention's first (MaxWords), or an unknown word (newSpan,
// Starts.newSpan). The flags are 1 or 0 (b2u). Worked out without a
// branch, as Prepare's loop needs (see Sentence.starters), and small
// enough to be inlined there.
func startAt(function, full, unknown, newSpan uint8) (ok, most uint8) {
	ok = (1 - function) & (full | unknown&b2u(newSpan > 0))
	return ok, newSpan + (MaxWords-newSpan)*full
}

// b2u is 1 for true, 0 for false, which the compiler works out without a
// branch.
func b2u(b bool) uint8 {
	var u uint8
	if b {
		u = 1
	}
	return u
}

// rawWord is word i as the text writes it.
func (s *Sentence) rawWord(i int) string { return s.Text[s.Tokens[i].Start:s.Tokens[i].End] }

// isPrepositionAla reports the preposition على as written: normalised, it
// is the name علي (ى becomes ي), which starts holders (علي شمخاني), so
// functionWords cannot hold it; with ى, no holder of the corpus starts with
// it, and «إن على البنتاغون أن» names no holder «على البنتاغون».
func isPrepositionAla(raw string) bool {
	switch raw {
	case "على", "وعلى", "فعلى":
		return true
	}
	return false
}

// isAlaForm reports the normalised forms of the words isPrepositionAla
// knows: only these need their text looked at.
func isAlaForm(norm string) bool {
	switch norm {
	case "علي", "وعلي", "فعلي":
		return true
	}
	return false
}

// EvidenceAfter is the index of the first evidence word after word j, or
// the number of words when none follows. Prepare must have run.
func (s *Sentence) EvidenceAfter(j int) int { return s.nextEvidence[j] }

// EvidenceBefore is the index of the last evidence word before word i, or
// -1 when none precedes. Prepare must have run.
func (s *Sentence) EvidenceBefore(i int) int { return s.lastEvidence[i] }

// MinQuotedWords is the fewest words a quotation holds for its words to
// count as quoted speech: shorter ones mostly quote a name («البنتاغون»،
// صحيفة «إزفستيا») or a phrase the sentence's own speaker uses.
const MinQuotedWords = 4

// Quoted is 1 when word i lies inside quoted speech (MinQuotedWords), else
// 0. Prepare must have run.
func (s *Sentence) Quoted(i int) uint8 {
	if !s.anyQuoted {
		return 0
	}
	return s.quoted[i]
}

// markQuoted fills s.quoted from s.Quotes. A quotation mark opens a
// quotation at the first word after it, or closes one after the last word
// before it. Straight quotes open when none is open and close otherwise;
// nested quotations count as the outer one. The marks come from the
// tokenizer, which reads the text anyway, with the word each stands
// before: found here, by three scans of a text the classifier had pushed
// out of the cache, they cost more (interleaved BenchmarkHolderOverhead
// rounds: 10.75 % at f000c05, 10.32 % at d1b8dea), and so did the search
// of each mark's word among the tokens.
func (s *Sentence) markQuoted() {
	s.anyQuoted = false
	n := len(s.Tokens)
	open, depth := 0, 0
	for _, q := range s.Quotes {
		k := min(max(q.Word, 0), n) // the word the mark stands before
		r := q.Mark
		switch {
		case r == '"' && depth == 0, quoteStep(r) > 0:
			if depth == 0 {
				open = k
			}
			depth++
		case depth > 0:
			if depth--; depth == 0 && k-open >= MinQuotedWords {
				s.markWords(open, k)
			}
		}
	}
	if depth > 0 {
		s.markWords(open, n) // still open at the end: speech cut off, whatever its length
	}
}

// markWords marks words [from, to) as quoted. The first mark of a
// sentence clears what an earlier sentence left.
func (s *Sentence) markWords(from, to int) {
	if !s.anyQuoted {
		clear(s.quoted)
		s.anyQuoted = true
	}
	for w := from; w < to; w++ {
		s.quoted[w] = 1
	}
}

// Gap is the punctuation between words i and i+1, without white space.
func (s *Sentence) Gap(i int) string {
	g := s.Text[s.Tokens[i].End:s.Tokens[i+1].Start]
	if g == " " { // most words are one space apart: TrimSpace costs more than this
		return ""
	}
	return trimSpace(g)
}

// trimSpace is strings.TrimSpace, which takes a slow path through
// function values at the first byte past ASCII, where most gaps between
// Arabic words hold Arabic punctuation (، « »). ASCII white space is cut
// byte by byte; only an end that may start a wider space (bytes 0xC2 and
// 0xE1 to 0xE3: U+0085, U+00A0, U+1680, U+2000 to U+3000) is decoded.
func trimSpace(s string) string {
	for {
		for len(s) > 0 && asciiSpace[s[0]] {
			s = s[1:]
		}
		if len(s) == 0 || !mayStartWideSpace(s[0]) {
			break
		}
		r, n := utf8.DecodeRuneInString(s)
		if !unicode.IsSpace(r) {
			break
		}
		s = s[n:]
	}
	for {
		for len(s) > 0 && asciiSpace[s[len(s)-1]] {
			s = s[:len(s)-1]
		}
		if len(s) == 0 || s[len(s)-1] < utf8.RuneSelf || !mayEndWideSpace(s) {
			break
		}
		r, n := utf8.DecodeLastRuneInString(s)
		if !unicode.IsSpace(r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

// asciiSpace marks the bytes unicode.IsSpace holds white space below
// utf8.RuneSelf.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// mayStartWideSpace reports a first byte of a white space rune past ASCII.
func mayStartWideSpace(b byte) bool { return b == 0xC2 || b >= 0xE1 && b <= 0xE3 }

// mayEndWideSpace reports whether s may end in a white space rune past
// ASCII: the rune's first byte is one mayStartWideSpace accepts.
func mayEndWideSpace(s string) bool {
	for k := len(s) - 1; k >= 0 && k >= len(s)-3; k-- {
		if b := s[k]; b >= 0xC0 { // the rune's first byte
			return mayStartWideSpace(b)
		}
	}
	return false
}

// SpeakersBeforeEvidence is the number of speakers named after word j+1
// and before the first evidence word after j, or -1 when none follows: a
// speaker is a word right after a reporting verb where a span starts at a
// start word or an actor mention (وقال وزير، وأكد لافروف). Prepare must
// have run. Two parties' positions side by side (قال X إن ...، وقال Y إن
// ...) name the later speaker between the earlier one and the position,
// and the guide labels the later. The word right after the span is left
// out: it may be where the span goes on. A party the speaker reports on
// (قال X إن موسكو ...) follows no reporting verb and does not count.
func (s *Sentence) SpeakersBeforeEvidence(j int) int {
	x := s.nextEvidence[j]
	if x >= len(s.nextEvidence) {
		return -1
	}
	return s.SpeakersBetween(j+2, x)
}

// SpeakersBetween is the number of speakers (SpeakersBeforeEvidence) at
// words [lo, hi), 0 when lo ≥ hi; hi is at most the number of words.
// Prepare must have run. Worked out without a branch, for the search (see
// Sentence.starters).
func (s *Sentence) SpeakersBetween(lo, hi int) int {
	past := -int(b2u(lo > hi))
	lo = lo&^past | hi&past
	return int(s.speakersFrom[lo] - s.speakersFrom[hi])
}

// NextCue is the index of the first stance cue after word j, or the number
// of words when none follows. Prepare must have run.
func (s *Sentence) NextCue(j int) int { return s.nextCue[j] }

// Starters are the words at which candidates start (Candidates), in
// increasing order: every one starts at least the candidate of itself
// alone. Prepare must have run, with the start words.
func (s *Sentence) Starters() []int32 { return s.starters }

// MarkStarts marks where spans start again, by starts and s.Unknown, for a
// sentence prepared before they were known.
func (s *Sentence) MarkStarts(starts Starts) {
	s.starters = s.startBuf[:0]
	newSpan := starts.newSpan()
	for i, b := range s.Bare {
		// A word no span ends on is a function word, unless it is a
		// quantifier, where spans start.
		function := s.endable[i] == 0 && !quantifiers[s.Words[i]]
		full := b2u(starts.Words[b]) | b2u(s.ActorLen[i] > 0)
		ok, most := startAt(b2u(function), full, b2u(i < len(s.Unknown) && s.Unknown[i]), newSpan)
		if ok == 1 {
			s.starters = append(s.starters, int32(i))
		}
		s.spanMax[i] = most
		s.speakersFrom[i] = int32(speakerAt(ok, full, s.Masks, i)) // summed from the end below
	}
	for i := len(s.Bare) - 1; i >= 0; i-- {
		s.speakersFrom[i] += s.speakersFrom[i+1]
	}
}

// Candidates lists the spans of up to MaxWords words that stay inside one
// clause and start at a word that starts holders (learned from the corpus:
// المتحدث، وزير، صحيفة، كيري...) or at an actor mention, and those of up to
// Starts.NewWordSpan words that start at an unknown word. Scoring every span
// would cost more than classifying the sentence. Prepare must have run,
// with the start words.
//
// Punctuation rules spans out. A span never closes a quotation it did not
// open («البنتاغون» مصر is not a holder, صحيفة «الوطن» القطرية is), never
// leaves one it opened unclosed (قائد «فرقة is none), and never runs across
// a straight quote or a bracket (المسئول "(كيري). Of the
// 6,282 holders of the corpus and the challenge set, 110 are no candidate,
// 80 of them for their length; 41 are annotated from an opening quote
// («الوطن» القطرية), where no span starts: spans start at a word
// (TestAnnotatedHoldersAreCandidates).
func Candidates(s *Sentence, dst []Candidate) []Candidate {
	dst, _ = CandidatesWithFacts(s, dst, nil)
	return dst
}

// CandidatesWithFacts is Candidates that also appends the SpanFacts index
// of each candidate to idx, worked out as each span grows by a word rather
// than span by span (Facts): what a scorer needs of a candidate besides its
// edges.
func CandidatesWithFacts(s *Sentence, dst []Candidate, idx []int32) ([]Candidate, []int32) {
	// Locals of length n, as in Prepare: no bounds checks, no reloads.
	n := len(s.Tokens)
	toks, clauses := s.Tokens, s.Clauses[:n]
	endable, spanBits, spanMax := s.endable[:n], s.spanBits[:n], s.spanMax[:n]
	actorLen, actorEnding, actorSideIndex := s.ActorLen[:n], s.actorEnding[:n], s.actorSideIndex[:n]
	for _, i32 := range s.starters {
		i := int(i32)
		open := 0   // quotations opened and not yet closed inside the span
		bits := 0   // spanBits of the words so far
		actor := -1 // first word of the span's first actor mention
		side := 0   // and its side, as in SpanFacts.Index
	span:
		for j, end := i, i+int(spanMax[i]); j < n && j < end && clauses[j] == clauses[i]; j++ {
			if j > i {
				// Most words are one space apart: no rune to look at.
				if g := s.Text[toks[j-1].End:toks[j].Start]; g != " " {
					for _, r := range g {
						if strings.ContainsRune(`"()[]`, r) {
							break span
						}
						if open += quoteStep(r); open < 0 {
							break span
						}
					}
				}
			}
			bits |= int(spanBits[j])
			if actorEnding[j] >= 0 {
				// The mentions that end here: the first one inside the span
				// counts if it starts before the one found so far.
				for k := i; k <= j && (actor < 0 || k < actor); k++ {
					if actorLen[k] > 0 && k+actorLen[k]-1 == j {
						actor, side = k, int(actorSideIndex[k])
						break
					}
				}
			}
			if open > 0 && !closesAfter(s, j, open) {
				continue
			}
			place := placeInside
			if actor == i {
				place = placeFirst
				if actorLen[i] == j-i+1 {
					place = placeExact
				}
			}
			// Appended, then kept only for a word a span may end at.
			k := len(dst) + int(endable[j])
			dst = append(dst, Candidate{First: i, Last: j})[:k]
			idx = append(idx, int32(spanIndex(j-i+1, bits, side, place)))[:k]
		}
	}
	return dst, idx
}

const closingQuotes = "»”"

// closesAfter reports whether the quotations a span ending at word j has
// left open close right after it, as End takes them in: a span that leaves
// one open ends inside a name (قائد «فرقة، صحيفة «روسيسكايا).
func closesAfter(s *Sentence, j, open int) bool {
	n, _ := closingAfter(s, j, open)
	return n == open
}

// closingAfter counts the closing quote marks right after word j, up to
// open of them, and their length in bytes.
func closingAfter(s *Sentence, j, open int) (n, size int) {
	for _, r := range s.Text[s.Tokens[j].End:] {
		if n == open || !strings.ContainsRune(closingQuotes, r) {
			break
		}
		n, size = n+1, size+utf8.RuneLen(r)
	}
	return n, size
}

// mayHoldQuotes reports whether s may hold a mark quoteStep counts: false
// when none of their lead bytes, 0xC2 (« ») and 0xE2 (“ ”), is in s. A
// lead byte always starts a rune, and no Arabic letter's bytes are these:
// a holder's text mostly needs no decoding, rune by rune, to count none.
func mayHoldQuotes(s string) bool {
	return strings.IndexByte(s, 0xC2) >= 0 || strings.IndexByte(s, 0xE2) >= 0
}

// quoteStep is +1 for a mark that opens a quotation, -1 for one that closes
// it, 0 for any other rune.
func quoteStep(r rune) int {
	switch r {
	case '«', '“':
		return 1
	case '»', '”': // closingQuotes
		return -1
	}
	return 0
}

// Start returns where candidate c's text starts, in bytes and code points
// of s.Text: at its first word, or after a conjunction و or ف fused to it
// (وموسكو، والبنتاغون، فالجنرالات), which annotators leave out of the
// holder: 139 of the 160 holders of the corpus and the challenge set that
// start inside a word start so, and two others are cut
// (TestAnnotatedHoldersAreCandidates). The letter is a conjunction when what
// follows it is an actor or a word with the article, and the word as it
// stands is no actor (فاليري غيراسيموف).
func Start(s *Sentence, c Candidate, actors *lexicon.Actors) (start, runeStart int) {
	t := s.Tokens[c.First]
	w := s.Words[c.First]
	raw, size := utf8.DecodeRuneInString(s.Text[t.Start:t.End])
	letter := raw
	if arabic.IsPresentationForm(raw) { // from a PDF: ﻭ is و
		letter, _ = utf8.DecodeRuneInString(arabic.Letters(string(raw)))
	}
	if (letter != 'و' && letter != 'ف') || !strings.HasPrefix(w, string(letter)) || actors.Starts(w) {
		return t.Start, t.RuneStart
	}
	rest := w[utf8.RuneLen(letter):]
	if actors.Starts(rest) || strings.HasPrefix(rest, "ال") && utf8.RuneCountInString(rest) >= 5 {
		return t.Start + size, t.RuneStart + 1
	}
	return t.Start, t.RuneStart
}

// End returns where candidate c's text ends, in bytes and code points of
// s.Text: at its last word, or past the closing marks of quotations the
// span opened (صحيفة «روسيسكايا غازيتا»), as annotators mark it.
func End(s *Sentence, c Candidate) (end, runeEnd int) {
	first, last := s.Tokens[c.First], s.Tokens[c.Last]
	end, runeEnd = last.End, last.RuneEnd
	open := 0
	if span := s.Text[first.Start:end]; mayHoldQuotes(span) {
		for _, r := range span {
			open += quoteStep(r)
		}
	}
	n, size := closingAfter(s, c.Last, max(open, 0))
	return end + size, runeEnd + n
}

// buckets are the names of bucketIndex's buckets.
var buckets = [...]string{"0", "1", "2", "3", "4-6", "7+"}

// NumBuckets is the number of buckets of positions and distances.
const NumBuckets = len(buckets)

// BucketIndex is the bucket of a position or distance n, as the edge
// features name it BucketName(BucketIndex(n)).
func BucketIndex(n int) int { return bucketIndex(n) }

// BucketName is the name of bucket k in feature keys.
func BucketName(k int) string { return buckets[k] }

// CueAfterNone is the LastFacts.CueAfter value when no cue follows, and
// the value of the evidence distances when no evidence word lies that way.
const CueAfterNone = "none"

// Shape is what the edge features see of a word's spelling: the first two
// letters of a span's first word (a noun phrase starts with ال), the first
// letter and the last two of its last word (an imperfect verb starts with
// ي or ت: a span ending in one overruns), the first letter of the word
// after it.
type Shape struct{ FirstHead, LastHead, LastTail string }

// ShapeOf works out the Shape of a bare word.
func ShapeOf(bare string) Shape {
	return Shape{FirstHead: head(bare, 2), LastHead: head(bare, 1), LastTail: tail(bare, 2)}
}

// bucketIndex groups a count or a distance: 0, 1, 2, 3 apart, then 4–6 and 7
// or more, where single values are too rare to learn from.
func bucketIndex(n int) int {
	switch {
	case n <= 3:
		return max(n, 0)
	case n <= 6:
		return 4
	}
	return 5
}

func bucket(n int) string { return buckets[bucketIndex(n)] }

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

// The templates of the edge features: a key is its template followed by
// its value. Scorers that fold weights by template parse keys with these.
const (
	KeyFirst           = "h|first:"
	KeyPrev            = "h|prev:"
	KeyPrev2           = "h|prev2:"
	KeyPos             = "h|pos:"
	KeyFirstPrev       = "h|first+prev:" // value: first word, "|", previous word
	KeyFirstHead       = "h|first-head:"
	KeyAfterReporting  = "h|after-reporting"
	KeyGapBefore       = "h|gap-before:"
	KeyQuoted          = "h|quoted"
	KeyLast            = "h|last:"
	KeyNext            = "h|next:"
	KeyLastHead        = "h|last-head:" // value: head, KeyLastTail, tail
	KeyLastTail        = "|last-tail:"
	KeyNextHead        = "h|next-head:"
	KeyCueAfter        = "h|cue-after:"
	KeyEvidenceAfter   = "h|evidence-after:"
	KeyEvidenceBefore  = "h|evidence-before:"
	KeySpeakersBefore  = "h|speakers-before-evidence:"
	KeyBeforeReporting = "h|before-reporting"
	KeyGapAfter        = "h|gap-after:"
	KeyAtEnd           = "h|at-end"
)

// FirstFacts are what the features of a span's first word look at: the
// word, its neighbours before it, its shape, its position.
type FirstFacts struct {
	Word, Prev, Prev2, Pos, Head string
	AfterReporting               bool
	Quoted                       bool   // inside quoted speech (Sentence.Quoted)
	GapBefore                    string // punctuation between the previous word and this one
	// EvidenceBefore is the bucket of the distance back to the nearest
	// evidence word (a position named before its holder: معارضة من X).
	EvidenceBefore string
}

// First works out the FirstFacts of word i.
func First(s *Sentence, i int) FirstFacts {
	f := FirstFacts{Word: s.word(i), Prev: s.word(i - 1), Prev2: s.word(i - 2), Pos: bucket(i), EvidenceBefore: CueAfterNone}
	if x := s.lastEvidence[i]; x >= 0 {
		f.EvidenceBefore = bucket(i - x)
	}
	// Word shapes generalise where the words themselves are rare.
	f.Head = ShapeOf(f.Word).FirstHead
	if i > 0 {
		f.AfterReporting = s.Masks[i-1].Has(lexicon.Reporting)
		f.GapBefore = s.Gap(i - 1)
	}
	f.Quoted = s.Quoted(i) != 0
	return f
}

// Keys calls k with the parts of every feature key the facts give.
func (f FirstFacts) Keys(k func(parts ...string)) {
	k(KeyFirst, f.Word)
	k(KeyPrev, f.Prev)
	k(KeyPrev2, f.Prev2)
	k(KeyPos, f.Pos)
	k(KeyFirstPrev, f.Word, "|", f.Prev)
	k(KeyFirstHead, f.Head)
	if f.AfterReporting {
		k(KeyAfterReporting)
	}
	if f.GapBefore != "" {
		k(KeyGapBefore, f.GapBefore)
	}
	if f.Quoted {
		k(KeyQuoted)
	}
	k(KeyEvidenceBefore, f.EvidenceBefore)
}

// LastFacts are what the features of a span's last word look at: the word,
// what follows it, its shape, the distance to the next cue.
type LastFacts struct {
	Word, Next, Head, Tail, NextHead, CueAfter string
	EvidenceAfter                              string // the bucket of the distance to the next evidence word
	BeforeReporting, AtEnd                     bool
	GapAfter                                   string // punctuation between this word and the next
	// SpeakersBefore is the bucket of SpeakersBeforeEvidence
	// (CueAfterNone when no evidence follows).
	SpeakersBefore string
}

// Last works out the LastFacts of word j. Prepare must have run.
func Last(s *Sentence, j int) LastFacts {
	f := LastFacts{Word: s.word(j), Next: s.word(j + 1)}
	sh := ShapeOf(f.Word)
	f.Head, f.Tail, f.NextHead = sh.LastHead, sh.LastTail, ShapeOf(f.Next).LastHead
	// A stance holder is usually the subject of the nearest cue after it.
	f.CueAfter = CueAfterNone
	if x := s.nextCue[j]; x < len(s.Words) {
		f.CueAfter = bucket(x - j)
	}
	f.EvidenceAfter = CueAfterNone
	if x := s.nextEvidence[j]; x < len(s.Words) {
		f.EvidenceAfter = bucket(x - j)
	}
	f.BeforeReporting = j+1 < len(s.Masks) && s.Masks[j+1].Has(lexicon.Reporting)
	f.SpeakersBefore = CueAfterNone
	if k := s.SpeakersBeforeEvidence(j); k >= 0 {
		f.SpeakersBefore = bucket(k)
	}
	// What follows the span in the text: a comma, a colon, a quote.
	if j+1 < len(s.Tokens) {
		f.GapAfter = s.Gap(j)
	} else {
		f.AtEnd = true
	}
	return f
}

// Keys calls k with the parts of every feature key the facts give.
func (f LastFacts) Keys(k func(parts ...string)) {
	k(KeyLast, f.Word)
	k(KeyNext, f.Next)
	k(KeyLastHead, f.Head, KeyLastTail, f.Tail)
	k(KeyNextHead, f.NextHead)
	k(KeyCueAfter, f.CueAfter)
	k(KeyEvidenceAfter, f.EvidenceAfter)
	k(KeySpeakersBefore, f.SpeakersBefore)
	if f.BeforeReporting {
		k(KeyBeforeReporting)
	}
	switch {
	case f.AtEnd:
		k(KeyAtEnd)
	case f.GapAfter != "":
		k(KeyGapAfter, f.GapAfter)
	}
}

// FirstFeatures emits the features that depend only on the span's first
// word i. Scorers compute them once per word, not once per candidate.
func FirstFeatures(s *Sentence, i int, buf []byte, emit func([]byte)) []byte {
	k := keys{buf: buf, emit: emit}
	First(s, i).Keys(k.add)
	return k.buf
}

// LastFeatures emits the features that depend only on the span's last
// word j.
func LastFeatures(s *Sentence, j int, buf []byte, emit func([]byte)) []byte {
	k := keys{buf: buf, emit: emit}
	Last(s, j).Keys(k.add)
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
	// ActorFirst is true when the mention starts at the span's first word:
	// with more words after it, the span runs past the actor into what it
	// did («موسكو الكرة»). A mention that starts later mostly has a title
	// or a first name before it («سيرغي لافروف»).
	ActorFirst bool
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
			f.ActorFirst = i == c.First
			f.ActorExact = f.ActorFirst && k == f.Len
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
	if f.Inside&sideWords != 0 {
		k("h|side-word")
	}
	actor := "none"
	if f.Actor {
		k("h|actor:", string(f.ActorSide))
		actor = "inside"
		switch {
		case f.ActorExact:
			k("h|actor-exact")
			actor = "exact"
		case f.ActorFirst:
			actor = "first"
		}
	}
	k("h|len-actor:", bucket(f.Len), "|", actor)
	k("h|bias")
}

var lengthBuckets = []int{1, 2, 3, 4, 7} // one length of each bucket from 1 on, in bucketIndex order

// NumSpanFacts is the number of distinct SpanFacts, as far as features go.
const NumSpanFacts = 5 * 128 * 4 * numPlaces

// Where the actor mention lies in a span, as Index numbers it: inside
// (also for no mention), the whole span, or at its start with more after.
const (
	placeInside = iota
	placeExact
	placeFirst
	numPlaces
)

// Index numbers the facts by what the features see of them: the length
// bucket, the span classes, a side word, the actor's side, where the actor
// lies. Scorers precompute the span weight of every index.
func (f SpanFacts) Index() int {
	side, place := 0, placeInside
	if f.Actor {
		side = 1 + sideIndex(f.ActorSide)
		switch {
		case f.ActorExact:
			place = placeExact
		case f.ActorFirst:
			place = placeFirst
		}
	}
	return spanIndex(f.Len, int(spanBitsOf(f.Inside)), side, place)
}

// spanBitsByLowByte is spanBitsOf of every mask of the classes 0 to 7,
// where all span classes lie; only the side words lie above.
var spanBitsByLowByte = func() (t [256]uint8) {
	for m := range t {
		t[m] = spanBitsOf(lexicon.Mask(m))
	}
	return t
}()

// sideWords are the classes of the side bit of spanBitsOf.
const sideWords = 1<<lexicon.USSide | 1<<lexicon.RussiaSide

// wordSpanBits is spanBitsOf by a table: Prepare works it out for every
// word of every sentence, where the loop over the classes showed in
// profiles.
func wordSpanBits(m lexicon.Mask) uint8 {
	b := spanBitsByLowByte[m&0xff]
	if m&sideWords != 0 {
		b |= 1 << len(spanClasses)
	}
	return b
}

// spanBitsOf are the bits of Index that the cue classes of a span give:
// one per span class, and one for a side word.
func spanBitsOf(inside lexicon.Mask) uint8 {
	bits := uint8(0)
	for k, cl := range spanClasses {
		if inside.Has(cl) {
			bits |= 1 << k
		}
	}
	if inside&sideWords != 0 {
		bits |= 1 << len(spanClasses)
	}
	return bits
}

// spanIndex is Index from its parts: the span's length in words, its
// spanBitsOf, the actor's side (0 for no actor, else 1+sideIndex) and
// where the actor lies (a place constant).
func spanIndex(length, bits, side, place int) int {
	b := max(bucketIndex(length)-1, 0) // lengths start at 1: lengthBuckets
	return ((b*128+bits)*4+side)*numPlaces + place
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
				for place := range numPlaces {
					if side == 0 && place != placeInside {
						continue // no actor lies nowhere: the index of placeInside
					}
					f := SpanFacts{Len: l, Inside: inside, Actor: side > 0, ActorExact: place == placeExact, ActorFirst: place != placeInside}
					if side > 0 {
						f.ActorSide = sides[side-1]
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
