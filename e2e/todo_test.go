package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"vanguard/service"
)

// todoPhoneWidth is the phone the to-do pages are checked on.
const todoPhoneWidth = 390

// TestBrowserTodoHomes signs in as each demo role on a 390 px phone and
// takes a screenshot of the home page: it shows the role's to-do counts
// and does not scroll sideways.
func TestBrowserTodoHomes(t *testing.T) {
	chromiumPath(t) // skip before starting anything
	srv := startServer(t, true)
	for _, tc := range []struct {
		user, section string
		counts        int // at least this many counts
	}{
		{"admin", "#todo-committee", 7},
		{"nmj-admin", "#todo-org", 3},
		{"nmj-leader", "#todo-leader", 4},
		{"volunteer", "#todo-volunteer", 2},
		{"gacha-contact", "#todo-site", 8},
	} {
		// One browser per role in this test, not subtests: screenshot files
		// are named after the test.
		func() {
			b := newBrowser(t, srv.URL)
			b.step("phone viewport", chromedp.EmulateViewport(todoPhoneWidth, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
			b.navigate("/login")
			b.login(tc.user, service.DemoPassword)
			if got := b.path(); got != "/" {
				b.screenshot("not-home")
				t.Fatalf("after signing in %s is on %s, want /", tc.user, got)
			}
			b.screenshot("home-" + tc.user)
			if n := b.count(tc.section + " .todo-item[data-count]"); n < tc.counts {
				t.Errorf("%s's home shows %d counts in %s, want at least %d", tc.user, n, tc.section, tc.counts)
			}
			if w := value(b, "scrollWidth", chromedp.Evaluate[int]("document.documentElement.scrollWidth")); w > todoPhoneWidth {
				t.Errorf("%s's home on a %d px phone is %d px wide: it scrolls sideways", tc.user, todoPhoneWidth, w)
			}
			b.noCatalogueKeys("/")
		}()
	}
}
