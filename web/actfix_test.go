package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store/storetest"
)

// TestActivityMadeLateKeepsCancelling: an activity made ten hours before
// its start with the default cut-off of 24 hours does not tell its
// volunteers that cancelling has closed; they may cancel for
// domain.CancelGrace after it was made.
func TestActivityMadeLateKeepsCancelling(t *testing.T) {
	t.Parallel()
	f := newActFixture(t, storetest.SQLitePath(t))
	a, ctx := f.a, context.Background()
	leader := a.login(t, "nmj-leader")
	form := f.form("连夜安排的防疫宣传", domain.ModeUnit, time.Now().Add(10*time.Hour), 5)
	form.Set("cancel_hours", "24")
	made := time.Now()
	id := created(t, leader.postForm(t, "/activities", form))
	act, err := a.Store.ActivityByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if want := made.Add(domain.CancelGrace); act.CancelCutoff.Before(want.Add(-time.Minute)) || act.CancelCutoff.After(want.Add(time.Minute)) {
		t.Fatalf("cut-off %v, want about %v (6 h after it was made)", act.CancelCutoff, want)
	}
	path := "/activities/" + strconv.FormatInt(id, 10)
	vol := a.login(t, "volunteer")
	wantRedirect(t, "sign up", vol.postForm(t, path+"/signup", url.Values{}), id, "confirmed")
	r := vol.get(t, path)
	if strings.Contains(r.body, `id="cutoff-passed"`) || !strings.Contains(r.body, `id="cancel-signup"`) {
		t.Fatalf("a volunteer of an activity made 10 h ahead cannot cancel at once")
	}
}

// TestRunningActivityBadge: between its start and end a scheduled activity
// is shown as 进行中 (not 待开展) on its page and in the calendar.
func TestRunningActivityBadge(t *testing.T) {
	t.Parallel()
	f := newActFixture(t, storetest.SQLitePath(t))
	a := f.a
	leader := a.login(t, "nmj-leader")
	id := created(t, leader.postForm(t, "/activities", f.form("正在进行的义诊", domain.ModeUnit, time.Now().Add(-time.Hour), 5)))
	path := "/activities/" + strconv.FormatInt(id, 10)
	for _, c := range []*client{leader, a.login(t, "volunteer")} {
		r := c.get(t, path)
		if !regexp.MustCompile(`id="act-state">进行中<`).MatchString(r.body) {
			t.Errorf("the running activity's badge is not 进行中: %q", regexp.MustCompile(`id="act-state">[^<]*`).FindString(r.body))
		}
	}
	r := leader.get(t, "/activities")
	row := regexp.MustCompile(`(?s)id="activity-` + strconv.FormatInt(id, 10) + `".*?</li>`).FindString(r.body)
	if r.StatusCode != http.StatusOK || !strings.Contains(row, "进行中") {
		t.Errorf("the calendar does not show the activity as running: %q", row)
	}
}

// postOutcome posts the outcome form as the page sends it: multipart, the
// fields first and the chosen photo (if any) last.
func (c *client) postOutcome(t *testing.T, path string, fields url.Values, photoName string, photo []byte) *response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile("photo", photoName)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(photo)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.app.url+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(t, req)
}

// TestOutcomeFormKeepsThePhoto: a photo chosen in the outcome form is saved
// with it (the issue: it was silently lost); when the photo or the figures
// are refused, nothing typed is lost and the page says the photo was not
// uploaded. The form offers first the metrics that activities of the same
// categories report, the others behind a fold.
func TestOutcomeFormKeepsThePhoto(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	act := leaderActivity(t, a)
	base := "/activities/" + strconv.FormatInt(act.ID, 10)
	leader := a.login(t, "nmj-leader")
	photos := func() int {
		ps, err := a.Store.ActivityPhotos(ctx, act.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	before := photos()

	r := leader.get(t, base+"/outcome")
	if !strings.Contains(r.body, `enctype="multipart/form-data" novalidate id="outcome-form"`) ||
		!regexp.MustCompile(`(?s)id="outcome-form".*id="photo".*id="outcome-submit"`).MatchString(r.body) {
		t.Fatalf("the photo is not chosen inside the outcome form")
	}
	used, err := a.Store.MetricsForCategories(ctx, act.ID)
	if err != nil {
		t.Fatal(err)
	}
	suggested := regexp.MustCompile(`(?s)id="metrics-suggested"(.*?)</div>\s*(<details|<label for="narrative")`).FindStringSubmatch(r.body)
	other := regexp.MustCompile(`(?s)id="metrics-other".*?</details>`).FindString(r.body)
	if suggested == nil || other == "" {
		t.Fatalf("the form does not put other categories' metrics behind a fold (suggested %v, fold %v)", suggested != nil, other != "")
	}
	for _, m := range regexp.MustCompile(`id="metric_(\d+)"`).FindAllStringSubmatch(suggested[1], -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		if used[id] == 0 {
			t.Errorf("metric %d is offered first but no activity of these categories reports it", id)
		}
	}
	for _, m := range regexp.MustCompile(`id="metric_(\d+)"`).FindAllStringSubmatch(other, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		if used[id] > 0 {
			t.Errorf("metric %d, reported for these categories, is hidden in the fold", id)
		}
	}

	// A bad figure: nothing is saved, the narrative stays, the page asks
	// for the photo again.
	bad := url.Values{"beneficiaries": {"很多"}, "narrative": {"草场防火宣传到户"}}
	r = leader.postOutcome(t, base+"/outcome", bad, "site.png", smallPNG(t))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "草场防火宣传到户") ||
		!strings.Contains(r.body, "照片还没有上传") || photos() != before {
		t.Fatalf("a bad figure with a photo: %d, photos %d → %d", r.StatusCode, before, photos())
	}
	// A file that is no photo: nothing is saved, everything typed stays.
	good := url.Values{"beneficiaries": {"86"}, "narrative": {"草场防火宣传到户"}}
	r = leader.postOutcome(t, base+"/outcome", good, "fake.jpg", []byte("not a picture"))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "没有保存") ||
		!strings.Contains(r.body, `value="86"`) || !strings.Contains(r.body, "JPG 或 PNG") {
		t.Fatalf("a fake photo: %d", r.StatusCode)
	}
	if o, _, _ := a.Store.OutcomeByActivity(ctx, act.ID); o.Beneficiaries == 86 {
		t.Fatal("the outcome was saved although its photo was refused")
	}
	// Both good: the outcome and the photo are saved by one press.
	r = leader.postOutcome(t, base+"/outcome", good, "site.png", smallPNG(t))
	if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(r.Header.Get("Location"), "saved=outcome_photo") {
		t.Fatalf("outcome with photo: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if o, _, _ := a.Store.OutcomeByActivity(ctx, act.ID); o.Beneficiaries != 86 || photos() != before+1 {
		t.Fatalf("after saving: beneficiaries %d, photos %d → %d", o.Beneficiaries, before, photos())
	}
	// Without a photo the form still saves (an empty file part).
	r = leader.postOutcome(t, base+"/outcome", url.Values{"beneficiaries": {"90"}}, "", nil)
	if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(r.Header.Get("Location"), "saved=outcome") || photos() != before+1 {
		t.Fatalf("outcome without photo: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
}
