package server_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
	"github.com/stance-project/stance/server"
)

var soakFor = flag.Duration("soak", 0, "how long TestSoak runs (default: 30s under CI, 3s otherwise); e.g. -soak 10m")

// TestSoak runs mixed RPCs from 50 concurrent callers while the model is
// reloaded, now from a good file, now from a truncated one. Every client
// call must succeed, every truncated reload must fail cleanly with the old
// model serving, and the live heap and goroutine count must end where they
// started.
func TestSoak(t *testing.T) {
	d := *soakFor
	if d == 0 {
		d = 3 * time.Second
		if os.Getenv("CI") != "" {
			d = 30 * time.Second
		}
	}
	good, truncated := modelFiles(t)

	f := start(t, func(o *server.RunOptions) {
		o.Limits = server.Limits{MaxDocumentBytes: 1 << 20, MaxBatch: 100}
	})
	ctx := context.Background()
	health := healthpb.NewHealthClient(f.conn)
	auth := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)

	docs := []string{
		article,
		"وقال المتحدث إن واشنطن لا تنسق مع موسكو.",
		"The Pentagon رفض أي تنسيق with Moscow في سوريا.",
	}
	// One round of every RPC kind, so that the baseline below is taken
	// with every lazily built piece (stream pools, caches) in place.
	call := func(kind int) error {
		switch kind % 5 {
		case 0:
			_, err := f.client.Classify(ctx, &stancev1.ClassifyRequest{Text: docs[kind%len(docs)]})
			return err
		case 1:
			req := &stancev1.ClassifyBatchRequest{}
			for i := range 10 {
				req.Documents = append(req.Documents, &stancev1.Document{Id: fmt.Sprint(i), Text: docs[i%len(docs)]})
			}
			_, err := f.client.ClassifyBatch(ctx, req)
			return err
		case 2:
			st, err := f.client.ClassifyStream(ctx)
			if err != nil {
				return err
			}
			for i := range 5 {
				if err := st.Send(&stancev1.ClassifyStreamRequest{Document: &stancev1.Document{Id: fmt.Sprint(i), Text: docs[i%len(docs)]}}); err != nil {
					return err
				}
			}
			if err := st.CloseSend(); err != nil {
				return err
			}
			for range 5 {
				if _, err := st.Recv(); err != nil {
					return err
				}
			}
			// Read the end too: a stream not read to its end holds its
			// goroutines in the client.
			if _, err := st.Recv(); err != io.EOF {
				return fmt.Errorf("stream end: %v", err)
			}
			return nil
		case 3:
			_, err := f.client.GetModelInfo(ctx, &stancev1.GetModelInfoRequest{})
			return err
		default:
			resp, err := health.Check(ctx, &healthpb.HealthCheckRequest{})
			if err == nil && resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
				err = fmt.Errorf("health %s during the soak", resp.GetStatus())
			}
			return err
		}
	}
	for k := range 5 {
		if err := call(k); err != nil {
			t.Fatalf("warm-up call %d: %v", k, err)
		}
	}
	heapNow := func() float64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return float64(ms.HeapAlloc) / (1 << 20)
	}
	goroutines, heapStart := runtime.NumGoroutine(), heapNow()

	deadline := time.Now().Add(d)
	var calls, failures atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for c := range 50 {
		wg.Go(func() {
			for k := c; time.Now().Before(deadline); k++ {
				calls.Add(1)
				if err := call(k); err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		})
	}
	reloads, badReloads := 0, 0
	for i := 0; time.Now().Before(deadline); i++ {
		path := good
		if i%2 == 1 {
			path = truncated
		}
		_, err := f.admin.ReloadModel(auth, &stancev1.ReloadModelRequest{Path: path})
		switch {
		case path == good && err != nil:
			t.Errorf("reload of the good model: %v", err)
		case path == truncated && status.Code(err) != codes.FailedPrecondition:
			t.Errorf("reload of a truncated model: %v, want FailedPrecondition", err)
		case path == truncated:
			badReloads++
		default:
			reloads++
		}
		time.Sleep(200 * time.Millisecond)
	}
	wg.Wait()

	if n := failures.Load(); n > 0 {
		t.Fatalf("%d of %d calls failed; the first: %v", n, calls.Load(), firstErr.Load())
	}
	heapEnd := heapNow()
	t.Logf("%s: %d calls from 50 callers, 0 errors; %d reloads, %d truncated files refused; live heap %.1f MB before, %.1f MB after",
		d, calls.Load(), reloads, badReloads, heapStart, heapEnd)
	if heapEnd > heapStart*1.2+1 {
		t.Errorf("live heap grew from %.1f MB to %.1f MB", heapStart, heapEnd)
	}
	waitForGoroutines(t, goroutines)
}

// waitForGoroutines waits for the goroutine count to come back to at most
// want: finished RPCs release theirs shortly after the client sees the end.
func waitForGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left, %d before", runtime.NumGoroutine(), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
