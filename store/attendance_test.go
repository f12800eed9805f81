package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

func (f *actFixture) checkIn(activity, person int64) error {
	return f.write(func(tx *store.Tx) error { return tx.CheckIn(activity, person, domain.MethodQR) })
}

func (f *actFixture) checkOut(activity, person int64) error {
	return f.write(func(tx *store.Tx) error { return tx.CheckOut(activity, person, domain.MethodQR) })
}

func (f *actFixture) pairs(tb testing.TB, activity, person int64) []domain.Attendance {
	tb.Helper()
	all, err := f.s.ActivityAttendance(context.Background(), activity)
	if err != nil {
		tb.Fatal(err)
	}
	var out []domain.Attendance
	for _, a := range all {
		if a.PersonID == person {
			out = append(out, a)
		}
	}
	return out
}

// concurrently runs fn n times at once and counts the nil answers and the
// ErrAlreadyRecorded ones; anything else fails the test.
func concurrently(t *testing.T, n int, fn func() error) (recorded, already int) {
	t.Helper()
	var ok, dup atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := fn()
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, store.ErrAlreadyRecorded):
				dup.Add(1)
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return int(ok.Load()), int(dup.Load())
}

// TestDuplicateCheckInsAreOneRecord: 50 scans of the same code at once
// record one check-in; 50 check-outs at once close it once.
func TestDuplicateCheckInsAreOneRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		now := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		id := f.activity(t, domain.ModeUnit, 10, now)
		p := f.people(t, 1)[0]
		if _, err := f.signUp(id, p, false); err != nil {
			t.Fatal(err)
		}
		if rec, dup := concurrently(t, 50, func() error { return f.checkIn(id, p) }); rec != 1 || dup != 49 {
			t.Fatalf("50 check-ins: %d recorded, %d duplicates; want 1 and 49", rec, dup)
		}
		ps := f.pairs(t, id, p)
		if len(ps) != 1 || !ps[0].Open() || ps[0].Pair != 1 || ps[0].MethodIn != domain.MethodQR || ps[0].Day != "2026-05-16" {
			t.Fatalf("attendance = %+v", ps)
		}
		now = now.Add(time.Hour)
		if rec, dup := concurrently(t, 50, func() error { return f.checkOut(id, p) }); rec != 1 || dup != 49 {
			t.Fatalf("50 check-outs: %d recorded, %d duplicates; want 1 and 49", rec, dup)
		}
		ps = f.pairs(t, id, p)
		if len(ps) != 1 || ps[0].Open() || !ps[0].CheckOut.Equal(now) {
			t.Fatalf("after check-out: %+v", ps)
		}
		// A later check-out repeats, and changes nothing.
		now = now.Add(time.Hour)
		if err := f.checkOut(id, p); !errors.Is(err, store.ErrAlreadyRecorded) {
			t.Fatalf("check out again: %v", err)
		}
		if ps2 := f.pairs(t, id, p); !ps2[0].CheckOut.Equal(ps[0].CheckOut) {
			t.Fatal("a repeated check-out moved the check-out time")
		}
	})
}

// TestAttendancePairsPerDay: at most three check-in/check-out pairs a day;
// the next day starts again; a check-out with no check-in is refused.
func TestAttendancePairsPerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		now := time.Date(2026, 5, 16, 0, 0, 0, 0, time.UTC) // 08:00 in China
		s.SetClock(func() time.Time { return now })
		id := f.activity(t, domain.ModeUnit, 10, now)
		p := f.people(t, 2)
		if err := f.checkOut(id, p[0]); !isKey(err, domain.CodeConflict, "err.checkout.not_checked_in") {
			t.Fatalf("check out before checking in: %v", err)
		}
		for i := 1; i <= domain.MaxPairsPerDay; i++ {
			now = now.Add(10 * time.Minute)
			if err := f.checkIn(id, p[0]); err != nil {
				t.Fatalf("check-in %d: %v", i, err)
			}
			now = now.Add(50 * time.Minute)
			if err := f.checkOut(id, p[0]); err != nil {
				t.Fatalf("check-out %d: %v", i, err)
			}
		}
		now = now.Add(10 * time.Minute)
		if err := f.checkIn(id, p[0]); !isKey(err, domain.CodeConflict, "err.checkin.too_many") {
			t.Fatalf("a fourth check-in the same day: %v", err)
		}
		if err := f.write(func(tx *store.Tx) error {
			return tx.RecordPair(id, p[0], now, now.Add(time.Hour))
		}); !isKey(err, domain.CodeConflict, "err.checkin.too_many") {
			t.Fatalf("a fourth pair by hand the same day: %v", err)
		}
		ps := f.pairs(t, id, p[0])
		if len(ps) != 3 || ps[2].Pair != 3 {
			t.Fatalf("pairs = %+v", ps)
		}
		// The next day in China (16:00 UTC is midnight there).
		now = time.Date(2026, 5, 16, 16, 0, 0, 0, time.UTC)
		if err := f.checkIn(id, p[0]); err != nil {
			t.Fatalf("check in the next day: %v", err)
		}
		if ps := f.pairs(t, id, p[0]); len(ps) != 4 || ps[3].Day != "2026-05-17" || ps[3].Pair != 1 {
			t.Fatalf("next day: %+v", ps[len(ps)-1])
		}
		// A pair by hand, as from a paper sheet.
		in := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		if err := f.write(func(tx *store.Tx) error { return tx.RecordPair(id, p[1], in, in.Add(2*time.Hour)) }); err != nil {
			t.Fatal(err)
		}
		if ps := f.pairs(t, id, p[1]); len(ps) != 1 || ps[0].MethodIn != domain.MethodManual || ps[0].MethodOut != domain.MethodManual ||
			!ps[0].CheckOut.Equal(in.Add(2*time.Hour)) {
			t.Fatalf("pair by hand: %+v", ps)
		}
	})
}

// confirmedOrder drives an order through acceptance, dispatch to team and
// the team's confirmation.
func (f *actFixture) confirmedOrder(t *testing.T) int64 {
	t.Helper()
	var order int64
	err := f.write(func(tx *store.Tx) error {
		item, err := tx.CreateMenuItem(domain.MenuItem{Title: "义诊", CategoryID: f.cat, Kind: domain.MenuProfessional,
			Term: domain.TermShort, Volunteers: 4, Active: true, TeamIDs: []int64{f.team}})
		if err != nil {
			return err
		}
		if order, err = tx.CreateOrder(store.NewOrder{Code: "act1", OrderInput: domain.OrderInput{Channel: domain.ChannelOnline,
			RequesterName: "甲", RequesterPhone: "13900000000", SiteID: f.site, DateFrom: "2026-05-16", DateTo: "2026-05-16",
			ItemIDs: []int64{item}}}); err != nil {
			return err
		}
		if _, err := tx.TransitionOrder(order, domain.EventAccept, ""); err != nil {
			return err
		}
		return tx.DispatchOrder(order, []store.NewDispatch{{CategoryID: f.cat, TeamID: f.team, PersonDays: 4}})
	})
	if err == nil {
		err = f.write(func(tx *store.Tx) error { return tx.AnswerDispatch(order, f.team, true, "") })
	}
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := f.s.OrderByID(context.Background(), order); o.State != domain.OrderConfirmed {
		t.Fatalf("order is %s, want confirmed", o.State)
	}
	return order
}

// TestCompleteActivity: completing closes pairs still open at the
// scheduled end, records one row of hours per person who attended — never
// more than the scheduled time — and moves the order it served to served.
// It happens once.
func TestCompleteActivity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		start := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC) // 09:00–12:00 in China
		now := start.Add(-2 * time.Hour)
		s.SetClock(func() time.Time { return now })
		order := f.confirmedOrder(t)
		in := f.input(domain.ModeCommittee, 10, start)
		in.OrderID = order
		var id int64
		if err := f.write(func(tx *store.Tx) (err error) { id, err = tx.CreateActivity(in, f.root); return err }); err != nil {
			t.Fatal(err)
		}
		p := f.people(t, 5)
		for _, q := range p {
			if _, err := f.signUp(id, q, false); err != nil {
				t.Fatal(err)
			}
		}
		at := func(d time.Duration) { now = start.Add(d) }
		// p0: early, stays open past the end → closed at 12:00, 3 h.
		at(-time.Hour)
		must(t, f.checkIn(id, p[0]))
		// p1: 09:30–10:30 and 10:00–11:00 overlapping (one by hand) → 1.5 h.
		at(30 * time.Minute)
		must(t, f.checkIn(id, p[1]))
		at(90 * time.Minute)
		must(t, f.checkOut(id, p[1]))
		must(t, f.write(func(tx *store.Tx) error {
			return tx.RecordPair(id, p[1], start.Add(time.Hour), start.Add(2*time.Hour))
		}))
		// p2: in at 11:40, still open → 20 minutes.
		at(160 * time.Minute)
		must(t, f.checkIn(id, p[2]))
		// p3: checks in after the end, open → 0 h, so no person-time.
		at(4 * time.Hour)
		must(t, f.checkIn(id, p[3]))
		// p4: signed up, never came → no row.
		at(5 * time.Hour)
		var times int
		var hours domain.Minutes
		must(t, f.write(func(tx *store.Tx) (err error) { times, hours, err = tx.CompleteActivity(id); return err }))
		if times != 3 || hours != 180+90+20 {
			t.Fatalf("CompleteActivity = %d person-times, %v min; want 3 and 290", times, hours)
		}
		a, _ := s.ActivityByID(ctx, id)
		if a.State != domain.ActivityCompleted || !a.CompletedAt.Equal(now) || a.PersonTimes != 3 || a.Minutes != hours ||
			a.Minutes.Hours() != "4.83" {
			t.Fatalf("activity = %s at %v, %d person-times, %v min", a.State, a.CompletedAt, a.PersonTimes, a.Minutes)
		}
		for _, c := range []struct {
			person  int64
			hours   domain.Minutes
			out     time.Time
			visited bool
		}{
			{p[0], 180, start.Add(3 * time.Hour), true},
			{p[1], 90, time.Time{}, true},
			{p[2], 20, start.Add(3 * time.Hour), true},
			{p[3], 0, start.Add(4 * time.Hour), false}, // checked in after the end: closed where it opened, no time served
			{p[4], 0, time.Time{}, false},
		} {
			pas, total, err := s.PersonActivities(ctx, c.person)
			if err != nil || len(pas) != 1 || pas[0].Minutes != c.hours || total != c.hours || pas[0].Attended != c.visited {
				t.Errorf("person %d: %+v, total %v, %v; want %v h", c.person, pas, total, err, c.hours)
			}
			if c.hours > a.Scheduled() {
				t.Errorf("person %d: %v h over the scheduled %v", c.person, c.hours, a.Scheduled())
			}
			ps := f.pairs(t, id, c.person)
			for _, x := range ps {
				if x.Open() {
					t.Errorf("person %d: a pair still open after completion", c.person)
				}
			}
			if !c.out.IsZero() && (len(ps) != 1 || !ps[0].CheckOut.Equal(c.out) || ps[0].MethodOut != domain.MethodAuto) {
				t.Errorf("person %d: pairs %+v; want closed automatically at %v", c.person, ps, c.out)
			}
		}
		if o, _ := s.OrderByID(ctx, order); o.State != domain.OrderServed {
			t.Fatalf("order is %s, want served", o.State)
		}
		if err := f.write(func(tx *store.Tx) error { _, _, err := tx.CompleteActivity(id); return err }); !isKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("complete twice: %v", err)
		}
		if err := f.write(func(tx *store.Tx) error { _, _, err := tx.CompleteActivity(999999); return err }); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("complete no activity: %v", err)
		}
		// After completion nothing more is recorded: the hours are written.
		if err := f.checkIn(id, p[4]); !isKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("check in after completion: %v", err)
		}
		if err := f.checkOut(id, p[0]); !isKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("check out after completion: %v", err)
		}
		if err := f.write(func(tx *store.Tx) error { return tx.RecordPair(id, p[4], start, start.Add(time.Hour)) }); !isKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("a pair by hand after completion: %v", err)
		}
	})
}

// TestCheckInsRacingCompletion: check-ins that race the completion are
// either counted in the hours or refused; none lands after the hours were
// written.
func TestCheckInsRacingCompletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		start := time.Now().Add(-time.Hour)
		id := f.activity(t, domain.ModeUnit, 60, start)
		p := f.people(t, 40)
		for _, q := range p {
			if _, err := f.signUp(id, q, false); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		begin := make(chan struct{})
		for i, q := range p {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-begin
				if i == len(p)/2 {
					if err := f.write(func(tx *store.Tx) error { _, _, err := tx.CompleteActivity(id); return err }); err != nil {
						t.Errorf("complete: %v", err)
					}
				}
				if err := f.checkIn(id, q); err != nil && !isKey(err, domain.CodeConflict, "err.activity.closed") {
					t.Errorf("check in: %v", err)
				}
			}()
		}
		close(begin)
		wg.Wait()
		att, _ := s.ActivityAttendance(ctx, id)
		a, _ := s.ActivityByID(ctx, id)
		for _, x := range att {
			if x.Open() {
				t.Fatalf("person %d checked in after the activity was completed", x.PersonID)
			}
		}
		// Pairs closed at the completion carry a few milliseconds at most,
		// which round to no time and so to no person-time.
		if a.PersonTimes > len(att) {
			t.Fatalf("%d pairs recorded, %d person-times counted", len(att), a.PersonTimes)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoCancelAfterCheckIn: a volunteer who has checked in keeps their
// place; cancelling would free it for the waitlist while they earn hours.
func TestNoCancelAfterCheckIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		id := f.activity(t, domain.ModeUnit, 5, time.Now().Add(-time.Hour))
		p := f.people(t, 2)
		for _, q := range p {
			if _, err := f.signUp(id, q, false); err != nil {
				t.Fatal(err)
			}
		}
		must(t, f.checkIn(id, p[0]))
		if err := f.cancel(id, p[0]); !isKey(err, domain.CodeConflict, "err.signup.attended") {
			t.Fatalf("cancel after check-in: %v", err)
		}
		must(t, f.cancel(id, p[1]))
	})
}

// TestCompleteEarlyCreditsOnlyTimeServed: completing before the scheduled
// end closes open pairs at the completion, not at the end.
func TestCompleteEarlyCreditsOnlyTimeServed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		start := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		now := start.Add(-time.Hour)
		s.SetClock(func() time.Time { return now })
		id := f.activity(t, domain.ModeUnit, 5, start)
		p := f.people(t, 1)
		if _, err := f.signUp(id, p[0], false); err != nil {
			t.Fatal(err)
		}
		now = start
		must(t, f.checkIn(id, p[0]))
		now = start.Add(30 * time.Minute)
		var times int
		var hours domain.Minutes
		must(t, f.write(func(tx *store.Tx) (err error) { times, hours, err = tx.CompleteActivity(id); return err }))
		if times != 1 || hours != 30 {
			t.Fatalf("completed after 30 minutes: %d person-times, %v h; want 1 and 0.5", times, hours)
		}
	})
}
