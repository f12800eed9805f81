package web

import (
	"net/http"
	"net/url"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/web/views"
)

// Phone codes (短信验证码) on the public forms, when an SMS gateway is
// configured: "send code" on the registration form and on the order lookup
// by number and phone. Each button posts the whole form to its own address;
// the answer is the same form with everything typed and a word that the
// code is on its way, or the fault under its field.

// findByPhoneFields are the fields of the lookup by number, phone and code;
// phone4 is accepted from a form loaded before the gateway was configured.
var findByPhoneFields = []string{"number", "phone", "phone_code", "phone4"}

// sendRegisterCode texts a code to the phone typed on the registration
// form and shows the form again with everything typed but the passwords:
// as everywhere, a password is never sent back in a page, and the notice
// asks for it again.
func (s *Server) sendRegisterCode(w http.ResponseWriter, r *http.Request) error {
	if !principal(r).Anonymous() {
		http.Redirect(w, r, "/register/status", http.StatusSeeOther)
		return nil
	}
	if err := parsePublicForm(r, registerFields); err != nil {
		return err
	}
	d := views.RegisterFormView{In: registerInput(r)}
	d.In.Password, d.In.Confirm = "", ""
	err := s.svc.SendRegisterCode(r.Context(), caller(r), d.In.Phone)
	status := http.StatusOK
	if errs, ok := fieldErrors(r, err); ok {
		status, d.Errors = http.StatusUnprocessableEntity, errs
	} else if notice, code, ok := formRefusal(w, r, err); ok {
		status, d.Notice = code, notice
	} else if err != nil {
		return err
	} else {
		d.CodeSent = i18n.T(r.Context(), "phonecode.sent", domain.MaskPhone(domain.NormalizePhone(d.In.Phone)))
	}
	return s.renderRegisterForm(w, r, status, d)
}

// sendTrackCode texts a code for the order lookup to the phone typed, when
// it is the phone of the order numbered; the answer is the same either way.
func (s *Server) sendTrackCode(w http.ResponseWriter, r *http.Request) error {
	if err := parsePublicForm(r, findByPhoneFields); err != nil {
		return err
	}
	f := trackByPhoneInput(r)
	err := s.svc.SendTrackCode(r.Context(), caller(r), f.Number, f.Phone)
	status := http.StatusOK
	if errs, ok := fieldErrors(r, err); ok {
		status, f.Errors = http.StatusUnprocessableEntity, errs
	} else if notice, code, ok := formRefusal(w, r, err); ok {
		status, f.Error = code, notice
	} else if err != nil {
		return err
	} else {
		f.CodeSent = i18n.T(r.Context(), "phonecode.track.sent")
	}
	s.renderTrackForm(w, r, status, f)
	return nil
}

// findOrderByPhone is findOrder with a gateway: the number, the phone and
// the code sent to it find the order's status page. The fields come in the
// body, so that they stay out of every log.
func (s *Server) findOrderByPhone(w http.ResponseWriter, r *http.Request) error {
	if err := parsePublicForm(r, findByPhoneFields); err != nil {
		return err
	}
	f := trackByPhoneInput(r)
	code, err := s.svc.FindOrderByPhone(r.Context(), caller(r), f.Number, f.Phone, f.PhoneCode)
	if errs, ok := fieldErrors(r, err); ok {
		f.Errors = errs
		s.renderTrackForm(w, r, http.StatusUnprocessableEntity, f)
		return nil
	} else if notice, status, ok := formRefusal(w, r, err); ok {
		f.Error = notice
		s.renderTrackForm(w, r, status, f)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/track?"+url.Values{"code": {code}}.Encode(), http.StatusSeeOther)
	return nil
}

func trackByPhoneInput(r *http.Request) views.TrackFormView {
	f := r.PostForm
	return views.TrackFormView{Number: trimTo(f.Get("number"), 20), Phone: trimTo(f.Get("phone"), 40),
		PhoneCode: trimTo(f.Get("phone_code"), 20)}
}

// renderTrackForm shows /track's form, with the code field when phones
// are confirmed by code.
func (s *Server) renderTrackForm(w http.ResponseWriter, r *http.Request, status int, f views.TrackFormView) {
	f.PhoneCodes = s.svc.PhoneCodesOn()
	s.render(w, r, status, views.TrackForm(page(r, "track.title", "track"), f))
}

// formRefusal is how a public form shows a refusal that is no field's
// fault — over a limit (with Retry-After), not found, codes turned off —
// as a message above the form with its status.
func formRefusal(w http.ResponseWriter, r *http.Request, err error) (notice string, status int, ok bool) {
	e, isApp := domain.AsError(err)
	if !isApp {
		return "", 0, false
	}
	switch e.Code {
	case domain.CodeTooMany, domain.CodeNotFound, domain.CodeConflict:
		setRetryAfter(w, err)
		return i18n.T(r.Context(), e.Key, e.Args...), statusOf[e.Code], true
	}
	return "", 0, false
}
