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

// TestTrainOutFailureKeepsPreviousModel points `stance train --out` at a
// folder that cannot take the new file, read-only or on a full
// filesystem: the command fails with exit code 1 and a message naming the
// file, and the model already there is untouched, with no temporary file
// left beside it. Making a folder read-only for root and mounting a small
// filesystem need privileges; a case that cannot be set up is skipped.
func TestTrainOutFailureKeepsPreviousModel(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	previous, err := os.ReadFile(filepath.Join("..", "..", "model", "default.model"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) // makes dir unable to take the new file
	}{
		{"ReadOnlyFolder", func(t *testing.T, dir string) {
			if os.Geteuid() != 0 {
				if err := os.Chmod(dir, 0o500); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(dir, 0o700) })
				return
			}
			// Root ignores permissions; the immutable attribute binds it.
			if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
				t.Skipf("cannot make a folder read-only for root: chattr: %v %s", err, out)
			}
			t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
		}},
		{"FullFilesystem", func(t *testing.T, dir string) {
			// Room for the previous model and a little more, whatever its size.
			size := fmt.Sprintf("size=%dk", len(previous)/1024+512)
			if out, err := exec.Command("mount", "-t", "tmpfs", "-o", size, "tmpfs", dir).CombinedOutput(); err != nil {
				t.Skipf("cannot mount a small filesystem: %v %s", err, out)
			}
			t.Cleanup(func() { exec.Command("umount", dir).Run() })
			if err := os.WriteFile(filepath.Join(dir, "m.model"), previous, 0o644); err != nil {
				t.Fatal(err)
			}
			// Fill what is left; the write stops with "no space left".
			filler, err := os.Create(filepath.Join(dir, "filler"))
			if err != nil {
				t.Fatal(err)
			}
			defer filler.Close()
			chunk := make([]byte, 4096)
			for {
				if _, err := filler.Write(chunk); err != nil {
					break
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "models")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "m.model")
			if err := os.WriteFile(path, previous, 0o644); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, dir)
			before, _ := os.ReadDir(dir)
			var stdout, stderr strings.Builder
			code := run(context.Background(), []string{"train", "--data", filepath.Join("..", "..", "testdata", "challenge.jsonl"), "--out", path, "--quiet"}, &stdout, &stderr)
			if code != 1 || !strings.Contains(stderr.String(), path) {
				t.Fatalf("exit code %d, stderr %q; want 1 and a message naming %s", code, stderr.String(), path)
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != string(previous) {
				t.Fatalf("the previous model changed or went missing (%v)", err)
			}
			after, _ := os.ReadDir(dir)
			if len(after) != len(before) {
				t.Fatalf("files beside the model went from %d to %d: %v", len(before), len(after), after)
			}
		})
	}
}
