package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// activityFixture is the order fixture (a committee, unit A with team A and
// a site, unit B) plus a team of unit B, and a way to make volunteers.
type activityFixture struct {
	orderFixture
	cat, teamB int64
	phones     int
}

// volunteer is a signed-in volunteer linked to their person.
type volunteer struct {
	domain.Caller
	person int64
}

func newActivities(t *testing.T, s *store.Store) *activityFixture {
	t.Helper()
	f := &activityFixture{orderFixture: newOrders(t, s)}
	cats, _ := f.svc.Categories(context.Background(), false)
	f.cat = cats[2].ID
	err := s.Write(context.Background(), service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
		f.teamB, err = tx.CreateTeam(domain.Team{OrgID: f.unitB, Kind: domain.TeamParty, Name: "法律服务队"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// volunteers registers n people with accounts, members of team (none when
// 0), and returns them signed in.
func (f *activityFixture) volunteers(t testing.TB, team int64, n int) []volunteer {
	t.Helper()
	ps := make([]domain.ValidPerson, n)
	for i := range ps {
		f.phones++
		ps[i] = domain.ValidPerson{Name: fmt.Sprintf("志愿者%d", f.phones), Gender: domain.GenderMale,
			Phone: fmt.Sprintf("137%08d", f.phones), PoliticalStatus: "party_member", OrgID: f.unitA}
	}
	out := make([]volunteer, n)
	err := f.st.Write(context.Background(), service.SystemCaller.Actor(), func(tx *store.Tx) error {
		ids, err := tx.CreatePeople(ps, make([]store.SealedID, n))
		if err != nil {
			return err
		}
		var ms []domain.Membership
		for i, id := range ids {
			name := fmt.Sprintf("v%d", f.phones-n+i+1)
			uid, err := tx.CreateUser(store.NewUser{Username: name, DisplayName: ps[i].Name, PasswordHash: "x"})
			if err != nil {
				return err
			}
			if err := tx.Grant(uid, domain.RoleVolunteer, 0); err != nil {
				return err
			}
			if err := tx.LinkPersonUser(id, uid); err != nil {
				return err
			}
			if team != 0 {
				ms = append(ms, domain.Membership{TeamID: team, PersonID: id, Role: domain.MemberRegular, JoinedOn: "2025-01-01"})
			}
			out[i] = volunteer{Caller: domain.Caller{Principal: domain.Principal{UserID: uid, Username: name, PersonID: id,
				Grants: []domain.Grant{{UserID: uid, Role: domain.RoleVolunteer}}}, IP: "127.0.0.1", RequestID: name}, person: id}
		}
		if len(ms) == 0 {
			return nil
		}
		return tx.AddMembers(ms)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// input is a valid activity of team A at the fixture's site.
func (f *activityFixture) input(mode domain.ActivityMode, capacity int, start time.Time) domain.ActivityInput {
	return domain.ActivityInput{Title: "春季防疫", Mode: mode, TeamID: f.teamA, SiteID: f.site, CategoryIDs: []int64{f.cat},
		StartsAt: start, EndsAt: start.Add(3 * time.Hour), Capacity: capacity, CancelHours: 24}
}

func (f *activityFixture) create(t testing.TB, in domain.ActivityInput) int64 {
	t.Helper()
	id, err := f.svc.CreateActivity(context.Background(), f.leader, in)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *activityFixture) signupState(t testing.TB, activity int64, v volunteer) domain.SignupState {
	t.Helper()
	g, ok, err := f.st.PersonSignup(context.Background(), activity, v.person)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return ""
	}
	return g.State
}

func codeKey(err error, code domain.Code, key string) bool {
	e, ok := domain.AsError(err)
	return ok && e.Code == code && e.Key == key
}

func TestCreateActivityAuthorizesAndValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
		in := f.input(domain.ModeUnit, 10, start)
		in.TeamIDs = []int64{f.teamB}
		id, err := f.svc.CreateActivity(ctx, f.leader, in)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := s.ActivityByID(ctx, id)
		if a.OrgID != f.unitA || !a.HasTeam(f.teamA) || !a.HasTeam(f.teamB) {
			t.Fatalf("activity = %+v; want organised by unit A with both teams", a)
		}
		// Someone else's team, or no right to organise at all.
		other := f.input(domain.ModeUnit, 10, start)
		other.TeamID = f.teamB
		if _, err := f.svc.CreateActivity(ctx, f.leader, other); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader of team A for team B: %v", err)
		}
		if _, err := f.svc.CreateActivity(ctx, f.orgAdmin, other); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("admin of unit A for unit B's team: %v", err)
		}
		vol := f.volunteers(t, f.teamA, 1)[0]
		if _, err := f.svc.CreateActivity(ctx, vol.Caller, f.input(domain.ModeUnit, 10, start)); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a volunteer: %v", err)
		}
		if _, err := f.svc.CreateActivity(ctx, f.public, f.input(domain.ModeUnit, 10, start)); domain.ErrCode(err) != domain.CodeUnauthorized {
			t.Fatalf("the public: %v", err)
		}
		// What the input refers to must exist.
		for _, c := range []struct {
			field, key string
			edit       func(in *domain.ActivityInput)
		}{
			{"team", "err.team.not_found", func(in *domain.ActivityInput) { in.TeamID = 999999 }},
			{"teams", "err.team.not_found", func(in *domain.ActivityInput) { in.TeamIDs = []int64{999999} }},
			{"categories", "err.activity.categories", func(in *domain.ActivityInput) { in.CategoryIDs = []int64{999999} }},
			{"place", "err.site.not_found", func(in *domain.ActivityInput) { in.SiteID = 999999 }},
			{"capacity", "err.activity.capacity", func(in *domain.ActivityInput) { in.Capacity = 0 }},
		} {
			in := f.input(domain.ModeUnit, 10, start)
			c.edit(&in)
			_, err := f.svc.CreateActivity(ctx, f.admin, in)
			if e, ok := domain.AsError(err); !ok || e.Fields[c.field] == nil || e.Fields[c.field].Key != c.key {
				t.Errorf("%s: got %v, want %s", c.field, err, c.key)
			}
		}
		// The committee leads a committee activity with no team.
		in = f.input(domain.ModeCommittee, 10, start)
		in.TeamID = 0
		if _, err := f.svc.CreateActivity(ctx, f.admin, in); err != nil {
			t.Fatalf("a committee activity: %v", err)
		}
		if _, err := f.svc.CreateActivity(ctx, f.orgAdmin, in); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("an org admin leading a committee activity: %v", err)
		}
	})
}

// TestUpdateActivityCapacityThroughService: lowering the capacity below the
// places taken is a field error; raising it promotes the waitlist in order.
func TestUpdateActivityCapacityThroughService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
		id := f.create(t, f.input(domain.ModeUnit, 3, start))
		vs := f.volunteers(t, f.teamA, 6)
		for i, v := range vs {
			st, err := f.svc.SignUp(ctx, v.Caller, id)
			if want := map[bool]domain.SignupState{true: domain.SignupConfirmed, false: domain.SignupWaitlisted}[i < 3]; err != nil || st != want {
				t.Fatalf("volunteer %d: %s, %v; want %s", i, st, err, want)
			}
		}
		err := f.svc.UpdateActivity(ctx, f.leader, id, f.input(domain.ModeUnit, 2, start))
		if !fieldIs(err, "capacity", "err.activity.capacity_below_taken") {
			t.Fatalf("capacity below the places taken: got %v", err)
		}
		if err := f.svc.UpdateActivity(ctx, f.orgAdmin, id, f.input(domain.ModeUnit, 2, start)); !fieldIs(err, "capacity", "err.activity.capacity_below_taken") {
			t.Fatalf("org admin, capacity below taken: %v", err)
		}
		other := f.volunteers(t, 0, 1)[0]
		if err := f.svc.UpdateActivity(ctx, other.Caller, id, f.input(domain.ModeUnit, 9, start)); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a volunteer edits: %v", err)
		}
		if err := f.svc.UpdateActivity(ctx, f.leader, id, f.input(domain.ModeUnit, 5, start)); err != nil {
			t.Fatal(err)
		}
		for i, v := range vs {
			want := domain.SignupConfirmed
			if i == 5 {
				want = domain.SignupWaitlisted
			}
			if got := f.signupState(t, id, v); got != want {
				t.Fatalf("after raising to 5: volunteer %d is %s, want %s", i, got, want)
			}
		}
		if taken, confirmed, _ := s.CapacityCheck(ctx, id); taken != 5 || confirmed != 5 {
			t.Fatalf("taken %d, confirmed %d", taken, confirmed)
		}
	})
}

// TestSignUpRules: members sign up directly; others are refused, except in
// open mode, where they ask and the organiser decides; cancelling closes at
// the cut-off; nothing after the end.
func TestSignUpRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		start := now.Add(48 * time.Hour)
		unit := f.create(t, f.input(domain.ModeUnit, 2, start))
		open := f.create(t, f.input(domain.ModeOpen, 2, start))
		member := f.volunteers(t, f.teamA, 1)[0]
		outsider := f.volunteers(t, f.teamB, 1)[0]
		loner := f.volunteers(t, 0, 1)[0]

		v, err := f.svc.Activity(ctx, member.Caller, unit)
		if err != nil || !v.CanSignUp || v.CanRequest || v.CanCancel || v.CanManage {
			t.Fatalf("member's view before: %+v, %v", v, err)
		}
		if st, err := f.svc.SignUp(ctx, member.Caller, unit); err != nil || st != domain.SignupConfirmed {
			t.Fatalf("member signs up: %s, %v", st, err)
		}
		if _, err := f.svc.SignUp(ctx, member.Caller, unit); !codeKey(err, domain.CodeConflict, "err.signup.already") {
			t.Fatalf("member signs up twice: %v", err)
		}
		if v, _ := f.svc.Activity(ctx, member.Caller, unit); !v.HasSignup || !v.CanCancel || v.CanSignUp || v.Mine.State != domain.SignupConfirmed {
			t.Fatalf("member's view after: %+v", v)
		}
		if _, err := f.svc.SignUp(ctx, outsider.Caller, unit); !codeKey(err, domain.CodeForbidden, "err.signup.not_member") {
			t.Fatalf("outsider in unit mode: %v", err)
		}
		if v, _ := f.svc.Activity(ctx, outsider.Caller, open); v.CanSignUp || !v.CanRequest {
			t.Fatalf("outsider's view of an open activity: %+v", v)
		}
		if st, err := f.svc.SignUp(ctx, outsider.Caller, open); err != nil || st != domain.SignupRequested {
			t.Fatalf("outsider asks in open mode: %s, %v", st, err)
		}
		if st, err := f.svc.SignUp(ctx, loner.Caller, open); err != nil || st != domain.SignupRequested {
			t.Fatalf("a volunteer of no team asks in open mode: %s, %v", st, err)
		}
		if _, err := f.svc.SignUp(ctx, f.leader, unit); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a leader signs up as a volunteer: %v", err)
		}
		noPerson := domain.Caller{Principal: domain.Principal{UserID: 4242, Grants: []domain.Grant{{Role: domain.RoleVolunteer}}}}
		// A volunteer account linked to no person does not act as a
		// volunteer at all: the policy refuses it before the service looks.
		if _, err := f.svc.SignUp(ctx, noPerson, unit); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("an account with no person: %v, want forbidden", err)
		}
		noPerson.PersonID = linkedPerson // linked, but to nobody on file
		if _, err := f.svc.SignUp(ctx, noPerson, unit); !codeKey(err, domain.CodeConflict, "err.signup.no_person") {
			t.Fatalf("an account whose person is gone: %v", err)
		}
		// The organiser decides; a request of one activity is not found
		// under another.
		g, _, _ := s.PersonSignup(ctx, open, outsider.person)
		if _, err := f.svc.DecideRequest(ctx, f.leader, unit, g.ID, true); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("deciding under another activity: %v", err)
		}
		if _, err := f.svc.DecideRequest(ctx, outsider.Caller, open, g.ID, true); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a volunteer decides: %v", err)
		}
		if st, err := f.svc.DecideRequest(ctx, f.leader, open, g.ID, true); err != nil || st != domain.SignupConfirmed {
			t.Fatalf("approve: %s, %v", st, err)
		}
		if _, err := f.svc.DecideRequest(ctx, f.orgAdmin, open, g.ID, false); !codeKey(err, domain.CodeConflict, "err.signup.decided") {
			t.Fatalf("decide twice: %v", err)
		}
		lg, _, _ := s.PersonSignup(ctx, open, loner.person)
		if st, err := f.svc.DecideRequest(ctx, f.admin, open, lg.ID, false); err != nil || st != domain.SignupRejected {
			t.Fatalf("reject: %s, %v", st, err)
		}
		if _, err := f.svc.SignUp(ctx, loner.Caller, open); !codeKey(err, domain.CodeConflict, "err.signup.rejected") {
			t.Fatalf("asking again after a rejection: %v", err)
		}
		// Cancelling closes at the cut-off (24 h before the start).
		now = start.Add(-25 * time.Hour)
		if err := f.svc.CancelSignup(ctx, member.Caller, unit); err != nil {
			t.Fatalf("cancel before the cut-off: %v", err)
		}
		if st, err := f.svc.SignUp(ctx, member.Caller, unit); err != nil || st != domain.SignupConfirmed {
			t.Fatalf("sign up again: %s, %v", st, err)
		}
		now = start.Add(-23 * time.Hour)
		if err := f.svc.CancelSignup(ctx, member.Caller, unit); !codeKey(err, domain.CodeConflict, "err.signup.cutoff") {
			t.Fatalf("cancel after the cut-off: %v", err)
		}
		if v, _ := f.svc.Activity(ctx, member.Caller, unit); v.CanCancel {
			t.Fatal("the page offers cancelling after the cut-off")
		}
		// Signing up stays open until the end; then it is closed.
		late := f.volunteers(t, f.teamA, 1)[0]
		now = start.Add(2 * time.Hour)
		if st, err := f.svc.SignUp(ctx, late.Caller, unit); err != nil || st != domain.SignupConfirmed {
			t.Fatalf("sign up during the activity: %s, %v", st, err)
		}
		now = start.Add(3 * time.Hour)
		if _, err := f.svc.SignUp(ctx, f.volunteers(t, f.teamA, 1)[0].Caller, unit); !codeKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("sign up at the end: %v", err)
		}
		if _, err := f.svc.SignUp(ctx, member.Caller, 999999); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("sign up for no activity: %v", err)
		}
	})
}

// TestCompleteActivityServesOrder: an activity made from a confirmed order
// carries its group; it cannot be completed before it starts; completing it
// records the hours of those who attended — marked by hand here — and moves
// the order to served; completing twice is a conflict.
func TestCompleteActivityServesOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		var order int64
		err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
			in := f.orderFixture.input()
			in.DateFrom, in.DateTo, in.Channel = "2026-06-03", "2026-06-03", domain.ChannelOnline
			if order, err = tx.CreateOrder(store.NewOrder{Code: "serve1", OrderInput: in}); err != nil {
				return err
			}
			if _, err := tx.TransitionOrder(order, domain.EventAccept, ""); err != nil {
				return err
			}
			return tx.DispatchOrder(order, []store.NewDispatch{{CategoryID: f.cat, TeamID: f.teamA, PersonDays: 3}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ActivityDraftFromOrder(ctx, f.leader, order); !codeKey(err, domain.CodeConflict, "err.activity.order_not_confirmed") {
			t.Fatalf("a draft from a dispatched order: %v", err)
		}
		must(t, s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error { return tx.AnswerDispatch(order, f.teamA, true, "") }))
		in, err := f.svc.ActivityDraftFromOrder(ctx, f.leader, order)
		if err != nil || in.OrderID != order || in.TeamID != f.teamA || in.SiteID != f.site || len(in.CategoryIDs) != 1 {
			t.Fatalf("draft = %+v, %v", in, err)
		}
		// The draft starts at 09:00 China time on the order's first day.
		if want := time.Date(2026, 6, 3, 1, 0, 0, 0, time.UTC); !in.StartsAt.Equal(want) {
			t.Fatalf("draft starts %v, want %v", in.StartsAt, want)
		}
		id := f.create(t, in)
		vs := f.volunteers(t, f.teamA, 3)
		for _, v := range vs[:2] {
			if _, err := f.svc.SignUp(ctx, v.Caller, id); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := f.svc.CompleteActivity(ctx, f.leader, id); !codeKey(err, domain.CodeConflict, "err.activity.not_started") {
			t.Fatalf("complete before the start: %v", err)
		}
		// Marked by hand: vs[0] the whole morning, vs[1] in only (closed at
		// the end automatically); vs[2] never signed up.
		now = in.StartsAt.Add(-30 * time.Minute)
		if already, err := f.svc.MarkAttendance(ctx, f.leader, id, vs[0].person, true); err != nil || already {
			t.Fatalf("mark in: %v, %v", already, err)
		}
		if already, err := f.svc.MarkAttendance(ctx, f.leader, id, vs[0].person, true); err != nil || !already {
			t.Fatalf("mark in again: %v, %v; want already", already, err)
		}
		if _, err := f.svc.MarkAttendance(ctx, f.leader, id, vs[2].person, true); !codeKey(err, domain.CodeConflict, "err.checkin.not_signed_up") {
			t.Fatalf("mark someone not signed up: %v", err)
		}
		if _, err := f.svc.MarkAttendance(ctx, vs[1].Caller, id, vs[1].person, true); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a volunteer marks themselves: %v", err)
		}
		now = in.StartsAt.Add(time.Hour)
		must(t, firstErr(f.svc.MarkAttendance(ctx, f.leader, id, vs[1].person, true)))
		now = in.EndsAt.Add(time.Hour)
		must(t, firstErr(f.svc.MarkAttendance(ctx, f.leader, id, vs[0].person, false)))
		v, err := f.svc.Activity(ctx, f.leader, id)
		if err != nil || !v.CanManage || len(v.Signups) != 2 || v.Signups[0].Minutes != 180 || !v.Signups[0].Attended {
			t.Fatalf("organiser's view: %+v, %v", v.Signups, err)
		}
		n, h, err := f.svc.CompleteActivity(ctx, f.leader, id)
		if err != nil || n != 2 || h != 300 {
			t.Fatalf("complete: %d person-times, %v h, %v; want 2 and 5", n, h, err)
		}
		if o, _ := s.OrderByID(ctx, order); o.State != domain.OrderServed {
			t.Fatalf("order is %s, want served", o.State)
		}
		if _, _, err := f.svc.CompleteActivity(ctx, f.leader, id); !codeKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("complete twice: %v", err)
		}
		if _, err := f.svc.MarkAttendance(ctx, f.leader, id, vs[1].person, false); !codeKey(err, domain.CodeConflict, "err.activity.closed") {
			t.Fatalf("mark after completion: %v", err)
		}
		my, err := f.svc.MyActivities(ctx, vs[0].Caller)
		if err != nil || my.Minutes != 180 || my.Times != 1 || len(my.Past) != 1 || len(my.Upcoming) != 0 {
			t.Fatalf("my service = %+v, %v", my, err)
		}
		if _, err := f.svc.ActivityDraftFromOrder(ctx, f.leader, order); !codeKey(err, domain.CodeConflict, "err.activity.order_not_confirmed") {
			t.Fatalf("a draft from a served order: %v", err)
		}
	})
}

// TestRecordPairChecks: a pair entered by hand needs a check-out after the
// check-in, near the activity's time, for someone signed up.
func TestRecordPairChecks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		start := time.Now().Add(-time.Hour).Truncate(time.Minute)
		id := f.create(t, f.input(domain.ModeUnit, 5, start))
		vs := f.volunteers(t, f.teamA, 2)
		if _, err := f.svc.SignUp(ctx, vs[0].Caller, id); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RecordPair(ctx, f.leader, id, vs[0].person, start, start.Add(-time.Minute)); !fieldIs(err, "check_out", "err.attendance.out_before_in") {
			t.Fatalf("out before in: %v", err)
		}
		if err := f.svc.RecordPair(ctx, f.leader, id, vs[0].person, start.Add(-13*time.Hour), start); !fieldIs(err, "check_in", "err.attendance.far") {
			t.Fatalf("far from the activity: %v", err)
		}
		if err := f.svc.RecordPair(ctx, f.leader, id, vs[1].person, start, start.Add(time.Hour)); !codeKey(err, domain.CodeConflict, "err.checkin.not_signed_up") {
			t.Fatalf("not signed up: %v", err)
		}
		if err := f.svc.RecordPair(ctx, f.leader, id, vs[0].person, start, start.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		v, _ := f.svc.Activity(ctx, f.leader, id)
		if len(v.Attendance) != 1 || v.Attendance[0].MethodIn != domain.MethodManual || v.Signups[0].Minutes != 60 {
			t.Fatalf("attendance = %+v", v.Attendance)
		}
		// The volunteer sees their own pair.
		if mine, _ := f.svc.Activity(ctx, vs[0].Caller, id); len(mine.Attendance) != 1 || mine.CanManage || len(mine.Signups) != 0 {
			t.Fatalf("volunteer's view: %+v", mine)
		}
	})
}

func firstErr(_ bool, err error) error { return err }

// TestParticipatingLeaderRunsOnSiteOnly: the leader of a team taking part,
// who does not organise the activity, may run it on site (the QR code, the
// sign-ups) but not change, cancel or complete it.
func TestParticipatingLeaderRunsOnSiteOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		in := f.input(domain.ModeUnit, 10, time.Now().Add(-time.Hour).Truncate(time.Minute))
		in.TeamIDs = []int64{f.teamB}
		id := f.create(t, in)
		leaderB := domain.Caller{Principal: domain.Principal{UserID: 999999, Username: "leader-b", PersonID: linkedPerson,
			Grants: []domain.Grant{{Role: domain.RoleTeamLeader, ScopeID: f.teamB}}}}
		v, err := f.svc.Activity(ctx, leaderB, id)
		if err != nil || v.CanManage || !v.CanOnsite {
			t.Fatalf("leader B's view: manage %v, on site %v, %v; want on site only", v.CanManage, v.CanOnsite, err)
		}
		if _, _, err := f.svc.CheckinToken(ctx, leaderB, id, service.KindIn); err != nil {
			t.Fatalf("leader B's QR code: %v", err)
		}
		if err := f.svc.UpdateActivity(ctx, leaderB, id, f.input(domain.ModeUnit, 20, in.StartsAt)); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader B edits: %v", err)
		}
		if err := f.svc.CancelActivity(ctx, leaderB, id, "x"); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader B cancels: %v", err)
		}
		if _, _, err := f.svc.CompleteActivity(ctx, leaderB, id); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("leader B completes: %v", err)
		}
		if v, err := f.svc.Activity(ctx, f.leader, id); err != nil || !v.CanManage {
			t.Fatalf("the leading team's leader: manage %v, %v", v.CanManage, err)
		}
	})
}

// TestOpenModeJoinerCreditedToOwnTeam is issue 11's fault: a volunteer of
// another team who joins an open activity was listed under the leading team
// and her hours went to its org. Attendance and hours belong to her own
// team and org (a volunteer of no team: her own org); the activity stays
// the organisers'.
func TestOpenModeJoinerCreditedToOwnTeam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		now := time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		start := now.Add(48 * time.Hour)
		open := f.create(t, f.input(domain.ModeOpen, 5, start))
		member := f.volunteers(t, f.teamA, 1)[0]
		outsider := f.volunteers(t, f.teamB, 1)[0]
		loner := f.volunteers(t, 0, 1)[0]
		must(t, firstErr2(f.svc.SignUp(ctx, member.Caller, open)))
		for _, v := range []volunteer{outsider, loner} {
			if st, err := f.svc.SignUp(ctx, v.Caller, open); err != nil || st != domain.SignupRequested {
				t.Fatalf("request: %s, %v", st, err)
			}
			g, _, _ := s.PersonSignup(ctx, open, v.person)
			must(t, firstErr2(f.svc.DecideRequest(ctx, f.leader, open, g.ID, true)))
		}
		gs, err := s.ActivitySignups(ctx, open)
		must(t, err)
		teams := map[int64]int64{}
		for _, g := range gs {
			teams[g.PersonID] = g.TeamID
		}
		if teams[member.person] != f.teamA || teams[outsider.person] != f.teamB || teams[loner.person] != 0 {
			t.Fatalf("sign-up teams %v; want the member in team A %d, the joiner in her own team B %d, the loner in none",
				teams, f.teamA, f.teamB)
		}
		now = start.Add(4 * time.Hour)
		for i, v := range []volunteer{member, outsider, loner} {
			must(t, f.svc.RecordPair(ctx, f.leader, open, v.person, start, start.Add(time.Duration(i+1)*time.Hour)))
		}
		if _, _, err := f.svc.CompleteActivity(ctx, f.leader, open); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			credit func() (domain.ServiceCredit, error)
			want   domain.Minutes
			times  int
		}{
			{"team A", func() (domain.ServiceCredit, error) { return s.TeamCredit(ctx, f.teamA) }, 60, 1},
			{"team B", func() (domain.ServiceCredit, error) { return s.TeamCredit(ctx, f.teamB) }, 120, 1},
			{"unit B", func() (domain.ServiceCredit, error) { return s.OrgCredit(ctx, f.unitB) }, 120, 1},
			{"unit A (the member and the loner)", func() (domain.ServiceCredit, error) { return s.OrgCredit(ctx, f.unitA) }, 240, 2},
		} {
			got, err := c.credit()
			if err != nil || got.Minutes != c.want || got.PersonTimes != c.times {
				t.Errorf("%s credited %+v, %v; want %d min in %d person-times", c.name, got, err, c.want, c.times)
			}
		}
		// The activity itself is the organisers': all three count in its total.
		if a, _ := s.ActivityByID(ctx, open); a.OrgID != f.unitA || a.Minutes != 360 || a.PersonTimes != 3 {
			t.Fatalf("activity org %d, %d min, %d person-times", a.OrgID, a.Minutes, a.PersonTimes)
		}
	})
}

func firstErr2[A any](_ A, err error) error { return err }
