package web

import (
	"net/http"
	"strings"

	"vanguard/web/views"
)

// The page of one's own personal API tokens (/account/tokens): make one
// (shown once), list them, revoke one.

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTokens(w, r, http.StatusOK, views.APITokensView{Revoked: r.URL.Query().Get("revoked") == "1"})
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, d views.APITokensView) error {
	tokens, err := s.svc.APITokens(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d.Tokens, d.Now = tokens, s.svc.Now()
	s.render(w, r, status, views.APITokens(page(r, "api.tokens.title", ""), d))
	return nil
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	d := views.APITokensView{Name: r.PostForm.Get("name"), Expires: strings.TrimSpace(r.PostForm.Get("expires_on"))}
	token, err := s.svc.CreateAPIToken(r.Context(), caller(r), d.Name, d.Expires)
	if errs, ok := fieldErrors(r, err); ok {
		d.Errors = errs
		return s.renderTokens(w, r, http.StatusUnprocessableEntity, d)
	} else if err != nil {
		return err
	}
	// The token is shown in this answer and never again (no redirect that
	// would have to carry it); the page is not cached (Cache-Control:
	// no-store on every page).
	return s.renderTokens(w, r, http.StatusOK, views.APITokensView{New: token})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.RevokeAPIToken(r.Context(), caller(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/tokens?revoked=1", http.StatusSeeOther)
	return nil
}
