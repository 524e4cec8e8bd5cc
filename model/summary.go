package model

import "github.com/stance-project/stance"

// Summary sums up the sentences of one document.
type Summary struct {
	StanceCounts    [numStance]int    // in stance.Stances order
	SentimentCounts [numSentiment]int // in stance.Sentiments order
	// Overall is the stance with the largest summed probability over the
	// sentences predicted to take a position; stance.None when none does.
	Overall stance.Stance
	// OverallConfidence is Overall's share of that summed probability.
	OverallConfidence float64
}

// Summarize counts labels and finds the confidence-weighted overall stance.
func Summarize(sents []Sentence) Summary {
	var s Summary
	var confidence [numStance]float64
	for _, x := range sents {
		k := x.Stance.Index()
		s.StanceCounts[k]++
		s.SentimentCounts[x.Sentiment.Index()]++
		if x.Stance != stance.None {
			confidence[k] += x.StanceProbs[k]
		}
	}
	s.Overall = stance.None
	total, best := 0.0, -1
	for k, c := range confidence {
		total += c
		if c > 0 && (best < 0 || c > confidence[best]) {
			best = k
		}
	}
	if best >= 0 {
		s.Overall = stance.Stances[best]
		s.OverallConfidence = confidence[best] / total
	}
	return s
}
