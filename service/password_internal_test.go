package service

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store/storetest"
)

// TestLoginWhenHashingIsBusy: with every hashing slot taken, a sign-in waits
// at most the gate's wait and is refused 429 with a time to try again; the attempt
// is audited and does not count as a failure.
func TestLoginWhenHashingIsBusy(t *testing.T) {
	s := storetest.SQLite(t)
	svc := New(s, Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}, make([]byte, 32), nil)
	pw, err := svc.Bootstrap(context.Background(), "市直机关工委")
	if err != nil {
		t.Fatal(err)
	}
	// Take every slot, as a flood of sign-ins would.
	g := svc.hasher.gate
	g.wait = 50 * time.Millisecond
	for range cap(g.slots) {
		g.slots <- struct{}{}
	}
	caller := domain.Caller{IP: "192.0.2.7", RequestID: "busy"}
	for i := 0; i < domain.LoginMaxFailures+1; i++ {
		_, err := svc.Login(context.Background(), caller, "admin", pw, "", "test")
		if e, ok := domain.AsError(err); !ok || e.Code != domain.CodeTooMany || e.Key != "err.login.busy" || e.RetryAfter <= 0 {
			t.Fatalf("sign-in %d while hashing is busy: %v, want too_many err.login.busy with a Retry-After", i+1, err)
		}
	}
	es, err := s.ListAudit(context.Background(), domain.AuditFilter{Action: "user.login_refused", Username: "admin"})
	if err != nil || len(es) != domain.LoginMaxFailures+1 {
		t.Fatalf("refusals audited: %d (%v), want %d", len(es), err, domain.LoginMaxFailures+1)
	}
	for range cap(g.slots) {
		<-g.slots
	}

	// With the queue of sign-ins under way full, a sign-in is refused at once.
	for range cap(g.queue) {
		g.queue <- struct{}{}
	}
	_, err = svc.Login(context.Background(), caller, "admin", pw, "", "test")
	for range cap(g.queue) {
		<-g.queue
	}
	if e, ok := domain.AsError(err); !ok || e.Code != domain.CodeTooMany || e.Key != "err.login.busy" {
		t.Fatalf("sign-in with the queue full: %v, want too_many err.login.busy", err)
	}

	// The refused attempts were not counted: the right password still works.
	if _, err := svc.Login(context.Background(), caller, "admin", pw, "", "test"); err != nil {
		t.Fatalf("sign-in once hashing is free: %v", err)
	}
}
