package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/store/storetest"
)

// TestCertificateForChosenServicesByApplication is issue 11's fault "a
// certificate can only cover a whole period, not one chosen service", with
// the application that leads to it: the demo volunteer applies from
// /records/me for two chosen services; her org's admin sees the application
// (no full phone or ID number on the page), issues the certificate from the
// pre-filled form, and it lists exactly those two services and their hours.
// A second application, for a period, is declined with a reason she reads.
func TestCertificateForChosenServicesByApplication(t *testing.T) {
	a := startApp(t, app.Config{DB: storetest.SQLitePath(t), Demo: true})
	ctx := context.Background()
	vol, _ := a.Store.UserByUsername(ctx, "volunteer")
	me, err := a.Store.PersonByUserID(ctx, vol.ID)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := a.Store.PersonRecords(ctx, me.ID)
	var chosen []domain.ServiceRecord
	for _, r := range recs {
		if r.Minutes > 0 && len(chosen) < 2 {
			chosen = append(chosen, r)
		}
	}
	if len(chosen) < 2 {
		t.Fatalf("the demo volunteer has %d records", len(recs))
	}
	volunteer, admin := a.login(t, "volunteer"), a.login(t, "nmj-admin")
	// The demo's own application, accepted and waiting, is declined first.
	waiting, _ := a.Store.PendingCertificateRequests(ctx, domain.Scope{All: true}, 100)
	for _, w := range waiting {
		if r := admin.postForm(t, "/certificates/requests/"+strconv.FormatInt(w.ID, 10)+"/decline",
			url.Values{"reason": {"已重新申请"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("decline the demo's application: %d", r.StatusCode)
		}
	}

	// A bad application keeps what was typed.
	form := url.Values{"kind": {"services"}, "purpose": {""}, "activity": {strconv.FormatInt(chosen[0].ActivityID, 10)}}
	r := volunteer.postForm(t, "/records/me/certificate-requests", form)
	if r.StatusCode != http.StatusUnprocessableEntity || r.fieldErrors()["purpose"] == "" {
		t.Fatalf("no purpose: %d, %v", r.StatusCode, r.fieldErrors())
	}
	form.Set("purpose", "入党积极分子考察")
	form.Add("activity", strconv.FormatInt(chosen[1].ActivityID, 10))
	r = volunteer.postForm(t, "/records/me/certificate-requests", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d %v %q", r.StatusCode, r.fieldErrors(), r.notice())
	}
	if r := volunteer.postForm(t, "/records/me/certificate-requests", form); r.StatusCode != http.StatusConflict {
		t.Fatalf("a second application while one waits: %d", r.StatusCode)
	}
	sc := domain.Scope{All: true}
	if n, err := a.Store.CountCertificateRequests(ctx, sc); err != nil || n != 1 {
		t.Fatalf("CountCertificateRequests = %d, %v; want 1", n, err)
	}
	list := admin.get(t, "/certificates/requests")
	if list.StatusCode != 200 || !strings.Contains(list.body, "入党积极分子考察") || !strings.Contains(list.body, me.Name) {
		t.Fatalf("the org admin's list: %d", list.StatusCode)
	}
	if m := fullNumber.FindStringSubmatch(list.body); m != nil {
		t.Fatalf("the applications page shows a full number %q", m[1])
	}
	reqs, _ := a.Store.PendingCertificateRequests(ctx, sc, 10)
	req := reqs[0]
	path := "/certificates/new?person=" + strconv.FormatInt(me.ID, 10) + "&request=" + strconv.FormatInt(req.ID, 10)
	issue := admin.get(t, path)
	if issue.StatusCode != 200 || !strings.Contains(issue.body, `value="services" checked`) {
		t.Fatalf("the pre-filled issue form: %d", issue.StatusCode)
	}
	org := firstGroupOf(t, issue.body, `<option value="([0-9]+)" selected`)
	r = admin.postForm(t, "/certificates", url.Values{"person": {strconv.FormatInt(me.ID, 10)}, "org_id": {org},
		"request": {strconv.FormatInt(req.ID, 10)}, "kind": {"services"}, "responsible": {"张主任"}, "contact": {"0471-1234567"},
		"activity": {strconv.FormatInt(chosen[0].ActivityID, 10), strconv.FormatInt(chosen[1].ActivityID, 10)}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/certificates/") {
		t.Fatalf("issue: %d %v %q", r.StatusCode, r.fieldErrors(), r.notice())
	}
	id, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(r.Header.Get("Location"), "/certificates/"), "?issued=1"), 10, 64)
	cert, err := a.Store.CertificateByID(ctx, id)
	if err != nil || !cert.Services || len(cert.Items) != 2 || cert.Minutes != chosen[0].Minutes+chosen[1].Minutes {
		t.Fatalf("certificate = %+v, %v; want the two chosen services", cert, err)
	}
	if n, _ := a.Store.CountCertificateRequests(ctx, sc); n != 0 {
		t.Fatalf("%d applications still waiting after issuing", n)
	}
	page := volunteer.get(t, "/records/me")
	if !strings.Contains(page.body, "/certificates/"+strconv.FormatInt(id, 10)) {
		t.Fatal("the volunteer's record does not link the issued certificate")
	}

	// A period, declined with a reason she reads.
	r = volunteer.postForm(t, "/records/me/certificate-requests", url.Values{"kind": {"period"}, "from": {"2025-01-01"},
		"to": {"2025-06-30"}, "purpose": {"评优"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply for a period: %d %v", r.StatusCode, r.fieldErrors())
	}
	reqs, _ = a.Store.PendingCertificateRequests(ctx, sc, 10)
	decline := "/certificates/requests/" + strconv.FormatInt(reqs[0].ID, 10) + "/decline"
	if r := admin.postForm(t, decline, url.Values{"reason": {" "}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("decline without a reason: %d", r.StatusCode)
	}
	if r := admin.postForm(t, decline, url.Values{"reason": {"该时段的服务已出具过证明"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("decline: %d", r.StatusCode)
	}
	if r := volunteer.postForm(t, decline, url.Values{"reason": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a volunteer declines: %d", r.StatusCode)
	}
	if page := volunteer.get(t, "/records/me"); !strings.Contains(page.body, "该时段的服务已出具过证明") {
		t.Fatal("the volunteer does not see why her application was declined")
	}
}

func firstGroupOf(t *testing.T, body, pattern string) string {
	t.Helper()
	m := regexpMust(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in the page", pattern)
	}
	return m[1]
}

func regexpMust(p string) *regexp.Regexp { return regexp.MustCompile(p) }
