package model

import (
	"fmt"
	"math"

	"github.com/stance-project/stance/features"
)

// vocabTable maps feature hashes to columns with open addressing and linear
// probing. Lookups sit in the innermost scoring loop and most of their time
// is cache misses: key and column share a slot of eight bytes, so that a
// lookup touches one cache line and the table of the default model (64 Ki
// slots, 512 KiB) stays near the core. It is filled once at load and only
// read after.
type vocabTable struct {
	slots []vocabSlot
	mask  uint64
	shift uint // 64 - log2(len(slots)): slots come from the top bits of a Fibonacci hash
}

type vocabSlot struct {
	key uint32 // a fingerprint of the 64-bit hash; 0 marks an empty slot
	col int32
}

func newVocabTable(n int) *vocabTable {
	size, bits := 16, uint(4)
	for size < n+n/2 { // at most two thirds full
		size <<= 1
		bits++
	}
	return &vocabTable{slots: make([]vocabSlot, size), mask: uint64(size - 1), shift: 64 - bits}
}

// slotKey is the fingerprint stored for h: its two halves folded, never 0.
// The slot index comes from the top bits of another mix of h, so two keys
// collide only if they share both, about once in 2^32 probes; insert
// reports such a pair as a duplicate rather than lose one.
func slotKey(h uint64) uint32 {
	if k := uint32(h ^ h>>32); k != 0 {
		return k
	}
	return 1
}

// slot spreads FNV hashes, whose low bits cluster, over the table.
func (t *vocabTable) slot(h uint64) uint64 { return (h * 0x9E3779B97F4A7C15) >> t.shift }

// insert adds h; it reports false when h is already present.
func (t *vocabTable) insert(h uint64, col int32) bool {
	k := slotKey(h)
	for i := t.slot(h); ; i = (i + 1) & t.mask {
		switch t.slots[i].key {
		case 0:
			t.slots[i] = vocabSlot{key: k, col: col}
			return true
		case k:
			return false
		}
	}
}

// lookup returns the column of h.
func (t *vocabTable) lookup(h uint64) (int32, bool) {
	k := slotKey(h)
	for i := t.slot(h); ; i = (i + 1) & t.mask {
		switch s := t.slots[i]; s.key {
		case k:
			return s.col, true
		case 0:
			return 0, false
		}
	}
}

// binaryHead is a logistic regression over named features as the artifact
// stores the holder head and the evidence tagger: a weight per vocabulary
// key. It is read at load, to fold the weights into faster tables.
type binaryHead struct {
	vocab   *vocabTable
	weights []float32
}

// newBinaryHead checks and indexes a binary head; what names it in errors.
func newBinaryHead(what string, vocab []string, weights []float32, bias float32) (*binaryHead, error) {
	if len(weights) != len(vocab) {
		return nil, fmt.Errorf("%w: %s has %d weights for %d features", ErrInvalidModel, what, len(weights), len(vocab))
	}
	if err := finiteWeights(what, weights, []float32{bias}); err != nil {
		return nil, err
	}
	h := &binaryHead{vocab: newVocabTable(len(vocab)), weights: weights}
	for i, k := range vocab {
		if !h.vocab.insert(features.HashString(k), int32(i)) {
			return nil, fmt.Errorf("%w: %s feature %q repeats", ErrInvalidModel, what, k)
		}
	}
	return h, nil
}

// weightOf is the weight of a feature key, 0 for a key the head lacks.
func (h *binaryHead) weightOf(key []byte) float64 {
	if id, ok := h.vocab.lookup(features.Hash(key)); ok {
		return float64(h.weights[id])
	}
	return 0
}

// finiteWeights rejects weights that are not finite or beyond ±maxWeight;
// what names their owner in the error.
func finiteWeights(what string, ws ...[]float32) error {
	for _, w := range ws {
		for _, x := range w {
			if !(math.Abs(float64(x)) <= maxWeight) {
				return fmt.Errorf("%w: %s has a weight that is not finite or beyond ±%g", ErrInvalidModel, what, float64(maxWeight))
			}
		}
	}
	return nil
}
