package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stance-project/stance/holder"
)

// edgeTables hold the holder head's weights for the features of a span's
// first and last words (holder.FirstFacts and holder.LastFacts), folded at
// load by template: scoring a word as an edge takes a few map lookups on
// the facts' values, and the words' own roles share one lookup, instead of
// building and hashing a key per feature.
type edgeTables struct {
	word      map[string]*wordRoles // by bare word; "^" and "$" stand beyond the sentence
	pair      map[[2]string]float64 // first word, previous word
	firstHead map[string]float64
	pos       map[string]float64
	gapBefore map[string]float64
	lastShape map[[2]string]float64 // head, tail
	nextHead  map[string]float64
	cueAfter  map[string]float64
	gapAfter  map[string]float64

	afterReporting, beforeReporting, atEnd float64
}

// wordRoles are the weights of one word in each of the roles a word's own
// text plays in the edge features.
type wordRoles struct{ first, prev, prev2, last, next float64 }

// spanTemplates are the holder features that are not about the edges; the
// span weights (holderScorer.spanW) cover them.
var spanTemplates = []string{"h|len:", "h|has:", "h|side-word", "h|actor:", "h|actor-exact", "h|bias"}

// newEdgeTables folds the weight of every vocabulary key into its table.
// A key of no known template is an error: a model trained with features
// this build does not compute would be scored wrong.
func newEdgeTables(vocab []string, weights []float32) (*edgeTables, error) {
	t := &edgeTables{
		word: map[string]*wordRoles{}, pair: map[[2]string]float64{}, firstHead: map[string]float64{},
		pos: map[string]float64{}, gapBefore: map[string]float64{}, lastShape: map[[2]string]float64{},
		nextHead: map[string]float64{}, cueAfter: map[string]float64{}, gapAfter: map[string]float64{},
	}
	roles := func(w string) *wordRoles {
		r := t.word[w]
		if r == nil {
			r = &wordRoles{}
			t.word[w] = r
		}
		return r
	}
	for i, key := range vocab {
		w := float64(weights[i])
		cut := func(prefix string) (string, bool) { return strings.CutPrefix(key, prefix) }
		if v, ok := cut(holder.KeyFirstPrev); ok {
			a, b, found := strings.Cut(v, "|")
			if !found {
				return nil, fmt.Errorf("%w: holder feature %q has no word pair", ErrInvalidModel, key)
			}
			t.pair[[2]string{a, b}] += w
		} else if v, ok := cut(holder.KeyFirstHead); ok {
			t.firstHead[v] += w
		} else if v, ok := cut(holder.KeyFirst); ok {
			roles(v).first += w
		} else if v, ok := cut(holder.KeyPrev2); ok {
			roles(v).prev2 += w
		} else if v, ok := cut(holder.KeyPrev); ok {
			roles(v).prev += w
		} else if v, ok := cut(holder.KeyPos); ok {
			t.pos[v] += w
		} else if key == holder.KeyAfterReporting {
			t.afterReporting += w
		} else if v, ok := cut(holder.KeyGapBefore); ok {
			t.gapBefore[v] += w
		} else if v, ok := cut(holder.KeyLastHead); ok {
			h, tl, found := strings.Cut(v, holder.KeyLastTail)
			if !found {
				return nil, fmt.Errorf("%w: holder feature %q has no tail", ErrInvalidModel, key)
			}
			t.lastShape[[2]string{h, tl}] += w
		} else if v, ok := cut(holder.KeyLast); ok {
			roles(v).last += w
		} else if v, ok := cut(holder.KeyNextHead); ok {
			t.nextHead[v] += w
		} else if v, ok := cut(holder.KeyNext); ok {
			roles(v).next += w
		} else if v, ok := cut(holder.KeyCueAfter); ok {
			t.cueAfter[v] += w
		} else if key == holder.KeyBeforeReporting {
			t.beforeReporting += w
		} else if v, ok := cut(holder.KeyGapAfter); ok {
			t.gapAfter[v] += w
		} else if key == holder.KeyAtEnd {
			t.atEnd += w
		} else if !isSpanKey(key) {
			return nil, fmt.Errorf("%w: holder feature %q is of no template this build knows", ErrInvalidModel, key)
		}
	}
	return t, nil
}

func isSpanKey(key string) bool {
	for _, p := range spanTemplates {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

var noRoles = &wordRoles{}

func (t *edgeTables) rolesOf(w string) *wordRoles {
	if r := t.word[w]; r != nil {
		return r
	}
	return noRoles
}

// roleCache looks up the roles of a prepared sentence's words on first
// use: only the words at and around candidate edges are ever needed.
type roleCache struct {
	t     *edgeTables
	s     *holder.Sentence
	roles []*wordRoles // roles[i+2] is word i's; nil until looked up
}

// reset readies the cache for sentence s, reusing its storage.
func (c *roleCache) reset(t *edgeTables, s *holder.Sentence) {
	n := len(s.Bare) + 3 // two places before the sentence, one after
	c.t, c.s = t, s
	c.roles = slices.Grow(c.roles[:0], n)[:n]
	clear(c.roles)
}

// at returns the roles of word i; -1 and -2 stand before the sentence and
// len(words) after it.
func (c *roleCache) at(i int) *wordRoles {
	r := c.roles[i+2]
	if r == nil {
		switch {
		case i < 0:
			r = c.t.rolesOf("^")
		case i >= len(c.s.Bare):
			r = c.t.rolesOf("$")
		default:
			r = c.t.rolesOf(c.s.Bare[i])
		}
		c.roles[i+2] = r
	}
	return r
}

// first is the summed weight of the features of word i, whose facts are f.
func (t *edgeTables) first(f holder.FirstFacts, i int, roles *roleCache) float64 {
	z := roles.at(i).first + roles.at(i-1).prev + roles.at(i-2).prev2 +
		t.pos[f.Pos] + t.pair[[2]string{f.Word, f.Prev}] + t.firstHead[f.Head]
	if f.AfterReporting {
		z += t.afterReporting
	}
	if f.GapBefore != "" {
		z += t.gapBefore[f.GapBefore]
	}
	return z
}

// last is the summed weight of the features of word j, whose facts are f.
func (t *edgeTables) last(f holder.LastFacts, j int, roles *roleCache) float64 {
	z := roles.at(j).last + roles.at(j+1).next + t.lastShape[[2]string{f.Head, f.Tail}] +
		t.nextHead[f.NextHead] + t.cueAfter[f.CueAfter]
	if f.BeforeReporting {
		z += t.beforeReporting
	}
	switch {
	case f.AtEnd:
		z += t.atEnd
	case f.GapAfter != "":
		z += t.gapAfter[f.GapAfter]
	}
	return z
}
