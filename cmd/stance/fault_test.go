package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
)

// TestSIGTERMDrainsStream sends SIGTERM while a stream is open: the stream
// is allowed to finish, the client sees every result and a clean end, and
// the process exits 0.
func TestSIGTERMDrainsStream(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	cmd, addr, exited := startServe(t, buildBinary(t), "--drain-timeout", "20s")
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stream, err := stancev1.NewStanceServiceClient(conn).ClassifyStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	doc := &stancev1.ClassifyStreamRequest{Document: &stancev1.Document{Id: "a", Text: "رحبت موسكو بالعرض الأمريكي للتنسيق."}}
	if err := stream.Send(doc); err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the server is draining now
	if err := stream.Send(doc); err != nil {
		t.Fatalf("send during drain: %v", err)
	}
	if _, err := stream.Recv(); err != nil {
		t.Fatalf("receive during drain: %v", err)
	}
	stream.CloseSend()
	if _, err := stream.Recv(); !errors.Is(err, io.EOF) {
		t.Fatalf("end of stream: %v, want a clean EOF", err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after drain: %v, want status 0", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no exit after the stream ended")
	}
}

// TestScoreResumeAfterKill kills `stance score` in the middle and resumes:
// every document ends up in the output exactly once, in input order.
func TestScoreResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	var b strings.Builder
	const n = 4000
	for i := range n {
		fmt.Fprintf(&b, "{\"id\":\"d%04d\",\"text\":%q}\n", i, strings.Repeat("وقال المتحدث إن واشنطن لن تنسق مع موسكو ما لم تتوقف الغارات. ", 8))
	}
	os.WriteFile(in, []byte(b.String()), 0o644)
	out := filepath.Join(dir, "out.jsonl")

	cmd := exec.Command(bin, "score", "--per", "document", "--workers", "2", "--progress", "never", "--out", out, in)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := os.Stat(out + ".partial")
		if err == nil && st.Size() > 200<<10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no partial output after 30s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Stat(out); err == nil {
		t.Skip("the run finished before it was killed")
	}

	if res, err := exec.Command(bin, "score", "--per", "document", "--workers", "2", "--progress", "never", "--resume", "--out", out, in).CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, res)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	i := 0
	for sc.Scan() {
		var rec struct {
			DocID string `json:"doc_id"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if want := fmt.Sprintf("d%04d", i); rec.DocID != want || rec.Error != "" {
			t.Fatalf("line %d is %s (error %q), want %s: a document lost, duplicated or out of order", i+1, rec.DocID, rec.Error, want)
		}
		i++
	}
	if i != n {
		t.Fatalf("%d documents in the output, want %d", i, n)
	}
}
