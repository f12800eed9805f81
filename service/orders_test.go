package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// orderFixture is the registry fixture plus a site of unit A, a region and
// an active menu item of team A.
type orderFixture struct {
	registryFixture
	site, region, item int64
	public, contact    domain.Caller
}

func newOrders(t *testing.T, s *store.Store) orderFixture {
	t.Helper()
	ctx := context.Background()
	f := orderFixture{registryFixture: newRegistry(t, s)}
	cats, _ := f.svc.Categories(ctx, false)
	err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
		if f.region, err = tx.CreateRegion(domain.Region{Level: domain.RegionBanner, Name: "陈巴尔虎旗", Lat: 49.3, Lng: 119.4}); err != nil {
			return err
		}
		if f.site, err = tx.CreateSite(domain.Site{OrgID: f.unitA, Kind: domain.SiteVillage, Name: "巴彦嘎查", RegionID: f.region}); err != nil {
			return err
		}
		f.item, err = tx.CreateMenuItem(domain.MenuItem{Title: "牲畜防疫", CategoryID: cats[2].ID, Kind: domain.MenuProfessional,
			Term: domain.TermShort, Volunteers: 3, Active: true, TeamIDs: []int64{f.teamA}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.public = domain.Caller{IP: "203.0.113.7", RequestID: "p"}
	f.contact = domain.Caller{Principal: domain.Principal{UserID: 1, Username: "contact",
		Grants: []domain.Grant{{Role: domain.RoleSiteContact, ScopeID: f.site}}}, IP: "127.0.0.1", RequestID: "c"}
	return f
}

func (f orderFixture) input() domain.OrderInput {
	return domain.OrderInput{RequesterName: "巴特尔", RequesterPhone: "13912345678", SiteID: f.site,
		DateFrom: ahead(60), DateTo: ahead(62), Beneficiaries: 60, ItemIDs: []int64{f.item}}
}

func TestOrderFollowedByCodeToItsEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		code, err := f.svc.PlaceOrder(ctx, f.public, f.input())
		if err != nil || service.NormalizeCode(code) != code {
			t.Fatalf("PlaceOrder = %q, %v", code, err)
		}
		tr, err := f.svc.TrackOrder(ctx, f.public, strings.ToUpper(code[:5])+" "+code[5:])
		if err != nil || tr.Order.State != domain.OrderSubmitted || len(tr.Steps) != 1 || tr.Order.Channel != domain.ChannelOnline {
			t.Fatalf("TrackOrder = %+v, %v", tr, err)
		}
		if _, err := f.svc.TrackOrder(ctx, f.public, service.NewCode()); domain.ErrCode(err) != domain.CodeNotFound {
			t.Fatalf("an unknown code: got %v", err)
		}
		// Rejecting needs a reason; the requester reads it.
		if err := f.svc.ReviewOrder(ctx, f.orgAdmin, tr.Order.ID, domain.EventReject, " "); !fieldIs(err, "reason", "err.order.reason_required") {
			t.Fatalf("reject without a reason: got %v", err)
		}
		if err := f.svc.ReviewOrder(ctx, f.orgAdmin, tr.Order.ID, domain.EventReject, "冬季道路封闭，来年开春安排"); err != nil {
			t.Fatal(err)
		}
		tr, _ = f.svc.TrackOrder(ctx, f.public, code)
		if tr.Order.State != domain.OrderRejected || tr.Steps[1].Reason != "冬季道路封闭，来年开春安排" || tr.LastSeen.IsZero() {
			t.Fatalf("after rejection: %+v", tr)
		}
		if err := f.svc.CancelByCode(ctx, f.public, code, ""); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("cancel a rejected order: got %v, want conflict", err)
		}

		// Another order: accepted, then the requester may still cancel.
		code2, _ := f.svc.PlaceOrder(ctx, f.public, f.input())
		tr2, _ := f.svc.TrackOrder(ctx, f.public, code2)
		if err := f.svc.ReviewOrder(ctx, f.leader, tr2.Order.ID, domain.EventAccept, ""); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("a team leader accepting: got %v", err)
		}
		if err := f.svc.ReviewOrder(ctx, f.admin, tr2.Order.ID, domain.EventAccept, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.CancelByCode(ctx, f.public, code2, "已自行解决"); err != nil {
			t.Fatal(err)
		}
		es, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "order."})
		if len(es) != 5 { // two submits, a reject, an accept, a cancel
			t.Errorf("audit holds %d order rows, want 5", len(es))
		}
		for _, e := range es {
			if strings.Contains(e.After, "13912345678") {
				t.Errorf("audit %s holds the full phone: %s", e.Action, e.After)
			}
		}
	})
}

func TestPublicOrdersAreRateLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		// Three orders an hour for one phone number.
		for i := 1; i <= 3; i++ {
			if _, err := f.svc.PlaceOrder(ctx, f.public, f.input()); err != nil {
				t.Fatalf("order %d: %v", i, err)
			}
		}
		if _, err := f.svc.PlaceOrder(ctx, f.public, f.input()); !tooMany(err, "err.rate.orders_phone") {
			t.Fatalf("fourth order in an hour for one phone: got %v, want too_many per phone", err)
		}
		other := f.public
		other.IP = "198.51.100.1"
		if _, err := f.svc.PlaceOrder(ctx, other, f.input()); !tooMany(err, "err.rate.orders_phone") {
			t.Fatalf("the same phone from another address: got %v, want too_many per phone", err)
		}
		// Thirty an hour from one address, whatever the phones: a village
		// office orders for many people.
		for i := 4; i <= 30; i++ {
			in := f.input()
			in.RequesterPhone = fmt.Sprintf("1370000%04d", i)
			if _, err := f.svc.PlaceOrder(ctx, f.public, in); err != nil {
				t.Fatalf("order %d from one address: %v", i, err)
			}
		}
		in := f.input()
		in.RequesterPhone = "13600000031"
		if _, err := f.svc.PlaceOrder(ctx, f.public, in); !tooMany(err, "err.rate.orders") {
			t.Fatalf("the 31st order in an hour from one address: got %v, want too_many per address", err)
		}
		if _, err := f.svc.PlaceOrder(ctx, other, in); err != nil {
			t.Fatalf("another address: %v", err)
		}
		// Guessing codes runs into the lookup limit.
		var err error
		for i := 0; i < 40 && domain.ErrCode(err) != domain.CodeTooMany; i++ {
			_, err = f.svc.TrackOrder(ctx, f.public, service.NewCode())
		}
		if domain.ErrCode(err) != domain.CodeTooMany {
			t.Fatalf("40 wrong codes: last answer %v, want too_many", err)
		}
	})
}

func TestSiteContactOrdersForOwnSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		in := f.input()
		if _, err := f.svc.PlaceOrder(ctx, f.contact, in); err != nil {
			t.Fatalf("contact orders for own site: %v", err)
		}
		in.SiteID = f.site + 100
		if _, err := f.svc.PlaceOrder(ctx, f.contact, in); !fieldIs(err, "place", "err.order.not_your_site") {
			t.Fatalf("contact orders for another site: got %v", err)
		}
		orders, total, _, err := f.svc.Orders(ctx, f.contact, store.OrderFilter{Limit: 10})
		if err != nil || total != 1 || orders[0].UserID != f.contact.UserID {
			t.Fatalf("contact's orders = %d, %v", total, err)
		}
		hot := f.input()
		hot.Channel = domain.ChannelHotline
		if _, err := f.svc.EnterOrder(ctx, f.contact, hot); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("contact entering a hotline order: got %v", err)
		}
		if _, err := f.svc.EnterOrder(ctx, f.admin, hot); err != nil {
			t.Fatalf("staff entering a hotline order: %v", err)
		}
		_, total, _, _ = f.svc.Orders(ctx, f.orgAdmin, store.OrderFilter{Channel: domain.ChannelHotline, Limit: 10})
		if total != 1 {
			t.Fatalf("org admin sees %d hotline orders of their site, want 1", total)
		}
	})
}

// tooMany reports whether err is a too_many error with the message key.
func tooMany(err error, key string) bool {
	e, ok := domain.AsError(err)
	return ok && e.Code == domain.CodeTooMany && e.Key == key
}
