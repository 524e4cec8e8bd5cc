package holder

import "github.com/stance-project/stance/lexicon"

// IsFunctionWord exposes the function-word list to the external tests.
func IsFunctionWord(norm string) bool { return functionWords[norm] }

// SpanBitsAgree reports whether the table of wordSpanBits gives what
// spanBitsOf works out, for mask m.
func SpanBitsAgree(m lexicon.Mask) bool { return wordSpanBits(m) == spanBitsOf(m) }

// TrimSpace exposes trimSpace to the external tests.
func TrimSpace(s string) string { return trimSpace(s) }

// MayHoldQuotes exposes mayHoldQuotes to the external tests.
func MayHoldQuotes(s string) bool { return mayHoldQuotes(s) }
