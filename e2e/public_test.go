package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
)

// TestBrowserPublicOrdersOnPhone: a member of the public, on a phone and
// without an account, opens the menu, ticks two services, fills in the
// order form, lands on the status page with the tracking code, and later
// finds the order again by typing the code.
func TestBrowserPublicOrdersOnPhone(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	sites, err := srv.Main.Service.PublicSites(ctx)
	if err != nil || len(sites) == 0 {
		t.Fatalf("public sites: %d, %v", len(sites), err)
	}
	site := sites[len(sites)/2]

	b := newBrowser(t, srv.URL)
	b.navigate("/menu")
	b.viewportShot("menu-desktop")
	b.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.navigate("/menu")
	b.expectPage("/menu", "服务菜单", "zh-CN")
	if n := b.count("#menu-items > li"); n < 2 {
		t.Fatalf("the menu lists %d items, want the demo's", n)
	}
	b.viewportShot("menu-phone")
	b.noSidewaysScroll("/menu")

	// Searching 布病: the service several teams offer is one card, saying
	// how many teams offer it; the requester does not choose between them.
	b.typeInto("#q", "布病")
	b.click("#menu-search")
	b.expectPage("/menu", "服务菜单", "zh-CN")
	cards := b.eval(`String([...document.querySelectorAll("#menu-items .menu-title")].filter(e => e.textContent.trim() == "布病防治宣传").length)`)
	if cards != "1" {
		t.Errorf("searching 布病 shows %s cards 布病防治宣传, want one", cards)
	}
	if got := b.eval(`(() => { const li = [...document.querySelectorAll("#menu-items > li")].find(li => li.querySelector(".menu-title").textContent.trim() == "布病防治宣传"); return li ? li.querySelector(".team-count").textContent : "" })()`); !strings.HasSuffix(got, "支服务队") || got == "1 支服务队" {
		t.Errorf("the 布病防治宣传 card says %q, want several teams", got)
	}
	b.eval(`(() => { document.querySelector("#menu-items > li .teams").scrollIntoView({block: "center"}); return "" })()`)
	b.viewportShot("menu-search-bubing-phone")
	b.noSidewaysScroll("/menu?q=布病")

	// Narrow by category, then tick two services with real taps.
	b.click("#menu-categories a[data-category]")
	b.expectPage("/menu", "服务菜单", "zh-CN")
	if n := b.count("#menu-categories a[aria-current=page][data-category]"); n != 1 {
		t.Errorf("after choosing a category, %d categories are marked current", n)
	}
	b.viewportShot("menu-category-phone")
	b.navigate("/menu")
	var titles []string
	for _, i := range []string{"1", "2"} {
		sel := "#menu-items > li:nth-child(" + i + ") input[name=item]"
		// As a thumb does: scroll the item clear of the sticky bar, then tap.
		b.eval(`(() => { document.querySelector("` + sel + `").scrollIntoView({block: "center"}); return "" })()`)
		b.step("tick item "+i, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
		if got := b.eval(`String(document.querySelector("` + sel + `").checked)`); got != "true" {
			t.Fatalf("item %s is not ticked after the tap", i)
		}
		titles = append(titles, b.text("#menu-items > li:nth-child("+i+") .menu-title"))
	}
	b.viewportShot("menu-ticked-phone")
	b.click("#menu-order")
	b.expectPage("/order", "我要点单", "zh-CN")
	if n := b.count("#order-items input[name=item]:checked"); n != 2 {
		t.Fatalf("the order form has %d ticked items, want 2", n)
	}
	for _, title := range titles {
		if !strings.Contains(b.text("#order-items"), title) {
			t.Errorf("the order form lacks %q", title)
		}
	}
	b.noSidewaysScroll("/order")

	// Fill it in: the site, the dates, beneficiaries, name and mobile.
	cst := time.FixedZone("CST", 8*3600)
	from := time.Now().In(cst).AddDate(0, 0, 7).Format("2006-01-02")
	to := time.Now().In(cst).AddDate(0, 0, 9).Format("2006-01-02")
	b.step("choose the site and dates",
		chromedp.SetValue(chromedp.CSS("#site_id"), itoa(int(site.ID))),
		chromedp.SetValue(chromedp.CSS("#date_from"), from),
		chromedp.SetValue(chromedp.CSS("#date_to"), to))
	b.typeInto("#beneficiaries", "120")
	b.step("type the notes", chromedp.SendKeys(chromedp.CSS("#notes"), "请提前一天联系村委会。"))
	b.typeInto("#requester_name", "乌云其其格")
	b.typeInto("#requester_phone", "13847001234")
	b.screenshot("order-filled-phone")
	b.click("#order-submit")
	b.expectPage("/track", "点单进度", "zh-CN")
	code := strings.ToLower(strings.ReplaceAll(b.text("#track-code"), " ", ""))
	if service.NormalizeCode(code) != code {
		t.Fatalf("the status page shows code %q", b.text("#track-code"))
	}
	if link := b.text("#track-link"); !strings.HasSuffix(link, "/track?code="+code) {
		t.Errorf("the link to keep is %q", link)
	}
	if got := b.text("#track-state-name"); got != "已提交" {
		t.Errorf("a new order's state is %q, want 已提交", got)
	}
	number := b.text("#track-new-number")
	if number == "" || b.text("#track-number") != number {
		t.Errorf("the status page shows the order number %q prominently and %q in the state card", number, b.text("#track-number"))
	}
	b.screenshot("track-new-phone")
	b.noSidewaysScroll("/track after ordering")

	// Later: type the code, as shown (capitals, spaces), into the lookup form.
	shown := b.text("#track-code")
	b.navigate("/track")
	b.expectPage("/track", "查询点单进度", "zh-CN")
	b.typeInto("#code", shown)
	b.click("#track-submit")
	b.expectPage("/track", "点单进度", "zh-CN")
	if got := b.text("#track-state-name"); got != "已提交" {
		t.Errorf("looked up by code, the state is %q, want 已提交", got)
	}
	items := b.text("#track-items")
	for _, title := range titles {
		if !strings.Contains(items, title) {
			t.Errorf("the status page's items %q lack %q", items, title)
		}
	}
	if n := b.count("#track-items li"); n != 2 {
		t.Errorf("the status page lists %d items, want 2", n)
	}
	if got := b.text("#track-place"); !strings.Contains(got, site.Name) {
		t.Errorf("the place is %q, want %q", got, site.Name)
	}
	if got := b.text("#track-phone"); got != "138****1234" {
		t.Errorf("the phone shows as %q, want it masked", got)
	}
	b.screenshot("track-lookup-phone")
	b.noSidewaysScroll("/track by code")

	// Without the code: the order number and the phone's last four digits.
	b.navigate("/track")
	b.typeInto("#number", number)
	b.typeInto("#phone4", "1234")
	b.click("#find-submit")
	b.expectPage("/track", "点单进度", "zh-CN")
	if got := b.text("#track-number"); got != number {
		t.Errorf("found by number and digits, the page shows order %q, want %q", got, number)
	}
	b.screenshot("track-by-number-phone")

	// The committee turns it down with a reason: the requester reads it at
	// the top, and the step is marked new.
	u, err := srv.Main.Store.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	grants, err := srv.Main.Store.Grants(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	admin := domain.Caller{Principal: domain.Principal{UserID: u.ID, Username: u.Username, Grants: grants}, IP: "127.0.0.1"}
	tr, err := srv.Main.Service.TrackOrder(ctx, domain.Caller{IP: "192.0.2.9"}, code)
	if err != nil {
		t.Fatal(err)
	}
	const reason = "冬季道路封闭，车辆无法进入，来年开春后优先安排。"
	if err := srv.Main.Service.ReviewOrder(ctx, admin, tr.Order.ID, domain.EventReject, reason); err != nil {
		t.Fatal(err)
	}
	b.navigate("/track?code=" + code)
	if got := b.text("#track-reason"); got != reason {
		t.Errorf("the rejection's reason shows as %q", got)
	}
	if got := b.text("#track-state-name"); got != "未受理" {
		t.Errorf("after the rejection the state is %q, want 未受理", got)
	}
	if n := b.count("#track-steps .step-new"); n != 1 {
		t.Errorf("%d steps are marked new, want the rejection", n)
	}
	if n := b.count("#cancel-form"); n != 0 {
		t.Error("a rejected order offers to cancel")
	}
	b.screenshot("track-rejected-phone")
	b.noSidewaysScroll("/track rejected")

	// One item's own page, on the phone too.
	b.navigate("/menu")
	b.click("#menu-items > li:nth-child(1) .menu-title a")
	b.screenshot("menu-item-phone")
	b.noSidewaysScroll("a menu item")
}

// viewportShot saves what the screen shows, as screenshot does for the whole
// page: a list of a hundred services is too long a page to look at whole,
// and the sticky order button shows where a phone shows it.
func (b *browser) viewportShot(name string) {
	b.t.Helper()
	b.shot++
	b.save(name, value(b, "screenshot "+name, chromedp.CaptureScreenshot()))
}
