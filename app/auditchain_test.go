package app_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

func openAppCfg(t testing.TB, cfg app.Config) (*app.Main, error) {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	cfg.Out = io.Discard
	cfg.Log = slog.New(slog.DiscardHandler)
	cfg.Hasher = service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}
	return app.Open(context.Background(), cfg)
}

func wantChainIntact(t *testing.T, m *app.Main) store.AuditChainReport {
	t.Helper()
	rep, err := m.VerifyAuditChain(context.Background())
	if err != nil || !rep.Intact || rep.Rows == 0 {
		t.Fatalf("audit chain: %+v, %v; want intact with rows", rep, err)
	}
	return rep
}

// TestAuditKeyFile: the first start generates audit.key (0600, 32 random
// bytes in hex) beside the database, apart from secret.key; later starts
// use it; a start with another key is refused rather than forking the chain.
func TestAuditKeyFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vanguard.db")
	m, err := openAppCfg(t, app.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	first := wantChainIntact(t, m)
	m.Close()

	path := filepath.Join(dir, "audit.key")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("audit.key: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("audit.key mode = %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	key := strings.TrimSpace(string(b))
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(key) {
		t.Errorf("audit.key holds %q, want 64 hex digits", key)
	}
	if s, _ := os.ReadFile(filepath.Join(dir, "secret.key")); strings.TrimSpace(string(s)) == key {
		t.Error("audit.key is the secret key; want a key of its own")
	}

	// Restarted, it chains on with the same key.
	m, err = openAppCfg(t, app.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Service.Bootstrap(context.Background(), "again"); err != nil {
		t.Fatal(err)
	}
	if rep := wantChainIntact(t, m); rep.Rows < first.Rows {
		t.Errorf("rows after restart %d < %d", rep.Rows, first.Rows)
	}
	m.Close()

	// Another key (a lost audit.key, or an instance set up apart) is refused.
	other := strings.Repeat("ab", 32)
	if m, err = openAppCfg(t, app.Config{DB: db, AuditKey: other}); !errors.Is(err, store.ErrAuditKey) {
		if err == nil {
			m.Close()
		}
		t.Fatalf("start with another audit key: got %v, want ErrAuditKey", err)
	}
	// VANGUARD_AUDIT_KEY with the right key is used instead of the file.
	os.Remove(path)
	m, err = openAppCfg(t, app.Config{DB: db, AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	wantChainIntact(t, m)
	m.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("with VANGUARD_AUDIT_KEY, audit.key was written: %v", err)
	}
}

// TestAuditKeySharedByInstances: two instances on one PostgreSQL write one
// chain with a shared VANGUARD_AUDIT_KEY; a third with its own is refused.
func TestAuditKeySharedByInstances(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	key := strings.Repeat("cd", 32)
	var ms []*app.Main
	for range 2 {
		m, err := openAppCfg(t, app.Config{DB: dsn, DataDir: t.TempDir(), SecretKey: key, AuditKey: key})
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		ms = append(ms, m)
	}
	for i, m := range ms {
		if _, err := m.Service.Bootstrap(context.Background(), "市直机关工委"); err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
	wantChainIntact(t, ms[1])
	m, err := openAppCfg(t, app.Config{DB: dsn, DataDir: t.TempDir(), SecretKey: key})
	if !errors.Is(err, store.ErrAuditKey) {
		if err == nil {
			m.Close()
		}
		t.Fatalf("instance with its own audit.key: got %v, want ErrAuditKey", err)
	}
}

// TestAuditHeadWitness cuts the tail of the log and moves the head kept in
// the database back with it, as whoever holds the database could: the head
// this instance wrote to audit.head still shows the cut, and later writes
// do not overwrite that witness.
func TestAuditHeadWitness(t *testing.T) {
	for _, db := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{"sqlite", func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "vanguard.db") }},
		{"postgres", storetest.PostgresDSN}} {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			dsn, dir := db.dsn(t), t.TempDir()
			cfg := app.Config{DB: dsn, DataDir: dir, Demo: true}
			m, err := openAppCfg(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			head := wantChainIntact(t, m).Head
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir, "audit.head"))
			if w, perr := store.ParseAuditHead(string(b)); err != nil || perr != nil || w != head {
				t.Fatalf("audit.head = %q (%v, %v); want %v", b, err, perr, head)
			}
			if fi, _ := os.Stat(filepath.Join(dir, "audit.head")); fi.Mode().Perm() != 0o600 {
				t.Errorf("audit.head mode %v, want 0600", fi.Mode().Perm())
			}

			// Cut the last row and move the head in settings back to the one before.
			driver, drop := "sqlite", "DROP TRIGGER audit_log_no_delete"
			if store.IsPostgres(dsn) {
				driver, drop = "pgx", "DROP TRIGGER audit_log_no_delete ON audit_log"
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			var prev store.AuditHead
			if err := raw.QueryRow("SELECT id, hmac FROM audit_log WHERE id < "+strconv.FormatInt(head.ID, 10)+
				" ORDER BY id DESC LIMIT 1").Scan(&prev.ID, &prev.HMAC); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{drop, "DELETE FROM audit_log WHERE id = " + strconv.FormatInt(head.ID, 10),
				"UPDATE settings SET value = '" + prev.String() + "' WHERE key = 'audit_chain_head'"} {
				if _, err := raw.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			raw.Close()

			cfg.Demo = false
			m, err = openAppCfg(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if rep, err := m.Store.VerifyAuditChain(ctx); err != nil || !rep.Intact {
				t.Fatalf("the database alone: %+v, %v; want it to look intact (that is the attack)", rep, err)
			}
			wantCut := func() {
				t.Helper()
				rep, err := m.VerifyAuditChain(ctx)
				if err != nil || rep.Intact || rep.Break.Kind != store.AuditTruncated || rep.Break.ID != prev.ID {
					t.Fatalf("against audit.head: %+v (break %+v), %v; want cut after row %d", rep, rep.Break, err, prev.ID)
				}
			}
			wantCut()
			// The audit page (the service) sees it too.
			rep, _, err := m.Service.AuditChain(ctx, service.SystemCaller)
			if err != nil || rep.Intact {
				t.Fatalf("service: %+v, %v; want the cut reported", rep, err)
			}
			// New writes chain on, but audit.head keeps the lost head.
			if err := m.Store.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
				return tx.Audit("test.after_cut", "thing", "1", nil, nil)
			}); err != nil {
				t.Fatal(err)
			}
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			m, err = openAppCfg(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			wantCut()
		})
	}
}

// TestVerifyAuditChainOfFolder: the check `vanguard verify` makes on a data
// folder, with no server running: intact with the folder's key, refused
// without one (and no key is made up), broken with another.
func TestVerifyAuditChainOfFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := app.Config{DB: filepath.Join(dir, "vanguard.db")}
	m, err := openAppCfg(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if rep, err := app.VerifyAuditChain(ctx, cfg, st); err != nil || !rep.Intact || rep.Rows == 0 {
		t.Fatalf("with the folder's key: %+v, %v; want intact", rep, err)
	}
	key, _ := os.ReadFile(filepath.Join(dir, "audit.key"))
	os.Remove(filepath.Join(dir, "audit.key"))
	if _, err := app.VerifyAuditChain(ctx, cfg, st); err == nil || !strings.Contains(err.Error(), "audit.key") {
		t.Fatalf("without a key: %v; want an error naming audit.key", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "audit.key")); !os.IsNotExist(err) {
		t.Errorf("verify made up a key: %v", err)
	}
	cfg.AuditKey = strings.Repeat("ef", 32)
	if rep, err := app.VerifyAuditChain(ctx, cfg, st); err != nil || rep.Intact {
		t.Fatalf("with another key: %+v, %v; want broken", rep, err)
	}
	cfg.AuditKey = strings.TrimSpace(string(key))
	if rep, err := app.VerifyAuditChain(ctx, cfg, st); err != nil || !rep.Intact {
		t.Fatalf("with VANGUARD_AUDIT_KEY: %+v, %v; want intact", rep, err)
	}
}

// TestAuditChainCheck: verify's check passes on a whole log and names the
// first broken record of an edited one.
func TestAuditChainCheck(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := app.Config{DB: filepath.Join(dir, "vanguard.db")}
	m, err := openAppCfg(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := app.AuditChainCheck(ctx, cfg, st); err != nil {
		t.Fatalf("whole log: %v", err)
	}
	es, err := st.ListAudit(ctx, domain.AuditFilter{})
	if err != nil || len(es) < 2 {
		t.Fatalf("audit rows: %d, %v", len(es), err)
	}
	e := es[len(es)-1] // the oldest
	raw, err := sql.Open("sqlite", cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{"DROP TRIGGER audit_log_no_update",
		"UPDATE audit_log SET ip = '10.9.9.9' WHERE id = " + strconv.FormatInt(e.ID, 10)} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	err = app.AuditChainCheck(ctx, cfg, st)
	if err == nil || !strings.Contains(err.Error(), "record "+strconv.FormatInt(e.ID, 10)+" (") || !strings.Contains(err.Error(), e.Action) {
		t.Fatalf("edited record %d (%s): %v; want the break named", e.ID, e.Action, err)
	}
}
