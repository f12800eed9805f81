package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/store/storetest"
)

// TestAttendConfirmPage: the release setting is kept by the activity form;
// the confirmation page a reminder links to answers only the volunteer
// holding the place (others get 404); confirming shows ✓ and the time on
// the leader's roster, a sign-up not confirmed shows "未确认", and giving the
// place up on the page cancels the sign-up.
func TestAttendConfirmPage(t *testing.T) {
	t.Parallel()
	f := newActFixture(t, storetest.SQLitePath(t))
	a, ctx := f.a, context.Background()
	leader := a.login(t, "nmj-leader")
	form := f.form("秋季防火宣传", domain.ModeUnit, time.Now().Add(72*time.Hour), 5)
	form.Set("release_hours", "99")
	if r := leader.postForm(t, "/activities", form); r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["release_hours"] == "" {
		t.Fatalf("release hours 99: got %d %v", r.StatusCode, r.fieldErrors())
	}
	form.Set("release_hours", "3")
	id := created(t, leader.postForm(t, "/activities", form))
	path := "/activities/" + strconv.FormatInt(id, 10)
	if act, err := a.Store.ActivityByID(ctx, id); err != nil || act.ReleaseHours != 3 {
		t.Fatalf("release hours stored = %d, %v", act.ReleaseHours, err)
	}
	if r := leader.get(t, path+"/edit"); !strings.Contains(r.body, `name="release_hours" value="3"`) {
		t.Errorf("the edit form lost the release setting")
	}

	vol := a.login(t, "volunteer")
	mem := a.login(t, f.member)
	wantRedirect(t, "sign up", vol.postForm(t, path+"/signup", url.Values{}), id, "confirmed")
	if r := vol.get(t, path); !strings.Contains(r.body, `id="my-attend-confirm"`) {
		t.Errorf("the volunteer's box has no link to confirm")
	}
	r := vol.get(t, path+"/attend-confirm")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="attend-yes"`) || !strings.Contains(r.body, "我会准时参加") ||
		!strings.Contains(r.body, `id="attend-release"`) {
		t.Fatalf("the volunteer's confirmation page: %d", r.StatusCode)
	}
	// Nobody else's place: a member not signed up, the leader, the admin.
	for _, c := range []*client{mem, leader, a.login(t, "admin")} {
		if r := c.get(t, path+"/attend-confirm"); r.StatusCode != http.StatusNotFound {
			t.Errorf("someone without a place got %d on the page, want 404", r.StatusCode)
		}
		if r := c.postForm(t, path+"/attend-confirm", url.Values{"answer": {"no"}}); r.StatusCode != http.StatusNotFound {
			t.Errorf("someone without a place gave it up: %d, want 404", r.StatusCode)
		}
	}
	r = vol.postForm(t, path+"/attend-confirm", url.Values{"answer": {"yes"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != path+"/attend-confirm?saved=confirmed" {
		t.Fatalf("confirm: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := vol.get(t, path+"/attend-confirm?saved=confirmed"); !strings.Contains(r.body, `id="attend-thanks"`) ||
		strings.Contains(r.body, `id="attend-yes"`) {
		t.Errorf("after confirming the page still asks")
	}
	wantRedirect(t, "member signs up", mem.postForm(t, path+"/signup", url.Values{}), id, "confirmed")
	r = leader.get(t, path)
	if !strings.Contains(r.body, "出席确认") || !strings.Contains(r.body, "✓") || !strings.Contains(r.body, "未确认") {
		t.Errorf("the roster does not show who confirmed")
	}
	r = mem.postForm(t, path+"/attend-confirm", url.Values{"answer": {"no"}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(r.Header.Get("Location"), "saved=withdrawn") {
		t.Fatalf("give up: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	u, _ := a.Store.UserByUsername(ctx, f.member)
	p, _ := a.Store.PersonByUserID(ctx, u.ID)
	if g, _, _ := a.Store.PersonSignup(ctx, id, p.ID); g.State != domain.SignupCancelled {
		t.Errorf("the member's sign-up is %s after giving it up", g.State)
	}
	if r := mem.postForm(t, path+"/attend-confirm", url.Values{"answer": {"yes"}}); r.StatusCode != http.StatusConflict {
		t.Errorf("confirming a cancelled place: %d, want 409", r.StatusCode)
	}
}
