package corpus

import (
	"fmt"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/lexicon"
)

// The corpus issue's minimums for the original corpus and the challenge set.
const (
	minCorpusSentences   = 2500
	minCorpusDocuments   = 250
	minPerStance         = 450
	minNoneShare         = 0.30
	maxNoneShare         = 0.45
	minPerSentiment      = 400
	minPerPair           = 40
	minHolders           = 80
	minHardCases         = 150
	minChallengeSentence = 300
)

// minimums lists what a role's counts fall short of; empty when all is met.
func minimums(role Role, st *Stats) []string {
	var short []string
	need := func(ok bool, format string, args ...any) {
		if !ok {
			short = append(short, fmt.Sprintf(format, args...))
		}
	}
	switch role {
	case RoleChallenge:
		need(st.Sentences >= minChallengeSentence, "%d challenge sentences, want at least %d", st.Sentences, minChallengeSentence)
	case RoleCorpus:
		need(st.Sentences >= minCorpusSentences, "%d sentences, want at least %d", st.Sentences, minCorpusSentences)
		need(st.Documents >= minCorpusDocuments, "%d documents, want at least %d", st.Documents, minCorpusDocuments)
		for _, s := range []stance.Stance{stance.Supporting, stance.Opposing, stance.Conditional} {
			need(st.Stance[s] >= minPerStance, "%d %s sentences, want at least %d", st.Stance[s], s, minPerStance)
		}
		need(st.NoneShare >= minNoneShare && st.NoneShare <= maxNoneShare, "none share %.3f, want %.2f to %.2f", st.NoneShare, minNoneShare, maxNoneShare)
		for _, m := range stance.Sentiments {
			need(st.Sentiment[m] >= minPerSentiment, "%d %s sentences, want at least %d", st.Sentiment[m], m, minPerSentiment)
		}
		for pair, n := range st.StanceSentiment {
			need(n >= minPerPair, "%d %s sentences, want at least %d", n, pair, minPerPair)
		}
		need(st.Holders >= minHolders, "%d distinct holders, want at least %d", st.Holders, minHolders)
		for _, k := range HardCaseKinds {
			need(st.HardCases[k] >= minHardCases, "%d %s hard cases, want at least %d", st.HardCases[k], k, minHardCases)
		}
		for _, s := range []stance.Stance{stance.Supporting, stance.Opposing, stance.Conditional} {
			for _, side := range []lexicon.Side{lexicon.SideUS, lexicon.SideRussia} {
				need(st.HolderSides[s][side] > 0, "no %s holder with stance %s", side, s)
			}
		}
	}
	return short
}
