package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

const shopToday = "2026-05-16"

// shopItem lists an item of the fixture's site.
func shopItem(t *testing.T, f *actFixture, cost, stock int64) int64 {
	t.Helper()
	var id int64
	must(t, f.write(func(tx *store.Tx) (err error) {
		id, err = tx.CreateShopItem(domain.ValidShopItem{SiteID: f.site, Name: "洗衣液", Cost: cost, Stock: stock,
			Place: "嘎查委员会", ValidUntil: "2026-12-31", Active: true})
		return err
	}))
	return id
}

func redeem(f *actFixture, item, person int64) (domain.Redemption, error) {
	var r domain.Redemption
	err := f.write(func(tx *store.Tx) (err error) {
		r, err = tx.Redeem(item, person, shopToday)
		return err
	})
	return r, err
}

func errKey(err error) string {
	if e, ok := domain.AsError(err); ok {
		return e.Key
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// checkLedger fails unless a person's ledger adds up to their balance.
func checkLedger(t *testing.T, s *store.Store, person, want int64) {
	t.Helper()
	b, _, err := s.PointsBalance(context.Background(), person)
	must(t, err)
	es, err := s.PointsLedger(context.Background(), person, 0)
	must(t, err)
	var sum int64
	for _, e := range es {
		sum += e.Points
	}
	if b != want || sum != want {
		t.Fatalf("person %d: balance %d, ledger sum %d; want %d", person, b, sum, want)
	}
}

// TestShopConcurrentRedemptions: 100 volunteers with enough points redeem
// an item with stock 10 at once; exactly 10 succeed, the stock ends at 0,
// every balance is right and every ledger adds up to its balance. One
// volunteer with points for two redeeming ten times at once gets exactly two.
func TestShopConcurrentRedemptions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		people := f.people(t, 101)
		for _, p := range people {
			must(t, store.GrantPointsForTest(s, actor, p, 100))
		}
		item := shopItem(t, f, 30, 10)
		var wg sync.WaitGroup
		errs := make([]error, 100)
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, errs[i] = redeem(f, item, people[i])
			}(i)
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
				checkLedger(t, s, people[i], 70)
			case errKey(err) == "err.shop.no_stock":
				checkLedger(t, s, people[i], 100)
			default:
				t.Fatalf("redemption %d: %v; want success or err.shop.no_stock", i, err)
			}
		}
		it, err := s.ShopItem(ctx, item)
		must(t, err)
		if won != 10 || it.Stock != 0 || it.Redeemed != 10 {
			t.Fatalf("%d redemptions succeeded, stock %d, %d redeemed; want 10, 0, 10", won, it.Stock, it.Redeemed)
		}

		// One volunteer with points for two, ten tries at once.
		one := people[100]
		item2 := shopItem(t, f, 40, 50)
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, errs[i] = redeem(f, item2, one)
			}(i)
		}
		wg.Wait()
		won = 0
		for i, err := range errs[:10] {
			switch {
			case err == nil:
				won++
			case errKey(err) != "err.shop.no_points":
				t.Fatalf("try %d: %v; want success or err.shop.no_points", i, err)
			}
		}
		if won != 2 {
			t.Fatalf("%d of 10 tries succeeded with points for 2", won)
		}
		checkLedger(t, s, one, 20)
		it2, err := s.ShopItem(ctx, item2)
		must(t, err)
		if it2.Stock != 48 {
			t.Fatalf("stock %d after 2 redemptions of 50; want 48", it2.Stock)
		}
	})
}

// TestShopPickupAndCancel: a pickup code is 8 characters of the unambiguous
// alphabet and works once; cancelling a pending redemption returns the item
// to stock and the points to the balance (ledger redeem_cancel); a picked-up
// or cancelled redemption can be neither; an inactive or expired item and a
// short balance are refused with their own errors and change nothing.
func TestShopPickupAndCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		p := f.people(t, 1)[0]
		must(t, store.GrantPointsForTest(s, actor, p, 50))
		item := shopItem(t, f, 20, 5)

		a, err := redeem(f, item, p)
		must(t, err)
		b, err := redeem(f, item, p)
		must(t, err)
		for _, r := range []domain.Redemption{a, b} {
			if len(r.Code) != domain.PickupCodeLen || strings.Trim(r.Code, domain.PickupAlphabet) != "" {
				t.Fatalf("code %q is not %d characters of %s", r.Code, domain.PickupCodeLen, domain.PickupAlphabet)
			}
		}
		if a.Code == b.Code {
			t.Fatalf("two redemptions share the code %s", a.Code)
		}
		if _, err := redeem(f, item, p); errKey(err) != "err.shop.no_points" {
			t.Fatalf("third redemption with 10 points left: %v; want err.shop.no_points", err)
		}
		checkLedger(t, s, p, 10)

		got, err := s.RedemptionByCode(ctx, a.Code)
		must(t, err)
		must(t, f.write(func(tx *store.Tx) error { return tx.PickUp(got.ID) }))
		if err := f.write(func(tx *store.Tx) error { return tx.PickUp(got.ID) }); errKey(err) != "err.shop.closed" {
			t.Fatalf("second pickup with one code: %v; want err.shop.closed", err)
		}
		if err := f.write(func(tx *store.Tx) error { return tx.CancelRedemption(got.ID, "不要了") }); errKey(err) != "err.shop.closed" {
			t.Fatalf("cancel after pickup: %v; want err.shop.closed", err)
		}

		must(t, f.write(func(tx *store.Tx) error { return tx.CancelRedemption(b.ID, "不要了") }))
		checkLedger(t, s, p, 30)
		it, err := s.ShopItem(ctx, item)
		must(t, err)
		if it.Stock != 4 || it.Redeemed != 1 {
			t.Fatalf("after one pickup and one cancel: stock %d, redeemed %d; want 4, 1", it.Stock, it.Redeemed)
		}
		es, err := s.PointsLedger(ctx, p, 1)
		must(t, err)
		if es[0].Cause != store.PointsRedeemCancel || es[0].Points != 20 || es[0].RefID != b.ID {
			t.Fatalf("last entry %+v; want +20 redeem_cancel of redemption %d", es[0], b.ID)
		}
		rs, err := s.PersonRedemptions(ctx, p)
		must(t, err)
		if len(rs) != 2 || rs[0].State != domain.RedemptionCancelled || rs[0].CancelReason != "不要了" || rs[1].State != domain.RedemptionPickedUp {
			t.Fatalf("redemptions %+v; want cancelled (with its reason) then picked up", rs)
		}

		// Withdrawn: inactive, or past its date.
		in := domain.ValidShopItem{SiteID: f.site, Name: "洗衣液", Cost: 20, Stock: 4, Place: "嘎查委员会", ValidUntil: "2026-12-31"}
		must(t, f.write(func(tx *store.Tx) error { return tx.UpdateShopItem(item, in) }))
		if _, err := redeem(f, item, p); errKey(err) != "err.shop.withdrawn" {
			t.Fatalf("redeeming an inactive item: %v; want err.shop.withdrawn", err)
		}
		in.Active, in.ValidUntil = true, "2026-05-15"
		must(t, f.write(func(tx *store.Tx) error { return tx.UpdateShopItem(item, in) }))
		if _, err := redeem(f, item, p); errKey(err) != "err.shop.withdrawn" {
			t.Fatalf("redeeming an expired item: %v; want err.shop.withdrawn", err)
		}
		in.ValidUntil, in.Stock = "2026-12-31", 0
		must(t, f.write(func(tx *store.Tx) error { return tx.UpdateShopItem(item, in) }))
		if _, err := redeem(f, item, p); errKey(err) != "err.shop.no_stock" {
			t.Fatalf("redeeming an item out of stock: %v; want err.shop.no_stock", err)
		}
		checkLedger(t, s, p, 30)
		if err := store.ExecForTest(s, "UPDATE shop_items SET stock = -1"); err == nil {
			t.Fatal("the database let stock go below zero")
		} else if errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
	})
}

// TestPointsReversalShortfall: a correction that reverses more points than
// are left (some were spent in the shop) takes the balance to zero and the
// entry says how many could not be taken back.
func TestPointsReversalShortfall(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newActFixture(t, s)
		start := time.Date(2026, 5, 16, 1, 0, 0, 0, time.UTC)
		now := start.Add(-2 * time.Hour)
		s.SetClock(func() time.Time { return now })
		id := f.activity(t, domain.ModeUnit, 10, start)
		p := f.people(t, 1)[0]
		if _, err := f.signUp(id, p, false); err != nil {
			t.Fatal(err)
		}
		must(t, f.write(func(tx *store.Tx) error { return tx.RecordPair(id, p, start, start.Add(180*time.Minute)) }))
		now = start.Add(4 * time.Hour)
		must(t, f.write(func(tx *store.Tx) error { _, _, err := tx.CompleteActivity(id); return err }))
		item := shopItem(t, f, 20, 5)
		var err error
		must(t, f.write(func(tx *store.Tx) error { _, err = tx.Redeem(item, p, shopToday); return err }))
		rec, err := s.ServiceRecord(ctx, id, p)
		must(t, err)
		var vid int64
		must(t, f.write(func(tx *store.Tx) (err error) {
			vid, err = tx.RequestCorrection(rec, domain.CorrectionInput{Minutes: 0, Reason: "未到场"}, "队长")
			return err
		}))
		must(t, f.write(func(tx *store.Tx) error { return tx.DecideCorrection(vid, true, "", "管理员") }))
		checkLedger(t, s, p, 0)
		es, err := s.PointsLedger(ctx, p, 1)
		must(t, err)
		if es[0].Cause != store.PointsCorrection || es[0].Points != -10 || es[0].Shortfall() != 20 {
			t.Fatalf("the reversal reads %+v (shortfall %d); want -10 with a shortfall of 20", es[0], es[0].Shortfall())
		}
	})
}
