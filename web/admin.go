package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/service"
	"vanguard/web/views"
)

var cst = time.FixedZone("CST", 8*3600)

const auditPageSize = 100

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	aq := views.AuditQuery{
		Action: strings.TrimSpace(q.Get("action")), Username: strings.TrimSpace(q.Get("username")),
		ObjectType: strings.TrimSpace(q.Get("object_type")), From: q.Get("from"), To: q.Get("to"),
	}
	f := domain.AuditFilter{Action: aq.Action, Username: aq.Username, ObjectType: aq.ObjectType, Limit: auditPageSize}
	var err error
	if f.From, err = parseDay(aq.From); err != nil {
		aq.Error = i18n.T(r.Context(), "err.date", i18n.T(r.Context(), "audit.from"))
	}
	if f.To, err = parseDay(aq.To); err != nil {
		aq.Error = i18n.T(r.Context(), "err.date", i18n.T(r.Context(), "audit.to"))
	} else if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // the "to" day is included
	}
	f.BeforeID, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	entries, err := s.svc.ListAudit(r.Context(), caller(r), f)
	if err != nil {
		return err
	}
	older := ""
	if len(entries) == auditPageSize {
		v := url.Values{}
		for k, x := range map[string]string{"action": aq.Action, "username": aq.Username,
			"object_type": aq.ObjectType, "from": aq.From, "to": aq.To} {
			if x != "" {
				v.Set(k, x)
			}
		}
		v.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		older = "/admin/audit?" + v.Encode()
	}
	s.render(w, r, http.StatusOK, views.Audit(page(r, "audit.title", "audit"), aq, entries, older))
	return nil
}

// parseDay reads a YYYY-MM-DD date as the start of that day in China.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, cst)
	return t.UTC(), err
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, views.UserForm{Role: string(domain.RoleVolunteer)})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, f views.UserForm) error {
	users, grants, err := s.svc.ListUsers(r.Context(), caller(r))
	if err != nil {
		return err
	}
	s.render(w, r, status, views.Users(page(r, "users.title", "users"), f, users, grants))
	return nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := views.UserForm{
		Username: r.PostForm.Get("username"), DisplayName: r.PostForm.Get("display_name"),
		Role: r.PostForm.Get("role"), ScopeID: strings.TrimSpace(r.PostForm.Get("scope_id")),
	}
	scope := int64(0)
	if f.ScopeID != "" {
		var err error
		if scope, err = strconv.ParseInt(f.ScopeID, 10, 64); err != nil || scope < 0 {
			f.Errors = map[string]string{"scope_id": i18n.T(r.Context(), "err.scope.not_found")}
			return s.renderUsers(w, r, http.StatusUnprocessableEntity, f)
		}
	}
	_, oneTime, err := s.svc.CreateUser(r.Context(), caller(r), service.NewAccount{
		Username: f.Username, DisplayName: f.DisplayName, Role: domain.Role(f.Role), ScopeID: scope,
	})
	if errs, ok := fieldErrors(r, err); ok {
		f.Errors = errs
		return s.renderUsers(w, r, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	done := views.UserForm{Role: string(domain.RoleVolunteer), Created: domain.NormalizeUsername(f.Username), OneTime: oneTime}
	return s.renderUsers(w, r, http.StatusOK, done)
}
