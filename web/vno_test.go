package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/store"
)

// TestVolunteerNumberAndIDCheck: a person entered with an ID number gets a
// volunteer number shown on their page, their record and in the roster;
// searching the people list by it (typed loosely) finds them; the ID number
// is never shown whole: staff check a number they hold against it and read
// only whether it matches.
func TestVolunteerNumberAndIDCheck(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	people, _, err := a.Store.ListPeople(ctx, store.PeopleFilter{Scope: domain.Scope{All: true}, Limit: 1})
	if err != nil || len(people) == 0 {
		t.Fatal(people, err)
	}
	admin := a.login(t, "admin")
	const idCard = "11010519491231002X"
	r := admin.postForm(t, "/people", url.Values{"name": {"编号测试"}, "gender": {"female"}, "phone": {"13712349876"},
		"id_card": {idCard}, "political_status": {"masses"}, "org_id": {itoa(people[0].OrgID)}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create person: %d %v", r.StatusCode, r.fieldErrors())
	}
	path := strings.TrimSuffix(r.Header.Get("Location"), "?saved=1")
	page := admin.get(t, path)
	no := regexp.MustCompile(`id="volunteer-no">(XF[0-9A-Z]{4}-[0-9A-Z]{5})<`).FindStringSubmatch(page.body)
	if no == nil {
		t.Fatalf("no volunteer number on the person's page")
	}
	if strings.Contains(page.body, idCard) || !strings.Contains(page.body, "1101**********002X") {
		t.Fatal("the person's page shows the full ID number, or not the masked one")
	}
	pid, _ := strconv.ParseInt(strings.TrimPrefix(path, "/people/"), 10, 64)
	if got := a.Service.VolunteerNumber(pid); got != no[1] {
		t.Fatalf("page shows %s, service says %s", no[1], got)
	}
	for _, typed := range []string{no[1], strings.ToLower(strings.ReplaceAll(no[1], "-", " "))} {
		list := admin.get(t, "/people?q="+url.QueryEscape(typed))
		if !strings.Contains(list.body, "编号测试") || strings.Contains(list.body, ">"+people[0].Name+"<") {
			t.Errorf("searching %q: the person is missing or others are listed", typed)
		}
	}
	// Checking: a match, a mismatch, nothing typed; the number never appears.
	for typed, want := range map[string]string{idCard: "一致：", "110105194912310029": "不一致：", "": "此项必填"} {
		res := admin.postForm(t, path+"/id-check", url.Values{"id_card": {typed}})
		if !strings.Contains(res.body, want) {
			t.Errorf("check %q: the page does not say %q (status %d)", typed, want, res.StatusCode)
		}
		if strings.Contains(strings.ReplaceAll(res.body, `value="`+typed+`"`, ""), idCard) {
			t.Errorf("check %q: the page shows the full ID number", typed)
		}
	}
	// The reveal of the ID number is gone; the phone's stays.
	if res := admin.postForm(t, path+"/reveal", url.Values{"field": {"id_card"}}); res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusBadRequest {
		t.Errorf("reveal of the ID number answers %d", res.StatusCode)
	}
	es, err := a.Store.ListAudit(ctx, domain.AuditFilter{Action: "person.id_check"})
	if err != nil || len(es) != 2 {
		t.Fatalf("audit of the checks: %d entries, %v; want 2 (the empty one is refused)", len(es), err)
	}
}
