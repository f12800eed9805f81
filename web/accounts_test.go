package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/store"
)

var (
	shownOnceRe = regexp.MustCompile(`<span class="secret" id="one-time">([^<]+)</span>`)
	scopeIDRe   = regexp.MustCompile(`#\d+`)
	slipUserRe  = regexp.MustCompile(`<dd class="mono slip-username">([^<]+)</dd>`)
	slipPassRe  = regexp.MustCompile(`<dd class="mono slip-password">([^<]+)</dd>`)
)

// accountsFixture is the demo city seen from the account pages: the ids of
// the demo accounts and of people of 市农牧业局 without an account.
type accountsFixture struct {
	a         *testApp
	users     map[string]int64
	volPerson int64   // 王芳, linked to "volunteer"
	free      []int64 // people of the org admin's unit with no account, in its teams
	team      int64   // the leader's team
}

func newAccountsFixture(t *testing.T) *accountsFixture {
	t.Helper()
	a := newTestApp(t)
	ctx := context.Background()
	f := &accountsFixture{a: a, users: map[string]int64{}}
	for _, name := range []string{"admin", "nmj-admin", "nmj-leader", "volunteer", "gacha-contact"} {
		u, err := a.Store.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		f.users[name] = u.ID
	}
	var err error
	if f.volPerson, err = a.Store.PersonIDOfUser(ctx, f.users["volunteer"]); err != nil || f.volPerson == 0 {
		t.Fatalf("the demo volunteer is linked to no person: %v", err)
	}
	leader, _ := a.Store.Grants(ctx, f.users["nmj-leader"])
	f.team = leader[0].ScopeID
	roster, err := a.Store.Roster(ctx, f.team, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range roster {
		if p, _ := a.Store.PersonByID(ctx, m.PersonID); p.UserID == 0 && len(f.free) < 3 {
			f.free = append(f.free, m.PersonID)
		}
	}
	if len(f.free) < 3 {
		t.Fatalf("the leader's team has %d people without an account, want 3", len(f.free))
	}
	return f
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// TestAccountList: scopes by name, never "#55"; org admins see only the
// accounts of their subtree and may not grant committee_admin or a scope
// outside it.
func TestAccountList(t *testing.T) {
	t.Parallel()
	f := newAccountsFixture(t)
	admin := f.a.login(t, "admin")
	r := admin.get(t, "/admin/users")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "市农牧业局党员志愿服务队") ||
		!strings.Contains(r.body, "志愿者王芳") || !strings.Contains(r.body, `id="scope"`) {
		t.Fatalf("account list: %d\n%s", r.StatusCode, r.body)
	}
	table := r.body[strings.Index(r.body, `id="users-table"`):]
	if m := scopeIDRe.FindString(table); m != "" {
		t.Errorf("the account list shows a scope as a number %q", m)
	}
	if r := admin.get(t, "/admin/users?role=team_leader"); strings.Contains(r.body, ">volunteer<") || !strings.Contains(r.body, ">nmj-leader<") {
		t.Errorf("filter by role: the list is wrong")
	}
	if r := admin.get(t, "/admin/users?state=disabled"); !strings.Contains(r.body, "accounts.empty") && strings.Contains(r.body, ">nmj-leader<") {
		t.Errorf("filter by state shows active accounts")
	}

	org := f.a.login(t, "nmj-admin")
	r = org.get(t, "/admin/users")
	for _, name := range []string{"nmj-leader", "volunteer"} {
		if !strings.Contains(r.body, ">"+name+"<") {
			t.Errorf("org admin does not see %s, in their subtree", name)
		}
	}
	for _, name := range []string{"admin", "gacha-contact"} {
		if strings.Contains(r.body, ">"+name+"<") {
			t.Errorf("org admin sees %s, outside their subtree", name)
		}
	}
	if strings.Contains(r.body, `value="committee_admin"`) && strings.Contains(r.body[strings.Index(r.body, `id="role"`):], `value="committee_admin"`) {
		t.Errorf("org admin is offered committee_admin")
	}
	if r := org.get(t, "/admin/users/"+id(f.users["admin"])); r.StatusCode != http.StatusForbidden {
		t.Errorf("org admin opens the committee admin's account: %d, want 403", r.StatusCode)
	}
	r = org.postForm(t, "/admin/users", url.Values{"username": {"boss2"}, "display_name": {"x"}, "role": {"committee_admin"}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["role"] == "" {
		t.Errorf("org admin grants committee_admin: %d %v", r.StatusCode, r.fieldErrors())
	}
	if !strings.Contains(r.body, `value="boss2"`) {
		t.Errorf("the refused form loses what was typed")
	}
	// A site outside the subtree, chosen by forging the picker's value.
	grants, _ := f.a.Store.Grants(context.Background(), f.users["nmj-admin"])
	choices, _ := f.a.Store.ScopeChoices(context.Background(), domain.Scope{All: true})
	outside := ""
	for _, c := range choices {
		if c.Kind == domain.ScopeSite && !strings.HasPrefix(c.Path, grants[0].OrgPath) {
			outside = "site:" + id(c.ID)
			break
		}
	}
	if outside == "" {
		t.Fatal("the demo has no site outside 市农牧业局")
	}
	r = org.postForm(t, "/admin/users", url.Values{"username": {"contact2"}, "display_name": {"x"}, "role": {"site_contact"}, "scope": {outside}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["scope_id"] == "" {
		t.Errorf("org admin grants a site outside their subtree: %d %v", r.StatusCode, r.fieldErrors())
	}
	r = admin.postForm(t, "/admin/users", url.Values{"username": {"contact3"}, "display_name": {"x"}, "role": {"site_contact"}, "scope": {"team:" + id(f.team)}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["scope_id"] == "" {
		t.Errorf("a team as a site contact's scope: %d %v", r.StatusCode, r.fieldErrors())
	}
	r = admin.postForm(t, "/admin/users", url.Values{"username": {"contact4"}, "display_name": {"联系人"}, "role": {"site_contact"}, "scope": {outside}})
	if r.StatusCode != http.StatusOK || shownOnceRe.FindStringSubmatch(r.body) == nil || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("committee creates a site contact by the site's name: %d %v", r.StatusCode, r.fieldErrors())
	}
}

// TestAccountActions: the last committee admin cannot be disabled or
// demoted; disabling ends the sessions; a reset password is shown once and
// must be changed.
func TestAccountActions(t *testing.T) {
	t.Parallel()
	f := newAccountsFixture(t)
	admin := f.a.login(t, "admin")
	self := "/admin/users/" + id(f.users["admin"])
	if r := admin.postForm(t, self+"/disable", nil); r.StatusCode != http.StatusConflict {
		t.Errorf("disabling oneself: %d, want 409", r.StatusCode)
	}
	r := admin.postForm(t, self+"/role", url.Values{"role": {"volunteer"}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "最后一位") {
		t.Errorf("demoting the last committee admin: %d %q", r.StatusCode, r.notice())
	}
	if a, _ := f.a.Store.AccountByID(context.Background(), f.users["admin"]); !a.IsCommitteeAdmin() {
		t.Fatalf("the last committee admin lost the role")
	}

	vol := f.a.login(t, "volunteer")
	page := "/admin/users/" + id(f.users["volunteer"])
	if r := admin.postForm(t, page+"/disable", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", r.StatusCode)
	}
	if r := vol.get(t, "/me"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("a disabled volunteer's session still works: %d", r.StatusCode)
	}
	if r := admin.get(t, page); !strings.Contains(r.body, "account-disabled") {
		t.Errorf("the account page does not show the account disabled")
	}
	if r := admin.postForm(t, page+"/enable", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable: %d", r.StatusCode)
	}
	r = admin.postForm(t, page+"/reset", nil)
	m := shownOnceRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("reset: %d, one-time %v", r.StatusCode, m)
	}
	if r := admin.get(t, page); strings.Contains(r.body, m[1]) {
		t.Errorf("the one-time password shows again")
	}
	c := f.a.newClient(t)
	c.login(t, "volunteer", m[1])
	if r := c.get(t, "/"); r.Header.Get("Location") != "/account/password" {
		t.Errorf("after a reset the first page is %q, want the password form", r.Header.Get("Location"))
	}
	// Role change by name: the volunteer becomes leader of their team.
	r = admin.postForm(t, page+"/role", url.Values{"role": {"team_leader"}, "scope": {"team:" + id(f.team)}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("role change: %d %v %q", r.StatusCode, r.fieldErrors(), r.notice())
	}
	a, _ := f.a.Store.AccountByID(context.Background(), f.users["volunteer"])
	if len(a.Grants) != 1 || a.Grants[0].Role != domain.RoleTeamLeader || a.Grants[0].ScopeID != f.team {
		t.Errorf("after the role change: %+v", a.Grants)
	}
	// Audited with before and after.
	entries, err := f.a.Store.ListAudit(context.Background(), domain.AuditFilter{Action: "user.role_change", Limit: 5})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Before, "volunteer") || !strings.Contains(entries[0].After, "team_leader") {
		t.Errorf("role change audit: %+v, %v", entries, err)
	}
}

// TestPersonAccountLink: an account linked to nobody cannot act as a
// volunteer; staff link and unlink it on the person's page, and open an
// account there.
func TestPersonAccountLink(t *testing.T) {
	t.Parallel()
	f := newAccountsFixture(t)
	org := f.a.login(t, "nmj-admin")
	person := "/people/" + id(f.volPerson)
	if r := org.get(t, person); !strings.Contains(r.body, `id="person-account-link"`) || !strings.Contains(r.body, ">volunteer<") {
		t.Fatalf("the person's page does not show the linked account")
	}
	if r := org.postForm(t, person+"/unlink", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlink: %d", r.StatusCode)
	}
	vol := f.a.login(t, "volunteer")
	if r := vol.postForm(t, "/activities/1/signup", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("an unlinked volunteer signs up: %d, want 403", r.StatusCode)
	}
	if r := vol.get(t, "/checkin?t=1.in.1.x"); r.StatusCode != http.StatusForbidden {
		t.Errorf("an unlinked volunteer checks in: %d, want 403", r.StatusCode)
	}
	// Linking by a name that is not an account, or to a taken one, says so
	// beside the field.
	r := org.postForm(t, person+"/link", url.Values{"username": {"nobody-here"}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["username"] == "" || !strings.Contains(r.body, `value="nobody-here"`) {
		t.Errorf("link to an unknown name: %d %v", r.StatusCode, r.fieldErrors())
	}
	if r := org.postForm(t, person+"/link", url.Values{"username": {"nmj-leader"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("link to the leader's account, linked already: %d", r.StatusCode)
	}
	// Unlinked, the volunteer's account lies in no org: it is the
	// committee's to link again, not the org admin's.
	if r := org.postForm(t, person+"/link", url.Values{"username": {"volunteer"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("org admin links an account outside their subtree: %d, want 422", r.StatusCode)
	}
	admin := f.a.login(t, "admin")
	if r := admin.postForm(t, person+"/link", url.Values{"username": {"volunteer"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("relink: %d %v", r.StatusCode, r.fieldErrors())
	}
	if r := vol.postForm(t, "/checkin", url.Values{"t": {"1.in.1.x"}}); r.StatusCode == http.StatusForbidden {
		t.Errorf("a linked volunteer is refused check-in by the policy")
	}

	// Opening a team leader's account from the page of a team member.
	p := "/people/" + id(f.free[0])
	if r := org.get(t, p); !strings.Contains(r.body, `id="open-account"`) {
		t.Fatalf("no form to open an account on %s", p)
	}
	r = org.postForm(t, p+"/account", url.Values{"team": {id(f.team)}})
	m := shownOnceRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("open account: %d %v %q", r.StatusCode, r.fieldErrors(), r.notice())
	}
	c := f.a.newClient(t)
	c.login(t, "v"+id(f.free[0]), m[1])
	if r := org.postForm(t, p+"/account", nil); r.StatusCode != http.StatusConflict {
		t.Errorf("a second account for the same person: %d, want 409", r.StatusCode)
	}
	if r := org.postForm(t, "/people/"+id(f.free[1])+"/account", url.Values{"team": {"999999"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("leader of a team the person is not in: %d, want 422", r.StatusCode)
	}
}

// TestBulkAccounts: accounts for the people ticked come out once, as slips
// with a QR code or as a spreadsheet; people with an account are skipped;
// each account is audited without its password and must change it.
func TestBulkAccounts(t *testing.T) {
	t.Parallel()
	f := newAccountsFixture(t)
	org := f.a.login(t, "nmj-admin")
	if r := org.get(t, "/people?team="+id(f.team)); !strings.Contains(r.body, `form="bulk-accounts"`) || !strings.Contains(r.body, `id="bulk-filter"`) {
		t.Fatalf("/people offers no bulk accounts")
	}
	form := url.Values{"mode": {"selected"}, "format": {"slips"},
		"person": {id(f.free[0]), id(f.free[1]), id(f.volPerson)}}
	r := org.postForm(t, "/people/accounts", form)
	users, passes := slipUserRe.FindAllStringSubmatch(r.body, -1), slipPassRe.FindAllStringSubmatch(r.body, -1)
	if r.StatusCode != http.StatusOK || len(users) != 2 || len(passes) != 2 || !strings.Contains(r.body, "<svg") ||
		!strings.Contains(r.body, `id="bulk-skipped"`) || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("bulk slips: %d, %d slips\n%s", r.StatusCode, len(users), r.body)
	}
	if m := fullNumber.FindStringSubmatch(r.body); m != nil {
		t.Errorf("the slips show a full number %q", m[1])
	}
	if users[0][1] != "v"+id(f.free[0]) || users[1][1] != "v"+id(f.free[1]) {
		t.Errorf("login names %v, want v and the person's number", users)
	}
	c := f.a.newClient(t)
	c.login(t, users[0][1], passes[0][1])
	if r := c.get(t, "/"); r.Header.Get("Location") != "/account/password" {
		t.Errorf("a slip's account lands on %q, want the password form", r.Header.Get("Location"))
	}
	entries, _ := f.a.Store.ListAudit(context.Background(), domain.AuditFilter{Action: "user.create", Limit: 10})
	created := 0
	for _, e := range entries {
		if strings.Contains(e.After, users[0][1]) || strings.Contains(e.After, users[1][1]) {
			created++
		}
		for _, p := range passes {
			if strings.Contains(e.After+e.Before, p[1]) {
				t.Errorf("the audit log holds a one-time password")
			}
		}
	}
	if created != 2 {
		t.Errorf("%d audit rows for the two accounts, want 2", created)
	}

	// The spreadsheet; everyone of a filter (the third free person's name).
	third, _ := f.a.Store.PersonByID(context.Background(), f.free[2])
	r = org.postForm(t, "/people/accounts", url.Values{"mode": {"filter"}, "format": {"xlsx"},
		"filter": {url.Values{"q": {third.Name}, "team": {id(f.team)}}.Encode()}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") || len(r.body) < 1000 {
		t.Fatalf("bulk xlsx: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if p, _ := f.a.Store.PersonByID(context.Background(), f.free[2]); p.UserID == 0 {
		t.Errorf("the filtered person got no account")
	}
	// Nothing ticked; someone outside the org admin's subtree.
	if r := org.postForm(t, "/people/accounts", url.Values{"mode": {"selected"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("nothing ticked: %d, want 422", r.StatusCode)
	}
	all, _, _ := f.a.Store.ListPeople(context.Background(), store.PeopleFilter{Scope: domain.Scope{All: true}, Limit: 2000})
	nmj, _ := f.a.Store.PersonByID(context.Background(), f.volPerson)
	for _, p := range all {
		if !strings.HasPrefix(p.OrgPath, nmj.OrgPath) && p.UserID == 0 {
			if r := org.postForm(t, "/people/accounts", url.Values{"mode": {"selected"}, "person": {id(p.ID)}}); r.StatusCode != http.StatusForbidden {
				t.Errorf("org admin creates an account outside the subtree: %d, want 403", r.StatusCode)
			}
			break
		}
	}
}
