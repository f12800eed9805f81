package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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
