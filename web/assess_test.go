package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/store"
)

// TestAssessPages: on the demo the committee recomputes the year's scores
// and opens every assessment page; a bad rule comes back with its field
// named and the form filled; the org admin sees their own org's score and
// breakdown only — others' are 403 and absent from the ranking — and the
// export is a workbook.
func TestAssessPages(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	year := strconv.Itoa(a.Store.Now().In(domain.Shanghai).Year())
	admin := a.login(t, "admin")
	// A year that is not a year is refused, not replaced by this one; so is
	// a decision that is neither approve nor reject.
	for _, bad := range []string{"", "abc", "1999"} {
		if r := admin.postForm(t, "/assessment/recompute", url.Values{"year": {bad}, "level": {"2"}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("recompute with year %q: %d, want 422", bad, r.StatusCode)
		}
	}
	if r := admin.postForm(t, "/assessment/adjustments/1/decide", url.Values{"year": {year}, "decision": {"maybe"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("decision %q: %d, want 422", "maybe", r.StatusCode)
	}
	if r := admin.postForm(t, "/assessment/recompute", url.Values{"year": {year}, "level": {"2"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("recompute: %d %s", r.StatusCode, r.notice())
	}
	scores, err := a.Store.Scores(ctx, a.Store.Now().In(domain.Shanghai).Year(), domain.Scope{All: true})
	if err != nil || len(scores) < 5 {
		t.Fatalf("%d scores stored (%v)", len(scores), err)
	}
	for _, p := range []string{"/assessment?year=" + year, "/assessment/rules?year=" + year, "/assessment/adjustments?year=" + year,
		"/assessment/orgs/" + strconv.FormatInt(scores[0].OrgID, 10) + "?year=" + year,
		"/assessment/orgs/" + strconv.FormatInt(scores[0].OrgID, 10) + "/records?rule=person_times&year=" + year} {
		if r := admin.get(t, p); r.StatusCode != http.StatusOK || strings.Contains(r.body, "assess.") {
			t.Errorf("GET %s: %d, h1 %q", p, r.StatusCode, r.h1())
		}
	}
	r := admin.postForm(t, "/assessment/rules/preview", url.Values{"year": {year}, "level": {"2"}, "effective_on": {"2026-01-01"},
		"own_activity": {"-1"}, "cap": {"50"}, "person_times_upto_1": {"100"}, "person_times_per_1": {"0.05"},
		"person_times_upto_2": {"50"}, "person_times_per_2": {"0.02"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad rules previewed: %d", r.StatusCode)
	}
	errs := r.fieldErrors()
	// (The helper's pattern reads field names without digits: the tier's
	// message is looked for by its id.)
	if errs["own_activity"] == "" || !strings.Contains(r.body, `id="person_times_upto_2-error"`) || !strings.Contains(r.body, `value="-1"`) {
		t.Errorf("bad rules: field errors %v, form kept %v", errs, strings.Contains(r.body, `value="-1"`))
	}
	if r := admin.get(t, "/assessment.xlsx?year="+year); r.StatusCode != http.StatusOK || !strings.HasPrefix(r.body, "PK") {
		t.Errorf("export: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}

	org := a.login(t, "nmj-admin")
	var own, other store.StoredScore
	rk := org.get(t, "/assessment?year="+year)
	for _, x := range scores {
		mine := false
		for _, id := range orgAdminOrgs(t, a) {
			if strings.HasPrefix(x.OrgPath, id) {
				mine = true
			}
		}
		if mine {
			own = x
		} else if other.OrgID == 0 {
			other = x
		}
		if !mine && strings.Contains(rk.body, ">"+x.OrgName+"<") {
			t.Errorf("the org admin's ranking shows %s", x.OrgName)
		}
	}
	if own.OrgID == 0 || !strings.Contains(rk.body, own.OrgName) {
		t.Fatalf("the org admin's own org is not ranked: %q", own.OrgName)
	}
	if r := org.get(t, "/assessment/orgs/"+strconv.FormatInt(own.OrgID, 10)+"?year="+year); r.StatusCode != http.StatusOK {
		t.Errorf("own breakdown: %d", r.StatusCode)
	}
	for _, p := range []string{"/assessment/orgs/" + strconv.FormatInt(other.OrgID, 10) + "?year=" + year,
		"/assessment/orgs/" + strconv.FormatInt(other.OrgID, 10) + "/records?rule=own_activity&year=" + year} {
		if r := org.get(t, p); r.StatusCode != http.StatusForbidden {
			t.Errorf("org admin GET %s: %d, want 403", p, r.StatusCode)
		}
	}
	if r := org.get(t, "/assessment/rules"); r.StatusCode != http.StatusForbidden {
		t.Errorf("org admin opens the rules: %d", r.StatusCode)
	}
}

// orgAdminOrgs returns the org paths of nmj-admin's grants.
func orgAdminOrgs(t *testing.T, a *testApp) []string {
	t.Helper()
	u, err := a.Store.UserByUsername(context.Background(), "nmj-admin")
	if err != nil {
		t.Fatal(err)
	}
	gs, err := a.Store.Grants(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range gs {
		if g.Role == domain.RoleOrgAdmin {
			out = append(out, g.OrgPath)
		}
	}
	return out
}

// TestComplaintUpheld: the committee's answer form has the 情况属实 box,
// not ticked; ticking it records the finding, audited, and the complaint
// then counts against the orgs whose teams served the order.
func TestComplaintUpheld(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	admin := a.login(t, "admin")
	r := admin.get(t, "/admin/complaints")
	m := answerFormRe.FindStringSubmatch(r.body)
	if m == nil || !strings.Contains(r.body, `name="upheld" value="1"`) || strings.Contains(r.body, `name="upheld" value="1" checked`) {
		t.Fatalf("the answer form lacks an unticked 情况属实 box")
	}
	year := a.Store.Now().In(domain.Shanghai).Year()
	before, err := a.Store.AssessRecords(ctx, year, "complaint", "")
	if err != nil {
		t.Fatal(err)
	}
	path := "/admin/complaints/" + m[1] + "/answer"
	// A failed answer keeps the box as ticked.
	r = admin.postForm(t, path, url.Values{"answer": {" "}, "upheld": {"1"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, `name="upheld" value="1" checked`) {
		t.Fatalf("failed answer: %d, box kept %v", r.StatusCode, strings.Contains(r.body, `value="1" checked`))
	}
	if r = admin.postForm(t, path, url.Values{"answer": {"经核实情况属实，已责成服务队整改。"}, "upheld": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d", r.StatusCode)
	}
	es, err := a.Store.ListAudit(ctx, domain.AuditFilter{Action: "evaluation.upheld", Limit: 5})
	if err != nil || len(es) != 1 || es[0].ObjectID != m[1] {
		t.Fatalf("upheld finding audited: %+v (%v)", es, err)
	}
	after, err := a.Store.AssessRecords(ctx, year, "complaint", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("upheld complaints credited to orgs: %d before, %d after", len(before), len(after))
	if len(after) < len(before) {
		t.Fatalf("upheld complaints fell from %d to %d", len(before), len(after))
	}
}
