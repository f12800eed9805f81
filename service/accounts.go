package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"vanguard/domain"
	"vanguard/store"
)

// errBadLogin is the one answer to an unknown name, a wrong password and a
// disabled account, so the login form tells nobody which names exist.
var errBadLogin = domain.Errorf(domain.CodeInvalid, "err.login.failed")

// Login checks a name and password and starts a new session. It returns the
// cookie value ("id.secret"). oldSession, the cookie the browser held
// before, if any, ends that session when its secret matches, so the session
// id changes at every login and nobody ends another's session by its id.
// Before the check the attempt passes the limits of logins.go and is
// reserved as a failure; a refusal is a CodeTooMany error with RetryAfter.
func (s *Service) Login(ctx context.Context, c domain.Caller, username, password, oldSession, userAgent string) (string, error) {
	username = domain.NormalizeUsername(username)
	if username == "" || password == "" || len(username) > domain.UsernameMaxLen || len(password) > 4*domain.PasswordMaxLen {
		return "", errBadLogin
	}
	actor := c.Actor()
	actor.Username = username
	leave, queued := s.hasher.gate.enter()
	if !queued {
		return "", s.loginBusy(ctx, actor, username)
	}
	defer leave()
	// The attempt is reserved (counted as a failure) before the password is
	// checked, so parallel guesses cannot outrun the lock (see logins.go).
	attempt, err := s.reserveLogin(ctx, actor, username, c.IP)
	if err != nil {
		return "", err
	}

	u, err := s.store.UserByUsername(ctx, username)
	ok := false
	switch {
	case err == nil:
		ok, err = s.hasher.Verify(u.PasswordHash, password)
		ok = ok && !u.Disabled
	case domain.ErrCode(err) == domain.CodeNotFound:
		_, err = s.hasher.Verify(s.dummyHash, password)
	}
	leave()
	if err != nil {
		return "", s.loginNotChecked(ctx, actor, attempt, fmt.Errorf("login %s: %w", username, err))
	}
	if err := s.loginChecked(ctx, actor, attempt, ok); err != nil {
		return "", err
	}
	// Two-factor sign-in (totp.go): an account with it on gets a login
	// challenge, not a session, until its code is checked.
	if err := s.secondFactor(ctx, c, u, userAgent); err != nil {
		return "", err
	}

	id, secret := randomToken(), randomToken()
	// From here the actor is the user who signed in, so the audit row of the
	// login carries their role, not the public's.
	grants, err := s.store.Grants(ctx, u.ID)
	if err != nil {
		return "", fmt.Errorf("login %s: %w", username, err)
	}
	actor.UserID, actor.Role = u.ID, domain.Principal{Grants: grants}.MainRole()
	err = s.store.Write(ctx, actor, func(tx *store.Tx) error {
		// Only the browser's own session ends: the cookie's secret must match.
		if oldID, oldSecret, ok := strings.Cut(oldSession, "."); ok {
			if err := tx.DeleteOwnSession(oldID, hashSecret(oldSecret)); err != nil {
				return err
			}
		}
		return tx.CreateSession(store.Session{
			ID: id, SecretHash: hashSecret(secret), UserID: u.ID, IP: c.IP, UserAgent: truncate(userAgent, 200),
		})
	})
	if err != nil {
		return "", fmt.Errorf("login %s: %w", username, err)
	}
	return id + "." + secret, nil
}

// Authenticate returns the principal of a session cookie and the session id.
// An unknown, forged or expired cookie yields the anonymous public and no
// error.
func (s *Service) Authenticate(ctx context.Context, cookie string) (domain.Principal, string, error) {
	id, secret, ok := strings.Cut(cookie, ".")
	if !ok || id == "" || secret == "" {
		return domain.Principal{}, "", nil
	}
	se, err := s.store.SessionByID(ctx, id)
	if domain.ErrCode(err) == domain.CodeNotFound {
		return domain.Principal{}, "", nil
	} else if err != nil {
		return domain.Principal{}, "", err
	}
	if subtle.ConstantTimeCompare([]byte(se.SecretHash), []byte(hashSecret(secret))) != 1 {
		return domain.Principal{}, "", nil
	}
	now := s.store.Now()
	if now.Sub(se.LastSeenAt) > domain.SessionIdle || now.Sub(se.CreatedAt) > domain.SessionAbsolute {
		err := s.store.Housekeep(ctx, func(tx *store.Tx) error { return tx.DeleteSession(id, false) })
		return domain.Principal{}, "", err
	}
	p, err := s.principalOf(ctx, se.UserID)
	if err != nil || p.Anonymous() {
		return domain.Principal{}, "", err
	}
	// Touch at most once a minute: enough for a 30-minute idle limit, and it
	// keeps page views from turning into writes.
	if now.Sub(se.LastSeenAt) > time.Minute {
		if err := s.store.Housekeep(ctx, func(tx *store.Tx) error { return tx.TouchSession(id) }); err != nil {
			return domain.Principal{}, "", err
		}
	}
	return p, id, nil
}

// principalOf loads who user userID is and what they may do: the one
// principal both a session and an API token stand for. A missing or
// disabled account yields the anonymous public.
func (s *Service) principalOf(ctx context.Context, userID int64) (domain.Principal, error) {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil || u.Disabled {
		return domain.Principal{}, nil
	}
	grants, err := s.store.Grants(ctx, u.ID)
	if err != nil {
		return domain.Principal{}, err
	}
	personID, err := s.store.PersonIDOfUser(ctx, u.ID)
	if err != nil {
		return domain.Principal{}, err
	}
	mustEnrol, err := s.mustEnrolTOTP(ctx, u.ID, grants)
	if err != nil {
		return domain.Principal{}, err
	}
	return domain.Principal{
		UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName,
		Grants: grants, MustChangePassword: u.MustChangePassword, PersonID: personID,
		MustEnrolTOTP: mustEnrol,
	}, nil
}

// Logout ends the caller's session.
func (s *Service) Logout(ctx context.Context, c domain.Caller, sessionID string) error {
	if c.Anonymous() || sessionID == "" {
		return nil
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.DeleteSession(sessionID, true) })
}

// ChangePassword sets the caller's new password after checking the current
// one. Every other session of the user ends; this one stays.
func (s *Service) ChangePassword(ctx context.Context, c domain.Caller, sessionID, current, next, confirm string) error {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return err
	}
	u, err := s.store.UserByID(ctx, c.UserID)
	if err != nil {
		return err
	}
	var v domain.Validation
	ok, err := s.hasher.Verify(u.PasswordHash, current)
	if err != nil {
		return err
	}
	v.Check(ok, "current", "err.password.current_wrong")
	v.AddErr(domain.ValidatePassword("new", next, u.Username))
	v.Check(next != current, "new", "err.password.same")
	v.Check(next == confirm, "confirm", "err.password.mismatch")
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(next)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.SetPassword(u.ID, hash, false, sessionID)
	})
}

// NewAccount is what CreateUser needs.
type NewAccount struct {
	Username    string
	DisplayName string
	Role        domain.Role
	ScopeID     int64
	// PersonID links the new account to a person record (0: none). A
	// volunteer or team leader acts as one only when linked.
	PersonID int64
	// Password is the first password; when empty a one-time password is
	// generated and must be changed at first login.
	Password string
}

// CreateUser creates an account with one role grant, linked to a person when
// n.PersonID is set, and returns the one-time password when it generated
// one. The committee creates any account; an org admin only accounts whose
// scope and person lie in their subtree, and never a committee admin.
func (s *Service) CreateUser(ctx context.Context, c domain.Caller, n NewAccount) (int64, string, error) {
	if err := domain.Authorize(c.Principal, domain.ActUserManage, domain.Target{}); err != nil {
		return 0, "", err
	}
	n.Username = domain.NormalizeUsername(n.Username)
	var v domain.Validation
	n.DisplayName = v.Line("display_name", n.DisplayName, 64)
	v.AddErr(domain.ValidateUsername(n.Username))
	if l := utf8.RuneCountInString(n.DisplayName); l == 0 || l > 64 {
		v.Add("display_name", "err.display_name.length")
	}
	v.Check(n.Role.Valid(), "role", "err.role.invalid")
	scoped := domain.ScopeFor(n.Role)
	needScope := scoped == domain.ScopeOrg || scoped == domain.ScopeTeam || scoped == domain.ScopeSite
	v.Check(!needScope || n.ScopeID > 0, "scope_id", "err.scope.required")
	oneTime := ""
	if n.Password == "" {
		oneTime = OneTimePassword()
		n.Password = oneTime
	} else {
		v.AddErr(domain.ValidatePassword("password", n.Password, n.Username))
	}
	if err := v.Err(); err != nil {
		return 0, "", err
	}
	if !needScope {
		n.ScopeID = 0
	}
	if err := s.authorizeGrant(ctx, c, n.Role, n.ScopeID, n.PersonID); err != nil {
		return 0, "", err
	}
	hash, err := s.hasher.Hash(n.Password)
	if err != nil {
		return 0, "", err
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = createAccount(tx, n, hash, oneTime != "")
		return err
	})
	return id, oneTime, err
}

// createAccount writes a validated, authorized account: the user, its grant
// and its link to a person.
func createAccount(tx *store.Tx, n NewAccount, hash string, mustChange bool) (int64, error) {
	if err := tx.ScopeExists(domain.ScopeFor(n.Role), n.ScopeID); err != nil {
		return 0, err
	}
	id, err := tx.CreateUser(store.NewUser{
		Username: n.Username, DisplayName: n.DisplayName, PasswordHash: hash, MustChangePassword: mustChange,
	})
	if err != nil {
		return 0, err
	}
	if err := tx.Grant(id, n.Role, n.ScopeID); err != nil {
		return 0, err
	}
	if n.PersonID != 0 {
		if err := tx.LinkPersonUser(n.PersonID, id); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// authorizeGrant checks that the caller may give an account role in scope,
// linked to person (0: none): the scope must exist and, with the person's
// org, lie where the caller manages accounts.
func (s *Service) authorizeGrant(ctx context.Context, c domain.Caller, role domain.Role, scopeID, personID int64) error {
	var paths []string
	if kind := domain.ScopeFor(role); kind == domain.ScopeOrg || kind == domain.ScopeTeam || kind == domain.ScopeSite {
		path, err := s.store.ScopePath(ctx, kind, scopeID)
		if err != nil {
			return err
		}
		paths = append(paths, path)
	}
	if personID != 0 {
		p, err := s.store.PersonByID(ctx, personID)
		if domain.ErrCode(err) == domain.CodeNotFound {
			return domain.Invalid("person", "err.person.not_found")
		} else if err != nil {
			return err
		}
		paths = append(paths, p.OrgPath)
	}
	if err := domain.AuthorizeAccount(c.Principal, paths, role == domain.RoleCommitteeAdmin); err != nil {
		if domain.ErrCode(err) == domain.CodeForbidden && domain.Can(c.Principal, domain.ActUserManage, domain.Target{}) {
			// The caller manages accounts, just not this one: say which
			// field to change rather than refusing the whole form.
			if role == domain.RoleCommitteeAdmin {
				return domain.Invalid("role", "err.user.role_out_of_scope")
			}
			return domain.Invalid("scope_id", "err.user.scope_out_of_scope")
		}
		return err
	}
	return nil
}

// SystemCaller is the caller for the program's own writes and for the
// command line, run by whoever operates the server.
var SystemCaller = domain.Caller{
	Principal: domain.Principal{Username: "system", System: true, Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}},
	IP:        "local", RequestID: "system",
}

// Bootstrap prepares an empty database: it creates the committee, the root
// of the org tree, and its first admin with a one-time password, which it
// returns. On a database that has users it does nothing and returns "".
func (s *Service) Bootstrap(ctx context.Context, committeeName string) (string, error) {
	n, err := s.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	if _, err := s.ensureCommittee(ctx, committeeName); err != nil {
		return "", err
	}
	_, pw, err := s.CreateUser(ctx, SystemCaller, NewAccount{
		Username: "admin", DisplayName: "系统管理员", Role: domain.RoleCommitteeAdmin,
	})
	return pw, err
}

func (s *Service) ensureCommittee(ctx context.Context, name string) (int64, error) {
	id, err := s.store.RootOrgID(ctx)
	if err == nil || domain.ErrCode(err) != domain.CodeNotFound {
		return id, err
	}
	err = s.store.Write(ctx, SystemCaller.Actor(), func(tx *store.Tx) error {
		id, err = tx.CreateOrg(0, "committee", name)
		return err
	})
	return id, err
}

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
