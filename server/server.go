// Package server is the gRPC service: StanceService for classification and
// ModelAdminService for hot reloads, with request validation that names the
// offending field, and the model held behind an atomic pointer so that a
// reload never blocks or fails a request in flight.
package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/stance-project/stance"
	stancev1 "github.com/stance-project/stance/api/stance/v1"
	"github.com/stance-project/stance/model"
)

// Limits bound what one request may ask.
type Limits struct {
	// MaxDocumentBytes caps the UTF-8 length of one document.
	MaxDocumentBytes int
	// MaxBatch caps the documents of one ClassifyBatch request.
	MaxBatch int
}

// DefaultLimits are the limits `stance serve` starts with.
var DefaultLimits = Limits{MaxDocumentBytes: 1 << 20, MaxBatch: 1000}

// Config configures a Server.
type Config struct {
	Limits Limits
	// ModelPath is the configured model file; empty means the embedded model.
	ModelPath string
	// AdminToken guards ModelAdminService; empty disables it.
	AdminToken string
	Logger     *slog.Logger
	Metrics    *Metrics
	// Now returns the time; tests replace it.
	Now func() time.Time
}

// Server implements StanceService and ModelAdminService.
type Server struct {
	stancev1.UnimplementedStanceServiceServer
	stancev1.UnimplementedModelAdminServiceServer

	cfg     Config
	current atomic.Pointer[Loaded]
	// reloadMu serialises reloads; requests never take it.
	reloadMu sync.Mutex
	// onSwap is called after a new model starts serving.
	onSwap func(*Loaded)
}

var (
	_ stancev1.StanceServiceServer     = (*Server)(nil)
	_ stancev1.ModelAdminServiceServer = (*Server)(nil)
)

// New returns a server with no model: it answers UNAVAILABLE until Swap or
// Reload installs one.
func New(cfg Config) *Server {
	if cfg.Limits.MaxDocumentBytes <= 0 {
		cfg.Limits.MaxDocumentBytes = DefaultLimits.MaxDocumentBytes
	}
	if cfg.Limits.MaxBatch <= 0 {
		cfg.Limits.MaxBatch = DefaultLimits.MaxBatch
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Server{cfg: cfg}
}

// OnSwap registers a function called after each model swap (health, metrics).
func (s *Server) OnSwap(fn func(*Loaded)) { s.onSwap = fn }

// Current returns the serving model, or nil before the first load.
func (s *Server) Current() *Loaded { return s.current.Load() }

// Swap installs a loaded model.
func (s *Server) Swap(l *Loaded) {
	s.current.Store(l)
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.modelSwapped(l)
	}
	if s.onSwap != nil {
		s.onSwap(l)
	}
}

// Reload loads path (the configured model when empty), warms it and swaps
// it in. On error the serving model is untouched.
func (s *Server) Reload(path string) (*Loaded, error) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	if path == "" {
		path = s.cfg.ModelPath
	}
	l, err := Load(path, s.cfg.Now)
	if err != nil {
		if s.cfg.Metrics != nil {
			s.cfg.Metrics.reloads.WithLabelValues("error").Inc()
		}
		s.cfg.Logger.Error("model reload failed; the previous model keeps serving", "source", path, "err", err)
		return nil, err
	}
	s.Swap(l)
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.reloads.WithLabelValues("ok").Inc()
	}
	s.cfg.Logger.Info("model loaded", "source", l.Source, "version", l.Version)
	return l, nil
}

func (s *Server) serving() (*Loaded, error) {
	l := s.current.Load()
	if l == nil {
		return nil, status.Error(codes.Unavailable, "no model loaded yet; retry when the health check reports SERVING")
	}
	return l, nil
}

// Classify implements StanceService.
func (s *Server) Classify(ctx context.Context, req *stancev1.ClassifyRequest) (*stancev1.ClassifyResponse, error) {
	opt, err := s.validateOptions("options", req.GetOptions())
	if err != nil {
		return nil, err
	}
	if err := s.validateText("text", req.GetText()); err != nil {
		return nil, err
	}
	l, err := s.serving()
	if err != nil {
		return nil, err
	}
	res := s.classify(l, "", req.GetText(), opt)
	return &stancev1.ClassifyResponse{Result: res}, nil
}

// ClassifyBatch implements StanceService. The deadline is checked between
// documents, so a batch that runs out of time stops instead of finishing
// work nobody waits for.
func (s *Server) ClassifyBatch(ctx context.Context, req *stancev1.ClassifyBatchRequest) (*stancev1.ClassifyBatchResponse, error) {
	docs := req.GetDocuments()
	if len(docs) == 0 {
		return nil, invalid("documents", "empty, want at least one document")
	}
	if len(docs) > s.cfg.Limits.MaxBatch {
		return nil, invalid("documents", "%d documents, want at most %d per request (split the batch or use ClassifyStream)", len(docs), s.cfg.Limits.MaxBatch)
	}
	opt, err := s.validateOptions("options", req.GetOptions())
	if err != nil {
		return nil, err
	}
	for i, d := range docs {
		if err := s.validateText(fieldIndex("documents", i, "text"), d.GetText()); err != nil {
			return nil, err
		}
	}
	l, err := s.serving()
	if err != nil {
		return nil, err
	}
	// Documents are classified on every core; each worker checks the
	// deadline before taking the next document.
	out := &stancev1.ClassifyBatchResponse{Results: make([]*stancev1.DocumentResult, len(docs))}
	sents := make([][]model.Sentence, len(docs)) // for the batch's summary
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(docs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(docs) {
					return
				}
				sents[i], out.Results[i] = s.classifySentences(l, docs[i].GetId(), docs[i].GetText(), opt)
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil && int(done.Load()) < len(docs) {
		return nil, contextStatus(err, int(done.Load()), len(docs))
	}
	out.Summary = summary(model.SummarizeArchive(sents))
	return out, nil
}

// ClassifyStream implements StanceService: one result per document, in
// order, all on the model that was serving when the stream opened.
func (s *Server) ClassifyStream(stream stancev1.StanceService_ClassifyStreamServer) error {
	ctx := stream.Context()
	l, err := s.serving()
	if err != nil {
		return err
	}
	for n := 0; ; n++ {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return contextStatus(ctx.Err(), n, -1)
			}
			return err
		}
		opt, err := s.validateOptions("options", req.GetOptions())
		if err != nil {
			return err
		}
		if err := s.validateText("document.text", req.GetDocument().GetText()); err != nil {
			// Say which message of the stream was wrong, keeping the details.
			p := status.Convert(err).Proto()
			p.Message = fmt.Sprintf("stream message %d (id %q): %s", n, req.GetDocument().GetId(), p.GetMessage())
			return status.FromProto(p).Err()
		}
		res := s.classify(l, req.GetDocument().GetId(), req.GetDocument().GetText(), opt)
		if err := stream.Send(&stancev1.ClassifyStreamResponse{Result: res}); err != nil {
			return err
		}
	}
}

// GetModelInfo implements StanceService.
func (s *Server) GetModelInfo(ctx context.Context, _ *stancev1.GetModelInfoRequest) (*stancev1.GetModelInfoResponse, error) {
	l, err := s.serving()
	if err != nil {
		return nil, err
	}
	info := l.Model.Proto().GetTraining()
	resp := &stancev1.GetModelInfoResponse{
		ModelVersion:      l.Version,
		Source:            l.Source,
		LoadedAt:          timestamppb.New(l.LoadedAt),
		TrainingSentences: info.GetSentences(),
		TrainingDocuments: info.GetDocuments(),
		CorpusSha256:      info.GetCorpusSha256(),
		CodeVersion:       info.GetCodeVersion(),
		Metrics:           info.GetMetrics(),
	}
	for _, st := range stance.Stances {
		resp.StanceLabels = append(resp.StanceLabels, stanceEnum(st))
	}
	for _, se := range stance.Sentiments {
		resp.SentimentLabels = append(resp.SentimentLabels, sentimentEnum(se))
	}
	return resp, nil
}

// ReloadModel implements ModelAdminService.
func (s *Server) ReloadModel(ctx context.Context, req *stancev1.ReloadModelRequest) (*stancev1.ReloadModelResponse, error) {
	if err := s.authorize(ctx); err != nil {
		return nil, err
	}
	l, err := s.Reload(req.GetPath())
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "%v; the previous model keeps serving", err)
	}
	return &stancev1.ReloadModelResponse{ModelVersion: l.Version, LoadedAt: timestamppb.New(l.LoadedAt), Source: l.Source}, nil
}

// authorize checks the "authorization: Bearer <token>" metadata.
func (s *Server) authorize(ctx context.Context) error {
	if s.cfg.AdminToken == "" {
		return status.Error(codes.Unauthenticated, "model administration is disabled: the server has no admin token (--admin-token or STANCE_ADMIN_TOKEN)")
	}
	md, _ := metadata.FromIncomingContext(ctx)
	for _, v := range md.Get("authorization") {
		token, ok := strings.CutPrefix(v, "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.AdminToken)) == 1 {
			return nil
		}
	}
	return status.Error(codes.Unauthenticated, `missing or wrong admin token: send metadata "authorization: Bearer <token>"`)
}

func (s *Server) classify(l *Loaded, id, text string, opt model.Options) *stancev1.DocumentResult {
	_, res := s.classifySentences(l, id, text, opt)
	return res
}

// classifySentences is classify that also returns the model's sentences,
// for a batch to sum up.
func (s *Server) classifySentences(l *Loaded, id, text string, opt model.Options) ([]model.Sentence, *stancev1.DocumentResult) {
	sents := l.Model.Classify(text, opt)
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.countSentences(sents)
	}
	return sents, documentResult(id, text, l.Version, sents)
}

// contextStatus turns a context error into the matching status, saying how
// far the work got.
func contextStatus(err error, done, total int) error {
	code := codes.Canceled
	if errors.Is(err, context.DeadlineExceeded) {
		code = codes.DeadlineExceeded
	}
	if total < 0 {
		return status.Errorf(code, "%v after %d documents", err, done)
	}
	return status.Errorf(code, "%v after %d of %d documents", err, done, total)
}
