package service

import (
	"context"
	"strconv"

	"vanguard/domain"
	"vanguard/store"
)

// Volunteers' own requests about their record (issue 15): a correction of
// the hours, a missing attendance, a missing open-mode activity, or
// declared service outside any activity. The volunteer asks for their own
// person only; the organising org's admins or the deciding team's leader
// approve or decline, and approval writes through the versioned record
// path in one audited transaction.

// AskPage is what a volunteer sees on their requests page.
type AskPage struct {
	Person     domain.Person
	Requests   []domain.RecordRequest
	Records    []domain.ServiceRecord
	Activities []store.AskableActivity
	Teams      []domain.Team
	Today      string
}

// asker finds the caller's own person.
func (s *Service) asker(ctx context.Context, c domain.Caller) (domain.Person, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordAsk, domain.Target{UserID: c.UserID}); err != nil {
		return domain.Person{}, err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return p, err
	}
	return s.withNumber(p), nil
}

// MyRequests returns the caller's requests, with the records, activities
// and teams they may ask about.
func (s *Service) MyRequests(ctx context.Context, c domain.Caller) (AskPage, error) {
	p, err := s.asker(ctx, c)
	if err != nil {
		return AskPage{}, err
	}
	d := AskPage{Person: p, Today: s.chinaToday()}
	if d.Requests, err = s.store.RecordRequests(ctx, store.RequestFilter{PersonID: p.ID, Limit: 200}); err != nil {
		return d, err
	}
	if d.Records, err = s.store.PersonRecords(ctx, p.ID); err != nil {
		return d, err
	}
	if d.Activities, err = s.store.AskableActivities(ctx, p.ID, s.store.Now().AddDate(-1, 0, 0)); err != nil {
		return d, err
	}
	d.Teams, err = s.store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}, NoMembers: true})
	return d, err
}

// AskRecord records the caller's request about their own record.
func (s *Service) AskRecord(ctx context.Context, c domain.Caller, in domain.RequestInput) (int64, error) {
	p, err := s.asker(ctx, c)
	if err != nil {
		return 0, err
	}
	r := domain.RecordRequest{Kind: in.Kind, PersonID: p.ID, ActivityID: in.ActivityID}
	var most domain.Minutes
	switch in.Kind {
	case domain.RequestHours:
		rec, err := s.store.ServiceRecord(ctx, in.ActivityID, p.ID)
		if err != nil {
			return 0, domain.Invalid("activity", "err.record.not_found")
		}
		if rec.Pending {
			return 0, domain.Errorf(domain.CodeConflict, "err.record.pending")
		}
		most, r.Current, r.TeamID, r.OrgID = rec.Scheduled(), rec.Minutes, rec.TeamID, rec.OrgID
		in.Date = domain.ChinaDay(rec.StartsAt)
	case domain.RequestAttendance, domain.RequestActivity:
		if in.ActivityID > 0 {
			as, err := s.store.AskableActivities(ctx, p.ID, s.store.Now().AddDate(-1, 0, 0))
			if err != nil {
				return 0, err
			}
			found := false
			for _, a := range as {
				if a.ID == in.ActivityID {
					found, most, r.TeamID, r.OrgID = true, a.Scheduled(), a.TeamID, a.OrgID
					in.Date, in.Kind, r.Kind = domain.ChinaDay(a.StartsAt), domain.RequestActivity, domain.RequestActivity
					if a.SignedUp {
						in.Kind, r.Kind = domain.RequestAttendance, domain.RequestAttendance
					}
				}
			}
			if !found {
				return 0, domain.Invalid("activity", "err.declare.not_askable")
			}
		}
	case domain.RequestUnscheduled:
		in.ActivityID, r.ActivityID = 0, 0
		if in.TeamID > 0 {
			t, err := s.store.TeamByID(ctx, in.TeamID)
			if err != nil {
				return 0, domain.Invalid("team", "err.declare.team_required")
			}
			r.TeamID, r.OrgID = t.ID, t.OrgID
		}
	}
	if err := in.Validate(s.chinaToday(), most, r.Current); err != nil {
		return 0, err
	}
	r.Date, r.Place, r.Content, r.Minutes, r.Reason, r.Evidence = in.Date, in.Place, in.Content, in.Minutes, in.Reason, in.Evidence
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.AddRecordRequest(r)
		return err
	})
	return id, err
}

// ReviewFilter selects the review queue.
type ReviewFilter struct {
	Kind    domain.RequestKind
	TeamID  int64
	State   domain.AskState
	Flagged bool
}

// ReviewPage is the queue of requests a reviewer decides.
type ReviewPage struct {
	Requests     []domain.RecordRequest
	Flagged      map[int64]bool
	FlagDays     int
	CanSetDays   bool
	Teams        []domain.Team
	CanDecideAny bool
}

// ReviewQueue lists the requests in the caller's scope.
func (s *Service) ReviewQueue(ctx context.Context, c domain.Caller, f ReviewFilter) (ReviewPage, error) {
	if err := domain.Authorize(c.Principal, domain.ActRecordReview, domain.Target{}); err != nil {
		return ReviewPage{}, err
	}
	sc := domain.ScopeOf(c.Principal, domain.ActRecordReview)
	d := ReviewPage{Flagged: map[int64]bool{}, CanSetDays: sc.All}
	var err error
	if d.FlagDays, err = s.store.RequestFlagDays(ctx); err != nil {
		return d, err
	}
	rs, err := s.store.RecordRequests(ctx, store.RequestFilter{Scope: sc, Kind: f.Kind, TeamID: f.TeamID, State: f.State})
	if err != nil {
		return d, err
	}
	now := s.store.Now()
	for _, r := range rs {
		flag := r.Flagged(now, d.FlagDays)
		if f.Flagged && !flag {
			continue
		}
		d.Flagged[r.ID] = flag
		r.VolunteerNo = s.VolunteerNumber(r.PersonID)
		d.Requests = append(d.Requests, r)
		if r.State == domain.AskPending {
			d.CanDecideAny = true
		}
	}
	d.Teams, err = s.store.ListTeams(ctx, store.TeamFilter{Scope: sc, NoMembers: true})
	return d, err
}

// DecideRecordRequest approves or declines one pending request; declining needs
// a reason. The volunteer is told of the decision.
func (s *Service) DecideRecordRequest(ctx context.Context, c domain.Caller, id int64, approve bool, note string) error {
	if err := domain.Authorize(c.Principal, domain.ActRecordReview, domain.Target{}); err != nil {
		return err
	}
	r, err := s.store.RecordRequestByID(ctx, id)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActRecordReview, r.Target()); err != nil {
		return err
	}
	if r.PersonUserID != 0 && r.PersonUserID == c.UserID {
		return domain.Errorf(domain.CodeForbidden, "err.record.own_request")
	}
	if r.State != domain.AskPending {
		return domain.Errorf(domain.CodeConflict, "err.declare.decided")
	}
	note, err = domain.ValidText("note", note, domain.MaxReasonLen)
	if err != nil {
		return err
	}
	if !approve && note == "" {
		return domain.Invalid("note", "err.declare.decline_reason")
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		var got domain.RecordRequest
		if approve {
			got, err = tx.ApproveRecordRequest(id, note, callerName(c))
		} else {
			got, err = tx.DeclineRecordRequest(id, note, callerName(c))
		}
		if err != nil {
			return err
		}
		return notifyRequestDecided(tx, got, approve, note)
	})
}

// notifyRequestDecided tells the volunteer of a decision, with the notice of
// a decided correction.
func notifyRequestDecided(tx *store.Tx, r domain.RecordRequest, approve bool, note string) error {
	state := domain.VersionRejected
	if approve {
		state = domain.VersionApproved
	}
	title := r.ActivityTitle
	if title == "" {
		title = r.Content
	}
	n := store.NewNotification{Event: domain.EventCorrectionDecided, Subject: "record_request:" + strconv.FormatInt(r.ID, 10),
		UserID: r.PersonUserID, Args: []string{title, r.PersonName, "enum.record_version." + string(state), note},
		Link: "/records/requests"}
	if n.UserID == 0 {
		n.PersonID = r.PersonID
	}
	return notifyTx(tx, n)
}

// BulkApproval is what a bulk approval did: how many were approved and why
// each other one failed.
type BulkApproval struct {
	Approved int
	Failed   []BulkApprovalFailure
}

// BulkApprovalFailure is one request a bulk approval could not approve.
type BulkApprovalFailure struct {
	Request domain.RecordRequest
	Err     error
}

// BulkApprove approves each of ids in its own transaction.
func (s *Service) BulkApprove(ctx context.Context, c domain.Caller, ids []int64) (BulkApproval, error) {
	var res BulkApproval
	if err := domain.Authorize(c.Principal, domain.ActRecordReview, domain.Target{}); err != nil {
		return res, err
	}
	for _, id := range ids {
		err := s.DecideRecordRequest(ctx, c, id, true, "")
		if err == nil {
			res.Approved++
			continue
		}
		if domain.ErrCode(err) == domain.CodeInternal {
			return res, err
		}
		r, _ := s.store.RecordRequestByID(ctx, id)
		res.Failed = append(res.Failed, BulkApprovalFailure{Request: r, Err: err})
	}
	return res, nil
}

// SetRequestFlagDays sets after how many days a pending request is flagged;
// the committee only.
func (s *Service) SetRequestFlagDays(ctx context.Context, c domain.Caller, days int) error {
	if !domain.ScopeOf(c.Principal, domain.ActRecordReview).All {
		return domain.Errorf(domain.CodeForbidden, "err.forbidden")
	}
	if days < 1 || days > 365 {
		return domain.Invalid("days", "err.declare.flag_days")
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.SetSetting(store.RequestFlagDaysSetting, strconv.Itoa(days))
	})
}

// PendingRequests counts the requests waiting for the caller, for the to-do.
func (s *Service) PendingRequests(ctx context.Context, c domain.Caller) (int, error) {
	if !domain.Can(c.Principal, domain.ActRecordReview, domain.Target{}) {
		return 0, nil
	}
	return s.store.PendingRequestCount(ctx, domain.ScopeOf(c.Principal, domain.ActRecordReview))
}
