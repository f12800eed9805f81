package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"vanguard/domain"
	"vanguard/store"
)

// fullNumber matches an unmasked mainland mobile number or an 18-character
// ID number: neither may appear on any page unless it was asked for.
var fullNumber = regexp.MustCompile(`(?:^|[^0-9])(1[3-9][0-9]{9}|[0-9]{17}[0-9X])(?:[^0-9]|$)`)

// TestNoPageShowsFullNumbers opens the registry's pages as every role of the
// demo city and fails when any of them shows a full phone or ID number.
func TestNoPageShowsFullNumbers(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	people, _, err := a.Store.ListPeople(ctx, store.PeopleFilter{Scope: domain.Scope{All: true}, Limit: 3})
	if err != nil || len(people) == 0 {
		t.Fatalf("demo people: %v", err)
	}
	// A registration waiting in the org admin's subtree, so that the
	// approvers' list has a phone number to hide.
	org, _ := orgLabelOf(t, a, "nmj-admin")
	in := domain.RegistrationInput{Name: "王晓梅", Phone: "13912345678", Gender: "female", PoliticalStatus: "party_member",
		Org: org, Username: "wangxm", Password: "Grassland-2026", Confirm: "Grassland-2026", Consent: true}
	if _, err := a.Service.Register(ctx, domain.Caller{IP: "127.0.0.9"}, in, "test"); err != nil {
		t.Fatalf("register: %v", err)
	}
	pages := []string{"/", "/overview", "/people", "/people?page=2", "/teams", "/teams/1", "/sites", "/me", "/admin/audit",
		"/registrations", "/registrations?state=pending", "/register/status",
		"/inbox", "/inbox?all=1", "/activities/new", "/desk", "/desk?declined=1", "/activities?match=1",
		"/admin/users", "/admin/users?role=volunteer", "/admin/users?page=2", "/records/me", "/certificates/requests"}
	for _, name := range []string{"volunteer", "nmj-leader"} {
		u, err := a.Store.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, "/admin/users/"+strconv.FormatInt(u.ID, 10))
	}
	for _, p := range people {
		pages = append(pages, "/people/"+strconv.FormatInt(p.ID, 10), "/people/"+strconv.FormatInt(p.ID, 10)+"/edit")
	}
	for _, user := range []string{"admin", "nmj-admin", "nmj-leader", "volunteer", "gacha-contact"} {
		c := a.login(t, user)
		for _, path := range pages {
			r := c.get(t, path)
			if r.StatusCode != http.StatusOK {
				continue // pages this role may not see are the route test's business
			}
			if m := fullNumber.FindStringSubmatch(r.body); m != nil {
				t.Errorf("%s sees a full number %q on %s", user, m[1], path)
			}
		}
	}
}
