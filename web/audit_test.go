package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
)

var (
	tbodyRe        = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
	rowRe          = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRe         = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	tagRe          = regexp.MustCompile(`<[^>]+>`)
	phoneRe        = regexp.MustCompile(`1[3-9][0-9]{9}`)
	shownOneTimeRe = regexp.MustCompile(`<span class="secret" id="one-time">([^<]+)</span>`)
)

// auditActions returns the action column of the audit page's table, top to
// bottom (newest first).
func auditActions(r *response) []string {
	var out []string
	body := firstGroupRaw(tbodyRe, r.body)
	for _, row := range rowRe.FindAllStringSubmatch(body, -1) {
		cells := cellRe.FindAllStringSubmatch(row[1], -1)
		if len(cells) < 3 {
			continue
		}
		out = append(out, html.UnescapeString(strings.TrimSpace(tagRe.ReplaceAllString(cells[2][1], ""))))
	}
	return out
}

func firstGroupRaw(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

func count(xs []string, x string) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}

// TestAudit does the audited things a committee admin and a stranger do
// through the web, then checks that each left exactly its rows, that the
// audit page shows and filters them, and that no secret reached the log.
func TestAudit(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		a := startApp(t, app.Config{DB: db, Demo: true})
		ctx := t.Context()
		before, err := a.Store.ListAudit(ctx, domain.AuditFilter{Limit: 500})
		if err != nil || len(before) == 0 {
			t.Fatalf("audit rows of the demo: %d, %v; want some", len(before), err)
		}
		lastID := before[0].ID

		const newPassword = "nine-horses-on-the-steppe"
		const wrongPassword = "guessing-wrongly-42"
		admin := a.login(t, "admin")
		r := admin.postForm(t, "/account/password", url.Values{
			"current": {service.DemoPassword}, "new": {newPassword}, "confirm": {newPassword}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("change password: got %d, want 303; errors %v", r.StatusCode, r.fieldErrors())
		}
		r = admin.postForm(t, "/admin/users", url.Values{"username": {"x"}, "display_name": {"张三"}, "role": {"volunteer"}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("create user with a bad name: got %d, want 422", r.StatusCode)
		}
		r = admin.postForm(t, "/admin/users", url.Values{"username": {"zhang-san"}, "display_name": {"张三"}, "role": {"volunteer"}})
		oneTime := firstGroupRaw(shownOneTimeRe, r.body)
		if r.StatusCode != http.StatusOK || oneTime == "" {
			t.Fatalf("create user: got %d, one-time password %q; want 200 and one shown; errors %v",
				r.StatusCode, oneTime, r.fieldErrors())
		}
		wantRefused(t, tryLogin(t, a, "volunteer", wrongPassword), "wrong password", http.StatusUnprocessableEntity, msgBadLogin)
		if r := admin.postForm(t, "/logout", url.Values{}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: got %d, want 303", r.StatusCode)
		}
		admin.login(t, "admin", newPassword)
		// Reads leave no rows.
		admin.get(t, "/")
		admin.get(t, "/admin/users")

		// Every write left its rows, in order, and nothing else did.
		after, err := a.Store.ListAudit(ctx, domain.AuditFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		var rows []domain.AuditEntry
		for i := len(after) - 1; i >= 0; i-- {
			if after[i].ID > lastID {
				got = append(got, after[i].Action)
				rows = append(rows, after[i])
			}
		}
		want := []string{"user.login", "user.password_change", "user.create", "user.grant",
			"user.login_failed", "user.logout", "user.login"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("audit rows written by the test:\n got %v\nwant %v", got, want)
		}
		for _, e := range rows {
			wantActor := domain.RoleCommitteeAdmin
			user := "admin"
			if e.Action == "user.login_failed" {
				wantActor, user = domain.RolePublic, "volunteer"
			}
			if e.Username != user || e.Role != wantActor || e.IP != "127.0.0.1" || e.RequestID == "" || e.At.IsZero() {
				t.Errorf("%s row: who %q as %q from %q, request %q at %v; want %q as %q from 127.0.0.1 with a request id and time",
					e.Action, e.Username, e.Role, e.IP, e.RequestID, e.At, user, wantActor)
			}
		}

		// No secret and no full phone number in any row, the demo's included.
		secrets := []string{service.DemoPassword, newPassword, wrongPassword, oneTime}
		for _, e := range after {
			for _, s := range secrets {
				if strings.Contains(e.Before+e.After+e.ObjectID, s) {
					t.Errorf("audit row %d (%s) holds the password %q: before %s after %s", e.ID, e.Action, s, e.Before, e.After)
				}
			}
			if phoneRe.MatchString(e.Before + e.After) {
				t.Errorf("audit row %d (%s) holds a full phone number: before %s after %s", e.ID, e.Action, e.Before, e.After)
			}
		}

		// The audit page shows every action.
		page := admin.get(t, "/admin/audit")
		if page.StatusCode != http.StatusOK {
			t.Fatalf("GET /admin/audit: got %d, want 200", page.StatusCode)
		}
		shown := auditActions(page)
		for _, action := range []string{"user.login", "user.password_change", "user.create", "user.login_failed", "user.logout"} {
			if count(shown, action) == 0 {
				t.Errorf("audit page shows no %s row; it shows %v", action, shown)
			}
		}
		// The page shows the newest 100 rows; the demo city alone writes more.
		if want := min(len(after), 100); len(shown) != want {
			t.Errorf("audit page shows %d rows, want the newest %d", len(shown), want)
		}
		for _, s := range secrets {
			if strings.Contains(page.body, s) {
				t.Errorf("audit page shows the password %q", s)
			}
		}

		// Filtering by action shows only that action.
		page = admin.get(t, "/admin/audit?action=user.login_failed")
		shown = auditActions(page)
		if len(shown) != 1 || shown[0] != "user.login_failed" {
			t.Errorf("audit page filtered by user.login_failed shows %v, want [user.login_failed]", shown)
		}
		// The filter is a prefix: user.login takes failures along.
		shown = auditActions(admin.get(t, "/admin/audit?action=user.login"))
		if count(shown, "user.login") != 2 || count(shown, "user.login_failed") != 1 || len(shown) != 3 {
			t.Errorf("audit page filtered by user.login shows %v, want 2 user.login and 1 user.login_failed", shown)
		}
		// The demo's volunteer applied for a certificate, asked for a
		// correction and consented to the national export; the failed
		// sign-in is the newest of their entries.
		shown = auditActions(admin.get(t, "/admin/audit?username=volunteer"))
		if len(shown) == 0 || shown[0] != "user.login_failed" || count(shown, "user.login_failed") != 1 || count(shown, "user.login") != 0 {
			t.Errorf("audit page filtered by username volunteer shows %v, want the failed sign-in first and no other sign-in", shown)
		}
	})
}
