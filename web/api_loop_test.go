package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// The shapes the tests read back; the OpenAPI schemas check the rest.
type (
	apiPage struct {
		NextCursor string `json:"next_cursor"`
	}
	menuPage struct {
		apiPage
		Items []struct {
			ID         int64   `json:"id"`
			CategoryID int64   `json:"category_id"`
			ItemIDs    []int64 `json:"item_ids"`
		} `json:"items"`
	}
	orderPage struct {
		apiPage
		Items []struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
			Need  string `json:"need"`
			Phone string `json:"requester_phone_masked"`
		} `json:"items"`
	}
	activityPage struct {
		apiPage
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
)

// orderBody is a valid order for the public, at site, of item.
func orderBody(a *testApp, site, item int64, need, phone string) map[string]any {
	day := func(n int) string {
		return a.Store.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, n).Format("2006-01-02")
	}
	return map[string]any{"requester_name": "乌云", "requester_phone": phone, "site_id": site,
		"date_from": day(3), "date_to": day(10), "beneficiaries": 40, "need": need, "item_ids": []int64{item}}
}

// TestAPILoop runs the loop through the API with real tokens on both
// databases: the public orders, the committee accepts, a volunteer signs up
// and checks in, the leader reads the attendance; with the schemas of the
// answers, the idempotency of ordering and its rate limit.
func TestAPILoop(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		o := loadOpenAPI(t)
		ctx := context.Background()
		admin := a.api(a.login(t, "admin").newToken(t, "desk", ""))
		vol := a.api(a.login(t, "volunteer").newToken(t, "phone", ""))
		leader := a.api(a.login(t, "nmj-leader").newToken(t, "team", ""))
		public := a.api("")

		// The public menu, then an order of its first service.
		var menu menuPage
		r := public.get(t, "/api/v1/menu")
		decode(t, "GET /api/v1/menu", r, http.StatusOK, &menu)
		o.checkResponse(t, "GET", "/api/v1/menu", r)
		if len(menu.Items) == 0 || len(menu.Items[0].ItemIDs) == 0 {
			t.Fatal("the menu is empty")
		}
		sites, err := a.Store.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
		if err != nil || len(sites) == 0 {
			t.Fatalf("sites: %v", err)
		}
		body := orderBody(a, sites[0].ID, menu.Items[0].ItemIDs[0], "API 测试：牧民体检", "13812340001")
		var placed, again struct {
			Code string `json:"code"`
		}
		r = public.post(t, "/api/v1/orders", body, "Idempotency-Key", "order-1")
		decode(t, "POST /api/v1/orders", r, http.StatusCreated, &placed)
		o.checkResponse(t, "POST", "/api/v1/orders", r)
		decode(t, "POST /api/v1/orders again with the key", public.post(t, "/api/v1/orders", body, "Idempotency-Key", "order-1"),
			http.StatusCreated, &again)
		if placed.Code == "" || again.Code != placed.Code {
			t.Errorf("a retry with the same Idempotency-Key answered %q, want the first order's %q", again.Code, placed.Code)
		}
		// Invalid input names its fields in the request's language.
		bad := orderBody(a, sites[0].ID, menu.Items[0].ItemIDs[0], "x", "123")
		e := wantError(t, "an order with a bad phone", public.post(t, "/api/v1/orders", bad), http.StatusUnprocessableEntity, "invalid")
		if e.Error.Fields["requester_phone"] == "" {
			t.Errorf("422 without a message for requester_phone: %+v", e.Error)
		}
		o.checkResponse(t, "POST", "/api/v1/orders", public.post(t, "/api/v1/orders", bad))
		// The phone's limit holds through the API too: two more orders, then 429.
		for i := 0; i < 2; i++ {
			public.post(t, "/api/v1/orders", orderBody(a, sites[0].ID, menu.Items[0].ItemIDs[0], "API 测试：再来一单", "13812340001"))
		}
		r = public.post(t, "/api/v1/orders", orderBody(a, sites[0].ID, menu.Items[0].ItemIDs[0], "API 测试：超限", "13812340001"))
		wantError(t, "the fourth order of one phone within the hour", r, http.StatusTooManyRequests, "too_many")

		// The committee finds it on its work list and accepts it.
		var orders orderPage
		r = admin.get(t, "/api/v1/orders?state=submitted&limit=200")
		decode(t, "GET /api/v1/orders", r, http.StatusOK, &orders)
		o.checkResponse(t, "GET", "/api/v1/orders", r)
		var orderID int64
		for _, x := range orders.Items {
			if x.Need == "API 测试：牧民体检" {
				orderID = x.ID
				if strings.Contains(x.Phone, "13812340001") {
					t.Errorf("the work list shows the full phone %q", x.Phone)
				}
			}
		}
		if orderID == 0 {
			t.Fatal("the order placed through the API is not on the committee's work list")
		}
		var st struct {
			State string `json:"state"`
		}
		r = admin.post(t, "/api/v1/orders/"+itoa(orderID)+"/accept", nil)
		decode(t, "accept", r, http.StatusOK, &st)
		o.checkResponse(t, "POST", "/api/v1/orders/{id}/accept", r)
		if st.State != string(domain.OrderAccepted) {
			t.Errorf("after accept the order is %s", st.State)
		}
		r = admin.post(t, "/api/v1/orders/"+itoa(orderID)+"/accept", nil)
		wantError(t, "accepting twice", r, http.StatusConflict, "conflict")
		o.checkResponse(t, "POST", "/api/v1/orders/{id}/accept", r)
		entries, err := a.Store.ListAudit(ctx, domain.AuditFilter{Action: "order.", Username: "admin", Limit: 10})
		if err != nil || len(entries) == 0 {
			t.Errorf("the accept through the API is not audited as admin: %v, %v", entries, err)
		}

		// A volunteer may not read the dispatch inbox; the leader may.
		wantError(t, "a volunteer reads the inbox", vol.get(t, "/api/v1/inbox"), http.StatusForbidden, "forbidden")
		r = leader.get(t, "/api/v1/inbox?all=1")
		if r.StatusCode != http.StatusOK {
			t.Errorf("the leader's inbox: %d %s", r.StatusCode, r.body)
		}
		o.checkResponse(t, "GET", "/api/v1/inbox", r)

		// An activity of the leader's team, running now: the volunteer signs
		// up and checks in with the QR code's token.
		f := &onsiteFixture{a: a, leaderCaller: staffCaller(t, a, "nmj-leader")}
		id := f.newActivity(t, "API 测试活动")
		path := "/api/v1/activities/" + itoa(id)

		// The desk sends the order to the leader's team (the desk has no API);
		// the leader finds it in the inbox and confirms it (接单).
		err = a.Store.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
			return tx.DispatchOrder(orderID, []store.NewDispatch{{CategoryID: menu.Items[0].CategoryID, TeamID: f.team.ID, PersonDays: 3}})
		})
		if err != nil {
			t.Fatal(err)
		}
		var inbox struct {
			Items []struct {
				OrderID int64 `json:"order_id"`
				TeamID  int64 `json:"team_id"`
			} `json:"items"`
		}
		decode(t, "the leader's inbox", leader.get(t, "/api/v1/inbox"), http.StatusOK, &inbox)
		found := false
		for _, it := range inbox.Items {
			found = found || it.OrderID == orderID && it.TeamID == f.team.ID
		}
		if !found {
			t.Fatalf("the dispatched order is not in the leader's inbox: %+v", inbox.Items)
		}
		confirm := "/api/v1/inbox/" + itoa(orderID) + "/" + itoa(f.team.ID) + "/confirm"
		var answered struct {
			Answer string `json:"answer"`
		}
		r = leader.post(t, confirm, nil)
		decode(t, "confirm the dispatch", r, http.StatusOK, &answered)
		o.checkResponse(t, "POST", "/api/v1/inbox/{order}/{team}/confirm", r)
		if got, _ := a.Store.OrderByID(ctx, orderID); answered.Answer != "confirmed" || got.State != domain.OrderConfirmed {
			t.Errorf("after the confirm: answer %q, order %s; want confirmed", answered.Answer, got.State)
		}
		wantError(t, "confirming twice", leader.post(t, confirm, nil), http.StatusConflict, "conflict")
		r = vol.post(t, path+"/signup", nil)
		decode(t, "sign up", r, http.StatusOK, &st)
		o.checkResponse(t, "POST", "/api/v1/activities/{id}/signup", r)
		if st.State != string(domain.SignupConfirmed) {
			t.Errorf("signed up as %s, want confirmed", st.State)
		}
		r = vol.get(t, "/api/v1/signups")
		o.checkResponse(t, "GET", "/api/v1/signups", r)
		if !strings.Contains(r.body, "API 测试活动") {
			t.Errorf("the volunteer's sign-ups lack the activity: %s", r.body)
		}
		token, _, err := a.Service.CheckinToken(ctx, f.leaderCaller, id, service.KindIn)
		if err != nil {
			t.Fatal(err)
		}
		var in struct {
			Kind    string `json:"kind"`
			Already bool   `json:"already"`
		}
		r = vol.post(t, "/api/v1/checkin", map[string]string{"token": token})
		decode(t, "check in", r, http.StatusOK, &in)
		o.checkResponse(t, "POST", "/api/v1/checkin", r)
		if in.Kind != "in" || in.Already {
			t.Errorf("check-in answered %+v", in)
		}
		var att struct {
			Items []struct {
				PersonName string `json:"person_name"`
				Attended   bool   `json:"attended"`
				Phone      string `json:"phone_masked"`
			} `json:"items"`
		}
		r = leader.get(t, path+"/attendance")
		decode(t, "attendance", r, http.StatusOK, &att)
		o.checkResponse(t, "GET", "/api/v1/activities/{id}/attendance", r)
		if len(att.Items) != 1 || !att.Items[0].Attended {
			t.Errorf("attendance after the check-in: %+v", att.Items)
		}
		wantError(t, "a volunteer reads the attendance", vol.get(t, path+"/attendance"), http.StatusForbidden, "forbidden")
		r = leader.post(t, path+"/attendance", map[string]any{"person_id": 0, "kind": "sideways"})
		e = wantError(t, "attendance without a person", r, http.StatusUnprocessableEntity, "invalid")
		if e.Error.Fields["person_id"] == "" || e.Error.Fields["kind"] == "" {
			t.Errorf("422 does not name person_id and kind: %+v", e.Error.Fields)
		}

		// The summaries.
		r = admin.get(t, "/api/v1/stats")
		var stats struct {
			Orders map[string]int `json:"orders"`
		}
		decode(t, "stats", r, http.StatusOK, &stats)
		o.checkResponse(t, "GET", "/api/v1/stats", r)
		if stats.Orders["accepted"] == 0 {
			t.Errorf("stats count no accepted order: %v", stats.Orders)
		}
		o.checkResponse(t, "GET", "/api/v1/hours", vol.get(t, "/api/v1/hours"))
		o.checkResponse(t, "GET", "/api/v1/activities", vol.get(t, "/api/v1/activities"))
		wantError(t, "a volunteer reads stats", vol.get(t, "/api/v1/stats"), http.StatusForbidden, "forbidden")

		// Cancelling the place.
		r = vol.post(t, path+"/cancel", nil)
		o.checkResponse(t, "POST", "/api/v1/activities/{id}/cancel", r)
	})
}

// TestAPIPagingAndETag walks lists page by page and checks 304 answers.
func TestAPIPagingAndETag(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	admin := a.api(a.login(t, "admin").newToken(t, "desk", ""))

	// Every service of the menu once, across pages of two.
	var all menuPage
	decode(t, "the whole menu", admin.get(t, "/api/v1/menu?limit=200"), http.StatusOK, &all)
	if len(all.Items) < 3 {
		t.Fatalf("the demo menu has %d services; the test needs 3", len(all.Items))
	}
	seen := map[int64]bool{}
	cursor, pages := "", 0
	for {
		var p menuPage
		decode(t, "a menu page", admin.get(t, "/api/v1/menu?limit=2&cursor="+cursor), http.StatusOK, &p)
		pages++
		for _, it := range p.Items {
			if seen[it.ID] {
				t.Fatalf("service %d on two pages", it.ID)
			}
			seen[it.ID] = true
		}
		if p.NextCursor == "" || pages > 200 {
			break
		}
		cursor = p.NextCursor
	}
	if len(seen) != len(all.Items) {
		t.Errorf("pages of two gave %d services, one page %d", len(seen), len(all.Items))
	}

	// Orders: two pages of the work list, in the database's order.
	var one, first, second orderPage
	decode(t, "orders", admin.get(t, "/api/v1/orders?limit=6"), http.StatusOK, &one)
	decode(t, "orders page 1", admin.get(t, "/api/v1/orders?limit=3"), http.StatusOK, &first)
	if first.NextCursor == "" || len(first.Items) != 3 {
		t.Fatalf("first page: %d orders, cursor %q", len(first.Items), first.NextCursor)
	}
	decode(t, "orders page 2", admin.get(t, "/api/v1/orders?limit=3&cursor="+first.NextCursor), http.StatusOK, &second)
	got := append(first.Items, second.Items...)
	if len(one.Items) != 6 || len(got) != 6 {
		t.Fatalf("6 orders at once, %d over two pages", len(got))
	}
	for i := range got {
		if got[i].ID != one.Items[i].ID {
			t.Errorf("order %d of two pages is %d, of one page %d", i, got[i].ID, one.Items[i].ID)
		}
	}

	// Activities: two pages.
	var acts, a1, a2 activityPage
	from := "?from=2000-01-01"
	decode(t, "activities", admin.get(t, "/api/v1/activities"+from+"&limit=4"), http.StatusOK, &acts)
	decode(t, "activities 1", admin.get(t, "/api/v1/activities"+from+"&limit=2"), http.StatusOK, &a1)
	decode(t, "activities 2", admin.get(t, "/api/v1/activities"+from+"&limit=2&cursor="+a1.NextCursor), http.StatusOK, &a2)
	if len(acts.Items) != 4 || len(a1.Items) != 2 || len(a2.Items) != 2 ||
		a1.Items[1].ID != acts.Items[1].ID || a2.Items[0].ID != acts.Items[2].ID {
		t.Errorf("activities over two pages %v %v, at once %v", a1.Items, a2.Items, acts.Items)
	}

	// Bad paging input.
	admin.lang = "en"
	e := wantError(t, "limit=0", admin.get(t, "/api/v1/menu?limit=0"), http.StatusUnprocessableEntity, "invalid")
	if e.Error.Fields["limit"] != "The page size must be from 1 to 200." {
		t.Errorf("limit=0 in English: %q", e.Error.Fields["limit"])
	}
	admin.lang = "zh-CN"
	e = wantError(t, "limit=0", admin.get(t, "/api/v1/menu?limit=0"), http.StatusUnprocessableEntity, "invalid")
	if e.Error.Fields["limit"] != "每页条数须在 1 到 200 之间。" {
		t.Errorf("limit=0 in Chinese: %q", e.Error.Fields["limit"])
	}
	stale := base64.RawURLEncoding.EncodeToString([]byte("999999999"))
	wantError(t, "a cursor naming nothing", admin.get(t, "/api/v1/menu?cursor="+stale), http.StatusUnprocessableEntity, "invalid")
	wantError(t, "a cursor that is not base64", admin.get(t, "/api/v1/orders?cursor=%25%25"), http.StatusUnprocessableEntity, "invalid")

	// ETag: the same answer is 304 with no body; another is 200.
	r := admin.get(t, "/api/v1/orders?limit=3")
	etag := r.Header.Get("ETag")
	if !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") {
		t.Fatalf("ETag %q, want a strong one", etag)
	}
	if r2 := admin.get(t, "/api/v1/orders?limit=3", "If-None-Match", etag); r2.StatusCode != http.StatusNotModified || r2.body != "" {
		t.Errorf("If-None-Match: got %d %q, want 304 and no body", r2.StatusCode, r2.body)
	}
	if r3 := admin.get(t, "/api/v1/orders?limit=2", "If-None-Match", etag); r3.StatusCode != http.StatusOK {
		t.Errorf("If-None-Match of another answer: got %d, want 200", r3.StatusCode)
	}
}

// TestAPICrossOrigin checks that token requests pass the cross-origin
// check and that a cookie session's API writes still meet it.
func TestAPICrossOrigin(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	browser := a.login(t, "volunteer")
	token := browser.newToken(t, "phone", "")
	f := &onsiteFixture{a: a, leaderCaller: staffCaller(t, a, "nmj-leader")}
	id := f.newActivity(t, "跨站测试活动")
	path := "/api/v1/activities/" + itoa(id) + "/signup"

	// The browser's cookie, from another site: refused.
	req, _ := http.NewRequest(http.MethodPost, a.url+path, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	wantError(t, "a cross-site write with the cookie", browser.do(t, req), http.StatusForbidden, "forbidden")
	// The cookie with a form body (what a cross-site form can send): refused.
	r := browser.postForm(t, path, nil)
	wantError(t, "a form post to the API", r, http.StatusUnprocessableEntity, "invalid")
	// A token from anywhere: allowed, the token's user acts.
	r = a.api(token).post(t, path, nil, "Sec-Fetch-Site", "cross-site", "Origin", "https://dashboard.example")
	if r.StatusCode != http.StatusOK {
		t.Errorf("a token request from another origin: got %d %s, want 200", r.StatusCode, r.body)
	}
}

// countPages walks a list to its end and counts its items.
func countPages(t *testing.T, c *apiClient, path string) int {
	t.Helper()
	n, cursor := 0, ""
	for i := 0; i < 100; i++ {
		var p struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor string            `json:"next_cursor"`
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		decode(t, path, c.get(t, path+sep+"limit=200&cursor="+cursor), http.StatusOK, &p)
		n += len(p.Items)
		if p.NextCursor == "" {
			return n
		}
		cursor = p.NextCursor
	}
	t.Fatalf("%s: more than 100 pages", path)
	return 0
}

// TestAPIStatsScope: the summary counts what the caller's lists show — an
// org admin's orders, a leader's activities — and the committee's covers
// more.
func TestAPIStatsScope(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	type stats struct {
		Orders     map[string]int `json:"orders"`
		Activities map[string]int `json:"activities"`
	}
	sum := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	read := func(c *apiClient) stats {
		var s stats
		decode(t, "GET /api/v1/stats", c.get(t, "/api/v1/stats"), http.StatusOK, &s)
		return s
	}
	committee := a.api(a.login(t, "admin").newToken(t, "x", ""))
	org := a.api(a.login(t, "nmj-admin").newToken(t, "x", ""))
	leader := a.api(a.login(t, "nmj-leader").newToken(t, "x", ""))
	all, mine, team := read(committee), read(org), read(leader)
	if n := countPages(t, org, "/api/v1/orders"); sum(mine.Orders) != n || n == 0 {
		t.Errorf("the org admin's stats count %d orders, their work list %d", sum(mine.Orders), n)
	}
	if sum(all.Orders) <= sum(mine.Orders) {
		t.Errorf("the committee counts %d orders, an org admin %d", sum(all.Orders), sum(mine.Orders))
	}
	if n := countPages(t, leader, "/api/v1/activities?manage=1&from=1970-01-01"); sum(team.Activities) != n || n == 0 {
		t.Errorf("the leader's stats count %d activities, their list %d", sum(team.Activities), n)
	}
	if len(team.Orders) != 0 {
		t.Errorf("a leader, who reads no work list, has order counts %v", team.Orders)
	}
}
