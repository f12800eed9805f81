package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store/storetest"
)

const (
	msgBadLogin = "用户名或密码不正确。"
	msgLocked   = "登录失败次数过多，请 15 分钟后再试。"
)

// tryLogin posts the login form and returns the response, whatever it is.
func tryLogin(t *testing.T, a *testApp, username, password string) *response {
	t.Helper()
	return a.newClient(t).postForm(t, "/login", url.Values{"username": {username}, "password": {password}})
}

// wantRefused checks a refused login: its status, the message on the form and
// that no session cookie was set.
func wantRefused(t *testing.T, r *response, what string, status int, msg string) {
	t.Helper()
	if r.StatusCode != status || r.notice() != msg {
		t.Errorf("%s: got %d %q, want %d %q", what, r.StatusCode, r.notice(), status, msg)
	}
	if ck := r.cookie(sessionCookie); ck != nil && ck.MaxAge >= 0 {
		t.Errorf("%s: session cookie set", what)
	}
}

// TestLoginLock checks that repeated failures lock a name even against the
// right password, and that the form never tells whether a name exists.
func TestLoginLock(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})

		wrong := tryLogin(t, a, "volunteer", "not-the-password")
		unknown := tryLogin(t, a, "nobody-here", "not-the-password")
		if unknown.StatusCode != wrong.StatusCode || unknown.notice() != wrong.notice() {
			t.Errorf("unknown name: got %d %q; wrong password for a real name: %d %q; want the same answer",
				unknown.StatusCode, unknown.notice(), wrong.StatusCode, wrong.notice())
		}
		wantRefused(t, wrong, "wrong password 1", http.StatusUnprocessableEntity, msgBadLogin)
		for i := 2; i <= domain.LoginMaxFailures; i++ {
			r := tryLogin(t, a, "volunteer", "not-the-password")
			wantRefused(t, r, fmt.Sprintf("wrong password %d", i), http.StatusUnprocessableEntity, msgBadLogin)
		}
		r := tryLogin(t, a, "volunteer", service.DemoPassword)
		wantRefused(t, r, "right password after five failures", http.StatusTooManyRequests, msgLocked)

		// The lock is per name: others still sign in.
		a.login(t, "admin")

		// An unknown name locks the same way, so the lock tells nothing either.
		for i := 2; i <= domain.LoginMaxFailures; i++ {
			tryLogin(t, a, "nobody-here", "not-the-password")
		}
		r = tryLogin(t, a, "nobody-here", "not-the-password")
		wantRefused(t, r, "unknown name after five failures", http.StatusTooManyRequests, msgLocked)
	})
}

// TestLoginLockSharedAcrossInstances checks that failures are counted in the
// database: five failures on one instance lock the name on another. Two
// instances cannot share a SQLite file, so this runs on PostgreSQL only.
func TestLoginLockSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	dsn := storetest.PostgresDSN(t)
	a := startApp(t, app.Config{DB: dsn, Demo: true})
	b := startApp(t, app.Config{DB: dsn, Demo: true})
	for i := 1; i <= domain.LoginMaxFailures; i++ {
		r := tryLogin(t, a, "nmj-leader", "not-the-password")
		wantRefused(t, r, "instance A, wrong password", http.StatusUnprocessableEntity, msgBadLogin)
	}
	r := tryLogin(t, b, "nmj-leader", service.DemoPassword)
	wantRefused(t, r, "instance B, right password after five failures on A", http.StatusTooManyRequests, msgLocked)
	b.login(t, "volunteer") // instance B works for names that are not locked
}

var oneTimeRe = regexp.MustCompile(`one-time password: (\S+)`)

// TestForcedPasswordChange follows the first start: the printed one-time
// password signs in, every page sends the admin to change it, weak choices
// are refused with a message in Chinese, a good one frees the account.
func TestForcedPasswordChange(t *testing.T) {
	t.Parallel()
	a := startApp(t, app.Config{DB: storetest.SQLitePath(t)})
	m := oneTimeRe.FindStringSubmatch(a.out.String())
	if m == nil {
		t.Fatalf("first start printed no one-time password:\n%s", a.out.String())
	}
	oneTime := m[1]

	c := a.newClient(t)
	c.login(t, "admin", oneTime)
	for _, path := range []string{"/", "/admin/audit", "/admin/users"} {
		r := c.get(t, path)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/password" {
			t.Errorf("GET %s before the change: got %d to %q, want 303 to /account/password",
				path, r.StatusCode, r.Header.Get("Location"))
		}
	}
	r := c.postForm(t, "/admin/users", url.Values{"username": {"someone"}, "display_name": {"某人"}, "role": {"volunteer"}})
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("POST /admin/users before the change: got %d, want 403", r.StatusCode)
	}
	if r := c.get(t, "/api/v1/me"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"must_change_password":true`) {
		t.Errorf("GET /api/v1/me before the change: got %d %s, want 200 with must_change_password true", r.StatusCode, r.body)
	}
	r = c.get(t, "/account/password")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "这是您的首次登录") {
		t.Errorf("GET /account/password: got %d, want 200 with the first-login notice", r.StatusCode)
	}

	good := "草原上有一棵白桦树苗"
	bad := []struct {
		name                  string
		current, next, repeat string
		field, msg            string
	}{
		{"common", oneTime, "qwertyuiop", "qwertyuiop", "new", "这个密码太常见，容易被猜到，请换一个。"},
		{"too short", oneTime, "short", "short", "new", "密码至少需要 10 个字符。"},
		{"mismatch", oneTime, good, good + "!", "confirm", "两次输入的新密码不一致。"},
		{"wrong current", "not-the-one-time", good, good, "current", "当前密码不正确。"},
		{"contains username", oneTime, "admin-horse-battery", "admin-horse-battery", "new", "密码不能包含用户名。"},
	}
	for _, tt := range bad {
		r := c.postForm(t, "/account/password", url.Values{"current": {tt.current}, "new": {tt.next}, "confirm": {tt.repeat}})
		if got := r.fieldErrors()[tt.field]; r.StatusCode != http.StatusUnprocessableEntity || got != tt.msg {
			t.Errorf("%s: got %d, %s error %q; want 422, %q", tt.name, r.StatusCode, tt.field, got, tt.msg)
		}
		if r.h1() != "修改密码" {
			t.Errorf("%s: page heading %q, want the password form again", tt.name, r.h1())
		}
	}
	if r := c.get(t, "/"); r.Header.Get("Location") != "/account/password" {
		t.Errorf("GET / after refused changes: got %d to %q, still want /account/password", r.StatusCode, r.Header.Get("Location"))
	}

	r = c.postForm(t, "/account/password", url.Values{"current": {oneTime}, "new": {good}, "confirm": {good}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("good new password: got %d to %q, want 303 to /; errors %v", r.StatusCode, r.Header.Get("Location"), r.fieldErrors())
	}
	if r := c.get(t, "/"); r.StatusCode != http.StatusOK {
		t.Errorf("GET / after the change: got %d, want 200", r.StatusCode)
	}
	if r := c.get(t, "/admin/audit"); r.StatusCode != http.StatusOK {
		t.Errorf("GET /admin/audit after the change: got %d, want 200", r.StatusCode)
	}
	wantRefused(t, tryLogin(t, a, "admin", oneTime), "one-time password after the change", http.StatusUnprocessableEntity, msgBadLogin)
	a.newClient(t).login(t, "admin", good)

	// The language switch keeps the page and turns it into English.
	r = c.get(t, "/lang/en?next=/account/password")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/password" {
		t.Fatalf("GET /lang/en: got %d to %q, want 303 to /account/password", r.StatusCode, r.Header.Get("Location"))
	}
	r = c.get(t, "/account/password")
	if r.StatusCode != http.StatusOK || r.h1() != "Change password" || !strings.Contains(r.body, `<html lang="en"`) {
		t.Errorf("password page after switching to English: got %d, heading %q, html lang en %v; want 200, %q, true",
			r.StatusCode, r.h1(), strings.Contains(r.body, `<html lang="en"`), "Change password")
	}
	if got := r.Header.Get("Content-Language"); got != "en" {
		t.Errorf("Content-Language = %q, want en", got)
	}
	r = c.postForm(t, "/account/password", url.Values{"current": {good}, "new": {"short"}, "confirm": {"short"}})
	if got, want := r.fieldErrors()["new"], "The password needs at least 10 characters."; got != want {
		t.Errorf("English field error: got %q, want %q", got, want)
	}
}

// TestRedirectsStayOnSite: a next= that a browser would turn into another
// host (a tab or backslash inside "//") is dropped.
func TestRedirectsStayOnSite(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.newClient(t)
	for _, next := range []string{"/\t/evil.example", `/\evil.example`, "//evil.example", "https://evil.example", "/\r\n/evil"} {
		r := c.get(t, "/lang/en?next="+url.QueryEscape(next))
		if loc := r.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirects to %q, want /", next, loc)
		}
	}
}
