package training

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/stance-project/stance"
	modelv1 "github.com/stance-project/stance/api/stance/model/v1"
	"github.com/stance-project/stance/arabic"
	"github.com/stance-project/stance/corpus"
	"github.com/stance-project/stance/features"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/model"
)

// CodeVersion names the feature and training code that produced a model.
// It is bumped whenever a change alters what training writes, so that a
// model file says which code it needs; it is not a VCS revision, which
// would make retraining from the same data give different bytes.
const CodeVersion = "stance-train/10"

// Candidate is one point of the hyperparameter search.
type Candidate struct {
	Features features.Config `json:"features"`
	L2       float64         `json:"l2"`
	MinCount int             `json:"min_count"`
	// Unweighted fits without balancing class weights.
	Unweighted bool `json:"unweighted,omitempty"`
}

func (c Candidate) String() string {
	f := c.Features
	s := ""
	add := func(on bool, name string) {
		if on {
			if s != "" {
				s += "+"
			}
			s += name
		}
	}
	add(f.Words, "words")
	add(f.Stems, "stems")
	add(f.Bigrams, "bigrams")
	add(f.CharMin > 0, fmt.Sprintf("char%d-%d", f.CharMin, f.CharMax))
	add(f.NegScope > 0, fmt.Sprintf("neg%d", f.NegScope))
	add(f.Lexicon, "lexicon")
	add(f.Target, "target")
	return fmt.Sprintf("%s l2=%g min=%d", s, c.L2, c.MinCount)
}

// DefaultGrid is the search `stance train` runs: regularisation strength
// and whether word bigrams help, around the default features without
// character n-grams.
func DefaultGrid() []Candidate {
	noChar := features.DefaultConfig
	noChar.CharMin, noChar.CharMax = 0, 0
	noBigrams := noChar
	noBigrams.Bigrams = false
	// 3e-4 and 1e-2 were dropped to keep training under a minute: 1e-2
	// always scored last by a clear margin, and 3e-4, best by a hair, was
	// never chosen under the one-standard-error rule. Character n-grams
	// went for the same reason: never within a standard error of the best
	// while simpler, in seven corpus rounds, and the slowest fit of all
	// (11 of the search's 25 seconds). Without bigrams is the cheap
	// question about features the search still asks.
	return []Candidate{
		{Features: noBigrams, L2: 3e-3, MinCount: 2},
		{Features: noChar, L2: 1e-3, MinCount: 2},
		{Features: noChar, L2: 3e-3, MinCount: 2},
	}
}

// Config controls training.
type Config struct {
	Folds    int         // cross-validation folds, grouped by document (default 5)
	Seed     uint64      // seed of the fold split
	Grid     []Candidate // search space (default DefaultGrid)
	MaxIter  int         // L-BFGS iterations per fit (default 200)
	Workers  int         // parallel fits (default GOMAXPROCS)
	Progress io.Writer   // a line per step; nil for silence
}

// TaggerSummary describes the evidence tagger of a trained model.
type TaggerSummary struct {
	Features  int     `json:"features"`
	Threshold float64 `json:"threshold"`
}

// SearchRow is one candidate's cross-validated result.
type SearchRow struct {
	Candidate     Candidate `json:"candidate"`
	StanceMacroF1 float64   `json:"stance_macro_f1"`
	StdErr        float64   `json:"std_err"` // standard error of the mean over folds
}

// simpler orders candidates for the one-standard-error rule: stronger
// regularisation first, then fewer feature families.
func simpler(a, b Candidate) bool {
	if a.L2 != b.L2 {
		return a.L2 > b.L2
	}
	return families(a.Features) < families(b.Features)
}

func families(f features.Config) int {
	n := 0
	for _, on := range []bool{f.Words, f.Stems, f.Bigrams, f.CharMin > 0, f.NegScope > 0, f.Lexicon, f.Target} {
		if on {
			n++
		}
	}
	return n
}

func stdErr(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return math.Sqrt(v/float64(len(xs)-1)) / math.Sqrt(float64(len(xs)))
}

// Report describes a training run. It holds no timings, so that the same
// data always gives the same report.
type Report struct {
	Sentences         int                    `json:"sentences"`
	Documents         int                    `json:"documents"`
	CorpusSHA256      string                 `json:"corpus_sha256"`
	Folds             int                    `json:"folds"`
	Search            []SearchRow            `json:"search"`
	Chosen            Candidate              `json:"chosen"`
	Vocabulary        int                    `json:"vocabulary"`
	TemperatureStance float64                `json:"temperature_stance"`
	TemperatureSent   float64                `json:"temperature_sentiment"`
	Evidence          model.EvidenceSettings `json:"evidence"`
	EvidenceTagger    *TaggerSummary         `json:"evidence_tagger,omitempty"`
	CV                EvalReport             `json:"cv"`
	BaselineCV        EvalReport             `json:"baseline_cv"`
	Seeds             *EvalReport            `json:"seeds,omitempty"`
	SeedsBaseline     *EvalReport            `json:"seeds_baseline,omitempty"`
	// SeedOnlyEntries are the lexicon entries that match a seed sentence
	// and no training sentence (corpus.SeedOnlyEntries): the seed figures
	// lean on them.
	SeedOnlyEntries []corpus.LexiconEntry `json:"seed_only_entries,omitempty"`
}

// Result is a trained model and its report.
type Result struct {
	Model  *modelv1.Model
	Report *Report
}

type trainer struct {
	cfg   Config
	recs  []stance.Record
	folds [][]int // test indices per fold
	lx    *lexicon.Lexicon
	files map[string][]byte
	known []string
	stems []string // arabic.Stem of each known word, stored in the model
	start time.Time
}

// knownWordMinCount is how many training sentences a word must occur in to
// be a known word (see features.Extractor.WithKnownWords).
const knownWordMinCount = 2

// knownWordStems returns the known words of the records' texts, which
// come without labels, and the stem of each.
func knownWordStems(recs []stance.Record) (known, stems []string) {
	texts := make([]string, len(recs))
	for i, r := range recs {
		texts[i] = r.Text
	}
	known = features.KnownWords(texts, knownWordMinCount)
	stems = make([]string, len(known))
	for i, w := range known {
		stems[i] = arabic.Stem(w)
	}
	return known, stems
}

func (t *trainer) logf(format string, args ...any) {
	if t.cfg.Progress != nil {
		fmt.Fprintf(t.cfg.Progress, "[%6.1fs] %s\n", time.Since(t.start).Seconds(), fmt.Sprintf(format, args...))
	}
}

// Train runs the search by document-grouped cross-validation, calibrates,
// fits the final model on all records and evaluates it on the seeds (when
// given). The same records and configuration always give the same model.
func Train(recs []stance.Record, seeds []stance.Record, cfg Config) (*Result, error) {
	if len(recs) == 0 {
		return nil, fmt.Errorf("train: no training sentences")
	}
	if cfg.Folds == 0 {
		cfg.Folds = 5
	}
	if cfg.Grid == nil {
		cfg.Grid = DefaultGrid()
	}
	if cfg.MaxIter == 0 {
		cfg.MaxIter = 200
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	for i, r := range recs {
		if !r.Stance.Valid() || !r.Sentiment.Valid() {
			return nil, fmt.Errorf("train: record %d (%s) has labels %q/%q outside the guide", i, r.ID, r.Stance, r.Sentiment)
		}
	}
	files, err := lexicon.Files()
	if err != nil {
		return nil, err
	}
	lx, err := lexicon.Parse(files)
	if err != nil {
		return nil, err
	}
	t := &trainer{cfg: cfg, recs: recs, lx: lx, files: files, start: time.Now()}
	t.folds = documentFolds(recs, cfg.Folds, cfg.Seed)
	if len(t.folds) < 2 {
		return nil, fmt.Errorf("train: %d documents are too few for cross-validation", countDocs(recs))
	}
	rep := &Report{Sentences: len(recs), Documents: countDocs(recs), CorpusSHA256: corpusHash(recs), Folds: len(t.folds)}
	t.logf("%d sentences in %d documents, %d folds, %d candidates", rep.Sentences, rep.Documents, len(t.folds), len(cfg.Grid))

	gold, goldSent := goldLabels(recs)
	t.known, t.stems = knownWordStems(recs)
	extractions := map[features.Config]*extracted{}
	extractionFor := func(fc features.Config) *extracted {
		if ex, ok := extractions[fc]; ok {
			return ex
		}
		ex := extract(features.New(fc, lx).WithKnownWordStems(t.known, t.stems), recs)
		extractions[fc] = ex
		return ex
	}

	// Search: cross-validated stance macro-F1 of every candidate, then the
	// one-standard-error rule: of the candidates within one standard error
	// (over folds) of the best, take the most regularised. Cross-validation
	// only sees our own writing; real reporting rewards the simpler fit.
	type scored struct{ mean, se float64 }
	scores := make([]scored, len(cfg.Grid))
	exs := make([]*extracted, len(cfg.Grid))
	for i, cand := range cfg.Grid {
		exs[i] = extractionFor(cand.Features)
	}
	scoreOf := func(fits crossFits) scored {
		pred := argmaxAll(fits.oof)
		var perFold []float64
		for _, test := range t.folds {
			g, p := make([]int, len(test)), make([]int, len(test))
			for j, r := range test {
				g[j], p[j] = gold[r], pred[r]
			}
			perFold = append(perFold, headMetrics(labelNames(stance.Stances), g, p, nil).MacroF1)
		}
		return scored{mean: headMetrics(labelNames(stance.Stances), gold, pred, nil).MacroF1, se: stdErr(perFold)}
	}
	// All candidates' folds go to one pool: five folds on two cores would
	// leave a core idle for a third of every candidate. Each candidate is
	// scored and logged as soon as its last fold is in.
	finished := 0
	stanceFits := t.crossFitAll(exs, cfg.Grid, gold, len(stance.Stances), func(i int, fits crossFits) {
		scores[i] = scoreOf(fits)
		finished++
		t.logf("search %d/%d %s: stance macro-F1 %.4f ± %.4f", finished, len(cfg.Grid), cfg.Grid[i], scores[i].mean, scores[i].se)
	}) // the chosen one's are reused below
	for i, cand := range cfg.Grid {
		rep.Search = append(rep.Search, SearchRow{Candidate: cand, StanceMacroF1: scores[i].mean, StdErr: scores[i].se})
	}
	top := 0
	for i := range scores {
		if scores[i].mean > scores[top].mean {
			top = i
		}
	}
	best := top
	for i, c := range cfg.Grid {
		if scores[i].mean >= scores[top].mean-scores[top].se && simpler(c, cfg.Grid[best]) {
			best = i
		}
	}
	cand := cfg.Grid[best]
	rep.Chosen = cand
	ex := extractionFor(cand.Features)
	t.logf("chosen: %s", cand)

	// The holder head needs nothing but the chosen features: it is fitted
	// alongside the rest, on a core the other steps leave idle at times.
	type holderResult struct {
		head   *modelv1.HolderHead
		choice thresholdChoice
		err    error
	}
	holderDone := make(chan holderResult, 1)
	go func() {
		h, c, err := t.trainHolder(features.New(cand.Features, lx).WithKnownWordStems(t.known, t.stems))
		holderDone <- holderResult{h, c, err}
	}()

	// The golearn baseline needs only the labels: it runs alongside the
	// remaining steps too.
	type baselineResult struct {
		report EvalReport
		err    error
	}
	baselineDone := make(chan baselineResult, 1)
	go func() {
		b, err := t.baselineCV(gold, goldSent)
		baselineDone <- baselineResult{b, err}
	}()

	// Out-of-fold predictions of both heads for calibration and figures.
	stFits := stanceFits[best]
	smFits := t.crossFit(ex, cand, goldSent, len(stance.Sentiments))
	tStance := fitTemperature(stFits.oof, gold)
	tSent := fitTemperature(smFits.oof, goldSent)
	rep.TemperatureStance, rep.TemperatureSent = tStance, tSent
	t.logf("calibrated: temperature stance %.3f, sentiment %.3f", tStance, tSent)

	ev, tagger, cvEvidence, err := t.tuneEvidence(cand, stFits, smFits, tStance, tSent)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	rep.Evidence = ev
	if tagger != nil {
		rep.EvidenceTagger = &TaggerSummary{Features: len(tagger.Vocabulary), Threshold: float64(tagger.Threshold)}
	}
	stPred, stConf := calibratedPredictions(stFits.oof, tStance)
	smPred, smConf := calibratedPredictions(smFits.oof, tSent)
	rep.CV = EvalReport{
		N:         len(recs),
		Stance:    headMetrics(labelNames(stance.Stances), gold, stPred, stConf),
		Sentiment: headMetrics(labelNames(stance.Sentiments), goldSent, smPred, smConf),
		Evidence:  cvEvidence,
	}
	t.logf("cross-validated: stance macro-F1 %.4f, sentiment macro-F1 %.4f, evidence token-F1 %.4f",
		rep.CV.Stance.MacroF1, rep.CV.Sentiment.MacroF1, rep.CV.Evidence.TokenF1)

	// Final fit on everything.
	all := make([]int, len(recs))
	for i := range all {
		all[i] = i
	}
	names, cols := ex.vocabulary(cand.MinCount, nil)
	x := ex.matrix(cols, all, cand.Features.LengthNorm)
	var stFinal, smFinal *logreg
	var errSt, errSm error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		stFinal, errSt = fitLogreg(x, gold, len(stance.Stances), t.settings(cand, gold, len(stance.Stances), names))
	}()
	go func() {
		defer wg.Done()
		smFinal, errSm = fitLogreg(x, goldSent, len(stance.Sentiments), t.settings(cand, goldSent, len(stance.Sentiments), names))
	}()
	wg.Wait()
	br := <-baselineDone
	if br.err != nil {
		return nil, br.err
	}
	base := br.report
	rep.BaselineCV = base
	t.logf("baseline (golearn Bernoulli NB) cross-validated: stance macro-F1 %.4f, sentiment macro-F1 %.4f",
		base.Stance.MacroF1, base.Sentiment.MacroF1)
	if errSt != nil || errSm != nil {
		return nil, fmt.Errorf("final fit: %v %v", errSt, errSm)
	}
	rep.Vocabulary = len(names)
	info := &modelv1.TrainingInfo{
		CorpusSha256: rep.CorpusSHA256, Sentences: uint32(rep.Sentences), Documents: uint32(rep.Documents),
		CodeVersion: CodeVersion, L2: cand.L2, MinCount: uint32(cand.MinCount), ClassWeighting: "sqrt-balanced",
		Seed: cfg.Seed, Metrics: cvMetrics(rep),
	}
	mp := buildProto(cand.Features, names, stFinal, smFinal, tStance, tSent, ev, t.files, t.known, t.stems, info)
	mp.Evidence.Tagger = tagger
	hr := <-holderDone
	if hr.err != nil {
		return nil, fmt.Errorf("holder head: %w", hr.err)
	}
	mp.Holder = hr.head
	hc := hr.choice
	t.logf("holder head: %d features, %d start words, threshold %.2f (%d of %d training sentences right; the best count, %d, at %.2f)",
		len(mp.Holder.Vocabulary), len(mp.Holder.StartWords), hc.threshold, hc.right, hc.sentences, hc.bestRight, hc.best)
	t.logf("final model: %d features", len(names))

	if len(seeds) > 0 {
		m, err := model.New(mp)
		if err != nil {
			return nil, fmt.Errorf("final model: %w", err)
		}
		sr := Evaluate(m, seeds)
		rep.Seeds = &sr
		sb, err := t.baselineOn(seeds)
		if err != nil {
			return nil, err
		}
		rep.SeedsBaseline = &sb
		sets := []corpus.Set{{Role: corpus.RoleCorpus, Records: recs}, {Role: corpus.RoleSeeds, Records: seeds}}
		if rep.SeedOnlyEntries, err = corpus.SeedOnlyEntries(sets, t.files); err != nil {
			return nil, err
		}
		t.logf("seed articles: stance macro-F1 %.4f, sentiment macro-F1 %.4f, evidence token-F1 %.4f, stance ECE %.4f (baseline stance %.4f, sentiment %.4f)",
			sr.Stance.MacroF1, sr.Sentiment.MacroF1, sr.Evidence.TokenF1, sr.Stance.ECE, sb.Stance.MacroF1, sb.Sentiment.MacroF1)
	}
	return &Result{Model: mp, Report: rep}, nil
}

func cvMetrics(rep *Report) map[string]float64 {
	return map[string]float64{
		"cv.stance.macro_f1":             rep.CV.Stance.MacroF1,
		"cv.stance.accuracy":             rep.CV.Stance.Accuracy,
		"cv.stance.ece":                  rep.CV.Stance.ECE,
		"cv.sentiment.macro_f1":          rep.CV.Sentiment.MacroF1,
		"cv.sentiment.accuracy":          rep.CV.Sentiment.Accuracy,
		"cv.sentiment.ece":               rep.CV.Sentiment.ECE,
		"cv.evidence.token_f1":           rep.CV.Evidence.TokenF1,
		"cv.baseline.stance.macro_f1":    rep.BaselineCV.Stance.MacroF1,
		"cv.baseline.sentiment.macro_f1": rep.BaselineCV.Sentiment.MacroF1,
	}
}

// settings are a head's fit settings for candidate c on labels y (k
// classes: the stance head has four, the sentiment head three) over the
// feature columns names.
func (t *trainer) settings(c Candidate, y []int, k int, names []string) fitSettings {
	s := fitSettings{l2: c.L2, maxIter: t.cfg.MaxIter}
	if k == len(stance.Stances) {
		s.frozen = toneColumns(names)
	}
	if !c.Unweighted {
		s.classWeights = balancedWeights(y, k)
	}
	return s
}

// toneColumns marks the columns of the sentiment lists' cue features
// (l|positive, l|negative and their negated and clause variants), which
// the stance head keeps at zero weight. The guide makes tone and position
// independent (a sentence can be opposing and neutral, supporting and
// negative); weighed by the stance head, a word of tone about something
// else (the liberation of Mosul, an attack on a diplomat) pushed sentences
// of real reporting that take no position toward one, and each word added
// to those lists moved stance.
func toneColumns(names []string) []bool {
	frozen := make([]bool, len(names))
	for i, n := range names {
		for _, c := range [...]lexicon.Class{lexicon.Positive, lexicon.Negative} {
			if rest, ok := strings.CutPrefix(n, "l|"+c.String()); ok && (rest == "" || rest[0] == '~') {
				frozen[i] = true
			}
		}
	}
	return frozen
}

// foldFit is one fold's fitted head, with the vocabulary it was fitted on.
type foldFit struct {
	names []string
	cols  map[uint64]int32
	lr    *logreg
}

// crossFits holds out-of-fold logits for every record and each fold's fit.
type crossFits struct {
	oof  [][]float64
	fits []foldFit
}

// crossFit fits one head on every fold in parallel. The vocabulary of each
// fold comes from its training part only.
func (t *trainer) crossFit(ex *extracted, c Candidate, y []int, k int) crossFits {
	return t.crossFitAll([]*extracted{ex}, []Candidate{c}, y, k, nil)[0]
}

// crossFitAll is crossFit for several candidates (exs[i] holds cands[i]'s
// features), with every candidate's folds fitted in one pool of workers.
// done, when not nil, is called with a candidate's fits as soon as its last
// fold is in, one call at a time.
func (t *trainer) crossFitAll(exs []*extracted, cands []Candidate, y []int, k int, done func(int, crossFits)) []crossFits {
	var mu sync.Mutex
	pending := make([]int, len(cands)) // folds of each candidate still to fit
	for i := range pending {
		pending[i] = len(t.folds)
	}
	res := make([]crossFits, len(cands))
	for i := range res {
		res[i] = crossFits{oof: make([][]float64, len(t.recs)), fits: make([]foldFit, len(t.folds))}
	}
	type job struct{ cand, fold int }
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range min(t.cfg.Workers, len(cands)*len(t.folds)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				ex, c, f := exs[j.cand], cands[j.cand], j.fold
				train := t.trainPart(f)
				names, cols := ex.vocabulary(c.MinCount, train)
				xtr := ex.matrix(cols, train, c.Features.LengthNorm)
				ytr := make([]int, len(train))
				for i, r := range train {
					ytr[i] = y[r]
				}
				lr, err := fitLogreg(xtr, ytr, k, t.settings(c, ytr, k, names))
				if err != nil {
					panic(fmt.Sprintf("fold %d: %v", f, err)) // gonum only fails on programming errors here
				}
				xte := ex.matrix(cols, t.folds[f], c.Features.LengthNorm)
				for i, r := range t.folds[f] {
					out := make([]float64, k)
					lr.logits(xte, i, out)
					res[j.cand].oof[r] = out
				}
				res[j.cand].fits[f] = foldFit{names: names, cols: cols, lr: lr}
				mu.Lock()
				if pending[j.cand]--; pending[j.cand] == 0 && done != nil {
					done(j.cand, res[j.cand])
				}
				mu.Unlock()
			}
		}()
	}
	for c := range cands {
		for f := range t.folds {
			jobs <- job{c, f}
		}
	}
	close(jobs)
	wg.Wait()
	return res
}

func (t *trainer) trainPart(fold int) []int {
	var idx []int
	for f, test := range t.folds {
		if f != fold {
			idx = append(idx, test...)
		}
	}
	sort.Ints(idx)
	return idx
}

// foldProto builds a model from one fold's two heads. The heads were fitted
// on the same vocabulary, so the stance fit's columns serve both.
func foldProto(fc features.Config, st, sm foldFit, tSt, tSm float64, ev model.EvidenceSettings, files map[string][]byte, known, stems []string) *modelv1.Model {
	return buildProto(fc, st.names, st.lr, sm.lr, tSt, tSm, ev, files, known, stems, &modelv1.TrainingInfo{})
}

func buildProto(fc features.Config, names []string, st, sm *logreg, tSt, tSm float64, ev model.EvidenceSettings, files map[string][]byte, known, stems []string, info *modelv1.TrainingInfo) *modelv1.Model {
	return &modelv1.Model{
		KnownWords: known,
		KnownStems: stems,
		Features:   model.ConfigToProto(fc),
		Vocabulary: names,
		Stance:     headProto(labelNames(stance.Stances), st, tSt),
		Sentiment:  headProto(labelNames(stance.Sentiments), sm, tSm),
		Lexicon:    files,
		Training:   info,
		Evidence:   &modelv1.EvidenceConfig{MinTokenShare: ev.MinShare, MaxGap: uint32(ev.MaxGap), WithinClause: ev.WithinClause, MaxWords: uint32(ev.MaxWords)},
	}
}

func headProto(labels []string, lr *logreg, temp float64) *modelv1.Head {
	h := &modelv1.Head{Labels: labels, Weights: make([]float32, len(lr.w)), Bias: make([]float32, len(lr.bias)), Temperature: float32(temp)}
	for i, w := range lr.w {
		h.Weights[i] = float32(w)
	}
	for i, b := range lr.bias {
		h.Bias[i] = float32(b)
	}
	return h
}

// documentFolds splits the records into k folds; the sentences of a
// document never straddle folds. When the documents come from at least k
// genres (the letters of the doc-id prefix: wire, an, op, ...), whole genres
// are kept together too, so that every fold tests on a style of writing the
// fit never saw: the nearest thing in the corpus to real news, which none of
// it is. Otherwise documents are dealt, in a seeded random order, round-robin.
func documentFolds(recs []stance.Record, k int, seed uint64) [][]int {
	byDoc := map[string][]int{}
	var docs []string
	for i, r := range recs {
		if _, ok := byDoc[r.DocID]; !ok {
			docs = append(docs, r.DocID)
		}
		byDoc[r.DocID] = append(byDoc[r.DocID], i)
	}
	sort.Strings(docs)
	byGenre := map[string][]string{}
	var genres []string
	for _, d := range docs {
		g := genreOf(d)
		if _, ok := byGenre[g]; !ok {
			genres = append(genres, g)
		}
		byGenre[g] = append(byGenre[g], d)
	}
	k = min(k, len(docs))
	folds := make([][]int, k)
	if len(genres) >= k {
		// Largest genres first, each to the smallest fold so far.
		size := func(g string) int {
			n := 0
			for _, d := range byGenre[g] {
				n += len(byDoc[d])
			}
			return n
		}
		sort.SliceStable(genres, func(i, j int) bool { return size(genres[i]) > size(genres[j]) })
		for _, g := range genres {
			smallest := 0
			for f := range folds {
				if len(folds[f]) < len(folds[smallest]) {
					smallest = f
				}
			}
			for _, d := range byGenre[g] {
				folds[smallest] = append(folds[smallest], byDoc[d]...)
			}
		}
	} else {
		rng := rand.New(rand.NewPCG(seed, 0x5354414e4345)) // our own generator: math/rand's global one is not seedable in Go 1.26
		rng.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
		for i, d := range docs {
			folds[i%k] = append(folds[i%k], byDoc[d]...)
		}
	}
	for _, f := range folds {
		sort.Ints(f)
	}
	return folds
}

// genreOf returns the letters a document id starts with: "wire" of "wire017".
func genreOf(docID string) string {
	for i, r := range docID {
		if !unicode.IsLetter(r) {
			return docID[:i]
		}
	}
	return docID
}

func countDocs(recs []stance.Record) int {
	seen := map[string]bool{}
	for _, r := range recs {
		seen[r.DocID] = true
	}
	return len(seen)
}

// corpusHash is the SHA-256 of the records as JSON lines, in order.
func corpusHash(recs []stance.Record) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, r := range recs {
		enc.Encode(r)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func argmaxAll(logits [][]float64) []int {
	out := make([]int, len(logits))
	for i, l := range logits {
		out[i] = argmax(l)
	}
	return out
}

func argmax(l []float64) int {
	b := 0
	for i, v := range l {
		if v > l[b] {
			b = i
		}
	}
	return b
}

func calibratedPredictions(logits [][]float64, temp float64) ([]int, []float64) {
	pred, conf := make([]int, len(logits)), make([]float64, len(logits))
	for i, l := range logits {
		p := softmaxT(l, temp)
		pred[i] = argmax(p)
		conf[i] = p[pred[i]]
	}
	return pred, conf
}

func softmaxT(l []float64, temp float64) []float64 {
	mx := slices.Max(l)
	p := make([]float64, len(l))
	sum := 0.0
	for i, v := range l {
		p[i] = math.Exp((v - mx) / temp)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// fitTemperature finds the temperature minimising the negative
// log-likelihood of out-of-fold logits, by golden-section search on log T,
// from 1 up. Out-of-fold logits on our own writing ask for sharpening (a
// temperature below 1), but real reporting is harder than our corpus and
// the model is already over-confident there; softening is allowed,
// sharpening is not.
func fitTemperature(logits [][]float64, y []int) float64 {
	nll := func(logT float64) float64 {
		temp := math.Exp(logT)
		s := 0.0
		for i, l := range logits {
			s -= math.Log(math.Max(softmaxT(l, temp)[y[i]], 1e-12))
		}
		return s
	}
	a, b := 0.0, math.Log(20.0)
	g := (math.Sqrt(5) - 1) / 2
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := nll(c), nll(d)
	for range 60 {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = nll(c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = nll(d)
		}
	}
	return math.Exp((a + b) / 2)
}
