package model_test

import (
	"testing"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/model"
)

func TestHolders(t *testing.T) {
	m := mustDefault(t)
	text := "وقال المتحدث باسم البنتاغون بيتر كوك إن الولايات المتحدة لن تتعاون مع روسيا في سوريا. وأضاف أن واشنطن ترفض أي تبادل للمعلومات مع الجيش الروسي."
	got := m.Classify(text, model.Options{})
	checkResult(t, text, got)
	if len(got) != 2 {
		t.Fatalf("%d sentences, want 2", len(got))
	}
	first := got[0].Holder
	if got[0].Stance == stance.None || first == nil {
		t.Fatalf("first sentence: stance %s, holder %v", got[0].Stance, first)
	}
	if text[first.Start:first.End] != first.Text || first.Side != lexicon.SideUS || first.Confidence <= 0 {
		t.Errorf("holder %+v", first)
	}
	for _, s := range m.Classify(text, model.Options{NoHolders: true}) {
		if s.Holder != nil {
			t.Fatal("holders returned with Options.NoHolders")
		}
	}
	// A sentence that continues the speech without naming the speaker gets
	// the earlier holder, flagged.
	cont := "وقال المتحدث باسم البنتاغون بيتر كوك إن واشنطن لن تتعاون مع روسيا. وتابع: «لا يمكننا تبادل المعلومات مع الروس»."
	out := m.Classify(cont, model.Options{})
	if len(out) == 2 && out[1].Stance != stance.None && out[0].Holder != nil {
		h := out[1].Holder
		if h == nil || !h.FromContext || h.Text != out[0].Holder.Text {
			t.Errorf("continuation holder %+v, want %q from context", h, out[0].Holder.Text)
		}
	}
}
