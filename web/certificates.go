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

// newCertificatePage is the issue form for the person in ?person=, filled
// from the volunteer's application in ?request= when there is one.
func (s *Server) newCertificatePage(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("person"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.CodeNotFound, "err.person.not_found")
	}
	var d views.IssueView
	if rid, _ := strconv.ParseInt(r.URL.Query().Get("request"), 10, 64); rid > 0 {
		req, err := s.svc.CertificateRequest(r.Context(), caller(r), rid)
		if err != nil {
			return err
		}
		if req.PersonID != id || !req.Waiting() {
			return domain.Errorf(domain.CodeNotFound, "err.cert.request_not_found")
		}
		d.Request = req
		d.In = domain.CertificateInput{PersonID: id, RequestID: rid, From: req.From, To: req.To, Services: req.Services,
			ActivityIDs: req.ActivityIDs}
	}
	return s.renderIssue(w, r, http.StatusOK, id, d)
}

// certificateInput reads the issue form: a period, or the services ticked.
func certificateInput(f url.Values, person int64) domain.CertificateInput {
	org, _ := strconv.ParseInt(f.Get("org_id"), 10, 64)
	req, _ := strconv.ParseInt(f.Get("request"), 10, 64)
	in := domain.CertificateInput{PersonID: person, OrgID: org, From: trimTo(f.Get("from"), 20), To: trimTo(f.Get("to"), 20),
		Responsible: trimTo(f.Get("responsible"), 100), Contact: trimTo(f.Get("contact"), 40), Services: f.Get("kind") == "services", RequestID: req}
	in.ActivityIDs = pickIDs(f["activity"], domain.MaxCertificateServices+1)
	return in
}

// pickIDs reads up to n positive ids from form values, skipping the rest.
func pickIDs(vs []string, n int) []int64 {
	var out []int64
	for _, v := range vs {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && len(out) < n {
			out = append(out, id)
		}
	}
	return out
}

// certificateRequestsPage lists the applications waiting for the caller.
func (s *Server) certificateRequestsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCertificateRequests(w, r, http.StatusOK, views.CertRequestsView{Declined: r.URL.Query().Get("declined") == "1"})
}

func (s *Server) renderCertificateRequests(w http.ResponseWriter, r *http.Request, status int, d views.CertRequestsView) error {
	var err error
	if d.Requests, err = s.svc.CertificateRequests(r.Context(), caller(r)); err != nil {
		return err
	}
	s.render(w, r, status, views.CertificateRequests(page(r, "hours.requests_title", "certificates"), d))
	return nil
}

// declineCertificateRequest declines an application with a reason.
func (s *Server) declineCertificateRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	reason := trimTo(r.PostForm.Get("reason"), 1000)
	err = s.svc.DeclineCertificateRequest(r.Context(), caller(r), id, reason)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderCertificateRequests(w, r, http.StatusUnprocessableEntity,
			views.CertRequestsView{FailedID: id, Reason: reason, ReasonError: errs["reason"]})
	} else if e, ok := errAsConflict(err); ok {
		return s.renderCertificateRequests(w, r, http.StatusConflict, views.CertRequestsView{Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/certificates/requests?declined=1", http.StatusSeeOther)
	return nil
}

// applyForCertificate records the volunteer's application from /records/me.
func (s *Server) applyForCertificate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	in := domain.CertificateRequest{Services: f.Get("kind") == "services", From: trimTo(f.Get("from"), 20),
		To: trimTo(f.Get("to"), 20), Purpose: trimTo(f.Get("purpose"), 400),
		ActivityIDs: pickIDs(f["activity"], domain.MaxCertificateServices+1)}
	_, err := s.svc.ApplyForCertificate(r.Context(), caller(r), in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderMyRecords(w, r, http.StatusUnprocessableEntity, views.RecordsView{Apply: in, ApplyErrors: errs})
	} else if e, ok := errAsConflict(err); ok {
		return s.renderMyRecords(w, r, http.StatusConflict, views.RecordsView{Apply: in, ApplyNotice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/records/me?applied=1#cert-requests", http.StatusSeeOther)
	return nil
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
	}
	if d.In.From == "" && d.In.To == "" {
		d.In.From, d.In.To = f.From, f.To
	}
	if d.In.OrgID == 0 && len(f.Orgs) > 0 {
		d.In.OrgID = f.Orgs[0].ID
	}
	if d.In.RequestID != 0 && d.Request.ID == 0 {
		if d.Request, err = s.svc.CertificateRequest(r.Context(), c, d.In.RequestID); err != nil {
			return err
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
	in := certificateInput(f, person)
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
