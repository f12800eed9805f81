package store_test

import (
	"context"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestPointsFollowTheHours: completing an activity credits each attendee
// points for their hours at the committee's rate; an approved correction
// credits or reverses exactly the difference, at the rate in force then,
// and the ledger's entries add up to the balance.
func TestPointsFollowTheHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		start := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		now := start.Add(-2 * time.Hour)
		s.SetClock(func() time.Time { return now })
		id := f.activity(t, domain.ModeUnit, 10, start)
		p := f.people(t, 2)
		for _, q := range p {
			if _, err := f.signUp(id, q, false); err != nil {
				t.Fatal(err)
			}
		}
		must(t, f.write(func(tx *store.Tx) error { return tx.RecordPair(id, p[0], start, start.Add(90*time.Minute)) }))
		must(t, f.write(func(tx *store.Tx) error { return tx.RecordPair(id, p[1], start, start.Add(5*time.Minute)) }))
		now = start.Add(4 * time.Hour)
		must(t, f.write(func(tx *store.Tx) error { _, _, err := tx.CompleteActivity(id); return err }))
		balance := func(person int64) int64 {
			b, _, err := s.PointsBalance(ctx, person)
			must(t, err)
			return b
		}
		if b0, b1 := balance(p[0]), balance(p[1]); b0 != 15 || b1 != 0 {
			t.Fatalf("after completion: balances %d, %d; want 15 (90 min at 10 an hour) and 0 (5 min round down)", b0, b1)
		}
		correct := func(m domain.Minutes) {
			t.Helper()
			rec, err := s.ServiceRecord(ctx, id, p[0])
			must(t, err)
			var vid int64
			must(t, f.write(func(tx *store.Tx) (err error) {
				vid, err = tx.RequestCorrection(rec, domain.CorrectionInput{Minutes: m, Reason: "核实"}, "队长")
				return err
			}))
			must(t, f.write(func(tx *store.Tx) error { return tx.DecideCorrection(vid, true, "", "管理员") }))
		}
		correct(30)
		if b := balance(p[0]); b != 5 {
			t.Fatalf("after a correction to 30 min: balance %d; want 5", b)
		}
		must(t, f.write(func(tx *store.Tx) error { return tx.SetSetting(store.PointsPerHourSetting, "60") }))
		correct(120)
		if b := balance(p[0]); b != 120 {
			t.Fatalf("after a correction to 120 min at 60 an hour: balance %d; want 120", b)
		}
		es, err := s.PointsLedger(ctx, p[0], 0)
		must(t, err)
		var sum int64
		causes := ""
		for i := len(es) - 1; i >= 0; i-- {
			sum += es[i].Points
			if es[i].Balance != sum {
				t.Fatalf("entry %d: balance %d, running sum %d", es[i].ID, es[i].Balance, sum)
			}
			causes += es[i].Cause + " "
		}
		if sum != 120 || causes != "hours correction correction " {
			t.Fatalf("ledger sums to %d with causes %q; want 120 from hours, correction, correction", sum, causes)
		}
	})
}
