package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"vanguard/domain"
)

// ErrAlreadyRecorded is returned, and the transaction must be rolled back,
// when a check-in or check-out repeats one already recorded: a duplicate
// scan, answered as success.
var ErrAlreadyRecorded = errors.New("store: attendance already recorded")

const attendanceColumns = `id, activity_id, person_id, day, pair, check_in, check_out, method_in, method_out,
	COALESCE(recorded_by, 0)`

func scanAttendance(row interface{ Scan(...any) error }) (domain.Attendance, error) {
	var a domain.Attendance
	var in, out int64
	var mi, mo string
	err := row.Scan(&a.ID, &a.ActivityID, &a.PersonID, &a.Day, &a.Pair, &in, &out, &mi, &mo, &a.RecordedBy)
	a.CheckIn, a.CheckOut = fromMicros(in), fromMicros(out)
	a.MethodIn, a.MethodOut = domain.AttendanceMethod(mi), domain.AttendanceMethod(mo)
	return a, err
}

func (tx *Tx) personPairs(activityID, personID int64, day string) ([]domain.Attendance, error) {
	q := "SELECT " + attendanceColumns + " FROM attendance WHERE activity_id = ? AND person_id = ?"
	args := []any{activityID, personID}
	if day != "" {
		q += " AND day = ?"
		args = append(args, day)
	}
	rows, err := tx.query(q+" ORDER BY check_in, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Attendance
	for rows.Next() {
		a, err := scanAttendance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CheckIn records person arriving at the activity at the transaction's
// time. A person already checked in gets ErrAlreadyRecorded, and so does
// the loser of two simultaneous scans (the unique key collides); at most
// domain.MaxPairsPerDay pairs a day. Attendance, like sign-ups, first takes
// the activity's row, so none is written after CompleteActivity recorded
// the hours: a scan racing the completion is either counted or refused.
func (tx *Tx) CheckIn(activityID, personID int64, method domain.AttendanceMethod) error {
	return tx.CheckInMarked(activityID, personID, method, CheckinMark{})
}

// CheckInMarked is CheckIn with what the phone told (checkin_fraud.go): a
// check-in from a phone other than the one this person's earlier check-in
// came from is refused, and one from a phone that checked in someone else
// is flagged.
func (tx *Tx) CheckInMarked(activityID, personID int64, method domain.AttendanceMethod, m CheckinMark) error {
	if err := tx.lockActivity(activityID); err != nil {
		return err
	}
	day := domain.ChinaDay(tx.now)
	pairs, err := tx.personPairs(activityID, personID, "")
	if err != nil {
		return err
	}
	if m, err = tx.markCheckin(activityID, personID, m); err != nil {
		return err
	}
	today := 0
	for _, p := range pairs {
		if p.Open() {
			return ErrAlreadyRecorded
		}
		if p.Day == day {
			today++
		}
	}
	if today >= domain.MaxPairsPerDay {
		return domain.Errorf(domain.CodeConflict, "err.checkin.too_many", domain.MaxPairsPerDay)
	}
	id, err := tx.insert(`INSERT INTO attendance (activity_id, person_id, day, pair, check_in, method_in, recorded_by,
		device, geo, fraud_flag, fraud_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, activityID, personID, day, today+1,
		micros(tx.now), string(method), nullID(tx.actor.UserID), m.Device, m.Geo, m.Flag, m.Note)
	if isUniqueViolation(err) {
		return ErrAlreadyRecorded
	}
	if err != nil {
		return fmt.Errorf("check in: %w", err)
	}
	after := map[string]any{"activity_id": activityID, "person_id": personID, "pair": today + 1, "method": method}
	if m.Flag != "" {
		after["flag"], after["flag_note"] = m.Flag, m.Note
	}
	if m.Geo != "" {
		after["geo"] = m.Geo
	}
	return tx.Audit("attendance.check_in", "attendance", strconv.FormatInt(id, 10), nil, after)
}

// CheckOut closes person's open pair at the transaction's time. With no
// open pair it returns ErrAlreadyRecorded when they checked out before, and
// a conflict when they never checked in.
func (tx *Tx) CheckOut(activityID, personID int64, method domain.AttendanceMethod) error {
	if err := tx.lockActivity(activityID); err != nil {
		return err
	}
	pairs, err := tx.personPairs(activityID, personID, "")
	if err != nil {
		return err
	}
	for _, p := range pairs {
		if !p.Open() {
			continue
		}
		res, err := tx.exec("UPDATE attendance SET check_out = ?, method_out = ? WHERE id = ? AND check_out = 0",
			micros(tx.now), string(method), p.ID)
		if err != nil {
			return fmt.Errorf("check out: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrAlreadyRecorded
		}
		return tx.Audit("attendance.check_out", "attendance", strconv.FormatInt(p.ID, 10), nil,
			map[string]any{"activity_id": activityID, "person_id": personID, "method": method})
	}
	if len(pairs) > 0 {
		return ErrAlreadyRecorded
	}
	return domain.Errorf(domain.CodeConflict, "err.checkout.not_checked_in")
}

// RecordPair records a whole check-in/check-out pair marked by hand, as
// from a paper sign-in sheet.
func (tx *Tx) RecordPair(activityID, personID int64, in, out time.Time) error {
	if err := tx.lockActivity(activityID); err != nil {
		return err
	}
	day := domain.ChinaDay(in)
	pairs, err := tx.personPairs(activityID, personID, day)
	if err != nil {
		return err
	}
	if len(pairs) >= domain.MaxPairsPerDay {
		return domain.Errorf(domain.CodeConflict, "err.checkin.too_many", domain.MaxPairsPerDay)
	}
	id, err := tx.insert(`INSERT INTO attendance (activity_id, person_id, day, pair, check_in, check_out, method_in,
		method_out, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, activityID, personID, day, len(pairs)+1,
		micros(in), micros(out), string(domain.MethodManual), string(domain.MethodManual), nullID(tx.actor.UserID))
	if isUniqueViolation(err) {
		return domain.Errorf(domain.CodeConflict, "err.checkin.too_many", domain.MaxPairsPerDay)
	}
	if err != nil {
		return fmt.Errorf("record attendance: %w", err)
	}
	return tx.Audit("attendance.record", "attendance", strconv.FormatInt(id, 10), nil,
		map[string]any{"activity_id": activityID, "person_id": personID, "in": in.Format(time.RFC3339),
			"out": out.Format(time.RFC3339)})
}

// ActivityAttendance lists every pair recorded for an activity.
func (s *Store) ActivityAttendance(ctx context.Context, activityID int64) ([]domain.Attendance, error) {
	rows, err := s.query(ctx, "SELECT "+attendanceColumns+" FROM attendance WHERE activity_id = ? ORDER BY person_id, check_in, id",
		activityID)
	if err != nil {
		return nil, fmt.Errorf("attendance: %w", err)
	}
	defer rows.Close()
	var out []domain.Attendance
	for rows.Next() {
		a, err := scanAttendance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CompleteActivity closes a scheduled activity: pairs still open are closed
// at the scheduled end (method auto), each attended person's hours are
// recorded — one person-time each — and an order it served moves to served.
// Each person's hours go to the team and org their sign-up credits (their
// own, not the organiser's); someone marked present without a sign-up is
// credited to their own org. It returns the person-times and the time
// recorded.
func (tx *Tx) CompleteActivity(id int64) (int, domain.Minutes, error) {
	var starts, ends, orderID int64
	if err := tx.queryRow("SELECT starts_at, ends_at, COALESCE(order_id, 0) FROM activities WHERE id = ?", id).
		Scan(&starts, &ends, &orderID); err != nil {
		return 0, 0, notFound(err, "err.activity.not_found")
	}
	res, err := tx.exec("UPDATE activities SET state = 'completed', completed_at = ?, updated_at = ? WHERE id = ? AND state = 'scheduled'",
		micros(tx.now), micros(tx.now), id)
	if err != nil {
		return 0, 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, 0, domain.Errorf(domain.CodeConflict, "err.activity.closed")
	}
	// Open pairs close at the scheduled end, or now when the activity is
	// completed early: no one is credited time not yet served.
	closeAt := min(ends, micros(tx.now))
	if _, err := tx.exec(`UPDATE attendance SET check_out = CASE WHEN check_in < ? THEN ? ELSE check_in END,
		method_out = 'auto' WHERE activity_id = ? AND check_out = 0`, closeAt, closeAt, id); err != nil {
		return 0, 0, err
	}
	rows, err := tx.query("SELECT "+attendanceColumns+" FROM attendance WHERE activity_id = ?", id)
	if err != nil {
		return 0, 0, err
	}
	byPerson := map[int64][]domain.Attendance{}
	for rows.Next() {
		a, err := scanAttendance(rows)
		if err != nil {
			rows.Close()
			return 0, 0, err
		}
		byPerson[a.PersonID] = append(byPerson[a.PersonID], a)
	}
	rows.Close()
	people := make([]int64, 0, len(byPerson))
	for p := range byPerson {
		people = append(people, p)
	}
	sort.Slice(people, func(i, j int) bool { return people[i] < people[j] })
	// The duration rule in force on the activity's day counts the minutes
	// attended (domain.CountMinutes; none in force: the minutes attended).
	rule, err := tx.DurationRuleOn(domain.ChinaDay(fromMicros(starts)))
	if err != nil {
		return 0, 0, err
	}
	var total domain.Minutes
	times := 0
	for _, p := range people {
		m := domain.AttendedMinutes(fromMicros(starts), fromMicros(ends), byPerson[p])
		if m <= 0 {
			continue // attended none of the scheduled time: no person-time
		}
		c, err := tx.countRecord(rule, id, p, fromMicros(starts), fromMicros(ends), m, false)
		if err != nil {
			return 0, 0, err
		}
		m = c.Minutes
		total, times = total+m, times+1
		if _, err := tx.exec(`INSERT INTO activity_hours (activity_id, person_id, team_id, org_id, minutes, recorded_at, rule_id)
			VALUES (?, ?, (SELECT team_id FROM signups WHERE activity_id = ? AND person_id = ?),
			COALESCE((SELECT org_id FROM signups WHERE activity_id = ? AND person_id = ?), (SELECT org_id FROM people WHERE id = ?)), ?, ?, ?)`,
			id, p, id, p, id, p, p, int64(m), micros(tx.now), ruleID(rule)); err != nil {
			return 0, 0, fmt.Errorf("record hours: %w", err)
		}
		if err := tx.CreditPoints(id, p, PointsHours); err != nil {
			return 0, 0, err
		}
	}
	if err := tx.refreshActivityTotals(id, id); err != nil {
		return 0, 0, err
	}
	if err := tx.Audit("activity.complete", "activity", strconv.FormatInt(id, 10), nil,
		map[string]any{"person_times": times, "minutes": total}); err != nil {
		return 0, 0, err
	}
	if orderID != 0 {
		var state string
		if err := tx.queryRow("SELECT state FROM orders WHERE id = ?", orderID).Scan(&state); err != nil {
			return 0, 0, err
		}
		if domain.OrderState(state) == domain.OrderConfirmed {
			if _, err := tx.TransitionOrder(orderID, domain.EventServe, ""); err != nil {
				return 0, 0, err
			}
		}
	}
	return times, total, nil
}

// PersonActivity is one activity in a volunteer's "my service" page.
type PersonActivity struct {
	Activity domain.Activity
	Signup   domain.SignupState
	Minutes  domain.Minutes // recorded on completion
	Attended bool
}

// PersonActivities lists the activities person signed up for or attended,
// newest first, and their total recorded time.
func (s *Store) PersonActivities(ctx context.Context, personID int64) ([]PersonActivity, domain.Minutes, error) {
	rows, err := s.query(ctx, "SELECT "+activityColumns+`, COALESCE(g.state, ''), COALESCE(h.minutes, 0),
		CASE WHEN h.person_id IS NULL THEN 0 ELSE 1 END`+activityFrom+`
		LEFT JOIN signups g ON g.activity_id = a.id AND g.person_id = ?
		LEFT JOIN activity_hours h ON h.activity_id = a.id AND h.person_id = ?
		WHERE g.id IS NOT NULL OR h.person_id IS NOT NULL ORDER BY a.starts_at DESC, a.id DESC LIMIT 1000`,
		personID, personID)
	if err != nil {
		return nil, 0, fmt.Errorf("person activities: %w", err)
	}
	var out []PersonActivity
	as := []domain.Activity{}
	for rows.Next() {
		var pa PersonActivity
		var state string
		var attended int
		a, err := scanActivity(rows, &state, &pa.Minutes, &attended)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		pa.Signup, pa.Attended = domain.SignupState(state), attended == 1
		out = append(out, pa)
		as = append(as, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := s.loadActivityDetails(ctx, as); err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Activity = as[i]
	}
	var total domain.Minutes
	err = s.queryRow(ctx, "SELECT COALESCE(SUM(minutes), 0) FROM activity_hours WHERE person_id = ?", personID).Scan(&total)
	return out, total, err
}
