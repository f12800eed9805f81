package e2e

import (
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/service"
)

// TestBrowserRedeemAndPickUp: the demo volunteer, on a phone, opens her
// points, goes to the shop at 巴彦嘎查, redeems 保温杯 and sees the pickup
// code; the site contact of 巴彦嘎查, on a phone, confirms the pickup with
// the code (typed in lower case with a dash), and the same code is refused
// the second time; the volunteer then sees the redemption picked up and the
// points spent in her ledger. Last, the committee's honours list.
func TestBrowserRedeemAndPickUp(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)

	vol := newBrowser(t, srv.URL)
	vol.phone()
	vol.navigate("/login")
	vol.login("volunteer", service.DemoPassword)
	vol.navigate("/me/points")
	vol.expectPage("/me/points", "我的积分", "zh-CN")
	before := vol.text("#points-balance")
	if !strings.Contains(vol.text("#points-ledger"), "服务时长") {
		t.Errorf("the ledger does not show hours in words: %q", excerpt(vol.text("#points-ledger")))
	}
	vol.screenshot("points-phone")
	vol.noSidewaysScroll("/me/points")
	vol.click("#to-shop")
	vol.expectPage("/shop", "积分超市", "zh-CN")
	if got := vol.text("main"); !strings.Contains(got, "巴彦嘎查") || !strings.Contains(got, "保温杯") {
		t.Fatalf("the shop does not offer 保温杯 at 巴彦嘎查: %q", excerpt(got))
	}
	vol.screenshot("shop-phone")
	vol.noSidewaysScroll("/shop")
	item := vol.eval(`[...document.querySelectorAll(".shop-item")].find(s => s.querySelector("h2").textContent.trim() === "保温杯").id.slice(5)`)
	vol.click("#redeem-" + item)
	if p := vol.path(); !strings.HasPrefix(p, "/shop/redemptions/") {
		vol.screenshot("after-redeem")
		t.Fatalf("after redeeming: on %s (%q)", p, excerpt(vol.text("main")))
	}
	redemption := vol.path()
	code := vol.text("#pickup-code")
	if len(code) != domain.PickupCodeLen || strings.Trim(code, domain.PickupAlphabet) != "" {
		t.Fatalf("the pickup code reads %q", code)
	}
	if vol.count("#pickup-qr svg") != 1 {
		t.Errorf("no QR of the code")
	}
	if got := vol.text("#redemption-state"); got != "待领取" {
		t.Errorf("the new redemption's state reads %q", got)
	}
	vol.screenshot("code-phone")
	vol.noSidewaysScroll(redemption)

	// The site contact confirms the pickup on her phone.
	site := newBrowser(t, srv.URL)
	site.phone()
	site.navigate("/login")
	site.login("gacha-contact", service.DemoPassword)
	site.navigate("/shop/manage")
	site.expectPage("/shop/manage", "积分超市管理", "zh-CN")
	site.typeInto("#code", strings.ToLower(code[:4]+"-"+code[4:]))
	if status := site.click("#pickup-submit"); status != 200 {
		t.Errorf("pickup: status %d", status)
	}
	if got := site.text("#pickup-done"); !strings.Contains(got, "保温杯") {
		t.Fatalf("the pickup confirmation reads %q", got)
	}
	site.screenshot("pickup-phone")
	site.noSidewaysScroll("/shop/manage")
	site.typeInto("#code", code)
	if status := site.click("#pickup-submit"); status != 422 {
		t.Errorf("the same code again: status %d, want 422", status)
	}
	if got := site.text("#code-error"); !strings.Contains(got, "已领取") {
		t.Errorf("the second use of a code reads %q", got)
	}
	site.screenshot("code-used-phone")

	// The volunteer sees it picked up, and the points spent.
	vol.navigate(redemption)
	if got := vol.text("#redemption-state"); got != "已领取" {
		t.Errorf("after pickup the redemption reads %q, want 已领取", got)
	}
	if vol.count("#pickup-code") != 0 {
		t.Errorf("a picked-up redemption still shows its code")
	}
	vol.screenshot("picked-up-phone")
	vol.navigate("/me/points")
	if after := vol.text("#points-balance"); after == before {
		t.Errorf("the balance still reads %s after redeeming", after)
	}
	if got := vol.text("#points-ledger"); !strings.Contains(got, "兑换 · 保温杯") || !strings.Contains(got, "-120") {
		t.Errorf("the ledger does not show the redemption: %q", excerpt(got))
	}
	if got := vol.text("#my-redemptions"); !strings.Contains(got, "保温杯") || !strings.Contains(got, "已领取") {
		t.Errorf("the redemptions read %q", got)
	}
	vol.screenshot("points-after-phone")

	// The committee's honours list names volunteers by number.
	adm := newBrowser(t, srv.URL)
	adm.navigate("/login")
	adm.login("admin", service.DemoPassword)
	adm.navigate("/honours")
	adm.expectPage("/honours", "推先评优", "zh-CN")
	if adm.count("#honours-table tbody tr") < 10 || !strings.HasPrefix(adm.text("#honours-table tbody td.mono"), "XF") {
		t.Errorf("the honours list reads %q", excerpt(adm.text("#honours-table")))
	}
	adm.screenshot("honours")
}
