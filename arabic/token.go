package arabic

import "unicode/utf8"

// Token is one word of the original text with its normalised form.
type Token struct {
	// Start and End are byte offsets into the original text, End exclusive.
	Start, End int
	// RuneStart and RuneEnd are the same bounds in code points.
	RuneStart, RuneEnd int
	// Norm is the word folded by NormalizeRune (presentation forms
	// decomposed first) and foldSpellings.
	Norm string
}

// Tokenize appends the words of s to dst and returns it. A word is a maximal
// run of letters, digits and combining marks, with the word joiners between
// them (IsWordJoiner); everything else separates words. A word starts and
// ends with a word rune. Passing a reused dst avoids allocating the slice
// per call.
func Tokenize(s string, dst []Token) []Token {
	dst, _ = TokenizeQuotes(s, dst, nil)
	return dst
}

// IsQuoteMark reports whether r is a quotation mark: " « » “ ”.
func IsQuoteMark(r rune) bool {
	return r == '"' || r == '«' || r == '»' || r == '“' || r == '”'
}

// Quote is a quotation mark of a text, its byte offset and the word it
// stands before.
type Quote struct {
	At   int
	Mark rune
	// Word is the number of words of the text before the mark: the index
	// of the word it stands before, or the number of words after the last.
	Word int
}

// TokenizeQuotes is Tokenize that also appends to quotes every quotation
// mark of s (IsQuoteMark), in order. They lie between words, which the loop
// reads anyway: a caller that needs them later, when the text has left the
// cache, need not read it again.
func TokenizeQuotes(s string, dst []Token, quotes []Quote) ([]Token, []Quote) {
	base := len(dst)
	var buf [64]byte
	norm := buf[:0]
	start, runeStart := -1, 0
	runeIdx := 0
	// joined is true when the word has met a joiner (IsWordJoiner), which
	// may also trail it: only such a word's end is searched for them.
	joined := false
	flush := func(end, runeEnd int) {
		if start >= 0 {
			if joined {
				end, runeEnd = trimJoiners(s, start, end, runeEnd)
				joined = false
			}
			if len(norm) > 0 {
				foldSpellings(norm)
				dst = append(dst, Token{Start: start, End: end, RuneStart: runeStart, RuneEnd: runeEnd, Norm: string(norm)})
			}
			start = -1
			norm = norm[:0]
		}
	}
	for i, r := range s {
		switch {
		case IsWordRune(r):
			if start < 0 {
				start, runeStart = i, runeIdx
			}
			norm = appendNormalizedRune(norm, 0, r)
		case start >= 0 && IsWordJoiner(r):
			joined = true // inside the word, or after its end: the next rune tells
		default:
			flush(i, runeIdx)
			if IsQuoteMark(r) {
				quotes = append(quotes, Quote{At: i, Mark: r, Word: len(dst) - base})
			}
		}
		runeIdx++
	}
	flush(len(s), runeIdx)
	return dst, quotes
}

// trimJoiners moves the end of the word s[start:end], runeEnd in code
// points, back past the joiners that trail it.
func trimJoiners(s string, start, end, runeEnd int) (int, int) {
	for end > start {
		r, size := utf8.DecodeLastRuneInString(s[start:end])
		if !IsWordJoiner(r) {
			break
		}
		end, runeEnd = end-size, runeEnd-1
	}
	return end, runeEnd
}
