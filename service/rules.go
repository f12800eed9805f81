package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// Duration rules (时长规则, issue 15 item 4): the committee's versions, a new
// version, applying one to the records of a period, the auto check-out
// round, and the leader's review of flagged attendance. The counting is
// domain.CountMinutes; the store applies it (store/duration_rules.go).

// DurationRules lists every version, the newest first.
func (s *Service) DurationRules(ctx context.Context, c domain.Caller) ([]domain.DurationRule, error) {
	if err := domain.Authorize(c.Principal, domain.ActDurationRules, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.DurationRules(ctx)
}

// DurationRuleInput is a new version as typed: the bands as "15:0, 45:30,
// 60:60", the share in percent, the daily maximum in hours and the delay
// in minutes.
type DurationRuleInput struct {
	EffectiveOn   string
	Bands         string
	MinShare      string
	DailyMaxHours string
	CheckoutDelay string
	Note          string
}

// parse reads the input into a rule and names every bad field.
func (in DurationRuleInput) parse() (domain.DurationRule, error) {
	r := domain.DurationRule{EffectiveOn: strings.TrimSpace(in.EffectiveOn), Note: strings.TrimSpace(in.Note)}
	var v domain.Validation
	bands, err := domain.ParseBands(in.Bands)
	v.AddErr(err)
	r.Bands = bands
	if t := strings.TrimSpace(in.MinShare); t != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(t, "%"), "％"))
		v.Check(err == nil && n >= 0 && n <= 100, "min_share", "err.rules.min_share")
		r.MinShare = n
	}
	if t := strings.TrimSpace(in.DailyMaxHours); t != "" {
		m, ok := domain.ParseHours(t)
		v.Check(ok && m <= domain.MaxDailyMax, "daily_max", "err.rules.daily_max")
		r.DailyMax = m
	}
	if t := strings.TrimSpace(in.CheckoutDelay); t != "" {
		n, err := strconv.Atoi(t)
		v.Check(err == nil && n >= 0 && domain.Minutes(n) <= domain.MaxCheckoutDelay, "checkout_delay", "err.rules.checkout_delay")
		r.CheckoutDelay = domain.Minutes(n)
	}
	// The rule's own checks, for the fields that parsed (the first fault
	// of a field is kept).
	if err := r.Validate(); err != nil {
		all, _ := domain.AsError(err)
		for _, f := range []string{"effective_on", "bands", "min_share", "daily_max", "checkout_delay", "note"} {
			if fe := all.Fields[f]; fe != nil {
				v.AddErr(fe)
			}
		}
	}
	return r, v.Err()
}

// AddDurationRule validates and stores a new version.
func (s *Service) AddDurationRule(ctx context.Context, c domain.Caller, in DurationRuleInput) (domain.DurationRule, error) {
	if err := domain.Authorize(c.Principal, domain.ActDurationRules, domain.Target{}); err != nil {
		return domain.DurationRule{}, err
	}
	r, err := in.parse()
	if err != nil {
		return r, err
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) (err error) {
		r, err = tx.AddDurationRule(r)
		return err
	})
	return r, err
}

// ApplyInput chooses a version, a period of activities (China days,
// inclusive) and the reason the new record versions carry.
type ApplyInput struct {
	RuleID   int64
	From, To string
	Reason   string
}

// maxApplyDays bounds the period one apply covers (one transaction).
const maxApplyDays = 400

// ApplyDurationRule recomputes the records of the period under the chosen
// version, as approved versions of each changed record.
func (s *Service) ApplyDurationRule(ctx context.Context, c domain.Caller, in ApplyInput) (store.ApplyResult, error) {
	if err := domain.Authorize(c.Principal, domain.ActDurationRules, domain.Target{}); err != nil {
		return store.ApplyResult{}, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	var v domain.Validation
	v.Check(in.RuleID > 0, "rule", "err.rules.choose")
	v.Check(domain.ValidDate(in.From), "from", "err.rules.from")
	v.Check(domain.ValidDate(in.To), "to", "err.rules.to")
	if domain.ValidDate(in.From) && domain.ValidDate(in.To) {
		v.Check(in.From <= in.To, "to", "err.rules.period")
		f, _ := time.Parse(time.DateOnly, in.From)
		t, _ := time.Parse(time.DateOnly, in.To)
		v.Check(t.Sub(f) <= maxApplyDays*24*time.Hour, "to", "err.rules.period_long", maxApplyDays)
	}
	v.Check(in.Reason != "" && len([]rune(in.Reason)) <= 200, "reason", "err.rules.reason")
	if err := v.Err(); err != nil {
		return store.ApplyResult{}, err
	}
	rule, err := s.store.DurationRuleByID(ctx, in.RuleID)
	if err != nil {
		if domain.ErrCode(err) == domain.CodeNotFound {
			return store.ApplyResult{}, domain.Invalid("rule", "err.rules.choose")
		}
		return store.ApplyResult{}, err
	}
	var res store.ApplyResult
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) (err error) {
		res, err = tx.ApplyDurationRule(rule, in.From, in.To, in.Reason, callerName(c))
		return err
	})
	return res, err
}

// AutoCheckoutRound checks out, flagged, anyone still checked in once the
// rule's delay after the scheduled end has passed. The job runner's tick
// calls it (in RemindRound); running twice is harmless.
func (s *Service) AutoCheckoutRound(ctx context.Context) error {
	for {
		var n int
		if err := s.store.Housekeep(ctx, func(tx *store.Tx) (err error) {
			n, err = tx.AutoCheckout(remindBatch)
			return err
		}); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
	}
}

// AttendanceFlagsView is the flagged attendance of an activity.
type AttendanceFlagsView struct {
	Activity domain.Activity
	Pairs    []store.FlaggedPair
}

// AttendanceFlags lists the flagged (and cleared) attendance of an
// activity for those who run it on site; show "open" keeps the flagged
// ones, "cleared" the cleared ones.
func (s *Service) AttendanceFlags(ctx context.Context, c domain.Caller, activityID int64, show string) (AttendanceFlagsView, error) {
	a, err := s.onsiteActivity(ctx, c, activityID)
	if err != nil {
		return AttendanceFlagsView{}, err
	}
	all, err := s.store.AttendanceFlags(ctx, activityID)
	v := AttendanceFlagsView{Activity: a}
	for _, p := range all {
		if show == "" || (show == "open") == (p.Flag != "") {
			v.Pairs = append(v.Pairs, p)
		}
	}
	return v, err
}

// ClearAttendanceFlag clears a flag of the activity's attendance with a
// note (required).
func (s *Service) ClearAttendanceFlag(ctx context.Context, c domain.Caller, activityID, pairID int64, note string) error {
	if _, err := s.onsiteActivity(ctx, c, activityID); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if note == "" || len([]rune(note)) > 200 {
		return domain.Invalid("note", "err.rules.flag_note")
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.ClearAttendanceFlag(activityID, pairID, note) })
}
