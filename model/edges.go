package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stance-project/stance/holder"
	"github.com/stance-project/stance/lexicon"
)

// edgeTables hold the holder head's weights for the features of a span's
// first and last words (holder.FirstFacts and holder.LastFacts), folded at
// load by template, and for every known word of the model into one entry of
// its own: scoring a known word as an edge reads that entry and its
// neighbours' instead of building and hashing a key per feature; other
// words take a few map lookups.
type edgeTables struct {
	word      map[string]*wordRoles // by bare word; "^" and "$" stand beyond the sentence
	firstHead map[string]float64
	gapBefore map[string]float64
	lastShape map[[2]string]float64 // head, tail
	nextHead  map[string]float64
	gapAfter  map[string]float64
	// pairs holds the weight of each pair by pairKey of the indexes of its
	// words in pairFirst and pairWord: one lookup of a number, where
	// scanning the previous words of a frequent first word (up to 165 of
	// them) read a few kilobytes (BenchmarkHolderSearch).
	pairFirst map[string]int32
	pairWord  map[string]int32
	pairs     map[uint64]float64

	// posW, cueAfterW and the evidence weights are those of the position,
	// cue-after and evidence-distance keys by bucket index (the last entry
	// of the others for nothing that way).
	posW                            [holder.NumBuckets]float64
	cueAfterW                       [holder.NumBuckets + 1]float64
	evidenceAfterW, evidenceBeforeW [holder.NumBuckets + 1]float64

	afterReporting, beforeReporting, atEnd float64

	// outer are the wordEdge of "^" before a sentence and "$" after it.
	outer [2]wordEdge
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
	pairFirst                      int32 // the word's index as the first word of a pair, or -1
	pairWord                       int32 // the word's index as a previous word of a pair, or -1
	_                              int32 // to 32 bytes
}

// pairKey is the key of edgeTables.pairs: a first word's index in
// pairFirst and a previous word's in pairWord.
func pairKey(first, prev int32) uint64 { return uint64(uint32(first))<<32 | uint64(uint32(prev)) }

// edgeOf works out a word's wordEdge from the tables.
func (t *edgeTables) edgeOf(bare string) wordEdge {
	sh := holder.ShapeOf(bare)
	r := t.rolesOf(bare)
	return wordEdge{
		first: float32(float64(r.first) + t.firstHead[sh.FirstHead]),
		prev:  r.prev, prev2: r.prev2,
		last:      float32(float64(r.last) + t.lastShape[[2]string{sh.LastHead, sh.LastTail}]),
		next:      float32(float64(r.next) + t.nextHead[sh.LastHead]),
		pairFirst: indexOr(t.pairFirst, bare), pairWord: indexOr(t.pairWord, bare),
	}
}

// wordRoles are the weights of one word in each of the roles a word's own
// text plays in the edge features.
// Each is the weight of one key, a float32 of the artifact: float32 holds
// it exactly and halves the per-word tables.
type wordRoles struct{ first, prev, prev2, last, next float32 }

// spanTemplates are the holder features that are not about the edges; the
// span weights (holderScorer.spanW) cover them.
var spanTemplates = []string{"h|len:", "h|len-actor:", "h|has:", "h|side-word", "h|actor:", "h|actor-exact", "h|bias"}

// newEdgeTables folds the weight of every vocabulary key into its table.
// A key of no known template is an error: a model trained with features
// this build does not compute would be scored wrong.
func newEdgeTables(vocab []string, weights []float32) (*edgeTables, error) {
	t := &edgeTables{
		word: map[string]*wordRoles{}, firstHead: map[string]float64{},
		gapBefore: map[string]float64{}, lastShape: map[[2]string]float64{},
		nextHead: map[string]float64{}, gapAfter: map[string]float64{},
		pairFirst: map[string]int32{}, pairWord: map[string]int32{}, pairs: map[uint64]float64{},
	}
	// Folded into posW, cueAfterW and the pair lists once all keys are read.
	pair := map[[2]string]float64{} // first word, previous word
	pos, cueAfter := map[string]float64{}, map[string]float64{}
	evidenceAfter, evidenceBefore := map[string]float64{}, map[string]float64{}
	roles := func(w string) *wordRoles {
		r := t.word[w]
		if r == nil {
			r = &wordRoles{}
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
			pair[[2]string{a, b}] += w
		} else if v, ok := cut(holder.KeyFirstHead); ok {
			t.firstHead[v] += w
		} else if v, ok := cut(holder.KeyFirst); ok {
			roles(v).first += float32(w)
		} else if v, ok := cut(holder.KeyPrev2); ok {
			roles(v).prev2 += float32(w)
		} else if v, ok := cut(holder.KeyPrev); ok {
			roles(v).prev += float32(w)
		} else if v, ok := cut(holder.KeyPos); ok {
			pos[v] += w
		} else if key == holder.KeyAfterReporting {
			t.afterReporting += w
		} else if v, ok := cut(holder.KeyGapBefore); ok {
			t.gapBefore[v] += w
		} else if v, ok := cut(holder.KeyLastHead); ok {
			h, tl, found := strings.Cut(v, holder.KeyLastTail)
			if !found {
				return nil, fmt.Errorf("%w: holder feature %q has no tail", ErrInvalidModel, key)
			}
			t.lastShape[[2]string{h, tl}] += w
		} else if v, ok := cut(holder.KeyLast); ok {
			roles(v).last += float32(w)
		} else if v, ok := cut(holder.KeyNextHead); ok {
			t.nextHead[v] += w
		} else if v, ok := cut(holder.KeyNext); ok {
			roles(v).next += float32(w)
		} else if v, ok := cut(holder.KeyCueAfter); ok {
			cueAfter[v] += w
		} else if v, ok := cut(holder.KeyEvidenceAfter); ok {
			evidenceAfter[v] += w
		} else if v, ok := cut(holder.KeyEvidenceBefore); ok {
			evidenceBefore[v] += w
		} else if key == holder.KeyBeforeReporting {
			t.beforeReporting += w
		} else if v, ok := cut(holder.KeyGapAfter); ok {
			t.gapAfter[v] += w
		} else if key == holder.KeyAtEnd {
			t.atEnd += w
		} else if !isSpanKey(key) {
			return nil, fmt.Errorf("%w: holder feature %q is of no template this build knows", ErrInvalidModel, key)
		}
	}
	// Words are numbered in a fixed order: the same model gives the same
	// tables.
	pairs := make([][2]string, 0, len(pair))
	for p := range pair {
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	number := func(m map[string]int32, w string) int32 {
		id, ok := m[w]
		if !ok {
			id = int32(len(m))
			m[w] = id
		}
		return id
	}
	for _, p := range pairs {
		t.pairs[pairKey(number(t.pairFirst, p[0]), number(t.pairWord, p[1]))] = pair[p]
	}
	for k := range holder.NumBuckets {
		t.posW[k] = pos[holder.BucketName(k)]
		t.cueAfterW[k] = cueAfter[holder.BucketName(k)]
		t.evidenceAfterW[k] = evidenceAfter[holder.BucketName(k)]
		t.evidenceBeforeW[k] = evidenceBefore[holder.BucketName(k)]
	}
	t.cueAfterW[holder.NumBuckets] = cueAfter[holder.CueAfterNone]
	t.evidenceAfterW[holder.NumBuckets] = evidenceAfter[holder.CueAfterNone]
	t.evidenceBeforeW[holder.NumBuckets] = evidenceBefore[holder.CueAfterNone]
	t.outer = [2]wordEdge{t.edgeOf("^"), t.edgeOf("$")}
	return t, nil
}

// indexOr is a word's index in m, or -1 when m does not hold it.
func indexOr(m map[string]int32, w string) int32 {
	if id, ok := m[w]; ok {
		return id
	}
	return -1
}

func isSpanKey(key string) bool {
	for _, p := range spanTemplates {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

var noRoles = &wordRoles{}

func (t *edgeTables) rolesOf(w string) *wordRoles {
	if r := t.word[w]; r != nil {
		return r
	}
	return noRoles
}

// edgeCache holds the wordEdge of a prepared sentence's words: a known
// word's copied from the model's table at reset, another's worked out from
// the maps on first use (only the words at and around candidate edges are
// ever needed, and the maps cost several lookups).
type edgeCache struct {
	t     *edgeTables
	s     *holder.Sentence
	edges []*wordEdge // edges[i+2] is word i's; nil until looked up
	own   []wordEdge  // word i's at own[i]
}

// reset readies the cache for sentence s, whose words have the known-word
// indexes ids (nil when none is known) into the table known, reusing its
// storage.
func (c *edgeCache) reset(t *edgeTables, known []wordEdge, s *holder.Sentence, ids []int32) {
	n := len(s.Bare) + 3 // two places before the sentence, one after
	c.t, c.s = t, s
	c.edges = slices.Grow(c.edges[:0], n)[:n]
	clear(c.edges)
	c.own = slices.Grow(c.own[:0], len(s.Bare))[:len(s.Bare)]
	// Known words' entries are copied here in one loop before the search
	// reads them: the classifier has pushed the table out of the cache
	// since the last sentence, and independent loads wait for their misses
	// together, where the search, one edge after another, waited for each
	// (BenchmarkHolderSearch).
	for i, id := range ids {
		if id >= 0 {
			c.own[i] = known[id]
			c.edges[i+2] = &c.own[i]
		}
	}
}

// at returns the wordEdge of word i; -1 and -2 stand before the sentence
// and len(words) after it.
func (c *edgeCache) at(i int) *wordEdge {
	if e := c.edges[i+2]; e != nil {
		return e
	}
	var e *wordEdge
	switch {
	case i < 0:
		e = &c.t.outer[0]
	case i >= len(c.s.Bare):
		e = &c.t.outer[1]
	default:
		c.own[i] = c.t.edgeOf(c.s.Bare[i])
		e = &c.own[i]
	}
	c.edges[i+2] = e
	return e
}

// first is the summed weight of the features of word i as a span's first
// word (holder.FirstFeatures), from the tables.
func (t *edgeTables) first(s *holder.Sentence, i int, c *edgeCache) float64 {
	e := c.at(i)
	z := float64(e.first) + float64(c.at(i-1).prev) + float64(c.at(i-2).prev2) + t.posW[holder.BucketIndex(i)]
	if e.pairFirst >= 0 {
		if prev := c.at(i - 1).pairWord; prev >= 0 { // "^" before the sentence
			if w, ok := t.pairs[pairKey(e.pairFirst, prev)]; ok {
				z += w
			}
		}
	}
	if x := s.EvidenceBefore(i); x >= 0 {
		z += t.evidenceBeforeW[holder.BucketIndex(i-x)]
	} else {
		z += t.evidenceBeforeW[holder.NumBuckets]
	}
	if i > 0 {
		if s.Masks[i-1].Has(lexicon.Reporting) {
			z += t.afterReporting
		}
		if g := s.Gap(i - 1); g != "" {
			z += t.gapBefore[g]
		}
	}
	return z
}

// last is the summed weight of the features of word j as a span's last
// word (holder.LastFeatures), from the tables.
func (t *edgeTables) last(s *holder.Sentence, j int, c *edgeCache) float64 {
	next := c.at(j + 1)
	e := c.at(j)
	z := float64(e.last) + float64(next.next)
	if x := s.NextCue(j); x < len(s.Bare) {
		z += t.cueAfterW[holder.BucketIndex(x-j)]
	} else {
		z += t.cueAfterW[holder.NumBuckets]
	}
	if x := s.EvidenceAfter(j); x < len(s.Bare) {
		z += t.evidenceAfterW[holder.BucketIndex(x-j)]
	} else {
		z += t.evidenceAfterW[holder.NumBuckets]
	}
	if j+1 < len(s.Masks) && s.Masks[j+1].Has(lexicon.Reporting) {
		z += t.beforeReporting
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
