package e2e

import (
	"strings"
	"testing"

	"vanguard/service"
)

// TestBrowserAnnualReport: the committee admin opens the annual report of
// the demo year in Chinese, then in English (through /lang/en), and prints
// it (print media: no navigation or filters, A4).
func TestBrowserAnnualReport(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)

	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.navigate("/reports/annual")
	b.expectPage("/reports/annual", "2026 年度党员志愿服务工作报告", "zh-CN")
	text := b.text("#annual-report")
	for _, want := range []string{"一、组建情况", "54 支党员志愿者服务队", "1,200 余名", "组团式服务 10 次", "“十个全覆盖”", "六、问题与建议"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if n := b.count("#annual-groups tbody tr"); n != 10 {
		t.Errorf("%d group services in the table, want 10", n)
	}
	if n := b.count("#annual-charts svg"); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}
	b.noCatalogueKeys("/reports/annual")
	b.screenshot("annual-zh")
	b.media("print")
	b.screenshot("annual-zh-print")
	if got := b.eval(`getComputedStyle(document.querySelector("#year-nav")).display`); got != "none" {
		t.Errorf("the year's navigation prints (display %q)", got)
	}
	b.media("")

	b.navigate("/lang/en")
	b.navigate("/reports/annual?year=2026")
	b.expectPage("/reports/annual", "Party-member volunteer service in 2026: the annual report", "en")
	text = b.text("#annual-report")
	for _, want := range []string{"1. Teams", "54 party-member volunteer teams", "more than 1,200", "10 group services", "6. Problems and suggestions"} {
		if !strings.Contains(text, want) {
			t.Errorf("the English report lacks %q", want)
		}
	}
	b.noCatalogueKeys("/reports/annual (en)")
	b.screenshot("annual-en")
}
