package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/stance-project/stance/server"
)

// envString and friends give a flag its environment fallback: the flag
// wins, then the variable, then the default.
func envString(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, ok := os.LookupEnv(name); ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv(name); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	listen := fs.String("listen", envString("STANCE_LISTEN", "127.0.0.1:50051"), "gRPC listen address ($STANCE_LISTEN)")
	modelPath := fs.String("model", envString("STANCE_MODEL", ""), "model file; empty serves the embedded default model ($STANCE_MODEL)")
	tlsCert := fs.String("tls-cert", envString("STANCE_TLS_CERT", ""), "TLS certificate file (PEM) ($STANCE_TLS_CERT)")
	tlsKey := fs.String("tls-key", envString("STANCE_TLS_KEY", ""), "TLS private key file (PEM) ($STANCE_TLS_KEY)")
	clientCA := fs.String("tls-client-ca", envString("STANCE_TLS_CLIENT_CA", ""), "CA bundle (PEM); when set, clients must present a certificate it signed (mTLS) ($STANCE_TLS_CLIENT_CA)")
	adminToken := fs.String("admin-token", envString("STANCE_ADMIN_TOKEN", ""), "bearer token for ModelAdminService; empty disables it ($STANCE_ADMIN_TOKEN)")
	maxMsg := fs.Int("max-message-bytes", envInt("STANCE_MAX_MESSAGE_BYTES", 64<<20), "largest request or response message ($STANCE_MAX_MESSAGE_BYTES)")
	maxDoc := fs.Int("max-document-bytes", envInt("STANCE_MAX_DOCUMENT_BYTES", server.DefaultLimits.MaxDocumentBytes), "largest document, UTF-8 bytes ($STANCE_MAX_DOCUMENT_BYTES)")
	maxBatch := fs.Int("max-batch", envInt("STANCE_MAX_BATCH", server.DefaultLimits.MaxBatch), "most documents in one ClassifyBatch ($STANCE_MAX_BATCH)")
	maxStreams := fs.Int("max-concurrent-streams", envInt("STANCE_MAX_CONCURRENT_STREAMS", 256), "most concurrent streams per connection ($STANCE_MAX_CONCURRENT_STREAMS)")
	metricsAddr := fs.String("metrics-listen", envString("STANCE_METRICS_LISTEN", ""), "address for Prometheus /metrics; empty disables ($STANCE_METRICS_LISTEN)")
	logLevel := fs.String("log-level", envString("STANCE_LOG_LEVEL", "info"), "debug, info, warn or error ($STANCE_LOG_LEVEL)")
	drain := fs.Duration("drain-timeout", envDuration("STANCE_DRAIN_TIMEOUT", 20*time.Second), "graceful shutdown limit ($STANCE_DRAIN_TIMEOUT)")
	gcPercent := fs.Int("gc-percent", envInt("STANCE_GC_PERCENT", server.DefaultGCPercent), "garbage collector target percentage, as GOGC; a GOGC environment variable wins ($STANCE_GC_PERCENT)")
	watch := fs.Duration("watch-interval", envDuration("STANCE_WATCH_INTERVAL", 2*time.Second), "how often to check the model file for changes; 0 disables ($STANCE_WATCH_INTERVAL)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: stance serve [flags]\n\nServes StanceService and ModelAdminService over gRPC, with the health\nservice and server reflection. SIGHUP, ModelAdminService.ReloadModel and a\nchange of the model file reload the model without dropping requests;\nSIGTERM or SIGINT drain and stop.\n\nflags (each falls back to the environment variable shown):")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	setGCPercent(*gcPercent)
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("%w: --log-level %q, want debug, info, warn or error", errUsage, *logLevel)
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	tlsConf, err := serverTLS(*tlsCert, *tlsKey, *clientCA)
	if err != nil {
		return err
	}
	lis, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", *listen, err)
	}
	var metricsLis net.Listener
	if *metricsAddr != "" {
		if metricsLis, err = net.Listen("tcp", *metricsAddr); err != nil {
			lis.Close()
			return fmt.Errorf("listen %s for metrics: %w", *metricsAddr, err)
		}
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	reload := make(chan struct{}, 1)
	go func() {
		for range hup {
			select {
			case reload <- struct{}{}:
			default:
			}
		}
	}()
	return server.Run(ctx, lis, server.RunOptions{
		Config: server.Config{
			Limits:     server.Limits{MaxDocumentBytes: *maxDoc, MaxBatch: *maxBatch},
			ModelPath:  *modelPath,
			AdminToken: *adminToken,
			Logger:     logger,
		},
		TLS:                  tlsConf,
		MaxMessageBytes:      *maxMsg,
		MaxConcurrentStreams: uint32(*maxStreams),
		DrainTimeout:         *drain,
		WatchInterval:        *watch,
		Reload:               reload,
		Metrics:              metricsLis,
	})
}

// setGCPercent applies the --gc-percent of serve and score unless GOGC is
// set. Both keep a heap of a few megabytes and allocate fast, so Go's
// default of 100 collects many times a second; see server.DefaultGCPercent.
func setGCPercent(p int) {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(p)
	}
}

func serverTLS(cert, key, clientCA string) (*tls.Config, error) {
	if cert == "" && key == "" {
		if clientCA != "" {
			return nil, fmt.Errorf("%w: --tls-client-ca needs --tls-cert and --tls-key", errUsage)
		}
		return nil, nil
	}
	if cert == "" || key == "" {
		return nil, fmt.Errorf("%w: --tls-cert and --tls-key go together", errUsage)
	}
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		return nil, fmt.Errorf("load TLS key pair: %w", err)
	}
	conf := &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	if clientCA != "" {
		pem, err := os.ReadFile(clientCA)
		if err != nil {
			return nil, fmt.Errorf("read client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("client CA %s: no PEM certificate found", clientCA)
		}
		conf.ClientCAs = pool
		conf.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return conf, nil
}
