// Package evidence describes the words of a classified sentence to the
// evidence tagger: a small learned model that decides which of the words
// pushing the decision belong in the evidence an analyst reads.
//
// The classifier's margin decomposition says how much each word pushed the
// predicted label; on its own it spreads weight over whole clauses. The
// annotated evidence is tighter (the cue and the phrase it governs), and how
// tight depends on the label and on where the word sits relative to the
// strongest cue. The tagger learns that from the corpus' evidence spans.
//
// Every feature is a (group, value) pair, optionally crossed with the
// stance label. The groups are small enumerations, so a loaded tagger
// turns its weights into lookup tables and scores a word without hashing.
package evidence

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/stance-project/stance/lexicon"
)

// Group is a family of word features.
type Group int

// The feature groups.
const (
	// Share bins the word's contribution as a share of the strongest word's.
	Share Group = iota
	// Rank bins the word's rank among the words that push the label.
	Rank
	// Distance bins the signed distance in words to the strongest word.
	Distance
	// SameClause is 1 when the word shares the strongest word's clause.
	SameClause
	// Class is a cue list the word is on.
	Class
	// Prev and Next are cue lists of the neighbouring words.
	Prev
	Next
	// Before and After are cue lists found earlier or later in the word's
	// clause: a word after a cue is often the phrase the cue governs.
	Before
	After
	// Edge marks the first and last word of the sentence and of a clause.
	Edge
	// NumGroups counts the groups.
	NumGroups
)

var groupNames = [NumGroups]string{"share", "rank", "dist", "clause", "class", "prev", "next", "before", "after", "edge"}

// Sizes gives the number of values of each group.
var Sizes = [NumGroups]int{numShareBins, numRankBins, numDistanceBins, 2, int(lexicon.NumClasses), int(lexicon.NumClasses), int(lexicon.NumClasses), int(lexicon.NumClasses), int(lexicon.NumClasses), 4}

// Labelled says which groups are also crossed with the stance label: how
// far evidence reaches differs between a condition and a refusal.
var Labelled = [NumGroups]bool{Share: true, Rank: true, Distance: true, SameClause: true, Class: true, Before: true, After: true}

const (
	numShareBins    = 6
	numRankBins     = 6
	numDistanceBins = 13
)

// Edge values.
const (
	edgeSentenceFirst = iota
	edgeSentenceLast
	edgeClauseFirst
	edgeClauseLast
)

// Sentence is what the tagger sees of a classified sentence: per word, its
// contribution to the predicted label's margin, its cue lists and clause.
type Sentence struct {
	Contr   []float64
	Masks   []lexicon.Mask
	Clauses []int32
}

// Prepared holds per-sentence facts shared by all its words.
type Prepared struct {
	top    int     // the strongest word, -1 when no word pushes the label
	topC   float64 // its contribution
	rank   []int   // rank of each word among positive contributions
	before []lexicon.Mask
	after  []lexicon.Mask
	order  []int
}

// Prepare works out the strongest word, ranks and clause context of s.
func (p *Prepared) Prepare(s *Sentence) {
	n := len(s.Contr)
	p.top, p.topC = -1, 0
	for i, c := range s.Contr {
		if c > p.topC {
			p.top, p.topC = i, c
		}
	}
	p.rank = resize(p.rank, n)
	p.order = p.order[:0]
	for i, c := range s.Contr {
		if c > 0 {
			p.order = append(p.order, i)
		}
		p.rank[i] = -1
	}
	// Stable, so equal contributions rank in word order.
	slices.SortStableFunc(p.order, func(a, b int) int { return cmp.Compare(s.Contr[b], s.Contr[a]) })
	for r, i := range p.order {
		p.rank[i] = r
	}
	p.before = resize(p.before, n)
	p.after = resize(p.after, n)
	var acc lexicon.Mask
	for i := range n {
		if i > 0 && s.Clauses[i] != s.Clauses[i-1] {
			acc = 0
		}
		p.before[i] = acc
		acc |= s.Masks[i]
	}
	acc = 0
	for i := n - 1; i >= 0; i-- {
		if i < n-1 && s.Clauses[i] != s.Clauses[i+1] {
			acc = 0
		}
		p.after[i] = acc
		acc |= s.Masks[i]
	}
}

// Top returns the strongest word, or -1 when no word pushes the label.
func (p *Prepared) Top() int { return p.top }

// Word is what the tagger knows of one word: a value of every group, with
// the cue-list groups as masks of classes.
type Word struct {
	Share, Rank, Distance, SameClause int
	Class, Prev, Next, Before, After  lexicon.Mask
	Edges                             uint8 // bit e set for edge value e
}

// Word describes word i of s; call it only when Top() >= 0.
func (p *Prepared) Word(s *Sentence, i int) Word {
	w := Word{
		Share:    shareBin(s.Contr[i], p.topC),
		Rank:     rankBin(p.rank[i]),
		Distance: distanceBin(i - p.top),
		Class:    s.Masks[i],
		Before:   p.before[i],
		After:    p.after[i],
	}
	if s.Clauses[i] == s.Clauses[p.top] {
		w.SameClause = 1
	}
	n := len(s.Masks)
	if i > 0 {
		w.Prev = s.Masks[i-1]
		if s.Clauses[i] != s.Clauses[i-1] {
			w.Edges |= 1 << edgeClauseFirst
		}
	} else {
		w.Edges |= 1 << edgeSentenceFirst
	}
	if i+1 < n {
		w.Next = s.Masks[i+1]
		if s.Clauses[i] != s.Clauses[i+1] {
			w.Edges |= 1 << edgeClauseLast
		}
	} else {
		w.Edges |= 1 << edgeSentenceLast
	}
	return w
}

// Each calls f with every (group, value) feature of the word.
func (w Word) Each(f func(g Group, v int)) {
	f(Share, w.Share)
	f(Rank, w.Rank)
	f(Distance, w.Distance)
	f(SameClause, w.SameClause)
	for g, m := range [...]lexicon.Mask{Class: w.Class, Prev: w.Prev, Next: w.Next, Before: w.Before, After: w.After} {
		EachClass(m, func(c int) { f(Group(g), c) })
	}
	for e := range Sizes[Edge] {
		if w.Edges&(1<<e) != 0 {
			f(Edge, e)
		}
	}
}

// IsMask says which groups take a mask of cue classes rather than one value.
var IsMask = [NumGroups]bool{Class: true, Prev: true, Next: true, Before: true, After: true, Edge: true}

// Key appends the vocabulary key of a feature to buf; label is "" for the
// uncrossed feature.
func Key(buf []byte, g Group, label string, v int) []byte {
	buf = append(buf, groupNames[g]...)
	buf = append(buf, '|')
	if label != "" {
		buf = append(buf, label...)
		buf = append(buf, '|')
	}
	return strconv.AppendInt(buf, int64(v), 10)
}

func shareBin(c, top float64) int {
	if !(c > 0) || !(top > 0) {
		return 0
	}
	switch s := c / top; {
	case s <= 0.1:
		return 1
	case s <= 0.25:
		return 2
	case s <= 0.5:
		return 3
	case s <= 0.75:
		return 4
	default:
		return 5
	}
}

func rankBin(r int) int {
	switch {
	case r < 0:
		return 0
	case r <= 2:
		return r + 1
	case r <= 4:
		return 4
	default:
		return 5
	}
}

// distanceBin buckets a signed word distance: -13 or less, -12..-9,
// -8..-6, -5..-3, -2, -1, 0, 1, 2, 3..5, 6..8, 9..12, 13 or more.
func distanceBin(d int) int {
	switch {
	case d <= -13:
		return 0
	case d <= -9:
		return 1
	case d <= -6:
		return 2
	case d <= -3:
		return 3
	case d <= 2:
		return d + 6
	case d <= 5:
		return 9
	case d <= 8:
		return 10
	case d <= 12:
		return 11
	default:
		return 12
	}
}

// EachClass calls f with every class in m.
func EachClass(m lexicon.Mask, f func(int)) {
	for c := range int(lexicon.NumClasses) {
		if m.Has(lexicon.Class(c)) {
			f(c)
		}
	}
}

// resize returns b with length n, reusing its storage when it can; the
// callers overwrite every element.
func resize[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}
