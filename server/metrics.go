package server

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/stance-project/stance/model"
)

// Metrics are the service's Prometheus collectors.
type Metrics struct {
	latency   *prometheus.HistogramVec
	requests  *prometheus.CounterVec
	sentences *prometheus.CounterVec
	reloads   *prometheus.CounterVec
	modelInfo *prometheus.GaugeVec
}

// NewMetrics creates the collectors and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "stance_rpc_duration_seconds",
			Help: "Latency of RPCs by method, from the first request byte to the last response byte.",
			// From 100µs (one short sentence) to 30s (a large batch).
			Buckets: prometheus.ExponentialBucketsRange(0.0001, 30, 20),
		}, []string{"method"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stance_rpcs_total",
			Help: "RPCs handled, by method and status code.",
		}, []string{"method", "code"}),
		sentences: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stance_sentences_classified_total",
			Help: "Sentences classified, by predicted stance and sentiment.",
		}, []string{"stance", "sentiment"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stance_model_reloads_total",
			Help: "Model reloads, by result (ok or error).",
		}, []string{"result"}),
		modelInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "stance_model_info",
			Help: "The serving model: 1 for its version and source.",
		}, []string{"version", "source"}),
	}
	reg.MustRegister(m.latency, m.requests, m.sentences, m.reloads, m.modelInfo)
	return m
}

func (m *Metrics) modelSwapped(l *Loaded) {
	m.modelInfo.Reset()
	m.modelInfo.WithLabelValues(l.Version, l.Source).Set(1)
}

func (m *Metrics) countSentences(sents []model.Sentence) {
	for _, s := range sents {
		m.sentences.WithLabelValues(string(s.Stance), string(s.Sentiment)).Inc()
	}
}
