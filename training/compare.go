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
	// Holder compares the holder heads; nil unless both models have one.
	Holder *HolderComparison
}

// HolderComparison is how model A's holders fare against model B's on the
// sentences with a gold holder. Each model maps the gold span and its own
// to actors through its own actor table, as Evaluate does, so a change to
// the table shows in the actor figures.
type HolderComparison struct {
	Exact, OverlapF1, ActorAccuracy Difference
	// ExactGained and ExactLost count the sentences whose holder span A
	// gets exactly right and B does not, and the other way round; the
	// Actor pair counts the same for the canonical actor.
	ExactGained, ExactLost, ActorGained, ActorLost int
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
	c.Evidence = meanDifference(evidenceScores(recs, pa.evidence), evidenceScores(recs, pb.evidence))
	if a.Proto().GetHolder() != nil && b.Proto().GetHolder() != nil {
		ha, hb := scoreHolders(a, recs), scoreHolders(b, recs)
		hc := &HolderComparison{
			Exact:         meanDifference(ha.exact, hb.exact),
			OverlapF1:     meanDifference(ha.overlap, hb.overlap),
			ActorAccuracy: meanDifference(ha.actor, hb.actor),
		}
		for i := range ha.exact {
			hc.ExactGained += b2i(ha.exact[i] > hb.exact[i])
			hc.ExactLost += b2i(ha.exact[i] < hb.exact[i])
			hc.ActorGained += b2i(ha.actor[i] > hb.actor[i])
			hc.ActorLost += b2i(ha.actor[i] < hb.actor[i])
		}
		c.Holder = hc
	}
	return c
}

// meanDifference is the mean of per-sentence scores a minus that of b, the
// same sentences in the same order, with its paired bootstrap interval.
func meanDifference(a, b []float64) Difference {
	diff := make([]float64, len(a))
	for i := range a {
		diff[i] = a[i] - b[i]
	}
	return Difference{Delta: mean(a) - mean(b), Interval: meanInterval(diff)}
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
