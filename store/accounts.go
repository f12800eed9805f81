package store

// Account administration: the account list with scopes by name, linking an
// account to a person, disabling, unlocking and changing a grant.
//
// Two invariants are kept here, inside the write transaction, because a
// check made before it could be stale by the time the write lands:
//   - a person has at most one account and an account at most one person
//     (people.user_id is UNIQUE; LinkPersonUser checks both sides and links
//     by a conditional update, so a race loses cleanly);
//   - some committee admin stays active: every write that can disable or
//     demote one calls KeepCommitteeAdmin last, which counts what the
//     transaction leaves (on PostgreSQL under a transaction-scoped advisory
//     lock, so two concurrent demotions cannot each count the other).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"vanguard/domain"
)

// AccountFilter selects accounts for the account list. The caller's scope is
// applied by the service, account by account.
type AccountFilter struct {
	Query string // part of a login name, display name or linked person's name
	Role  domain.Role
	State domain.AccountState
}

const accountSelect = `SELECT u.id, u.username, u.display_name, u.must_change_password, u.disabled, u.created_at,
	u.last_login_at, COALESCE(l.locked_until, 0), COALESCE(p.id, 0), COALESCE(p.name, ''), COALESCE(po.name, ''),
	COALESCE(po.path, ''), COALESCE(` + personPhone + `, '')
	FROM users u
	LEFT JOIN (SELECT username, MAX(locked_until) AS locked_until FROM login_locks
		WHERE locked_until > ? GROUP BY username) l ON l.username = u.username
	LEFT JOIN people p ON p.user_id = u.id
	LEFT JOIN orgs po ON po.id = p.org_id`

func scanAccount(row interface{ Scan(...any) error }) (domain.Account, error) {
	var a domain.Account
	var created, last, locked int64
	err := row.Scan(&a.ID, &a.Username, &a.DisplayName, &a.MustChangePassword, &a.Disabled, &created,
		&last, &locked, &a.PersonID, &a.PersonName, &a.PersonOrg, &a.PersonPath, &a.PersonPhone)
	a.CreatedAt = fromMicros(created)
	if last > 0 {
		a.LastLoginAt = fromMicros(last)
	}
	if locked > 0 {
		a.LockedUntil = fromMicros(locked)
	}
	a.PersonPhone = domain.MaskPhone(a.PersonPhone)
	return a, err
}

// ListAccounts lists the accounts matching f by login name, with their
// grants (scopes by name) and linked people.
func (s *Store) ListAccounts(ctx context.Context, f AccountFilter) ([]domain.Account, error) {
	now := micros(s.now())
	cond, args := "1=1", []any{now}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + escapeLike(strings.ToLower(q)) + "%"
		cond += ` AND (u.username LIKE ? ESCAPE '\' OR LOWER(u.display_name) LIKE ? ESCAPE '\' OR p.name LIKE ? ESCAPE '\')`
		args = append(args, like, like, "%"+escapeLike(q)+"%")
	}
	if f.Role != "" {
		cond += " AND EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.role = ?)"
		args = append(args, string(f.Role))
	}
	switch f.State {
	case domain.AccountDisabled:
		cond += " AND u.disabled = ?"
		args = append(args, true)
	case domain.AccountLocked:
		cond += " AND u.disabled = ? AND l.username IS NOT NULL"
		args = append(args, false)
	case domain.AccountMustChange:
		cond += " AND u.disabled = ? AND l.username IS NULL AND u.must_change_password = ?"
		args = append(args, false, true)
	case domain.AccountActive:
		cond += " AND u.disabled = ? AND l.username IS NULL AND u.must_change_password = ?"
		args = append(args, false, false)
	}
	rows, err := s.query(ctx, accountSelect+" WHERE "+cond+" ORDER BY u.username", args...)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	var out []domain.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	grants, err := s.accountGrants(ctx, "")
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Grants = grants[out[i].ID]
	}
	return out, nil
}

// AccountByID finds one account with its grants and person.
func (s *Store) AccountByID(ctx context.Context, id int64) (domain.Account, error) {
	a, err := scanAccount(s.queryRow(ctx, accountSelect+" WHERE u.id = ?", micros(s.now()), id))
	if err != nil {
		return a, notFound(err, "err.user.not_found")
	}
	grants, err := s.accountGrants(ctx, "WHERE g.user_id = ?", id)
	a.Grants = grants[id]
	return a, err
}

// AccountByUsername finds one account by normalised login name.
func (s *Store) AccountByUsername(ctx context.Context, username string) (domain.Account, error) {
	var id int64
	err := s.queryRow(ctx, "SELECT id FROM users WHERE username = ?", username).Scan(&id)
	if err != nil {
		return domain.Account{}, notFound(err, "err.user.not_found")
	}
	return s.AccountByID(ctx, id)
}

// accountGrants returns grants by user with their scopes' names and paths.
func (s *Store) accountGrants(ctx context.Context, where string, args ...any) (map[int64][]domain.AccountGrant, error) {
	rows, err := s.query(ctx, `SELECT g.id, g.user_id, g.role, g.scope_id,
		COALESCE(o.name, t.name, si.name, ''), COALESCE(o.path, tor.path, sor.path, '')
		FROM grants g
		LEFT JOIN orgs o ON g.role = 'org_admin' AND o.id = g.scope_id
		LEFT JOIN teams t ON g.role = 'team_leader' AND t.id = g.scope_id
		LEFT JOIN orgs tor ON tor.id = t.org_id
		LEFT JOIN sites si ON g.role = 'site_contact' AND si.id = g.scope_id
		LEFT JOIN orgs sor ON sor.id = si.org_id `+where+` ORDER BY g.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("account grants: %w", err)
	}
	defer rows.Close()
	out := map[int64][]domain.AccountGrant{}
	for rows.Next() {
		var g domain.AccountGrant
		var role string
		if err := rows.Scan(&g.ID, &g.UserID, &role, &g.ScopeID, &g.ScopeName, &g.ScopePath); err != nil {
			return nil, err
		}
		g.Role = domain.Role(role)
		if g.Role == domain.RoleOrgAdmin {
			g.OrgPath = g.ScopePath
		}
		out[g.UserID] = append(out[g.UserID], g)
	}
	return out, rows.Err()
}

// PersonIDOfUser returns the id of the person linked to an account, or 0.
func (s *Store) PersonIDOfUser(ctx context.Context, userID int64) (int64, error) {
	var id int64
	err := s.queryRow(ctx, "SELECT id FROM people WHERE user_id = ?", userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// UsernameTaken reports whether a login name is in use.
func (tx *Tx) UsernameTaken(username string) (bool, error) {
	var n int
	err := tx.queryRow("SELECT COUNT(*) FROM users WHERE username = ?", username).Scan(&n)
	return n > 0, err
}

// ScopeChoice is one org, team or site a grant can be bound to, by name.
type ScopeChoice struct {
	Kind domain.ScopeKind
	ID   int64
	Name string
	Path string // the org path it lies in
}

// ScopeChoices lists the orgs, teams and sites within sc, by name, for the
// scope picker of the account forms.
func (s *Store) ScopeChoices(ctx context.Context, sc domain.Scope) ([]ScopeChoice, error) {
	var out []ScopeChoice
	for _, q := range []struct {
		kind domain.ScopeKind
		sql  string
	}{
		{domain.ScopeOrg, "SELECT x.id, x.name, o.path FROM orgs x JOIN orgs o ON o.id = x.id"},
		{domain.ScopeTeam, "SELECT x.id, x.name, o.path FROM teams x JOIN orgs o ON o.id = x.org_id"},
		{domain.ScopeSite, "SELECT x.id, x.name, o.path FROM sites x JOIN orgs o ON o.id = x.org_id"},
	} {
		cond, args := inScope("o.path", "", sc)
		rows, err := s.query(ctx, q.sql+" WHERE "+cond+" ORDER BY o.path, x.name, x.id", args...)
		if err != nil {
			return nil, fmt.Errorf("scope choices: %w", err)
		}
		for rows.Next() {
			c := ScopeChoice{Kind: q.kind}
			if err := rows.Scan(&c.ID, &c.Name, &c.Path); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ScopePath returns the org path a grant's scope lies in: "" for a role over
// the whole tree or oneself.
func (s *Store) ScopePath(ctx context.Context, kind domain.ScopeKind, id int64) (string, error) {
	q := map[domain.ScopeKind]string{
		domain.ScopeOrg:  "SELECT path FROM orgs WHERE id = ?",
		domain.ScopeTeam: "SELECT o.path FROM teams t JOIN orgs o ON o.id = t.org_id WHERE t.id = ?",
		domain.ScopeSite: "SELECT o.path FROM sites x JOIN orgs o ON o.id = x.org_id WHERE x.id = ?",
	}[kind]
	if q == "" {
		return "", nil
	}
	var path string
	err := s.queryRow(ctx, q, id).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.Invalid("scope_id", "err.scope.not_found")
	}
	return path, err
}

// LinkPersonUser links a person to an account, checking in the transaction
// that the person has no account and the account no person, and audits it.
// Either side taken is a conflict; a missing person or account is not found.
func (tx *Tx) LinkPersonUser(personID, userID int64) error {
	var current sql.NullInt64
	err := tx.queryRow("SELECT user_id FROM people WHERE id = ?", personID).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.CodeNotFound, "err.person.not_found")
	} else if err != nil {
		return fmt.Errorf("link person %d: %w", personID, err)
	}
	if current.Valid {
		return domain.Invalid("username", "err.link.person_taken")
	}
	var users, linked int
	if err := tx.queryRow("SELECT COUNT(*) FROM users WHERE id = ?", userID).Scan(&users); err != nil {
		return err
	}
	if users == 0 {
		return domain.Invalid("username", "err.user.not_found")
	}
	if err := tx.queryRow("SELECT COUNT(*) FROM people WHERE user_id = ?", userID).Scan(&linked); err != nil {
		return err
	}
	if linked > 0 {
		return domain.Invalid("username", "err.link.user_taken")
	}
	res, err := tx.exec("UPDATE people SET user_id = ?, updated_at = ? WHERE id = ? AND user_id IS NULL",
		userID, micros(tx.now), personID)
	if err != nil {
		return fmt.Errorf("link person %d to user %d: %w", personID, userID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Invalid("username", "err.link.person_taken")
	}
	return tx.Audit("person.link_user", "person", strconv.FormatInt(personID, 10), nil, map[string]any{"user_id": userID})
}

// UnlinkPersonUser removes the link between a person and their account and
// audits it with the account it had.
func (tx *Tx) UnlinkPersonUser(personID int64) error {
	var current sql.NullInt64
	err := tx.queryRow("SELECT user_id FROM people WHERE id = ?", personID).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.CodeNotFound, "err.person.not_found")
	} else if err != nil {
		return err
	}
	if !current.Valid {
		return domain.Errorf(domain.CodeConflict, "err.link.none")
	}
	if _, err := tx.exec("UPDATE people SET user_id = NULL, updated_at = ? WHERE id = ?", micros(tx.now), personID); err != nil {
		return err
	}
	return tx.Audit("person.unlink_user", "person", strconv.FormatInt(personID, 10),
		map[string]any{"user_id": current.Int64}, map[string]any{"user_id": nil})
}

// SetUserDisabled disables or re-enables an account and audits the change.
// Disabling ends every session of the account at once.
func (tx *Tx) SetUserDisabled(userID int64, disabled bool) error {
	var before bool
	err := tx.queryRow("SELECT disabled FROM users WHERE id = ?", userID).Scan(&before)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.CodeNotFound, "err.user.not_found")
	} else if err != nil {
		return err
	}
	if _, err := tx.exec("UPDATE users SET disabled = ? WHERE id = ?", disabled, userID); err != nil {
		return fmt.Errorf("disable user %d: %w", userID, err)
	}
	if disabled {
		if _, err := tx.exec("DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	return tx.Audit(action, "user", strconv.FormatInt(userID, 10),
		map[string]any{"disabled": before}, map[string]any{"disabled": disabled})
}

// UnlockLogin clears the failed sign-ins and the lock of a login name and
// audits it.
func (tx *Tx) UnlockLogin(userID int64, username string) error {
	var until int64
	if err := tx.queryRow("SELECT COALESCE(MAX(locked_until), 0) FROM login_locks WHERE username = ?", username).Scan(&until); err != nil {
		return err
	}
	if _, err := tx.exec("DELETE FROM login_locks WHERE username = ?", username); err != nil {
		return err
	}
	if _, err := tx.exec("DELETE FROM login_failures WHERE username = ?", username); err != nil {
		return err
	}
	return tx.Audit("user.unlock", "user", strconv.FormatInt(userID, 10),
		map[string]any{"username": username, "locked": until > micros(tx.now)}, map[string]any{"locked": false})
}

// ReplaceGrants makes role in scope the account's only grant and audits the
// change with the grants it had.
func (tx *Tx) ReplaceGrants(userID int64, role domain.Role, scopeID int64) error {
	if !role.Valid() {
		return domain.Invalid("role", "err.role.invalid")
	}
	rows, err := tx.query("SELECT role, scope_id FROM grants WHERE user_id = ? ORDER BY id", userID)
	if err != nil {
		return err
	}
	var before []map[string]any
	for rows.Next() {
		var r string
		var id int64
		if err := rows.Scan(&r, &id); err != nil {
			rows.Close()
			return err
		}
		before = append(before, map[string]any{"role": r, "scope_id": id})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.exec("DELETE FROM grants WHERE user_id = ?", userID); err != nil {
		return err
	}
	if _, err := tx.insert("INSERT INTO grants (user_id, role, scope_id, created_at) VALUES (?, ?, ?, ?)",
		userID, string(role), scopeID, micros(tx.now)); err != nil {
		return fmt.Errorf("grant %s to user %d: %w", role, userID, err)
	}
	return tx.Audit("user.role_change", "user", strconv.FormatInt(userID, 10),
		map[string]any{"grants": before}, map[string]any{"grants": []map[string]any{{"role": role, "scope_id": scopeID}}})
}

// KeepCommitteeAdmin fails with a conflict when the transaction would leave
// no active committee admin: nobody can disable or demote the last one.
func (tx *Tx) KeepCommitteeAdmin() error {
	if tx.s.Dialect == Postgres {
		if _, err := tx.exec("SELECT pg_advisory_xact_lock(727010)"); err != nil {
			return err
		}
	}
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM users u WHERE u.disabled = ?
		AND EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.role = 'committee_admin')`, false).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.CodeConflict, "err.user.last_committee_admin")
	}
	return nil
}
