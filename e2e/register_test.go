package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
)

// TestBrowserRegisterOnPhone: a person registers at /register on a phone
// (实名注册), lands signed in on their status page, which says the
// registration waits; the org admin approves it on /registrations; the
// person signs out, signs in again with the password they chose and reaches
// /me with their own record.
func TestBrowserRegisterOnPhone(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	org := adminOrgLabel(t, srv, "nmj-admin")
	const username, password = "wangxiaomei", "草原上的志愿者-2026"

	b := newBrowser(t, srv.URL)
	b.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.navigate("/login")
	b.click("#register-link a")
	b.expectPage("/register", "志愿者实名注册", "zh-CN")
	b.noSidewaysScroll("/register")
	b.typeInto("#name", "王晓梅")
	b.typeInto("#phone", "13912345678")
	b.step("gender and political status",
		chromedp.SetValue(chromedp.CSS("#gender"), "female"),
		chromedp.SetValue(chromedp.CSS("#political_status"), "party_member"))
	b.typeInto("#org", org)
	b.typeInto("#username", username)
	b.typeInto("#password", password)
	b.typeInto("#confirm", password)
	b.viewportShot("register-filled-phone")
	// Forgetting the consent: the form comes back with what was typed.
	b.click("#register-submit")
	b.expectPage("/register", "志愿者实名注册", "zh-CN")
	if !strings.Contains(b.text("#consent-error"), "同意") {
		t.Fatalf("no message under the consent box: %q", b.text("body"))
	}
	if got := value(b, "name kept", chromedp.Value(chromedp.CSS("#name"))); got != "王晓梅" {
		t.Errorf("the name typed is lost: %q", got)
	}
	b.screenshot("register-consent-missing-phone")
	b.typeInto("#password", password)
	b.typeInto("#confirm", password)
	b.step("tick consent", chromedp.Click(chromedp.CSS("#consent"), chromedp.NodeVisible))
	b.click("#register-submit")
	b.expectPage("/register/status", "我的注册", "zh-CN")
	if got := b.text("#status-text"); !strings.Contains(got, "等待") {
		t.Errorf("the status page says %q, want it waiting for approval", got)
	}
	if strings.Contains(b.text("body"), "13912345678") {
		t.Error("the status page shows the full phone number")
	}
	b.noSidewaysScroll("/register/status")
	b.screenshot("register-pending-phone")

	// The org admin approves it.
	u, err := srv.Main.Store.UserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := srv.Main.Store.RegistrationByUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	admin := newBrowser(t, srv.URL)
	admin.navigate("/login")
	admin.login("nmj-admin", service.DemoPassword)
	admin.navigate("/registrations")
	admin.expectPage("/registrations", "注册审核", "zh-CN")
	card := "#registration-" + itoa(int(reg.ID))
	if got := admin.text(card); !strings.Contains(got, "王晓梅") || !strings.Contains(got, "139****5678") {
		t.Errorf("the approver's card reads %q", got)
	}
	admin.screenshot("registrations-approver")
	admin.eval(`(() => { window.confirm = () => true; return "" })()`)
	admin.click("#approve-" + itoa(int(reg.ID)))
	admin.expectPage("/registrations", "注册审核", "zh-CN")
	if got := admin.text("#decided"); got == "" {
		t.Error("no word that the registration was approved")
	}
	if got, _ := srv.Main.Store.RegistrationByID(ctx, reg.ID); got.State != domain.RegistrationApproved {
		t.Fatalf("registration is %s after approval", got.State)
	}

	// The person signs in again and reaches their record.
	b.navigate("/register/status")
	if got := b.text("#status-text"); !strings.Contains(got, "通过") {
		t.Errorf("after approval the status page says %q", got)
	}
	// On a phone the sign-out button sits behind the menu button.
	b.step("open the menu", chromedp.Click(chromedp.CSS("#nav-button"), chromedp.NodeVisible))
	b.click("#logout")
	b.navigate("/login")
	b.login(username, password)
	b.navigate("/me")
	b.expectPage("/me", "我的志愿服务", "zh-CN")
	body := b.text("body")
	if !strings.Contains(body, "王晓梅") || strings.Contains(body, "还没有关联") {
		t.Errorf("/me does not show the linked record: %q", excerpt(body))
	}
	b.noSidewaysScroll("/me")
	b.screenshot("me-after-approval-phone")
}

// adminOrgLabel is the registration form's label of the org an org admin
// administers.
func adminOrgLabel(t *testing.T, srv *server, admin string) string {
	t.Helper()
	ctx := context.Background()
	u, err := srv.Main.Store.UserByUsername(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	grants, err := srv.Main.Store.Grants(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	choices, err := srv.Main.Service.RegistrationChoices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range grants {
		for _, c := range choices.Orgs {
			if g.Role == domain.RoleOrgAdmin && c.ID == g.ScopeID {
				return c.Label
			}
		}
	}
	t.Fatalf("%s administers no org on the registration form's list", admin)
	return ""
}
