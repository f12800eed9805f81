package web

import (
	"net/http"
	"strconv"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/web/views"
)

// The export for the national volunteer service information system, and
// volunteers' consent to their ID number going into it.

// nationalExportPage is the period and scope form; with ?download=1 it
// sends the workbook, or shows the form again with what was wrong.
func (s *Server) nationalExportPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	org, _ := strconv.ParseInt(q.Get("org"), 10, 64)
	year := s.svc.Now().In(domain.ChinaZone).Year()
	d := views.NationalExportView{In: service.NationalExportInput{From: trimTo(q.Get("from"), 20), To: trimTo(q.Get("to"), 20), OrgID: max(org, 0)}}
	if d.In.From == "" && d.In.To == "" {
		d.In.From, d.In.To = strconv.Itoa(year)+"-01-01", strconv.Itoa(year)+"-12-31"
	}
	status := http.StatusOK
	if q.Get("download") == "1" {
		ex, err := s.svc.NationalExport(r.Context(), caller(r), d.In)
		if errs, ok := fieldErrors(r, err); ok {
			d.Errors, status = errs, http.StatusUnprocessableEntity
		} else if err != nil {
			return err
		} else {
			return sendBook(w, ex.Book, ex.Name, ex.ASCIIName)
		}
	}
	orgs, err := s.svc.NationalExportOrgs(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d.Orgs = orgs
	s.render(w, r, status, views.NationalExport(page(r, "natexport.title", "exports"), d))
	return nil
}

// setMyNationalConsent records the signed-in volunteer's own consent.
func (s *Server) setMyNationalConsent(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.svc.SetNationalConsent(r.Context(), caller(r), 0, r.PostForm.Get("consent") == "1"); err != nil {
		return err
	}
	http.Redirect(w, r, "/me#national-consent", http.StatusSeeOther)
	return nil
}

// setNationalConsent records a person's consent, entered by staff.
func (s *Server) setNationalConsent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.svc.SetNationalConsent(r.Context(), caller(r), id, r.PostForm.Get("consent") == "1"); err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#national-consent", http.StatusSeeOther)
	return nil
}
