package server_test

import (
	"context"
	"net"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
	"github.com/stance-project/stance/model"
	"github.com/stance-project/stance/server"
)

// newsSentence is one news-length sentence for the latency benchmark.
const newsSentence = "وقال المتحدث باسم وزارة الدفاع الأمريكية إن واشنطن لن تنسق عسكريا مع موسكو في سوريا ما لم تتوقف الغارات الروسية على مواقع المعارضة المعتدلة في ريف حلب."

// tenSentences is a ten-sentence document for the streaming benchmark.
var tenSentences = strings.Repeat(newsSentence+" ", 10)

// serveTCP runs the service on a loopback TCP port, as in production.
func serveTCP(b testing.TB) *grpc.ClientConn {
	b.Helper()
	// Measure the configuration `stance serve` runs with.
	old := debug.SetGCPercent(server.DefaultGCPercent)
	b.Cleanup(func() { debug.SetGCPercent(old) })
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, lis, server.RunOptions{Ready: func(*server.Loaded) { close(ready) }, DrainTimeout: time.Second})
	}()
	<-ready
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close(); cancel(); <-done })
	return conn
}

// BenchmarkUnaryLoad: 16 concurrent callers on loopback, one news sentence
// per Classify call; reports latency percentiles, throughput and errors.
func BenchmarkUnaryLoad(b *testing.B) {
	conn := serveTCP(b)
	client := stancev1.NewStanceServiceClient(conn)
	const callers = 16
	latencies := make([][]time.Duration, callers)
	errs := make([]int, callers)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	per := max(b.N/callers, 1)
	for c := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range per {
				t0 := time.Now()
				_, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: newsSentence})
				latencies[c] = append(latencies[c], time.Since(t0))
				if err != nil {
					errs[c]++
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(latencies...)
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "calls/s")
	total := 0
	for _, e := range errs {
		total += e
	}
	b.ReportMetric(float64(total), "errors")
}

// BenchmarkStreamVersusInProcess pushes ten-sentence documents through
// ClassifyStream (one stream per core) and compares the sentence rate with
// in-process classification on the same cores. The two alternate in four
// rounds, so that both see the same machine: measured one after the other,
// the ratio moved between 51 % and 75 % from run to run.
func BenchmarkStreamVersusInProcess(b *testing.B) {
	conn := serveTCP(b)
	client := stancev1.NewStanceServiceClient(conn)
	m, err := model.Default()
	if err != nil {
		b.Fatal(err)
	}
	const rounds = 4
	streams := runtime.GOMAXPROCS(0)
	perStream := max(b.N, 20*rounds) / rounds / streams // documents per stream and round

	inProcessRound := func() {
		var wg sync.WaitGroup
		for range streams {
			wg.Go(func() {
				for range perStream {
					m.Classify(tenSentences, model.Options{})
				}
			})
		}
		wg.Wait()
	}
	streamRound := func() int {
		sentences := make([]int, streams)
		var wg sync.WaitGroup
		for s := range streams {
			wg.Go(func() {
				st, err := client.ClassifyStream(context.Background())
				if err != nil {
					b.Error(err)
					return
				}
				go func() {
					for range perStream {
						st.Send(&stancev1.ClassifyStreamRequest{Document: &stancev1.Document{Text: tenSentences}})
					}
					st.CloseSend()
				}()
				for {
					resp, err := st.Recv()
					if err != nil {
						return
					}
					sentences[s] += len(resp.GetResult().GetSentences())
				}
			})
		}
		wg.Wait()
		total := 0
		for _, n := range sentences {
			total += n
		}
		return total
	}

	b.ResetTimer()
	var inProcessTime, streamTime time.Duration
	inProcessSentences, streamSentences := 0, 0
	for range rounds {
		start := time.Now()
		inProcessRound()
		inProcessTime += time.Since(start)
		inProcessSentences += perStream * streams * 10
		start = time.Now()
		streamSentences += streamRound()
		streamTime += time.Since(start)
	}
	inProcess := float64(inProcessSentences) / inProcessTime.Seconds()
	stream := float64(streamSentences) / streamTime.Seconds()
	b.ReportMetric(stream, "stream-sentences/s")
	b.ReportMetric(inProcess, "in-process-sentences/s")
	b.ReportMetric(100*stream/inProcess, "stream-%-of-in-process")
}

// TestReloadsDoNotGrowMemory reloads the model 50 times and checks the live
// heap after the last is within 10 % of the heap after the first.
func TestReloadsDoNotGrowMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("50 reloads")
	}
	srv := server.New(server.Config{})
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	if _, err := srv.Reload(""); err != nil {
		t.Fatal(err)
	}
	srv.Classify(context.Background(), &stancev1.ClassifyRequest{Text: tenSentences})
	first := heap()
	for range 49 {
		if _, err := srv.Reload(""); err != nil {
			t.Fatal(err)
		}
		srv.Classify(context.Background(), &stancev1.ClassifyRequest{Text: tenSentences})
	}
	last := heap()
	runtime.KeepAlive(srv) // the server, and its model, must still be live when measured
	t.Logf("live heap after the first reload %.1f MB, after the 50th %.1f MB", float64(first)/(1<<20), float64(last)/(1<<20))
	if float64(last) > 1.10*float64(first) {
		t.Fatalf("heap grew from %d to %d bytes over 50 reloads (more than 10%%)", first, last)
	}
}
