package store

import (
	"fmt"
	"strconv"

	"vanguard/domain"
)

// Who hears of an event. A use case names the recipients of the
// notifications it records (notifications.go) with these reads, inside its
// own write transaction, so that they see what the write just did: the
// order's new state, the sign-ups of an activity just changed.

// TeamLeaderUsers returns the enabled accounts granted team_leader over a
// team, by id.
func (tx *Tx) TeamLeaderUsers(teamID int64) ([]int64, error) {
	return tx.ids(`SELECT g.user_id FROM grants g JOIN users u ON u.id = g.user_id
		WHERE g.role = 'team_leader' AND g.scope_id = ? AND u.disabled = ? ORDER BY g.user_id`, teamID, false)
}

// CommitteeAdminUsers returns the enabled committee admin accounts, by id:
// the dispatch desk is the committee's.
func (tx *Tx) CommitteeAdminUsers() ([]int64, error) {
	return tx.ids(`SELECT g.user_id FROM grants g JOIN users u ON u.id = g.user_id
		WHERE g.role = 'committee_admin' AND u.disabled = ? ORDER BY g.user_id`, false)
}

// SignedUpPeople returns the people who hold, wait for or asked for a place
// in an activity, by id.
func (tx *Tx) SignedUpPeople(activityID int64) ([]int64, error) {
	return tx.ids(`SELECT person_id FROM signups WHERE activity_id = ?
		AND state IN ('confirmed', 'waitlisted', 'requested') ORDER BY person_id`, activityID)
}

// OrderState returns an order's state as this transaction sees it.
func (tx *Tx) OrderState(orderID int64) (domain.OrderState, error) {
	var st string
	if err := tx.queryRow("SELECT state FROM orders WHERE id = ?", orderID).Scan(&st); err != nil {
		return "", notFound(err, "err.order.not_found")
	}
	return domain.OrderState(st), nil
}

// OrderByID reads an order (without its items) as this transaction sees it.
func (tx *Tx) OrderByID(id int64) (domain.Order, error) {
	o, err := scanOrder(tx.queryRow("SELECT "+orderColumns+orderFrom+" WHERE x.id = ?", id))
	return o, notFound(err, "err.order.not_found")
}

// OrderByCode reads an order by its tracking code, as OrderByID.
func (tx *Tx) OrderByCode(code string) (domain.Order, error) {
	o, err := scanOrder(tx.queryRow("SELECT "+orderColumns+orderFrom+" WHERE x.code = ?", code))
	return o, notFound(err, "err.order.not_found")
}

// ActivityByID reads an activity (without its categories and teams) as
// this transaction sees it.
func (tx *Tx) ActivityByID(id int64) (domain.Activity, error) {
	a, err := scanActivity(tx.queryRow("SELECT "+activityColumns+activityFrom+" WHERE a.id = ?", id))
	return a, notFound(err, "err.activity.not_found")
}

// TeamName returns a team's name.
func (tx *Tx) TeamName(id int64) (string, error) {
	var name string
	err := tx.queryRow("SELECT name FROM teams WHERE id = ?", id).Scan(&name)
	return name, notFound(err, "err.team.not_found")
}

// AccountPhone returns the mobile number of the person linked to an
// account, or "" when it has none: a site contact who ordered with their
// own number then gets one text, not two.
func (tx *Tx) AccountPhone(userID int64) (string, error) {
	var phone string
	err := tx.queryRow(`SELECT `+personPhone+` FROM people p WHERE p.user_id = ? AND p.erased_at = 0`, userID).Scan(&phone)
	if noRows(err) {
		return "", nil
	}
	return phone, err
}

// ids runs a query of one id column and returns the ids.
func (tx *Tx) ids(q string, args ...any) ([]int64, error) {
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("list ids: %w", err)
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

// notifyPromoted tells a volunteer moved up from the waitlist that they
// have a place. It lives here, not in a use case, because a place frees up
// in several (a volunteer cancels, the capacity is raised, a person is
// erased) and each promotes through promote. The subject carries the time
// the sign-up joined the queue, so a later promotion of a new sign-up by
// the same person is heard again.
func (tx *Tx) notifyPromoted(signupID int64) error {
	var activityID, personID, queued, starts int64
	var title string
	err := tx.queryRow(`SELECT g.activity_id, g.person_id, g.queued_at, a.title, a.starts_at
		FROM signups g JOIN activities a ON a.id = g.activity_id WHERE g.id = ?`, signupID).
		Scan(&activityID, &personID, &queued, &title, &starts)
	if err != nil {
		return fmt.Errorf("promoted sign-up %d: %w", signupID, err)
	}
	_, err = tx.Notify(NewNotification{
		Event:    domain.EventSignupPromoted,
		Subject:  "signup:" + strconv.FormatInt(signupID, 10) + ":" + strconv.FormatInt(queued, 10),
		PersonID: personID,
		Args:     []string{title, domain.NoticeTime(fromMicros(starts))},
		Link:     "/activities/" + strconv.FormatInt(activityID, 10),
	})
	return err
}
