package web

import (
	"net/http"
	"strconv"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/web/views"
)

// Self-registration (实名注册): the public form, the applicant's status page
// and the approvers' list.

// registerFields are the fields the registration form sends; any other
// refuses the form (see parsePublicForm).
var registerFields = []string{"name", "phone", "gender", "political_status", "org", "team",
	"username", "password", "confirm", "consent", "phone_code"}

const registrationsPageSize = 50

// registerPage is the form; a signed-in user goes to their status instead.
func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) error {
	if !principal(r).Anonymous() {
		http.Redirect(w, r, "/register/status", http.StatusSeeOther)
		return nil
	}
	return s.renderRegisterForm(w, r, http.StatusOK, views.RegisterFormView{})
}

func (s *Server) renderRegisterForm(w http.ResponseWriter, r *http.Request, status int, d views.RegisterFormView) error {
	var err error
	if d.Choices, err = s.svc.RegistrationChoices(r.Context()); err != nil {
		return err
	}
	d.PhoneCodes = s.svc.PhoneCodesOn()
	s.render(w, r, status, views.RegisterForm(page(r, "register.title", "register"), d))
	return nil
}

// register creates the account and its registration, signs the person in
// and shows them their status. Bad input shows the form again with what was
// typed, passwords apart.
func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	if !principal(r).Anonymous() {
		http.Redirect(w, r, "/register/status", http.StatusSeeOther)
		return nil
	}
	if err := parsePublicForm(r, registerFields); err != nil {
		return err
	}
	in := registerInput(r)
	cookie, err := s.svc.Register(r.Context(), caller(r), in, r.UserAgent())
	d := views.RegisterFormView{In: in}
	d.In.Password, d.In.Confirm = "", ""
	if errs, ok := fieldErrors(r, err); ok {
		d.Errors = errs
		return s.renderRegisterForm(w, r, http.StatusUnprocessableEntity, d)
	} else if e, ok := domain.AsError(err); ok && e.Code == domain.CodeTooMany {
		d.Notice = i18n.T(r.Context(), e.Key, e.Args...)
		return s.renderRegisterForm(w, r, http.StatusTooManyRequests, d)
	} else if err != nil {
		return err
	}
	s.setSessionCookie(w, r, cookie)
	http.Redirect(w, r, "/register/status?new=1", http.StatusSeeOther)
	return nil
}

// registerInput is the registration form as posted.
func registerInput(r *http.Request) domain.RegistrationInput {
	f := r.PostForm
	return domain.RegistrationInput{
		Name: trimTo(f.Get("name"), 200), Phone: trimTo(f.Get("phone"), 40), Gender: f.Get("gender"),
		PoliticalStatus: f.Get("political_status"), Org: trimTo(f.Get("org"), 200), Team: trimTo(f.Get("team"), 200),
		Username: trimTo(f.Get("username"), 200), Password: f.Get("password"), Confirm: f.Get("confirm"),
		Consent: f.Get("consent") == "1", PhoneCode: trimTo(f.Get("phone_code"), 20),
	}
}

// registrationStatusPage is the signed-in user's own registration.
func (s *Server) registrationStatusPage(w http.ResponseWriter, r *http.Request) error {
	reg, found, err := s.svc.MyRegistration(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d := views.RegistrationStatusView{Found: found, Registration: reg, New: r.URL.Query().Get("new") == "1"}
	s.render(w, r, http.StatusOK, views.RegistrationStatus(page(r, "register.status_title", "register"), d))
	return nil
}

// registrationsPage lists registrations for the approver, pending first.
func (s *Server) registrationsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRegistrations(w, r, http.StatusOK, views.RegistrationsView{Done: doneParam(r)})
}

func doneParam(r *http.Request) string {
	switch d := r.URL.Query().Get("done"); d {
	case "approved", "rejected":
		return d
	}
	return ""
}

func (s *Server) renderRegistrations(w http.ResponseWriter, r *http.Request, status int, d views.RegistrationsView) error {
	d.State = domain.RegistrationPending
	for _, st := range domain.RegistrationStates {
		if string(st) == r.URL.Query().Get("state") {
			d.State = st
		}
	}
	d.Page, d.PageSize = 1, registrationsPageSize
	if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && n > 1 && n < 100000 {
		d.Page = n
	}
	c := caller(r)
	var err error
	d.Registrations, d.Total, err = s.svc.Registrations(r.Context(), c, d.State, (d.Page-1)*d.PageSize, d.PageSize)
	if err != nil {
		return err
	}
	d.CanDecide = map[int64]bool{}
	for _, x := range d.Registrations {
		d.CanDecide[x.ID] = domain.Can(c.Principal, domain.ActRegistrationApprove, x.Target())
	}
	s.render(w, r, status, views.Registrations(page(r, "register.list_title", "registrations"), d))
	return nil
}

// approveRegistration approves one registration.
func (s *Server) approveRegistration(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = s.svc.ApproveRegistration(r.Context(), caller(r), id)
	if e, ok := errAsConflict(err); ok {
		return s.renderRegistrations(w, r, http.StatusConflict, views.RegistrationsView{Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/registrations?done=approved", http.StatusSeeOther)
	return nil
}

// rejectRegistration rejects one registration with a reason; without one,
// the list shows again with the message under that registration's field.
func (s *Server) rejectRegistration(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	reason := trimTo(r.PostForm.Get("reason"), 1000)
	err = s.svc.RejectRegistration(r.Context(), caller(r), id, reason)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderRegistrations(w, r, http.StatusUnprocessableEntity, views.RegistrationsView{
			Errors: map[int64]string{id: errs["reason"]}, Reasons: map[int64]string{id: reason},
		})
	} else if e, ok := errAsConflict(err); ok {
		return s.renderRegistrations(w, r, http.StatusConflict, views.RegistrationsView{Notice: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/registrations?done=rejected", http.StatusSeeOther)
	return nil
}
