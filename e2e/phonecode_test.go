package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
)

// TestBrowserRegisterWithPhoneCode: with an SMS gateway, a person on a
// phone fills in the registration form, presses "发送验证码" — the form
// comes back with everything typed but the passwords (never sent back in a
// page), says where the code went and asks for the password again —, types a wrong code and presses Enter, which registers (and
// is refused under the code field) rather than asking for another code,
// then types the right code and lands on their status page.
func TestBrowserRegisterWithPhoneCode(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	srv.Main.Service.SetGatewayEnabled(true)
	ctx := context.Background()
	org := adminOrgLabel(t, srv, "nmj-admin")
	const phone, password = "13912340071", "草原上的志愿者-2026"

	b := newBrowser(t, srv.URL)
	b.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.navigate("/register")
	b.typeInto("#name", "王晓梅")
	b.typeInto("#phone", phone)
	b.step("gender and political status",
		chromedp.SetValue(chromedp.CSS("#gender"), "female"),
		chromedp.SetValue(chromedp.CSS("#political_status"), "party_member"))
	b.typeInto("#org", org)
	b.typeInto("#username", "wangxm71")
	b.typeInto("#password", password)
	b.typeInto("#confirm", password)
	b.step("tick consent", chromedp.Click(chromedp.CSS("#consent"), chromedp.NodeVisible))
	b.noSidewaysScroll("/register with the code field")

	b.click("#send-code")
	b.expectPage("/register/code", "志愿者实名注册", "zh-CN")
	if got := b.text("#code-sent"); !strings.Contains(got, "139****0071") || !strings.Contains(got, "重新输入密码") {
		t.Errorf("after sending: %q, want where the code went and to type the password again", got)
	}
	for sel, want := range map[string]string{"#name": "王晓梅", "#phone": phone, "#org": org, "#username": "wangxm71", "#password": "", "#confirm": ""} {
		if got := value(b, "value of "+sel, chromedp.Value(chromedp.CSS(sel))); got != want {
			t.Errorf("after sending a code %s holds %q, want %q", sel, got, want)
		}
	}
	if checked := b.eval(`String(document.querySelector("#consent").checked)`); checked != "true" {
		t.Error("after sending a code the consent box is unticked")
	}
	b.noSidewaysScroll("/register/code")
	b.viewportShot("register-code-sent-phone")

	code := ""
	list, err := srv.Main.Store.NotificationsToPhone(ctx, phone, 10)
	for _, n := range list {
		if n.Event == domain.EventPhoneCode && code == "" {
			code = n.Args[0]
		}
	}
	if code == "" {
		t.Fatalf("no code texted to %s (%v)", phone, err)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}

	// Enter in the code field registers; it does not ask for a new code.
	b.typeInto("#password", password)
	b.typeInto("#confirm", password)
	b.typeInto("#phone_code", wrong)
	b.enter("#phone_code")
	if got := b.text("#phone_code-error"); !strings.Contains(got, "验证码不对") {
		t.Fatalf("Enter with a wrong code: the code field says %q; page: %q", got, excerpt(b.text("body")))
	}
	b.typeInto("#password", password)
	b.typeInto("#confirm", password)
	b.typeInto("#phone_code", code)
	b.click("#register-submit")
	b.expectPage("/register/status", "我的注册", "zh-CN")

	// The order lookup asks for the full phone and a code, on one screen.
	b.navigate("/track")
	if b.count("#find-form #phone_code") != 1 || b.count("#find-form #phone4") != 0 {
		t.Error("with a gateway /track does not ask for a code")
	}
	b.noSidewaysScroll("/track with the code field")
	b.screenshot("track-find-by-phone")
}

// enter presses Enter in a field and waits for the page it submits to.
func (b *browser) enter(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.CSS(sel), "\r")); err != nil {
		b.t.Fatalf("Enter in %s: %v", sel, err)
	}
}
