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

// TestCreditAllHours: records that earned no points (loaded in bulk, or at
// a rate of 0) are credited in one pass at the rate now, each with its own
// ledger entry and a running balance that continues what the person had;
// a second pass credits nothing.
func TestCreditAllHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		start := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		now := start.Add(-2 * time.Hour)
		s.SetClock(func() time.Time { return now })
		must(t, f.write(func(tx *store.Tx) error { return tx.SetSetting(store.PointsPerHourSetting, "0") }))
		p := f.people(t, 2)
		var ids []int64
		for i := 0; i < 2; i++ {
			at := start.Add(time.Duration(i) * 24 * time.Hour)
			now = at.Add(-2 * time.Hour)
			id := f.activity(t, domain.ModeUnit, 10, at)
			ids = append(ids, id)
			for _, q := range p {
				if _, err := f.signUp(id, q, false); err != nil {
					t.Fatal(err)
				}
				must(t, f.write(func(tx *store.Tx) error { return tx.RecordPair(id, q, at, at.Add(90*time.Minute)) }))
			}
			now = at.Add(4 * time.Hour)
			must(t, f.write(func(tx *store.Tx) error { _, _, err := tx.CompleteActivity(id); return err }))
		}
		must(t, store.GrantPointsForTest(s, actor, p[0], 7))
		must(t, f.write(func(tx *store.Tx) error { return tx.SetSetting(store.PointsPerHourSetting, "10") }))
		var n int64
		must(t, f.write(func(tx *store.Tx) (err error) { n, err = tx.CreditAllHours(); return err }))
		if n != 4 {
			t.Fatalf("credited %d records; want 4", n)
		}
		must(t, f.write(func(tx *store.Tx) (err error) { n, err = tx.CreditAllHours(); return err }))
		if n != 0 {
			t.Fatalf("a second pass credited %d records; want 0", n)
		}
		for i, q := range p {
			b, earned, err := s.PointsBalance(ctx, q)
			must(t, err)
			want := int64(30 + 7*(1-i))
			es, err := s.PointsLedger(ctx, q, 0)
			must(t, err)
			var sum int64
			for j := len(es) - 1; j >= 0; j-- {
				sum += es[j].Points
				if es[j].Balance != sum {
					t.Fatalf("person %d entry %d: balance %d, running sum %d", i, es[j].ID, es[j].Balance, sum)
				}
			}
			if b != want || earned != want || sum != want || es[0].ActivityID != ids[1] || es[0].Activity == "" {
				t.Fatalf("person %d: balance %d earned %d ledger %d, newest entry %+v; want %d and the later activity",
					i, b, earned, sum, es[0], want)
			}
		}
	})
}
