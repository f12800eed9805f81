package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/notify/notifytest"
	"vanguard/store"
)

// TestKillDuringDeliveriesLosesNone: 1,000 notifications are queued; the
// server is killed with SIGKILL while it sends them; after a restart every
// one reaches the gateway. Only those in flight at the kill may arrive twice
// (with the same idempotency key, which the gateway uses to send once).
func TestKillDuringDeliveriesLosesNone(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "vanguard.db")
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// At noon in Shanghai, so quiet hours hold nothing back.
	s.SetClock(func() time.Time { return time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC) })
	const n = 1000
	for i := 0; i < n; i += 100 {
		err := s.Housekeep(ctx, func(tx *store.Tx) error {
			for j := i; j < i+100; j++ {
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
	s.Close()

	secret := "gateway secret for the kill test"
	g := notifytest.NewGateway(t, []byte(secret))
	g.SetDelay(10 * time.Millisecond)
	const workers = 4
	args := append(serveArgs(db), "--gateway-url", g.URL, "--gateway-secret", secret,
		"--job-workers", fmt.Sprint(workers), "--job-rescue-after", "3s")
	first := startVanguard(t, "first start", args...)
	first.url()
	waitGateway(t, g, 200, 60*time.Second)
	first.kill()
	keys, _ := g.Counts()
	if len(keys) >= n {
		t.Fatalf("all %d were sent before the kill: the test did not kill mid-run", len(keys))
	}
	t.Logf("%d of %d delivered when killed", len(keys), n)

	second := startVanguard(t, "restart after SIGKILL", args...)
	second.url()
	waitGateway(t, g, n, 120*time.Second)
	keys, bad := g.Counts()
	twice := 0
	for _, c := range keys {
		if c > 1 {
			twice++
		}
	}
	if len(keys) != n || bad != 0 {
		t.Errorf("gateway got %d distinct notifications (%d refused), want %d", len(keys), bad, n)
	}
	// A job sent but not yet marked when the process died is sent again.
	if twice > workers {
		t.Errorf("%d notifications arrived twice; at most the %d in flight at the kill may", twice, workers)
	}
	t.Logf("%d arrived twice (in flight at the kill)", twice)
}

// waitGateway waits until the gateway has n distinct notifications.
func waitGateway(t *testing.T, g *notifytest.Gateway, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		keys, _ := g.Counts()
		if len(keys) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v the gateway has %d notifications, want %d", timeout, len(keys), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
