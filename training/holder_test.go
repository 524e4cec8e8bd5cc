package training

import (
	"math"
	"slices"
	"testing"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/features"
	"github.com/stance-project/stance/holder"
	"github.com/stance-project/stance/lexicon"
)

// minHolderCVExact is the floor of TestHolderHeadGeneralisesAcrossDocuments:
// the corpus gives 0.729 with the settings of this build (0.701 without
// spans from unknown words, 0.650 with the binary fit before
// fitCandidateChoice).
const minHolderCVExact = 0.70

// TestHolderHeadGeneralisesAcrossDocuments fits the holder head on four
// fifths of the corpus documents and picks holders in the fifth, with the
// annotated evidence, five times over: exact span matches among the
// sentences with an annotated holder. Names recur across our documents, so
// this is an in-domain figure (the seeds and the challenge set are the
// out-of-domain ones), but at 6,000 holders it moves with the head's
// settings where 36 seed holders move by one or two.
func TestHolderHeadGeneralisesAcrossDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("fits the holder head five times")
	}
	sets, err := LoadSets([]string{"../testdata/corpus"}, "")
	if err != nil {
		t.Fatal(err)
	}
	var recs []stance.Record
	for _, s := range sets {
		recs = append(recs, s.Records...)
	}
	files, err := lexicon.Files()
	if err != nil {
		t.Fatal(err)
	}
	lx, err := lexicon.Parse(files)
	if err != nil {
		t.Fatal(err)
	}
	known, stems := knownWordStems(recs)
	ext := features.New(features.DefaultConfig, lx).WithKnownWordStems(known, stems)

	exact, named := 0, 0
	noCandidate := 0                // sentences whose annotated holder is no candidate
	misses := map[HolderMatch]int{} // how the wrong picks relate to the annotated span
	for _, test := range documentFolds(recs, 5, 1) {
		held := map[int]bool{}
		for _, i := range test {
			held[i] = true
		}
		var train []stance.Record
		for i, r := range recs {
			if !held[i] {
				train = append(train, r)
			}
		}
		head, _, err := (&trainer{recs: train, lx: lx}).trainHolder(ext)
		if err != nil {
			t.Fatal(err)
		}
		weights := map[string]float64{}
		for i, k := range head.Vocabulary {
			weights[k] = float64(head.Weights[i])
		}
		starts := holder.Starts{Words: map[string]bool{}, NewWordSpan: int(head.NewWordSpan)}
		for _, w := range head.StartWords {
			starts.Words[w] = true
		}
		// The held-out documents' words the fold's model would not know.
		unknown := newUnknownWords(train)
		for _, i := range test {
			r := recs[i]
			if r.Stance == stance.None || r.Holder == nil {
				continue
			}
			named++
			var sc features.Scratch
			ext.Analyse(r.Text, &sc)
			s := holder.Sentence{Text: r.Text, Tokens: sc.Tokens, Words: sc.Words(), Masks: sc.Masks(), Clauses: sc.Clauses(), Evidence: evidenceWords(sc.Tokens, r.Evidence), Quotes: sc.Quotes()}
			s.Unknown = unknown.of(r.DocID, s.Words)
			s.Prepare(lx.Actors, starts, nil, nil)
			bestZ, best := math.Inf(-1), holder.Candidate{First: -1}
			var zs []float64
			cands := holder.Candidates(&s, nil)
			if !slices.Contains(cands, goldWords(s.Tokens, r.Holder)) {
				noCandidate++
			}
			for _, c := range cands {
				z := float64(head.Bias)
				holder.Features(&s, c, nil, func(k []byte) { z += weights[string(k)] })
				zs = append(zs, z)
				if z > bestZ {
					bestZ, best = z, c
				}
			}
			if best.First < 0 || holder.OverlapProbability(bestZ, zs, cands, best) < float64(head.Threshold) {
				misses[HolderNoneFound]++
				continue
			}
			_, start := holder.Start(&s, best, lx.Actors)
			_, end := holder.End(&s, best)
			if k := MatchHolder(*r.Holder, start, end); k == HolderExact {
				exact++
			} else {
				misses[k]++
			}
		}
	}
	got := float64(exact) / float64(named)
	t.Logf("holder exact %.4f (%d of %d held-out sentences with a holder; %d of the holders no candidate); wrong picks: %v", got, exact, named, noCandidate, misses)
	if got < minHolderCVExact {
		t.Errorf("held-out holder exact match %.4f, below %.2f: the holder head or its candidates got worse", got, minHolderCVExact)
	}
}

func TestHolderThresholdIsTheLowestWithinNoiseOfTheBest(t *testing.T) {
	sentences := func(n int, b bestCandidate) []bestCandidate {
		out := make([]bestCandidate, n)
		for i := range out {
			out[i] = b
		}
		return out
	}
	named := bestCandidate{p: 0.5, gold: true, named: true} // right at any threshold up to 0.5
	tests := []struct {
		name string
		best [][]bestCandidate
		want float64
	}{
		{
			// At 0.02 the two unnamed sentences at 0.03 get a holder; at
			// 0.04 they do not: 12 right against 10, with 3 sentences between.
			name: "a gain beyond noise raises the threshold",
			best: [][]bestCandidate{sentences(10, named), sentences(2, bestCandidate{p: 0.03}), sentences(1, bestCandidate{p: 0.03, named: true})},
			want: 0.04,
		},
		{
			name: "a gain within noise keeps the lower threshold",
			best: [][]bestCandidate{sentences(10, named), sentences(1, bestCandidate{p: 0.03}), sentences(2, bestCandidate{p: 0.03, named: true})},
			want: 0.02,
		},
		{
			name: "sentences without a holder above every candidate's probability",
			best: [][]bestCandidate{sentences(20, bestCandidate{p: 0.31})},
			want: 0.32,
		},
		{
			name: "sentences without candidates count as nothing chosen",
			best: [][]bestCandidate{sentences(10, named), sentences(5, bestCandidate{p: -1})},
			want: 0.02,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var best []bestCandidate
			for _, b := range tt.best {
				best = append(best, b...)
			}
			if got := chooseHolderThreshold(best).threshold; math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("threshold %.4f, want %.2f", got, tt.want)
			}
		})
	}
}

func TestCandidateChoiceRanksEachSentencesHolderFirst(t *testing.T) {
	// Features: 0 after a reporting verb, 1 inside a quotation, 2 a name.
	cands := []struct {
		sentence int
		features []int32
		gold     bool
	}{
		{0, []int32{0, 2}, true}, {0, []int32{1, 2}, false},
		{1, []int32{1}, false}, {1, []int32{0}, true},
		{2, []int32{1}, false}, // no holder annotated
		{3, []int32{0, 2}, true}, {3, []int32{2}, false},
	}
	annotated := []bool{true, true, false, true}
	fit := func(extra bool) ([]float64, float64, [][]float64) {
		x := &rows{ptr: []int32{0}, nCol: 3}
		var sentence []int
		var gold []bool
		add := func(s int, fs []int32, g bool) {
			for _, f := range fs {
				x.idx, x.val = append(x.idx, f), append(x.val, 1)
			}
			x.ptr = append(x.ptr, int32(len(x.idx)))
			sentence, gold = append(sentence, s), append(gold, g)
		}
		for _, c := range cands {
			add(c.sentence, c.features, c.gold)
		}
		ann := annotated
		if extra {
			// A sentence whose annotated holder is no candidate: its only
			// candidate is not the holder, nor is "no holder" the answer.
			add(4, []int32{0}, false)
			ann = append(slices.Clone(annotated), true)
		}
		w, bias, err := fitCandidateChoice(x, sentence, gold, ann, fitSettings{l2: 1e-3, maxIter: 200})
		if err != nil {
			t.Fatal(err)
		}
		zs := make([][]float64, len(ann))
		for i, s := range sentence {
			z := bias
			for j := x.ptr[i]; j < x.ptr[i+1]; j++ {
				z += w[x.idx[j]]
			}
			zs[s] = append(zs[s], z)
		}
		return w, bias, zs
	}
	w, _, zs := fit(false)
	for _, c := range []struct{ sentence, gold int }{{0, 0}, {1, 1}, {3, 0}} {
		for k, z := range zs[c.sentence] {
			if k != c.gold && z >= zs[c.sentence][c.gold] {
				t.Errorf("sentence %d: candidate %d scores %.3f, not below the annotated one's %.3f", c.sentence, k, z, zs[c.sentence][c.gold])
			}
		}
	}
	if zs[2][0] >= 0 {
		t.Errorf("the sentence without a holder scores its candidate %.3f, not below no holder's 0", zs[2][0])
	}
	if w2, _, _ := fit(true); !slices.Equal(w, w2) {
		t.Errorf("a sentence whose holder is no candidate changed the fit: %v, then %v", w, w2)
	}
}

// A word is unknown to a sentence when the other documents hold it in
// fewer than knownWordMinCount sentences, however often its own does: a
// model trained without the document would not know it.
func TestUnknownWordsLeaveTheSentencesDocumentOut(t *testing.T) {
	recs := []stance.Record{
		{DocID: "a", Text: "قال كيري إن واشنطن مستعدة"},
		{DocID: "a", Text: "وأضاف كيري أن أوتينو يرفض"},
		{DocID: "b", Text: "ورأى كيري أن واشنطن مستعدة"},
		{DocID: "c", Text: "وقال أوتينو إن واشنطن ترفض"},
	}
	u := newUnknownWords(recs)
	tests := []struct {
		doc, word string
		want      bool
	}{
		{"a", "كيري", true},    // one sentence of the other documents
		{"b", "كيري", false},   // two sentences of document a
		{"a", "واشنطن", false}, // b and c
		{"c", "واشنطن", false}, // a and b
		{"b", "اوتينو", false}, // a and c
		{"c", "اوتينو", true},  // a only
		{"new", "كيري", false}, // a held-out document: every training sentence counts
		{"new", "مستعده", false},
		{"new", "ترفض", true},
	}
	for _, tt := range tests {
		if got := u.of(tt.doc, []string{tt.word})[0]; got != tt.want {
			t.Errorf("%q in document %q: unknown %t, want %t", tt.word, tt.doc, got, tt.want)
		}
	}
}
