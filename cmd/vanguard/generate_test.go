package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestGenerateCommand generates a small year on SQLite, prints the admin's
// password, lets the admin sign in with it, and refuses a second load and a
// scale it does not know.
func TestGenerateCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vanguard.db")
	out, err := vanguard(t, db, "generate", "--data", dir, "--scale", "300", "--year", "2026")
	if err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`committee admin: admin, password: (\S+)`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "generated 300 for 2026") {
		t.Fatalf("generate printed no summary or password:\n%s", out)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := service.New(st, service.DefaultHasher, nil, nil)
	caller := domain.Caller{IP: "127.0.0.1", RequestID: "test"}
	if _, err := svc.Login(ctx, caller, "admin", m[1], "", "test"); err != nil {
		t.Errorf("admin cannot sign in with the printed password: %v", err)
	}
	st.Close()
	if out, err := vanguard(t, db, "generate", "--data", dir, "--scale", "300"); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("second generate: %v\n%s", err, out)
	}
	if _, err := vanguard(t, filepath.Join(dir, "b.db"), "generate", "--data", dir, "--scale", "galaxy"); err == nil {
		t.Error("an unknown scale was accepted")
	}
}
