package training

import (
	"github.com/stance-project/stance"
	"github.com/stance-project/stance/model"
)

// Difference is one figure of model A minus the same figure of model B on
// the same sentences, with the 95 % paired bootstrap interval of the
// difference: both models are scored on each resample, so sentences both
// get right or wrong cancel out, and the interval is much narrower than
// either figure's own.
type Difference struct {
	Delta    float64
	Interval Interval
}

// Comparison is how model A fares against model B on the same sentences.
type Comparison struct {
	Stance, Sentiment, Evidence Difference
	// Gained and Lost count the sentences whose stance A gets right and B
	// wrong, and the other way round.
	StanceGained, StanceLost int
	// The same for sentiment.
	SentimentGained, SentimentLost int
}

// Compare scores models a and b on recs, each sentence classified alone as
// in Evaluate, and returns a's figures minus b's.
func Compare(a, b *model.Model, recs []stance.Record) Comparison {
	pa, pb := predictAll(a, recs), predictAll(b, recs)
	gs, gm := goldLabels(recs)
	var c Comparison
	for i := range recs {
		c.StanceGained += b2i(pa.stance[i] == gs[i] && pb.stance[i] != gs[i])
		c.StanceLost += b2i(pa.stance[i] != gs[i] && pb.stance[i] == gs[i])
		c.SentimentGained += b2i(pa.sentiment[i] == gm[i] && pb.sentiment[i] != gm[i])
		c.SentimentLost += b2i(pa.sentiment[i] != gm[i] && pb.sentiment[i] == gm[i])
	}
	c.Stance = macroF1Difference(len(stance.Stances), gs, pa.stance, pb.stance)
	c.Sentiment = macroF1Difference(len(stance.Sentiments), gm, pa.sentiment, pb.sentiment)
	ea, eb := evidenceScores(recs, pa.evidence), evidenceScores(recs, pb.evidence)
	diff := make([]float64, len(ea))
	for i := range ea {
		diff[i] = ea[i] - eb[i]
	}
	c.Evidence = Difference{Delta: mean(ea) - mean(eb), Interval: meanInterval(diff)}
	return c
}

// macroF1Difference is the macro-F1 of predA minus that of predB against
// gold, with its paired bootstrap interval.
func macroF1Difference(k int, gold, predA, predB []int) Difference {
	ca, cb := make([]int, k*k), make([]int, k*k)
	confusions := func(idx []int) float64 {
		clear(ca)
		clear(cb)
		for _, i := range idx {
			ca[gold[i]*k+predA[i]]++
			cb[gold[i]*k+predB[i]]++
		}
		return macroF1(k, ca) - macroF1(k, cb)
	}
	all := make([]int, len(gold))
	for i := range all {
		all[i] = i
	}
	return Difference{Delta: confusions(all), Interval: bootstrap(len(gold), confusions)}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
