package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// insuranceActivity finds the demo's activity that requires insurance.
func insuranceActivity(t *testing.T, a *testApp) int64 {
	t.Helper()
	list, _, err := a.Store.ListActivities(context.Background(), store.ActivityFilter{From: time.Now(), Limit: 1000,
		State: domain.ActivityScheduled})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		if strings.Contains(x.Title, "需要保险") {
			return x.ID
		}
	}
	t.Fatal("the demo has no activity that requires insurance")
	return 0
}

// TestInsuranceSignupFlow: the demo volunteer is refused the activity that
// requires insurance, on the page and through the API, with a clear Chinese
// message; a bad insurance form on /me answers 422 naming each field and
// keeps what was typed; a good one lets her sign up; the leader's roster
// shows her insurance valid.
func TestInsuranceSignupFlow(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	id := insuranceActivity(t, a)
	path := "/activities/" + strconv.FormatInt(id, 10)
	vol := a.login(t, "volunteer")
	if r := vol.get(t, path); !strings.Contains(r.body, `id="act-insurance"`) || !strings.Contains(r.body, "需要保险") {
		t.Errorf("the activity page does not show the insurance requirement")
	}
	r := vol.postForm(t, path+"/signup", url.Values{})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "本活动要求参加人员有保险") {
		t.Fatalf("sign-up without insurance: %d, notice %q", r.StatusCode, r.notice())
	}
	token := vol.newToken(t, "phone", "")
	wantError(t, "API sign-up without insurance", a.api(token).post(t, "/api/v1"+path+"/signup", nil), http.StatusConflict, "conflict")

	bad := url.Values{"insurer": {""}, "policy_no": {"P-1"}, "valid_from": {"2026-13-01"}, "valid_until": {"2026-01-01"}}
	r = vol.postForm(t, "/me/insurance", bad)
	errs := r.fieldErrors()
	if r.StatusCode != http.StatusUnprocessableEntity || errs["insurer"] != "此项必填。" || errs["valid_from"] == "" ||
		!strings.Contains(r.body, `value="P-1"`) {
		t.Fatalf("bad insurance: %d %v", r.StatusCode, errs)
	}
	bad.Set("insurer", "中国人寿")
	bad.Set("valid_from", "2026-12-01")
	if r := vol.postForm(t, "/me/insurance", bad); r.fieldErrors()["valid_until"] != "保险截止日期不能早于起始日期。" {
		t.Fatalf("until before from: %v", r.fieldErrors())
	}
	today := domain.ChinaDay(time.Now())
	good := url.Values{"insurer": {"中国人寿"}, "policy_no": {"GSC-2026-001"}, "valid_from": {today},
		"valid_until": {domain.AddYears(today, 1)}}
	if r := vol.postForm(t, "/me/insurance", good); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("good insurance: %d %v", r.StatusCode, r.fieldErrors())
	}
	if r := vol.get(t, "/me"); !strings.Contains(r.body, "GSC-2026-001") {
		t.Errorf("/me does not list the insurance")
	}
	wantRedirect(t, "sign up with insurance", vol.postForm(t, path+"/signup", url.Values{}), id, "confirmed")
	leader := a.login(t, "nmj-leader")
	r = leader.get(t, path)
	if !strings.Contains(r.body, `id="eligibility"`) || strings.Count(r.body, "<td class=\"nowrap\">有效</td>") < 4 {
		t.Errorf("the leader's roster does not show four insured volunteers")
	}
	if !strings.Contains(r.body, "未成年（16岁）") || !strings.Contains(r.body, "已登记") {
		t.Errorf("the leader's roster does not show the demo's minor with her guardian's consent")
	}
}

// TestConsentAndActivityRequirementForms: staff's consent form refuses bad
// input in Chinese and keeps it; a good consent shows with a masked phone;
// the activity form refuses a minimum age out of range and keeps a good one.
func TestConsentAndActivityRequirementForms(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	u, err := a.Store.UserByUsername(ctx, "volunteer")
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.Store.PersonByUserID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	admin := a.login(t, "nmj-admin")
	path := "/people/" + strconv.FormatInt(p.ID, 10)
	r := admin.postForm(t, path+"/consent", url.Values{"guardian": {"王芳"}, "relation": {"aunt"}, "phone": {"123"}, "date": {"2099-01-01"}})
	errs := r.fieldErrors()
	if r.StatusCode != http.StatusUnprocessableEntity || errs["relation"] != "请选择与志愿者的关系。" || errs["phone"] == "" ||
		errs["date"] == "" || !strings.Contains(r.body, `value="王芳"`) {
		t.Fatalf("bad consent: %d %v", r.StatusCode, errs)
	}
	r = admin.postForm(t, path+"/consent", url.Values{"guardian": {"王芳"}, "relation": {"mother"}, "phone": {"13912345678"},
		"date": {domain.ChinaDay(time.Now())}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("good consent: %d %v", r.StatusCode, r.fieldErrors())
	}
	if r := admin.get(t, path); !strings.Contains(r.body, "王芳（母亲，139****5678）") || strings.Contains(r.body, "13912345678") {
		t.Errorf("the person's page does not show the consent with the phone masked")
	}
	if r := a.login(t, "nmj-leader").postForm(t, path+"/consent", url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a leader recorded consent: %d", r.StatusCode)
	}

	leader := a.login(t, "nmj-leader")
	id := insuranceActivity(t, a)
	edit := leader.get(t, "/activities/"+strconv.FormatInt(id, 10)+"/edit")
	if !strings.Contains(edit.body, `name="requires_insurance" value="1" checked`) {
		t.Errorf("the edit form lost the insurance requirement")
	}
	act, err := a.Store.ActivityByID(ctx, id)
	if err != nil || len(act.Categories) == 0 {
		t.Fatalf("the insurance activity: %v", err)
	}
	f := &actFixture{a: a, team: act.TeamID, category: act.Categories[0].ID, site: act.SiteID}
	form := f.form("青少年环保宣传", domain.ModeUnit, time.Now().Add(72*time.Hour), 5)
	form.Set("min_age", "200")
	if r := leader.postForm(t, "/activities", form); r.StatusCode != http.StatusUnprocessableEntity ||
		r.fieldErrors()["min_age"] != "最低年龄须在 0 到 80 之间（0 表示不限）。" || !strings.Contains(r.body, `name="min_age" value="200"`) {
		t.Fatalf("minimum age 200: %d %v", r.StatusCode, r.fieldErrors())
	}
	form.Set("min_age", "14")
	nid := created(t, leader.postForm(t, "/activities", form))
	if got, err := a.Store.ActivityByID(ctx, nid); err != nil || got.Requirements.MinAge != 14 || got.Requirements.RequiresInsurance {
		t.Fatalf("requirements stored: %+v, %v", got.Requirements, err)
	}
	if r := leader.get(t, "/activities/"+strconv.FormatInt(nid, 10)); !strings.Contains(r.body, "年满14周岁") {
		t.Errorf("the activity page does not show the minimum age")
	}
}
