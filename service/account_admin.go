package service

import (
	"context"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// Account administration: the list, disabling, unlocking, password resets,
// role changes and links between accounts and people. The committee manages
// every account; an org admin the accounts lying in their subtree (see
// domain.AuthorizeAccount). Every write is audited with before and after,
// and none leaves the platform without an active committee admin.

// Accounts lists the accounts matching f that the caller manages.
func (s *Service) Accounts(ctx context.Context, c domain.Caller, f store.AccountFilter) ([]domain.Account, error) {
	if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{}); err != nil {
		return nil, err
	}
	all, err := s.store.ListAccounts(ctx, f)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, a := range all {
		if authorizeAccount(c, a) == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

func authorizeAccount(c domain.Caller, a domain.Account) error {
	paths, whole := a.Paths()
	return domain.AuthorizeAccount(c.Principal, paths, whole)
}

// Account returns one account the caller manages.
func (s *Service) Account(ctx context.Context, c domain.Caller, id int64) (domain.Account, error) {
	if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{}); err != nil {
		return domain.Account{}, err
	}
	a, err := s.store.AccountByID(ctx, id)
	if err != nil {
		return a, err
	}
	return a, authorizeAccount(c, a)
}

// ScopeChoices lists the orgs, teams and sites the caller may bind a grant
// to, by name.
func (s *Service) ScopeChoices(ctx context.Context, c domain.Caller) ([]store.ScopeChoice, error) {
	if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.ScopeChoices(ctx, domain.ScopeOf(c.Principal, domain.ActUserManage))
}

// SetAccountDisabled disables or re-enables an account. Disabling ends its
// sessions; nobody disables their own account or the last active committee
// admin.
func (s *Service) SetAccountDisabled(ctx context.Context, c domain.Caller, id int64, disabled bool) error {
	a, err := s.Account(ctx, c, id)
	if err != nil {
		return err
	}
	if disabled && a.ID == c.UserID {
		return domain.Errorf(domain.CodeConflict, "err.user.self")
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := tx.SetUserDisabled(a.ID, disabled); err != nil {
			return err
		}
		return tx.KeepCommitteeAdmin()
	})
}

// UnlockAccount lifts the sign-in lock of an account and forgets its failed
// sign-ins.
func (s *Service) UnlockAccount(ctx context.Context, c domain.Caller, id int64) error {
	a, err := s.Account(ctx, c, id)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.UnlockLogin(a.ID, a.Username) })
}

// ResetPassword gives an account a new one-time password, which it must
// change at its next sign-in, ends its sessions and returns the password:
// the only time anyone sees it.
func (s *Service) ResetPassword(ctx context.Context, c domain.Caller, id int64) (domain.Account, string, error) {
	a, err := s.Account(ctx, c, id)
	if err != nil {
		return a, "", err
	}
	pw := OneTimePassword()
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		return a, "", err
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := tx.SetPassword(a.ID, hash, true, ""); err != nil {
			return err
		}
		return tx.Audit("user.password_reset", "user", strconv.FormatInt(a.ID, 10), nil, map[string]any{"username": a.Username})
	})
	return a, pw, err
}

// ChangeRole makes role in scope the account's only grant. The caller must
// manage the account as it is and as it would be; the last active committee
// admin keeps their role.
func (s *Service) ChangeRole(ctx context.Context, c domain.Caller, id int64, role domain.Role, scopeID int64) error {
	a, err := s.Account(ctx, c, id)
	if err != nil {
		return err
	}
	if !role.Valid() {
		return domain.Invalid("role", "err.role.invalid")
	}
	kind := domain.ScopeFor(role)
	if kind == domain.ScopeOrg || kind == domain.ScopeTeam || kind == domain.ScopeSite {
		if scopeID <= 0 {
			return domain.Invalid("scope_id", "err.scope.required")
		}
	} else {
		scopeID = 0
	}
	if err := s.authorizeGrant(ctx, c, role, scopeID, a.PersonID); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := tx.ScopeExists(kind, scopeID); err != nil {
			return err
		}
		if err := tx.ReplaceGrants(a.ID, role, scopeID); err != nil {
			return err
		}
		return tx.KeepCommitteeAdmin()
	})
}

// LinkAccount links an existing account, named by its login name, to a
// person. Both must be free, and the caller must manage the account and
// the person's org.
func (s *Service) LinkAccount(ctx context.Context, c domain.Caller, personID int64, username string) error {
	p, err := s.personForAccounts(ctx, c, personID)
	if err != nil {
		return err
	}
	username = domain.NormalizeUsername(username)
	if username == "" {
		return domain.Invalid("username", "err.required")
	}
	a, err := s.store.AccountByUsername(ctx, username)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return domain.Invalid("username", "err.user.not_found")
	} else if err != nil {
		return err
	}
	if err := authorizeAccount(c, a); err != nil {
		return domain.Invalid("username", "err.user.not_found")
	}
	paths, whole := a.Paths()
	if err := domain.AuthorizeAccount(c.Principal, append(paths, p.OrgPath), whole); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.LinkPersonUser(p.ID, a.ID) })
}

// UnlinkAccount removes the link between a person and their account. The
// account stays, but a volunteer or leader account no longer acts as one.
func (s *Service) UnlinkAccount(ctx context.Context, c domain.Caller, personID int64) error {
	p, err := s.personForAccounts(ctx, c, personID)
	if err != nil {
		return err
	}
	if p.UserID == 0 {
		return domain.Errorf(domain.CodeConflict, "err.link.none")
	}
	a, err := s.store.AccountByID(ctx, p.UserID)
	if err != nil {
		return err
	}
	if err := authorizeAccount(c, a); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.UnlinkPersonUser(p.ID) })
}

// personForAccounts returns a person whose accounts the caller manages.
func (s *Service) personForAccounts(ctx context.Context, c domain.Caller, personID int64) (domain.Person, error) {
	if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{}); err != nil {
		return domain.Person{}, err
	}
	p, err := s.store.PersonByID(ctx, personID)
	if err != nil {
		return p, err
	}
	if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{OrgPath: p.OrgPath}); err != nil {
		return p, err
	}
	if p.Erased {
		// An erased person stays erased: no account is opened or linked again.
		return p, domain.Errorf(domain.CodeConflict, "err.privacy.erased_person")
	}
	return p, nil
}

// PersonAccount is the account linked to a person, if any, and what the
// caller may do about it, for the person's page.
type PersonAccount struct {
	Account   *domain.Account
	CanManage bool
	// LeaderTeams are the teams the person currently belongs to, for
	// opening a team leader's account.
	LeaderTeams []domain.Membership
}

// AccountOfPerson returns the account linked to a person the caller may see.
func (s *Service) AccountOfPerson(ctx context.Context, c domain.Caller, p domain.Person) (PersonAccount, error) {
	var pa PersonAccount
	pa.CanManage = domain.Can(c.Principal, domain.ActUserManage, domain.Target{OrgPath: p.OrgPath})
	if !pa.CanManage {
		return pa, nil
	}
	if p.UserID != 0 {
		a, err := s.store.AccountByID(ctx, p.UserID)
		if err != nil {
			return pa, err
		}
		pa.Account = &a
		if authorizeAccount(c, a) != nil {
			pa.CanManage = false
		}
	}
	ms, err := s.store.PersonTeams(ctx, p.ID)
	if err != nil {
		return pa, err
	}
	for _, m := range ms {
		if m.LeftOn == "" {
			pa.LeaderTeams = append(pa.LeaderTeams, m)
		}
	}
	return pa, nil
}

// OpenAccount creates the account of a person from their page: a volunteer,
// or the leader of a team the person belongs to (teamID), named username or,
// when that is empty, the roster name (domain.BulkUsername). It returns the
// login name and the one-time password.
func (s *Service) OpenAccount(ctx context.Context, c domain.Caller, personID int64, role domain.Role, teamID int64, username string) (string, string, error) {
	p, err := s.personForAccounts(ctx, c, personID)
	if err != nil {
		return "", "", err
	}
	if p.UserID != 0 {
		return "", "", domain.Errorf(domain.CodeConflict, "err.link.person_taken")
	}
	n := NewAccount{Username: strings.TrimSpace(username), DisplayName: p.Name, Role: role, PersonID: p.ID}
	switch role {
	case domain.RoleVolunteer:
	case domain.RoleTeamLeader:
		ms, err := s.store.PersonTeams(ctx, p.ID)
		if err != nil {
			return "", "", err
		}
		member := false
		for _, m := range ms {
			member = member || (m.TeamID == teamID && m.LeftOn == "")
		}
		if !member {
			return "", "", domain.Invalid("team", "err.account.team_not_member")
		}
		n.ScopeID = teamID
	default:
		return "", "", domain.Invalid("role", "err.role.invalid")
	}
	if n.Username == "" {
		if n.Username, err = s.freeUsername(ctx, p.ID); err != nil {
			return "", "", err
		}
	}
	_, pw, err := s.CreateUser(ctx, c, n)
	return domain.NormalizeUsername(n.Username), pw, err
}

// freeUsername returns the first roster login name of a person not yet
// taken.
func (s *Service) freeUsername(ctx context.Context, personID int64) (string, error) {
	for attempt := 0; ; attempt++ {
		name := domain.BulkUsername(personID, attempt)
		_, err := s.store.UserByUsername(ctx, name)
		if domain.ErrCode(err) == domain.CodeNotFound {
			return name, nil
		} else if err != nil {
			return "", err
		}
	}
}
