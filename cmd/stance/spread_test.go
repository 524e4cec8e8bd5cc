package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// TestScoreSpreadsOverThreeServeProcesses runs three `stance serve`
// processes on 127.0.0.1, 127.0.0.2 and 127.0.0.3 with one port, and a
// small DNS server that resolves one name to the three addresses, as a
// Kubernetes headless Service does. `stance score --addr dns://…/name:port`
// must score every document and send streams to all three processes.
func TestScoreSpreadsOverThreeServeProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	ips := []string{"127.0.0.1", "127.0.0.2", "127.0.0.3"}
	port := freePortOnAll(t, ips)
	logs := make([]*syncBuffer, len(ips))
	for i, ip := range ips {
		logs[i] = startServeLogged(t, bin, fmt.Sprintf("%s:%d", ip, port))
	}
	dnsAddr := serveDNS(t, "stance.test.", ips)

	var in strings.Builder
	for i := range 600 {
		fmt.Fprintf(&in, "{\"id\":\"d%d\",\"text\":\"وقال المتحدث إن واشنطن لا تنسق مع موسكو. ورحب الكرملين بالعرض.\"}\n", i)
	}
	inPath := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(inPath, []byte(in.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	target := fmt.Sprintf("dns://%s/stance.test:%d", dnsAddr, port)
	cmd := exec.Command(bin, "score", "--addr", target, "--workers", "6", "--per", "document", "--progress", "never", inPath)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("stance score --addr %s: %v\n%s", target, err, stderr)
	}
	docs := 0
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var d struct {
			DocID string `json:"doc_id"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil || d.Error != "" || d.DocID != fmt.Sprintf("d%d", docs) {
			t.Fatalf("record %d: %s (%v)", docs, sc.Text(), err)
		}
		docs++
	}
	if docs != 600 {
		t.Fatalf("%d documents scored, want 600", docs)
	}
	for i, l := range logs {
		n := strings.Count(l.String(), "ClassifyStream")
		if n == 0 {
			t.Errorf("stance serve on %s served no stream", ips[i])
		}
		t.Logf("stance serve on %s: %d streams", ips[i], n)
	}
}

// freePortOnAll returns a TCP port that is free on every address.
func freePortOnAll(t *testing.T, ips []string) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", ips[0]+":0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		free := true
		for _, ip := range ips[1:] {
			l, err := net.Listen("tcp", fmt.Sprintf("%s:%d", ip, port))
			if err != nil {
				free = false
				break
			}
			l.Close()
		}
		if free {
			return port
		}
	}
	t.Skip("no port free on all loopback addresses")
	return 0
}

// syncBuffer collects a process's log lines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServeLogged runs `stance serve` on addr, waits until it serves and
// keeps its log.
func startServeLogged(t *testing.T, bin, addr string) *syncBuffer {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--listen", addr)
	logs := &syncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(logs.String(), `"msg":"serving"`) {
		if time.Now().After(deadline) {
			t.Fatalf("stance serve on %s did not start:\n%s", addr, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return logs
}

// serveDNS answers A queries for name with ips over UDP on a free port of
// 127.0.0.1, and every other query with an empty answer, until the test
// ends. It returns the server's address.
func serveDNS(t *testing.T, name string, ips []string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	qname := dnsmessage.MustNewName(name)
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var p dnsmessage.Parser
			h, err := p.Start(buf[:n])
			if err != nil {
				continue
			}
			q, err := p.Question()
			if err != nil {
				continue
			}
			b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired})
			b.EnableCompression()
			b.StartQuestions()
			b.Question(q)
			b.StartAnswers()
			if q.Type == dnsmessage.TypeA && strings.EqualFold(q.Name.String(), qname.String()) {
				for _, ip := range ips {
					b.AResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60},
						dnsmessage.AResource{A: netip.MustParseAddr(ip).As4()})
				}
			}
			msg, err := b.Finish()
			if err != nil {
				continue
			}
			pc.WriteTo(msg, from)
		}
	}()
	return pc.LocalAddr().String()
}
