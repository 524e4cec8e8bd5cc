package model_test

import (
	"os"
	"testing"

	"google.golang.org/protobuf/proto"

	modelv1 "github.com/stance-project/stance/api/stance/model/v1"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/model"
)

// FuzzClassify feeds arbitrary text through segmentation, both heads,
// evidence and holders (also HolderOf, the text as one sentence): no
// panic, spans in bounds and exact, probabilities summing to 1.
func FuzzClassify(f *testing.F) {
	m := mustDefault(f)
	f.Add(article)
	f.Add("«لن ننسق». ما لم؟! 3.5 د. أ")
	f.Add("\xff\xfe\u200f\u0640\u064b")
	f.Add("وقال والبنتاغون «إن» و\xffموسكو ترفض التنسيق. وأضاف: فاليري")
	f.Fuzz(func(t *testing.T, text string) {
		checkResult(t, text, m.Classify(text, model.Options{MaxEvidence: 5}))
		// The holder of the text as one sentence, whatever its stance.
		if h := m.HolderOf(text); h != nil && (h.Start < 0 || h.End > len(text) || h.Start > h.End || text[h.Start:h.End] != h.Text) {
			t.Fatalf("HolderOf(%q) = %+v: span out of the text", text, h)
		}
	})
}

// FuzzLoad feeds corrupt model files to the loader: errors, never panics.
func FuzzLoad(f *testing.F) {
	good, err := os.ReadFile("default.model")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good[:200])
	f.Add([]byte{0x0a, 0x0c, 's', 't', 'a', 'n', 'c', 'e'})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := model.Load(data); err == nil {
			m.Classify("وقال كيري إنه يأمل في تعاون أوثق مع روسيا.", model.Options{})
		}
	})
}

// FuzzNew builds models from arbitrary, well-formed but inconsistent
// payloads: New must reject them with an error or give a working model.
func FuzzNew(f *testing.F) {
	files, err := lexicon.Files()
	if err != nil {
		f.Fatal(err)
	}
	small := &modelv1.Model{
		Features:   &modelv1.FeatureConfig{Words: true, Stems: true, CharMin: 3, CharMax: 4, NegationScope: 3, Lexicon: true, Target: true},
		Vocabulary: []string{"q|bias", "w|تنسيق"},
		Stance:     &modelv1.Head{Labels: []string{"supporting", "opposing", "conditional", "none"}, Weights: make([]float32, 8), Bias: make([]float32, 4), Temperature: 1},
		Sentiment:  &modelv1.Head{Labels: []string{"positive", "negative", "neutral"}, Weights: make([]float32, 6), Bias: make([]float32, 3), Temperature: 1},
		Lexicon:    files,
		KnownWords: []string{"تنسيق"},
	}
	seed, err := proto.Marshal(small)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		var p modelv1.Model
		if proto.Unmarshal(data, &p) != nil {
			return
		}
		if m, err := model.New(&p); err == nil {
			checkResult(t, article, m.Classify(article, model.Options{}))
		}
	})
}
