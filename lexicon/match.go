package lexicon

import (
	"unicode/utf8"

	"github.com/stance-project/stance/arabic"
)

type phrase struct {
	rest []string // words after the first
	mask Mask
}

// matcher answers, for every word of a sentence, which lists cover it. It
// is built once per lexicon: per word it costs a few map lookups instead of
// a scan of every entry.
type matcher struct {
	exact   map[string]Mask
	prefix  map[string]Mask
	phrases map[string][]phrase // by first word
	maxPre  int                 // longest prefix entry, bytes
}

func newMatcher(lists []*List) *matcher {
	m := &matcher{exact: map[string]Mask{}, prefix: map[string]Mask{}, phrases: map[string][]phrase{}}
	for c, l := range lists {
		bit := Mask(1) << c
		for w := range l.words {
			m.exact[w] |= bit
		}
		for _, p := range l.prefixes {
			m.prefix[p] |= bit
			m.maxPre = max(m.maxPre, len(p))
		}
		for _, ph := range l.phrases {
			m.phrases[ph[0]] = append(m.phrases[ph[0]], phrase{rest: ph[1:], mask: bit})
		}
	}
	return m
}

// wordMask returns the classes whose single-word entries match w, as
// written, without its conjunction, or in its bare form.
func (m *matcher) wordMask(w string) Mask {
	var mask Mask
	strip := arabic.StripConjunction(w)
	bare := arabic.Bare(w)
	for i, v := range [3]string{w, strip, bare} {
		if (i == 1 && v == w) || (i == 2 && (v == strip || v == w)) {
			continue
		}
		mask |= m.exact[v]
		for k := 0; k < len(v) && k <= m.maxPre; {
			_, size := utf8.DecodeRuneInString(v[k:])
			k += size
			mask |= m.prefix[v[:k]]
		}
	}
	return mask
}

// Classify sets masks[i] to the classes that cover words[i]. A phrase marks
// every word it covers. masks must be at least as long as words.
func (lx *Lexicon) Classify(words []string, masks []Mask) {
	for i, w := range words {
		masks[i] = lx.match.wordMask(w)
	}
	lx.ApplyPhrases(words, masks)
}

// WordMask returns the classes whose single-word entries match w; Classify
// adds the phrases. Callers that cache per-word masks use the two halves.
func (lx *Lexicon) WordMask(w string) Mask { return lx.match.wordMask(w) }

// ApplyPhrases adds to masks the classes of the multi-word entries found in words.
func (lx *Lexicon) ApplyPhrases(words []string, masks []Mask) {
	m := lx.match
	for i, w := range words {
		strip := arabic.StripConjunction(w)
		for k, first := range [2]string{w, strip} {
			if k == 1 && strip == w {
				break
			}
			for _, ph := range m.phrases[first] {
				if i+len(ph.rest) >= len(words) {
					continue
				}
				ok := true
				for j, pw := range ph.rest {
					if words[i+1+j] != pw {
						ok = false
						break
					}
				}
				if ok {
					for j := 0; j <= len(ph.rest); j++ {
						masks[i+j] |= ph.mask
					}
				}
			}
		}
	}
}
