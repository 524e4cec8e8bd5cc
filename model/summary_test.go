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
