package service_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// shanghai is a wall-clock time in Shanghai.
func shanghai(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// noticesOf returns a user's notifications of event e.
func noticesOf(t testing.TB, s *store.Store, userID int64, e domain.Event) []store.Notification {
	t.Helper()
	all, err := s.Notifications(context.Background(), userID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Notification
	for _, n := range all {
		if n.Event == e {
			out = append(out, n)
		}
	}
	return out
}

func TestRemindRoundTomorrowAndSoon(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := shanghai(t, "2026-12-07 08:00")
		s.SetClock(func() time.Time { return now })
		start := shanghai(t, "2026-12-08 10:00")
		id := f.create(t, f.input(domain.ModeUnit, 2, start))
		vs := f.volunteers(t, f.teamA, 4)
		held, gone, waiting := []volunteer{vs[0], vs[2]}, vs[1], vs[3]
		for _, v := range vs {
			if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
				t.Fatal(err)
			}
			if v.person == gone.person {
				if err := f.svc.CancelSignup(ctx, gone.Caller, id); err != nil {
					t.Fatal(err)
				}
			}
		}
		if st := f.signupState(t, id, waiting); st != domain.SignupWaitlisted {
			t.Fatalf("fourth volunteer is %s, want waitlisted", st)
		}
		count := func(v volunteer, e domain.Event) int { return len(noticesOf(t, s, v.UserID, e)) }

		// Before 09:00 the day before: nobody yet.
		must(t, f.svc.RemindRound(ctx))
		for _, v := range vs {
			if n := count(v, domain.EventActivityTomorrow); n != 0 {
				t.Fatalf("at 08:00 %s got %d reminders", v.Username, n)
			}
		}
		// 09:05 the day before: those holding a place, once, however many
		// rounds run.
		now = shanghai(t, "2026-12-07 09:05")
		for range 2 {
			must(t, f.svc.RemindRound(ctx))
		}
		for _, v := range held {
			ns := noticesOf(t, s, v.UserID, domain.EventActivityTomorrow)
			if len(ns) != 1 {
				t.Fatalf("%s got %d tomorrow reminders, want 1", v.Username, len(ns))
			}
			if want := "/activities/" + strconv.FormatInt(id, 10) + "/attend-confirm"; ns[0].Link != want {
				t.Errorf("link = %q, want %q", ns[0].Link, want)
			}
			if ns[0].Args[1] != "2026-12-08 10:00" {
				t.Errorf("args = %q", ns[0].Args)
			}
			checkText(t, ns[0])
		}
		for _, v := range []volunteer{gone, waiting} {
			if n := count(v, domain.EventActivityTomorrow); n != 0 {
				t.Errorf("%s (not holding a place) got %d reminders", v.Username, n)
			}
		}
		// Someone who signs up later in the day hears at the next round.
		late := f.volunteers(t, f.teamA, 1)[0]
		must(t, f.svc.UpdateActivity(ctx, f.leader, id, f.input(domain.ModeUnit, 4, start)))
		now = shanghai(t, "2026-12-07 20:00")
		if _, err := f.svc.SignUp(ctx, late.Caller, id); err != nil {
			t.Fatal(err)
		}
		if st := f.signupState(t, id, waiting); st != domain.SignupConfirmed {
			t.Fatalf("raising the capacity left the waitlist %s", st)
		}
		must(t, f.svc.RemindRound(ctx))
		for _, v := range []volunteer{waiting, late} {
			if n := count(v, domain.EventActivityTomorrow); n != 1 {
				t.Errorf("%s signed up late and got %d reminders, want 1", v.Username, n)
			}
		}
		if n := count(vs[0], domain.EventActivityTomorrow); n != 1 {
			t.Errorf("a later round told %s again: %d", vs[0].Username, n)
		}
		// Two hours before: the urgent second reminder.
		now = start.Add(-domain.SoonWindow - time.Minute)
		must(t, f.svc.RemindRound(ctx))
		if n := count(vs[0], domain.EventActivitySoon); n != 0 {
			t.Fatalf("121 minutes before: %d soon reminders", n)
		}
		now = start.Add(-domain.SoonWindow + 5*time.Minute)
		must(t, f.svc.RemindRound(ctx))
		must(t, f.svc.RemindRound(ctx))
		for _, v := range []volunteer{vs[0], vs[2], waiting, late} {
			ns := noticesOf(t, s, v.UserID, domain.EventActivitySoon)
			if len(ns) != 1 {
				t.Fatalf("%s got %d soon reminders, want 1", v.Username, len(ns))
			}
			checkText(t, ns[0])
		}
		if n := count(gone, domain.EventActivitySoon); n != 0 {
			t.Errorf("a cancelled sign-up got %d soon reminders", n)
		}
	})
}

func TestReleaseUnconfirmedPromotesWaitlist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := shanghai(t, "2026-12-07 08:00")
		s.SetClock(func() time.Time { return now })
		start := shanghai(t, "2026-12-08 10:00")
		in := f.input(domain.ModeUnit, 2, start)
		in.ReleaseHours = 3
		id := f.create(t, in)
		vs := f.volunteers(t, f.teamA, 4)
		for _, v := range vs {
			if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
				t.Fatal(err)
			}
		}
		sure, silent, first, second := vs[0], vs[1], vs[2], vs[3]
		// Confirming needs a place: the waitlisted cannot.
		if err := f.svc.ConfirmAttendance(ctx, first.Caller, id); !codeKey(err, domain.CodeConflict, "err.signup.not_holding") {
			t.Fatalf("a waitlisted volunteer confirmed: %v", err)
		}
		now = shanghai(t, "2026-12-07 09:05")
		must(t, f.svc.RemindRound(ctx))
		must(t, f.svc.ConfirmAttendance(ctx, sure.Caller, id))
		must(t, f.svc.ConfirmAttendance(ctx, sure.Caller, id)) // again: no error
		if p, err := f.svc.AttendPlace(ctx, sure.Caller, id); err != nil || p.Mine.ConfirmedAt.IsZero() || !p.Open {
			t.Fatalf("own place after confirming = %+v, %v", p.Mine, err)
		}

		// Just before the release time nothing moves.
		now = shanghai(t, "2026-12-08 06:59")
		must(t, f.svc.RemindRound(ctx))
		if st := f.signupState(t, id, silent); st != domain.SignupConfirmed {
			t.Fatalf("released early: %s", st)
		}
		// At it, the reminded volunteer who did not confirm loses the place
		// to the first on the waitlist; the capacity holds.
		now = shanghai(t, "2026-12-08 07:00")
		must(t, f.svc.RemindRound(ctx))
		must(t, f.svc.RemindRound(ctx))
		for i, st := range []domain.SignupState{domain.SignupConfirmed, domain.SignupCancelled,
			domain.SignupConfirmed, domain.SignupWaitlisted} {
			if got := f.signupState(t, id, vs[i]); got != st {
				t.Errorf("%s is %s, want %s", vs[i].Username, got, st)
			}
		}
		taken, confirmed, err := s.CapacityCheck(ctx, id)
		if err != nil || taken != 2 || confirmed != 2 {
			t.Fatalf("capacity: taken %d, confirmed %d, %v; want 2 and 2", taken, confirmed, err)
		}
		if ns := noticesOf(t, s, silent.UserID, domain.EventPlaceReleased); len(ns) != 1 {
			t.Errorf("the released volunteer got %d notices, want 1", len(ns))
		} else {
			checkText(t, ns[0])
		}
		if n := len(noticesOf(t, s, first.UserID, domain.EventSignupPromoted)); n != 1 {
			t.Errorf("the promoted volunteer got %d notices, want 1", n)
		}
		if n := len(noticesOf(t, s, second.UserID, domain.EventSignupPromoted)); n != 0 {
			t.Errorf("the one still waiting got %d promotion notices", n)
		}
		g, _, _ := s.PersonSignup(ctx, id, silent.person)
		if g.ReleasedAt.IsZero() {
			t.Error("the released sign-up has no release time")
		}
		if err := f.svc.ConfirmAttendance(ctx, silent.Caller, id); !codeKey(err, domain.CodeConflict, "err.signup.released") {
			t.Errorf("confirming a released place: %v", err)
		}
		// The promoted volunteer was not reminded before the release time:
		// their place is not released, even though they have not confirmed.
		now = shanghai(t, "2026-12-08 08:30")
		must(t, f.svc.RemindRound(ctx))
		if st := f.signupState(t, id, first); st != domain.SignupConfirmed {
			t.Errorf("the promoted volunteer's place was released too: %s", st)
		}
		if n := len(noticesOf(t, s, first.UserID, domain.EventActivitySoon)); n != 1 {
			t.Errorf("the promoted volunteer got %d soon reminders", n)
		}
		// Signing up again starts unconfirmed and unreleased.
		if st, err := f.svc.SignUp(ctx, silent.Caller, id); err != nil || st != domain.SignupWaitlisted {
			t.Fatalf("signing up again = %s, %v", st, err)
		}
		if g, _, _ := s.PersonSignup(ctx, id, silent.person); !g.ReleasedAt.IsZero() || !g.ConfirmedAt.IsZero() {
			t.Errorf("signing up again kept %+v", g)
		}
	})
}

// TestReleaseNeedsReminderReceived: a volunteer whose reminder reached
// nobody (no account) keeps the place.
func TestReleaseNeedsReminderReceived(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := shanghai(t, "2026-12-07 08:00")
		s.SetClock(func() time.Time { return now })
		in := f.input(domain.ModeUnit, 1, shanghai(t, "2026-12-08 10:00"))
		in.ReleaseHours = 2
		id := f.create(t, in)
		vs := f.volunteers(t, f.teamA, 2)
		for _, v := range vs {
			if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
				t.Fatal(err)
			}
		}
		// The holder turns off reminders in the app; they have no email.
		must(t, s.Write(ctx, vs[0].Actor(), func(tx *store.Tx) error {
			if err := tx.SetNotificationPref(vs[0].UserID, domain.EventActivityTomorrow, domain.ByInApp, false); err != nil {
				return err
			}
			if err := tx.SetNotificationPref(vs[0].UserID, domain.EventActivitySoon, domain.ByInApp, false); err != nil {
				return err
			}
			if err := tx.SetNotificationPref(vs[0].UserID, domain.EventActivityTomorrow, domain.ByGateway, false); err != nil {
				return err
			}
			if err := tx.SetNotificationPref(vs[0].UserID, domain.EventActivitySoon, domain.ByGateway, false); err != nil {
				return err
			}
			return tx.Audit("test.prefs", "user", "", nil, nil)
		}))
		for _, at := range []string{"2026-12-07 09:05", "2026-12-08 08:05", "2026-12-08 09:00"} {
			now = shanghai(t, at)
			must(t, f.svc.RemindRound(ctx))
		}
		if st := f.signupState(t, id, vs[0]); st != domain.SignupConfirmed {
			t.Errorf("a volunteer never reached lost the place: %s", st)
		}
	})
}

func TestDispatchOverdueEscalates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := shanghai(t, "2026-06-01 10:00")
		s.SetClock(func() time.Time { return now })
		var order, other int64
		err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
			for i, code := range []string{"late1", "late2"} {
				in := f.orderFixture.input()
				in.DateFrom, in.DateTo, in.Channel = "2026-06-20", "2026-06-20", domain.ChannelOnline
				id, err := tx.CreateOrder(store.NewOrder{Code: code, OrderInput: in})
				if err != nil {
					return err
				}
				if _, err := tx.TransitionOrder(id, domain.EventAccept, ""); err != nil {
					return err
				}
				if err := tx.DispatchOrder(id, []store.NewDispatch{{CategoryID: f.cat, TeamID: f.teamA, PersonDays: 3}}); err != nil {
					return err
				}
				if i == 0 {
					order = id
				} else {
					other = id
				}
			}
			return nil
		})
		must(t, err)
		admin := int64(1) // the bootstrap committee admin
		overdue := func() []store.Notification { return noticesOf(t, s, admin, domain.EventDispatchOverdue) }
		now = now.Add(domain.DispatchOverdue - time.Minute)
		must(t, f.svc.RemindRound(ctx))
		if n := len(overdue()); n != 0 {
			t.Fatalf("before the deadline: %d notices", n)
		}
		// The other order's team answers in time.
		must(t, s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error { return tx.AnswerDispatch(other, f.teamA, true, "") }))
		now = now.Add(2 * time.Minute)
		must(t, f.svc.RemindRound(ctx))
		must(t, f.svc.RemindRound(ctx))
		ns := overdue()
		if len(ns) != 1 || ns[0].Args[0] != domain.OrderNumber(order) || ns[0].Link != "/desk/orders/"+strconv.FormatInt(order, 10) {
			t.Fatalf("level 1: %+v", ns)
		}
		checkText(t, ns[0])
		// Within the next period: no repeat. After twice the time: level 2.
		now = now.Add(domain.DispatchOverdue - 2*time.Minute)
		must(t, f.svc.RemindRound(ctx))
		if n := len(overdue()); n != 1 {
			t.Fatalf("repeated within a level: %d notices", n)
		}
		now = now.Add(2 * time.Minute)
		must(t, f.svc.RemindRound(ctx))
		if ns := overdue(); len(ns) != 2 || ns[0].Args[2] != "6" {
			t.Fatalf("level 2: %+v", ns)
		}
		// An answer stops it.
		must(t, s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error { return tx.AnswerDispatch(order, f.teamA, false, "人手不足") }))
		now = now.Add(domain.DispatchOverdue)
		must(t, f.svc.RemindRound(ctx))
		if n := len(overdue()); n != 2 {
			t.Fatalf("after the answer: %d notices", n)
		}
	})
}

func TestOverdueLevel(t *testing.T) {
	sent := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		after time.Duration
		want  int
	}{{0, 0}, {domain.DispatchOverdue - time.Second, 0}, {domain.DispatchOverdue, 1},
		{2*domain.DispatchOverdue - time.Second, 1}, {2 * domain.DispatchOverdue, 2}, {7 * domain.DispatchOverdue, 7}} {
		if got := domain.OverdueLevel(sent, sent.Add(c.after)); got != c.want {
			t.Errorf("OverdueLevel after %s = %d, want %d", c.after, got, c.want)
		}
	}
}

func TestAttendPlaceOnlyOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := shanghai(t, "2026-12-07 08:00")
		s.SetClock(func() time.Time { return now })
		id := f.create(t, f.input(domain.ModeUnit, 5, shanghai(t, "2026-12-08 10:00")))
		vs := f.volunteers(t, f.teamA, 2)
		if _, err := f.svc.SignUp(ctx, vs[0].Caller, id); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AttendPlace(ctx, vs[1].Caller, id); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("another volunteer's view: %v", err)
		}
		if err := f.svc.ConfirmAttendance(ctx, vs[1].Caller, id); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("another volunteer confirmed: %v", err)
		}
		if err := f.svc.ConfirmAttendance(ctx, f.admin, id); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("an admin without a person confirmed: %v", err)
		}
		if err := f.svc.ConfirmAttendance(ctx, f.public, id); domain.ErrCode(err) != domain.CodeUnauthorized {
			t.Errorf("the public confirmed: %v", err)
		}
		must(t, f.svc.ConfirmAttendance(ctx, vs[0].Caller, id))
		// After the start there is nothing to confirm.
		now = shanghai(t, "2026-12-08 10:01")
		g, _, _ := s.PersonSignup(ctx, id, vs[0].person)
		if g.ConfirmedAt.IsZero() {
			t.Fatal("confirmation not recorded")
		}
		if p, err := f.svc.AttendPlace(ctx, vs[0].Caller, id); err != nil || p.Open {
			t.Errorf("after the start the page still asks: %+v, %v", p, err)
		}
	})
}

// TestRemindMovedActivity: a volunteer reminded for an activity's first
// date is reminded again when it moves a week later, and does not lose the
// place at the new release time on the strength of the old reminder (a
// fault the review of issue 13 found).
func TestRemindMovedActivity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := shanghai(t, "2026-12-07 08:00")
		s.SetClock(func() time.Time { return now })
		start := shanghai(t, "2026-12-08 10:00")
		in := f.input(domain.ModeUnit, 1, start)
		in.ReleaseHours = 3
		id := f.create(t, in)
		vs := f.volunteers(t, f.teamA, 2)
		for _, v := range vs {
			if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
				t.Fatal(err)
			}
		}
		holder, waiting := vs[0], vs[1]
		now = shanghai(t, "2026-12-07 09:05")
		must(t, f.svc.RemindRound(ctx))
		if n := len(noticesOf(t, s, holder.UserID, domain.EventActivityTomorrow)); n != 1 {
			t.Fatalf("first reminder: %d", n)
		}
		// The leader moves it one week later.
		now = shanghai(t, "2026-12-07 12:00")
		newStart := shanghai(t, "2026-12-15 10:00")
		in2 := f.input(domain.ModeUnit, 1, newStart)
		in2.ReleaseHours = 3
		must(t, f.svc.UpdateActivity(ctx, f.leader, id, in2))
		// At 07:00 on the new date (3 h before), with no reminder of the new
		// time sent yet: the old date's reminder releases nothing.
		now = shanghai(t, "2026-12-15 07:00")
		must(t, f.svc.RemindRound(ctx))
		if st := f.signupState(t, id, holder); st != domain.SignupConfirmed {
			t.Errorf("the place was released on the old date's reminder: %s (waiting: %s)", st, f.signupState(t, id, waiting))
		}
		// Two hours before the new start: reminded again, for the new time.
		now = shanghai(t, "2026-12-15 08:05")
		must(t, f.svc.RemindRound(ctx))
		soon := noticesOf(t, s, holder.UserID, domain.EventActivitySoon)
		if len(soon) != 1 || !strings.Contains(soon[0].Args[1], "2026-12-15 10:00") {
			t.Errorf("reminders for the new time: %+v, want one naming 2026-12-15 10:00", soon)
		}
	})
}

// TestReleaseNeedsDeliverySent: a volunteer who reads no bell (in-app off)
// where no SMS gateway is configured keeps the place: a text only logged,
// never sent, is no reminder received.
func TestReleaseNeedsDeliverySent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := shanghai(t, "2026-12-07 08:00")
		s.SetClock(func() time.Time { return now })
		in := f.input(domain.ModeUnit, 1, shanghai(t, "2026-12-08 10:00"))
		in.ReleaseHours = 2
		id := f.create(t, in)
		vs := f.volunteers(t, f.teamA, 2)
		for _, v := range vs {
			if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
				t.Fatal(err)
			}
		}
		must(t, s.Write(ctx, vs[0].Actor(), func(tx *store.Tx) error {
			for _, e := range []domain.Event{domain.EventActivityTomorrow, domain.EventActivitySoon} {
				if err := tx.SetNotificationPref(vs[0].UserID, e, domain.ByInApp, false); err != nil {
					return err
				}
			}
			return tx.Audit("test.prefs", "user", "", nil, nil)
		}))
		now = shanghai(t, "2026-12-07 09:05")
		must(t, f.svc.RemindRound(ctx))
		// Deliver what is queued: with no gateway configured it is only logged.
		for id := int64(1); id < 50; id++ {
			_ = f.svc.DeliverNotification(ctx, id)
		}
		if counts, _ := s.DeliveryCounts(ctx); counts["gateway"]["logged"] == 0 {
			t.Fatalf("deliveries %v: want the reminder's text logged (no gateway)", counts)
		}
		now = shanghai(t, "2026-12-08 08:00")
		must(t, f.svc.RemindRound(ctx))
		if st := f.signupState(t, id, vs[0]); st != domain.SignupConfirmed {
			t.Errorf("a volunteer whose only reminder was never sent lost the place: %s", st)
		}
	})
}

// TestNotificationTitlesTakeArgs: no title shows "%!(EXTRA…)", whatever
// its arguments.
func TestNotificationTitlesTakeArgs(t *testing.T) {
	for _, e := range append(append([]domain.Event{}, domain.Events...), domain.EventPhoneCode) {
		for _, lang := range []string{"zh-CN", "en"} {
			title, _ := service.NotificationText(store.Notification{Event: e, Lang: lang, Args: []string{"A1", "A2", "A3", "A4"}})
			if strings.Contains(title, "%!") {
				t.Errorf("%s %s title: %q", lang, e, title)
			}
		}
	}
}
