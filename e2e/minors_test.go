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

// TestBrowserInsuranceRefusalThenSignup: the demo volunteer, on a phone,
// tries to sign up for the activity that requires insurance, reads the
// refusal, records her insurance on /me (a bad date range first, refused in
// Chinese), signs up; the leader's roster shows her insurance valid.
func TestBrowserInsuranceRefusalThenSignup(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	list, _, err := srv.Main.Store.ListActivities(context.Background(), store.ActivityFilter{From: time.Now(), Limit: 1000,
		State: domain.ActivityScheduled})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	var title string
	for _, a := range list {
		if strings.Contains(a.Title, "需要保险") {
			id, title = a.ID, a.Title
		}
	}
	if id == 0 {
		t.Fatal("the demo has no activity that requires insurance")
	}
	path := "/activities/" + strconv.FormatInt(id, 10)

	vol := newBrowser(t, srv.URL)
	vol.navigate("/login")
	vol.login("volunteer", service.DemoPassword)
	vol.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
	vol.navigate(path)
	vol.expectPage(path, title, "zh-CN")
	if got := vol.text("#act-requirements"); !strings.Contains(got, "需要保险") {
		t.Errorf("the requirements read %q", got)
	}
	if status := vol.click("#signup"); status != 409 {
		t.Errorf("sign-up without insurance: status %d, want 409", status)
	}
	if got := vol.text(".notice.error"); !strings.Contains(got, "本活动要求参加人员有保险") {
		t.Errorf("the refusal reads %q", got)
	}
	vol.screenshot("minors-1-refused-phone")

	vol.navigate("/me")
	today := domain.ChinaDay(time.Now())
	vol.typeInto("#insurer", "中国人寿保险")
	vol.typeInto("#policy_no", "GSC-2026-0815")
	setDate := func(sel, v string) {
		vol.eval(`(document.querySelector("` + sel + `").value = "` + v + `")`)
	}
	setDate("#valid_from", today)
	setDate("#valid_until", domain.AddYears(today, -1))
	if status := vol.click("#insurance-save"); status != 422 {
		t.Errorf("insurance ending before it starts: status %d, want 422", status)
	}
	if got := vol.text("#valid_until-error"); !strings.Contains(got, "不能早于") {
		t.Errorf("the date error reads %q", got)
	}
	vol.screenshot("minors-2-insurance-error-phone")
	setDate("#valid_until", domain.AddYears(today, 1))
	vol.click("#insurance-save")
	if got := vol.text("#insurances"); !strings.Contains(got, "GSC-2026-0815") {
		t.Errorf("the insurance list reads %q", got)
	}
	vol.screenshot("minors-3-insured-phone")

	vol.navigate(path)
	vol.click("#signup")
	if got := vol.text("#my-state"); !strings.Contains(got, "已报名") {
		t.Errorf("after recording insurance her state reads %q", got)
	}
	vol.screenshot("minors-4-signed-up-phone")

	leader := newBrowser(t, srv.URL)
	leader.navigate("/login")
	leader.login("nmj-leader", service.DemoPassword)
	leader.navigate(path)
	got := leader.text("#eligibility")
	if !strings.Contains(got, "有效") || strings.Contains(got, "无有效保险") {
		t.Errorf("the leader's requirements check reads %q", got)
	}
	leader.step("scroll to the check", chromedp.ScrollIntoView("#eligibility-head"))
	leader.screenshot("minors-5-leader-roster")
}
