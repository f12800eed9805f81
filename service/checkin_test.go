package service_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestCheckinTokens: the leader's code names the activity and the kind, is
// signed, and is accepted for a few minutes only; a changed byte, another
// activity's id or another key is refused.
func TestCheckinTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := time.Date(2026, 5, 16, 1, 0, 30, 0, time.UTC) // 09:00:30 in China
		s.SetClock(func() time.Time { return now })
		id := f.create(t, f.input(domain.ModeUnit, 5, now))
		other := f.create(t, f.input(domain.ModeUnit, 5, now))
		vol := f.volunteers(t, f.teamA, 1)[0]

		tok, until, err := f.svc.CheckinToken(ctx, f.leader, id, service.KindIn)
		if err != nil || !until.Equal(time.Date(2026, 5, 16, 1, 1, 0, 0, time.UTC)) {
			t.Fatalf("CheckinToken = %q until %v, %v", tok, until, err)
		}
		if again, _, _ := f.svc.CheckinToken(ctx, f.leader, id, service.KindIn); again != tok {
			t.Fatal("the token changed within its minute")
		}
		out, _, _ := f.svc.CheckinToken(ctx, f.leader, id, service.KindOut)
		if out == tok {
			t.Fatal("check-in and check-out tokens are the same")
		}
		page, err := f.svc.CheckinPage(ctx, vol.Caller, tok)
		if err != nil || page.Activity.ID != id || page.Kind != service.KindIn || page.Token != tok {
			t.Fatalf("CheckinPage = %+v, %v", page, err)
		}
		if page, _ := f.svc.CheckinPage(ctx, vol.Caller, out); page.Kind != service.KindOut {
			t.Fatalf("check-out token read as %s", page.Kind)
		}
		// Who may make and use tokens.
		if _, _, err := f.svc.CheckinToken(ctx, vol.Caller, id, service.KindIn); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a volunteer makes a token: %v", err)
		}
		if _, _, err := f.svc.CheckinToken(ctx, f.leader, id, "sideways"); domain.ErrCode(err) != domain.CodeInvalid {
			t.Fatalf("a token of no kind: %v", err)
		}
		if _, err := f.svc.CheckinPage(ctx, f.public, tok); domain.ErrCode(err) != domain.CodeUnauthorized {
			t.Fatalf("the public opens a token: %v", err)
		}

		// Tampering: the signature covers the id, the kind and the minute.
		parts := strings.Split(tok, ".")
		otherTok, _, _ := f.svc.CheckinToken(ctx, f.leader, other, service.KindIn)
		flip := func(s string) string {
			b := []byte(s)
			if b[len(b)-1] == 'A' {
				b[len(b)-1] = 'B'
			} else {
				b[len(b)-1] = 'A'
			}
			return string(b)
		}
		for name, bad := range map[string]string{
			"signature changed":     flip(tok),
			"another activity's id": strings.Join([]string{strings.Split(otherTok, ".")[0], parts[1], parts[2], parts[3]}, "."),
			"kind changed":          strings.Join([]string{parts[0], "out", parts[2], parts[3]}, "."),
			"minute changed":        strings.Join([]string{parts[0], parts[1], parts[2] + "1", parts[3]}, "."),
			"no signature":          strings.Join(parts[:3], "."),
			"empty":                 "",
			"junk":                  "1.in.2.3.4",
			"too long":              tok + strings.Repeat("A", 100),
			"two tokens":            tok + "." + otherTok,
		} {
			if _, err := f.svc.CheckinPage(ctx, vol.Caller, bad); !codeKey(err, domain.CodeInvalid, "err.checkin.token") {
				t.Errorf("%s: got %v, want err.checkin.token", name, err)
			}
			if _, err := f.svc.CheckInByToken(ctx, vol.Caller, bad); !codeKey(err, domain.CodeInvalid, "err.checkin.token") {
				t.Errorf("%s, checking in: got %v, want err.checkin.token", name, err)
			}
		}
		// Another key (another installation) does not accept it.
		foreign := service.New(s, fast, []byte(strings.Repeat("k", 32)), nil)
		if _, err := foreign.CheckinPage(ctx, vol.Caller, tok); !codeKey(err, domain.CodeInvalid, "err.checkin.token") {
			t.Fatalf("a token checked with another key: %v", err)
		}
		// The other activity's own token names the other activity.
		if page, _ := f.svc.CheckinPage(ctx, vol.Caller, otherTok); page.Activity.ID != other {
			t.Fatalf("the other activity's token opened activity %d", page.Activity.ID)
		}

		// Age: made in the minute 09:00, accepted until 09:06, then expired.
		for _, c := range []struct {
			at time.Time
			ok bool
		}{
			{now.Add(5 * time.Minute), true},
			{time.Date(2026, 5, 16, 1, 6, 0, 0, time.UTC), true},
			{time.Date(2026, 5, 16, 1, 6, 1, 0, time.UTC), false},
			{now.Add(time.Hour), false},
			{now.Add(-2 * time.Minute), false}, // a token from the future
		} {
			saved := now
			now = c.at
			_, err := f.svc.CheckinPage(ctx, vol.Caller, tok)
			now = saved
			if c.ok && err != nil || !c.ok && !codeKey(err, domain.CodeInvalid, "err.checkin.expired") {
				t.Errorf("at %v: %v, want ok=%v", c.at, err, c.ok)
			}
		}
	})
}

// TestCheckInByToken: a scan checks the volunteer in or out by the token's
// kind; scanning twice records once; only confirmed volunteers are
// recorded.
func TestCheckInByToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		id := f.create(t, f.input(domain.ModeOpen, 1, now))
		vs := f.volunteers(t, f.teamA, 3)
		asker := f.volunteers(t, f.teamB, 1)[0]
		for _, v := range vs[:2] {
			if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.SignUp(ctx, asker.Caller, id); err != nil {
			t.Fatal(err)
		}
		in, _, _ := f.svc.CheckinToken(ctx, f.leader, id, service.KindIn)
		for name, v := range map[string]volunteer{"waitlisted": vs[1], "not signed up": vs[2], "only asked": asker} {
			if _, err := f.svc.CheckInByToken(ctx, v.Caller, in); !codeKey(err, domain.CodeConflict, "err.checkin.not_signed_up") {
				t.Errorf("%s: got %v, want err.checkin.not_signed_up", name, err)
			}
		}
		if _, err := f.svc.CheckInByToken(ctx, f.leader, in); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a leader scans: %v", err)
		}
		res, err := f.svc.CheckInByToken(ctx, vs[0].Caller, in)
		if err != nil || res.Already || res.Kind != service.KindIn || res.Activity.ID != id || !res.At.Equal(now) {
			t.Fatalf("check in: %+v, %v", res, err)
		}
		if res, err := f.svc.CheckInByToken(ctx, vs[0].Caller, in); err != nil || !res.Already {
			t.Fatalf("scan again: %+v, %v; want already", res, err)
		}
		now = now.Add(2 * time.Hour)
		out, _, _ := f.svc.CheckinToken(ctx, f.leader, id, service.KindOut)
		if res, err := f.svc.CheckInByToken(ctx, vs[0].Caller, out); err != nil || res.Already || res.Kind != service.KindOut {
			t.Fatalf("check out: %+v, %v", res, err)
		}
		if res, err := f.svc.CheckInByToken(ctx, vs[0].Caller, out); err != nil || !res.Already {
			t.Fatalf("check out again: %+v, %v; want already", res, err)
		}
		v, _ := f.svc.Activity(ctx, f.leader, id)
		if len(v.Attendance) != 1 || v.Attendance[0].MethodIn != domain.MethodQR || v.Attendance[0].MethodOut != domain.MethodQR ||
			v.Signups[0].Minutes != 120 {
			t.Fatalf("attendance = %+v, hours %v", v.Attendance, v.Signups[0].Minutes)
		}
		// The organiser raises the capacity: the waitlisted volunteer gets
		// a place and may now check in.
		in2, _, _ := f.svc.CheckinToken(ctx, f.leader, id, service.KindIn)
		must(t, f.svc.UpdateActivity(ctx, f.leader, id, f.input(domain.ModeOpen, 2, time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC))))
		if _, err := f.svc.CheckInByToken(ctx, vs[1].Caller, in2); err != nil {
			t.Fatalf("promoted, then scans: %v", err)
		}
		// Closed activities take no scans and make no codes.
		if err := f.svc.CancelActivity(ctx, f.leader, id, "下雨"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CheckInByToken(ctx, vs[0].Caller, in2); !codeKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("scan for a cancelled activity: %v", err)
		}
		if _, _, err := f.svc.CheckinToken(ctx, f.leader, id, service.KindIn); !codeKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("a code for a cancelled activity: %v", err)
		}
	})
}

// TestConcurrentScansRecordOnce: the same volunteer's phone sends the
// check-in 50 times at once; one is recorded, the rest report it was.
func TestConcurrentScansRecordOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		start := time.Now().Add(-time.Hour)
		id := f.create(t, f.input(domain.ModeUnit, 5, start))
		v := f.volunteers(t, f.teamA, 1)[0]
		if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
			t.Fatal(err)
		}
		tok, _, _ := f.svc.CheckinToken(ctx, f.leader, id, service.KindIn)
		n := 50
		if raceEnabled {
			n = 20
		}
		var fresh, already atomic.Int64
		var wg sync.WaitGroup
		begin := make(chan struct{})
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-begin
				res, err := f.svc.CheckInByToken(ctx, v.Caller, tok)
				switch {
				case err != nil:
					t.Errorf("scan: %v", err)
				case res.Already:
					already.Add(1)
				default:
					fresh.Add(1)
				}
			}()
		}
		close(begin)
		wg.Wait()
		att, _ := s.ActivityAttendance(ctx, id)
		if fresh.Load() != 1 || already.Load() != int64(n-1) || len(att) != 1 {
			t.Fatalf("%d recorded, %d already, %d rows; want 1, %d, 1", fresh.Load(), already.Load(), len(att), n-1)
		}
	})
}
