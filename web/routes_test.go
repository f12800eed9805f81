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
	// committeeOnly are the committee's own desks.
	committeeOnly = roleAnswers(ok, no, no, no, no, login)
)

// routeCases is every route of the platform with the answer each role gets.
// A route registered in routes.go without a row here fails the test, and so
// does a row for a route that no longer exists.
var routeCases = []routeCase{
	// columns:                                                 committee org  leader volunteer site  public
	{pattern: "GET /login", path: "/login", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /login", path: "/login", form: url.Values{"username": {""}, "password": {""}},
		answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	// The code page without a pending sign-in goes back to /login (or home
	// when signed in); a code without one is refused on the login form.
	{pattern: "GET /login/totp", path: "/login/totp", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /login/totp", path: "/login/totp", form: url.Values{"code": {"123456"}},
		answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /lang/{lang}", path: "/lang/zh-CN", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /healthz", path: "/healthz", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /readyz", path: "/readyz", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /metrics", path: "/metrics", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /static/", path: static.URL("app.css"), answers: roleAnswers(ok, ok, ok, ok, ok, ok)},

	// The public pages: everyone, signed in or not. An empty order form
	// answers 422, a made-up code 404, a cancel without a code 404, a made-up
	// order number 404.
	{pattern: "GET /menu", path: "/menu?q=x", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /menu/{id}", path: "/menu/999999", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /order", path: "/order?item=999999", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /order", path: "/order", form: url.Values{}, answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /track", path: "/track?code=abcd", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /track/cancel", path: "/track/cancel", form: url.Values{"code": {""}},
		answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /track/find", path: "/track/find", form: url.Values{"number": {"999999"}, "phone4": {"0000"}},
		answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	// Without a gateway no code is sent: 409.
	{pattern: "POST /track/code", path: "/track/code", form: url.Values{"number": {"999999"}, "phone": {"13900000000"}},
		answers: roleAnswers(ok, ok, ok, ok, ok, ok)},

	{pattern: "GET /{$}", path: "/", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /logout", path: "/logout", form: url.Values{}, endsSession: true,
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /account/password", path: "/account/password", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /account/password", path: "/account/password",
		form:    url.Values{"current": {"not-the-password"}, "new": {"short"}, "confirm": {"other"}},
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	// Two-factor sign-in of one's own account: a confirm without a started
	// enrolment is a conflict, after a start a wrong code is 422.
	{pattern: "GET /account/totp", path: "/account/totp", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /account/totp/start", path: "/account/totp/start", form: url.Values{},
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /account/totp/confirm", path: "/account/totp/confirm", form: url.Values{"code": {"12"}},
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /api/v1/me", path: "/api/v1/me", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	// One's own API tokens: an empty name answers 422, a made-up id 404.
	{pattern: "GET /account/tokens", path: "/account/tokens", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /account/tokens", path: "/account/tokens", form: url.Values{"name": {""}},
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /account/tokens/{id}/revoke", path: "/account/tokens/999999/revoke", form: url.Values{},
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},

	// The registry. Object routes use an id that does not exist: the handler
	// runs (404) when the policy allows the route.
	{pattern: "GET /overview", path: "/overview", answers: registry},
	{pattern: "GET /orgs", path: "/orgs", answers: registry},
	{pattern: "POST /orgs", path: "/orgs", form: url.Values{"name": {""}}, answers: registry},
	{pattern: "POST /orgs/rename", path: "/orgs/rename", form: url.Values{"org_id": {"999999"}, "name": {"x"}}, answers: registry},
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
	{pattern: "POST /people/{id}/id-check", path: "/people/999999/id-check", form: url.Values{"id_card": {"11010519491231002X"}}, answers: registry},
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
	{pattern: "GET /desk", path: "/desk", answers: committeeOnly},
	{pattern: "GET /desk/orders/{id}", path: "/desk/orders/999999", answers: committeeOnly},
	{pattern: "POST /desk/orders/{id}", path: "/desk/orders/999999", form: url.Values{}, answers: committeeOnly},
	{pattern: "GET /desk/plan", path: "/desk/plan", answers: committeeOnly},
	{pattern: "POST /desk/plan", path: "/desk/plan", form: url.Values{"fingerprint": {"x"}}, answers: committeeOnly},
	{pattern: "GET /inbox", path: "/inbox", answers: roleAnswers(ok, no, ok, no, no, login)},
	{pattern: "POST /inbox/{order}/{team}/confirm", path: "/inbox/999999/999999/confirm", form: url.Values{},
		answers: roleAnswers(ok, no, ok, no, no, login)},
	{pattern: "POST /inbox/{order}/{team}/decline", path: "/inbox/999999/999999/decline", form: url.Values{"reason": {""}},
		answers: roleAnswers(ok, no, ok, no, no, login)},
	{pattern: "GET /me", path: "/me", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /me", path: "/me", form: url.Values{"skills": {""}}, answers: roleAnswers(ok, ok, ok, ok, ok, login)},

	// Activities: @activities
	// Every signed-in user reads the calendar and an activity's page (a
	// made-up id answers 404); the committee, org admins and team leaders
	// organise; only volunteers sign up and cancel their own place.
	{pattern: "GET /activities", path: "/activities?past=1&mode=open", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /activities/new", path: "/activities/new", answers: teamRoles},
	{pattern: "POST /activities", path: "/activities", form: url.Values{}, answers: teamRoles},
	{pattern: "GET /activities/{id}", path: "/activities/999999", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /activities/{id}/edit", path: "/activities/999999/edit", answers: teamRoles},
	{pattern: "POST /activities/{id}", path: "/activities/999999", form: url.Values{}, answers: teamRoles},
	{pattern: "POST /activities/{id}/signup", path: "/activities/999999/signup", form: url.Values{},
		answers: roleAnswers(no, no, no, ok, no, login)},
	{pattern: "POST /activities/{id}/cancel", path: "/activities/999999/cancel", form: url.Values{},
		answers: roleAnswers(no, no, no, ok, no, login)},
	{pattern: "POST /activities/{id}/requests/{sid}/approve", path: "/activities/999999/requests/999999/approve",
		form: url.Values{}, answers: teamRoles},
	{pattern: "POST /activities/{id}/requests/{sid}/reject", path: "/activities/999999/requests/999999/reject",
		form: url.Values{}, answers: teamRoles},
	{pattern: "POST /activities/{id}/complete", path: "/activities/999999/complete", form: url.Values{}, answers: teamRoles},
	{pattern: "POST /activities/{id}/cancel-activity", path: "/activities/999999/cancel-activity",
		form: url.Values{"reason": {"天气原因"}}, answers: teamRoles},
	// Confirming one's own place (出席确认): any account with a role reaches
	// it; the service finds only the caller's own sign-up (a made-up
	// activity, or none of one's own: 404).
	{pattern: "GET /activities/{id}/attend-confirm", path: "/activities/999999/attend-confirm",
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /activities/{id}/attend-confirm", path: "/activities/999999/attend-confirm",
		form: url.Values{"answer": {"yes"}}, answers: roleAnswers(ok, ok, ok, ok, ok, login)},

	// On site and my service: @checkin
	// The QR code, attendance by hand and the paper sheet for organisers
	// (a made-up activity: 404); check-in by code for volunteers (a made-up
	// code: 422); my service for every signed-in user.
	{pattern: "GET /activities/{id}/onsite", path: "/activities/999999/onsite?kind=out", answers: teamRoles},
	{pattern: "GET /activities/{id}/qr.svg", path: "/activities/999999/qr.svg?kind=in", answers: teamRoles},
	{pattern: "POST /activities/{id}/attendance", path: "/activities/999999/attendance",
		form: url.Values{"person": {"999999"}, "kind": {"in"}}, answers: teamRoles},
	{pattern: "POST /activities/{id}/attendance/pair", path: "/activities/999999/attendance/pair",
		form:    url.Values{"person": {"999999"}, "date": {"2026-05-01"}, "check_in": {"08:00"}, "check_out": {"10:00"}},
		answers: teamRoles},
	{pattern: "GET /activities/{id}/sheet", path: "/activities/999999/sheet", answers: teamRoles},
	{pattern: "GET /checkin", path: "/checkin?t=1.in.1.x", answers: roleAnswers(no, no, no, ok, no, login)},
	{pattern: "POST /checkin", path: "/checkin", form: url.Values{"t": {"1.in.1.x"}}, answers: roleAnswers(no, no, no, ok, no, login)},
	{pattern: "GET /me/service", path: "/me/service", answers: roleAnswers(ok, ok, ok, ok, ok, login)},

	// The personal-data lifecycle: @privacy
	// Every user holding a role may open their own data (a user with no
	// person on file sees a page saying so; the download of such a user is
	// 404); erasure (a made-up person: 404) and retention are the
	// committee's.
	{pattern: "GET /me/data", path: "/me/data", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /people/{id}/erase", path: "/people/999999/erase", answers: committeeOnly},
	{pattern: "POST /people/{id}/erase", path: "/people/999999/erase", form: url.Values{"reason": {"x"}}, answers: committeeOnly},
	{pattern: "GET /admin/privacy", path: "/admin/privacy", answers: committeeOnly},
	{pattern: "POST /admin/privacy", path: "/admin/privacy", form: url.Values{"months": {"x"}}, answers: committeeOnly},

	// Calendar feeds: @calendar
	// A feed is read by its secret address alone (a made-up one is 404 for
	// everyone); anyone signed in makes their own (404 without a volunteer
	// record); a team's feed is for those who manage the team.
	{pattern: "GET /cal/{file}", path: "/cal/abcdefghijklmnopqrstuvwxyz234567.ics", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /me/calendar", path: "/me/calendar", form: url.Values{}, answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /me/calendar/revoke", path: "/me/calendar/revoke", form: url.Values{}, answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /teams/{id}/calendar", path: "/teams/999999/calendar", form: url.Values{}, answers: teamRoles},
	{pattern: "POST /teams/{id}/calendar/revoke", path: "/teams/999999/calendar/revoke", form: url.Values{}, answers: teamRoles},

	// Evaluation and complaints: @evaluation
	// The requester evaluates by code with no account (a made-up code: 404;
	// an empty form: 404 too, as it names no order); evaluations for the
	// committee, org admins and team leaders in their scope; complaints for
	// the committee.
	{pattern: "GET /evaluate", path: "/evaluate?code=abcd", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /evaluate", path: "/evaluate", form: url.Values{"code": {""}, "rating": {"5"}},
		answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /evaluations", path: "/evaluations?rating=5&complaint=none", answers: teamRoles},
	{pattern: "GET /admin/complaints", path: "/admin/complaints?state=open", answers: committeeOnly},
	{pattern: "POST /admin/complaints/{id}/answer", path: "/admin/complaints/999999/answer", form: url.Values{"answer": {"x"}},
		answers: committeeOnly},

	// Outcomes and metrics: @outcomes
	// Organisers (committee, org admins, leaders) record outcomes and photos
	// (a made-up activity: 404); every signed-in user may ask for a photo,
	// the service deciding who sees it; the committee keeps the metrics.
	{pattern: "GET /activities/{id}/outcome", path: "/activities/999999/outcome", answers: teamRoles},
	{pattern: "POST /activities/{id}/outcome", path: "/activities/999999/outcome",
		form: url.Values{"beneficiaries": {"10"}}, answers: teamRoles},
	{pattern: "POST /activities/{id}/photos", path: "/activities/999999/photos", form: url.Values{}, answers: teamRoles},
	{pattern: "GET /activities/{id}/photos/{pid}", path: "/activities/999999/photos/999999",
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /activities/{id}/photos/{pid}/delete", path: "/activities/999999/photos/999999/delete",
		form: url.Values{}, answers: teamRoles},
	{pattern: "GET /admin/metrics", path: "/admin/metrics", answers: committeeOnly},
	{pattern: "POST /admin/metrics", path: "/admin/metrics", form: url.Values{"code": {""}}, answers: committeeOnly},
	{pattern: "POST /admin/metrics/{id}", path: "/admin/metrics/999999", form: url.Values{"name_zh": {"x"}},
		answers: committeeOnly},
	{pattern: "POST /admin/metrics/{id}/retire", path: "/admin/metrics/999999/retire", form: url.Values{},
		answers: committeeOnly},
	{pattern: "POST /admin/metrics/{id}/restore", path: "/admin/metrics/999999/restore", form: url.Values{},
		answers: committeeOnly},

	// Campaigns and brand projects: @campaigns
	// The committee, org admins and leaders read campaigns; only the
	// committee runs them. Projects: each in their scope.
	{pattern: "GET /campaigns", path: "/campaigns", answers: teamRoles},
	{pattern: "GET /campaigns/new", path: "/campaigns/new", answers: committeeOnly},
	{pattern: "POST /campaigns", path: "/campaigns", form: url.Values{"name": {""}}, answers: committeeOnly},
	{pattern: "GET /campaigns/{id}", path: "/campaigns/999999", answers: teamRoles},
	{pattern: "GET /campaigns/{id}/edit", path: "/campaigns/999999/edit", answers: committeeOnly},
	{pattern: "POST /campaigns/{id}", path: "/campaigns/999999", form: url.Values{"name": {"x"}}, answers: committeeOnly},
	{pattern: "POST /campaigns/{id}/batches", path: "/campaigns/999999/batches", form: url.Values{}, answers: committeeOnly},
	{pattern: "POST /campaigns/{id}/activities", path: "/campaigns/999999/activities",
		form: url.Values{"batch": {"999999"}, "activity": {"999999"}}, answers: committeeOnly},
	{pattern: "GET /projects", path: "/projects", answers: teamRoles},
	{pattern: "GET /projects/new", path: "/projects/new", answers: teamRoles},
	{pattern: "POST /projects", path: "/projects", form: url.Values{"name": {""}}, answers: teamRoles},
	{pattern: "GET /projects/{id}", path: "/projects/999999", answers: teamRoles},
	{pattern: "GET /projects/{id}/edit", path: "/projects/999999/edit", answers: teamRoles},
	{pattern: "POST /projects/{id}", path: "/projects/999999", form: url.Values{"name": {"x"}}, answers: teamRoles},
	{pattern: "POST /projects/{id}/activities", path: "/projects/999999/activities",
		form: url.Values{"activity": {"999999"}}, answers: teamRoles},
	// The annual report: @annual
	// The committee and org admins, each within their scope.
	{pattern: "GET /reports/annual", path: "/reports/annual?year=2026", answers: registry},
	{pattern: "GET /reports/annual.xlsx", path: "/reports/annual.xlsx?year=2026", answers: registry},

	// Assessment points (党建考核加分): the committee and org admins read
	// scores (org admins their own subtree's); only the committee keeps
	// rules, recomputes and adjusts. Harmless input: an invalid level or
	// an empty form answers 422, an unknown org or adjustment 404.
	{pattern: "GET /assessment", path: "/assessment?year=2026", answers: registry},
	{pattern: "GET /assessment.xlsx", path: "/assessment.xlsx?year=2026", answers: registry},
	{pattern: "POST /assessment/recompute", path: "/assessment/recompute", form: url.Values{"year": {"2026"}, "level": {"0"}},
		answers: committeeOnly},
	{pattern: "GET /assessment/orgs/{id}", path: "/assessment/orgs/999999?year=2026", answers: registry},
	{pattern: "GET /assessment/orgs/{id}/records", path: "/assessment/orgs/999999/records?year=2026&rule=own_activity",
		answers: registry},
	{pattern: "GET /assessment/rules", path: "/assessment/rules", answers: committeeOnly},
	{pattern: "POST /assessment/rules", path: "/assessment/rules", form: url.Values{"effective_on": {""}}, answers: committeeOnly},
	{pattern: "POST /assessment/rules/preview", path: "/assessment/rules/preview", form: url.Values{"effective_on": {""}},
		answers: committeeOnly},
	{pattern: "GET /assessment/adjustments", path: "/assessment/adjustments", answers: committeeOnly},
	{pattern: "POST /assessment/adjustments", path: "/assessment/adjustments", form: url.Values{"reason": {""}},
		answers: committeeOnly},
	{pattern: "POST /assessment/adjustments/{id}/decide", path: "/assessment/adjustments/999999/decide",
		form: url.Values{"decision": {"approve"}}, answers: committeeOnly},

	// Service records, certificates, /verify: @records
	// Records for the committee, org admins, team leaders and volunteers
	// (their own: /records/me; another's record answers 404 here as the id
	// does not exist); corrections asked for by staff and leaders, decided
	// by the committee and org admins; awards by those who keep the
	// registry; certificates issued by the committee and org admins, listed
	// and shown to readers of records; /verify for everyone (a made-up
	// number: 404).
	{pattern: "GET /records/me", path: "/records/me", answers: roleAnswers(ok, ok, ok, ok, no, login)},
	{pattern: "GET /records/corrections", path: "/records/corrections", answers: teamRoles},
	{pattern: "POST /records/corrections/{id}/approve", path: "/records/corrections/999999/approve", form: url.Values{},
		answers: registry},
	{pattern: "POST /records/corrections/{id}/reject", path: "/records/corrections/999999/reject", form: url.Values{"note": {"x"}},
		answers: registry},
	{pattern: "GET /records/{id}", path: "/records/999999", answers: roleAnswers(ok, ok, ok, ok, no, login)},
	{pattern: "POST /records/{id}/awards", path: "/records/999999/awards", form: url.Values{"title": {""}}, answers: registry},
	{pattern: "GET /records/{id}/activities/{activity}", path: "/records/999999/activities/999999",
		answers: roleAnswers(ok, ok, ok, ok, no, login)},
	{pattern: "POST /records/{id}/activities/{activity}/corrections", path: "/records/999999/activities/999999/corrections",
		form: url.Values{"hours": {"1"}, "reason": {"x"}}, answers: teamRoles},
	{pattern: "GET /certificates", path: "/certificates?page=2", answers: roleAnswers(ok, ok, ok, ok, no, login)},
	{pattern: "GET /certificates/new", path: "/certificates/new?person=999999", answers: registry},
	// Applications: a volunteer applies from /records/me (staff without a
	// person get a conflict, the handler ran); the person's org admins list
	// and decline them.
	{pattern: "GET /certificates/requests", path: "/certificates/requests", answers: registry},
	{pattern: "POST /certificates/requests/{id}/decline", path: "/certificates/requests/999999/decline",
		form: url.Values{"reason": {"x"}}, answers: registry},
	{pattern: "POST /records/me/certificate-requests", path: "/records/me/certificate-requests",
		form: url.Values{"kind": {"period"}, "purpose": {""}}, answers: roleAnswers(ok, ok, ok, ok, no, login)},
	{pattern: "POST /certificates", path: "/certificates", form: url.Values{"person": {"999999"}}, answers: registry},
	{pattern: "GET /certificates/{id}", path: "/certificates/999999", answers: roleAnswers(ok, ok, ok, ok, no, login)},
	{pattern: "POST /certificates/{id}/revoke", path: "/certificates/999999/revoke", form: url.Values{"reason": {"x"}},
		answers: registry},
	{pattern: "GET /verify", path: "/verify?number=VG-2026-000001-ABCDEF", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},

	// Orders and the suggestion box, for staff: the work list for the
	// committee, org admins and site contacts; review, entry and the full
	// phone for the committee and org admins; the box for the committee. The
	// public writes suggestions and reads replies by code.
	{pattern: "GET /orders", path: "/orders?state=submitted", answers: roleAnswers(ok, ok, no, no, ok, login)},
	{pattern: "GET /orders/new", path: "/orders/new", answers: roleAnswers(ok, ok, no, no, no, login)},
	{pattern: "POST /orders", path: "/orders", form: url.Values{"channel": {""}}, answers: roleAnswers(ok, ok, no, no, no, login)},
	{pattern: "GET /orders/{id}", path: "/orders/999999", answers: roleAnswers(ok, ok, ok, no, ok, login)},
	{pattern: "POST /orders/{id}/accept", path: "/orders/999999/accept", form: url.Values{},
		answers: roleAnswers(ok, ok, no, no, no, login)},
	{pattern: "POST /orders/{id}/reject", path: "/orders/999999/reject", form: url.Values{"reason": {"x"}},
		answers: roleAnswers(ok, ok, no, no, no, login)},
	{pattern: "POST /orders/{id}/reveal", path: "/orders/999999/reveal", form: url.Values{},
		answers: roleAnswers(ok, ok, no, no, no, login)},
	{pattern: "GET /suggest", path: "/suggest", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /suggest", path: "/suggest", form: url.Values{"body": {""}}, answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /suggest/status", path: "/suggest/status?code=x", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /admin/suggestions", path: "/admin/suggestions?state=open", answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "GET /admin/suggestions/{id}", path: "/admin/suggestions/999999", answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "POST /admin/suggestions/{id}/reply", path: "/admin/suggestions/999999/reply", form: url.Values{"reply": {"x"}},
		answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "POST /admin/suggestions/{id}/close", path: "/admin/suggestions/999999/close", form: url.Values{},
		answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "POST /admin/suggestions/{id}/order", path: "/admin/suggestions/999999/order", form: url.Values{},
		answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "POST /admin/suggestions/{id}/reveal", path: "/admin/suggestions/999999/reveal", form: url.Values{},
		answers: roleAnswers(ok, no, no, no, no, login)},

	// The menu, categories and the supply–demand view, for staff: the menu
	// for the committee, org admins and team leaders (each within their
	// scope); categories and the supply view for the committee.
	{pattern: "GET /admin/menu", path: "/admin/menu?category=1&active=active", answers: teamRoles},
	{pattern: "GET /admin/menu/new", path: "/admin/menu/new", answers: teamRoles},
	{pattern: "POST /admin/menu", path: "/admin/menu", form: url.Values{"title": {""}}, answers: teamRoles},
	{pattern: "GET /admin/menu/{id}/edit", path: "/admin/menu/999999/edit", answers: teamRoles},
	{pattern: "POST /admin/menu/{id}", path: "/admin/menu/999999", form: url.Values{"title": {""}}, answers: teamRoles},
	{pattern: "POST /admin/menu/{id}/toggle", path: "/admin/menu/999999/toggle", form: url.Values{"active": {"0"}}, answers: teamRoles},
	{pattern: "GET /admin/categories", path: "/admin/categories", answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "POST /admin/categories", path: "/admin/categories", form: url.Values{"code": {""}},
		answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "POST /admin/categories/{id}", path: "/admin/categories/999999", form: url.Values{"name_zh": {""}},
		answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "POST /admin/categories/{id}/retire", path: "/admin/categories/999999/retire", form: url.Values{},
		answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "POST /admin/categories/{id}/restore", path: "/admin/categories/999999/restore", form: url.Values{},
		answers: roleAnswers(ok, no, no, no, no, login)},
	{pattern: "GET /admin/supply", path: "/admin/supply?from=2026-01-01&to=2026-12-31", answers: roleAnswers(ok, no, no, no, no, login)},
	// Statistics (issue 14): committee, org admins and team leaders, each within their scope.
	{pattern: "GET /stats", path: "/stats", answers: teamRoles},
	{pattern: "GET /stats/records", path: "/stats/records?fig=person_times", answers: teamRoles},
	{pattern: "GET /stats.xlsx", path: "/stats.xlsx", answers: teamRoles},

	// Ledgers: @ledgers
	// The committee, org admins and leaders open ledgers in their scope (a
	// made-up id: 404; scope per object in ledgers_test.go); the order
	// register is the committee's.
	{pattern: "GET /ledgers", path: "/ledgers", answers: teamRoles},
	{pattern: "GET /ledgers/teams/{id}", path: "/ledgers/teams/999999?year=2026", answers: teamRoles},
	{pattern: "GET /ledgers/teams/{id}/ledger.xlsx", path: "/ledgers/teams/999999/ledger.xlsx?year=2026", answers: teamRoles},
	{pattern: "GET /ledgers/orgs/{id}", path: "/ledgers/orgs/999999?year=2026", answers: teamRoles},
	{pattern: "GET /ledgers/orgs/{id}/ledger.xlsx", path: "/ledgers/orgs/999999/ledger.xlsx?year=2026", answers: teamRoles},
	{pattern: "GET /ledgers/orders", path: "/ledgers/orders?year=2026", answers: committeeOnly},
	{pattern: "GET /ledgers/orders.xlsx", path: "/ledgers/orders.xlsx?from=2026-01-01&to=2026-01-31", answers: committeeOnly},

	// Self-registration: @register
	// The form is public (a signed-in user is sent to their status; an
	// empty form answers 422); the status page is every account's own; the
	// committee, org admins and team leaders decide registrations in their
	// scope (a made-up id: 404).
	{pattern: "GET /register", path: "/register", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /register", path: "/register", form: url.Values{"name": {""}}, answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /register/code", path: "/register/code", form: url.Values{"phone": {""}}, answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /register/status", path: "/register/status", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /registrations", path: "/registrations?state=pending", answers: teamRoles},
	{pattern: "POST /registrations/{id}/approve", path: "/registrations/999999/approve", form: url.Values{}, answers: teamRoles},
	{pattern: "POST /registrations/{id}/reject", path: "/registrations/999999/reject", form: url.Values{"reason": {"x"}},
		answers: teamRoles},

	{pattern: "GET /admin", path: "/admin", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /admin/audit", path: "/admin/audit", answers: roleAnswers(ok, no, no, no, no, login)},

	// Accounts: @accounts
	// The committee manages every account, org admins those in their
	// subtree (the service checks each account: a made-up id answers 404);
	// nobody else. An empty bulk form answers 422.
	{pattern: "GET /admin/users", path: "/admin/users?q=x&role=volunteer&state=active", answers: registry},
	{pattern: "POST /admin/users", path: "/admin/users", form: url.Values{"username": {""}}, answers: registry},
	{pattern: "GET /admin/users/{id}", path: "/admin/users/999999", answers: registry},
	{pattern: "POST /admin/users/{id}/disable", path: "/admin/users/999999/disable", form: url.Values{}, answers: registry},
	{pattern: "POST /admin/users/{id}/enable", path: "/admin/users/999999/enable", form: url.Values{}, answers: registry},
	{pattern: "POST /admin/users/{id}/unlock", path: "/admin/users/999999/unlock", form: url.Values{}, answers: registry},
	{pattern: "POST /admin/users/{id}/reset", path: "/admin/users/999999/reset", form: url.Values{}, answers: registry},
	{pattern: "POST /admin/users/{id}/role", path: "/admin/users/999999/role", form: url.Values{"role": {"volunteer"}},
		answers: registry},
	{pattern: "POST /people/{id}/account", path: "/people/999999/account", form: url.Values{}, answers: registry},
	{pattern: "POST /people/{id}/link", path: "/people/999999/link", form: url.Values{"username": {"x"}}, answers: registry},
	{pattern: "POST /people/{id}/unlink", path: "/people/999999/unlink", form: url.Values{}, answers: registry},
	{pattern: "POST /people/accounts", path: "/people/accounts", form: url.Values{"mode": {"selected"}}, answers: registry},
	// A lost device is reset by a committee admin; the committee's security
	// settings (an empty form leaves two-factor not required).
	{pattern: "POST /admin/users/{id}/totp/reset", path: "/admin/users/999999/totp/reset", form: url.Values{},
		answers: committeeOnly},
	{pattern: "GET /admin/security", path: "/admin/security", answers: committeeOnly},
	{pattern: "POST /admin/security", path: "/admin/security", form: url.Values{}, answers: committeeOnly},

	// Notifications: @notifyui
	// Every signed-in user has the list, opens their own notices (a made-up
	// id: 404), marks all read, chooses channels and sets their email (a
	// user with no person on file: 404). The job queue is the committee's
	// (a made-up job: 404).
	{pattern: "GET /notifications", path: "/notifications?before=999999", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /notifications/{id}/open", path: "/notifications/999999/open", form: url.Values{},
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /notifications/read", path: "/notifications/read", form: url.Values{},
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /account/notifications", path: "/account/notifications", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /account/notifications", path: "/account/notifications",
		form: url.Values{"dispatched:inapp": {"1"}}, answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /me/email", path: "/me/email", form: url.Values{"email": {"not-an-address"}},
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /admin/jobs", path: "/admin/jobs", answers: committeeOnly},
	{pattern: "POST /admin/jobs/{id}/retry", path: "/admin/jobs/999999/retry", form: url.Values{}, answers: committeeOnly},
	{pattern: "POST /admin/jobs/{id}/cancel", path: "/admin/jobs/999999/cancel", form: url.Values{}, answers: committeeOnly},
	// The JSON API: @api
	// Writes here post a form, which the API refuses with 422 (it takes
	// JSON) after the policy has answered.
	{pattern: "GET /api/v1/openapi.json", path: "/api/v1/openapi.json", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /api/v1/menu", path: "/api/v1/menu?limit=5", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "POST /api/v1/orders", path: "/api/v1/orders", form: url.Values{}, answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /api/v1/orders", path: "/api/v1/orders?limit=5", answers: roleAnswers(ok, ok, no, no, ok, login)},
	{pattern: "POST /api/v1/orders/{id}/accept", path: "/api/v1/orders/999999/accept", form: url.Values{}, answers: registry},
	{pattern: "POST /api/v1/orders/{id}/reject", path: "/api/v1/orders/999999/reject", form: url.Values{}, answers: registry},
	{pattern: "GET /api/v1/inbox", path: "/api/v1/inbox", answers: roleAnswers(ok, no, ok, no, no, login)},
	{pattern: "POST /api/v1/inbox/{order}/{team}/confirm", path: "/api/v1/inbox/999999/999999/confirm", form: url.Values{},
		answers: roleAnswers(ok, no, ok, no, no, login)},
	{pattern: "POST /api/v1/inbox/{order}/{team}/decline", path: "/api/v1/inbox/999999/999999/decline", form: url.Values{},
		answers: roleAnswers(ok, no, ok, no, no, login)},
	{pattern: "GET /api/v1/activities", path: "/api/v1/activities?limit=5", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /api/v1/activities/{id}/attendance", path: "/api/v1/activities/999999/attendance", answers: teamRoles},
	{pattern: "POST /api/v1/activities/{id}/attendance", path: "/api/v1/activities/999999/attendance", form: url.Values{},
		answers: teamRoles},
	{pattern: "POST /api/v1/activities/{id}/signup", path: "/api/v1/activities/999999/signup", form: url.Values{},
		answers: roleAnswers(no, no, no, ok, no, login)},
	{pattern: "POST /api/v1/activities/{id}/cancel", path: "/api/v1/activities/999999/cancel", form: url.Values{},
		answers: roleAnswers(no, no, no, ok, no, login)},
	{pattern: "POST /api/v1/checkin", path: "/api/v1/checkin", form: url.Values{}, answers: roleAnswers(no, no, no, ok, no, login)},
	{pattern: "GET /api/v1/signups", path: "/api/v1/signups", answers: roleAnswers(no, no, no, ok, no, login)},
	{pattern: "GET /api/v1/hours", path: "/api/v1/hours", answers: roleAnswers(ok, ok, ok, ok, no, login)},
	{pattern: "GET /api/v1/stats", path: "/api/v1/stats", answers: roleAnswers(ok, ok, ok, no, ok, login)},

	// Records the law asks for and points (issue 15), each part under its mark.
	// @declare
	// A volunteer asks about their own record; the team's leader and the
	// organising org's admins decide; the committee sets the flag days.
	{pattern: "GET /records/requests", path: "/records/requests", answers: roleAnswers(no, no, no, ok, no, login)},
	{pattern: "POST /records/requests", path: "/records/requests", form: url.Values{"kind": {"unscheduled"}},
		answers: roleAnswers(no, no, no, ok, no, login)},
	{pattern: "GET /records/review", path: "/records/review", answers: teamRoles},
	{pattern: "POST /records/review/approve", path: "/records/review/approve", form: url.Values{}, answers: teamRoles},
	{pattern: "POST /records/review/{id}/decline", path: "/records/review/999999/decline", form: url.Values{"note": {"x"}},
		answers: teamRoles},
	{pattern: "POST /records/review/settings", path: "/records/review/settings", form: url.Values{"days": {"30"}},
		answers: committeeOnly},

	// @rules
	// Duration rules are the committee's (a bad form: 422); flagged
	// attendance is for those who run an activity (a made-up one: 404).
	{pattern: "GET /admin/rules", path: "/admin/rules", answers: committeeOnly},
	{pattern: "POST /admin/rules", path: "/admin/rules", form: url.Values{"bands": {"x"}}, answers: committeeOnly},
	{pattern: "POST /admin/rules/apply", path: "/admin/rules/apply", form: url.Values{"rule": {"999999"}}, answers: committeeOnly},
	{pattern: "GET /activities/{id}/flags", path: "/activities/999999/flags", answers: teamRoles},
	{pattern: "POST /activities/{id}/flags/{pair}/clear", path: "/activities/999999/flags/999999/clear",
		form: url.Values{"note": {"已核实"}}, answers: teamRoles},

	// @checkin2: organisers only (a made-up activity: 404)
	{pattern: "POST /activities/{id}/checkin-geo", path: "/activities/999999/checkin-geo",
		form: url.Values{"required": {"1"}, "geo_lat": {"49.2"}, "geo_lng": {"119.7"}, "geo_radius": {"200"}}, answers: teamRoles},
	{pattern: "POST /activities/{id}/attendance/override", path: "/activities/999999/attendance/override",
		form: url.Values{"person": {"999999"}, "reason": {"手机没电"}}, answers: teamRoles},
	{pattern: "POST /activities/{id}/attendance/{att}/flag-clear", path: "/activities/999999/attendance/1/flag-clear",
		form: url.Values{"note": {"已核实"}}, answers: teamRoles},

	// @certs2
	// Accepting an application, the register and its xlsx for the issuers;
	// the notice of issued certificates for everyone.
	{pattern: "POST /certificates/requests/{id}/accept", path: "/certificates/requests/999999/accept", form: url.Values{},
		answers: registry},
	{pattern: "GET /certificates/register", path: "/certificates/register", answers: registry},
	{pattern: "GET /certificates/register.xlsx", path: "/certificates/register.xlsx?year=2026", answers: registry},
	{pattern: "GET /notices/certificates", path: "/notices/certificates", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	{pattern: "GET /notices/{org}/certificates", path: "/notices/1/certificates", answers: roleAnswers(ok, ok, ok, ok, ok, ok)},
	// The national export for the committee and org admins; consent by the
	// volunteer (staff without a person get a conflict) and by the registry.
	{pattern: "GET /exports/national", path: "/exports/national", answers: registry},
	{pattern: "POST /me/national-consent", path: "/me/national-consent", form: url.Values{"consent": {"0"}},
		answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "POST /people/{id}/national-consent", path: "/people/999999/national-consent", form: url.Values{"consent": {"0"}},
		answers: registry},

	// @minors
	// Staff record consent, insurance and a birth date for a person in scope
	// (a made-up person: 404); every signed-in user may post their own
	// insurance (without a person on file: 409; an empty form: 422).
	{pattern: "POST /people/{id}/consent", path: "/people/999999/consent", form: url.Values{}, answers: registry},
	{pattern: "POST /people/{id}/insurance", path: "/people/999999/insurance", form: url.Values{}, answers: registry},
	{pattern: "POST /people/{id}/birth-date", path: "/people/999999/birth-date", form: url.Values{}, answers: registry},
	{pattern: "POST /me/insurance", path: "/me/insurance", form: url.Values{}, answers: roleAnswers(ok, ok, ok, ok, ok, login)},

	// @points
	// The volunteer's points page is anyone's own (a user with no person
	// on file: 409); the shop is the volunteer's; items and pickups are
	// their managers' (committee, org admin, site contact); the rate is the
	// committee's. Made-up ids: 404; empty forms: 422.
	{pattern: "GET /me/points", path: "/me/points", answers: roleAnswers(ok, ok, ok, ok, ok, login)},
	{pattern: "GET /shop", path: "/shop", answers: shopRedeem},
	{pattern: "POST /shop/items/{id}/redeem", path: "/shop/items/999999/redeem", form: url.Values{}, answers: shopRedeem},
	{pattern: "GET /shop/redemptions/{id}", path: "/shop/redemptions/999999", answers: shopRedeem},
	{pattern: "POST /shop/redemptions/{id}/cancel", path: "/shop/redemptions/999999/cancel", form: url.Values{}, answers: shopRedeem},
	{pattern: "GET /shop/manage", path: "/shop/manage", answers: shopManage},
	{pattern: "POST /shop/manage/pickup", path: "/shop/manage/pickup", form: url.Values{"code": {"AAAA2222"}}, answers: shopManage},
	{pattern: "POST /shop/manage/redemptions/{id}/cancel", path: "/shop/manage/redemptions/999999/cancel", form: url.Values{},
		answers: shopManage},
	{pattern: "GET /shop/manage/new", path: "/shop/manage/new", answers: shopManage},
	{pattern: "POST /shop/manage/items", path: "/shop/manage/items", form: url.Values{}, answers: shopManage},
	{pattern: "GET /shop/manage/items/{id}", path: "/shop/manage/items/999999", answers: shopManage},
	{pattern: "POST /shop/manage/items/{id}", path: "/shop/manage/items/999999", form: url.Values{}, answers: shopManage},
	{pattern: "GET /admin/points", path: "/admin/points", answers: committeeOnly},
	{pattern: "POST /admin/points", path: "/admin/points", form: url.Values{"rate": {"x"}}, answers: committeeOnly},
	{pattern: "GET /honours", path: "/honours", answers: roleAnswers(ok, ok, ok, no, no, login)},
	{pattern: "GET /honours.xlsx", path: "/honours.xlsx", answers: roleAnswers(ok, ok, ok, no, no, login)},
}

// The points shop's answers: redeeming is the volunteer's, managing is the
// committee's, an org admin's and a site contact's.
var (
	shopRedeem = roleAnswers(no, no, no, ok, no, login)
	shopManage = roleAnswers(ok, ok, no, no, ok, login)
)

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
