package web_test

import (
	"context"
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
