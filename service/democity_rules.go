package service

import (
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// writeDemoRules puts the example duration rule in force, set by
// the committee's admin a day before now: under 15 minutes of an hour
// count nothing, 15–45 count half an hour, 45–60 an hour; 60 % of an
// activity attended; 8 hours a day; auto check-out an hour after the end.
// It takes effect tomorrow, not from the start of the demo year: the
// year's records were written before it (without it), so a rule claiming
// them would not match what they count; and activities of today that tests
// and visitors complete keep counting the minutes attended (a 90-minute
// stay in a 3-hour activity is under the 60 % share).
func (s *Service) writeDemoRules(tx *store.Tx, c *demoCity) error {
	id, err := tx.UserIDByName("admin")
	if err != nil {
		return err
	}
	admin := domain.Actor{UserID: id, Username: "admin", Role: domain.RoleCommitteeAdmin, IP: "127.0.0.1", RequestID: "demo"}
	now := tx.Now()
	r := domain.DurationRule{EffectiveOn: domain.ChinaDay(now.Add(24 * time.Hour)), MinShare: 60, DailyMax: 8 * 60, CheckoutDelay: 60,
		Note: "不足15分钟不计，15–45分钟计半小时，45–60分钟计1小时", Bands: []domain.DurationBand{
			{Upto: 15, Counts: 0}, {Upto: 45, Counts: 30}, {Upto: 60, Counts: 60}}}
	if err := r.Validate(); err != nil {
		return err
	}
	return tx.Replay(admin, now.Add(-24*time.Hour), func() error {
		_, err := tx.AddDurationRule(r)
		return err
	})
}
