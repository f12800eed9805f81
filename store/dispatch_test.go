package store_test

import (
	"context"
	"testing"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestDispatchDeclineAndRedispatch: an order needing two categories goes to
// two teams; one declines, which returns only its slot to the pool and the
// order to accepted; the slot goes to a third team; when every open slot is
// confirmed the order is confirmed.
func TestDispatchDeclineAndRedispatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cats, _ := s.ListCategories(ctx, false)
		medical, legal := cats[0].ID, cats[4].ID
		var order, t1, t2, t3 int64
		err := s.Write(ctx, actor, func(tx *store.Tx) error {
			root, _ := tx.CreateOrg(0, "committee", "工委")
			region, _ := tx.CreateRegion(domain.Region{Level: domain.RegionBanner, Name: "海拉尔区", Lat: 49.21, Lng: 119.76})
			site, _ := tx.CreateSite(domain.Site{OrgID: root, Kind: domain.SiteCommunity, Name: "社区", RegionID: region})
			t1, _ = tx.CreateTeam(domain.Team{OrgID: root, Kind: domain.TeamParty, Name: "医疗队", BaseRegionID: region, Categories: []int64{medical}})
			t2, _ = tx.CreateTeam(domain.Team{OrgID: root, Kind: domain.TeamParty, Name: "法律队", BaseRegionID: region, Categories: []int64{legal}})
			t3, _ = tx.CreateTeam(domain.Team{OrgID: root, Kind: domain.TeamParty, Name: "司法队", BaseRegionID: region, Categories: []int64{legal}})
			m1, _ := tx.CreateMenuItem(domain.MenuItem{Title: "义诊", CategoryID: medical, Kind: domain.MenuProfessional, Term: domain.TermShort, Volunteers: 4, Active: true, TeamIDs: []int64{t1}})
			m2, _ := tx.CreateMenuItem(domain.MenuItem{Title: "普法", CategoryID: legal, Kind: domain.MenuProfessional, Term: domain.TermShort, Volunteers: 2, Active: true, TeamIDs: []int64{t2}})
			var err error
			order, err = tx.CreateOrder(store.NewOrder{Code: "c1", OrderInput: domain.OrderInput{Channel: domain.ChannelOnline,
				RequesterName: "甲", RequesterPhone: "13900000000", SiteID: site, DateFrom: "2099-01-01", DateTo: "2099-01-02",
				ItemIDs: []int64{m1, m2}}})
			if err != nil {
				return err
			}
			_, err = tx.TransitionOrder(order, domain.EventAccept, "")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		pool, err := s.DispatchPool(ctx)
		if err != nil || len(pool) != 1 || len(pool[0].Slots) != 2 || pool[0].Lat != 49.21 {
			t.Fatalf("pool = %+v, %v", pool, err)
		}
		if got := pool[0].Slots[0].PersonDays + pool[0].Slots[1].PersonDays; got != 6 { // (4 + 2) volunteers × one day, whatever the two-day window
			t.Fatalf("person-days = %v, want 6", got)
		}
		write := func(fn func(tx *store.Tx) error) error { return s.Write(ctx, actor, fn) }
		if err := write(func(tx *store.Tx) error {
			return tx.DispatchOrder(order, []store.NewDispatch{{CategoryID: medical, TeamID: t1, PersonDays: 8},
				{CategoryID: legal, TeamID: t2, PersonDays: 4}})
		}); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.AnswerDispatch(order, t1, true, "") }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.AnswerDispatch(order, t2, false, "人手不足") }); err != nil {
			t.Fatal(err)
		}
		o, _ := s.OrderByID(ctx, order)
		pool, _ = s.DispatchPool(ctx)
		if o.State != domain.OrderAccepted || len(pool) != 1 || len(pool[0].Slots) != 1 || pool[0].Slots[0].CategoryID != legal {
			t.Fatalf("after the decline: order %s, pool %+v", o.State, pool)
		}
		teams, _ := s.TeamsForDispatch(ctx)
		for _, ts := range teams {
			if ts.Team.ID == t1 && ts.Load != 8 {
				t.Errorf("team 1 load = %v, want 8", ts.Load)
			}
		}
		if err := write(func(tx *store.Tx) error {
			return tx.DispatchOrder(order, []store.NewDispatch{{CategoryID: medical, TeamID: t3, PersonDays: 8}})
		}); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("dispatching a held slot: got %v, want conflict", err)
		}
		if err := write(func(tx *store.Tx) error {
			return tx.DispatchOrder(order, []store.NewDispatch{{CategoryID: legal, TeamID: t3, PersonDays: 4, ProposedTeamID: t2, OverrideReason: "法律队已谢绝"}})
		}); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.AnswerDispatch(order, t3, true, "") }); err != nil {
			t.Fatal(err)
		}
		o, _ = s.OrderByID(ctx, order)
		ds, _ := s.OrderDispatches(ctx, order)
		if o.State != domain.OrderConfirmed || len(ds) != 3 {
			t.Fatalf("at the end: order %s with %d dispatches, want confirmed with 3", o.State, len(ds))
		}
		steps, _ := s.OrderSteps(ctx, order)
		var events []domain.OrderEvent
		for _, st := range steps[1:] {
			events = append(events, st.Event)
		}
		want := []domain.OrderEvent{domain.EventAccept, domain.EventDispatch, domain.EventDecline, domain.EventDispatch, domain.EventConfirm}
		if len(events) != len(want) {
			t.Fatalf("steps %v, want %v", events, want)
		}
		for i := range want {
			if events[i] != want[i] {
				t.Fatalf("steps %v, want %v", events, want)
			}
		}
	})
}

// TestPartialDispatchIsNotConfirmed: a part kept back leaves the order in
// the pool, and the team's confirmation does not confirm the order while a
// category is held by no team.
func TestPartialDispatchIsNotConfirmed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cats, _ := s.ListCategories(ctx, false)
		medical, legal := cats[0].ID, cats[4].ID
		var order, t1 int64
		err := s.Write(ctx, actor, func(tx *store.Tx) error {
			root, _ := tx.CreateOrg(0, "committee", "工委")
			site, _ := tx.CreateSite(domain.Site{OrgID: root, Kind: domain.SiteCommunity, Name: "社区"})
			t1, _ = tx.CreateTeam(domain.Team{OrgID: root, Kind: domain.TeamParty, Name: "医疗队"})
			m1, _ := tx.CreateMenuItem(domain.MenuItem{Title: "义诊", CategoryID: medical, Kind: domain.MenuProfessional, Term: domain.TermShort, Volunteers: 4, Active: true, TeamIDs: []int64{t1}})
			m2, _ := tx.CreateMenuItem(domain.MenuItem{Title: "普法", CategoryID: legal, Kind: domain.MenuProfessional, Term: domain.TermShort, Volunteers: 2, Active: true, TeamIDs: []int64{t1}})
			var err error
			if order, err = tx.CreateOrder(store.NewOrder{Code: "c2", OrderInput: domain.OrderInput{Channel: domain.ChannelOnline,
				RequesterName: "乙", RequesterPhone: "13900000001", SiteID: site, DateFrom: "2099-01-01", DateTo: "2099-01-01",
				ItemIDs: []int64{m1, m2}}}); err != nil {
				return err
			}
			if _, err := tx.TransitionOrder(order, domain.EventAccept, ""); err != nil {
				return err
			}
			return tx.DispatchOrder(order, []store.NewDispatch{{CategoryID: medical, TeamID: t1, PersonDays: 4}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(ctx, actor, func(tx *store.Tx) error { return tx.AnswerDispatch(order, t1, true, "") }); err != nil {
			t.Fatal(err)
		}
		o, _ := s.OrderByID(ctx, order)
		pool, _ := s.DispatchPool(ctx)
		if o.State != domain.OrderDispatched || len(pool) != 1 || len(pool[0].Slots) != 1 || pool[0].Slots[0].CategoryID != legal {
			t.Fatalf("with legal kept back: order %s, pool %+v; want dispatched with legal in the pool", o.State, pool)
		}
		// Sending the rest needs no second dispatch transition; confirming it
		// confirms the order.
		err = s.Write(ctx, actor, func(tx *store.Tx) error {
			if err := tx.DispatchOrder(order, []store.NewDispatch{{CategoryID: legal, TeamID: t1, PersonDays: 2}}); err != nil {
				return err
			}
			return tx.AnswerDispatch(order, t1, true, "")
		})
		if err != nil {
			t.Fatal(err)
		}
		if o, _ := s.OrderByID(ctx, order); o.State != domain.OrderConfirmed {
			t.Fatalf("with every part held and confirmed: order %s, want confirmed", o.State)
		}
	})
}
