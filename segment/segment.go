// Package segment splits Arabic news text into sentences, keeping offsets
// into the original text.
//
// Sentences end at . ! ? ؟ … (and runs of them such as .. or ?!) and at line
// breaks. They do not end at ، or ؛, inside numbers (3.5), after one-letter
// abbreviations and initials (د. أ. م. ص.) or known Latin abbreviations,
// nor inside a quotation that closes later on the same line. Every line is
// cut on its own, so headlines, bylines and other page furniture come out as
// sentences of their own.
//
// Unicode's sentence rules (UAX #29, as in clipperhouse/uax29) split after
// د. and inside continuing quotations, which is wrong for Arabic reporting,
// so the rules are written out here and proved by the tests.
package segment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of a text. Offsets refer to the original text,
// End exclusive, with surrounding white space trimmed.
type Sentence struct {
	Start, End         int // bytes
	RuneStart, RuneEnd int // code points
}

// Text returns the sentence's text from the original.
func (s Sentence) Text(original string) string { return original[s.Start:s.End] }

// Split appends the sentences of text to dst and returns it.
func Split(text string, dst []Sentence) []Sentence {
	lineStart, lineRune := 0, 0
	for lineStart <= len(text) {
		end := strings.IndexByte(text[lineStart:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += lineStart
		}
		dst = splitLine(text, lineStart, end, lineRune, dst)
		lineRune += utf8.RuneCountInString(text[lineStart:end]) + 1
		lineStart = end + 1
	}
	return dst
}

// isTerminator reports the runes that can end a sentence.
func isTerminator(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '؟' || r == '…'
}

// isCloser reports closing quotes and brackets that stay with the sentence
// they close: «قال: نعم.» ends after the ».
func isCloser(r rune) bool {
	return r == '»' || r == '”' || r == '"' || r == ')' || r == ']' || r == '’' || r == '\''
}

// latinAbbreviations are words that end in a period without ending the sentence.
var latinAbbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "gen": true, "col": true,
	"lt": true, "sen": true, "rep": true, "st": true, "no": true, "vs": true, "etc": true,
	"jr": true, "sr": true, "u.s": true, "u.n": true, "u.k": true, "e.g": true, "i.e": true,
}

// cursor converts increasing byte offsets to code-point offsets in one pass.
type cursor struct {
	text       string
	byte, rune int
}

func (c *cursor) runeAt(b int) int {
	c.rune += utf8.RuneCountInString(c.text[c.byte:b])
	c.byte = b
	return c.rune
}

// splitLine cuts text[start:end], one line, into sentences.
func splitLine(text string, start, end, runeBase int, dst []Sentence) []Sentence {
	line := text[start:end]
	cur := &cursor{text: text, byte: start, rune: runeBase}
	// A quotation only counts as open when it closes later on the line:
	// real text leaves many quotes unbalanced.
	lastGuillemet := strings.LastIndex(line, "»")
	lastCurly := max(strings.LastIndex(line, "“"), strings.LastIndex(line, "”"))
	lastStraight := strings.LastIndexByte(line, '"')
	sentStart := 0 // byte offset within line
	guillemets := 0
	inCurly, inStraight := false, false
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		switch {
		case r == '«':
			if i < lastGuillemet {
				guillemets++
			}
		case r == '»':
			if guillemets > 0 {
				guillemets--
			}
		case r == '“' || r == '”':
			// Arabic text opens quotations with either curly quote.
			inCurly = !inCurly && i < lastCurly
		case r == '"':
			inStraight = !inStraight && i < lastStraight
		}
		if !isTerminator(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(line) {
			r2, s2 := utf8.DecodeRuneInString(line[j:])
			if !isTerminator(r2) {
				break
			}
			j += s2
		}
		if guillemets > 0 || inCurly || inStraight {
			// Inside a quotation a sentence ends only where the quotation
			// closes right after the terminator: «... انتهى.» ثم
			g, c, st := guillemets, inCurly, inStraight
			k := j
			for k < len(line) && (g > 0 || c || st) {
				r2, s2 := utf8.DecodeRuneInString(line[k:])
				if r2 == '»' && g > 0 {
					g--
				} else if (r2 == '”' || r2 == '“') && c {
					c = false
				} else if r2 == '"' && st {
					st = false
				} else {
					break
				}
				k += s2
			}
			if g > 0 || c || st {
				i = j
				continue
			}
			if k < len(line) {
				if next, _ := utf8.DecodeRuneInString(line[k:]); !unicode.IsSpace(next) {
					i = j
					continue
				}
			}
			guillemets, inCurly, inStraight = g, c, st
			j = k
		}
		if r == '.' && j == i+size && !endsSentenceAtPeriod(line, i) {
			i = j
			continue
		}
		for j < len(line) {
			r2, s2 := utf8.DecodeRuneInString(line[j:])
			if !isCloser(r2) {
				break
			}
			j += s2
		}
		if j < len(line) {
			next, _ := utf8.DecodeRuneInString(line[j:])
			// A terminator glued to the next word ends a sentence only
			// when a letter follows, as in "الأقل.وأضاف".
			if !unicode.IsSpace(next) && !unicode.IsLetter(next) {
				i = j
				continue
			}
		}
		dst = appendTrimmed(cur, start+sentStart, start+j, dst)
		sentStart = j
		i = j
	}
	return appendTrimmed(cur, start+sentStart, end, dst)
}

// endsSentenceAtPeriod decides a single period at line[i].
func endsSentenceAtPeriod(line string, i int) bool {
	prev, _ := utf8.DecodeLastRuneInString(line[:i])
	next, _ := utf8.DecodeRuneInString(line[i+1:])
	if unicode.IsDigit(prev) && unicode.IsDigit(next) {
		return false // decimal or date: 3.5, 14.07.2016
	}
	w := i // start of the word before the period; abbreviations are short
	for w > 0 && i-w < 16 {
		r, s := utf8.DecodeLastRuneInString(line[:w])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		w -= s
	}
	word := line[w:i]
	switch {
	case word == "":
		return true
	case utf8.RuneCountInString(word) == 1:
		return false // initial or one-letter abbreviation: د. أ. م. J.
	case latinAbbreviations[strings.ToLower(word)]:
		return false
	case unicode.In(prev, unicode.Latin) && unicode.In(next, unicode.Latin):
		return false // www.example.com
	}
	return true
}

// appendTrimmed appends text[from:to] without surrounding white space,
// unless nothing is left.
func appendTrimmed(cur *cursor, from, to int, dst []Sentence) []Sentence {
	text := cur.text
	for from < to {
		r, s := utf8.DecodeRuneInString(text[from:to])
		if !unicode.IsSpace(r) && !isInvisible(r) {
			break
		}
		from += s
	}
	for to > from {
		r, s := utf8.DecodeLastRuneInString(text[from:to])
		if !unicode.IsSpace(r) && !isInvisible(r) {
			break
		}
		to -= s
	}
	if from == to {
		return dst
	}
	rs := cur.runeAt(from)
	return append(dst, Sentence{Start: from, End: to, RuneStart: rs, RuneEnd: cur.runeAt(to)})
}

// isInvisible reports format characters that carry no text: a sentence
// never starts or ends with them.
func isInvisible(r rune) bool {
	return r == '\uFEFF' || r == '\u200B' || r == '\u200E' || r == '\u200F'
}
