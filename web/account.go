package web

import (
	"net/http"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/web/views"
)

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if !principal(r).Anonymous() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	f := views.LoginForm{Next: safeNext(r.URL.Query().Get("next"))}
	s.render(w, r, http.StatusOK, views.Login(page(r, "login.title", ""), f))
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := views.LoginForm{Username: strings.TrimSpace(r.PostForm.Get("username")), Next: safeNext(r.PostForm.Get("next"))}
	old := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		old = c.Value
	}
	cookie, err := s.svc.Login(r.Context(), caller(r), f.Username, r.PostForm.Get("password"), old, r.UserAgent())
	if s.secondFactorAsked(w, r, err, f.Next) {
		return nil
	}
	if err != nil {
		e, ok := domain.AsError(err)
		if !ok {
			return err
		}
		f.Error = i18n.T(r.Context(), e.Key, e.Args...)
		setRetryAfter(w, e)
		s.render(w, r, statusOf[e.Code], views.Login(page(r, "login.title", ""), f))
		return nil
	}
	s.setSessionCookie(w, r, cookie)
	next := f.Next
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if strings.ContainsAny(next, "\\\t\r\n") || !domain.CleanText(next) {
		return ""
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) ||
		strings.HasPrefix(next, "/login") || len(next) > 512 {
		return ""
	}
	return next
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Logout(r.Context(), caller(r), sessionID(r)); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) error {
	f := views.PasswordForm{Forced: principal(r).MustChangePassword, Done: r.URL.Query().Get("done") == "1"}
	s.render(w, r, http.StatusOK, views.Password(page(r, "password.title", ""), f))
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	forced := principal(r).MustChangePassword
	err := s.svc.ChangePassword(r.Context(), caller(r), sessionID(r),
		r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("confirm"))
	if errs, ok := fieldErrors(r, err); ok {
		f := views.PasswordForm{Forced: forced, Errors: errs}
		s.render(w, r, http.StatusUnprocessableEntity, views.Password(page(r, "password.title", ""), f))
		return nil
	} else if err != nil {
		return err
	}
	if forced {
		http.Redirect(w, r, "/", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/account/password?done=1", http.StatusSeeOther)
	}
	return nil
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	// The policy lets a user who must change their password reach their own
	// pages (ActSelf), home among them; send them to the form instead, so the
	// first login lands there.
	if principal(r).MustChangePassword {
		http.Redirect(w, r, "/account/password", http.StatusSeeOther)
		return nil
	}
	if principal(r).MustEnrolTOTP {
		http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
		return nil
	}
	todo, err := s.svc.Todo(r.Context(), caller(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.Home(page(r, "home.title", "home"), views.HomeView{Todo: todo, RegisterStatus: "/register/status"}))
	return nil
}

// setLang stores the chosen language in a cookie and goes back.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	l := i18n.Parse(r.PathValue("lang"))
	http.SetCookie(w, &http.Cookie{
		Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
	// A signed-in user's notifications follow the language they read.
	if err := s.svc.SetMyLang(r.Context(), caller(r), l); err != nil {
		return err
	}
	next := safeNext(r.URL.Query().Get("next"))
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// apiMe is the JSON API's view of the signed-in user.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	type role struct {
		Role    domain.Role `json:"role"`
		ScopeID int64       `json:"scope_id"`
	}
	me := struct {
		ID                 int64  `json:"id"`
		Username           string `json:"username"`
		DisplayName        string `json:"display_name"`
		Roles              []role `json:"roles"`
		MustChangePassword bool   `json:"must_change_password"`
	}{ID: p.UserID, Username: p.Username, DisplayName: p.DisplayName, Roles: []role{}, MustChangePassword: p.MustChangePassword}
	for _, g := range p.Grants {
		me.Roles = append(me.Roles, role{g.Role, g.ScopeID})
	}
	return writeAPI(w, r, http.StatusOK, me)
}
