package service

import (
	"context"
	"errors"
	"sort"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// ActivityTeams lists the teams the caller may organise activities for.
func (s *Service) ActivityTeams(ctx context.Context, c domain.Caller) ([]domain.Team, error) {
	if err := domain.Authorize(c.Principal, domain.ActActivityManage, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.ListTeams(ctx, store.TeamFilter{Scope: domain.ScopeOf(c.Principal, domain.ActActivityManage)})
}

// checkActivityInput normalises and validates in, checks what it refers to,
// authorizes the caller for it and returns the organising org.
func (s *Service) checkActivityInput(ctx context.Context, c domain.Caller, in *domain.ActivityInput) (int64, error) {
	in.Normalize()
	var v domain.Validation
	// Keep every field's fault, not only the first: the form shows them all.
	if e, ok := domain.AsError(in.Validate(s.store.Now())); ok && len(e.Fields) > 0 {
		fields := make([]string, 0, len(e.Fields))
		for f := range e.Fields {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		v.AddErr(e.Fields[e.Field])
		for _, f := range fields {
			v.AddErr(e.Fields[f])
		}
	} else if e != nil {
		v.AddErr(e)
	}
	var orgID int64
	var target domain.Target
	if in.TeamID > 0 {
		t, err := s.store.TeamByID(ctx, in.TeamID)
		if err != nil {
			v.Add("team", "err.team.not_found")
		} else {
			orgID, target = t.OrgID, t.Target()
		}
	} else {
		id, err := s.store.RootOrgID(ctx)
		if err != nil {
			return 0, err
		}
		org, err := s.store.OrgByID(ctx, id)
		if err != nil {
			return 0, err
		}
		orgID, target = org.ID, org.Target()
	}
	for _, id := range in.TeamIDs {
		if _, err := s.store.TeamByID(ctx, id); err != nil {
			v.Add("teams", "err.team.not_found")
			break
		}
	}
	for _, id := range in.CategoryIDs {
		if cat, err := s.store.CategoryByID(ctx, id); err != nil || cat.Retired {
			v.Add("categories", "err.activity.categories")
			break
		}
	}
	if in.SiteID > 0 {
		if _, err := s.store.SiteByID(ctx, in.SiteID); err != nil {
			v.Add("place", "err.site.not_found")
		}
	}
	if in.RegionID > 0 && !s.regionExists(ctx, in.RegionID) {
		v.Add("place", "err.region.not_found")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	if err := domain.Authorize(c.Principal, domain.ActActivityManage, target); err != nil {
		return 0, err
	}
	return orgID, nil
}

// CreateActivity schedules an activity. One made from an order needs the
// order confirmed, and carries its group of teams.
func (s *Service) CreateActivity(ctx context.Context, c domain.Caller, in domain.ActivityInput) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActActivityManage, domain.Target{}); err != nil {
		return 0, err
	}
	if in.OrderID > 0 {
		o, err := s.store.OrderByID(ctx, in.OrderID)
		if err != nil {
			return 0, err
		}
		if o.State != domain.OrderConfirmed {
			return 0, domain.Errorf(domain.CodeConflict, "err.activity.order_not_confirmed", "enum.order_state."+string(o.State))
		}
		teams, err := s.orderGroup(ctx, o.ID)
		if err != nil {
			return 0, err
		}
		if err := s.authorizeOrderActivity(ctx, c, o, teams); err != nil {
			return 0, err
		}
		in.TeamIDs = append(in.TeamIDs, teams...)
	}
	orgID, err := s.checkActivityInput(ctx, c, &in)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.CreateActivity(in, orgID)
		return err
	})
	return id, err
}

// orderGroup returns the teams that confirmed an order.
func (s *Service) orderGroup(ctx context.Context, orderID int64) ([]int64, error) {
	ds, err := s.store.OrderDispatches(ctx, orderID)
	if err != nil {
		return nil, err
	}
	var teams []int64
	for _, d := range ds {
		if d.State == domain.DispatchConfirmed && !hasID(teams, d.TeamID) {
			teams = append(teams, d.TeamID)
		}
	}
	return teams, nil
}

// authorizeOrderActivity checks that the caller may organise the service
// of an order: the committee, an org admin of the order's site, or a leader
// of a team in its group.
func (s *Service) authorizeOrderActivity(ctx context.Context, c domain.Caller, o domain.Order, teams []int64) error {
	targets := []domain.Target{{OrgPath: o.OrgPath, SiteID: o.SiteID}}
	for _, id := range teams {
		t, err := s.store.TeamByID(ctx, id)
		if err != nil {
			return err
		}
		targets = append(targets, t.Target())
	}
	return domain.AuthorizeAny(c.Principal, domain.ActActivityManage, targets)
}

// ActivityDraftFromOrder fills a new activity from a confirmed order: its
// title, categories, place, dates and group of teams.
func (s *Service) ActivityDraftFromOrder(ctx context.Context, c domain.Caller, orderID int64) (domain.ActivityInput, error) {
	if err := domain.Authorize(c.Principal, domain.ActActivityManage, domain.Target{}); err != nil {
		return domain.ActivityInput{}, err
	}
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return domain.ActivityInput{}, err
	}
	if o.State != domain.OrderConfirmed {
		return domain.ActivityInput{}, domain.Errorf(domain.CodeConflict, "err.activity.order_not_confirmed",
			"enum.order_state."+string(o.State))
	}
	teams, err := s.orderGroup(ctx, o.ID)
	if err != nil {
		return domain.ActivityInput{}, err
	}
	if err := s.authorizeOrderActivity(ctx, c, o, teams); err != nil {
		return domain.ActivityInput{}, err
	}
	in := domain.ActivityInput{OrderID: o.ID, Mode: domain.ModeCommittee, SiteID: o.SiteID, RegionID: o.RegionID,
		Address: o.Address, TeamIDs: teams, Capacity: max(1, o.Beneficiaries/20), CancelHours: 24, Description: o.Need}
	if len(teams) > 0 {
		in.TeamID = teams[0]
	}
	for i, it := range o.Items {
		if i == 0 {
			in.Title = it.Title
		}
		in.CategoryIDs = append(in.CategoryIDs, it.CategoryID)
	}
	if d, err := time.ParseInLocation("2006-01-02", o.DateFrom, domain.ChinaZone); err == nil {
		in.StartsAt, in.EndsAt = d.Add(9*time.Hour), d.Add(12*time.Hour)
	}
	in.Capacity = min(max(in.Capacity, 10), domain.MaxActivityCapacity)
	return in, nil
}

// manageActivity loads an activity the caller organises: the committee,
// an org admin above its organiser, or the leading team's leader.
func (s *Service) manageActivity(ctx context.Context, c domain.Caller, id int64) (domain.Activity, error) {
	a, err := s.store.ActivityByID(ctx, id)
	if err != nil {
		return a, err
	}
	return a, domain.Authorize(c.Principal, domain.ActActivityManage, a.Target())
}

// onsiteActivity loads an activity the caller may run on site: its
// organisers and the leaders of every team taking part.
func (s *Service) onsiteActivity(ctx context.Context, c domain.Caller, id int64) (domain.Activity, error) {
	a, err := s.store.ActivityByID(ctx, id)
	if err != nil {
		return a, err
	}
	return a, domain.AuthorizeAny(c.Principal, domain.ActActivityManage, a.Targets())
}

// UpdateActivity changes a scheduled activity. Raising the capacity gives
// the new places to the waitlist.
func (s *Service) UpdateActivity(ctx context.Context, c domain.Caller, id int64, in domain.ActivityInput) error {
	a, err := s.manageActivity(ctx, c, id)
	if err != nil {
		return err
	}
	in.OrderID = a.OrderID
	if _, err := s.checkActivityInput(ctx, c, &in); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := tx.UpdateActivity(id, in); err != nil {
			return err
		}
		if activityMoved(a, in) {
			if err := notifyActivityChanged(tx, a); err != nil {
				return err
			}
		}
		return tx.PromoteWaitlist(id)
	})
}

// CancelActivity calls a scheduled activity off.
func (s *Service) CancelActivity(ctx context.Context, c domain.Caller, id int64, reason string) error {
	a, err := s.manageActivity(ctx, c, id)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := tx.CancelActivity(id, reason); err != nil {
			return err
		}
		return notifyActivityCancelled(tx, a, reason)
	})
}

// CompleteActivity records the hours of everyone who attended and, for an
// activity made from an order, moves the order to served. It cannot happen
// before the activity has started.
func (s *Service) CompleteActivity(ctx context.Context, c domain.Caller, id int64) (int, domain.Minutes, error) {
	a, err := s.manageActivity(ctx, c, id)
	if err != nil {
		return 0, 0, err
	}
	if s.store.Now().Before(a.StartsAt) {
		return 0, 0, domain.Errorf(domain.CodeConflict, "err.activity.not_started")
	}
	var n int
	var h domain.Minutes
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if n, h, err = tx.CompleteActivity(id); err != nil || a.OrderID == 0 {
			return err
		}
		return notifyServed(tx, a.OrderID)
	})
	return n, h, err
}

// ActivityView is an activity as one caller sees it.
type ActivityView struct {
	Activity  domain.Activity
	CanManage bool // organises it: edit, cancel, complete, decide requests
	CanOnsite bool // runs it on site: sign-ups, attendance, the QR code
	// The caller's own place, when they are a volunteer.
	PersonID  int64
	Mine      domain.Signup
	HasSignup bool
	// What the caller may do now.
	CanSignUp  bool // directly, as a member of a team taking part
	CanRequest bool // open mode, from outside the teams
	CanCancel  bool
	// For organisers: everyone's places, attendance and hours.
	Signups []domain.Signup
	// Everyone's check-in/check-out pairs, for organisers; the caller's
	// own for a volunteer.
	Attendance []domain.Attendance
	// Eligibility is age, consent and insurance per person signed up, for
	// organisers (store/minors.go).
	Eligibility map[int64]domain.Eligibility
}

// Activity returns an activity with what the caller may see and do.
func (s *Service) Activity(ctx context.Context, c domain.Caller, id int64) (ActivityView, error) {
	if err := domain.Authorize(c.Principal, domain.ActActivityRead, domain.Target{}); err != nil {
		return ActivityView{}, err
	}
	a, err := s.store.ActivityByID(ctx, id)
	if err != nil {
		return ActivityView{}, err
	}
	v := ActivityView{Activity: a, CanManage: domain.Can(c.Principal, domain.ActActivityManage, a.Target()),
		CanOnsite: domain.AuthorizeAny(c.Principal, domain.ActActivityManage, a.Targets()) == nil}
	if domain.Can(c.Principal, domain.ActSignup, domain.Target{UserID: c.UserID}) {
		if err := s.fillMine(ctx, c, &v); err != nil {
			return v, err
		}
	}
	if v.CanOnsite {
		if v.Signups, err = s.store.ActivitySignups(ctx, id); err != nil {
			return v, err
		}
		if v.Eligibility, err = s.store.RosterEligibility(ctx, id); err != nil {
			return v, err
		}
		att, err := s.store.ActivityAttendance(ctx, id)
		if err != nil {
			return v, err
		}
		v.Attendance = att
		byPerson := map[int64][]domain.Attendance{}
		for _, p := range att {
			byPerson[p.PersonID] = append(byPerson[p.PersonID], p)
		}
		for i, g := range v.Signups {
			v.Signups[i].Attendance = byPerson[g.PersonID]
			v.Signups[i].Attended = len(byPerson[g.PersonID]) > 0
			v.Signups[i].Minutes = domain.AttendedMinutes(a.StartsAt, a.EndsAt, byPerson[g.PersonID])
		}
	}
	return v, nil
}

// fillMine adds the caller's own place and what they may do to v.
func (s *Service) fillMine(ctx context.Context, c domain.Caller, v *ActivityView) error {
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	v.PersonID = p.ID
	g, ok, err := s.store.PersonSignup(ctx, v.Activity.ID, p.ID)
	if err != nil {
		return err
	}
	v.Mine, v.HasSignup = g, ok
	now := s.store.Now()
	open := v.Activity.State == domain.ActivityScheduled && now.Before(v.Activity.EndsAt)
	if ok && g.State.Active() {
		v.CanCancel = v.Activity.CanCancelAt(now)
	} else if open && (!ok || g.State == domain.SignupCancelled) {
		_, member, err := s.signupTeam(ctx, v.Activity, p.ID)
		if err != nil {
			return err
		}
		v.CanSignUp = member
		v.CanRequest = !member && v.Activity.Mode == domain.ModeOpen
	}
	if ok {
		all, err := s.store.ActivityAttendance(ctx, v.Activity.ID)
		if err != nil {
			return err
		}
		for _, a := range all {
			if a.PersonID == p.ID && !v.CanOnsite {
				v.Attendance = append(v.Attendance, a)
			}
		}
	}
	return nil
}

// signupTeam returns the team person signs up with and whether they are a
// member of a team taking part (and so sign up directly). The team is
// always the person's own — attendance and hours belong to the volunteer's
// team and org, the activity to its organisers: one of the activity's teams
// when they are in several, else their first (primary) team, else none, and
// then their own org is credited. A committee activity with no teams takes
// any volunteer directly; in open mode others ask to join.
func (s *Service) signupTeam(ctx context.Context, a domain.Activity, personID int64) (int64, bool, error) {
	ms, err := s.store.PersonTeams(ctx, personID)
	if err != nil {
		return 0, false, err
	}
	var any int64
	for _, m := range ms {
		if m.LeftOn != "" {
			continue
		}
		if any == 0 {
			any = m.TeamID
		}
		if a.HasTeam(m.TeamID) {
			return m.TeamID, true, nil
		}
	}
	if a.Mode == domain.ModeCommittee && len(a.Teams) == 0 && any != 0 {
		return any, true, nil
	}
	return any, false, nil
}

// SignUp gives the calling volunteer a place in an activity, or a place on
// its waitlist when it is full; in open mode a volunteer from outside its
// teams asks to join instead. It returns the state the sign-up ends in.
func (s *Service) SignUp(ctx context.Context, c domain.Caller, activityID int64) (domain.SignupState, error) {
	if err := domain.Authorize(c.Principal, domain.ActSignup, domain.Target{UserID: c.UserID}); err != nil {
		return "", err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return "", domain.Errorf(domain.CodeConflict, "err.signup.no_person")
	}
	a, err := s.store.ActivityByID(ctx, activityID)
	if err != nil {
		return "", err
	}
	if a.State != domain.ActivityScheduled || !s.store.Now().Before(a.EndsAt) {
		return "", domain.Errorf(domain.CodeConflict, "err.activity.closed")
	}
	team, member, err := s.signupTeam(ctx, a, p.ID)
	if err != nil {
		return "", err
	}
	if !member && a.Mode != domain.ModeOpen {
		return "", domain.Errorf(domain.CodeForbidden, "err.signup.not_member")
	}
	var state domain.SignupState
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		state, err = tx.SignUp(activityID, p.ID, team, !member)
		return err
	})
	return state, err
}

// CancelSignup withdraws the calling volunteer's sign-up, until the
// organiser's cut-off.
func (s *Service) CancelSignup(ctx context.Context, c domain.Caller, activityID int64) error {
	if err := domain.Authorize(c.Principal, domain.ActSignup, domain.Target{UserID: c.UserID}); err != nil {
		return err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return domain.Errorf(domain.CodeConflict, "err.signup.no_person")
	}
	a, err := s.store.ActivityByID(ctx, activityID)
	if err != nil {
		return err
	}
	if !a.CanCancelAt(s.store.Now()) {
		return domain.Errorf(domain.CodeConflict, "err.signup.cutoff")
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.CancelSignup(activityID, p.ID) })
}

// DecideRequest approves or rejects an open-mode request to join.
func (s *Service) DecideRequest(ctx context.Context, c domain.Caller, activityID, signupID int64, approve bool) (domain.SignupState, error) {
	if _, err := s.manageActivity(ctx, c, activityID); err != nil {
		return "", err
	}
	g, err := s.store.SignupByID(ctx, signupID)
	if err != nil {
		return "", err
	}
	if g.ActivityID != activityID {
		return "", domain.Errorf(domain.CodeNotFound, "err.signup.not_found")
	}
	var state domain.SignupState
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		state, err = tx.DecideRequest(signupID, approve)
		return err
	})
	return state, err
}

// MarkAttendance checks a signed-up person in or out by hand, for people
// without a phone; it is recorded as marked by hand.
func (s *Service) MarkAttendance(ctx context.Context, c domain.Caller, activityID, personID int64, in bool) (already bool, err error) {
	a, err := s.onsiteActivity(ctx, c, activityID)
	if err != nil {
		return false, err
	}
	if err := s.attendable(ctx, a, personID); err != nil {
		return false, err
	}
	return s.recordAttendance(ctx, c, a.ID, personID, in, domain.MethodManual)
}

// RecordPair enters a whole check-in/check-out pair by hand, as from a
// paper sign-in sheet.
func (s *Service) RecordPair(ctx context.Context, c domain.Caller, activityID, personID int64, in, out time.Time) error {
	a, err := s.onsiteActivity(ctx, c, activityID)
	if err != nil {
		return err
	}
	if err := s.attendable(ctx, a, personID); err != nil {
		return err
	}
	var v domain.Validation
	v.Check(!in.IsZero(), "check_in", "err.activity.time")
	v.Check(!out.IsZero() && out.After(in), "check_out", "err.attendance.out_before_in")
	v.Check(in.IsZero() || (!in.Before(a.StartsAt.Add(-12*time.Hour)) && !in.After(a.EndsAt.Add(12*time.Hour))),
		"check_in", "err.attendance.far")
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.RecordPair(activityID, personID, in, out) })
}

// attendable checks that attendance may be recorded for person: the
// activity is scheduled and they hold a place.
func (s *Service) attendable(ctx context.Context, a domain.Activity, personID int64) error {
	if a.State != domain.ActivityScheduled {
		return domain.Errorf(domain.CodeConflict, "err.activity.closed")
	}
	g, ok, err := s.store.PersonSignup(ctx, a.ID, personID)
	if err != nil {
		return err
	}
	if !ok || g.State != domain.SignupConfirmed {
		return domain.Errorf(domain.CodeConflict, "err.checkin.not_signed_up")
	}
	return nil
}

// recordAttendance writes a check-in or check-out; a repeat of one already
// recorded is not an error: it reports already.
func (s *Service) recordAttendance(ctx context.Context, c domain.Caller, activityID, personID int64, in bool,
	method domain.AttendanceMethod) (already bool, err error) {
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if in {
			return tx.CheckIn(activityID, personID, method)
		}
		return tx.CheckOut(activityID, personID, method)
	})
	if errors.Is(err, store.ErrAlreadyRecorded) {
		return true, nil
	}
	return false, err
}

// MyService is a volunteer's "my service" page: upcoming and past
// activities and total recorded hours.
type MyService struct {
	Person   domain.Person
	Upcoming []store.PersonActivity
	Past     []store.PersonActivity
	Minutes  domain.Minutes
	Times    int // person-times: activities attended
}

// MyActivities returns the caller's own service.
func (s *Service) MyActivities(ctx context.Context, c domain.Caller) (MyService, error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return MyService{}, err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return MyService{}, err
	}
	all, hours, err := s.store.PersonActivities(ctx, p.ID)
	if err != nil {
		return MyService{}, err
	}
	out := MyService{Person: p, Minutes: hours}
	now := s.store.Now()
	for _, pa := range all {
		if pa.Attended {
			out.Times++
		}
		if pa.Activity.State == domain.ActivityScheduled && pa.Activity.EndsAt.After(now) {
			out.Upcoming = append([]store.PersonActivity{pa}, out.Upcoming...) // soonest first
		} else {
			out.Past = append(out.Past, pa)
		}
	}
	return out, nil
}

// Activities lists activities for the calendar and lists: every signed-in
// user sees them all, so that volunteers can find open ones; manage limits
// the list to those the caller organises or takes part in.
func (s *Service) Activities(ctx context.Context, c domain.Caller, f store.ActivityFilter, manage bool) ([]domain.Activity, int, error) {
	if err := domain.Authorize(c.Principal, domain.ActActivityRead, domain.Target{}); err != nil {
		return nil, 0, err
	}
	if manage {
		sc := domain.ScopeOf(c.Principal, domain.ActActivityManage)
		f.Scope = &sc
	}
	return s.store.ListActivities(ctx, f)
}
