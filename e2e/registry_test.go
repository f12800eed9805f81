package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestBrowserVolunteerEditsWillingness: a volunteer on a phone opens their
// own page, ticks a category they are willing to serve in and a time they
// are free, adds a skill, saves, and finds it all kept.
func TestBrowserVolunteerEditsWillingness(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("volunteer", service.DemoPassword)

	b.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.navigate("/me")
	b.expectPage("/me", "我的志愿服务", "zh-CN")
	b.screenshot("me-phone")
	b.noSidewaysScroll("/me")
	// Tick the first category not yet ticked, and weekend evenings.
	box := b.eval(`(() => { const b = [...document.querySelectorAll('input[name=willingness]')].find(x => !x.checked); b.click(); return b.value })()`)
	b.eval(`(() => { const b = document.querySelector('input[name=availability][value="32"]'); if (!b.checked) b.click(); return "" })()`)
	b.typeInto("#skills", "摄影、驾驶")
	b.click("#me-submit")
	b.expectPage("/me", "我的志愿服务", "zh-CN")
	if got := b.text(".notice.ok"); !strings.Contains(got, "已保存") {
		t.Errorf("after saving the notice is %q", got)
	}
	b.screenshot("me-saved-phone")
	if got := b.eval(`String(document.querySelector('input[name=willingness][value="` + box + `"]').checked)`); got != "true" {
		t.Errorf("category %s is not ticked after saving", box)
	}
	if got := b.eval(`String(document.querySelector('input[name=availability][value="32"]').checked)`); got != "true" {
		t.Error("weekend evenings are not ticked after saving")
	}
	if got := b.eval(`document.querySelector('#skills').value`); got != "摄影，驾驶" {
		t.Errorf("skills after saving = %q", got)
	}
	b.noSidewaysScroll("/me after saving")
}

// TestBrowserOrgAdminScope: the admin of 市农牧业局 sees the unit's people
// only; a person of another unit is neither listed, nor found by name, nor
// opened by URL; a number shown in full is written to the audit log.
func TestBrowserOrgAdminScope(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	st := srv.Main.Store

	// Someone outside the unit, straight from the store.
	unit, err := st.OrgByID(ctx, 2)
	if err != nil || unit.Name != "市农牧业局" {
		t.Fatalf("org 2 = %+v, %v; the demo's unit should be 市农牧业局", unit, err)
	}
	all, _, err := st.ListPeople(ctx, store.PeopleFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	var outsider, insider domain.Person
	for _, p := range all {
		inside := strings.HasPrefix(p.OrgPath, unit.Path)
		if !inside && outsider.ID == 0 {
			outsider = p
		}
		if inside && insider.ID == 0 {
			insider = p
		}
	}
	_, total, _ := st.ListPeople(ctx, store.PeopleFilter{Scope: domain.Scope{OrgPaths: []string{unit.Path}}})
	if outsider.ID == 0 || insider.ID == 0 || total == 0 || total >= len(all) {
		t.Fatalf("demo: %d people, %d in the unit; need people inside and outside", len(all), total)
	}

	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("nmj-admin", service.DemoPassword)
	b.navigate("/people")
	b.expectPage("/people", "人员库", "zh-CN")
	if got, want := b.text("#people-total"), "共 "; !strings.HasPrefix(got, want) || !strings.Contains(got, itoa(total)) {
		t.Errorf("people total shows %q, want %d people", got, total)
	}
	b.screenshot("people-org-admin")

	b.navigate("/people?q=" + outsider.Name)
	if strings.Contains(b.text("main"), outsider.OrgName) && b.count("#people-table a[href='/people/"+itoa(int(outsider.ID))+"']") > 0 {
		t.Errorf("searching %s lists the person of %s", outsider.Name, outsider.OrgName)
	}
	b.navigate("/people/" + itoa(int(outsider.ID)))
	if h := b.text("h1"); h != "没有权限" {
		t.Errorf("opening a person outside the subtree shows %q, want the 403 page", h)
	}
	b.screenshot("outsider-forbidden")

	// Inside the subtree: masked by default, full on request, and audited.
	b.navigate("/people/" + itoa(int(insider.ID)))
	masked := b.text("#phone-masked")
	if masked != domain.MaskPhone(insider.Phone) || strings.Contains(b.text("main"), insider.Phone) {
		t.Errorf("person page shows phone %q, want only the masked %q", masked, domain.MaskPhone(insider.Phone))
	}
	b.click("#reveal-phone")
	if got := b.text("#phone-full"); got != insider.Phone {
		t.Errorf("revealed phone = %q, want %q", got, insider.Phone)
	}
	es, err := st.ListAudit(ctx, domain.AuditFilter{Action: "person.reveal"})
	if err != nil || len(es) != 1 || es[0].Username != "nmj-admin" || es[0].ObjectID != itoa(int(insider.ID)) {
		t.Errorf("audit after the reveal = %+v, %v; want one person.reveal by nmj-admin", es, err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// noSidewaysScroll fails when the page is wider than the phone it is on.
func (b *browser) noSidewaysScroll(where string) {
	b.t.Helper()
	if w := value(b, "scrollWidth", chromedp.Evaluate[int]("document.documentElement.scrollWidth")); w > phoneWidth {
		b.t.Errorf("%s on a %d px phone is %d px wide: it scrolls sideways", where, phoneWidth, w)
	}
}
