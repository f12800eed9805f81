package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"vanguard/app"
	"vanguard/service"
)

var (
	totpSecretRe = regexp.MustCompile(`id="totp-secret">([^<]+)<`)
	recoveryRe   = regexp.MustCompile(`(?s)<ol class="recovery-codes mono" id="recovery-codes">(.*?)</ol>`)
	liRe         = regexp.MustCompile(`<li>([^<]+)</li>`)
)

// enrolTOTP turns on two-factor for a signed-in client through the pages and
// returns the secret and the recovery codes the page showed.
func enrolTOTP(t *testing.T, c *client) (string, []string) {
	t.Helper()
	if r := c.postForm(t, "/account/totp/start", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/totp/start: %d %q", r.StatusCode, r.notice())
	}
	r := c.get(t, "/account/totp")
	m := totpSecretRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil || !strings.Contains(r.body, `id="totp-qr"><svg`) {
		t.Fatalf("GET /account/totp while pending: %d, secret shown %v, QR shown %v",
			r.StatusCode, m != nil, strings.Contains(r.body, "<svg"))
	}
	secret := strings.ReplaceAll(html.UnescapeString(m[1]), " ", "")
	now := time.Now()
	good, _ := totp.GenerateCode(secret, now)
	wrong := "000000"
	if wrong == good {
		wrong = "111111"
	}
	r = c.postForm(t, "/account/totp/confirm", url.Values{"code": {wrong}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["code"] == "" {
		t.Fatalf("confirm with a wrong code: %d, field errors %v; want 422 on code", r.StatusCode, r.fieldErrors())
	}
	r = c.postForm(t, "/account/totp/confirm", url.Values{"code": {good}})
	rm := recoveryRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || rm == nil {
		t.Fatalf("confirm with the right code: %d, recovery codes shown %v", r.StatusCode, rm != nil)
	}
	var codes []string
	for _, li := range liRe.FindAllStringSubmatch(rm[1], -1) {
		codes = append(codes, li[1])
	}
	if len(codes) != service.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown, want %d", len(codes), service.RecoveryCodeCount)
	}
	// Shown once: the page no longer has them.
	if r := c.get(t, "/account/totp"); strings.Contains(r.body, codes[0]) || strings.Contains(r.body, secret) {
		t.Fatal("the two-factor page shows a recovery code or the secret again")
	}
	return secret, codes
}

// TestTOTPSignInThroughTheRouter turns two-factor on through the pages and
// signs in with password and code, on both databases.
func TestTOTPSignInThroughTheRouter(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		secret, codes := enrolTOTP(t, a.login(t, "admin"))

		c := a.newClient(t)
		r := c.postForm(t, "/login", url.Values{"username": {"admin"}, "password": {service.DemoPassword}, "next": {"/people"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login/totp?next=%2Fpeople" || c.session() != "" {
			t.Fatalf("password of an account with two-factor: %d to %q, session %q; want 303 to the code page and no session",
				r.StatusCode, r.Header.Get("Location"), c.session())
		}
		if r := c.get(t, "/people"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
			t.Fatalf("a page before the code: %d to %q, want the login form", r.StatusCode, r.Header.Get("Location"))
		}
		if r := c.get(t, "/login/totp?next=%2Fpeople"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="code"`) {
			t.Fatalf("GET /login/totp: %d", r.StatusCode)
		}
		r = c.postForm(t, "/login/totp", url.Values{"code": {"12345x"}, "next": {"/people"}})
		if r.StatusCode != http.StatusUnprocessableEntity || c.session() != "" {
			t.Fatalf("wrong code: %d, session %q; want 422 and no session", r.StatusCode, c.session())
		}
		// The code of the next step: the enrolment used this step's.
		code, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
		r = c.postForm(t, "/login/totp", url.Values{"code": {code}, "next": {"/people"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/people" || c.session() == "" {
			t.Fatalf("right code: %d to %q, session %v; want 303 to /people with a session",
				r.StatusCode, r.Header.Get("Location"), c.session() != "")
		}
		if r := c.get(t, "/people"); r.StatusCode != http.StatusOK {
			t.Fatalf("GET /people after the code: %d", r.StatusCode)
		}

		// A recovery code signs in once; the code page then says the
		// sign-in has to start again only when it ran out of attempts.
		c = a.newClient(t)
		c.postForm(t, "/login", url.Values{"username": {"admin"}, "password": {service.DemoPassword}})
		if r := c.postForm(t, "/login/totp", url.Values{"code": {codes[0]}}); r.StatusCode != http.StatusSeeOther || c.session() == "" {
			t.Fatalf("recovery code: %d %q", r.StatusCode, r.notice())
		}
		c = a.newClient(t)
		c.postForm(t, "/login", url.Values{"username": {"admin"}, "password": {service.DemoPassword}})
		for i := 1; i < service.LoginChallengeAttempts; i++ {
			if r := c.postForm(t, "/login/totp", url.Values{"code": {codes[0]}}); r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("used recovery code, try %d: %d %q", i, r.StatusCode, r.notice())
			}
		}
		r = c.postForm(t, "/login/totp", url.Values{"code": {codes[0]}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, `action="/login"`) || c.session() != "" {
			t.Fatalf("fifth wrong code: %d, login form shown %v; want the password form again",
				r.StatusCode, strings.Contains(r.body, `action="/login"`))
		}
		if r := c.get(t, "/login/totp"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Fatalf("code page after the challenge ended: %d to %q", r.StatusCode, r.Header.Get("Location"))
		}
	})
}

// TestTOTPRequiredSendsAdminsToEnrol checks that when the committee requires
// two-factor, an admin without it reaches nothing but the enrolment page, and
// that a committee admin cannot reset their own.
func TestTOTPRequiredSendsAdminsToEnrol(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		admin := a.login(t, "admin")
		if r := admin.postForm(t, "/admin/security", url.Values{"totp_required": {"true"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST /admin/security: %d %q", r.StatusCode, r.notice())
		}
		org := a.login(t, "nmj-admin")
		for _, path := range []string{"/", "/people", "/admin/users"} {
			r := org.get(t, path)
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/totp" {
				t.Errorf("org admin without two-factor, GET %s: %d to %q; want 303 to /account/totp",
					path, r.StatusCode, r.Header.Get("Location"))
			}
		}
		if r := org.postForm(t, "/people", url.Values{}); r.StatusCode != http.StatusForbidden {
			t.Errorf("org admin without two-factor, POST /people: %d, want 403", r.StatusCode)
		}
		if r := org.get(t, "/account/totp"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "市直机关工委要求管理员开启两步验证") {
			t.Fatalf("enrolment page: %d, requirement said %v", r.StatusCode, strings.Contains(r.body, "市直机关工委要求"))
		}
		// A volunteer is not an admin: not sent.
		if r := a.login(t, "volunteer").get(t, "/"); r.StatusCode != http.StatusOK {
			t.Errorf("volunteer home while admins must enrol: %d", r.StatusCode)
		}
		enrolTOTP(t, org)
		if r := org.get(t, "/people"); r.StatusCode != http.StatusOK {
			t.Fatalf("org admin after enrolling, GET /people: %d", r.StatusCode)
		}

		// The admin page of one's own account offers no reset, and a posted
		// one is refused.
		enrolTOTP(t, admin)
		id := a.userID(t, admin, "admin")
		r := admin.get(t, "/admin/users/"+id)
		if r.StatusCode != http.StatusOK || strings.Contains(r.body, `id="reset-totp"`) {
			t.Fatalf("own account page: %d, reset offered %v", r.StatusCode, strings.Contains(r.body, `id="reset-totp"`))
		}
		if r := admin.postForm(t, "/admin/users/"+id+"/totp/reset", url.Values{}); r.StatusCode != http.StatusConflict {
			t.Fatalf("reset own two-factor: %d, want 409", r.StatusCode)
		}
		// The org admin's account page offers the reset to the committee,
		// and the reset sends them back to enrolling.
		orgID := a.userID(t, admin, "nmj-admin")
		if r := admin.get(t, "/admin/users/"+orgID); !strings.Contains(r.body, `id="reset-totp"`) {
			t.Fatal("the committee is not offered the reset of an org admin's two-factor")
		}
		r = admin.postForm(t, "/admin/users/"+orgID+"/totp/reset", url.Values{})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset org admin's two-factor: %d %q", r.StatusCode, r.notice())
		}
		if r := a.login(t, "nmj-admin").get(t, "/"); r.Header.Get("Location") != "/account/totp" {
			t.Fatalf("org admin after reset: home goes to %q, want /account/totp", r.Header.Get("Location"))
		}
	})
}

var userLinkRe = regexp.MustCompile(`href="/admin/users/(\d+)"`)

// userID finds an account's id on the account list.
func (a *testApp) userID(t *testing.T, c *client, username string) string {
	t.Helper()
	r := c.get(t, "/admin/users?q="+url.QueryEscape(username))
	for _, m := range userLinkRe.FindAllStringSubmatch(r.body, -1) {
		if p := c.get(t, "/admin/users/"+m[1]); strings.Contains(p.h1(), username+" ") || p.h1() == username {
			return m[1]
		}
	}
	t.Fatalf("no account %q on the account list", username)
	return ""
}
