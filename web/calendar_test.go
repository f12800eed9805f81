package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the parser loads Asia/Shanghai by name

	ics "github.com/arran4/golang-ical"

	"vanguard/domain"
	"vanguard/store"
)

// calURLRe finds the feed address shown once on /me or a team's page.
var calURLRe = regexp.MustCompile(`id="cal-url">([^<]+)<`)

// calCaller is a demo user as the service sees them, for fixtures.
func calCaller(t *testing.T, a *testApp, username string) domain.Caller {
	t.Helper()
	ctx := context.Background()
	u, err := a.Store.UserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	grants, err := a.Store.Grants(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	person, err := a.Store.PersonIDOfUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.Caller{Principal: domain.Principal{UserID: u.ID, PersonID: person, Username: u.Username,
		DisplayName: u.DisplayName, Grants: grants}, IP: "127.0.0.1", RequestID: "cal"}
}

// calActivities schedules, in nmj-leader's team, an activity the demo
// volunteer holds a place in (its title has commas, semicolons, a backslash
// and Chinese), one they held before it was cancelled, and one where only
// another member signed up. Each starts on a fixed Shanghai clock time.
func calActivities(t *testing.T, a *testApp) (team int64, mine, cancelled, others int64, start time.Time) {
	t.Helper()
	ctx := context.Background()
	st, svc := a.Store, a.Service
	leader := calCaller(t, a, "nmj-leader")
	teams, err := svc.ActivityTeams(ctx, leader)
	if err != nil || len(teams) == 0 {
		t.Fatalf("nmj-leader's teams: %v, %v", teams, err)
	}
	team = teams[0].ID
	vol := calCaller(t, a, "volunteer")
	roster, err := st.Roster(ctx, team, false)
	if err != nil {
		t.Fatal(err)
	}
	var other int64
	for _, m := range roster {
		if m.PersonID != vol.PersonID {
			other = m.PersonID
			break
		}
	}
	cats, _ := st.ListCategories(ctx, false)
	sites, err := st.ListSites(ctx, store.SiteFilter{Scope: domain.Scope{All: true}})
	if err != nil || len(cats) == 0 || len(sites) == 0 || other == 0 {
		t.Fatalf("demo: %d categories, %d sites, other member %d, %v", len(cats), len(sites), other, err)
	}
	sh := time.FixedZone("CST", 8*3600)
	day := st.Now().In(sh).AddDate(0, 0, 3)
	start = time.Date(day.Year(), day.Month(), day.Day(), 9, 30, 0, 0, sh)
	create := func(title string, at time.Time, person int64) int64 {
		id, err := svc.CreateActivity(ctx, leader, domain.ActivityInput{
			Title: title, Mode: domain.ModeUnit, TeamID: team, SiteID: sites[0].ID, Address: "幸福路 8 号",
			StartsAt: at, EndsAt: at.Add(150 * time.Minute), Capacity: 20, CategoryIDs: []int64{cats[0].ID},
			Description: "带好身份证；\n早到十分钟, 谢谢。",
		})
		if err != nil {
			t.Fatalf("create %s: %v", title, err)
		}
		err = st.Write(ctx, leader.Actor(), func(tx *store.Tx) error {
			_, err := tx.SignUp(id, person, team, false)
			return err
		})
		if err != nil {
			t.Fatalf("sign up for %s: %v", title, err)
		}
		return id
	}
	mine = create(calTitle, start, vol.PersonID)
	cancelled = create("草原防火宣传", start.Add(24*time.Hour), vol.PersonID)
	others = create("别人的活动", start.Add(48*time.Hour), other)
	if err := svc.CancelActivity(ctx, leader, cancelled, "大风天气"); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	return team, mine, cancelled, others, start
}

const calTitle = `义诊, 量血压; 测血糖 \ 社区"先锋"服务站`

// fetchFeed gets a feed address with no session, as a calendar app does.
func fetchFeed(t *testing.T, method, feed string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, feed, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// checkFolding asserts RFC 5545's line form: CRLF after every line, none
// longer than 75 octets, and no UTF-8 sequence split across a fold.
func checkFolding(t *testing.T, body string) {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") {
		t.Error("the feed does not end in CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if strings.Contains(line, "\n") {
			t.Errorf("line %d has a bare LF: %q", i+1, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(line), line)
		}
		if !utf8Valid(line) {
			t.Errorf("line %d splits a character: %q", i+1, line)
		}
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func eventsByUID(t *testing.T, body string) map[string]*ics.VEvent {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse the feed: %v\n%s", err, body)
	}
	out := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		out[e.Id()] = e
	}
	return out
}

func prop(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

// TestCalendarFeed: the demo volunteer makes a feed on /me and reads the
// address shown once; the address, fetched without a session, is an
// iCalendar that the library parses, with their activities at the right
// Shanghai times, the title's commas, semicolons and Chinese intact, the
// cancelled one marked, and another person's activity absent. It has the
// content type, cache headers and ETag (304 on a match, HEAD without a
// body); the secret is not in the log; after revoking, the address is 404.
func TestCalendarFeed(t *testing.T) {
	a := newTestApp(t)
	_, mine, cancelled, others, start := calActivities(t, a)
	c := a.login(t, "volunteer")
	r := c.postForm(t, "/me/calendar", url.Values{})
	m := calURLRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("POST /me/calendar: %d, address found %v, Cache-Control %q", r.StatusCode, m != nil, r.Header.Get("Cache-Control"))
	}
	feed := m[1]
	u, err := url.Parse(feed)
	if err != nil || !strings.HasPrefix(u.Path, "/cal/") || !strings.HasSuffix(u.Path, ".ics") {
		t.Fatalf("feed address %q", feed)
	}
	token := strings.TrimSuffix(strings.TrimPrefix(u.Path, "/cal/"), ".ics")
	if !strings.Contains(r.body, `href="webcal://`+u.Host+u.Path+`"`) {
		t.Error("no webcal:// link beside the address")
	}
	if again := c.get(t, "/me"); strings.Contains(again.body, token) || !strings.Contains(again.body, `id="cal-revoke"`) {
		t.Error("/me shows the secret again, or no revoke button, after the feed was made")
	}

	res, body := fetchFeed(t, http.MethodGet, feed, nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/calendar; charset=utf-8" ||
		res.Header.Get("Cache-Control") != "private, max-age=300" || res.Header.Get("ETag") == "" {
		t.Fatalf("GET feed: %d, %q, %q, ETag %q", res.StatusCode, res.Header.Get("Content-Type"),
			res.Header.Get("Cache-Control"), res.Header.Get("ETag"))
	}
	checkFolding(t, body)
	for _, want := range []string{"BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n", "TZOFFSETTO:+0800",
		`SUMMARY:义诊\, 量血压\; 测血糖 \\ 社区"先锋"服务站`} {
		if !strings.Contains(strings.ReplaceAll(body, "\r\n ", ""), want) {
			t.Errorf("the feed lacks %q", want)
		}
	}
	host := u.Hostname()
	events := eventsByUID(t, body)
	uid := func(id int64) string { return "activity-" + strconv.FormatInt(id, 10) + "@" + host }
	e := events[uid(mine)]
	if e == nil {
		t.Fatalf("no event %s in %v", uid(mine), events)
	}
	if got := prop(e, ics.ComponentPropertySummary); got != calTitle {
		t.Errorf("SUMMARY = %q, want %q", got, calTitle)
	}
	begin, err := e.GetStartAt()
	if err != nil || !begin.Equal(start) || begin.Location().String() != "Asia/Shanghai" || begin.Hour() != 9 || begin.Minute() != 30 {
		t.Errorf("DTSTART = %v (%v), want %v in Asia/Shanghai", begin, err, start)
	}
	if end, err := e.GetEndAt(); err != nil || !end.Equal(start.Add(150*time.Minute)) {
		t.Errorf("DTEND = %v (%v), want %v", end, err, start.Add(150*time.Minute))
	}
	if p := e.GetProperty(ics.ComponentPropertyDtStart); p == nil || p.ICalParameters["TZID"][0] != "Asia/Shanghai" {
		t.Errorf("DTSTART has no TZID=Asia/Shanghai: %+v", p)
	}
	if got := prop(e, ics.ComponentPropertyLocation); !strings.Contains(got, "幸福路 8 号") {
		t.Errorf("LOCATION = %q", got)
	}
	desc := prop(e, ics.ComponentPropertyDescription)
	if !strings.Contains(desc, "服务队：") || !strings.Contains(desc, "带好身份证；\n早到十分钟, 谢谢。") ||
		!strings.Contains(desc, "/activities/"+strconv.FormatInt(mine, 10)) {
		t.Errorf("DESCRIPTION = %q", desc)
	}
	if got := prop(e, ics.ComponentPropertyUrl); got != a.url+"/activities/"+strconv.FormatInt(mine, 10) {
		t.Errorf("URL = %q", got)
	}
	if got := prop(e, ics.ComponentPropertyStatus); got != "CONFIRMED" {
		t.Errorf("STATUS = %q, want CONFIRMED", got)
	}
	if e.GetProperty(ics.ComponentPropertyDtstamp) == nil || e.GetProperty(ics.ComponentPropertySequence) == nil {
		t.Error("DTSTAMP or SEQUENCE missing")
	}
	if ce := events[uid(cancelled)]; ce == nil || prop(ce, ics.ComponentPropertyStatus) != "CANCELLED" {
		t.Errorf("the cancelled activity is missing or not marked: %v", ce)
	} else if seq, _ := strconv.Atoi(prop(ce, ics.ComponentPropertySequence)); seq < 0 {
		t.Errorf("SEQUENCE of the cancelled activity = %d", seq)
	}
	if events[uid(others)] != nil {
		t.Error("another person's activity is in the volunteer's feed")
	}

	// Caching: the same ETag answers 304; HEAD has the headers and no body.
	etag := res.Header.Get("ETag")
	if res, _ := fetchFeed(t, http.MethodGet, feed, http.Header{"If-None-Match": {etag}}); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", res.StatusCode)
	}
	if res, b := fetchFeed(t, http.MethodHead, feed, nil); res.StatusCode != http.StatusOK || b != "" ||
		res.Header.Get("ETag") != etag || res.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Errorf("HEAD: %d, %d bytes, ETag %q", res.StatusCode, len(b), res.Header.Get("ETag"))
	}
	if strings.Contains(a.logs.String(), token) {
		t.Error("the feed's secret is in the request log")
	}

	// Revoked: 404; a malformed address is 404 too.
	if r := c.postForm(t, "/me/calendar/revoke", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	if res, _ := fetchFeed(t, http.MethodGet, feed, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("revoked feed: %d, want 404", res.StatusCode)
	}
	if res, _ := fetchFeed(t, http.MethodGet, a.url+"/cal/"+token, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("address without .ics: %d, want 404", res.StatusCode)
	}
	if r := c.get(t, "/me?cal=revoked"); !strings.Contains(r.body, `id="cal-state"`) || strings.Contains(r.body, `id="cal-revoke"`) {
		t.Error("/me after revoking does not offer a new link")
	}
}

// TestTeamCalendarFeed: a team's leader makes the team's feed on its page;
// it lists every activity of the team, whoever signed up. A volunteer may
// not make one, and regenerating revokes the old address.
func TestTeamCalendarFeed(t *testing.T) {
	a := newTestApp(t)
	team, mine, cancelled, others, _ := calActivities(t, a)
	path := "/teams/" + strconv.FormatInt(team, 10)
	if r := a.login(t, "volunteer").postForm(t, path+"/calendar", url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a volunteer making a team feed: %d, want 403", r.StatusCode)
	}
	c := a.login(t, "nmj-leader")
	if r := c.get(t, path); !strings.Contains(r.body, `id="cal-create"`) {
		t.Fatal("the team page offers its leader no calendar link")
	}
	r := c.postForm(t, path+"/calendar", url.Values{})
	m := calURLRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("POST %s/calendar: %d, address found %v", path, r.StatusCode, m != nil)
	}
	res, body := fetchFeed(t, http.MethodGet, m[1], nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("team feed: %d", res.StatusCode)
	}
	events := eventsByUID(t, body)
	host := res.Request.URL.Hostname()
	for _, id := range []int64{mine, cancelled, others} {
		if events["activity-"+strconv.FormatInt(id, 10)+"@"+host] == nil {
			t.Errorf("activity %d missing from the team feed", id)
		}
	}
	r = c.postForm(t, path+"/calendar", url.Values{})
	if m2 := calURLRe.FindStringSubmatch(r.body); m2 == nil || m2[1] == m[1] {
		t.Fatal("regenerating gave no new address")
	}
	if res, _ := fetchFeed(t, http.MethodGet, m[1], nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("the team's old address after regenerating: %d, want 404", res.StatusCode)
	}
}
