package holder

import "math"

// ChoiceProbability is the probability of the best-scoring candidate when
// a head's scores are fitted as a choice among a sentence's candidates and
// no holder at all, whose score is 0: the candidate's share of the
// softmax over both. bestZ is the best of the scores zs.
func ChoiceProbability(bestZ float64, zs []float64) float64 {
	if math.IsInf(bestZ, -1) {
		return 0
	}
	sum := math.Exp(-bestZ) // no holder
	for _, z := range zs {
		sum += math.Exp(z - bestZ)
	}
	return 1 / sum
}
