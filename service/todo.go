package service

import (
	"context"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The to-do list (待办): what waits for the signed-in user, a section per
// role they hold. Each count is one store query over the same condition as
// the list it links to, within the scope of that role's grants alone, so
// that a committee admin who also leads a team sees their team's inbox
// under "team leader", not the whole city's.

// CommitteeTodo is the committee's to-do list.
type CommitteeTodo struct {
	ToReview    int // new orders (submitted)
	Pool        int // orders on the dispatch desk
	Overdue     int // dispatches unanswered past domain.DispatchOverdue
	Declined    int // orders with a declined slot waiting for re-dispatch
	Complaints  int // complaints to answer
	Corrections int // record corrections waiting for a decision
	Today       int // activities today, still scheduled
	// Registrations are self-registrations waiting for approval.
	Registrations     int
	RegistrationsLink string
}

// OrgAdminTodo is an org admin's to-do list, within their subtree.
type OrgAdminTodo struct {
	ToReview    int // new orders of their sites
	Corrections int // record corrections to approve
	Week        int // their teams' activities this week, still scheduled
	// Slots for registrations to approve and certificates applied for;
	// each item shows only when its link is set.
	Registrations           int
	RegistrationsLink       string
	CertificateRequests     int
	CertificateRequestsLink string
	RecordRequests          int // volunteers' requests about their records to decide
}

// LeaderTodo is a team leader's to-do list, for their teams.
type LeaderTodo struct {
	ToAnswer        int            // inbox items waiting for an answer
	Unarranged      []domain.Order // confirmed orders without an activity
	UnarrangedTotal int
	Requests        int               // open-mode requests to join waiting
	Registrations   int               // self-registrations asking to join their teams
	RecordRequests  int               // volunteers' requests about their records to decide
	Today           []domain.Activity // activities today, with their check-in page
	TodayTotal      int
}

// VolunteerTodo is a volunteer's own to-do list.
type VolunteerTodo struct {
	Linked   bool // the account is linked to a person record
	Upcoming int  // sign-ups holding or waiting for a place
	Joinable int  // open activities matching their categories and free time
	Stars    Stars
}

// SiteTodo is a site contact's view of their site's orders.
type SiteTodo struct {
	States    []store.OrderStateCount
	Changed   int  // orders changed since their last look at the work list
	FirstLook bool // they never looked
}

// Todo is the home page: a section per role held, or Waiting for an
// account with no role yet (a registration waiting for approval).
type Todo struct {
	Waiting   bool
	Committee *CommitteeTodo
	OrgAdmin  *OrgAdminTodo
	Leader    *LeaderTodo
	Volunteer *VolunteerTodo
	Site      *SiteTodo
}

// todoListLimit is how many unarranged orders and activities of today the
// home page lists; the count says how many there are.
const todoListLimit = 10

// Now is the platform's clock (the store's, which tests move).
func (s *Service) Now() time.Time { return s.store.Now() }

// DayRange is the window of a calendar filter in China time: "today" is
// today, "week" this week from Monday. ok is false for any other name.
func DayRange(now time.Time, name string) (from, to time.Time, ok bool) {
	y, m, d := now.In(domain.ChinaZone).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, domain.ChinaZone)
	switch name {
	case "today":
		return day, day.AddDate(0, 0, 1), true
	case "week":
		monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		return monday, monday.AddDate(0, 0, 7), true
	}
	return time.Time{}, time.Time{}, false
}

// onlyRole is p with only its grants of role r, for the scope of one
// section of the to-do list.
func onlyRole(p domain.Principal, r domain.Role) domain.Principal {
	q := p
	q.Grants = nil
	for _, g := range p.Grants {
		if g.Role == r {
			q.Grants = append(q.Grants, g)
		}
	}
	return q
}

// Todo computes the caller's to-do list.
func (s *Service) Todo(ctx context.Context, c domain.Caller) (Todo, error) {
	var t Todo
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return t, err
	}
	if len(c.Grants) == 0 {
		t.Waiting = true
		return t, nil
	}
	var err error
	if c.Has(domain.RoleCommitteeAdmin) {
		if t.Committee, err = s.committeeTodo(ctx, c, onlyRole(c.Principal, domain.RoleCommitteeAdmin)); err != nil {
			return t, err
		}
	}
	if c.Has(domain.RoleOrgAdmin) {
		if t.OrgAdmin, err = s.orgAdminTodo(ctx, c, onlyRole(c.Principal, domain.RoleOrgAdmin)); err != nil {
			return t, err
		}
	}
	if c.Has(domain.RoleTeamLeader) {
		if t.Leader, err = s.leaderTodo(ctx, onlyRole(c.Principal, domain.RoleTeamLeader)); err != nil {
			return t, err
		}
	}
	if c.Has(domain.RoleVolunteer) {
		if t.Volunteer, err = s.volunteerTodo(ctx, c); err != nil {
			return t, err
		}
	}
	if c.Has(domain.RoleSiteContact) {
		if t.Site, err = s.siteTodo(ctx, c, onlyRole(c.Principal, domain.RoleSiteContact)); err != nil {
			return t, err
		}
	}
	return t, nil
}

// ordersToReview counts the submitted orders in p's scope.
func (s *Service) ordersToReview(ctx context.Context, c domain.Caller, p domain.Principal) (int, error) {
	f := store.OrderFilter{Scope: domain.ScopeOf(p, domain.ActOrderRead)}
	states, err := s.store.CountOrdersByState(ctx, f, time.Time{}, c.UserID)
	for _, st := range states {
		if st.State == domain.OrderSubmitted {
			return st.Total, err
		}
	}
	return 0, err
}

// scheduledIn counts the scheduled activities starting in a named window
// ("today", "week"), those p organises or takes part in.
func (s *Service) scheduledIn(ctx context.Context, p domain.Principal, window string) (int, error) {
	from, to, _ := DayRange(s.store.Now(), window)
	sc := domain.ScopeOf(p, domain.ActActivityManage)
	return s.store.CountActivities(ctx, store.ActivityFilter{Scope: &sc, From: from, To: to, State: domain.ActivityScheduled})
}

func (s *Service) committeeTodo(ctx context.Context, c domain.Caller, p domain.Principal) (*CommitteeTodo, error) {
	t := &CommitteeTodo{}
	var err error
	if t.ToReview, err = s.ordersToReview(ctx, c, p); err != nil {
		return nil, err
	}
	if t.Pool, err = s.store.CountDispatchPool(ctx); err != nil {
		return nil, err
	}
	if t.Overdue, err = s.store.CountOverdueDispatches(ctx, s.store.Now().Add(-domain.DispatchOverdue).UnixMicro()); err != nil {
		return nil, err
	}
	if t.Declined, err = s.store.CountDeclinedWaiting(ctx); err != nil {
		return nil, err
	}
	if t.Complaints, err = s.store.CountEvaluations(ctx, store.EvaluationFilter{
		Scope: domain.ScopeOf(p, domain.ActComplaintManage), Complaint: store.ComplaintOpen}); err != nil {
		return nil, err
	}
	if t.Corrections, err = s.store.CountPendingCorrections(ctx, domain.ScopeOf(p, domain.ActRecordCorrect)); err != nil {
		return nil, err
	}
	if t.Registrations, err = s.pendingRegistrations(ctx, p); err != nil {
		return nil, err
	}
	t.RegistrationsLink = registrationsLink
	t.Today, err = s.scheduledIn(ctx, p, "today")
	return t, err
}

// registrationsLink is the list the registration counts link to.
const registrationsLink = "/registrations?state=pending"

// pendingRegistrations counts the registrations p may decide.
func (s *Service) pendingRegistrations(ctx context.Context, p domain.Principal) (int, error) {
	return s.store.CountPendingRegistrations(ctx, domain.ScopeOf(p, domain.ActRegistrationApprove))
}

func (s *Service) orgAdminTodo(ctx context.Context, c domain.Caller, p domain.Principal) (*OrgAdminTodo, error) {
	t := &OrgAdminTodo{}
	var err error
	if t.ToReview, err = s.ordersToReview(ctx, c, p); err != nil {
		return nil, err
	}
	if t.Corrections, err = s.store.CountPendingCorrections(ctx, domain.ScopeOf(p, domain.ActRecordCorrect)); err != nil {
		return nil, err
	}
	if t.Registrations, err = s.pendingRegistrations(ctx, p); err != nil {
		return nil, err
	}
	t.RegistrationsLink = registrationsLink
	if t.CertificateRequests, err = s.store.CountCertificateRequests(ctx, domain.ScopeOf(p, domain.ActCertificateIssue)); err != nil {
		return nil, err
	}
	t.CertificateRequestsLink = "/certificates/requests"
	if t.RecordRequests, err = s.store.PendingRequestCount(ctx, domain.ScopeOf(p, domain.ActRecordReview)); err != nil {
		return nil, err
	}
	t.Week, err = s.scheduledIn(ctx, p, "week")
	return t, err
}

func (s *Service) leaderTodo(ctx context.Context, p domain.Principal) (*LeaderTodo, error) {
	t := &LeaderTodo{}
	teams := domain.ScopeOf(p, domain.ActDispatchAnswer).TeamIDs
	var err error
	if t.ToAnswer, err = s.store.CountPendingAnswers(ctx, teams); err != nil {
		return nil, err
	}
	sc := domain.ScopeOf(p, domain.ActActivityManage)
	if t.Unarranged, t.UnarrangedTotal, err = s.store.UnarrangedOrders(ctx, sc, todoListLimit); err != nil {
		return nil, err
	}
	if t.Requests, err = s.store.CountJoinRequests(ctx, store.ActivityFilter{Scope: &sc, State: domain.ActivityScheduled}); err != nil {
		return nil, err
	}
	if t.Registrations, err = s.pendingRegistrations(ctx, p); err != nil {
		return nil, err
	}
	if t.RecordRequests, err = s.store.PendingRequestCount(ctx, domain.ScopeOf(p, domain.ActRecordReview)); err != nil {
		return nil, err
	}
	from, to, _ := DayRange(s.store.Now(), "today")
	t.Today, t.TodayTotal, err = s.store.ListActivities(ctx, store.ActivityFilter{Scope: &sc, From: from, To: to,
		State: domain.ActivityScheduled, Limit: todoListLimit})
	return t, err
}

func (s *Service) volunteerTodo(ctx context.Context, c domain.Caller) (*VolunteerTodo, error) {
	t := &VolunteerTodo{}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return t, nil
	} else if err != nil {
		return nil, err
	}
	t.Linked = true
	if t.Upcoming, err = s.store.CountUpcomingSignups(ctx, p.ID, s.store.Now()); err != nil {
		return nil, err
	}
	joinable, err := s.joinable(ctx, p)
	if err != nil {
		return nil, err
	}
	t.Joinable = len(joinable)
	minutes, err := s.store.PersonMinutes(ctx, p.ID)
	t.Stars = StarsOf(minutes)
	return t, err
}

// joinable is JoinableActivities for a person.
func (s *Service) joinable(ctx context.Context, p domain.Person) ([]domain.Activity, error) {
	list, err := s.store.JoinableActivities(ctx, p.ID, s.store.Now(), p.Willingness, 500)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, a := range list {
		if p.Availability.Fits(a.StartsAt) {
			out = append(out, a)
		}
	}
	return out, nil
}

// JoinableActivities lists the activities the calling volunteer may still
// sign up for or ask to join that match the categories they are willing to
// serve in and the free time they declared (see /me): the volunteer's
// "activities for me". An account with no person record has none.
func (s *Service) JoinableActivities(ctx context.Context, c domain.Caller) ([]domain.Activity, error) {
	if err := domain.Authorize(c.Principal, domain.ActSignup, domain.Target{UserID: c.UserID}); err != nil {
		return nil, err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return s.joinable(ctx, p)
}

func (s *Service) siteTodo(ctx context.Context, c domain.Caller, p domain.Principal) (*SiteTodo, error) {
	seen, err := s.store.SeenAt(ctx, c.UserID, listSeenOrders)
	if err != nil {
		return nil, err
	}
	t := &SiteTodo{FirstLook: seen.IsZero()}
	f := store.OrderFilter{Scope: domain.ScopeOf(p, domain.ActOrderRead)}
	if t.States, err = s.store.CountOrdersByState(ctx, f, seen, c.UserID); err != nil {
		return nil, err
	}
	for _, st := range t.States {
		t.Changed += st.Changed
	}
	return t, nil
}

// UnarrangedOrders lists the confirmed orders the caller may arrange an
// activity for and none is arranged yet, with how many there are: the
// choices of "new activity" and the leader's to-do.
func (s *Service) UnarrangedOrders(ctx context.Context, c domain.Caller) ([]domain.Order, int, error) {
	if err := domain.Authorize(c.Principal, domain.ActActivityManage, domain.Target{}); err != nil {
		return nil, 0, err
	}
	return s.store.UnarrangedOrders(ctx, domain.ScopeOf(c.Principal, domain.ActActivityManage), 200)
}

// DeclinedWaiting returns the ids of the desk's orders with a declined slot
// waiting for re-dispatch.
func (s *Service) DeclinedWaiting(ctx context.Context, c domain.Caller) (map[int64]bool, error) {
	if err := domain.Authorize(c.Principal, domain.ActDispatch, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.DeclinedWaiting(ctx)
}
