package service_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestWorkListMarksWhatOthersChanged: the staff's work list marks the orders
// that changed since their last look — new ones, a requester's cancellation
// — but not what the viewer did themselves.
func TestWorkListMarksWhatOthersChanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		clock := time.Now()
		s.SetClock(func() time.Time { return clock })
		tick := func() { clock = clock.Add(time.Second) }
		look := func(what string, wantNew int, wantChanged ...string) service.WorkList {
			t.Helper()
			tick()
			l, err := f.svc.WorkList(ctx, f.admin, store.OrderFilter{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var changed []string
			for _, o := range l.Orders {
				if l.Changed[o.ID] {
					changed = append(changed, o.Code)
				}
			}
			if l.NewCount != wantNew || len(changed) != len(wantChanged) {
				t.Fatalf("%s: %d new, changed %v; want %d new, changed %v", what, l.NewCount, changed, wantNew, wantChanged)
			}
			for i := range changed {
				if changed[i] != wantChanged[i] {
					t.Fatalf("%s: changed %v, want %v", what, changed, wantChanged)
				}
			}
			return l
		}
		tick()
		a, _ := f.svc.PlaceOrder(ctx, f.public, f.input())
		tick()
		b, _ := f.svc.PlaceOrder(ctx, f.public, f.input())
		if l := look("first look", 2, b, a); !l.LastSeen.IsZero() {
			t.Errorf("first look: last seen %v, want zero", l.LastSeen)
		}
		look("nothing happened", 0)

		ta, _ := f.svc.TrackOrder(ctx, f.public, a)
		tick()
		if err := f.svc.ReviewOrder(ctx, f.admin, ta.Order.ID, domain.EventAccept, ""); err != nil {
			t.Fatal(err)
		}
		look("after my own accept", 0)

		tick()
		if err := f.svc.CancelByCode(ctx, f.public, a, "不需要了"); err != nil {
			t.Fatal(err)
		}
		tick()
		hot := f.input()
		hot.Channel = domain.ChannelHotline
		if _, err := f.svc.EnterOrder(ctx, f.admin, hot); err != nil {
			t.Fatal(err)
		}
		look("after the requester cancelled", 1, a)

		// The site's contact (an account of their own) sees only the site's
		// orders, all new at first.
		contact := f.contact
		err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
			contact.UserID, err = tx.CreateUser(store.NewUser{Username: "contact", DisplayName: "嘎查联系人"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		l, err := f.svc.WorkList(ctx, contact, store.OrderFilter{Limit: 50})
		if err != nil || l.Total != 3 || l.NewCount != 3 {
			t.Fatalf("contact's first look: %d orders, %d new, %v; want 3 and 3", l.Total, l.NewCount, err)
		}
		if _, err := f.svc.WorkList(ctx, f.leader, store.OrderFilter{}); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a team leader's work list: got %v, want forbidden", err)
		}
	})
}

// TestStaffEnterOrdersInTheirScope: an org admin enters orders for the sites
// of their subtree; orders at an address are the committee's.
func TestStaffEnterOrdersInTheirScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		var other int64
		err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
			other, err = tx.CreateSite(domain.Site{OrgID: f.unitB, Kind: domain.SiteCommunity, Name: "河东社区", RegionID: f.region})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		in := f.input()
		in.Channel = domain.ChannelVisit
		code, err := f.svc.EnterOrder(ctx, f.orgAdmin, in)
		if err != nil {
			t.Fatalf("org admin enters an order of their site: %v", err)
		}
		o, err := f.svc.OrderByCodeForStaff(ctx, f.orgAdmin, code)
		if err != nil || o.TakenBy != f.orgAdmin.UserID || o.Channel != domain.ChannelVisit {
			t.Fatalf("entered order = %+v, %v", o, err)
		}
		in.SiteID = other
		if _, err := f.svc.EnterOrder(ctx, f.orgAdmin, in); !fieldIs(err, "place", "err.order.place_scope") {
			t.Errorf("org admin enters an order of another unit's site: got %v", err)
		}
		in.SiteID, in.RegionID, in.Address = 0, f.region, "巴彦库仁镇 3 号"
		if _, err := f.svc.EnterOrder(ctx, f.orgAdmin, in); !fieldIs(err, "place", "err.order.place_scope") {
			t.Errorf("org admin enters an order at an address: got %v", err)
		}
		if _, err := f.svc.EnterOrder(ctx, f.admin, in); err != nil {
			t.Errorf("the committee enters an order at an address: %v", err)
		}
		menu, err := f.svc.WorkMenu(ctx, f.orgAdmin)
		if err != nil || len(menu) != 1 || menu[0].ID != f.item {
			t.Errorf("WorkMenu = %+v, %v; want the one active item", menu, err)
		}
	})
}

// TestRevealOrderPhone: the full number is for the committee and the
// site's org admin, and showing it is audited.
func TestRevealOrderPhone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		code, _ := f.svc.PlaceOrder(ctx, f.public, f.input())
		o, _ := s.OrderByCode(ctx, code)
		acc := f.svc.OrderAccessFor(f.orgAdmin, o)
		if !acc.Review || !acc.RevealPhone || acc.SeeCode || acc.SeeSuggestion {
			t.Errorf("org admin's access to an online order of their site = %+v", acc)
		}
		if acc := f.svc.OrderAccessFor(f.contact, o); acc.Review || acc.RevealPhone {
			t.Errorf("site contact's access = %+v; want neither review nor reveal", acc)
		}
		if _, err := f.svc.RevealOrderPhone(ctx, f.contact, o.ID); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("site contact reveals: got %v", err)
		}
		phone, err := f.svc.RevealOrderPhone(ctx, f.orgAdmin, o.ID)
		if err != nil || phone != "13912345678" {
			t.Fatalf("RevealOrderPhone = %q, %v", phone, err)
		}
		es, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "order.reveal"})
		if len(es) != 1 || es[0].ObjectID != strconv.FormatInt(o.ID, 10) || es[0].Username != "orgadmin" {
			t.Errorf("audit = %+v; want one order.reveal by orgadmin", es)
		}
		// An order at an address is the committee's alone.
		in := f.input()
		in.SiteID, in.RegionID, in.Address = 0, f.region, "巴彦库仁镇 3 号"
		code, _ = f.svc.PlaceOrder(ctx, f.public, in)
		o, _ = s.OrderByCode(ctx, code)
		if _, err := f.svc.RevealOrderPhone(ctx, f.orgAdmin, o.ID); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("org admin reveals on an address order: got %v", err)
		}
		if acc := f.svc.OrderAccessFor(f.admin, o); !acc.Review || !acc.RevealPhone {
			t.Errorf("committee's access to an address order = %+v", acc)
		}
	})
}
