package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/store"
)

// TestDeskRefusalInAClerksWords: choosing a team that is fully booked is
// refused in words that name the team and its load in person-days (no
// matcher text such as `choice: team "1" would hold`), in Chinese and in
// English, and the form comes back with the clerk's team and reason, not
// the proposal. Alternatives and runner-ups give reasons without cost
// figures.
func TestDeskRefusalInAClerksWords(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	items, err := a.Store.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true})
	if err != nil || len(items) == 0 {
		t.Fatal(items, err)
	}
	sites, _ := a.Store.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	admin := domain.Caller{Principal: domain.Principal{UserID: 1, Username: "admin", Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}}, IP: "127.0.0.1"}
	accepted := func(phone string) int64 {
		public := domain.Caller{IP: "192.0.2.51", RequestID: "t"}
		code, err := a.Service.PlaceOrder(ctx, public, domain.OrderInput{RequesterName: "其其格", RequesterPhone: phone,
			SiteID: sites[0].ID, DateFrom: ahead(60), DateTo: ahead(60), Beneficiaries: 80, ItemIDs: []int64{items[0].ID}})
		if err != nil {
			t.Fatal(err)
		}
		o, _ := a.Store.OrderByCode(ctx, code)
		if err := a.Service.ReviewOrder(ctx, admin, o.ID, domain.EventAccept, ""); err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	id, other := accepted("13700000011"), accepted("13700000012")
	pr, err := a.Service.ProposeGroup(ctx, admin, id)
	if err != nil || len(pr.Match.Best.Parts) != 1 {
		t.Fatalf("proposal = %+v, %v", pr.Match, err)
	}
	cat := items[0].CategoryID
	var full store.TeamSupply
	for _, c := range pr.Candidates[cat] {
		if strconv.FormatInt(c.Team.ID, 10) != pr.Match.Best.Parts[0].Team {
			full = c
			break
		}
	}
	if full.Team.ID == 0 {
		t.Fatalf("no second team offers category %d", cat)
	}
	// The other order fills that team far beyond its capacity.
	if err := a.Store.Write(ctx, admin.Actor(), func(tx *store.Tx) error {
		return tx.DispatchOrder(other, []store.NewDispatch{{CategoryID: cat, TeamID: full.Team.ID, PersonDays: 100000}})
	}); err != nil {
		t.Fatal(err)
	}
	field := "team_" + strconv.FormatInt(cat, 10)
	form := url.Values{field: {strconv.FormatInt(full.Team.ID, 10)}, "reason_" + strconv.FormatInt(cat, 10): {"队长熟悉当地牧户"}}
	path := "/desk/orders/" + strconv.FormatInt(id, 10)
	c := a.login(t, "admin")
	for _, lang := range []string{"zh-CN", "en"} {
		c.header.Set("Accept-Language", lang)
		r := c.postForm(t, path, form)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: dispatching to a full team: got %d, want 422", lang, r.StatusCode)
		}
		body := html.UnescapeString(r.body)
		for _, internal := range []string{"choice: team", "of its ", "所选服务队不能承担", "cannot take it:"} {
			if strings.Contains(body, internal) {
				t.Errorf("%s: the page shows internal text %q", lang, internal)
			}
		}
		want := map[string][]string{
			"zh-CN": {"“" + full.Team.Name + "”本期工作量已满", "人·天", "没有派单"},
			"en":    {"\"" + full.Team.Name + "\" is fully booked", "person-days", "Nothing was dispatched"},
		}[lang]
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the refusal does not say %q", lang, w)
			}
		}
		if !strings.Contains(r.body, `id="`+field+`-error"`) {
			t.Errorf("%s: the refusal is not shown at the team's field", lang)
		}
		// The clerk's choice and reason come back.
		if !strings.Contains(body, `value="队长熟悉当地牧户"`) {
			t.Errorf("%s: the typed reason is lost", lang)
		}
		sel := regexp.MustCompile(`<option value="(\d+)" selected`).FindAllStringSubmatch(r.body, -1)
		if len(sel) != 1 || sel[0][1] != strconv.FormatInt(full.Team.ID, 10) {
			t.Errorf("%s: selected options %v, want only the clerk's team %d", lang, sel, full.Team.ID)
		}
		// Reasons for the alternatives are words, not cost figures.
		g := c.get(t, path)
		if g.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET %s: %d", lang, path, g.StatusCode)
		}
		for _, m := range regexp.MustCompile(`(?s)<span class="muted small">(.*?)</span>|<p class="muted small[^"]*">(.*?)</p>`).FindAllStringSubmatch(g.body, -1) {
			text := html.UnescapeString(m[1] + m[2])
			if regexp.MustCompile(`\d+\.\d`).MatchString(regexp.MustCompile(`[\d.]+ (公里|km)`).ReplaceAllString(text, "")) ||
				strings.Contains(text, "综合成本") || strings.Contains(text, "cost") {
				t.Errorf("%s: an explanation shows cost figures: %q", lang, text)
			}
		}
	}
	after, _ := a.Store.OrderByID(ctx, id)
	if after.State != domain.OrderAccepted {
		t.Fatalf("the refused dispatch changed the order to %s", after.State)
	}
}
