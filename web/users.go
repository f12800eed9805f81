package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/report"
	"vanguard/service"
	"vanguard/store"
	"vanguard/web/views"
)

// Account administration under /admin/users, and accounts from a person's
// page and for a roster at once. The service decides who may manage which
// account; these handlers read forms and show results.

const accountsPageSize = 50

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, views.UserForm{Role: string(domain.RoleVolunteer)})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, f views.UserForm) error {
	ctx, c := r.Context(), caller(r)
	q := r.URL.Query()
	d := views.UsersView{Form: f, Query: trimTo(q.Get("q"), 40),
		Role: domain.Role(q.Get("role")), State: domain.AccountState(q.Get("state")), Now: s.svc.Store().Now()}
	if !d.Role.Valid() {
		d.Role = ""
	}
	if !d.State.Valid() {
		d.State = ""
	}
	all, err := s.svc.Accounts(ctx, c, store.AccountFilter{Query: d.Query, Role: d.Role, State: d.State})
	if err != nil {
		return err
	}
	pg := pageNumber(r)
	from := min((pg-1)*accountsPageSize, len(all))
	d.Accounts = all[from:min(from+accountsPageSize, len(all))]
	v := url.Values{}
	for k, x := range map[string]string{"q": d.Query, "role": string(d.Role), "state": string(d.State)} {
		if x != "" {
			v.Set(k, x)
		}
	}
	d.Pager = pager("/admin/users", v, pg, len(all), accountsPageSize)
	if d.Scopes, err = s.svc.ScopeChoices(ctx, c); err != nil {
		return err
	}
	d.GrantAll = domain.Can(c.Principal, domain.ActUserGrantAll, domain.Target{})
	s.render(w, r, status, views.Users(page(r, "users.title", "users"), d))
	return nil
}

// scopeValue parses a scope picker's value, "org:5", "team:3" or "site:7":
// the kind must be the one role is bound to. Roles without a scope take 0.
func scopeValue(role domain.Role, v string) (int64, error) {
	kind := domain.ScopeFor(role)
	if kind != domain.ScopeOrg && kind != domain.ScopeTeam && kind != domain.ScopeSite {
		return 0, nil
	}
	k, id, ok := strings.Cut(strings.TrimSpace(v), ":")
	if v == "" {
		return 0, domain.Invalid("scope_id", "err.scope.required")
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 {
		return 0, domain.Invalid("scope_id", "err.scope.not_found")
	}
	if domain.ScopeKind(k) != kind {
		return 0, domain.Invalid("scope_id", "err.account.scope_kind")
	}
	return n, nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := views.UserForm{
		Username: r.PostForm.Get("username"), DisplayName: r.PostForm.Get("display_name"),
		Role: r.PostForm.Get("role"), Scope: strings.TrimSpace(r.PostForm.Get("scope")),
	}
	scope, err := scopeValue(domain.Role(f.Role), f.Scope)
	if err == nil {
		_, f.OneTime, err = s.svc.CreateUser(r.Context(), caller(r), service.NewAccount{
			Username: f.Username, DisplayName: f.DisplayName, Role: domain.Role(f.Role), ScopeID: scope,
		})
	}
	if errs, ok := fieldErrors(r, err); ok {
		f.Errors, f.OneTime = errs, ""
		return s.renderUsers(w, r, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	noStore(w)
	done := views.UserForm{Role: string(domain.RoleVolunteer), Created: domain.NormalizeUsername(f.Username), OneTime: f.OneTime}
	return s.renderUsers(w, r, http.StatusOK, done)
}

// noStore keeps a page with a one-time password out of every cache.
func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, views.AccountView{Done: r.URL.Query().Get("done")})
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, d views.AccountView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, c := r.Context(), caller(r)
	if d.Account, err = s.svc.Account(ctx, c, id); err != nil {
		return err
	}
	if d.Scopes, err = s.svc.ScopeChoices(ctx, c); err != nil {
		return err
	}
	d.Now = s.svc.Store().Now()
	d.GrantAll = domain.Can(c.Principal, domain.ActUserGrantAll, domain.Target{})
	d.Self = d.Account.ID == c.UserID
	if d.TOTP, err = s.svc.TOTPEnabledFor(ctx, c, id); err != nil {
		return err
	}
	d.CanResetTOTP = domain.Can(c.Principal, domain.ActTOTPReset, domain.Target{})
	if d.Role == "" && len(d.Account.Grants) > 0 {
		g := d.Account.Grants[0]
		d.Role = string(g.Role)
		if k := domain.ScopeFor(g.Role); g.ScopeID != 0 {
			d.Scope = string(k) + ":" + strconv.FormatInt(g.ScopeID, 10)
		}
	}
	if d.OneTime != "" {
		noStore(w)
	}
	s.render(w, r, status, views.AccountPage(page(r, "accounts.account_title", "users"), d))
	return nil
}

// accountAction runs one of the account page's buttons and goes back to the
// page saying what it did; a refusal (the last committee admin, oneself) is
// shown on the page.
func (s *Server) accountAction(done string, act func(r *http.Request, id int64) error) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := parseForm(r); err != nil {
			return err
		}
		err = act(r, id)
		if e, ok := errAsConflict(err); ok {
			return s.renderAccount(w, r, http.StatusConflict, views.AccountView{Problem: translate(r, e)})
		} else if err != nil {
			return err
		}
		http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
		return nil
	}
}

func (s *Server) disableUser(r *http.Request, id int64) error {
	return s.svc.SetAccountDisabled(r.Context(), caller(r), id, true)
}

func (s *Server) enableUser(r *http.Request, id int64) error {
	return s.svc.SetAccountDisabled(r.Context(), caller(r), id, false)
}

func (s *Server) unlockUser(r *http.Request, id int64) error {
	return s.svc.UnlockAccount(r.Context(), caller(r), id)
}

// resetPassword shows the new one-time password in its answer, once.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, pw, err := s.svc.ResetPassword(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	return s.renderAccount(w, r, http.StatusOK, views.AccountView{OneTime: pw})
}

func (s *Server) changeRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	d := views.AccountView{Role: r.PostForm.Get("role"), Scope: strings.TrimSpace(r.PostForm.Get("scope"))}
	scope, err := scopeValue(domain.Role(d.Role), d.Scope)
	if err == nil {
		err = s.svc.ChangeRole(r.Context(), caller(r), id, domain.Role(d.Role), scope)
	}
	if errs, ok := fieldErrors(r, err); ok {
		d.Errors = errs
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, d)
	} else if e, ok := errAsConflict(err); ok {
		d.Problem = translate(r, e)
		return s.renderAccount(w, r, http.StatusConflict, d)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=role", http.StatusSeeOther)
	return nil
}

// openAccount creates a person's account from their page and shows its
// one-time password there, once.
func (s *Server) openAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	role, team := domain.RoleVolunteer, int64(0)
	if t := r.PostForm.Get("team"); t != "" {
		role = domain.RoleTeamLeader
		if team, err = strconv.ParseInt(t, 10, 64); err != nil {
			return s.renderPersonAccount(w, r, http.StatusUnprocessableEntity,
				views.PersonAccountForm{Errors: map[string]string{"team": i18n.T(r.Context(), "err.account.team_not_member")}})
		}
	}
	f := views.PersonAccountForm{Username: r.PostForm.Get("username"), Team: r.PostForm.Get("team")}
	f.Created, f.OneTime, err = s.svc.OpenAccount(r.Context(), caller(r), id, role, team, f.Username)
	if errs, ok := fieldErrors(r, err); ok {
		f.Errors, f.Created, f.OneTime = errs, "", ""
		return s.renderPersonAccount(w, r, http.StatusUnprocessableEntity, f)
	} else if e, ok := errAsConflict(err); ok {
		f.Problem, f.Created, f.OneTime = translate(r, e), "", ""
		return s.renderPersonAccount(w, r, http.StatusConflict, f)
	} else if err != nil {
		return err
	}
	noStore(w)
	return s.renderPersonAccount(w, r, http.StatusOK, views.PersonAccountForm{Created: f.Created, OneTime: f.OneTime})
}

func (s *Server) linkAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := views.PersonAccountForm{LinkUsername: r.PostForm.Get("username")}
	err = s.svc.LinkAccount(r.Context(), caller(r), id, f.LinkUsername)
	if errs, ok := fieldErrors(r, err); ok {
		f.LinkErrors = errs
		return s.renderPersonAccount(w, r, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"?account=linked", http.StatusSeeOther)
	return nil
}

func (s *Server) unlinkAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = s.svc.UnlinkAccount(r.Context(), caller(r), id)
	if e, ok := errAsConflict(err); ok {
		return s.renderPersonAccount(w, r, http.StatusConflict, views.PersonAccountForm{Problem: translate(r, e)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"?account=unlinked", http.StatusSeeOther)
	return nil
}

// bulkAccounts creates volunteer accounts for the people ticked on /people
// (mode "selected") or for everyone the list's filter finds (mode
// "filter"), and answers with the one-time passwords — printable slips or
// a spreadsheet — in this one response: they are stored nowhere.
func (s *Server) bulkAccounts(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx, c := r.Context(), caller(r)
	var res service.BulkResult
	var err error
	if r.PostForm.Get("mode") == "filter" {
		q, perr := url.ParseQuery(r.PostForm.Get("filter"))
		if perr != nil {
			return domain.Errorf(domain.CodeInvalid, "err.form")
		}
		res, err = s.svc.CreateAccountsForFilter(ctx, c, peopleFilterFrom(q))
	} else {
		var ids []int64
		for _, v := range r.PostForm["person"] {
			id, perr := strconv.ParseInt(v, 10, 64)
			if perr != nil || id <= 0 {
				return domain.Errorf(domain.CodeInvalid, "err.form")
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			err = domain.Invalid("person", "err.bulk.none")
		} else {
			res, err = s.svc.CreateAccountsForPeople(ctx, c, ids)
		}
	}
	if e, ok := domain.AsError(err); ok && e.Code == domain.CodeInvalid {
		s.render(w, r, http.StatusUnprocessableEntity, views.BulkProblem(page(r, "accounts.bulk.title", "people"), translate(r, e)))
		return nil
	} else if err != nil {
		return err
	}
	noStore(w)
	if r.PostForm.Get("format") == "xlsx" && len(res.Created) > 0 {
		return s.sendSlipBook(w, r, res.Created)
	}
	d := views.SlipsView{Result: res, SignIn: s.absURL(r, "/login")}
	svg, err := qrSVG(d.SignIn)
	if err != nil {
		return err
	}
	d.QR = string(svg)
	s.render(w, r, http.StatusOK, views.Slips(page(r, "accounts.bulk.title", "people"), d))
	return nil
}

// sendSlipBook sends the new accounts as a spreadsheet, one row per person,
// through the report package's formula-safe writer.
func (s *Server) sendSlipBook(w http.ResponseWriter, r *http.Request, slips []service.Slip) error {
	ctx := r.Context()
	b, err := report.NewBook()
	if err != nil {
		return err
	}
	cols := []report.Column{
		{Header: i18n.T(ctx, "field.name"), Width: 12}, {Header: i18n.T(ctx, "field.org"), Width: 28},
		{Header: i18n.T(ctx, "field.username"), Width: 14, Text: true},
		{Header: i18n.T(ctx, "accounts.slip.password"), Width: 24, Text: true},
		{Header: i18n.T(ctx, "accounts.slip.address"), Width: 36},
	}
	sh, err := b.Sheet(i18n.T(ctx, "accounts.xlsx.sheet"), cols)
	if err != nil {
		b.Close()
		return err
	}
	addr := s.absURL(r, "/login")
	for _, sl := range slips {
		if err := sh.Row(sl.Name, sl.Org, sl.Username, sl.Password, addr); err != nil {
			b.Close()
			return err
		}
	}
	return sendBook(w, b, i18n.T(ctx, "accounts.xlsx.name"), "accounts")
}

// renderPersonAccount shows a person's page with the account card's form
// state.
func (s *Server) renderPersonAccount(w http.ResponseWriter, r *http.Request, status int, f views.PersonAccountForm) error {
	return s.renderPersonWith(w, r, status, nil, nil, &f)
}
