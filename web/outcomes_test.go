package web_test

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/store"
	"vanguard/web/views"
)

// uploadPhoto posts a photo as the outcome page's form does.
func (c *client) uploadPhoto(t *testing.T, path, name string, data []byte) *response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("photo", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.app.url+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(t, req)
}

func smallPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// leaderActivity returns a completed activity of the demo leader's team.
func leaderActivity(t *testing.T, a *testApp) domain.Activity {
	t.Helper()
	ctx := context.Background()
	teams, err := a.Store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	var team int64
	for _, x := range teams {
		if x.Name == "市农牧业局党员志愿服务队" {
			team = x.ID
		}
	}
	as, _, err := a.Store.ListActivities(ctx, store.ActivityFilter{TeamID: team, State: domain.ActivityCompleted, Desc: true, Limit: 1})
	if err != nil || len(as) == 0 {
		t.Fatalf("no completed activity of team %d: %v", team, err)
	}
	return as[0]
}

var photoLinkRe = regexp.MustCompile(`/activities/\d+/photos/(\d+)"`)

// TestOutcomePage records an outcome as the demo leader: a bad form comes
// back with each fault by its field and the input kept; a good one saves;
// a photo uploads and is served with safe headers to those allowed only.
func TestOutcomePage(t *testing.T) {
	a := newTestApp(t)
	act := leaderActivity(t, a)
	base := "/activities/" + strconv.FormatInt(act.ID, 10)
	leader := a.login(t, "nmj-leader")

	r := leader.get(t, base+"/outcome")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `name="beneficiaries"`) || !strings.Contains(r.body, "立方米") {
		t.Fatalf("GET outcome: %d %s", r.StatusCode, r.h1())
	}
	bad := url.Values{"beneficiaries": {"很多"}, "narrative": {"测试"}}
	r = leader.postForm(t, base+"/outcome", bad)
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["beneficiaries"] == "" || !strings.Contains(r.body, "很多") {
		t.Fatalf("bad outcome: %d, faults %v", r.StatusCode, r.fieldErrors())
	}
	r = leader.postForm(t, base+"/outcome", url.Values{"beneficiaries": {"86"}, "narrative": {"现场服务顺利"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("good outcome: %d %s", r.StatusCode, r.notice())
	}

	// Photos: a text file named .jpg is refused with a message; a PNG is
	// kept and served.
	r = leader.uploadPhoto(t, base+"/photos", "fake.jpg", []byte("not a picture"))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "JPG 或 PNG") {
		t.Fatalf("text as photo: %d", r.StatusCode)
	}
	r = leader.uploadPhoto(t, base+"/photos", "site.png", smallPNG(t))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("photo upload: %d %s", r.StatusCode, r.body[:min(len(r.body), 300)])
	}
	r = leader.get(t, base+"/outcome")
	m := photoLinkRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no photo on the outcome page after upload")
	}
	photo := base + "/photos/" + m[1]
	r = leader.get(t, photo)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/png" ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Content-Disposition") != "inline" ||
		!strings.HasPrefix(r.Header.Get("Cache-Control"), "private") || !strings.HasPrefix(r.body, "\x89PNG") {
		t.Errorf("GET photo: %d %v", r.StatusCode, r.Header)
	}
	// The page shows the thumbnail; the link opens the photo.
	r = leader.get(t, base+"/outcome")
	if !strings.Contains(r.body, photo+"?size=thumb") {
		t.Errorf("the outcome page does not show the photo's thumbnail")
	}
	r = leader.get(t, photo+"?size=thumb")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(r.body, "\xff\xd8") {
		t.Errorf("GET thumbnail: %d %v", r.StatusCode, r.Header)
	}
	for user, want := range map[string]int{"admin": 200, "nmj-admin": 200, "gacha-contact": 403} {
		if r := a.login(t, user).get(t, photo); r.StatusCode != want {
			t.Errorf("%s GET photo: %d, want %d", user, r.StatusCode, want)
		}
	}
	if r := a.newClient(t).get(t, photo); r.StatusCode != http.StatusSeeOther {
		t.Errorf("public GET photo: %d, want a redirect to login", r.StatusCode)
	}
	r = leader.postForm(t, photo+"/delete", url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("delete photo: %d", r.StatusCode)
	}
	if r := leader.get(t, photo); r.StatusCode != http.StatusNotFound {
		t.Errorf("deleted photo: %d, want 404", r.StatusCode)
	}
}

// TestMetricsAdmin adds a metric through the committee's page, with a bad
// code first.
func TestMetricsAdmin(t *testing.T) {
	a := newTestApp(t)
	admin := a.login(t, "admin")
	r := admin.get(t, "/admin/metrics")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "trees_planted") {
		t.Fatalf("GET /admin/metrics: %d", r.StatusCode)
	}
	form := url.Values{"code": {"Wells!"}, "name_zh": {"打井"}, "name_en": {"Wells dug"}, "unit_zh": {"眼"}, "unit_en": {"wells"}, "sort": {"500"}}
	r = admin.postForm(t, "/admin/metrics", form)
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["code"] == "" || !strings.Contains(r.body, "打井") {
		t.Fatalf("bad code: %d %v", r.StatusCode, r.fieldErrors())
	}
	form.Set("code", "wells_dug")
	if r = admin.postForm(t, "/admin/metrics", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add metric: %d %v", r.StatusCode, r.fieldErrors())
	}
	if r = admin.get(t, "/admin/metrics?saved=added"); !strings.Contains(r.body, "wells_dug") {
		t.Error("the new metric is not listed")
	}
}

// TestCampaignAndProjectPages opens the demo's campaign and projects, and
// runs a new campaign with a batch and an activity.
func TestCampaignAndProjectPages(t *testing.T) {
	a := newTestApp(t)
	admin := a.login(t, "admin")
	r := admin.get(t, "/campaigns")
	m := regexp.MustCompile(`href="/campaigns/(\d+)">十个全覆盖<`).FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET /campaigns: %d, no 十个全覆盖", r.StatusCode)
	}
	r = admin.get(t, "/campaigns/"+m[1])
	for _, want := range []string{"第一批", "第六批", ">300<", ">250<", ">120<", ">5000<", ">2<", "立方米", "棵"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("campaign page lacks %q", want)
		}
	}
	if r := a.login(t, "nmj-leader").get(t, "/campaigns/"+m[1]); r.StatusCode != http.StatusOK || strings.Contains(r.body, "batch-add") {
		t.Errorf("leader reads the campaign: %d (and must not get the batch form)", r.StatusCode)
	}

	// A new campaign with a batch and an activity in it.
	r = admin.postForm(t, "/campaigns", url.Values{"name": {""}, "starts_on": {"2026-13-01"}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["name"] == "" || r.fieldErrors()["starts_on"] == "" {
		t.Fatalf("bad campaign: %d %v", r.StatusCode, r.fieldErrors())
	}
	act := leaderActivity(t, a)
	day := domain.ChinaDay(act.StartsAt)
	r = admin.postForm(t, "/campaigns", url.Values{"name": {"乡村振兴"}, "starts_on": {day}, "ends_on": {day}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create campaign: %d %v", r.StatusCode, r.fieldErrors())
	}
	camp := strings.TrimSuffix(strings.Split(r.Header.Get("Location"), "?")[0], "/")
	if r = admin.postForm(t, camp+"/batches", url.Values{"note": {"海拉尔区"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add batch: %d", r.StatusCode)
	}
	bid := regexp.MustCompile(`#batch-(\d+)`).FindStringSubmatch(r.Header.Get("Location"))[1]
	r = admin.get(t, camp)
	if !strings.Contains(r.body, `<option value="`+strconv.FormatInt(act.ID, 10)+`"`) {
		t.Fatalf("the leader's activity of %s is not offered for the batch", day)
	}
	if r = admin.postForm(t, camp+"/activities", url.Values{"batch": {bid}, "activity": {strconv.FormatInt(act.ID, 10)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d", r.StatusCode)
	}
	if r = admin.get(t, camp); !strings.Contains(r.body, `href="/activities/`+strconv.FormatInt(act.ID, 10)+`"`) {
		t.Error("the assigned activity is not in its batch")
	}

	// Projects: the leader sees their team's and adds one.
	leader := a.login(t, "nmj-leader")
	r = leader.get(t, "/projects")
	pm := regexp.MustCompile(`href="/projects/(\d+)">科技蹲点<`).FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || pm == nil || strings.Contains(r.body, "文化下乡") {
		t.Fatalf("leader's projects: %d; want 科技蹲点 and not another team's 文化下乡", r.StatusCode)
	}
	if r = leader.get(t, "/projects/"+pm[1]); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "长期品牌项目") {
		t.Errorf("project page: %d", r.StatusCode)
	}
	r = leader.postForm(t, "/projects", url.Values{"name": {"冬季送温暖"}, "term": {"short"}, "team": {""}, "started_on": {"2026-12-01"}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["team"] == "" {
		t.Fatalf("project without a team: %d %v", r.StatusCode, r.fieldErrors())
	}
	teamID := regexp.MustCompile(`<option value="(\d+)"`).FindStringSubmatch(r.body)[1]
	r = leader.postForm(t, "/projects", url.Values{"name": {"冬季送温暖"}, "term": {"short"}, "team": {teamID},
		"started_on": {"2026-12-01"}, "ended_on": {"2026-12-31"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create project: %d %v", r.StatusCode, r.fieldErrors())
	}
	if r = leader.get(t, r.Header.Get("Location")); !strings.Contains(r.body, "短期项目") {
		t.Error("the new project is not marked short-term")
	}
}

// TestActivityOutcomesComponent renders the activity page's outcome block
// from the service's view of a demo campaign activity, in both languages:
// its batch, figures and the organiser's link.
func TestActivityOutcomesComponent(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	camps, err := a.Store.ListCampaigns(ctx)
	if err != nil || len(camps) == 0 {
		t.Fatalf("campaigns: %v", err)
	}
	byBatch, err := a.Store.CampaignActivities(ctx, camps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	act := byBatch[camps[0].Batches[0].ID][0]
	admin, err := a.Store.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	c := domain.Caller{Principal: domain.Principal{UserID: admin.ID, Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}}}
	v, err := a.Service.ActivityOutcome(ctx, c, act.ID)
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[i18n.Lang][]string{
		i18n.ZH: {"十个全覆盖 · 第一批", "整理旧木板", "立方米", `href="/activities/` + strconv.FormatInt(act.ID, 10) + `/outcome"`},
		i18n.EN: {"十个全覆盖 · Batch 1", "Old boards cleared", "m³", "Record the outcome"},
	} {
		var b strings.Builder
		if err := views.ActivityOutcomes(v).Render(i18n.With(ctx, lang), &b); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(html.UnescapeString(b.String()), w) {
				t.Errorf("%s: the outcome block lacks %q", lang, w)
			}
		}
	}
}
