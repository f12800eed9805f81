package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

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
	At         int64 // micros
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
	rows, err := s.query(ctx, fmt.Sprintf(`SELECT id, points, balance, cause, COALESCE(activity_id, 0), COALESCE(ref_id, 0),
		note, created_at FROM points_ledger WHERE person_id = ? ORDER BY id DESC LIMIT %d`, limit), personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PointsEntry
	for rows.Next() {
		var e PointsEntry
		if err := rows.Scan(&e.ID, &e.Points, &e.Balance, &e.Cause, &e.ActivityID, &e.RefID, &e.Note, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
