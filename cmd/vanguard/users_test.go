package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// vanguard runs the command line on db and returns what it printed.
func vanguard(t *testing.T, db string, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(append(args, "--db", db), &stdout, &stderr)
	return stdout.String() + stderr.String(), err
}

var oneTimeRE = regexp.MustCompile(`one-time password(?: for \S+)?: (\S+)`)

// TestUserCommands walks the account commands on a fresh database: add with
// a person, list, disable, enable, unlock, reset, and the refusal to
// disable the last committee admin.
func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vanguard.db")
	ctx := context.Background()
	out, err := vanguard(t, db, "user", "add", "--username", "boss", "--name", "主任", "--role", "committee_admin")
	if err != nil || !oneTimeRE.MatchString(out) {
		t.Fatalf("user add committee_admin: %v\n%s", err, out)
	}
	// A person to link to, written as the service would.
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	// The commands seal the audit log with audit.key; so must this writer.
	if err := app.OpenAuditChain(ctx, app.Config{DB: db}, st); err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}, nil, nil)
	root, err := st.RootOrgID(ctx)
	if err != nil {
		// user add does not bootstrap the committee: make one.
		err = st.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
			root, err = tx.CreateOrg(0, "committee", "市直机关工委")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	pid, err := svc.CreatePerson(ctx, service.SystemCaller, domain.PersonInput{Name: "王芳", Gender: "female",
		Phone: "13900001111", PoliticalStatus: "party_member", OrgID: root})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	out, err = vanguard(t, db, "user", "add", "--username", "wangfang", "--name", "王芳", "--role", "volunteer",
		"--person", itoa(pid))
	if err != nil || !strings.Contains(out, "linked to person") {
		t.Fatalf("user add --person: %v\n%s", err, out)
	}
	if out, err = vanguard(t, db, "user", "add", "--username", "other", "--name", "另一个", "--role", "volunteer",
		"--person", itoa(pid)); err == nil || !strings.Contains(err.Error(), "err.link.person_taken") {
		t.Fatalf("a second account for the same person: %v\n%s", err, out)
	}
	out, err = vanguard(t, db, "user", "list")
	if err != nil || !strings.Contains(out, "wangfang") || !strings.Contains(out, "王芳 #"+itoa(pid)) ||
		!strings.Contains(out, "must_change") || !strings.Contains(out, "2 accounts") {
		t.Fatalf("user list: %v\n%s", err, out)
	}
	if out, err = vanguard(t, db, "user", "list", "--role", "committee_admin"); err != nil ||
		strings.Contains(out, "wangfang") || !strings.Contains(out, "boss") {
		t.Fatalf("user list --role committee_admin: %v\n%s", err, out)
	}
	if out, err = vanguard(t, db, "user", "disable", "--username", "boss"); err == nil ||
		!strings.Contains(err.Error(), "err.user.last_committee_admin") {
		t.Fatalf("disabling the last committee admin: %v\n%s", err, out)
	}
	for _, step := range [][]string{
		{"disable", "disabled"}, {"enable", "enabled"}, {"unlock", "unlocked"},
	} {
		if out, err = vanguard(t, db, "user", step[0], "--username", "wangfang"); err != nil || !strings.Contains(out, step[1]) {
			t.Fatalf("user %s: %v\n%s", step[0], err, out)
		}
	}
	if out, err = vanguard(t, db, "user", "list", "--state", "disabled"); err != nil || !strings.Contains(out, "0 accounts") {
		t.Fatalf("after enable, disabled accounts: %v\n%s", err, out)
	}
	out, err = vanguard(t, db, "user", "reset", "--username", "wangfang")
	m := oneTimeRE.FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("user reset: %v\n%s", err, out)
	}
	// The new password signs in (and must be changed).
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := app.OpenAuditChain(ctx, app.Config{DB: db}, st); err != nil {
		t.Fatal(err)
	}
	svc = service.New(st, service.DefaultHasher, nil, nil)
	if _, err := svc.Login(ctx, domain.Caller{IP: "127.0.0.1"}, "wangfang", m[1], "", "test"); err != nil {
		t.Fatalf("sign in with the reset password: %v", err)
	}
	// The commands and the service wrote one chain, with the data folder's key.
	if rep, err := st.VerifyAuditChain(ctx); err != nil || !rep.Intact || rep.Rows < 5 {
		t.Fatalf("audit chain after the commands: %+v, %v; want intact", rep, err)
	}
	if out, err = vanguard(t, db, "user", "reset", "--username", "nobody"); err == nil {
		t.Fatalf("reset of an unknown account succeeded:\n%s", out)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestMigrateSealsLegacyAuditLog: `vanguard migrate` applying migration 017
// to a log written before the chain seals it in that run, for no later
// start may; the server started after it finds the chain intact.
func TestMigrateSealsLegacyAuditLog(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vanguard.db")
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.MigrateTo(ctx, 16); err != nil {
		t.Fatal(err)
	}
	st.Close()
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := raw.Exec(`INSERT INTO audit_log (at, user_id, username, role, action, object_type,
			object_id, ip, request_id, before_json, after_json)
			VALUES (` + strconv.Itoa(1000+i) + `, NULL, 'tester', 'committee_admin', 'legacy', 'thing', '1', '127.0.0.1', 't1', '', '')`); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	if out, err := vanguard(t, db, "migrate"); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	// The next start: Migrate has nothing to apply, so nothing is sealed now.
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := app.OpenAuditChain(ctx, app.Config{DB: db}, st); err != nil {
		t.Fatal(err)
	}
	rep, err := st.VerifyAuditChain(ctx)
	if err != nil || !rep.Intact || rep.Rows != 3 {
		t.Fatalf("audit chain after `vanguard migrate` and a start: %+v, %v; want intact with 3 rows", rep, err)
	}
}
