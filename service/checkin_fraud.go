package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math"
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// Check-in that resists fraud (issue 15 item 5). What it catches and what
// it cannot is written in docs/SECURITY.md ("Check-in that resists fraud").
//   - Location: an activity may require the volunteer within a radius of
//     its place. The browser sends its position; the server computes the
//     distance and decides. No position refuses, and says to allow
//     location or ask the leader, who may check the person in by hand with
//     a reason (flagged, audited).
//   - Device: the check-in page gives the phone a long-lived random cookie;
//     each check-in keeps a keyed hash of it (store/checkin_fraud.go). The
//     page's form carries a nonce bound to that cookie and to the code; a
//     form posted from another phone (or with no cookie) is flagged. One
//     phone per person: a person's later check-in from another phone is
//     refused; a phone checking in a second person is flagged.

// CheckinClient is what the volunteer's phone sent with a check-in. The
// zero value is a client that sent nothing (the JSON API): no device
// checks, and no position.
type CheckinClient struct {
	Web      bool   // posted from the check-in page, which must carry the nonce
	Device   string // the device cookie's value; "" when the phone has none
	Nonce    string // the nonce the page held
	Position domain.Position
	HasPos   bool // the browser gave a position
}

// DeviceHash is the keyed hash of a device cookie kept with check-ins, so
// the cookie itself is never stored.
func (s *Service) DeviceHash(device string) string {
	if device == "" {
		return ""
	}
	m := hmac.New(sha256.New, s.subkey("checkin_device"))
	m.Write([]byte(device))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// CheckinNonce is the nonce the check-in page puts in its form: bound to
// the phone that opened the page and to the code it opened.
func (s *Service) CheckinNonce(device, tok string) string {
	if device == "" {
		return ""
	}
	m := hmac.New(sha256.New, s.subkey("checkin_nonce"))
	m.Write([]byte(device + "\x00" + tok))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// checkInChecked checks the volunteer's position against the activity's
// requirement and records the check-in with the phone's mark.
func (s *Service) checkInChecked(ctx context.Context, c domain.Caller, a domain.Activity, personID int64, tok string,
	cl CheckinClient) (bool, error) {
	g, err := s.store.ActivityGeo(ctx, a.ID)
	if err != nil {
		return false, err
	}
	m := store.CheckinMark{Device: s.DeviceHash(cl.Device)}
	if cl.HasPos {
		m.Geo = cl.Position.String()
	}
	if g.Required() {
		if !cl.HasPos {
			return false, domain.Errorf(domain.CodeConflict, "err.checkin2.no_position")
		}
		d := domain.DistanceM(g.Lat, g.Lng, cl.Position.Lat, cl.Position.Lng)
		if d > float64(g.Radius) {
			return false, domain.Errorf(domain.CodeConflict, "err.checkin2.too_far", int(math.Round(d)), g.Radius)
		}
	}
	if cl.Web && (cl.Device == "" || !hmac.Equal([]byte(cl.Nonce), []byte(s.CheckinNonce(cl.Device, tok)))) {
		m.Flag = domain.FlagOtherDevice
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.CheckInMarked(a.ID, personID, domain.MethodQR, m)
	})
	if errors.Is(err, store.ErrAlreadyRecorded) {
		return true, nil
	}
	return false, err
}

// OverrideCheckIn is the leader checking a person in by hand with a
// reason, when the location check refuses them (no position, or too far):
// recorded as by hand and flagged, with the reason, in the audit log.
func (s *Service) OverrideCheckIn(ctx context.Context, c domain.Caller, activityID, personID int64, reason string) (bool, error) {
	a, err := s.onsiteActivity(ctx, c, activityID)
	if err != nil {
		return false, err
	}
	reason = strings.TrimSpace(reason)
	var v domain.Validation
	v.Check(reason != "", "reason", "err.checkin2.reason")
	v.Check(len([]rune(reason)) <= 200, "reason", "err.checkin2.reason_long", 200)
	if err := v.Err(); err != nil {
		return false, err
	}
	if err := s.attendable(ctx, a, personID); err != nil {
		return false, err
	}
	m := store.CheckinMark{Flag: domain.FlagGeoOverride, Note: reason}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.CheckInMarked(a.ID, personID, domain.MethodManual, m)
	})
	if errors.Is(err, store.ErrAlreadyRecorded) {
		return true, nil
	}
	return false, err
}

// GeoSetting is an activity's location requirement as its form shows it:
// the saved rule, or the activity's region's point as the default place.
type GeoSetting struct {
	Rule       domain.GeoRule
	DefaultLat float64
	DefaultLng float64
	HasDefault bool
}

// ActivityGeo reads an activity's location requirement for its organiser.
func (s *Service) ActivityGeo(ctx context.Context, c domain.Caller, activityID int64) (GeoSetting, error) {
	a, err := s.onsiteActivity(ctx, c, activityID)
	if err != nil {
		return GeoSetting{}, err
	}
	g, err := s.store.ActivityGeo(ctx, activityID)
	if err != nil {
		return GeoSetting{}, err
	}
	st := GeoSetting{Rule: g}
	st.DefaultLat, st.DefaultLng, st.HasDefault = s.store.RegionPoint(ctx, a.RegionID)
	return st, nil
}

// SetActivityGeo sets or (radius 0) removes an activity's location
// requirement.
func (s *Service) SetActivityGeo(ctx context.Context, c domain.Caller, activityID int64, g domain.GeoRule) error {
	a, err := s.onsiteActivity(ctx, c, activityID)
	if err != nil {
		return err
	}
	if a.State != domain.ActivityScheduled {
		return domain.Errorf(domain.CodeConflict, "err.activity.closed")
	}
	if err := g.Validate(); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.SetActivityGeo(activityID, g) })
}

// FlaggedCheckins lists an activity's flagged check-ins for its organiser.
func (s *Service) FlaggedCheckins(ctx context.Context, c domain.Caller, activityID int64) ([]store.FlaggedCheckin, error) {
	if _, err := s.onsiteActivity(ctx, c, activityID); err != nil {
		return nil, err
	}
	return s.store.FlaggedCheckins(ctx, activityID)
}

// ClearCheckinFlag clears a flag with the leader's note.
func (s *Service) ClearCheckinFlag(ctx context.Context, c domain.Caller, activityID, attendanceID int64, note string) error {
	if _, err := s.onsiteActivity(ctx, c, activityID); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	var v domain.Validation
	v.Check(note != "", "note", "err.checkin2.note")
	v.Check(len([]rune(note)) <= 200, "note", "err.checkin2.reason_long", 200)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.ClearCheckinFlag(activityID, attendanceID, note)
	})
}
