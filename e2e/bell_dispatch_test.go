package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestBrowserDispatchRingsLeadersBell is issue 13's must-show: a team
// leader is signed in on a phone; the committee dispatches an order to the
// team at the desk; the leader's bell count rises by one, and the leader
// opens the dispatch from the notification and finds the order in the
// inbox, ready to confirm.
func TestBrowserDispatchRingsLeadersBell(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	st, svc := srv.Main.Store, srv.Main.Service

	// An accepted order for one medical menu item.
	cats, _ := st.ListCategories(ctx, false)
	var medicalCat int64
	for _, c := range cats {
		if c.Code == "medical" {
			medicalCat = c.ID
		}
	}
	items, _ := st.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true})
	var item int64
	for _, m := range items {
		if m.CategoryID == medicalCat && item == 0 {
			item = m.ID
		}
	}
	sites, _ := st.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	if item == 0 || len(sites) == 0 {
		t.Fatal("the demo lacks a medical menu item or sites")
	}
	day := time.Now().In(domain.ChinaZone).AddDate(0, 2, 0).Format("2006-01-02")
	tracking, err := svc.PlaceOrder(ctx, domain.Caller{IP: "192.0.2.77"}, domain.OrderInput{RequesterName: "宝音",
		RequesterPhone: "13600000077", SiteID: sites[0].ID, DateFrom: day, DateTo: day, Beneficiaries: 80, ItemIDs: []int64{item}})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := st.OrderByCode(ctx, tracking)
	if err := svc.ReviewOrder(ctx, service.SystemCaller, o.ID, domain.EventAccept, ""); err != nil {
		t.Fatal(err)
	}
	pr, err := svc.ProposeGroup(ctx, service.SystemCaller, o.ID)
	if err != nil || len(pr.Match.Best.Parts) != 1 {
		t.Fatalf("proposal %+v (%v), want one team", pr.Match.Best, err)
	}
	team, _ := strconv.ParseInt(pr.Match.Best.Parts[0].Team, 10, 64)

	// The proposed team's leader: an account for a member without one.
	roster, err := st.Roster(ctx, team, false)
	if err != nil {
		t.Fatal(err)
	}
	var person int64
	for _, m := range roster {
		if p, err := st.PersonByID(ctx, m.PersonID); err == nil && p.UserID == 0 && person == 0 {
			person = p.ID
		}
	}
	const pw = "leader password 2026"
	if _, _, err := svc.CreateUser(ctx, service.SystemCaller, service.NewAccount{Username: "bell-leader", DisplayName: "值班队长",
		Role: domain.RoleTeamLeader, ScopeID: team, PersonID: person, Password: pw}); err != nil {
		t.Fatal(err)
	}

	leader := newBrowser(t, srv.URL)
	leader.step("phone viewport", chromedp.EmulateViewport(layoutPhone, layoutPhoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch))
	leader.navigate("/login")
	leader.login("bell-leader", pw)
	leader.navigate("/")
	before := 0
	if leader.count("#bell-count") > 0 {
		before, _ = strconv.Atoi(leader.text("#bell-count"))
	}
	leader.screenshot("leader-before-dispatch")

	admin := newBrowser(t, srv.URL)
	admin.navigate("/login")
	admin.login("admin", service.DemoPassword)
	id := strconv.FormatInt(o.ID, 10)
	admin.navigate("/desk")
	admin.click("#propose-" + id)
	admin.click("#dispatch-submit")
	if ds, _ := st.OrderDispatches(ctx, o.ID); len(ds) != 1 || ds[0].TeamID != team {
		t.Fatalf("dispatches after sending as proposed: %+v, want one to team %d", ds, team)
	}

	leader.navigate("/")
	if got := leader.text("#bell-count"); got != fmt.Sprint(before+1) {
		t.Fatalf("after the dispatch the leader's bell shows %q, want %d", got, before+1)
	}
	if label := leader.eval(`document.querySelector("#bell").getAttribute("aria-label")`); !strings.Contains(label, fmt.Sprint(before+1)) {
		t.Errorf("the bell's label %q does not say how many are unread", label)
	}
	leader.screenshot("leader-bell-rang")
	leader.click("#bell")
	leader.expectPage("/notifications", "通知", "zh-CN")
	number := domain.OrderNumber(o.ID)
	if first := leader.text("#notify-list li:first-child"); !strings.Contains(first, number) {
		t.Errorf("the newest notification %q does not name order %s", first, number)
	}
	leader.screenshot("leader-notifications")
	leader.click("#notify-list li:first-child button")
	leader.expectPage("/inbox", "", "zh-CN")
	leader.screenshot("leader-inbox")
	if main := leader.text("main"); !strings.Contains(main, number) {
		t.Errorf("the inbox opened from the notification does not show order %s", number)
	}
	if leader.count("#confirm-"+id+"-"+strconv.FormatInt(team, 10)) != 1 {
		t.Error("the inbox has no confirm button for the dispatch")
	}
	if before == 0 {
		if leader.count("#bell-count") != 0 {
			t.Errorf("after opening it the bell still shows %q, want none", leader.text("#bell-count"))
		}
	} else if got := leader.text("#bell-count"); got != fmt.Sprint(before) {
		t.Errorf("after opening it the bell shows %q, want %d", got, before)
	}
}
