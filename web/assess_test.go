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
