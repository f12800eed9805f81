package web

import (
	"net/http"
	"net/url"
	"strconv"

	"vanguard/domain"
	"vanguard/web/views"
)

// Service certificates (志愿服务记录证明): the list, issuing one, the
// printable page, revoking, and the public check at /verify.

const certPageSize = 50

// certificatesPage lists the certificates the caller's orgs issued, or a
// volunteer's own.
func (s *Server) certificatesPage(w http.ResponseWriter, r *http.Request) error {
	c := caller(r)
	pg := pageNumber(r)
	l, err := s.svc.Certificates(r.Context(), c, certPageSize, (pg-1)*certPageSize)
	if err != nil {
		return err
	}
	d := views.CertificatesView{List: l, Pager: pager("/certificates", url.Values{}, pg, l.Total, certPageSize),
		CanIssue: domain.Can(c.Principal, domain.ActCertificateIssue, domain.Target{})}
	s.render(w, r, http.StatusOK, views.Certificates(page(r, "cert.list_title", "certificates"), d))
	return nil
}

// newCertificatePage is the issue form for the person in ?person=.
func (s *Server) newCertificatePage(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("person"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.CodeNotFound, "err.person.not_found")
	}
	return s.renderIssue(w, r, http.StatusOK, id, views.IssueView{})
}

func (s *Server) renderIssue(w http.ResponseWriter, r *http.Request, status int, personID int64, d views.IssueView) error {
	c := caller(r)
	f, err := s.svc.CertificateIssueForm(r.Context(), c, personID)
	if err != nil {
		return err
	}
	d.Form = f
	if d.In.PersonID == 0 {
		d.In = domain.CertificateInput{PersonID: personID, From: f.From, To: f.To}
		if len(f.Orgs) > 0 {
			d.In.OrgID = f.Orgs[0].ID
		}
	}
	d.Handler = c.DisplayName
	s.render(w, r, status, views.IssueCertificate(page(r, "cert.issue_title", "certificates"), d))
	return nil
}

// issueCertificate issues a certificate and shows it.
func (s *Server) issueCertificate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	person, err := strconv.ParseInt(f.Get("person"), 10, 64)
	if err != nil || person <= 0 {
		return domain.Errorf(domain.CodeNotFound, "err.person.not_found")
	}
	org, _ := strconv.ParseInt(f.Get("org_id"), 10, 64)
	in := domain.CertificateInput{PersonID: person, OrgID: org, From: trimTo(f.Get("from"), 20), To: trimTo(f.Get("to"), 20),
		Responsible: trimTo(f.Get("responsible"), 100)}
	id, err := s.svc.IssueCertificate(r.Context(), caller(r), in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderIssue(w, r, http.StatusUnprocessableEntity, person, views.IssueView{In: in, Errors: errs})
	} else if e, ok := errAsConflict(err); ok {
		return s.renderIssue(w, r, http.StatusConflict, person, views.IssueView{In: in, Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/certificates/"+strconv.FormatInt(id, 10)+"?issued=1", http.StatusSeeOther)
	return nil
}

// certificatePage shows the printable certificate.
func (s *Server) certificatePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCertificate(w, r, http.StatusOK, views.CertificateView{Issued: r.URL.Query().Get("issued") == "1"})
}

func (s *Server) renderCertificate(w http.ResponseWriter, r *http.Request, status int, d views.CertificateView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c := caller(r)
	if d.Cert, err = s.svc.Certificate(r.Context(), c, id); err != nil {
		return err
	}
	d.VerifyLink = s.absURL(r, "/verify")
	svg, err := qrSVG(s.absURL(r, views.VerifyURL(d.Cert.Number)))
	if err != nil {
		return err
	}
	d.QR = string(svg)
	d.CanRevoke = domain.Can(c.Principal, domain.ActCertificateIssue, d.Cert.Target())
	s.render(w, r, status, views.Certificate(page(r, "cert.page_title", "certificates"), d))
	return nil
}

// revokeCertificate withdraws a certificate with a reason.
func (s *Server) revokeCertificate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	reason := trimTo(r.PostForm.Get("reason"), 1000)
	err = s.svc.RevokeCertificate(r.Context(), caller(r), id, reason)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderCertificate(w, r, http.StatusUnprocessableEntity, views.CertificateView{Reason: reason, ReasonError: errs["reason"]})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/certificates/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// verifyPage is the public check of a certificate by its number: the form,
// and with ?number= the answer — valid, revoked or unknown — showing masked
// data only.
func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) error {
	number := trimTo(r.URL.Query().Get("number"), 40)
	d := views.VerifyView{Number: number}
	status := http.StatusOK
	if number != "" {
		v, err := s.svc.VerifyCertificate(r.Context(), caller(r), number)
		if e, ok := domain.AsError(err); ok && (e.Code == domain.CodeNotFound || e.Code == domain.CodeTooMany) {
			d.Error, status = translate(r, e), statusOf[e.Code]
		} else if err != nil {
			return err
		} else {
			d.Result = &v
		}
	}
	s.render(w, r, status, views.Verify(page(r, "verify.title", "verify"), d))
	return nil
}
