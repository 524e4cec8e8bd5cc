package server

import (
	"unicode/utf8"

	"github.com/stance-project/stance"
	stancev1 "github.com/stance-project/stance/api/stance/v1"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/model"
)

func stanceEnum(s stance.Stance) stancev1.Stance {
	switch s {
	case stance.Supporting:
		return stancev1.Stance_STANCE_SUPPORTING
	case stance.Opposing:
		return stancev1.Stance_STANCE_OPPOSING
	case stance.Conditional:
		return stancev1.Stance_STANCE_CONDITIONAL
	case stance.None:
		return stancev1.Stance_STANCE_NONE
	}
	return stancev1.Stance_STANCE_UNSPECIFIED
}

func sentimentEnum(s stance.Sentiment) stancev1.Sentiment {
	switch s {
	case stance.Positive:
		return stancev1.Sentiment_SENTIMENT_POSITIVE
	case stance.Negative:
		return stancev1.Sentiment_SENTIMENT_NEGATIVE
	case stance.Neutral:
		return stancev1.Sentiment_SENTIMENT_NEUTRAL
	}
	return stancev1.Sentiment_SENTIMENT_UNSPECIFIED
}

var sideEnum = map[lexicon.Side]stancev1.Side{
	lexicon.SideUS: stancev1.Side_SIDE_US, lexicon.SideRussia: stancev1.Side_SIDE_RUSSIA, lexicon.SideOther: stancev1.Side_SIDE_OTHER,
}

// utf16Counter converts byte offsets of one text into UTF-16 offsets,
// walking forward from the last offset, or from its base when asked for an
// earlier one: offsets come in document order, evidence spans (strongest
// first) within one sentence.
type utf16Counter struct {
	text               string
	byte, unit         int
	baseByte, baseUnit int
	// bmpOnly is true when the text has no code point beyond U+FFFF: then
	// UTF-16 offsets equal code-point offsets and no walk is needed.
	bmpOnly bool
}

// hasAstral reports a code point beyond U+FFFF: its UTF-8 lead byte is 0xF0 or above.
func hasAstral(text string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] >= 0xF0 {
			return true
		}
	}
	return false
}

func (c *utf16Counter) at(b int) int {
	if b < c.byte {
		c.byte, c.unit = c.baseByte, c.baseUnit
	}
	for c.byte < b {
		r, size := utf8.DecodeRuneInString(c.text[c.byte:])
		c.byte += size
		if r >= 0x10000 {
			c.unit += 2
		} else {
			c.unit++
		}
	}
	return c.unit
}

func offsets(c *utf16Counter, s model.Span) *stancev1.Offsets {
	o := &stancev1.Offsets{
		StartCodePoint: uint32(s.RuneStart), EndCodePoint: uint32(s.RuneEnd),
		StartByte: uint32(s.Start), EndByte: uint32(s.End),
		StartUtf16: uint32(s.RuneStart), EndUtf16: uint32(s.RuneEnd),
	}
	if !c.bmpOnly {
		o.StartUtf16, o.EndUtf16 = uint32(c.at(s.Start)), uint32(c.at(s.End))
	}
	return o
}

func evidence(c *utf16Counter, spans []model.Span) []*stancev1.EvidenceSpan {
	out := make([]*stancev1.EvidenceSpan, len(spans))
	for i, e := range spans {
		out[i] = &stancev1.EvidenceSpan{Offsets: offsets(c, e), Text: e.Text, Weight: e.Weight}
	}
	return out
}

// documentResult converts a model result and sums the document up.
func documentResult(id, text, version string, sents []model.Sentence) *stancev1.DocumentResult {
	res := &stancev1.DocumentResult{Id: id, ModelVersion: version, Sentences: make([]*stancev1.SentenceResult, len(sents))}
	bmpOnly := !hasAstral(text)
	doc := &utf16Counter{text: text, bmpOnly: bmpOnly}
	for i, s := range sents {
		sr := &stancev1.SentenceResult{
			Index:     uint32(s.Index),
			Offsets:   offsets(doc, s.Span),
			Text:      s.Text,
			Stance:    stanceEnum(s.Stance),
			Sentiment: sentimentEnum(s.Sentiment),
		}
		for k, st := range stance.Stances {
			sr.StanceProbabilities = append(sr.StanceProbabilities, &stancev1.StanceProbability{Stance: stanceEnum(st), Probability: s.StanceProbs[k]})
		}
		for k, se := range stance.Sentiments {
			sr.SentimentProbabilities = append(sr.SentimentProbabilities, &stancev1.SentimentProbability{Sentiment: sentimentEnum(se), Probability: s.SentimentProbs[k]})
		}
		start, unit := s.Start, int(sr.Offsets.StartUtf16)
		local := &utf16Counter{text: text, byte: start, unit: unit, baseByte: start, baseUnit: unit, bmpOnly: bmpOnly}
		sr.StanceEvidence = evidence(local, s.StanceEvidence)
		sr.SentimentEvidence = evidence(local, s.SentimentEvidence)
		if h := s.Holder; h != nil {
			c := local
			if h.FromContext { // the span lies in an earlier sentence
				c = &utf16Counter{text: text, bmpOnly: bmpOnly}
			}
			sr.Holder = &stancev1.Holder{Offsets: offsets(c, h.Span), Text: h.Text, Actor: h.Actor,
				Side: sideEnum[h.Side], Confidence: h.Confidence, FromContext: h.FromContext}
		}
		res.Sentences[i] = sr
	}
	res.Summary = summary(model.Summarize(sents))
	return res
}

// summary converts a document's or a batch's summary.
func summary(sum model.Summary) *stancev1.DocumentSummary {
	out := &stancev1.DocumentSummary{OverallStance: stanceEnum(sum.Overall), OverallConfidence: sum.OverallConfidence}
	for k, st := range stance.Stances {
		out.StanceCounts = append(out.StanceCounts, &stancev1.StanceCount{Stance: stanceEnum(st), Sentences: uint32(sum.StanceCounts[k])})
	}
	for k, se := range stance.Sentiments {
		out.SentimentCounts = append(out.SentimentCounts, &stancev1.SentimentCount{Sentiment: sentimentEnum(se), Sentences: uint32(sum.SentimentCounts[k])})
	}
	for _, a := range sum.Actors {
		as := &stancev1.ActorSummary{Actor: a.Actor, Side: sideEnum[a.Side], OverallStance: stanceEnum(a.Overall), OverallConfidence: a.OverallConfidence}
		for k, st := range stance.Stances {
			as.StanceCounts = append(as.StanceCounts, &stancev1.StanceCount{Stance: stanceEnum(st), Sentences: uint32(a.StanceCounts[k])})
		}
		for _, i := range a.Sentences {
			as.SentenceIndices = append(as.SentenceIndices, uint32(i))
		}
		for _, d := range a.Documents {
			as.DocumentIndices = append(as.DocumentIndices, uint32(d))
		}
		out.Actors = append(out.Actors, as)
	}
	return out
}
