package score_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"

	"github.com/stance-project/stance/model"
	"github.com/stance-project/stance/score"
	"github.com/stance-project/stance/server"
)

// lockedBuffer is a log sink shared by a server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRemoteSpreadsOverReplicas runs three servers behind one name, as a
// dns:/// name with three addresses resolves, and checks that scoring with
// several workers sends streams to all three, including replicas that were
// not connected yet when the first streams opened.
func TestRemoteSpreadsOverReplicas(t *testing.T) {
	var addrs []resolver.Address
	logs := make([]*lockedBuffer, 3)
	for i := range logs {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		logs[i] = &lockedBuffer{}
		ctx, cancel := context.WithCancel(context.Background())
		ready, done := make(chan struct{}), make(chan error, 1)
		go func() {
			done <- server.Run(ctx, lis, server.RunOptions{
				Config: server.Config{Logger: slog.New(slog.NewTextHandler(logs[i], nil))},
				Ready:  func(*server.Loaded) { close(ready) }, DrainTimeout: time.Second,
			})
		}()
		t.Cleanup(func() { cancel(); <-done })
		<-ready
		addrs = append(addrs, resolver.Address{Addr: lis.Addr().String()})
	}
	r := manual.NewBuilderWithScheme("replicas")
	r.InitialState(resolver.State{Addresses: addrs})
	remote, err := score.Dial("replicas:///stance", model.Options{}, grpc.WithResolvers(r))
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	var in strings.Builder
	for i := range 1200 {
		fmt.Fprintf(&in, "{\"id\":\"d%d\",\"text\":%q}\n", i, doc1)
	}
	sum, _ := run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(in.String()), StdinFormat: score.FormatJSONL, Engine: remote, Workers: 6})
	if sum.Documents != 1200 || sum.Errors != 0 {
		t.Fatalf("summary %+v", sum)
	}
	for i, l := range logs {
		if !strings.Contains(l.String(), "ClassifyStream") {
			t.Errorf("replica %d served no stream", i)
		}
	}
}
