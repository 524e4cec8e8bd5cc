package corpus

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stance-project/stance/features"
	"github.com/stance-project/stance/lexicon"
)

// LexiconEntry is one entry of a lexicon data file as written there: a
// word, a phrase or a prefix* of a cue list, or the pattern of an actor
// table row.
type LexiconEntry struct {
	File  string `json:"file"`
	Entry string `json:"entry"`
}

// SeedOnlyEntries returns the entries of the lexicon files that match a
// sentence of the seed articles and no sentence of the training corpus, in
// file and line order; nil when the sets hold no seeds.
//
// Such an entry cannot change what training learns (a cue class's weight
// comes from the corpus sentences its entries match), only how the seeds
// are scored. An entry added after reading the seeds' errors is knowledge
// the seeds handed over, and the seed figures overstate by as much what the
// lexicon knows of reporting nobody has read: the data card lists these
// entries so that a figure without them can be measured
// (bench/seed_only_entries.py).
func SeedOnlyEntries(sets []Set, files map[string][]byte) ([]LexiconEntry, error) {
	lx, err := lexicon.Parse(files)
	if err != nil {
		return nil, err
	}
	ext := features.New(features.DefaultConfig, lx)
	words := func(role Role) [][]string {
		var out [][]string
		var sc features.Scratch
		for _, set := range sets {
			if set.Role != role {
				continue
			}
			for _, r := range set.Records {
				ext.Analyse(r.Text, &sc)
				out = append(out, slices.Clone(sc.Words()))
			}
		}
		return out
	}
	seeds := words(RoleSeeds)
	if len(seeds) == 0 {
		return nil, nil
	}
	corpus := words(RoleCorpus)

	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var found []LexiconEntry
	for _, name := range names {
		for line := range lexicon.Entries(files[name]) {
			matches, err := entryMatcher(files, name, line)
			if err != nil {
				return nil, err
			}
			if slices.ContainsFunc(seeds, matches) && !slices.ContainsFunc(corpus, matches) {
				found = append(found, LexiconEntry{File: name, Entry: strings.SplitN(line, "\t", 2)[0]})
			}
		}
	}
	return found, nil
}

// entryMatcher returns a test of whether the one entry line of file name
// matches a sentence's normalised words, as the lexicon matches it: a
// lexicon made of that entry alone, every other list empty.
func entryMatcher(files map[string][]byte, name, line string) (func([]string) bool, error) {
	if name == "actors.tsv" {
		actors, err := lexicon.ParseActors([]byte(line + "\n"))
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %w", name, line, err)
		}
		return func(words []string) bool {
			for i := range words {
				if n, _ := actors.MatchAt(words, i); n > 0 {
					return true
				}
			}
			return false
		}, nil
	}
	one := make(map[string][]byte, len(files))
	for n, b := range files {
		if strings.HasSuffix(n, ".txt") {
			b = nil
		}
		one[n] = b
	}
	one[name] = []byte(line + "\n")
	lx, err := lexicon.Parse(one)
	if err != nil {
		return nil, fmt.Errorf("%s: %q: %w", name, line, err)
	}
	var masks []lexicon.Mask
	return func(words []string) bool {
		masks = slices.Grow(masks[:0], len(words))[:len(words)]
		clear(masks)
		lx.Classify(words, masks)
		lx.ApplyPhrases(words, masks)
		return slices.ContainsFunc(masks, func(m lexicon.Mask) bool { return m != 0 })
	}, nil
}
