package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

const unreadable = "无法识别的字符"

// inputCounts is what a refused request must not change: orders,
// suggestions, evaluations and audit rows.
func inputCounts(t *testing.T, a *testApp) [4]int {
	t.Helper()
	ctx := context.Background()
	_, orders, err1 := a.Store.ListOrders(ctx, store.OrderFilter{Scope: domain.Scope{All: true}, Limit: 1})
	_, suggestions, err2 := a.Store.ListSuggestions(ctx, store.SuggestionFilter{Limit: 1})
	evaluations, err3 := a.Store.CountEvaluations(ctx, store.EvaluationFilter{Scope: domain.Scope{All: true}})
	audit, err4 := a.Store.CountAudit(ctx)
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return [4]int{orders, suggestions, evaluations, audit}
}

// evalCodeOf returns the evaluation code of a served order, from the link
// its status page shows.
func evalCodeOf(t *testing.T, c *client, o domain.Order) string {
	t.Helper()
	r := c.get(t, "/track?code="+o.Code)
	m := evaluateLinkRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("the served order's status page has no evaluation link (%d)", r.StatusCode)
	}
	return m[1]
}

// TestControlCharactersRefused: the reproductions of issue 12, fault 8, on
// both databases. A NUL or invalid UTF-8 anywhere in a query or form is
// answered 422 in the user's language before any handler runs (a NUL gave
// 500 on PostgreSQL); control and bidi characters in free text are refused
// with a message on the field; nothing is stored.
func TestControlCharactersRefused(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		f := publicFixtureOf(t, a)
		public := a.newClient(t)
		o := servedDemoOrder(t, a)
		evalCode := evalCodeOf(t, public, o)
		before := inputCounts(t, a)

		for _, path := range []string{"/menu?q=%00", "/menu?q=%ff%fe", "/menu?q=a&category=%00", "/track?code=%00"} {
			if r := public.get(t, path); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, unreadable) {
				t.Errorf("GET %s: got %d, want 422 saying %q", path, r.StatusCode, unreadable)
			}
		}
		posts := []struct {
			path  string
			form  url.Values
			field string // the field whose message is shown, "" for the page's message
		}{
			{"/login", url.Values{"username": {"admin\x00"}, "password": {"wrong-pass-xx"}}, ""},
			{"/login", url.Values{"username": {"admin"}, "password": {"pass\x00word"}}, ""},
			{"/suggest", url.Values{"body": {"路灯\x00坏了"}}, ""},
			{"/suggest", url.Values{"body": {"路灯\a坏了"}}, "body"},
			{"/suggest", url.Values{"body": {"路灯坏了"}, "name": {"王\r\n芳"}}, "name"},
			{"/order", func() url.Values {
				v := f.orderForm(f.clinic)
				v.Del("site_id")
				v.Set("region_id", itoa(f.banner))
				v.Set("address", "幸福路\u202e号")
				return v
			}(), "address"},
			{"/order", func() url.Values { v := f.orderForm(f.clinic); v.Set("need", "修\x7f路"); return v }(), "need"},
			{"/order", func() url.Values { v := f.orderForm(f.clinic); v.Set("notes", "\x1b[31m"); return v }(), "notes"},
			{"/order", func() url.Values { v := f.orderForm(f.clinic); v.Set("notes", "院内\x00"); return v }(), ""},
			{"/evaluate", url.Values{"code": {evalCode}, "rating": {"5"}, "comment": {"很好\x1b[2J"}}, "comment"},
			{"/evaluate", url.Values{"code": {evalCode}, "rating": {"5"}, "comment": {"很好\u2066"}}, "comment"},
		}
		for _, p := range posts {
			r := public.postForm(t, p.path, p.form)
			ok := strings.Contains(r.body, unreadable)
			if p.field != "" {
				msg := r.fieldErrors()[p.field]
				ok = strings.Contains(msg, "字符") || strings.Contains(msg, "一行")
			}
			if r.StatusCode != http.StatusUnprocessableEntity || !ok {
				t.Errorf("POST %s %q: got %d, field errors %v; want 422 with a message on %q",
					p.path, p.form.Encode(), r.StatusCode, r.fieldErrors(), p.field)
			}
		}
		if after := inputCounts(t, a); after != before {
			t.Errorf("refused requests changed orders, suggestions, evaluations, audit rows: %v -> %v", before, after)
		}
		if got, _ := a.Store.OrderByID(context.Background(), o.ID); got.State != domain.OrderServed {
			t.Errorf("after refused evaluations the order is %s", got.State)
		}

		// The API answers in JSON, naming the field; staff forms apply the
		// rule to names (a person's name with CR/LF was stored).
		admin := a.login(t, "admin")
		r := admin.get(t, "/api/v1/me?x=%00")
		var body struct {
			Error struct{ Field, Message string }
		}
		if err := json.Unmarshal([]byte(r.body), &body); err != nil || r.StatusCode != http.StatusUnprocessableEntity ||
			body.Error.Field != "x" || !strings.Contains(body.Error.Message, unreadable) {
			t.Errorf("GET /api/v1/me?x=%%00: got %d %s, want 422 JSON naming x", r.StatusCode, r.body)
		}
		people, _, err := a.Store.ListPeople(context.Background(), store.PeopleFilter{Scope: domain.Scope{All: true}, Limit: 1})
		if err != nil || len(people) == 0 {
			t.Fatal(err)
		}
		r = admin.postForm(t, "/people", url.Values{"name": {"张\r\n三"}, "gender": {"male"}, "phone": {"13712345678"},
			"political_status": {"masses"}, "org_id": {itoa(people[0].OrgID)}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.fieldErrors()["name"], "一行") {
			t.Errorf("a person's name with CR/LF: got %d %v, want 422 on name", r.StatusCode, r.fieldErrors())
		}
	})
}

var formTokenRe = regexp.MustCompile(`name="form_token" value="([a-z2-7]{26})"`)

// formToken returns the idempotency token of the form on the page at path.
func formToken(t *testing.T, c *client, path string) string {
	t.Helper()
	r := c.get(t, path)
	m := formTokenRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET %s: got %d without a form token", path, r.StatusCode)
	}
	return m[1]
}

// TestPublicFormsAreIdempotent: issue 12, fault 11, on both databases. The
// order, suggestion and evaluation forms carry a token; a resubmission with
// it gets the first answer and creates nothing; a fresh form's token makes
// a new row. A resubmission whose content differs still gets the first
// answer: the token says "this form, again", and the first submission of
// that form is what the requester was answered.
func TestPublicFormsAreIdempotent(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		f := publicFixtureOf(t, a)
		public := a.newClient(t)
		start := inputCounts(t, a)
		grew := func(what string, i, want int) {
			t.Helper()
			if got := inputCounts(t, a)[i] - start[i]; got != want {
				t.Errorf("%s: %d new rows, want %d", what, got, want)
			}
		}

		// Orders.
		tok := formToken(t, public, "/order?item="+itoa(f.clinic))
		form := f.orderForm(f.clinic)
		form.Set("form_token", tok)
		first := public.postForm(t, "/order", form)
		again := public.postForm(t, "/order", form)
		form.Set("notes", "换了说法再交一次")
		changed := public.postForm(t, "/order", form)
		loc := first.Header.Get("Location")
		if first.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/track?code=") {
			t.Fatalf("POST /order: %d %q; errors %v", first.StatusCode, loc, first.fieldErrors())
		}
		for _, r := range []*response{again, changed} {
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != loc {
				t.Errorf("resubmitted order: %d %q, want 303 to the first order %q", r.StatusCode, r.Header.Get("Location"), loc)
			}
		}
		grew("one order token", 0, 1)
		tok2 := formToken(t, public, "/order?item="+itoa(f.clinic))
		if tok2 == tok {
			t.Fatal("two renderings of the order form share a token")
		}
		form.Set("form_token", tok2)
		if r := public.postForm(t, "/order", form); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") == loc {
			t.Errorf("a second form: %d %q, want a new order", r.StatusCode, r.Header.Get("Location"))
		}
		grew("two order tokens", 0, 2)

		// Eight parallel submissions of one form (a retry storm) make one
		// order, and every one is answered with it.
		form.Set("form_token", formToken(t, public, "/order?item="+itoa(f.clinic)))
		form.Set("requester_phone", "13612345678")
		locs := make(chan string, 8)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, a.url+"/order", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := public.hc.Do(req)
				if err != nil {
					locs <- err.Error()
					return
				}
				resp.Body.Close()
				locs <- fmt.Sprint(resp.StatusCode, " ", resp.Header.Get("Location"))
			}()
		}
		wg.Wait()
		close(locs)
		answers := map[string]int{}
		for l := range locs {
			answers[l]++
		}
		if len(answers) != 1 {
			t.Errorf("8 parallel submissions of one form got different answers: %v", answers)
		}
		for l := range answers {
			if !strings.HasPrefix(l, "303 /track?code=") {
				t.Errorf("parallel submissions: %q, want 303 to the order", l)
			}
		}
		grew("a parallel retry storm", 0, 3)

		// Suggestions.
		tok = formToken(t, public, "/suggest")
		sform := url.Values{"body": {"河边需要清理垃圾"}, "form_token": {tok}}
		s1 := public.postForm(t, "/suggest", sform)
		sform.Set("body", "再交一次，内容不同")
		s2 := public.postForm(t, "/suggest", sform)
		if s1.StatusCode != http.StatusSeeOther || s2.StatusCode != http.StatusSeeOther ||
			s1.Header.Get("Location") != s2.Header.Get("Location") {
			t.Errorf("resubmitted suggestion: %d %q then %d %q, want one status page", s1.StatusCode,
				s1.Header.Get("Location"), s2.StatusCode, s2.Header.Get("Location"))
		}
		grew("one suggestion token", 1, 1)
		sform.Set("form_token", formToken(t, public, "/suggest"))
		if r := public.postForm(t, "/suggest", sform); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") == s1.Header.Get("Location") {
			t.Errorf("a second suggestion form: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		grew("two suggestion tokens", 1, 2)

		// Evaluations: one per order, so a second form is refused as
		// already evaluated while a resubmission is thanked as the first.
		o := servedDemoOrder(t, a)
		code := evalCodeOf(t, public, o)
		tok = formToken(t, public, "/evaluate?code="+code)
		eform := url.Values{"code": {code}, "rating": {"4"}, "comment": {"准时到场"}, "form_token": {tok}}
		e1 := public.postForm(t, "/evaluate", eform)
		eform.Set("rating", "1")
		e2 := public.postForm(t, "/evaluate", eform)
		if e1.StatusCode != http.StatusSeeOther || e2.StatusCode != http.StatusSeeOther ||
			e1.Header.Get("Location") != e2.Header.Get("Location") {
			t.Errorf("resubmitted evaluation: %d %q then %d %q, want the same thanks", e1.StatusCode,
				e1.Header.Get("Location"), e2.StatusCode, e2.Header.Get("Location"))
		}
		grew("one evaluation token", 2, 1)
		if r := public.get(t, e1.Header.Get("Location")); !strings.Contains(r.body, "准时到场") {
			t.Errorf("the evaluation page does not show the first submission's comment")
		}
		eform.Set("form_token", service.NewFormToken())
		if r := public.postForm(t, "/evaluate", eform); r.StatusCode != http.StatusConflict {
			t.Errorf("a new evaluation form for an evaluated order: got %d, want 409", r.StatusCode)
		}
		grew("evaluations", 2, 1)
	})
}

// ahead is the date n days from today in China, for an order's window: a
// window may reach at most a year ahead.
func ahead(n int) string {
	return time.Now().In(domain.ChinaZone).AddDate(0, 0, n).Format("2006-01-02")
}

// TestPhoneOutsideScopeLooksFree: issue 12, fault 10, through the router on
// both databases. An org admin who enters a person with the mobile number
// of someone outside their scope gets the same answer, and the same person
// page, as with a free number; the committee sees the duplicate on the
// held person's page; within scope the duplicate is refused by name.
func TestPhoneOutsideScopeLooksFree(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		ctx := context.Background()
		oc := staffCaller(t, a, "nmj-admin")
		people, _, err := a.Store.ListPeople(ctx, store.PeopleFilter{Scope: domain.Scope{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		var outside domain.Person
		var org int64
		for _, p := range people {
			if outside.ID == 0 && !domain.Can(oc.Principal, domain.ActRegistryRead, p.Target()) {
				outside = p
			}
			if org == 0 && domain.Can(oc.Principal, domain.ActRegistryWrite, p.Target()) {
				org = p.OrgID
			}
		}
		if outside.ID == 0 || org == 0 {
			t.Fatalf("the demo city has no person outside nmj-admin's scope (%d) or none inside (%d)", outside.ID, org)
		}
		orgAdmin := a.login(t, "nmj-admin")
		enter := func(name, phone string) (*response, *response) {
			t.Helper()
			r := orgAdmin.postForm(t, "/people", url.Values{"name": {name}, "gender": {"female"}, "phone": {phone},
				"political_status": {"masses"}, "org_id": {itoa(org)}})
			return r, orgAdmin.get(t, r.Header.Get("Location"))
		}
		const free = "13712340001"
		freeAnswer, freePage := enter("其其格", free)
		heldAnswer, heldPage := enter("其其格", outside.Phone)
		savedRe := regexp.MustCompile(`^/people/\d+\?saved=1$`)
		// What differs between the two pages is only the person's id and
		// number; everything else must read the same.
		same := func(r *response, phone string) string {
			s := strings.ReplaceAll(r.body, domain.MaskPhone(phone), "PHONE")
			s = regexp.MustCompile(`XF[0-9A-Z]{4}-[0-9A-Z]{5}`).ReplaceAllString(s, "VNO") // the volunteer number
			return regexp.MustCompile(`[0-9a-f]{16}|\d+`).ReplaceAllString(s, "N")
		}
		for _, x := range []struct {
			answer, page *response
			phone        string
		}{{freeAnswer, freePage, free}, {heldAnswer, heldPage, outside.Phone}} {
			if x.answer.StatusCode != http.StatusSeeOther || !savedRe.MatchString(x.answer.Header.Get("Location")) ||
				x.page.StatusCode != http.StatusOK || !strings.Contains(x.page.body, domain.MaskPhone(x.phone)) {
				t.Errorf("entering %s: %d %q then %d; want 303 to the saved person showing %s; errors %v",
					domain.MaskPhone(x.phone), x.answer.StatusCode, x.answer.Header.Get("Location"), x.page.StatusCode,
					domain.MaskPhone(x.phone), x.answer.fieldErrors())
			}
			if strings.Contains(x.page.body, `id="same-phone"`) || strings.Contains(x.page.body, outside.Name) {
				t.Errorf("the org admin's page of the person with %s tells of someone else", domain.MaskPhone(x.phone))
			}
		}
		if same(freePage, free) != same(heldPage, outside.Phone) {
			t.Error("the org admin's pages for a free number and a number held outside their scope differ beyond id and number")
		}

		committee := a.login(t, "admin")
		r := committee.get(t, heldAnswer.Header.Get("Location"))
		if !strings.Contains(r.body, `id="same-phone"`) || !strings.Contains(r.body, outside.Name) ||
			!strings.Contains(r.body, "/people/"+itoa(outside.ID)) {
			t.Errorf("the committee's page of the held person does not show %s as a duplicate", outside.Name)
		}
		if r := committee.get(t, freeAnswer.Header.Get("Location")); strings.Contains(r.body, `id="same-phone"`) {
			t.Error("the committee sees a duplicate for a free number")
		}

		// The committee finds the held entries in one list; for the org
		// admin the same address lists everyone, held or not.
		heldPath, freePath := strings.TrimSuffix(heldAnswer.Header.Get("Location"), "?saved=1"),
			strings.TrimSuffix(freeAnswer.Header.Get("Location"), "?saved=1")
		r = committee.get(t, "/people?held=1&q="+url.QueryEscape("其其格"))
		if !strings.Contains(r.body, `href="`+heldPath+`"`) || strings.Contains(r.body, `href="`+freePath+`"`) {
			t.Errorf("the committee's list of held people (%d) does not list just the held entry %s", r.StatusCode, heldPath)
		}
		r = orgAdmin.get(t, "/people?held=1&q="+url.QueryEscape("其其格"))
		if !strings.Contains(r.body, `href="`+heldPath+`"`) || !strings.Contains(r.body, `href="`+freePath+`"`) ||
			strings.Contains(r.body, `id="people-held"`) {
			t.Errorf("the org admin's /people?held=1 (%d) tells held from free entries", r.StatusCode)
		}

		again, _ := enter("其其格二", free)
		if again.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(again.fieldErrors()["phone"], "其其格") {
			t.Errorf("a duplicate within scope: %d %v, want 422 naming 其其格", again.StatusCode, again.fieldErrors())
		}
	})
}
