package corpus

import (
	"cmp"
	"slices"
	"strings"

	"github.com/stance-project/stance/arabic"
)

type dupEntry struct {
	path, id string
	grams    map[string]struct{}
}

type dupPair struct {
	a, b  dupEntry
	score float64
}

// trigrams returns the set of normalised word 3-grams of a text.
func trigrams(text string) map[string]struct{} {
	toks := arabic.Tokenize(text, nil)
	g := make(map[string]struct{}, len(toks))
	for i := 0; i+2 < len(toks); i++ {
		g[toks[i].Norm+" "+toks[i+1].Norm+" "+toks[i+2].Norm] = struct{}{}
	}
	return g
}

// nearDuplicates returns every pair whose 3-gram Jaccard similarity is at
// least threshold. An inverted index keeps it to pairs sharing a 3-gram, so
// a corpus of thousands of sentences checks in well under a second.
func nearDuplicates(entries []dupEntry, threshold float64) []dupPair {
	index := map[string][]int{}
	for i, e := range entries {
		for g := range e.grams {
			index[g] = append(index[g], i)
		}
	}
	var out []dupPair
	shared := map[int]int{}
	for i, e := range entries {
		clear(shared)
		for g := range e.grams {
			for _, j := range index[g] {
				if j > i {
					shared[j]++
				}
			}
		}
		for j, inter := range shared {
			union := len(e.grams) + len(entries[j].grams) - inter
			if s := float64(inter) / float64(union); s >= threshold {
				out = append(out, dupPair{a: entries[j], b: e, score: s})
			}
		}
	}
	// Map iteration above is unordered; sort for a stable report.
	sortPairs(out)
	return out
}

func sortPairs(p []dupPair) {
	slices.SortFunc(p, func(x, y dupPair) int {
		return cmp.Or(strings.Compare(x.a.id, y.a.id), strings.Compare(x.b.id, y.b.id))
	})
}
