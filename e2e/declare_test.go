package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestBrowserDeclareApproveAndCorrect is issue 15's browser test for
// volunteers' requests: the demo volunteer, on a 390 px phone, declares an
// unscheduled service (a field error first); the demo leader approves it in
// bulk together with the demo's waiting declarations (one flagged overdue);
// the hours appear on the volunteer's record and the points in her ledger;
// she then asks for a correction of that record, the leader declines it
// with a reason, and she sees the decision.
func TestBrowserDeclareApproveAndCorrect(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	st := srv.Main.Store
	vol := demoCaller(t, st, "volunteer")
	p, err := st.PersonByUserID(ctx, vol.UserID)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(domain.ChinaZone).Format("2006-01-02")
	const content = "为牧民讲解防火知识"

	v := newBrowser(t, srv.URL)
	v.step("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	v.navigate("/login")
	v.login("volunteer", service.DemoPassword)
	v.navigate("/records/me")
	v.click("#ask-link")
	v.expectPage("/records/requests", "我的申请", "zh-CN")
	if status := v.click("#declare-submit"); status != 422 {
		t.Errorf("an empty declaration: status %d, want 422", status)
	}
	if got := v.text("#declare-form"); !strings.Contains(got, "请填写大于 0 的小时数") || !strings.Contains(got, "请写明申请的原因") {
		t.Errorf("the declaration's errors read %q", got)
	}
	v.eval(`document.getElementById("declare-date").value = "` + today + `"`)
	team := v.eval(`(() => { const s = document.getElementById("declare-team");
		for (const o of s.options) { if (o.textContent === "市农牧业局党员志愿服务队") { s.value = o.value; return o.textContent } }
		return "" })()`)
	if team == "" {
		t.Fatal("the team 市农牧业局党员志愿服务队 is not offered")
	}
	v.typeInto("#declare-place", "巴彦嘎查")
	v.typeInto("#declare-content", content)
	v.typeInto("#declare-hours", "2.5")
	setField(v, "#declare-reason", "嘎查临时请求，村委会可作证明。")
	v.click("#declare-submit")
	if got := v.path(); got != "/records/requests" {
		t.Fatalf("after declaring: on %s", got)
	}
	if got := v.text("#my-requests"); !strings.Contains(got, content) || !strings.Contains(got, "待审核") {
		t.Errorf("the volunteer's requests read %q", got)
	}
	if w, _ := strconv.Atoi(v.eval(`String(document.documentElement.scrollWidth)`)); w > 390 {
		t.Errorf("the requests page on a 390 px phone is %d px wide", w)
	}
	v.screenshot("declare-phone")

	// The leader approves in bulk: everything waiting, the new one included.
	l := newBrowser(t, srv.URL)
	l.navigate("/login")
	l.login("nmj-leader", service.DemoPassword)
	l.navigate("/records/review")
	l.expectPage("/records/review", "志愿者申请审核", "zh-CN")
	waiting := l.count(`#review-table input[name="id"]`)
	if waiting < 4 || !strings.Contains(l.text("#review-table"), content) {
		t.Fatalf("the leader's queue has %d waiting and reads %q", waiting, l.text("#review-table"))
	}
	if n := l.count("#review-table .flagged"); n < 1 {
		t.Errorf("no overdue request is flagged")
	}
	l.screenshot("review-queue")
	l.eval(`document.querySelectorAll('#review-table input[name="id"]').forEach(c => { c.checked = true }), ""`)
	l.click("#bulk-approve")
	if got := l.text("#bulk-result"); !strings.Contains(got, "已通过 "+strconv.Itoa(waiting)+" 条申请") {
		t.Errorf("the bulk result reads %q, want %d approved", got, waiting)
	}
	l.screenshot("review-approved")

	// The hours on the volunteer's record, the points in her ledger.
	v.navigate("/records/me")
	if got := v.text("#records-table"); !strings.Contains(got, content) {
		t.Errorf("the record does not list the declared service: %q", got)
	}
	es, err := st.PointsLedger(ctx, p.ID, 20)
	if err != nil {
		t.Fatal(err)
	}
	declared := false
	for _, e := range es {
		declared = declared || (e.Cause == store.PointsDeclared && e.Points == 25)
	}
	if !declared {
		t.Errorf("no points entry of 25 for the declared 2.5 h: %+v", es)
	}
	v.screenshot("record-with-declared")
	rs, err := st.RecordRequests(ctx, store.RequestFilter{PersonID: p.ID, Kind: domain.RequestUnscheduled})
	if err != nil || len(rs) == 0 || rs[0].ActivityID == 0 {
		t.Fatalf("the approved declaration: %+v, %v", rs, err)
	}
	v.navigate("/records/" + strconv.FormatInt(p.ID, 10) + "/activities/" + strconv.FormatInt(rs[0].ActivityID, 10))
	if got := v.text("#hours-now"); got != "2.5" {
		t.Errorf("the declared record counts %q h, want 2.5", got)
	}
	if got := v.text("#declared-pill"); got != "自主申报" {
		t.Errorf("the declared record's mark reads %q", got)
	}

	// She asks for a correction of it; the leader declines with a reason.
	v.navigate("/records/requests")
	picked := v.eval(`(() => { const s = document.getElementById("correct-activity");
		for (const o of s.options) { if (o.textContent.startsWith("` + content + `")) { s.value = o.value; return o.value } }
		return "" })()`)
	if picked == "" {
		t.Fatal("the declared record is not offered for a correction")
	}
	v.typeInto("#correct-hours", "3")
	setField(v, "#correct-reason", "路上往返的时间也算服务。")
	if status := v.click("#correct-submit"); status != 422 {
		t.Errorf("3 h on a 2.5 h activity: status %d, want 422", status)
	}
	v.typeInto("#correct-hours", "2")
	setField(v, "#correct-reason", "实际服务 2 小时，多报了半小时。")
	v.click("#correct-submit")
	l.navigate("/records/review")
	if n := l.count(`#review-table input[name="id"]`); n != 1 {
		t.Fatalf("waiting after the correction request: %d, want 1", n)
	}
	setField(l, ".decline-form textarea", "按签到表核实为 2.5 小时，不需更正。")
	l.click(".decline-form button")
	if got := l.path(); got != "/records/review" {
		t.Errorf("after declining: on %s", got)
	}
	v.navigate("/records/requests")
	if got := v.text("#my-requests"); !strings.Contains(got, "未通过") || !strings.Contains(got, "按签到表核实为 2.5 小时") {
		t.Errorf("the volunteer does not see the decision: %q", got)
	}
	v.screenshot("decision-phone")
}

// setField sets a field's value by script: chromedp cannot clear an empty
// textarea.
func setField(b *browser, sel, text string) {
	b.t.Helper()
	b.eval(`document.querySelector(` + strconv.Quote(sel) + `).value = ` + strconv.Quote(text))
}
