package service_test

import (
	"context"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

func errorKey(err error) string {
	if e, ok := domain.AsError(err); ok {
		return e.Key
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestDemoPointsShop: the demo city credits its records' points (every
// ledger adds up to its balance), opens a shop at 巴彦嘎查 with items the
// demo volunteer can afford and one redemption waiting; the site contact
// manages only their site's items and confirms a code once; bad item forms
// are refused field by field and change nothing.
func TestDemoPointsShop(t *testing.T) {
	skipUnderRace(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, logins := loadDemo(t, s)
		who := demoPrincipals(t, svc, logins)
		vol, site, org, leader := who[domain.RoleVolunteer], who[domain.RoleSiteContact], who[domain.RoleOrgAdmin], who[domain.RoleTeamLeader]

		mine, err := svc.MyPoints(ctx, vol)
		must(t, err)
		var sum int64
		titled := 0
		for _, e := range mine.Entries {
			sum += e.Points
			if e.Cause == store.PointsHours && e.Activity != "" {
				titled++
			}
		}
		if mine.Balance <= 0 || sum != mine.Balance || titled == 0 {
			t.Fatalf("demo volunteer: balance %d, ledger sum %d, %d entries for hours with a title; want a positive balance its ledger adds up to",
				mine.Balance, sum, titled)
		}
		if len(mine.Redemptions) != 1 || mine.Redemptions[0].State != domain.RedemptionPending {
			t.Fatalf("demo volunteer's redemptions %+v; want one pending", mine.Redemptions)
		}
		shop, err := svc.Shop(ctx, vol)
		must(t, err)
		if len(shop.Items) < 3 || shop.Items[0].Cost > shop.Balance {
			t.Fatalf("shop: %d items, cheapest %d, balance %d; want 3 or more and one affordable", len(shop.Items), shop.Items[0].Cost, shop.Balance)
		}
		admin, err := svc.ShopAdmin(ctx, site)
		must(t, err)
		if len(admin.Items) != len(shop.Items) || len(admin.Pending) != 1 {
			t.Fatalf("site contact sees %d items and %d pending; want %d and 1", len(admin.Items), len(admin.Pending), len(shop.Items))
		}
		if len(admin.Owners) != 1 || admin.Owners[0].Name != "巴彦嘎查" {
			t.Fatalf("site contact may list items for %+v; want their site only", admin.Owners)
		}

		// Scope: another site is not the contact's; the org admin of another
		// subtree sees none of these items; a team leader manages nothing.
		if _, err := svc.SaveShopItem(ctx, site, 0, domain.ShopItemInput{Owner: "org:1", Name: "毛巾", Cost: "10",
			Stock: "5", Place: "嘎查", ValidUntil: "2099-01-01", Active: true}); errorKey(err) != "err.shop.owner_scope" {
			t.Fatalf("site contact listing an item for the committee: %v; want err.shop.owner_scope", err)
		}
		if _, err := svc.ShopItem(ctx, org, shop.Items[0].ID); domain.ErrCode(err) != domain.CodeForbidden {
			if oa, _ := svc.ShopAdmin(ctx, org); len(oa.Items) != 0 {
				t.Fatalf("org admin of 市农牧业局 opens 巴彦嘎查's item: %v", err)
			}
		}
		if _, err := svc.ShopAdmin(ctx, leader); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("team leader's shop admin: %v; want forbidden", err)
		}

		// Validation: every bad field named, nothing written.
		_, err = svc.SaveShopItem(ctx, site, 0, domain.ShopItemInput{Owner: admin.Owners[0].Key, Name: " ", Cost: "abc",
			Stock: "-1", Place: "", ValidUntil: "2020-01-01"})
		e, ok := domain.AsError(err)
		if !ok || e.Code != domain.CodeInvalid {
			t.Fatalf("bad item form: %v; want invalid", err)
		}
		for _, f := range []string{"name", "cost", "stock", "place", "valid_until"} {
			if e.Fields[f] == nil {
				t.Errorf("bad item form: no error for %s (%v)", f, e.Fields)
			}
		}
		if again, _ := svc.ShopAdmin(ctx, site); len(again.Items) != len(admin.Items) {
			t.Fatalf("a refused form listed an item")
		}

		// Redeem, pick up once, and the volunteer's cancel returns points.
		r, err := svc.Redeem(ctx, vol, shop.Items[0].ID)
		must(t, err)
		if _, err := svc.PickUp(ctx, leader, r.Code); domain.ErrCode(err) != domain.CodeForbidden {
			t.Fatalf("team leader picking up: %v; want forbidden", err)
		}
		got, err := svc.PickUp(ctx, site, " "+r.Code[:4]+"-"+r.Code[4:]+" ")
		must(t, err)
		if got.ID != r.ID {
			t.Fatalf("picked up %d; want %d", got.ID, r.ID)
		}
		if _, err := svc.PickUp(ctx, site, r.Code); errorKey(err) != "err.shop.closed" {
			t.Fatalf("a code used twice: %v; want err.shop.closed", err)
		}
		before, _, err := s.PointsBalance(ctx, mine.Person.ID)
		must(t, err)
		must(t, svc.CancelMyRedemption(ctx, vol, mine.Redemptions[0].ID, ""))
		after, _, err := s.PointsBalance(ctx, mine.Person.ID)
		must(t, err)
		if after != before+mine.Redemptions[0].Cost {
			t.Fatalf("cancel: balance %d → %d; want +%d", before, after, mine.Redemptions[0].Cost)
		}
		if err := svc.CancelRedemption(ctx, site, r.ID, "x"); errorKey(err) != "err.shop.closed" {
			t.Fatalf("cancel after pickup: %v; want err.shop.closed", err)
		}

		checkHonours(t, svc, who)
	})
}

// checkHonours: the committee's list is ordered by hours (or by points),
// names volunteers by number, and exports; a team leader's counts only
// their team's service; a volunteer has none.
func checkHonours(t *testing.T, svc *service.Service, who map[domain.Role]domain.Caller) {
	t.Helper()
	ctx := context.Background()
	all, err := svc.Honours(ctx, who[domain.RoleCommitteeAdmin], 0, false)
	must(t, err)
	if len(all.Lines) < 50 {
		t.Fatalf("the committee's honours list has %d lines for %d", len(all.Lines), all.Year)
	}
	for i, l := range all.Lines {
		if i > 0 && l.Minutes > all.Lines[i-1].Minutes {
			t.Fatalf("line %d has more hours than the one above it", i+1)
		}
		if _, ok := svc.PersonIDByVolunteerNumber(l.VolunteerNo); !ok || l.Points <= 0 {
			t.Fatalf("line %d: number %q, %d points", i+1, l.VolunteerNo, l.Points)
		}
	}
	byPoints, err := svc.Honours(ctx, who[domain.RoleCommitteeAdmin], all.Year, true)
	must(t, err)
	for i := 1; i < len(byPoints.Lines); i++ {
		if byPoints.Lines[i].Points > byPoints.Lines[i-1].Points {
			t.Fatalf("by points: line %d has more points than the one above it", i+1)
		}
	}
	team, err := svc.Honours(ctx, who[domain.RoleTeamLeader], all.Year, false)
	must(t, err)
	if len(team.Lines) == 0 || len(team.Lines) >= len(all.Lines) && team.Lines[0].Team != all.Lines[0].Team {
		t.Fatalf("the team leader's list has %d lines", len(team.Lines))
	}
	for _, l := range team.Lines {
		if l.Team != team.Lines[0].Team {
			t.Fatalf("the team leader's list counts teams %q and %q", team.Lines[0].Team, l.Team)
		}
	}
	if _, err := svc.Honours(ctx, who[domain.RoleVolunteer], all.Year, false); domain.ErrCode(err) != domain.CodeForbidden {
		t.Fatalf("a volunteer's honours list: %v; want forbidden", err)
	}
	b, _, err := svc.HonoursBook(ctx, who[domain.RoleOrgAdmin], all.Year, false)
	must(t, err)
	b.Close()
}
