// Package store is the only package that speaks SQL. One store serves two
// dialects: SQLite (embedded, the default, a file under ./data) and
// PostgreSQL (a postgres:// DSN, for several instances on one database).
//
// Reads go through methods on Store. Writes go through Write, which runs a
// function in a transaction and refuses to commit unless that function
// recorded at least one audit entry: every write passes through this one
// place, so none escapes the audit log.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"vanguard/domain"
)

// Dialect is the SQL dialect a store speaks.
type Dialect string

// The dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is a handle on the database.
type Store struct {
	Dialect Dialect
	w       *sql.DB // writes; on SQLite one connection with BEGIN IMMEDIATE
	r       *sql.DB // reads; on PostgreSQL the same pool as w
	lock    *os.File
	path    string

	rebound sync.Map // query → query with $n placeholders (PostgreSQL)
	now     func() time.Time

	auditKey []byte      // keys the audit chain's HMACs (auditchain.go)
	written  writtenHead // the newest chain head this store committed
	stats    statsCache  // figures gathered, until the records change
	memo     memo        // other figures (Remember), likewise
	unsealed bool        // tests of old migrations: audit rows as before the chain
	// legacyAudit is the last audit row id written before the chain, when
	// this process applied migration 017 over a log that had rows: those
	// rows, and only then, SealAuditLog seals (once). Zero otherwise.
	legacyAudit atomic.Int64

	jobc jobClient // inserts and inspects jobs (jobs.go)
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn (a SQLite file path or a
// postgres:// DSN). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{now: func() time.Time { return time.Now().UTC() }}
	var err error
	if IsPostgres(dsn) {
		err = s.openPostgres(ctx, dsn)
	} else {
		err = s.openSQLite(ctx, dsn)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) openPostgres(ctx context.Context, dsn string) error {
	s.Dialect = Postgres
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	// PostgreSQL's JIT compiler judges the statistics' scans of a year
	// expensive enough to compile, and compiling took longer than running:
	// on the generated province one scan of the year's activities took
	// 3.8 s with JIT (1.1 s of it compiling) and 0.96 s without. A DSN that
	// sets jit itself keeps its choice.
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.w, s.r = db, db
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("connect to postgres: %w", err)
	}
	return nil
}

// ErrLocked is returned when another process holds the SQLite database.
var ErrLocked = errors.New("another vanguard instance is already using this SQLite database; " +
	"SQLite allows one instance only — run several instances on PostgreSQL")

func (s *Store) openSQLite(ctx context.Context, path string) error {
	s.Dialect = SQLite
	s.path = path
	if dir := filepath.Dir(path); dir != "" {
		// The folder holds the database, the keys and the photos: the
		// owner's only.
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create data folder: %w", err)
		}
	}
	// The lock is on the database file itself (created 0600 when missing;
	// SQLite gives -wal and -shm the database file's mode), so any path
	// reaching it — a symlink, a hard link — finds it taken.
	lock, err := lockFile(path)
	if err != nil {
		return err
	}
	s.lock = lock

	// Chosen on purpose: WAL lets readers run beside the writer; FULL syncs
	// the WAL at every commit so an acknowledged write survives power loss;
	// foreign keys are off by default in SQLite; busy_timeout waits instead
	// of failing while the writer holds the lock; and BEGIN IMMEDIATE takes
	// the write lock up front, so a read-then-write transaction never fails
	// with SQLITE_BUSY half way (see FINDINGS.md).
	base := "file:" + (&url.URL{Path: path}).EscapedPath()
	pragmas := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)"
	w, err := sql.Open("sqlite", base+"?"+pragmas+"&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1) // one writer
	w.SetConnMaxIdleTime(0)
	s.w = w
	if err := w.PingContext(ctx); err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", base+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		return fmt.Errorf("open sqlite reader: %w", err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	return nil
}

// Close closes the database and releases the SQLite instance lock.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil && s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		if s.Dialect == SQLite {
			// Fold the WAL back into the main file so a copy of it is whole.
			s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		}
		errs = append(errs, s.w.Close())
	}
	if s.lock != nil {
		errs = append(errs, unlockFile(s.lock))
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Stats reports the connection pools' statistics, for /metrics.
func (s *Store) Stats() (writer, reader sql.DBStats) {
	return s.w.Stats(), s.r.Stats()
}

// q rewrites ? placeholders as $1, $2 … for PostgreSQL. Queries are written
// once, with ?, for both dialects.
func (s *Store) q(query string) string {
	if s.Dialect != Postgres {
		return query
	}
	if v, ok := s.rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n, inQuote := 0, false
	for _, c := range query {
		switch {
		case c == '\'':
			inQuote = !inQuote
		case c == '?' && !inQuote:
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	out := b.String()
	s.rebound.Store(query, out)
	return out
}

// Now is the store's clock, in UTC.
func (s *Store) Now() time.Time { return s.now() }

// SetClock replaces the store's clock; tests use it to move time forward.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// micros and fromMicros convert instants to the portable column type: every
// instant is stored as microseconds since the Unix epoch, UTC, in a BIGINT,
// so that both dialects compare and sort them the same way.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.r.QueryRowContext(ctx, s.q(query), args...)
}

func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.r.QueryContext(ctx, s.q(query), args...)
}

// notFound maps sql.ErrNoRows to a domain not-found error.
func notFound(err error, key string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.CodeNotFound, key)
	}
	return err
}
