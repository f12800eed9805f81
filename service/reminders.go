package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// The reminder round (提醒) and attendance confirmation (出席确认); the
// rules are in domain/reminder.go. The lead's job runner calls RemindRound
// every few minutes on one instance; it may run twice or at once on two,
// because every notice it sends is keyed by its occurrence.

// remindBatch is how many rows one transaction of the round handles.
const remindBatch = 100

// RemindRound sends the reminders that are due, escalates dispatches left
// unanswered, checks out those still in past the duration rule's delay, and
// releases unconfirmed places whose release time has come.
func (s *Service) RemindRound(ctx context.Context) error {
	now := s.store.Now()
	if from, to, ok := domain.TomorrowWindow(now); ok {
		if err := s.remind(ctx, domain.EventActivityTomorrow, "tomorrow", from, to, false); err != nil {
			return err
		}
	}
	if err := s.remind(ctx, domain.EventActivitySoon, "soon", now, now.Add(domain.SoonWindow), true); err != nil {
		return err
	}
	if err := s.escalateOverdue(ctx, now); err != nil {
		return err
	}
	if err := s.AutoCheckoutRound(ctx); err != nil { // duration rules (service/rules.go)
		return err
	}
	return s.releaseUnconfirmed(ctx, now)
}

// remind tells each holder of a place in an activity starting in [from,
// to) of it, batch by batch, with the link to confirm.
func (s *Service) remind(ctx context.Context, e domain.Event, kind string, from, to time.Time, urgent bool) error {
	var after int64
	for {
		var n int
		err := s.store.Housekeep(ctx, func(tx *store.Tx) error {
			due, err := tx.DueReminders(e, kind, from, to, after, remindBatch)
			if err != nil {
				return err
			}
			n = len(due)
			for _, d := range due {
				after = d.SignupID
				id := strconv.FormatInt(d.ActivityID, 10)
				err := notifyTx(tx, store.NewNotification{Event: e, Subject: store.ReminderSubject(d.ActivityID, kind, d.StartsAt), PersonID: d.PersonID,
					Args: []string{d.Title, domain.NoticeTime(d.StartsAt), d.Place}, Link: "/activities/" + id + "/attend-confirm",
					Urgent: urgent})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("remind %s: %w", e, err)
		}
		if n < remindBatch {
			return nil
		}
	}
}

// remindTime is a start as the reminder's words show it, in Shanghai time.
// escalateOverdue tells the committee's admins of each dispatch unanswered
// for DispatchOverdue, and again at each further multiple of it: the level
// is in the subject, so each level is told once and a level skipped while
// the round was not running is not told late.
func (s *Service) escalateOverdue(ctx context.Context, now time.Time) error {
	var after int64
	for {
		var n int
		err := s.store.Housekeep(ctx, func(tx *store.Tx) error {
			ds, err := tx.OverdueBatch(now.Add(-domain.DispatchOverdue), after, remindBatch)
			if err != nil {
				return err
			}
			n = len(ds)
			if n == 0 {
				return nil
			}
			admins, err := tx.CommitteeAdminUsers()
			if err != nil {
				return err
			}
			for _, d := range ds {
				after = d.ID
				level := domain.OverdueLevel(d.DispatchedAt, now)
				days := int(now.Sub(d.DispatchedAt) / (24 * time.Hour))
				for _, uid := range admins {
					err := notifyTx(tx, store.NewNotification{Event: domain.EventDispatchOverdue,
						Subject: "dispatch:" + strconv.FormatInt(d.ID, 10) + ":overdue:" + strconv.Itoa(level), UserID: uid,
						Args: []string{domain.OrderNumber(d.OrderID), d.TeamName, strconv.Itoa(days)},
						Link: "/desk/orders/" + strconv.FormatInt(d.OrderID, 10)})
					if err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("escalate overdue dispatches: %w", err)
		}
		if n < remindBatch {
			return nil
		}
	}
}

// releaseBatch is how many activities one transaction releases places of:
// each takes its activity's row lock, so fewer than remindBatch.
const releaseBatch = 20

// releaseUnconfirmed releases the places of volunteers who were reminded
// and did not confirm, once their activity's release time has come, and
// gives them to the waitlist. The released are told here, the promoted by
// the promotion itself.
func (s *Service) releaseUnconfirmed(ctx context.Context, now time.Time) error {
	var after int64
	for {
		ids, err := s.store.ActivitiesToRelease(ctx, now, after, releaseBatch)
		if err != nil || len(ids) == 0 {
			return err
		}
		after = ids[len(ids)-1]
		err = s.store.Write(ctx, domain.SystemActor, func(tx *store.Tx) error {
			for _, id := range ids {
				if err := releaseActivity(tx, id); err != nil {
					return fmt.Errorf("activity %d: %w", id, err)
				}
			}
			// An activity with nothing left to release (a volunteer
			// confirmed meanwhile) still leaves a line of the round.
			return tx.Audit("signup.release_round", "activity", strconv.FormatInt(ids[0], 10), nil,
				map[string]any{"activities": ids})
		})
		if err != nil {
			return fmt.Errorf("release unconfirmed places: %w", err)
		}
		if len(ids) < releaseBatch {
			return nil
		}
	}
}

// releaseActivity releases one activity's unconfirmed places in tx.
func releaseActivity(tx *store.Tx, activityID int64) error {
	rel, err := tx.ReleaseUnconfirmed(activityID)
	if domain.ErrCode(err) == domain.CodeConflict {
		return nil // cancelled or completed since it was listed
	} else if err != nil {
		return err
	}
	title, when := rel.Title, domain.NoticeTime(rel.StartsAt)
	id := strconv.FormatInt(activityID, 10)
	for _, r := range rel.Released {
		err := notifyTx(tx, store.NewNotification{Event: domain.EventPlaceReleased,
			Subject: "activity:" + id + ":released:" + strconv.FormatInt(r.SignupID, 10), PersonID: r.PersonID,
			Args: []string{title, when}, Link: "/activities/" + id, Urgent: true})
		if err != nil {
			return err
		}
	}
	// The promoted are told where their place is given (store.promote).
	return nil
}

// AttendView is the attendance confirmation page: the activity and the
// caller's own place in it.
type AttendView struct {
	Activity  domain.Activity
	Mine      domain.Signup
	CanCancel bool // the cancel cut-off has not passed
	Open      bool // the activity has not started: confirming still means something
}

// ownPlace finds the calling volunteer's own sign-up for an activity; a
// caller without one, or without a person, finds nothing.
func (s *Service) ownPlace(ctx context.Context, c domain.Caller, activityID int64) (domain.Activity, domain.Signup, error) {
	if err := domain.Authorize(c.Principal, domain.ActAttendConfirm, domain.Target{UserID: c.UserID}); err != nil {
		return domain.Activity{}, domain.Signup{}, err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return domain.Activity{}, domain.Signup{}, domain.Errorf(domain.CodeNotFound, "err.signup.not_found")
	} else if err != nil {
		return domain.Activity{}, domain.Signup{}, err
	}
	a, err := s.store.ActivityByID(ctx, activityID)
	if err != nil {
		return a, domain.Signup{}, err
	}
	g, ok, err := s.store.PersonSignup(ctx, activityID, p.ID)
	if err != nil {
		return a, g, err
	}
	if !ok {
		return a, g, domain.Errorf(domain.CodeNotFound, "err.signup.not_found")
	}
	return a, g, nil
}

// AttendPlace returns the caller's own place in an activity, for the page
// where they confirm it or give it up.
func (s *Service) AttendPlace(ctx context.Context, c domain.Caller, activityID int64) (AttendView, error) {
	a, g, err := s.ownPlace(ctx, c, activityID)
	if err != nil {
		return AttendView{}, err
	}
	now := s.store.Now()
	return AttendView{Activity: a, Mine: g, CanCancel: g.State.Active() && a.CanCancelAt(now),
		Open: a.State == domain.ActivityScheduled && now.Before(a.StartsAt)}, nil
}

// ConfirmAttendance records that the calling volunteer will come (我会准时参加).
// Confirming again is not an error.
func (s *Service) ConfirmAttendance(ctx context.Context, c domain.Caller, activityID int64) error {
	a, g, err := s.ownPlace(ctx, c, activityID)
	if err != nil {
		return err
	}
	if g.State != domain.SignupConfirmed {
		if !g.ReleasedAt.IsZero() && g.State == domain.SignupCancelled {
			return domain.Errorf(domain.CodeConflict, "err.signup.released")
		}
		return domain.Errorf(domain.CodeConflict, "err.signup.not_holding")
	}
	if a.State != domain.ActivityScheduled || !s.store.Now().Before(a.StartsAt) {
		return domain.Errorf(domain.CodeConflict, "err.signup.confirm_closed")
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.ConfirmAttendance(activityID, g.PersonID) })
	if errors.Is(err, store.ErrAlreadyRecorded) {
		return nil
	}
	return err
}
