package store

import (
	"context"
	"strconv"
	"time"

	"vanguard/domain"
)

// Session is a signed-in browser. SecretHash is the SHA-256 of the cookie's
// secret, hex-encoded.
type Session struct {
	ID         string
	SecretHash string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
}

// CreateSession stores a new session and audits the login it stands for.
// The failed sign-ins before it stay counted until they age out (see
// logins.go): a success from one address must not reopen guessing from
// another in the middle of it.
func (tx *Tx) CreateSession(se Session) error {
	_, err := tx.exec(`INSERT INTO sessions (id, secret_hash, user_id, created_at, last_seen_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, se.ID, se.SecretHash, se.UserID, micros(tx.now), micros(tx.now), se.IP, se.UserAgent)
	if err != nil {
		return err
	}
	if _, err := tx.exec("UPDATE users SET last_login_at = ? WHERE id = ?", micros(tx.now), se.UserID); err != nil {
		return err
	}
	return tx.Audit("user.login", "user", strconv.FormatInt(se.UserID, 10), nil, nil)
}

// DeleteSession ends a session. It is audited as a logout when audit is true,
// and otherwise is housekeeping (an expired or replaced session).
func (tx *Tx) DeleteSession(id string, audit bool) error {
	if _, err := tx.exec("DELETE FROM sessions WHERE id = ?", id); err != nil {
		return err
	}
	if !audit {
		return nil
	}
	return tx.Audit("user.logout", "user", strconv.FormatInt(tx.actor.UserID, 10), nil, nil)
}

// DeleteOwnSession ends session id only when secretHash is the hash of its
// secret, so a browser can end its own session and never another's by
// sending that session's id with a made-up secret. It is housekeeping.
func (tx *Tx) DeleteOwnSession(id, secretHash string) error {
	_, err := tx.exec("DELETE FROM sessions WHERE id = ? AND secret_hash = ?", id, secretHash)
	return err
}

// SessionByID finds a session.
func (s *Store) SessionByID(ctx context.Context, id string) (Session, error) {
	var se Session
	var created, seen int64
	err := s.queryRow(ctx, `SELECT id, secret_hash, user_id, created_at, last_seen_at, ip, user_agent
		FROM sessions WHERE id = ?`, id).Scan(&se.ID, &se.SecretHash, &se.UserID, &created, &seen, &se.IP, &se.UserAgent)
	se.CreatedAt, se.LastSeenAt = fromMicros(created), fromMicros(seen)
	return se, notFound(err, "err.session.not_found")
}

// TouchSession records that a session was used now.
func (tx *Tx) TouchSession(id string) error {
	_, err := tx.exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", micros(tx.now), id)
	return err
}

// DeleteExpiredSessions removes sessions idle or older than the limits.
func (tx *Tx) DeleteExpiredSessions() (int64, error) {
	res, err := tx.exec("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?",
		micros(tx.now.Add(-domain.SessionIdle)), micros(tx.now.Add(-domain.SessionAbsolute)))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DeleteOldLoginFailures drops failures and locks too old to matter.
func (tx *Tx) DeleteOldLoginFailures() error {
	if _, err := tx.exec("DELETE FROM login_failures WHERE at < ?", micros(tx.now.Add(-max(domain.LoginWindow, domain.LoginAccountWindow)))); err != nil {
		return err
	}
	_, err := tx.exec("DELETE FROM login_locks WHERE locked_until < ?", micros(tx.now))
	return err
}

// LoginLockedUntil returns when the last lock on a login name ends, from any
// address, or the zero time when it is not locked anywhere.
func (s *Store) LoginLockedUntil(ctx context.Context, username string) (time.Time, error) {
	var until int64
	err := s.queryRow(ctx, "SELECT COALESCE(MAX(locked_until), 0) FROM login_locks WHERE username = ?", username).Scan(&until)
	if err != nil || until <= micros(s.now()) {
		return time.Time{}, err
	}
	return fromMicros(until), nil
}
