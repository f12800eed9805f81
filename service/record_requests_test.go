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

// TestAskRecordValidation: bad requests get a clear error on the right
// field and write nothing; a second pending request on one record is a
// conflict.
func TestAskRecordValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRecords(t, s)
		v := f.volunteers(t, f.teamA, 1)[0]
		start := time.Date(2026, 3, 2, 9, 0, 0, 0, domain.ChinaZone)
		act := f.serve(t, v, "春季防疫", start, 120)
		f.clock = start.Add(72 * time.Hour)
		today := "2026-03-05"
		cases := []struct {
			name  string
			in    domain.RequestInput
			field string
		}{
			{"zero hours", domain.RequestInput{Kind: domain.RequestUnscheduled, TeamID: f.teamA, Date: today, Place: "社区", Content: "清扫", Minutes: 0, Reason: "r"}, "hours"},
			{"over a day", domain.RequestInput{Kind: domain.RequestUnscheduled, TeamID: f.teamA, Date: today, Place: "社区", Content: "清扫", Minutes: 25 * 60, Reason: "r"}, "hours"},
			{"future", domain.RequestInput{Kind: domain.RequestUnscheduled, TeamID: f.teamA, Date: "2026-03-06", Place: "社区", Content: "清扫", Minutes: 60, Reason: "r"}, "date"},
			{"over a year", domain.RequestInput{Kind: domain.RequestUnscheduled, TeamID: f.teamA, Date: "2025-03-01", Place: "社区", Content: "清扫", Minutes: 60, Reason: "r"}, "date"},
			{"no reason", domain.RequestInput{Kind: domain.RequestUnscheduled, TeamID: f.teamA, Date: today, Place: "社区", Content: "清扫", Minutes: 60}, "reason"},
			{"no team", domain.RequestInput{Kind: domain.RequestUnscheduled, Date: today, Place: "社区", Content: "清扫", Minutes: 60, Reason: "r"}, "team"},
			{"over the schedule", domain.RequestInput{Kind: domain.RequestHours, ActivityID: act, Minutes: 180, Reason: "r"}, "hours"},
		}
		for _, c := range cases {
			_, err := f.svc.AskRecord(ctx, v.Caller, c.in)
			e, ok := domain.AsError(err)
			if !ok || e.Code != domain.CodeInvalid || (e.Field != c.field && e.Fields[c.field] == nil) {
				t.Errorf("%s: %v; want invalid on %s", c.name, err, c.field)
			}
		}
		if rs, _ := s.RecordRequests(ctx, store.RequestFilter{PersonID: v.person}); len(rs) != 0 {
			t.Fatalf("bad requests stored: %d", len(rs))
		}
		if _, err := f.svc.AskRecord(ctx, v.Caller, domain.RequestInput{Kind: domain.RequestHours, ActivityID: act, Minutes: 90, Reason: "提前离开的时间算错了"}); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.AskRecord(ctx, v.Caller, domain.RequestInput{Kind: domain.RequestHours, ActivityID: act, Minutes: 100, Reason: "再提"})
		if domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("second pending: %v; want conflict", err)
		}
	})
}

// TestReviewScopeAndBulkApprove: another unit's admin cannot decide;
// the team's leader approves in bulk and is told which failed and why;
// declining needs a reason and keeps the request.
func TestReviewScopeAndBulkApprove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRecords(t, s)
		vs := f.volunteers(t, f.teamA, 3)
		f.clock = time.Date(2026, 3, 5, 9, 0, 0, 0, domain.ChinaZone)
		var ids []int64
		for i, v := range vs {
			id, err := f.svc.AskRecord(ctx, v.Caller, domain.RequestInput{Kind: domain.RequestUnscheduled, TeamID: f.teamA,
				Date: "2026-03-04", Place: "社区", Content: "清扫楼道", Minutes: domain.Minutes(60 * (i + 1)), Reason: "自主服务"})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		otherLeader := f.orgAdminB // another unit's admin: out of scope
		if err := f.svc.DecideRecordRequest(ctx, otherLeader, ids[0], true, ""); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("another team's leader deciding: %v; want forbidden", err)
		}
		if q, err := f.svc.ReviewQueue(ctx, otherLeader, service.ReviewFilter{}); err != nil || len(q.Requests) != 0 {
			t.Fatalf("another team's leader sees %d requests (%v); want none", len(q.Requests), err)
		}
		if err := f.svc.DecideRecordRequest(ctx, f.leader, ids[2], false, ""); domain.ErrCode(err) != domain.CodeInvalid {
			t.Fatalf("decline without a reason: %v; want invalid", err)
		}
		if err := f.svc.DecideRecordRequest(ctx, f.leader, ids[2], false, "当天没有安排"); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.BulkApprove(ctx, f.leader, ids)
		if err != nil {
			t.Fatal(err)
		}
		if res.Approved != 2 || len(res.Failed) != 1 || res.Failed[0].Request.ID != ids[2] || domain.ErrCode(res.Failed[0].Err) != domain.CodeConflict {
			t.Fatalf("bulk approve: %+v; want 2 approved and the declined one failed as decided", res)
		}
		h, err := s.PersonMinutes(ctx, vs[1].person)
		if err != nil || h != 120 {
			t.Fatalf("hours after approval: %d (%v); want 120", h, err)
		}
		q, err := f.svc.ReviewQueue(ctx, f.leader, service.ReviewFilter{})
		if err != nil || len(q.Requests) != 3 {
			t.Fatalf("queue after decisions: %d (%v); want all 3 kept", len(q.Requests), err)
		}
		mine, err := f.svc.MyRequests(ctx, vs[2].Caller)
		if err != nil || len(mine.Requests) != 1 || mine.Requests[0].State != domain.AskDeclined || mine.Requests[0].DecisionNote != "当天没有安排" {
			t.Fatalf("the volunteer's requests %+v (%v); want the declined one with its reason", mine.Requests, err)
		}
	})
}
