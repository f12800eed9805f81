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

// TestDurationRulesForm: the committee sees the demo's rule; a bad new
// version is refused with a Chinese message on each field, keeps what was
// typed and saves nothing; a good one is listed; applying needs a reason;
// an org admin may not open the page; a leader opens an activity's flagged
// attendance.
func TestDurationRulesForm(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	admin := a.login(t, "admin")
	r := admin.get(t, "/admin/rules")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "时长规则 第1版") || strings.Contains(r.body, "rules.") {
		t.Fatalf("GET /admin/rules: %d, h1 %q, demo rule listed %v", r.StatusCode, r.h1(), strings.Contains(r.body, "时长规则 第1版"))
	}
	before, _ := a.Store.DurationRules(ctx)
	r = admin.postForm(t, "/admin/rules", url.Values{"effective_on": {"2026-02-30"}, "bands": {"15:20, 45:30"},
		"min_share": {"120"}, "daily_max": {"30"}, "checkout_delay": {"-5"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad rule: %d", r.StatusCode)
	}
	errs := r.fieldErrors()
	for f, want := range map[string]string{"effective_on": "生效日期", "bands": "第 1 个档位", "min_share": "0 到 100",
		"daily_max": "24", "checkout_delay": "分钟"} {
		if !strings.Contains(errs[f], want) {
			t.Errorf("field %s: error %q, want one mentioning %q", f, errs[f], want)
		}
	}
	if !strings.Contains(r.body, `value="15:20, 45:30"`) {
		t.Error("the bands typed were lost")
	}
	if after, _ := a.Store.DurationRules(ctx); len(after) != len(before) {
		t.Fatalf("a bad rule was saved: %d versions, had %d", len(after), len(before))
	}
	r = admin.postForm(t, "/admin/rules", url.Values{"effective_on": {"2026-01-01"}, "bands": {"30：0，60：60"},
		"min_share": {"50%"}, "daily_max": {"10"}, "checkout_delay": {"30"}, "note": {"测试"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("good rule: %d, errors %v", r.StatusCode, r.fieldErrors())
	}
	if r = admin.get(t, "/admin/rules?saved=1"); !strings.Contains(r.body, "时长规则 第2版") || !strings.Contains(r.body, "10 小时") {
		t.Fatalf("the new version is not listed")
	}
	rules, _ := a.Store.DurationRules(ctx)
	r = admin.postForm(t, "/admin/rules/apply", url.Values{"rule": {strconv.FormatInt(rules[0].ID, 10)},
		"from": {"2026-03-01"}, "to": {"2026-02-01"}, "reason": {" "}})
	if errs := r.fieldErrors(); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(errs["reason"], "原因") ||
		!strings.Contains(errs["to"], "结束日期") {
		t.Errorf("bad apply: %d, errors %v", r.StatusCode, errs)
	}
	r = admin.postForm(t, "/admin/rules/apply", url.Values{"rule": {strconv.FormatInt(rules[0].ID, 10)},
		"from": {"2026-06-01"}, "to": {"2026-06-30"}, "reason": {"按第2版重算"}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="rules-applied"`) || !strings.Contains(r.body, "已重算") {
		t.Errorf("apply: %d, errors %v", r.StatusCode, r.fieldErrors())
	}
	if org := a.login(t, "nmj-admin"); org.get(t, "/admin/rules").StatusCode != http.StatusForbidden {
		t.Error("an org admin opened the duration rules")
	}
	acts, _, err := a.Store.ListActivities(ctx, store.ActivityFilter{State: domain.ActivityScheduled, Limit: 1})
	if err != nil || len(acts) == 0 {
		t.Fatalf("activities: %v", err)
	}
	path := "/activities/" + strconv.FormatInt(acts[0].ID, 10) + "/flags"
	if r := admin.get(t, path+"?show=all"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "被标记的考勤") {
		t.Errorf("GET %s: %d", path, r.StatusCode)
	}
	if r := admin.postForm(t, path+"/999999/clear", url.Values{"note": {""}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.fieldErrors()["note"], "核查说明") {
		t.Errorf("clear without a note: %d %v", r.StatusCode, r.fieldErrors())
	}
}
