package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
)

// cli runs the command line with exactly the arguments given.
func cli(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(args, &stdout, &stderr)
	return stdout.String() + stderr.String(), err
}

// TestRestoreProcedure runs the procedure of docs/OPERATIONS.md "Backup and
// restore" through the command line, in its order: backup while the server
// runs, restore into a new folder, verify, refuse a second restore over
// it, and start on the restored folder, which reveals the ID number.
func TestRestoreProcedure(t *testing.T) {
	t.Setenv("VANGUARD_DB", "")
	t.Setenv("VANGUARD_DATA", "")
	t.Setenv("VANGUARD_SECRET_KEY", "")
	ctx := context.Background()
	live := filepath.Join(t.TempDir(), "data")
	hasher := service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}
	m, err := app.Open(ctx, app.Config{Addr: "127.0.0.1:0", DB: filepath.Join(live, "vanguard.db"), Out: io.Discard, Hasher: hasher})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	root, _ := m.Store.RootOrgID(ctx)
	admin := domain.Caller{Principal: domain.Principal{UserID: 1, Username: "admin", Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}}}
	const id = "150702197001010012"
	pid, err := m.Service.CreatePerson(ctx, admin, domain.PersonInput{Name: "王芳", Gender: "female", Phone: "13900001111",
		IDCard: id, PoliticalStatus: "party_member", OrgID: root})
	if err != nil {
		t.Fatal(err)
	}

	archive := filepath.Join(t.TempDir(), "vanguard-backup.tar.gz")
	out, err := cli(t, "backup", "--db", filepath.Join(live, "vanguard.db"), "--out", archive)
	if err != nil || !strings.Contains(out, "backup written") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if out, err = cli(t, "restore", "--in", archive, "--data", restored); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if out, err = cli(t, "verify", "--data", restored); err != nil || strings.Contains(out, "FAIL") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	if out, err = cli(t, "restore", "--in", archive, "--data", restored); err == nil {
		t.Fatalf("a second restore over the restored folder succeeded:\n%s", out)
	}
	os.Remove(filepath.Join(restored, "secret.key"))
	if out, err = cli(t, "verify", "--data", restored); err == nil || !strings.Contains(out, "FAIL  secret key") {
		t.Errorf("verify without the key: %v\n%s", err, out)
	}
	copyKey, _ := os.ReadFile(filepath.Join(live, "secret.key"))
	os.WriteFile(filepath.Join(restored, "secret.key"), copyKey, 0o600)

	m2, err := app.Open(ctx, app.Config{Addr: "127.0.0.1:0", DB: filepath.Join(restored, "vanguard.db"), Out: io.Discard, Hasher: hasher})
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if match, err := m2.Service.CheckIDCard(ctx, admin, pid, id); err != nil || !match {
		t.Errorf("the restored server checks the ID number: %v, %v; want a match", match, err)
	}
}
