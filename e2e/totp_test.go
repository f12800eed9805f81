package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"vanguard/service"
)

// TestBrowserTOTP: a committee admin turns on two-factor sign-in from their
// account page, reading the secret off the page as a person typing it into
// an authenticator app would, keeps the recovery codes, signs out, and signs
// in with the password and then a code, landing on their home page. The
// enrolment page and the code page are photographed on a phone and on a
// desktop.
func TestBrowserTOTP(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)

	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.expectPage("/", "工委管理员", "zh-CN")

	b.click("#nav-totp")
	b.expectPage("/account/totp", "两步验证", "zh-CN")
	if got := b.text("#totp-state"); got != "未开启" {
		t.Errorf("two-factor state is %q, want 未开启", got)
	}
	b.click("#totp-start")
	b.expectPage("/account/totp", "两步验证", "zh-CN")
	if b.count("#totp-qr svg") != 1 {
		t.Error("the enrolment page shows no QR code")
	}
	b.screenshot("totp-enrol")
	b.onPhone("/account/totp", "totp-enrol-phone")

	secret := strings.ReplaceAll(b.text("#totp-secret"), " ", "")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatalf("the page's secret %q: %v", secret, err)
	}
	b.typeInto("#code", code)
	b.click("#totp-confirm")
	// The recovery codes are the answer to the form, shown this once.
	b.expectPage("/account/totp/confirm", "两步验证", "zh-CN")
	if n := b.count("#recovery-codes li"); n != service.RecoveryCodeCount {
		t.Errorf("%d recovery codes shown, want %d", n, service.RecoveryCodeCount)
	}
	b.screenshot("totp-recovery-codes")
	b.click("#totp-continue")
	b.expectPage("/", "工委管理员", "zh-CN")

	b.click("#logout")
	b.expectPage("/login", "登录", "zh-CN")
	b.login("admin", service.DemoPassword)
	b.expectPage("/login/totp", "输入验证码", "zh-CN")
	b.screenshot("totp-code")
	b.onPhone("/login/totp", "totp-code-phone")

	// A wrong code first: the page says so, in Chinese, and stays.
	b.typeInto("#code", "000000")
	if status := b.click("#code-submit"); status != 422 {
		t.Errorf("wrong code: status %d, want 422", status)
	}
	b.expectPage("/login/totp", "输入验证码", "zh-CN")
	if got := b.text(".notice.error"); !strings.Contains(got, "验证码不对") {
		t.Errorf("wrong-code message is %q", got)
	}
	b.screenshot("totp-code-wrong")

	// The enrolment used this step's code: take the next step's, which the
	// server accepts within its one-step allowance.
	code, _ = totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	b.typeInto("#code", code)
	b.click("#code-submit")
	b.expectPage("/", "工委管理员", "zh-CN")

	// The account page says it is on; the committee's security settings
	// are one click from the administration page.
	b.navigate("/account/totp")
	if got := b.text("#totp-state"); got != "已开启" {
		t.Errorf("two-factor state after enabling is %q, want 已开启", got)
	}
	if got := b.text("#recovery-left"); !strings.Contains(got, "10") {
		t.Errorf("recovery codes left: %q", got)
	}
	b.screenshot("totp-on")
	b.navigate("/admin")
	b.click(`#admin-links a[href="/admin/security"]`)
	b.expectPage("/admin/security", "安全设置", "zh-CN")
	b.screenshot("security")
}

// TestBrowserDisabledAccountSignedOut: a volunteer is signed in in one
// browser; a committee admin disables the account in another; the
// volunteer's next page load lands on the sign-in page.
func TestBrowserDisabledAccountSignedOut(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	vol := newBrowser(t, srv.URL)
	adm := newBrowser(t, srv.URL)

	vol.navigate("/login")
	vol.login("volunteer", service.DemoPassword)
	vol.expectPage("/", "志愿者王芳", "zh-CN")

	u, err := srv.Main.Store.UserByUsername(context.Background(), "volunteer")
	if err != nil {
		t.Fatal(err)
	}
	adm.navigate("/login")
	adm.login("admin", service.DemoPassword)
	adm.expectPage("/", "工委管理员", "zh-CN")
	adm.navigate(fmt.Sprintf("/admin/users/%d", u.ID))
	adm.click("#disable-user")
	if got := adm.text("#account-facts"); !strings.Contains(got, "已停用") {
		t.Errorf("the account page after disabling says %q, want 已停用", got)
	}

	vol.navigate("/")
	if got := vol.path(); got != "/login" {
		t.Fatalf("the disabled volunteer's next page is %s, want /login", got)
	}
	vol.expectPage("/login", "登录", "zh-CN")
	vol.screenshot("disabled-signed-out")
}
