package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/store"
	"vanguard/store/storetest"
)

// notifyFixture is a demo app with the ids the notification tests need.
type notifyFixture struct {
	a         *testApp
	db        string // the SQLite file
	volUser   int64
	volPerson int64
	adminUser int64
}

func newNotifyFixture(t *testing.T) *notifyFixture {
	t.Helper()
	f := &notifyFixture{db: storetest.SQLitePath(t)}
	// This instance works no jobs, so the queue stays as the tests leave it.
	f.a = startApp(t, app.Config{DB: f.db, Demo: true, JobWorkers: -1})
	ctx := context.Background()
	for name, id := range map[string]*int64{"volunteer": &f.volUser, "admin": &f.adminUser} {
		u, err := f.a.Store.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		*id = u.ID
	}
	var err error
	if f.volPerson, err = f.a.Store.PersonIDOfUser(ctx, f.volUser); err != nil || f.volPerson == 0 {
		t.Fatalf("volunteer's person: %d %v", f.volPerson, err)
	}
	return f
}

// notify records a notification as a use case would, urgent so that quiet
// hours do not depend on when the test runs.
func (f *notifyFixture) notify(t *testing.T, n store.NewNotification) {
	t.Helper()
	n.Urgent = true
	if n.Event == "" {
		n.Event = domain.EventDispatched
	}
	if n.Args == nil {
		n.Args = []string{"测试"}
	}
	if err := f.a.Store.Housekeep(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Notify(n)
		return err
	}); err != nil {
		t.Fatalf("Notify(%+v): %v", n, err)
	}
}

func (f *notifyFixture) unread(t *testing.T, userID int64) int {
	t.Helper()
	n, err := f.a.Store.UnreadNotifications(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var (
	bellCountRe = regexp.MustCompile(`id="bell-count"[^>]*>([^<]*)<`)
	bellLabelRe = regexp.MustCompile(`id="bell" aria-label="([^"]*)"`)
	noticeIDRe  = regexp.MustCompile(`id="notice-(\d+)"`)
)

// TestNotificationBellAndList: the bell shows the unread count in words
// for screen readers; the list pages by an older cursor, newest first;
// opening a notice marks it read and goes to its link, only a path on this
// site; another user's notice is not found; "mark all read" empties the
// bell. Both languages render.
func TestNotificationBellAndList(t *testing.T) {
	t.Parallel()
	f := newNotifyFixture(t)
	vol := f.a.login(t, "volunteer")
	base := f.unread(t, f.volUser)
	for i := 1; i <= 24; i++ {
		f.notify(t, store.NewNotification{Subject: fmt.Sprintf("test:%d", i), UserID: f.volUser,
			Link: "/activities/" + strconv.Itoa(i)})
	}
	f.notify(t, store.NewNotification{Subject: "test:evil", UserID: f.volUser, Link: "//evil.example/x"})
	f.notify(t, store.NewNotification{Subject: "test:admin", UserID: f.adminUser, Link: "/desk"})
	want := base + 25

	home := vol.get(t, "/")
	if got := firstGroup(bellCountRe, home.body); got != strconv.Itoa(want) {
		t.Errorf("bell count = %q, want %d", got, want)
	}
	if got := firstGroup(bellLabelRe, home.body); got != fmt.Sprintf("通知，%d 条未读", want) {
		t.Errorf("bell label = %q", got)
	}

	list := vol.get(t, "/notifications")
	if list.StatusCode != http.StatusOK || list.h1() != "通知" {
		t.Fatalf("GET /notifications: %d %q", list.StatusCode, list.h1())
	}
	ids := noticeIDRe.FindAllStringSubmatch(list.body, -1)
	if len(ids) != 20 {
		t.Fatalf("first page lists %d notices, want 20", len(ids))
	}
	newest, _ := strconv.ParseInt(ids[0][1], 10, 64)
	oldest, _ := strconv.ParseInt(ids[19][1], 10, 64)
	if newest <= oldest {
		t.Errorf("first page not newest first: %d … %d", newest, oldest)
	}
	if !strings.Contains(list.body, `href="/notifications?before=`+strconv.FormatInt(oldest, 10)+`"`) {
		t.Errorf("first page has no link to older notices before %d", oldest)
	}
	older := vol.get(t, "/notifications?before="+strconv.FormatInt(oldest, 10))
	if n := len(noticeIDRe.FindAllString(older.body, -1)); n != want-20 {
		t.Errorf("second page lists %d notices, want %d", n, want-20)
	}

	// The newest is the evil link: opening it stays on the site.
	r := vol.postForm(t, "/notifications/"+strconv.FormatInt(newest, 10)+"/open", url.Values{})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/notifications" {
		t.Errorf("open of a notice linking off-site: %d to %q, want 303 to /notifications", r.StatusCode, r.Header.Get("Location"))
	}
	second, _ := strconv.ParseInt(ids[1][1], 10, 64)
	r = vol.postForm(t, "/notifications/"+strconv.FormatInt(second, 10)+"/open", url.Values{})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/activities/24" {
		t.Errorf("open: %d to %q, want 303 to /activities/24", r.StatusCode, r.Header.Get("Location"))
	}
	if got := f.unread(t, f.volUser); got != want-2 {
		t.Errorf("unread after opening two = %d, want %d", got, want-2)
	}
	// The admin's notice is not the volunteer's to open.
	adminList, err := f.a.Store.Notifications(context.Background(), f.adminUser, 0, 1)
	if err != nil || len(adminList) != 1 {
		t.Fatalf("admin's notices: %v %v", adminList, err)
	}
	r = vol.postForm(t, "/notifications/"+strconv.FormatInt(adminList[0].ID, 10)+"/open", url.Values{})
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("opening another user's notice: %d, want 404", r.StatusCode)
	}
	if f.unread(t, f.adminUser) == 0 {
		t.Error("the admin's notice was marked read by the volunteer")
	}

	en := f.a.login(t, "volunteer")
	en.header.Set("Accept-Language", "en")
	if r := en.get(t, "/notifications"); r.StatusCode != http.StatusOK || r.h1() != "Notifications" ||
		!strings.Contains(r.body, "Mark all as read") {
		t.Errorf("English list: %d %q", r.StatusCode, r.h1())
	}

	r = vol.postForm(t, "/notifications/read", url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark all read: %d", r.StatusCode)
	}
	if got := f.unread(t, f.volUser); got != 0 {
		t.Errorf("unread after marking all read = %d", got)
	}
	page := vol.get(t, r.Header.Get("Location"))
	if strings.Contains(page.body, `id="bell-count"`) || !strings.Contains(page.body, "通知，没有未读") {
		t.Error("the bell still shows a count after everything was read")
	}
	if strings.Contains(page.body, `id="notify-read-all"`) {
		t.Error("mark-all-read button shown with nothing unread")
	}
}

// TestNotificationPrefsPage: the table lists every event in words with a
// checkbox per channel; one POST saves them all with one audit row, and a
// channel turned off is honoured by the next notification.
func TestNotificationPrefsPage(t *testing.T) {
	t.Parallel()
	f := newNotifyFixture(t)
	ctx := context.Background()
	vol := f.a.login(t, "volunteer")
	r := vol.get(t, "/account/notifications")
	if r.StatusCode != http.StatusOK || r.h1() != "通知设置" {
		t.Fatalf("GET /account/notifications: %d %q", r.StatusCode, r.h1())
	}
	// A volunteer is offered a volunteer's events only: no dispatches, no
	// requester's or committee's events.
	shown := domain.EventsFor([]domain.Role{domain.RoleVolunteer}, true)
	for _, e := range domain.Events {
		label := i18n.Translate(i18n.ZH, "notify.event."+string(e))
		if listed, want := strings.Contains(r.body, ">"+label+"<"), slices.Contains(shown, e); listed != want {
			t.Errorf("event %s (%q) listed %v, want %v", e, label, listed, want)
		}
	}
	if n := strings.Count(r.body, `type="checkbox" name="`); n != len(shown)*len(domain.NoticeChannels) {
		t.Errorf("%d checkboxes, want %d", n, len(shown)*len(domain.NoticeChannels))
	}
	if leader := f.a.login(t, "nmj-leader").get(t, "/account/notifications"); !strings.Contains(leader.body, `id="ev-dispatched"`) {
		t.Error("a team leader is not offered the dispatch notice")
	}
	if !strings.Contains(r.body, "22:00 至次日 07:00") {
		t.Error("quiet hours not explained")
	}
	auditBefore := auditCount(t, f, "notification.prefs")
	form := url.Values{}
	for _, e := range domain.Events {
		for _, ch := range domain.NoticeChannels {
			if !(e == domain.EventCertificateIssued && ch == domain.ByInApp) {
				form.Set(string(e)+":"+string(ch), "1")
			}
		}
	}
	r = vol.postForm(t, "/account/notifications", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.StatusCode, r.notice())
	}
	prefs, err := f.a.Store.NotificationPrefs(ctx, f.volUser)
	if err != nil {
		t.Fatal(err)
	}
	if prefs[domain.EventCertificateIssued][domain.ByInApp] || !prefs[domain.EventDispatched][domain.ByInApp] {
		t.Errorf("saved prefs = %v", prefs)
	}
	if got := auditCount(t, f, "notification.prefs") - auditBefore; got != 1 {
		t.Errorf("%d audit rows for one save, want 1", got)
	}
	page := vol.get(t, "/account/notifications?saved=1")
	if strings.Contains(page.body, `id="p-certificate_issued-inapp" checked`) ||
		!strings.Contains(page.body, `id="p-activity_tomorrow-inapp" checked`) {
		t.Error("the page does not show the saved choice")
	}
	before := f.unread(t, f.volUser)
	f.notify(t, store.NewNotification{Event: domain.EventCertificateIssued, Subject: "test:cert", UserID: f.volUser, Link: "/certificates"})
	if got := f.unread(t, f.volUser); got != before {
		t.Errorf("a notice of an event turned off for the bell reached the bell (%d → %d)", before, got)
	}
}

func auditCount(t *testing.T, f *notifyFixture, action string) int {
	t.Helper()
	rows, err := f.a.Store.ListAudit(context.Background(), domain.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// TestContactFields: a volunteer sets their own email on /me (a bad one is
// refused by field); staff see it masked on the person's page and in full
// only by the audited reveal; the edit form keeps it when left empty,
// refuses a malformed openid, and a switch of language reaches the
// account's notifications.
func TestContactFields(t *testing.T) {
	t.Parallel()
	f := newNotifyFixture(t)
	ctx := context.Background()
	vol := f.a.login(t, "volunteer")
	r := vol.postForm(t, "/me/email", url.Values{"email": {"not an address"}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["email"] == "" {
		t.Errorf("bad email: %d %v, want 422 naming the field", r.StatusCode, r.fieldErrors())
	}
	r = vol.postForm(t, "/me/email", url.Values{"email": {" Wang.Fang@Example.CN "}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("set email: %d %s", r.StatusCode, r.notice())
	}
	p, err := f.a.Store.PersonByID(ctx, f.volPerson)
	if err != nil || p.Email != "Wang.Fang@example.cn" {
		t.Fatalf("email on file = %q (%v)", p.Email, err)
	}
	if me := vol.get(t, "/me"); !strings.Contains(me.body, `value="Wang.Fang@example.cn"`) {
		t.Error("/me does not show the volunteer's own email")
	}

	admin := f.a.login(t, "admin")
	personPath := "/people/" + strconv.FormatInt(f.volPerson, 10)
	page := admin.get(t, personPath)
	if !strings.Contains(page.body, "W***@example.cn") || strings.Contains(page.body, "Wang.Fang@example.cn") {
		t.Error("the person page does not mask the email")
	}
	revealed := admin.postForm(t, personPath+"/reveal", url.Values{"field": {"email"}})
	if !strings.Contains(revealed.body, `id="email-full">Wang.Fang@example.cn<`) {
		t.Errorf("reveal email: %d", revealed.StatusCode)
	}
	edit := admin.get(t, personPath+"/edit")
	if !strings.Contains(edit.body, `id="email"`) || !strings.Contains(edit.body, `id="wechat_openid"`) ||
		strings.Contains(edit.body, "Wang.Fang@example.cn") {
		t.Error("the edit form lacks the contact fields or shows the email in full")
	}
	form := personForm(p)
	form.Set("wechat_openid", "bad id!")
	r = admin.postForm(t, personPath, form)
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["wechat_openid"] == "" {
		t.Errorf("bad openid: %d %v", r.StatusCode, r.fieldErrors())
	}
	form.Set("wechat_openid", "oAbCdEfGhIjKlMnOpQrStUvWxYz0")
	if r = admin.postForm(t, personPath, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save person: %d %v %s", r.StatusCode, r.fieldErrors(), r.notice())
	}
	if p, _ = f.a.Store.PersonByID(ctx, f.volPerson); p.Email != "Wang.Fang@example.cn" || p.WeChatOpenID != "oAbCdEfGhIjKlMnOpQrStUvWxYz0" {
		t.Errorf("after edit: email %q openid %q, want the email kept and the openid set", p.Email, p.WeChatOpenID)
	}

	// The language switch follows the account into its notifications.
	if r := vol.get(t, "/lang/en?next=/me"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET /lang/en: %d", r.StatusCode)
	}
	f.notify(t, store.NewNotification{Subject: "test:lang", UserID: f.volUser, Link: "/inbox"})
	list, err := f.a.Store.Notifications(ctx, f.volUser, 0, 1)
	if err != nil || len(list) != 1 || list[0].Lang != "en" {
		t.Errorf("notice after switching to English: %+v %v, want lang en", list, err)
	}
}

// personForm is the edit form of p as a browser would post it unchanged
// (the phone and ID fields empty keep the numbers on file).
func personForm(p domain.Person) url.Values {
	form := url.Values{"name": {p.Name}, "gender": {string(p.Gender)}, "political_status": {string(p.PoliticalStatus)},
		"org_id": {strconv.FormatInt(p.OrgID, 10)}}
	if p.RegionID != 0 {
		form.Set("region_id", strconv.FormatInt(p.RegionID, 10))
	}
	for _, w := range p.Willingness {
		form.Add("willingness", strconv.FormatInt(w, 10))
	}
	form.Set("skills", strings.Join(p.Skills, ","))
	form["talents"] = p.Talents
	return form
}

// TestAdminJobs: the committee sees the queue with jobs named in words;
// "retry" moves a dead (discarded) job back to available and "cancel"
// cancels it, each written to the audit log.
func TestAdminJobs(t *testing.T) {
	t.Parallel()
	f := newNotifyFixture(t)
	ctx := context.Background()
	if err := f.a.Store.Housekeep(ctx, func(tx *store.Tx) error {
		return tx.SetPersonReach(f.volPerson, "wf@example.org", "")
	}); err != nil {
		t.Fatal(err)
	}
	f.notify(t, store.NewNotification{Subject: "test:job", UserID: f.volUser, Link: "/inbox"})
	jobs, err := f.a.Store.Jobs(ctx, "available", 10)
	if err != nil || len(jobs) == 0 {
		t.Fatalf("available jobs: %v %v", jobs, err)
	}
	job := jobs[0].ID
	db, err := sql.Open("sqlite", "file:"+f.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE river_job SET state = 'discarded', finalized_at = scheduled_at,
		attempt = max_attempts, errors = json_array(json_object('at', '2026-12-07T00:00:00Z', 'attempt', 10,
		'error', 'smtp: 550 mailbox wf@example.org unavailable, call 13800000009', 'trace', '')) WHERE id = ?`, job); err != nil {
		t.Fatal(err)
	}

	admin := f.a.login(t, "admin")
	if hub := admin.get(t, "/admin"); !strings.Contains(hub.body, `href="/admin/jobs"`) {
		t.Error("the admin hub does not link the job queue")
	}
	page := admin.get(t, "/admin/jobs")
	if page.StatusCode != http.StatusOK || page.h1() != "后台任务" {
		t.Fatalf("GET /admin/jobs: %d %q", page.StatusCode, page.h1())
	}
	row := jobRowOf(page.body, "job-"+strconv.FormatInt(job, 10))
	if !strings.Contains(page.body, `id="jobs-discarded"`) || row == "" {
		t.Fatalf("the dead job is not listed")
	}
	if !strings.Contains(row, "发送通知（") || !strings.Contains(row, "重试") {
		t.Errorf("dead job row lacks its name in words or the retry button: %s", row)
	}
	if strings.Contains(row, "wf@example.org") || strings.Contains(row, "13800000009") || !strings.Contains(row, "w***@example.org") {
		t.Errorf("the last error shows personal data: %s", row)
	}
	retries := auditCount(t, f, "job.retry")
	r := admin.postForm(t, "/admin/jobs/"+strconv.FormatInt(job, 10)+"/retry", url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("retry: %d %s", r.StatusCode, r.notice())
	}
	if got := jobState(t, f, job); got != "available" {
		t.Errorf("after retry the job is %s, want available", got)
	}
	if auditCount(t, f, "job.retry") != retries+1 {
		t.Error("retry not audited")
	}
	r = admin.postForm(t, "/admin/jobs/"+strconv.FormatInt(job, 10)+"/cancel", url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d %s", r.StatusCode, r.notice())
	}
	if got := jobState(t, f, job); got != "cancelled" {
		t.Errorf("after cancel the job is %s, want cancelled", got)
	}
	en := f.a.login(t, "admin")
	en.header.Set("Accept-Language", "en")
	if r := en.get(t, "/admin/jobs?done=cancelled"); r.StatusCode != http.StatusOK || r.h1() != "Background jobs" {
		t.Errorf("English page: %d %q", r.StatusCode, r.h1())
	}
}

func jobState(t *testing.T, f *notifyFixture, id int64) string {
	t.Helper()
	for _, st := range store.JobStates {
		list, err := f.a.Store.Jobs(context.Background(), st, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range list {
			if j.ID == id {
				return st
			}
		}
	}
	return "missing"
}

// jobRowOf returns the table row with the given id, or "".
func jobRowOf(body, id string) string {
	i := strings.Index(body, `<tr id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</tr>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// TestNotifyKeys: every event, channel and job state the pages name at
// run time has its words in both languages.
func TestNotifyKeys(t *testing.T) {
	var keys []string
	for _, e := range domain.Events {
		keys = append(keys, "notify.event."+string(e))
	}
	for _, ch := range domain.NoticeChannels {
		keys = append(keys, "notify.channel."+string(ch))
	}
	for _, st := range store.JobStates {
		keys = append(keys, "notify.jobs.state."+st)
	}
	for _, st := range []string{"queued", "sent", "logged", "failed"} {
		keys = append(keys, "notify.jobs.delivery."+st)
	}
	for _, k := range keys {
		for _, l := range i18n.Langs {
			if !i18n.Has(l, k) {
				t.Errorf("%s: missing %s", l, k)
			}
		}
	}
}
