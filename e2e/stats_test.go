package e2e

import (
	"regexp"
	"strings"
	"testing"

	"vanguard/service"
)

// TestBrowserStats: the committee admin opens 统计, clicks the person-times
// figure and lands on the attendance rows behind it, whose total is the
// figure; then the list's way back, an org row's drill-down with its
// breadcrumb, and the page on a phone.
func TestBrowserStats(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)

	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.navigate("/stats")
	b.expectPage("/stats", "统计", "zh-CN")
	if n := b.count("svg[role=img] title"); n < 3 {
		t.Errorf("/stats shows %d charts with a title, want at least 3", n)
	}
	b.screenshot("stats")
	figure := b.text("#fig-person_times .stat-num")
	if figure == "" || figure == "0" {
		t.Fatalf("the person-times figure is %q", figure)
	}
	b.click("#fig-person_times")
	b.expectPage("/stats/records", "服务人次", "zh-CN")
	if got := b.text("#records-total strong"); got != figure {
		t.Errorf("person-times list total %q, the figure was %q", got, figure)
	}
	if n := b.count("#records-table tbody tr"); n == 0 {
		t.Error("the person-times list shows no rows")
	}
	if body := b.text("#records-table"); strings.ContainsAny(body, "*") || phoneLike.MatchString(body) {
		t.Errorf("the attendance list shows a phone number")
	}
	b.screenshot("stats-person-times")
	b.click("#stats-back")
	b.expectPage("/stats", "统计", "zh-CN")

	// Drill into the first unit of the org breakdown; the breadcrumb leads back.
	unit := b.text("#org-table tbody td:first-child a")
	b.click("#org-table tbody td:first-child a")
	if got := b.text("#stats-crumbs"); !strings.Contains(got, unit) || !strings.Contains(got, "全部范围") {
		t.Errorf("after drilling into %q the breadcrumb is %q", unit, got)
	}
	b.screenshot("stats-drilled")
	b.onPhone("/stats", "stats-phone")
}

// phoneLike matches a mainland mobile number.
var phoneLike = regexp.MustCompile(`1[3-9][0-9]{9}`)
