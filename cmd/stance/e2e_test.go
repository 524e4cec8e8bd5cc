package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
	"github.com/stance-project/stance/model"
)

// buildBinary compiles the stance command once per test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "stance")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeDefaultModel writes the embedded model to a file, for serving from a path.
func writeDefaultModel(t *testing.T) (string, *model.Model) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.model")
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := model.WriteFile(path, m.Proto()); err != nil {
		t.Fatal(err)
	}
	return path, m
}

// startServe runs `stance serve` on a free port and returns its address
// once it logs that it serves.
func startServe(t *testing.T, bin string, args ...string) (*exec.Cmd, string, <-chan error) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
				addr <- line.Addr
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	select {
	case a := <-addr:
		return cmd, a, exited
	case err := <-exited:
		t.Fatalf("stance serve exited before serving: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("stance serve did not start within 60s")
	}
	return nil, "", nil
}

// TestServeEndToEnd builds the binary, serves, waits for SERVING, reloads
// the model five times under load with zero failed requests, and drains on
// SIGTERM with exit status 0.
func TestServeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	modelPath, _ := writeDefaultModel(t)
	cmd, addr, exited := startServe(t, bin, "--model", modelPath, "--admin-token", "tok", "--watch-interval", "0")
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		h, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		if err == nil && h.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not SERVING after 30s: %v %v", h, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	client := stancev1.NewStanceServiceClient(conn)
	text := "وقال المتحدث إن واشنطن لا تنسق مع روسيا. ورحبت موسكو بالعرض الأمريكي."
	if _, err := client.Classify(ctx, &stancev1.ClassifyRequest{Text: text}); err != nil {
		t.Fatal(err)
	}

	var calls, failures atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := client.Classify(ctx, &stancev1.ClassifyRequest{Text: text}); err != nil {
					failures.Add(1)
					t.Log(err)
				}
				calls.Add(1)
			}
		}()
	}
	admin := stancev1.NewModelAdminServiceClient(conn)
	auth := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer tok")
	for range 5 {
		if _, err := admin.ReloadModel(auth, &stancev1.ReloadModelRequest{}); err != nil {
			t.Fatalf("reload: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if failures.Load() > 0 || calls.Load() == 0 {
		t.Fatalf("%d of %d requests failed during reloads", failures.Load(), calls.Load())
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("stance serve exited with %v after SIGTERM, want status 0", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("stance serve did not stop within 30s of SIGTERM")
	}
}

// TestServeReloadsOnSignalAndFileChange checks the two other reload
// triggers: SIGHUP, and a new model file renamed over the configured one.
func TestServeReloadsOnSignalAndFileChange(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	modelPath, m := writeDefaultModel(t)
	cmd, addr, _ := startServe(t, bin, "--model", modelPath, "--watch-interval", "100ms")
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := stancev1.NewStanceServiceClient(conn)
	loadedAt := func() time.Time {
		info, err := client.GetModelInfo(context.Background(), &stancev1.GetModelInfoRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return info.GetLoadedAt().AsTime()
	}
	waitForReload := func(after time.Time, what string) time.Time {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if at := loadedAt(); at.After(after) {
				return at
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("no reload after %s", what)
		return after
	}
	first := loadedAt()
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	second := waitForReload(first, "SIGHUP")
	if err := model.WriteFile(modelPath, m.Proto()); err != nil { // a rename over the file
		t.Fatal(err)
	}
	waitForReload(second, "the model file was replaced")
}
