package lexicon

import (
	"testing"
)

// The letter-set filter of Find must never skip a row that a plain scan
// would find: Find agrees with the scan on texts made of the patterns, of
// their pieces and of their neighbours.
func TestFindAgreesWithAPlainScan(t *testing.T) {
	lx, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	a := lx.Actors
	var texts []string
	for i, r := range a.rows {
		next := a.rows[(i+1)%len(a.rows)].Pattern
		rs := []rune(r.Pattern)
		texts = append(texts, r.Pattern, "وقال "+r.Pattern+" ان", string(rs[:len(rs)/2])+" "+next, string(rs[1:]), r.Pattern+next)
	}
	texts = append(texts, "", "abc", "المتحدث باسم الوزارة")
	for _, text := range texts {
		got, ok := a.Find(text)
		want, wantOK := scanFind(a, text)
		if got != want || ok != wantOK {
			t.Fatalf("Find(%q) = %v %v, a plain scan gives %v %v", text, got, ok, want, wantOK)
		}
	}
}

func TestMentionsAreWholeWords(t *testing.T) {
	tests := []struct {
		text, pattern string
		name, want    bool
	}{
		{"السيناتور تيم كين", "كين", true, true},
		{"الخبير الكسندر كينشاك", "كين", true, false}, // not Kaine
		{"المستشرق فيتالي نعومكين", "كين", true, false},
		{"كيريل بيلوف", "كيري", true, false},
		{"النائب الكيني", "كين", true, false},              // Kenyan: a name takes no nisba
		{"ماتيسون", "ماتيس", true, false},                  // nor a plural
		{"وماتيس", "ماتيس", true, true},                    // but a clitic
		{"الجنرال الروسي", "الروس", false, true},           // nisba
		{"القياده العسكريه الروسيه", "الروس", false, true}, // feminine nisba
		{"الصحيفه", "صحيفه", false, true},                  // article
		{"وموسكو", "موسكو", false, true},                   // conjunction
		{"للصحيفه", "صحيفه", false, true},
		{"باحثون في المركز", "باحث", false, true}, // plural
		{"«واشنطن بوست»", "واشنطن بوست", false, true},
		{"موسكوفسكي كومسوموليتس", "موسكو", false, false},
		{"الاستخبارات", "خبار", false, false},
	}
	for _, tt := range tests {
		if got := containsMention(tt.text, tt.pattern, tt.name); got != tt.want {
			t.Errorf("containsMention(%q, %q, name %t) = %v, want %v", tt.text, tt.pattern, tt.name, got, tt.want)
		}
	}
}

// FuzzFind maps arbitrary text, as holder spans of untrusted input reach
// it: never a panic, and the letter-set filter never skips a row a plain
// scan finds.
func FuzzFind(f *testing.F) {
	lx, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	a := lx.Actors
	for _, s := range []string{"", "الجنرال الروسي", "الخبير الكسندر كينشاك", "وللصحيفه", "«واشنطن بوست»", "ال", "و", "\xffكين\xfe", "كيري كيريل كيري"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, ok := a.Find(text)
		if want, wantOK := scanFind(a, text); got != want || ok != wantOK {
			t.Fatalf("Find(%q) = %v %v, a plain scan gives %v %v", text, got, ok, want, wantOK)
		}
	})
}

// scanFind is Find without the letter-set filter: the first row, longest
// first, whose pattern is a mention in text.
func scanFind(a *Actors, text string) (Actor, bool) {
	for _, r := range a.rows {
		if containsMention(text, r.Pattern, r.Name) {
			return r, true
		}
	}
	return Actor{}, false
}
