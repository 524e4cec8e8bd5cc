package holder_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/holder"
	"github.com/stance-project/stance/lexicon"
)

// annotatedHolders reads every record with a holder from the corpus and the
// challenge set.
func annotatedHolders(t *testing.T) []stance.Record {
	t.Helper()
	files, err := filepath.Glob("../testdata/corpus/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	var recs []stance.Record
	for _, name := range append(files, "../testdata/challenge.jsonl") {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var r stance.Record
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if r.Holder != nil {
				recs = append(recs, r)
			}
		}
		f.Close()
	}
	return recs
}

// TestAnnotatedHoldersAreCandidates checks, on every annotated holder, the
// two claims the candidate rules rest on: no holder starts or ends on a
// function word, and a holder that starts after a fused conjunction
// (وموسكو → موسكو) starts where Start puts it. It logs the counts the
// comments of Candidates and Start quote.
func TestAnnotatedHoldersAreCandidates(t *testing.T) {
	recs := annotatedHolders(t)
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatal(err)
	}
	inside, startFound, wrongCut, atQuote, functionEdges, unreachable, tooLong := 0, 0, 0, 0, 0, 0, 0
	for _, r := range recs {
		s := prepared(t, r.Text)
		c := holder.Candidate{First: -1, Last: -1}
		for i, tok := range s.Tokens {
			if tok.RuneEnd > r.Holder.Start && tok.RuneStart < r.Holder.End {
				if c.First < 0 {
					c.First = i
				}
				c.Last = i
			}
		}
		if c.First < 0 {
			continue // a holder of punctuation only
		}
		// With its first word a start word, is the holder a candidate?
		s.MarkStarts(holder.Starts{Words: map[string]bool{s.Bare[c.First]: true}})
		if !slices.Contains(holder.Candidates(s, nil), c) {
			unreachable++
			if c.Last-c.First+1 > holder.MaxWords {
				tooLong++
			}
		}
		if holder.IsFunctionWord(s.Words[c.First]) || holder.IsFunctionWord(s.Words[c.Last]) {
			functionEdges++
			t.Logf("%s: holder %q starts or ends on a function word", r.ID, r.Holder.Text)
		}
		wordStart := s.Tokens[c.First].RuneStart
		_, runeStart := holder.Start(s, c, lx.Actors)
		switch {
		case r.Holder.Start < wordStart:
			atQuote++ // «الوطن»: annotated from the opening quote
		case r.Holder.Start > wordStart:
			inside++
			if runeStart == r.Holder.Start {
				startFound++
			}
		case runeStart != wordStart:
			wrongCut++
			t.Logf("%s: Start cuts %q", r.ID, r.Holder.Text)
		}
	}
	t.Logf("%d holders: %d start inside a word (Start finds %d), %d at an opening quote, %d cut wrongly by Start, %d on a function word, %d no candidate (%d of them longer than %d words)",
		len(recs), inside, startFound, atQuote, wrongCut, functionEdges, unreachable, tooLong, holder.MaxWords)
	if startFound*10 < inside*8 || wrongCut*100 > len(recs) {
		t.Errorf("Start finds %d of %d holders that start inside a word and cuts %d others: the rule no longer fits the annotations", startFound, inside, wrongCut)
	}
	if functionEdges*1000 > len(recs) {
		t.Errorf("%d of %d holders start or end on a function word: the candidate rule no longer fits the annotations", functionEdges, len(recs))
	}
}

// TestCandidatesWithFactsAgreesWithFacts checks, on every candidate of the
// annotated sentences with every first word a start word, that the facts
// worked out as a span grows are those Facts works out span by span: the
// scorer uses the first, training the second.
func TestCandidatesWithFactsAgreesWithFacts(t *testing.T) {
	n := 0
	for _, r := range annotatedHolders(t) {
		s := prepared(t, r.Text)
		all := map[string]bool{}
		for _, b := range s.Bare {
			all[b] = true
		}
		s.MarkStarts(holder.Starts{Words: all})
		cands, idx := holder.CandidatesWithFacts(s, nil, nil)
		if want := holder.Candidates(s, nil); !slices.Equal(cands, want) {
			t.Fatalf("%s: candidates %v, Candidates gives %v", r.ID, cands, want)
		}
		for k, c := range cands {
			if want := holder.Facts(s, c).Index(); int(idx[k]) != want {
				t.Fatalf("%s: span %v: index %d, Facts gives %d (%+v)", r.ID, c, idx[k], want, holder.Facts(s, c))
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no candidates checked")
	}
	t.Logf("%d candidates agree", n)
}
