package features_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/features"
	"github.com/stance-project/stance/lexicon"
)

func extractor(t testing.TB) *features.Extractor {
	t.Helper()
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatal(err)
	}
	return features.New(features.DefaultConfig, lx)
}

// keys extracts text and returns the emitted keys with the words each is
// attributed to ("" for the sentence as a whole).
func keys(t testing.TB, e *features.Extractor, text string) map[string]string {
	var sc features.Scratch
	out := map[string]string{}
	e.Extract(text, &sc, func(key []byte, tok0, tok1 int) {
		where := ""
		if tok0 != features.SentenceLevel {
			var words []string
			for _, tok := range sc.Tokens[tok0 : tok1+1] {
				words = append(words, text[tok.Start:tok.End])
			}
			where = strings.Join(words, " ")
		}
		out[string(key)] = where
	})
	return out
}

func TestExtractMarksCuesNegationAndTarget(t *testing.T) {
	e := extractor(t)
	tests := []struct {
		name, text string
		want       []string // keys that must be emitted
		wantNot    []string // keys that must not be
	}{
		{"NegatedRefusal", "ولا تعارض واشنطن التنسيق العسكري مع موسكو.",
			[]string{"l|opposition~neg", "t|sentence:both+coord", "q|bias"}, nil},
		{"PlainRefusal", "ترفض واشنطن التنسيق العسكري مع موسكو.",
			[]string{"l|opposition", "t|clause:both+coord"}, []string{"l|opposition~neg"}},
		{"NegationStopsAtTheClause", "لم يعلق المتحدث، ورفض البنتاغون التنسيق مع روسيا.",
			[]string{"l|opposition"}, []string{"l|opposition~neg"}},
		{"NoTarget", "وأسفرت الغارات عن مقتل عشرين مدنيا في ريف إدلب.",
			nil, []string{"t|sentence:both+coord", "t|clause:both+coord"}},
		{"Question", "هل تقبل موسكو التنسيق مع واشنطن؟", []string{"q|question"}, []string{"q|no-final-stop"}},
		{"CueGovernsJointAction", "ترفض واشنطن التنسيق العسكري مع موسكو.",
			[]string{"k|opposition+joint-after", "t|joint"}, []string{"k|opposition+joint-before"}},
		{"NegatedCueGovernsJointAction", "ولا تعارض واشنطن التنسيق العسكري مع موسكو.",
			[]string{"k|opposition+joint-after~neg"}, []string{"k|opposition+joint-after"}},
		{"JointActionBeforeItsPredicate", "والتعاون مع موسكو مرفوض تماما.",
			[]string{"k|opposition+joint-before"}, []string{"k|opposition+joint-after"}},
		// The hope is about the visit, the coordination words are the
		// clause's topic far from it: no cue governs joint action.
		{"CueFarFromJointAction", "ويأمل الوزير أن تنجح زيارته المقبلة إلى العاصمة الروسية في تحريك الملف بعد أشهر من الجمود الذي أصاب التنسيق العسكري.",
			[]string{"l|support", "t|joint"}, []string{"k|support+joint-after", "k|support+joint-before"}},
		{"MilitaryWordsAreNoJointAction", "وأعلنت وزارة الدفاع الروسية استعدادها لتكثيف الضربات الجوية على مواقع التنظيم.",
			[]string{"t|coord"}, []string{"t|joint", "k|support+joint-after"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := keys(t, e, tt.text)
			for _, k := range tt.want {
				if _, ok := got[k]; !ok {
					t.Errorf("no %s among %v", k, slices.Sorted(mapKeys(got)))
				}
			}
			for _, k := range tt.wantNot {
				if _, ok := got[k]; ok {
					t.Errorf("unexpected %s", k)
				}
			}
		})
	}
}

// A question's feature belongs to the words of the question, the clause
// that ends in the (last) question mark: a rhetorical question is argued by
// them, and evidence drawn from the feature shows what it rejects.
func TestQuestionIsAttributedToItsClause(t *testing.T) {
	e := extractor(t)
	tests := []struct{ name, text, want string }{
		{"WholeSentence", "هل تقبل موسكو التنسيق مع واشنطن؟", "هل تقبل موسكو التنسيق مع واشنطن"},
		{"QuotedAfterTheSpeaker", "وتساءل الوزير: «كيف نتقاسم الأهداف مع جيش يقصف المستشفيات؟»", "كيف نتقاسم الأهداف مع جيش يقصف المستشفيات"},
		{"LastOfTwo", "هل نثق بهم؟ وهل ننسق معهم في الرقة؟", "وهل ننسق معهم في الرقة"},
		{"BeforeAnAnswer", "لماذا نرفض؟ لأننا لا نثق بموسكو", "لماذا نرفض"},
		{"NoWordBefore", "؟ لا تعليق", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := keys(t, e, tt.text)["q|question"]
			if !ok {
				t.Fatal("no q|question")
			}
			if got != tt.want {
				t.Errorf("q|question attributed to %q, want %q", got, tt.want)
			}
		})
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// FuzzExtract feeds arbitrary text to the extractor: no panic, every key
// non-empty, every feature attributed to words that exist, in order.
func FuzzExtract(f *testing.F) {
	f.Add("ولا تعارض واشنطن التنسيق العسكري مع موسكو، ما لم تتوقف الغارات؟")
	f.Add("\xff\xfe «»… ؟!،؛ -- ...")
	f.Add("The Pentagon رفض أي تنسيق with Moscow.")
	e := extractor(f)
	f.Fuzz(func(t *testing.T, text string) {
		var sc features.Scratch
		e.Extract(text, &sc, func(key []byte, tok0, tok1 int) {
			if len(key) == 0 {
				t.Fatal("empty key")
			}
			if tok0 == features.SentenceLevel {
				if tok1 != features.SentenceLevel {
					t.Fatalf("key %q: sentence-level start with word end %d", key, tok1)
				}
				return
			}
			if tok0 < 0 || tok1 < tok0 || tok1 >= len(sc.Tokens) {
				t.Fatalf("key %q attributed to words [%d,%d] of %d", key, tok0, tok1, len(sc.Tokens))
			}
		})
		if n := len(sc.Tokens); len(sc.Masks()) != n || len(sc.Clauses()) != n || len(sc.Words()) != n {
			t.Fatalf("per-word slices disagree with %d tokens", n)
		}
	})
}
