package holder

import "math"

// ChoiceProbability is the probability of the best-scoring candidate when
// a head's scores are fitted as a choice among a sentence's candidates and
// no holder at all, whose score is 0: the candidate's share of the
// softmax over both. bestZ is the best of the scores zs. Models trained
// since stance-train/9 name a holder by OverlapProbability instead; this
// serves those trained before.
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

// OverlapProbability is the probability that the holder is the one the
// best candidate names, give or take its edges: the softmax share, among a
// sentence's candidates and no holder at all (score 0), of the candidates
// that overlap the best one. The best one's own share (ChoiceProbability)
// splits the mass of one holder among the spans around it (بوريس جونسون،
// نظيره البريطاني بوريس جونسون، جونسون), and the more candidates a
// sentence has, the less any of them gets: spans from unknown words
// (Starts.NewWordSpan) sank below the threshold holders the search had
// found. zs[k] is the score of cands[k], and bestZ that of best, the best.
func OverlapProbability(bestZ float64, zs []float64, cands []Candidate, best Candidate) float64 {
	if math.IsInf(bestZ, -1) {
		return 0
	}
	all, overlapping := math.Exp(-bestZ), 0.0 // all starts with no holder
	for k, z := range zs {
		e := math.Exp(z - bestZ)
		all += e
		if c := cands[k]; c.First <= best.Last && c.Last >= best.First {
			overlapping += e
		}
	}
	return overlapping / all
}
