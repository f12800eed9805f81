package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestPrivacyPages walks the personal-data lifecycle on the demo: the
// volunteer downloads their own data as JSON and as a workbook; the
// committee sets the retention (a bad value comes back with a message) and
// erases the volunteer through the confirm page (no reason: a message),
// after which the volunteer's session has ended and the person page says
// the data was erased; an org admin may not erase.
func TestPrivacyPages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	p := demoVolunteer(t, a)
	vol := a.login(t, "volunteer")
	if r := vol.get(t, "/me"); !strings.Contains(r.body, `href="/me/data"`) {
		t.Errorf("/me has no link to the own-data page")
	}
	if r := vol.get(t, "/me/data"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "format=xlsx") {
		t.Fatalf("GET /me/data: %d", r.StatusCode)
	}
	r := vol.get(t, "/me/data?format=json")
	var d struct {
		Person  struct{ Name, Phone string } `json:"person"`
		Records []struct{ Hours string }     `json:"service_records"`
	}
	if r.StatusCode != http.StatusOK || json.Unmarshal([]byte(r.body), &d) != nil || d.Person.Name != p.Name ||
		d.Person.Phone != p.Phone || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("own data JSON: %d %v %.200s", r.StatusCode, r.Header, r.body)
	}
	r = vol.get(t, "/me/data?format=xlsx")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.body, "PK") {
		t.Errorf("own data workbook: %d %v", r.StatusCode, r.Header)
	}

	admin := a.login(t, "admin")
	if r := admin.get(t, "/admin"); !strings.Contains(r.body, `href="/admin/privacy"`) {
		t.Errorf("the admin page has no link to /admin/privacy")
	}
	if r := admin.get(t, "/admin/privacy"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `value="24"`) {
		t.Errorf("GET /admin/privacy: %d", r.StatusCode)
	}
	if r := admin.postForm(t, "/admin/privacy", url.Values{"months": {"3"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		r.fieldErrors()["months"] == "" {
		t.Errorf("retention 3 months: %d %v", r.StatusCode, r.fieldErrors())
	}
	if r := admin.postForm(t, "/admin/privacy", url.Values{"months": {"36"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("retention 36 months: %d", r.StatusCode)
	}
	if r := admin.get(t, "/admin/privacy"); !strings.Contains(r.body, `value="36"`) {
		t.Errorf("the retention did not stay at 36")
	}

	person := "/people/" + strconv.FormatInt(p.ID, 10)
	if r := admin.get(t, person); !strings.Contains(r.body, person+"/erase") {
		t.Errorf("the committee's person page has no erase link")
	}
	if r := a.login(t, "nmj-admin").get(t, person+"/erase"); r.StatusCode != http.StatusForbidden {
		t.Errorf("org admin opens the erase page: %d, want 403", r.StatusCode)
	}
	if r := admin.get(t, person+"/erase"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `name="reason"`) {
		t.Fatalf("GET erase page: %d", r.StatusCode)
	}
	if r := admin.postForm(t, person+"/erase", url.Values{"reason": {" "}}); r.StatusCode != http.StatusUnprocessableEntity ||
		r.fieldErrors()["reason"] == "" {
		t.Fatalf("erase without a reason: %d %v", r.StatusCode, r.fieldErrors())
	}
	if r := admin.postForm(t, person+"/erase", url.Values{"reason": {"本人书面申请注销"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase: %d", r.StatusCode)
	}
	r = admin.get(t, person)
	if strings.Contains(r.body, p.Name) || !strings.Contains(r.body, "已注销人员") || strings.Contains(r.body, person+"/erase") {
		t.Errorf("person page after erasure: %s", r.h1())
	}
	if r := vol.get(t, "/me"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the erased volunteer's session still works: %d", r.StatusCode)
	}
}
