package model

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/stance-project/stance"
	modelv1 "github.com/stance-project/stance/api/stance/model/v1"
	"github.com/stance-project/stance/evidence"
	"github.com/stance-project/stance/lexicon"
)

// evidenceTagger is the loaded evidence tagger. Its weights are folded at
// load into one table per feature group and stance label, indexed by the
// group's value (by the class for groups of cue classes), so scoring a
// word is a lookup per group and per cue class of its masks.
type evidenceTagger struct {
	tables [evidence.NumGroups][numStance][]float64
	bias   float64
	cut    float64 // logit of the threshold probability
}

// maskWeight is the weight of a mask of cue classes: the sum of its
// classes' weights w, added in ascending order as evidence.EachClass
// visits them. A table by whole mask, as the other groups have, would
// take 2^NumClasses entries a group and label: 2.6 MB of the model's heap
// with 14 classes, for a word that has one or two.
func maskWeight(w []float64, m lexicon.Mask) float64 {
	z := 0.0
	for b := uint16(m); b != 0; b &= b - 1 {
		z += w[bits.TrailingZeros16(b)]
	}
	return z
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
			e.tables[g][l] = base
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
			maskWeight(t[evidence.Class][y], w.Class) + maskWeight(t[evidence.Prev][y], w.Prev) + maskWeight(t[evidence.Next][y], w.Next) +
			maskWeight(t[evidence.Before][y], w.Before) + maskWeight(t[evidence.After][y], w.After) + maskWeight(t[evidence.Edge][y], lexicon.Mask(w.Edges))
		sc.sel[i] = z >= e.cut
	}
}
