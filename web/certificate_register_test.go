package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/store/storetest"
)

// TestCertificateAcceptRegisterNotice: the demo volunteer applies for a
// period; the org admin accepts (受理) it and she sees it; a bad contact is
// refused in Chinese with nothing lost; the issued certificate carries the
// register number, the volunteer number and the contact, is in the
// register page and its xlsx, is posted on the org's notice page under a
// masked name, and /verify shows the register number and the issuer.
func TestCertificateAcceptRegisterNotice(t *testing.T) {
	a := startApp(t, app.Config{DB: storetest.SQLitePath(t), Demo: true})
	ctx := context.Background()
	vol, _ := a.Store.UserByUsername(ctx, "volunteer")
	me, err := a.Store.PersonByUserID(ctx, vol.ID)
	if err != nil {
		t.Fatal(err)
	}
	volunteer, admin := a.login(t, "volunteer"), a.login(t, "nmj-admin")
	sc := domain.Scope{All: true}
	waiting, _ := a.Store.PendingCertificateRequests(ctx, sc, 100)
	var req domain.CertificateRequest
	for _, r := range waiting {
		if r.PersonID == me.ID {
			req = r
		}
	}
	// The demo leaves her application accepted and posts the unit's
	// recent certificates.
	if req.State != domain.RequestAccepted {
		t.Errorf("the demo volunteer's application is %q, want accepted", req.State)
	}
	if orgs, err := a.Store.NoticeOrgs(ctx); err != nil || len(orgs) == 0 {
		t.Errorf("the demo has no certificates on notice: %v", err)
	}
	if req.ID == 0 {
		r := volunteer.postForm(t, "/records/me/certificate-requests", url.Values{"kind": {"period"}, "from": {"2020-01-01"},
			"to": {time.Now().Format("2006-01-02")}, "purpose": {"评优"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("apply: %d %v %q", r.StatusCode, r.fieldErrors(), r.notice())
		}
		waiting, _ = a.Store.PendingCertificateRequests(ctx, sc, 100)
		for _, r := range waiting {
			if r.PersonID == me.ID {
				req = r
			}
		}
	}
	rid := strconv.FormatInt(req.ID, 10)
	if req.State == domain.RequestPending {
		if r := admin.postForm(t, "/certificates/requests/"+rid+"/accept", url.Values{}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept: %d %q", r.StatusCode, r.notice())
		}
	}
	if r := admin.postForm(t, "/certificates/requests/"+rid+"/accept", url.Values{}); r.StatusCode != http.StatusConflict {
		t.Fatalf("accept twice: %d", r.StatusCode)
	}
	if page := volunteer.get(t, "/records/me"); !strings.Contains(page.body, "已受理") {
		t.Fatal("the volunteer does not see her application accepted")
	}

	issue := admin.get(t, "/certificates/new?person="+strconv.FormatInt(me.ID, 10)+"&request="+rid)
	if issue.StatusCode != 200 {
		t.Fatalf("the pre-filled issue form: %d", issue.StatusCode)
	}
	org := firstGroupOf(t, issue.body, `<option value="([0-9]+)" selected`)
	form := url.Values{"person": {strconv.FormatInt(me.ID, 10)}, "org_id": {org}, "request": {rid}, "kind": {"period"},
		"from": {req.From}, "to": {req.To}, "responsible": {"张主任"}, "contact": {"12345"}}
	r := admin.postForm(t, "/certificates", form)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.fieldErrors()["contact"], "联系电话") ||
		!strings.Contains(r.body, `value="张主任"`) {
		t.Fatalf("a bad contact: %d %v", r.StatusCode, r.fieldErrors())
	}
	form.Set("contact", "0471-1234567")
	r = admin.postForm(t, "/certificates", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue: %d %v %q", r.StatusCode, r.fieldErrors(), r.notice())
	}
	id, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(r.Header.Get("Location"), "/certificates/"), "?issued=1"), 10, 64)
	cert, err := a.Store.CertificateByID(ctx, id)
	if err != nil || cert.RegisterSeq == 0 || cert.Contact != "0471-1234567" || cert.VolunteerNo == "" {
		t.Fatalf("certificate = %+v, %v", cert, err)
	}
	if r, _ := a.Store.CertificateRequestByID(ctx, req.ID); r.State != domain.RequestIssued {
		t.Fatalf("the accepted application is %s after issuing", r.State)
	}
	page := admin.get(t, "/certificates/"+strconv.FormatInt(id, 10))
	for _, want := range []string{cert.RegisterNo, cert.VolunteerNo, "0471-1234567", `id="cert-periods"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the certificate page lacks %q", want)
		}
	}
	reg := admin.get(t, "/certificates/register?org="+org)
	if reg.StatusCode != 200 || !strings.Contains(reg.body, cert.RegisterNo) || !strings.Contains(reg.body, me.Name) {
		t.Fatalf("the register: %d", reg.StatusCode)
	}
	x := admin.get(t, "/certificates/register.xlsx?org="+org)
	if x.StatusCode != 200 || !strings.Contains(x.Header.Get("Content-Type"), "spreadsheet") {
		t.Fatalf("the register xlsx: %d %s", x.StatusCode, x.Header.Get("Content-Type"))
	}
	// Another org's admin may not read this register.
	if r := volunteer.get(t, "/certificates/register?org="+org); r.StatusCode != http.StatusForbidden {
		t.Errorf("a volunteer reads the register: %d", r.StatusCode)
	}

	anon := a.newClient(t)
	list := anon.get(t, "/notices/certificates")
	if list.StatusCode != 200 || !strings.Contains(list.body, cert.OrgName) {
		t.Fatalf("the notice orgs: %d", list.StatusCode)
	}
	notice := anon.get(t, "/notices/"+org+"/certificates")
	if notice.StatusCode != 200 || !strings.Contains(notice.body, cert.RegisterNo) ||
		!strings.Contains(notice.body, domain.MaskName(me.Name)) || strings.Contains(notice.body, me.Name) {
		t.Fatalf("the notice page: %d", notice.StatusCode)
	}
	v := anon.get(t, "/verify?number="+url.QueryEscape(cert.Number))
	for _, want := range []string{cert.RegisterNo, "张主任", "0471-1234567", cert.Handler} {
		if !strings.Contains(v.body, want) {
			t.Errorf("/verify lacks %q", want)
		}
	}
	if m := fullNumber.FindStringSubmatch(notice.body + v.body + reg.body + page.body); m != nil {
		t.Fatalf("a full number %q is shown", m[1])
	}
}
