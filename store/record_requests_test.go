package store_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestRecordRequestsApproveEachKind: approving each kind of a volunteer's
// request writes exactly the record it asks for through the versioned
// path, with its points entry and the statistics roll-up; a second
// decision is a conflict; a declined request stays with its reason.
func TestRecordRequestsApproveEachKind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		start := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		now := start.Add(48 * time.Hour)
		s.SetClock(func() time.Time { return now })
		p := f.people(t, 3)
		a1 := f.pastActivity(t, start, []int64{p[0]})
		var orgPath string
		rec, err := s.ServiceRecord(ctx, a1, p[0])
		must(t, err)
		orgPath = rec.OrgPath
		add := func(r domain.RecordRequest) int64 {
			t.Helper()
			r.OrgID, r.Date, r.Reason = f.root, "2026-05-16", "漏记了"
			var id int64
			must(t, f.write(func(tx *store.Tx) (err error) { id, err = tx.AddRecordRequest(r); return err }))
			return id
		}
		approve := func(id int64) error {
			return f.write(func(tx *store.Tx) error { _, err := tx.ApproveRecordRequest(id, "属实", "王队长"); return err })
		}
		causes := func(person int64) []string {
			es, err := s.PointsLedger(ctx, person, 10)
			must(t, err)
			var out []string
			for _, e := range es {
				out = append(out, e.Cause)
			}
			return out
		}

		// hours: 120 min recorded, the volunteer asks for 150.
		if rec.Minutes != 120 {
			t.Fatalf("record before: %d min; want 120", rec.Minutes)
		}
		h := add(domain.RecordRequest{Kind: domain.RequestHours, PersonID: p[0], ActivityID: a1, TeamID: f.team, Minutes: 150, Current: 120})
		if err := f.write(func(tx *store.Tx) error {
			_, err := tx.AddRecordRequest(domain.RecordRequest{Kind: domain.RequestHours, PersonID: p[0], ActivityID: a1,
				OrgID: f.root, Date: "2026-05-16", Reason: "again", Minutes: 160})
			return err
		}); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("a second pending request on one record: %v; want a conflict", err)
		}
		must(t, approve(h))
		rec, err = s.ServiceRecord(ctx, a1, p[0])
		must(t, err)
		vs, err := s.RecordVersions(ctx, rec)
		must(t, err)
		if rec.Minutes != 150 || len(vs) != 2 || vs[1].RequestedName != s0name(t, s, p[0]) || vs[1].DecidedName != "王队长" {
			t.Fatalf("hours approved: %d min, versions %+v; want 150 and a second version asked in the volunteer's name", rec.Minutes, vs)
		}
		if c := causes(p[0]); len(c) < 1 || c[0] != store.PointsCorrection {
			t.Fatalf("points causes after hours: %v", c)
		}
		if err := approve(h); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("second approval: %v; want a conflict", err)
		}

		// attendance: p[1] has no record of a1.
		at := add(domain.RecordRequest{Kind: domain.RequestAttendance, PersonID: p[1], ActivityID: a1, TeamID: f.team, Minutes: 90})
		must(t, approve(at))
		r1, err := s.ServiceRecord(ctx, a1, p[1])
		must(t, err)
		vs, err = s.RecordVersions(ctx, r1)
		must(t, err)
		if r1.Minutes != 90 || len(vs) != 1 || vs[0].ID == 0 || vs[0].Reason != "漏记了" {
			t.Fatalf("attendance approved: %d min, versions %+v; want 90 and a stored version 1 with the reason", r1.Minutes, vs)
		}
		if b, _, _ := s.PointsBalance(ctx, p[1]); b != 15 {
			t.Fatalf("points after 90 min: %d; want 15", b)
		}
		if err := approve(at); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("second approval: %v; want a conflict", err)
		}

		// unscheduled: p[2] declares 3 h for the team.
		u := add(domain.RecordRequest{Kind: domain.RequestUnscheduled, PersonID: p[2], TeamID: f.team, Place: "河边",
			Content: "清理河道垃圾", Minutes: 180})
		var got domain.RecordRequest
		must(t, f.write(func(tx *store.Tx) (err error) { got, err = tx.ApproveRecordRequest(u, "", "王队长"); return err }))
		if got.ActivityID == 0 {
			t.Fatal("unscheduled approved without an activity")
		}
		declared, err := s.ActivityDeclared(ctx, got.ActivityID)
		must(t, err)
		r2, err := s.ServiceRecord(ctx, got.ActivityID, p[2])
		must(t, err)
		if !declared || r2.Minutes != 180 || r2.ActivityTitle != "清理河道垃圾" || r2.OrgPath != orgPath {
			t.Fatalf("declared record %+v declared=%v", r2, declared)
		}
		if c := causes(p[2]); len(c) != 1 || c[0] != store.PointsDeclared {
			t.Fatalf("points causes after declared: %v; want [declared]", c)
		}
		must(t, s.CheckActivityTotals(ctx))

		// decline keeps the row with its reason.
		d := add(domain.RecordRequest{Kind: domain.RequestUnscheduled, PersonID: p[1], TeamID: f.team, Place: "社区",
			Content: "走访", Minutes: 60})
		must(t, f.write(func(tx *store.Tx) error {
			_, err := tx.DeclineRecordRequest(d, "当天无此活动", "王队长")
			return err
		}))
		if err := approve(d); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("approving a declined request: %v; want a conflict", err)
		}
		rs, err := s.RecordRequests(ctx, store.RequestFilter{PersonID: p[1]})
		must(t, err)
		if len(rs) != 2 || rs[0].ID != d || rs[0].State != domain.AskDeclined || rs[0].DecisionNote != "当天无此活动" {
			t.Fatalf("p1's requests %+v; want the declined one first with its reason", rs)
		}
		q, err := s.RecordRequests(ctx, store.RequestFilter{Scope: domain.Scope{TeamIDs: []int64{f.team}}, State: domain.AskPending})
		must(t, err)
		if len(q) != 0 {
			t.Fatalf("pending after every decision: %d", len(q))
		}
		if n, err := s.PendingRequestCount(ctx, domain.Scope{All: true}); err != nil || n != 0 {
			t.Fatalf("pending count %d, %v", n, err)
		}
	})
}

func s0name(t *testing.T, s *store.Store, id int64) string {
	t.Helper()
	p, err := s.PersonByID(context.Background(), id)
	must(t, err)
	return p.Name
}
