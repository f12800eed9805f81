package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"vanguard/domain"
)

var titleRe = regexp.MustCompile(`(?s)<title>(.*?)</title>`)

// TestSiteContactSeesMyOrders: a site contact's /orders is their own
// orders, titled so ("我的点单"), not the committee's work list 点单受理;
// staff keep their title. Their site, 巴彦嘎查 in the region 巴彦嘎查, is
// printed once on every page of the order.
func TestSiteContactSeesMyOrders(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	f := newWorkFixture(t, a)
	ctx := context.Background()
	in := domain.OrderInput{RequesterName: "巴特尔", RequesterPhone: "13912345678", SiteID: f.gacha,
		DateFrom: f.dateFrom, DateTo: f.dateTo, ItemIDs: []int64{f.item}}
	code, err := a.Service.PlaceOrder(ctx, f.public, in)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := a.Service.TrackOrder(ctx, f.public, code)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Order.SiteName != "巴彦嘎查" || tr.Order.RegionName != "巴彦嘎查" {
		t.Fatalf("the demo's site is %q in %q; the test needs 巴彦嘎查 in 巴彦嘎查", tr.Order.SiteName, tr.Order.RegionName)
	}
	for _, tc := range []struct {
		user, h1, title string
	}{
		{demoUsers[domain.RoleSiteContact], "我的点单", "我的点单 · "},
		{demoUsers[domain.RoleCommitteeAdmin], "点单受理", "点单受理 · "},
		{demoUsers[domain.RoleOrgAdmin], "点单受理", "点单受理 · "},
	} {
		c := a.login(t, tc.user)
		r := c.get(t, "/orders")
		if r.StatusCode != http.StatusOK || r.h1() != tc.h1 || !strings.HasPrefix(firstGroup(titleRe, r.body), tc.title) {
			t.Errorf("GET /orders as %s: got %d, h1 %q, title %q; want %q", tc.user, r.StatusCode, r.h1(),
				firstGroup(titleRe, r.body), tc.h1)
		}
		if tc.user == demoUsers[domain.RoleOrgAdmin] {
			continue // 巴彦嘎查 is the committee's own site
		}
		r = c.get(t, "/orders/"+itoa(tr.Order.ID))
		back := map[bool]string{true: "返回我的点单", false: "返回点单受理"}[tc.h1 == "我的点单"]
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, back) {
			t.Errorf("GET /orders/%d as %s: got %d, want a link %q", tr.Order.ID, tc.user, r.StatusCode, back)
		}
		if strings.Contains(r.body, "巴彦嘎查（巴彦嘎查）") || !strings.Contains(r.body, "巴彦嘎查") {
			t.Errorf("GET /orders/%d as %s: the place is not printed once", tr.Order.ID, tc.user)
		}
	}
	c := a.login(t, demoUsers[domain.RoleSiteContact])
	c.header.Set("Accept-Language", "en")
	if r := c.get(t, "/orders"); r.h1() != "My orders" {
		t.Errorf("GET /orders in English as the site contact: h1 %q, want My orders", r.h1())
	}
	r := a.newClient(t).get(t, "/track?code="+code)
	if r.StatusCode != http.StatusOK || strings.Contains(r.body, "巴彦嘎查（巴彦嘎查）") ||
		!strings.Contains(r.body, `<dd id="track-place">巴彦嘎查</dd>`) {
		t.Errorf("GET /track: got %d; the place should read 巴彦嘎查, once", r.StatusCode)
	}
}
