package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// activityOutsider gives a volunteer of a team other than 市农牧业局's party
// team an account, "outsider", and returns its team's id and the id of
// 市农牧业局's party team.
func activityOutsider(t *testing.T, srv *server) (nmj int64) {
	t.Helper()
	ctx := context.Background()
	st, svc := srv.Main.Store, srv.Main.Service
	teams, err := st.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	var other int64
	for _, tm := range teams {
		if tm.Name == "市农牧业局党员志愿服务队" {
			nmj = tm.ID
		} else if other == 0 {
			other = tm.ID
		}
	}
	in := map[int64]bool{}
	roster, _ := st.Roster(ctx, nmj, false)
	for _, m := range roster {
		in[m.PersonID] = true
	}
	others, _ := st.Roster(ctx, other, false)
	for _, m := range others {
		if in[m.PersonID] {
			continue
		}
		uid, _, err := svc.CreateUser(ctx, service.SystemCaller, service.NewAccount{Username: "outsider",
			DisplayName: m.PersonName, Role: domain.RoleVolunteer, Password: service.DemoPassword})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
			return tx.LinkPersonUser(m.PersonID, uid)
		}); err != nil {
			t.Fatal(err)
		}
		return nmj
	}
	t.Fatal("no volunteer outside 市农牧业局's party team")
	return 0
}

// TestBrowserActivitySignUp: the leader of 市农牧业局's party team creates an
// open-mode activity through the form; the demo volunteer, a member, finds
// it in the calendar on her phone and signs up; a volunteer of another team
// asks to join on his phone; the leader approves him, and both places show.
func TestBrowserActivitySignUp(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	nmj := activityOutsider(t, srv)
	const title = "春耕农机检修志愿服务"
	start := time.Now().In(domain.ChinaZone).AddDate(0, 0, 3)

	leader := newBrowser(t, srv.URL)
	leader.navigate("/login")
	leader.login("nmj-leader", service.DemoPassword)
	leader.navigate("/activities/new")
	leader.expectPage("/activities/new", "新建活动", "zh-CN")
	leader.typeInto("#title", title)
	// Radios, selects, checkboxes and date pickers are set as a script
	// would: the browser's own pickers are not part of the page.
	leader.eval(`(() => {
		document.querySelector('#mode-open').click();
		document.querySelector('#team').value = '` + strconv.FormatInt(nmj, 10) + `';
		document.querySelector('#categories input[type=checkbox]').click();
		document.querySelector('#date').value = '` + start.Format("2006-01-02") + `';
		document.querySelector('#start_time').value = '09:00';
		document.querySelector('#end_time').value = '12:00';
		return '';
	})()`)
	// The first site in the list.
	leader.eval(`(() => { const s = document.querySelector('#site_id'); s.selectedIndex = 1; return s.value })()`)
	leader.typeInto("#capacity", "10")
	leader.typeInto("#skills", "农机维修、驾驶")
	leader.screenshot("activity-form")
	leader.click("#activity-submit")
	path := leader.path()
	if !strings.HasPrefix(path, "/activities/") {
		leader.screenshot("create-failed")
		t.Fatalf("after creating: on %s, errors %q", path, leader.eval(`[...document.querySelectorAll('.field-error')].map(e => e.id + ': ' + e.textContent).join('; ')`))
	}
	leader.expectPage(path, title, "zh-CN")
	if got := leader.text("#act-saved"); !strings.Contains(got, "已创建") {
		t.Errorf("after creating the notice is %q", got)
	}

	// The volunteer, a member of the team, finds it on her phone and signs up.
	vol := newBrowser(t, srv.URL)
	vol.navigate("/login")
	vol.login("volunteer", service.DemoPassword)
	vol.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
	vol.navigate("/activities")
	vol.expectPage("/activities", "服务活动", "zh-CN")
	if vol.count(`a[href="`+path+`"]`) == 0 {
		vol.screenshot("calendar-without-it")
		t.Fatalf("the calendar does not list %s", path)
	}
	vol.viewportShot("calendar-phone")
	vol.noSidewaysScroll("/activities")
	vol.click(`a[href="` + path + `"]`)
	vol.expectPage(path, title, "zh-CN")
	vol.click("#signup")
	vol.expectPage(path, title, "zh-CN")
	if got := vol.text("#my-state"); !strings.Contains(got, "已报名") {
		t.Errorf("after signing up her state reads %q", got)
	}
	if vol.count("#cancel-signup") != 1 {
		t.Error("no cancel button after signing up")
	}
	vol.screenshot("activity-volunteer-phone")
	vol.noSidewaysScroll(path + " for the volunteer")
	vol.navigate("/activities")
	if got := vol.text("#activity-" + strings.TrimPrefix(path, "/activities/") + " .my-state"); !strings.Contains(got, "已报名") {
		t.Errorf("the calendar shows her state as %q", got)
	}

	// A volunteer of another team asks to join.
	out := newBrowser(t, srv.URL)
	out.navigate("/login")
	out.login("outsider", service.DemoPassword)
	out.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
	out.navigate(path)
	if got := out.text("#signup"); got != "申请加入" {
		t.Errorf("the outsider's button reads %q, want 申请加入", got)
	}
	out.click("#signup")
	if got := out.text("#my-state"); !strings.Contains(got, "待审核") {
		t.Errorf("after asking, the outsider's state reads %q", got)
	}
	out.noSidewaysScroll(path + " for the outsider")

	// The leader approves the request.
	leader.navigate(path)
	if leader.count("#requests button[id^=approve-]") != 1 {
		leader.screenshot("no-request")
		t.Fatal("the leader sees no request to approve")
	}
	leader.screenshot("activity-leader-request")
	leader.click("#requests button[id^=approve-]")
	if got := leader.text("#act-saved"); !strings.Contains(got, "同意") {
		t.Errorf("after approving the notice is %q", got)
	}
	if n := leader.count("#signups tbody tr"); n != 2 {
		t.Errorf("the sign-up list has %d rows, want 2", n)
	}
	if got := leader.text("#act-places"); !strings.Contains(got, "2/10") {
		t.Errorf("places read %q, want 2/10 taken", got)
	}
	leader.screenshot("activity-leader")
	out.navigate(path)
	if got := out.text("#my-state"); !strings.Contains(got, "已报名") {
		t.Errorf("after approval the outsider's state reads %q", got)
	}
	out.screenshot("activity-outsider-phone")
}
