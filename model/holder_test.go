package model_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/stance-project/stance"
	modelv1 "github.com/stance-project/stance/api/stance/model/v1"
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

// A name the corpus never met, with no title the corpus starts holders
// with, is found by the spans that start at unknown words; a model file
// without them (HolderHead.new_word_span 0, as before stance-train/9) finds
// no holder there, or a span that starts at a title it knows.
func TestSpansFromUnknownWordsNameHoldersTheCorpusNeverMet(t *testing.T) {
	m := mustDefault(t)
	if m.Proto().GetHolder().GetNewWordSpan() == 0 {
		t.Fatal("the default model starts no spans at unknown words")
	}
	p := proto.Clone(m.Proto()).(*modelv1.Model)
	p.Holder.NewWordSpan, p.Holder.OverlapConfidence = 0, false
	older, err := model.New(p)
	if err != nil {
		t.Fatal(err)
	}
	const name = "أوتينو كيبيت" // invented: no corpus sentence names him
	for _, text := range []string{
		"وقال أوتينو كيبيت إن بلاده ترفض أي تعاون عسكري بين واشنطن وموسكو.",
		"ورأى النائب أوتينو كيبيت أن التنسيق العسكري مع روسيا ضروري لهزيمة داعش.",
	} {
		if h := m.HolderOf(text); h == nil || h.Text != name {
			t.Errorf("%q: holder %+v, want %q", text, h, name)
		}
		if h := older.HolderOf(text); h != nil && h.Text == name {
			t.Errorf("%q: without spans from unknown words the holder is %q, which no other rule starts", text, h.Text)
		}
	}
}
