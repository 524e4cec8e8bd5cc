package model

import (
	"math"
	"testing"
	"unsafe"

	"github.com/stance-project/stance/arabic"
	"github.com/stance-project/stance/evidence"
	"github.com/stance-project/stance/holder"
	"github.com/stance-project/stance/lexicon"
)

// The folded edge tables must give every word the weight the head's keys
// give it: the sum, over holder.FirstFeatures and holder.LastFeatures, of
// the key weights training fitted. A word's own weights and its shape's are
// summed into one float32 (wordEdge), hence the tolerance.
func TestEdgeTablesMatchKeyWeights(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	h := m.holders
	if h == nil {
		t.Fatal("the default model has no holder head")
	}
	sc := &scratch{}
	words := 0
	for _, text := range challengeTexts(t) {
		m.ext.Analyse(text, &sc.fs)
		// Known words take their weights from the per-word table, others
		// from the maps: both must agree with the keys.
		// The keys are those of the sentence as training prepares it,
		// every word worked out on the spot.
		// Some words stand for evidence, so that its distances vary.
		evidence := make([]bool, len(sc.fs.Tokens))
		for i := range evidence {
			evidence[i] = i%5 == 2
		}
		full := &holder.Sentence{Text: text, Tokens: sc.fs.Tokens, Words: sc.fs.Words(), Masks: sc.fs.Masks(), Clauses: sc.fs.Clauses(), Evidence: evidence, Quotes: sc.fs.Quotes()}
		full.Prepare(h.actors, h.starts, nil, nil)
		for _, ids := range [][]int32{sc.fs.WordIDs(), nil} {
			s := &holder.Sentence{Text: text, Tokens: sc.fs.Tokens, Words: sc.fs.Words(), Masks: sc.fs.Masks(), Clauses: sc.fs.Clauses(), Evidence: evidence, Quotes: sc.fs.Quotes()}
			s.Prepare(h.actors, h.starts, h.vocab, ids)
			var cache edgeCache
			cache.weigh(h.edges, s, ids, nil)
			for i := range s.Tokens {
				var byKeys float64
				sum := func(k []byte) { byKeys += h.weightOf(k) }
				holder.FirstFeatures(full, i, nil, sum)
				if got := h.edges.first(s, i, &cache); math.Abs(got-byKeys) > 1e-5 {
					t.Fatalf("%q word %d as first (ids %v): tables %v, keys %v", text, i, ids != nil, got, byKeys)
				}
				byKeys = 0
				holder.LastFeatures(full, i, nil, sum)
				if got := h.edges.last(s, i, &cache); math.Abs(got-byKeys) > 1e-5 {
					t.Fatalf("%q word %d as last (ids %v): tables %v, keys %v", text, i, ids != nil, got, byKeys)
				}
				words++
			}
		}
	}
	if words < 1000 {
		t.Fatalf("only %d words checked", words)
	}
}

// A wordEdge is read at random from a table bigger than the cache: at 32
// bytes, no entry straddles two cache lines.
func TestWordEdgeIsHalfACacheLine(t *testing.T) {
	if n := unsafe.Sizeof(wordEdge{}); n != 32 {
		t.Fatalf("wordEdge is %d bytes, want 32", n)
	}
}

func TestEdgeTablesRejectUnknownTemplates(t *testing.T) {
	if _, err := newEdgeTables([]string{"h|first:x", "h|mystery:y"}, []float32{1, 2}); err == nil {
		t.Fatal("a holder feature of an unknown template was accepted")
	}
}

// A mask's weight must be the sum of its classes' weights in ascending
// class order, as training's features (evidence.Word.Each) list them, for
// every mask of every group of cue classes.
func TestTaggerMaskWeightSumsItsClasses(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if m.tagger == nil {
		t.Fatal("the default model has no evidence tagger")
	}
	for g := range evidence.NumGroups {
		if !evidence.IsMask[g] {
			continue
		}
		for l := range numStance {
			w := m.tagger.tables[g][l]
			if len(w) != evidence.Sizes[g] {
				t.Fatalf("group %d label %d: %d class weights, want %d", g, l, len(w), evidence.Sizes[g])
			}
			for mask := range 1 << evidence.Sizes[g] {
				want := 0.0
				evidence.EachClass(lexicon.Mask(mask), func(v int) { want += w[v] })
				if got := maskWeight(w, lexicon.Mask(mask)); got != want {
					t.Fatalf("group %d label %d mask %b: %v, want %v", g, l, mask, got, want)
				}
			}
		}
	}
}

// bucketOrNone's table must give every distance the bucket the features
// name.
func TestBucketOrNone(t *testing.T) {
	for d := range 40 {
		if got, want := bucketOrNone(d, false), holder.BucketIndex(d); got != want {
			t.Errorf("distance %d: bucket %d, want %d", d, got, want)
		}
		if got := bucketOrNone(d, true); got != holder.NumBuckets {
			t.Errorf("distance %d, none: bucket %d, want %d", d, got, holder.NumBuckets)
		}
	}
}

// runeKey must number distinct shapes apart, including the empty one, a
// shorter one that ends like a longer one, and a NUL rune, and refuse what
// no word's shape is.
func TestRuneKeyIsOneToOne(t *testing.T) {
	seen := map[uint64]string{}
	for _, s := range []string{"", "a", "\x00", "\x00a", "a\x00", "aa", "ال", "لل", "ل", "ي", "يي", "\U0010FFFF\U0010FFFF\U0010FFFF", "\uFFFD"} {
		k, ok := runeKey(s)
		if !ok {
			t.Errorf("runeKey(%q) not ok", s)
		}
		if o, dup := seen[k]; dup {
			t.Errorf("runeKey(%q) = runeKey(%q)", s, o)
		}
		seen[k] = s
	}
	for _, s := range []string{"abcd", "\xff", "a\xfe"} {
		if _, ok := runeKey(s); ok {
			t.Errorf("runeKey(%q) ok", s)
		}
	}
	if _, ok := shapeKey("ab", "c"); ok {
		t.Error("shapeKey of a head of two runes ok")
	}
	ab, _ := shapeKey("a", "b")
	tailAB, _ := shapeKey("", "ab")
	if ab == tailAB {
		t.Error("shapeKey confuses a head with a tail's rune")
	}
}

// shapeKeys must give the keys of the strings of holder.ShapeOf, for the
// words of every length the search meets: the model's known words, the
// challenge set's, and a few short ones.
func TestShapeKeysAreThoseOfShapeOf(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	words := []string{"", "^", "$", "ب", "بل", "بلد", "a\x00", "\U0010FFFF\uFFFD"}
	words = append(words, m.proto.KnownWords...)
	sc := &scratch{}
	for _, text := range challengeTexts(t) {
		m.ext.Analyse(text, &sc.fs)
		words = append(words, sc.fs.Words()...)
	}
	for _, w := range words {
		for _, bare := range []string{w, arabic.Bare(w)} {
			sh := holder.ShapeOf(bare)
			firstHead, okFirst := runeKey(sh.FirstHead)
			lastHead, okLast := runeKey(sh.LastHead)
			lastShape, okShape := shapeKey(sh.LastHead, sh.LastTail)
			if !okFirst || !okLast || !okShape {
				t.Fatalf("the shape of %q gives no key", bare)
			}
			f, l, s := shapeKeys(bare)
			if f != firstHead || l != lastHead || s != lastShape {
				t.Fatalf("shapeKeys(%q) = %x %x %x, want %x %x %x", bare, f, l, s, firstHead, lastHead, lastShape)
			}
		}
	}
}

// The default model's head is fitted as a choice among candidates: a
// holder's confidence must be the share of the candidates overlapping the
// best one, by the scores the head's keys give every candidate of the
// sentence (spans from unknown words included), not the logistic of the
// best score alone.
func TestHolderConfidenceIsTheOverlappingCandidatesShare(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	h := m.holders
	if h == nil || !h.choice || !h.overlap {
		t.Fatal("the default model has no holder head fitted as a choice, with the confidence of overlapping candidates")
	}
	sc := &scratch{}
	found := 0
	for _, text := range challengeTexts(t) {
		m.score(sc, text)
		ev := m.evidence(sc, text, 1, 0, 1)
		c, p, ok := h.best(sc, text, ev[:min(1, len(ev))])
		if !ok {
			continue
		}
		found++
		// The keys are those of the sentence as training prepares it.
		s := sc.hs
		full := &holder.Sentence{Text: text, Tokens: s.Tokens, Words: s.Words, Masks: s.Masks, Clauses: s.Clauses, Evidence: s.Evidence, Quotes: s.Quotes, Unknown: unknownWords(sc.fs.WordIDs())}
		full.Prepare(h.actors, h.starts, nil, nil)
		bestZ, zs := math.Inf(-1), []float64(nil)
		var keyBest holder.Candidate
		cands := holder.Candidates(full, nil)
		for _, cand := range cands {
			z := float64(h.bias)
			holder.Features(full, cand, nil, func(k []byte) { z += h.weightOf(k) })
			zs = append(zs, z)
			if z > bestZ {
				bestZ, keyBest = z, cand
			}
		}
		if want := holder.OverlapProbability(bestZ, zs, cands, keyBest); keyBest != c || math.Abs(p-want) > 1e-4 {
			t.Fatalf("%q: search %v with %.6f, keys %v with %.6f", text, c, p, keyBest, want)
		}
	}
	if found < 50 {
		t.Fatalf("only %d sentences with a holder checked", found)
	}
}

// unknownWords marks the words without a known-word index, as the search
// takes them from the indexes.
func unknownWords(ids []int32) []bool {
	out := make([]bool, len(ids))
	for i, id := range ids {
		out[i] = id < 0
	}
	return out
}
