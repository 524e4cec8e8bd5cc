package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
	"github.com/stance-project/stance/server"
)

// issue makes a certificate signed by parent (self-signed when parent is nil).
func issue(t *testing.T, name string, isCA bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey, tls.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: isCA, BasicConstraintsValid: true, DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return cert, key, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestMutualTLSAndMetrics serves with mTLS and a metrics listener: a client
// with a certificate from the CA is served, one without is refused, and
// /metrics shows the latency histogram and the model version.
func TestMutualTLSAndMetrics(t *testing.T) {
	ca, caKey, _ := issue(t, "test CA", true, nil, nil)
	_, _, serverCert := issue(t, "server", false, ca, caKey)
	_, _, clientCert := issue(t, "client", false, ca, caKey)
	pool := x509.NewCertPool()
	pool.AddCert(ca)

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mlis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan struct{}), make(chan error, 1)
	go func() {
		done <- server.Run(ctx, lis, server.RunOptions{
			TLS:     &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12},
			Metrics: mlis, Ready: func(*server.Loaded) { close(ready) }, DrainTimeout: time.Second,
		})
	}()
	defer func() { cancel(); <-done }()
	<-ready

	call := func(certs []tls.Certificate) error {
		creds := credentials.NewTLS(&tls.Config{RootCAs: pool, Certificates: certs, ServerName: "localhost", MinVersion: tls.VersionTLS12})
		conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(creds))
		if err != nil {
			return err
		}
		defer conn.Close()
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ccancel()
		_, err = stancev1.NewStanceServiceClient(conn).Classify(cctx, &stancev1.ClassifyRequest{Text: newsSentence})
		return err
	}
	if err := call([]tls.Certificate{clientCert}); err != nil {
		t.Fatalf("client with a CA-signed certificate: %v", err)
	}
	if err := call(nil); err == nil {
		t.Fatal("a client without a certificate was served")
	}

	resp, err := http.Get("http://" + mlis.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`stance_rpc_duration_seconds_bucket{method="/stance.v1.StanceService/Classify"`,
		`stance_sentences_classified_total{`,
		`stance_model_info{source="embedded",version="`,
		`stance_model_reloads_total{result="ok"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
