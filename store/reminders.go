package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"vanguard/domain"
)

// Reminders and attendance confirmation. The reminder round reads in small
// batches by keyset (the last id it saw), one transaction per batch, and
// leans on Notify's unique key: a reminder already recorded is not sent
// again, so two rounds at once or a round run twice do no harm. A place is
// released only if its holder was reminded — an account received the
// reminder in the app or by an outside channel — at least
// domain.ConfirmGrace before the release time, and did not confirm; the
// released place goes to the waitlist through promote, under the
// activity's row lock, so the capacity invariant of signups.go holds.

// DueReminder is a place whose holder is to hear of its activity.
type DueReminder struct {
	SignupID   int64
	ActivityID int64
	PersonID   int64
	Title      string
	Place      string // the site's name, else the address
	StartsAt   time.Time
}

// reminderSubject is the notification subject of a reminder of an activity:
// "activity:<id>:<kind>:<start, micros>", the same as ReminderSubject, so an
// activity moved to another time is reminded again.
const reminderSubject = `'activity:' || CAST(a.id AS TEXT) || ':' || CAST(? AS TEXT) || ':' || CAST(a.starts_at AS TEXT)`

// ReminderSubject is the subject of the reminder of kind ("tomorrow",
// "soon") of an activity starting at startsAt.
func ReminderSubject(activityID int64, kind string, startsAt time.Time) string {
	return "activity:" + strconv.FormatInt(activityID, 10) + ":" + kind + ":" + strconv.FormatInt(micros(startsAt), 10)
}

// DueReminders returns up to limit places after the sign-up id after, held
// in scheduled activities starting in [from, to), whose holder has no
// notification e of kind ("tomorrow", "soon") for the activity yet.
func (tx *Tx) DueReminders(e domain.Event, kind string, from, to time.Time, after int64, limit int) ([]DueReminder, error) {
	rows, err := tx.query(`SELECT g.id, a.id, g.person_id, a.title, COALESCE(s.name, ''), a.address, a.starts_at
		FROM signups g JOIN activities a ON a.id = g.activity_id LEFT JOIN sites s ON s.id = a.site_id
		WHERE g.state = 'confirmed' AND a.state = 'scheduled' AND a.starts_at >= ? AND a.starts_at < ? AND g.id > ?
		AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.person_id = g.person_id AND n.event = ?
			AND n.subject = `+reminderSubject+`)
		ORDER BY g.id LIMIT ?`, micros(from), micros(to), after, string(e), kind, limit)
	if err != nil {
		return nil, fmt.Errorf("due reminders: %w", err)
	}
	defer rows.Close()
	var out []DueReminder
	for rows.Next() {
		var r DueReminder
		var address string
		var starts int64
		if err := rows.Scan(&r.SignupID, &r.ActivityID, &r.PersonID, &r.Title, &r.Place, &address, &starts); err != nil {
			return nil, err
		}
		if r.Place == "" {
			r.Place = address
		}
		r.StartsAt = fromMicros(starts)
		out = append(out, r)
	}
	return out, rows.Err()
}

// OverdueDispatch is a dispatch waiting too long for its team's answer.
type OverdueDispatch struct {
	ID           int64
	OrderID      int64
	TeamName     string
	DispatchedAt time.Time
}

// OverdueBatch returns up to limit pending dispatches after id after, sent
// before the cut-off.
func (tx *Tx) OverdueBatch(before time.Time, after int64, limit int) ([]OverdueDispatch, error) {
	rows, err := tx.query(`SELECT d.id, d.order_id, t.name, d.dispatched_at FROM dispatches d JOIN teams t ON t.id = d.team_id
		WHERE d.state = 'pending' AND d.dispatched_at < ? AND d.id > ? ORDER BY d.id LIMIT ?`, micros(before), after, limit)
	if err != nil {
		return nil, fmt.Errorf("overdue dispatches: %w", err)
	}
	defer rows.Close()
	var out []OverdueDispatch
	for rows.Next() {
		var d OverdueDispatch
		var at int64
		if err := rows.Scan(&d.ID, &d.OrderID, &d.TeamName, &at); err != nil {
			return nil, err
		}
		d.DispatchedAt = fromMicros(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// releasable is the condition on sign-up g of activity a that its place is
// released at a's release time: it holds a place, was not confirmed, has no
// attendance, and its holder's account was reminded of this start (in the
// app, or by an email or text actually sent) at least the grace (micros,
// the one argument) before then.
const releasable = `g.state = 'confirmed' AND g.confirmed_at = 0
	AND NOT EXISTS (SELECT 1 FROM attendance x WHERE x.activity_id = g.activity_id AND x.person_id = g.person_id)
	AND EXISTS (SELECT 1 FROM notifications n WHERE n.person_id = g.person_id AND n.user_id IS NOT NULL
		AND n.event IN ('activity_tomorrow', 'activity_soon')
		AND n.subject IN ('activity:' || CAST(a.id AS TEXT) || ':tomorrow:' || CAST(a.starts_at AS TEXT),
			'activity:' || CAST(a.id AS TEXT) || ':soon:' || CAST(a.starts_at AS TEXT))
		AND n.created_at <= a.starts_at - a.release_unconfirmed_hours * 3600000000 - ?
		AND (n.inapp = ? OR EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.notification_id = n.id AND d.state = 'sent')))`

// ActivitiesToRelease returns up to limit scheduled activities after id
// after whose release time has come at now, before their start, and which
// have a place to release. ReleaseUnconfirmed checks again under the lock.
func (s *Store) ActivitiesToRelease(ctx context.Context, now time.Time, after int64, limit int) ([]int64, error) {
	rows, err := s.query(ctx, `SELECT a.id FROM activities a
		WHERE a.state = 'scheduled' AND a.release_unconfirmed_hours > 0 AND a.starts_at > ?
		AND a.starts_at - a.release_unconfirmed_hours * 3600000000 <= ? AND a.id > ?
		AND EXISTS (SELECT 1 FROM signups g WHERE g.activity_id = a.id AND `+releasable+`)
		ORDER BY a.id LIMIT ?`, micros(now), micros(now), after, domain.ConfirmGrace.Microseconds(), true, limit)
	if err != nil {
		return nil, fmt.Errorf("activities to release: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SignupRef names one sign-up and its person.
type SignupRef struct {
	SignupID int64
	PersonID int64
}

// Release is what releasing an activity's unconfirmed places did.
type Release struct {
	Title    string
	StartsAt time.Time
	Released []SignupRef // cancelled for want of a confirmation
	Promoted []SignupRef // moved up from the waitlist into the places
}

// ReleaseUnconfirmed cancels the releasable places of an activity and gives
// them to the waitlist in queue order.
func (tx *Tx) ReleaseUnconfirmed(activityID int64) (Release, error) {
	var out Release
	if err := tx.lockActivity(activityID); err != nil {
		return out, err
	}
	var starts int64
	if err := tx.queryRow("SELECT title, starts_at FROM activities WHERE id = ?", activityID).Scan(&out.Title, &starts); err != nil {
		return out, err
	}
	out.StartsAt = fromMicros(starts)
	released, err := tx.signupRefs(`SELECT g.id, g.person_id FROM signups g JOIN activities a ON a.id = g.activity_id
		WHERE g.activity_id = ? AND `+releasable+` ORDER BY g.id`, activityID, domain.ConfirmGrace.Microseconds(), true)
	if err != nil || len(released) == 0 {
		return out, err
	}
	now := micros(tx.now)
	for _, r := range released {
		res, err := tx.exec(`UPDATE signups SET state = 'cancelled', released_at = ?, updated_at = ?
			WHERE id = ? AND state = 'confirmed' AND confirmed_at = 0`, now, now, r.SignupID)
		if err != nil {
			return out, fmt.Errorf("release place: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return out, fmt.Errorf("release place: sign-up %d changed under the activity lock", r.SignupID)
		}
		if _, err := tx.exec("UPDATE activities SET taken = taken - 1 WHERE id = ? AND taken > 0", activityID); err != nil {
			return out, err
		}
		if err := tx.Audit("signup.release", "signup", strconv.FormatInt(r.SignupID, 10),
			map[string]any{"state": domain.SignupConfirmed},
			map[string]any{"state": domain.SignupCancelled, "activity_id": activityID, "reason": "unconfirmed"}); err != nil {
			return out, err
		}
	}
	waiting, err := tx.signupRefs(`SELECT id, person_id FROM signups WHERE activity_id = ? AND state = 'waitlisted'
		ORDER BY queued_at, id`, activityID)
	if err != nil {
		return out, err
	}
	if err := tx.promote(activityID); err != nil {
		return out, err
	}
	out.Released = released
	for _, w := range waiting {
		var state string
		if err := tx.queryRow("SELECT state FROM signups WHERE id = ?", w.SignupID).Scan(&state); err != nil {
			return out, err
		}
		if domain.SignupState(state) == domain.SignupConfirmed {
			out.Promoted = append(out.Promoted, w)
		}
	}
	return out, nil
}

func (tx *Tx) signupRefs(query string, args ...any) ([]SignupRef, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SignupRef
	for rows.Next() {
		var r SignupRef
		if err := rows.Scan(&r.SignupID, &r.PersonID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ConfirmAttendance records that person will come to the activity where
// they hold a place. Confirming twice returns ErrAlreadyRecorded.
func (tx *Tx) ConfirmAttendance(activityID, personID int64) error {
	if err := tx.lockActivity(activityID); err != nil {
		return err
	}
	var sid, confirmed int64
	var state string
	err := tx.queryRow(`SELECT id, state, confirmed_at FROM signups WHERE activity_id = ? AND person_id = ?`,
		activityID, personID).Scan(&sid, &state, &confirmed)
	if err != nil {
		return notFound(err, "err.signup.not_found")
	}
	switch {
	case domain.SignupState(state) != domain.SignupConfirmed:
		return domain.Errorf(domain.CodeConflict, "err.signup.not_holding")
	case confirmed != 0:
		return ErrAlreadyRecorded
	}
	if _, err := tx.exec(`UPDATE signups SET confirmed_at = ?, updated_at = ? WHERE id = ?`,
		micros(tx.now), micros(tx.now), sid); err != nil {
		return fmt.Errorf("confirm attendance: %w", err)
	}
	return tx.Audit("signup.attend_confirm", "signup", strconv.FormatInt(sid, 10),
		map[string]any{"confirmed_at": 0}, map[string]any{"confirmed_at": tx.now.Format(time.RFC3339), "activity_id": activityID})
}
