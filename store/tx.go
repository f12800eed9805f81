package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"vanguard/domain"
)

// Tx is a write transaction. Its Audit method is how a write says what it did.
type Tx struct {
	s       *Store
	tx      *sql.Tx
	ctx     context.Context
	actor   domain.Actor
	now     time.Time
	audited int
	pending []auditRecord // audit rows, inserted and chained just before COMMIT
	head    AuditHead     // the chain's head after this transaction's rows
}

// ErrUnaudited is returned, and the transaction rolled back, when a write
// recorded no audit entry.
var ErrUnaudited = errors.New("store: write transaction recorded no audit entry")

// Write runs fn in a transaction on behalf of actor and commits it only when
// fn returns nil and recorded at least one audit entry. On SQLite the
// transaction begins IMMEDIATE, so reads inside it see the data they then
// write.
func (s *Store) Write(ctx context.Context, actor domain.Actor, fn func(*Tx) error) error {
	return s.write(ctx, actor, true, fn)
}

// Housekeep runs fn in a transaction that need not be audited. It is for the
// program's own bookkeeping — a session's last-seen time, expired rows — and
// never for a change a user asked for.
func (s *Store) Housekeep(ctx context.Context, fn func(*Tx) error) error {
	return s.write(ctx, domain.SystemActor, false, fn)
}

func (s *Store) write(ctx context.Context, actor domain.Actor, audited bool, fn func(*Tx) error) error {
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{s: s, tx: sqlTx, ctx: ctx, actor: actor, now: s.now()}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if audited && tx.audited == 0 {
		sqlTx.Rollback()
		return ErrUnaudited
	}
	// The chain lock is the last lock a transaction takes, held only for
	// the audit insert and the commit.
	if err := tx.flushAudit(); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.written.note(tx.head)
	return nil
}

// Now is the transaction's time, the same for every row it writes.
func (tx *Tx) Now() time.Time { return tx.now }

// Actor is who the transaction writes for.
func (tx *Tx) Actor() domain.Actor { return tx.actor }

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(tx.ctx, tx.s.q(query), args...)
}

func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(tx.ctx, tx.s.q(query), args...)
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(tx.ctx, tx.s.q(query), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(query string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Audit records one entry of what this transaction did: action ("user.create"),
// the object, and summaries of it before and after. Summaries pass through
// domain.SanitizeSummary, so secrets and full personal numbers never reach the
// log. The row is inserted, chained to the one before it, when the
// transaction commits; until then it is not in audit_log.
func (tx *Tx) Audit(action, objectType, objectID string, before, after map[string]any) error {
	r, err := tx.auditRow(action, objectType, objectID, before, after)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return tx.auditMany([]auditRecord{r})
}

func summary(m map[string]any) (string, error) {
	if len(m) == 0 {
		return "", nil
	}
	b, err := json.Marshal(domain.SanitizeSummary(m))
	if err != nil {
		return "", fmt.Errorf("audit summary: %w", err)
	}
	return string(b), nil
}
