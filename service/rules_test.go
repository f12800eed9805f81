package service_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestDurationRuleService: only the committee adds a version; bad input is
// refused field by field and saves nothing; the reminder round checks out,
// flagged, anyone still in past the delay, and the leader clears the flag
// with a note (required).
func TestDurationRuleService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := shanghai(t, "2026-12-07 08:00")
		s.SetClock(func() time.Time { return now })
		good := service.DurationRuleInput{EffectiveOn: "2026-01-01", Bands: "15:0, 45:30, 60:60", MinShare: "60",
			DailyMaxHours: "8", CheckoutDelay: "30"}
		if _, err := f.svc.AddDurationRule(ctx, f.orgAdmin, good); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("an org admin adds a rule: %v", err)
		}
		bad := good
		bad.Bands, bad.MinShare, bad.DailyMaxHours = "15:0, 45:50", "abc", "25"
		_, err := f.svc.AddDurationRule(ctx, f.admin, bad)
		e, _ := domain.AsError(err)
		if e == nil || e.Fields["bands"] == nil || e.Fields["min_share"] == nil || e.Fields["daily_max"] == nil {
			t.Fatalf("bad rule: %v, want faults in bands, min_share, daily_max", err)
		}
		if rs, _ := s.DurationRules(ctx); len(rs) != 0 {
			t.Fatalf("a bad rule was saved")
		}
		rule, err := f.svc.AddDurationRule(ctx, f.admin, good)
		if err != nil || rule.Version != 1 || rule.DailyMax != 480 || rule.CheckoutDelay != 30 {
			t.Fatalf("AddDurationRule = %+v, %v", rule, err)
		}
		if _, err := f.svc.ApplyDurationRule(ctx, f.admin, service.ApplyInput{RuleID: rule.ID, From: "2026-01-01", To: "2026-12-31"}); domain.ErrCode(err) != domain.CodeInvalid {
			t.Errorf("apply without a reason: %v", err)
		}

		start := shanghai(t, "2026-12-07 09:00")
		id := f.create(t, f.input(domain.ModeUnit, 5, start))
		v := f.volunteers(t, f.teamA, 1)[0]
		if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
			t.Fatal(err)
		}
		now = start.Add(10 * time.Minute)
		if _, err := f.svc.MarkAttendance(ctx, f.leader, id, v.person, true); err != nil {
			t.Fatal(err)
		}
		now = start.Add(3*time.Hour + 31*time.Minute)
		must(t, f.svc.RemindRound(ctx))
		fv, err := f.svc.AttendanceFlags(ctx, f.leader, id, "open")
		if err != nil || len(fv.Pairs) != 1 || fv.Pairs[0].Flag != "auto_checkout" || !fv.Pairs[0].CheckOut.Equal(start.Add(3*time.Hour)) {
			t.Fatalf("flags after the round: %+v (%v)", fv.Pairs, err)
		}
		if err := f.svc.ClearAttendanceFlag(ctx, f.leader, id, fv.Pairs[0].ID, " "); domain.ErrCode(err) != domain.CodeInvalid {
			t.Errorf("clearing without a note: %v", err)
		}
		must(t, f.svc.ClearAttendanceFlag(ctx, f.leader, id, fv.Pairs[0].ID, "已电话核实"))
		if fv, _ := f.svc.AttendanceFlags(ctx, f.leader, id, "cleared"); len(fv.Pairs) != 1 || fv.Pairs[0].Note != "已电话核实" {
			t.Errorf("cleared flags: %+v", fv.Pairs)
		}
	})
}
