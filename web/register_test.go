package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/store"
)

// orgLabelOf returns the registration form's label for the org an admin
// account administers.
func orgLabelOf(t *testing.T, a *testApp, admin string) (label string, orgID int64) {
	t.Helper()
	ctx := context.Background()
	u, err := a.Store.UserByUsername(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	grants, _ := a.Store.Grants(ctx, u.ID)
	for _, g := range grants {
		if g.Role == domain.RoleOrgAdmin {
			orgID = g.ScopeID
		}
	}
	choices, err := a.Service.RegistrationChoices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range choices.Orgs {
		if c.ID == orgID {
			return c.Label, orgID
		}
	}
	t.Fatalf("org %d of %s is not on the registration form's list", orgID, admin)
	return "", 0
}

func registerForm(name, phone, org, username string) url.Values {
	return url.Values{"name": {name}, "phone": {phone}, "gender": {"female"}, "political_status": {"party_member"},
		"org": {org}, "username": {username}, "password": {"Grassland-2026"}, "confirm": {"Grassland-2026"},
		"consent": {"1"}}
}

func TestRegisterAndApproveThroughTheRouter(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	org, _ := orgLabelOf(t, a, "nmj-admin")
	c := a.newClient(t)

	if r := c.get(t, "/login"); !strings.Contains(r.body, `href="/register"`) {
		t.Error("the sign-in page does not link to /register")
	}
	r := c.get(t, "/register")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="register-form"`) || !strings.Contains(r.body, org) {
		t.Fatalf("GET /register: %d, form and org %q listed: %v", r.StatusCode, org, strings.Contains(r.body, org))
	}

	// Bad input: every fault under its field, what was typed kept, passwords not.
	bad := registerForm("王晓梅", "1390000", "", "wangxm")
	bad.Set("confirm", "Grassland-2027")
	r = c.postForm(t, "/register", bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d, want 422", r.StatusCode)
	}
	errs := r.fieldErrors()
	for _, f := range []string{"phone", "org", "confirm"} {
		if errs[f] == "" {
			t.Errorf("bad form: no message under %s (got %v)", f, errs)
		}
	}
	if !strings.Contains(r.body, `value="王晓梅"`) || strings.Contains(r.body, "Grassland-2026") {
		t.Error("bad form: the name typed is lost or a password is sent back")
	}
	if r.cookie(sessionCookie) != nil {
		t.Error("a refused registration signed someone in")
	}

	// A good one signs the person in and shows them their status.
	r = c.postForm(t, "/register", registerForm("王晓梅", "13912345678", org, "wangxm"))
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/register/status?new=1" || c.session() == "" {
		t.Fatalf("POST /register: %d to %q, session %v; want 303 to the status page, signed in", r.StatusCode,
			r.Header.Get("Location"), c.session() != "")
	}
	r = c.get(t, "/register/status?new=1")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "等待") || !strings.Contains(r.body, "139****5678") {
		t.Errorf("status page: %d, waiting shown %v", r.StatusCode, strings.Contains(r.body, "等待"))
	}
	if m := fullNumber.FindStringSubmatch(r.body); m != nil {
		t.Errorf("the status page shows a full number %q", m[1])
	}
	// Until approved: public pages and one's own, nothing else.
	for path, want := range map[string]int{"/": 200, "/menu": 200, "/me": 200, "/activities": 403, "/registrations": 403} {
		if got := c.get(t, path).StatusCode; got != want {
			t.Errorf("a pending account on %s: %d, want %d", path, got, want)
		}
	}
	if r := c.get(t, "/"); !strings.Contains(r.body, `href="/register/status"`) {
		t.Error("a pending account's pages do not link to its registration status")
	}
	if r := c.get(t, "/register"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/register/status" {
		t.Errorf("GET /register signed in: %d to %q, want the status page", r.StatusCode, r.Header.Get("Location"))
	}

	// The org admin sees it (phone masked) and approves it.
	admin := a.login(t, "nmj-admin")
	r = admin.get(t, "/registrations")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "王晓梅") || !strings.Contains(r.body, "139****5678") {
		t.Fatalf("the org admin's list: %d, applicant shown %v", r.StatusCode, strings.Contains(r.body, "王晓梅"))
	}
	if m := fullNumber.FindStringSubmatch(r.body); m != nil {
		t.Errorf("/registrations shows a full number %q", m[1])
	}
	reg, err := a.Store.RegistrationByUser(context.Background(), mustUserID(t, a, "wangxm"))
	if err != nil {
		t.Fatal(err)
	}
	// Another org's admin... the demo's second org admin is not at hand, so
	// a team leader of another team stands in: refused.
	if r := a.login(t, "nmj-leader").postForm(t, "/registrations/"+itoa(reg.ID)+"/approve", url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a leader of a team not asked approves: %d, want 403", r.StatusCode)
	}
	r = admin.postForm(t, "/registrations/"+itoa(reg.ID)+"/approve", url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", r.StatusCode, r.notice())
	}
	r = admin.postForm(t, "/registrations/"+itoa(reg.ID)+"/approve", url.Values{})
	if r.StatusCode != http.StatusConflict || r.notice() == "" {
		t.Errorf("approve twice: %d %q, want 409 with a message", r.StatusCode, r.notice())
	}

	// The person is now a volunteer with a record.
	if r := c.get(t, "/register/status"); !strings.Contains(r.body, "已通过") {
		t.Error("the status page does not say approved")
	}
	for _, path := range []string{"/activities", "/me/service"} {
		if got := c.get(t, path).StatusCode; got != http.StatusOK {
			t.Errorf("an approved volunteer on %s: %d, want 200", path, got)
		}
	}
	if r := c.get(t, "/me"); !strings.Contains(r.body, "王晓梅") || strings.Contains(r.body, "还没有关联") {
		t.Error("/me does not show the linked person")
	}
}

func TestRegistrationRejectedWithAReason(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	org, _ := orgLabelOf(t, a, "nmj-admin")
	c := a.newClient(t)
	if r := c.postForm(t, "/register", registerForm("刘强", "13912340000", org, "liuqiang")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d %v", r.StatusCode, r.fieldErrors())
	}
	reg, err := a.Store.RegistrationByUser(context.Background(), mustUserID(t, a, "liuqiang"))
	if err != nil {
		t.Fatal(err)
	}
	admin := a.login(t, "nmj-admin")
	path := "/registrations/" + itoa(reg.ID) + "/reject"
	r := admin.postForm(t, path, url.Values{"reason": {""}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["reason"] == "" {
		t.Errorf("reject without a reason: %d, errors %v; want 422 with a message", r.StatusCode, r.fieldErrors())
	}
	r = admin.postForm(t, path, url.Values{"reason": {"本单位没有这名党员，请核对所在党组织"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d %s", r.StatusCode, r.notice())
	}
	r = c.get(t, "/register/status")
	if !strings.Contains(r.body, "本单位没有这名党员，请核对所在党组织") || !strings.Contains(r.body, "已驳回") {
		t.Error("the applicant does not read the rejection and its reason")
	}
	if got := c.get(t, "/activities").StatusCode; got != http.StatusForbidden {
		t.Errorf("a rejected account on /activities: %d, want 403", got)
	}
}

// TestRegisterAnswersAlikeOnAndOffTheRoster: whether the phone is on a
// roster, the applicant gets the same redirect and the same status page.
func TestRegisterAnswersAlikeOnAndOffTheRoster(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	org, _ := orgLabelOf(t, a, "nmj-admin")
	people, _, err := a.Store.ListPeople(ctx, store.PeopleFilter{Scope: domain.Scope{All: true}, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var on domain.Person
	for _, p := range people {
		if p.UserID == 0 {
			on = p
			break
		}
	}
	if on.ID == 0 {
		t.Fatal("no demo person without an account")
	}
	bodies := map[string]string{}
	for name, form := range map[string]url.Values{
		"on the roster":  registerForm(on.Name, on.Phone, org, "onroster"),
		"off the roster": registerForm(on.Name, "13700001111", org, "offroster"),
	} {
		c := a.newClient(t)
		r := c.postForm(t, "/register", form)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/register/status?new=1" {
			t.Fatalf("%s: %d to %q", name, r.StatusCode, r.Header.Get("Location"))
		}
		body := c.get(t, "/register/status").body
		bodies[name] = body[strings.Index(body, `id="status-text"`):strings.Index(body, "<dl")]
	}
	if bodies["on the roster"] != bodies["off the roster"] {
		t.Errorf("the status differs:\n%s\n%s", bodies["on the roster"], bodies["off the roster"])
	}
	u, _ := a.Store.UserByUsername(ctx, "onroster")
	reg, _ := a.Store.RegistrationByUser(ctx, u.ID)
	if !reg.Matched || reg.PersonID != on.ID {
		t.Errorf("the roster's person was not matched: %+v", reg)
	}
}

func mustUserID(t *testing.T, a *testApp, username string) int64 {
	t.Helper()
	u, err := a.Store.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return u.ID
}
