package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
)

// submitSuggestion posts the public form and returns the code from the
// redirect to the status page.
func submitSuggestion(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	r := c.postForm(t, "/suggest", form)
	loc, _ := url.Parse(r.Header.Get("Location"))
	if r.StatusCode != http.StatusSeeOther || loc == nil || loc.Path != "/suggest/status" || loc.Query().Get("new") != "1" {
		t.Fatalf("POST /suggest: %d %q; errors %v, notice %q", r.StatusCode, r.Header.Get("Location"), r.fieldErrors(), r.notice())
	}
	return loc.Query().Get("code")
}

// TestSuggestionBoxFromWriterToReply: the public writes, is refused for
// unknown fields and a bad number, gets a code, and reads the committee's
// reply by it; the committee sees the suggestion marked new with the number
// masked.
func TestSuggestionBoxFromWriterToReply(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	public := a.newClient(t)
	if r := public.get(t, "/suggest"); r.StatusCode != http.StatusOK || r.h1() != "意见箱" {
		t.Fatalf("GET /suggest: %d %q", r.StatusCode, r.h1())
	}
	r := public.postForm(t, "/suggest", url.Values{"body": {"路灯坏了"}, "admin": {"1"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "admin") {
		t.Errorf("an unknown field: %d, want 422 naming it", r.StatusCode)
	}
	r = public.postForm(t, "/suggest", url.Values{"body": {"河边需要清理垃圾"}, "phone": {"12345"}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["phone"] == "" || !strings.Contains(r.body, "河边需要清理垃圾</textarea>") {
		t.Errorf("a bad phone: %d %v; the text must stay", r.StatusCode, r.fieldErrors())
	}
	if r := public.postForm(t, "/suggest", url.Values{"body": {""}}); r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["body"] == "" {
		t.Errorf("an empty suggestion: %v", r.fieldErrors())
	}
	named := submitSuggestion(t, public, url.Values{"name": {"其其格"}, "phone": {"139 1234 5678"}, "body": {"河边需要清理垃圾"}})
	anon := submitSuggestion(t, public, url.Values{"body": {"希望多放露天电影"}, "region_id": {""}})

	r = public.get(t, "/suggest/status?code="+named+"&new=1")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="suggest-code"`) || !strings.Contains(r.body, "河边需要清理垃圾") ||
		!strings.Contains(r.body, "待处理") {
		t.Errorf("the status page after sending: %d", r.StatusCode)
	}
	if r := public.get(t, "/suggest/status?code=aaaaaaaaaaaaaaaaaaaaaaaaaa"); r.StatusCode != http.StatusNotFound ||
		r.notice() != "没有找到这个查询码对应的意见，请核对后重试。" {
		t.Errorf("an unknown code: %d %q", r.StatusCode, r.notice())
	}
	if r := public.get(t, "/suggest/status"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="suggest-lookup"`) {
		t.Errorf("the lookup form: %d", r.StatusCode)
	}

	x, err := a.Store.SuggestionByCode(ctx, named)
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(x.ID, 10)
	admin := a.login(t, "admin")
	r = admin.get(t, "/admin/suggestions")
	if r.StatusCode != http.StatusOK || r.h1() != "意见箱" || !strings.Contains(r.body, `<tr id="suggestion-`+id+`" class="changed">`) ||
		!strings.Contains(r.body, "139****5678") || !strings.Contains(r.body, "匿名") {
		t.Fatalf("the committee's list: %d %q; new marker, masked phone or anonymous writer missing", r.StatusCode, r.h1())
	}
	if m := fullNumber.FindStringSubmatch(r.body); m != nil {
		t.Errorf("the suggestions list shows a full number %q", m[1])
	}
	if r := admin.get(t, "/admin/suggestions?state=open"); !strings.Contains(r.body, `<tr id="suggestion-`+id+`" class="">`) {
		t.Error("a suggestion is still marked new on the second look")
	}
	if r := a.login(t, "nmj-admin").get(t, "/admin/suggestions"); r.StatusCode != http.StatusForbidden {
		t.Errorf("org admin opens the box: %d, want 403", r.StatusCode)
	}

	r = admin.get(t, "/admin/suggestions/"+id)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="reply-form"`) || strings.Contains(r.body, "13912345678") {
		t.Fatalf("the suggestion page: %d; reply form missing or full phone shown", r.StatusCode)
	}
	if r := admin.postForm(t, "/admin/suggestions/"+id+"/reply", url.Values{"reply": {" "}}); r.StatusCode != http.StatusUnprocessableEntity ||
		r.fieldErrors()["reply"] == "" {
		t.Errorf("an empty reply: %d %v", r.StatusCode, r.fieldErrors())
	}
	r = admin.postForm(t, "/admin/suggestions/"+id+"/reply", url.Values{"reply": {"已安排环境整治服务队本周清理"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/suggestions/"+id+"?saved=reply" {
		t.Fatalf("reply: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	r = admin.postForm(t, "/admin/suggestions/"+id+"/reveal", url.Values{})
	if !strings.Contains(r.body, `id="phone-full">13912345678<`) {
		t.Error("reveal does not show the full number")
	}
	if es, _ := a.Store.ListAudit(ctx, domain.AuditFilter{Action: "suggestion.reveal"}); len(es) != 1 {
		t.Errorf("audit holds %d suggestion.reveal rows, want 1", len(es))
	}
	r = public.get(t, "/suggest/status?code="+named)
	if !strings.Contains(r.body, "已安排环境整治服务队本周清理") || !strings.Contains(r.body, "已答复") || strings.Contains(r.body, `id="suggest-code"`) {
		t.Error("the writer does not read the reply, or the code notice shows again")
	}

	// Closing the anonymous one; it is then done.
	y, _ := a.Store.SuggestionByCode(ctx, anon)
	yid := strconv.FormatInt(y.ID, 10)
	if r := admin.postForm(t, "/admin/suggestions/"+yid+"/close", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", r.StatusCode)
	}
	r = admin.get(t, "/admin/suggestions/"+yid+"?saved=close")
	if !strings.Contains(r.body, "已关闭这条意见") || strings.Contains(r.body, `id="reply-form"`) || strings.Contains(r.body, `id="to-order"`) {
		t.Error("a closed suggestion still offers a reply or an order")
	}
	if r := admin.postForm(t, "/admin/suggestions/"+yid+"/order", url.Values{}); r.StatusCode != http.StatusConflict ||
		r.notice() != "这条意见的状态是“已关闭”，不能再办理。" {
		t.Errorf("order from a closed suggestion: %d %q", r.StatusCode, r.notice())
	}
	if r := public.get(t, "/suggest/status?code="+anon); !strings.Contains(r.body, "已关闭") {
		t.Error("the writer does not see that it was closed")
	}
}

// TestSuggestionBecomesOrder: the committee turns a suggestion into an order
// through the staff form filled from it; both pages link to each other and
// the writer can follow the order.
func TestSuggestionBecomesOrder(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	f := newWorkFixture(t, a)
	ctx := context.Background()
	public := a.newClient(t)
	code := submitSuggestion(t, public, url.Values{"name": {"其其格"}, "phone": {"13912345678"},
		"body": {"春季需要给牛羊打疫苗"}})
	x, _ := a.Store.SuggestionByCode(ctx, code)
	id := strconv.FormatInt(x.ID, 10)

	admin := a.login(t, "admin")
	r := admin.postForm(t, "/admin/suggestions/"+id+"/order", url.Values{})
	if r.StatusCode != http.StatusOK || r.h1() != "录入点单" || !strings.Contains(r.body, `name="suggestion_id" value="`+id+`"`) ||
		!strings.Contains(r.body, "春季需要给牛羊打疫苗</textarea>") || !strings.Contains(r.body, `value="其其格"`) ||
		!strings.Contains(r.body, "139****5678") || strings.Contains(r.body, "13912345678") {
		t.Fatalf("the order form from a suggestion: %d %q; prefill or masking wrong", r.StatusCode, r.h1())
	}
	form := url.Values{"suggestion_id": {id}, "channel": {"suggestion_box"}, "requester_name": {"其其格"},
		"requester_phone": {""}, "site_id": {strconv.FormatInt(f.gacha, 10)}, "items": {strconv.FormatInt(f.item, 10)},
		"date_from": {f.dateFrom}, "date_to": {f.dateTo}, "need": {"春季需要给牛羊打疫苗"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("date_to", "2000-01-01")
	if r := admin.postForm(t, "/orders", bad); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `name="suggestion_id" value="`+id+`"`) || r.fieldErrors()["date_to"] == "" {
		t.Errorf("a bad order from a suggestion: %d %v; the link must stay on the form", r.StatusCode, r.fieldErrors())
	}
	r = admin.postForm(t, "/orders", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /orders from a suggestion: %d %v %q", r.StatusCode, r.fieldErrors(), r.notice())
	}
	r = admin.get(t, r.Header.Get("Location"))
	if !strings.Contains(r.body, `<a href="/admin/suggestions/`+id+`">`) || !strings.Contains(r.body, "意见箱") {
		t.Error("the order does not link to its suggestion")
	}
	x, _ = a.Store.SuggestionByID(ctx, x.ID)
	o, err := a.Store.OrderByID(ctx, x.OrderID)
	if err != nil || x.State != domain.SuggestionOrdered || o.SuggestionID != x.ID || o.RequesterPhone != "13912345678" {
		t.Fatalf("after conversion: suggestion %+v, order %+v, %v", x, o, err)
	}
	r = admin.get(t, "/admin/suggestions/"+id)
	if !strings.Contains(r.body, `<a href="/orders/`+strconv.FormatInt(o.ID, 10)+`">`) || strings.Contains(r.body, `id="to-order"`) {
		t.Error("the suggestion does not link to its order, or still offers to make one")
	}
	if r := admin.postForm(t, "/orders", form); r.StatusCode != http.StatusConflict {
		t.Errorf("a second order from the same suggestion: %d, want 409", r.StatusCode)
	}
	r = public.get(t, "/suggest/status?code="+code)
	if !strings.Contains(r.body, `href="/track?code=`+o.Code+`"`) {
		t.Error("the writer cannot follow the order made from the suggestion")
	}
	// The org admin may enter orders, but not from the committee's box.
	form.Set("site_id", strconv.FormatInt(f.nmjSite, 10))
	if r := a.login(t, "nmj-admin").postForm(t, "/orders", form); r.StatusCode != http.StatusForbidden {
		t.Errorf("org admin posts an order from a suggestion: %d, want 403", r.StatusCode)
	}
}

// TestSuggestionBoxIsRateLimited: five suggestions an hour from one address.
func TestSuggestionBoxIsRateLimited(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	public := a.newClient(t)
	for i := 0; i < 5; i++ {
		submitSuggestion(t, public, url.Values{"body": {"第 " + strconv.Itoa(i+1) + " 条"}})
	}
	r := public.postForm(t, "/suggest", url.Values{"body": {"第 6 条"}})
	if r.StatusCode != http.StatusTooManyRequests || r.notice() != "提交太频繁：每小时最多 5 条意见，请稍后再试。" ||
		!strings.Contains(r.body, "第 6 条</textarea>") {
		t.Errorf("the sixth suggestion: %d %q; the text must stay", r.StatusCode, r.notice())
	}
	big := url.Values{"body": {strings.Repeat("长", 20000)}}
	if r := public.postForm(t, "/suggest", big); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an oversized body: %d, want 422", r.StatusCode)
	}
}
