package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// actFixture is the demo city with what the activity pages need: 市农牧业局's
// party team (led by nmj-leader, with the demo volunteer), a second member
// of it and a volunteer of another team, each with an account.
type actFixture struct {
	a        *testApp
	team     int64
	category int64
	site     int64
	admin    domain.Caller
	member   string // username of a second member of the team
	outsider string // username of a volunteer outside it
}

func newActFixture(t *testing.T, db string) *actFixture {
	t.Helper()
	a := startApp(t, app.Config{DB: db, Demo: true})
	ctx := context.Background()
	f := &actFixture{a: a, admin: domain.Caller{Principal: domain.Principal{UserID: 1, Username: "admin",
		Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}}, IP: "127.0.0.1", RequestID: "t"}}
	teams, err := a.Store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	var other int64
	for _, tm := range teams {
		if tm.Name == "市农牧业局党员志愿服务队" {
			f.team = tm.ID
		} else if other == 0 {
			other = tm.ID
		}
	}
	cats, _ := a.Store.ListCategories(ctx, false)
	sites, _ := a.Store.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	if f.team == 0 || other == 0 || len(cats) == 0 || len(sites) == 0 {
		t.Fatalf("demo: team %d, other %d, %d categories, %d sites", f.team, other, len(cats), len(sites))
	}
	f.category, f.site = cats[0].ID, sites[0].ID
	vol, _ := a.Store.UserByUsername(ctx, "volunteer")
	me, err := a.Store.PersonByUserID(ctx, vol.ID)
	if err != nil {
		t.Fatalf("the demo volunteer has no person: %v", err)
	}
	inTeam := map[int64]bool{}
	roster, _ := a.Store.Roster(ctx, f.team, false)
	for _, m := range roster {
		inTeam[m.PersonID] = true
	}
	link := func(username string, personID int64) {
		uid, _, err := a.Service.CreateUser(ctx, service.SystemCaller, service.NewAccount{Username: username,
			DisplayName: username, Role: domain.RoleVolunteer, Password: service.DemoPassword})
		if err != nil {
			t.Fatalf("CreateUser %s: %v", username, err)
		}
		if err := a.Store.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
			return tx.LinkPersonUser(personID, uid)
		}); err != nil {
			t.Fatalf("link %s: %v", username, err)
		}
	}
	for _, m := range roster {
		// The first of the roster is its leader, linked to nmj-leader: a
		// person has one account at most.
		if p, _ := a.Store.PersonByID(ctx, m.PersonID); m.PersonID != me.ID && p.UserID == 0 {
			f.member = "member2"
			link(f.member, m.PersonID)
			break
		}
	}
	others, _ := a.Store.Roster(ctx, other, false)
	for _, m := range others {
		if !inTeam[m.PersonID] {
			f.outsider = "outsider"
			link(f.outsider, m.PersonID)
			break
		}
	}
	if f.member == "" || f.outsider == "" {
		t.Fatal("the demo teams have too few members for the fixture")
	}
	return f
}

// form is a valid activity form for the team, starting at start (China
// time) and lasting three hours.
func (f *actFixture) form(title string, mode domain.ActivityMode, start time.Time, capacity int) url.Values {
	st, en := start.In(domain.ChinaZone), start.Add(3*time.Hour).In(domain.ChinaZone)
	v := url.Values{"title": {title}, "mode": {string(mode)}, "team": {strconv.FormatInt(f.team, 10)},
		"categories": {strconv.FormatInt(f.category, 10)}, "site_id": {strconv.FormatInt(f.site, 10)},
		"date": {st.Format("2006-01-02")}, "start_time": {st.Format("15:04")}, "end_time": {en.Format("15:04")},
		"capacity": {strconv.Itoa(capacity)}, "cancel_hours": {"1"}, "skills": {"驾驶、急救"},
		"description": {"请穿志愿者马甲。"}}
	if d := en.Format("2006-01-02"); d != st.Format("2006-01-02") {
		v.Set("end_date", d)
	}
	return v
}

// created returns the id of the activity a create answer redirected to.
func created(t *testing.T, r *response) int64 {
	t.Helper()
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/activities/") || !strings.HasSuffix(loc, "?saved=created") {
		t.Fatalf("create: got %d Location %q, want 303 to the new activity; field errors %v, notice %q",
			r.StatusCode, loc, r.fieldErrors(), r.notice())
	}
	id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(loc, "/activities/"), "?saved=created"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// wantRedirect fails unless r redirects to the activity with saved.
func wantRedirect(t *testing.T, what string, r *response, id int64, saved string) {
	t.Helper()
	want := "/activities/" + strconv.FormatInt(id, 10) + "?saved=" + saved
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != want {
		t.Fatalf("%s: got %d Location %q, want 303 to %s; notice %q", what, r.StatusCode, r.Header.Get("Location"), want, r.notice())
	}
}

// TestActivityFormErrors: a bad form answers 422 with each fault in
// Chinese next to its field and keeps what was typed.
func TestActivityFormErrors(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.login(t, "admin")
	if r := c.get(t, "/activities/new"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="activity-form"`) {
		t.Fatalf("GET /activities/new: %d", r.StatusCode)
	}
	r := c.postForm(t, "/activities", url.Values{"title": {""}, "mode": {"unit"}, "date": {"2026-13-40"},
		"start_time": {"09:00"}, "end_time": {"12:00"}, "capacity": {"很多"}, "cancel_hours": {"24"},
		"address": {"巴彦嘎查村委会东侧"}, "description": {"带好工具，注意安全"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: got %d, want 422", r.StatusCode)
	}
	errs := r.fieldErrors()
	for field, want := range map[string]string{"title": "", "team": "牵头", "categories": "服务类别",
		"place": "服务点", "starts_at": "时间", "capacity": "人数"} {
		if msg, ok := errs[field]; !ok || !strings.Contains(msg, want) {
			t.Errorf("field %s: message %q, want one containing %q (all: %v)", field, msg, want, errs)
		}
	}
	for _, kept := range []string{"巴彦嘎查村委会东侧", "带好工具，注意安全", `value="很多"`, `value="2026-13-40"`} {
		if !strings.Contains(r.body, kept) {
			t.Errorf("the form lost %q", kept)
		}
	}
}

// TestActivitySignups: a leader creates an open-mode activity for two; a
// member signs up, a volunteer of another team asks to join and is
// approved, which fills it; the next member goes on the waitlist and moves
// up when the first cancels. Every page along the way renders, and the
// taken count always equals the confirmed sign-ups.
func TestActivitySignups(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		f := newActFixture(t, db)
		a, ctx := f.a, context.Background()
		leader := a.login(t, "nmj-leader")
		id := created(t, leader.postForm(t, "/activities", f.form("春耕农机检修服务", domain.ModeOpen, time.Now().Add(72*time.Hour), 2)))
		path := "/activities/" + strconv.FormatInt(id, 10)
		check := func(what string) {
			t.Helper()
			taken, confirmed, err := a.Store.CapacityCheck(ctx, id)
			if err != nil || taken != confirmed {
				t.Fatalf("%s: taken %d, confirmed %d, %v", what, taken, confirmed, err)
			}
		}
		state := func(username string) domain.SignupState {
			t.Helper()
			u, _ := a.Store.UserByUsername(ctx, username)
			p, _ := a.Store.PersonByUserID(ctx, u.ID)
			g, ok, err := a.Store.PersonSignup(ctx, id, p.ID)
			if err != nil || !ok {
				return ""
			}
			return g.State
		}

		vol := a.login(t, "volunteer")
		if r := vol.get(t, path); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="signup"`) {
			t.Fatalf("the volunteer's page has no sign-up button: %d", r.StatusCode)
		}
		wantRedirect(t, "sign up", vol.postForm(t, path+"/signup", url.Values{}), id, "confirmed")
		if r := vol.get(t, path+"?saved=confirmed"); !strings.Contains(r.body, `id="cancel-signup"`) || !strings.Contains(r.body, "报名成功") {
			t.Fatalf("after signing up: no cancel button or notice")
		}
		if r := vol.postForm(t, path+"/signup", url.Values{}); r.StatusCode != http.StatusConflict || !strings.Contains(r.notice(), "已经报名") {
			t.Fatalf("signing up twice: got %d %q, want 409", r.StatusCode, r.notice())
		}
		check("after the first sign-up")

		out := a.login(t, f.outsider)
		if r := out.get(t, path); !strings.Contains(r.body, "申请加入") {
			t.Fatalf("the outsider is not offered to ask to join")
		}
		wantRedirect(t, "ask to join", out.postForm(t, path+"/signup", url.Values{}), id, "requested")
		r := leader.get(t, path)
		sgs, _ := a.Store.ActivitySignups(ctx, id)
		var sid int64
		for _, g := range sgs {
			if g.State == domain.SignupRequested {
				sid = g.ID
			}
		}
		sidPath := path + "/requests/" + strconv.FormatInt(sid, 10)
		if sid == 0 || !strings.Contains(r.body, `id="approve-`+strconv.FormatInt(sid, 10)+`"`) {
			t.Fatalf("the leader sees no request to approve (signup %d)", sid)
		}
		// Only masked phone numbers on the organiser's page.
		for _, g := range sgs {
			if !strings.Contains(r.body, g.PhoneMasked) {
				t.Errorf("the sign-up list lacks %s's masked phone", g.PersonName)
			}
		}
		wantRedirect(t, "approve", leader.postForm(t, sidPath+"/approve", url.Values{}), id, "approved")
		if got := state(f.outsider); got != domain.SignupConfirmed {
			t.Fatalf("the approved request is %q, want confirmed", got)
		}
		if r := leader.postForm(t, sidPath+"/reject", url.Values{}); r.StatusCode != http.StatusConflict {
			t.Fatalf("rejecting a decided request: got %d, want 409", r.StatusCode)
		}
		check("after the approval")

		mem := a.login(t, f.member)
		if r := mem.get(t, path); !strings.Contains(r.body, "报名候补") {
			t.Fatalf("a full activity does not offer the waitlist")
		}
		wantRedirect(t, "sign up when full", mem.postForm(t, path+"/signup", url.Values{}), id, "waitlisted")
		if r := leader.get(t, path); !strings.Contains(r.body, "第 1 位") {
			t.Errorf("the leader's list does not show the waitlist position")
		}
		wantRedirect(t, "cancel", vol.postForm(t, path+"/cancel", url.Values{}), id, "withdrawn")
		if got := state(f.member); got != domain.SignupConfirmed {
			t.Fatalf("the waitlisted member is %q after a cancellation, want confirmed", got)
		}
		check("after the cancellation")

		// The calendar shows the activity with the volunteer's own state, and
		// the team's page lists it.
		if r := mem.get(t, "/activities"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, path) ||
			!strings.Contains(r.body, "我：已报名") {
			t.Fatalf("the calendar lacks the activity or the member's state: %d", r.StatusCode)
		}
		if r := leader.get(t, "/activities?manage=1&mode=open"); !strings.Contains(r.body, path) {
			t.Fatalf("the leader's own list lacks the activity")
		}
		if r := leader.get(t, "/teams/"+strconv.FormatInt(f.team, 10)); !strings.Contains(r.body, `id="team-activities"`) ||
			!strings.Contains(r.body, path) {
			t.Fatalf("the team page does not list the activity")
		}
		if r := leader.get(t, path+"/edit"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "春耕农机检修服务") {
			t.Fatalf("GET edit: %d", r.StatusCode)
		}
		// Capacity below the places taken is refused next to the field.
		form := f.form("春耕农机检修服务", domain.ModeOpen, time.Now().Add(72*time.Hour), 1)
		if r := leader.postForm(t, path, form); r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["capacity"] == "" {
			t.Fatalf("capacity below taken: got %d %v", r.StatusCode, r.fieldErrors())
		}
		wantRedirect(t, "edit", leader.postForm(t, path, f.form("春耕农机检修服务（第二批）", domain.ModeOpen,
			time.Now().Add(72*time.Hour), 5)), id, "updated")
		if r := leader.postForm(t, path+"/cancel-activity", url.Values{"reason": {""}}); r.StatusCode != http.StatusUnprocessableEntity ||
			r.fieldErrors()["reason"] == "" {
			t.Fatalf("cancelling without a reason: got %d", r.StatusCode)
		}
		wantRedirect(t, "cancel the activity", leader.postForm(t, path+"/cancel-activity",
			url.Values{"reason": {"大风降温，改期"}}), id, "cancelled")
		if r := vol.get(t, path); !strings.Contains(r.body, "已取消") || strings.Contains(r.body, `id="signup"`) {
			t.Fatalf("a cancelled activity still offers sign-up")
		}
	})
}

// TestActivityFromOrder: a confirmed order's page offers to arrange an
// activity; the form comes filled from the order; the activity made from
// it is listed on the order, and completing it records the hours and
// moves the order to served.
func TestActivityFromOrder(t *testing.T) {
	t.Parallel()
	f := newActFixture(t, storetest.SQLitePath(t))
	a, ctx := f.a, context.Background()
	items, err := a.Store.ListMenuItems(ctx, store.MenuFilter{ActiveOnly: true})
	if err != nil || len(items) == 0 {
		t.Fatalf("menu: %d, %v", len(items), err)
	}
	day := time.Now().In(domain.ChinaZone).AddDate(0, 0, 10).Format("2006-01-02")
	code, err := a.Service.PlaceOrder(ctx, domain.Caller{IP: "192.0.2.61", RequestID: "t"}, domain.OrderInput{
		RequesterName: "其其格", RequesterPhone: "13700000061", SiteID: f.site, DateFrom: day, DateTo: day,
		Beneficiaries: 200, ItemIDs: []int64{items[0].ID}})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := a.Store.OrderByCode(ctx, code)
	err = a.Store.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
		if _, err := tx.TransitionOrder(o.ID, domain.EventAccept, ""); err != nil {
			return err
		}
		if err := tx.DispatchOrder(o.ID, []store.NewDispatch{{CategoryID: items[0].CategoryID, TeamID: f.team, PersonDays: 3}}); err != nil {
			return err
		}
		return tx.AnswerDispatch(o.ID, f.team, true, "")
	})
	if err != nil {
		t.Fatal(err)
	}
	oid := strconv.FormatInt(o.ID, 10)
	admin := a.login(t, "admin")
	if r := admin.get(t, "/orders/"+oid); !strings.Contains(r.body, `href="/activities/new?order=`+oid+`"`) {
		t.Fatalf("the confirmed order offers no activity: %d", r.StatusCode)
	}
	r := admin.get(t, "/activities/new?order="+oid)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `name="order_id" value="`+oid+`"`) ||
		!strings.Contains(r.body, items[0].Title) || !strings.Contains(r.body, `value="`+day+`"`) {
		t.Fatalf("the form is not filled from the order: %d", r.StatusCode)
	}
	// It started two hours ago, so that it can be completed now.
	form := f.form(items[0].Title, domain.ModeCommittee, time.Now().Add(-2*time.Hour), 10)
	form.Set("order_id", oid)
	id := created(t, admin.postForm(t, "/activities", form))
	path := "/activities/" + strconv.FormatInt(id, 10)
	if act, _ := a.Store.ActivityByID(ctx, id); act.OrderID != o.ID {
		t.Fatalf("the activity's order is %d, want %d", act.OrderID, o.ID)
	}
	if r := admin.get(t, "/orders/"+oid); !strings.Contains(r.body, `href="`+path+`"`) {
		t.Fatalf("the order does not list its activity")
	}
	vol := a.login(t, "volunteer")
	wantRedirect(t, "sign up", vol.postForm(t, path+"/signup", url.Values{}), id, "confirmed")
	u, _ := a.Store.UserByUsername(ctx, "volunteer")
	p, _ := a.Store.PersonByUserID(ctx, u.ID)
	act, _ := a.Store.ActivityByID(ctx, id)
	if err := a.Service.RecordPair(ctx, f.admin, id, p.ID, act.StartsAt, act.StartsAt.Add(90*time.Minute)); err != nil {
		t.Fatalf("RecordPair: %v", err)
	}
	if r := vol.get(t, path); !strings.Contains(r.body, "我的签到记录") {
		t.Errorf("the volunteer does not see their check-in")
	}
	if r := admin.get(t, path); !strings.Contains(r.body, `id="complete"`) || !strings.Contains(r.body, "已服务") {
		t.Fatalf("the organiser is not offered to complete the activity")
	}
	// Completing cannot be undone: without the ticked confirmation it is
	// refused and nothing is recorded.
	if r := admin.postForm(t, path+"/complete", url.Values{}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "请先勾选确认") || !strings.Contains(r.body, `id="complete-confirm"`) {
		t.Fatalf("completing without confirmation: got %d", r.StatusCode)
	}
	if a, _ := a.Store.ActivityByID(ctx, id); a.State != domain.ActivityScheduled {
		t.Fatalf("an unconfirmed completion changed the activity to %s", a.State)
	}
	wantRedirect(t, "complete", admin.postForm(t, path+"/complete", url.Values{"confirm": {"1"}}), id, "completed")
	if r := admin.get(t, path+"?saved=completed"); !strings.Contains(r.body, "已记录 1 人次、1.5 小时") {
		t.Fatalf("the completed activity does not show its person-times and hours")
	}
	if after, _ := a.Store.OrderByID(ctx, o.ID); after.State != domain.OrderServed {
		t.Fatalf("the order is %s after completion, want served", after.State)
	}
}
