package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"vanguard/domain"
	"vanguard/web/views"
)

// The personal-data lifecycle: a volunteer's own data, the committee's
// erasure of a person, and the retention of contact details.

// myData is the own-data page, or with ?format=json or xlsx the download.
func (s *Server) myData(w http.ResponseWriter, r *http.Request) error {
	ctx, c := r.Context(), caller(r)
	switch r.URL.Query().Get("format") {
	case "json":
		d, err := s.svc.MyData(ctx, c, "json")
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return err
		}
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="my-data.json"`)
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		w.Write(b)
		return nil
	case "xlsx":
		ex, err := s.svc.MyDataBook(ctx, c)
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		return sendBook(w, ex.Book, ex.Name, ex.ASCIIName)
	}
	_, err := s.svc.Store().PersonByUserID(ctx, c.UserID)
	found := err == nil
	if err != nil && domain.ErrCode(err) != domain.CodeNotFound {
		return err
	}
	s.render(w, r, http.StatusOK, views.MyDataPage(page(r, "privacy.my_data.title", "me"), found))
	return nil
}

// erasePage asks the committee to confirm a person's erasure.
func (s *Server) erasePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderErase(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderErase(w http.ResponseWriter, r *http.Request, status int, reason string, errs map[string]string) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c := caller(r)
	p, err := s.svc.Person(r.Context(), c, id)
	if err != nil {
		return err
	}
	if err := domain.Authorize(c.Principal, domain.ActPersonErase, p.Target()); err != nil {
		return err
	}
	if p.Erased {
		http.Redirect(w, r, "/people/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	s.render(w, r, status, views.ErasePage(page(r, "privacy.erase.page_title", "people"),
		views.EraseData{Person: p, Reason: reason, Errors: errs}))
	return nil
}

// erasePerson erases a person after the confirm page.
func (s *Server) erasePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	reason := r.PostFormValue("reason")
	_, err = s.svc.ErasePerson(r.Context(), caller(r), id, reason)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderErase(w, r, http.StatusUnprocessableEntity, reason, errs)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// privacyPage shows the retention of contact details.
func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.svc.PrivacySettings(r.Context(), caller(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.PrivacyPage(page(r, "privacy.admin.title", "admin"),
		views.PrivacyData{Months: strconv.Itoa(n), Saved: r.URL.Query().Get("saved") == "1"}))
	return nil
}

// savePrivacy sets the retention.
func (s *Server) savePrivacy(w http.ResponseWriter, r *http.Request) error {
	months := r.PostFormValue("months")
	err := s.svc.SetContactRetention(r.Context(), caller(r), months)
	if errs, ok := fieldErrors(r, err); ok {
		s.render(w, r, http.StatusUnprocessableEntity, views.PrivacyPage(page(r, "privacy.admin.title", "admin"),
			views.PrivacyData{Months: months, Errors: errs}))
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/privacy?"+url.Values{"saved": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}
