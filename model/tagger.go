package model

import (
	"fmt"
	"math"

	"github.com/stance-project/stance"
	modelv1 "github.com/stance-project/stance/api/stance/model/v1"
	"github.com/stance-project/stance/evidence"
	"github.com/stance-project/stance/features"
	"github.com/stance-project/stance/lexicon"
)

// evidenceTagger is the loaded evidence tagger. Its weights are folded at
// load into one table per feature group and stance label, indexed by the
// group's value (by the whole mask for groups of cue classes), so scoring a
// word is ten lookups.
type evidenceTagger struct {
	tables [evidence.NumGroups][numStance][]float64
	bias   float64
	cut    float64 // logit of the threshold probability
}

func newEvidenceTagger(t *modelv1.EvidenceTagger) (*evidenceTagger, error) {
	if t == nil {
		return nil, nil
	}
	if len(t.Weights) != len(t.Vocabulary) {
		return nil, fmt.Errorf("%w: evidence tagger has %d weights for %d features", ErrInvalidModel, len(t.Weights), len(t.Vocabulary))
	}
	for _, w := range append(append([]float32{}, t.Weights...), t.Bias) {
		if !(math.Abs(float64(w)) <= maxWeight) {
			return nil, fmt.Errorf("%w: evidence tagger has a weight that is not finite or beyond ±%g", ErrInvalidModel, float64(maxWeight))
		}
	}
	if !(t.Threshold > 0 && t.Threshold < 1) {
		return nil, fmt.Errorf("%w: evidence tagger threshold %v, want between 0 and 1", ErrInvalidModel, t.Threshold)
	}
	vocab := newVocabTable(len(t.Vocabulary))
	for i, k := range t.Vocabulary {
		if !vocab.insert(features.HashString(k), int32(i)) {
			return nil, fmt.Errorf("%w: evidence tagger feature %q repeats", ErrInvalidModel, k)
		}
	}
	weight := func(key []byte) float64 {
		if id, ok := vocab.lookup(features.Hash(key)); ok {
			return float64(t.Weights[id])
		}
		return 0
	}
	th := float64(t.Threshold)
	e := &evidenceTagger{bias: float64(t.Bias), cut: math.Log(th / (1 - th))}
	var key []byte
	for g := range evidence.NumGroups {
		for l := range numStance {
			base := make([]float64, evidence.Sizes[g])
			for v := range base {
				key = evidence.Key(key[:0], g, "", v)
				base[v] = weight(key)
				if evidence.Labelled[g] {
					key = evidence.Key(key[:0], g, string(stance.Stances[l]), v)
					base[v] += weight(key)
				}
			}
			if !evidence.IsMask[g] {
				e.tables[g][l] = base
				continue
			}
			tab := make([]float64, 1<<evidence.Sizes[g])
			for m := range tab {
				evidence.EachClass(lexicon.Mask(m), func(v int) { tab[m] += base[v] })
			}
			e.tables[g][l] = tab
		}
	}
	return e, nil
}

// selectWords marks in sc.sel the words of the last scored sentence that
// the tagger puts in the evidence for stance label y; sc.contr holds their
// contributions.
func (e *evidenceTagger) selectWords(sc *scratch, y int) {
	s := evidence.Sentence{Contr: sc.contr, Masks: sc.fs.Masks(), Clauses: sc.fs.Clauses()}
	sc.ev.Prepare(&s)
	if sc.ev.Top() < 0 {
		clear(sc.sel)
		return
	}
	t := &e.tables
	for i := range sc.sel {
		w := sc.ev.Word(&s, i)
		z := e.bias + t[evidence.Share][y][w.Share] + t[evidence.Rank][y][w.Rank] +
			t[evidence.Distance][y][w.Distance] + t[evidence.SameClause][y][w.SameClause] +
			t[evidence.Class][y][w.Class] + t[evidence.Prev][y][w.Prev] + t[evidence.Next][y][w.Next] +
			t[evidence.Before][y][w.Before] + t[evidence.After][y][w.After] + t[evidence.Edge][y][w.Edges]
		sc.sel[i] = z >= e.cut
	}
}
