package e2e

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/service"
)

// TestBrowserCertificateApplyAcceptIssueNotice is issue 15's browser test
// for certificates in the official form: the demo volunteer, on her phone,
// applies for a certificate; the org admin (nmj-admin) accepts (受理) and
// issues it with a contact; it carries a register number, appears on the
// org's notice page under a masked name, and /verify shows the register
// number and the issuer.
func TestBrowserCertificateApplyAcceptIssueNotice(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	ctx := context.Background()
	st, svc := srv.Main.Store, srv.Main.Service
	admin := demoCaller(t, st, "nmj-admin")
	// The demo's own application goes first, so that she can apply anew.
	waiting, err := svc.CertificateRequests(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range waiting {
		if err := svc.DeclineCertificateRequest(ctx, admin, r.ID, "请重新申请"); err != nil {
			t.Fatal(err)
		}
	}
	vol := demoCaller(t, st, "volunteer")
	me, err := st.PersonByUserID(ctx, vol.UserID)
	if err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, srv.URL)
	b.phone()
	b.navigate("/login")
	b.login("volunteer", service.DemoPassword)
	b.navigate("/records/me")
	b.typeInto("#purpose", "年度评优")
	b.click("#apply-submit")
	if got := b.text("#my-cert-requests"); !strings.Contains(got, "年度评优") {
		t.Fatalf("her applications read %q", got)
	}
	b.viewportShot("certs2-applied-phone")

	a := newBrowser(t, srv.URL)
	a.navigate("/login")
	a.login("nmj-admin", service.DemoPassword)
	a.navigate("/certificates/requests")
	reqs, err := svc.CertificateRequests(ctx, admin)
	if err != nil || len(reqs) != 1 {
		t.Fatalf("waiting applications: %d, %v", len(reqs), err)
	}
	rid := strconv.FormatInt(reqs[0].ID, 10)
	a.click("#accept-" + rid)
	if got := a.text("#request-" + rid); !strings.Contains(got, "已受理") {
		t.Fatalf("after accepting, the application reads %q", got)
	}
	a.screenshot("certs2-accepted")
	a.click("#issue-" + rid)
	a.typeInto("#responsible", "张志强")
	a.typeInto("#contact", "0471-1234567")
	a.click("#issue-submit")
	regNo := a.text("#cert-register-no")
	if !strings.Contains(regNo, "〔") || !strings.Contains(regNo, "号") {
		t.Fatalf("the register number reads %q", regNo)
	}
	number := a.text("#cert-number")
	a.screenshot("certs2-certificate")
	cert, err := st.CertificateByNumber(ctx, number)
	if err != nil {
		t.Fatal(err)
	}

	// She sees it on her record; the public sees the notice and /verify.
	b.navigate("/records/me")
	if got := b.text("#my-cert-requests"); !strings.Contains(got, "已出具") {
		t.Errorf("her application reads %q after issuing", got)
	}
	p := newBrowser(t, srv.URL)
	p.navigate("/notices/certificates")
	p.navigate("/notices/" + strconv.FormatInt(cert.OrgID, 10) + "/certificates")
	got := p.text("#notice-table")
	if !strings.Contains(got, regNo) || !strings.Contains(got, domain.MaskName(me.Name)) || strings.Contains(got, me.Name) {
		t.Errorf("the notice reads %q", got)
	}
	p.screenshot("certs2-notice")
	p.navigate("/verify?" + url.Values{"number": {number}}.Encode())
	if got := p.text("#verify-register-no"); got != regNo {
		t.Errorf("/verify register number %q, want %q", got, regNo)
	}
	if got := p.text("#verify-contact"); got != "0471-1234567" {
		t.Errorf("/verify contact %q", got)
	}
	p.screenshot("certs2-verify")
}
