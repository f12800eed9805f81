package app_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// TestStartRefusesAnotherKey: a database whose ID numbers were sealed with
// one key does not start with another — neither with a secret.key generated
// anew (a restore that forgot the key), nor with a wrong
// VANGUARD_SECRET_KEY, nor on an old database without a key check — and the
// operator is told what to do. With its own key it starts. On SQLite and
// PostgreSQL. (The issue: the copy started with a new key, reveals failed
// with 500 and duplicate ID numbers went unnoticed.)
func TestStartRefusesAnotherKey(t *testing.T) {
	keyA, keyB := strings.Repeat("a1", 32), strings.Repeat("b2", 32)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "vanguard.db")
		m := mustOpenApp(t, db, "", "") // generates dir/secret.key
		person := mustAddPerson(t, m, 1)
		m.Close()
		copyDir := t.TempDir()
		copyDB := filepath.Join(copyDir, "vanguard.db")
		copyFile(t, db, copyDB)
		refused(t, "copy without secret.key", copyDB, "", "")
		if _, err := os.Stat(filepath.Join(copyDir, "secret.key")); !os.IsNotExist(err) {
			t.Errorf("a new secret.key was written beside the copy: %v", err)
		}
		refused(t, "copy with another VANGUARD_SECRET_KEY", copyDB, "", keyB)
		forgetKeyCheck(t, "sqlite", copyDB)
		refused(t, "old database without a key check, another key", copyDB, "", keyB)
		copyFile(t, filepath.Join(dir, "secret.key"), filepath.Join(copyDir, "secret.key"))
		// With its secret key back, the copy still needs its audit key.
		refusedAuditKey(t, copyDB)
		copyFile(t, filepath.Join(dir, "audit.key"), filepath.Join(copyDir, "audit.key"))
		m2 := mustOpenApp(t, copyDB, "", "")
		if match, err := m2.Service.CheckIDCard(context.Background(), committee, person, idCard(1)); err != nil || !match {
			t.Errorf("ID check with the right key: %v, %v", match, err)
		}
		if v, ok, _ := m2.Store.KeyCheck(context.Background()); !ok || v == "" {
			t.Error("the key check was not stored on the old database's first start")
		}
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		dataDir := t.TempDir() // holds the audit key
		m := mustOpenApp(t, dsn, dataDir, keyA)
		person := mustAddPerson(t, m, 1)
		m.Close()
		refused(t, "no key and an empty data folder", dsn, t.TempDir(), "")
		refused(t, "another VANGUARD_SECRET_KEY", dsn, t.TempDir(), keyB)
		forgetKeyCheck(t, "pgx", dsn)
		refused(t, "old database without a key check, another key", dsn, t.TempDir(), keyB)
		m2 := mustOpenApp(t, dsn, dataDir, keyA)
		if match, err := m2.Service.CheckIDCard(context.Background(), committee, person, idCard(1)); err != nil || !match {
			t.Errorf("ID check with the right key: %v, %v", match, err)
		}
	})
}

// refusedAuditKey opens a copy whose audit log was sealed with a key that is
// not beside it: the start is refused, says what to do and writes no new key.
func refusedAuditKey(t *testing.T, db string) {
	t.Helper()
	m, err := openApp(t, db, "", "")
	if err == nil {
		m.Close()
		t.Fatal("started without the audit key, want a refusal")
	}
	if !errors.Is(err, store.ErrAuditKey) || !strings.Contains(err.Error(), "audit.key") {
		t.Errorf("refusal without the audit key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(db), "audit.key")); !os.IsNotExist(err) {
		t.Errorf("a new audit.key was written beside the copy: %v", err)
	}
}

// refused opens the app and expects a refusal that tells the operator to
// put back secret.key or set VANGUARD_SECRET_KEY.
func refused(t *testing.T, name, db, dataDir, key string) {
	t.Helper()
	m, err := openApp(t, db, dataDir, key)
	if err == nil {
		m.Close()
		t.Errorf("%s: started, want a refusal", name)
		return
	}
	msg := err.Error()
	if !strings.Contains(msg, "secret.key") || !strings.Contains(msg, "VANGUARD_SECRET_KEY") {
		t.Errorf("%s: the message does not say what to do: %v", name, err)
	}
	if key != "" && !errors.Is(err, service.ErrWrongKey) {
		t.Errorf("%s: got %v, want ErrWrongKey", name, err)
	}
}

// forgetKeyCheck removes the key check, as on a database from before it.
func forgetKeyCheck(t *testing.T, driver, dsn string) {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DELETE FROM settings WHERE key = 'key_check'"); err != nil {
		t.Fatal(err)
	}
}
