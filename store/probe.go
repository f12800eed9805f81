package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrReadOnly is returned by WriteProbe when the database answers but
// refuses writes.
var ErrReadOnly = errors.New("database is read-only")

// WriteProbe proves that the database takes writes, for /readyz: a read
// alone (Ping) succeeds on a SQLite file that cannot be written and on a
// read-only PostgreSQL, where every write then fails. It writes a row in a
// transaction and rolls it back, so nothing is kept; on SQLite it takes the
// write lock like any write, and waits its turn behind them.
func (s *Store) WriteProbe(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return probeError(err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, s.q("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"),
		"write_probe", "")
	return probeError(err)
}

// probeError tells a read-only database from other failures: SQLite's
// SQLITE_READONLY ("attempt to write a readonly database") and PostgreSQL's
// SQLSTATE 25006 (read_only_sql_transaction).
func probeError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if strings.Contains(msg, "readonly database") || strings.Contains(msg, "SQLITE_READONLY") ||
		strings.Contains(msg, "25006") || strings.Contains(msg, "read-only transaction") {
		return fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	return fmt.Errorf("write probe: %w", err)
}
