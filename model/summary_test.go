package model_test

import (
	"slices"
	"testing"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/model"
)

// Unnamed holders are all "other", but those whose words name a side
// (مسؤول أمريكي، مصدر روسي) are summed apart, each with its sentences.
func TestSummarizeSumsOtherActorsBySide(t *testing.T) {
	sentence := func(i int, st stance.Stance, actor string, side lexicon.Side) model.Sentence {
		s := model.Sentence{Index: i, Stance: st, Sentiment: stance.Neutral, Holder: &model.Holder{Actor: actor, Side: side}}
		s.StanceProbs[st.Index()] = 1
		return s
	}
	sum := model.Summarize([]model.Sentence{
		sentence(0, stance.Opposing, lexicon.OtherActor, lexicon.SideUS),
		sentence(1, stance.Supporting, lexicon.OtherActor, lexicon.SideRussia),
		sentence(2, stance.Opposing, lexicon.OtherActor, lexicon.SideUS),
		sentence(3, stance.Supporting, "ru.kremlin", lexicon.SideRussia),
		sentence(4, stance.Conditional, lexicon.OtherActor, lexicon.SideOther),
	})
	want := []struct {
		label     string
		overall   stance.Stance
		sentences []int
	}{
		{"other (us)", stance.Opposing, []int{0, 2}},
		{"other (russia)", stance.Supporting, []int{1}},
		{"ru.kremlin", stance.Supporting, []int{3}},
		{"other", stance.Conditional, []int{4}},
	}
	if len(sum.Actors) != len(want) {
		t.Fatalf("%d actor summaries, want %d: %+v", len(sum.Actors), len(want), sum.Actors)
	}
	for i, w := range want {
		a := sum.Actors[i]
		if got := model.ActorLabel(a.Actor, a.Side); got != w.label || a.Overall != w.overall || !slices.Equal(a.Sentences, w.sentences) {
			t.Errorf("actor %d: %s %s %v, want %s %s %v", i, got, a.Overall, a.Sentences, w.label, w.overall, w.sentences)
		}
	}
}

// TestSummarizeArchiveSumsEveryDocument checks an archive's summary: its
// counts are the documents' summed, an actor's overall stance weighs its
// sentences of every document, and each of its sentences comes with its
// document.
func TestSummarizeArchiveSumsEveryDocument(t *testing.T) {
	sentence := func(i int, st stance.Stance, p float64, actor string) model.Sentence {
		s := model.Sentence{Index: i, Stance: st, Sentiment: stance.Negative}
		s.StanceProbs[st.Index()] = p
		if actor != "" {
			s.Holder = &model.Holder{Actor: actor, Side: lexicon.SideUS}
		}
		return s
	}
	docs := [][]model.Sentence{
		{sentence(0, stance.Opposing, 0.6, "us.defense"), sentence(1, stance.None, 0.9, "")},
		{sentence(0, stance.Supporting, 0.9, "us.state"), sentence(1, stance.Supporting, 0.5, "us.defense"), sentence(2, stance.Supporting, 0.5, "us.defense")},
	}
	sum := model.SummarizeArchive(docs)
	for k, st := range stance.Stances {
		want := model.Summarize(docs[0]).StanceCounts[k] + model.Summarize(docs[1]).StanceCounts[k]
		if sum.StanceCounts[k] != want {
			t.Errorf("%s: %d sentences, the documents have %d", st, sum.StanceCounts[k], want)
		}
	}
	if sum.SentimentCounts[stance.Negative.Index()] != 5 || sum.Overall != stance.Supporting {
		t.Errorf("sentiment counts %v, overall %s; want 5 negative and supporting", sum.SentimentCounts, sum.Overall)
	}
	if len(sum.Actors) != 2 {
		t.Fatalf("%d actors, want us.defense and us.state: %+v", len(sum.Actors), sum.Actors)
	}
	// us.defense: opposing 0.6 in the first document against supporting
	// 0.5 + 0.5 in the second.
	def := sum.Actors[0]
	if def.Actor != "us.defense" || def.Overall != stance.Supporting || def.OverallConfidence != 1/1.6 ||
		!slices.Equal(def.Sentences, []int{0, 1, 2}) || !slices.Equal(def.Documents, []int{0, 1, 1}) {
		t.Errorf("us.defense: %+v", def)
	}
	if st := sum.Actors[1]; st.Actor != "us.state" || !slices.Equal(st.Sentences, []int{0}) || !slices.Equal(st.Documents, []int{1}) {
		t.Errorf("us.state: %+v", st)
	}
	if one := model.Summarize(docs[1]); one.Actors[0].Documents != nil {
		t.Errorf("one document's summary names documents: %+v", one.Actors[0])
	}
}
