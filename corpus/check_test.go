package corpus_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/corpus"
	"github.com/stance-project/stance/lexicon"
)

func mustLexicon(t *testing.T) *lexicon.Lexicon {
	t.Helper()
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatalf("lexicon.Default: %v", err)
	}
	return lx
}

// spanOf returns the span of the first occurrence of sub in text.
func spanOf(text, sub string) *stance.Span {
	i := strings.Index(text, sub)
	start := utf8.RuneCountInString(text[:i])
	return &stance.Span{Start: start, End: start + utf8.RuneCountInString(sub), Text: sub}
}

func good(id, doc, text string) stance.Record {
	return stance.Record{ID: id, DocID: doc, Text: text, Stance: stance.None, Sentiment: stance.Neutral, Evidence: []stance.Span{}}
}

func TestCheckReportsEachProblem(t *testing.T) {
	lx := mustLexicon(t)
	base := good("d1-s01", "d1", "وصل الوفد الأمريكي إلى موسكو مساء أمس.")
	tests := []struct {
		name string
		recs []stance.Record
		want string
	}{
		{"BadStance", []stance.Record{func() stance.Record { r := base; r.Stance = "pro"; return r }()}, `stance "pro"`},
		{"BadSentiment", []stance.Record{func() stance.Record { r := base; r.Sentiment = ""; return r }()}, "sentiment"},
		{"EmptyText", []stance.Record{func() stance.Record { r := base; r.Text = " "; return r }()}, "empty text"},
		{"SpanTextMismatch", []stance.Record{func() stance.Record {
			r := base
			r.Stance = stance.Supporting
			r.Evidence = []stance.Span{{Start: 0, End: 3, Text: "جاء"}}
			return r
		}()}, "is \"وصل\" in the text"},
		{"SpanPastEnd", []stance.Record{func() stance.Record {
			r := base
			r.Holder = &stance.Span{Start: 30, End: 90, Text: "x"}
			return r
		}()}, "does not fit"},
		{"NoneWithEvidence", []stance.Record{func() stance.Record {
			r := base
			r.Evidence = []stance.Span{{Start: 0, End: 3, Text: "وصل"}}
			return r
		}()}, "none carries evidence"},
		{"StanceWithoutEvidence", []stance.Record{func() stance.Record { r := base; r.Stance = stance.Opposing; return r }()}, "without evidence"},
		{"DuplicateID", []stance.Record{base, func() stance.Record {
			r := good("d1-s01", "d1", "نص آخر مختلف تماما عن الأول هنا.")
			return r
		}()}, "id already used"},
		{"DocumentNotContiguous", []stance.Record{base, good("d2-s01", "d2", "جملة ثانية في وثيقة أخرى تماما."), good("d1-s02", "d1", "ثم عودة إلى الوثيقة الأولى مرة أخرى.")}, "not contiguous"},
		{"OutOfOrder", []stance.Record{good("d1-s02", "d1", "الجملة الثانية جاءت قبل الأولى هنا."), good("d1-s01", "d1", "ثم الجملة الأولى في آخر الوثيقة.")}, "out of order"},
		{"NearDuplicate", []stance.Record{base, good("d1-s02", "d1", "وصل الوفد الأمريكي إلى موسكو مساء أمس الخميس.")}, "near-duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := corpus.Check([]corpus.Set{{Path: "x.jsonl", Role: corpus.RoleOther, Records: tt.recs}}, lx)
			var all []string
			for _, p := range rep.Problems {
				all = append(all, p.String())
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.want) {
				t.Errorf("problems %q do not mention %q", all, tt.want)
			}
		})
	}
}

func TestCheckAcceptsCleanRecords(t *testing.T) {
	recs := []stance.Record{
		good("d1-s01", "d1", "وصل الوفد الأمريكي إلى موسكو مساء أمس."),
		{ID: "d1-s02", DocID: "d1", Text: "وقال كيري إنه يأمل في تعاون أوثق مع روسيا.", Stance: stance.Supporting, Sentiment: stance.Positive,
			Holder:   spanOf("وقال كيري إنه يأمل في تعاون أوثق مع روسيا.", "كيري"),
			Evidence: []stance.Span{*spanOf("وقال كيري إنه يأمل في تعاون أوثق مع روسيا.", "يأمل في تعاون أوثق")}},
	}
	rep := corpus.Check([]corpus.Set{{Path: "x.jsonl", Role: corpus.RoleOther, Records: recs}}, mustLexicon(t))
	if len(rep.Problems) > 0 {
		t.Fatalf("clean records reported: %v", rep.Problems)
	}
	st := rep.Stats[corpus.RoleOther]
	if st.Sentences != 2 || st.Documents != 1 || st.Stance[stance.Supporting] != 1 || st.Holders != 1 {
		t.Errorf("stats = %+v", st)
	}
	if st.HolderSides[stance.Supporting]["us"] != 1 {
		t.Errorf("كيري not counted as a US-side holder: %v", st.HolderSides)
	}
}

func TestHardCasesFindsEachKind(t *testing.T) {
	lx := mustLexicon(t)
	tests := []struct {
		name string
		rec  stance.Record
		want string
	}{
		{"Negated", stance.Record{Text: "لا نعارض التنسيق مع موسكو.", Stance: stance.Supporting}, "negated"},
		{"NoLongerReady", stance.Record{Text: "لم تعد واشنطن مستعدة للعمل مع الروس.", Stance: stance.Opposing}, "negated"},
		{"Until", stance.Record{Text: "لن ننسق مع روسيا ما لم توقف قصف المدنيين.", Stance: stance.Conditional}, "until"},
		{"Concessive", stance.Record{Text: "ورغم الخلافات، رحبت موسكو بالعرض.", Stance: stance.Supporting}, "concessive"},
		{"Question", stance.Record{Text: "كيف نتعاون مع من قصف حلفاءنا؟", Stance: stance.Opposing}, "question"},
		{"Mixed", stance.Record{Text: "رحب لافروف بينما رفض كارتر.", Stance: stance.Opposing, Mixed: true}, "mixed"},
		{"Distractor", stance.Record{Text: "ورفضت أنقرة التعاون مع واشنطن في منبج.", Stance: stance.None}, "distractor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := corpus.HardCases(tt.rec, lx)
			for _, k := range got {
				if k == tt.want {
					return
				}
			}
			t.Errorf("HardCases(%q) = %v, want it to include %s", tt.rec.Text, got, tt.want)
		})
	}
}

func TestReadRejectsUnknownFieldsWithLine(t *testing.T) {
	in := `{"id":"a-s01","doc_id":"a","text":"نص.","stance":"none","sentiment":"neutral","evidence":[]}
{"id":"a-s02","doc_id":"a","text":"نص.","stance":"none","sentiment":"neutral","evidence":[],"label":"x"}
`
	_, err := corpus.Read(strings.NewReader(in), "f.jsonl")
	if err == nil || !strings.Contains(err.Error(), "f.jsonl:2") || !strings.Contains(err.Error(), "label") {
		t.Fatalf("Read error = %v, want it to name f.jsonl:2 and the unknown field", err)
	}
}
