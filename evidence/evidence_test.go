package evidence

import (
	"testing"

	"github.com/stance-project/stance/lexicon"
)

func TestBinsCoverTheirRanges(t *testing.T) {
	for d := -40; d <= 40; d++ {
		if b := distanceBin(d); b < 0 || b >= numDistanceBins {
			t.Fatalf("distanceBin(%d) = %d, outside [0, %d)", d, b, numDistanceBins)
		}
	}
	for r := -1; r <= 40; r++ {
		if b := rankBin(r); b < 0 || b >= numRankBins {
			t.Fatalf("rankBin(%d) = %d, outside [0, %d)", r, b, numRankBins)
		}
	}
	tests := []struct {
		c, top float64
		want   int
	}{
		{-1, 2, 0}, {0, 2, 0}, {0.1, 2, 1}, {0.5, 2, 2}, {1, 2, 3}, {1.5, 2, 4}, {2, 2, 5}, {1, 0, 0},
	}
	for _, tc := range tests {
		if got := shareBin(tc.c, tc.top); got != tc.want {
			t.Errorf("shareBin(%v, %v) = %d, want %d", tc.c, tc.top, got, tc.want)
		}
	}
}

func TestPrepareRanksAndClauseContext(t *testing.T) {
	sup := lexicon.Mask(1 << lexicon.Support)
	coord := lexicon.Mask(1 << lexicon.Coordination)
	s := Sentence{
		Contr:   []float64{0.1, 2, -1, 0.5, 0.5, 0.3},
		Masks:   []lexicon.Mask{0, sup, 0, coord, 0, 0},
		Clauses: []int32{0, 0, 0, 0, 1, 1},
	}
	var p Prepared
	p.Prepare(&s)
	if p.Top() != 1 {
		t.Fatalf("Top() = %d, want 1", p.Top())
	}
	// Ranks: word 1 first, then the tie 3 and 4 in word order, then 5, then 0; word 2 pushes nothing.
	wantRank := []int{4, 0, -1, 1, 2, 3}
	for i, r := range wantRank {
		if p.rank[i] != r {
			t.Errorf("rank of word %d = %d, want %d", i, p.rank[i], r)
		}
	}
	w := p.Word(&s, 2)
	if w.Before != sup || w.After != coord {
		t.Errorf("word 2: before %b after %b, want the support cue before and the coordination term after", w.Before, w.After)
	}
	if w.SameClause != 1 || w.Distance != distanceBin(1) {
		t.Errorf("word 2: same clause %d, distance bin %d", w.SameClause, w.Distance)
	}
	w = p.Word(&s, 4)
	if w.Before != 0 || w.SameClause != 0 || w.Edges != 1<<edgeClauseFirst {
		t.Errorf("word 4 opens a clause: before %b, same clause %d, edges %b", w.Before, w.SameClause, w.Edges)
	}
	if w := p.Word(&s, 0); w.Edges != 1<<edgeSentenceFirst {
		t.Errorf("word 0 edges %b, want sentence-first only", w.Edges)
	}
	if w := p.Word(&s, 5); w.Edges != 1<<edgeSentenceLast {
		t.Errorf("word 5 edges %b, want sentence-last only", w.Edges)
	}
}

func TestPrepareWithoutPushingWords(t *testing.T) {
	s := Sentence{Contr: []float64{-1, 0}, Masks: make([]lexicon.Mask, 2), Clauses: make([]int32, 2)}
	var p Prepared
	p.Prepare(&s)
	if p.Top() != -1 {
		t.Fatalf("Top() = %d for a sentence where no word pushes the label, want -1", p.Top())
	}
}

func TestEachStaysInsideGroupSizes(t *testing.T) {
	all := lexicon.Mask(1<<lexicon.NumClasses - 1)
	w := Word{Share: 5, Rank: 5, Distance: 12, SameClause: 1, Class: all, Prev: all, Next: all, Before: all, After: all, Edges: 0xf}
	seen := map[Group]int{}
	w.Each(func(g Group, v int) {
		if v < 0 || v >= Sizes[g] {
			t.Errorf("group %s value %d outside [0, %d)", groupNames[g], v, Sizes[g])
		}
		seen[g]++
	})
	for g := range NumGroups {
		if seen[g] == 0 {
			t.Errorf("group %s never emitted", groupNames[g])
		}
	}
}

func TestKeyCrossesTheLabel(t *testing.T) {
	if got := string(Key(nil, Distance, "", 3)); got != "dist|3" {
		t.Errorf("Key without label = %q", got)
	}
	if got := string(Key(nil, Class, "opposing", 2)); got != "class|opposing|2" {
		t.Errorf("Key with label = %q", got)
	}
}
