package arabic

import (
	"strings"

	"github.com/blevesearch/snowballstem"
	snowballarabic "github.com/blevesearch/snowballstem/arabic"
)

// StripConjunction removes a leading و or ف (and, so) from a normalised
// word when enough is left to be a word of its own. The Snowball stemmer
// keeps these, so والتعاون and التعاون would otherwise stem apart.
func StripConjunction(norm string) string {
	if len(norm) > 6 && (strings.HasPrefix(norm, "و") || strings.HasPrefix(norm, "ف")) {
		return norm[len("و"):]
	}
	return norm
}

// Bare strips the conjunction, a single-letter preposition (ب ل ك) and the
// article from a normalised word: وبالتنسيق → تنسيق. It is meant for lexicon
// lookups, where an entry is written once in its bare form.
func Bare(norm string) string {
	w := StripConjunction(norm)
	for _, p := range []string{"بال", "لل", "كال", "ال"} {
		if strings.HasPrefix(w, p) && len(w)-len(p) >= 4 {
			return w[len(p):]
		}
	}
	return w
}

// Stem returns the light stem of a normalised word: the conjunction is
// stripped, then the Snowball Arabic stemmer removes articles, prepositions
// and common suffixes.
func Stem(norm string) string {
	env := snowballstem.NewEnv(StripConjunction(norm))
	snowballarabic.Stem(env)
	return env.Current()
}
