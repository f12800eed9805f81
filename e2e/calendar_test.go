package e2e

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	_ "time/tzdata" // the parser loads Asia/Shanghai by name

	ics "github.com/arran4/golang-ical"
	"github.com/chromedp/chromedp"

	"vanguard/service"
)

// TestBrowserCalendar: the demo volunteer opens 我的志愿服务, makes the
// calendar link, and the address the page shows, fetched over HTTP as a
// calendar app would (no session), parses as iCalendar with an activity the
// volunteer signed up for. Switching the subscription off makes the address
// answer 404.
func TestBrowserCalendar(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)

	b.navigate("/login")
	b.login("volunteer", service.DemoPassword)
	b.navigate("/me")
	b.expectPage("/me", "我的志愿服务", "zh-CN")
	if got := b.text("#calendar h2"); got != "日历订阅" {
		t.Errorf("calendar section heading %q, want 日历订阅", got)
	}
	b.click("#cal-create")
	b.expectPage("/me/calendar", "我的志愿服务", "zh-CN")
	feed := b.text("#cal-url")
	if !strings.HasPrefix(feed, srv.URL+"/cal/") || !strings.HasSuffix(feed, ".ics") {
		t.Fatalf("the page shows %q as the feed address", feed)
	}
	if href := b.eval(`document.querySelector("#cal-webcal").getAttribute("href")`); href != "webcal://"+strings.TrimPrefix(feed, "http://") {
		t.Errorf("webcal link %q for %q", href, feed)
	}
	b.screenshot("calendar-link")
	b.noCatalogueKeys("/me/calendar")

	res, err := http.Get(feed)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("GET the feed: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	cal, err := ics.ParseCalendar(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parse the feed: %v\n%s", err, body)
	}

	// An event of the feed is an activity the volunteer holds a place in.
	ctx := context.Background()
	u, err := srv.Main.Store.UserByUsername(ctx, "volunteer")
	if err != nil {
		t.Fatal(err)
	}
	person, err := srv.Main.Store.PersonIDOfUser(ctx, u.ID)
	if err != nil || person == 0 {
		t.Fatalf("the demo volunteer's person: %d, %v", person, err)
	}
	found := ""
	for _, e := range cal.Events() {
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(e.Id(), "@", 2)[0], "activity-"), 10, 64)
		if err != nil {
			t.Fatalf("UID %q", e.Id())
		}
		signups, err := srv.Main.Store.ActivitySignups(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range signups {
			if s.PersonID == person && s.State.Active() {
				found = e.GetProperty(ics.ComponentPropertySummary).Value
			} else if s.PersonID == person {
				t.Errorf("activity %d is in the feed though the volunteer's place is %s", id, s.State)
			}
		}
		if start, err := e.GetStartAt(); err != nil || start.Location().String() != "Asia/Shanghai" {
			t.Errorf("event %s starts %v (%v), want a time in Asia/Shanghai", e.Id(), start, err)
		}
	}
	if found == "" {
		t.Fatalf("no event of the feed is an activity the volunteer signed up for (%d events)", len(cal.Events()))
	}
	t.Logf("%d events; one the volunteer signed up for: %s", len(cal.Events()), found)

	// Switch it off (the form's confirm dialog is the script's; submit
	// the form itself): the address is 404.
	b.eval(`document.querySelector("#cal-revoke").form.submit(), "sent"`)
	b.step("wait for the revoked page", chromedp.WaitVisible(chromedp.CSS("#cal-state")))
	if b.count("#cal-url") != 0 {
		t.Error("the page still shows the address after revoking")
	}
	res, err = http.Get(feed)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("the revoked feed answers %d, want 404", res.StatusCode)
	}
}
