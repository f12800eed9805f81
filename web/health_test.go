package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
	"vanguard/web"
)

// TestReadyzReportsAReadOnlyDatabase: /readyz answers 503 when the database
// answers reads but refuses writes — a SQLite file that cannot be written,
// a PostgreSQL in read-only mode (a standby, default_transaction_read_only)
// — and 200 when it takes writes (the issue: 200 while every write, login
// included, failed with 500).
func TestReadyzReportsAReadOnlyDatabase(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		ctx := context.Background()
		ready := func(db string) (int, string) {
			st, err := store.Open(ctx, db)
			if err != nil {
				t.Fatalf("open %s: %v", db, err)
			}
			defer st.Close()
			if err := st.Migrate(ctx); err != nil && !strings.Contains(err.Error(), "read-only") {
				t.Fatalf("migrate: %v", err)
			}
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			srv := web.New(service.New(st, fastHasher, []byte(testSecretKey), log), web.Config{Log: log})
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			return rec.Code, rec.Body.String()
		}
		if code, body := ready(db); code != http.StatusOK {
			t.Fatalf("writable database: /readyz %d %q, want 200", code, body)
		}
		readOnly := db
		if store.IsPostgres(db) {
			u, _ := url.Parse(db)
			q := u.Query()
			q.Set("default_transaction_read_only", "on")
			u.RawQuery = q.Encode()
			readOnly = u.String()
		} else {
			storetest.MakeReadOnly(t, db)
		}
		code, body := ready(readOnly)
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "read-only") {
			t.Errorf("read-only database: /readyz %d %q, want 503 saying read-only", code, body)
		}
	})
}
