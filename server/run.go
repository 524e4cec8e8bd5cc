package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/reflection"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
)

// DefaultGCPercent is the GOGC `stance serve` runs with. The live heap is a
// few megabytes, so Go's default of 100 collects dozens of times a second
// under load, and the collections show in tail latency; 400 lets the heap
// grow to a few tens of megabytes between collections instead.
const DefaultGCPercent = 400

// RunOptions configure Run.
type RunOptions struct {
	Config
	// TLS, when set, serves TLS (with client certificates when it asks for them).
	TLS *tls.Config
	// MaxMessageBytes bounds request and response messages (gRPC's default is 4 MiB).
	MaxMessageBytes int
	// MaxConcurrentStreams bounds streams per client connection.
	MaxConcurrentStreams uint32
	// DrainTimeout bounds the graceful shutdown; then open RPCs are cut.
	DrainTimeout time.Duration
	// WatchInterval is how often the configured model file is checked for a
	// change; 0 disables watching.
	WatchInterval time.Duration
	// Reload delivers reload requests (SIGHUP).
	Reload <-chan struct{}
	// Metrics, when set, serves Prometheus metrics at /metrics on it.
	Metrics net.Listener
	// Ready is called once the model is loaded and the health check says SERVING.
	Ready func(*Loaded)
}

// Run serves gRPC on lis until ctx ends, then drains. The health service
// reports NOT_SERVING until the model is loaded and warmed, SERVING after,
// and NOT_SERVING again while draining.
func Run(ctx context.Context, lis net.Listener, opt RunOptions) error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	opt.Config.Metrics = NewMetrics(reg)
	srv := New(opt.Config)
	log := srv.cfg.Logger

	gopts := []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(srv.UnaryInterceptor),
		grpc.ChainStreamInterceptor(srv.StreamInterceptor),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 10 * time.Second, PermitWithoutStream: true}),
	}
	if opt.MaxMessageBytes > 0 {
		gopts = append(gopts, grpc.MaxRecvMsgSize(opt.MaxMessageBytes), grpc.MaxSendMsgSize(opt.MaxMessageBytes))
	}
	if opt.MaxConcurrentStreams > 0 {
		gopts = append(gopts, grpc.MaxConcurrentStreams(opt.MaxConcurrentStreams))
	}
	if opt.TLS != nil {
		gopts = append(gopts, grpc.Creds(credentials.NewTLS(opt.TLS)))
	}
	gs := grpc.NewServer(gopts...)
	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	hs.SetServingStatus(stancev1.StanceService_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_NOT_SERVING)
	healthpb.RegisterHealthServer(gs, hs)
	stancev1.RegisterStanceServiceServer(gs, srv)
	stancev1.RegisterModelAdminServiceServer(gs, srv)
	reflection.Register(gs)

	serveErr := make(chan error, 1)
	go func() { serveErr <- gs.Serve(lis) }()
	var metricsSrv *http.Server
	if opt.Metrics != nil {
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go metricsSrv.Serve(opt.Metrics)
	}

	l, err := srv.Reload("")
	if err != nil {
		gs.Stop()
		return fmt.Errorf("initial model: %w", err)
	}
	setServing := func(on bool) {
		st := healthpb.HealthCheckResponse_NOT_SERVING
		if on {
			st = healthpb.HealthCheckResponse_SERVING
		}
		hs.SetServingStatus("", st)
		hs.SetServingStatus(stancev1.StanceService_ServiceDesc.ServiceName, st)
	}
	setServing(true)
	log.Info("serving", "addr", lis.Addr().String(), "model", l.Source, "version", l.Version, "tls", opt.TLS != nil)
	if opt.Ready != nil {
		opt.Ready(l)
	}

	var tick <-chan time.Time
	var last fileStamp
	if opt.WatchInterval > 0 && opt.ModelPath != "" {
		t := time.NewTicker(opt.WatchInterval)
		defer t.Stop()
		tick = t.C
		last, _ = stampOf(opt.ModelPath)
	}
	for {
		select {
		case err := <-serveErr:
			return fmt.Errorf("serve: %w", err)
		case <-opt.Reload:
			log.Info("reload requested by signal")
			srv.Reload("") // failures are logged; the old model serves on
		case <-tick:
			st, err := stampOf(opt.ModelPath)
			if err != nil || st == last {
				continue
			}
			last = st
			log.Info("model file changed", "path", opt.ModelPath)
			srv.Reload("")
		case <-ctx.Done():
			log.Info("draining", "timeout", opt.DrainTimeout.String())
			setServing(false)
			hs.Shutdown()
			done := make(chan struct{})
			go func() { gs.GracefulStop(); close(done) }()
			timeout := opt.DrainTimeout
			if timeout <= 0 {
				timeout = 30 * time.Second
			}
			select {
			case <-done:
			case <-time.After(timeout):
				log.Warn("drain timeout: closing the remaining RPCs")
				gs.Stop()
			}
			if metricsSrv != nil {
				metricsSrv.Close()
			}
			if err := <-serveErr; err != nil && !errors.Is(err, grpc.ErrServerStopped) {
				return err
			}
			log.Info("stopped")
			return nil
		}
	}
}

// fileStamp identifies a version of a file: an atomic rename changes the
// inode, an in-place write the size or time.
type fileStamp struct {
	size    int64
	modTime time.Time
	ino     uint64
}

// stampOf polls the file rather than subscribing to change events: trainers
// replace the model by renaming a new file over it, which a watch on the
// file itself does not follow, and a poll every few seconds costs nothing.
func stampOf(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{size: fi.Size(), modTime: fi.ModTime(), ino: inode(fi)}, nil
}
