package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

var (
	evaluateLinkRe = regexp.MustCompile(`href="/evaluate\?code=([a-z2-7]{26})"`)
	answerFormRe   = regexp.MustCompile(`action="/admin/complaints/(\d+)/answer"`)
)

// servedDemoOrder returns a served order of the demo city's year.
func servedDemoOrder(t *testing.T, a *testApp) domain.Order {
	t.Helper()
	list, _, err := a.Store.ListOrders(context.Background(), store.OrderFilter{Scope: domain.Scope{All: true},
		State: domain.OrderServed, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("the demo city has no served order (%d, %v)", len(list), err)
	}
	return list[0]
}

// TestEvaluateByLinkFromTracking: the requester finds the link on the status
// page of a served order; bad forms come back in Chinese with what was
// typed; a good one thanks them; a second is refused as already evaluated,
// in their language; staff see it.
func TestEvaluateByLinkFromTracking(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	o := servedDemoOrder(t, a)
	c := a.newClient(t)

	r := c.get(t, "/track?code="+o.Code)
	m := evaluateLinkRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil || !strings.Contains(r.body, "评价这次服务") {
		t.Fatalf("the served order's status page: got %d, evaluation link %v", r.StatusCode, m)
	}
	code := m[1]
	r = c.get(t, "/evaluate?code="+code)
	if r.StatusCode != http.StatusOK || r.h1() != "评价这次服务" || strings.Count(r.body, `name="rating"`) != 5 {
		t.Fatalf("GET /evaluate: got %d %q with %d rating choices", r.StatusCode, r.h1(), strings.Count(r.body, `name="rating"`))
	}

	for _, b := range []struct {
		form        url.Values
		field, text string
	}{
		{url.Values{"rating": {"0"}, "comment": {"队员很耐心"}}, "rating", "请在 1 到 5 颗星中选一个"},
		{url.Values{"rating": {"6"}, "comment": {"队员很耐心"}}, "rating", "请在 1 到 5 颗星中选一个"},
		{url.Values{"comment": {"队员很耐心"}}, "rating", "请选择满意程度"},
		{url.Values{"rating": {"5"}, "complaint": {"1"}, "comment": {"队员很耐心"}}, "complaint_text", "请写下要投诉的内容"},
	} {
		b.form.Set("code", code)
		r = c.postForm(t, "/evaluate", b.form)
		errs := r.fieldErrors()
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(errs[b.field], b.text) ||
			!strings.Contains(r.body, ">队员很耐心</textarea>") {
			t.Errorf("POST /evaluate %v: got %d with errors %v; want 422, %q on %s, the comment kept",
				b.form, r.StatusCode, errs, b.text, b.field)
		}
	}
	if r = c.postForm(t, "/evaluate", url.Values{"code": {code}, "rating": {"5"}, "stars": {"5"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown field: got %d, want 422", r.StatusCode)
	}
	if r = c.postForm(t, "/evaluate", url.Values{"code": {service.NewCode()}, "rating": {"5"}}); r.StatusCode != http.StatusNotFound ||
		!strings.Contains(r.notice(), "没有找到这个评价码") {
		t.Errorf("an unknown code: got %d notice %q", r.StatusCode, r.notice())
	}
	if got, _ := a.Store.OrderByID(context.Background(), o.ID); got.State != domain.OrderServed {
		t.Fatalf("after bad forms the order is %s", got.State)
	}

	r = c.postForm(t, "/evaluate", url.Values{"code": {code}, "rating": {"5"}, "comment": {"队员很耐心，讲得很清楚"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/evaluate?code="+code+"&done=1" {
		t.Fatalf("POST /evaluate: got %d Location %q", r.StatusCode, r.Header.Get("Location"))
	}
	r = c.get(t, r.Header.Get("Location"))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "谢谢您的评价") || !strings.Contains(r.body, "队员很耐心，讲得很清楚") ||
		strings.Contains(r.body, `id="eval-form"`) {
		t.Errorf("the thanks page: got %d", r.StatusCode)
	}
	r = c.postForm(t, "/evaluate", url.Values{"code": {code}, "rating": {"1"}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.notice(), "已经评价过了") {
		t.Errorf("a second evaluation: got %d notice %q, want 409 saying it was evaluated", r.StatusCode, r.notice())
	}
	en := a.newClient(t)
	en.get(t, "/lang/en")
	if r = en.postForm(t, "/evaluate", url.Values{"code": {code}, "rating": {"1"}}); r.StatusCode != http.StatusConflict ||
		!strings.Contains(r.notice(), "already been evaluated") {
		t.Errorf("a second evaluation in English: got %d notice %q", r.StatusCode, r.notice())
	}
	r = c.get(t, "/track?code="+o.Code)
	if !strings.Contains(r.body, "您的评价") || !strings.Contains(r.body, "队员很耐心，讲得很清楚") || evaluateLinkRe.MatchString(r.body) {
		t.Errorf("the status page after evaluation should show the evaluation and no link")
	}

	admin := a.login(t, "admin")
	r = admin.get(t, "/evaluations?rating=5")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "队员很耐心，讲得很清楚") {
		t.Errorf("the committee's evaluations: got %d without the new one", r.StatusCode)
	}
	r = admin.get(t, "/orders/"+itoa(o.ID))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="order-evaluation"`) || !strings.Contains(r.body, "队员很耐心，讲得很清楚") {
		t.Errorf("the order page: got %d without the evaluation", r.StatusCode)
	}
	for _, user := range []string{"nmj-admin", "nmj-leader"} {
		if r = a.login(t, user).get(t, "/evaluations"); r.StatusCode != http.StatusOK || strings.Contains(r.body, `id="eval-empty"`) {
			t.Errorf("%s: GET /evaluations got %d, want the demo's evaluations in their scope", user, r.StatusCode)
		}
	}
	a.stop()
	if strings.Contains(a.logs.String(), code) {
		t.Error("the log holds the evaluation code")
	}
}

// TestComplaintAnswered: the committee answers the demo city's open
// complaint; an empty answer comes back with the field's error; the
// requester reads the answer on the status page.
func TestComplaintAnswered(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	admin := a.login(t, "admin")
	r := admin.get(t, "/admin/complaints")
	m := answerFormRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET /admin/complaints: got %d, answer form %v; want the demo's open complaint", r.StatusCode, m)
	}
	path := "/admin/complaints/" + m[1] + "/answer"
	r = admin.postForm(t, path, url.Values{"answer": {"  "}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["answer"] != "此项必填。" {
		t.Errorf("an empty answer: got %d with %v", r.StatusCode, r.fieldErrors())
	}
	answer := "已核实，下周补派医疗队员，并向您致歉。"
	if r = admin.postForm(t, path, url.Values{"answer": {answer}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: got %d", path, r.StatusCode)
	}
	if r = admin.postForm(t, path, url.Values{"answer": {answer}}); r.StatusCode != http.StatusConflict {
		t.Errorf("a second answer: got %d, want 409", r.StatusCode)
	}
	r = admin.get(t, "/admin/complaints?state=answered")
	if !strings.Contains(r.body, answer) {
		t.Errorf("the answered list lacks the answer")
	}
	l, err := a.Service.Complaints(context.Background(), staffCaller(t, a, "admin"), store.EvaluationFilter{Complaint: store.ComplaintAnswered})
	if err != nil {
		t.Fatal(err)
	}
	var orderID int64
	for _, x := range l.Items {
		if x.Evaluation.Answer == answer {
			orderID = x.Order.ID
		}
	}
	o, err := a.Store.OrderByID(context.Background(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	if r = a.newClient(t).get(t, "/track?code="+o.Code); !strings.Contains(r.body, answer) {
		t.Errorf("the requester's status page lacks the answer")
	}
	if r = a.login(t, "nmj-admin").postForm(t, path, url.Values{"answer": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("an org admin answering: got %d, want 403", r.StatusCode)
	}
}
