package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
)

// TestRecordRequestPages: the volunteer's requests page and the leader's
// queue render on the demo city; a declaration with bad input answers 422
// with the Chinese error beside its field and keeps what was typed; the
// queue shows the demo's waiting declarations with one flagged overdue, and
// a decline without a reason is refused.
func TestRecordRequestPages(t *testing.T) {
	a := newTestApp(t)
	v := a.login(t, "volunteer")
	r := v.get(t, "/records/requests")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="declare-form"`) || !strings.Contains(r.body, `id="my-requests"`) {
		t.Fatalf("GET /records/requests: %d", r.StatusCode)
	}
	future := time.Now().In(domain.ChinaZone).AddDate(0, 0, 2).Format("2006-01-02")
	r = v.postForm(t, "/records/requests", url.Values{"kind": {"unscheduled"}, "date": {future}, "place": {"巴彦嘎查"},
		"content": {"草原防火宣传"}, "hours": {"30"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad declaration: %d, want 422", r.StatusCode)
	}
	for _, want := range []string{"服务日期不能晚于今天。", "不能超过 24 小时。", "请写明申请的原因。", "请选择服务所属的服务队。", `value="草原防火宣传"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the refused declaration does not show %q", want)
		}
	}
	l := a.login(t, "nmj-leader")
	r = l.get(t, "/records/review")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /records/review: %d", r.StatusCode)
	}
	if n := strings.Count(r.body, `type="checkbox" name="id"`); n < 4 {
		t.Errorf("the leader's queue has %d waiting, want the demo's 4 declarations at least", n)
	}
	if !strings.Contains(r.body, `class="pill new flagged"`) {
		t.Error("no request is flagged overdue")
	}
	path := regexp.MustCompile(`action="(/records/review/\d+/decline)"`).FindStringSubmatch(r.body)
	if path == nil {
		t.Fatal("no decline form")
	}
	r = l.postForm(t, path[1], url.Values{"note": {""}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "不通过时请写明理由。") {
		t.Errorf("decline without a reason: %d", r.StatusCode)
	}
}
