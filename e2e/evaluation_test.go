package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestBrowserEvaluateOnPhone: the requester of a served demo order opens its
// status page on a phone, follows the link to evaluate, sends the form
// without choosing stars and gets the error in Chinese with the comment
// kept, taps five stars and sends it, and sees the thank-you page; the
// committee then finds the evaluation in its list.
func TestBrowserEvaluateOnPhone(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	served, _, err := srv.Main.Store.ListOrders(ctx, store.OrderFilter{Scope: domain.Scope{All: true},
		State: domain.OrderServed, Limit: 1})
	if err != nil || len(served) == 0 {
		t.Fatalf("the demo city has no served order (%d, %v)", len(served), err)
	}
	o := served[0]

	b := newBrowser(t, srv.URL)
	b.onPhone("/track?code="+o.Code, "track-served-phone")
	b.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.navigate("/track?code=" + o.Code)
	b.expectPage("/track", "点单进度", "zh-CN")
	b.eval(`(() => { document.querySelector("#track-evaluate").scrollIntoView({block: "center"}); return "" })()`)
	if status := b.click("#track-evaluate"); status != 200 {
		t.Fatalf("following the evaluation link: status %d", status)
	}
	b.expectPage("/evaluate", "评价这次服务", "zh-CN")
	if n := b.count("#eval-rating input[type=radio]"); n != 5 {
		t.Fatalf("the form offers %d ratings, want 5", n)
	}
	b.noSidewaysScroll("/evaluate")
	b.screenshot("evaluate-phone")

	// Sent without stars: the error names the rating, the comment stays.
	comment := "队员们很耐心，讲得通俗易懂，谢谢！"
	b.typeIntoArea("#comment", comment)
	b.eval(`(() => { document.querySelector("#eval-submit").scrollIntoView({block: "center"}); return "" })()`)
	if status := b.click("#eval-submit"); status != 422 {
		t.Errorf("sent without stars: status %d, want 422", status)
	}
	if got := b.text("#rating-error"); !strings.Contains(got, "请选择满意程度") {
		t.Errorf("the rating's error is %q", got)
	}
	if got := b.eval(`document.querySelector("#comment").value`); got != comment {
		t.Errorf("after the refusal the comment is %q, want %q", got, comment)
	}
	b.screenshot("evaluate-error-phone")

	// Five stars with a real tap on the big choice.
	b.eval(`(() => { document.querySelector("label[for=rating-5]").scrollIntoView({block: "center"}); return "" })()`)
	b.step("tap five stars", chromedp.Click(chromedp.CSS("label[for=rating-5]"), chromedp.NodeVisible))
	if got := b.eval(`String(document.querySelector("#rating-5").checked)`); got != "true" {
		t.Fatalf("five stars are not chosen after the tap")
	}
	b.screenshot("evaluate-five-phone")
	b.eval(`(() => { document.querySelector("#eval-submit").scrollIntoView({block: "center"}); return "" })()`)
	if status := b.click("#eval-submit"); status != 200 {
		t.Fatalf("sending the evaluation: status %d", status)
	}
	b.expectPage("/evaluate", "谢谢您的评价", "zh-CN")
	if got := b.text("#eval-result"); !strings.Contains(got, comment) || !strings.Contains(got, "5 星") {
		t.Errorf("the thank-you page shows %q, want the comment and 5 stars", got)
	}
	b.noSidewaysScroll("/evaluate thanks")
	b.screenshot("evaluate-thanks-phone")

	// The status page shows the evaluation instead of the link.
	b.navigate("/track?code=" + o.Code)
	if n := b.count("#track-evaluate"); n != 0 || !strings.Contains(b.text("#track-evaluation"), comment) {
		t.Errorf("the status page after evaluating: %d links, evaluation %q", n, b.text("body"))
	}

	// The committee sees it among the five-star evaluations.
	admin := newBrowser(t, srv.URL)
	admin.navigate("/login")
	admin.login("admin", service.DemoPassword)
	admin.navigate("/evaluations?rating=5")
	admin.expectPage("/evaluations", "服务评价", "zh-CN")
	if got := admin.text("#eval-list"); !strings.Contains(got, comment) {
		t.Errorf("the committee's list lacks the new evaluation")
	}
	admin.screenshot("evaluations")
	admin.onPhone("/evaluations", "evaluations-phone")
	admin.navigate("/admin/complaints")
	admin.expectPage("/admin/complaints", "投诉处理", "zh-CN")
	admin.screenshot("complaints")
}
