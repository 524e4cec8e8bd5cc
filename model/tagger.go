package model

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/stance-project/stance"
	modelv1 "github.com/stance-project/stance/api/stance/model/v1"
	"github.com/stance-project/stance/evidence"
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
	head, err := newBinaryHead("evidence tagger", t.Vocabulary, t.Weights, t.Bias)
	if err != nil {
		return nil, err
	}
	if !(t.Threshold > 0 && t.Threshold < 1) {
		return nil, fmt.Errorf("%w: evidence tagger threshold %v, want between 0 and 1", ErrInvalidModel, t.Threshold)
	}
	th := float64(t.Threshold)
	e := &evidenceTagger{bias: float64(t.Bias), cut: math.Log(th / (1 - th))}
	var key []byte
	for g := range evidence.NumGroups {
		for l := range numStance {
			base := make([]float64, evidence.Sizes[g])
			for v := range base {
				key = evidence.Key(key[:0], g, "", v)
				base[v] = head.weightOf(key)
				if evidence.Labelled[g] {
					key = evidence.Key(key[:0], g, string(stance.Stances[l]), v)
					base[v] += head.weightOf(key)
				}
			}
			if !evidence.IsMask[g] {
				e.tables[g][l] = base
				continue
			}
			// A mask's weight is that of the mask without its highest
			// class plus that class's: the classes add up in ascending
			// order, as evidence.EachClass visits them.
			tab := make([]float64, 1<<evidence.Sizes[g])
			for m := 1; m < len(tab); m++ {
				high := bits.Len(uint(m)) - 1
				tab[m] = tab[m&^(1<<high)] + base[high]
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
