package model

import (
	"github.com/stance-project/stance"
	"github.com/stance-project/stance/lexicon"
)

// Summary sums up the sentences of one document, or of an archive
// (SummarizeArchive).
type Summary struct {
	StanceCounts    [numStance]int    // in stance.Stances order
	SentimentCounts [numSentiment]int // in stance.Sentiments order
	// Overall is the stance with the largest summed probability over the
	// sentences predicted to take a position; stance.None when none does.
	Overall stance.Stance
	// OverallConfidence is Overall's share of that summed probability.
	OverallConfidence float64
	// Actors sums up, per canonical actor (and, for lexicon.OtherActor,
	// per side: ActorLabel), the sentences whose stance it holds, in order
	// of first appearance; empty unless holders were found.
	Actors []ActorSummary
}

// ActorSummary is one actor's stances in a document or an archive.
type ActorSummary struct {
	Actor             string
	Side              lexicon.Side
	StanceCounts      [numStance]int
	Overall           stance.Stance // confidence-weighted, as for the document
	OverallConfidence float64
	Sentences         []int // indices of the sentences, as evidence
	// Documents are the documents of Sentences, by their index among those
	// SummarizeArchive was given (Sentences[i] is a sentence of
	// Documents[i]); nil in one document's Summary.
	Documents []int
}

// Summarize counts labels and finds the confidence-weighted overall stance,
// for the document and for each stance holder's actor.
func Summarize(sents []Sentence) Summary {
	var a summing
	a.add(-1, sents)
	return a.summary()
}

// SummarizeArchive is Summarize over the sentences of many documents at
// once: an archive's counts, its overall stance, and each actor's across
// every document, with the document of each of its sentences.
func SummarizeArchive(docs [][]Sentence) Summary {
	var a summing
	for d, sents := range docs {
		a.add(d, sents)
	}
	return a.summary()
}

// summing is a Summary being summed, sentence by sentence.
type summing struct {
	s          Summary
	confidence [numStance]float64
	// Each actor's place in s.Actors, by ActorLabel, and its summed
	// confidence at the same place.
	place     map[string]int
	actorConf [][numStance]float64
}

// add sums the sentences of document doc (-1 for a Summary of one
// document, whose actors name no documents).
func (a *summing) add(doc int, sents []Sentence) {
	s := &a.s
	for _, x := range sents {
		k := x.Stance.Index()
		s.StanceCounts[k]++
		s.SentimentCounts[x.Sentiment.Index()]++
		if x.Stance == stance.None {
			continue
		}
		a.confidence[k] += x.StanceProbs[k]
		if x.Holder == nil {
			continue
		}
		// Holders of no row of the actor table are "other" with the side
		// their words name: unnamed US officials and unnamed Russian ones
		// are summed apart.
		key := ActorLabel(x.Holder.Actor, x.Holder.Side)
		i, ok := a.place[key]
		if !ok {
			if a.place == nil {
				a.place = map[string]int{}
			}
			i = len(s.Actors)
			a.place[key] = i
			s.Actors = append(s.Actors, ActorSummary{Actor: x.Holder.Actor, Side: x.Holder.Side})
			a.actorConf = append(a.actorConf, [numStance]float64{})
		}
		a.actorConf[i][k] += x.StanceProbs[k]
		as := &s.Actors[i]
		as.StanceCounts[k]++
		as.Sentences = append(as.Sentences, x.Index)
		if doc >= 0 {
			as.Documents = append(as.Documents, doc)
		}
	}
}

// summary finds the overall stances of the sums.
func (a *summing) summary() Summary {
	s := a.s
	s.Overall, s.OverallConfidence = overall(a.confidence)
	for i := range s.Actors {
		as := &s.Actors[i]
		as.Overall, as.OverallConfidence = overall(a.actorConf[i])
	}
	return s
}

// ActorLabel names an actor in summaries: its canonical name, and for
// lexicon.OtherActor its side too when its words name one, "other (us)":
// the one actor whose holders may stand on different sides.
func ActorLabel(actor string, side lexicon.Side) string {
	if actor == lexicon.OtherActor && side != lexicon.SideOther && side != "" {
		return actor + " (" + string(side) + ")"
	}
	return actor
}

// overall picks the stance with the largest summed probability, and its share.
func overall(confidence [numStance]float64) (stance.Stance, float64) {
	total, best := 0.0, -1
	for k, c := range confidence {
		total += c
		if c > 0 && (best < 0 || c > confidence[best]) {
			best = k
		}
	}
	if best < 0 {
		return stance.None, 0
	}
	return stance.Stances[best], confidence[best] / total
}
