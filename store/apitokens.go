package store

import (
	"context"
	"strconv"
	"time"

	"vanguard/domain"
)

// Personal API tokens. A token is looked up by the SHA-256 of its secret,
// which is unique: the secret has at least 160 random bits, so the hash
// names one token and comparing it leaks nothing a guesser could use.

const apiTokenColumns = "id, user_id, name, hint, created_at, expires_at, last_used_at, revoked_at"

func scanAPIToken(sc interface{ Scan(...any) error }) (domain.APIToken, error) {
	var t domain.APIToken
	var created, expires, used, revoked int64
	err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Hint, &created, &expires, &used, &revoked)
	t.CreatedAt, t.ExpiresAt = fromMicros(created), fromMicros(expires)
	t.LastUsedAt, t.RevokedAt = fromMicros(used), fromMicros(revoked)
	return t, err
}

// CreateAPIToken stores a new token of t.UserID under secretHash and audits
// it. It refuses a user who already holds domain.APITokenMax tokens in
// force; the count is a soft limit on clutter, not a capacity to hold
// exactly, so counting first is enough here.
func (tx *Tx) CreateAPIToken(t domain.APIToken, secretHash string) (int64, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND revoked_at = 0
		AND (expires_at = 0 OR expires_at > ?)`, t.UserID, micros(tx.now)).Scan(&n)
	if err != nil {
		return 0, err
	}
	if n >= domain.APITokenMax {
		return 0, domain.Errorf(domain.CodeConflict, "api.token.too_many", domain.APITokenMax)
	}
	id, err := tx.insert(`INSERT INTO api_tokens (user_id, name, hint, secret_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, t.UserID, t.Name, t.Hint, secretHash, micros(tx.now), micros(t.ExpiresAt))
	if err != nil {
		return 0, err
	}
	after := map[string]any{"user_id": t.UserID, "name": t.Name, "hint": t.Hint}
	if !t.ExpiresAt.IsZero() {
		after["expires_at"] = t.ExpiresAt.Format(time.RFC3339)
	}
	return id, tx.Audit("api_token.create", "api_token", strconv.FormatInt(id, 10), nil, after)
}

// RevokeAPIToken revokes token id of userID, so that a user can revoke only
// their own. A token already revoked, or another user's, is not found.
func (tx *Tx) RevokeAPIToken(userID, id int64) error {
	res, err := tx.exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at = 0",
		micros(tx.now), id, userID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return domain.Errorf(domain.CodeNotFound, "api.token.not_found")
	}
	return tx.Audit("api_token.revoke", "api_token", strconv.FormatInt(id, 10),
		map[string]any{"user_id": userID}, map[string]any{"revoked": true})
}

// APITokenByHash finds the token whose secret hashes to secretHash.
func (s *Store) APITokenByHash(ctx context.Context, secretHash string) (domain.APIToken, error) {
	t, err := scanAPIToken(s.queryRow(ctx, "SELECT "+apiTokenColumns+" FROM api_tokens WHERE secret_hash = ?", secretHash))
	return t, notFound(err, "api.token.not_found")
}

// APITokens lists a user's tokens, newest first, revoked ones included.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]domain.APIToken, error) {
	rows, err := s.query(ctx, "SELECT "+apiTokenColumns+" FROM api_tokens WHERE user_id = ? ORDER BY id DESC", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TouchAPIToken records that a token was used now. Housekeeping: the
// service calls it at most once per domain.APITokenTouch per token, and
// the condition keeps two instances from both writing in one minute.
func (tx *Tx) TouchAPIToken(id int64) error {
	_, err := tx.exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND last_used_at < ?",
		micros(tx.now), id, micros(tx.now.Add(-domain.APITokenTouch)))
	return err
}
