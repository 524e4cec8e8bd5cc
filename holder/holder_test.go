package holder_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/features"
	"github.com/stance-project/stance/holder"
	"github.com/stance-project/stance/lexicon"
)

func prepared(t *testing.T, text string) *holder.Sentence {
	t.Helper()
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatal(err)
	}
	var sc features.Scratch
	features.New(features.DefaultConfig, lx).Analyse(text, &sc)
	s := &holder.Sentence{Text: text, Tokens: sc.Tokens, Words: sc.Words(), Masks: sc.Masks(), Clauses: sc.Clauses(), Quotes: sc.Quotes()}
	s.Prepare(lx.Actors, holder.Starts{}, nil, nil)
	return s
}

// candidates lists the candidates of s with the given start words.
func candidates(s *holder.Sentence, starts map[string]bool) []holder.Candidate {
	s.MarkStarts(holder.Starts{Words: starts})
	return holder.Candidates(s, nil)
}

func spanText(s *holder.Sentence, c holder.Candidate) string {
	return s.Text[s.Tokens[c.First].Start:s.Tokens[c.Last].End]
}

func TestCandidatesStartAtStartWordsAndActors(t *testing.T) {
	s := prepared(t, "وقال المتحدث باسم البنتاغون بيتر كوك، إن واشنطن لن تتعاون مع روسيا.")
	starts := map[string]bool{"متحدث": true}
	var got []string
	for _, c := range candidates(s, starts) {
		if c.Last-c.First+1 > holder.MaxWords {
			t.Fatalf("candidate %q longer than %d words", spanText(s, c), holder.MaxWords)
		}
		if s.Clauses[c.First] != s.Clauses[c.Last] {
			t.Fatalf("candidate %q crosses a clause", spanText(s, c))
		}
		got = append(got, spanText(s, c))
	}
	for _, want := range []string{"المتحدث باسم البنتاغون بيتر كوك", "واشنطن", "روسيا", "البنتاغون"} {
		if !slices.Contains(got, want) {
			t.Errorf("no candidate %q among %q", want, got)
		}
	}
	// A start word's span stops at the comma that ends its clause.
	if slices.Contains(got, "كوك، إن") || slices.Contains(got, "المتحدث باسم البنتاغون بيتر كوك، إن") {
		t.Errorf("a candidate crosses the comma: %q", got)
	}
}

func TestPrepareFindsActors(t *testing.T) {
	s := prepared(t, "وقال وزير الخارجية الأمريكي جون كيري إن موسكو شريك.")
	found := map[lexicon.Side]bool{}
	for i, n := range s.ActorLen {
		if n > 0 {
			found[s.ActorSide[i]] = true
		}
		if s.Bare[i] == "" {
			t.Errorf("word %d has no bare form", i)
		}
	}
	if !found[lexicon.SideUS] || !found[lexicon.SideRussia] {
		t.Errorf("actor sides found %v, want us and russia", found)
	}
}

// The features a scorer sums once per word must be those Features gives a
// candidate, so that training and scoring see the same thing.
func TestFeaturesAreEdgesPlusSpan(t *testing.T) {
	s := prepared(t, "وأكد المتحدث باسم الكرملين ديمتري بيسكوف أن موسكو مستعدة للتنسيق.")
	c := holder.Candidate{First: 1, Last: 5}
	var all, parts []string
	holder.Features(s, c, nil, func(k []byte) { all = append(all, string(k)) })
	collect := func(k []byte) { parts = append(parts, string(k)) }
	buf := holder.FirstFeatures(s, c.First, nil, collect)
	buf = holder.LastFeatures(s, c.Last, buf, collect)
	holder.SpanFeatures(s, c, buf, collect)
	if !slices.Equal(all, parts) {
		t.Fatalf("Features %q\nedges and span %q", all, parts)
	}
	var spanKeys []string
	holder.Facts(s, c).SpanKeys(func(p ...string) {
		k := ""
		for _, x := range p {
			k += x
		}
		spanKeys = append(spanKeys, k)
	})
	var fromSpan []string
	holder.SpanFeatures(s, c, nil, func(k []byte) { fromSpan = append(fromSpan, string(k)) })
	if !slices.Equal(spanKeys, fromSpan) {
		t.Fatalf("SpanKeys %q, SpanFeatures %q", spanKeys, fromSpan)
	}
}

// TestCandidatesRespectQuotesAndBrackets: a span may hold a quotation it
// opens and closes, never closes one it did not open, and never runs across
// a straight quote or a bracket.
func TestCandidatesRespectQuotesAndBrackets(t *testing.T) {
	tests := []struct {
		text      string
		want, not []string
	}{
		{"وكتبت صحيفة «روسيسكايا غازيتا» الحكومية أن موسكو مستعدة.", []string{"صحيفة «روسيسكايا غازيتا» الحكومية"}, nil},
		{"«البنتاغون» مصر على رفضه..", []string{"البنتاغون"}, []string{"البنتاغون» مصر"}},
		{`وقال المسئول "(كيري) يريد التعاون".`, []string{"المسئول"}, []string{`المسئول "(كيري`}},
		// A span that opens a quotation ends where it closes, never inside.
		{"وقال قائد «فرقة السلطان مراد» إن الفصائل ترفض.", []string{"قائد «فرقة السلطان مراد"}, []string{"قائد «فرقة", "قائد «فرقة السلطان"}},
		{"وكتبت صحيفة «روسيسكايا غازيتا» أن موسكو مستعدة.", []string{"صحيفة «روسيسكايا غازيتا"}, []string{"صحيفة «روسيسكايا"}},
	}
	starts := map[string]bool{"صحيفه": true, "مسءول": true, "قاءد": true} // bare, normalised forms
	for _, tt := range tests {
		s := prepared(t, tt.text)
		var got []string
		for _, c := range candidates(s, starts) {
			got = append(got, spanText(s, c))
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: no candidate %q among %q", tt.text, w, got)
			}
		}
		for _, w := range tt.not {
			if slices.Contains(got, w) {
				t.Errorf("%s: candidate %q crosses punctuation or leaves a quotation open", tt.text, w)
			}
		}
	}
}

// TestEndTakesTheClosingQuote: a span that opens a quotation ends after its
// closing mark, as annotators mark it; other spans end at their last word.
func TestEndTakesTheClosingQuote(t *testing.T) {
	s := prepared(t, "وقالت صحيفة «روسيسكايا غازيتا» إن موسكو مستعدة.")
	var paper, moscow holder.Candidate
	for i := range s.Tokens {
		switch s.Text[s.Tokens[i].Start:s.Tokens[i].End] {
		case "صحيفة":
			paper.First = i
		case "غازيتا":
			paper.Last = i
		case "موسكو":
			moscow = holder.Candidate{First: i, Last: i}
		}
	}
	for _, tt := range []struct {
		c    holder.Candidate
		want string
	}{{paper, "صحيفة «روسيسكايا غازيتا»"}, {moscow, "موسكو"}} {
		end, runeEnd := holder.End(s, tt.c)
		start := s.Tokens[tt.c.First]
		if got := s.Text[start.Start:end]; got != tt.want {
			t.Errorf("span %q, want %q", got, tt.want)
		}
		if n := runeEnd - start.RuneStart; n != len([]rune(tt.want)) {
			t.Errorf("%q: %d code points, want %d", tt.want, n, len([]rune(tt.want)))
		}
	}
}

// TestStartLeavesOutAFusedConjunction: a holder whose first word carries
// the conjunction و or ف starts after it, as annotators mark it, unless the
// letter belongs to the word (واشنطن، وزارة) or the word is an actor as it
// stands (فاليري غيراسيموف).
func TestStartLeavesOutAFusedConjunction(t *testing.T) {
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, first, want string }{
		{"وقال مسؤول إن وموسكو مستعدة للتنسيق.", "وموسكو", "موسكو"},
		{"وأكد أن والبنتاغون يرفض ذلك.", "والبنتاغون", "البنتاغون"},
		{"وأضاف أن فالجنرالات يرفضون التنسيق.", "فالجنرالات", "الجنرالات"},
		{"وقال إن واشنطن ترفض التنسيق.", "واشنطن", "واشنطن"},
		{"وقالت وزارة الدفاع إنها ترفض التنسيق.", "وزارة", "وزارة"},
		{"وقال فاليري غيراسيموف إن موسكو مستعدة.", "فاليري", "فاليري"},
	}
	for _, tt := range tests {
		s := prepared(t, tt.text)
		c := holder.Candidate{First: -1}
		for i, tok := range s.Tokens {
			if s.Text[tok.Start:tok.End] == tt.first {
				c = holder.Candidate{First: i, Last: i}
			}
		}
		if c.First < 0 {
			t.Fatalf("%s: no word %q", tt.text, tt.first)
		}
		start, runeStart := holder.Start(s, c, lx.Actors)
		tok := s.Tokens[c.First]
		if got := s.Text[start:tok.End]; got != tt.want {
			t.Errorf("%s: holder %q, want %q", tt.text, got, tt.want)
		}
		if n := tok.RuneEnd - runeStart; n != len([]rune(tt.want)) {
			t.Errorf("%s: %d code points, want %d", tt.text, n, len([]rune(tt.want)))
		}
	}
}

// TestCandidatesNeverEdgeOnFunctionWords: no holder of the corpus starts or
// ends with a preposition, particle or pronoun, so no candidate does.
func TestCandidatesNeverEdgeOnFunctionWords(t *testing.T) {
	s := prepared(t, "وتوجه الدبلوماسي إلى موسكو، وقال الكثير من ضباط المخابرات إنهم يرفضون التنسيق، وإن على البنتاغون أن يصغي.")
	starts := map[string]bool{"دبلوماسي": true, "كثير": true, "علي": true}
	var got []string
	for _, c := range candidates(s, starts) {
		got = append(got, spanText(s, c))
	}
	for _, w := range []string{"الدبلوماسي", "الكثير من ضباط المخابرات"} {
		if !slices.Contains(got, w) {
			t.Errorf("no candidate %q among %q", w, got)
		}
	}
	for _, w := range []string{"الدبلوماسي إلى", "الكثير من", "على البنتاغون", "الكثير"} {
		if slices.Contains(got, w) {
			t.Errorf("candidate %q ends on a function word or a quantifier", w)
		}
	}
}

// TestPrepareWithAVocabularyAgrees: roles and actor patterns worked out in
// advance, by word index, give the same sentence as those worked out on the
// spot, and a word without an index is unknown as Sentence.Unknown says.
func TestPrepareWithAVocabularyAgrees(t *testing.T) {
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "وقال المتحدث باسم البنتاغون بيتر كوك إن وموسكو لم تقدم ضمانات، بينما رحب كيري بالخطوة."
	starts := holder.Starts{Words: map[string]bool{"متحدث": true}, NewWordSpan: 2}
	var sc features.Scratch
	features.New(features.DefaultConfig, lx).Analyse(text, &sc)
	words := sc.Words()
	prepare := func(vocab *holder.Vocabulary, ids []int32, unknown []bool) *holder.Sentence {
		s := &holder.Sentence{Text: text, Tokens: sc.Tokens, Words: words, Masks: sc.Masks(), Clauses: sc.Clauses(), Quotes: sc.Quotes(), Unknown: unknown}
		s.Prepare(lx.Actors, starts, vocab, ids)
		return s
	}
	a := prepare(nil, nil, nil)
	if !slices.ContainsFunc(a.ActorLen, func(n int) bool { return n > 1 }) {
		t.Fatalf("no actor mention of several words in %q: the test needs one", text)
	}
	// Every other word is known, the even ones and then the odd ones; the
	// rest are worked out on the spot.
	for _, parity := range []int{0, 1} {
		ids := make([]int32, len(words))
		unknown := make([]bool, len(words))
		var known []string
		for i, w := range words {
			ids[i], unknown[i] = -1, true
			if i%2 == parity {
				ids[i], unknown[i] = int32(len(known)), false
				known = append(known, w)
			}
		}
		a := prepare(nil, nil, unknown)
		b := prepare(holder.NewVocabulary(known, lx.Actors, starts.Words), ids, nil)
		// Known words' bare forms are the scorer's to keep, not Prepare's.
		for i, id := range ids {
			if id < 0 && a.Bare[i] != b.Bare[i] {
				t.Fatalf("word %d: bare %q on the spot, %q with the table", i, a.Bare[i], b.Bare[i])
			}
		}
		sides := func(s *holder.Sentence) []lexicon.Side {
			var out []lexicon.Side
			for i, n := range s.ActorLen {
				if n > 0 {
					out = append(out, s.ActorSide[i])
				}
			}
			return out
		}
		if !slices.Equal(a.ActorLen, b.ActorLen) || !slices.Equal(sides(a), sides(b)) {
			t.Fatalf("known words of parity %d\non the spot: bare %q actors %v %v\nknown: bare %q actors %v %v", parity, a.Bare, a.ActorLen, a.ActorSide, b.Bare, b.ActorLen, b.ActorSide)
		}
		for i := range words {
			if na, nb := a.SpeakersBetween(i, len(words)), b.SpeakersBetween(i, len(words)); na != nb {
				t.Fatalf("known words of parity %d: %d speakers from word %d on the spot, %d with the table", parity, na, i, nb)
			}
		}
		if a.SpeakersBetween(0, len(words)) == 0 {
			t.Fatalf("no speaker in %q: the test needs one (وقال المتحدث)", text)
		}
		ca, cb := holder.Candidates(a, nil), holder.Candidates(b, nil)
		if !slices.Equal(ca, cb) || len(ca) == 0 {
			t.Fatalf("candidates differ or are missing: %v vs %v", ca, cb)
		}
		// Spans start at unknown words, and run at most NewWordSpan words
		// from one that is no start word or actor mention.
		fromUnknown := 0
		for _, c := range ca {
			if i := c.First; unknown[i] && !starts.Words[a.Bare[i]] && a.ActorLen[i] == 0 {
				fromUnknown++
				if c.Last-c.First+1 > starts.NewWordSpan {
					t.Errorf("candidate %v of %d words from an unknown word, want at most %d", c, c.Last-c.First+1, starts.NewWordSpan)
				}
			}
		}
		if fromUnknown == 0 {
			t.Errorf("known words of parity %d: no candidate starts at an unknown word", parity)
		}
	}
}

// TestWordSpanBitsAgreesWithSpanBitsOf checks the table Prepare uses
// against the loop it replaces, on every mask.
func TestWordSpanBitsAgreesWithSpanBitsOf(t *testing.T) {
	for m := range 1 << 16 {
		if !holder.SpanBitsAgree(lexicon.Mask(m)) {
			t.Fatalf("mask %016b: the table's span bits differ from spanBitsOf's", m)
		}
	}
}

// A sentence of no words, the first a Sentence is prepared with, has no
// candidates: Prepare allocates for it too (the starters' buffer holds one
// entry more than the words).
func TestPrepareAFirstSentenceOfNoWords(t *testing.T) {
	for _, text := range []string{"", "\xff\xfe\u200f\u0640\u064b", "... ؟!"} {
		s := prepared(t, text)
		if len(s.Tokens) != 0 {
			t.Fatalf("%q has %d words, want none", text, len(s.Tokens))
		}
		if got := candidates(s, map[string]bool{}); len(got) != 0 {
			t.Errorf("%q: candidates %v, want none", text, got)
		}
	}
}

// The gaps' trim must be strings.TrimSpace's, for Arabic punctuation,
// spaces of every kind and bytes that are no UTF-8.
func TestTrimSpaceIsStringsTrimSpace(t *testing.T) {
	for _, s := range []string{
		"", " ", "  ", "، ", " «", ": «", "»، «", "\t\n\v\f\r ", "\u00a0،\u00a0", "\u2009»\u3000",
		"\u0085", " \xff ", "\xe2\x80", " \xe2\x80\x89", "a b", "\u200b", " \u202f-\u205f ",
		"\u1680x\u1680", "x\xc2", "x\xc2\xa0", "\xa0 ", "x\xf0\x9f\x98\x80 ", "\x80\x80\xe2\x80\x89",
	} {
		if got, want := holder.TrimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("TrimSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzTrimSpace(f *testing.F) {
	f.Add(" ،\u00a0")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := holder.TrimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("TrimSpace(%q) = %q, want %q", s, got, want)
		}
	})
}

// mayHoldQuotes may only say no for a text whose quote marks, decoded
// rune by rune, count nothing.
func FuzzMayHoldQuotes(f *testing.F) {
	for _, s := range []string{"صحيفة «الوطن» القطرية", "“كيري”", "\xe2«", "\xc2\xab\xbb", "وزير الخارجية"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if holder.MayHoldQuotes(s) {
			return
		}
		for _, r := range s {
			if strings.ContainsRune("«»“”", r) {
				t.Fatalf("MayHoldQuotes(%q) is false, but it holds %q", s, r)
			}
		}
	})
}

// Quoted speech is the words of a quotation of at least MinQuotedWords
// words; a quoted name is not, nor are the words around a quotation.
func TestQuotedMarksTheWordsOfQuotedSpeech(t *testing.T) {
	tests := []struct {
		name, text string
		quoted     string // the quoted words, space-separated, in order
	}{
		{name: "no quotation", text: "وقال المتحدث إن واشنطن لا تنسق مع موسكو.", quoted: ""},
		{name: "speech in guillemets", text: "وقال كيربي إن «واشنطن لا تنسق مع موسكو» في سوريا.", quoted: "واشنطن لا تنسق مع موسكو"},
		{name: "a quoted name", text: "وأكد «البنتاغون» رفضه التعاون مع موسكو.", quoted: ""},
		{name: "a three-word quotation", text: "ووصف المركز بأنه «خطوة في الاتجاه» الصحيح.", quoted: ""},
		{name: "straight quotes", text: `وأضاف المسئول "(كيري) يتجاهل أن الروس لم يميزوا" بين الفصائل.`, quoted: "كيري يتجاهل أن الروس لم يميزوا"},
		{name: "still open at the end", text: "وتابع: «ربما ليس سرا إذا قلت", quoted: "ربما ليس سرا إذا قلت"},
		{name: "a short quotation still open at the end", text: "وقال: «لا", quoted: "لا"},
		{name: "a name quoted inside speech", text: "وقال إن «صحيفة “إزفستيا” لا تعبر عن الكرملين» أبدا.", quoted: "صحيفة إزفستيا لا تعبر عن الكرملين"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := prepared(t, tt.text)
			var got []string
			for i := range s.Tokens {
				if s.Quoted(i) == 1 {
					got = append(got, tt.text[s.Tokens[i].Start:s.Tokens[i].End])
				}
			}
			if strings.Join(got, " ") != tt.quoted {
				t.Errorf("quoted words %q, want %q", strings.Join(got, " "), tt.quoted)
			}
		})
	}
}

// A speaker named between a span and the position (a start word or an
// actor mention right after a reporting verb) counts against the span; a
// party the speaker reports on does not, nor the word right after the
// span. Training marks its start words after Prepare (MarkStarts): the
// count must be the one Prepare gives with them.
func TestSpeakersBeforeEvidenceCountsTheSpeakersNamedBeforeThePosition(t *testing.T) {
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := "وقال وزير الخارجية الأمريكي جون كيري إن بلاده ترفض التنسيق، وقال المتحدث باسم الكرملين ديمتري بيسكوف إن موسكو «مستعدة» للتعاون."
	var sc features.Scratch
	features.New(features.DefaultConfig, lx).Analyse(text, &sc)
	words := sc.Words()
	at := func(w string) int {
		i := slices.Index(words, w)
		if i < 0 {
			t.Fatalf("no word %q in %q", w, words)
		}
		return i
	}
	evidence := make([]bool, len(words))
	evidence[at("مستعده")], evidence[at("للتعاون")] = true, true
	starts := holder.Starts{Words: map[string]bool{"متحدث": true, "وزير": true}}
	prepare := func(ev []bool, late bool) *holder.Sentence {
		s := &holder.Sentence{Text: text, Tokens: sc.Tokens, Words: words, Masks: sc.Masks(), Clauses: sc.Clauses(), Quotes: sc.Quotes(), Evidence: ev}
		if late {
			s.Prepare(lx.Actors, holder.Starts{}, nil, nil)
			s.MarkStarts(starts)
		} else {
			s.Prepare(lx.Actors, starts, nil, nil)
		}
		return s
	}
	tests := []struct {
		last string // the span's last word
		want int
	}{
		{"كيري", 1},     // المتحدث after وقال, later in the sentence
		{"الامريكي", 1}, // كيري follows جون, no reporting verb: the same one
		{"بيسكوف", 0},   // موسكو follows إن: a party reported on
		{"الكرملين", 0}, // ديمتري is no start word, and right after the span
	}
	for _, late := range []bool{false, true} {
		s := prepare(evidence, late)
		for _, tt := range tests {
			if got := s.SpeakersBeforeEvidence(at(tt.last)); got != tt.want {
				t.Errorf("start words marked late %t: %d speakers between %q and the evidence, want %d", late, got, tt.last, tt.want)
			}
		}
	}
	if got := prepare(nil, false).SpeakersBeforeEvidence(at("كيري")); got != -1 {
		t.Errorf("no evidence: %d speakers, want -1", got)
	}
}

// Prepare leaves the bare forms of known words and the sides of words
// that start no actor mention as an earlier sentence left them: what the
// search reads of a sentence must not depend on it.
func TestPrepareAgainLeavesNothingOfTheSentenceBefore(t *testing.T) {
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatal(err)
	}
	first := "وقال وزير الخارجية الروسي سيرغي لافروف إن موسكو مستعدة للتنسيق مع البنتاغون، وأكد كيري أن واشنطن تدرس العرض."
	second := "ورأى المحلل أندريه كورتونوف أن الحوار بين الجيشين مفيد، وقال كيري إن الولايات المتحدة لن تتعاون."
	starts := holder.Starts{Words: map[string]bool{"وزير": true, "محلل": true}, NewWordSpan: 2}
	ext := features.New(features.DefaultConfig, lx)
	var known []string
	index := map[string]int32{}
	analyse := func(text string) (features.Scratch, []int32) {
		var sc features.Scratch
		ext.Analyse(text, &sc)
		ids := make([]int32, len(sc.Words()))
		for i, w := range sc.Words() {
			ids[i] = -1
			if id, ok := index[w]; ok {
				ids[i] = id
			}
		}
		return sc, ids
	}
	// The first sentence's words are known, the second's only where they
	// are the same.
	var sc1 features.Scratch
	ext.Analyse(first, &sc1)
	for _, w := range sc1.Words() {
		if _, ok := index[w]; !ok {
			index[w] = int32(len(known))
			known = append(known, w)
		}
	}
	vocab := holder.NewVocabulary(known, lx.Actors, starts.Words)
	type search struct {
		cands []holder.Candidate
		idx   []int32
		facts []holder.SpanFacts
	}
	run := func(s *holder.Sentence, text string) search {
		sc, ids := analyse(text)
		s.Text, s.Tokens, s.Words, s.Masks, s.Clauses, s.Quotes = text, sc.Tokens, sc.Words(), sc.Masks(), sc.Clauses(), sc.Quotes()
		s.Prepare(lx.Actors, starts, vocab, ids)
		var out search
		out.cands, out.idx = holder.CandidatesWithFacts(s, nil, nil)
		for _, c := range out.cands {
			out.facts = append(out.facts, holder.Facts(s, c))
		}
		return out
	}
	reused := &holder.Sentence{}
	run(reused, first)
	again := run(reused, second)
	fresh := run(&holder.Sentence{}, second)
	if len(fresh.cands) == 0 {
		t.Fatal("no candidates: the test checks nothing")
	}
	if !slices.Equal(again.cands, fresh.cands) || !slices.Equal(again.idx, fresh.idx) || !slices.Equal(again.facts, fresh.facts) {
		t.Fatalf("the second sentence after the first:\n%v %v %v\nalone:\n%v %v %v", again.cands, again.idx, again.facts, fresh.cands, fresh.idx, fresh.facts)
	}
}
