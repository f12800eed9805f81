package gen_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/gen"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestGeneratedYearIsConsistent generates a small province on both
// databases and checks it as the application would have written it: every
// key holds (the loader rebuilt them over the rows), the roll-up equals a
// full recomputation, hours only for completed activities and only for
// people in the team on the day, one person-time per attended person,
// order histories along the lifecycle and in time order.
func TestGeneratedYearIsConsistent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, domain.ChinaZone)
		sc := gen.People(1500)
		res, err := gen.Generate(ctx, s, gen.Options{Scale: sc, Year: 2026, Seed: 7, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows["people"] != int64(sc.People) || res.Rows["orgs"] != int64(sc.Orgs) || res.Rows["teams"] != int64(sc.Teams) {
			t.Errorf("people, orgs, teams = %d, %d, %d; want %d, %d, %d", res.Rows["people"], res.Rows["orgs"],
				res.Rows["teams"], sc.People, sc.Orgs, sc.Teams)
		}
		if got, want := res.Rows["activity_hours"], int64(sc.PersonTimes); got < want*8/10 || got > want*12/10 {
			t.Errorf("person-times = %d, want about %d", got, want)
		}
		if res.Rows["attendance"] != res.Rows["activity_hours"] {
			t.Errorf("attendance rows %d, person-times %d: one pair per attended person", res.Rows["attendance"], res.Rows["activity_hours"])
		}
		for _, table := range []string{"regions", "sites", "team_members", "menu_items", "orders", "order_steps", "dispatches",
			"evaluations", "campaign_batches", "signups", "outcomes", "outcome_values"} {
			if res.Rows[table] == 0 {
				t.Errorf("no rows in %s", table)
			}
		}
		jan1 := time.Date(2026, 1, 1, 0, 0, 0, 0, domain.ChinaZone)
		c, err := s.CheckBulk(ctx, jan1.UnixMicro(), jan1.AddDate(1, 0, 0).UnixMicro())
		if err != nil {
			t.Fatal(err)
		}
		if c != (store.BulkCheck{}) {
			t.Errorf("inconsistent generated data: %+v", c)
		}
		stored, err := s.ActivityTotals(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		full, err := s.ActivityTotals(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if !equalTotals(stored, full) || len(stored) == 0 {
			t.Errorf("roll-up (%d rows) differs from the recomputation (%d rows)", len(stored), len(full))
		}
		var times int64
		for _, r := range stored {
			times += r.PersonTimes
		}
		if times != res.Rows["activity_hours"] {
			t.Errorf("roll-up person-times %d, hours rows %d", times, res.Rows["activity_hours"])
		}
		// A second load into the same database is refused.
		if _, err := gen.Generate(ctx, s, gen.Options{Scale: sc, Year: 2026, Seed: 7, Now: now}); err != store.ErrNotEmpty {
			t.Errorf("second load: %v, want ErrNotEmpty", err)
		}
	})
}

func equalTotals(a, b []store.TotalsRow) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestParseScale reads the named scales and numbers of people.
func TestParseScale(t *testing.T) {
	for in, want := range map[string]int{"province": 1_000_000, "city10": 57_160, "2000": 2000} {
		sc, err := gen.ParseScale(in)
		if err != nil || sc.People != want {
			t.Errorf("ParseScale(%q) = %d people, %v; want %d", in, sc.People, err, want)
		}
	}
	for _, in := range []string{"", "huge", "10", "-5"} {
		if _, err := gen.ParseScale(in); err == nil {
			t.Errorf("ParseScale(%q) accepted", in)
		}
	}
}
