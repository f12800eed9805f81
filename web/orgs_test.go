package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"vanguard/domain"
)

// TestOrgAdminRenamesOnlyInSubtree: the admin of 市农牧业局 (org 2) renames
// an org of their unit, and is refused for an org of another unit.
func TestOrgAdminRenamesOnlyInSubtree(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	orgs, err := a.Store.ListOrgs(ctx, domain.Scope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	unit, _ := a.Store.OrgByID(ctx, 2)
	var mine, other int64
	for _, o := range orgs {
		inside := len(o.Path) > len(unit.Path) && o.Path[:len(unit.Path)] == unit.Path
		if inside && mine == 0 {
			mine = o.ID
		}
		if !inside && o.Depth >= 1 && o.ID != unit.ID && other == 0 {
			other = o.ID
		}
	}
	c := a.login(t, "nmj-admin")
	r := c.postForm(t, "/orgs/rename", url.Values{"org_id": {strconv.FormatInt(mine, 10)}, "name": {"畜牧兽医科党支部"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("renaming an org of the unit: got %d", r.StatusCode)
	}
	if o, _ := a.Store.OrgByID(ctx, mine); o.Name != "畜牧兽医科党支部" {
		t.Fatalf("after renaming, the org is called %q", o.Name)
	}
	if r := c.postForm(t, "/orgs/rename", url.Values{"org_id": {strconv.FormatInt(other, 10)}, "name": {"改名"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("renaming an org of another unit: got %d, want 403", r.StatusCode)
	}
	if r := c.postForm(t, "/orgs/rename", url.Values{"org_id": {strconv.FormatInt(mine, 10)}, "name": {" "}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("renaming to blank: got %d, want 422", r.StatusCode)
	}
}
