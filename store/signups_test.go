package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// capacityCounts is how many people sign up at once for how many places:
// 1,000 for 100 in a normal run, fewer under the race detector.
func capacityCounts() (people, places int) {
	if raceEnabled {
		return 200, 20
	}
	return 1000, 100
}

// TestSignupCapacityUnderConcurrency: 1,000 distinct people sign up at the
// same moment for 100 places. Exactly 100 are confirmed, the other 900 wait,
// and the taken count equals the confirmed rows.
func TestSignupCapacityUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		n, places := capacityCounts()
		f := newActFixture(t, s)
		id := f.activity(t, domain.ModeUnit, places, time.Now().Add(48*time.Hour))
		ps := f.people(t, n)
		var confirmed, waitlisted atomic.Int64
		errs := make(chan error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, p := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				st, err := f.signUp(id, p, false)
				switch {
				case err != nil:
					errs <- err
				case st == domain.SignupConfirmed:
					confirmed.Add(1)
				case st == domain.SignupWaitlisted:
					waitlisted.Add(1)
				default:
					t.Errorf("sign-up ended %s", st)
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("sign-up failed: %v", err)
		}
		if confirmed.Load() != int64(places) || waitlisted.Load() != int64(n-places) {
			t.Fatalf("confirmed %d, waitlisted %d; want %d and %d", confirmed.Load(), waitlisted.Load(), places, n-places)
		}
		if taken := f.checkCapacity(t, id); taken != places {
			t.Fatalf("taken = %d, want %d", taken, places)
		}
		st := f.states(t, id)
		if st[domain.SignupConfirmed] != places || st[domain.SignupWaitlisted] != n-places || len(st) != 2 {
			t.Fatalf("rows by state = %v", st)
		}
	})
}

// TestSignupsAndCancellationsUnderConcurrency: people sign up, cancel and
// sign up again, all at once. While it runs and after, the taken count
// equals the confirmed rows and never exceeds the capacity; at the end every
// place is held while anyone waits, and the audit log has a line for every
// change.
func TestSignupsAndCancellationsUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		n, places := 240, 40
		if raceEnabled {
			n, places = 60, 10
		}
		f := newActFixture(t, s)
		id := f.activity(t, domain.ModeUnit, places, time.Now().Add(48*time.Hour))
		ps := f.people(t, n)
		auditBefore, _ := s.CountAudit(ctx)
		// Person i: signs up; cancels when i%3 == 0; signs up again when
		// i%6 == 0; cancels again when i%12 == 0.
		var wantActive int
		for i := range ps {
			if i%3 != 0 || (i%6 == 0 && i%12 != 0) {
				wantActive++
			}
		}
		done := make(chan struct{})
		var checks atomic.Int64
		var checker sync.WaitGroup
		checker.Add(1)
		go func() { // watches the invariant while the others run
			defer checker.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				taken, confirmed, err := s.CapacityCheck(ctx, id)
				if err != nil {
					t.Error(err)
					return
				}
				if taken != confirmed || taken > places {
					t.Errorf("during the run: taken %d, confirmed rows %d, capacity %d", taken, confirmed, places)
					return
				}
				checks.Add(1)
			}
		}()
		var ops atomic.Int64
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, p := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				step := func(what string, fn func() error) bool {
					if err := fn(); err != nil {
						t.Errorf("person %d: %s: %v", i, what, err)
						return false
					}
					ops.Add(1)
					return true
				}
				up := func() error { _, err := f.signUp(id, p, false); return err }
				down := func() error { return f.cancel(id, p) }
				if !step("sign up", up) || i%3 != 0 || !step("cancel", down) || i%6 != 0 ||
					!step("sign up again", up) || i%12 != 0 {
					return
				}
				step("cancel again", down)
			}()
		}
		close(start)
		wg.Wait()
		close(done)
		checker.Wait()
		t.Logf("%d changes, %d invariant checks during the run", ops.Load(), checks.Load())
		taken := f.checkCapacity(t, id)
		st := f.states(t, id)
		if taken != min(places, wantActive) || st[domain.SignupWaitlisted] != wantActive-taken ||
			st[domain.SignupCancelled] != n-wantActive {
			t.Fatalf("at the end: taken %d, rows %v; want %d confirmed of %d active", taken, st, min(places, wantActive), wantActive)
		}
		// Every change and every promotion is audited.
		auditAfter, _ := s.CountAudit(ctx)
		if got := auditAfter - auditBefore; got < int(ops.Load()) {
			t.Fatalf("%d audit entries for %d changes", got, ops.Load())
		}
	})
}

// TestWaitlistPromotedInQueueOrder: a place freed goes to the first on the
// waitlist; someone who cancels and signs up again joins the end of it.
func TestWaitlistPromotedInQueueOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		id := f.activity(t, domain.ModeUnit, 2, now.Add(72*time.Hour))
		p := f.people(t, 5)
		tick := func() { now = now.Add(time.Second) }
		want := func(step string, states ...domain.SignupState) {
			t.Helper()
			for i, w := range states {
				g, ok, err := s.PersonSignup(context.Background(), id, p[i])
				if err != nil || !ok || g.State != w {
					t.Fatalf("%s: person %d is %s (%v, %v), want %s", step, i+1, g.State, ok, err, w)
				}
			}
			f.checkCapacity(t, id)
		}
		C, W, X := domain.SignupConfirmed, domain.SignupWaitlisted, domain.SignupCancelled
		for _, q := range p {
			tick()
			if _, err := f.signUp(id, q, false); err != nil {
				t.Fatal(err)
			}
		}
		want("five for two places", C, C, W, W, W)
		tick()
		if err := f.cancel(id, p[0]); err != nil {
			t.Fatal(err)
		}
		want("the first cancels", X, C, C, W, W)
		tick()
		if st, err := f.signUp(id, p[0], false); err != nil || st != W {
			t.Fatalf("signing up again: %s, %v; want waitlisted", st, err)
		}
		want("the first signs up again, at the end", W, C, C, W, W)
		tick()
		if err := f.cancel(id, p[3]); err != nil { // a waiting place frees nothing
			t.Fatal(err)
		}
		want("the fourth leaves the waitlist", W, C, C, X, W)
		tick()
		if err := f.cancel(id, p[1]); err != nil {
			t.Fatal(err)
		}
		want("the second cancels: the fifth moves up", W, X, C, X, C)
		tick()
		if err := f.cancel(id, p[2]); err != nil {
			t.Fatal(err)
		}
		want("the third cancels: the first moves up", C, X, X, X, C)
		if err := f.cancel(id, p[2]); !isKey(err, domain.CodeConflict, "err.signup.not_active") {
			t.Fatalf("cancel twice: %v", err)
		}
		if err := f.cancel(id, f.people(t, 1)[0]); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("cancel with no sign-up: %v", err)
		}
	})
}

// TestDuplicateSignupIsOneRow: the same person signing up many times at
// once gets one place and one row; the rest are told they are signed up.
func TestDuplicateSignupIsOneRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		id := f.activity(t, domain.ModeUnit, 10, time.Now().Add(48*time.Hour))
		p := f.people(t, 1)[0]
		const n = 50
		var ok, already atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				st, err := f.signUp(id, p, false)
				switch {
				case err == nil && st == domain.SignupConfirmed:
					ok.Add(1)
				case isKey(err, domain.CodeConflict, "err.signup.already"):
					already.Add(1)
				default:
					t.Errorf("duplicate sign-up: %s, %v", st, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if ok.Load() != 1 || already.Load() != n-1 {
			t.Fatalf("%d succeeded, %d told already; want 1 and %d", ok.Load(), already.Load(), n-1)
		}
		if taken := f.checkCapacity(t, id); taken != 1 {
			t.Fatalf("taken = %d, want 1", taken)
		}
		if gs, _ := s.ActivitySignups(context.Background(), id); len(gs) != 1 {
			t.Fatalf("%d rows, want 1", len(gs))
		}
	})
}

// TestOpenModeRequests: in open mode a request waits for a decision;
// approved when full it waits for a place; rejected it stays rejected; a
// request is decided once only, even when two organisers decide at once.
func TestOpenModeRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		id := f.activity(t, domain.ModeOpen, 1, time.Now().Add(48*time.Hour))
		p := f.people(t, 5)
		if st, err := f.signUp(id, p[0], false); err != nil || st != domain.SignupConfirmed {
			t.Fatalf("a member signs up: %s, %v", st, err)
		}
		signupOf := func(person int64) domain.Signup {
			g, ok, err := s.PersonSignup(ctx, id, person)
			if err != nil || !ok {
				t.Fatalf("no sign-up for %d: %v", person, err)
			}
			return g
		}
		decideID := func(sid int64, approve bool) (domain.SignupState, error) {
			var st domain.SignupState
			err := f.write(func(tx *store.Tx) (err error) {
				st, err = tx.DecideRequest(sid, approve)
				return err
			})
			return st, err
		}
		decide := func(person int64, approve bool) (domain.SignupState, error) {
			// Read before the write: on PostgreSQL reads and writes share
			// one pool, and a read inside a write would wait for a second
			// connection.
			return decideID(signupOf(person).ID, approve)
		}
		for _, q := range p[1:] {
			if st, err := f.signUp(id, q, true); err != nil || st != domain.SignupRequested {
				t.Fatalf("a request: %s, %v", st, err)
			}
		}
		if _, err := f.signUp(id, p[1], true); !isKey(err, domain.CodeConflict, "err.signup.already") {
			t.Fatalf("asking twice: %v", err)
		}
		if a, _ := s.ActivityByID(ctx, id); a.Requested != 4 || a.Taken != 1 {
			t.Fatalf("requests take no place: requested %d, taken %d", a.Requested, a.Taken)
		}
		if st, err := decide(p[1], true); err != nil || st != domain.SignupWaitlisted {
			t.Fatalf("approve when full: %s, %v; want waitlisted", st, err)
		}
		if st, err := decide(p[2], false); err != nil || st != domain.SignupRejected {
			t.Fatalf("reject: %s, %v", st, err)
		}
		for _, q := range p[1:3] {
			for _, approve := range []bool{true, false} {
				if _, err := decide(q, approve); !isKey(err, domain.CodeConflict, "err.signup.decided") {
					t.Fatalf("deciding twice: %v", err)
				}
			}
		}
		if _, err := f.signUp(id, p[2], false); !isKey(err, domain.CodeConflict, "err.signup.rejected") {
			t.Fatalf("signing up after a rejection: %v", err)
		}
		if err := f.write(func(tx *store.Tx) error { _, err := tx.DecideRequest(999999, true); return err }); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("deciding no request: %v", err)
		}
		// The member cancels: the approved request takes the place.
		if err := f.cancel(id, p[0]); err != nil {
			t.Fatal(err)
		}
		if g := signupOf(p[1]); g.State != domain.SignupConfirmed {
			t.Fatalf("after a cancellation the approved request is %s", g.State)
		}
		// Two organisers approve the same requests at once, with room for
		// them: each request is decided once and takes one place.
		if err := f.write(func(tx *store.Tx) error {
			return tx.UpdateActivity(id, f.input(domain.ModeOpen, 10, time.Now().Add(48*time.Hour)))
		}); err != nil {
			t.Fatal(err)
		}
		var won, lost atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, q := range p[3:] {
			sid := signupOf(q).ID
			for range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, err := decideID(sid, true)
					switch {
					case err == nil:
						won.Add(1)
					case isKey(err, domain.CodeConflict, "err.signup.decided"):
						lost.Add(1)
					default:
						t.Errorf("concurrent approval: %v", err)
					}
				}()
			}
		}
		close(start)
		wg.Wait()
		if won.Load() != 2 || lost.Load() != 18 {
			t.Fatalf("%d approvals won, %d lost; want 2 and 18", won.Load(), lost.Load())
		}
		if taken := f.checkCapacity(t, id); taken != 3 {
			t.Fatalf("taken = %d, want 3", taken)
		}
	})
}
