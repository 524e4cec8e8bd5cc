package corpus

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/arabic"
	"github.com/stance-project/stance/lexicon"
)

// Role says what a file is for; the minimums differ by role.
type Role string

// The roles of annotated files under testdata/.
const (
	RoleCorpus    Role = "corpus"    // original training corpus, testdata/corpus/*.jsonl
	RoleChallenge Role = "challenge" // evaluation-only hard sentences, testdata/challenge.jsonl
	RoleSeeds     Role = "seeds"     // standoff annotations of the real seed articles
	RoleOther     Role = "other"
)

// Set is one file's records.
type Set struct {
	Path    string
	Role    Role
	Records []stance.Record
}

// Problem is one thing wrong with the data.
type Problem struct {
	Path string `json:"path"`
	ID   string `json:"id,omitempty"`
	Msg  string `json:"message"`
}

func (p Problem) String() string {
	if p.ID == "" {
		return p.Path + ": " + p.Msg
	}
	return p.Path + ": " + p.ID + ": " + p.Msg
}

// Report is the result of Check: every problem, and counts by role.
type Report struct {
	Problems []Problem       `json:"problems"`
	Stats    map[Role]*Stats `json:"stats"`
	// SeedOnlyEntries are the lexicon entries only the seeds use
	// (SeedOnlyEntries), set by the caller when the seeds are checked.
	SeedOnlyEntries []LexiconEntry `json:"seed_only_entries,omitempty"`
}

// Stats are the counts the data card reports for one role.
type Stats struct {
	Sentences       int                                    `json:"sentences"`
	Documents       int                                    `json:"documents"`
	Stance          map[stance.Stance]int                  `json:"stance"`
	NoneShare       float64                                `json:"none_share"`
	Sentiment       map[stance.Sentiment]int               `json:"sentiment"`
	StanceSentiment map[string]int                         `json:"stance_sentiment"`
	HardCases       map[string]int                         `json:"hard_cases"`
	Holders         int                                    `json:"distinct_holders"`
	HolderSides     map[stance.Stance]map[lexicon.Side]int `json:"holder_sides"`
	holderSet       map[string]struct{}
	docs            map[string]struct{}
}

// HardCaseKinds are the kinds of difficult sentence the corpus must cover.
var HardCaseKinds = []string{"negated", "until", "concessive", "question", "mixed", "distractor"}

func newStats() *Stats {
	st := &Stats{
		Stance: map[stance.Stance]int{}, Sentiment: map[stance.Sentiment]int{},
		StanceSentiment: map[string]int{}, HardCases: map[string]int{},
		HolderSides: map[stance.Stance]map[lexicon.Side]int{},
		holderSet:   map[string]struct{}{}, docs: map[string]struct{}{},
	}
	for _, s := range stance.Stances {
		st.Stance[s] = 0
		st.HolderSides[s] = map[lexicon.Side]int{lexicon.SideUS: 0, lexicon.SideRussia: 0, lexicon.SideOther: 0}
		for _, m := range stance.Sentiments {
			st.StanceSentiment[string(s)+"/"+string(m)] = 0
		}
	}
	for _, m := range stance.Sentiments {
		st.Sentiment[m] = 0
	}
	for _, k := range HardCaseKinds {
		st.HardCases[k] = 0
	}
	return st
}

// Check validates the sets together (ids and near-duplicates are checked
// across all of them) and counts each role.
func Check(sets []Set, lx *lexicon.Lexicon) Report {
	rep := Report{Problems: []Problem{}, Stats: map[Role]*Stats{}}
	bad := func(path, id, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{Path: path, ID: id, Msg: fmt.Sprintf(format, args...)})
	}
	ids := map[string]string{}
	docFile := map[string]string{}
	var all []dupEntry
	for _, set := range sets {
		st := rep.Stats[set.Role]
		if st == nil {
			st = newStats()
			rep.Stats[set.Role] = st
		}
		docSize := map[string]int{}
		lastDoc, lastNum := "", 0
		for _, r := range set.Records {
			checkRecord(r, func(f string, a ...any) { bad(set.Path, r.ID, f, a...) })
			if prev, dup := ids[r.ID]; dup {
				bad(set.Path, r.ID, "id already used in %s", prev)
			}
			ids[r.ID] = set.Path
			if r.DocID != lastDoc {
				if f, seen := docFile[r.DocID]; seen {
					bad(set.Path, r.ID, "document %s is not contiguous (already seen in %s)", r.DocID, f)
				}
				docFile[r.DocID] = set.Path
				lastDoc, lastNum = r.DocID, 0
			}
			if n, ok := sentenceNumber(r); ok {
				if n <= lastNum {
					bad(set.Path, r.ID, "sentence number %d after %d: document out of order", n, lastNum)
				}
				lastNum = n
			}
			docSize[r.DocID]++
			count(st, r, lx)
			all = append(all, dupEntry{path: set.Path, id: r.ID, grams: trigrams(r.Text)})
		}
		if set.Role == RoleCorpus {
			for doc, n := range docSize {
				if n < 5 || n > 15 {
					bad(set.Path, "", "document %s has %d sentences, want 5 to 15", doc, n)
				}
			}
		}
	}
	for _, d := range nearDuplicates(all, 0.6) {
		bad(d.a.path, d.a.id, "near-duplicate of %s in %s (word 3-gram Jaccard %.2f)", d.b.id, d.b.path, d.score)
	}
	for role, st := range rep.Stats {
		st.Documents = len(st.docs)
		st.Holders = len(st.holderSet)
		if st.Sentences > 0 {
			st.NoneShare = float64(st.Stance[stance.None]) / float64(st.Sentences)
		}
		for _, msg := range minimums(role, st) {
			bad(string(role), "", "below minimum: %s", msg)
		}
	}
	sort.SliceStable(rep.Problems, func(i, j int) bool {
		a, b := rep.Problems[i], rep.Problems[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Msg < b.Msg
	})
	return rep
}

func checkRecord(r stance.Record, bad func(string, ...any)) {
	switch {
	case r.ID == "":
		bad("missing id")
	case r.DocID == "":
		bad("missing doc_id")
	case strings.TrimSpace(r.Text) == "":
		bad("empty text")
	case !utf8.ValidString(r.Text):
		bad("text is not valid UTF-8")
	}
	if strings.TrimSpace(r.Text) != r.Text {
		bad("text has leading or trailing white space")
	}
	if !r.Stance.Valid() {
		bad("stance %q is not one of %v", r.Stance, stance.Stances)
	}
	if !r.Sentiment.Valid() {
		bad("sentiment %q is not one of %v", r.Sentiment, stance.Sentiments)
	}
	span := func(what string, s stance.Span) {
		got, err := stance.SliceRunes(r.Text, s.Start, s.End)
		switch {
		case err != nil:
			bad("%s: %v", what, err)
		case s.Start == s.End:
			bad("%s [%d,%d) is empty", what, s.Start, s.End)
		case got != s.Text:
			bad("%s [%d,%d) is %q in the text but %q in the record", what, s.Start, s.End, got, s.Text)
		}
	}
	if r.Holder != nil {
		span("holder", *r.Holder)
	}
	for i, e := range r.Evidence {
		span(fmt.Sprintf("evidence[%d]", i), e)
	}
	if r.Stance == stance.None && len(r.Evidence) > 0 {
		bad("stance none carries evidence; the guide leaves it empty")
	}
	if r.Stance.Valid() && r.Stance != stance.None && len(r.Evidence) == 0 {
		bad("stance %s without evidence", r.Stance)
	}
	if r.Mixed && r.Stance == stance.None {
		bad("mixed is set on a none sentence; mixed means two holders' stances")
	}
}

// sentenceNumber reads N from an id of the form <doc_id>-sN.
func sentenceNumber(r stance.Record) (int, bool) {
	rest, ok := strings.CutPrefix(r.ID, r.DocID+"-s")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil
}

func words(text string) []string {
	toks := arabic.Tokenize(text, nil)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Norm
	}
	return out
}

func count(st *Stats, r stance.Record, lx *lexicon.Lexicon) {
	st.Sentences++
	st.docs[r.DocID] = struct{}{}
	st.Stance[r.Stance]++
	st.Sentiment[r.Sentiment]++
	st.StanceSentiment[string(r.Stance)+"/"+string(r.Sentiment)]++
	for _, k := range HardCases(r, lx) {
		st.HardCases[k]++
	}
	if r.Holder != nil {
		norm := arabic.Normalize(r.Holder.Text)
		st.holderSet[norm] = struct{}{}
		if m := st.HolderSides[r.Stance]; m != nil {
			m[lx.ActorOf(norm).Side]++
		}
	}
}

// HardCases returns the hard-case kinds a sentence shows, found by the cue
// lexicons: a negation before a cue, a refusal until a change, a concessive
// clause, a rhetorical question, two holders, or a distractor (cue words in
// a none sentence, about another target).
func HardCases(r stance.Record, lx *lexicon.Lexicon) []string {
	w := words(r.Text)
	masks := make([]lexicon.Mask, len(w))
	lx.Classify(w, masks)
	var any lexicon.Mask
	for _, m := range masks {
		any |= m
	}
	const cues = 1<<lexicon.Support | 1<<lexicon.Opposition | 1<<lexicon.Condition | 1<<lexicon.Until
	if r.Stance == stance.None {
		if any&cues != 0 {
			return []string{"distractor"}
		}
		return nil
	}
	var kinds []string
	if negatedCue(masks) {
		kinds = append(kinds, "negated")
	}
	if r.Stance == stance.Conditional && any.Has(lexicon.Until) {
		kinds = append(kinds, "until")
	}
	if any.Has(lexicon.Contrast) || any.Has(lexicon.Adversative) {
		kinds = append(kinds, "concessive")
	}
	if strings.ContainsAny(r.Text, "؟?") {
		kinds = append(kinds, "question")
	}
	if r.Mixed {
		kinds = append(kinds, "mixed")
	}
	return kinds
}

// negatedCue reports a negation followed within three words by a cue of
// support, opposition or the target itself.
func negatedCue(masks []lexicon.Mask) bool {
	const cued = 1<<lexicon.Support | 1<<lexicon.Opposition | 1<<lexicon.Coordination
	for i, m := range masks {
		if !m.Has(lexicon.Negation) {
			continue
		}
		for j := i + 1; j < len(masks) && j <= i+3; j++ {
			if masks[j]&cued != 0 && !masks[j].Has(lexicon.Negation) {
				return true
			}
		}
	}
	return false
}
