package web_test

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/web/static"
)

// answer is what the policy says to one role on one route.
type answer string

const (
	ok    answer = "allowed"   // the handler ran: neither 401, 403, 5xx nor a redirect to /login?next=
	no    answer = "forbidden" // 403
	login answer = "login"     // GET page: 303 to /login?next=…; POST or /api/: 401
)

// roleAnswers lists one answer per role, in the order of domain.AllRoles.
func roleAnswers(a ...answer) []answer { return a }

// routeCase is one row of the route × role table.
type routeCase struct {
	pattern string     // as registered in routes.go
	path    string     // a concrete URL for the pattern
	form    url.Values // for POST: harmless input, so only the policy's answer matters
	// endsSession marks a route after which the client is signed out; such
	// routes run after all others.
	endsSession bool
	answers     []answer
}

// Answers shared by many routes: the registry is for the committee and org
// admins; teams also for their leaders.
var (
	registry  = roleAnswers(ok, ok, no, no, no, login)
	teamRoles = roleAnswers(ok, ok, ok, no, no, login)
)

// routeCases is every route of the platform with the answer each role gets.
// A route registered in routes.go without a row here fails the test, and so
// does a row for a route that no longer exists.
var routeCases = []routeCase{
	// columns:                                                 committee org  leader volunteer site  public
	{pattern: "GET /login", path: "/login", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /login", path: "/login", form: url.Values{"username": {""}, "password": {""}},
		answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /lang/{lang}", path: "/lang/zh-CN", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /healthz", path: "/healthz", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /readyz", path: "/readyz", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /metrics", path: "/metrics", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /static/", path: static.URL("app.css"), answers: roleAnswers(ok, ok, ok, ok, ok, ok)},

	{pattern: "GET /{$}", path: "/", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /logout", path: "/logout", form: url.Values{}, endsSession: true,
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /account/password", path: "/account/password", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /account/password", path: "/account/password",
		form:    url.Values{"current": {"not-the-password"}, "new": {"short"}, "confirm": {"other"}},
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /api/v1/me", path: "/api/v1/me", answers: roleAnswers(ok, ok, ok, ok, ok, login)},

	// The registry. Object routes use an id that does not exist: the handler
	// runs (404) when the policy allows the route.
	{pattern: "GET /overview", path: "/overview", answers: registry},
	{pattern: "GET /orgs", path: "/orgs", answers: registry},
	{pattern: "POST /orgs", path: "/orgs", form: url.Values{"name": {""}}, answers: registry},
	{pattern: "GET /regions", path: "/regions", answers: registry},
	{pattern: "POST /regions", path: "/regions", form: url.Values{"name": {""}}, answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "GET /sites", path: "/sites", answers: registry},
	{pattern: "POST /sites", path: "/sites", form: url.Values{"name": {""}}, answers: registry},
	{pattern: "GET /people", path: "/people?q=x", answers: registry},
	{pattern: "GET /people/new", path: "/people/new", answers: registry},
	{pattern: "POST /people", path: "/people", form: url.Values{"name": {""}}, answers: registry},
	{pattern: "GET /people/{id}", path: "/people/999999", answers: registry},
	{pattern: "GET /people/{id}/edit", path: "/people/999999/edit", answers: registry},
	{pattern: "POST /people/{id}", path: "/people/999999", form: url.Values{"name": {""}}, answers: registry},
	{pattern: "POST /people/{id}/reveal", path: "/people/999999/reveal", form: url.Values{"field": {"phone"}}, answers: registry},
	{pattern: "POST /people/{id}/trainings", path: "/people/999999/trainings", form: url.Values{"subject": {""}}, answers: registry},
	{pattern: "GET /teams", path: "/teams", answers: teamRoles},
	{pattern: "GET /teams/new", path: "/teams/new", answers: registry},
	{pattern: "POST /teams", path: "/teams", form: url.Values{"name": {""}}, answers: registry},
	{pattern: "GET /teams/{id}", path: "/teams/999999", answers: teamRoles},
	{pattern: "GET /teams/{id}/edit", path: "/teams/999999/edit", answers: teamRoles},
	{pattern: "POST /teams/{id}", path: "/teams/999999", form: url.Values{"name": {""}}, answers: teamRoles},
	{pattern: "POST /teams/{id}/members", path: "/teams/999999/members", form: url.Values{"phone": {""}}, answers: teamRoles},
	{pattern: "POST /teams/{id}/members/{mid}/leave", path: "/teams/999999/members/999999/leave",
		form: url.Values{"left_on": {""}}, answers: teamRoles},
	// Excel: templates, imports, exports.
	{pattern: "GET /people/template.xlsx", path: "/people/template.xlsx", answers: registry},
	{pattern: "GET /people/import", path: "/people/import", answers: registry},
	{pattern: "POST /people/import", path: "/people/import", form: url.Values{}, answers: registry},
	{pattern: "GET /people/export.xlsx", path: "/people/export.xlsx?q=x", answers: registry},
	{pattern: "GET /teams/template.xlsx", path: "/teams/template.xlsx", answers: teamRoles},
	{pattern: "GET /teams/{id}/import", path: "/teams/999999/import", answers: teamRoles},
	{pattern: "POST /teams/{id}/import", path: "/teams/999999/import", form: url.Values{}, answers: teamRoles},
	{pattern: "GET /teams/{id}/roster.xlsx", path: "/teams/999999/roster.xlsx", answers: teamRoles},
	{pattern: "GET /inbox", path: "/inbox", answers: roleAnswers(ok, no, ok, no, no, login)},
	{pattern: "POST /inbox/{order}/{team}/confirm", path: "/inbox/999999/999999/confirm", form: url.Values{},
		answers: roleAnswers(ok, no, ok, no, no, login)},
	{pattern: "POST /inbox/{order}/{team}/decline", path: "/inbox/999999/999999/decline", form: url.Values{"reason": {""}},
		answers: roleAnswers(ok, no, ok, no, no, login)},
	{pattern: "GET /me", path: "/me", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /me", path: "/me", form: url.Values{"skills": {""}}, answers: roleAnswers(ok, ok, ok, ok, ok, login)},

	{pattern: "GET /admin/audit", path: "/admin/audit", answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "GET /admin/users", path: "/admin/users", answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "POST /admin/users", path: "/admin/users", form: url.Values{"username": {""}},
		answers: roleAnswers(ok, no, no, no, no, login)},
}

// TestRouteRoles walks every registered route as every role, signed in
// through the real login form, and checks the policy's answer.
func TestRouteRoles(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		checkRouteTableComplete(t, a)

		cases := append([]routeCase(nil), routeCases...)
		sort.SliceStable(cases, func(i, j int) bool { return !cases[i].endsSession && cases[j].endsSession })
		for i, role := range domain.AllRoles {
			t.Run(string(role), func(t *testing.T) {
				var c *client
				if role == domain.RolePublic {
					c = a.newClient(t)
				} else {
					user, found := demoUsers[role]
					if !found {
						t.Fatalf("role %s has no demo user in demoUsers", role)
					}
					c = a.login(t, user)
				}
				for _, rc := range cases {
					if len(rc.answers) != len(domain.AllRoles) {
						t.Fatalf("%s: %d answers, want one per role in domain.AllRoles (%d)",
							rc.pattern, len(rc.answers), len(domain.AllRoles))
					}
					checkAnswer(t, c, rc, rc.answers[i])
				}
			})
		}
	})
}

// checkRouteTableComplete fails when the router and the table disagree.
func checkRouteTableComplete(t *testing.T, a *testApp) {
	t.Helper()
	registered := map[string]bool{}
	for _, r := range a.Web.Routes() {
		registered[r.Pattern] = true
	}
	inTable := map[string]bool{}
	for _, rc := range routeCases {
		if inTable[rc.pattern] {
			t.Errorf("route table has two rows for %q", rc.pattern)
		}
		inTable[rc.pattern] = true
		if !registered[rc.pattern] {
			t.Errorf("route table has a row for %q, which is not a registered route", rc.pattern)
		}
	}
	for p := range registered {
		if !inTable[p] {
			t.Errorf("registered route %q has no row in the route × role table", p)
		}
	}
}

func checkAnswer(t *testing.T, c *client, rc routeCase, want answer) {
	t.Helper()
	method, _, _ := strings.Cut(rc.pattern, " ")
	var r *response
	if method == http.MethodPost {
		r = c.postForm(t, rc.path, rc.form)
	} else {
		r = c.get(t, rc.path)
	}
	loc := r.Header.Get("Location")
	// A signed-out answer sends the browser to /login?next=…; logging out
	// redirects to a bare /login, which is the handler's own success.
	toLogin := r.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/login?next=")
	switch want {
	case ok:
		if r.StatusCode == http.StatusForbidden || r.StatusCode == http.StatusUnauthorized ||
			r.StatusCode >= 500 || toLogin {
			t.Errorf("%s (%s): got %d Location %q, want allowed", rc.pattern, rc.path, r.StatusCode, loc)
		}
	case no:
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("%s (%s): got %d Location %q, want 403", rc.pattern, rc.path, r.StatusCode, loc)
		}
	case login:
		if method == http.MethodGet && !strings.HasPrefix(rc.path, "/api/") {
			wantLoc := "/login?next=" + url.QueryEscape(rc.path)
			if r.StatusCode != http.StatusSeeOther || loc != wantLoc {
				t.Errorf("%s (%s): got %d Location %q, want 303 to %q", rc.pattern, rc.path, r.StatusCode, loc, wantLoc)
			}
		} else if r.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s (%s): got %d Location %q, want 401", rc.pattern, rc.path, r.StatusCode, loc)
		}
	default:
		t.Fatalf("%s: unknown answer %q", rc.pattern, want)
	}
}
