package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/i18n"
)

// TestPagesRender executes every page template, in both languages, as a role
// that may see it, and checks the status and the heading.
func TestPagesRender(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	pages := []struct {
		role       domain.Role
		path       string
		h1zh, h1en string
		extra      string // more text the zh-CN page must show
	}{
		{domain.RolePublic, "/login", "登录", "Sign in", "请使用工委分配的账号登录"},
		{domain.RolePublic, "/login?next=/admin/audit", "登录", "Sign in", `name="next" value="/admin/audit"`},
		{domain.RoleVolunteer, "/", "志愿者王芳，您好", "Hello, 志愿者王芳", `id="todo-joinable"`},
		{domain.RoleVolunteer, "/activities?match=1", "服务活动", "Service activities", `id="act-todo-filter"`},
		{domain.RoleCommitteeAdmin, "/", "工委管理员，您好", "Hello, 工委管理员", `id="todo-declined"`},
		{domain.RoleCommitteeAdmin, "/desk?declined=1", "派单", "Dispatch desk", `id="desk-declined"`},
		{domain.RoleTeamLeader, "/activities/new", "新建活动", "New activity", `id="activity-form"`},
		{domain.RoleTeamLeader, "/activities?manage=1&state=scheduled&requests=1", "服务活动", "Service activities", "等待您审批"},
		{domain.RoleVolunteer, "/account/password", "修改密码", "Change password", "保存新密码"},
		{domain.RoleVolunteer, "/account/password?done=1", "修改密码", "Change password", "密码已修改"},
		{domain.RoleCommitteeAdmin, "/admin/audit", "审计日志", "Audit log", `id="audit-table"`},
		{domain.RoleCommitteeAdmin, "/admin/audit?action=no.such.action", "审计日志", "Audit log", "没有符合条件的记录"},
		{domain.RoleCommitteeAdmin, "/admin/audit?from=yesterday", "审计日志", "Audit log", "“开始日期”不是有效日期"},
		{domain.RoleCommitteeAdmin, "/admin/users", "账号管理", "Accounts", "nmj-leader"},
	}
	clients := map[domain.Role]map[i18n.Lang]*client{}
	for _, lang := range i18n.Langs {
		for _, p := range pages {
			if clients[p.role] == nil {
				clients[p.role] = map[i18n.Lang]*client{}
			}
			c := clients[p.role][lang]
			if c == nil {
				if p.role == domain.RolePublic {
					c = a.newClient(t)
				} else {
					c = a.login(t, demoUsers[p.role])
				}
				c.header.Set("Accept-Language", string(lang))
				clients[p.role][lang] = c
			}
			r := c.get(t, p.path)
			want := p.h1zh
			if lang == i18n.EN {
				want = p.h1en
			}
			if r.StatusCode != http.StatusOK || r.h1() != want {
				t.Errorf("%s GET %s as %s: got %d with heading %q, want 200 with %q", lang, p.path, p.role, r.StatusCode, r.h1(), want)
			}
			if !strings.Contains(r.body, `<html lang="`+string(lang)+`"`) {
				t.Errorf("%s GET %s: page is not marked lang=%q", lang, p.path, lang)
			}
			if lang == i18n.ZH && !strings.Contains(r.body, p.extra) {
				t.Errorf("GET %s as %s: body lacks %q", p.path, p.role, p.extra)
			}
			if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("GET %s: Content-Type %q, want text/html; charset=utf-8", p.path, ct)
			}
		}
	}
}

// TestErrorPages checks that error pages render with their title, a message
// and the request id a user can quote.
func TestErrorPages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	public := a.newClient(t)
	vol := a.login(t, "volunteer")
	tests := []struct {
		name   string
		r      *response
		status int
		h1     string
		msg    string
	}{
		{"not found", public.get(t, "/no/such/page"), http.StatusNotFound, "未找到", "找不到该页面。"},
		{"not found, signed in", vol.get(t, "/admin/no/such/page"), http.StatusNotFound, "未找到", "找不到该页面。"},
		{"forbidden", vol.get(t, "/admin/users"), http.StatusForbidden, "没有权限", "您没有权限进行此操作。"},
		{"unauthorized post", public.postForm(t, "/logout", url.Values{}), http.StatusUnauthorized, "需要登录", "请先登录。"},
	}
	for _, tt := range tests {
		id := tt.r.Header.Get("X-Request-Id")
		if tt.r.StatusCode != tt.status || tt.r.h1() != tt.h1 {
			t.Errorf("%s: got %d with heading %q, want %d with %q", tt.name, tt.r.StatusCode, tt.r.h1(), tt.status, tt.h1)
		}
		if !strings.Contains(tt.r.body, tt.msg) {
			t.Errorf("%s: body lacks the message %q", tt.name, tt.msg)
		}
		if id == "" || !strings.Contains(tt.r.body, "<code>"+id+"</code>") {
			t.Errorf("%s: body does not show the request id %q", tt.name, id)
		}
	}

	// A body over the limit is refused as too large, not as an internal error.
	big := url.Values{"username": {"volunteer"}, "password": {strings.Repeat("x", 2<<20)}}
	r := public.postForm(t, "/login", big)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "提交的内容过大。") {
		t.Errorf("2 MiB login form: got %d, message %q; want 422 with %q", r.StatusCode, r.notice(), "提交的内容过大。")
	}
}

// apiError is the JSON API's error body.
type apiError struct {
	Error struct {
		Code      domain.Code `json:"code"`
		Message   string      `json:"message"`
		Field     string      `json:"field"`
		RequestID string      `json:"request_id"`
	} `json:"error"`
}

// TestAPIErrors checks that the JSON API answers in JSON, errors included.
func TestAPIErrors(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)

	r := a.newClient(t).get(t, "/api/v1/me")
	var e apiError
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		t.Fatalf("GET /api/v1/me as the public: body %q is not JSON: %v", r.body, err)
	}
	if r.StatusCode != http.StatusUnauthorized || e.Error.Code != domain.CodeUnauthorized || e.Error.Message != "请先登录。" {
		t.Errorf("GET /api/v1/me as the public: got %d %+v, want 401 code unauthorized", r.StatusCode, e.Error)
	}
	if id := r.Header.Get("X-Request-Id"); e.Error.RequestID == "" || e.Error.RequestID != id {
		t.Errorf("error request_id = %q, want the X-Request-Id %q", e.Error.RequestID, id)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q, want application/json; charset=utf-8", ct)
	}

	vol := a.login(t, "volunteer")
	r = vol.get(t, "/api/v1/me")
	var me struct {
		ID                 int64  `json:"id"`
		Username           string `json:"username"`
		DisplayName        string `json:"display_name"`
		MustChangePassword bool   `json:"must_change_password"`
		Roles              []struct {
			Role domain.Role `json:"role"`
		} `json:"roles"`
	}
	if err := json.Unmarshal([]byte(r.body), &me); err != nil {
		t.Fatalf("GET /api/v1/me: body %q is not JSON: %v", r.body, err)
	}
	if r.StatusCode != http.StatusOK || me.Username != "volunteer" || me.ID == 0 || me.MustChangePassword ||
		len(me.Roles) != 1 || me.Roles[0].Role != domain.RoleVolunteer {
		t.Errorf("GET /api/v1/me as volunteer: got %d %+v, want 200 for volunteer with the volunteer role", r.StatusCode, me)
	}

	r = vol.get(t, "/api/v1/no-such-thing")
	e = apiError{}
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || r.StatusCode != http.StatusNotFound || e.Error.Code != domain.CodeNotFound {
		t.Errorf("GET /api/v1/no-such-thing: got %d %q, want 404 JSON with code not_found", r.StatusCode, r.body)
	}
}

// TestHealthAndMetrics checks the probes and the metrics page.
func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.newClient(t)
	for _, p := range []struct{ path, body string }{{"/healthz", "ok\n"}, {"/readyz", "ready\n"}} {
		if r := c.get(t, p.path); r.StatusCode != http.StatusOK || r.body != p.body {
			t.Errorf("GET %s: got %d %q, want 200 %q", p.path, r.StatusCode, r.body, p.body)
		}
	}
	c.get(t, "/no/such/page")
	r := c.get(t, "/metrics")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: got %d %q, want 200 text/plain", r.StatusCode, r.Header.Get("Content-Type"))
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^# TYPE vanguard_http_requests_total counter$`),
		regexp.MustCompile(`(?m)^vanguard_http_requests_total\{method="GET",code="200"\} [2-9]\d*$`),
		regexp.MustCompile(`(?m)^vanguard_http_requests_total\{method="GET",code="404"\} 1$`),
		regexp.MustCompile(`(?m)^vanguard_http_request_duration_seconds_count \d+$`),
		regexp.MustCompile(`(?m)^vanguard_db_open_connections\{pool="writer"\} \d+$`),
		regexp.MustCompile(`(?m)^vanguard_jobs\{state="discarded"\} \d+$`),
		regexp.MustCompile(`(?m)^vanguard_notification_deliveries\{channel="gateway",state="failed"\} \d+$`),
	} {
		if !want.MatchString(r.body) {
			t.Errorf("/metrics lacks a line matching %s:\n%s", want, r.body)
		}
	}
}

// TestRequestLogNamesUser checks that the one log line per request records
// who made it.
func TestRequestLogNamesUser(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	vol := a.login(t, "volunteer")
	r := vol.get(t, "/api/v1/me")
	var me struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(r.body), &me); err != nil || me.ID == 0 {
		t.Fatalf("GET /api/v1/me: %q, %v", r.body, err)
	}
	id := r.Header.Get("X-Request-Id")
	a.stop() // the log line is written after the response
	line := ""
	for _, l := range strings.Split(a.logs.String(), "\n") {
		if strings.Contains(l, "request_id="+id) {
			line = l
		}
	}
	if want := " user_id=" + strconv.FormatInt(me.ID, 10); !strings.Contains(line, want) {
		t.Errorf("request log line %q lacks %q", line, want)
	}
}
