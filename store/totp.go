package store

// Two-factor sign-in (TOTP): a user's sealed secret, their recovery codes
// and the login challenges between a right password and a right code.
//
// Every "use once" here is one conditional statement inside the write
// transaction, never a read followed by a write: a code's step is taken by
// UPDATE … WHERE last_step < step, a recovery code by UPDATE … WHERE
// used_at = 0, and a challenge's attempt by UPDATE … WHERE attempts < max.
// Two requests racing with the same code or the last attempt cannot both
// win, on SQLite (one writer) or PostgreSQL (the row lock re-checks WHERE).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"vanguard/domain"
)

// TOTPRecord is a user's two-factor secret, sealed, and its state.
type TOTPRecord struct {
	UserID   int64
	Sealed   string // the secret sealed with the platform key
	Enabled  bool   // false while enrolment waits for its first code
	LastStep int64  // the last time step whose code was accepted
}

// TOTPByUser returns a user's two-factor record; not found when they have
// none, not even a pending one.
func (s *Store) TOTPByUser(ctx context.Context, userID int64) (TOTPRecord, error) {
	r := TOTPRecord{UserID: userID}
	err := s.queryRow(ctx, "SELECT secret, enabled, last_step FROM totp_secrets WHERE user_id = ?", userID).
		Scan(&r.Sealed, &r.Enabled, &r.LastStep)
	return r, notFound(err, "err.totp.not_on")
}

// TOTPEnabled reports whether a user signs in with a second factor.
func (s *Store) TOTPEnabled(ctx context.Context, userID int64) (bool, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM totp_secrets WHERE user_id = ? AND enabled = ?", userID, true).Scan(&n)
	return n > 0, err
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM totp_recovery_codes WHERE user_id = ? AND used_at = 0", userID).Scan(&n)
	return n, err
}

// TOTPByUser is TOTPByUser inside a write transaction.
func (tx *Tx) TOTPByUser(userID int64) (TOTPRecord, error) {
	r := TOTPRecord{UserID: userID}
	err := tx.queryRow("SELECT secret, enabled, last_step FROM totp_secrets WHERE user_id = ?", userID).
		Scan(&r.Sealed, &r.Enabled, &r.LastStep)
	return r, notFound(err, "err.totp.not_on")
}

// BeginTOTP stores a new pending secret for a user, replacing a pending one.
// A user whose two-factor is already on gets a conflict. The audit row says
// that enrolment began and never carries the secret.
func (tx *Tx) BeginTOTP(userID int64, sealed string) error {
	var on int
	if err := tx.queryRow("SELECT COUNT(*) FROM totp_secrets WHERE user_id = ? AND enabled = ?", userID, true).Scan(&on); err != nil {
		return err
	}
	if on > 0 {
		return domain.Errorf(domain.CodeConflict, "err.totp.already_on")
	}
	if _, err := tx.exec("DELETE FROM totp_secrets WHERE user_id = ?", userID); err != nil {
		return err
	}
	if _, err := tx.exec("INSERT INTO totp_secrets (user_id, secret, created_at) VALUES (?, ?, ?)",
		userID, sealed, micros(tx.now)); err != nil {
		return fmt.Errorf("begin totp for user %d: %w", userID, err)
	}
	return tx.Audit("user.totp_begin", "user", strconv.FormatInt(userID, 10), nil, map[string]any{"enabled": false})
}

// EnableTOTP turns a pending secret on, with step as its first used step,
// and stores the hashes of its recovery codes in place of any old ones.
func (tx *Tx) EnableTOTP(userID, step int64, codeHashes []string) error {
	res, err := tx.exec(`UPDATE totp_secrets SET enabled = ?, last_step = ?, enabled_at = ?
		WHERE user_id = ? AND enabled = ? AND last_step < ?`, true, step, micros(tx.now), userID, false, step)
	if err != nil {
		return fmt.Errorf("enable totp for user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.CodeConflict, "err.totp.not_pending")
	}
	if _, err := tx.exec("DELETE FROM totp_recovery_codes WHERE user_id = ?", userID); err != nil {
		return err
	}
	for _, h := range codeHashes {
		if _, err := tx.exec("INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (?, ?)", userID, h); err != nil {
			return fmt.Errorf("recovery code for user %d: %w", userID, err)
		}
	}
	return tx.Audit("user.totp_enable", "user", strconv.FormatInt(userID, 10),
		map[string]any{"enabled": false}, map[string]any{"enabled": true, "recovery_codes": len(codeHashes)})
}

// UseTOTPStep takes a time step for a user whose two-factor is on. It
// reports false when that step, or a later one, was already used: a code is
// good once.
func (tx *Tx) UseTOTPStep(userID, step int64) (bool, error) {
	res, err := tx.exec("UPDATE totp_secrets SET last_step = ? WHERE user_id = ? AND enabled = ? AND last_step < ?",
		step, userID, true, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRecoveryCode spends one unused recovery code of a user, found by its
// hash. It reports false when there is no such unused code.
func (tx *Tx) UseRecoveryCode(userID int64, codeHash string) (bool, error) {
	res, err := tx.exec("UPDATE totp_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at = 0",
		micros(tx.now), userID, codeHash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ResetTOTP removes a user's two-factor secret, recovery codes, pending
// logins and sessions, so they sign in with their password alone and enrol
// again, and audits it.
func (tx *Tx) ResetTOTP(userID int64) error {
	var enabled bool
	err := tx.queryRow("SELECT enabled FROM totp_secrets WHERE user_id = ?", userID).Scan(&enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.CodeConflict, "err.totp.not_on")
	} else if err != nil {
		return err
	}
	for _, q := range []string{
		"DELETE FROM totp_secrets WHERE user_id = ?",
		"DELETE FROM totp_recovery_codes WHERE user_id = ?",
		"DELETE FROM login_challenges WHERE user_id = ?",
		"DELETE FROM sessions WHERE user_id = ?",
	} {
		if _, err := tx.exec(q, userID); err != nil {
			return fmt.Errorf("reset totp of user %d: %w", userID, err)
		}
	}
	return tx.Audit("user.totp_reset", "user", strconv.FormatInt(userID, 10),
		map[string]any{"enabled": enabled}, map[string]any{"enabled": false})
}

// LoginChallenge is a sign-in waiting for its second factor.
type LoginChallenge struct {
	ID         string
	SecretHash string
	UserID     int64
	CreatedAt  time.Time
	Attempts   int
	IP         string
	UserAgent  string
}

// CreateLoginChallenge stores a pending sign-in and audits that the password
// was right and a code is now asked for.
func (tx *Tx) CreateLoginChallenge(c LoginChallenge) error {
	_, err := tx.exec(`INSERT INTO login_challenges (id, secret_hash, user_id, created_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?)`, c.ID, c.SecretHash, c.UserID, micros(tx.now), c.IP, c.UserAgent)
	if err != nil {
		return fmt.Errorf("login challenge for user %d: %w", c.UserID, err)
	}
	return tx.Audit("user.login_challenge", "user", strconv.FormatInt(c.UserID, 10), nil, nil)
}

// LoginChallengeByID finds a pending sign-in.
func (s *Store) LoginChallengeByID(ctx context.Context, id string) (LoginChallenge, error) {
	var c LoginChallenge
	var created int64
	err := s.queryRow(ctx, `SELECT id, secret_hash, user_id, created_at, attempts, ip, user_agent
		FROM login_challenges WHERE id = ?`, id).
		Scan(&c.ID, &c.SecretHash, &c.UserID, &created, &c.Attempts, &c.IP, &c.UserAgent)
	c.CreatedAt = fromMicros(created)
	return c, notFound(err, "err.totp.challenge_gone")
}

// CountChallengeAttempt spends one attempt of a pending sign-in created
// after notBefore. It reports the attempts spent, or 0 when the challenge
// is gone, expired or has no attempt left.
func (tx *Tx) CountChallengeAttempt(id string, max int, notBefore time.Time) (int, error) {
	res, err := tx.exec("UPDATE login_challenges SET attempts = attempts + 1 WHERE id = ? AND attempts < ? AND created_at > ?",
		id, max, micros(notBefore))
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, nil
	}
	var attempts int
	err = tx.queryRow("SELECT attempts FROM login_challenges WHERE id = ?", id).Scan(&attempts)
	return attempts, err
}

// DeleteLoginChallenge ends a pending sign-in: used, or out of attempts.
func (tx *Tx) DeleteLoginChallenge(id string) error {
	_, err := tx.exec("DELETE FROM login_challenges WHERE id = ?", id)
	return err
}

// DeleteExpiredLoginChallenges removes pending sign-ins created before
// notBefore.
func (tx *Tx) DeleteExpiredLoginChallenges(notBefore time.Time) error {
	_, err := tx.exec("DELETE FROM login_challenges WHERE created_at < ?", micros(notBefore))
	return err
}

// SessionOwned reports whether a session with this id and secret hash
// exists: a login ends the browser's old session only when it owns it.
func (tx *Tx) SessionOwned(id, secretHash string) (bool, error) {
	var n int
	err := tx.queryRow("SELECT COUNT(*) FROM sessions WHERE id = ? AND secret_hash = ?", id, secretHash).Scan(&n)
	return n > 0, err
}
