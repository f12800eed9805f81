package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestBrowserNotificationsOnPhone: a team leader on a phone sees the bell
// with its count beside the menu button (not folded away), opens the list
// from it, opens a notice (a form button) and lands on its page with the
// count one lower; the list, the preferences table and the committee's job
// queue fit a phone's width. Screenshots are saved for each.
func TestBrowserNotificationsOnPhone(t *testing.T) {
	chromiumPath(t) // skip before starting anything
	srv := startServer(t, true)
	st := srv.Main.Store
	ctx := context.Background()
	u, err := st.UserByUsername(ctx, "nmj-leader")
	if err != nil {
		t.Fatal(err)
	}
	base, err := st.UnreadNotifications(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, link := range []string{"/activities", "/inbox"} {
		if err := st.Housekeep(ctx, func(tx *store.Tx) error {
			_, err := tx.Notify(store.NewNotification{Event: domain.EventDispatched, Subject: fmt.Sprintf("e2e:%d", i),
				UserID: u.ID, Args: []string{"NM-2026-0001", "植树"}, Link: link, Urgent: true})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("nmj-leader", service.DemoPassword)
	b.navigate("/")
	b.screenshot("home-desktop")
	b.step("phone viewport", chromedp.EmulateViewport(layoutPhone, layoutPhoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.navigate("/")
	if got, want := b.text("#bell-count"), fmt.Sprint(base+2); got != want {
		t.Errorf("bell shows %q, want %s", got, want)
	}
	if b.eval(`String(document.querySelector("#bell").getBoundingClientRect().height > 0)`) != "true" {
		t.Error("the bell is hidden on a phone")
	}
	b.screenshot("home-bell")
	b.click("#bell")
	b.expectPage("/notifications", "通知", "zh-CN")
	b.screenshot("notifications")
	phoneFits(b, "notifications")
	b.click("#notify-list li:first-child button")
	b.expectPage("/inbox", "", "zh-CN")
	if got, want := b.text("#bell-count"), fmt.Sprint(base+1); got != want {
		t.Errorf("after opening one the bell shows %q, want %s", got, want)
	}
	b.navigate("/account/notifications")
	b.screenshot("prefs")
	phoneFits(b, "prefs")

	a := newBrowser(t, srv.URL)
	a.navigate("/login")
	a.login("admin", service.DemoPassword)
	a.step("phone viewport", chromedp.EmulateViewport(layoutPhone, layoutPhoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch))
	a.navigate("/admin/jobs")
	a.expectPage("/admin/jobs", "后台任务", "zh-CN")
	a.screenshot("jobs")
}

// phoneFits fails when the page scrolls sideways on the phone.
func phoneFits(b *browser, name string) {
	b.t.Helper()
	if w := value(b, "scrollWidth", chromedp.Evaluate[int]("document.documentElement.scrollWidth")); w > layoutPhone {
		b.t.Errorf("%s: %d px wide on a %d px phone", name, w, layoutPhone)
	}
}
