package server_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
	"github.com/stance-project/stance/server"
)

// TestBadInputCatalogue sends the inputs real clients get wrong. Each gets
// a clear error or a correct answer, the service stays SERVING, and no
// goroutine is left behind.
func TestBadInputCatalogue(t *testing.T) {
	f := start(t, func(o *server.RunOptions) {
		o.Limits = server.Limits{MaxDocumentBytes: 1 << 20, MaxBatch: 1000}
		o.MaxMessageBytes = 64 << 20
	})
	ctx := context.Background()
	// Open the connection first: its own goroutines are not a leak.
	if _, err := healthpb.NewHealthClient(f.conn).Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	baseline := runtime.NumGoroutine()

	longSentence := strings.Repeat("تنسيق عسكري ", 100000/12)
	tests := []struct {
		name string
		text string
		want codes.Code
	}{
		{"Empty", "", codes.InvalidArgument},
		{"WhiteSpace", " \t\n\u00a0 ", codes.InvalidArgument},
		{"OnlyPunctuation", "«»… ؟!،؛ -- ...", codes.InvalidArgument},
		{"TenMegabytes", strings.Repeat("ورفض البنتاغون التنسيق مع موسكو. ", 10<<20/60), codes.InvalidArgument},
		{"OneHundredThousandCharacterSentence", longSentence, codes.OK},
		{"ControlCharacters", "رفض\x00 البنتاغون\x07 التنسيق\x1b مع موسكو.", codes.OK},
		{"BidiMarks", "\u202bرفض البنتاغون\u202c \u200fالتنسيق\u200e مع موسكو.\u2066", codes.OK},
		{"MixedLatinArabic", "The Pentagon رفض أي تنسيق with Moscow في سوريا (Syria).", codes.OK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := f.client.Classify(ctx, &stancev1.ClassifyRequest{Text: tt.text})
			if got := status.Code(err); got != tt.want {
				t.Fatalf("code %s (%v), want %s", got, err, tt.want)
			}
			if err == nil {
				for _, s := range resp.GetResult().GetSentences() {
					o := s.GetOffsets()
					if tt.text[o.GetStartByte():o.GetEndByte()] != s.GetText() {
						t.Fatalf("sentence offsets do not give its text")
					}
				}
			}
		})
	}
	t.Run("TenThousandDocuments", func(t *testing.T) {
		docs := make([]*stancev1.Document, 10000)
		for i := range docs {
			docs[i] = &stancev1.Document{Text: "رحبت موسكو بالعرض."}
		}
		_, err := f.client.ClassifyBatch(ctx, &stancev1.ClassifyBatchRequest{Documents: docs})
		wantCode(t, err, codes.InvalidArgument, "documents")
	})
	t.Run("OneMillisecondDeadline", func(t *testing.T) {
		c, cancel := context.WithTimeout(ctx, time.Millisecond)
		defer cancel()
		docs := make([]*stancev1.Document, 1000)
		for i := range docs {
			docs[i] = &stancev1.Document{Text: longSentence[:5000]}
		}
		_, err := f.client.ClassifyBatch(c, &stancev1.ClassifyBatchRequest{Documents: docs})
		wantCode(t, err, codes.DeadlineExceeded, "")
	})
	t.Run("AbandonedStream", func(t *testing.T) {
		c, cancel := context.WithCancel(ctx)
		stream, err := f.client.ClassifyStream(c)
		if err != nil {
			t.Fatal(err)
		}
		stream.Send(&stancev1.ClassifyStreamRequest{Document: &stancev1.Document{Text: "رحبت موسكو بالعرض."}})
		cancel() // walk away without reading or closing
	})

	h, err := healthpb.NewHealthClient(f.conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil || h.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("after the catalogue the service is %v (%v), want SERVING", h.GetStatus(), err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > baseline && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		runtime.GC()
	}
	if n := runtime.NumGoroutine(); n > baseline {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines, %d before the catalogue:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
	}
}
