package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
)

// Service records: a person's hours per activity (activity_hours holds the
// latest approved version), their versions (record_versions), awards, and the
// evaluations of the orders they served. See migration 009.

const recordColumns = `h.activity_id, a.title, a.org_id, o.name, o.path, COALESCE(a.team_id, 0), COALESCE(t.name, ''),
	COALESCE(a.order_id, 0), a.starts_at, a.ends_at, h.person_id, p.name, h.minutes, h.recorded_at, COALESCE(h.team_id, 0), COALESCE(ct.name, ''), COALESCE(co.path, ''),
	(SELECT COUNT(*) FROM record_versions v WHERE v.activity_id = h.activity_id AND v.person_id = h.person_id),
	(SELECT COUNT(*) FROM record_versions v WHERE v.activity_id = h.activity_id AND v.person_id = h.person_id
		AND v.state = 'pending'),
	(SELECT COUNT(*) FROM record_versions v WHERE v.activity_id = h.activity_id AND v.person_id = h.person_id
		AND v.state = 'approved' AND v.version > 1)`

const recordFrom = ` FROM activity_hours h JOIN activities a ON a.id = h.activity_id JOIN orgs o ON o.id = a.org_id
	LEFT JOIN teams t ON t.id = a.team_id JOIN people p ON p.id = h.person_id
	LEFT JOIN teams ct ON ct.id = h.team_id LEFT JOIN orgs co ON co.id = h.org_id`

func scanRecord(row interface{ Scan(...any) error }) (domain.ServiceRecord, error) {
	var r domain.ServiceRecord
	var starts, ends, recorded int64
	var pending int
	err := row.Scan(&r.ActivityID, &r.ActivityTitle, &r.OrgID, &r.OrgName, &r.OrgPath, &r.TeamID, &r.TeamName,
		&r.OrderID, &starts, &ends, &r.PersonID, &r.PersonName, &r.Minutes, &recorded, &r.CreditTeamID, &r.CreditTeamName, &r.CreditOrgPath, &r.Versions, &pending, &r.Corrections)
	r.StartsAt, r.EndsAt, r.RecordedAt = fromMicros(starts), fromMicros(ends), fromMicros(recorded)
	r.Pending = pending > 0
	if r.Versions == 0 {
		r.Versions = 1 // the original, not yet copied into record_versions
	}
	return r, err
}

// PersonRecords lists a person's records of service, newest activity first,
// with the hours that count now.
func (s *Store) PersonRecords(ctx context.Context, personID int64) ([]domain.ServiceRecord, error) {
	rows, err := s.query(ctx, "SELECT "+recordColumns+recordFrom+
		" WHERE h.person_id = ? ORDER BY a.starts_at DESC, a.id DESC LIMIT 2000", personID)
	if err != nil {
		return nil, fmt.Errorf("person records: %w", err)
	}
	var out []domain.ServiceRecord
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.loadRecordCategories(ctx, out)
}

// loadRecordCategories fills the categories of the records' activities in
// one query.
func (s *Store) loadRecordCategories(ctx context.Context, rs []domain.ServiceRecord) error {
	if len(rs) == 0 {
		return nil
	}
	idx := map[int64][]int{}
	ids := make([]string, 0, len(rs))
	for i, r := range rs {
		if _, seen := idx[r.ActivityID]; !seen {
			ids = append(ids, strconv.FormatInt(r.ActivityID, 10))
		}
		idx[r.ActivityID] = append(idx[r.ActivityID], i)
	}
	// ids are integers from the database.
	rows, err := s.query(ctx, `SELECT ac.activity_id, c.id, c.name_zh, c.name_en FROM activity_categories ac
		JOIN categories c ON c.id = ac.category_id WHERE ac.activity_id IN (`+strings.Join(ids, ",")+`) ORDER BY c.sort, c.id`)
	if err != nil {
		return fmt.Errorf("record categories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var c domain.ActivityCategory
		if err := rows.Scan(&aid, &c.ID, &c.NameZh, &c.NameEn); err != nil {
			return err
		}
		for _, i := range idx[aid] {
			rs[i].Categories = append(rs[i].Categories, c)
		}
	}
	return rows.Err()
}

// ServiceRecord finds one person's record of one activity.
func (s *Store) ServiceRecord(ctx context.Context, activityID, personID int64) (domain.ServiceRecord, error) {
	r, err := scanRecord(s.queryRow(ctx, "SELECT "+recordColumns+recordFrom+" WHERE h.activity_id = ? AND h.person_id = ?",
		activityID, personID))
	if err != nil {
		return r, notFound(err, "err.record.not_found")
	}
	rs := []domain.ServiceRecord{r}
	err = s.loadRecordCategories(ctx, rs)
	return rs[0], err
}

// PersonMinutes returns a person's total service time that counts.
func (s *Store) PersonMinutes(ctx context.Context, personID int64) (domain.Minutes, error) {
	var h domain.Minutes
	err := s.queryRow(ctx, "SELECT COALESCE(SUM(minutes), 0) FROM activity_hours WHERE person_id = ?", personID).Scan(&h)
	return h, err
}

// MinutesOf returns the total service time of each of people in one
// aggregate query, for lists that show star levels; people with none are
// absent from the map.
func (s *Store) MinutesOf(ctx context.Context, people []int64) (map[int64]domain.Minutes, error) {
	out := map[int64]domain.Minutes{}
	if len(people) == 0 {
		return out, nil
	}
	ids := make([]string, len(people))
	for i, id := range people {
		ids[i] = strconv.FormatInt(id, 10) // integers: safe to inline
	}
	rows, err := s.query(ctx, "SELECT person_id, SUM(minutes) FROM activity_hours WHERE person_id IN ("+
		strings.Join(ids, ",")+") GROUP BY person_id")
	if err != nil {
		return nil, fmt.Errorf("hours of people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var h domain.Minutes
		if err := rows.Scan(&id, &h); err != nil {
			return nil, err
		}
		out[id] = h
	}
	return out, rows.Err()
}

const versionColumns = `v.id, v.activity_id, v.person_id, v.version, v.minutes, v.note, v.reason, v.state,
	COALESCE(v.requested_by, 0), v.requested_name, v.requested_at, v.previous_minutes, COALESCE(v.decided_by, 0),
	v.decided_name, v.decided_at, v.decision_note, a.title, p.name, o.name, o.path, COALESCE(a.team_id, 0)`

const versionFrom = ` FROM record_versions v JOIN activities a ON a.id = v.activity_id JOIN orgs o ON o.id = a.org_id
	JOIN people p ON p.id = v.person_id`

func scanVersion(row interface{ Scan(...any) error }) (domain.RecordVersion, error) {
	var v domain.RecordVersion
	var state string
	var requested, decided int64
	err := row.Scan(&v.ID, &v.ActivityID, &v.PersonID, &v.Version, &v.Minutes, &v.Note, &v.Reason, &state,
		&v.RequestedBy, &v.RequestedName, &requested, &v.Previous, &v.DecidedBy, &v.DecidedName, &decided,
		&v.DecisionNote, &v.ActivityTitle, &v.PersonName, &v.OrgName, &v.OrgPath, &v.TeamID)
	v.State, v.RequestedAt, v.DecidedAt = domain.VersionState(state), fromMicros(requested), fromMicros(decided)
	return v, err
}

func (s *Store) versions(ctx context.Context, where string, args ...any) ([]domain.RecordVersion, error) {
	rows, err := s.query(ctx, "SELECT "+versionColumns+versionFrom+" WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("record versions: %w", err)
	}
	defer rows.Close()
	var out []domain.RecordVersion
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// RecordVersions lists every version of a record, the original first. A
// record never corrected has one: the hours recorded on completion.
func (s *Store) RecordVersions(ctx context.Context, r domain.ServiceRecord) ([]domain.RecordVersion, error) {
	vs, err := s.versions(ctx, "v.activity_id = ? AND v.person_id = ? ORDER BY v.version", r.ActivityID, r.PersonID)
	if err != nil || len(vs) > 0 {
		return vs, err
	}
	return []domain.RecordVersion{originalVersion(r)}, nil
}

// originalVersion is version 1 of a record that was never corrected.
func originalVersion(r domain.ServiceRecord) domain.RecordVersion {
	return domain.RecordVersion{ActivityID: r.ActivityID, PersonID: r.PersonID, Version: 1, Minutes: r.Minutes,
		State: domain.VersionApproved, RequestedAt: r.RecordedAt, DecidedAt: r.RecordedAt,
		ActivityTitle: r.ActivityTitle, PersonName: r.PersonName, OrgName: r.OrgName, OrgPath: r.OrgPath, TeamID: r.TeamID}
}

// RecordVersionByID finds one version.
func (s *Store) RecordVersionByID(ctx context.Context, id int64) (domain.RecordVersion, error) {
	v, err := scanVersion(s.queryRow(ctx, "SELECT "+versionColumns+versionFrom+" WHERE v.id = ?", id))
	return v, notFound(err, "err.record.version_not_found")
}

// PendingCorrections lists the corrections waiting for a decision on records
// of activities in scope (by organiser or leading team), oldest first.
func (s *Store) PendingCorrections(ctx context.Context, sc domain.Scope, limit int) ([]domain.RecordVersion, error) {
	cond, args := inScope("o.path", "a.team_id", sc)
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	return s.versions(ctx, "v.state = 'pending' AND "+cond+fmt.Sprintf(" ORDER BY v.requested_at, v.id LIMIT %d", limit), args...)
}

// RequestCorrection records a correction of a record as a new pending
// version, first copying the original into the history when this is the
// record's first correction. One correction may wait at a time.
func (tx *Tx) RequestCorrection(r domain.ServiceRecord, in domain.CorrectionInput, requester string) (int64, error) {
	var current domain.Minutes
	var recorded int64
	if err := tx.queryRow("SELECT minutes, recorded_at FROM activity_hours WHERE activity_id = ? AND person_id = ?",
		r.ActivityID, r.PersonID).Scan(&current, &recorded); err != nil {
		return 0, notFound(err, "err.record.not_found")
	}
	var last int
	if err := tx.queryRow("SELECT COALESCE(MAX(version), 0) FROM record_versions WHERE activity_id = ? AND person_id = ?",
		r.ActivityID, r.PersonID).Scan(&last); err != nil {
		return 0, err
	}
	if last == 0 {
		if _, err := tx.exec(`INSERT INTO record_versions (activity_id, person_id, version, minutes, state, requested_at,
			previous_minutes, decided_at) VALUES (?, ?, 1, ?, 'approved', ?, 0, ?)`,
			r.ActivityID, r.PersonID, int64(current), recorded, recorded); err != nil {
			return 0, fmt.Errorf("copy the original record: %w", err)
		}
		last = 1
	}
	id, err := tx.insert(`INSERT INTO record_versions (activity_id, person_id, version, minutes, note, reason, state,
		requested_by, requested_name, requested_at, previous_minutes) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
		r.ActivityID, r.PersonID, last+1, int64(in.Minutes), in.Note, in.Reason, nullID(tx.actor.UserID), requester,
		micros(tx.now), int64(current))
	if isUniqueViolation(err) {
		return 0, domain.Errorf(domain.CodeConflict, "err.record.pending")
	}
	if err != nil {
		return 0, fmt.Errorf("request correction: %w", err)
	}
	return id, tx.Audit("service_record.correct_request", "service_record", recordID(r.ActivityID, r.PersonID),
		map[string]any{"minutes": current},
		map[string]any{"version": last + 1, "minutes": in.Minutes, "reason": in.Reason, "note": in.Note})
}

// recordID names a record in the audit log: activity/person.
func recordID(activityID, personID int64) string {
	return strconv.FormatInt(activityID, 10) + "/" + strconv.FormatInt(personID, 10)
}

// DecideCorrection approves or rejects a pending correction. Approval makes
// its hours the ones that count. A correction decided meanwhile is a
// conflict.
func (tx *Tx) DecideCorrection(id int64, approve bool, note, decider string) error {
	var activityID, personID int64
	var minutes domain.Minutes
	if err := tx.queryRow("SELECT activity_id, person_id, minutes FROM record_versions WHERE id = ?", id).
		Scan(&activityID, &personID, &minutes); err != nil {
		return notFound(err, "err.record.version_not_found")
	}
	state := domain.VersionRejected
	if approve {
		state = domain.VersionApproved
	}
	res, err := tx.exec(`UPDATE record_versions SET state = ?, decided_by = ?, decided_name = ?, decided_at = ?,
		decision_note = ? WHERE id = ? AND state = 'pending'`,
		string(state), nullID(tx.actor.UserID), decider, micros(tx.now), note, id)
	if err != nil {
		return fmt.Errorf("decide correction: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeConflict, "err.record.decided")
	}
	var before domain.Minutes
	if err := tx.queryRow("SELECT minutes FROM activity_hours WHERE activity_id = ? AND person_id = ?", activityID, personID).
		Scan(&before); err != nil {
		return err
	}
	after := before
	action := "service_record.correct_reject"
	if approve {
		action, after = "service_record.correct_approve", minutes
		if _, err := tx.exec("UPDATE activity_hours SET minutes = ? WHERE activity_id = ? AND person_id = ?",
			int64(minutes), activityID, personID); err != nil {
			return fmt.Errorf("apply correction: %w", err)
		}
		if err := tx.CreditPoints(activityID, personID, PointsCorrection); err != nil {
			return err
		}
		if err := tx.refreshActivityTotals(activityID, activityID); err != nil {
			return err
		}
	}
	return tx.Audit(action, "service_record", recordID(activityID, personID),
		map[string]any{"minutes": before}, map[string]any{"minutes": after, "version_id": id, "note": note})
}

// PersonAwards lists a person's awards, newest first.
func (s *Store) PersonAwards(ctx context.Context, personID int64) ([]domain.Award, error) {
	rows, err := s.query(ctx, `SELECT id, person_id, title, awarded_on, issuer, COALESCE(created_by, 0), created_at
		FROM awards WHERE person_id = ? ORDER BY awarded_on DESC, id DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("awards: %w", err)
	}
	defer rows.Close()
	var out []domain.Award
	for rows.Next() {
		var a domain.Award
		var created int64
		if err := rows.Scan(&a.ID, &a.PersonID, &a.Title, &a.Date, &a.Issuer, &a.CreatedBy, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = fromMicros(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddAward records an award and audits it.
func (tx *Tx) AddAward(a domain.Award) (int64, error) {
	id, err := tx.insert("INSERT INTO awards (person_id, title, awarded_on, issuer, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		a.PersonID, a.Title, a.Date, a.Issuer, nullID(tx.actor.UserID), micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("add award: %w", err)
	}
	return id, tx.Audit("award.create", "person", strconv.FormatInt(a.PersonID, 10), nil,
		map[string]any{"award_id": id, "title": a.Title, "date": a.Date, "issuer": a.Issuer})
}

// RecordEvaluation is the requester's evaluation of an order a person
// served, as their record shows it.
type RecordEvaluation struct {
	ActivityID    int64
	ActivityTitle string
	OrderID       int64
	Rating        int
	Comment       string
	Complaint     bool
	At            time.Time
}

// PersonEvaluations lists the evaluations of the orders whose activities
// the person served in, newest first.
func (s *Store) PersonEvaluations(ctx context.Context, personID int64) ([]RecordEvaluation, error) {
	rows, err := s.query(ctx, `SELECT a.id, a.title, e.order_id, e.rating, e.comment, e.complaint, e.created_at
		FROM activity_hours h JOIN activities a ON a.id = h.activity_id JOIN evaluations e ON e.order_id = a.order_id
		WHERE h.person_id = ? ORDER BY e.created_at DESC, a.id DESC LIMIT 500`, personID)
	if err != nil {
		return nil, fmt.Errorf("person evaluations: %w", err)
	}
	defer rows.Close()
	var out []RecordEvaluation
	for rows.Next() {
		var e RecordEvaluation
		var at int64
		if err := rows.Scan(&e.ActivityID, &e.ActivityTitle, &e.OrderID, &e.Rating, &e.Comment, &e.Complaint, &at); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Replay runs fn as actor with the transaction's clock at t, then restores
// both: the demo city's past is written as it would have happened, audit
// entries included.
func (tx *Tx) Replay(actor domain.Actor, at time.Time, fn func() error) error {
	saveActor, saveNow := tx.actor, tx.now
	tx.actor, tx.now = actor, at.UTC()
	defer func() { tx.actor, tx.now = saveActor, saveNow }()
	return fn()
}

// RecordsOf lists a person's records within the transaction, oldest first,
// without categories.
func (tx *Tx) RecordsOf(personID int64) ([]domain.ServiceRecord, error) {
	rows, err := tx.query("SELECT "+recordColumns+recordFrom+" WHERE h.person_id = ? ORDER BY a.starts_at, a.id", personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ServiceRecord
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TopServers returns up to n people with the most recorded hours, most
// first.
func (tx *Tx) TopServers(n int) ([]int64, error) {
	return tx.ids(`SELECT person_id FROM activity_hours GROUP BY person_id
		ORDER BY SUM(minutes) DESC, person_id LIMIT ?`, n)
}

// UserIDByName finds an account's id within the transaction; 0 when there
// is none.
func (tx *Tx) UserIDByName(username string) (int64, error) {
	var id int64
	err := tx.queryRow("SELECT id FROM users WHERE username = ?", username).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// TeamCredit sums the service credited to a team: the hours its own
// volunteers served, in its activities or in others' open ones.
func (s *Store) TeamCredit(ctx context.Context, teamID int64) (domain.ServiceCredit, error) {
	var c domain.ServiceCredit
	err := s.queryRow(ctx, `SELECT COUNT(DISTINCT person_id), COUNT(*), COALESCE(SUM(minutes), 0)
		FROM activity_hours WHERE team_id = ?`, teamID).Scan(&c.People, &c.PersonTimes, &c.Minutes)
	if err != nil {
		return c, fmt.Errorf("team credit: %w", err)
	}
	return c, nil
}

// OrgCredit sums the service credited to an org and the orgs under it:
// the hours of the volunteers of its teams (or, in no team, its people).
func (s *Store) OrgCredit(ctx context.Context, orgID int64) (domain.ServiceCredit, error) {
	var c domain.ServiceCredit
	var path string
	if err := s.queryRow(ctx, "SELECT path FROM orgs WHERE id = ?", orgID).Scan(&path); err != nil {
		return c, notFound(err, "err.org.not_found")
	}
	lo, hi := subtree(path)
	err := s.queryRow(ctx, `SELECT COUNT(DISTINCT h.person_id), COUNT(*), COALESCE(SUM(h.minutes), 0)
		FROM activity_hours h JOIN orgs o ON o.id = h.org_id WHERE o.path >= ? AND o.path < ?`, lo, hi).
		Scan(&c.People, &c.PersonTimes, &c.Minutes)
	if err != nil {
		return c, fmt.Errorf("org credit: %w", err)
	}
	return c, nil
}
