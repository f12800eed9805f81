package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"vanguard/service"
)

// stepTimeout bounds one browser step; the race detector makes the server
// slower, hence the room.
const stepTimeout = 60 * time.Second

// testDeadline bounds a whole browser test: past it the browser is stopped,
// so a hung step fails instead of waiting for go test's timeout.
const testDeadline = 5 * time.Minute

// chromiumPath returns the browser to drive: VANGUARD_CHROMIUM when set (a
// missing path there exercises the skip path), else /usr/bin/chromium, else
// chromium on PATH. Without a browser the test skips, or fails when
// VANGUARD_E2E=1 says the browser tests must run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	var tried []string
	candidates := []string{"/usr/bin/chromium", "chromium"}
	if p := os.Getenv("VANGUARD_CHROMIUM"); p != "" {
		candidates = []string{p}
	}
	for _, c := range candidates {
		tried = append(tried, c)
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("no Chromium found (tried %s); install Debian's chromium (apt-get install chromium) "+
		"or point VANGUARD_CHROMIUM at a browser, and run: VANGUARD_E2E=1 go test ./e2e/", strings.Join(tried, ", "))
	if os.Getenv("VANGUARD_E2E") == "1" {
		t.Fatal("VANGUARD_E2E=1 and " + msg)
	}
	t.Skip(msg)
	return ""
}

// browser is one headless Chromium tab on the server at base.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // the test's temp dir for screenshots
	shot  int
}

// newBrowser starts a headless Chromium with a fresh profile. It prefers
// Chinese, as the platform's users' browsers do (headless Chromium asks for
// en-US otherwise, and the server honours Accept-Language).
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.WindowSize(1280, 900),
	)
	output := &syncBuffer{} // the browser's own output and chromedp's errors, shown on failure
	opts = append(opts, chromedp.CombinedOutput(output))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(func(format string, args ...any) {
		fmt.Fprintf(output, "chromedp: "+format+"\n", args...)
	}))
	// The first Do starts the browser. A timeout on its context would stop
	// the browser when it fired, so a watchdog bounds the whole test instead.
	watchdog := time.AfterFunc(testDeadline, func() {
		t.Errorf("browser test still running after %v: stopping the browser", testDeadline)
		acancel()
	})
	t.Cleanup(func() {
		watchdog.Stop()
		cancel()
		acancel() // waits for the browser to exit, before t.TempDir goes
		if t.Failed() {
			t.Logf("browser output:\n%s", output.String())
		}
	})
	start := time.Now()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	t.Logf("started %s in %v", path, time.Since(start).Round(time.Millisecond))
	return &browser{t: t, ctx: ctx, base: base, shots: t.TempDir()}
}

// step runs actions with a per-step deadline.
func (b *browser) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// value runs one action that returns a value, with a per-step deadline.
func value[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// navigate opens a path and waits for the page to load.
func (b *browser) navigate(path string) {
	b.t.Helper()
	b.step("open "+path, chromedp.Navigate(b.base+path))
}

// click clicks a link or a submit button that loads a new page and waits for
// it. It returns the final answer's status.
func (b *browser) click(sel string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	return res.Status
}

// typeInto clears a field and types text into it, key by key, and checks
// that the field holds exactly the text (Chinese included).
func (b *browser) typeInto(sel, text string) {
	b.t.Helper()
	b.step("type into "+sel, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
	if got := value(b, "value of "+sel, chromedp.Value(chromedp.CSS(sel))); got != text {
		b.t.Fatalf("typed %q into %s, the field holds %q", text, sel, got)
	}
}

// path is the current page's path.
func (b *browser) path() string {
	b.t.Helper()
	loc := value(b, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatalf("location %q: %v", loc, err)
	}
	return u.Path
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(value(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

func (b *browser) eval(expr string) string {
	b.t.Helper()
	return value(b, expr, chromedp.Evaluate[string](expr))
}

func (b *browser) count(sel string) int {
	b.t.Helper()
	return value(b, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
}

// lang is the page's html lang attribute.
func (b *browser) lang() string { return b.eval("document.documentElement.lang") }

// expectPage fails unless the browser shows path with the h1 and lang.
func (b *browser) expectPage(path, h1, lang string) {
	b.t.Helper()
	if got := b.path(); got != path {
		b.screenshot("unexpected-page")
		b.t.Fatalf("on %s, want %s (h1 %q)", got, path, b.text("h1"))
	}
	if got := b.text("h1"); !strings.Contains(got, h1) {
		b.t.Errorf("%s: h1 is %q, want it to contain %q", path, got, h1)
	}
	if got := b.lang(); got != lang {
		b.t.Errorf("%s: html lang is %q, want %q", path, got, lang)
	}
	b.noCatalogueKeys(path)
}

// catalogueKeyRE matches a message key such as "login.title" shown instead
// of its text.
var catalogueKeyRE = regexp.MustCompile(`\b(?:app|audit|err|error|field|form|home|lang|login|nav|password|role|users)\.[a-z_.]+\b`)

// noCatalogueKeys fails when the visible text holds a catalogue key, which
// is how a missing translation shows. Action names in the audit log
// ("user.login") are data and do not match.
func (b *browser) noCatalogueKeys(where string) {
	b.t.Helper()
	if m := catalogueKeyRE.FindAllString(b.text("body"), -1); len(m) > 0 {
		b.t.Errorf("%s shows untranslated keys: %v", where, m)
	}
}

// screenshot saves a full-page PNG in the test's temp dir and, when
// VANGUARD_E2E_SHOTS names a folder, a copy there.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	b.shot++
	b.save(name, value(b, "screenshot "+name, chromedp.FullScreenshot(100)))
}

// save writes a screenshot to the test's temp dir and, when
// VANGUARD_E2E_SHOTS names a folder, a copy there.
func (b *browser) save(name string, png []byte) {
	b.t.Helper()
	file := fmt.Sprintf("%s-%02d-%s.png", b.t.Name(), b.shot, name)
	paths := []string{filepath.Join(b.shots, file)}
	if dir := os.Getenv("VANGUARD_E2E_SHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.t.Fatalf("VANGUARD_E2E_SHOTS: %v", err)
		}
		paths = append(paths, filepath.Join(dir, file))
	}
	for _, p := range paths {
		if err := os.WriteFile(p, png, 0o644); err != nil {
			b.t.Fatalf("save screenshot: %v", err)
		}
		b.t.Logf("screenshot %s", p)
	}
}

// phoneWidth is the CSS width of a common phone (iPhone X to 13 mini).
const phoneWidth = 375

// onPhone opens path on a 375×812 phone, takes a screenshot, checks that the
// page does not scroll sideways, and goes back to the desktop window on the
// same path.
func (b *browser) onPhone(path, name string) {
	b.t.Helper()
	b.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 812, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.navigate(path)
	b.screenshot(name)
	if w := value(b, "scrollWidth", chromedp.Evaluate[int]("document.documentElement.scrollWidth")); w > phoneWidth {
		b.t.Errorf("%s on a %d px phone is %d px wide: it scrolls sideways", path, phoneWidth, w)
	}
	// ResetViewport leaves the mobile layout in place here; clearing the
	// override restores the window's own size.
	b.step("desktop viewport", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{})
		return err
	}))
	b.navigate(path)
	if w := b.eval("String(window.innerWidth)"); w == fmt.Sprint(phoneWidth) {
		b.t.Fatalf("the window is still %s px wide after leaving the phone", w)
	}
}

// login fills in the login form and submits it.
func (b *browser) login(username, password string) {
	b.t.Helper()
	b.typeInto("#username", username)
	b.typeInto("#password", password)
	b.click("#login-submit")
}

// TestBrowserFirstLogin walks the foundation's main flow as a person would:
// the first start's one-time password, the forced password change with a
// field error first, the language switch, the audit log that recorded it all,
// logout, and a second login with the new password; the login page also on a
// phone.
func TestBrowserFirstLogin(t *testing.T) {
	chromiumPath(t) // skip before starting anything
	srv := startServer(t, false)
	oneTime := oneTimePassword(t, srv.Out)
	b := newBrowser(t, srv.URL)

	b.navigate("/")
	b.expectPage("/login", "登录", "zh-CN")
	b.screenshot("login")

	b.onPhone("/login", "login-phone")

	b.login("admin", oneTime)
	b.expectPage("/account/password", "修改密码", "zh-CN")
	if got := b.text(".notice.warn"); !strings.Contains(got, "首次登录") {
		t.Errorf("forced-change notice is %q, want the first-login notice", got)
	}
	if n := b.count("nav.nav a"); n != 0 {
		t.Errorf("the navigation shows %d links before the password change, want none", n)
	}
	b.screenshot("forced-password")

	// A too-short new password: the form comes back with the field's error
	// in Chinese, and nothing changed.
	b.typeInto("#current", oneTime)
	b.typeInto("#new", "短密码")
	b.typeInto("#confirm", "短密码")
	if status := b.click("#password-submit"); status != 422 {
		t.Errorf("too-short password: status %d, want 422", status)
	}
	b.expectPage("/account/password", "修改密码", "zh-CN")
	if got := b.text("#new-error"); !strings.Contains(got, "密码至少需要 10 个字符") {
		t.Errorf("new-password error is %q, want the Chinese too-short message", got)
	}
	if got := b.eval(`document.getElementById("new").getAttribute("aria-invalid")`); got != "true" {
		t.Errorf("#new aria-invalid is %q, want true", got)
	}
	b.screenshot("password-too-short")

	b.typeInto("#current", oneTime)
	b.typeInto("#new", newPassword)
	b.typeInto("#confirm", newPassword)
	b.click("#password-submit")
	b.expectPage("/", "系统管理员", "zh-CN")
	// Accounts and the audit log are on the administration page.
	if b.count(`nav.nav a[href="/admin"]`) != 1 {
		t.Error("the committee admin's navigation has no link to /admin")
	}
	b.screenshot("home-zh")

	b.click("#lang-switch")
	b.expectPage("/", "系统管理员", "en")
	if got := b.text("nav.nav"); !strings.Contains(got, "Admin") {
		t.Errorf("English navigation is %q, want it to show Admin", got)
	}
	b.screenshot("home-en")

	b.click(`nav.nav a[href="/admin"]`)
	for _, href := range []string{"/admin/users", "/admin/audit"} {
		if b.count(fmt.Sprintf(`#admin-links a[href=%q]`, href)) != 1 {
			t.Errorf("the administration page has no link to %s", href)
		}
	}
	b.click(`#admin-links a[href="/admin/audit"]`)
	b.expectPage("/admin/audit", "Audit log", "en")
	table := b.text("#audit-table")
	for _, action := range []string{"user.password_change", "user.login", "user.create"} {
		if !strings.Contains(table, action) {
			t.Errorf("the audit log does not list %s:\n%s", action, table)
		}
	}
	b.screenshot("audit-en")

	// The widest page on a phone: the table scrolls inside its frame, the
	// page does not.
	b.onPhone("/admin/audit", "audit-phone")

	b.click("#lang-switch")
	b.expectPage("/admin/audit", "审计日志", "zh-CN")

	if got := b.text("#logout"); got != "退出" {
		t.Errorf("logout button says %q, want 退出", got)
	}
	b.click("#logout")
	b.expectPage("/login", "登录", "zh-CN")
	b.navigate("/")
	if got := b.path(); got != "/login" {
		t.Fatalf("after logout / shows %s, want the login page", got)
	}

	b.login("admin", newPassword)
	b.expectPage("/", "系统管理员", "zh-CN")
	b.screenshot("home-after-relogin")
}

// TestBrowserDemoLogins signs in as each demo account and checks that the
// navigation follows the policy: the committee admin sees accounts and the
// audit log, the org admin accounts only, the others neither.
func TestBrowserDemoLogins(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)

	accounts := []struct {
		username, name string
		admin          bool // the committee: the audit log too
		users          bool // accounts: the committee all, org admins their subtree's
	}{
		{"admin", "工委管理员", true, true},
		{"nmj-admin", "农牧业局管理员", false, true},
		{"nmj-leader", "服务队队长", false, false},
		{"volunteer", "志愿者王芳", false, false},
		{"gacha-contact", "嘎查联系人", false, false},
	}
	for _, a := range accounts {
		if !strings.Contains(srv.Out, a.username) {
			t.Errorf("the demo start does not print the login %s:\n%s", a.username, srv.Out)
		}
		b.navigate("/login")
		b.login(a.username, service.DemoPassword)
		b.expectPage("/", a.name, "zh-CN")
		b.navigate("/admin")
		for href, want := range map[string]bool{"/admin/users": a.users, "/admin/audit": a.admin} {
			n := b.count(fmt.Sprintf(`#admin-links a[href=%q]`, href))
			if want && n != 1 || !want && n != 0 {
				t.Errorf("%s: %d links to %s on the administration page, want %v", a.username, n, href, want)
			}
		}
		b.navigate("/")
		b.screenshot("home-" + a.username)
		if a.username == "volunteer" {
			// The link's absence is not the protection: the page refuses.
			ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
			res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+"/admin/users"))
			cancel()
			if err != nil {
				t.Fatalf("open /admin/users as volunteer: %v", err)
			}
			if res.Status != 403 {
				t.Errorf("volunteer opens /admin/users: status %d, want 403", res.Status)
			}
			b.screenshot("forbidden-volunteer")
		}
		b.click("#logout")
		b.expectPage("/login", "登录", "zh-CN")
	}
}
