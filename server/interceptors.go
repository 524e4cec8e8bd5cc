package server

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
)

// sentencesIn counts the sentences of a response, for the RPC log line.
func sentencesIn(resp any) int {
	switch r := resp.(type) {
	case *stancev1.ClassifyResponse:
		return len(r.GetResult().GetSentences())
	case *stancev1.ClassifyBatchResponse:
		n := 0
		for _, d := range r.GetResults() {
			n += len(d.GetSentences())
		}
		return n
	}
	return 0
}

// recovered turns a panic into INTERNAL. The stack goes to the log, never
// to the client.
func (s *Server) recovered(ctx context.Context, method string, err *error) {
	if p := recover(); p != nil {
		s.cfg.Logger.ErrorContext(ctx, "panic in RPC", "method", method, "panic", p, "stack", string(debug.Stack()))
		*err = status.Error(codes.Internal, "internal error; it has been logged")
	}
}

func (s *Server) observe(ctx context.Context, method string, start time.Time, err error, sentences int) {
	code := status.Code(err)
	elapsed := time.Since(start)
	if m := s.cfg.Metrics; m != nil {
		m.latency.WithLabelValues(method).Observe(elapsed.Seconds())
		m.requests.WithLabelValues(method, code.String()).Inc()
	}
	level := slog.LevelInfo
	if code == codes.Internal || code == codes.Unknown {
		level = slog.LevelError
	}
	addr := ""
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		addr = p.Addr.String()
	}
	s.cfg.Logger.Log(ctx, level, "rpc", "method", method, "peer", addr, "code", code.String(),
		"latency_ms", float64(elapsed.Microseconds())/1000, "sentences", sentences)
}

// UnaryInterceptor logs, measures and recovers unary RPCs.
func (s *Server) UnaryInterceptor(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
	start := time.Now()
	defer func() { s.observe(ctx, info.FullMethod, start, err, sentencesIn(resp)) }()
	defer s.recovered(ctx, info.FullMethod, &err)
	return handler(ctx, req)
}

// countingStream counts the sentences a stream sends.
type countingStream struct {
	grpc.ServerStream
	sentences int
}

func (c *countingStream) SendMsg(m any) error {
	if r, ok := m.(*stancev1.ClassifyStreamResponse); ok {
		c.sentences += len(r.GetResult().GetSentences())
	}
	return c.ServerStream.SendMsg(m)
}

// StreamInterceptor logs, measures and recovers streaming RPCs.
func (s *Server) StreamInterceptor(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
	start := time.Now()
	cs := &countingStream{ServerStream: ss}
	defer func() { s.observe(ss.Context(), info.FullMethod, start, err, cs.sentences) }()
	defer s.recovered(ss.Context(), info.FullMethod, &err)
	return handler(srv, cs)
}
