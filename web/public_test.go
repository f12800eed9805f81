package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// publicFixture is the demo city plus menu items of its own, with titles no
// demo item has: two active ones in different categories (one serving a
// single banner, one the whole city) and an inactive one.
type publicFixture struct {
	a                          *testApp
	cats                       []domain.Category
	clinic, trees, retired     int64 // menu items
	banner, otherBanner        int64 // regions
	site                       store.PublicSite
	clinicTeam                 string
	clinicTitle, treesTitle    string
	retiredTitle, searchPrefix string
}

func newPublicFixture(t *testing.T) publicFixture {
	t.Helper()
	return newPublicFixtureOn(t, newTestApp(t))
}

// newPublicFixtureOn is newPublicFixture on an app already started.
func newPublicFixtureOn(t *testing.T, a *testApp) publicFixture {
	t.Helper()
	ctx := context.Background()
	f := publicFixture{a: a, searchPrefix: "试点", clinicTitle: "试点巡回义诊", treesTitle: "试点义务植树",
		retiredTitle: "试点停办项目"}
	var err error
	if f.cats, err = a.Service.Categories(ctx, false); err != nil {
		t.Fatal(err)
	}
	teams, err := a.Store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil || len(teams) < 2 {
		t.Fatalf("demo teams: %d, %v", len(teams), err)
	}
	f.clinicTeam = teams[0].Name
	regions, err := a.Service.Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range regions {
		if r.Level == domain.RegionBanner {
			if f.banner == 0 {
				f.banner = r.ID
			} else if f.otherBanner == 0 {
				f.otherBanner = r.ID
			}
		}
	}
	sites, err := a.Service.PublicSites(ctx)
	if err != nil || len(sites) == 0 {
		t.Fatalf("public sites: %d, %v", len(sites), err)
	}
	f.site = sites[0]
	err = a.Store.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
		item := func(title string, cat domain.Category, active bool, team int64, regions ...int64) (int64, error) {
			return tx.CreateMenuItem(domain.MenuItem{Title: title, CategoryID: cat.ID, Kind: domain.MenuParticipatory,
				Term: domain.TermLong, Duration: "半天", Volunteers: 6, Active: active, TeamIDs: []int64{team},
				RegionIDs: regions, Description: title + "：每月一次，提前三天预约。"})
		}
		if f.clinic, err = item(f.clinicTitle, f.cats[0], true, teams[0].ID, f.banner); err != nil {
			return err
		}
		if f.trees, err = item(f.treesTitle, f.cats[1], true, teams[1].ID); err != nil {
			return err
		}
		f.retired, err = item(f.retiredTitle, f.cats[1], false, teams[1].ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// orderForm is a valid public order for items at the fixture's site.
func (f publicFixture) orderForm(items ...int64) url.Values {
	from := time.Now().AddDate(0, 0, 10).Format("2006-01-02")
	to := time.Now().AddDate(0, 0, 12).Format("2006-01-02")
	v := url.Values{"site_id": {strconv.FormatInt(f.site.ID, 10)}, "date_from": {from}, "date_to": {to},
		"beneficiaries": {"80"}, "requester_name": {"巴特尔"}, "requester_phone": {"139 1234 5678"},
		"notes": {"村委会院内"}}
	for _, id := range items {
		v.Add("item", strconv.FormatInt(id, 10))
	}
	return v
}

// placeOrder posts an order and returns its code from the redirect.
func placeOrder(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	r := c.postForm(t, "/order", form)
	loc, err := url.Parse(r.Header.Get("Location"))
	if r.StatusCode != http.StatusSeeOther || err != nil || loc.Path != "/track" || loc.Query().Get("new") != "1" {
		t.Fatalf("POST /order: got %d Location %q, want 303 to /track?code=…&new=1; errors %v %q",
			r.StatusCode, r.Header.Get("Location"), r.fieldErrors(), r.notice())
	}
	code := loc.Query().Get("code")
	if service.NormalizeCode(code) != code {
		t.Fatalf("POST /order: code %q is not a tracking code", code)
	}
	return code
}

func TestPublicMenu(t *testing.T) {
	t.Parallel()
	f := newPublicFixture(t)
	c := f.a.newClient(t)
	q := "&q=" + url.QueryEscape(f.searchPrefix)
	tests := []struct {
		path     string
		see, not []string
	}{
		{"/menu?" + q[1:], []string{f.clinicTitle, f.treesTitle, f.clinicTeam, "共 2 个服务项目"}, []string{f.retiredTitle}},
		{"/menu?category=" + itoa(f.cats[1].ID) + q, []string{f.treesTitle, "全市"}, []string{f.clinicTitle, f.retiredTitle}},
		{"/menu?region=" + itoa(f.otherBanner) + q, []string{f.treesTitle}, []string{f.clinicTitle}},
		{"/menu?region=" + itoa(f.banner) + q, []string{f.clinicTitle, f.treesTitle}, nil},
		{"/menu?q=" + url.QueryEscape("不存在的服务"), []string{"没有符合条件的服务项目"}, []string{f.clinicTitle}},
		{"/menu", []string{f.clinicTitle, f.treesTitle, `action="/order"`, `name="item"`}, []string{f.retiredTitle}},
		{"/menu?item=" + itoa(f.clinic), []string{`value="` + itoa(f.clinic) + `" checked`}, nil},
	}
	for _, tc := range tests {
		r := c.get(t, tc.path)
		if r.StatusCode != http.StatusOK || r.h1() != "服务菜单" {
			t.Errorf("GET %s: got %d %q, want 200 with the menu", tc.path, r.StatusCode, r.h1())
			continue
		}
		for _, s := range tc.see {
			if !strings.Contains(r.body, s) {
				t.Errorf("GET %s: the page lacks %q", tc.path, s)
			}
		}
		for _, s := range tc.not {
			if strings.Contains(r.body, s) {
				t.Errorf("GET %s: the page shows %q", tc.path, s)
			}
		}
	}
	// The category list counts the searched items per category.
	r := c.get(t, "/menu?"+q[1:])
	if !strings.Contains(r.body, `data-category="`+itoa(f.cats[1].ID)+`">`) {
		t.Errorf("the category list lacks %s", f.cats[1].NameZH)
	}

	r = c.get(t, "/menu/"+itoa(f.clinic))
	for _, s := range []string{f.clinicTitle, "每月一次", f.clinicTeam, `href="/order?item=` + itoa(f.clinic) + `"`} {
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, s) {
			t.Errorf("GET /menu/%d: got %d, want 200 showing %q", f.clinic, r.StatusCode, s)
		}
	}
	for _, path := range []string{"/menu/" + itoa(f.retired), "/menu/999999", "/menu/x"} {
		if r := c.get(t, path); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: got %d, want 404", path, r.StatusCode)
		}
	}

	// The public's page is kept a few seconds per filter; a signed-in user's
	// page is built each time.
	err := f.a.Store.Write(context.Background(), service.SystemCaller.Actor(), func(tx *store.Tx) error {
		_, err := tx.CreateMenuItem(domain.MenuItem{Title: "试点新开项目", CategoryID: f.cats[0].ID, Kind: domain.MenuProfessional,
			Term: domain.TermShort, Volunteers: 2, Active: true, TeamIDs: []int64{1}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.get(t, "/menu?"+q[1:]); strings.Contains(r.body, "试点新开项目") {
		t.Error("the public's menu was built again at once; it should be kept for a few seconds")
	}
	if r := f.a.login(t, "volunteer").get(t, "/menu?"+q[1:]); !strings.Contains(r.body, "试点新开项目") {
		t.Error("a signed-in user's menu lacks the new item")
	}
	if r := c.get(t, "/menu?q="+url.QueryEscape("新开")); !strings.Contains(r.body, "试点新开项目") {
		t.Error("a search not made before lacks the new item")
	}

	// In English, categories and enumerations are translated.
	c.header.Set("Accept-Language", "en")
	r = c.get(t, "/menu?"+q[1:])
	for _, s := range []string{"Service menu", f.cats[0].NameEN, "Participatory", "The whole city"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("GET /menu in English lacks %q", s)
		}
	}
}

func TestPublicOrderAndTrack(t *testing.T) {
	t.Parallel()
	f := newPublicFixture(t)
	ctx := context.Background()
	c := f.a.newClient(t)

	// The form lists the chosen items, ticked, and the sites.
	r := c.get(t, "/order?item="+itoa(f.clinic)+"&item="+itoa(f.trees)+"&item="+itoa(f.retired))
	if r.StatusCode != http.StatusOK || r.h1() != "我要点单" {
		t.Fatalf("GET /order: got %d %q", r.StatusCode, r.h1())
	}
	for _, s := range []string{f.clinicTitle, f.treesTitle, `value="` + itoa(f.clinic) + `" checked`, f.site.Name} {
		if !strings.Contains(r.body, s) {
			t.Errorf("GET /order lacks %q", s)
		}
	}
	if strings.Contains(r.body, f.retiredTitle) {
		t.Errorf("GET /order lists the inactive item")
	}

	// A faulty order keeps what was typed and names the fields.
	bad := f.orderForm(f.clinic)
	bad.Set("requester_phone", "12345")
	bad.Set("date_to", "2000-01-01")
	bad.Set("beneficiaries", "很多")
	r = c.postForm(t, "/order", bad)
	errs := r.fieldErrors()
	if r.StatusCode != http.StatusUnprocessableEntity || errs["requester_phone"] == "" || errs["date_to"] == "" ||
		errs["beneficiaries"] == "" || !strings.Contains(r.body, `value="巴特尔"`) {
		t.Errorf("a faulty order: got %d with errors %v, want 422 naming phone, date_to and beneficiaries", r.StatusCode, errs)
	}

	code := placeOrder(t, c, f.orderForm(f.clinic, f.trees))
	r = c.get(t, "/track?code="+code+"&new=1")
	for _, s := range []string{f.clinicTitle, f.treesTitle, "已提交", "您的查询码", "/track?code=" + code, strings.ToUpper(code[:4] + " " + code[4:8]),
		"139****5678", f.site.Name, "提交点单", "撤销这个点单"} {
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, s) {
			t.Errorf("the new order's status page: got %d, want 200 showing %q", r.StatusCode, s)
		}
	}
	if m := fullNumber.FindStringSubmatch(r.body); m != nil {
		t.Errorf("the status page shows a full number %q", m[1])
	}
	if strings.Contains(r.body, `class="pill new"`) {
		t.Error("the requester's own submission is marked new")
	}

	// The committee rejects it with a reason: the requester reads it, marked
	// new once, and may no longer cancel.
	var id int64
	tr, err := f.a.Service.TrackOrder(ctx, domain.Caller{IP: "192.0.2.1"}, code)
	if err != nil {
		t.Fatal(err)
	}
	id = tr.Order.ID
	if err := f.a.Service.ReviewOrder(ctx, staffCaller(t, f.a, "admin"), id, domain.EventReject, "冬季道路封闭，来年开春安排"); err != nil {
		t.Fatal(err)
	}
	r = c.get(t, "/track?code="+url.QueryEscape(strings.ToUpper(code[:13])+" "+code[13:]))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.notice(), "冬季道路封闭，来年开春安排") ||
		!strings.Contains(r.body, "未受理") || !strings.Contains(r.body, "工委管理员") || !strings.Contains(r.body, `class="pill new"`) {
		t.Errorf("after rejection: got %d, notice %q; want the reason in the notice, the state, who acted and a new mark", r.StatusCode, r.notice())
	}
	if strings.Contains(r.body, "撤销这个点单") {
		t.Error("a rejected order offers to cancel")
	}
	if r = c.get(t, "/track?code="+code); strings.Contains(r.body, `class="pill new"`) {
		t.Error("the rejection is still marked new on the second look")
	}

	// Another order is cancelled by its code, once.
	code2 := placeOrder(t, c, f.orderForm(f.trees))
	r = c.postForm(t, "/track/cancel", url.Values{"code": {code2}, "reason": {"已自行解决"}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/track?") {
		t.Fatalf("POST /track/cancel: got %d Location %q", r.StatusCode, r.Header.Get("Location"))
	}
	r = c.get(t, r.Header.Get("Location"))
	if !strings.Contains(r.body, "已撤销") || !strings.Contains(r.body, "已自行解决") || strings.Contains(r.body, `id="cancel-form"`) {
		t.Errorf("after cancelling: the page should show the state and reason and no cancel form")
	}
	if r = c.postForm(t, "/track/cancel", url.Values{"code": {code2}}); r.StatusCode != http.StatusConflict {
		t.Errorf("cancelling twice: got %d, want 409", r.StatusCode)
	}

	// Wrong codes: one not-found answer, whatever the fault.
	for _, bad := range []string{service.NewCode(), "abc", code[:25] + "1"} {
		r = c.get(t, "/track?code="+url.QueryEscape(bad))
		if r.StatusCode != http.StatusNotFound || !strings.Contains(r.notice(), "没有找到这个查询码") {
			t.Errorf("GET /track?code=%s: got %d notice %q, want 404 with the not-found message", bad, r.StatusCode, r.notice())
		}
	}
	if r = c.postForm(t, "/track/cancel", url.Values{"code": {service.NewCode()}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("cancelling an unknown code: got %d, want 404", r.StatusCode)
	}
	if r = c.get(t, "/track"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="track-form"`) {
		t.Errorf("GET /track: got %d, want the form", r.StatusCode)
	}

	// The codes never reach the log: GET lines carry the path only, and the
	// cancel sends its code in the body.
	f.a.stop()
	for _, cd := range []string{code, code2} {
		if strings.Contains(f.a.logs.String(), cd) {
			t.Errorf("the log holds the tracking code %s", cd)
		}
	}
}

func TestPublicOrderRefusals(t *testing.T) {
	t.Parallel()
	f := newPublicFixture(t)
	ctx := context.Background()
	c := f.a.newClient(t)

	// Fields the form does not have refuse the whole form.
	form := f.orderForm(f.clinic)
	form.Set("channel", "hotline")
	form.Set("state", "accepted")
	r := c.postForm(t, "/order", form)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "channel、state") {
		t.Errorf("unknown fields: got %d, want 422 naming channel and state", r.StatusCode)
	}
	if r = c.postForm(t, "/track/cancel", url.Values{"code": {service.NewCode()}, "state": {"x"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown field on cancel: got %d, want 422", r.StatusCode)
	}
	// A body over the public limit.
	form = f.orderForm(f.clinic)
	form.Set("notes", strings.Repeat("长", 12000))
	if r = c.postForm(t, "/order", form); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "提交的内容过大") {
		t.Errorf("a 100 KiB order: got %d, want 422 too large", r.StatusCode)
	}
	orders, _, err := f.a.Store.ListOrders(ctx, store.OrderFilter{Scope: domain.Scope{All: true}, Query: "巴特尔"})
	if err != nil || len(orders) != 0 {
		t.Fatalf("refused forms stored %d orders (%v)", len(orders), err)
	}

	// Three orders an hour for one phone number; the fourth is refused, with
	// the form as typed.
	for i := 1; i <= 3; i++ {
		placeOrder(t, c, f.orderForm(f.clinic))
	}
	r = c.postForm(t, "/order", f.orderForm(f.clinic))
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.notice(), "这个手机号提交太频繁：每小时最多 3 张") ||
		!strings.Contains(r.body, `value="巴特尔"`) {
		t.Errorf("the fourth order in an hour for one phone: got %d notice %q, want 429 with the limit and the form as typed", r.StatusCode, r.notice())
	}
	// Other phones behind the same address (a village office) go on, up to
	// thirty orders an hour from the address.
	for i := 4; i <= 30; i++ {
		form := f.orderForm(f.clinic)
		form.Set("requester_phone", fmt.Sprintf("1370000%04d", i))
		placeOrder(t, c, form)
	}
	form = f.orderForm(f.clinic)
	form.Set("requester_phone", "13600000031")
	r = c.postForm(t, "/order", form)
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.notice(), "同一网络提交太频繁：每小时最多 30 张") ||
		!strings.Contains(r.body, `value="13600000031"`) {
		t.Errorf("the 31st order in an hour from one address: got %d notice %q, want 429 with the limit and the form as typed", r.StatusCode, r.notice())
	}

	// Thirty lookups in ten minutes; then 429, even for a right code.
	code := ""
	if orders, _, _ = f.a.Store.ListOrders(ctx, store.OrderFilter{Scope: domain.Scope{All: true}, Query: "巴特尔"}); len(orders) > 0 {
		code = orders[0].Code
	}
	for i := 0; i < 30; i++ {
		c.get(t, "/track?code="+service.NewCode())
	}
	r = c.get(t, "/track?code="+code)
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.notice(), "查询太频繁") {
		t.Errorf("the 31st lookup: got %d notice %q, want 429", r.StatusCode, r.notice())
	}
}

func TestPublicSiteContactOrders(t *testing.T) {
	t.Parallel()
	f := newPublicFixture(t)
	ctx := context.Background()
	c := f.a.login(t, demoUsers[domain.RoleSiteContact])
	r := c.get(t, "/order?item="+itoa(f.trees))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "巴彦嘎查") || !strings.Contains(r.body, " selected>巴彦嘎查") {
		t.Fatalf("GET /order as the site contact: got %d, want their site chosen", r.StatusCode)
	}
	sites, _ := f.a.Service.PublicSites(ctx)
	var own store.PublicSite
	for _, x := range sites {
		if x.Name == "巴彦嘎查" {
			own = x
		}
	}
	form := f.orderForm(f.trees)
	form.Set("site_id", itoa(own.ID))
	code := placeOrder(t, c, form)
	tr, err := f.a.Service.TrackOrder(ctx, domain.Caller{IP: "192.0.2.1"}, code)
	u, _ := f.a.Store.UserByUsername(ctx, demoUsers[domain.RoleSiteContact])
	if err != nil || tr.Order.UserID != u.ID || tr.Order.SiteID != own.ID {
		t.Errorf("the contact's order: user %d site %d (%v), want user %d site %d", tr.Order.UserID, tr.Order.SiteID, err, u.ID, own.ID)
	}
	// Another site is refused with a field message.
	if own.ID != f.site.ID {
		r = c.postForm(t, "/order", f.orderForm(f.trees))
		if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["place"] == "" {
			t.Errorf("the contact ordering for another site: got %d errors %v", r.StatusCode, r.fieldErrors())
		}
	}
	// A volunteer orders as a member of the public.
	v := f.a.login(t, demoUsers[domain.RoleVolunteer])
	placeOrder(t, v, f.orderForm(f.trees))
}

// staffCaller is a demo user as a service caller.
func staffCaller(t *testing.T, a *testApp, username string) domain.Caller {
	t.Helper()
	ctx := context.Background()
	u, err := a.Store.UserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	grants, err := a.Store.Grants(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	person, err := a.Store.PersonIDOfUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.Caller{Principal: domain.Principal{UserID: u.ID, PersonID: person, Username: u.Username, DisplayName: u.DisplayName,
		Grants: grants}, IP: "127.0.0.1", RequestID: "test"}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// benchApp opens the demo city for a benchmark, without serving: requests go
// straight to the handler, through the router and every middleware.
func benchApp(b *testing.B) *app.Main {
	b.Helper()
	m, err := app.Open(context.Background(), app.Config{DB: storetest.SQLitePath(b), Demo: true, Addr: "127.0.0.1:0",
		Hasher: fastHasher, SecretKey: testSecretKey, Out: io.Discard, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close() })
	return m
}

// serve runs one request through the handler from a client address.
func serve(h http.Handler, method, target, addr string, body url.Values) *httptest.ResponseRecorder {
	var r *http.Request
	if body != nil {
		r = httptest.NewRequest(method, target, strings.NewReader(body.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	r.RemoteAddr = addr
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// BenchmarkMenuPage serves the public menu of the demo city (about a
// hundred active items): as the public gets it, kept for a few seconds, and
// as a signed-in user gets it, built for every request.
func BenchmarkMenuPage(b *testing.B) {
	m := benchApp(b)
	cookie, err := m.Service.Login(context.Background(), domain.Caller{IP: "192.0.2.1"}, "volunteer",
		service.DemoPassword, "", "bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, cookie string }{{"public", ""}, {"signed-in", cookie}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				r := httptest.NewRequest("GET", "/menu", nil)
				r.RemoteAddr = "192.0.2.1:1000"
				if bc.cookie != "" {
					r.AddCookie(&http.Cookie{Name: sessionCookie, Value: bc.cookie})
				}
				w := httptest.NewRecorder()
				m.Web.ServeHTTP(w, r)
				if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="menu-items"`) {
					b.Fatalf("GET /menu: %d", w.Code)
				}
			}
		})
	}
}

// BenchmarkTrackPage renders an order's status page, each lookup from
// another client address so that the per-address limit (30 in 10 minutes)
// is not what is measured: a lookup is its rate-limit write, the order, its
// steps, marking it seen (a second write) and the page.
func BenchmarkTrackPage(b *testing.B) {
	m := benchApp(b)
	ctx := context.Background()
	menu, err := m.Service.PublicMenu(ctx, store.MenuFilter{})
	if err != nil || len(menu.Services) < 2 {
		b.Fatalf("demo menu: %d services, %v", len(menu.Services), err)
	}
	sites, _ := m.Service.PublicSites(ctx)
	in := domain.OrderInput{RequesterName: "巴特尔", RequesterPhone: "13912345678", SiteID: sites[0].ID,
		DateFrom: time.Now().AddDate(0, 0, 7).Format("2006-01-02"), DateTo: time.Now().AddDate(0, 0, 9).Format("2006-01-02"),
		Beneficiaries: 60, ItemIDs: []int64{menu.Services[0].ID, menu.Services[1].ID}}
	code, err := m.Service.PlaceOrder(ctx, domain.Caller{IP: "192.0.2.1"}, in)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		addr := fmt.Sprintf("10.%d.%d.%d:1000", i>>16&255, i>>8&255, i&255)
		if w := serve(m.Web, "GET", "/track?code="+code, addr, nil); w.Code != http.StatusOK {
			b.Fatalf("GET /track: %d", w.Code)
		}
	}
}
