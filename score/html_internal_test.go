package score

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/model"
)

// TestHighlightedMarksHolderAndEvidence checks that the holder's words are
// marked wherever they lie against the evidence, that the marks nest, and
// that the text between the tags is the sentence's.
func TestHighlightedMarksHolderAndEvidence(t *testing.T) {
	const text = "قال وزير الدفاع إن التنسيق مع موسكو مرفوض."
	at := func(word string) (int, int) {
		i := strings.Index(text, word)
		if i < 0 {
			t.Fatalf("%q not in the sentence", word)
		}
		return i, i + len(word)
	}
	span := func(word string) model.Span {
		s, e := at(word)
		return model.Span{Start: s, End: e, Text: word, Weight: 1}
	}
	holder := func(word string, fromContext bool) *model.Holder {
		return &model.Holder{Span: span(word), Actor: "us.defense", Side: lexicon.SideUS, Confidence: 0.9, FromContext: fromContext}
	}
	tests := []struct {
		name     string
		evidence []model.Span
		holder   *model.Holder
		want     string // the marked text, holder marks as [..], evidence marks as {..}
	}{
		{"apart", []model.Span{span("التنسيق مع موسكو مرفوض")}, holder("وزير الدفاع", false),
			"قال [وزير الدفاع] إن {التنسيق مع موسكو مرفوض}."},
		{"holder inside evidence", []model.Span{span("وزير الدفاع إن التنسيق")}, holder("وزير الدفاع", false),
			"قال {[وزير الدفاع] إن التنسيق} مع موسكو مرفوض."},
		{"evidence inside holder", []model.Span{span("الدفاع")}, holder("وزير الدفاع", false),
			"قال [وزير ]{[الدفاع]} إن التنسيق مع موسكو مرفوض."},
		{"overlapping", []model.Span{span("الدفاع إن")}, holder("وزير الدفاع", false),
			"قال [وزير ]{[الدفاع] إن} التنسيق مع موسكو مرفوض."},
		{"from context", []model.Span{span("مرفوض")}, holder("وزير الدفاع", true),
			"قال وزير الدفاع إن التنسيق مع موسكو {مرفوض}."},
		{"out of the sentence", nil, &model.Holder{Span: model.Span{Start: len(text) + 4, End: len(text) + 9}},
			text},
		{"no holder", []model.Span{span("مرفوض")}, nil,
			"قال وزير الدفاع إن التنسيق مع موسكو {مرفوض}."},
	}
	tags := regexp.MustCompile(`<mark class="(ev|holder)[^"]*"[^>]*>|</mark>`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := model.Sentence{Span: model.Span{End: len(text), Text: text}, StanceEvidence: tc.evidence, Holder: tc.holder}
			out := highlighted(s)
			// Each closing tag closes the last opened mark.
			var open []string
			got := tags.ReplaceAllStringFunc(out, func(tag string) string {
				if tag == "</mark>" {
					last := open[len(open)-1]
					open = open[:len(open)-1]
					return map[string]string{"ev": "}", "holder": "]"}[last]
				}
				kind := tags.FindStringSubmatch(tag)[1]
				open = append(open, kind)
				return map[string]string{"ev": "{", "holder": "["}[kind]
			})
			if got != tc.want || len(open) != 0 {
				t.Errorf("marked\n%s\nwant\n%s\n(HTML %s)", got, tc.want, out)
			}
		})
	}
}

// TestEveryTableActorHasAnArabicName checks that the report names every
// canonical actor of the actor table in Arabic: a row with a new actor
// must bring its name here too.
func TestEveryTableActorHasAnArabicName(t *testing.T) {
	data, err := os.ReadFile("../lexicon/data/actors.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 2 {
			t.Fatalf("actor row %q has no actor", line)
		}
		if _, ok := actorArabic[cols[1]]; !ok {
			t.Errorf("actor %s (row %q) has no Arabic name in actorArabic", cols[1], line)
		}
	}
}

// TestActorCellNamesInArabicAndKeepsTheID checks a table actor, an
// unnamed holder of a side, and an id the report does not know.
func TestActorCellNamesInArabicAndKeepsTheID(t *testing.T) {
	tests := []struct {
		label    string
		side     lexicon.Side
		wantName string
	}{
		{"us.defense", lexicon.SideUS, "وزارة الدفاع الأمريكية"},
		{"other (russia)", lexicon.SideRussia, "جهات روسية أخرى"},
		{"other", lexicon.SideOther, "جهات أخرى"},
		{"xx.new_body", lexicon.SideOther, "xx.new_body"},
	}
	for _, tc := range tests {
		var b strings.Builder
		actorCell(&b, "td", tc.label, tc.side)
		want := `data-actor="` + tc.label + `" title="` + tc.label + `">` + tc.wantName + `</td>`
		if !strings.Contains(b.String(), want) {
			t.Errorf("actorCell(%q, %q) = %s, want it to hold %s", tc.label, tc.side, b.String(), want)
		}
	}
}
