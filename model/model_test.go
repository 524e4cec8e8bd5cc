package model_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/stance-project/stance"
	modelv1 "github.com/stance-project/stance/api/stance/model/v1"
	"github.com/stance-project/stance/arabic"
	"github.com/stance-project/stance/model"
)

const article = `«البنتاغون» يرفض.. وموسكو تعرض
وجدد مسؤول في البنتاغون رفض بلاده أي تبادل للمعلومات الاستخباراتية مع الجيش الروسي. ولا تعارض الإدارة الأمريكية إنشاء مركز مشترك لتبادل المعلومات مع الروس.
وقال السيناتور إن واشنطن قد تقبل العمل مع موسكو إذا أوقفت غاراتها على الأحياء السكنية.
وأسفرت الغارات عن مقتل عشرين مدنيا في ريف إدلب.`

// checkResult asserts the invariants every result keeps, whatever the text.
func checkResult(t *testing.T, text string, sents []model.Sentence) {
	t.Helper()
	runes := []rune(text)
	checkSpan := func(what string, s model.Span) {
		if s.Start < 0 || s.End > len(text) || s.Start > s.End {
			t.Fatalf("%s: byte span [%d,%d) outside a %d-byte text", what, s.Start, s.End, len(text))
		}
		if text[s.Start:s.End] != s.Text {
			t.Fatalf("%s: text %q is not the byte slice %q", what, s.Text, text[s.Start:s.End])
		}
		if s.RuneEnd > len(runes) || (utf8.ValidString(text) && string(runes[s.RuneStart:s.RuneEnd]) != s.Text) {
			t.Fatalf("%s: code-point span [%d,%d) does not give %q", what, s.RuneStart, s.RuneEnd, s.Text)
		}
	}
	for i, s := range sents {
		if s.Index != i {
			t.Fatalf("sentence %d has index %d", i, s.Index)
		}
		checkSpan("sentence", s.Span)
		for _, probs := range [][]float64{s.StanceProbs[:], s.SentimentProbs[:]} {
			sum := 0.0
			for _, p := range probs {
				if p < 0 || p > 1 || math.IsNaN(p) {
					t.Fatalf("probability %v out of range", p)
				}
				sum += p
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("probabilities %v sum to %v", probs, sum)
			}
		}
		if s.Stance == stance.None && len(s.StanceEvidence) > 0 {
			t.Fatalf("none prediction with stance evidence %v", s.StanceEvidence)
		}
		for _, e := range append(append([]model.Span{}, s.StanceEvidence...), s.SentimentEvidence...) {
			checkSpan("evidence", e)
			if e.Start < s.Start || e.End > s.End {
				t.Fatalf("evidence %q lies outside its sentence", e.Text)
			}
			if e.Weight <= 0 {
				t.Fatalf("evidence %q has weight %v", e.Text, e.Weight)
			}
		}
		if h := s.Holder; h != nil {
			checkSpan("holder", h.Span)
			if s.Stance == stance.None {
				t.Fatalf("none prediction with holder %q", h.Text)
			}
			if !h.FromContext && (h.Start < s.Start || h.End > s.End) {
				t.Fatalf("holder %q lies outside its sentence", h.Text)
			}
			if h.Confidence < 0 || h.Confidence > 1 || math.IsNaN(h.Confidence) {
				t.Fatalf("holder %q has confidence %v", h.Text, h.Confidence)
			}
		}
	}
}

func TestClassifyArticle(t *testing.T) {
	m := mustDefault(t)
	got := m.Classify(article, model.Options{})
	checkResult(t, article, got)
	if len(got) != 6 {
		t.Fatalf("got %d sentences, want 6: %+v", len(got), got)
	}
	if got[5].Stance != stance.None {
		t.Errorf("casualty report: stance %s, want none", got[5].Stance)
	}
	if got[2].Stance != stance.Opposing {
		t.Errorf("refusal: stance %s, want opposing", got[2].Stance)
	}
}

func TestClassifyOptions(t *testing.T) {
	m := mustDefault(t)
	for _, s := range m.Classify(article, model.Options{NoEvidence: true}) {
		if len(s.StanceEvidence)+len(s.SentimentEvidence) > 0 {
			t.Fatalf("NoEvidence returned evidence %v", s.StanceEvidence)
		}
	}
	for _, s := range m.Classify(article, model.Options{MaxEvidence: 1}) {
		if len(s.StanceEvidence) > 1 || len(s.SentimentEvidence) > 1 {
			t.Fatalf("MaxEvidence 1 returned %d and %d spans", len(s.StanceEvidence), len(s.SentimentEvidence))
		}
	}
}

func TestClassifyIsDeterministicAndConcurrent(t *testing.T) {
	m := mustDefault(t)
	want := m.Classify(article, model.Options{})
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				got := m.Classify(article, model.Options{})
				for i := range got {
					if got[i].Stance != want[i].Stance || got[i].StanceProbs != want[i].StanceProbs ||
						len(got[i].StanceEvidence) != len(want[i].StanceEvidence) {
						errs <- "concurrent call differs from the first"
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func TestClassifyOddInput(t *testing.T) {
	m := mustDefault(t)
	for _, text := range []string{"", " \n ", "...", "؟؟؟", "\u200f\u202e", strings.Repeat("تنسيق ", 5000), "abc \xff\xfe def.", "NATO و«داعش» 2016م."} {
		checkResult(t, text, m.Classify(text, model.Options{}))
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	good, err := os.ReadFile("default.model")
	if err != nil {
		t.Fatal(err)
	}
	var f modelv1.ModelFile
	if err := proto.Unmarshal(good, &f); err != nil {
		t.Fatal(err)
	}
	reencode := func(mod func(*modelv1.ModelFile)) []byte {
		c := proto.Clone(&f).(*modelv1.ModelFile)
		mod(c)
		b, _ := proto.Marshal(c)
		return b
	}
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 0xff
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"Empty", nil, "empty"},
		{"Truncated", good[:len(good)/3], "truncated"},
		{"Corrupted", flipped, ""},
		{"NotAModel", []byte("this is a text file, not a model\n"), ""},
		{"WrongMagic", reencode(func(f *modelv1.ModelFile) { f.Magic = "other" }), "magic"},
		{"NewerVersion", reencode(func(f *modelv1.ModelFile) { f.FormatVersion = 99 }), "version 99"},
		{"BadChecksum", reencode(func(f *modelv1.ModelFile) { f.PayloadSha256[0] ^= 1 }), "checksum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := model.Load(tt.data)
			if !errors.Is(err, model.ErrInvalidModel) {
				t.Fatalf("Load: err = %v, want ErrInvalidModel", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load: err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

// The tagger keeps evidence to the clause that argues the stance: a
// refusal's evidence does not run on into an unrelated clause after it.
func TestEvidenceStaysWithTheCue(t *testing.T) {
	m := mustDefault(t)
	if m.Proto().GetEvidence().GetTagger() == nil {
		t.Fatal("the default model has no evidence tagger")
	}
	text := "وقال مسؤول في البنتاغون إن الوزير يرفض أي تنسيق عسكري مع موسكو، فيما افتتح الرئيس معرضا للكتاب في العاصمة وسط حضور كبير."
	got := m.ClassifySentence(text, model.Options{})
	checkResult(t, text, []model.Sentence{got})
	if got.Stance != stance.Opposing || len(got.StanceEvidence) == 0 {
		t.Fatalf("stance %s with evidence %v, want opposing with evidence", got.Stance, got.StanceEvidence)
	}
	ev := got.StanceEvidence[0].Text
	if !strings.Contains(ev, "يرفض") || strings.Contains(ev, "معرضا") {
		t.Errorf("evidence %q, want the refusal without the book fair", ev)
	}
	// Without the tagger the same model still gives valid evidence.
	plain, err := m.WithEvidence(model.EvidenceSettings{MaxGap: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, text, []model.Sentence{plain.ClassifySentence(text, model.Options{})})
}

// TestStanceHeadIgnoresTone checks that the default model's stance head
// gives the sentiment lists' cue features no weight, so a word of tone
// moves a sentence's sentiment and never its stance on its own account.
func TestStanceHeadIgnoresTone(t *testing.T) {
	p := mustDefault(t).Proto()
	k := len(p.GetStance().GetLabels())
	w := p.GetStance().GetWeights()
	tone := 0
	for f, name := range p.GetVocabulary() {
		if !strings.HasPrefix(name, "l|positive") && !strings.HasPrefix(name, "l|negative") {
			continue
		}
		tone++
		for c, v := range w[f*k : f*k+k] {
			if v != 0 {
				t.Errorf("stance weight of %s for %s is %g, want 0", name, p.GetStance().GetLabels()[c], v)
			}
		}
	}
	if tone == 0 {
		t.Fatal("the default model has no l|positive or l|negative features to check")
	}
}

func TestNewRejectsInconsistentModel(t *testing.T) {
	m := mustDefault(t)
	tests := []struct {
		name string
		mod  func(*modelv1.Model)
		want string
	}{
		{"ShortWeights", func(p *modelv1.Model) { p.Stance.Weights = p.Stance.Weights[:10] }, "weights"},
		{"OtherLabels", func(p *modelv1.Model) { p.Sentiment.Labels = []string{"a", "b", "c"} }, "labels"},
		{"ZeroTemperature", func(p *modelv1.Model) { p.Stance.Temperature = 0 }, "temperature"},
		{"NaNWeight", func(p *modelv1.Model) { p.Sentiment.Weights[3] = float32(math.NaN()) }, "finite"},
		{"DuplicateFeature", func(p *modelv1.Model) { p.Vocabulary[1] = p.Vocabulary[0] }, "repeats"},
		{"NoLexicon", func(p *modelv1.Model) { p.Lexicon = nil }, "lexicon"},
		{"ListOfANewerBuild", func(p *modelv1.Model) { p.Lexicon["third_party.txt"] = []byte("تركيا\n") }, "third_party.txt"},
		{"TaggerThreshold", func(p *modelv1.Model) { p.Evidence.Tagger.Threshold = 1 }, "threshold"},
		{"TaggerShortWeights", func(p *modelv1.Model) { p.Evidence.Tagger.Weights = p.Evidence.Tagger.Weights[:3] }, "evidence tagger"},
		{"TaggerInfiniteBias", func(p *modelv1.Model) { p.Evidence.Tagger.Bias = float32(math.Inf(1)) }, "finite"},
		{"StemsMissing", func(p *modelv1.Model) { p.KnownStems = p.KnownStems[:len(p.KnownStems)-1] }, "stems"},
		{"HolderSpansFromUnknownWordsTooLong", func(p *modelv1.Model) { p.Holder.NewWordSpan = 7 }, "unknown word"},
		{"HolderOverlapWithoutChoice", func(p *modelv1.Model) { p.Holder.CandidateChoice = false }, "not fitted as a choice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := proto.Clone(m.Proto()).(*modelv1.Model)
			tt.mod(p)
			_, err := model.New(p)
			if !errors.Is(err, model.ErrInvalidModel) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New: err = %v, want ErrInvalidModel mentioning %q", err, tt.want)
			}
		})
	}
}

// The stems a model file stores must be the ones this build's stemmer
// gives: unknown words are stemmed at run time, and a known word stored with
// another stem would not meet its unknown inflections' features.
func TestStoredStemsMatchTheStemmer(t *testing.T) {
	p := mustDefault(t).Proto()
	if len(p.KnownStems) != len(p.KnownWords) || len(p.KnownWords) == 0 {
		t.Fatalf("%d stems for %d known words", len(p.KnownStems), len(p.KnownWords))
	}
	for i, w := range p.KnownWords {
		if got, want := p.KnownStems[i], arabic.Stem(w); got != want {
			t.Fatalf("known word %q: stored stem %q, the stemmer gives %q: retrain the model (make model)", w, got, want)
		}
	}
}

// A model written before stems were stored still loads, and classifies
// as the same model with them.
func TestModelWithoutStemsLoads(t *testing.T) {
	m := mustDefault(t)
	p := proto.Clone(m.Proto()).(*modelv1.Model)
	p.KnownStems = nil
	old, err := model.New(p)
	if err != nil {
		t.Fatal(err)
	}
	text := "وقال المتحدث إن واشنطن لن تنسق مع موسكو ما لم توقف غاراتها."
	if a, b := m.Classify(text, model.Options{}), old.Classify(text, model.Options{}); !reflect.DeepEqual(a, b) {
		t.Fatalf("with stems %+v\nwithout %+v", a, b)
	}
}

func TestWriteFileIsAtomic(t *testing.T) {
	m := mustDefault(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "m.model")
	if err := model.WriteFile(path, m.Proto()); err != nil {
		t.Fatal(err)
	}
	if _, err := model.LoadFile(path); err != nil {
		t.Fatalf("written model does not load: %v", err)
	}
	before, _ := os.ReadFile(path)
	// A write that cannot complete leaves the previous file intact.
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if os.Geteuid() != 0 { // root ignores directory permissions
		if err := model.WriteFile(path, m.Proto()); err == nil {
			t.Fatal("WriteFile into a read-only folder succeeded")
		}
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("the previous model file changed")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

// TestLoadRefusesFieldsOfANewerBuild: a model whose scoring settings carry a
// field this build has no name for was trained by a newer build and would
// score differently here; one with an unknown field in its training record
// only loads.
func TestLoadRefusesFieldsOfANewerBuild(t *testing.T) {
	unknown := protowire.AppendVarint(protowire.AppendTag(nil, 999, protowire.VarintType), 1)
	tests := []struct {
		name string
		mod  func(*modelv1.Model)
		want string // "" for a model that loads
	}{
		{"FeatureConfig", func(p *modelv1.Model) { p.Features.ProtoReflect().SetUnknown(unknown) }, "Model.features"},
		{"Model", func(p *modelv1.Model) { p.ProtoReflect().SetUnknown(unknown) }, "Model holds"},
		{"EvidenceTagger", func(p *modelv1.Model) { p.Evidence.Tagger.ProtoReflect().SetUnknown(unknown) }, "Model.evidence.tagger"},
		{"TrainingInfo", func(p *modelv1.Model) { p.Training.ProtoReflect().SetUnknown(unknown) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := proto.Clone(mustDefault(t).Proto()).(*modelv1.Model)
			tt.mod(p)
			data, err := model.Encode(p)
			if err != nil {
				t.Fatal(err)
			}
			_, err = model.Load(data)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Load: %v, want the model to load", err)
			case tt.want != "" && (!errors.Is(err, model.ErrInvalidModel) || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Load: err = %v, want ErrInvalidModel naming %q", err, tt.want)
			}
		})
	}
}
