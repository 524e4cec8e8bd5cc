package holder

import "hash/maphash"

// WordFilter is a set of words that answers "not in the set" for most
// other words from one cache line of a small table: a Bloom filter of two
// bits a word within one 64-bit word. Scorers check the words they do not
// know against it before a map lookup, which, in maps the classifier has
// pushed out of the cache since the last sentence, cost several misses
// each and most of the time of such words (BenchmarkHolderOverhead).
// The zero WordFilter holds nothing; Add sets it up.
type WordFilter struct {
	bits *[filterWords]uint64
	seed maphash.Seed
}

// filterWords is the size of a WordFilter in 64-bit words: 8 KB, about one
// false positive in a hundred for a few thousand words.
const filterWords = 1024

// Add puts w in the filter.
func (f *WordFilter) Add(w string) {
	if f.bits == nil {
		f.bits, f.seed = new([filterWords]uint64), maphash.MakeSeed()
	}
	at, bits := f.place(w)
	f.bits[at] |= bits
}

// MayHave reports whether w may be in the filter: false when it is not,
// true when it is or, rarely, when it is not.
func (f *WordFilter) MayHave(w string) bool {
	if f.bits == nil {
		return false
	}
	at, bits := f.place(w)
	return f.bits[at]&bits == bits
}

// place is where w's bits lie: the 64-bit word at index at, and the bits.
func (f *WordFilter) place(w string) (at int, bits uint64) {
	h := maphash.String(f.seed, w)
	return int(h % filterWords), 1<<(h>>52&63) | 1<<(h>>58)
}
