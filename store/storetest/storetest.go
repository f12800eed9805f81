// Package storetest gives each test a fresh, migrated database: a SQLite file
// in the test's temporary folder, and — when VANGUARD_TEST_POSTGRES holds a
// DSN — a PostgreSQL schema of its own that is dropped afterwards.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"vanguard/store"
)

// EnvPostgres names the variable that holds the test PostgreSQL DSN.
const EnvPostgres = "VANGUARD_TEST_POSTGRES"

// Each runs fn once on SQLite and once on PostgreSQL, as subtests named
// "sqlite" and "postgres". Without VANGUARD_TEST_POSTGRES the PostgreSQL
// run is skipped with a message saying so.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a fresh migrated SQLite store in t's temporary folder.
func SQLite(tb testing.TB) *store.Store {
	tb.Helper()
	return open(tb, SQLitePath(tb))
}

// SQLitePath returns a path for a new SQLite database in tb's temporary folder.
func SQLitePath(tb testing.TB) string {
	return filepath.Join(tb.TempDir(), "vanguard.db")
}

// Postgres returns a fresh migrated store in a new PostgreSQL schema, or
// skips the test when VANGUARD_TEST_POSTGRES is unset.
func Postgres(tb testing.TB) *store.Store {
	tb.Helper()
	return open(tb, PostgresDSN(tb))
}

// PostgresDSN creates an empty schema and returns a DSN whose search_path is
// that schema; the schema is dropped when the test ends.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		tb.Skipf("PostgreSQL tests skipped: set %s to a DSN such as "+
			"postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run them", EnvPostgres)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", EnvPostgres, err)
	}
	tb.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	schema := "vt_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create test schema (is PostgreSQL running at %s?): %v", dsn, err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Logf("drop test schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return s
}
