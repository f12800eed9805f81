package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
)

// Check-in that resists fraud (migration 030). A check-in carries a keyed
// hash of the phone's device cookie (never the cookie itself), the
// position the browser gave, and flags for the leader. The rules, kept
// here under the activity's row lock so two scans cannot both slip by:
//   - one phone per person: once a person has checked in from a phone,
//     another check-in of theirs from a different phone is refused;
//   - a phone that already checked in someone else for this activity
//     flags the check-in (domain.FlagSharedDevice): a phone used for a
//     friend;
//   - the caller's own flags (another phone posted the page's form; the
//     leader's override) are kept beside them.
// A flag is cleared by the leader with a note and stays visible as cleared.

// CheckinMark is what a check-in carries beyond who and when.
type CheckinMark struct {
	Device string // keyed hash of the device cookie; "" for a check-in by hand
	Geo    string // domain.Position.String(); "" when not asked
	Flag   string // comma-separated domain.Flag* values
	Note   string // the leader's reason, or the details of a flag
}

// markCheckin applies the device rules to a check-in about to be written
// and returns its mark with any flag added.
func (tx *Tx) markCheckin(activityID, personID int64, m CheckinMark) (CheckinMark, error) {
	if m.Device == "" {
		return m, nil
	}
	var other int
	err := tx.queryRow(`SELECT COUNT(*) FROM attendance WHERE activity_id = ? AND person_id = ? AND device <> ''
		AND device <> ?`, activityID, personID, m.Device).Scan(&other)
	if err != nil {
		return m, fmt.Errorf("check-in device: %w", err)
	}
	if other > 0 {
		return m, domain.Errorf(domain.CodeConflict, "err.checkin2.other_phone")
	}
	var shared int
	err = tx.queryRow(`SELECT COUNT(*) FROM attendance WHERE activity_id = ? AND person_id <> ? AND device = ?`,
		activityID, personID, m.Device).Scan(&shared)
	if err != nil {
		return m, fmt.Errorf("check-in device: %w", err)
	}
	if shared > 0 {
		m.Flag = addFlag(m.Flag, domain.FlagSharedDevice)
	}
	return m, nil
}

func addFlag(flags, f string) string {
	if flags == "" {
		return f
	}
	return flags + "," + f
}

// ActivityGeo reads an activity's location requirement.
func (s *Store) ActivityGeo(ctx context.Context, activityID int64) (domain.GeoRule, error) {
	var lat, lng sql.NullFloat64
	var g domain.GeoRule
	err := s.queryRow(ctx, "SELECT geo_lat, geo_lng, geo_radius_m FROM activities WHERE id = ?", activityID).
		Scan(&lat, &lng, &g.Radius)
	if err != nil {
		return g, notFound(err, "err.activity.not_found")
	}
	g.Lat, g.Lng = lat.Float64, lng.Float64
	return g, nil
}

// RegionPoint is a region's point, the default place of its activities;
// ok is false when the region has none.
func (s *Store) RegionPoint(ctx context.Context, regionID int64) (lat, lng float64, ok bool) {
	if regionID == 0 {
		return 0, 0, false
	}
	err := s.queryRow(ctx, "SELECT lat, lng FROM regions WHERE id = ?", regionID).Scan(&lat, &lng)
	return lat, lng, err == nil && (lat != 0 || lng != 0)
}

// SetActivityGeo sets or removes (Radius 0) an activity's location
// requirement.
func (tx *Tx) SetActivityGeo(activityID int64, g domain.GeoRule) error {
	var before domain.GeoRule
	var lat, lng sql.NullFloat64
	if err := tx.queryRow("SELECT geo_lat, geo_lng, geo_radius_m FROM activities WHERE id = ?", activityID).
		Scan(&lat, &lng, &before.Radius); err != nil {
		return notFound(err, "err.activity.not_found")
	}
	before.Lat, before.Lng = lat.Float64, lng.Float64
	var nlat, nlng any
	if g.Radius > 0 {
		nlat, nlng = g.Lat, g.Lng
	}
	if _, err := tx.exec("UPDATE activities SET geo_lat = ?, geo_lng = ?, geo_radius_m = ? WHERE id = ?",
		nlat, nlng, g.Radius, activityID); err != nil {
		return fmt.Errorf("set activity geo: %w", err)
	}
	sum := func(g domain.GeoRule) map[string]any {
		return map[string]any{"geo_lat": g.Lat, "geo_lng": g.Lng, "geo_radius_m": g.Radius}
	}
	return tx.Audit("activity.geo", "activity", strconv.FormatInt(activityID, 10), sum(before), sum(g))
}

// FlaggedCheckin is a check-in with a flag, for the leader's list.
type FlaggedCheckin struct {
	ID         int64
	PersonID   int64
	PersonName string
	CheckIn    time.Time
	Flags      []string
	Note       string
	Cleared    string // the leader's note; "" while open
}

// FlaggedCheckins lists an activity's flagged check-ins, open ones first.
func (s *Store) FlaggedCheckins(ctx context.Context, activityID int64) ([]FlaggedCheckin, error) {
	rows, err := s.query(ctx, `SELECT a.id, a.person_id, p.name, a.check_in, a.fraud_flag, a.fraud_note, a.fraud_cleared
		FROM attendance a JOIN people p ON p.id = a.person_id
		WHERE a.activity_id = ? AND a.fraud_flag <> ''
		ORDER BY CASE WHEN a.fraud_cleared = '' THEN 0 ELSE 1 END, a.check_in, a.id`, activityID)
	if err != nil {
		return nil, fmt.Errorf("flagged check-ins: %w", err)
	}
	defer rows.Close()
	var out []FlaggedCheckin
	for rows.Next() {
		var f FlaggedCheckin
		var flags string
		var in int64
		if err := rows.Scan(&f.ID, &f.PersonID, &f.PersonName, &in, &flags, &f.Note, &f.Cleared); err != nil {
			return nil, err
		}
		f.CheckIn = fromMicros(in)
		f.Flags = strings.Split(flags, ",")
		out = append(out, f)
	}
	return out, rows.Err()
}

// ClearCheckinFlag clears an open flag of one of an activity's check-ins
// with the leader's note; the flag stays, marked cleared.
func (tx *Tx) ClearCheckinFlag(activityID, attendanceID int64, note string) error {
	var flag, cleared string
	err := tx.queryRow("SELECT fraud_flag, fraud_cleared FROM attendance WHERE id = ? AND activity_id = ?",
		attendanceID, activityID).Scan(&flag, &cleared)
	if err != nil || flag == "" {
		return domain.Errorf(domain.CodeNotFound, "err.checkin2.no_flag")
	}
	if cleared != "" {
		return domain.Errorf(domain.CodeConflict, "err.checkin2.cleared")
	}
	if _, err := tx.exec("UPDATE attendance SET fraud_cleared = ?, fraud_cleared_by = ? WHERE id = ?",
		note, nullID(tx.actor.UserID), attendanceID); err != nil {
		return fmt.Errorf("clear check-in flag: %w", err)
	}
	return tx.Audit("attendance.flag_clear", "attendance", strconv.FormatInt(attendanceID, 10),
		map[string]any{"flag": flag}, map[string]any{"flag": flag, "cleared": note})
}
