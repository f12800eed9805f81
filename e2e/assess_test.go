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

// TestBrowserAssessment: on the demo city the committee admin recomputes
// the year's assessment points, follows a line of a breakdown to its
// records, previews a change of rules, and proposes a manual adjustment;
// the proposer cannot approve it, a second committee admin does, and the
// org's breakdown shows it with its reason.
func TestBrowserAssessment(t *testing.T) {
	srv := startServer(t, true)
	ctx := context.Background()
	st := srv.Main.Store
	hash, err := fastHasher.Hash(service.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
		id, err := tx.CreateUser(store.NewUser{Username: "admin2", DisplayName: "工委第二管理员", PasswordHash: hash})
		if err != nil {
			return err
		}
		return tx.Grant(id, domain.RoleCommitteeAdmin, 0)
	})
	if err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.navigate("/assessment")
	b.click("#assess-recompute-submit")
	if got := b.text(".notice.ok"); !strings.Contains(got, "重新计算") {
		t.Fatalf("after recomputing: notice %q", got)
	}
	if n := b.count("#assess-ranking tbody tr"); n < 5 {
		t.Fatalf("%d orgs ranked", n)
	}
	b.screenshot("assess-ranking")
	b.noCatalogueKeys("ranking")

	// The first org's breakdown, and the records behind its first line.
	orgHref := b.eval(`document.querySelector("#assess-ranking .assess-org-link").getAttribute("href")`)
	orgName := b.eval(`document.querySelector("#assess-ranking tbody tr td:nth-child(2)").textContent.trim()`)
	b.click("#assess-ranking .assess-org-link")
	before := b.text("#assess-org-total")
	qty := b.eval(`document.querySelector("#assess-breakdown tbody tr td:nth-child(2)").textContent.trim()`)
	b.screenshot("assess-breakdown")
	b.click("#assess-breakdown .assess-records-link")
	if got := b.text("#assess-records-total"); got != qty {
		t.Errorf("records add up to %q, the line says %q", got, qty)
	}
	b.screenshot("assess-records")
	b.noCatalogueKeys("records")

	// A change of rules is previewed per org before anything is saved.
	b.navigate("/assessment/rules")
	b.typeInto("#group_service", "5")
	b.click("#assess-preview-submit")
	if n := b.count("#assess-preview-table tbody tr"); n < 5 {
		t.Errorf("preview of %d orgs", n)
	}
	b.screenshot("assess-rules-preview")
	b.noCatalogueKeys("rules")

	// admin proposes; admin cannot approve their own.
	b.navigate("/assessment/adjustments")
	b.step("choose the org", chromedp.SetValue(chromedp.CSS("#org"), strings.TrimPrefix(strings.Split(orgHref, "?")[0], "/assessment/orgs/")))
	b.typeInto("#points", "3")
	b.step("type the reason", chromedp.SendKeys(chromedp.CSS("#reason"), "牵头完成防汛抢险志愿服务，受到市委通报表扬"))
	b.click("#assess-adjust-submit")
	if got := b.text("#assess-adjustments tbody tr"); !strings.Contains(got, "另一位工委管理员") {
		t.Fatalf("own proposal row %q", got)
	}
	row := b.eval(`document.querySelector("#assess-adjustments tbody tr").id`)
	id := strings.TrimPrefix(row, "adjustment-")
	if n := b.count("#approve-" + id); n != 0 {
		t.Fatalf("the proposer is offered to approve their own adjustment")
	}
	b.screenshot("assess-proposed")
	b.navigate("/")
	b.click("#logout")

	// The second committee admin approves it.
	b.navigate("/login")
	b.login("admin2", service.DemoPassword)
	b.navigate("/assessment/adjustments")
	b.click("#approve-" + id)
	if got := b.text(".notice.ok"); !strings.Contains(got, "已批准") {
		t.Fatalf("after approving: notice %q", got)
	}
	b.screenshot("assess-approved")
	b.navigate(orgHref)
	if got := b.text("#assess-breakdown .rule-adjustment"); !strings.Contains(got, "防汛抢险") || !strings.Contains(got, "3") {
		t.Errorf("breakdown adjustment line %q", got)
	}
	if after := b.text("#assess-org-total"); after == before {
		t.Errorf("total of %s still %s after a 3-point adjustment", orgName, after)
	}
	b.screenshot("assess-breakdown-adjusted")
	b.noCatalogueKeys("breakdown")

	// The same breakdown in English.
	b.navigate("/lang/en")
	b.navigate(orgHref)
	if got := b.text("#assess-breakdown .rule-adjustment"); !strings.Contains(got, "Manual adjustment") {
		t.Errorf("English adjustment line %q", got)
	}
	b.screenshot("assess-breakdown-en")
	b.noCatalogueKeys("English breakdown")
}
