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
	// The 95 % bootstrap intervals of the three figures, out of the JSON.
	ExactInterval, OverlapF1Interval, ActorAccuracyInterval Interval `json:"-"`
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
	p := predictAll(m, recs)
	rep := p.report(recs)
	rep.Holder = holderMetrics(m, recs)
	return rep
}

// holderMetrics scores the model's holder spans, found apart from its
// stance prediction, on the sentences that name a holder. nil when the
// model has no holder head.
func holderMetrics(m *model.Model, recs []stance.Record) *HolderMetrics {
	if m.Proto().GetHolder() == nil {
		return nil
	}
	hs := scoreHolders(m, recs)
	return &HolderMetrics{
		Exact: mean(hs.exact), OverlapF1: mean(hs.overlap), ActorAccuracy: mean(hs.actor), N: len(hs.exact),
		ExactInterval: meanInterval(hs.exact), OverlapF1Interval: meanInterval(hs.overlap), ActorAccuracyInterval: meanInterval(hs.actor),
	}
}

// holderScores are a model's per-sentence holder scores, over the
// sentences with a gold holder in order: exact span match and actor
// agreement (0 or 1), and token-overlap F1.
type holderScores struct {
	exact, overlap, actor []float64
}

func scoreHolders(m *model.Model, recs []stance.Record) holderScores {
	var hs holderScores
	for _, r := range recs {
		if r.Holder == nil {
			continue
		}
		e, o, a := 0.0, 0.0, 0.0
		if h := m.HolderOf(r.Text); h != nil {
			if h.RuneStart == r.Holder.Start && h.RuneEnd == r.Holder.End {
				e = 1
			}
			o = tokenF1(r.Text, []runeRange{{r.Holder.Start, r.Holder.End}}, []runeRange{{h.RuneStart, h.RuneEnd}})
			if gold, _ := m.Actor(r.Holder.Text); h.Actor == gold {
				a = 1
			}
		}
		hs.exact, hs.overlap, hs.actor = append(hs.exact, e), append(hs.overlap, o), append(hs.actor, a)
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
