package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Idempotency of the public forms: a token issued with a form is claimed in
// the same transaction as the write it guards, and that transaction records
// the write's result under it. The claim is one conditional insert (ON
// CONFLICT DO NOTHING), never "look, then insert": on PostgreSQL a second
// transaction claiming the same token waits for the first to commit and
// then finds its result; on SQLite the writer is single. So one token makes
// at most one write, whatever runs concurrently.

// IdempotencyTTL is how long a token's result is kept.
const IdempotencyTTL = 24 * time.Hour

// IdempotentResult returns the result recorded for a token of kind, and
// false when none was recorded.
func (s *Store) IdempotentResult(ctx context.Context, kind, token string) (string, bool, error) {
	var result string
	err := s.r.QueryRowContext(ctx, s.q("SELECT result FROM idempotency_tokens WHERE kind = ? AND token = ? AND result <> ''"),
		kind, token).Scan(&result)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return result, err == nil, err
}

// ClaimToken claims a token of kind for this transaction. It returns
// claimed true when the token is new, the caller then writes and calls
// SetTokenResult; or claimed false with the result an earlier, committed
// transaction recorded, which the caller answers without writing.
func (tx *Tx) ClaimToken(kind, token string) (claimed bool, result string, err error) {
	res, err := tx.exec(`INSERT INTO idempotency_tokens (kind, token, result, created_at) VALUES (?, ?, '', ?)
		ON CONFLICT (kind, token) DO NOTHING`, kind, token, micros(tx.now))
	if err != nil {
		return false, "", err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err == nil, "", err
	}
	err = tx.queryRow("SELECT result FROM idempotency_tokens WHERE kind = ? AND token = ?", kind, token).Scan(&result)
	return false, result, err
}

// SetTokenResult records the result of the write a claimed token guards.
func (tx *Tx) SetTokenResult(kind, token, result string) error {
	_, err := tx.exec("UPDATE idempotency_tokens SET result = ? WHERE kind = ? AND token = ?", result, kind, token)
	return err
}

// DeleteOldTokens drops tokens older than IdempotencyTTL.
func (tx *Tx) DeleteOldTokens() error {
	_, err := tx.exec("DELETE FROM idempotency_tokens WHERE created_at < ?", micros(tx.now.Add(-IdempotencyTTL)))
	return err
}
