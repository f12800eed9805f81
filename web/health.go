package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"vanguard/store"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
	return nil
}

// readyz answers 200 only when the database answers and takes writes: a
// database that reads but cannot write (a read-only SQLite file, a
// PostgreSQL standby) would fail every write, login included.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	st := s.svc.Store()
	if err := st.Ping(ctx); err != nil {
		s.log.Error("readyz", "error", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unavailable")
		return nil
	}
	if err := s.metrics.probe.run(ctx, st.WriteProbe); err != nil {
		s.log.Error("readyz: the database does not take writes", "error", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		if errors.Is(err, store.ErrReadOnly) {
			fmt.Fprintln(w, "database read-only")
		} else {
			fmt.Fprintln(w, "database does not take writes")
		}
		return nil
	}
	fmt.Fprintln(w, "ready")
	return nil
}

// writeProbe runs the write probe at most once a second, however often
// /readyz is asked, so that the public readiness page cannot be used to
// keep the single SQLite writer busy; callers within the second share the
// last answer.
type writeProbe struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

func (p *writeProbe) run(ctx context.Context, probe func(context.Context) error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.at.IsZero() && time.Since(p.at) < time.Second {
		return p.err
	}
	p.err = probe(ctx)
	p.at = time.Now()
	return p.err
}

// metrics counts requests for /metrics, in Prometheus' text format. It is
// written by hand: a few counters do not need a client library.
type metrics struct {
	inFlight atomic.Int64
	mu       sync.Mutex
	requests map[string]int64 // "method code" → count
	buckets  []float64
	counts   []int64 // per bucket, cumulative at exposition
	sum      float64
	count    int64
	probe    writeProbe // readiness' write probe, kept here as the server's health state
}

func newMetrics() *metrics {
	b := []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}
	return &metrics{requests: map[string]int64{}, buckets: b, counts: make([]int64, len(b))}
}

func (m *metrics) observe(method string, status int, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[fmt.Sprintf("%s %d", method, status)]++
	for i, b := range m.buckets {
		if sec <= b {
			m.counts[i]++
			break
		}
	}
	m.sum += sec
	m.count++
}

func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	m := s.metrics
	var b strings.Builder
	m.mu.Lock()
	b.WriteString("# HELP vanguard_http_requests_total HTTP requests by method and status.\n")
	b.WriteString("# TYPE vanguard_http_requests_total counter\n")
	keys := make([]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		method, code, _ := strings.Cut(k, " ")
		fmt.Fprintf(&b, "vanguard_http_requests_total{method=%q,code=%q} %d\n", method, code, m.requests[k])
	}
	b.WriteString("# HELP vanguard_http_request_duration_seconds Time to serve a request.\n")
	b.WriteString("# TYPE vanguard_http_request_duration_seconds histogram\n")
	var cum int64
	for i, le := range m.buckets {
		cum += m.counts[i]
		fmt.Fprintf(&b, "vanguard_http_request_duration_seconds_bucket{le=\"%g\"} %d\n", le, cum)
	}
	fmt.Fprintf(&b, "vanguard_http_request_duration_seconds_bucket{le=\"+Inf\"} %d\n", m.count)
	fmt.Fprintf(&b, "vanguard_http_request_duration_seconds_sum %g\n", m.sum)
	fmt.Fprintf(&b, "vanguard_http_request_duration_seconds_count %d\n", m.count)
	m.mu.Unlock()
	b.WriteString("# HELP vanguard_http_in_flight Requests being served.\n# TYPE vanguard_http_in_flight gauge\n")
	fmt.Fprintf(&b, "vanguard_http_in_flight %d\n", m.inFlight.Load())
	wr, rd := s.svc.Store().Stats()
	b.WriteString("# HELP vanguard_db_open_connections Open database connections by pool.\n# TYPE vanguard_db_open_connections gauge\n")
	fmt.Fprintf(&b, "vanguard_db_open_connections{pool=\"writer\"} %d\n", wr.OpenConnections)
	fmt.Fprintf(&b, "vanguard_db_open_connections{pool=\"reader\"} %d\n", rd.OpenConnections)
	if jobs, err := s.svc.Store().JobCounts(r.Context()); err == nil {
		b.WriteString("# HELP vanguard_jobs Background jobs by state (discarded: dead after the last retry).\n# TYPE vanguard_jobs gauge\n")
		for _, st := range store.JobStates {
			fmt.Fprintf(&b, "vanguard_jobs{state=%q} %d\n", st, jobs[st])
		}
	}
	if dl, err := s.svc.Store().DeliveryCounts(r.Context()); err == nil {
		b.WriteString("# HELP vanguard_notification_deliveries Email and gateway deliveries by state.\n# TYPE vanguard_notification_deliveries gauge\n")
		for _, ch := range []string{"email", "gateway"} {
			for _, st := range []string{"queued", "failed", "sent", "logged"} {
				fmt.Fprintf(&b, "vanguard_notification_deliveries{channel=%q,state=%q} %d\n", ch, st, dl[ch][st])
			}
		}
	}
	b.WriteString("# HELP go_goroutines Goroutines that currently exist.\n# TYPE go_goroutines gauge\n")
	fmt.Fprintf(&b, "go_goroutines %d\n", runtime.NumGoroutine())
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, err := w.Write([]byte(b.String()))
	return err
}
