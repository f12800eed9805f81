package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// What `vanguard backup`, `restore` and `verify` need from the database. A
// backup must be consistent while the server runs: on SQLite it is a
// VACUUM INTO from a read transaction on the live file, taken without the
// instance lock (that lock is a flock, which SQLite's own locks ignore); on
// PostgreSQL pg_dump runs on a snapshot exported from a transaction that
// counts the rows, so the dump and its counts agree.

// VacuumInto writes a consistent copy of the SQLite database at path to
// out, which must not exist, while other processes may be writing it.
func VacuumInto(ctx context.Context, path, out string) error {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", out); err != nil {
		return fmt.Errorf("copy %s: %w", path, err)
	}
	return nil
}

// tables lists the tables of the database (of the current schema on
// PostgreSQL), sorted.
func tables(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, d Dialect) ([]string, error) {
	query := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if d == Postgres {
		query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	sort.Strings(names)
	return names, rows.Err()
}

// countRows counts every table's rows in one transaction. Table names come
// from the catalogue, never from input, and are quoted as identifiers.
func countRows(ctx context.Context, tx *sql.Tx, d Dialect) (map[string]int64, error) {
	names, err := tables(ctx, tx, d)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	counts := make(map[string]int64, len(names))
	for _, n := range names {
		var c int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+strings.ReplaceAll(n, `"`, `""`)+`"`).Scan(&c); err != nil {
			return nil, fmt.Errorf("count %s: %w", n, err)
		}
		counts[n] = c
	}
	return counts, nil
}

// TableCounts returns the row count of every table, all read in one
// transaction.
func (s *Store) TableCounts(ctx context.Context) (map[string]int64, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: s.snapshotIsolation()})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return countRows(ctx, tx, s.Dialect)
}

func (s *Store) snapshotIsolation() sql.IsolationLevel {
	if s.Dialect == Postgres {
		return sql.LevelRepeatableRead
	}
	return sql.LevelDefault
}

// ExportSnapshot opens a PostgreSQL transaction, counts every table's rows
// in it, exports its snapshot and calls fn with the snapshot's name (for
// pg_dump --snapshot) and the counts; the snapshot lives until fn returns.
func (s *Store) ExportSnapshot(ctx context.Context, fn func(snapshot string, counts map[string]int64) error) error {
	if s.Dialect != Postgres {
		return fmt.Errorf("export snapshot: not a PostgreSQL database")
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var snapshot string
	if err := tx.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&snapshot); err != nil {
		return fmt.Errorf("export snapshot: %w", err)
	}
	counts, err := countRows(ctx, tx, s.Dialect)
	if err != nil {
		return err
	}
	return fn(snapshot, counts)
}

// CurrentSchema is the PostgreSQL schema the store works in.
func (s *Store) CurrentSchema(ctx context.Context) (string, error) {
	var name string
	err := s.r.QueryRowContext(ctx, "SELECT current_schema()").Scan(&name)
	return name, err
}

// IsEmpty reports whether the database holds no table at all (on
// PostgreSQL: in no schema but the system's), so a restore may fill it.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	query := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
	if s.Dialect == Postgres {
		query = "SELECT COUNT(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
	}
	var n int
	err := s.r.QueryRowContext(ctx, query).Scan(&n)
	return n == 0, err
}

// IntegrityCheck runs SQLite's PRAGMA integrity_check and returns its
// findings as an error; PostgreSQL keeps its own integrity and passes.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if s.Dialect != SQLite {
		return nil
	}
	rows, err := s.r.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}

// PhotoNames returns the stored file names of every photo the database
// refers to.
func (s *Store) PhotoNames(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, "SELECT stored_name FROM activity_photos ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
