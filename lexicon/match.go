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
	m := lx.match
	for i, w := range words {
		masks[i] = m.wordMask(w)
	}
	for i, w := range words {
		for _, first := range [2]string{w, arabic.StripConjunction(w)} {
			for _, ph := range m.phrases[first] {
				if i+len(ph.rest) >= len(words) {
					continue
				}
				ok := true
				for k, pw := range ph.rest {
					if words[i+1+k] != pw {
						ok = false
						break
					}
				}
				if ok {
					for k := 0; k <= len(ph.rest); k++ {
						masks[i+k] |= ph.mask
					}
				}
			}
			if first == arabic.StripConjunction(w) {
				break
			}
		}
	}
}
