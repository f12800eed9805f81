package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestBrowserMenuTeamLeader: the leader of 市农牧业局's team adds a menu item
// for their team in the browser, finds it in their list, and takes it off
// the menu; the pages also on a phone.
func TestBrowserMenuTeamLeader(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	st := srv.Main.Store
	cats, err := st.ListCategories(ctx, false)
	if err != nil || len(cats) < 8 {
		t.Fatalf("categories: %d, %v", len(cats), err)
	}
	team, err := st.TeamByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("nmj-leader", service.DemoPassword)
	b.navigate("/admin/menu")
	b.expectPage("/admin/menu", "服务项目管理", "zh-CN")
	b.screenshot("menu-leader-before")

	b.click("#menu-new")
	b.expectPage("/admin/menu/new", "新增服务项目", "zh-CN")
	if got := b.eval(`[...document.querySelectorAll('input[name=team_ids]')].map(x => x.value + (x.checked ? '*' : '')).join(',')`); got != "1*" {
		t.Fatalf("the leader's team choices are %q, want only their team, ticked", got)
	}
	b.typeInto("#title", "牧区科技蹲点")
	b.step("pick a category", chromedp.SetValue(chromedp.CSS("#category_id"), itoa(int(cats[7].ID))))
	b.step("participatory", chromedp.Click(chromedp.CSS(`input[name=kind][value=participatory]`), chromedp.NodeVisible))
	b.step("long-term", chromedp.Click(chromedp.CSS(`input[name=term][value=long]`), chromedp.NodeVisible))
	b.typeInto("#duration", "3 天")
	b.typeInto("#volunteers", "6")
	b.step("describe", chromedp.SendKeys(chromedp.CSS("#description"), "深入牧区蹲点，指导春季接羔保育和饲草料储备。"))
	// Serve the first banner and one town of the second.
	b.step("tick a banner", chromedp.Click(chromedp.CSS(`#regions .region-group:nth-of-type(1) > label input`), chromedp.NodeVisible))
	b.step("open the second banner's towns", chromedp.Click(chromedp.CSS(`#regions .region-group:nth-of-type(2) summary`), chromedp.NodeVisible))
	b.step("tick a town", chromedp.Click(chromedp.CSS(`#regions .region-group:nth-of-type(2) details label:first-of-type input`), chromedp.NodeVisible))
	b.screenshot("menu-form-filled")
	b.click("#menu-submit")
	b.expectPage("/admin/menu", "服务项目管理", "zh-CN")
	if got := b.text(".notice.ok"); !strings.Contains(got, "已新增") {
		t.Errorf("after adding, the notice is %q", got)
	}
	items, err := st.ListMenuItems(ctx, store.MenuFilter{Query: "牧区科技蹲点"})
	if err != nil || len(items) != 1 {
		t.Fatalf("stored items: %d, %v", len(items), err)
	}
	m := items[0]
	if !m.Active || m.CategoryID != cats[7].ID || m.Kind != domain.MenuParticipatory || m.Term != domain.TermLong ||
		m.Volunteers != 6 || len(m.RegionIDs) != 2 || len(m.TeamIDs) != 1 || m.TeamIDs[0] != team.ID {
		t.Fatalf("stored item = %+v", m)
	}
	row := `#menu-table tr[data-item="` + itoa(int(m.ID)) + `"]`
	if got := b.text(row); !strings.Contains(got, "牧区科技蹲点") || !strings.Contains(got, team.Name) || !strings.Contains(got, "已上架") {
		t.Errorf("the list's row is %q", got)
	}
	b.screenshot("menu-leader-added")
	b.onPhone("/admin/menu", "menu-leader-phone")

	// Take it off the menu.
	b.click("#toggle-" + itoa(int(m.ID)))
	b.expectPage("/admin/menu", "服务项目管理", "zh-CN")
	if got := b.text(".notice.ok"); !strings.Contains(got, "已下架") {
		t.Errorf("after deactivating, the notice is %q", got)
	}
	if got := b.text(row); !strings.Contains(got, "已下架") || !strings.Contains(got, "上架") {
		t.Errorf("the row after deactivating is %q", got)
	}
	if got, _ := st.MenuItemByID(ctx, m.ID); got.Active {
		t.Error("the item is still active in the store")
	}
	b.screenshot("menu-leader-deactivated")
	b.onPhone("/admin/menu/"+itoa(int(m.ID))+"/edit", "menu-edit-phone")
}

// TestBrowserMenuCommitteePages: the committee's categories page and the
// supply–demand view, with a need no item covers, on a desktop and a phone.
func TestBrowserMenuCommitteePages(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	svc := srv.Main.Service
	site, err := srv.Main.Store.SiteByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	in := domain.OrderInput{RequesterName: "巴特尔", RequesterPhone: "13912345678", SiteID: site.ID,
		DateFrom: time.Now().In(domain.ChinaZone).AddDate(0, 2, 0).Format("2006-01-02"),
		DateTo:   time.Now().In(domain.ChinaZone).AddDate(0, 2, 1).Format("2006-01-02"), Beneficiaries: 40, Need: "草场鼠害防治技术指导，嘎查牧民约四十户。"}
	if _, err := svc.PlaceOrder(ctx, domain.Caller{IP: "192.0.2.10"}, in); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.navigate("/admin/categories")
	b.expectPage("/admin/categories", "服务类别", "zh-CN")
	b.screenshot("categories")
	b.typeInto("#code", "mental_health")
	b.typeInto("#name_zh", "心理疏导")
	b.typeInto("#name_en", "Counselling")
	b.click("#category-submit")
	b.expectPage("/admin/categories", "服务类别", "zh-CN")
	if got := b.text("#categories-table"); !strings.Contains(got, "mental_health") {
		t.Error("the added category is not listed")
	}
	b.onPhone("/admin/categories", "categories-phone")

	b.navigate("/admin/supply")
	b.expectPage("/admin/supply", "供需对照", "zh-CN")
	if got := b.text("#unmet-table"); !strings.Contains(got, "草场鼠害防治") || !strings.Contains(got, site.Name) {
		t.Errorf("the unmet needs table is %q", got)
	}
	b.screenshot("supply")
	b.onPhone("/admin/supply", "supply-phone")

	// The whole menu, as the committee curates it, in English too.
	b.navigate("/admin/menu")
	b.expectPage("/admin/menu", "服务项目管理", "zh-CN")
	b.screenshot("menu-committee")
	b.click("#menu-new")
	b.expectPage("/admin/menu/new", "新增服务项目", "zh-CN")
	if n := b.count("input[name=team_ids]"); n < 60 {
		t.Errorf("the committee may offer for %d teams, want every team", n)
	}
	b.screenshot("menu-new-committee")
	b.click("#lang-switch")
	b.expectPage("/admin/menu/new", "New menu item", "en")
	b.navigate("/admin/supply?region=" + itoa(int(site.RegionID)))
	b.expectPage("/admin/supply", "Supply and demand", "en")
	b.screenshot("supply-en-banner")
}
