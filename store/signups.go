package store

import (
	"context"
	"fmt"
	"strconv"

	"vanguard/domain"
)

// Sign-up capacity. Every transaction that changes who holds a place first
// takes the activity's row (an UPDATE that changes nothing), so on
// PostgreSQL they queue on the row lock and on SQLite they are serialised by
// BEGIN IMMEDIATE anyway. A place is taken only by the conditional
// "taken = taken + 1 WHERE taken < capacity" in the same transaction as the
// sign-up row, and the unique (activity, person) key refuses a second row:
// never "count, then insert".

// lockActivity takes the activity's row for this transaction and checks it
// is still scheduled.
func (tx *Tx) lockActivity(id int64) error {
	res, err := tx.exec("UPDATE activities SET taken = taken WHERE id = ? AND state = 'scheduled'", id)
	if err != nil {
		return fmt.Errorf("lock activity: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var state string
	if err := tx.queryRow("SELECT state FROM activities WHERE id = ?", id).Scan(&state); err != nil {
		return notFound(err, "err.activity.not_found")
	}
	return domain.Errorf(domain.CodeConflict, "err.activity.closed")
}

// takePlace takes one place if one is free.
func (tx *Tx) takePlace(activityID int64) (bool, error) {
	res, err := tx.exec("UPDATE activities SET taken = taken + 1 WHERE id = ? AND taken < capacity", activityID)
	if err != nil {
		return false, fmt.Errorf("take place: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SignUp gives person a place in the activity when one is free and puts
// them on the waitlist otherwise; with request it records a request that
// waits for the organiser's approval instead. teamID is the person's own
// team they come with (0 for none): their attendance and hours are credited
// to it and its org, or to the person's own org without a team. It returns
// the state the sign-up ends in.
func (tx *Tx) SignUp(activityID, personID, teamID int64, request bool) (domain.SignupState, error) {
	if err := tx.lockActivity(activityID); err != nil {
		return "", err
	}
	var sid int64
	var cur string
	err := tx.queryRow("SELECT id, state FROM signups WHERE activity_id = ? AND person_id = ?",
		activityID, personID).Scan(&sid, &cur)
	switch {
	case err == nil && domain.SignupState(cur).Active():
		return "", domain.Errorf(domain.CodeConflict, "err.signup.already", "enum.signup_state."+cur)
	case err == nil && domain.SignupState(cur) == domain.SignupRejected:
		return "", domain.Errorf(domain.CodeConflict, "err.signup.rejected")
	case err != nil && !noRows(err):
		return "", err
	}
	if err := tx.eligible(activityID, personID); err != nil {
		return "", err
	}
	state := domain.SignupRequested
	if !request {
		took, err := tx.takePlace(activityID)
		if err != nil {
			return "", err
		}
		state = domain.SignupWaitlisted
		if took {
			state = domain.SignupConfirmed
		}
	}
	now := micros(tx.now)
	var orgID int64
	if err := tx.queryRow(`SELECT COALESCE((SELECT org_id FROM teams WHERE id = ?), (SELECT org_id FROM people WHERE id = ?), 0)`,
		teamID, personID).Scan(&orgID); err != nil {
		return "", fmt.Errorf("credited org: %w", err)
	}
	if sid != 0 {
		_, err = tx.exec(`UPDATE signups SET state = ?, team_id = ?, org_id = ?, queued_at = ?, updated_at = ?, decided_by = NULL,
			confirmed_at = 0, released_at = 0 WHERE id = ? AND state = 'cancelled'`, string(state), nullID(teamID), nullID(orgID), now, now, sid)
	} else {
		sid, err = tx.insert(`INSERT INTO signups (activity_id, person_id, team_id, org_id, state, queued_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, activityID, personID, nullID(teamID), nullID(orgID), string(state), now, now, now)
	}
	if isUniqueViolation(err) {
		return "", domain.Errorf(domain.CodeConflict, "err.signup.already", "enum.signup_state."+string(domain.SignupConfirmed))
	}
	if err != nil {
		return "", fmt.Errorf("sign up: %w", err)
	}
	return state, tx.Audit("signup.create", "signup", strconv.FormatInt(sid, 10), nil,
		map[string]any{"activity_id": activityID, "person_id": personID, "team_id": teamID, "org_id": orgID, "state": state})
}

// CancelSignup withdraws person's sign-up; a place it held goes to the
// first on the waitlist.
func (tx *Tx) CancelSignup(activityID, personID int64) error {
	if err := tx.lockActivity(activityID); err != nil {
		return err
	}
	var sid int64
	var cur string
	if err := tx.queryRow("SELECT id, state FROM signups WHERE activity_id = ? AND person_id = ?",
		activityID, personID).Scan(&sid, &cur); err != nil {
		return notFound(err, "err.signup.not_found")
	}
	if !domain.SignupState(cur).Active() {
		return domain.Errorf(domain.CodeConflict, "err.signup.not_active")
	}
	var attended int
	if err := tx.queryRow("SELECT COUNT(*) FROM attendance WHERE activity_id = ? AND person_id = ?",
		activityID, personID).Scan(&attended); err != nil {
		return err
	}
	if attended > 0 {
		return domain.Errorf(domain.CodeConflict, "err.signup.attended")
	}
	if _, err := tx.exec("UPDATE signups SET state = 'cancelled', updated_at = ? WHERE id = ?", micros(tx.now), sid); err != nil {
		return err
	}
	if err := tx.Audit("signup.cancel", "signup", strconv.FormatInt(sid, 10),
		map[string]any{"state": cur}, map[string]any{"state": domain.SignupCancelled}); err != nil {
		return err
	}
	if domain.SignupState(cur) != domain.SignupConfirmed {
		return nil
	}
	if _, err := tx.exec("UPDATE activities SET taken = taken - 1 WHERE id = ? AND taken > 0", activityID); err != nil {
		return err
	}
	return tx.promote(activityID)
}

// promote gives free places to the waitlist in queue order. Someone on
// the waitlist who no longer meets the activity's requirements (age,
// guardian's consent, insurance: see eligible) is skipped and stays on the
// waitlist in their place, so they are promoted by a later free place once
// they meet them; the place goes to the next who does.
func (tx *Tx) promote(activityID int64) error {
	var skipped int64 // queue position: skip everyone up to this id in order
	var skippedAt int64 = -1
	for {
		var sid, personID, queued int64
		err := tx.queryRow(`SELECT id, person_id, queued_at FROM signups WHERE activity_id = ? AND state = 'waitlisted'
			AND (queued_at > ? OR (queued_at = ? AND id > ?)) ORDER BY queued_at, id LIMIT 1`,
			activityID, skippedAt, skippedAt, skipped).Scan(&sid, &personID, &queued)
		if noRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := tx.eligible(activityID, personID); err != nil {
			if _, ok := domain.AsError(err); !ok {
				return err
			}
			skipped, skippedAt = sid, queued
			continue
		}
		took, err := tx.takePlace(activityID)
		if err != nil || !took {
			return err
		}
		if _, err := tx.exec("UPDATE signups SET state = 'confirmed', updated_at = ? WHERE id = ?", micros(tx.now), sid); err != nil {
			return err
		}
		if err := tx.Audit("signup.promote", "signup", strconv.FormatInt(sid, 10),
			map[string]any{"state": domain.SignupWaitlisted}, map[string]any{"state": domain.SignupConfirmed}); err != nil {
			return err
		}
		if err := tx.notifyPromoted(sid); err != nil {
			return err
		}
	}
}

// PromoteWaitlist fills free places from the waitlist, after the capacity
// was raised.
func (tx *Tx) PromoteWaitlist(activityID int64) error {
	if err := tx.lockActivity(activityID); err != nil {
		return err
	}
	return tx.promote(activityID)
}

// DecideRequest approves an open-mode request (a place when one is free,
// else the waitlist) or rejects it. It returns the state it ends in.
func (tx *Tx) DecideRequest(signupID int64, approve bool) (domain.SignupState, error) {
	var activityID int64
	var cur string
	if err := tx.queryRow("SELECT activity_id, state FROM signups WHERE id = ?", signupID).Scan(&activityID, &cur); err != nil {
		return "", notFound(err, "err.signup.not_found")
	}
	if err := tx.lockActivity(activityID); err != nil {
		return "", err
	}
	state := domain.SignupRejected
	if approve {
		var personID int64
		if err := tx.queryRow("SELECT person_id FROM signups WHERE id = ?", signupID).Scan(&personID); err != nil {
			return "", err
		}
		if err := tx.eligible(activityID, personID); err != nil {
			return "", err
		}
		took, err := tx.takePlace(activityID)
		if err != nil {
			return "", err
		}
		state = domain.SignupWaitlisted
		if took {
			state = domain.SignupConfirmed
		}
	}
	res, err := tx.exec(`UPDATE signups SET state = ?, decided_by = ?, queued_at = ?, updated_at = ?
		WHERE id = ? AND state = 'requested'`, string(state), nullID(tx.actor.UserID), micros(tx.now), micros(tx.now), signupID)
	if err != nil {
		return "", err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Someone decided first; the place taken above is rolled back with
		// the transaction.
		return "", domain.Errorf(domain.CodeConflict, "err.signup.decided")
	}
	action := "signup.approve"
	if !approve {
		action = "signup.reject"
	}
	return state, tx.Audit(action, "signup", strconv.FormatInt(signupID, 10),
		map[string]any{"state": cur}, map[string]any{"state": state, "activity_id": activityID})
}

const signupColumns = `g.id, g.activity_id, g.person_id, p.name, ` + personPhone + `, COALESCE(g.team_id, 0), COALESCE(t.name, ''),
	g.state, g.queued_at, g.note, g.created_at, g.updated_at, g.confirmed_at, g.released_at`

const signupFrom = ` FROM signups g JOIN people p ON p.id = g.person_id LEFT JOIN teams t ON t.id = g.team_id`

func scanSignup(row interface{ Scan(...any) error }) (domain.Signup, error) {
	var g domain.Signup
	var state, phone string
	var queued, created, updated, confirmed, released int64
	err := row.Scan(&g.ID, &g.ActivityID, &g.PersonID, &g.PersonName, &phone, &g.TeamID, &g.TeamName,
		&state, &queued, &g.Note, &created, &updated, &confirmed, &released)
	g.ConfirmedAt, g.ReleasedAt = fromMicros(confirmed), fromMicros(released)
	g.State, g.PhoneMasked = domain.SignupState(state), domain.MaskPhone(phone)
	g.QueuedAt, g.CreatedAt, g.UpdatedAt = fromMicros(queued), fromMicros(created), fromMicros(updated)
	return g, err
}

// ActivitySignups lists an activity's sign-ups: confirmed, then the
// waitlist and requests in queue order, then the rest.
func (s *Store) ActivitySignups(ctx context.Context, activityID int64) ([]domain.Signup, error) {
	rows, err := s.query(ctx, "SELECT "+signupColumns+signupFrom+` WHERE g.activity_id = ?
		ORDER BY CASE g.state WHEN 'confirmed' THEN 0 WHEN 'requested' THEN 1 WHEN 'waitlisted' THEN 2 ELSE 3 END,
		g.queued_at, g.id`, activityID)
	if err != nil {
		return nil, fmt.Errorf("activity signups: %w", err)
	}
	defer rows.Close()
	var out []domain.Signup
	for rows.Next() {
		g, err := scanSignup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// SignupByID finds one sign-up.
func (s *Store) SignupByID(ctx context.Context, id int64) (domain.Signup, error) {
	g, err := scanSignup(s.queryRow(ctx, "SELECT "+signupColumns+signupFrom+" WHERE g.id = ?", id))
	return g, notFound(err, "err.signup.not_found")
}

// PersonSignup finds person's sign-up for an activity; ok is false when
// there is none.
func (s *Store) PersonSignup(ctx context.Context, activityID, personID int64) (domain.Signup, bool, error) {
	g, err := scanSignup(s.queryRow(ctx, "SELECT "+signupColumns+signupFrom+" WHERE g.activity_id = ? AND g.person_id = ?",
		activityID, personID))
	if noRows(err) {
		return g, false, nil
	}
	return g, err == nil, err
}

// CapacityCheck returns an activity's taken count and the number of
// confirmed sign-ups, which must always be equal.
func (s *Store) CapacityCheck(ctx context.Context, activityID int64) (taken, confirmed int, err error) {
	err = s.queryRow(ctx, `SELECT a.taken, (SELECT COUNT(*) FROM signups g WHERE g.activity_id = a.id AND g.state = 'confirmed')
		FROM activities a WHERE a.id = ?`, activityID).Scan(&taken, &confirmed)
	return taken, confirmed, err
}
