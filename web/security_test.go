package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/web/static"
)

// TestSecurityHeaders checks the headers on a sample of every kind of
// response: pages, redirects, errors, assets, JSON, probes.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	public := a.newClient(t)
	vol := a.login(t, "volunteer")

	apiReq, _ := http.NewRequest(http.MethodGet, a.url+"/api/v1/me", nil)
	tests := []struct {
		name       string
		do         func() *response
		wantStatus int
	}{
		{"page", func() *response { return public.get(t, "/login") }, http.StatusOK},
		{"redirect", func() *response { return public.get(t, "/admin/audit") }, http.StatusSeeOther},
		{"forbidden", func() *response { return vol.get(t, "/admin/audit") }, http.StatusForbidden},
		{"not found", func() *response { return public.get(t, "/no/such/page") }, http.StatusNotFound},
		{"static asset", func() *response { return public.get(t, static.URL("app.css")) }, http.StatusOK},
		{"unknown asset", func() *response { return public.get(t, "/static/app.css") }, http.StatusNotFound},
		{"json", func() *response { return vol.do(t, apiReq.Clone(apiReq.Context())) }, http.StatusOK},
		{"json error", func() *response { return public.do(t, apiReq.Clone(apiReq.Context())) }, http.StatusUnauthorized},
		{"form error", func() *response {
			return vol.postForm(t, "/account/password", url.Values{"current": {"wrong"}, "new": {"x"}, "confirm": {"y"}})
		}, http.StatusUnprocessableEntity},
		{"cross-origin refusal", func() *response {
			req, _ := http.NewRequest(http.MethodPost, a.url+"/logout", nil)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			return vol.do(t, req)
		}, http.StatusForbidden},
		{"healthz", func() *response { return public.get(t, "/healthz") }, http.StatusOK},
		{"readyz", func() *response { return public.get(t, "/readyz") }, http.StatusOK},
		{"metrics", func() *response { return public.get(t, "/metrics") }, http.StatusOK},
	}
	for _, tt := range tests {
		r := tt.do()
		if r.StatusCode != tt.wantStatus {
			t.Errorf("%s %s: got status %d, want %d", tt.name, r.Request.URL.Path, r.StatusCode, tt.wantStatus)
		}
		csp := r.Header.Get("Content-Security-Policy")
		for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s %s: CSP %q lacks %q", tt.name, r.Request.URL.Path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s %s: CSP %q allows unsafe script or style", tt.name, r.Request.URL.Path, csp)
		}
		if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s: X-Content-Type-Options = %q, want nosniff", tt.name, r.Request.URL.Path, got)
		}
		if got := r.Header.Get("Referrer-Policy"); got == "" {
			t.Errorf("%s %s: Referrer-Policy is not set", tt.name, r.Request.URL.Path)
		}
		if got := r.Header.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%s %s: X-Frame-Options = %q, want DENY", tt.name, r.Request.URL.Path, got)
		}
		if r.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s %s: no X-Request-Id", tt.name, r.Request.URL.Path)
		}
	}
}

// TestCrossOriginPostRefused checks that a cross-site form post is refused
// before it reaches the handler, even with the right password.
func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	form := url.Values{"username": {"volunteer"}, "password": {service.DemoPassword}}
	for _, h := range []struct{ name, value string }{
		{"Sec-Fetch-Site", "cross-site"},
		{"Origin", "http://evil.example"},
	} {
		c := a.newClient(t)
		req, _ := http.NewRequest(http.MethodPost, a.url+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(h.name, h.value)
		r := c.do(t, req)
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("POST /login with %s: %s: got %d, want 403", h.name, h.value, r.StatusCode)
		}
		if ck := r.cookie(sessionCookie); ck != nil {
			t.Errorf("POST /login with %s: %s: set session cookie %q, want none", h.name, h.value, ck.Value)
		}
		if want := "跨站提交的请求已被拒绝"; !strings.Contains(r.body, want) {
			t.Errorf("POST /login with %s: %s: body lacks %q", h.name, h.value, want)
		}
	}
	logins, err := a.Store.ListAudit(t.Context(), domain.AuditFilter{Action: "user.login"})
	if err != nil {
		t.Fatal(err)
	}
	if len(logins) != 0 {
		t.Errorf("refused cross-origin logins left %d user.login* audit rows, want 0", len(logins))
	}

	// The same form from this site, as a browser sends it, signs in.
	c := a.newClient(t)
	req, _ := http.NewRequest(http.MethodPost, a.url+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", a.url)
	if r := c.do(t, req); r.StatusCode != http.StatusSeeOther || r.cookie(sessionCookie) == nil {
		t.Errorf("same-origin POST /login: got %d, cookie set %v; want 303 and a cookie", r.StatusCode, r.cookie(sessionCookie) != nil)
	}
}

// TestSessionCookie checks the cookie's attributes, that every login issues
// a new value and ends the old one, and that logout ends the session.
func TestSessionCookie(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		c := a.newClient(t)
		r := c.login(t, "volunteer", service.DemoPassword)
		ck := r.cookie(sessionCookie)
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure {
			t.Errorf("session cookie: HttpOnly=%v SameSite=%v Path=%q Secure=%v; want HttpOnly, Lax, /, not Secure over HTTP",
				ck.HttpOnly, ck.SameSite, ck.Path, ck.Secure)
		}
		if loc := r.Header.Get("Location"); loc != "/" {
			t.Errorf("login redirect: got %q, want /", loc)
		}
		first := c.session()
		if first != ck.Value {
			t.Fatalf("jar holds %q, want the cookie just set %q", first, ck.Value)
		}
		wantUser(t, a, first, "volunteer")

		// A second login from the same browser replaces the session.
		c.login(t, "volunteer", service.DemoPassword)
		second := c.session()
		if second == first {
			t.Errorf("second login kept the cookie value %q, want a new one", first)
		}
		wantUser(t, a, second, "volunteer")
		wantUser(t, a, first, "")

		// Logging out clears the cookie and ends the session on the server.
		r = c.postForm(t, "/logout", url.Values{})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("POST /logout: got %d to %q, want 303 to /login", r.StatusCode, r.Header.Get("Location"))
		}
		if ck := r.cookie(sessionCookie); ck == nil || ck.MaxAge >= 0 {
			t.Errorf("POST /logout: session cookie %v, want one that expires it", ck)
		}
		if got := c.session(); got != "" {
			t.Errorf("after logout the jar still holds %q", got)
		}
		wantUser(t, a, second, "")
		if r := c.get(t, "/"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("GET / after logout: got %d, want 303 to /login", r.StatusCode)
		}
	})
}

// wantUser asks /api/v1/me with only the given cookie value and checks who it
// is: username, or "" for a cookie that must no longer authenticate.
func wantUser(t *testing.T, a *testApp, cookie, username string) {
	t.Helper()
	c := a.newClient(t)
	req, _ := http.NewRequest(http.MethodGet, a.url+"/api/v1/me", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	r := c.do(t, req)
	if username == "" {
		if r.StatusCode != http.StatusUnauthorized {
			t.Errorf("cookie %.8s…: /api/v1/me got %d, want 401 for an ended session", cookie, r.StatusCode)
		}
		return
	}
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"username":"`+username+`"`) {
		t.Errorf("cookie %.8s…: /api/v1/me got %d %s, want 200 for %s", cookie, r.StatusCode, r.body, username)
	}
}
