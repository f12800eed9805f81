package store_test

import (
	"context"
	"math/rand"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// exampleRule is the example: under 15 minutes of an hour count 0,
// 15–45 count 30, 45–60 count 60; 60 % of the activity attended; 8 hours a
// day at most; auto check-out 30 minutes after the end.
func exampleRule(effective string) domain.DurationRule {
	return domain.DurationRule{EffectiveOn: effective, MinShare: 60, DailyMax: 8 * 60, CheckoutDelay: 30,
		Bands: []domain.DurationBand{{Upto: 15, Counts: 0}, {Upto: 45, Counts: 30}, {Upto: 60, Counts: 60}}}
}

func addRule(tb testing.TB, f *actFixture, r domain.DurationRule) domain.DurationRule {
	tb.Helper()
	if err := r.Validate(); err != nil {
		tb.Fatal(err)
	}
	if err := f.write(func(tx *store.Tx) (err error) { r, err = tx.AddDurationRule(r); return err }); err != nil {
		tb.Fatal(err)
	}
	return r
}

// scheduled schedules an activity of the given length.
func (f *actFixture) scheduled(tb testing.TB, start time.Time, length time.Duration) int64 {
	tb.Helper()
	in := f.input(domain.ModeUnit, 50, start)
	in.EndsAt = start.Add(length)
	var id int64
	if err := f.write(func(tx *store.Tx) (err error) { id, err = tx.CreateActivity(in, f.root); return err }); err != nil {
		tb.Fatal(err)
	}
	return id
}

func (f *actFixture) pair(tb testing.TB, activity, person int64, in, out time.Time) {
	tb.Helper()
	must(tb.(*testing.T), f.write(func(tx *store.Tx) error { return tx.RecordPair(activity, person, in, out) }))
}

func (f *actFixture) complete(tb testing.TB, activity int64) {
	tb.Helper()
	must(tb.(*testing.T), f.write(func(tx *store.Tx) error { _, _, err := tx.CompleteActivity(activity); return err }))
}

func (f *actFixture) minutes(tb testing.TB, activity, person int64) domain.Minutes {
	tb.Helper()
	r, err := f.s.ServiceRecord(context.Background(), activity, person)
	if err != nil {
		tb.Fatalf("record %d/%d: %v", activity, person, err)
	}
	return r.Minutes
}

// TestDurationRuleOnCompletion: CompleteActivity counts by the rule in
// force on the activity's day — rounding, the minimum share, the daily
// maximum across two activities — and a day before it takes effect counts
// the minutes attended.
func TestDurationRuleOnCompletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		day := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC) // 09:00 China
		now := day.Add(-48 * time.Hour)
		s.SetClock(func() time.Time { return now })
		addRule(t, f, exampleRule("2026-05-16"))
		p := f.people(t, 3)
		morning := f.scheduled(t, day, 3*time.Hour)                    // 09:00–12:00
		afternoon := f.scheduled(t, day.Add(4*time.Hour), 6*time.Hour) // 13:00–19:00
		before := f.scheduled(t, day.Add(-24*time.Hour), 3*time.Hour)  // the day before: no rule
		f.pair(t, morning, p[0], day, day.Add(140*time.Minute))        // 2h20 → 2.5 h
		f.pair(t, morning, p[1], day, day.Add(time.Hour))              // 33 % < 60 % → 0
		f.pair(t, morning, p[2], day.Add(-time.Hour), day.Add(5*time.Hour))
		f.pair(t, afternoon, p[2], day.Add(4*time.Hour), day.Add(10*time.Hour)) // 6 h, 3 h left of 8
		f.pair(t, before, p[0], day.Add(-24*time.Hour), day.Add(-24*time.Hour+140*time.Minute))
		now = day.Add(11 * time.Hour)
		for _, a := range []int64{morning, afternoon, before} {
			f.complete(t, a)
		}
		for _, c := range []struct {
			a, p int64
			want domain.Minutes
		}{{morning, p[0], 150}, {morning, p[1], 0}, {morning, p[2], 180}, {afternoon, p[2], 300}, {before, p[0], 140}} {
			if got := f.minutes(t, c.a, c.p); got != c.want {
				t.Errorf("record %d/%d: %d minutes, want %d", c.a, c.p, got, c.want)
			}
		}
		a, _ := s.ActivityByID(context.Background(), afternoon)
		if a.Minutes != 300 {
			t.Errorf("afternoon totals %d minutes, want 300", a.Minutes)
		}
		if bal, _, _ := s.PointsBalance(context.Background(), p[2]); bal != store.PointsFor(480, store.DefaultPointsPerHour) {
			t.Errorf("p2 points %d, want 8 hours' worth", bal)
		}
	})
}

// TestApplyDurationRule: applying a version to a period writes an approved
// version named after it for each changed record, moves its points and the
// activity's totals, and skips a record whose correction waits.
func TestApplyDurationRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		day := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		now := day.Add(-48 * time.Hour)
		s.SetClock(func() time.Time { return now })
		p := f.people(t, 3)
		a := f.scheduled(t, day, 3*time.Hour)
		f.pair(t, a, p[0], day, day.Add(140*time.Minute)) // 140 → 150
		f.pair(t, a, p[1], day, day.Add(180*time.Minute)) // 180 → 180, unchanged
		f.pair(t, a, p[2], day, day.Add(100*time.Minute)) // 100 → 0, but a correction waits
		now = day.Add(4 * time.Hour)
		f.complete(t, a)
		r2, _ := s.ServiceRecord(ctx, a, p[2])
		must(t, f.write(func(tx *store.Tx) error {
			_, err := tx.RequestCorrection(r2, domain.CorrectionInput{Minutes: 120, Reason: "漏记"}, "tester")
			return err
		}))
		rule := addRule(t, f, exampleRule("2026-01-01"))
		var res store.ApplyResult
		must(t, f.write(func(tx *store.Tx) (err error) {
			res, err = tx.ApplyDurationRule(rule, "2026-05-01", "2026-05-31", "按新规则重算", "tester")
			return err
		}))
		if res.Changed != 1 || res.Unchanged != 1 || len(res.Pending) != 1 || res.Pending[0] != "社区义诊 · 志愿者3" {
			t.Fatalf("apply = %+v, want 1 changed, 1 unchanged, 1 pending (社区义诊 · 志愿者3)", res)
		}
		if got := f.minutes(t, a, p[0]); got != 150 {
			t.Errorf("p0 counts %d, want 150", got)
		}
		r0, _ := s.ServiceRecord(ctx, a, p[0])
		vs, err := s.RecordVersions(ctx, r0)
		if err != nil || len(vs) != 2 || vs[1].Minutes != 150 || vs[1].Previous != 140 || vs[1].State != domain.VersionApproved ||
			vs[1].RequestedName != "时长规则 第1版" || vs[1].Reason != "按新规则重算" || vs[0].Minutes != 140 {
			t.Fatalf("versions %+v (%v), want the original 140 and an approved 150 by 时长规则 第1版", vs, err)
		}
		led, _ := s.PointsLedger(ctx, p[0], 10)
		if len(led) != 2 || led[0].Cause != store.PointsRule || led[0].Points != store.PointsFor(150, 10)-store.PointsFor(140, 10) {
			t.Errorf("ledger %+v, want a rule entry of the difference", led)
		}
		if act, _ := s.ActivityByID(ctx, a); act.Minutes != 150+180+100 {
			t.Errorf("activity totals %d, want %d", act.Minutes, 150+180+100)
		}
		// Applying again changes nothing.
		must(t, f.write(func(tx *store.Tx) (err error) {
			res, err = tx.ApplyDurationRule(rule, "2026-05-16", "2026-05-16", "再算", "tester")
			return err
		}))
		if res.Changed != 0 || res.Unchanged != 2 {
			t.Errorf("second apply = %+v, want nothing changed", res)
		}
		if err := f.write(func(tx *store.Tx) error {
			_, err := tx.ApplyDurationRule(rule, "2026-05-31", "2026-05-01", "", "tester")
			return err
		}); !isKey(err, domain.CodeInvalid, "err.rules.period") {
			t.Errorf("a period backwards: %v, want err.rules.period", err)
		}
	})
}

// TestDurationRuleRandomScenario runs one seeded scenario — a rule, four
// people, six activities on one day, random attendance — on each database
// and checks every record against domain.CountMinutes, so both databases
// give the pure function's hours.
func TestDurationRuleRandomScenario(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rnd := rand.New(rand.NewSource(29))
		f := newActFixture(t, s)
		day := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) // 08:00 China
		now := day.Add(-48 * time.Hour)
		s.SetClock(func() time.Time { return now })
		rule := domain.DurationRule{EffectiveOn: "2026-01-01", MinShare: 40, DailyMax: 7 * 60,
			Bands: []domain.DurationBand{{Upto: 10, Counts: 0}, {Upto: 40, Counts: 30}, {Upto: 60, Counts: 60}}}
		rule = addRule(t, f, rule)
		p := f.people(t, 4)
		type act struct {
			id           int64
			start, end   time.Time
			pairs        map[int64][]domain.Attendance
			startsOffset time.Duration
		}
		var acts []act
		for i := range 6 {
			start := day.Add(time.Duration(i*100+rnd.Intn(60)) * time.Minute)
			length := time.Duration(30+rnd.Intn(240)) * time.Minute
			a := act{id: f.scheduled(t, start, length), start: start, end: start.Add(length), pairs: map[int64][]domain.Attendance{}}
			for _, q := range p {
				if rnd.Intn(4) == 0 {
					continue
				}
				in := start.Add(time.Duration(rnd.Intn(90)-30) * time.Minute)
				out := in.Add(time.Duration(1+rnd.Intn(300)) * time.Minute)
				f.pair(t, a.id, q, in, out)
				a.pairs[q] = []domain.Attendance{{CheckIn: in, CheckOut: out}}
			}
			acts = append(acts, a)
		}
		now = day.Add(20 * time.Hour)
		counted := map[int64]domain.Minutes{}
		for _, a := range acts {
			f.complete(t, a.id)
			for _, q := range p {
				if a.pairs[q] == nil {
					continue
				}
				m := domain.AttendedMinutes(a.start, a.end, a.pairs[q])
				if m <= 0 {
					continue
				}
				want := domain.CountMinutes(&rule, domain.MinutesIn(a.end.Sub(a.start)), m, counted[q]).Minutes
				counted[q] += want
				if got := f.minutes(t, a.id, q); got != want {
					t.Errorf("activity %d person %d: %d minutes, want %d (attended %d)", a.id, q, got, want, m)
				}
			}
		}
	})
}

// TestAutoCheckout: the round checks out, at the scheduled end and flagged,
// anyone still in once the rule's delay has passed — not before; the leader
// sees the flag and clears it with a note.
func TestAutoCheckout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		day := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		now := day.Add(-48 * time.Hour)
		s.SetClock(func() time.Time { return now })
		addRule(t, f, exampleRule("2026-01-01"))
		p := f.people(t, 2)
		a := f.scheduled(t, day, 3*time.Hour)
		now = day.Add(10 * time.Minute)
		must(t, f.checkIn(a, p[0]))
		must(t, f.checkIn(a, p[1]))
		now = day.Add(time.Hour)
		must(t, f.checkOut(a, p[1]))
		round := func() int {
			var n int
			must(t, s.Housekeep(ctx, func(tx *store.Tx) (err error) { n, err = tx.AutoCheckout(100); return err }))
			return n
		}
		now = day.Add(3*time.Hour + 29*time.Minute)
		if n := round(); n != 0 {
			t.Fatalf("before the delay: %d checked out", n)
		}
		now = day.Add(3*time.Hour + 30*time.Minute)
		if n := round(); n != 1 {
			t.Fatalf("after the delay: %d checked out, want 1", n)
		}
		if n := round(); n != 0 {
			t.Fatalf("again: %d checked out, want 0", n)
		}
		ps := f.pairs(t, a, p[0])
		if len(ps) != 1 || !ps[0].CheckOut.Equal(day.Add(3*time.Hour)) || ps[0].MethodOut != domain.MethodAuto {
			t.Fatalf("p0 pairs %+v, want checked out at the end, auto", ps)
		}
		flags, err := s.AttendanceFlags(ctx, a)
		if err != nil || len(flags) != 1 || flags[0].Flag != "auto_checkout" || flags[0].PersonID != p[0] {
			t.Fatalf("flags %+v (%v), want p0's auto_checkout", flags, err)
		}
		must(t, f.write(func(tx *store.Tx) error { return tx.ClearAttendanceFlag(a, flags[0].ID, "电话确认已到岗") }))
		flags, _ = s.AttendanceFlags(ctx, a)
		if len(flags) != 1 || flags[0].Flag != "" || flags[0].Note != "电话确认已到岗" {
			t.Fatalf("after clearing: %+v", flags)
		}
		if err := f.write(func(tx *store.Tx) error { return tx.ClearAttendanceFlag(a, flags[0].ID, "x") }); domain.ErrCode(err) != domain.CodeConflict {
			t.Errorf("clearing twice: %v, want a conflict", err)
		}
		if err := f.write(func(tx *store.Tx) error { return tx.ClearAttendanceFlag(a+1, flags[0].ID, "x") }); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("another activity's pair: %v, want not found", err)
		}
	})
}

// TestDurationRuleSeveralDays: an activity over three days may count the
// daily maximum three times.
func TestDurationRuleSeveralDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newActFixture(t, s)
		day := time.Date(2026, 5, 16, 0, 0, 0, 0, time.UTC) // 08:00 China
		now := day.Add(-48 * time.Hour)
		s.SetClock(func() time.Time { return now })
		r := exampleRule("2026-01-01")
		r.MinShare = 0
		addRule(t, f, r)
		p := f.people(t, 1)[0]
		a := f.scheduled(t, day, 58*time.Hour) // 08:00 on the 16th to 18:00 on the 18th
		f.pair(t, a, p, day, day.Add(10*time.Hour))
		f.pair(t, a, p, day.Add(24*time.Hour), day.Add(34*time.Hour))
		f.pair(t, a, p, day.Add(48*time.Hour), day.Add(58*time.Hour))
		now = day.Add(60 * time.Hour)
		f.complete(t, a)
		if got := f.minutes(t, a, p); got != 3*480 {
			t.Errorf("three days of 10 h count %d minutes, want 3 × 8 h", got)
		}
	})
}
