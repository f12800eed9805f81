package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"vanguard/domain"
)

// PointsPerHourSetting is the committee's rate of points for an hour of
// recorded service; DefaultPointsPerHour applies until it is set.
const (
	PointsPerHourSetting = "points.per_hour"
	DefaultPointsPerHour = 10
)

// Causes of a points-ledger entry.
const (
	PointsHours      = "hours"      // hours recorded when an activity was completed
	PointsCorrection = "correction" // a correction of a record was approved
	PointsDeclared   = "declared"   // declared service was approved
	PointsRule       = "rule"       // a duration rule recomputed a record
)

// pointsPerHour reads the rate in this transaction.
func (tx *Tx) pointsPerHour() (int64, error) {
	var v string
	err := tx.queryRow("SELECT value FROM settings WHERE key = ?", PointsPerHourSetting).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultPointsPerHour, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return DefaultPointsPerHour, nil
	}
	return n, nil
}

// PointsFor is the points that m minutes earn at perHour points an hour,
// rounded down: a record never earns more than its time.
func PointsFor(m domain.Minutes, perHour int64) int64 {
	if m <= 0 || perHour <= 0 {
		return 0
	}
	return int64(m) * perHour / 60
}

// CreditPoints brings the points a record (activity, person) has credited in
// line with its hours now: call it after every write of
// activity_hours.minutes. The difference is one ledger entry with cause; a
// reversal that would take the balance below zero takes it to zero and says
// so in the entry's note. Nothing is written when nothing changes.
func (tx *Tx) CreditPoints(activityID, personID int64, cause string) error {
	var minutes domain.Minutes
	var credited int64
	if err := tx.queryRow("SELECT minutes, points FROM activity_hours WHERE activity_id = ? AND person_id = ?",
		activityID, personID).Scan(&minutes, &credited); err != nil {
		return fmt.Errorf("points of a record: %w", err)
	}
	rate, err := tx.pointsPerHour()
	if err != nil {
		return err
	}
	delta := PointsFor(minutes, rate) - credited
	if delta == 0 {
		return nil
	}
	if _, err := tx.exec("UPDATE activity_hours SET points = ? WHERE activity_id = ? AND person_id = ?",
		credited+delta, activityID, personID); err != nil {
		return err
	}
	_, err = tx.addPoints(personID, delta, cause, activityID, 0, "")
	return err
}

// addPoints adds delta (negative to take away) to a person's balance and
// writes the ledger entry; a loss larger than the balance takes it to zero
// and the note says what could not be taken. It returns the entry's id.
func (tx *Tx) addPoints(personID, delta int64, cause string, activityID, refID int64, note string) (int64, error) {
	if _, err := tx.exec(`INSERT INTO points_balances (person_id, balance, earned) VALUES (?, 0, 0)
		ON CONFLICT (person_id) DO NOTHING`, personID); err != nil {
		return 0, err
	}
	// Take the balance's row first, so that a redemption committed since
	// this transaction began cannot make the balance read here stale.
	if _, err := tx.exec("UPDATE points_balances SET balance = balance WHERE person_id = ?", personID); err != nil {
		return 0, err
	}
	var balance int64
	if err := tx.queryRow("SELECT balance FROM points_balances WHERE person_id = ?", personID).Scan(&balance); err != nil {
		return 0, err
	}
	applied := delta
	if balance+applied < 0 {
		applied = -balance
		if note != "" {
			note += "; "
		}
		note += fmt.Sprintf("shortfall %d", -(delta - applied))
	}
	earned := int64(0)
	if cause != PointsRedeem && cause != PointsRedeemCancel {
		earned = applied
	}
	if _, err := tx.exec("UPDATE points_balances SET balance = balance + ?, earned = earned + ? WHERE person_id = ?",
		applied, earned, personID); err != nil {
		return 0, err
	}
	return tx.insert(`INSERT INTO points_ledger (person_id, points, balance, cause, activity_id, ref_id, note, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		personID, applied, balance+applied, cause, nullID(activityID), nullID(refID), note, nullID(tx.actor.UserID), micros(tx.now))
}

// Causes of entries that spend points or give them back; they do not count
// as earned.
const (
	PointsRedeem       = "redeem"
	PointsRedeemCancel = "redeem_cancel"
)

// PointsEntry is one row of a person's points ledger.
type PointsEntry struct {
	ID         int64
	Points     int64 // signed
	Balance    int64 // after this entry
	Cause      string
	ActivityID int64
	RefID      int64
	Note       string
	At         int64  // micros
	Activity   string // the activity's title, when the entry has one
}

// PointsBalance returns a person's balance and the points they have earned
// in all (spending does not lower it).
func (s *Store) PointsBalance(ctx context.Context, personID int64) (balance, earned int64, err error) {
	err = s.queryRow(ctx, "SELECT balance, earned FROM points_balances WHERE person_id = ?", personID).Scan(&balance, &earned)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return balance, earned, err
}

// PointsLedger lists a person's ledger entries, newest first, at most limit.
func (s *Store) PointsLedger(ctx context.Context, personID int64, limit int) ([]PointsEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.query(ctx, fmt.Sprintf(`SELECT l.id, l.points, l.balance, l.cause, COALESCE(l.activity_id, 0),
		COALESCE(l.ref_id, 0), l.note, l.created_at, COALESCE(a.title, '') FROM points_ledger l
		LEFT JOIN activities a ON a.id = l.activity_id WHERE l.person_id = ? ORDER BY l.id DESC LIMIT %d`, limit), personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PointsEntry
	for rows.Next() {
		var e PointsEntry
		if err := rows.Scan(&e.ID, &e.Points, &e.Balance, &e.Cause, &e.ActivityID, &e.RefID, &e.Note, &e.At, &e.Activity); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Shortfall is the points a reversal could not take because the balance
// had run out (0 when none), read from the entry's note.
func (e PointsEntry) Shortfall() int64 {
	_, rest, ok := strings.Cut(e.Note, "shortfall ")
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(rest, 10, 64)
	return n
}

// CreditAllHours credits every record that has not yet earned its points
// at the current rate, in three statements however many records there are:
// one ledger entry per record (cause hours, dated when its activity ended,
// the running balance per person in the order of the activities), the
// balances, and the records' credited points. It is for records loaded in
// bulk (the demo city), which bypass CreditPoints; it only ever adds, so
// it needs no shortfall rule. It returns the number of records credited.
func (tx *Tx) CreditAllHours() (int64, error) {
	rate, err := tx.pointsPerHour()
	if err != nil {
		return 0, err
	}
	const owed = `SELECT h.activity_id, h.person_id, h.minutes * ? / 60 - h.points AS delta, a.ends_at
		FROM activity_hours h JOIN activities a ON a.id = h.activity_id WHERE h.minutes * ? / 60 > h.points`
	res, err := tx.exec(`INSERT INTO points_ledger (person_id, points, balance, cause, activity_id, note, created_at)
		SELECT d.person_id, d.delta, COALESCE(b.balance, 0) + SUM(d.delta) OVER (PARTITION BY d.person_id
			ORDER BY d.ends_at, d.activity_id ROWS UNBOUNDED PRECEDING), ?, d.activity_id, '', d.ends_at
		FROM (`+owed+`) d LEFT JOIN points_balances b ON b.person_id = d.person_id
		ORDER BY d.ends_at, d.activity_id, d.person_id`, PointsHours, rate, rate)
	if err != nil {
		return 0, fmt.Errorf("credit all hours: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.exec(`INSERT INTO points_balances (person_id, balance, earned)
		SELECT d.person_id, SUM(d.delta), SUM(d.delta) FROM (`+owed+`) d WHERE 1=1 GROUP BY d.person_id
		ON CONFLICT (person_id) DO UPDATE SET balance = points_balances.balance + excluded.balance,
			earned = points_balances.earned + excluded.earned`, rate, rate); err != nil {
		return 0, fmt.Errorf("credit all hours: %w", err)
	}
	if _, err := tx.exec("UPDATE activity_hours SET points = minutes * ? / 60 WHERE minutes * ? / 60 > points", rate, rate); err != nil {
		return 0, fmt.Errorf("credit all hours: %w", err)
	}
	return n, tx.Audit("points.credit_all", "points", "", nil, map[string]any{"records": n, "per_hour": rate})
}
