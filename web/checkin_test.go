package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/store"
	"vanguard/store/storetest"
)

// onsiteFixture is the demo city with an activity of nmj-leader's team
// running now, the demo volunteer signed up for it, and a second member of
// the team, without an account, holding a place too.
type onsiteFixture struct {
	a              *testApp
	team           domain.Team
	id             int64 // the activity
	leader, vol    *client
	volPerson      int64
	other          int64 // the member without an account
	otherName      string
	offset         *atomic.Int64 // added to the app's clock
	leaderCaller   domain.Caller
	volunteerPhone string
}

func newOnsiteFixture(t *testing.T, db string) *onsiteFixture {
	t.Helper()
	a := startApp(t, app.Config{DB: db, Demo: true})
	// The app's clock reads an offset the test may move, set before any
	// request so that no handler reads the clock while it is replaced.
	offset := &atomic.Int64{}
	a.Store.SetClock(func() time.Time { return time.Now().UTC().Add(time.Duration(offset.Load())) })
	f := &onsiteFixture{a: a, offset: offset, leaderCaller: staffCaller(t, a, "nmj-leader")}
	f.id = f.newActivity(t, "嘎查牧民义诊")
	ctx := context.Background()
	volCaller := staffCaller(t, a, "volunteer")
	if state, err := a.Service.SignUp(ctx, volCaller, f.id); err != nil || state != domain.SignupConfirmed {
		t.Fatalf("the volunteer signs up: %v, %v", state, err)
	}
	p, err := a.Store.PersonByUserID(ctx, volCaller.UserID)
	if err != nil {
		t.Fatal(err)
	}
	f.volPerson, f.volunteerPhone = p.ID, p.Phone
	roster, err := a.Store.Roster(ctx, f.team.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range roster {
		if m.PersonID != f.volPerson {
			f.other, f.otherName = m.PersonID, m.PersonName
			break
		}
	}
	if f.other == 0 {
		t.Fatalf("team %s has no second member", f.team.Name)
	}
	err = a.Store.Write(ctx, f.leaderCaller.Actor(), func(tx *store.Tx) error {
		_, err := tx.SignUp(f.id, f.other, f.team.ID, false)
		return err
	})
	if err != nil {
		t.Fatalf("sign up %s: %v", f.otherName, err)
	}
	f.leader, f.vol = a.login(t, "nmj-leader"), a.login(t, "volunteer")
	return f
}

// newActivity schedules an activity of the leader's team from three hours
// ago to three hours from now.
func (f *onsiteFixture) newActivity(t *testing.T, title string) int64 {
	t.Helper()
	ctx := context.Background()
	teams, err := f.a.Service.ActivityTeams(ctx, f.leaderCaller)
	if err != nil || len(teams) == 0 {
		t.Fatalf("the leader's teams: %v, %v", teams, err)
	}
	f.team = teams[0]
	cats, err := f.a.Store.ListCategories(ctx, false)
	if err != nil || len(cats) == 0 {
		t.Fatalf("categories: %v", err)
	}
	sites, err := f.a.Store.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	if err != nil || len(sites) == 0 {
		t.Fatalf("sites: %v", err)
	}
	now := f.a.Store.Now()
	id, err := f.a.Service.CreateActivity(ctx, f.leaderCaller, domain.ActivityInput{
		Title: title, Mode: domain.ModeUnit, TeamID: f.team.ID, SiteID: sites[0].ID,
		StartsAt: now.Add(-3 * time.Hour), EndsAt: now.Add(3 * time.Hour), Capacity: 10,
		CategoryIDs: []int64{cats[0].ID},
	})
	if err != nil {
		t.Fatalf("create activity: %v", err)
	}
	return id
}

func (f *onsiteFixture) onsitePath(kind string) string {
	return "/activities/" + itoa(f.id) + "/onsite?kind=" + kind
}

var checkinLinkRE = regexp.MustCompile(`<a id="checkin-link" href="([^"]+)"`)

// checkinLink opens the leader's page and reads the link under the code.
func (f *onsiteFixture) checkinLink(t *testing.T, kind string) string {
	t.Helper()
	r := f.leader.get(t, f.onsitePath(kind))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", f.onsitePath(kind), r.StatusCode, r.h1())
	}
	m := checkinLinkRE.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("GET %s: no #checkin-link", f.onsitePath(kind))
	}
	link := html.UnescapeString(m[1])
	if !strings.HasPrefix(link, f.a.url+"/checkin?t=") || !strings.Contains(link, "."+kind+".") {
		t.Fatalf("check-in link %q: want %s/checkin?t=… of kind %s", link, f.a.url, kind)
	}
	for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg"`, `<meta http-equiv="refresh"`, "每分钟更新"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("GET %s lacks %q", f.onsitePath(kind), want)
		}
	}
	return link
}

// attendance is the activity's recorded pairs.
func (f *onsiteFixture) attendance(t *testing.T) []domain.Attendance {
	t.Helper()
	att, err := f.a.Store.ActivityAttendance(context.Background(), f.id)
	if err != nil {
		t.Fatal(err)
	}
	return att
}

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("t")
}

// TestCheckinRoundTrip follows a code from the leader's phone to the
// volunteer's: sign in first if needed, confirm, repeat, check out; and the
// codes that must fail, each with a clear message and a 4xx.
func TestCheckinRoundTrip(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		f := newOnsiteFixture(t, db)
		checkinRoundTrip(t, f)
	})
}

func checkinRoundTrip(t *testing.T, f *onsiteFixture) {
	link := f.checkinLink(t, "in")
	path := strings.TrimPrefix(link, f.a.url)

	// Signed out: to the login form and back to the same code.
	anon := f.a.newClient(t)
	r := anon.get(t, path)
	wantLoc := "/login?next=" + url.QueryEscape(path)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != wantLoc {
		t.Fatalf("signed-out GET %s: %d to %q, want 303 to %q", path, r.StatusCode, r.Header.Get("Location"), wantLoc)
	}
	r = anon.postForm(t, "/login", url.Values{"username": {"volunteer"}, "password": {"xianfeng-demo-2026"}, "next": {path}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != path {
		t.Fatalf("login with next: %d to %q, want 303 back to %q", r.StatusCode, r.Header.Get("Location"), path)
	}

	// The confirm page writes nothing.
	r = anon.get(t, path)
	if r.StatusCode != http.StatusOK || r.h1() != "确认签到" || !strings.Contains(r.body, `id="checkin-confirm"`) ||
		!strings.Contains(r.body, "嘎查牧民义诊") {
		t.Fatalf("GET %s: %d h1 %q, want the confirm page with its button", path, r.StatusCode, r.h1())
	}
	if n := len(f.attendance(t)); n != 0 {
		t.Fatalf("GET of the check-in page recorded %d pairs", n)
	}

	tok := tokenOf(t, link)
	r = anon.postForm(t, "/checkin", url.Values{"t": {tok}})
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.h1(), "签到成功 ") {
		t.Fatalf("POST /checkin: %d h1 %q, want 签到成功 HH:MM", r.StatusCode, r.h1())
	}
	att := f.attendance(t)
	if len(att) != 1 || att[0].PersonID != f.volPerson || att[0].MethodIn != domain.MethodQR || !att[0].Open() {
		t.Fatalf("after check-in: %+v, want one open QR pair of the volunteer", att)
	}
	r = f.vol.postForm(t, "/checkin", url.Values{"t": {tok}})
	if r.StatusCode != http.StatusOK || r.h1() != "已签到过，无需重复" {
		t.Fatalf("second POST /checkin: %d h1 %q, want the idempotent answer", r.StatusCode, r.h1())
	}
	if n := len(f.attendance(t)); n != 1 {
		t.Fatalf("a repeat scan made %d pairs, want 1", n)
	}
	if r := f.leader.get(t, f.onsitePath("in")); !strings.Contains(r.body, "已签到 ") {
		t.Errorf("the leader's list does not show the volunteer checked in")
	}

	out := f.checkinLink(t, "out")
	r = f.vol.get(t, strings.TrimPrefix(out, f.a.url))
	if r.h1() != "确认签退" || !strings.Contains(r.body, `id="checkin-confirm"`) {
		t.Errorf("check-out page: h1 %q", r.h1())
	}
	r = f.vol.postForm(t, "/checkin", url.Values{"t": {tokenOf(t, out)}})
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.h1(), "签退成功 ") {
		t.Fatalf("check-out: %d h1 %q", r.StatusCode, r.h1())
	}
	if att := f.attendance(t); len(att) != 1 || att[0].Open() || att[0].MethodOut != domain.MethodQR {
		t.Fatalf("after check-out: %+v, want one closed pair", att)
	}
	if r := f.leader.get(t, f.onsitePath("out")); !strings.Contains(r.body, "已签退 ") {
		t.Errorf("the leader's list does not show the volunteer checked out")
	}

	// Codes that fail: made up, tampered with, expired, and one for an
	// activity the volunteer has no place in.
	parts := strings.Split(tok, ".")
	tampered := strings.Join([]string{itoa(f.id + 1), parts[1], parts[2], parts[3]}, ".")
	for _, bad := range []struct{ name, tok, want string }{
		{"made up", "1.in.1.x", "签到码无效"},
		{"empty", "", "签到码无效"},
		{"tampered", tampered, "签到码无效"},
	} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			var r *response
			if method == http.MethodGet {
				r = f.vol.get(t, "/checkin?"+url.Values{"t": {bad.tok}}.Encode())
			} else {
				r = f.vol.postForm(t, "/checkin", url.Values{"t": {bad.tok}})
			}
			msg := firstGroup(checkinErrorRE, r.body)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, bad.want) {
				t.Errorf("%s %s token: %d %q, want 422 saying %q", method, bad.name, r.StatusCode, msg, bad.want)
			}
		}
	}
	fresh := tokenOf(t, f.checkinLink(t, "in"))
	f.offset.Store(int64(10 * time.Minute))
	r = f.vol.postForm(t, "/checkin", url.Values{"t": {fresh}})
	if msg := firstGroup(checkinErrorRE, r.body); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, "已过期") {
		t.Errorf("expired token: %d %q, want 422 saying 已过期", r.StatusCode, msg)
	}
	f.offset.Store(0)
	other := f.newActivity(t, "未报名的活动")
	f.id, other = other, f.id
	otherTok := tokenOf(t, f.checkinLink(t, "in"))
	f.id = other
	r = f.vol.postForm(t, "/checkin", url.Values{"t": {otherTok}})
	if msg := firstGroup(checkinErrorRE, r.body); r.StatusCode != http.StatusConflict || !strings.Contains(msg, "没有报名") {
		t.Errorf("not signed up: %d %q, want 409 saying 没有报名", r.StatusCode, msg)
	}
}

var checkinErrorRE = regexp.MustCompile(`(?s)<p class="checkin-message" id="checkin-error">(.*?)</p>`)

// qrCodeRoute serves the current code as an uncached SVG image.
func qrCodeRoute(t *testing.T, f *onsiteFixture) {
	for _, kind := range []string{"in", "out"} {
		r := f.leader.get(t, "/activities/"+itoa(f.id)+"/qr.svg?kind="+kind)
		if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/svg+xml" ||
			r.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(r.body, "<svg ") ||
			!strings.Contains(r.body, `shape-rendering="crispEdges"`) {
			t.Errorf("qr.svg?kind=%s: %d %q %q %.60q", kind, r.StatusCode, r.Header.Get("Content-Type"),
				r.Header.Get("Cache-Control"), r.body)
		}
	}
	if r := f.leader.get(t, "/activities/"+itoa(f.id)+"/qr.svg?kind=sideways"); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("qr.svg?kind=sideways: %d, want 422", r.StatusCode)
	}
	if r := f.vol.get(t, "/activities/"+itoa(f.id)+"/qr.svg"); r.StatusCode != http.StatusForbidden {
		t.Errorf("the volunteer's qr.svg: %d, want 403", r.StatusCode)
	}
}

// TestAttendanceByHand marks a person without a phone in and out, records
// a pair from the paper sheet, and refuses bad input beside its field.
func TestAttendanceByHand(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		f := newOnsiteFixture(t, db)
		attendanceByHand(t, f)
	})
}

func attendanceByHand(t *testing.T, f *onsiteFixture) {
	base := "/activities/" + itoa(f.id)
	mark := func(person, kind string) *response {
		return f.leader.postForm(t, base+"/attendance", url.Values{"person": {person}, "kind": {kind}, "show": {"out"}})
	}
	for _, step := range []struct{ kind, done, note string }{
		{"in", "in", "已为 " + f.otherName + " 代签到"},
		{"in", "again_in", f.otherName + " 已签到过"},
		{"out", "out", "已为 " + f.otherName + " 代签退"},
	} {
		r := mark(itoa(f.other), step.kind)
		loc := r.Header.Get("Location")
		if r.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "done="+step.done) || !strings.Contains(loc, "kind=out") {
			t.Fatalf("mark %s: %d to %q, want 303 with done=%s", step.kind, r.StatusCode, loc, step.done)
		}
		page := f.leader.get(t, strings.Split(loc, "#")[0])
		if !strings.Contains(page.body, step.note) || !strings.Contains(page.body, "队长代签") {
			t.Errorf("after marking %s the page lacks %q and 队长代签", step.kind, step.note)
		}
	}
	att := f.attendance(t)
	if len(att) != 1 || att[0].MethodIn != domain.MethodManual || att[0].MethodOut != domain.MethodManual {
		t.Fatalf("after marking by hand: %+v, want one manual pair", att)
	}

	// Bad marks: not a person, not a kind, no place, never checked in.
	for _, bad := range []struct {
		person, kind string
		status       int
	}{
		{"abc", "in", http.StatusUnprocessableEntity},
		{itoa(f.other), "sideways", http.StatusUnprocessableEntity},
		{"999999", "in", http.StatusConflict},
		{itoa(f.volPerson), "out", http.StatusConflict},
	} {
		if r := mark(bad.person, bad.kind); r.StatusCode != bad.status {
			t.Errorf("mark person %q kind %q: %d, want %d", bad.person, bad.kind, r.StatusCode, bad.status)
		}
	}

	// A pair from the paper sheet: two hours within the activity and one
	// day in China.
	now := f.a.Store.Now().Truncate(time.Minute)
	in := now.Add(-150 * time.Minute)
	if domain.ChinaDay(in) != domain.ChinaDay(in.Add(2*time.Hour)) {
		in = now.Add(10 * time.Minute)
	}
	clock := func(t time.Time) string { return t.In(domain.ChinaZone).Format("15:04") }
	pair := url.Values{"person": {itoa(f.other)}, "date": {domain.ChinaDay(in)},
		"check_in": {clock(in)}, "check_out": {clock(in.Add(2 * time.Hour))}}
	r := f.leader.postForm(t, base+"/attendance/pair", pair)
	if r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "done=pair") {
		t.Fatalf("record pair: %d to %q; errors %v notice %q", r.StatusCode, r.Header.Get("Location"), r.fieldErrors(), r.notice())
	}
	page := f.leader.get(t, strings.Split(r.Header.Get("Location"), "#")[0])
	if !strings.Contains(page.body, "已为 "+f.otherName+" 补录一次签到签退") {
		t.Errorf("no note of the recorded pair")
	}
	if got := firstGroup(regexp.MustCompile(`id="total-hours">([^<]*)<`), page.body); !strings.HasPrefix(got, "2") {
		t.Errorf("total hours %q, want about 2", got)
	}
	if got := firstGroup(regexp.MustCompile(`id="total-arrived">([^<]*)<`), page.body); got != "1" {
		t.Errorf("arrived %q, want 1", got)
	}

	// Bad pairs come back with the input kept and each error by its field.
	for _, bad := range []struct {
		name   string
		change url.Values
		fields []string
		status int
	}{
		{"empty", url.Values{"person": {""}, "date": {""}, "check_in": {""}, "check_out": {""}},
			[]string{"person", "date", "check_in", "check_out"}, http.StatusUnprocessableEntity},
		{"bad clock", url.Values{"check_in": {"25:00"}}, []string{"check_in"}, http.StatusUnprocessableEntity},
		{"out before in", url.Values{"check_in": {"11:00"}, "check_out": {"09:00"}}, []string{"check_out"}, http.StatusUnprocessableEntity},
		{"far from the activity", url.Values{"date": {"2020-01-01"}}, []string{"check_in"}, http.StatusUnprocessableEntity},
		{"no place", url.Values{"person": {"999999"}}, nil, http.StatusConflict},
	} {
		form := url.Values{}
		for k, v := range pair {
			form[k] = v
		}
		for k, v := range bad.change {
			form[k] = v
		}
		r := f.leader.postForm(t, base+"/attendance/pair", form)
		errs := r.fieldErrors()
		if r.StatusCode != bad.status || len(errs) != len(bad.fields) {
			t.Errorf("pair %s: %d with errors %v, want %d on %v", bad.name, r.StatusCode, errs, bad.status, bad.fields)
		}
		for _, fld := range bad.fields {
			if errs[fld] == "" {
				t.Errorf("pair %s: no error by %s (got %v)", bad.name, fld, errs)
			}
		}
		if v := bad.change.Get("check_in"); v != "" && !strings.Contains(r.body, `value="`+v+`"`) {
			t.Errorf("pair %s: the typed %q is lost", bad.name, v)
		}
		if bad.status == http.StatusConflict && !strings.Contains(r.body, "没有报名") {
			t.Errorf("pair %s: no notice saying 没有报名", bad.name)
		}
	}
	if n := len(f.attendance(t)); n != 2 {
		t.Errorf("%d pairs after the bad submits, want 2", n)
	}
}

// TestOnsitePages serves the QR code as an image, and renders the paper
// sheet for the leader and "my service" for the volunteer and for an
// account without a person.
func TestOnsitePages(t *testing.T) {
	t.Parallel()
	f := newOnsiteFixture(t, storetest.SQLitePath(t))
	qrCodeRoute(t, f)
	r := f.leader.get(t, "/activities/"+itoa(f.id)+"/sheet")
	if r.StatusCode != http.StatusOK || r.h1() != "志愿服务签到表" {
		t.Fatalf("sheet: %d h1 %q", r.StatusCode, r.h1())
	}
	for _, want := range []string{"嘎查牧民义诊", f.otherName, domain.MaskPhone(f.volunteerPhone), "签到时间", "签退时间",
		"带队负责人", `id="print-sheet"`, f.team.Name} {
		if !strings.Contains(r.body, want) {
			t.Errorf("sheet lacks %q", want)
		}
	}
	if f.volunteerPhone != "" && strings.Contains(r.body, f.volunteerPhone) {
		t.Errorf("sheet shows the full phone %s", f.volunteerPhone)
	}
	if n := strings.Count(r.body, `class="sheet-person"`); n != 2 {
		t.Errorf("sheet has %d rows of people, want 2", n)
	}
	if n := strings.Count(r.body, `class="sheet-walkin"`); n != 8 {
		t.Errorf("sheet has %d blank rows, want 8", n)
	}

	r = f.vol.get(t, "/me/service")
	if r.StatusCode != http.StatusOK || r.h1() != "我的服务" || !strings.Contains(r.body, "嘎查牧民义诊") ||
		!strings.Contains(r.body, `id="my-hours"`) || !strings.Contains(r.body, "进行中") {
		t.Errorf("my service: %d h1 %q, want the activity under way", r.StatusCode, r.h1())
	}
	if r := f.vol.get(t, "/me"); !strings.Contains(r.body, `href="/me/service"`) {
		t.Errorf("/me has no link to /me/service")
	}
	admin := f.a.login(t, "admin")
	if r := admin.get(t, "/me/service"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "还没有关联志愿者信息") {
		t.Errorf("my service without a person: %d", r.StatusCode)
	}
}
