package score

import (
	"context"
	"fmt"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/stance-project/stance"
	stancev1 "github.com/stance-project/stance/api/stance/v1"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/model"
)

// Result is a classified document, or a document that failed.
type Result struct {
	Doc       Doc
	Sentences []model.Sentence
	Err       error // Doc.Err, or why classification failed

	encoded   []byte // the rendered output, filled by the pipeline
	encodeErr error
}

// Engine classifies documents with several workers. Results come out in
// any order; the pipeline puts them back in input order.
type Engine interface {
	// Run classifies every document of in and sends a result to out,
	// returning when in is closed and drained.
	Run(ctx context.Context, workers int, in <-chan Doc, out chan<- Result) error
	Close() error
}

// Local classifies in this process.
type Local struct {
	Model   *model.Model
	Options model.Options
}

// Run implements Engine.
func (l *Local) Run(ctx context.Context, workers int, in <-chan Doc, out chan<- Result) error {
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range in {
				r := Result{Doc: d, Err: d.Err}
				if d.Err == nil {
					r.Sentences = l.Model.Classify(d.Text, l.Options)
				}
				out <- r
			}
		}()
	}
	wg.Wait()
	return nil
}

// Close implements Engine.
func (l *Local) Close() error { return nil }

// Remote classifies on `stance serve` replicas through ClassifyStream, one
// stream per worker. A dns:/// address spreads the streams over every
// address the name resolves to, round-robin.
type Remote struct {
	conn    *grpc.ClientConn
	options *stancev1.Options
}

// streamDocuments is how many documents a worker sends on one stream
// before opening another. Streams are long-lived and the balancer picks a
// replica when a stream opens, so rotating them spreads the work over
// replicas that were not ready yet when the run began, or were added since.
const streamDocuments = 64

// Dial connects to addr: host:port, or dns:///name:port for all replicas.
func Dial(addr string, opt model.Options, dialOpts ...grpc.DialOption) (*Remote, error) {
	opts := append([]grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultServiceConfig(`{"loadBalancingConfig": [{"round_robin": {}}]}`),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64 << 20)),
	}, dialOpts...)
	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", addr, err)
	}
	o := &stancev1.Options{MaxEvidenceSpans: uint32(opt.MaxEvidence)}
	if opt.NoEvidence {
		o.Evidence = stancev1.EvidenceMode_EVIDENCE_MODE_EXCLUDE
	}
	// Both ways explicitly: servers built before holders became the
	// default read HOLDER_MODE_UNSPECIFIED as exclude.
	o.Holders = stancev1.HolderMode_HOLDER_MODE_INCLUDE
	if opt.NoHolders {
		o.Holders = stancev1.HolderMode_HOLDER_MODE_EXCLUDE
	}
	return &Remote{conn: conn, options: o}, nil
}

// Close implements Engine.
func (r *Remote) Close() error { return r.conn.Close() }

// Run implements Engine. A document the server rejects becomes an error
// record; a broken stream is reopened for the next document.
func (r *Remote) Run(ctx context.Context, workers int, in <-chan Doc, out chan<- Result) error {
	client := stancev1.NewStanceServiceClient(r.conn)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stream stancev1.StanceService_ClassifyStreamClient
			sent := 0
			for d := range in {
				if d.Err != nil {
					out <- Result{Doc: d, Err: d.Err}
					continue
				}
				if stream != nil && sent == streamDocuments {
					stream.CloseSend()
					stream.Recv() // let the server end the stream cleanly
					stream, sent = nil, 0
				}
				if stream == nil {
					s, err := client.ClassifyStream(ctx, grpc.WaitForReady(true))
					if err != nil {
						out <- Result{Doc: d, Err: fmt.Errorf("open stream: %v", status.Convert(err).Message())}
						continue
					}
					stream = s
				}
				sent++
				res, err := roundTrip(stream, d, r.options)
				if err != nil {
					stream = nil // the server ended the stream; the next document opens another
					out <- Result{Doc: d, Err: fmt.Errorf("server: %s: %s", status.Code(err), status.Convert(err).Message())}
					continue
				}
				out <- Result{Doc: d, Sentences: fromProto(res)}
			}
			if stream != nil {
				stream.CloseSend()
				stream.Recv() // let the server end the stream cleanly
			}
		}()
	}
	wg.Wait()
	return nil
}

func roundTrip(s stancev1.StanceService_ClassifyStreamClient, d Doc, o *stancev1.Options) (*stancev1.DocumentResult, error) {
	if err := s.Send(&stancev1.ClassifyStreamRequest{Document: &stancev1.Document{Id: d.ID, Text: d.Text}, Options: o}); err != nil {
		_, err = s.Recv() // the real error
		return nil, err
	}
	resp, err := s.Recv()
	if err != nil {
		return nil, err
	}
	return resp.GetResult(), nil
}

var stanceOf = map[stancev1.Stance]stance.Stance{
	stancev1.Stance_STANCE_SUPPORTING: stance.Supporting, stancev1.Stance_STANCE_OPPOSING: stance.Opposing,
	stancev1.Stance_STANCE_CONDITIONAL: stance.Conditional, stancev1.Stance_STANCE_NONE: stance.None,
}

var sideOf = map[stancev1.Side]lexicon.Side{
	stancev1.Side_SIDE_US: lexicon.SideUS, stancev1.Side_SIDE_RUSSIA: lexicon.SideRussia, stancev1.Side_SIDE_OTHER: lexicon.SideOther,
}

var sentimentOf = map[stancev1.Sentiment]stance.Sentiment{
	stancev1.Sentiment_SENTIMENT_POSITIVE: stance.Positive, stancev1.Sentiment_SENTIMENT_NEGATIVE: stance.Negative,
	stancev1.Sentiment_SENTIMENT_NEUTRAL: stance.Neutral,
}

func spanFromProto(o *stancev1.Offsets, text string, weight float64) model.Span {
	return model.Span{
		Start: int(o.GetStartByte()), End: int(o.GetEndByte()),
		RuneStart: int(o.GetStartCodePoint()), RuneEnd: int(o.GetEndCodePoint()),
		Text: text, Weight: weight,
	}
}

// fromProto converts a server result to the in-process form, so that the
// writers do not care which engine ran.
func fromProto(d *stancev1.DocumentResult) []model.Sentence {
	out := make([]model.Sentence, len(d.GetSentences()))
	for i, s := range d.GetSentences() {
		m := model.Sentence{
			Index: int(s.GetIndex()), Span: spanFromProto(s.GetOffsets(), s.GetText(), 0),
			Stance: stanceOf[s.GetStance()], Sentiment: sentimentOf[s.GetSentiment()],
		}
		for _, p := range s.GetStanceProbabilities() {
			if k := stanceOf[p.GetStance()].Index(); k >= 0 {
				m.StanceProbs[k] = p.GetProbability()
			}
		}
		for _, p := range s.GetSentimentProbabilities() {
			if k := sentimentOf[p.GetSentiment()].Index(); k >= 0 {
				m.SentimentProbs[k] = p.GetProbability()
			}
		}
		for _, e := range s.GetStanceEvidence() {
			m.StanceEvidence = append(m.StanceEvidence, spanFromProto(e.GetOffsets(), e.GetText(), e.GetWeight()))
		}
		for _, e := range s.GetSentimentEvidence() {
			m.SentimentEvidence = append(m.SentimentEvidence, spanFromProto(e.GetOffsets(), e.GetText(), e.GetWeight()))
		}
		if h := s.GetHolder(); h != nil {
			m.Holder = &model.Holder{Span: spanFromProto(h.GetOffsets(), h.GetText(), 0), Actor: h.GetActor(),
				Side: sideOf[h.GetSide()], Confidence: h.GetConfidence(), FromContext: h.GetFromContext()}
		}
		out[i] = m
	}
	return out
}
