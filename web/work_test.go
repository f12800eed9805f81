package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// workFixture is the demo city plus a menu item of our own, the site of the
// demo's site contact (巴彦嘎查, the committee's own), and a site of
// 市农牧业局 for its org admin.
type workFixture struct {
	a                *testApp
	item             int64
	itemTitle        string
	gacha, nmjSite   int64
	dateFrom, dateTo string
	public           domain.Caller
}

func newWorkFixture(t *testing.T, a *testApp) workFixture {
	t.Helper()
	ctx := context.Background()
	f := workFixture{a: a, itemTitle: "测试用兽医巡诊", public: domain.Caller{IP: "203.0.113.50", RequestID: "t"}}
	sites, err := a.Store.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	nmj, err := a.Store.OrgByID(ctx, 2)
	if err != nil || nmj.Name != "市农牧业局" {
		t.Fatalf("org 2 = %+v, %v; the demo's unit should be 市农牧业局", nmj, err)
	}
	for _, s := range sites {
		if s.Name == "巴彦嘎查" {
			f.gacha = s.ID
		}
		if f.nmjSite == 0 && strings.HasPrefix(s.OrgPath, nmj.Path) {
			f.nmjSite = s.ID
		}
	}
	cats, _ := a.Store.ListCategories(ctx, false)
	teams, err := a.Store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil || len(teams) == 0 || len(cats) == 0 {
		t.Fatalf("demo teams %d, categories %d: %v", len(teams), len(cats), err)
	}
	err = a.Store.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
		if f.nmjSite == 0 {
			if f.nmjSite, err = tx.CreateSite(domain.Site{OrgID: nmj.ID, Kind: domain.SiteStation, Name: "测试畜牧站"}); err != nil {
				return err
			}
		}
		f.item, err = tx.CreateMenuItem(domain.MenuItem{Title: f.itemTitle, CategoryID: cats[1].ID,
			Kind: domain.MenuProfessional, Term: domain.TermShort, Volunteers: 2, Active: true, TeamIDs: []int64{teams[0].ID}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.gacha == 0 {
		t.Fatal("the demo has no 巴彦嘎查")
	}
	day := time.Now().In(time.FixedZone("CST", 8*3600))
	f.dateFrom, f.dateTo = day.AddDate(0, 0, 7).Format("2006-01-02"), day.AddDate(0, 0, 9).Format("2006-01-02")
	return f
}

// place orders f's item for a site as the public and returns the order.
func (f workFixture) place(t *testing.T, site int64, name, phone string) domain.Order {
	t.Helper()
	ctx := context.Background()
	code, err := f.a.Service.PlaceOrder(ctx, f.public, domain.OrderInput{RequesterName: name, RequesterPhone: phone,
		SiteID: site, DateFrom: f.dateFrom, DateTo: f.dateTo, Beneficiaries: 40, ItemIDs: []int64{f.item}})
	if err != nil {
		t.Fatalf("PlaceOrder: %v", err)
	}
	o, err := f.a.Store.OrderByCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func orderPath(o domain.Order, suffix string) string {
	return "/orders/" + strconv.FormatInt(o.ID, 10) + suffix
}

// rowOf finds an order's row in the work list, and whether it is marked
// changed.
func rowOf(body string, id int64) (string, bool) {
	m := regexp.MustCompile(`(?s)<tr id="order-` + strconv.FormatInt(id, 10) + `" class="(changed)?">(.*?)</tr>`).FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return m[2], m[1] != ""
}

// TestWorkListReviewAndReveal: the committee sees new orders marked, rejects
// one with a reason and accepts another; a second accept is refused with a
// translated reason; the site's contact reads but cannot review; the full
// phone is shown on request and audited.
func TestWorkListReviewAndReveal(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	f := newWorkFixture(t, a)
	first := f.place(t, f.gacha, "巴特尔", "13912345678")
	second := f.place(t, f.gacha, "其其格", "13987654321")

	admin := a.login(t, "admin")
	r := admin.get(t, "/orders")
	if r.StatusCode != http.StatusOK || r.h1() != "点单受理" {
		t.Fatalf("GET /orders: %d %q", r.StatusCode, r.h1())
	}
	for _, o := range []domain.Order{first, second} {
		row, changed := rowOf(r.body, o.ID)
		if !changed || !strings.Contains(row, `<span class="pill new"`) || !strings.Contains(row, f.itemTitle) ||
			!strings.Contains(row, domain.MaskPhone(o.RequesterPhone)) || !strings.Contains(row, "网上点单") ||
			!strings.Contains(row, "已提交") || !strings.Contains(row, "巴彦嘎查") {
			t.Errorf("work list row of order %d (changed %v):\n%s", o.ID, changed, row)
		}
	}
	if m := fullNumber.FindStringSubmatch(r.body); m != nil {
		t.Errorf("the work list shows a full number %q", m[1])
	}
	if !strings.Contains(r.body, "这是您第一次查看点单受理") {
		t.Error("the first look does not say so")
	}
	// Filters: by channel and by name; the second look has no news.
	r = admin.get(t, "/orders?channel=hotline&q=巴特尔")
	if row, _ := rowOf(r.body, first.ID); row != "" {
		t.Error("filtering by the hotline channel lists an online order")
	}
	r = admin.get(t, "/orders?q="+url.QueryEscape("巴特尔")+"&state=submitted")
	if row, changed := rowOf(r.body, first.ID); row == "" || changed || strings.Contains(row, "pill new") {
		t.Errorf("search by name: row %q, changed %v; want it listed and no longer new", row, changed)
	}
	if !strings.Contains(r.body, "自您上次查看以来，没有新的变化") {
		t.Error("the second look does not say that nothing changed")
	}

	// The detail, with the review form.
	r = admin.get(t, orderPath(first, ""))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="accept"`) || !strings.Contains(r.body, `id="reject-form"`) {
		t.Fatalf("GET %s: %d, review buttons missing", orderPath(first, ""), r.StatusCode)
	}
	if !strings.Contains(r.body, "139****5678") || strings.Contains(r.body, "13912345678") {
		t.Error("the order page does not mask the phone")
	}
	r = admin.postForm(t, orderPath(first, "/reject"), url.Values{"reason": {"  "}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["reason"] != "请填写原因，点单人会看到它。" {
		t.Fatalf("reject without a reason: %d %v", r.StatusCode, r.fieldErrors())
	}
	r = admin.postForm(t, orderPath(first, "/reject"), url.Values{"reason": {"冬季道路封闭，开春后安排"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != orderPath(first, "?saved=reject") {
		t.Fatalf("reject: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	r = admin.get(t, orderPath(first, "?saved=reject"))
	if !strings.Contains(r.body, "已不予受理") || !strings.Contains(r.body, "冬季道路封闭，开春后安排") ||
		!strings.Contains(r.body, "工委管理员") || strings.Contains(r.body, `id="accept"`) {
		t.Errorf("after the rejection the page lacks the notice, the reason or the actor, or still offers review")
	}
	r = admin.postForm(t, orderPath(first, "/accept"), url.Values{})
	if r.StatusCode != http.StatusConflict || r.notice() != "订单当前不能“受理”（当前状态：未受理）。" {
		t.Errorf("accept a rejected order: %d %q", r.StatusCode, r.notice())
	}
	tr, err := a.Service.TrackOrder(context.Background(), f.public, first.Code)
	if err != nil || tr.Order.State != domain.OrderRejected || tr.Steps[len(tr.Steps)-1].Reason != "冬季道路封闭，开春后安排" {
		t.Errorf("the requester's status: %+v, %v", tr.Order.State, err)
	}

	// The site's contact reads the site's orders but does not review them.
	contact := a.login(t, "gacha-contact")
	if r := contact.get(t, "/orders"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "order-"+strconv.FormatInt(second.ID, 10)) {
		t.Errorf("contact's work list: %d, lists the site's order: %v", r.StatusCode, strings.Contains(r.body, "order-"))
	}
	r = contact.get(t, orderPath(second, ""))
	if r.StatusCode != http.StatusOK || strings.Contains(r.body, `id="accept"`) || strings.Contains(r.body, `id="reveal-phone"`) {
		t.Errorf("contact's order page: %d, offers review or reveal", r.StatusCode)
	}
	if r := contact.postForm(t, orderPath(second, "/accept"), url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("contact accepts: %d, want 403", r.StatusCode)
	}
	// 巴彦嘎查 is the committee's own: 市农牧业局's admin may not open it.
	nmj := a.login(t, "nmj-admin")
	if r := nmj.get(t, orderPath(second, "")); r.StatusCode != http.StatusForbidden {
		t.Errorf("org admin opens another org's order: %d, want 403", r.StatusCode)
	}
	if r := nmj.postForm(t, orderPath(second, "/accept"), url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("org admin accepts another org's order: %d, want 403", r.StatusCode)
	}

	// The committee accepts the second and reveals its phone.
	if r := admin.postForm(t, orderPath(second, "/accept"), url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d %q", r.StatusCode, r.notice())
	}
	r = admin.postForm(t, orderPath(second, "/reveal"), url.Values{})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `<span class="mono" id="phone-full">13987654321</span>`) {
		t.Errorf("reveal: %d", r.StatusCode)
	}
	es, _ := a.Store.ListAudit(context.Background(), domain.AuditFilter{Action: "order.reveal"})
	if len(es) != 1 || es[0].Username != "admin" || es[0].ObjectID != strconv.FormatInt(second.ID, 10) {
		t.Errorf("audit after the reveal: %+v", es)
	}
}

// TestOrgAdminReviewsOwnSites: 市农牧业局's admin reviews an order of one of
// its sites and sees it in the work list.
func TestOrgAdminReviewsOwnSites(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	f := newWorkFixture(t, a)
	o := f.place(t, f.nmjSite, "乌云", "13700001111")
	nmj := a.login(t, "nmj-admin")
	r := nmj.get(t, "/orders?state=submitted")
	if row, _ := rowOf(r.body, o.ID); row == "" {
		t.Fatal("org admin's work list lacks their site's order")
	}
	r = nmj.get(t, orderPath(o, ""))
	if !strings.Contains(r.body, `id="accept"`) || !strings.Contains(r.body, `id="reveal-phone"`) {
		t.Error("org admin is not offered review and reveal on their site's order")
	}
	if r := nmj.postForm(t, orderPath(o, "/accept"), url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("org admin accepts: %d %q", r.StatusCode, r.notice())
	}
	if r := nmj.get(t, orderPath(o, "?saved=accept")); !strings.Contains(r.body, "已受理该点单") {
		t.Error("no notice after accepting")
	}
}

// TestStaffEnterHotlineOrder: staff record an order that came by telephone;
// the page shows the code to tell the caller, the channel and who took it.
func TestStaffEnterHotlineOrder(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	f := newWorkFixture(t, a)
	admin := a.login(t, "admin")
	r := admin.get(t, "/orders/new")
	if r.StatusCode != http.StatusOK || r.h1() != "录入点单" {
		t.Fatalf("GET /orders/new: %d %q", r.StatusCode, r.h1())
	}
	if !strings.Contains(r.body, `name="items" value="`+strconv.FormatInt(f.item, 10)+`"`) ||
		!strings.Contains(r.body, `<option value="hotline">热线电话</option>`) || strings.Contains(r.body, `<option value="online"`) {
		t.Error("the form lacks the menu item or the staff channels, or offers the online channel")
	}

	r = admin.postForm(t, "/orders", url.Values{"beneficiaries": {"many"}})
	errs := r.fieldErrors()
	for _, field := range []string{"channel", "requester_name", "requester_phone", "place", "items", "date_from", "beneficiaries"} {
		if errs[field] == "" {
			t.Errorf("an empty form: no error for %s (errors %v)", field, errs)
		}
	}
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="many"`) {
		t.Errorf("an empty form: %d, or the typed value is lost", r.StatusCode)
	}

	form := url.Values{"channel": {"hotline"}, "requester_name": {"额尔敦"}, "requester_phone": {"13611112222"},
		"site_id": {strconv.FormatInt(f.gacha, 10)}, "items": {strconv.FormatInt(f.item, 10)}, "date_from": {f.dateFrom},
		"date_to": {f.dateTo}, "beneficiaries": {"30"}, "need": {"另需讲解春季防疫要点"}, "notes": {"电话打来，傍晚方便联系"}}
	r = admin.postForm(t, "/orders", form)
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "?created=1") {
		t.Fatalf("POST /orders: %d %q; errors %v", r.StatusCode, loc, r.fieldErrors())
	}
	r = admin.get(t, loc)
	code := firstGroup(regexp.MustCompile(`<span class="secret" id="order-code">([A-Z2-7 ]+)</span>`), r.body)
	if code == "" || !strings.Contains(r.body, `<dd id="order-channel">热线电话</dd>`) ||
		!strings.Contains(r.body, `<dd id="order-taken-by">工委管理员</dd>`) {
		t.Fatalf("the new order's page lacks the code, the channel or who took it")
	}
	tr, err := a.Service.TrackOrder(context.Background(), f.public, code)
	if err != nil || tr.Order.Channel != domain.ChannelHotline || tr.Order.Need != "另需讲解春季防疫要点" {
		t.Fatalf("the code %q tracks %+v, %v", code, tr.Order, err)
	}
	r = admin.get(t, "/orders?channel=hotline")
	if row, _ := rowOf(r.body, tr.Order.ID); !strings.Contains(row, "热线电话") {
		t.Errorf("the hotline order is not in the work list filtered by channel")
	}

	// An org admin enters orders for their own sites only.
	nmj := a.login(t, "nmj-admin")
	form.Set("channel", "visit")
	r = nmj.postForm(t, "/orders", form)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.fieldErrors()["place"], "只能为本单位") {
		t.Errorf("org admin enters an order for the committee's site: %d %v", r.StatusCode, r.fieldErrors())
	}
	form.Set("site_id", strconv.FormatInt(f.nmjSite, 10))
	if r = nmj.postForm(t, "/orders", form); r.StatusCode != http.StatusSeeOther {
		t.Errorf("org admin enters an order for their own site: %d %v", r.StatusCode, r.fieldErrors())
	}
	if r := a.login(t, "gacha-contact").get(t, "/orders/new"); r.StatusCode != http.StatusForbidden {
		t.Errorf("site contact opens the staff form: %d, want 403", r.StatusCode)
	}
}

// TestWorkPagesInEnglish renders the work list, an order, the staff form and
// the suggestion box's pages in English.
func TestWorkPagesInEnglish(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	f := newWorkFixture(t, a)
	o := f.place(t, f.gacha, "巴特尔", "13912345678")
	admin := a.login(t, "admin")
	admin.header.Set("Accept-Language", "en")
	for path, h1 := range map[string]string{"/orders": "Orders", orderPath(o, ""): "Order " + domain.OrderNumber(o.ID) + " Submitted",
		"/orders/new": "Enter an order", "/admin/suggestions": "Suggestion box", "/suggest": "Suggestion box",
		"/suggest/status": "Your suggestion"} {
		r := admin.get(t, path)
		if got := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(r.h1(), ""); r.StatusCode != http.StatusOK || strings.Join(strings.Fields(got), " ") != h1 {
			t.Errorf("GET %s in English: %d %q, want %q", path, r.StatusCode, got, h1)
		}
	}
}

// TestStaffSeeTheRequestersOrderNumber: the requester is given the order
// number ("000123") on /track; the committee's pages name the order by that
// same number, never by its record id ("#123"), and the work list finds the
// order when the requester quotes the number on the phone.
func TestStaffSeeTheRequestersOrderNumber(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	f := newWorkFixture(t, a)
	o := f.place(t, f.gacha, "图雅", "13847112233")
	other := f.place(t, f.gacha, "其其格", "13987654321")
	number, id := domain.OrderNumber(o.ID), "#"+strconv.FormatInt(o.ID, 10)

	admin := a.login(t, "admin")
	r := admin.get(t, orderPath(o, ""))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.h1(), number) || strings.Contains(r.h1(), id) {
		t.Errorf("the order page's title is %q, want the number %s", r.h1(), number)
	}
	if err := a.Service.ReviewOrder(context.Background(), service.SystemCaller, o.ID, domain.EventAccept, ""); err != nil {
		t.Fatal(err)
	}
	r = admin.get(t, "/desk")
	if !strings.Contains(r.body, number) || strings.Contains(r.body, id+" ") {
		t.Errorf("the desk's pool does not name the order %s", number)
	}
	r = admin.get(t, "/desk/orders/"+strconv.FormatInt(o.ID, 10))
	if !strings.Contains(r.h1(), number) || strings.Contains(r.h1(), id) {
		t.Errorf("the desk's order page title is %q, want the number %s", r.h1(), number)
	}
	for _, q := range []string{number, strconv.FormatInt(o.ID, 10)} {
		r = admin.get(t, "/orders?q="+url.QueryEscape(q))
		if row, _ := rowOf(r.body, o.ID); row == "" {
			t.Errorf("searching the work list for %q does not find the order", q)
		}
		if row, _ := rowOf(r.body, other.ID); row != "" && other.ID != o.ID {
			t.Errorf("searching the work list for %q lists another order too", q)
		}
	}
}
