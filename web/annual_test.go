package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/gen"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestAnnualReportPages: the committee's report page and its workbook (one
// sheet per table, the group services' rows), a year that is not one, and
// an org admin asking for an org outside their subtree.
func TestAnnualReportPages(t *testing.T) {
	a := newTestApp(t)
	admin := a.login(t, "admin")
	r := admin.get(t, "/reports/annual?year=2026")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "id=\"annual-charts\"") || strings.Count(r.body, "<svg") < 3 {
		t.Fatalf("report page: %d, charts %d", r.StatusCode, strings.Count(r.body, "<svg"))
	}
	r = admin.get(t, "/reports/annual.xlsx?year=2026")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("report xlsx: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 6 {
		t.Errorf("sheets %v, want 6", sheets)
	}
	if rows, _ := f.GetRows("组团式服务"); len(rows) != 11 {
		t.Errorf("group services sheet has %d rows, want a header and 10", len(rows))
	}
	if r := admin.get(t, "/reports/annual?year=twenty"); r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusBadRequest {
		t.Errorf("year=twenty: %d, want a field error", r.StatusCode)
	} else if !strings.Contains(r.body, "年度应为 2000 到 2100 之间的年份") {
		t.Errorf("year=twenty: the page does not say what is wrong")
	}
	root, err := a.Store.RootOrgID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	org := a.login(t, "nmj-admin")
	if r := org.get(t, "/reports/annual?year=2026"); r.StatusCode != http.StatusOK {
		t.Errorf("org admin's own report: %d", r.StatusCode)
	}
	if r := org.get(t, "/reports/annual?year=2026&org="+strconv.FormatInt(root, 10)); r.StatusCode != http.StatusNotFound {
		t.Errorf("org admin, the root's report: %d, want 404", r.StatusCode)
	}
}

// TestAnnualReportCapsGroupServices serves a generated year of more than
// fifty group services: the page and the workbook list the fifty with the
// most person-times, say how many there are in all, and the page links the
// full list, whose total is the same.
func TestAnnualReportCapsGroupServices(t *testing.T) {
	db := storetest.SQLitePath(t)
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Migrate(ctx))
	must(app.OpenAuditChain(ctx, app.Config{DB: db, AuditKey: testAuditKey}, st))
	_, err = gen.Generate(ctx, st, gen.Options{Scale: gen.People(2000), Year: 2026, Seed: 3,
		Now: time.Date(2026, 12, 7, 9, 0, 0, 0, domain.ChinaZone)})
	must(err)
	const password = "annual-pass-2026!"
	_, _, err = service.New(st, fastHasher, nil, nil).CreateUser(ctx, service.SystemCaller, service.NewAccount{
		Username: "admin", DisplayName: "工委管理员", Role: domain.RoleCommitteeAdmin, Password: password})
	must(err)
	must(st.Close())

	a := startApp(t, app.Config{DB: db})
	admin := a.newClient(t)
	admin.login(t, "admin", password)
	r := admin.get(t, "/reports/annual?year=2026")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("report page: %d", r.StatusCode)
	}
	heading := regexp.MustCompile(`组团式服务（(\d+) 次，\d+ 个单位）`).FindStringSubmatch(r.body)
	if heading == nil {
		t.Fatal("the report does not head its group services with their number")
	}
	total, _ := strconv.Atoi(heading[1])
	table := r.body[strings.Index(r.body, `<table id="annual-groups">`):]
	table = table[:strings.Index(table, "</table>")]
	if rows := strings.Count(table, "<tr"); total <= 50 || rows != 51 {
		t.Errorf("%d group services, the table has %d rows; want more than 50, and a header and 50", total, rows)
	}
	if !strings.Contains(r.body, "共 "+heading[1]+" 次组团式服务，此处列出参与人次最多的 50 次。") {
		t.Error("the page does not say how many group services there are in all")
	}
	href := regexp.MustCompile(`href="(/stats/records\?[^"]*)" id="annual-groups-all"`).FindStringSubmatch(r.body)
	if href == nil {
		t.Fatal("no link to the full list of group services")
	}
	list := admin.get(t, strings.ReplaceAll(href[1], "&amp;", "&"))
	if list.StatusCode != http.StatusOK || !strings.Contains(list.body, heading[1]) {
		t.Errorf("full list %s: %d, does not state %s", href[1], list.StatusCode, heading[1])
	}
	r = admin.get(t, "/reports/annual.xlsx?year=2026")
	f, err := excelize.OpenReader(strings.NewReader(r.body))
	must(err)
	defer f.Close()
	rows, _ := f.GetRows("组团式服务")
	if len(rows) != 52 || !strings.Contains(rows[51][0], "共 "+heading[1]+" 次") {
		t.Errorf("group services sheet: %d rows, last %v; want a header, 50 and the total", len(rows), rows[len(rows)-1])
	}
}
