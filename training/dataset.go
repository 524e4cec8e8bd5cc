package training

import (
	"math"
	"sort"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/features"
)

// rows is a sparse design matrix in compressed-row form. Values count how
// often a feature occurs in the sentence.
type rows struct {
	ptr  []int32 // row i is idx[ptr[i]:ptr[i+1]]
	idx  []int32
	val  []float32
	nCol int
}

func (r *rows) n() int { return len(r.ptr) - 1 }

// extracted holds every sentence's features as hashes, before a vocabulary
// is chosen, so that several vocabularies can be cut from one extraction.
type extracted struct {
	hashes [][]uint64 // per sentence, one entry per occurrence
	names  map[uint64]string
	df     map[uint64]int // sentences containing the feature
}

func extract(ext *features.Extractor, recs []stance.Record) *extracted {
	ex := &extracted{hashes: make([][]uint64, len(recs)), names: map[uint64]string{}, df: map[uint64]int{}}
	var sc features.Scratch
	seen := map[uint64]bool{}
	for i, r := range recs {
		clear(seen)
		var hs []uint64
		ext.Extract(r.Text, &sc, func(key []byte, _, _ int) {
			h := features.Hash(key)
			hs = append(hs, h)
			if _, ok := ex.names[h]; !ok {
				ex.names[h] = string(key)
			}
			if !seen[h] {
				seen[h] = true
				ex.df[h]++
			}
		})
		ex.hashes[i] = hs
	}
	return ex
}

// vocabulary returns the feature names that occur in at least minCount of
// the sentences in subset (all sentences when subset is nil), sorted, and
// their column numbers by hash.
func (ex *extracted) vocabulary(minCount int, subset []int) ([]string, map[uint64]int32) {
	df := ex.df
	if subset != nil {
		df = map[uint64]int{}
		for _, i := range subset {
			seen := map[uint64]bool{}
			for _, h := range ex.hashes[i] {
				if !seen[h] {
					seen[h] = true
					df[h]++
				}
			}
		}
	}
	return frequentNames(df, ex.names, minCount)
}

// frequentNames returns, sorted, the names of the hashed features counted
// at least minCount times in df, and their column numbers by hash.
func frequentNames(df map[uint64]int, names map[uint64]string, minCount int) ([]string, map[uint64]int32) {
	var out []string
	for h, n := range df {
		if n >= minCount {
			out = append(out, names[h])
		}
	}
	sort.Strings(out)
	cols := make(map[uint64]int32, len(out))
	for i, s := range out {
		cols[features.HashString(s)] = int32(i)
	}
	return out, cols
}

// matrix builds the design matrix of the sentences in subset.
func (ex *extracted) matrix(cols map[uint64]int32, subset []int, lengthNorm bool) *rows {
	r := &rows{ptr: make([]int32, 1, len(subset)+1), nCol: len(cols)}
	acc := map[int32]float32{}
	var keys []int32
	for _, i := range subset {
		clear(acc)
		keys = keys[:0]
		for _, h := range ex.hashes[i] {
			if c, ok := cols[h]; ok {
				if _, seen := acc[c]; !seen {
					keys = append(keys, c)
				}
				acc[c]++
			}
		}
		sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
		scale := float32(1)
		if n := inVocab(ex.hashes[i], cols); lengthNorm && n > 0 {
			scale = 1 / float32(math.Sqrt(float64(n)))
		}
		for _, c := range keys {
			r.idx = append(r.idx, c)
			r.val = append(r.val, acc[c]*scale)
		}
		r.ptr = append(r.ptr, int32(len(r.idx)))
	}
	return r
}

// inVocab counts the occurrences of a sentence that have a column; the model
// scales by the same count at inference.
func inVocab(hashes []uint64, cols map[uint64]int32) int {
	n := 0
	for _, h := range hashes {
		if _, ok := cols[h]; ok {
			n++
		}
	}
	return n
}
