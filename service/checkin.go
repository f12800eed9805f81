package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
)

// Check-in codes. The leader's phone shows a QR code of a link holding a
// token that names the activity, check-in or check-out, and the minute it
// was made, signed with a key derived from the secret. A new token is shown
// every minute; one is accepted for tokenLife after its minute, so that a
// volunteer who must first sign in still gets through, while a photo of the
// code passed around later does not.
const (
	tokenStep = time.Minute
	tokenLife = 5 * time.Minute
)

// CheckinKind says whether a token checks in or out.
type CheckinKind string

// The kinds.
const (
	KindIn  CheckinKind = "in"
	KindOut CheckinKind = "out"
)

// CheckinToken makes the current token of an activity for its organiser's
// QR code, and says until when it is shown.
func (s *Service) CheckinToken(ctx context.Context, c domain.Caller, activityID int64, kind CheckinKind) (string, time.Time, error) {
	a, err := s.onsiteActivity(ctx, c, activityID)
	if err != nil {
		return "", time.Time{}, err
	}
	if a.State != domain.ActivityScheduled {
		return "", time.Time{}, domain.Errorf(domain.CodeConflict, "err.activity.closed")
	}
	if kind != KindIn && kind != KindOut {
		return "", time.Time{}, domain.Invalid("kind", "err.checkin.token")
	}
	minute := s.store.Now().Truncate(tokenStep)
	return s.signToken(activityID, kind, minute.Unix()/60), minute.Add(tokenStep), nil
}

func (s *Service) signToken(activityID int64, kind CheckinKind, minute int64) string {
	body := fmt.Sprintf("%d.%s.%d", activityID, kind, minute)
	m := hmac.New(sha256.New, s.subkey("checkin"))
	m.Write([]byte(body))
	return body + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// parseToken checks a token's signature and age and returns what it names.
func (s *Service) parseToken(tok string) (int64, CheckinKind, error) {
	bad := domain.Errorf(domain.CodeInvalid, "err.checkin.token")
	parts := strings.Split(tok, ".")
	if len(tok) > 100 || len(parts) != 4 {
		return 0, "", bad
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	minute, err2 := strconv.ParseInt(parts[2], 10, 64)
	kind := CheckinKind(parts[1])
	if err1 != nil || err2 != nil || (kind != KindIn && kind != KindOut) {
		return 0, "", bad
	}
	if !hmac.Equal([]byte(s.signToken(id, kind, minute)), []byte(tok)) {
		return 0, "", bad
	}
	made := time.Unix(minute*60, 0)
	now := s.store.Now()
	if now.Sub(made) > tokenStep+tokenLife || made.Sub(now) > tokenStep {
		return 0, "", domain.Errorf(domain.CodeInvalid, "err.checkin.expired")
	}
	return id, kind, nil
}

// CheckinView is what the check-in page shows before the volunteer taps.
type CheckinView struct {
	Activity domain.Activity
	Kind     CheckinKind
	Token    string
	Geo      bool // a check-in that needs the volunteer's position
}

// CheckinPage reads a scanned token for the page that confirms it.
func (s *Service) CheckinPage(ctx context.Context, c domain.Caller, tok string) (CheckinView, error) {
	if err := domain.Authorize(c.Principal, domain.ActCheckIn, domain.Target{UserID: c.UserID}); err != nil {
		return CheckinView{}, err
	}
	id, kind, err := s.parseToken(tok)
	if err != nil {
		return CheckinView{}, err
	}
	a, err := s.store.ActivityByID(ctx, id)
	if err != nil {
		return CheckinView{}, err
	}
	g, err := s.store.ActivityGeo(ctx, id)
	if err != nil {
		return CheckinView{}, err
	}
	return CheckinView{Activity: a, Kind: kind, Token: tok, Geo: kind == KindIn && g.Required()}, nil
}

// CheckinResult is what a scan recorded.
type CheckinResult struct {
	Activity domain.Activity
	Kind     CheckinKind
	Already  bool // a repeat: nothing new was recorded
	At       time.Time
}

// CheckInByToken records the calling volunteer's check-in or check-out from
// a scanned token. Scanning twice records once.
func (s *Service) CheckInByToken(ctx context.Context, c domain.Caller, tok string) (CheckinResult, error) {
	return s.CheckInFrom(ctx, c, tok, CheckinClient{})
}

// CheckInFrom is CheckInByToken with what the phone sent: its device, the
// page's nonce and its position (checkin_fraud.go).
func (s *Service) CheckInFrom(ctx context.Context, c domain.Caller, tok string, cl CheckinClient) (CheckinResult, error) {
	if err := domain.Authorize(c.Principal, domain.ActCheckIn, domain.Target{UserID: c.UserID}); err != nil {
		return CheckinResult{}, err
	}
	id, kind, err := s.parseToken(tok)
	if err != nil {
		return CheckinResult{}, err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return CheckinResult{}, domain.Errorf(domain.CodeConflict, "err.signup.no_person")
	}
	a, err := s.store.ActivityByID(ctx, id)
	if err != nil {
		return CheckinResult{}, err
	}
	if err := s.attendable(ctx, a, p.ID); err != nil {
		return CheckinResult{}, err
	}
	var already bool
	if kind == KindIn {
		already, err = s.checkInChecked(ctx, c, a, p.ID, tok, cl)
	} else {
		already, err = s.recordAttendance(ctx, c, a.ID, p.ID, false, domain.MethodQR)
	}
	return CheckinResult{Activity: a, Kind: kind, Already: already, At: s.store.Now()}, err
}
