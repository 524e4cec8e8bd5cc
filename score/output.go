package score

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stance-project/stance"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/model"
)

// Output formats and granularities.
const (
	OutJSONL = "jsonl"
	OutCSV   = "csv"
	OutHTML  = "html"

	PerSentence = "sentence"
	PerDocument = "document"
)

// offsetsRecord is where a span lies in the document, in code points and
// bytes, and its text.
type offsetsRecord struct {
	Start     int    `json:"start"`
	End       int    `json:"end"`
	StartByte int    `json:"start_byte"`
	EndByte   int    `json:"end_byte"`
	Text      string `json:"text"`
}

// spanRecord is an evidence span: its offsets and how much it weighed in
// the decision.
type spanRecord struct {
	offsetsRecord
	Weight float64 `json:"weight"`
}

type sentenceRecord struct {
	DocID             string           `json:"doc_id,omitempty"`
	Source            string           `json:"source,omitempty"`
	Line              int              `json:"line,omitzero"`
	Index             int              `json:"index"`
	Start             int              `json:"start"`
	End               int              `json:"end"`
	StartByte         int              `json:"start_byte"`
	EndByte           int              `json:"end_byte"`
	Text              string           `json:"text"`
	Stance            stance.Stance    `json:"stance"`
	StanceProbs       stanceProbs      `json:"stance_probs"`
	Sentiment         stance.Sentiment `json:"sentiment"`
	SentimentProbs    sentimentProbs   `json:"sentiment_probs"`
	Evidence          []spanRecord     `json:"evidence"`
	SentimentEvidence []spanRecord     `json:"sentiment_evidence"`
	Holder            *holderRecord    `json:"holder,omitempty"`
}

// holderRecord is a sentence's holder. It has no weight: a holder is not
// evidence, and its confidence says how sure the scorer is of it.
type holderRecord struct {
	offsetsRecord
	Actor       string       `json:"actor"`
	Side        lexicon.Side `json:"side"`
	Confidence  float64      `json:"confidence"`
	FromContext bool         `json:"from_context,omitzero"`
}

// stanceProbs and sentimentProbs are structs rather than maps: encoding a
// map sorts its keys on every record, a visible cost at archive scale.
type stanceProbs struct {
	Supporting  float64 `json:"supporting"`
	Opposing    float64 `json:"opposing"`
	Conditional float64 `json:"conditional"`
	None        float64 `json:"none"`
}

type sentimentProbs struct {
	Positive float64 `json:"positive"`
	Negative float64 `json:"negative"`
	Neutral  float64 `json:"neutral"`
}

type summaryRecord struct {
	StanceCounts      map[string]int `json:"stance_counts"`
	SentimentCounts   map[string]int `json:"sentiment_counts"`
	Overall           stance.Stance  `json:"overall_stance"`
	OverallConfidence float64        `json:"overall_confidence"`
	Actors            []actorRecord  `json:"actors,omitempty"`
}

type actorRecord struct {
	Actor             string         `json:"actor"`
	Side              lexicon.Side   `json:"side"`
	StanceCounts      map[string]int `json:"stance_counts"`
	Overall           stance.Stance  `json:"overall_stance"`
	OverallConfidence float64        `json:"overall_confidence"`
	Sentences         []int          `json:"sentences"`
}

type documentRecord struct {
	DocID     string           `json:"doc_id"`
	Source    string           `json:"source"`
	Line      int              `json:"line,omitzero"`
	Sentences []sentenceRecord `json:"sentences"`
	Summary   summaryRecord    `json:"summary"`
}

// errorRecord stands in the output for a document that failed.
type errorRecord struct {
	DocID  string `json:"doc_id"`
	Source string `json:"source"`
	Line   int    `json:"line,omitzero"`
	Error  string `json:"error"`
}

func spans(ss []model.Span) []spanRecord {
	out := make([]spanRecord, len(ss))
	for i, s := range ss {
		out[i] = spanRecord{offsetsRecord: offsets(s), Weight: s.Weight}
	}
	return out
}

func offsets(s model.Span) offsetsRecord {
	return offsetsRecord{Start: s.RuneStart, End: s.RuneEnd, StartByte: s.Start, EndByte: s.End, Text: s.Text}
}

func sentence(s model.Sentence) sentenceRecord {
	p, q := s.StanceProbs, s.SentimentProbs // in stance.Stances and stance.Sentiments order
	var h *holderRecord
	if s.Holder != nil {
		h = &holderRecord{offsetsRecord: offsets(s.Holder.Span), Actor: s.Holder.Actor, Side: s.Holder.Side,
			Confidence: s.Holder.Confidence, FromContext: s.Holder.FromContext}
	}
	return sentenceRecord{
		Holder: h,
		Index:  s.Index, Start: s.RuneStart, End: s.RuneEnd, StartByte: s.Start, EndByte: s.End, Text: s.Text,
		Stance: s.Stance, Sentiment: s.Sentiment,
		StanceProbs:       stanceProbs{Supporting: p[0], Opposing: p[1], Conditional: p[2], None: p[3]},
		SentimentProbs:    sentimentProbs{Positive: q[0], Negative: q[1], Neutral: q[2]},
		Evidence:          spans(s.StanceEvidence),
		SentimentEvidence: spans(s.SentimentEvidence),
	}
}

func summary(sents []model.Sentence) summaryRecord {
	s := model.Summarize(sents)
	r := summaryRecord{StanceCounts: map[string]int{}, SentimentCounts: map[string]int{}, Overall: s.Overall, OverallConfidence: s.OverallConfidence}
	for k, st := range stance.Stances {
		r.StanceCounts[string(st)] = s.StanceCounts[k]
	}
	for k, se := range stance.Sentiments {
		r.SentimentCounts[string(se)] = s.SentimentCounts[k]
	}
	for _, a := range s.Actors {
		ar := actorRecord{Actor: a.Actor, Side: a.Side, StanceCounts: map[string]int{}, Overall: a.Overall, OverallConfidence: a.OverallConfidence, Sentences: a.Sentences}
		for k, st := range stance.Stances {
			ar.StanceCounts[string(st)] = a.StanceCounts[k]
		}
		r.Actors = append(r.Actors, ar)
	}
	return r
}

// format renders documents in one output format. encode is safe for
// concurrent use, so that rendering runs on every core; only the ordered
// writing of the bytes is sequential.
type format interface {
	// head is written before the first document.
	head() []byte
	encode(r Result) ([]byte, error)
	// tail is written after the last document.
	tail(s *Summary) []byte
}

func newFormat(name, per string) (format, error) {
	switch name {
	case OutJSONL:
		return jsonlFormat{perDocument: per == PerDocument}, nil
	case OutCSV:
		return csvFormat{}, nil
	case OutHTML:
		return htmlFormat{}, nil
	}
	return nil, fmt.Errorf("unknown output format %q", name)
}

type jsonlFormat struct{ perDocument bool }

func (jsonlFormat) head() []byte         { return nil }
func (jsonlFormat) tail(*Summary) []byte { return nil }

// outputOptions write records as encoding/json did with HTML escaping off:
// map keys sorted, invalid UTF-8 replaced by U+FFFD. Our records' field
// names are fixed and distinct, so the encoder need not track them for
// duplicates (a tenth of encoding time).
var outputOptions = json.JoinOptions(json.Deterministic(true), jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true))

func (j jsonlFormat) encode(r Result) ([]byte, error) {
	var b bytes.Buffer
	enc := jsontext.NewEncoder(&b, outputOptions)
	d := r.Doc
	if r.Err != nil {
		err := json.MarshalEncode(enc, errorRecord{DocID: d.ID, Source: d.Source, Line: d.Line, Error: r.Err.Error()})
		return b.Bytes(), err
	}
	if j.perDocument {
		rec := documentRecord{DocID: d.ID, Source: d.Source, Line: d.Line, Summary: summary(r.Sentences), Sentences: make([]sentenceRecord, len(r.Sentences))}
		for i, s := range r.Sentences {
			rec.Sentences[i] = sentence(s)
		}
		err := json.MarshalEncode(enc, rec)
		return b.Bytes(), err
	}
	for _, s := range r.Sentences {
		rec := sentence(s)
		rec.DocID, rec.Source, rec.Line = d.ID, d.Source, d.Line
		if err := json.MarshalEncode(enc, rec); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

var csvHeader = []string{"doc_id", "source", "line", "index", "start", "end", "text",
	"stance", "p_supporting", "p_opposing", "p_conditional", "p_none",
	"sentiment", "p_positive", "p_negative", "p_neutral", "evidence",
	"holder", "actor", "side", "holder_confidence", "holder_from_context", "error"}

type csvFormat struct{}

func (csvFormat) head() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(csvHeader)
	w.Flush()
	return b.Bytes()
}

func (csvFormat) tail(*Summary) []byte { return nil }

func (csvFormat) encode(r Result) ([]byte, error) {
	var b bytes.Buffer
	c := csv.NewWriter(&b)
	d := r.Doc
	line := ""
	if d.Line > 0 {
		line = strconv.Itoa(d.Line)
	}
	if r.Err != nil {
		row := make([]string, len(csvHeader))
		row[0], row[1], row[2], row[len(row)-1] = d.ID, d.Source, line, r.Err.Error()
		c.Write(row)
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	for _, s := range r.Sentences {
		var ev []string
		for _, e := range s.StanceEvidence {
			ev = append(ev, e.Text)
		}
		// A sentence without a holder leaves the holder's columns empty,
		// not "0" and "false", which would read as a holder's.
		holder := make([]string, 5)
		if h := s.Holder; h != nil {
			holder = []string{h.Text, h.Actor, string(h.Side), f(h.Confidence), strconv.FormatBool(h.FromContext)}
		}
		row := []string{d.ID, d.Source, line, strconv.Itoa(s.Index), strconv.Itoa(s.RuneStart), strconv.Itoa(s.RuneEnd), s.Text,
			string(s.Stance), f(s.StanceProbs[0]), f(s.StanceProbs[1]), f(s.StanceProbs[2]), f(s.StanceProbs[3]),
			string(s.Sentiment), f(s.SentimentProbs[0]), f(s.SentimentProbs[1]), f(s.SentimentProbs[2]),
			strings.Join(ev, " | ")}
		c.Write(append(append(row, holder...), ""))
	}
	c.Flush()
	return b.Bytes(), c.Error()
}
