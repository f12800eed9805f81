package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
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

// TestPublicMenuByService: searching 布病 shows the demo's 布病防治宣传,
// offered by several teams, as one service saying how many teams offer it;
// every team's item leads to it; ordering it orders the service with an
// optional preferred team ("不指定" first and chosen), which the committee
// sees as a wish on the desk and the order page; the desk dispatches it to
// any capable team; /track then shows the order number, the serving team
// (not the menu item's) and the activity's time.
func TestPublicMenuByService(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	items, err := a.Store.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true, Query: "布病防治宣传"})
	if err != nil {
		t.Fatal(err)
	}
	var same []domain.MenuItem
	for _, m := range items {
		if m.Title == "布病防治宣传" {
			same = append(same, m)
		}
	}
	if len(same) < 2 {
		t.Fatalf("the demo has %d items 布病防治宣传; the test needs several teams offering it", len(same))
	}
	rep, last := same[0], same[len(same)-1]
	for _, m := range same {
		if m.ID < rep.ID {
			rep = m
		}
	}
	c := a.newClient(t)
	r := c.get(t, "/menu?q="+url.QueryEscape("布病"))
	if n := strings.Count(r.body, ">布病防治宣传</a>"); r.StatusCode != http.StatusOK || n != 1 {
		t.Errorf("GET /menu?q=布病: got %d with %d cards 布病防治宣传, want one card for %d teams' items", r.StatusCode, n, len(same))
	}
	if want := fmt.Sprintf("%d 支服务队", len(same)); !strings.Contains(r.body, want) || !strings.Contains(r.body, `id="item-`+itoa(rep.ID)+`"`) {
		t.Errorf("the service's card does not say %q or is not the oldest item's", want)
	}
	for _, m := range same {
		r := c.get(t, "/menu/"+itoa(m.ID))
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `href="/order?item=`+itoa(rep.ID)+`"`) ||
			!strings.Contains(r.body, m.TeamNames[0]) {
			t.Errorf("GET /menu/%d: got %d; want the service, ordered by its item %d, naming every team", m.ID, r.StatusCode, rep.ID)
		}
	}

	// The order form: one service, ticked, and the preferred team optional.
	r = c.get(t, "/order?item="+itoa(last.ID))
	first := regexp.MustCompile(`<select id="preferred_team_id"[^>]*><option value="">([^<]*)</option>\s*<option`)
	if m := first.FindStringSubmatch(r.body); m == nil || m[1] != "不指定（由工委派单）" || strings.Contains(r.body, `" selected>`+last.TeamNames[0]) {
		t.Errorf("GET /order: the preferred team's first choice is %v; want 不指定（由工委派单）, chosen: %s", m, excerptAt(r.body, "preferred_team_id"))
	}
	if !strings.Contains(r.body, `value="`+itoa(rep.ID)+`" checked`) {
		t.Errorf("GET /order?item=%d: the service %d is not ticked", last.ID, rep.ID)
	}
	for _, m := range same {
		if !strings.Contains(r.body, `<option value="`+itoa(m.TeamIDs[0])+`">`+m.TeamNames[0]+`</option>`) {
			t.Errorf("GET /order: the preferred team lacks %s", m.TeamNames[0])
		}
	}
	sites, _ := a.Service.PublicSites(ctx)
	wish := last.TeamIDs[0]
	form := url.Values{"item": {itoa(last.ID)}, "site_id": {itoa(sites[0].ID)}, "date_from": {ahead(60)},
		"date_to": {ahead(62)}, "beneficiaries": {"80"}, "requester_name": {"其其格"},
		"requester_phone": {"13700004321"}, "preferred_team_id": {"999999"}}
	r = c.postForm(t, "/order", form)
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["preferred_team_id"] == "" || !strings.Contains(r.body, `value="其其格"`) {
		t.Errorf("a wish for a team that does not offer it: got %d, errors %v", r.StatusCode, r.fieldErrors())
	}
	form.Set("preferred_team_id", itoa(wish))
	code := placeOrder(t, c, form)
	o, err := a.Store.OrderByCode(ctx, code)
	if err != nil || len(o.Items) != 1 || o.Items[0].MenuItemID != rep.ID || o.PreferredTeamID != wish {
		t.Fatalf("the order: items %+v, wish %d (%v); want the service's item %d and team %d", o.Items, o.PreferredTeamID, err, rep.ID, wish)
	}
	number := domain.OrderNumber(o.ID)
	r = c.get(t, "/track?code="+code+"&new=1")
	for _, s := range []string{`id="track-new-number">` + number + `<`, `id="track-number">` + number + `<`,
		`<dd id="track-wish">` + last.TeamNames[0] + ` <span class="muted small">（仅供参考，由工委派单）`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the new order's status page lacks %q", s)
		}
	}

	// The committee sees the wish, and may send any capable team.
	admin := staffCaller(t, a, "admin")
	if err := a.Service.ReviewOrder(ctx, admin, o.ID, domain.EventAccept, ""); err != nil {
		t.Fatal(err)
	}
	ac := a.login(t, "admin")
	if r := ac.get(t, "/desk/orders/"+itoa(o.ID)); !strings.Contains(r.body, `id="desk-wish"`) || !strings.Contains(r.body, last.TeamNames[0]) {
		t.Errorf("the desk's order page does not show the wish for %s", last.TeamNames[0])
	}
	if r := ac.get(t, "/orders/"+itoa(o.ID)); !strings.Contains(r.body, `<dd id="order-wish">`+last.TeamNames[0]) {
		t.Errorf("the order page does not show the wish for %s", last.TeamNames[0])
	}
	pr, err := a.Service.ProposeGroup(ctx, admin, o.ID)
	if err != nil || len(pr.Order.Slots) != 1 {
		t.Fatalf("proposal: %d slots, %v", len(pr.Order.Slots), err)
	}
	cat := pr.Order.Slots[0].CategoryID
	var send store.TeamSupply
	for _, cand := range pr.Candidates[cat] {
		if !slices.Contains(rep.TeamIDs, cand.Team.ID) && cand.Team.ID != wish {
			send = cand
			break
		}
	}
	if send.Team.ID == 0 {
		t.Fatalf("the desk offers %d teams for the category, none but the menu's and the wished one", len(pr.Candidates[cat]))
	}
	err = a.Service.DispatchOrder(ctx, admin, o.ID, map[int64]int64{cat: send.Team.ID}, map[int64]string{cat: "离嘎查最近"})
	if err != nil {
		t.Fatalf("dispatch to %s, a capable team neither offering the menu item nor wished for: %v", send.Team.Name, err)
	}
	r = c.get(t, "/track?code="+code)
	teams := firstGroup(regexp.MustCompile(`(?s)<ul class="links" id="track-teams">(.*?)</ul>`), r.body)
	if !strings.Contains(teams, send.Team.Name) || !strings.Contains(teams, "待确认") {
		t.Errorf("after dispatch, /track does not show %s awaiting its answer", send.Team.Name)
	}
	serveDay, _ := time.ParseInLocation("2006-01-02", ahead(61), domain.ChinaZone)
	serveAt := serveDay.Add(9 * time.Hour)
	err = a.Store.Write(ctx, admin.Actor(), func(tx *store.Tx) error {
		if err := tx.AnswerDispatch(o.ID, send.Team.ID, true, ""); err != nil {
			return err
		}
		in := domain.ActivityInput{Title: "布病防治宣传进嘎查", Mode: domain.ModeUnit, TeamID: send.Team.ID, OrderID: o.ID,
			SiteID: sites[0].ID, StartsAt: serveAt, EndsAt: serveAt.Add(3 * time.Hour),
			Capacity: 10, CategoryIDs: []int64{cat}}
		in.Normalize()
		_, err := tx.CreateActivity(in, send.Team.OrgID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r = c.get(t, "/track?code="+code)
	teams = firstGroup(regexp.MustCompile(`(?s)<ul class="links" id="track-teams">(.*?)</ul>`), r.body)
	if !strings.Contains(teams, send.Team.Name) || !strings.Contains(teams, "已接单") || strings.Contains(teams, rep.TeamNames[0]) && rep.TeamNames[0] != send.Team.Name {
		t.Errorf("after confirming, the serving teams read %q; want %s, confirmed, and not the menu item's team", teams, send.Team.Name)
	}
	if want := ahead(61) + " 09:00–12:00"; !strings.Contains(r.body, want) {
		t.Errorf("/track does not show the activity's time, %s", want)
	}
}

// excerptAt is the part of body around the first s, for a failure message.
func excerptAt(body, s string) string {
	i := strings.Index(body, s)
	if i < 0 {
		return "(" + s + " is not on the page)"
	}
	return body[max(0, i-200):min(len(body), i+400)]
}

// TestTrackFindByNumber: the tracking page finds an order by its number and
// the last four digits of the phone, and then shows it by its code; a wrong
// number or wrong digits get one answer that names neither, with what was
// typed kept; too many tries of one number are refused; the digits never
// reach the log.
func TestTrackFindByNumber(t *testing.T) {
	t.Parallel()
	f := newPublicFixture(t)
	ctx := context.Background()
	c := f.a.newClient(t)
	code := placeOrder(t, c, f.orderForm(f.clinic))
	o, err := f.a.Store.OrderByCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	number := domain.OrderNumber(o.ID)
	r := c.get(t, "/track")
	if !strings.Contains(r.body, `action="/track/find"`) || !strings.Contains(r.body, "手机号后四位") {
		t.Fatal("GET /track offers no lookup by order number")
	}
	r = c.postForm(t, "/track/find", url.Values{"number": {number}, "phone4": {"5678"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/track?code="+code {
		t.Fatalf("POST /track/find with the right pair: got %d Location %q, want 303 to the order's page", r.StatusCode, r.Header.Get("Location"))
	}
	if r = c.get(t, r.Header.Get("Location")); !strings.Contains(r.body, `id="track-number">`+number+`<`) {
		t.Errorf("the order's page does not show its number %s", number)
	}
	var notices []string
	for _, w := range []url.Values{
		{"number": {number}, "phone4": {"5670"}},
		{"number": {domain.OrderNumber(o.ID + 5000)}, "phone4": {"5678"}},
	} {
		r = c.postForm(t, "/track/find", w)
		if r.StatusCode != http.StatusNotFound || !strings.Contains(r.body, `value="`+w.Get("number")+`"`) {
			t.Errorf("POST /track/find %v: got %d, want 404 with the number kept", w, r.StatusCode)
		}
		notices = append(notices, r.notice())
	}
	if notices[0] != notices[1] || !strings.Contains(notices[0], "请核对点单号和手机号后四位") {
		t.Errorf("wrong digits say %q and a wrong number %q; want one answer naming neither", notices[0], notices[1])
	}
	// Ten lookups of one number an hour: two so far, eight more, then 429.
	for i := 0; i < 8; i++ {
		c.postForm(t, "/track/find", url.Values{"number": {number}, "phone4": {fmt.Sprintf("%04d", i)}})
	}
	r = c.postForm(t, "/track/find", url.Values{"number": {number}, "phone4": {"5678"}})
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.notice(), "查询次数太多") {
		t.Errorf("the eleventh lookup of one number: got %d notice %q, want 429", r.StatusCode, r.notice())
	}
	if r = c.postForm(t, "/track/find", url.Values{"number": {number}, "phone4": {"5678"}, "code": {"x"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown field: got %d, want 422", r.StatusCode)
	}
	f.a.stop()
	if strings.Contains(f.a.logs.String(), "5678") {
		t.Error("the log holds the phone's digits")
	}
}
