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

var (
	versionRowRe = regexp.MustCompile(`(?s)<table id="versions-table">.*?</table>`)
	certLinkRe   = regexp.MustCompile(`href="/certificates/(\d+)"`)
)

// demoVolunteer returns the demo volunteer's person.
func demoVolunteer(t *testing.T, a *testApp) domain.Person {
	t.Helper()
	ctx := context.Background()
	u, err := a.Store.UserByUsername(ctx, "volunteer")
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.Store.PersonByUserID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRecordPagesOnTheDemo: the volunteer reads their own record and not
// another's; an admin sees the demo's twice-corrected record with its three
// versions; a leader's bad correction comes back with the faults in
// Chinese and what was typed; the demo's certificates print and verify.
func TestRecordPagesOnTheDemo(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	p := demoVolunteer(t, a)
	recs, err := a.Store.PersonRecords(ctx, p.ID)
	if err != nil || len(recs) == 0 {
		t.Fatalf("the demo volunteer has no records (%v)", err)
	}

	vol := a.login(t, "volunteer")
	r := vol.get(t, "/records/me")
	if r.StatusCode != http.StatusOK || r.h1() != "我的志愿服务记录" || !strings.Contains(r.body, `id="star-summary"`) ||
		!strings.Contains(r.body, recs[0].ActivityTitle) {
		t.Fatalf("/records/me: %d %q", r.StatusCode, r.h1())
	}
	if r := vol.get(t, "/me"); !strings.Contains(r.body, `href="/records/me"`) || !strings.Contains(r.body, `id="star-summary"`) {
		t.Errorf("/me has no star summary or link to the record")
	}
	others, _, _ := a.Store.ListPeople(ctx, store.PeopleFilter{Scope: domain.Scope{All: true}, Limit: 2})
	for _, o := range others {
		if o.ID != p.ID {
			if r := vol.get(t, "/records/"+strconv.FormatInt(o.ID, 10)); r.StatusCode != http.StatusForbidden {
				t.Errorf("a volunteer opens another's record: %d", r.StatusCode)
			}
			break
		}
	}

	admin := a.login(t, "admin")
	var corrected, free domain.ServiceRecord
	for _, x := range recs {
		switch {
		case x.Versions == 3 && !x.Pending:
			corrected = x
		case x.Versions == 1 && !x.Pending && x.TeamID != 0:
			free = x
		}
	}
	if corrected.ActivityID == 0 {
		t.Fatalf("the demo has no record corrected twice: %+v", recs)
	}
	path := "/records/" + strconv.FormatInt(p.ID, 10) + "/activities/" + strconv.FormatInt(corrected.ActivityID, 10)
	r = admin.get(t, path)
	table := versionRowRe.FindString(r.body)
	if r.StatusCode != http.StatusOK || strings.Count(table, "<tr") != 4 || !strings.Contains(table, "原始记录") ||
		strings.Count(table, "已生效") != 3 {
		t.Fatalf("%s: %d, versions table %q", path, r.StatusCode, table)
	}
	if r := admin.get(t, "/records/"+strconv.FormatInt(p.ID, 10)); r.StatusCode != http.StatusOK ||
		!strings.Contains(r.body, "已更正") || !strings.Contains(r.body, `id="issue-link"`) {
		t.Errorf("the record page for the committee: %d", r.StatusCode)
	}

	if free.ActivityID != 0 {
		leader := a.login(t, "nmj-leader")
		path := "/records/" + strconv.FormatInt(p.ID, 10) + "/activities/" + strconv.FormatInt(free.ActivityID, 10) + "/corrections"
		r := leader.postForm(t, path, url.Values{"hours": {"很多"}, "reason": {"签退漏扫"}})
		if r.StatusCode == http.StatusUnprocessableEntity {
			if errs := r.fieldErrors(); !strings.Contains(errs["hours"], "小时数") || !strings.Contains(r.body, ">签退漏扫</textarea>") {
				t.Errorf("a bad correction: errors %v", errs)
			}
		} else if r.StatusCode != http.StatusForbidden {
			t.Errorf("a bad correction: %d", r.StatusCode)
		}
	}

	// The demo's certificates: listed, printable, verifiable by number.
	r = admin.get(t, "/certificates")
	m := certLinkRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("/certificates: %d, no certificate listed", r.StatusCode)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	cert, err := a.Store.CertificateByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	r = admin.get(t, "/certificates/"+m[1])
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "志愿服务记录证明") || !strings.Contains(r.body, cert.Number) ||
		!strings.Contains(r.body, "<svg") || !strings.Contains(r.body, cert.PersonName) {
		t.Fatalf("the certificate page: %d", r.StatusCode)
	}
	en := a.login(t, "admin")
	en.header.Set("Accept-Language", "en")
	for path, h1 := range map[string]string{"/certificates/" + m[1]: "Service certificate", path: corrected.ActivityTitle,
		"/records/" + strconv.FormatInt(p.ID, 10): "Service record of " + p.Name, "/records/corrections": "Corrections of service hours",
		"/certificates/new?person=" + strconv.FormatInt(p.ID, 10): "Issue a service certificate", "/verify": "Check a certificate"} {
		r := en.get(t, path)
		if r.StatusCode != http.StatusOK || r.h1() != h1 || strings.Contains(r.body, "%!") || strings.Contains(r.body, "rec.") ||
			strings.Contains(r.body, "cert.") {
			t.Errorf("GET %s in English: %d %q", path, r.StatusCode, r.h1())
		}
	}
	orgAdmin := a.login(t, "nmj-admin")
	if r := orgAdmin.get(t, "/records/corrections"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "去审核") {
		t.Errorf("the org admin's corrections queue: %d, nothing to review", r.StatusCode)
	}
	r = orgAdmin.postForm(t, "/records/"+strconv.FormatInt(p.ID, 10)+"/awards", url.Values{"title": {"优秀志愿者"}, "date": {"明天"}, "issuer": {""}})
	if errs := r.fieldErrors(); r.StatusCode != http.StatusUnprocessableEntity || errs["date"] == "" || errs["issuer"] == "" ||
		!strings.Contains(r.body, `value="优秀志愿者"`) {
		t.Errorf("a bad award: %d %v", r.StatusCode, errs)
	}
	r = orgAdmin.postForm(t, "/certificates", url.Values{"person": {strconv.FormatInt(p.ID, 10)}, "org_id": {"1"},
		"from": {"2020-01-01"}, "to": {"2020-12-31"}, "responsible": {"张志强"}, "contact": {"0471-1234567"}})
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("an org admin issues for the committee: %d, want 403", r.StatusCode)
	}

	public := a.newClient(t)
	r = public.get(t, "/verify?number="+url.QueryEscape(strings.ToLower(cert.Number)))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "证明真实有效") || !strings.Contains(r.body, domain.MaskName(cert.PersonName)) ||
		strings.Contains(r.body, cert.PersonName) {
		t.Fatalf("/verify: %d, masked %q shown: %v, full name shown: %v", r.StatusCode, domain.MaskName(cert.PersonName),
			strings.Contains(r.body, domain.MaskName(cert.PersonName)), strings.Contains(r.body, cert.PersonName))
	}
	if r := public.get(t, "/verify"); r.StatusCode != http.StatusOK || r.h1() != "证明查验" {
		t.Errorf("the empty /verify form: %d %q", r.StatusCode, r.h1())
	}
	if r := public.get(t, "/verify?number=VG-2020-000001-ABCDEF"); r.StatusCode != http.StatusNotFound || !strings.Contains(r.notice(), "没有查到") {
		t.Errorf("an unknown number: %d %q", r.StatusCode, r.notice())
	}
	var last *response
	for i := 0; i < 20; i++ {
		last = public.get(t, "/verify?number=VG-2020-000001-ABCDEF")
	}
	if last.StatusCode != http.StatusTooManyRequests || !strings.Contains(last.notice(), "查验太频繁") {
		t.Errorf("over the limit: %d %q", last.StatusCode, last.notice())
	}
}
