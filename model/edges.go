package model

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/stance-project/stance/holder"
	"github.com/stance-project/stance/lexicon"
)

// edgeTables hold the holder head's weights for the features of a span's
// first and last words (holder.FirstFacts and holder.LastFacts), folded at
// load by template, and for every known word of the model into entries of
// its own: scoring a known word as an edge reads its entries and its
// neighbours' instead of building and hashing a key per feature; other
// words take a few map lookups.
type edgeTables struct {
	word      map[string]*wordRoles // by bare word; "^" and "$" stand beyond the sentence
	gapBefore map[string]float64
	gapAfter  map[string]float64
	// The shape tables are by runeKey (lastShape by shapeKey): a number
	// compares in the map's own slot, where a string key cost a cache miss
	// more for its bytes, and the maps are out of the cache by the next
	// sentence.
	firstHead map[uint64]float64
	lastShape map[uint64]float64
	nextHead  map[uint64]float64
	// The pairs of a first word are pairs[from:to] by its wordRoles.pairs,
	// by the numbers of their previous words (wordRoles.pairWord) in
	// increasing order: a scan compares small numbers, read in order, and
	// stops past the one it looks for.
	pairs []pairEntry

	// posW, cueAfterW and the evidence weights are those of the position,
	// cue-after and evidence-distance keys by bucket index (the last entry
	// of the others for nothing that way).
	posW                            [holder.NumBuckets]float64
	cueAfterW                       [holder.NumBuckets + 1]float64
	evidenceAfterW, evidenceBeforeW [holder.NumBuckets + 1]float64
	// speakersBeforeW are the weights of holder.KeySpeakersBefore by
	// bucket index, the last for no evidence after the span.
	speakersBeforeW [holder.NumBuckets + 1]float64

	// afterReporting and beforeReporting are 0 and the weight of their
	// key, by whether the word is a reporting verb: the search adds one
	// or the other instead of branching (see bucketOrNone). A sum the
	// search adds 0 to is never -0, which 0 would change.
	afterReporting, beforeReporting [2]float64
	// quoted is 0 and the weight of holder.KeyQuoted, by
	// holder.Sentence.Quoted, likewise.
	quoted [2]float64
	atEnd  float64

	// outer are the wordEdge of "^" before a sentence and "$" after it.
	outer [2]wordEdge

	// known are the wordEdge of each of the model's known words, by its
	// index (features.Scratch.WordIDs).
	known []wordEdge

	inWord holder.WordFilter // the words of word
}

// wordEdge is what the edge features of one word weigh, as far as they
// depend on the word alone. The weights of its spelling's shape are folded
// into those of the word itself: first holds the word's first-word and
// first-head weights, last its last-word and last-shape ones, next its
// next-word and next-head ones. That makes it 32 bytes, half a cache line:
// the search reads it for words scattered over a table too big for the
// cache, and at 44 bytes most entries straddled two lines.
type wordEdge struct {
	first, prev, prev2, last, next float32
	// The word's pairs as a first word are edgeTables.pairs[from:to],
	// found from the entry itself: a number of the word to look the range
	// up by cost the search a cache miss more.
	pairs    [2]int32
	pairWord int32 // the word's number as a previous word of a pair, or -1
}

// pairEntry is one pair of a first word's list: the previous word's number
// and the pair's weight side by side, so that the scan that finds the one
// finds the other in the same cache line (in two arrays, the weight cost a
// miss of its own). The weight is that of one key, a float32 of the
// artifact, which float32 holds exactly.
type pairEntry struct {
	prev int32
	w    float32
}

// edgeOf works out a word's wordEdge from the tables.
func (t *edgeTables) edgeOf(bare string) wordEdge {
	r := t.rolesOf(bare)
	firstHead, lastHead, lastShape := shapeKeys(bare)
	return wordEdge{
		first: float32(float64(r.first) + t.firstHead[firstHead]),
		prev:  r.prev, prev2: r.prev2,
		last:  float32(float64(r.last) + t.lastShape[lastShape]),
		next:  float32(float64(r.next) + t.nextHead[lastHead]),
		pairs: r.pairs, pairWord: r.pairWord,
	}
}

// runeKey numbers a string of at most three runes, each rune plus one in
// 21 bits, so that no two strings share a number. ok is false for a longer
// string or one that is not valid UTF-8: no word's shape is either (words
// are normalised rune by rune, and shapes are their first or last runes),
// so a key of the model that is matches no word.
func runeKey(s string) (k uint64, ok bool) {
	n := 0
	for _, r := range s {
		k, n = k<<21|uint64(r+1), n+1
	}
	return k, n <= 3 && utf8.ValidString(s)
}

// shapeKey is the key of edgeTables.lastShape for a head of one rune and a
// tail of up to two (ok as in runeKey).
func shapeKey(head, tail string) (uint64, bool) {
	h, okHead := runeKey(head)
	tl, okTail := runeKey(tail)
	return h<<42 | tl, okHead && okTail && h < 1<<21 && tl < 1<<42
}

// shapeKeys are the keys of bare word w's holder.ShapeOf in the shape
// tables (runeKey of FirstHead and LastHead, shapeKey of LastHead and
// LastTail), packed from w's first two runes and last two without the
// strings of a Shape, and without runeKey's check: a word is valid UTF-8
// (words are normalised rune by rune). TestShapeKeysAreThoseOfShapeOf.
func shapeKeys(w string) (firstHead, lastHead, lastShape uint64) {
	rest := w
	for n := 0; n < 2 && rest != ""; n++ {
		r, size := utf8.DecodeRuneInString(rest)
		firstHead = firstHead<<21 | uint64(r+1)
		if n == 0 {
			lastHead = firstHead
		}
		rest = rest[size:]
	}
	var tail uint64
	rest = w
	for n := 0; n < 2 && rest != ""; n++ {
		r, size := utf8.DecodeLastRuneInString(rest)
		tail |= uint64(r+1) << (21 * n)
		rest = rest[:len(rest)-size]
	}
	return firstHead, lastHead, lastHead<<42 | tail
}

// addKnown works out the tables of the known words, given bare.
func (t *edgeTables) addKnown(bare []string) {
	t.known = make([]wordEdge, len(bare))
	for i, w := range bare {
		t.known[i] = t.edgeOf(w)
	}
}

// wordRoles are the weights of one word in each of the roles a word's own
// text plays in the edge features, and its numbers in the pairs.
// Each weight is that of one key, a float32 of the artifact: float32 holds
// it exactly and halves the per-word tables.
type wordRoles struct {
	first, prev, prev2, last, next float32
	pairs                          [2]int32 // as in wordEdge
	pairWord                       int32
}

// spanTemplates are the holder features that are not about the edges; the
// span weights (holderScorer.spanW) cover them.
var spanTemplates = []string{"h|len:", "h|len-actor:", "h|has:", "h|side-word", "h|actor:", "h|actor-exact", "h|bias"}

// newEdgeTables folds the weight of every vocabulary key into its table.
// A key of no known template is an error: a model trained with features
// this build does not compute would be scored wrong.
func newEdgeTables(vocab []string, weights []float32) (*edgeTables, error) {
	t := &edgeTables{
		word: map[string]*wordRoles{}, firstHead: map[uint64]float64{},
		gapBefore: map[string]float64{}, lastShape: map[uint64]float64{},
		nextHead: map[uint64]float64{}, gapAfter: map[string]float64{},
	}
	// Folded into posW, cueAfterW and the pair lists once all keys are read.
	pair := map[[2]string]float32{} // first word, previous word
	pos, cueAfter := map[string]float64{}, map[string]float64{}
	evidenceAfter, evidenceBefore := map[string]float64{}, map[string]float64{}
	speakersBefore := map[string]float64{}
	roles := func(w string) *wordRoles {
		r := t.word[w]
		if r == nil {
			r = &wordRoles{pairWord: -1}
			t.word[w] = r
		}
		return r
	}
	for i, key := range vocab {
		w := float64(weights[i])
		cut := func(prefix string) (string, bool) { return strings.CutPrefix(key, prefix) }
		if v, ok := cut(holder.KeyFirstPrev); ok {
			a, b, found := strings.Cut(v, "|")
			if !found {
				return nil, fmt.Errorf("%w: holder feature %q has no word pair", ErrInvalidModel, key)
			}
			pair[[2]string{a, b}] += weights[i]
		} else if v, ok := cut(holder.KeyFirstHead); ok {
			if k, ok := runeKey(v); ok {
				t.firstHead[k] += w
			}
		} else if v, ok := cut(holder.KeyFirst); ok {
			roles(v).first += float32(w)
		} else if v, ok := cut(holder.KeyPrev2); ok {
			roles(v).prev2 += float32(w)
		} else if v, ok := cut(holder.KeyPrev); ok {
			roles(v).prev += float32(w)
		} else if v, ok := cut(holder.KeyPos); ok {
			pos[v] += w
		} else if key == holder.KeyAfterReporting {
			t.afterReporting[1] += w
		} else if key == holder.KeyQuoted {
			t.quoted[1] += w
		} else if v, ok := cut(holder.KeyGapBefore); ok {
			t.gapBefore[v] += w
		} else if v, ok := cut(holder.KeyLastHead); ok {
			h, tl, found := strings.Cut(v, holder.KeyLastTail)
			if !found {
				return nil, fmt.Errorf("%w: holder feature %q has no tail", ErrInvalidModel, key)
			}
			if k, ok := shapeKey(h, tl); ok {
				t.lastShape[k] += w
			}
		} else if v, ok := cut(holder.KeyLast); ok {
			roles(v).last += float32(w)
		} else if v, ok := cut(holder.KeyNextHead); ok {
			if k, ok := runeKey(v); ok {
				t.nextHead[k] += w
			}
		} else if v, ok := cut(holder.KeyNext); ok {
			roles(v).next += float32(w)
		} else if v, ok := cut(holder.KeyCueAfter); ok {
			cueAfter[v] += w
		} else if v, ok := cut(holder.KeyEvidenceAfter); ok {
			evidenceAfter[v] += w
		} else if v, ok := cut(holder.KeyEvidenceBefore); ok {
			evidenceBefore[v] += w
		} else if v, ok := cut(holder.KeySpeakersBefore); ok {
			speakersBefore[v] += w
		} else if key == holder.KeyBeforeReporting {
			t.beforeReporting[1] += w
		} else if v, ok := cut(holder.KeyGapAfter); ok {
			t.gapAfter[v] += w
		} else if key == holder.KeyAtEnd {
			t.atEnd += w
		} else if !isSpanKey(key) {
			return nil, fmt.Errorf("%w: holder feature %q is of no template this build knows", ErrInvalidModel, key)
		}
	}
	// Words are numbered in a fixed order, previous words by their text
	// (the same model gives the same tables, and the previous words of one
	// first word come in increasing numbers).
	pairs := make([][2]string, 0, len(pair))
	var prevs []string
	for p := range pair {
		pairs = append(pairs, p)
		prevs = append(prevs, p[1])
	}
	slices.SortFunc(pairs, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	slices.Sort(prevs)
	for k, w := range slices.Compact(prevs) {
		roles(w).pairWord = int32(k)
	}
	for k, p := range pairs {
		r := roles(p[0])
		if k == 0 || p[0] != pairs[k-1][0] {
			r.pairs[0] = int32(len(t.pairs))
		}
		t.pairs = append(t.pairs, pairEntry{prev: roles(p[1]).pairWord, w: pair[p]})
		r.pairs[1] = int32(len(t.pairs))
	}
	for k := range holder.NumBuckets {
		t.posW[k] = pos[holder.BucketName(k)]
		t.cueAfterW[k] = cueAfter[holder.BucketName(k)]
		t.evidenceAfterW[k] = evidenceAfter[holder.BucketName(k)]
		t.evidenceBeforeW[k] = evidenceBefore[holder.BucketName(k)]
		t.speakersBeforeW[k] = speakersBefore[holder.BucketName(k)]
	}
	t.speakersBeforeW[holder.NumBuckets] = speakersBefore[holder.CueAfterNone]
	t.cueAfterW[holder.NumBuckets] = cueAfter[holder.CueAfterNone]
	t.evidenceAfterW[holder.NumBuckets] = evidenceAfter[holder.CueAfterNone]
	t.evidenceBeforeW[holder.NumBuckets] = evidenceBefore[holder.CueAfterNone]
	for w := range t.word {
		t.inWord.Add(w)
	}
	t.outer = [2]wordEdge{t.edgeOf("^"), t.edgeOf("$")}
	return t, nil
}

func isSpanKey(key string) bool {
	for _, p := range spanTemplates {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

var noRoles = &wordRoles{pairWord: -1}

// rolesOf returns the roles of bare word w. The search looks up here the
// words the model does not know, and seven in eight of them have no roles:
// the filter tells so for most without a lookup in the map.
func (t *edgeTables) rolesOf(w string) *wordRoles {
	if !t.inWord.MayHave(w) {
		return noRoles
	}
	if r := t.word[w]; r != nil {
		return r
	}
	return noRoles
}

// edgeCache holds what the search has worked out of a prepared sentence's
// words: their wordEdge, and the weights of each word as a span's first and
// last word, worked out once for all the candidates that start or end
// there. The wordEdge of a word the model does not know is worked out from
// the maps on first use (only the words at and around candidate edges are
// ever needed, and the maps cost several lookups).
type edgeCache struct {
	t      *edgeTables
	s      *holder.Sentence
	own    []wordEdge // word i's at own[i], once done[i]
	done   []bool
	firstW []float64 // word i's weight as a first word, for every candidate's first word
	lastW  []float64 // and as a last word, for every candidate's last word
	isLast []uint8   // 1 for a candidate's last word
	lasts  []int32   // the words of isLast
}

// weigh works out the weights of the first and last words of candidates
// cands of sentence s, whose words have the known-word indexes ids (nil
// when none is known), into firstW and lastW, reusing the cache's storage.
// Each word's weights are worked out in loops over the first and the last
// words before the candidates are scored, not on a candidate's first
// meeting them: which candidate meets a word first follows no pattern the
// processor can predict.
func (c *edgeCache) weigh(t *edgeTables, s *holder.Sentence, ids []int32, cands []holder.Candidate) {
	n := len(s.Bare)
	c.t, c.s = t, s
	c.own = slices.Grow(c.own[:0], n)[:n]
	c.done = slices.Grow(c.done[:0], n)[:n]
	c.firstW = slices.Grow(c.firstW[:0], n)[:n]
	c.lastW = slices.Grow(c.lastW[:0], n)[:n]
	c.isLast = slices.Grow(c.isLast[:0], n)[:n]
	c.lasts = slices.Grow(c.lasts[:0], n)[:n]
	clear(c.done)
	// Known words' entries are copied here in one loop before the search
	// reads them: the classifier has pushed the table out of the cache
	// since the last sentence, and independent loads wait for their misses
	// together, where the search, one edge after another, waited for each
	// (BenchmarkHolderOverhead: reading the entries where they lie, in the
	// search, made it slower).
	if len(ids) >= n {
		own, done := c.own[:n], c.done[:n]
		for i, id := range ids[:n] {
			if id >= 0 {
				own[i], done[i] = t.known[id], true
			}
		}
	}
	for _, i := range s.Starters() {
		c.firstW[i] = t.first(s, int(i), c)
	}
	isLast, lasts := c.isLast[:n], c.lasts[:n]
	clear(isLast)
	for _, cd := range cands {
		isLast[cd.Last] = 1
	}
	// The list is written without a branch: every word is written and the
	// end moves past the last words only.
	k := 0
	for j, l := range isLast {
		lasts[k] = int32(j)
		k += int(l)
	}
	for _, j := range lasts[:k] {
		c.lastW[j] = t.last(s, int(j), c)
	}
}

// at returns the wordEdge of word i; -1 and -2 stand before the sentence
// and len(words) after it. The search asks about fifty times a sentence,
// mostly for a word whose entry is there: that case is small enough to be
// inlined, the rest is edgeAt's.
func (c *edgeCache) at(i int) *wordEdge {
	if uint(i) < uint(len(c.done)) && c.done[i] {
		return &c.own[i]
	}
	return c.edgeAt(i)
}

// edgeAt is at for a word beyond the sentence or whose entry is not yet
// worked out.
func (c *edgeCache) edgeAt(i int) *wordEdge {
	switch {
	case i < 0:
		return &c.t.outer[0]
	case i >= len(c.done):
		return &c.t.outer[1]
	}
	c.own[i] = c.t.edgeOf(c.s.Bare[i])
	c.done[i] = true
	return &c.own[i]
}

// first is the summed weight of the features of word i as a span's first
// word (holder.FirstFeatures), from the tables.
func (t *edgeTables) first(s *holder.Sentence, i int, c *edgeCache) float64 {
	e, prev := c.at(i), c.at(i-1)
	z := float64(e.first) + float64(prev.prev) + float64(c.at(i-2).prev2) + t.posW[holder.BucketIndex(i)]
	if p := prev.pairWord; p >= 0 { // "^" before the sentence is a word here
		for _, q := range t.pairs[e.pairs[0]:e.pairs[1]] {
			if q.prev >= p {
				if q.prev == p {
					z += float64(q.w)
				}
				break
			}
		}
	}
	x := s.EvidenceBefore(i)
	z += t.evidenceBeforeW[bucketOrNone(i-x, x < 0)] + t.quoted[s.Quoted(i)]
	if i > 0 {
		z += t.afterReporting[b2u(s.Masks[i-1].Has(lexicon.Reporting))]
		if g := s.Gap(i - 1); g != "" {
			z += t.gapBefore[g]
		}
	}
	return z
}

// last is the summed weight of the features of word j as a span's last
// word (holder.LastFeatures), from the tables.
func (t *edgeTables) last(s *holder.Sentence, j int, c *edgeCache) float64 {
	z := float64(c.at(j).last) + float64(c.at(j+1).next)
	x := s.NextCue(j)
	z += t.cueAfterW[bucketOrNone(x-j, x >= len(s.Bare))]
	x = s.EvidenceAfter(j)
	z += t.evidenceAfterW[bucketOrNone(x-j, x >= len(s.Bare))]
	z += t.speakersBeforeW[bucketOrNone(s.SpeakersBetween(j+2, x), x >= len(s.Bare))]
	if j+1 < len(s.Masks) {
		z += t.beforeReporting[b2u(s.Masks[j+1].Has(lexicon.Reporting))]
	}
	switch {
	case j+1 >= len(s.Bare):
		z += t.atEnd
	default:
		if g := s.Gap(j); g != "" {
			z += t.gapAfter[g]
		}
	}
	return z
}

// bucketOrNone is holder.BucketIndex(d), or holder.NumBuckets when none,
// worked out without a branch: whether a cue or an evidence word lies
// that way of a candidate's edge, and how far, follows no pattern the
// processor can learn, and mispredicted branches were much of the search's
// time (BenchmarkHolderOverhead). The compiler turns b2u into a SETcc
// instruction but the ifs of min, max and a plain if into jumps, hence
// the masks.
func bucketOrNone(d int, none bool) int {
	d &^= d >> 63 // max(d, 0)
	far := -int(b2u(d >= len(distBuckets)))
	d = d&^far | (len(distBuckets)-1)&far
	k := int(distBuckets[d])
	noneMask := -int(b2u(none))
	return k&^noneMask | holder.NumBuckets&noneMask
}

// distBuckets are holder.BucketIndex of the distances 0 to 7; every longer
// distance is in the bucket of 7.
var distBuckets = func() (b [8]uint8) {
	for d := range b {
		b[d] = uint8(holder.BucketIndex(d))
	}
	return b
}()

// b2u is 1 for true and 0 for false, which the compiler works out without
// a branch.
func b2u(b bool) uint8 {
	var u uint8
	if b {
		u = 1
	}
	return u
}
