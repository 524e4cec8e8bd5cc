package training

import (
	"github.com/stance-project/stance"
	"github.com/stance-project/stance/model"
)

// EvidenceMetrics are ERASER token-F1 figures over sentences with gold evidence.
type EvidenceMetrics struct {
	TokenF1 float64 `json:"token_f1"`
	N       int     `json:"n"`
	// RightLabelF1 and RightLabelN restrict the figure to sentences whose
	// stance was predicted right, which separates span quality from label
	// errors. They stay out of the JSON, whose keys the issue fixes.
	RightLabelF1 float64 `json:"-"`
	RightLabelN  int     `json:"-"`
	// TokenF1Interval is the 95 % bootstrap interval of TokenF1, set by
	// Evaluate; out of the JSON too.
	TokenF1Interval Interval `json:"-"`
}

// HolderMetrics score holder spans over sentences with a gold holder.
type HolderMetrics struct {
	Exact     float64 `json:"exact"`      // share of predicted spans equal to the gold span
	OverlapF1 float64 `json:"overlap_f1"` // mean token-overlap F1 with the gold span
	// ActorAccuracy is the share whose canonical actor equals the gold
	// span's, both mapped through the actor table.
	ActorAccuracy float64 `json:"actor_accuracy"`
	N             int     `json:"n"`
	// Misses counts the sentences whose span is not the gold one, by where
	// it lies against it: a span cut short, one that runs over, another
	// party, or no holder found call for different mends.
	Misses map[HolderMatch]int `json:"misses"`
	// The 95 % bootstrap intervals of the three figures, out of the JSON.
	ExactInterval, OverlapF1Interval, ActorAccuracyInterval Interval `json:"-"`
}

// HolderMatch is where a predicted holder span lies against the annotated
// one.
type HolderMatch string

// The values of HolderMatch.
const (
	HolderExact       HolderMatch = "exact"       // the same span
	HolderInside      HolderMatch = "inside"      // within the annotated span, not all of it
	HolderAround      HolderMatch = "around"      // all of it and more
	HolderOverlapping HolderMatch = "overlapping" // part of it and more
	HolderElsewhere   HolderMatch = "elsewhere"   // none of it: another party, or no party
	HolderNoneFound   HolderMatch = "none_found"  // no holder predicted
)

// HolderMisses are the HolderMatch values of a wrong span, in the order
// reports list them.
var HolderMisses = []HolderMatch{HolderNoneFound, HolderElsewhere, HolderInside, HolderAround, HolderOverlapping}

// MatchHolder says where the predicted span [start, end) lies against the
// annotated holder gold, both in code points of the sentence.
func MatchHolder(gold stance.Span, start, end int) HolderMatch {
	switch {
	case start == gold.Start && end == gold.End:
		return HolderExact
	case start >= gold.Start && end <= gold.End:
		return HolderInside
	case start <= gold.Start && end >= gold.End:
		return HolderAround
	case start < gold.End && end > gold.Start:
		return HolderOverlapping
	}
	return HolderElsewhere
}

// EvalReport is what `stance eval --format json` prints.
type EvalReport struct {
	N         int             `json:"n"`
	Stance    HeadMetrics     `json:"stance"`
	Sentiment HeadMetrics     `json:"sentiment"`
	Evidence  EvidenceMetrics `json:"evidence"`
	Holder    *HolderMetrics  `json:"holder,omitempty"`
}

// Evaluate scores a model on annotated sentences, each classified as one
// sentence (the gold segmentation).
func Evaluate(m *model.Model, recs []stance.Record) EvalReport {
	rep, _ := EvaluateWithErrors(m, recs)
	return rep
}

// EvaluateWithErrors is Evaluate that also lists the sentences the model
// gets wrong, in the records' order.
func EvaluateWithErrors(m *model.Model, recs []stance.Record) (EvalReport, []SentenceError) {
	p := predictAll(m, recs)
	rep := p.report(recs)
	var hs holderScores
	if m.Proto().GetHolder() != nil {
		hs = scoreHolders(m, recs)
		rep.Holder = hs.metrics()
	}
	return rep, sentenceErrors(recs, p, hs)
}

// SentenceError is an annotated sentence the model gets wrong: its stance,
// its sentiment, or, where one is annotated, its holder's span.
type SentenceError struct {
	ID    string `json:"id"`
	DocID string `json:"doc_id"`
	Text  string `json:"text"`
	// Wrong names what is wrong: "stance", "sentiment", "holder".
	Wrong     []string     `json:"wrong"`
	Stance    LabelError   `json:"stance"`
	Sentiment LabelError   `json:"sentiment"`
	Holder    *HolderError `json:"holder,omitempty"`
}

// LabelError is a sentence's annotated label and the model's, with the
// probability the model gave its own.
type LabelError struct {
	Gold        string  `json:"gold"`
	Predicted   string  `json:"predicted"`
	Probability float64 `json:"probability"`
}

// HolderError is a sentence's annotated holder and the one the model found
// (nil for none), and where that one lies against it.
type HolderError struct {
	Gold      HolderSpan  `json:"gold"`
	Predicted *HolderSpan `json:"predicted"`
	Match     HolderMatch `json:"match"`
}

// HolderSpan is a holder's span in code points of the sentence, its text
// and its canonical actor; Confidence is the model's, for a predicted one.
type HolderSpan struct {
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Text       string  `json:"text"`
	Actor      string  `json:"actor"`
	Confidence float64 `json:"confidence,omitzero"`
}

func sentenceErrors(recs []stance.Record, p predictions, hs holderScores) []SentenceError {
	var out []SentenceError
	k := 0 // the next of hs's records, which run in the records' order
	for i, r := range recs {
		e := SentenceError{ID: r.ID, DocID: r.DocID, Text: r.Text,
			Stance:    LabelError{Gold: string(r.Stance), Predicted: string(stance.Stances[p.stance[i]]), Probability: p.stanceConf[i]},
			Sentiment: LabelError{Gold: string(r.Sentiment), Predicted: string(stance.Sentiments[p.sentiment[i]]), Probability: p.sentimentConf[i]},
		}
		if e.Stance.Gold != e.Stance.Predicted {
			e.Wrong = append(e.Wrong, "stance")
		}
		if e.Sentiment.Gold != e.Sentiment.Predicted {
			e.Wrong = append(e.Wrong, "sentiment")
		}
		if k < len(hs.rec) && hs.rec[k] == i {
			if hs.match[k] != HolderExact {
				e.Wrong = append(e.Wrong, "holder")
				e.Holder = &HolderError{Gold: HolderSpan{Start: r.Holder.Start, End: r.Holder.End, Text: r.Holder.Text, Actor: hs.goldActor[k]}, Match: hs.match[k]}
				if h := hs.found[k]; h != nil {
					e.Holder.Predicted = &HolderSpan{Start: h.RuneStart, End: h.RuneEnd, Text: h.Text, Actor: h.Actor, Confidence: h.Confidence}
				}
			}
			k++
		}
		if len(e.Wrong) > 0 {
			out = append(out, e)
		}
	}
	return out
}

// metrics sums the per-sentence scores of the model's holder spans, found
// apart from its stance prediction (model.Model.HolderOf), over the
// sentences that name a holder.
func (hs holderScores) metrics() *HolderMetrics {
	hm := &HolderMetrics{
		Exact: mean(hs.exact), OverlapF1: mean(hs.overlap), ActorAccuracy: mean(hs.actor), N: len(hs.exact),
		ExactInterval: meanInterval(hs.exact), OverlapF1Interval: meanInterval(hs.overlap), ActorAccuracyInterval: meanInterval(hs.actor),
		Misses: map[HolderMatch]int{},
	}
	for _, k := range HolderMisses {
		hm.Misses[k] = 0 // every kind in the JSON, 0 too
	}
	for _, k := range hs.match {
		if k != HolderExact {
			hm.Misses[k]++
		}
	}
	return hm
}

// holderScores are a model's per-sentence holder scores, over the
// sentences with a gold holder in order: exact span match and actor
// agreement (0 or 1), and token-overlap F1; where the span lies, the
// holder found (nil for none), the gold span's actor, and the record's
// index.
type holderScores struct {
	exact, overlap, actor []float64
	match                 []HolderMatch
	found                 []*model.Holder
	goldActor             []string
	rec                   []int
}

func scoreHolders(m *model.Model, recs []stance.Record) holderScores {
	var hs holderScores
	for i, r := range recs {
		if r.Holder == nil {
			continue
		}
		e, o, a, k := 0.0, 0.0, 0.0, HolderNoneFound
		gold, _ := m.Actor(r.Holder.Text)
		h := m.HolderOf(r.Text)
		if h != nil {
			if k = MatchHolder(*r.Holder, h.RuneStart, h.RuneEnd); k == HolderExact {
				e = 1
			}
			o = tokenF1(r.Text, []runeRange{{r.Holder.Start, r.Holder.End}}, []runeRange{{h.RuneStart, h.RuneEnd}})
			if h.Actor == gold {
				a = 1
			}
		}
		hs.exact, hs.overlap, hs.actor = append(hs.exact, e), append(hs.overlap, o), append(hs.actor, a)
		hs.match, hs.found = append(hs.match, k), append(hs.found, h)
		hs.goldActor, hs.rec = append(hs.goldActor, gold), append(hs.rec, i)
	}
	return hs
}

// predictions are a model's outputs on a list of records.
type predictions struct {
	stance, sentiment         []int
	stanceConf, sentimentConf []float64
	evidence                  [][]runeRange
}

func predictAll(m *model.Model, recs []stance.Record) predictions {
	p := predictions{
		stance: make([]int, len(recs)), sentiment: make([]int, len(recs)),
		stanceConf: make([]float64, len(recs)), sentimentConf: make([]float64, len(recs)),
		evidence: make([][]runeRange, len(recs)),
	}
	for i, r := range recs {
		s := m.ClassifySentence(r.Text, model.Options{NoHolders: true})
		p.stance[i] = s.Stance.Index()
		p.sentiment[i] = s.Sentiment.Index()
		p.stanceConf[i] = s.StanceProbs[p.stance[i]]
		p.sentimentConf[i] = s.SentimentProbs[p.sentiment[i]]
		for _, e := range s.StanceEvidence {
			p.evidence[i] = append(p.evidence[i], runeRange{e.RuneStart, e.RuneEnd})
		}
	}
	return p
}

func (p predictions) report(recs []stance.Record) EvalReport {
	gs, gm := goldLabels(recs)
	rep := EvalReport{
		N:         len(recs),
		Stance:    headMetrics(labelNames(stance.Stances), gs, p.stance, p.stanceConf),
		Sentiment: headMetrics(labelNames(stance.Sentiments), gm, p.sentiment, p.sentimentConf),
	}
	rep.Stance.MacroF1Interval = macroF1Interval(len(stance.Stances), gs, p.stance)
	rep.Sentiment.MacroF1Interval = macroF1Interval(len(stance.Sentiments), gm, p.sentiment)
	scores := evidenceScores(recs, p.evidence)
	rep.Evidence = EvidenceMetrics{TokenF1: mean(scores), N: len(scores), TokenF1Interval: meanInterval(scores)}
	var right []stance.Record
	var rightPred [][]runeRange
	for i, r := range recs {
		if p.stance[i] == gs[i] {
			right = append(right, r)
			rightPred = append(rightPred, p.evidence[i])
		}
	}
	re := evidenceF1(right, rightPred)
	rep.Evidence.RightLabelF1, rep.Evidence.RightLabelN = re.TokenF1, re.N
	return rep
}

func evidenceF1(recs []stance.Record, pred [][]runeRange) EvidenceMetrics {
	scores := evidenceScores(recs, pred)
	em := EvidenceMetrics{N: len(scores)}
	em.TokenF1 = mean(scores)
	return em
}

// mean is the mean of vals, summed in order; 0 for none.
func mean(vals []float64) float64 {
	if len(vals) == 0 {
		return 0
	}
	sum := 0.0
	for _, v := range vals {
		sum += v
	}
	return sum / float64(len(vals))
}

// evidenceScores returns the token-F1 of each sentence with gold evidence.
func evidenceScores(recs []stance.Record, pred [][]runeRange) []float64 {
	var scores []float64
	for i, r := range recs {
		if len(r.Evidence) == 0 {
			continue
		}
		gold := make([]runeRange, len(r.Evidence))
		for j, e := range r.Evidence {
			gold[j] = runeRange{e.Start, e.End}
		}
		scores = append(scores, tokenF1(r.Text, gold, pred[i]))
	}
	return scores
}

func goldLabels(recs []stance.Record) (st, sm []int) {
	st, sm = make([]int, len(recs)), make([]int, len(recs))
	for i, r := range recs {
		st[i], sm[i] = r.Stance.Index(), r.Sentiment.Index()
	}
	return st, sm
}

func labelNames[T ~string](ls []T) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = string(l)
	}
	return out
}
