package score

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stance-project/stance"
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

type spanRecord struct {
	Start     int     `json:"start"`
	End       int     `json:"end"`
	StartByte int     `json:"start_byte"`
	EndByte   int     `json:"end_byte"`
	Text      string  `json:"text"`
	Weight    float64 `json:"weight"`
}

type sentenceRecord struct {
	DocID             string             `json:"doc_id,omitempty"`
	Source            string             `json:"source,omitempty"`
	Line              int                `json:"line,omitempty"`
	Index             int                `json:"index"`
	Start             int                `json:"start"`
	End               int                `json:"end"`
	StartByte         int                `json:"start_byte"`
	EndByte           int                `json:"end_byte"`
	Text              string             `json:"text"`
	Stance            stance.Stance      `json:"stance"`
	StanceProbs       map[string]float64 `json:"stance_probs"`
	Sentiment         stance.Sentiment   `json:"sentiment"`
	SentimentProbs    map[string]float64 `json:"sentiment_probs"`
	Evidence          []spanRecord       `json:"evidence"`
	SentimentEvidence []spanRecord       `json:"sentiment_evidence"`
}

type summaryRecord struct {
	StanceCounts      map[string]int `json:"stance_counts"`
	SentimentCounts   map[string]int `json:"sentiment_counts"`
	Overall           stance.Stance  `json:"overall_stance"`
	OverallConfidence float64        `json:"overall_confidence"`
}

type documentRecord struct {
	DocID     string           `json:"doc_id"`
	Source    string           `json:"source"`
	Line      int              `json:"line,omitempty"`
	Sentences []sentenceRecord `json:"sentences"`
	Summary   summaryRecord    `json:"summary"`
}

// errorRecord stands in the output for a document that failed.
type errorRecord struct {
	DocID  string `json:"doc_id"`
	Source string `json:"source"`
	Line   int    `json:"line,omitempty"`
	Error  string `json:"error"`
}

func spans(ss []model.Span) []spanRecord {
	out := make([]spanRecord, len(ss))
	for i, s := range ss {
		out[i] = spanRecord{Start: s.RuneStart, End: s.RuneEnd, StartByte: s.Start, EndByte: s.End, Text: s.Text, Weight: s.Weight}
	}
	return out
}

func sentence(s model.Sentence) sentenceRecord {
	r := sentenceRecord{
		Index: s.Index, Start: s.RuneStart, End: s.RuneEnd, StartByte: s.Start, EndByte: s.End, Text: s.Text,
		Stance: s.Stance, Sentiment: s.Sentiment,
		StanceProbs: map[string]float64{}, SentimentProbs: map[string]float64{},
		Evidence: spans(s.StanceEvidence), SentimentEvidence: spans(s.SentimentEvidence),
	}
	for k, st := range stance.Stances {
		r.StanceProbs[string(st)] = s.StanceProbs[k]
	}
	for k, se := range stance.Sentiments {
		r.SentimentProbs[string(se)] = s.SentimentProbs[k]
	}
	return r
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
	return r
}

// writer writes results in input order.
type writer interface {
	write(r Result) error
	// finish writes what comes after the last document and flushes.
	finish(s *Summary) error
}

func newWriter(format, per string, w io.Writer, header bool) (writer, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	switch format {
	case OutJSONL:
		return &jsonlWriter{w: bw, perDocument: per == PerDocument}, nil
	case OutCSV:
		c := &csvWriter{w: bw, c: csv.NewWriter(bw)}
		if header {
			if err := c.c.Write(csvHeader); err != nil {
				return nil, err
			}
		}
		return c, nil
	case OutHTML:
		return newHTMLWriter(bw)
	}
	return nil, fmt.Errorf("unknown output format %q", format)
}

type jsonlWriter struct {
	w           *bufio.Writer
	perDocument bool
}

func (j *jsonlWriter) line(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	j.w.Write(b)
	return j.w.WriteByte('\n')
}

func (j *jsonlWriter) write(r Result) error {
	d := r.Doc
	if r.Err != nil {
		if err := j.line(errorRecord{DocID: d.ID, Source: d.Source, Line: d.Line, Error: r.Err.Error()}); err != nil {
			return err
		}
		return j.w.Flush()
	}
	if j.perDocument {
		rec := documentRecord{DocID: d.ID, Source: d.Source, Line: d.Line, Summary: summary(r.Sentences), Sentences: make([]sentenceRecord, len(r.Sentences))}
		for i, s := range r.Sentences {
			rec.Sentences[i] = sentence(s)
		}
		if err := j.line(rec); err != nil {
			return err
		}
	} else {
		for _, s := range r.Sentences {
			rec := sentence(s)
			rec.DocID, rec.Source, rec.Line = d.ID, d.Source, d.Line
			if err := j.line(rec); err != nil {
				return err
			}
		}
	}
	// One flush per document: a killed run leaves whole documents, save
	// perhaps the last, which --resume detects and redoes.
	return j.w.Flush()
}

func (j *jsonlWriter) finish(*Summary) error { return j.w.Flush() }

var csvHeader = []string{"doc_id", "source", "line", "index", "start", "end", "text",
	"stance", "p_supporting", "p_opposing", "p_conditional", "p_none",
	"sentiment", "p_positive", "p_negative", "p_neutral", "evidence", "error"}

type csvWriter struct {
	w *bufio.Writer
	c *csv.Writer
}

func (c *csvWriter) write(r Result) error {
	d := r.Doc
	line := ""
	if d.Line > 0 {
		line = strconv.Itoa(d.Line)
	}
	if r.Err != nil {
		c.c.Write([]string{d.ID, d.Source, line, "", "", "", "", "", "", "", "", "", "", "", "", "", "", r.Err.Error()})
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	for _, s := range r.Sentences {
		var ev []string
		for _, e := range s.StanceEvidence {
			ev = append(ev, e.Text)
		}
		c.c.Write([]string{d.ID, d.Source, line, strconv.Itoa(s.Index), strconv.Itoa(s.RuneStart), strconv.Itoa(s.RuneEnd), s.Text,
			string(s.Stance), f(s.StanceProbs[0]), f(s.StanceProbs[1]), f(s.StanceProbs[2]), f(s.StanceProbs[3]),
			string(s.Sentiment), f(s.SentimentProbs[0]), f(s.SentimentProbs[1]), f(s.SentimentProbs[2]),
			strings.Join(ev, " | "), ""})
	}
	c.c.Flush()
	if err := c.c.Error(); err != nil {
		return err
	}
	return c.w.Flush()
}

func (c *csvWriter) finish(*Summary) error {
	c.c.Flush()
	return c.w.Flush()
}
