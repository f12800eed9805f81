package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/jobs"
	"vanguard/notify"
	"vanguard/notify/notifytest"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

var (
	fast   = service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}
	quiet  = slog.New(slog.NewTextHandler(io.Discard, nil))
	secret = []byte("a gateway secret of some length")
)

// noon keeps quiet hours out of the way: 12:00 in Shanghai.
var noon = time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)

// instance is one app instance's worth of queue: a store, services whose
// gateway is g, and a running Runner.
func instance(t *testing.T, s *store.Store, gatewayURL string) *service.Service {
	t.Helper()
	svc := service.New(s, fast, make([]byte, 32), quiet)
	svc.SetSenders(service.Senders{Gateway: &notify.Webhook{URL: gatewayURL, Secret: secret}, BaseURL: "https://v.example"})
	r, err := jobs.Start(context.Background(), s, svc, jobs.Config{Workers: 8, Poll: 200 * time.Millisecond, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r.Stop(ctx)
	})
	return svc
}

// notifyPhones queues n notifications to requesters' phones, in batches.
func notifyPhones(t *testing.T, s *store.Store, n int) {
	t.Helper()
	for i := 0; i < n; i += 100 {
		err := s.Housekeep(context.Background(), func(tx *store.Tx) error {
			for j := i; j < min(n, i+100); j++ {
				if _, err := tx.Notify(store.NewNotification{Event: domain.EventOrderAccepted,
					Subject: fmt.Sprintf("order:%d", j), Phone: fmt.Sprintf("139%08d", j),
					Args: []string{domain.OrderNumber(int64(j + 1)), "植树"}, Link: "/track"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// waitSent waits until n deliveries are sent, or fails after a minute.
func waitSent(t *testing.T, s *store.Store, n int) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		c, err := s.DeliveryCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c["gateway"]["sent"] >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 90 s: deliveries %v, want %d sent", c, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDeliveriesRetryUntilSent: on each database, queued notifications reach
// the gateway signed, with their text and absolute link, even when the
// gateway fails at first; each arrives once.
func TestDeliveriesRetryUntilSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.SetClock(func() time.Time { return noon })
		g := notifytest.NewGateway(t, secret)
		g.FailFirst(3)
		notifyPhones(t, s, 20)
		instance(t, s, g.URL)
		waitSent(t, s, 20)
		keys, bad := g.Counts()
		if len(keys) != 20 || bad != 0 {
			t.Fatalf("gateway got %d keys (%d refused), want 20", len(keys), bad)
		}
		for k, n := range keys {
			if n != 1 {
				t.Errorf("%s arrived %d times", k, n)
			}
		}
		p := g.Received()[0]
		if p.Event != "order_accepted" || p.Link != "https://v.example/track" || p.Phone == "" || p.Text == "" {
			t.Errorf("payload %+v", p)
		}
	})
}

// TestTwoInstancesDeliverEachOnce: two instances on one PostgreSQL share
// 1,000 notifications; each reaches the gateway exactly once.
func TestTwoInstancesDeliverEachOnce(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	open := func() *store.Store {
		s, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.SetClock(func() time.Time { return noon })
		return s
	}
	a, b := open(), open()
	g := notifytest.NewGateway(t, secret)
	g.SetDelay(2 * time.Millisecond)
	notifyPhones(t, a, 1000)
	instance(t, a, g.URL+"?a")
	instance(t, b, g.URL+"?b")
	waitSent(t, a, 1000)
	keys, bad := g.Counts()
	if len(keys) != 1000 || bad != 0 {
		t.Fatalf("gateway got %d distinct keys (%d refused), want 1000", len(keys), bad)
	}
	dup := 0
	for _, n := range keys {
		if n != 1 {
			dup++
		}
	}
	if dup != 0 {
		t.Errorf("%d notifications arrived more than once", dup)
	}
	if got := len(g.Received()); got != 1000 {
		t.Errorf("gateway accepted %d posts, want 1000", got)
	}
	by := g.ByQuery()
	t.Logf("instance a sent %d, instance b sent %d", by["a"], by["b"])
	if by["a"] == 0 || by["b"] == 0 {
		t.Errorf("one instance did all the work (%v): the test did not share the queue", by)
	}
}
