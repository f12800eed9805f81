package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"vanguard/domain"
)

// Record requests (migration 028): a volunteer's own requests about their
// record, decided by the organising org's admins or the team's leader. A
// request is decided once: the decision is one conditional UPDATE on a
// pending row, so a second decision is a conflict; approval then writes the
// record through the versioned path (record_versions) in the same
// transaction, credits points and refreshes the statistics roll-up.

// RequestFlagDaysSetting is the committee's number of days after which a
// pending request is flagged.
const RequestFlagDaysSetting = "records.request_flag_days"

const requestColumns = `r.id, r.kind, r.person_id, p.name, COALESCE(p.user_id, 0), COALESCE(r.activity_id, 0),
	COALESCE(a.title, ''), COALESCE(r.team_id, 0), COALESCE(t.name, ''), r.org_id, o.name, o.path, r.service_date,
	r.place, r.content, r.minutes, r.current_minutes, r.reason, r.evidence, r.state, r.decision_note, r.decided_name,
	r.decided_at, r.created_at`

const requestFrom = ` FROM record_requests r JOIN people p ON p.id = r.person_id JOIN orgs o ON o.id = r.org_id
	LEFT JOIN activities a ON a.id = r.activity_id LEFT JOIN teams t ON t.id = r.team_id`

func scanRequest(row interface{ Scan(...any) error }) (domain.RecordRequest, error) {
	var r domain.RecordRequest
	var kind, state string
	var decided, created int64
	err := row.Scan(&r.ID, &kind, &r.PersonID, &r.PersonName, &r.PersonUserID, &r.ActivityID, &r.ActivityTitle,
		&r.TeamID, &r.TeamName, &r.OrgID, &r.OrgName, &r.OrgPath, &r.Date, &r.Place, &r.Content, &r.Minutes,
		&r.Current, &r.Reason, &r.Evidence, &state, &r.DecisionNote, &r.DecidedName, &decided, &created)
	r.Kind, r.State = domain.RequestKind(kind), domain.AskState(state)
	if decided != 0 {
		r.DecidedAt = fromMicros(decided)
	}
	r.CreatedAt = fromMicros(created)
	return r, err
}

// RequestFilter selects record requests.
type RequestFilter struct {
	Scope    domain.Scope // the deciders' scope; ignored when PersonID is set
	PersonID int64
	Kind     domain.RequestKind
	TeamID   int64
	State    domain.AskState
	Limit    int
}

// RecordRequests lists requests, oldest first for a queue and newest first
// for one person.
func (s *Store) RecordRequests(ctx context.Context, f RequestFilter) ([]domain.RecordRequest, error) {
	where, args := "1=1", []any{}
	order := " ORDER BY r.created_at, r.id"
	if f.PersonID != 0 {
		where, args, order = "r.person_id = ?", []any{f.PersonID}, " ORDER BY r.created_at DESC, r.id DESC"
	} else {
		where, args = inScope("o.path", "r.team_id", f.Scope)
	}
	if f.Kind != "" {
		where, args = where+" AND r.kind = ?", append(args, string(f.Kind))
	}
	if f.TeamID != 0 {
		where, args = where+" AND r.team_id = ?", append(args, f.TeamID)
	}
	if f.State != "" {
		where, args = where+" AND r.state = ?", append(args, string(f.State))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	rows, err := s.query(ctx, "SELECT "+requestColumns+requestFrom+" WHERE "+where+order+fmt.Sprintf(" LIMIT %d", f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("record requests: %w", err)
	}
	defer rows.Close()
	var out []domain.RecordRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RecordRequestByID finds one request.
func (s *Store) RecordRequestByID(ctx context.Context, id int64) (domain.RecordRequest, error) {
	r, err := scanRequest(s.queryRow(ctx, "SELECT "+requestColumns+requestFrom+" WHERE r.id = ?", id))
	return r, notFound(err, "err.declare.not_found")
}

// PendingRequestCount counts the requests waiting in a scope, for the to-do.
func (s *Store) PendingRequestCount(ctx context.Context, sc domain.Scope) (int, error) {
	cond, args := inScope("o.path", "r.team_id", sc)
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM record_requests r JOIN orgs o ON o.id = r.org_id WHERE r.state = 'pending' AND "+
		cond, args...).Scan(&n)
	return n, err
}

// RequestFlagDays reads the committee's flag days; the default until set.
func (s *Store) RequestFlagDays(ctx context.Context) (int, error) {
	v, ok, err := s.Setting(ctx, RequestFlagDaysSetting)
	if err != nil || !ok {
		return domain.DefaultFlagDays, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return domain.DefaultFlagDays, nil
	}
	return n, nil
}

// AddRecordRequest records a pending request; another pending one for the
// same activity and person is a conflict.
func (tx *Tx) AddRecordRequest(r domain.RecordRequest) (int64, error) {
	id, err := tx.insert(`INSERT INTO record_requests (kind, person_id, activity_id, team_id, org_id, service_date, place,
		content, minutes, current_minutes, reason, evidence, state, requested_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
		string(r.Kind), r.PersonID, nullID(r.ActivityID), nullID(r.TeamID), r.OrgID, r.Date, r.Place, r.Content,
		int64(r.Minutes), int64(r.Current), r.Reason, r.Evidence, nullID(tx.actor.UserID), micros(tx.now))
	if isUniqueViolation(err) {
		return 0, domain.Errorf(domain.CodeConflict, "err.declare.pending")
	}
	if err != nil {
		return 0, fmt.Errorf("add record request: %w", err)
	}
	return id, tx.Audit("record_request.create", "record_request", strconv.FormatInt(id, 10), nil,
		map[string]any{"kind": r.Kind, "person_id": r.PersonID, "activity_id": r.ActivityID, "team_id": r.TeamID,
			"date": r.Date, "minutes": r.Minutes, "reason": r.Reason})
}

// decideRequest moves a pending request to state; a request decided
// meanwhile is a conflict.
func (tx *Tx) decideRequest(id int64, state domain.AskState, note, decider string) (domain.RecordRequest, error) {
	res, err := tx.exec(`UPDATE record_requests SET state = ?, decision_note = ?, decided_by = ?, decided_name = ?,
		decided_at = ? WHERE id = ? AND state = 'pending'`,
		string(state), note, nullID(tx.actor.UserID), decider, micros(tx.now), id)
	if err != nil {
		return domain.RecordRequest{}, fmt.Errorf("decide record request: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.RecordRequest{}, domain.Errorf(domain.CodeConflict, "err.declare.decided")
	}
	r, err := scanRequest(tx.queryRow("SELECT "+requestColumns+requestFrom+" WHERE r.id = ?", id))
	return r, notFound(err, "err.declare.not_found")
}

// DeclineRecordRequest declines a pending request with a reason; the request
// stays.
func (tx *Tx) DeclineRecordRequest(id int64, note, decider string) (domain.RecordRequest, error) {
	r, err := tx.decideRequest(id, domain.AskDeclined, note, decider)
	if err != nil {
		return r, err
	}
	return r, tx.Audit("record_request.decline", "record_request", strconv.FormatInt(id, 10),
		map[string]any{"state": domain.AskPending}, map[string]any{"state": domain.AskDeclined, "note": note})
}

// ApproveRecordRequest approves a pending request and writes the record it
// asks for: a correction version (hours), a new record with its version 1
// (attendance, activity), or a completed declared activity with its record
// (unscheduled). It returns the request as approved, with the activity of
// its record.
func (tx *Tx) ApproveRecordRequest(id int64, note, decider string) (domain.RecordRequest, error) {
	r, err := tx.decideRequest(id, domain.AskApproved, note, decider)
	if err != nil {
		return r, err
	}
	switch r.Kind {
	case domain.RequestHours:
		err = tx.approveHours(r, note, decider)
	case domain.RequestAttendance, domain.RequestActivity:
		err = tx.addRequestedRecord(r, note, decider, PointsCorrection)
	case domain.RequestUnscheduled:
		if r.ActivityID, err = tx.addDeclaredActivity(r); err == nil {
			if _, err = tx.exec("UPDATE record_requests SET activity_id = ? WHERE id = ?", r.ActivityID, r.ID); err == nil {
				err = tx.addRequestedRecord(r, note, decider, PointsDeclared)
			}
		}
	}
	if err != nil {
		return r, err
	}
	return r, tx.Audit("record_request.approve", "record_request", strconv.FormatInt(id, 10),
		map[string]any{"state": domain.AskPending},
		map[string]any{"state": domain.AskApproved, "activity_id": r.ActivityID, "minutes": r.Minutes, "note": note})
}

// approveHours corrects a record's hours through the versioned path: a
// version asked for in the volunteer's name, decided by the reviewer.
func (tx *Tx) approveHours(r domain.RecordRequest, note, decider string) error {
	rec := domain.ServiceRecord{ActivityID: r.ActivityID, PersonID: r.PersonID}
	vid, err := tx.RequestCorrection(rec, domain.CorrectionInput{Minutes: r.Minutes, Reason: r.Reason, Note: r.Evidence}, r.PersonName)
	if err != nil {
		return err
	}
	return tx.DecideCorrection(vid, true, note, decider)
}

// addRequestedRecord writes the record a request asks for, credited as
// CompleteActivity credits it (the sign-up's team and org, else the
// person's org), with its approved version 1, points and totals.
func (tx *Tx) addRequestedRecord(r domain.RecordRequest, note, decider, cause string) error {
	a, p := r.ActivityID, r.PersonID
	_, err := tx.exec(`INSERT INTO activity_hours (activity_id, person_id, team_id, org_id, minutes, recorded_at)
		VALUES (?, ?, (SELECT team_id FROM signups WHERE activity_id = ? AND person_id = ?),
		COALESCE((SELECT org_id FROM signups WHERE activity_id = ? AND person_id = ?), (SELECT org_id FROM people WHERE id = ?)), ?, ?)`,
		a, p, a, p, a, p, p, int64(r.Minutes), micros(tx.now))
	if isUniqueViolation(err) {
		return domain.Errorf(domain.CodeConflict, "err.declare.has_record")
	}
	if err != nil {
		return fmt.Errorf("record requested hours: %w", err)
	}
	if _, err := tx.exec(`INSERT INTO record_versions (activity_id, person_id, version, minutes, note, reason, state,
		requested_by, requested_name, requested_at, previous_minutes, decided_by, decided_name, decided_at, decision_note)
		VALUES (?, ?, 1, ?, ?, ?, 'approved', ?, ?, ?, 0, ?, ?, ?, ?)`,
		a, p, int64(r.Minutes), r.Evidence, r.Reason, nullID(r.PersonUserID), r.PersonName, micros(r.CreatedAt),
		nullID(tx.actor.UserID), decider, micros(tx.now), note); err != nil {
		return fmt.Errorf("record version 1: %w", err)
	}
	if err := tx.CreditPoints(a, p, cause); err != nil {
		return err
	}
	if err := tx.refreshActivityTotals(a, a); err != nil {
		return err
	}
	return tx.Audit("service_record.create", "service_record", recordID(a, p), nil,
		map[string]any{"minutes": r.Minutes, "request_id": r.ID, "kind": r.Kind})
}

// addDeclaredActivity creates the completed activity of approved
// unscheduled service: the chosen team's, on the day, for the minutes
// claimed, marked declared.
func (tx *Tx) addDeclaredActivity(r domain.RecordRequest) (int64, error) {
	day, err := time.ParseInLocation("2006-01-02", r.Date, domain.ChinaZone)
	if err != nil {
		return 0, domain.Invalid("date", "err.date_format")
	}
	starts := day.Add(9 * time.Hour)
	ends := starts.Add(r.Minutes.Duration())
	now := micros(tx.now)
	id, err := tx.insert(`INSERT INTO activities (title, mode, state, org_id, team_id, address, starts_at, ends_at,
		cancel_cutoff, capacity, description, created_by, created_at, updated_at, completed_at, declared)
		VALUES (?, 'unit', 'completed', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
		r.Content, r.OrgID, nullID(r.TeamID), r.Place, micros(starts), micros(ends), micros(starts), r.Reason,
		nullID(tx.actor.UserID), now, now, now, true)
	if err != nil {
		return 0, fmt.Errorf("declared activity: %w", err)
	}
	if r.TeamID != 0 {
		if _, err := tx.exec("INSERT INTO activity_teams (activity_id, team_id) VALUES (?, ?)", id, r.TeamID); err != nil {
			return 0, err
		}
	}
	return id, tx.Audit("activity.declare", "activity", strconv.FormatInt(id, 10), nil,
		map[string]any{"title": r.Content, "team_id": r.TeamID, "date": r.Date, "request_id": r.ID})
}

// AskableActivity is an activity a volunteer may ask to be recorded for.
type AskableActivity struct {
	ID       int64
	Title    string
	TeamID   int64
	TeamName string
	OrgID    int64
	OrgPath  string
	StartsAt time.Time
	EndsAt   time.Time
	Mode     domain.ActivityMode
	SignedUp bool
}

// Scheduled is the activity's length.
func (a AskableActivity) Scheduled() domain.Minutes {
	return domain.MinutesIn(a.EndsAt.Sub(a.StartsAt))
}

// AskableActivities lists the ended activities of the last year a person
// has no record of: those they signed up for (confirmed), and open-mode
// ones, newest first.
func (s *Store) AskableActivities(ctx context.Context, personID int64, since time.Time) ([]AskableActivity, error) {
	rows, err := s.query(ctx, `SELECT a.id, a.title, COALESCE(a.team_id, 0), COALESCE(t.name, ''), a.org_id, o.path,
		a.starts_at, a.ends_at, a.mode, CASE WHEN g.id IS NULL THEN 0 ELSE 1 END
		FROM activities a JOIN orgs o ON o.id = a.org_id LEFT JOIN teams t ON t.id = a.team_id
		LEFT JOIN signups g ON g.activity_id = a.id AND g.person_id = ? AND g.state = 'confirmed'
		WHERE a.ends_at <= ? AND a.starts_at >= ? AND a.state <> 'cancelled' AND (g.id IS NOT NULL OR a.mode = 'open')
		AND NOT EXISTS (SELECT 1 FROM activity_hours h WHERE h.activity_id = a.id AND h.person_id = ?)
		ORDER BY a.starts_at DESC, a.id DESC LIMIT 300`, personID, micros(s.now()), micros(since), personID)
	if err != nil {
		return nil, fmt.Errorf("askable activities: %w", err)
	}
	defer rows.Close()
	var out []AskableActivity
	for rows.Next() {
		var a AskableActivity
		var starts, ends int64
		var mode string
		var signed int
		if err := rows.Scan(&a.ID, &a.Title, &a.TeamID, &a.TeamName, &a.OrgID, &a.OrgPath, &starts, &ends, &mode, &signed); err != nil {
			return nil, err
		}
		a.StartsAt, a.EndsAt, a.Mode, a.SignedUp = fromMicros(starts), fromMicros(ends), domain.ActivityMode(mode), signed == 1
		out = append(out, a)
	}
	return out, rows.Err()
}

// ActivityDeclared reports whether an activity was created by approving
// declared service.
func (s *Store) ActivityDeclared(ctx context.Context, id int64) (bool, error) {
	var d bool
	err := s.queryRow(ctx, "SELECT declared FROM activities WHERE id = ?", id).Scan(&d)
	return d, notFound(err, "err.activity.not_found")
}
