package training

import (
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/stance-project/stance"
	modelv1 "github.com/stance-project/stance/api/stance/model/v1"
	"github.com/stance-project/stance/arabic"
	"github.com/stance-project/stance/evidence"
	"github.com/stance-project/stance/features"
	"github.com/stance-project/stance/model"
	"google.golang.org/protobuf/proto"
)

// Settings of the evidence tagger: a few hundred features over tens of
// thousands of words, so a fixed light regularisation serves.
const (
	taggerL2       = 1e-3
	taggerMinCount = 3
	taggerMaxIter  = 200
)

// taggerWord is one word of a sentence with gold evidence: its feature
// keys, whether the annotators put it in the evidence, and its sentence.
type taggerWord struct {
	keys []uint64
	in   bool
	rec  int
}

// taggerWords describes every word of the held-out sentences of each fold
// with gold evidence, as that fold's model sees them: contributions to the
// gold stance over the strongest other stance. Sentences whose gold stance
// is none carry no stance evidence to learn from.
func (t *trainer) taggerWords(models []*model.Model, names map[uint64]string) []taggerWord {
	var out []taggerWord
	var p evidence.Prepared
	var key []byte
	for f, test := range t.folds {
		for _, r := range test {
			rec := t.recs[r]
			if len(rec.Evidence) == 0 || rec.Stance == stance.None {
				continue
			}
			toks, s := models[f].ExplainWords(rec.Text, rec.Stance)
			p.Prepare(&s)
			if p.Top() < 0 {
				continue
			}
			for i, tok := range toks {
				w := taggerWord{rec: r}
				for _, e := range rec.Evidence {
					if tok.RuneEnd > e.Start && tok.RuneStart < e.End {
						w.in = true
					}
				}
				p.Word(&s, i).Each(func(g evidence.Group, v int) {
					for _, label := range []string{"", string(rec.Stance)} {
						if label != "" && !evidence.Labelled[g] {
							continue
						}
						key = evidence.Key(key[:0], g, label, v)
						h := features.Hash(key)
						if _, ok := names[h]; !ok {
							names[h] = string(key)
						}
						w.keys = append(w.keys, h)
					}
				})
				out = append(out, w)
			}
		}
	}
	return out
}

// fitTagger fits the tagger on the words for which use is true.
func fitTagger(words []taggerWord, use func(taggerWord) bool, names map[uint64]string) (*modelv1.EvidenceTagger, error) {
	var examples []binaryExample
	for _, w := range words {
		if use(w) {
			examples = append(examples, binaryExample{keys: w.keys, pos: w.in})
		}
	}
	fit, err := fitBinary(examples, names, taggerMinCount, fitSettings{l2: taggerL2, maxIter: taggerMaxIter})
	if err != nil {
		return nil, err
	}
	return &modelv1.EvidenceTagger{Vocabulary: fit.vocab, Weights: fit.weights, Bias: fit.bias, Threshold: 0.5}, nil
}

// evidenceChoice is one point of the evidence search: span settings and
// whether the tagger (at which threshold) chooses the words.
type evidenceChoice struct {
	settings  model.EvidenceSettings
	threshold float32 // 0: words chosen by share, no tagger
}

// evidenceGrid lists the choices the search tries, in order of preference
// on ties: the tagger first, then selection by share. longest caps every
// span (see longestAnnotatedSpan); a tighter cap is tried too.
func evidenceGrid(longest int) []evidenceChoice {
	var grid []evidenceChoice
	// The tagger knows clauses already (a feature), so it is not also
	// tried with spans stopped at clause boundaries.
	for _, th := range []float32{0.3, 0.4, 0.5} {
		for _, words := range []int{longest, 12} {
			for _, gap := range []int{1, 2, 3} {
				grid = append(grid, evidenceChoice{model.EvidenceSettings{MaxGap: gap, MaxWords: words}, th})
			}
		}
	}
	// Selection by share, the fallback: the tagger has won it by several
	// points on every corpus so far, so only its former best settings stay.
	for _, clause := range []bool{true, false} {
		for _, gap := range []int{3, 6} {
			grid = append(grid, evidenceChoice{model.EvidenceSettings{MaxGap: gap, WithinClause: clause, MaxWords: longest}, 0})
		}
	}
	return grid
}

// longestAnnotatedSpan is the length in words that 99 % of the annotated
// evidence spans do not exceed (0 when there are none: no cap). Spans ran
// on without a cap: in the long sentences of real reporting the model
// bridged its way to 30 or 40 words where annotators mark 7 to 20, and the
// corpus' sentences, shorter, never showed it to the search.
func longestAnnotatedSpan(recs []stance.Record) int {
	var lengths []int
	for _, r := range recs {
		for _, e := range r.Evidence {
			lengths = append(lengths, len(arabic.Tokenize(e.Text, nil)))
		}
	}
	if len(lengths) == 0 {
		return 0
	}
	slices.Sort(lengths)
	return max(lengths[(len(lengths)*99+99)/100-1], 1) // nearest rank
}

// withThreshold returns a copy of a tagger that uses another threshold.
func withThreshold(tg *modelv1.EvidenceTagger, th float32) *modelv1.EvidenceTagger {
	if th == 0 {
		return nil
	}
	c := proto.CloneOf(tg)
	c.Threshold = th
	return c
}

// tuneEvidence chooses how evidence spans are made, by out-of-fold
// evidence token-F1: each fold's classifier and a tagger fitted on the
// other folds' words score the fold's held-out sentences. It returns the
// span settings, the tagger fitted on every fold's words (nil when
// selection by share won), and the cross-validated figures.
func (t *trainer) tuneEvidence(c Candidate, st, sm crossFits, tSt, tSm float64) (model.EvidenceSettings, *modelv1.EvidenceTagger, EvidenceMetrics, error) {
	models := make([]*model.Model, len(t.folds))
	foldOf := make([]int, len(t.recs))
	for f, test := range t.folds {
		m, err := model.New(foldProto(c.Features, st.fits[f], sm.fits[f], tSt, tSm, model.EvidenceSettings{}, t.files, t.known, t.stems))
		if err != nil {
			return model.EvidenceSettings{}, nil, EvidenceMetrics{}, fmt.Errorf("fold model: %w", err)
		}
		models[f] = m
		for _, r := range test {
			foldOf[r] = f
		}
	}
	names := map[uint64]string{}
	words := t.taggerWords(models, names)
	taggers := make([]*modelv1.EvidenceTagger, len(t.folds))
	errs := make([]error, len(t.folds))
	var wg sync.WaitGroup
	for f := range t.folds {
		wg.Go(func() {
			taggers[f], errs[f] = fitTagger(words, func(w taggerWord) bool { return foldOf[w.rec] != f }, names)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return model.EvidenceSettings{}, nil, EvidenceMetrics{}, fmt.Errorf("fit tagger: %w", err)
		}
	}

	grid := evidenceGrid(longestAnnotatedSpan(t.recs))
	scores := make([]EvidenceMetrics, len(grid))
	errs = make([]error, len(grid))
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for g := range next {
				pred := make([][]runeRange, len(t.recs))
				for f, test := range t.folds {
					m, err := models[f].WithEvidence(grid[g].settings, withThreshold(taggers[f], grid[g].threshold))
					if err != nil {
						errs[g] = err
						break
					}
					for _, r := range test {
						if len(t.recs[r].Evidence) == 0 {
							continue
						}
						for _, e := range m.ClassifySentence(t.recs[r].Text, model.Options{NoHolders: true}).StanceEvidence {
							pred[r] = append(pred[r], runeRange{e.RuneStart, e.RuneEnd})
						}
					}
				}
				scores[g] = evidenceF1(t.recs, pred)
			}
		})
	}
	for g := range grid {
		next <- g
	}
	close(next)
	wg.Wait()
	best := 0
	for g := range grid {
		if errs[g] != nil {
			return model.EvidenceSettings{}, nil, EvidenceMetrics{}, errs[g]
		}
		if scores[g].TokenF1 > scores[best].TokenF1 {
			best = g
		}
	}
	choice := grid[best]
	ev := choice.settings
	var tagger *modelv1.EvidenceTagger
	if choice.threshold > 0 {
		all, err := fitTagger(words, func(taggerWord) bool { return true }, names)
		if err != nil {
			return model.EvidenceSettings{}, nil, EvidenceMetrics{}, fmt.Errorf("fit tagger: %w", err)
		}
		tagger = withThreshold(all, choice.threshold)
		t.logf("evidence: tagger (%d features, threshold %.2f), max gap %d, within clause %t: token-F1 %.4f",
			len(all.Vocabulary), choice.threshold, ev.MaxGap, ev.WithinClause, scores[best].TokenF1)
	} else {
		t.logf("evidence: min share %.2f, max gap %d, within clause %t, max words %d: token-F1 %.4f",
			ev.MinShare, ev.MaxGap, ev.WithinClause, ev.MaxWords, scores[best].TokenF1)
	}
	return ev, tagger, scores[best], nil
}
