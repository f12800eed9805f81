package e2e

import (
	"strings"
	"testing"

	"vanguard/service"
)

// TestBrowserDurationRules: the committee admin opens the duration rules
// from the administration page, sees the demo's version, is told in Chinese
// what is wrong with a bad new version, corrects it and sees it listed.
func TestBrowserDurationRules(t *testing.T) {
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.navigate("/admin")
	b.click(`#admin-links a[href="/admin/rules"]`)
	if n := b.count("#rules-versions tbody tr"); n != 1 {
		t.Fatalf("%d versions listed, want the demo's one", n)
	}
	b.typeInto("#bands", "15:0, 45:50, 60:60")
	b.typeInto("#min_share", "150")
	b.click("#rules-submit")
	if got := b.text("#bands-error"); !strings.Contains(got, "第 2 个档位") {
		t.Fatalf("bad bands: error %q", got)
	}
	if got := b.text("#min_share-error"); !strings.Contains(got, "0 到 100") {
		t.Errorf("bad share: error %q", got)
	}
	b.screenshot("rules-errors")
	b.typeInto("#bands", "20:0, 40:30, 60:60")
	b.typeInto("#min_share", "50")
	b.typeInto("#note", "半小时起算")
	b.click("#rules-submit")
	if got := b.text(".notice.ok"); !strings.Contains(got, "新版本已保存") {
		t.Fatalf("after saving: notice %q", got)
	}
	if n := b.count("#rules-versions tbody tr"); n != 2 {
		t.Fatalf("%d versions listed, want 2", n)
	}
	if got := b.text("#rules-versions tbody tr:first-child"); !strings.Contains(got, "时长规则 第2版") ||
		!strings.Contains(got, "20–40 分钟计 30 分钟") || !strings.Contains(got, "半小时起算") {
		t.Errorf("the new version reads %q", got)
	}
	b.screenshot("rules-listed")
	b.noCatalogueKeys("rules")
}
