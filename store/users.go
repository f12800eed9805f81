package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"vanguard/domain"
)

// UserRecord is a user with the password hash, which only the account
// service reads.
type UserRecord struct {
	domain.User
	PasswordHash string
}

const userColumns = `id, username, display_name, password_hash, must_change_password, disabled, created_at`

func scanUser(row interface{ Scan(...any) error }) (UserRecord, error) {
	var u UserRecord
	var created int64
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.PasswordHash, &u.MustChangePassword, &u.Disabled, &created)
	u.CreatedAt = fromMicros(created)
	return u, err
}

// UserByUsername finds a user by normalised login name.
func (s *Store) UserByUsername(ctx context.Context, username string) (UserRecord, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE username = ?", username))
	return u, notFound(err, "err.user.not_found")
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id int64) (UserRecord, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	return u, notFound(err, "err.user.not_found")
}

// CountUsers counts accounts; an empty database has none.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// ListUsers lists accounts by login name with their grants.
func (s *Store) ListUsers(ctx context.Context) ([]domain.User, map[int64][]domain.Grant, error) {
	rows, err := s.query(ctx, "SELECT "+userColumns+" FROM users ORDER BY username")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var users []domain.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, nil, err
		}
		users = append(users, u.User)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	grants, err := s.grants(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	byUser := map[int64][]domain.Grant{}
	for _, g := range grants {
		byUser[g.UserID] = append(byUser[g.UserID], g)
	}
	return users, byUser, nil
}

// Grants returns a user's role grants, with the org path of org scopes.
func (s *Store) Grants(ctx context.Context, userID int64) ([]domain.Grant, error) {
	return s.grants(ctx, "WHERE g.user_id = ?", userID)
}

func (s *Store) grants(ctx context.Context, where string, args ...any) ([]domain.Grant, error) {
	rows, err := s.query(ctx, `SELECT g.id, g.user_id, g.role, g.scope_id, COALESCE(o.path, '')
		FROM grants g LEFT JOIN orgs o ON g.role = 'org_admin' AND o.id = g.scope_id `+where+`
		ORDER BY g.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("grants: %w", err)
	}
	defer rows.Close()
	var out []domain.Grant
	for rows.Next() {
		var g domain.Grant
		var role string
		if err := rows.Scan(&g.ID, &g.UserID, &role, &g.ScopeID, &g.OrgPath); err != nil {
			return nil, err
		}
		g.Role = domain.Role(role)
		out = append(out, g)
	}
	return out, rows.Err()
}

// NewUser is what CreateUser stores.
type NewUser struct {
	Username           string
	DisplayName        string
	PasswordHash       string
	MustChangePassword bool
}

// CreateUser inserts an account and audits it. A taken login name is a
// conflict.
func (tx *Tx) CreateUser(u NewUser) (int64, error) {
	var n int
	if err := tx.queryRow("SELECT COUNT(*) FROM users WHERE username = ?", u.Username).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, domain.Invalid("username", "err.username.taken")
	}
	now := micros(tx.now)
	id, err := tx.insert(`INSERT INTO users (username, display_name, password_hash, must_change_password,
		disabled, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.Username, u.DisplayName, u.PasswordHash, u.MustChangePassword, false, now, now)
	if err != nil {
		return 0, fmt.Errorf("create user %s: %w", u.Username, err)
	}
	return id, tx.Audit("user.create", "user", strconv.FormatInt(id, 10), nil, map[string]any{
		"username": u.Username, "display_name": u.DisplayName, "must_change_password": u.MustChangePassword,
	})
}

// Grant gives a user a role in a scope and audits it.
func (tx *Tx) Grant(userID int64, role domain.Role, scopeID int64) error {
	if !role.Valid() {
		return domain.Invalid("role", "err.role.invalid")
	}
	_, err := tx.insert("INSERT INTO grants (user_id, role, scope_id, created_at) VALUES (?, ?, ?, ?)",
		userID, string(role), scopeID, micros(tx.now))
	if err != nil {
		return fmt.Errorf("grant %s to user %d: %w", role, userID, err)
	}
	return tx.Audit("user.grant", "user", strconv.FormatInt(userID, 10), nil,
		map[string]any{"role": role, "scope_id": scopeID})
}

// SetPassword replaces a user's password hash, clears the forced change when
// asked to, ends every other session of the user (and, on a reset that forces
// a change, revokes its API tokens) and audits the change.
func (tx *Tx) SetPassword(userID int64, hash string, mustChange bool, keepSession string) error {
	res, err := tx.exec(`UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?
		WHERE id = ?`, hash, mustChange, micros(tx.now), userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeNotFound, "err.user.not_found")
	}
	if _, err := tx.exec("DELETE FROM sessions WHERE user_id = ? AND id <> ?", userID, keepSession); err != nil {
		return err
	}
	// A reset by an admin (the account may be in the wrong hands) also
	// revokes the account's API tokens.
	if mustChange {
		if _, err := tx.exec("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0", micros(tx.now), userID); err != nil {
			return err
		}
	}
	return tx.Audit("user.password_change", "user", strconv.FormatInt(userID, 10), nil,
		map[string]any{"must_change_password": mustChange})
}

// Setting reads a setting; ok is false when it is not set.
func (s *Store) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = s.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return value, err == nil, err
}

// SetSetting writes a setting and audits it.
func (tx *Tx) SetSetting(key, value string) error {
	if _, err := tx.exec("DELETE FROM settings WHERE key = ?", key); err != nil {
		return err
	}
	if _, err := tx.exec("INSERT INTO settings (key, value) VALUES (?, ?)", key, value); err != nil {
		return err
	}
	return tx.Audit("setting.set", "setting", key, nil, map[string]any{"value": value})
}
