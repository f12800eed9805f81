package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"vanguard/domain"
)

const activityColumns = `a.id, a.title, a.mode, a.state, a.org_id, o.name, o.path, COALESCE(a.team_id, 0),
	COALESCE(t.name, ''), COALESCE(a.order_id, 0), COALESCE(a.site_id, 0), COALESCE(s.name, ''),
	COALESCE(a.region_id, 0), COALESCE(r.name, ''), a.address, a.starts_at, a.ends_at, a.cancel_cutoff,
	a.capacity, a.taken, a.skills, a.description, a.created_at, a.updated_at, a.completed_at,
	a.release_unconfirmed_hours`

const activityFrom = ` FROM activities a JOIN orgs o ON o.id = a.org_id LEFT JOIN teams t ON t.id = a.team_id
	LEFT JOIN sites s ON s.id = a.site_id LEFT JOIN regions r ON r.id = a.region_id`

func scanActivity(row interface{ Scan(...any) error }, extra ...any) (domain.Activity, error) {
	var a domain.Activity
	var mode, state, skills string
	var starts, ends, cutoff, created, updated, completed int64
	err := row.Scan(append([]any{&a.ID, &a.Title, &mode, &state, &a.OrgID, &a.OrgName, &a.OrgPath, &a.TeamID,
		&a.TeamName, &a.OrderID, &a.SiteID, &a.SiteName, &a.RegionID, &a.RegionName, &a.Address,
		&starts, &ends, &cutoff, &a.Capacity, &a.Taken, &skills, &a.Description, &created, &updated, &completed,
		&a.ReleaseHours},
		extra...)...)
	a.Mode, a.State = domain.ActivityMode(mode), domain.ActivityState(state)
	a.StartsAt, a.EndsAt, a.CancelCutoff = fromMicros(starts), fromMicros(ends), fromMicros(cutoff)
	a.CreatedAt, a.UpdatedAt, a.CompletedAt = fromMicros(created), fromMicros(updated), fromMicros(completed)
	if skills != "" {
		a.Skills = strings.Split(skills, "\n")
	}
	return a, err
}

// ActivityByID finds an activity with its categories and teams.
func (s *Store) ActivityByID(ctx context.Context, id int64) (domain.Activity, error) {
	a, err := scanActivity(s.queryRow(ctx, "SELECT "+activityColumns+activityFrom+" WHERE a.id = ?", id))
	if err != nil {
		return a, notFound(err, "err.activity.not_found")
	}
	as := []domain.Activity{a}
	if err := s.loadActivityDetails(ctx, as); err != nil {
		return a, err
	}
	as[0].Requirements, err = s.ActivityRequirementsOf(ctx, id)
	return as[0], err
}

// loadActivityDetails fills the categories, teams and counts of as.
func (s *Store) loadActivityDetails(ctx context.Context, as []domain.Activity) error {
	if len(as) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ids := make([]string, len(as))
	for i, a := range as {
		idx[a.ID] = i
		ids[i] = strconv.FormatInt(a.ID, 10)
	}
	in := strings.Join(ids, ",") // ids are integers from the database
	rows, err := s.query(ctx, `SELECT ac.activity_id, c.id, c.name_zh, c.name_en FROM activity_categories ac
		JOIN categories c ON c.id = ac.category_id WHERE ac.activity_id IN (`+in+`) ORDER BY c.sort, c.id`)
	if err != nil {
		return fmt.Errorf("activity categories: %w", err)
	}
	for rows.Next() {
		var aid int64
		var c domain.ActivityCategory
		if err := rows.Scan(&aid, &c.ID, &c.NameZh, &c.NameEn); err != nil {
			rows.Close()
			return err
		}
		as[idx[aid]].Categories = append(as[idx[aid]].Categories, c)
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT at.activity_id, t.id, t.name, o.path FROM activity_teams at
		JOIN teams t ON t.id = at.team_id JOIN orgs o ON o.id = t.org_id
		WHERE at.activity_id IN (`+in+`) ORDER BY t.name`)
	if err != nil {
		return fmt.Errorf("activity teams: %w", err)
	}
	for rows.Next() {
		var aid int64
		var t domain.ActivityTeam
		if err := rows.Scan(&aid, &t.ID, &t.Name, &t.OrgPath); err != nil {
			rows.Close()
			return err
		}
		as[idx[aid]].Teams = append(as[idx[aid]].Teams, t)
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT activity_id, state, COUNT(*) FROM signups
		WHERE activity_id IN (`+in+`) AND state IN ('waitlisted', 'requested') GROUP BY activity_id, state`)
	if err != nil {
		return fmt.Errorf("activity counts: %w", err)
	}
	for rows.Next() {
		var aid int64
		var state string
		var n int
		if err := rows.Scan(&aid, &state, &n); err != nil {
			rows.Close()
			return err
		}
		if domain.SignupState(state) == domain.SignupWaitlisted {
			as[idx[aid]].Waitlisted = n
		} else {
			as[idx[aid]].Requested = n
		}
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT activity_id, COUNT(*), COALESCE(SUM(minutes), 0) FROM activity_hours
		WHERE activity_id IN (`+in+`) GROUP BY activity_id`)
	if err != nil {
		return fmt.Errorf("activity hours: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var n int
		var m domain.Minutes
		if err := rows.Scan(&aid, &n, &m); err != nil {
			return err
		}
		as[idx[aid]].PersonTimes, as[idx[aid]].Minutes = n, m
	}
	return rows.Err()
}

// ActivityKey is an activity's place in a list: when it starts, and its id.
type ActivityKey struct {
	StartsAt time.Time
	ID       int64
}

// ActivityFilter selects activities for lists and the calendar.
type ActivityFilter struct {
	Scope    *domain.Scope // nil: every activity; else those the scope manages
	From, To time.Time     // starts within [From, To); zero: open
	// RunningAt, with From, also keeps activities that started before From
	// and are still running at this time (one that began before midnight).
	RunningAt  time.Time
	TeamID     int64  // taking part
	OrgPath    string // organised within this subtree
	RegionPath string // held in this region or below
	CategoryID int64
	Mode       domain.ActivityMode
	State      domain.ActivityState
	OrderID    int64
	Desc       bool // newest first
	Limit      int
	Offset     int
	// After, when its ID is set, keeps the activities after this one in
	// the list's order (a cursor for the JSON API; ascending order only).
	After ActivityKey
	// Requests keeps activities with open-mode requests to join waiting;
	// with a Scope, only those the scope organises (its org subtree or the
	// leading team), who alone may decide them.
	Requests bool
}

func activityCond(f ActivityFilter) (string, []any) {
	var conds []string
	var args []any
	if f.Scope != nil && f.Requests {
		c, a := inScope("o.path", "a.team_id", *f.Scope)
		conds, args = append(conds, c), append(args, a...)
	} else if f.Scope != nil {
		c, a := inScope("o.path", "", *f.Scope)
		var team []string
		for _, id := range f.Scope.TeamIDs {
			team = append(team, "?")
			a = append(a, id)
		}
		if len(team) > 0 {
			c = "(" + c + " OR a.id IN (SELECT activity_id FROM activity_teams WHERE team_id IN (" +
				strings.Join(team, ",") + ")))"
		}
		conds, args = append(conds, c), append(args, a...)
	}
	if !f.From.IsZero() && !f.RunningAt.IsZero() {
		conds, args = append(conds, "(a.starts_at >= ? OR a.ends_at > ?)"), append(args, micros(f.From), micros(f.RunningAt))
	} else if !f.From.IsZero() {
		conds, args = append(conds, "a.starts_at >= ?"), append(args, micros(f.From))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "a.starts_at < ?"), append(args, micros(f.To))
	}
	if f.TeamID > 0 {
		conds = append(conds, "a.id IN (SELECT activity_id FROM activity_teams WHERE team_id = ?)")
		args = append(args, f.TeamID)
	}
	if f.OrgPath != "" {
		lo, hi := subtree(f.OrgPath)
		conds, args = append(conds, "o.path >= ? AND o.path < ?"), append(args, lo, hi)
	}
	if f.RegionPath != "" {
		lo, hi := subtree(f.RegionPath)
		conds = append(conds, `(r.path >= ? AND r.path < ? OR a.site_id IN (SELECT s2.id FROM sites s2
			JOIN regions r2 ON r2.id = s2.region_id WHERE r2.path >= ? AND r2.path < ?))`)
		args = append(args, lo, hi, lo, hi)
	}
	if f.CategoryID > 0 {
		conds = append(conds, "a.id IN (SELECT activity_id FROM activity_categories WHERE category_id = ?)")
		args = append(args, f.CategoryID)
	}
	if f.Mode != "" {
		conds, args = append(conds, "a.mode = ?"), append(args, string(f.Mode))
	}
	if f.State != "" {
		conds, args = append(conds, "a.state = ?"), append(args, string(f.State))
	}
	if f.OrderID > 0 {
		conds, args = append(conds, "a.order_id = ?"), append(args, f.OrderID)
	}
	if f.Requests {
		conds = append(conds, "a.id IN (SELECT activity_id FROM signups WHERE state = 'requested')")
	}
	if f.After.ID != 0 {
		at := micros(f.After.StartsAt)
		conds = append(conds, "(a.starts_at > ? OR (a.starts_at = ? AND a.id > ?))")
		args = append(args, at, at, f.After.ID)
	}
	if len(conds) == 0 {
		return "1=1", nil
	}
	return strings.Join(conds, " AND "), args
}

// ListActivities returns activities matching f by start time, and how many
// match in all.
func (s *Store) ListActivities(ctx context.Context, f ActivityFilter) ([]domain.Activity, int, error) {
	cond, args := activityCond(f)
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*)"+activityFrom+" WHERE "+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count activities: %w", err)
	}
	order := "a.starts_at, a.id"
	if f.Desc {
		order = "a.starts_at DESC, a.id DESC"
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.query(ctx, "SELECT "+activityColumns+activityFrom+" WHERE "+cond+" ORDER BY "+order+
		" LIMIT ? OFFSET ?", append(args, limit, max(0, f.Offset))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list activities: %w", err)
	}
	var out []domain.Activity
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, s.loadActivityDetails(ctx, out)
}

// CreateActivity inserts an activity with its categories and teams and
// audits it. in must be validated and normalised; orgID is the organiser.
func (tx *Tx) CreateActivity(in domain.ActivityInput, orgID int64) (int64, error) {
	now := micros(tx.now)
	id, err := tx.insert(`INSERT INTO activities (title, mode, state, org_id, team_id, order_id, site_id, region_id,
		address, starts_at, ends_at, cancel_cutoff, capacity, skills, description, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.Title, string(in.Mode), string(domain.ActivityScheduled), orgID, nullID(in.TeamID), nullID(in.OrderID),
		nullID(in.SiteID), nullID(in.RegionID), in.Address, micros(in.StartsAt), micros(in.EndsAt),
		micros(in.CancelCutoff(tx.now)), in.Capacity, strings.Join(in.Skills, "\n"), in.Description,
		nullID(tx.actor.UserID), now, now)
	if err != nil {
		return 0, fmt.Errorf("create activity: %w", err)
	}
	// The release setting (migration 024) is set apart, so that the insert
	// also serves the upgrade tests that run it on an older schema.
	if in.ReleaseHours != 0 {
		if _, err := tx.exec("UPDATE activities SET release_unconfirmed_hours = ? WHERE id = ?", in.ReleaseHours, id); err != nil {
			return 0, fmt.Errorf("create activity: %w", err)
		}
	}
	if err := tx.setActivityLinks(id, in); err != nil {
		return 0, err
	}
	// A new activity's columns default to no requirement; writing them only
	// when set keeps a load into an earlier migration working.
	if err := tx.setActivityRequirements(id, in.Requirements, false); err != nil {
		return 0, err
	}
	return id, tx.Audit("activity.create", "activity", strconv.FormatInt(id, 10), nil, activitySummary(in))
}

func (tx *Tx) setActivityLinks(id int64, in domain.ActivityInput) error {
	if _, err := tx.exec("DELETE FROM activity_categories WHERE activity_id = ?", id); err != nil {
		return err
	}
	if _, err := tx.exec("DELETE FROM activity_teams WHERE activity_id = ?", id); err != nil {
		return err
	}
	for _, c := range in.CategoryIDs {
		if _, err := tx.exec("INSERT INTO activity_categories (activity_id, category_id) VALUES (?, ?)", id, c); err != nil {
			return fmt.Errorf("activity category: %w", err)
		}
	}
	for _, t := range in.TeamIDs {
		if _, err := tx.exec("INSERT INTO activity_teams (activity_id, team_id) VALUES (?, ?)", id, t); err != nil {
			return fmt.Errorf("activity team: %w", err)
		}
	}
	return nil
}

func activitySummary(in domain.ActivityInput) map[string]any {
	return map[string]any{"title": in.Title, "mode": in.Mode, "team_id": in.TeamID, "order_id": in.OrderID,
		"site_id": in.SiteID, "region_id": in.RegionID, "address": in.Address,
		"starts_at": in.StartsAt.Format(time.RFC3339), "ends_at": in.EndsAt.Format(time.RFC3339),
		"capacity": in.Capacity, "cancel_hours": in.CancelHours, "categories": in.CategoryIDs, "teams": in.TeamIDs,
		"release_hours": in.ReleaseHours, "min_age": in.Requirements.MinAge,
		"requires_insurance": in.Requirements.RequiresInsurance}
}

// UpdateActivity changes a scheduled activity. The capacity may not drop
// below the places already taken: the conditional update refuses it.
func (tx *Tx) UpdateActivity(id int64, in domain.ActivityInput) error {
	before, err := tx.activityBefore(id)
	if err != nil {
		return err
	}
	// The cut-off's grace runs from when the activity was published, or from
	// now when its start moves.
	var created, starts int64
	if err := tx.queryRow("SELECT created_at, starts_at FROM activities WHERE id = ?", id).Scan(&created, &starts); err != nil {
		return notFound(err, "err.activity.not_found")
	}
	published := fromMicros(created)
	if starts != micros(in.StartsAt) {
		published = tx.now
	}
	res, err := tx.exec(`UPDATE activities SET title = ?, mode = ?, team_id = ?, site_id = ?, region_id = ?,
		address = ?, starts_at = ?, ends_at = ?, cancel_cutoff = ?, capacity = ?, skills = ?, description = ?,
		release_unconfirmed_hours = ?, updated_at = ? WHERE id = ? AND state = 'scheduled' AND taken <= ?`,
		in.Title, string(in.Mode), nullID(in.TeamID), nullID(in.SiteID), nullID(in.RegionID), in.Address,
		micros(in.StartsAt), micros(in.EndsAt), micros(in.CancelCutoff(published)), in.Capacity,
		strings.Join(in.Skills, "\n"), in.Description, in.ReleaseHours, micros(tx.now), id, in.Capacity)
	if err != nil {
		return fmt.Errorf("update activity: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var state string
		var taken int
		if err := tx.queryRow("SELECT state, taken FROM activities WHERE id = ?", id).Scan(&state, &taken); err != nil {
			return notFound(err, "err.activity.not_found")
		}
		if domain.ActivityState(state) != domain.ActivityScheduled {
			return domain.Errorf(domain.CodeConflict, "err.activity.closed")
		}
		return domain.Invalid("capacity", "err.activity.capacity_below_taken", taken)
	}
	if err := tx.setActivityLinks(id, in); err != nil {
		return err
	}
	if err := tx.setActivityRequirements(id, in.Requirements, true); err != nil {
		return err
	}
	// A new start asks everyone again: a confirmation of the old time does
	// not hold for the new one (reminders carry the start in their subject).
	if starts != micros(in.StartsAt) {
		if _, err := tx.exec("UPDATE signups SET confirmed_at = 0 WHERE activity_id = ?", id); err != nil {
			return err
		}
	}
	return tx.Audit("activity.update", "activity", strconv.FormatInt(id, 10), before, activitySummary(in))
}

// CancelActivity calls a scheduled activity off; its sign-ups stay as they
// were, for the record.
func (tx *Tx) CancelActivity(id int64, reason string) error {
	before, err := tx.activityBefore(id)
	if err != nil {
		return err
	}
	res, err := tx.exec("UPDATE activities SET state = 'cancelled', updated_at = ? WHERE id = ? AND state = 'scheduled'",
		micros(tx.now), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeConflict, "err.activity.closed")
	}
	return tx.Audit("activity.cancel", "activity", strconv.FormatInt(id, 10), before,
		map[string]any{"state": domain.ActivityCancelled, "reason": reason})
}

// activityBefore summarises an activity as it is, for the audit log.
func (tx *Tx) activityBefore(id int64) (map[string]any, error) {
	var title, mode, state string
	var team, site, region int64
	var starts, ends, cutoff int64
	var capacity, taken int
	err := tx.queryRow(`SELECT title, mode, state, COALESCE(team_id, 0), COALESCE(site_id, 0), COALESCE(region_id, 0),
		starts_at, ends_at, cancel_cutoff, capacity, taken FROM activities WHERE id = ?`, id).
		Scan(&title, &mode, &state, &team, &site, &region, &starts, &ends, &cutoff, &capacity, &taken)
	if err != nil {
		return nil, notFound(err, "err.activity.not_found")
	}
	return map[string]any{"title": title, "mode": mode, "state": state, "team_id": team, "site_id": site,
		"region_id": region, "starts_at": fromMicros(starts).Format(time.RFC3339),
		"ends_at": fromMicros(ends).Format(time.RFC3339), "cancel_cutoff": fromMicros(cutoff).Format(time.RFC3339),
		"capacity": capacity, "taken": taken}, nil
}

// isUniqueViolation reports whether err is a unique-key violation on either
// database.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// noRows reports whether err is sql.ErrNoRows.
func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
