// Package model is the inference side of stance: it loads a model artifact
// and, for any text, returns every sentence with its stance and sentiment,
// calibrated probabilities and the evidence spans behind each decision.
//
// A Model is immutable after Load and safe for concurrent use.
package model

import (
	"fmt"
	"math"
	"os"
	"slices"
	"sync"

	"github.com/stance-project/stance"
	modelv1 "github.com/stance-project/stance/api/stance/model/v1"
	"github.com/stance-project/stance/arabic"
	"github.com/stance-project/stance/evidence"
	"github.com/stance-project/stance/features"
	"github.com/stance-project/stance/holder"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/segment"
)

// DefaultMaxEvidence is how many evidence spans a head returns by default.
const DefaultMaxEvidence = 3

const (
	numStance    = 4
	numSentiment = 3
	numLabels    = numStance + numSentiment
)

// Model is a loaded classifier.
type Model struct {
	proto      *modelv1.Model
	ext        *features.Extractor
	vocab      *vocabTable
	weights    []float32 // feature-major: weights[f*numLabels+k], stance labels then sentiment
	bias       [numLabels]float32
	tStance    float32
	tSent      float32
	evSettings EvidenceSettings
	tagger     *evidenceTagger // nil: words are selected by their share alone
	// lengthNorm scales feature sums by 1/sqrt(occurrences).
	lengthNorm bool
	holders    *holderScorer    // nil when the model has no holder head
	lexicon    *lexicon.Lexicon // for the actor and side of a holder (ActorOf)
	scratch    sync.Pool
}

// Options tune one classification call.
type Options struct {
	// NoEvidence skips evidence spans.
	NoEvidence bool
	// MaxEvidence caps the spans per head; 0 means DefaultMaxEvidence.
	MaxEvidence int
	// NoHolders leaves out the holder of every sentence with a stance:
	// finding them adds about a tenth to the time (BenchmarkHolderOverhead).
	NoHolders bool
}

// Span is a stretch of the classified text with offsets in bytes and code
// points. Offsets are relative to the text passed in.
type Span struct {
	Start, End         int
	RuneStart, RuneEnd int
	Text               string
	// Weight is the span's share of the logit margin that decided the label.
	Weight float64
}

// Sentence is the result for one sentence.
type Sentence struct {
	Index int
	Span
	Stance            stance.Stance
	StanceProbs       [numStance]float64 // in stance.Stances order
	Sentiment         stance.Sentiment
	SentimentProbs    [numSentiment]float64 // in stance.Sentiments order
	StanceEvidence    []Span
	SentimentEvidence []Span
	// Holder holds the stance; nil for none and when no holder is found.
	Holder *Holder
}

type occurrence struct {
	id         int32
	tok0, tok1 int32
}

type scratch struct {
	fs      features.Scratch
	occ     []occurrence
	score   [numLabels]float32
	scale   float32 // length normalisation of the last scored sentence
	contr   []float64
	sel     []bool
	ev      evidence.Prepared
	sents   []segment.Sentence
	cands   []holder.Candidate
	spanIdx []int32   // the SpanFacts index of each of cands
	candZ   []float64 // the score of each of cands, for a choice head's probability
	hs      holder.Sentence
	edges   edgeCache
	// actors remembers the actor of the holder texts met so far, as written
	// (norm is the buffer a new one is normalised in): the same few
	// dozen names hold most stances, and normalising a holder and searching
	// the actor table for it cost about as much as listing the sentence's
	// candidates (CPU profile of BenchmarkClassifyHolders).
	actors map[string]actorRef
	norm   []byte
	// evidenceWords marks the words of the stance evidence, for holders.
	evidenceWords []bool
}

// actorRef is a holder's canonical actor and side.
type actorRef struct {
	id   string
	side lexicon.Side
}

// New builds a Model from a decoded artifact, checking that it is complete
// and consistent.
func New(p *modelv1.Model) (*Model, error) {
	fc := p.GetFeatures()
	if fc == nil {
		return nil, fmt.Errorf("%w: no feature configuration", ErrInvalidModel)
	}
	if fc.CharMin > fc.CharMax || fc.CharMax > 8 || fc.NegationScope > 16 {
		return nil, fmt.Errorf("%w: feature configuration out of range (char %d..%d, negation scope %d)", ErrInvalidModel, fc.CharMin, fc.CharMax, fc.NegationScope)
	}
	nf := len(p.Vocabulary)
	if err := checkHead("stance", p.Stance, labelsOf(stance.Stances), nf); err != nil {
		return nil, err
	}
	if err := checkHead("sentiment", p.Sentiment, labelsOf(stance.Sentiments), nf); err != nil {
		return nil, err
	}
	lx, err := lexicon.Parse(p.Lexicon)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidModel, err)
	}
	stems := p.KnownStems
	switch {
	case len(stems) == 0:
		stems = nil // a model written before stems were stored: worked out here
	case len(stems) != len(p.KnownWords):
		return nil, fmt.Errorf("%w: %d known-word stems for %d known words", ErrInvalidModel, len(stems), len(p.KnownWords))
	}
	m := &Model{
		proto:   p,
		ext:     features.New(ConfigFromProto(fc), lx).WithKnownWordStems(p.KnownWords, stems),
		vocab:   newVocabTable(nf),
		weights: make([]float32, nf*numLabels),
		tStance: p.Stance.Temperature,
		tSent:   p.Sentiment.Temperature,
	}
	m.lexicon = lx
	if m.holders, err = newHolderScorer(p.Holder, lx.Actors, p.KnownWords); err != nil {
		return nil, err
	}
	ev := p.GetEvidence()
	m.evSettings = EvidenceSettings{
		MinShare:     ev.GetMinTokenShare(),
		MaxGap:       int(min(ev.GetMaxGap(), 8)),
		WithinClause: ev.GetWithinClause(),
		MaxWords:     int(min(ev.GetMaxWords(), 1000)),
	}
	if m.tagger, err = newEvidenceTagger(ev.GetTagger()); err != nil {
		return nil, err
	}
	m.lengthNorm = fc.LengthNorm
	for i, key := range p.Vocabulary {
		if !m.vocab.insert(features.HashString(key), int32(i)) {
			return nil, fmt.Errorf("%w: vocabulary entry %d (%q) repeats or collides with an earlier one", ErrInvalidModel, i, key)
		}
		copy(m.weights[i*numLabels:], p.Stance.Weights[i*numStance:(i+1)*numStance])
		copy(m.weights[i*numLabels+numStance:], p.Sentiment.Weights[i*numSentiment:(i+1)*numSentiment])
	}
	copy(m.bias[:], p.Stance.Bias)
	copy(m.bias[numStance:], p.Sentiment.Bias)
	m.scratch.New = func() any { return &scratch{} }
	return m, nil
}

// Load decodes and builds a model from the bytes of a model file.
func Load(data []byte) (*Model, error) {
	p, err := Decode(data)
	if err != nil {
		return nil, err
	}
	return New(p)
}

// LoadFile loads a model file.
func LoadFile(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	m, err := Load(data)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return m, nil
}

// sentimentEvidence chooses sentiment evidence: the few strongest words of
// a clause. The annotations have no sentiment evidence to tune it on, and
// the stance settings, tuned for the tagger, would return whole clauses.
var sentimentEvidence = EvidenceSettings{MinShare: 0.3, MaxGap: 1, WithinClause: true, MaxWords: 6}

// EvidenceSettings choose evidence spans among the words that push the
// predicted label over the runner-up.
type EvidenceSettings struct {
	// MinShare leaves out words contributing less than this share of the
	// strongest word's contribution.
	MinShare float32 `json:"min_token_share"`
	// MaxGap joins two runs of selected words separated by at most this
	// many words, so that a cue and the phrase it governs make one span.
	MaxGap int `json:"max_gap"`
	// WithinClause stops spans at clause boundaries: a stance is argued in
	// a clause, and news sentences chain several.
	WithinClause bool `json:"within_clause"`
	// MaxWords caps a span's length (0: no cap); a longer run keeps its
	// strongest window of MaxWords words.
	MaxWords int `json:"max_words"`
}

// WithEvidence returns a model that shares m's weights but chooses evidence
// spans with other settings and tagger (nil: by share alone). Training uses
// it to tune them.
func (m *Model) WithEvidence(ev EvidenceSettings, tagger *modelv1.EvidenceTagger) (*Model, error) {
	t, err := newEvidenceTagger(tagger)
	if err != nil {
		return nil, err
	}
	c := &Model{
		proto: m.proto, ext: m.ext, vocab: m.vocab, weights: m.weights, bias: m.bias,
		tStance: m.tStance, tSent: m.tSent, lengthNorm: m.lengthNorm, holders: m.holders, lexicon: m.lexicon,
		evSettings: ev, tagger: t,
	}
	c.scratch.New = func() any { return &scratch{} }
	return c, nil
}

// ExplainWords decomposes the margin of stance label y over the strongest
// other stance label into per-word contributions, for training the
// evidence tagger.
func (m *Model) ExplainWords(text string, y stance.Stance) ([]arabic.Token, evidence.Sentence) {
	sc := &scratch{}
	m.score(sc, text)
	yi := slices.Index(stance.Stances, y)
	r := -1
	for k := range numStance {
		if k != yi && (r < 0 || sc.score[k] > sc.score[r]) {
			r = k
		}
	}
	m.contributions(sc, yi, r)
	return slices.Clone(sc.fs.Tokens), evidence.Sentence{
		Contr: slices.Clone(sc.contr), Masks: slices.Clone(sc.fs.Masks()), Clauses: slices.Clone(sc.fs.Clauses()),
	}
}

// Proto returns the artifact the model was built from. Callers must not
// modify it.
func (m *Model) Proto() *modelv1.Model { return m.proto }

// ConfigFromProto converts a stored feature configuration.
func ConfigFromProto(fc *modelv1.FeatureConfig) features.Config {
	return features.Config{
		Words: fc.Words, Stems: fc.Stems, Bigrams: fc.Bigrams,
		CharMin: int(fc.CharMin), CharMax: int(fc.CharMax), NegScope: int(fc.NegationScope),
		Lexicon: fc.Lexicon, Target: fc.Target, LengthNorm: fc.LengthNorm,
	}
}

// ConfigToProto converts a feature configuration for storage.
func ConfigToProto(c features.Config) *modelv1.FeatureConfig {
	return &modelv1.FeatureConfig{
		Words: c.Words, Stems: c.Stems, Bigrams: c.Bigrams,
		CharMin: uint32(c.CharMin), CharMax: uint32(c.CharMax), NegationScope: uint32(c.NegScope),
		Lexicon: c.Lexicon, Target: c.Target, LengthNorm: c.LengthNorm,
	}
}

func labelsOf[T ~string](ls []T) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = string(l)
	}
	return out
}

// Classify splits text into sentences and classifies each one. Offsets in
// the result refer to text.
func (m *Model) Classify(text string, opt Options) []Sentence {
	sc := m.scratch.Get().(*scratch)
	defer m.scratch.Put(sc)
	sc.sents = segment.Split(text, sc.sents[:0])
	out := make([]Sentence, len(sc.sents))
	var last *Holder // the nearest preceding holder, for sentences that continue its speech
	// The document's holders share one allocation, made at the first one
	// for it and the sentences after it: one allocation per holder was
	// most of what holders add to a document's allocations.
	var free []Holder
	place := func(h Holder, left int) *Holder {
		if len(free) == 0 {
			free = make([]Holder, left)
		}
		p := &free[0]
		*p, free = h, free[1:]
		return p
	}
	for i, s := range sc.sents {
		var h Holder
		var found bool
		out[i], h, found = m.classify(sc, text[s.Start:s.End], opt)
		out[i].Index = i
		out[i].Span = Span{Start: s.Start, End: s.End, RuneStart: s.RuneStart, RuneEnd: s.RuneEnd, Text: text[s.Start:s.End]}
		shift(out[i].StanceEvidence, s)
		shift(out[i].SentimentEvidence, s)
		if found {
			shift1(&h.Span, s)
			out[i].Holder = place(h, len(sc.sents)-i)
			last = out[i].Holder
		} else if !opt.NoHolders && out[i].Stance != stance.None && last != nil && continuesSpeech(sc) {
			h = *last
			h.FromContext = true
			out[i].Holder = place(h, len(sc.sents)-i)
		}
	}
	return out
}

func shift(spans []Span, s segment.Sentence) {
	for i := range spans {
		shift1(&spans[i], s)
	}
}

func shift1(sp *Span, s segment.Sentence) {
	sp.Start += s.Start
	sp.End += s.Start
	sp.RuneStart += s.RuneStart
	sp.RuneEnd += s.RuneStart
}

// ClassifySentence classifies text as one sentence, without segmenting it.
// Offsets in the result refer to text.
func (m *Model) ClassifySentence(text string, opt Options) Sentence {
	sc := m.scratch.Get().(*scratch)
	defer m.scratch.Put(sc)
	r, h, found := m.classify(sc, text, opt)
	if found {
		r.Holder = &h
	}
	r.Span = Span{End: len(text), RuneEnd: runeLen(text), Text: text}
	return r
}

func runeLen(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

func (m *Model) score(sc *scratch, text string) {
	sc.occ = sc.occ[:0]
	var sum [numLabels]float32
	m.ext.Extract(text, &sc.fs, func(key []byte, tok0, tok1 int) {
		id, ok := m.vocab.lookup(features.Hash(key))
		if !ok {
			return
		}
		sc.occ = append(sc.occ, occurrence{id: id, tok0: int32(tok0), tok1: int32(tok1)})
		w := m.weights[int(id)*numLabels : int(id)*numLabels+numLabels]
		for k := range numLabels {
			sum[k] += w[k]
		}
	})
	sc.scale = 1
	if m.lengthNorm && len(sc.occ) > 0 {
		sc.scale = float32(1 / math.Sqrt(float64(len(sc.occ))))
	}
	for k := range numLabels {
		sc.score[k] = m.bias[k] + sc.scale*sum[k]
	}
}

// classify classifies text as one sentence. The holder, when found, is
// returned apart, for the caller to place (Classify keeps a document's
// holders in one allocation).
func (m *Model) classify(sc *scratch, text string, opt Options) (r Sentence, h Holder, found bool) {
	m.score(sc, text)
	ys, rs := softmax(sc.score[:numStance], m.tStance, r.StanceProbs[:])
	yt, rt := softmax(sc.score[numStance:], m.tSent, r.SentimentProbs[:])
	r.Stance = stance.Stances[ys]
	r.Sentiment = stance.Sentiments[yt]
	k := opt.MaxEvidence
	if k <= 0 {
		k = DefaultMaxEvidence
	}
	if r.Stance != stance.None && !opt.NoEvidence {
		r.StanceEvidence = m.evidence(sc, text, ys, rs, k)
	}
	if !opt.NoHolders && r.Stance != stance.None {
		// The holder scorer reads the strongest holderEvidenceSpans spans,
		// whatever number the caller asked for.
		ev := r.StanceEvidence
		if opt.NoEvidence || k < holderEvidenceSpans {
			ev = m.evidence(sc, text, ys, rs, holderEvidenceSpans)
		}
		h, found = m.holderOf(sc, text, ev)
	}
	if opt.NoEvidence {
		return r, h, found
	}
	if r.Sentiment != stance.Neutral {
		r.SentimentEvidence = m.evidence(sc, text, numStance+yt, numStance+rt, k)
	}
	return r, h, found
}

// softmax writes calibrated probabilities and returns the best and the
// runner-up label.
func softmax(logits []float32, temp float32, out []float64) (best, second int) {
	mx := math.Inf(-1)
	for _, l := range logits {
		mx = math.Max(mx, float64(l))
	}
	sum := 0.0
	for i, l := range logits {
		out[i] = math.Exp((float64(l) - mx) / float64(temp))
		sum += out[i]
	}
	best, second = 0, -1
	for i := range out {
		out[i] /= sum
		if out[i] > out[best] {
			best = i
		}
	}
	for i := range out {
		if i != best && (second < 0 || out[i] > out[second]) {
			second = i
		}
	}
	return best, second
}

// evidence decomposes the logit margin of label y over label r into token
// contributions, merges adjacent positive tokens into spans and returns the
// k strongest, strongest first.
func (m *Model) evidence(sc *scratch, text string, y, r, k int) []Span {
	toks := sc.fs.Tokens
	if len(toks) == 0 {
		return nil
	}
	m.contributions(sc, y, r)
	top := 0.0
	for _, c := range sc.contr {
		top = math.Max(top, c)
	}
	if top <= 0 {
		return nil
	}
	ev := m.evSettings
	if y >= numStance {
		ev = sentimentEvidence
	}
	sc.sel = slices.Grow(sc.sel[:0], len(toks))[:len(toks)]
	if m.tagger != nil && y < numStance {
		m.tagger.selectWords(sc, y)
	} else {
		floor := top * float64(ev.MinShare)
		for i, c := range sc.contr {
			sc.sel[i] = c > floor // false for NaN
		}
	}
	selected := func(i int) bool { return sc.sel[i] }
	clauses := sc.fs.Clauses()
	joins := func(a, b int) bool { return !ev.WithinClause || clauses[a] == clauses[b] }
	masks := sc.fs.Masks()
	var spans []Span
	for i := 0; i < len(toks); {
		if !selected(i) {
			i++
			continue
		}
		// Extend the run, bridging gaps of up to MaxGap unselected words
		// when a selected word follows.
		end := i
		for j := i; j < len(toks) && joins(i, j); {
			if selected(j) {
				end = j
				j++
				continue
			}
			next := j
			for next < len(toks) && next-j < ev.MaxGap && !selected(next) {
				next++
			}
			if next < len(toks) && next-j <= ev.MaxGap && selected(next) && joins(i, next) {
				j = next
				continue
			}
			break
		}
		first, last := trimSpeaker(masks, i, end)
		if ev.MaxWords > 0 && last-first+1 > ev.MaxWords {
			first, last = strongestWindow(sc.contr, first, last, ev.MaxWords, selected)
			first, last = trimSpeaker(masks, first, last)
		}
		w := 0.0
		for t := first; t <= last; t++ {
			if selected(t) { // bridged words do not count against the span
				w += sc.contr[t]
			}
		}
		if w <= 0 {
			// The run pushes against the label on balance (a cue the
			// label goes against, bridged to one that carries it): its
			// strongest stretch is the part that argues for the label.
			first, last, w = strongestRun(sc.contr, first, last)
		}
		if w <= 0 {
			i = end + 1
			continue
		}
		a, b := toks[first], toks[last]
		spans = append(spans, Span{Start: a.Start, End: b.End, RuneStart: a.RuneStart, RuneEnd: b.RuneEnd, Text: text[a.Start:b.End], Weight: w})
		i = end + 1
	}
	slices.SortStableFunc(spans, func(a, b Span) int {
		switch {
		case a.Weight > b.Weight:
			return -1
		case a.Weight < b.Weight:
			return 1
		}
		return a.Start - b.Start
	})
	if len(spans) > k {
		spans = spans[:k]
	}
	return spans
}

// contributions shares out, over the words of the last scored sentence,
// each feature's push of label y over label r.
func (m *Model) contributions(sc *scratch, y, r int) {
	n := len(sc.fs.Tokens)
	sc.contr = slices.Grow(sc.contr[:0], n)[:n]
	clear(sc.contr)
	for _, o := range sc.occ {
		if o.tok0 < 0 {
			continue
		}
		w := m.weights[int(o.id)*numLabels:]
		d := float64(sc.scale*(w[y]-w[r])) / float64(o.tok1-o.tok0+1)
		for t := o.tok0; t <= o.tok1; t++ {
			sc.contr[t] += d
		}
	}
}

// trimSpeaker narrows [first, last] past reporting verbs and side names at
// its edges: who speaks is not why, and the guide keeps the holder's part
// of the sentence out of the evidence.
func trimSpeaker(masks []lexicon.Mask, first, last int) (int, int) {
	const speaker = 1<<lexicon.Reporting | 1<<lexicon.USSide | 1<<lexicon.RussiaSide
	for first < last && masks[first]&speaker != 0 && masks[first]&^speaker == 0 {
		first++
	}
	for last > first && masks[last]&speaker != 0 && masks[last]&^speaker == 0 {
		last--
	}
	return first, last
}

// strongestRun returns the stretch of words in [first, last] whose
// contributions add up to the most, and that sum (Kadane's algorithm; ties
// go to the earliest, shortest stretch).
func strongestRun(contr []float64, first, last int) (int, int, float64) {
	bestA, bestB, best := first, first, math.Inf(-1)
	a, sum := first, 0.0
	for t := first; t <= last; t++ {
		if sum <= 0 {
			a, sum = t, 0
		}
		sum += contr[t]
		if sum > best {
			bestA, bestB, best = a, t, sum
		}
	}
	return bestA, bestB, best
}

// strongestWindow returns the n-word window of [first, last] whose selected
// words contribute most; ties go to the earliest window.
func strongestWindow(contr []float64, first, last, n int, selected func(int) bool) (int, int) {
	sum := 0.0
	for t := first; t < first+n; t++ {
		if selected(t) {
			sum += contr[t]
		}
	}
	best, bestAt := sum, first
	for s := first + 1; s+n-1 <= last; s++ {
		if selected(s - 1) {
			sum -= contr[s-1]
		}
		if selected(s + n - 1) {
			sum += contr[s+n-1]
		}
		if sum > best {
			best, bestAt = sum, s
		}
	}
	return bestAt, bestAt + n - 1
}
