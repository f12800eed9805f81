package service_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestDatesOutOfRangeRefused: issue 12, fault 9, through the use cases on
// both databases. An activity dated 0000-01-01 or 9999-12-31 and a staff
// order for 9999-12-30 were accepted; they are refused with the range on
// the field, and nothing is written. A hotline order from last month is
// taken.
func TestDatesOutOfRangeRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActivities(t, s)
		before, _ := s.CountAudit(ctx)
		for _, start := range []time.Time{
			time.Date(0, 1, 1, 9, 0, 0, 0, domain.ChinaZone),
			time.Date(9999, 12, 31, 9, 0, 0, 0, domain.ChinaZone),
			time.Now().AddDate(domain.ActivityYears, 1, 0),
		} {
			in := domain.ActivityInput{Title: "植树", Mode: domain.ModeUnit, TeamID: f.teamA, SiteID: f.site,
				CategoryIDs: []int64{f.cat}, StartsAt: start, EndsAt: start.Add(3 * time.Hour), Capacity: 10}
			if _, err := f.svc.CreateActivity(ctx, f.admin, in); !fieldIs(err, "starts_at", "err.date_range") {
				t.Errorf("an activity on %s: got %v, want err.date_range on starts_at", start.Format("2006-01-02"), err)
			}
		}
		hot := f.orderFixture.input()
		hot.Channel = domain.ChannelHotline
		hot.DateFrom, hot.DateTo = "9999-12-30", "9999-12-30"
		if _, err := f.svc.EnterOrder(ctx, f.admin, hot); !fieldIs(err, "date_from", "err.date_range") {
			t.Errorf("a staff order for 9999-12-30: got %v, want err.date_range on date_from", err)
		}
		if after, _ := s.CountAudit(ctx); after != before {
			t.Errorf("refused input wrote %d audit rows", after-before)
		}
		hot.DateFrom, hot.DateTo = ahead(-30), ahead(-29)
		if _, err := f.svc.EnterOrder(ctx, f.admin, hot); err != nil {
			t.Errorf("a hotline order from last month: %v", err)
		}
	})
}
