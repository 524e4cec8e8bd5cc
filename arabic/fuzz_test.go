package arabic_test

import (
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/stance-project/stance/arabic"
)

// FuzzTokenize checks that tokens are in order, inside the text, non-empty,
// with code-point offsets that agree with the byte offsets.
func FuzzTokenize(f *testing.F) {
	f.Add("قال «البنتاغون»: لا نُنسّق مع روسيا في ٢٠١٦.")
	f.Add(`وأضاف "(كيري) يتجاهل" و“لا”`)
	f.Add("\xff\u0640\u064b\u200fabc")
	f.Add("الأميركيون وأميـركا اميرك سورية والسورية سوريةً")
	f.Add("ﻻ ﺭﻓﺾ ﷺ ﹰﺃ ﷽ ﴾ﻟﻠﺘﻨﺴﻴﻖ﴿")
	f.Add("مسو\u0654ول وي\u0654 \u0654و و\u200f\u0654")
	f.Add("وا\u200cشنطن \u200dكيري\u00ad، لاف\u2060روف\u200c «\u200c»")
	f.Fuzz(func(t *testing.T, in string) {
		prev := 0
		for _, tok := range arabic.Tokenize(in, nil) {
			if tok.Start < prev || tok.End <= tok.Start || tok.End > len(in) || tok.Norm == "" {
				t.Fatalf("bad token %+v after %d in %q", tok, prev, in)
			}
			if utf8.RuneCountInString(in[:tok.Start]) != tok.RuneStart || utf8.RuneCountInString(in[:tok.End]) != tok.RuneEnd {
				t.Fatalf("token %+v: code-point offsets disagree with bytes in %q", tok, in)
			}
			if arabic.Normalize(in[tok.Start:tok.End]) != tok.Norm {
				t.Fatalf("token %+v: Norm differs from Normalize of its text", tok)
			}
			first, _ := utf8.DecodeRuneInString(in[tok.Start:])
			last, _ := utf8.DecodeLastRuneInString(in[:tok.End])
			if !arabic.IsWordRune(first) || !arabic.IsWordRune(last) {
				t.Fatalf("token %+v of %q starts or ends with %q or %q, not a word rune", tok, in, first, last)
			}
			prev = tok.End
		}
		// TokenizeQuotes gives the same words, and every quotation mark of
		// the text, in order, where it stands.
		toks, quotes := arabic.TokenizeQuotes(in, nil, nil)
		if !slices.Equal(toks, arabic.Tokenize(in, nil)) {
			t.Fatalf("TokenizeQuotes(%q) gives other words than Tokenize", in)
		}
		var want []arabic.Quote
		for i, r := range in {
			if arabic.IsQuoteMark(r) {
				before := 0 // the words that start before the mark
				for before < len(toks) && toks[before].Start < i {
					before++
				}
				want = append(want, arabic.Quote{At: i, Mark: r, Word: before})
			}
		}
		if !slices.Equal(quotes, want) {
			t.Fatalf("TokenizeQuotes(%q) quotes %v, want %v", in, quotes, want)
		}
		_ = arabic.Stem(arabic.Normalize(in))
		_ = arabic.Bare(arabic.Normalize(in))
	})
}

// FuzzNormalize checks that normalisation is total and stable: valid UTF-8
// out whatever comes in, and normalising twice changes nothing.
func FuzzNormalize(f *testing.F) {
	f.Add("أإآٱ ى ة ـ ً ٠١٢ «» “” – —")
	f.Add("\xff\xfe\u200f\u202b")
	f.Add("أميركاميرك الأميـركي سوريةسورية السورية")
	f.Add("ﻻ ﺭﻓﺾ ﷺ ﹰﺃ ﷽ ﴾ﻟﻠﺘﻨﺴﻴﻖ﴿ ﺳﻮﺭﻳﺔ")
	f.Add("مسو\u0654ول وي\u0654 \u0654و و\u200f\u0654")
	f.Add("وا\u200cشنطن \u00adسورية\u2060")
	f.Fuzz(func(t *testing.T, in string) {
		once := arabic.Normalize(in)
		if !utf8.ValidString(once) {
			t.Fatalf("Normalize(%q) = %q is not valid UTF-8", in, once)
		}
		if twice := arabic.Normalize(once); twice != once {
			t.Fatalf("Normalize is not idempotent on %q: %q then %q", in, once, twice)
		}
		if appended := arabic.AppendNormalized([]byte("x"), in); string(appended) != "x"+once {
			t.Fatalf("AppendNormalized(%q) appended %q, Normalize gives %q", in, appended[1:], once)
		}
	})
}
