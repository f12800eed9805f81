package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/store"
)

// TestDispatchDesk: an accepted order with two categories appears in the
// pool; its page proposes a group with reasons; dispatching as proposed
// sends it; a change without a reason is refused; the batch plan renders.
func TestDispatchDesk(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	items, err := a.Store.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var two []int64
	seen := map[int64]bool{}
	for _, m := range items {
		if !seen[m.CategoryID] && len(two) < 2 {
			seen[m.CategoryID] = true
			two = append(two, m.ID)
		}
	}
	sites, _ := a.Store.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	public := domain.Caller{IP: "192.0.2.50", RequestID: "t"}
	code, err := a.Service.PlaceOrder(ctx, public, domain.OrderInput{RequesterName: "其其格", RequesterPhone: "13700000001",
		SiteID: sites[0].ID, DateFrom: ahead(60), DateTo: ahead(60), Beneficiaries: 80, ItemIDs: two})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := a.Store.OrderByCode(ctx, code)
	admin := domain.Caller{Principal: domain.Principal{UserID: 1, Username: "admin", Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}}, IP: "127.0.0.1"}
	if err := a.Service.ReviewOrder(ctx, admin, o.ID, domain.EventAccept, ""); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(o.ID, 10)

	c := a.login(t, "admin")
	if r := c.get(t, "/desk"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "/desk/orders/"+id) {
		t.Fatalf("the pool does not list order %s: %d", id, r.StatusCode)
	}
	r := c.get(t, "/desk/orders/"+id)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="proposal"`) || !strings.Contains(r.body, "公里") {
		t.Fatalf("the order's page shows no proposal: %d %s", r.StatusCode, r.h1())
	}
	pr, err := a.Service.ProposeGroup(ctx, admin, o.ID)
	if err != nil || len(pr.Match.Best.Parts) == 0 {
		t.Fatalf("proposal = %+v, %v", pr.Match, err)
	}
	proposed := url.Values{}
	for _, part := range pr.Match.Best.Parts {
		for _, f := range part.Categories {
			proposed.Set("team_"+strconv.FormatInt(pr.CategoryID[f.Category], 10), part.Team)
		}
	}
	// Changing a team without a reason is refused and sends nothing.
	changed := url.Values{}
	for k, v := range proposed {
		changed[k] = v
	}
	for _, sl := range pr.Order.Slots {
		for _, cand := range pr.Candidates[sl.CategoryID] {
			key := "team_" + strconv.FormatInt(sl.CategoryID, 10)
			if strconv.FormatInt(cand.Team.ID, 10) != proposed.Get(key) {
				changed.Set(key, strconv.FormatInt(cand.Team.ID, 10))
				break
			}
		}
	}
	if r := c.postForm(t, "/desk/orders/"+id, changed); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "写明原因") {
		t.Fatalf("a change without a reason: got %d", r.StatusCode)
	}
	if r := c.postForm(t, "/desk/orders/"+id, proposed); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("dispatch as proposed: got %d %s", r.StatusCode, r.notice())
	}
	after, _ := a.Store.OrderByID(ctx, o.ID)
	ds, _ := a.Store.OrderDispatches(ctx, o.ID)
	if after.State != domain.OrderDispatched || len(ds) != len(pr.Order.Slots) {
		t.Fatalf("after dispatch: state %s, %d dispatches", after.State, len(ds))
	}
	if r := c.get(t, "/desk/plan"); r.StatusCode != http.StatusOK {
		t.Fatalf("GET /desk/plan: %d", r.StatusCode)
	}
	if r := c.postForm(t, "/desk/plan", url.Values{"fingerprint": {"stale"}}); r.StatusCode != http.StatusConflict {
		t.Fatalf("committing a stale plan: got %d, want 409", r.StatusCode)
	}
}
