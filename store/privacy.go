package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"vanguard/domain"
)

// The personal-data lifecycle in SQL. An erasure clears a person's personal
// fields in place and never deletes a row: sign-ups, attendance, hours and
// certificates keep pointing at the same person id, so every team's and
// org's totals stay exactly as they were. Contact retention clears the
// requester's name and phone of orders and suggestions that closed long
// ago, in batches, each batch one audited transaction.

// Erasure is what an erasure changed, for the service and its audit.
type Erasure struct {
	PersonID     int64
	Pseudonym    string
	UserID       int64 // the account unlinked and disabled, 0 when none
	Certificates int64 // certificates whose holder name was replaced
	Memberships  int64 // team memberships ended
	Signups      int   // sign-ups for activities still to come, cancelled
}

// ErasePerson clears a person's personal data: name (to domain.ErasedName),
// phone, ID-card number, region, skills, willingness, talents,
// availability, notes on sign-ups and certificate requests, the names on
// their certificates and registrations and the reasons given them; their
// team memberships end today; their account is unlinked, renamed, disabled
// and signed out, its two-factor data and sign-in failures deleted and the
// contact on the orders it placed cleared (eraseAccount). The row is updated only while not yet erased, so an erasure
// happens once. The audit summary holds the reason and counts, no personal
// data.
func (tx *Tx) ErasePerson(personID int64, reason string) (Erasure, error) {
	e := Erasure{PersonID: personID, Pseudonym: domain.ErasedName(personID)}
	var userID sql.NullInt64
	var erasedAt int64
	err := tx.queryRow("SELECT user_id, erased_at FROM people WHERE id = ?", personID).Scan(&userID, &erasedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return e, domain.Errorf(domain.CodeNotFound, "err.person.not_found")
	} else if err != nil {
		return e, fmt.Errorf("erase person %d: %w", personID, err)
	}
	now := micros(tx.now)
	res, err := tx.exec(`UPDATE people SET name = ?, phone = ?, held_phone = '', id_card_enc = '', id_card_hash = NULL, id_card_masked = '',
		email = '', wechat_openid = '', region_id = NULL, availability = 0, user_id = NULL, erased_at = ?, updated_at = ? WHERE id = ? AND erased_at = 0`,
		e.Pseudonym, domain.ErasedPhone(personID), now, now, personID)
	if err != nil {
		return e, fmt.Errorf("erase person %d: %w", personID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 || erasedAt != 0 {
		return e, domain.Errorf(domain.CodeConflict, "err.privacy.already_erased")
	}
	steps := []struct {
		query string
		args  []any
	}{
		{"DELETE FROM person_skills WHERE person_id = ?", []any{personID}},
		{"DELETE FROM person_willingness WHERE person_id = ?", []any{personID}},
		{"DELETE FROM person_talents WHERE person_id = ?", []any{personID}},
		{"DELETE FROM calendar_feeds WHERE person_id = ?", []any{personID}},
		{"UPDATE signups SET note = '' WHERE person_id = ?", []any{personID}},
		{"UPDATE certificate_requests SET purpose = '' WHERE person_id = ?", []any{personID}},
		{"UPDATE registrations SET name = ?, phone = '', reason = '' WHERE person_id = ? OR user_id = ?",
			[]any{e.Pseudonym, personID, userID.Int64}},
		// Their notifications and the deliveries still queued (whose jobs
		// then find nothing to send and are cancelled).
		{"DELETE FROM notifications WHERE person_id = ? OR user_id = ?", []any{personID, userID.Int64}},
	}
	for _, st := range steps {
		if _, err := tx.exec(st.query, st.args...); err != nil {
			return e, fmt.Errorf("erase person %d: %w", personID, err)
		}
	}
	// Their places in activities still to come are given up (the waitlist
	// moves up), as if they had cancelled; what they attended stays.
	if e.Signups, err = tx.cancelUpcomingSignups(personID); err != nil {
		return e, err
	}
	// They leave their teams today: an erased person is nobody's member,
	// while the hours credited to the teams stay where they are.
	res, err = tx.exec("UPDATE team_members SET left_on = ? WHERE person_id = ? AND left_on = ''",
		tx.now.In(domain.ChinaZone).Format(time.DateOnly), personID)
	if err != nil {
		return e, fmt.Errorf("erase memberships of %d: %w", personID, err)
	}
	e.Memberships, _ = res.RowsAffected()
	res, err = tx.exec("UPDATE certificates SET person_name = ?, id_card_masked = '' WHERE person_id = ?", e.Pseudonym, personID)
	if err != nil {
		return e, fmt.Errorf("erase certificates of %d: %w", personID, err)
	}
	e.Certificates, _ = res.RowsAffected()
	if err := tx.eraseMinorsData(personID); err != nil {
		return e, err
	}
	if userID.Valid {
		e.UserID = userID.Int64
		if err := tx.eraseAccount(e.UserID, e.Pseudonym); err != nil {
			return e, fmt.Errorf("erase account %d: %w", e.UserID, err)
		}
	}
	return e, tx.Audit("person.erase", "person", strconv.FormatInt(personID, 10), nil, map[string]any{
		"reason": reason, "pseudonym": e.Pseudonym, "account": e.UserID, "certificates": e.Certificates,
		"memberships_ended": e.Memberships, "signups_cancelled": e.Signups})
}

// eraseAccount renames and disables an erased person's account and removes
// what is kept of it and names it: sessions, two-factor secret, recovery
// codes and pending sign-ins, the sign-in failures and locks counted under
// its username (a phone number, as a rule). The orders it placed lose
// their requester's name and phone as contact retention clears them; their
// address, the place served, stays.
func (tx *Tx) eraseAccount(userID int64, pseudonym string) error {
	var username string
	if err := tx.queryRow("SELECT username FROM users WHERE id = ?", userID).Scan(&username); err != nil {
		return err
	}
	uid := strconv.FormatInt(userID, 10)
	if _, err := tx.exec("UPDATE users SET username = ?, display_name = ?, disabled = ? WHERE id = ?",
		"erased-"+uid, pseudonym, true, userID); err != nil {
		return err
	}
	steps := []struct {
		query string
		args  []any
	}{
		{"DELETE FROM sessions WHERE user_id = ?", []any{userID}},
		{"DELETE FROM login_challenges WHERE user_id = ?", []any{userID}},
		{"DELETE FROM totp_recovery_codes WHERE user_id = ?", []any{userID}},
		{"DELETE FROM totp_secrets WHERE user_id = ?", []any{userID}},
		{"DELETE FROM login_failures WHERE username = ?", []any{username}},
		{"DELETE FROM login_locks WHERE username = ?", []any{username}},
		{`UPDATE orders SET requester_name = '', requester_phone = '', contact_cleared_at = ?
			WHERE user_id = ? AND (requester_name <> '' OR requester_phone <> '')`, []any{micros(tx.now), userID}},
	}
	for _, st := range steps {
		if _, err := tx.exec(st.query, st.args...); err != nil {
			return err
		}
	}
	return nil
}

// cancelUpcomingSignups cancels a person's active sign-ups for scheduled
// activities that have not started, each through CancelSignup so that the
// place is freed by its conditional update and audited.
func (tx *Tx) cancelUpcomingSignups(personID int64) (int, error) {
	rows, err := tx.query(`SELECT g.activity_id FROM signups g JOIN activities a ON a.id = g.activity_id
		WHERE g.person_id = ? AND g.state IN (?, ?, ?) AND a.state = ? AND a.starts_at > ? ORDER BY g.activity_id`,
		personID, domain.SignupConfirmed, domain.SignupWaitlisted, domain.SignupRequested, domain.ActivityScheduled, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("upcoming sign-ups of %d: %w", personID, err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := tx.CancelSignup(id, personID); err != nil {
			return 0, fmt.Errorf("cancel sign-up of %d for activity %d: %w", personID, id, err)
		}
	}
	return len(ids), nil
}

// ContactRetentionBatch is how many orders (and as many suggestions) one
// housekeeping pass clears at most, so that a first run on years of data
// does not hold the writer for long.
const ContactRetentionBatch = 200

// ClearOldContacts clears the requester's name and phone of at most limit
// orders and limit suggestions that closed (domain.ContactClosedOrderStates)
// before cutoff and still have them, and audits the counts as the
// transaction's actor (the system). It writes nothing, audit included,
// when nothing is due.
func (tx *Tx) ClearOldContacts(cutoff time.Time, limit int) (orders, suggestions int64, err error) {
	os, ss := domain.ContactClosedOrderStates, domain.ContactClosedSuggestionStates
	res, err := tx.exec(`UPDATE orders SET requester_name = '', requester_phone = '', contact_cleared_at = ?
		WHERE id IN (SELECT id FROM orders WHERE contact_cleared_at = 0 AND updated_at < ?
			AND state IN (?, ?, ?, ?) ORDER BY id LIMIT ?)`,
		micros(tx.now), micros(cutoff), os[0], os[1], os[2], os[3], limit)
	if err != nil {
		return 0, 0, fmt.Errorf("clear order contacts: %w", err)
	}
	orders, _ = res.RowsAffected()
	res, err = tx.exec(`UPDATE suggestions SET name = '', phone = '', contact_cleared_at = ?
		WHERE id IN (SELECT id FROM suggestions WHERE contact_cleared_at = 0 AND updated_at < ?
			AND state IN (?, ?) ORDER BY id LIMIT ?)`,
		micros(tx.now), micros(cutoff), ss[0], ss[1], limit)
	if err != nil {
		return 0, 0, fmt.Errorf("clear suggestion contacts: %w", err)
	}
	suggestions, _ = res.RowsAffected()
	if orders+suggestions == 0 {
		return 0, 0, nil
	}
	return orders, suggestions, tx.Audit("privacy.contacts_cleared", "order", "", nil,
		map[string]any{"orders": orders, "suggestions": suggestions, "closed_before": cutoff.UTC().Format(time.DateOnly)})
}
