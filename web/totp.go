package web

import (
	"errors"
	"net/http"
	"net/url"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/web/views"
)

// challengeCookie carries a sign-in waiting for its second factor between
// the password and the code page; it lives no longer than the challenge.
const challengeCookie = "vg_2fa"

// secondFactorAsked turns Login's "second factor needed" into the code page:
// it stores the challenge in its cookie and redirects. It reports false for
// any other error.
func (s *Server) secondFactorAsked(w http.ResponseWriter, r *http.Request, err error, next string) bool {
	var sf *service.SecondFactorNeeded
	if !errors.As(err, &sf) {
		return false
	}
	http.SetCookie(w, &http.Cookie{
		Name: challengeCookie, Value: sf.Token, Path: "/login", MaxAge: int(service.LoginChallengeTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r),
	})
	to := "/login/totp"
	if next != "" {
		to += "?" + url.Values{"next": {next}}.Encode()
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return true
}

func (s *Server) clearChallengeCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: challengeCookie, Value: "", Path: "/login", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r),
	})
}

func challengeToken(r *http.Request) string {
	if c, err := r.Cookie(challengeCookie); err == nil {
		return c.Value
	}
	return ""
}

// loginCodePage asks for the code; a browser without an open challenge goes
// back to the password.
func (s *Server) loginCodePage(w http.ResponseWriter, r *http.Request) error {
	if !principal(r).Anonymous() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	if !s.svc.LoginChallengeOpen(r.Context(), challengeToken(r)) {
		s.clearChallengeCookie(w, r)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	noStore(w)
	f := views.LoginCodeForm{Next: safeNext(r.URL.Query().Get("next"))}
	s.render(w, r, http.StatusOK, views.LoginCode(page(r, "totp.login_title", "login"), f))
	return nil
}

// loginCode checks the code and starts the session. A wrong code shows the
// page again; a challenge that ended (expired, used, out of attempts) shows
// the password form with the reason.
func (s *Server) loginCode(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	next := safeNext(r.PostForm.Get("next"))
	old := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		old = c.Value
	}
	cookie, err := s.svc.VerifyLogin(r.Context(), caller(r), challengeToken(r), r.PostForm.Get("code"), old, r.UserAgent())
	if e, ok := domain.AsError(err); ok {
		msg := translate(r, e)
		if e.Code == domain.CodeInvalid {
			f := views.LoginCodeForm{Next: next, Error: msg}
			s.render(w, r, http.StatusUnprocessableEntity, views.LoginCode(page(r, "totp.login_title", "login"), f))
			return nil
		}
		s.clearChallengeCookie(w, r)
		f := views.LoginForm{Next: next, Error: msg}
		// 422 like a wrong password: the form was read, the sign-in refused.
		s.render(w, r, http.StatusUnprocessableEntity, views.Login(page(r, "login.title", "login"), f))
		return nil
	} else if err != nil {
		return err
	}
	s.clearChallengeCookie(w, r)
	s.setSessionCookie(w, r, cookie)
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// totpPage shows one's own two-factor state, with the QR code and the
// secret while enrolment waits for its first code.
func (s *Server) totpPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTOTP(w, r, http.StatusOK, views.TOTPView{})
}

func (s *Server) renderTOTP(w http.ResponseWriter, r *http.Request, status int, d views.TOTPView) error {
	st, err := s.svc.TOTPStatus(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d.Status = st
	if st.Pending {
		svg, err := qrSVG(st.URL)
		if err != nil {
			return err
		}
		d.QR = string(svg)
	}
	noStore(w)
	s.render(w, r, status, views.TOTP(page(r, "totp.title", ""), d))
	return nil
}

func (s *Server) startTOTP(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.StartTOTP(r.Context(), caller(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
	return nil
}

// confirmTOTP turns two-factor on with a first code and shows the recovery
// codes in its answer: the only time anyone sees them.
func (s *Server) confirmTOTP(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	codes, err := s.svc.ConfirmTOTP(r.Context(), caller(r), r.PostForm.Get("code"))
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderTOTP(w, r, http.StatusUnprocessableEntity, views.TOTPView{Errors: errs})
	} else if err != nil {
		return err
	}
	return s.renderTOTP(w, r, http.StatusOK, views.TOTPView{Recovery: codes})
}

func (s *Server) resetTOTP(r *http.Request, id int64) error {
	return s.svc.ResetTOTP(r.Context(), caller(r), id)
}

func (s *Server) securityPage(w http.ResponseWriter, r *http.Request) error {
	required, err := s.svc.TOTPRequired(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d := views.SecurityView{Required: required, Done: r.URL.Query().Get("done") == "1"}
	s.render(w, r, http.StatusOK, views.Security(page(r, "security.title", "admin"), d))
	return nil
}

func (s *Server) saveSecurity(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.svc.SetTOTPRequired(r.Context(), caller(r), r.PostForm.Get("totp_required") == "true"); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/security?done=1", http.StatusSeeOther)
	return nil
}
