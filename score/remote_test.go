package score_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stance-project/stance/model"
	"github.com/stance-project/stance/score"
	"github.com/stance-project/stance/server"
)

// TestRemoteMatchesInProcess scores the same input through a running
// service with ClassifyStream and in process: the outputs are identical.
func TestRemoteMatchesInProcess(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan struct{}), make(chan error, 1)
	go func() {
		done <- server.Run(ctx, lis, server.RunOptions{Ready: func(*server.Loaded) { close(ready) }, DrainTimeout: time.Second})
	}()
	defer func() { cancel(); <-done }()
	<-ready

	input := "{\"id\":\"a\",\"text\":\"" + doc1 + "\"}\n{\"id\":\"b\",\"text\":\"   \"}\n{\"id\":\"c\",\"text\":\"" + doc2 + "\"}\n"
	remote, err := score.Dial(lis.Addr().String(), model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	rsum, rout := run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(input), StdinFormat: score.FormatJSONL, Engine: remote, Workers: 3})
	_, lout := run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(input), StdinFormat: score.FormatJSONL, Workers: 3})
	if string(rout) != string(lout) {
		t.Fatalf("remote output differs from in-process output:\n%s\n---\n%s", rout, lout)
	}
	if rsum.Errors != 1 || rsum.Documents != 3 {
		t.Fatalf("remote summary %+v", rsum)
	}
}
