package web

import (
	"net/http"
	"strconv"

	"vanguard/web/views"
)

// Accepting applications (受理), the certificate register (证明登记簿) with
// its xlsx, and the public notice (公示) of issued certificates.

// acceptCertificateRequest accepts an application; the volunteer sees it.
func (s *Server) acceptCertificateRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = s.svc.AcceptCertificateRequest(r.Context(), caller(r), id)
	if e, ok := errAsConflict(err); ok {
		return s.renderCertificateRequests(w, r, http.StatusConflict, views.CertRequestsView{Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/certificates/requests#request-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// registerQuery reads ?org= and ?year= of the register pages.
func registerQuery(r *http.Request) (org int64, year int) {
	org, _ = strconv.ParseInt(r.URL.Query().Get("org"), 10, 64)
	year, _ = strconv.Atoi(r.URL.Query().Get("year"))
	if year < 2000 || year > 2200 {
		year = 0
	}
	return max(org, 0), year
}

// certificateRegisterPage shows an org's register for a year, printable on A4.
func (s *Server) certificateRegisterPage(w http.ResponseWriter, r *http.Request) error {
	org, year := registerQuery(r)
	reg, err := s.svc.CertificateRegister(r.Context(), caller(r), org, year)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.CertificateRegister(page(r, "cert.register_title", "certificates"), reg))
	return nil
}

// exportCertificateRegister downloads an org's register for a year as xlsx.
func (s *Server) exportCertificateRegister(w http.ResponseWriter, r *http.Request) error {
	org, year := registerQuery(r)
	ex, err := s.svc.ExportCertificateRegister(r.Context(), caller(r), org, year)
	if err != nil {
		return err
	}
	return sendBook(w, ex.Book, ex.Name, ex.ASCIIName)
}

// certificateNoticeOrgsPage lists the orgs with certificates posted now.
func (s *Server) certificateNoticeOrgsPage(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.svc.CertificateNoticeOrgs(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.CertificateNoticeOrgs(page(r, "cert.notice_orgs_title", "verify"), orgs))
	return nil
}

// certificateNoticePage is an org's public notice of certificates issued in
// the last 7 days: masked names, no ID numbers.
func (s *Server) certificateNoticePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "org")
	if err != nil {
		return err
	}
	n, err := s.svc.CertificateNotices(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.CertificateNotice(page(r, "cert.notice_title", "verify"), n))
	return nil
}
