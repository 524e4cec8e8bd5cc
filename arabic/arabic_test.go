package arabic_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/stance-project/stance/arabic"
)

func TestNormalizeFoldsSpellingVariants(t *testing.T) {
	tests := []struct{ in, want string }{
		{"أمريكي", "امريكي"},
		{"إيران", "ايران"},
		{"مسؤول", "مسءول"},
		{"مسئول", "مسءول"},
		{"شؤون", "شءون"},
		{"شئون", "شءون"},
		{"الحكومة", "الحكومه"},
		{"الأولى", "الاولي"},
		{"تَنْسِيق", "تنسيق"},
		{"الـتـعـاون", "التعاون"},
		{"٢٠١٦", "2016"},
		{"«داعش»", "\"داعش\""},
		{"كيري–لافروف", "كيري-لافروف"},
		{"\u200fموسكو\u200e", "موسكو"},
		{"NATO", "nato"},
		// Spellings that differ by more than a rune's form (foldSpellings).
		{"الأميركية", "الامريكيه"},
		{"أميركا والأميركيون", "امريكا والامريكيون"},
		{"الاميركيين", "الامريكيين"},
		{"ميركل", "ميركل"}, // Merkel: no alef, no fold
		{"في سورية.", "في سوريا."},
		{"وسوريةً", "وسوريا"},
		{"السورية والسورية", "السوريه والسوريه"}, // the adjective
		{"سوريات", "سوريات"},
		// Presentation forms (text from PDFs): the letters they stand for.
		{"ﻻ", "لا"},
		{"ﺭﻓﺾ ﺍﻟﺒﻨﺘﺎﻏﻮﻥ", "رفض البنتاغون"},
		{"ﺃﻣﻴﺮﻛﻲ", "امريكي"},
		{"ﷲ", "الله"},
		{"ﷺ", "صلياللهعليهوسلم"}, // a phrase ligature stays one word
		{"ﹰ", ""}, // fathatan, a mark
	}
	for _, tt := range tests {
		if got := arabic.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenizeKeepsOffsetsIntoOriginal(t *testing.T) {
	text := "قال «البنتاغون»: لا نُنسّق مع روسيا في ٢٠١٦."
	toks := arabic.Tokenize(text, nil)
	want := []string{"قال", "البنتاغون", "لا", "ننسق", "مع", "روسيا", "في", "2016"}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens, want %d: %+v", len(toks), len(want), toks)
	}
	runes := []rune(text)
	for i, tok := range toks {
		if tok.Norm != want[i] {
			t.Errorf("token %d Norm = %q, want %q", i, tok.Norm, want[i])
		}
		if got := string(runes[tok.RuneStart:tok.RuneEnd]); got != text[tok.Start:tok.End] {
			t.Errorf("token %d: rune span %q and byte span %q differ", i, got, text[tok.Start:tok.End])
		}
		if utf8.RuneCountInString(text[:tok.Start]) != tok.RuneStart {
			t.Errorf("token %d: RuneStart %d does not match byte offset %d", i, tok.RuneStart, tok.Start)
		}
	}
}

// TestTokenizeKeepsJoinedWordsWhole checks that the invisible characters
// web pages put inside words (IsWordJoiner) do not split them, that a
// token neither starts nor ends with one, and that other invisible marks
// still end a word.
func TestTokenizeKeepsJoinedWordsWhole(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // the tokens' text in the original
	}{
		{"zero-width non-joiner", "وا\u200cشنطن ترفض", []string{"وا\u200cشنطن", "ترفض"}},
		{"zero-width joiner", "موس\u200dكو", []string{"موس\u200dكو"}},
		{"soft hyphen", "البنتا\u00adغون يرفض", []string{"البنتا\u00adغون", "يرفض"}},
		{"word joiner", "لافـ\u2060روف", []string{"لافـ\u2060روف"}},
		{"two in a row", "كي\u200c\u00adري", []string{"كي\u200c\u00adري"}},
		{"after the word", "كيري\u200c قال", []string{"كيري", "قال"}},
		{"before the word", "\u200cكيري", []string{"كيري"}},
		{"between words", "كيري \u200d لافروف", []string{"كيري", "لافروف"}},
		{"before punctuation", "كيري\u00ad، لافروف", []string{"كيري", "لافروف"}},
		{"right-to-left mark ends a word", "واشنطن\u200fموسكو", []string{"واشنطن", "موسكو"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, tok := range arabic.Tokenize(tc.text, nil) {
				got = append(got, tc.text[tok.Start:tok.End])
				if norm := arabic.Normalize(tc.text[tok.Start:tok.End]); norm != tok.Norm || strings.ContainsAny(norm, "\u200c\u200d\u00ad\u2060") {
					t.Errorf("token %q: Norm %q, Normalize %q", tc.text[tok.Start:tok.End], tok.Norm, norm)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestBareStripsCliticsButKeepsShortWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"وبالتنسيق", "تنسيق"},
		{"والتعاون", "تعاون"},
		{"للتعاون", "تعاون"},
		{"ولن", "ولن"},
		{"وقال", "قال"},
		{"وفد", "وفد"},
	}
	for _, tt := range tests {
		if got := arabic.Bare(arabic.Normalize(tt.in)); got != tt.want {
			t.Errorf("Bare(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestDecomposedTextFoldsLikeComposed: text in NFD (ؤ as و and a combining
// hamza) normalises and tokenizes as its composed form does.
func TestDecomposedTextFoldsLikeComposed(t *testing.T) {
	for _, w := range []string{"مسؤول", "مسئولون", "شؤون", "أميركي", "إيران", "آخر", "رئيس", "الهيئة", "سؤال ومؤتمر"} {
		nfd := norm.NFD.String(w)
		if nfd == w {
			t.Fatalf("%q has no decomposed form; the test needs one", w)
		}
		if got, want := arabic.Normalize(nfd), arabic.Normalize(w); got != want {
			t.Errorf("Normalize(NFD %q) = %q, want %q", w, got, want)
		}
		got, want := arabic.Tokenize(nfd, nil), arabic.Tokenize(w, nil)
		if len(got) != len(want) {
			t.Fatalf("NFD %q: %d tokens, want %d", w, len(got), len(want))
		}
		for i := range got {
			if got[i].Norm != want[i].Norm {
				t.Errorf("NFD %q: token %d is %q, want %q", w, i, got[i].Norm, want[i].Norm)
			}
		}
	}
}

// TestLettersUnfoldsPresentationFormsOnly: Letters writes presentation forms
// as their letters and leaves everything else as written, ى included.
func TestLettersUnfoldsPresentationFormsOnly(t *testing.T) {
	tests := []struct{ in, want string }{
		{"على", "على"},
		{"ﻋﻠﻰ", "على"},
		{"ﻭﻣﻮﺳﻜﻮ «ﻻ»", "وموسكو «لا»"},
		{"أميركي ٢٠١٦", "أميركي ٢٠١٦"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := arabic.Letters(tt.in); got != tt.want {
			t.Errorf("Letters(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
