package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
)

// Duration rules (migration 029; the counting itself is
// domain.CountMinutes). Versions are never edited: a change is a new
// version, numbered one more than the last (a unique key refuses two with
// one number). A record's minutes change under a rule only through
// CompleteActivity (the version in force on the activity's China day) or
// ApplyDurationRule, which writes each change as an approved version of the
// record, so every change stays in the record's history.

const durationRuleColumns = `id, version, effective_on, bands, min_share, daily_max, checkout_delay, note, created_name`

func scanDurationRule(row interface{ Scan(...any) error }) (domain.DurationRule, error) {
	var r domain.DurationRule
	var bands string
	if err := row.Scan(&r.ID, &r.Version, &r.EffectiveOn, &bands, &r.MinShare, &r.DailyMax, &r.CheckoutDelay,
		&r.Note, &r.CreatedName); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(bands), &r.Bands); err != nil {
		return r, fmt.Errorf("duration rule %d: %w", r.ID, err)
	}
	return r, nil
}

// DurationRules lists every version, the newest first.
func (s *Store) DurationRules(ctx context.Context) ([]domain.DurationRule, error) {
	rows, err := s.query(ctx, "SELECT "+durationRuleColumns+" FROM duration_rules ORDER BY version DESC")
	if err != nil {
		return nil, fmt.Errorf("duration rules: %w", err)
	}
	defer rows.Close()
	var out []domain.DurationRule
	for rows.Next() {
		r, err := scanDurationRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DurationRuleByID finds one version.
func (s *Store) DurationRuleByID(ctx context.Context, id int64) (domain.DurationRule, error) {
	r, err := scanDurationRule(s.queryRow(ctx, "SELECT "+durationRuleColumns+" FROM duration_rules WHERE id = ?", id))
	return r, notFound(err, "err.rules.not_found")
}

// DurationRuleOn returns the version in force on a China day: the latest
// effective on or before it (the highest version of several with one
// date), or nil when none is.
func (tx *Tx) DurationRuleOn(day string) (*domain.DurationRule, error) {
	r, err := scanDurationRule(tx.queryRow("SELECT "+durationRuleColumns+` FROM duration_rules WHERE effective_on <= ?
		ORDER BY effective_on DESC, version DESC LIMIT 1`, day))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("duration rule on %s: %w", day, err)
	}
	return &r, nil
}

// AddDurationRule stores a new version (validated by the caller) and
// audits it; its number is one more than the last.
func (tx *Tx) AddDurationRule(r domain.DurationRule) (domain.DurationRule, error) {
	body, err := json.Marshal(r.Bands)
	if err != nil {
		return r, err
	}
	if err := tx.queryRow("SELECT COALESCE(MAX(version), 0) + 1 FROM duration_rules").Scan(&r.Version); err != nil {
		return r, err
	}
	r.CreatedName = tx.actor.Username
	r.ID, err = tx.insert(`INSERT INTO duration_rules (version, effective_on, bands, min_share, daily_max, checkout_delay,
		note, created_by, created_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Version, r.EffectiveOn, string(body), r.MinShare, int64(r.DailyMax), int64(r.CheckoutDelay), r.Note,
		nullID(tx.actor.UserID), r.CreatedName, micros(tx.now))
	if isUniqueViolation(err) {
		return r, domain.Errorf(domain.CodeConflict, "err.rules.conflict")
	}
	if err != nil {
		return r, fmt.Errorf("add duration rule: %w", err)
	}
	return r, tx.Audit("duration_rule.create", "duration_rule", strconv.FormatInt(r.ID, 10), nil,
		map[string]any{"version": r.Version, "effective_on": r.EffectiveOn, "bands": string(body),
			"min_share": r.MinShare, "daily_max": r.DailyMax, "checkout_delay": r.CheckoutDelay, "note": r.Note})
}

// dayOfStart is the span of a China day in micros.
func dayOfStart(t time.Time) (int64, int64) {
	c := t.In(domain.ChinaZone)
	lo := time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, domain.ChinaZone)
	return micros(lo), micros(lo.AddDate(0, 0, 1))
}

// countedThatDay sums the minutes person has counted in other activities
// starting on the China day of starts; with before set, only in those
// ordered before (starts, id) — the order ApplyDurationRule goes in.
func (tx *Tx) countedThatDay(personID, activityID int64, starts time.Time, before bool) (domain.Minutes, error) {
	lo, hi := dayOfStart(starts)
	q := `SELECT COALESCE(SUM(h.minutes), 0) FROM activity_hours h JOIN activities a ON a.id = h.activity_id
		WHERE h.person_id = ? AND a.id <> ? AND a.starts_at >= ? AND a.starts_at < ?`
	args := []any{personID, activityID, lo, hi}
	if before {
		q += " AND (a.starts_at < ? OR (a.starts_at = ? AND a.id < ?))"
		args = append(args, micros(starts), micros(starts), activityID)
	}
	var m domain.Minutes
	err := tx.queryRow(q, args...).Scan(&m)
	return m, err
}

// countRecord is the minutes a record counts under rule (nil: none) for
// the attended minutes m.
func (tx *Tx) countRecord(rule *domain.DurationRule, activityID, personID int64, starts, ends time.Time,
	m domain.Minutes, before bool) (domain.Counted, error) {
	var already domain.Minutes
	if rule != nil && rule.DailyMax > 0 {
		var err error
		if already, err = tx.countedThatDay(personID, activityID, starts, before); err != nil {
			return domain.Counted{}, err
		}
	}
	if days := chinaDaysSpanned(starts, ends); rule != nil && days > 1 {
		// An activity over several days may count a day's maximum for
		// each day it runs (what the other activities of its first day
		// counted still comes off).
		r := *rule
		r.DailyMax *= domain.Minutes(days)
		rule = &r
	}
	return domain.CountMinutes(rule, domain.MinutesIn(ends.Sub(starts)), m, already), nil
}

// chinaDaysSpanned counts the China days from starts to ends (an end at
// midnight belongs to the day before).
func chinaDaysSpanned(starts, ends time.Time) int {
	lo, _ := dayOfStart(starts)
	hi, _ := dayOfStart(ends.Add(-time.Microsecond))
	if hi <= lo {
		return 1
	}
	return int((hi-lo)/int64(24*time.Hour/time.Microsecond)) + 1
}

func ruleID(rule *domain.DurationRule) any {
	if rule == nil {
		return nil
	}
	return rule.ID
}

// ApplyResult is what applying a rule to records did.
type ApplyResult struct {
	Changed   int
	Unchanged int
	Pending   []string // records skipped: a correction waits ("activity · person")
	Corrected []string // records skipped: corrected by hand, not recomputed
}

type applyRecord struct {
	activityID, personID int64
	title, person        string
	starts, ends         time.Time
	minutes              domain.Minutes
	pending, corrected   int
}

// ApplyDurationRule recomputes under rule the records of the completed
// activities starting from..to (China days, inclusive), in order of start,
// from their attendance. A record whose minutes change gets an approved
// version named after the rule with reason, its points and the activity's
// totals follow. Records with a correction waiting, corrected by hand, or
// with no attendance (recorded by hand) are left alone; the first two are
// reported.
func (tx *Tx) ApplyDurationRule(rule domain.DurationRule, from, to, reason, decider string) (ApplyResult, error) {
	var res ApplyResult
	lo, err1 := time.ParseInLocation("2006-01-02", from, domain.ChinaZone)
	hi, err2 := time.ParseInLocation("2006-01-02", to, domain.ChinaZone)
	if err1 != nil || err2 != nil || hi.Before(lo) {
		return res, domain.Invalid("from", "err.rules.period")
	}
	rows, err := tx.query(`SELECT h.activity_id, h.person_id, a.title, p.name, a.starts_at, a.ends_at, h.minutes,
		(SELECT COUNT(*) FROM record_versions v WHERE v.activity_id = h.activity_id AND v.person_id = h.person_id AND v.state = 'pending'),
		(SELECT COUNT(*) FROM record_versions v WHERE v.activity_id = h.activity_id AND v.person_id = h.person_id
			AND v.state = 'approved' AND v.version > 1 AND v.requested_name NOT LIKE '时长规则%')
		FROM activity_hours h JOIN activities a ON a.id = h.activity_id JOIN people p ON p.id = h.person_id
		WHERE a.state = 'completed' AND a.starts_at >= ? AND a.starts_at < ?
		ORDER BY a.starts_at, a.id, h.person_id`, micros(lo), micros(hi.AddDate(0, 0, 1)))
	if err != nil {
		return res, fmt.Errorf("records to recompute: %w", err)
	}
	var recs []applyRecord
	for rows.Next() {
		var r applyRecord
		var s, e int64
		if err := rows.Scan(&r.activityID, &r.personID, &r.title, &r.person, &s, &e, &r.minutes, &r.pending, &r.corrected); err != nil {
			rows.Close()
			return res, err
		}
		r.starts, r.ends = fromMicros(s), fromMicros(e)
		recs = append(recs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	touched := map[int64]bool{}
	for _, r := range recs {
		name := r.title + " · " + r.person
		switch {
		case r.pending > 0:
			res.Pending = append(res.Pending, name)
			continue
		case r.corrected > 0:
			res.Corrected = append(res.Corrected, name)
			continue
		}
		pairs, err := tx.personPairs(r.activityID, r.personID, "")
		if err != nil {
			return res, err
		}
		if len(pairs) == 0 {
			continue // recorded by hand: no attendance to count from
		}
		c, err := tx.countRecord(&rule, r.activityID, r.personID, r.starts, r.ends,
			domain.AttendedMinutes(r.starts, r.ends, pairs), true)
		if err != nil {
			return res, err
		}
		if c.Minutes == r.minutes {
			res.Unchanged++
			if _, err := tx.exec("UPDATE activity_hours SET rule_id = ? WHERE activity_id = ? AND person_id = ?",
				rule.ID, r.activityID, r.personID); err != nil {
				return res, err
			}
			continue
		}
		if err := tx.writeRuleVersion(rule, r, c.Minutes, reason, decider); err != nil {
			return res, err
		}
		res.Changed++
		touched[r.activityID] = true
	}
	for id := range touched {
		if err := tx.refreshActivityTotals(id, id); err != nil {
			return res, err
		}
	}
	return res, tx.Audit("duration_rule.apply", "duration_rule", strconv.FormatInt(rule.ID, 10), nil,
		map[string]any{"from": from, "to": to, "reason": reason, "changed": res.Changed, "unchanged": res.Unchanged,
			"pending": len(res.Pending), "corrected": len(res.Corrected)})
}

// writeRuleVersion records a record's new minutes under rule as an approved
// version (copying the original first, as RequestCorrection does), makes
// them the ones that count and credits the points.
func (tx *Tx) writeRuleVersion(rule domain.DurationRule, r applyRecord, minutes domain.Minutes, reason, decider string) error {
	var last int
	var recorded int64
	if err := tx.queryRow(`SELECT COALESCE((SELECT MAX(version) FROM record_versions WHERE activity_id = ? AND person_id = ?), 0),
		recorded_at FROM activity_hours WHERE activity_id = ? AND person_id = ?`,
		r.activityID, r.personID, r.activityID, r.personID).Scan(&last, &recorded); err != nil {
		return err
	}
	if last == 0 {
		if _, err := tx.exec(`INSERT INTO record_versions (activity_id, person_id, version, minutes, state, requested_at,
			previous_minutes, decided_at) VALUES (?, ?, 1, ?, 'approved', ?, 0, ?)`,
			r.activityID, r.personID, int64(r.minutes), recorded, recorded); err != nil {
			return fmt.Errorf("copy the original record: %w", err)
		}
		last = 1
	}
	if _, err := tx.exec(`INSERT INTO record_versions (activity_id, person_id, version, minutes, reason, state,
		requested_by, requested_name, requested_at, previous_minutes, decided_by, decided_name, decided_at, decision_note)
		VALUES (?, ?, ?, ?, ?, 'approved', ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.activityID, r.personID, last+1, int64(minutes), reason, nullID(tx.actor.UserID), rule.Name(), micros(tx.now),
		int64(r.minutes), nullID(tx.actor.UserID), decider, micros(tx.now), rule.Name()); err != nil {
		return fmt.Errorf("rule version: %w", err)
	}
	if _, err := tx.exec("UPDATE activity_hours SET minutes = ?, rule_id = ? WHERE activity_id = ? AND person_id = ?",
		int64(minutes), rule.ID, r.activityID, r.personID); err != nil {
		return err
	}
	if err := tx.CreditPoints(r.activityID, r.personID, PointsRule); err != nil {
		return err
	}
	return tx.Audit("service_record.rule_apply", "service_record", recordID(r.activityID, r.personID),
		map[string]any{"minutes": r.minutes}, map[string]any{"minutes": minutes, "rule": rule.Name(), "reason": reason})
}

// AutoCheckout checks out everyone still checked in to a scheduled
// activity whose rule's delay has passed since its scheduled end: at the
// scheduled end, method auto, flagged auto_checkout for the leader (a flag
// already set stays). It returns how many pairs it closed, at most limit
// activities a call.
func (tx *Tx) AutoCheckout(limit int) (int, error) {
	rows, err := tx.query(`SELECT DISTINCT a.id, a.starts_at, a.ends_at FROM attendance t JOIN activities a ON a.id = t.activity_id
		WHERE t.check_out = 0 AND a.state = 'scheduled' AND a.ends_at <= ? ORDER BY a.ends_at, a.id`, micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("open attendance: %w", err)
	}
	type due struct{ id, starts, ends int64 }
	var all []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.starts, &d.ends); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	closed, seen := 0, 0
	for _, d := range all {
		rule, err := tx.DurationRuleOn(domain.ChinaDay(fromMicros(d.starts)))
		if err != nil {
			return closed, err
		}
		if rule == nil || rule.CheckoutDelay <= 0 || d.ends+int64(rule.CheckoutDelay.Duration()/time.Microsecond) > micros(tx.now) {
			continue
		}
		if seen++; seen > limit {
			break
		}
		res, err := tx.exec(`UPDATE attendance SET check_out = CASE WHEN check_in < ? THEN ? ELSE check_in END,
			method_out = 'auto', flag = CASE WHEN flag = '' THEN 'auto_checkout' ELSE flag END
			WHERE activity_id = ? AND check_out = 0`, d.ends, d.ends, d.id)
		if err != nil {
			return closed, fmt.Errorf("auto check-out: %w", err)
		}
		n, _ := res.RowsAffected()
		closed += int(n)
		if err := tx.Audit("attendance.auto_checkout", "activity", strconv.FormatInt(d.id, 10), nil,
			map[string]any{"pairs": n, "rule": rule.Name(), "delay": rule.CheckoutDelay}); err != nil {
			return closed, err
		}
	}
	return closed, nil
}

// FlaggedPair is an attendance pair flagged for the leader.
type FlaggedPair struct {
	ID         int64
	PersonID   int64
	PersonName string
	CheckIn    time.Time
	CheckOut   time.Time
	Flag       string
	Note       string
}

// AttendanceFlags lists an activity's pairs that carry a flag, or whose
// flag was cleared with a note (Flag empty), by person and time.
func (s *Store) AttendanceFlags(ctx context.Context, activityID int64) ([]FlaggedPair, error) {
	rows, err := s.query(ctx, `SELECT t.id, t.person_id, p.name, t.check_in, t.check_out, t.flag, t.flag_note
		FROM attendance t JOIN people p ON p.id = t.person_id WHERE t.activity_id = ? AND (t.flag <> '' OR t.flag_note <> '')
		ORDER BY p.name, t.check_in, t.id`, activityID)
	if err != nil {
		return nil, fmt.Errorf("attendance flags: %w", err)
	}
	defer rows.Close()
	var out []FlaggedPair
	for rows.Next() {
		var f FlaggedPair
		var in, outAt int64
		if err := rows.Scan(&f.ID, &f.PersonID, &f.PersonName, &in, &outAt, &f.Flag, &f.Note); err != nil {
			return nil, err
		}
		f.CheckIn, f.CheckOut = fromMicros(in), fromMicros(outAt)
		out = append(out, f)
	}
	return out, rows.Err()
}

// ClearAttendanceFlag clears the flag of a pair of the activity, keeping
// note; a pair with no flag is a conflict.
func (tx *Tx) ClearAttendanceFlag(activityID, pairID int64, note string) error {
	var flag string
	if err := tx.queryRow("SELECT flag FROM attendance WHERE id = ? AND activity_id = ?", pairID, activityID).
		Scan(&flag); err != nil {
		return notFound(err, "err.rules.flag_not_found")
	}
	note = strings.TrimSpace(note)
	res, err := tx.exec("UPDATE attendance SET flag = '', flag_note = ? WHERE id = ? AND flag <> ''", note, pairID)
	if err != nil {
		return fmt.Errorf("clear flag: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeConflict, "err.rules.flag_cleared")
	}
	return tx.Audit("attendance.flag_clear", "attendance", strconv.FormatInt(pairID, 10),
		map[string]any{"flag": flag}, map[string]any{"flag": "", "note": note, "activity_id": activityID})
}
