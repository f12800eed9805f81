package web_test

import (
	"context"
	"regexp"
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

// longDecimal is a number printed with more than two decimals, as floats
// summed and printed raw were: 16.740000000000002.
var longDecimal = regexp.MustCompile(`[0-9]+\.[0-9]{3,}`)

var tags = regexp.MustCompile(`<[^>]*>`)

// TestHoursShowTwoDecimalsAtMost is issue 11's fault: /teams/1 showed
// 16.740000000000002, /activities?past=1 "30.990000000000002 小时" and
// /me/service "36.910000000000004". An activity where the demo volunteer
// served 1.1 h and a teammate 2.2 h — floats that sum to
// 3.3000000000000003 — shows 3.3 on every page, and the volunteer's total
// is exact.
func TestHoursShowTwoDecimalsAtMost(t *testing.T) {
	a := startApp(t, app.Config{DB: storetest.SQLitePath(t), Demo: true})
	ctx := context.Background()
	teams, err := a.Store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	var team domain.Team
	for _, tm := range teams {
		if tm.Name == "市农牧业局党员志愿服务队" {
			team = tm
		}
	}
	vol, _ := a.Store.UserByUsername(ctx, "volunteer")
	me, err := a.Store.PersonByUserID(ctx, vol.ID)
	if err != nil || team.ID == 0 {
		t.Fatalf("demo: team %d, volunteer %v", team.ID, err)
	}
	roster, _ := a.Store.Roster(ctx, team.ID, false)
	var mate int64
	for _, m := range roster {
		if m.PersonID != me.ID {
			mate = m.PersonID
			break
		}
	}
	before, _ := a.Store.PersonMinutes(ctx, me.ID)
	cats, _ := a.Store.ListCategories(ctx, false)
	// Yesterday, so that it leads the past lists.
	start := time.Now().In(domain.ChinaZone).Add(-24 * time.Hour).Truncate(time.Minute)
	var act int64
	err = a.Store.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) (err error) {
		in := domain.ActivityInput{Title: "小数核对服务", Mode: domain.ModeUnit, TeamID: team.ID, Address: "镇政府",
			CategoryIDs: []int64{cats[0].ID}, StartsAt: start, EndsAt: start.Add(3 * time.Hour), Capacity: 5}
		in.Normalize()
		if act, err = tx.CreateActivity(in, team.OrgID); err != nil {
			return err
		}
		for _, p := range []struct {
			id  int64
			dur time.Duration
		}{{me.ID, 66 * time.Minute}, {mate, 132 * time.Minute}} {
			if _, err := tx.SignUp(act, p.id, team.ID, false); err != nil {
				return err
			}
			if err := tx.RecordPair(act, p.id, start, start.Add(p.dur)); err != nil {
				return err
			}
		}
		_, _, err = tx.CompleteActivity(act)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	total := before + 66
	admin, volunteer := a.login(t, "admin"), a.login(t, "volunteer")
	for _, p := range []struct {
		c    *client
		path string
		want []string
	}{
		{admin, "/teams/" + strconv.FormatInt(team.ID, 10), []string{"3.3"}},
		{admin, "/activities?past=1", []string{"3.3"}},
		{admin, "/activities/" + strconv.FormatInt(act, 10), []string{"3.3", "1.1", "2.2"}},
		{volunteer, "/me/service", []string{total.Hours(), "1.1"}},
		{volunteer, "/records/me", []string{total.Hours(), "1.1"}},
	} {
		r := p.c.get(t, p.path)
		if r.StatusCode != 200 {
			t.Fatalf("GET %s: %d", p.path, r.StatusCode)
		}
		text := tags.ReplaceAllString(r.body, " ")
		if m := longDecimal.FindAllString(text, 3); len(m) > 0 {
			t.Errorf("GET %s shows %q: more than two decimals", p.path, m)
		}
		for _, w := range p.want {
			if !strings.Contains(text, w) {
				t.Errorf("GET %s does not show %s", p.path, w)
			}
		}
	}
}
