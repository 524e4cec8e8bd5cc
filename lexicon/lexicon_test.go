package lexicon_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/arabic"
	"github.com/stance-project/stance/lexicon"
)

func mustDefault(t *testing.T) *lexicon.Lexicon {
	t.Helper()
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatalf("the embedded lexicon does not parse: %v", err)
	}
	return lx
}

func TestWordClasses(t *testing.T) {
	lx := mustDefault(t)
	tests := []struct {
		word string
		want lexicon.Class
	}{
		{"لا", lexicon.Negation},
		{"ولا", lexicon.Negation}, // three letters: the conjunction is not stripped, the form is listed
		{"ولن", lexicon.Negation},
		{"فلم", lexicon.Negation},
		{"وليس", lexicon.Negation}, // four letters: stripped to ليس
		{"ترفض", lexicon.Opposition},
		{"والتنسيق", lexicon.Coordination},
		{"والتنسيق", lexicon.Joint},
		{"المشتركة", lexicon.Joint},
		{"واشنطن", lexicon.USSide},
		{"موسكو", lexicon.RussiaSide},
	}
	for _, tt := range tests {
		if m := lx.WordMask(arabic.Normalize(tt.word)); !m.Has(tt.want) {
			t.Errorf("%s: classes %b, want %s", tt.word, m, tt.want)
		}
	}
	if m := lx.WordMask(arabic.Normalize("وزن")); m.Has(lexicon.Negation) {
		t.Errorf("وزن is not a negation")
	}
	// Strikes are the target's words, not joint action themselves.
	if m := lx.WordMask(arabic.Normalize("الضربات")); m.Has(lexicon.Joint) || !m.Has(lexicon.Coordination) {
		t.Errorf("الضربات: classes %b, want coordination and not joint", m)
	}
}

func TestPhrasesMarkEveryWord(t *testing.T) {
	lx := mustDefault(t)
	words := strings.Fields(arabic.Normalize("وقال إنه لم يعد مستعدا"))
	masks := make([]lexicon.Mask, len(words))
	lx.Classify(words, masks)
	if !masks[2].Has(lexicon.Negation) || !masks[3].Has(lexicon.Negation) {
		t.Errorf("لم يعد: masks %b", masks)
	}
}

// Named officials map to their institution at the time, through the
// reviewed actor table.
func TestActorsMapOfficialsToInstitutions(t *testing.T) {
	lx := mustDefault(t)
	tests := []struct {
		text, id string
		side     lexicon.Side
	}{
		{"جون كيري", "us.state", lexicon.SideUS},
		{"وزير الدفاع الأمريكي أشتون كارتر", "us.defense", lexicon.SideUS},
		{"سيرغي لافروف", "ru.foreign_ministry", lexicon.SideRussia},
		{"البنتاغون", "us.defense", lexicon.SideUS},
		{"الكرملين", "ru.kremlin", lexicon.SideRussia},
		// A senate is the US Senate unless the text says it is Russia's.
		{"السيناتور الجمهوري جون ماكين", "us.congress", lexicon.SideUS},
		{"عضو مجلس الشيوخ الأمريكي", "us.congress", lexicon.SideUS},
		{"السيناتور الروسي أليكسي بوشكوف", "ru.parliament", lexicon.SideRussia},
		{"عضو مجلس الشيوخ الروسي فيكتور أوزيروف", "ru.parliament", lexicon.SideRussia},
		// A surname of the table after another first name is someone else.
		{"جوش إرنست", "us.white_house", lexicon.SideUS},
		{"جوني إرنست", "us.congress", lexicon.SideUS},
	}
	for _, tt := range tests {
		a, ok := lx.Actors.Find(arabic.Normalize(tt.text))
		if !ok || a.ID != tt.id || a.Side != tt.side {
			t.Errorf("%s: actor %+v (found %t), want %s on side %s", tt.text, a, ok, tt.id, tt.side)
		}
	}
	if _, ok := lx.Actors.Find(arabic.Normalize("مدينة حلب")); ok {
		t.Error("a city is not an actor")
	}
	words := strings.Fields(arabic.Normalize("وقال جون كيري اليوم"))
	if n, a := lx.Actors.MatchAt(words, 2); n != 1 || a.ID != "us.state" {
		t.Errorf("MatchAt at كيري: %d words, %+v", n, a)
	}
	if n, _ := lx.Actors.MatchAt(words, 3); n != 0 {
		t.Errorf("MatchAt at اليوم: %d words, want no actor", n)
	}
}

func TestParseRejectsBadData(t *testing.T) {
	if _, err := lexicon.ParseList("support", []byte("يدعم\n*\n")); err == nil {
		t.Error("a bare wildcard entry was accepted")
	}
	if _, err := lexicon.ParseActors([]byte("not\ta\tvalid\trow\twith\ttoo\tmany\tcolumns\n")); err == nil {
		t.Error("a malformed actor row was accepted")
	}
	files, err := lexicon.Files()
	if err != nil {
		t.Fatal(err)
	}
	files["third_party.txt"] = []byte("تركيا\n")
	if _, err := lexicon.Parse(files); err == nil || !strings.Contains(err.Error(), "third_party.txt") {
		t.Errorf("Parse with a list this build does not know: err = %v, want an error naming third_party.txt", err)
	}
}

// TestParseWithoutOptionalLists: models trained before adversative.txt or
// joint.txt existed store no such file; they load, with the list empty, and
// its words are then in no such list, as when they were trained.
func TestParseWithoutOptionalLists(t *testing.T) {
	tests := []struct {
		file, word string
		class      lexicon.Class
	}{
		{"adversative.txt", "لكن", lexicon.Adversative},
		{"joint.txt", "التنسيق", lexicon.Joint},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			files, err := lexicon.Files()
			if err != nil {
				t.Fatal(err)
			}
			delete(files, tt.file)
			lx, err := lexicon.Parse(files)
			if err != nil {
				t.Fatalf("a lexicon without %s does not parse: %v", tt.file, err)
			}
			if m := lx.WordMask(arabic.Normalize(tt.word)); m.Has(tt.class) {
				t.Errorf("%s is %s with no %s: mask %b", tt.word, tt.class, tt.file, m)
			}
			if m := mustDefault(t).WordMask(arabic.Normalize(tt.word)); !m.Has(tt.class) {
				t.Errorf("%s in the embedded lexicon: mask %b, want %s", tt.word, m, tt.class)
			}
		})
	}
	if m := mustDefault(t).WordMask(arabic.Normalize("لكن")); m.Has(lexicon.Contrast) {
		t.Errorf("لكن in the embedded lexicon: mask %b, want adversative and not contrast", m)
	}
}

// TestTopicWordsCarryNoTone: names of places, groups and of coordination
// itself are not sentiment cues (a prefix ود* once made ودمشق positive).
func TestTopicWordsCarryNoTone(t *testing.T) {
	lx := mustDefault(t)
	for _, w := range []string{"ودمشق", "وداعش", "ودير", "الشراكة", "التفاهم", "الإرهاب", "العدائية", "حماس"} {
		if m := lx.WordMask(arabic.Normalize(w)); m.Has(lexicon.Positive) || m.Has(lexicon.Negative) {
			t.Errorf("%s: classes %b, want neither positive nor negative", w, m)
		}
	}
}

func TestEntriesAreTheLinesParseReads(t *testing.T) {
	data := []byte("# a comment\n\n  قصف  \n   # indented comment\nتدهور*\nكيري\tus.state\tus\n")
	got := slices.Collect(lexicon.Entries(data))
	want := []string{"قصف", "تدهور*", "كيري\tus.state\tus"}
	if !slices.Equal(got, want) {
		t.Errorf("Entries = %q, want %q", got, want)
	}
}

// A holder no row of the actor table names is "other", with the side its
// words name: the camp of an unnamed official is known when the
// institution is not.
func TestActorOfNamesTheSideOfUnnamedHolders(t *testing.T) {
	lx := mustDefault(t)
	tests := []struct {
		holder string
		id     string
		side   lexicon.Side
	}{
		{"مسؤول أمريكي", lexicon.OtherActor, lexicon.SideUS},
		{"مسؤولون أميركيون كبار", lexicon.OtherActor, lexicon.SideUS},
		{"مصدر عسكري روسي", lexicon.OtherActor, lexicon.SideRussia},
		{"مصادر روسية مطلعة", lexicon.OtherActor, lexicon.SideRussia},
		{"هنري ستيوارت", lexicon.OtherActor, lexicon.SideOther},
		{"مصادر دبلوماسية غربية", lexicon.OtherActor, lexicon.SideOther},
		// A row of the table wins over the words' side.
		{"مسؤول في وزارة الخارجية الأمريكية", "us.state", lexicon.SideUS},
		{"وزير الدفاع الروسي", "ru.defense", lexicon.SideRussia},
	}
	for _, tt := range tests {
		got := lx.ActorOf(arabic.Normalize(tt.holder))
		if got.ID != tt.id || got.Side != tt.side {
			t.Errorf("ActorOf(%q) = %s, %s; want %s, %s", tt.holder, got.ID, got.Side, tt.id, tt.side)
		}
	}
}
