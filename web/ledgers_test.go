package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/store"
)

// TestLedgerScope opens ledgers as each staff role on the demo city: an org
// admin reads the teams and orgs of their unit and gets 403 elsewhere, a
// team leader only their team, the order register only the committee; the
// index offers each only what they may open. The ledger's totals equal the
// activity_hours behind them, and the downloads open with their sheets.
func TestLedgerScope(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	grantOf := func(name string) domain.Grant {
		u, err := a.Store.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		gs, err := a.Store.Grants(ctx, u.ID)
		if err != nil || len(gs) == 0 {
			t.Fatalf("grants of %s: %v, %v", name, gs, err)
		}
		return gs[0]
	}
	leaderTeam := grantOf("nmj-leader").ScopeID
	unit, err := a.Store.OrgByID(ctx, grantOf("nmj-admin").ScopeID)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := a.Store.ListTeams(ctx, store.TeamFilter{Scope: domain.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	var inUnit, outside int64 // a team of the unit other than the leader's, and one outside it
	for _, tm := range teams {
		switch {
		case strings.HasPrefix(tm.OrgPath, unit.Path) && tm.ID != leaderTeam && inUnit == 0:
			inUnit = tm.ID
		case !strings.HasPrefix(tm.OrgPath, unit.Path) && outside == 0:
			outside = tm.ID
		}
	}
	if outside == 0 {
		t.Fatal("the demo has no team outside the unit")
	}
	root, err := a.Store.RootOrgID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	year := a.Store.Now().In(domain.ChinaZone).Year()
	q := "?year=" + strconv.Itoa(year)
	team := func(id int64) string { return "/ledgers/teams/" + strconv.FormatInt(id, 10) }
	org := func(id int64) string { return "/ledgers/orgs/" + strconv.FormatInt(id, 10) }

	admin, orgAdmin, leader := a.login(t, "admin"), a.login(t, "nmj-admin"), a.login(t, "nmj-leader")
	cases := []struct {
		who  string
		c    *client
		path string
		want int
	}{
		{"org admin", orgAdmin, team(leaderTeam) + q, http.StatusOK},
		{"org admin", orgAdmin, team(leaderTeam) + "/ledger.xlsx" + q, http.StatusOK},
		{"org admin", orgAdmin, org(unit.ID) + q, http.StatusOK},
		{"org admin", orgAdmin, team(outside) + q, http.StatusForbidden},
		{"org admin", orgAdmin, team(outside) + "/ledger.xlsx" + q, http.StatusForbidden},
		{"org admin", orgAdmin, org(root) + q, http.StatusForbidden},
		{"org admin", orgAdmin, org(root) + "/ledger.xlsx" + q, http.StatusForbidden},
		{"org admin", orgAdmin, "/ledgers/orders" + q, http.StatusForbidden},
		{"leader", leader, team(leaderTeam) + q, http.StatusOK},
		{"leader", leader, team(outside) + q, http.StatusForbidden},
		{"leader", leader, org(unit.ID) + q, http.StatusForbidden},
		{"leader", leader, "/ledgers/orders.xlsx" + q, http.StatusForbidden},
		{"committee", admin, org(root) + q, http.StatusOK},
		{"committee", admin, "/ledgers/orders" + q, http.StatusOK},
	}
	if inUnit != 0 {
		cases = append(cases, struct {
			who  string
			c    *client
			path string
			want int
		}{"leader", leader, team(inUnit) + q, http.StatusForbidden})
	}
	for _, c := range cases {
		if r := c.c.get(t, c.path); r.StatusCode != c.want {
			t.Errorf("%s GET %s: %d, want %d", c.who, c.path, r.StatusCode, c.want)
		}
	}

	// The index offers the leader their team alone, and no org.
	idx := leader.get(t, "/ledgers")
	options := regexp.MustCompile(`<option value="(\d+)"`).FindAllStringSubmatch(idx.body, -1)
	if len(options) != 1 || options[0][1] != strconv.FormatInt(leaderTeam, 10) || strings.Contains(idx.body, `id="ledger-org-form"`) {
		t.Errorf("leader's index offers %v", options)
	}
	// A choice on the index goes on to the ledger; a bad year comes back
	// with the field named and the value kept.
	if r := orgAdmin.get(t, fmt.Sprintf("/ledgers?team=%d&year=%d", leaderTeam, year)); r.StatusCode != http.StatusSeeOther ||
		r.Header.Get("Location") != team(leaderTeam)+q {
		t.Errorf("index choice: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := orgAdmin.get(t, team(leaderTeam)+"?year=19x"); r.StatusCode != http.StatusUnprocessableEntity ||
		r.fieldErrors()["year"] == "" || !strings.Contains(r.body, `value="19x"`) {
		t.Errorf("bad year: %d, errors %v", r.StatusCode, r.fieldErrors())
	}

	// The team ledger's totals are those of activity_hours.
	page := orgAdmin.get(t, team(leaderTeam)+q)
	from, to := domain.YearPeriod(year).Bounds()
	pt, minutes, err := a.Store.LedgerHours(ctx, store.LedgerOf{TeamID: leaderTeam}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	total := regexp.MustCompile(`id="ledger-total-person-times">(\d+)<`).FindStringSubmatch(page.body)
	hours := regexp.MustCompile(`id="ledger-total-hours">([0-9.]+)<`).FindStringSubmatch(page.body)
	if total == nil || total[1] != strconv.FormatInt(pt, 10) || hours == nil || hours[1] != minutes.Hours() {
		t.Errorf("page totals %v %v, activity_hours %d person-times, %s hours", total, hours, pt, minutes.Hours())
	}
	committee, _ := a.Store.OrgByID(ctx, root)
	if !strings.Contains(page.body, committee.Name) || regexp.MustCompile(`ledger\.[a-z_]+\.[a-z_]`).MatchString(page.body) {
		t.Error("the ledger page lacks the committee's name or shows a catalogue key")
	}

	// The downloads open with their sheets, phones masked.
	wb := admin.get(t, team(leaderTeam)+"/ledger.xlsx"+q).workbook(t)
	want := []string{"档案", "名册", "服务活动", "考勤", "成效", "评价", "培训", "表彰"}
	if got := wb.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("team ledger sheets %v, want %v", got, want)
	}
	roster, _ := wb.GetRows("名册")
	phone := regexp.MustCompile(`^1\d{2}\*{4}\d{4}$`)
	for _, r := range roster[1:] {
		if len(r) < 3 || !phone.MatchString(r[2]) {
			t.Errorf("roster row %q: phone not masked", r)
			break
		}
	}
	reg := admin.get(t, "/ledgers/orders.xlsx"+q).workbook(t)
	if got := reg.GetSheetList(); len(got) != 1 || got[0] != "点单派单台帐" {
		t.Errorf("register sheets %v", got)
	}
	n, err := a.Store.CountOrders(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := reg.GetRows("点单派单台帐")
	if len(rows) != n+1 {
		t.Errorf("register has %d rows, want a header and %d orders", len(rows), n)
	}
	for _, r := range rows[1:] {
		if len(r) > 5 && !phone.MatchString(r[5]) && r[5] != "" {
			t.Errorf("register row %q: phone not masked", r[:6])
			break
		}
	}
}
