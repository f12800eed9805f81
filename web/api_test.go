package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/domain"
)

var newTokenRe = regexp.MustCompile(`<p class="secret mono" id="new-token">([^<]+)</p>`)

// newToken makes a personal API token through the real page as c's user.
func (c *client) newToken(t *testing.T, name, expiresOn string) string {
	t.Helper()
	r := c.postForm(t, "/account/tokens", url.Values{"name": {name}, "expires_on": {expiresOn}})
	m := newTokenRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("POST /account/tokens %q: got %d, no token shown; errors %v", name, r.StatusCode, r.fieldErrors())
	}
	return html.UnescapeString(m[1])
}

// apiClient calls the API with a bearer token and no cookies, as another
// system would.
type apiClient struct {
	app   *testApp
	token string
	lang  string // Accept-Language, if set
}

func (a *testApp) api(token string) *apiClient { return &apiClient{app: a, token: token} }

// call sends one request; body, when not nil, is sent as JSON.
func (c *apiClient) call(t *testing.T, method, path string, body any, header ...string) *response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, c.app.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Client{Transport: c.app.tr}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &response{Response: resp, body: string(b)}
}

func (c *apiClient) get(t *testing.T, path string, header ...string) *response {
	t.Helper()
	return c.call(t, http.MethodGet, path, nil, header...)
}

func (c *apiClient) post(t *testing.T, path string, body any, header ...string) *response {
	t.Helper()
	if body == nil {
		body = struct{}{}
	}
	return c.call(t, http.MethodPost, path, body, header...)
}

// apiErr is the API's error body.
type apiErr struct {
	Error struct {
		Code      string            `json:"code"`
		Message   string            `json:"message"`
		Field     string            `json:"field"`
		Fields    map[string]string `json:"fields"`
		RequestID string            `json:"request_id"`
	} `json:"error"`
}

// wantError fails unless r is a JSON error with status and code.
func wantError(t *testing.T, what string, r *response, status int, code string) apiErr {
	t.Helper()
	var e apiErr
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || r.StatusCode != status || e.Error.Code != code {
		t.Errorf("%s: got %d %s, want %d JSON error %s", what, r.StatusCode, r.body, status, code)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("%s: Content-Type %q, want JSON", what, ct)
	}
	return e
}

// decode reads a JSON answer into v and fails on any other status.
func decode(t *testing.T, what string, r *response, status int, v any) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: got %d %s, want %d", what, r.StatusCode, r.body, status)
	}
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("%s: %v in %s", what, err, r.body)
	}
}

// movableClock makes the app's clock read now plus an offset the test moves.
func movableClock(a *testApp) *atomic.Int64 {
	offset := &atomic.Int64{}
	a.Store.SetClock(func() time.Time { return time.Now().UTC().Add(time.Duration(offset.Load())) })
	return offset
}

// TestAPITokens makes, uses, lists and revokes a personal token through the
// real pages and router, on both databases.
func TestAPITokens(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		offset := movableClock(a)
		ctx := context.Background()
		vol := a.login(t, "volunteer")

		if r := vol.postForm(t, "/account/tokens", url.Values{"name": {" "}}); r.StatusCode != http.StatusUnprocessableEntity ||
			r.fieldErrors()["name"] == "" {
			t.Errorf("a token without a name: got %d, errors %v; want 422 naming name", r.StatusCode, r.fieldErrors())
		}
		token := vol.newToken(t, "街道看板", "")
		if !strings.HasPrefix(token, "vgd_") || len(token)-4 < 32 {
			t.Fatalf("token %q: want vgd_ and at least 160 bits (32 base32 characters)", token)
		}
		page := vol.get(t, "/account/tokens")
		if strings.Contains(page.body, token) || !strings.Contains(page.body, "街道看板") || !strings.Contains(page.body, token[:8]) {
			t.Errorf("the token list shows the whole token, or not its name and first characters")
		}

		// The token acts as its user, without any cookie.
		api := a.api(token)
		var me struct {
			Username string `json:"username"`
		}
		decode(t, "GET /api/v1/me with the token", api.get(t, "/api/v1/me"), http.StatusOK, &me)
		if me.Username != "volunteer" {
			t.Errorf("the token acts as %q, want volunteer", me.Username)
		}

		// Last used: written once, then not again within a minute.
		u, _ := a.Store.UserByUsername(ctx, "volunteer")
		lastUsed := func() time.Time {
			ts, err := a.Store.APITokens(ctx, u.ID)
			if err != nil || len(ts) != 1 {
				t.Fatalf("tokens of volunteer: %v, %v", ts, err)
			}
			return ts[0].LastUsedAt
		}
		first := lastUsed()
		if first.IsZero() {
			t.Fatal("last used not recorded")
		}
		offset.Add(int64(30 * time.Second))
		api.get(t, "/api/v1/me")
		if got := lastUsed(); !got.Equal(first) {
			t.Errorf("last used moved from %v to %v within a minute", first, got)
		}
		offset.Add(int64(2 * time.Minute))
		api.get(t, "/api/v1/me")
		if got := lastUsed(); !got.After(first) {
			t.Errorf("last used stayed %v after two minutes", got)
		}

		// No token, a malformed one, another scheme: 401 JSON.
		r := a.api("").get(t, "/api/v1/me")
		wantError(t, "no token", r, http.StatusUnauthorized, "unauthorized")
		if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("401 without WWW-Authenticate: Bearer")
		}
		wantError(t, "a made-up token", a.api("vgd_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").get(t, "/api/v1/me"), http.StatusUnauthorized, "unauthorized")
		wantError(t, "Basic auth", a.api("").get(t, "/api/v1/me", "Authorization", "Basic dm9sdW50ZWVyOng="), http.StatusUnauthorized, "unauthorized")
		// A bearer header on an API request wins over a cookie: the cookie
		// is not used.
		req, _ := http.NewRequest(http.MethodGet, a.url+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer vgd_nope")
		wantError(t, "a bad token beside a good cookie", vol.do(t, req), http.StatusUnauthorized, "unauthorized")

		// Another user cannot revoke it; its owner can, and then it is refused.
		ts, _ := a.Store.APITokens(ctx, u.ID)
		revoke := "/account/tokens/" + itoa(ts[0].ID) + "/revoke"
		if r := a.login(t, "nmj-leader").postForm(t, revoke, url.Values{}); r.StatusCode != http.StatusNotFound {
			t.Errorf("another user revokes the token: got %d, want 404", r.StatusCode)
		}
		if r := vol.postForm(t, revoke, url.Values{}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke: got %d", r.StatusCode)
		}
		wantError(t, "a revoked token", api.get(t, "/api/v1/me"), http.StatusUnauthorized, "unauthorized")
		if !strings.Contains(vol.get(t, "/account/tokens").body, "已撤销") {
			t.Error("the list does not show the token revoked")
		}

		// An expired token, and a disabled user's token.
		tomorrow := a.Store.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 1).Format("2006-01-02")
		short := a.api(vol.newToken(t, "short", tomorrow))
		decode(t, "a token before its expiry", short.get(t, "/api/v1/me"), http.StatusOK, &me)
		offset.Add(int64(49 * time.Hour))
		wantError(t, "an expired token", short.get(t, "/api/v1/me"), http.StatusUnauthorized, "unauthorized")
		leader := a.login(t, "nmj-leader")
		lt := a.api(leader.newToken(t, "leader", ""))
		decode(t, "the leader's token", lt.get(t, "/api/v1/me"), http.StatusOK, &me)
		lu, _ := a.Store.UserByUsername(ctx, "nmj-leader")
		if err := a.Service.SetAccountDisabled(ctx, staffCaller(t, a, "admin"), lu.ID, true); err != nil {
			t.Fatal(err)
		}
		wantError(t, "a disabled user's token", lt.get(t, "/api/v1/me"), http.StatusUnauthorized, "unauthorized")

		// Making and revoking are audited; the token itself is not.
		entries, err := a.Store.ListAudit(ctx, domain.AuditFilter{Action: "api_token.", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var made, revoked int
		for _, e := range entries {
			if strings.Contains(e.After, token) || strings.Contains(e.Before, token) {
				t.Errorf("the audit log holds the token: %+v", e)
			}
			switch e.Action {
			case "api_token.create":
				made++
			case "api_token.revoke":
				revoked++
			}
		}
		if made != 3 || revoked != 1 {
			t.Errorf("audit: %d made, %d revoked; want 3 and 1", made, revoked)
		}
	})
}

// TestAPIErrorFrame checks the JSON errors of the frame: unknown paths,
// wrong methods, the language of the message.
func TestAPIErrorFrame(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	o := loadOpenAPI(t)
	pub := a.api("")

	zh := wantError(t, "401 in Chinese", pub.get(t, "/api/v1/me"), http.StatusUnauthorized, "unauthorized")
	pub.lang = "en-US,en;q=0.9"
	en := wantError(t, "401 in English", pub.get(t, "/api/v1/me"), http.StatusUnauthorized, "unauthorized")
	if zh.Error.Message != "请先登录。" || en.Error.Message != "Please sign in first." {
		t.Errorf("messages %q and %q, want Chinese and English", zh.Error.Message, en.Error.Message)
	}
	e := wantError(t, "404", pub.get(t, "/api/v1/no/such/thing"), http.StatusNotFound, "not_found")
	if e.Error.RequestID == "" {
		t.Error("404 without a request id")
	}
	r := pub.call(t, http.MethodDelete, "/api/v1/me", nil)
	wantError(t, "DELETE /api/v1/me", r, http.StatusMethodNotAllowed, "method_not_allowed")
	if r.Header.Get("Allow") != "GET" {
		t.Errorf("Allow = %q, want GET", r.Header.Get("Allow"))
	}
	o.checkResponse(t, "GET", "/api/v1/me", pub.get(t, "/api/v1/me"))

	// The document itself, with an ETag.
	doc := pub.get(t, "/api/v1/openapi.json")
	if doc.StatusCode != http.StatusOK || doc.Header.Get("ETag") == "" {
		t.Fatalf("GET /api/v1/openapi.json: %d, ETag %q", doc.StatusCode, doc.Header.Get("ETag"))
	}
	if r := pub.get(t, "/api/v1/openapi.json", "If-None-Match", doc.Header.Get("ETag")); r.StatusCode != http.StatusNotModified || r.body != "" {
		t.Errorf("If-None-Match with the ETag: got %d %q, want 304 and no body", r.StatusCode, r.body)
	}
}
