package e2e

import (
	"errors"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveArgs are the flags of one instance on the database db.
func serveArgs(db string) []string {
	return []string{"serve", "--addr", "127.0.0.1:0", "--db", db}
}

// TestKillAfterAcknowledgedWrite proves "nothing acknowledged is lost": two
// writes the server answered (a password change and a new account) survive a
// SIGKILL that comes right after the answers, and the database's lock file
// does not keep a restarted instance out after its holder was killed.
func TestKillAfterAcknowledgedWrite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "vanguard.db")

	first := startVanguard(t, "first start", serveArgs(db)...)
	oneTime := first.waitFor(oneTimeRE, 60*time.Second)[1]
	c := newClient(t, first.url())

	mustSee(t, "login with the one-time password", c.login("admin", oneTime), 303, "/")
	mustSee(t, "home before the password change", c.get("/"), 303, "/account/password")
	r := c.post("/account/password", url.Values{"current": {oneTime}, "new": {newPassword}, "confirm": {newPassword}})
	mustSee(t, "password change", r, 303, "/")
	r = c.post("/admin/users", url.Values{
		"username": {"wang.fang"}, "display_name": {"王芳（断电测试）"}, "role": {"volunteer"},
	})
	mustSee(t, "create user", r, 200, "")
	if !strings.Contains(r.Body, `id="one-time"`) {
		t.Fatalf("create user: the answer shows no one-time password:\n%s", excerpt(r.Body))
	}
	first.kill() // right after the acknowledgements

	second := startVanguard(t, "restart after SIGKILL", serveArgs(db)...)
	c = newClient(t, second.url())
	if out := second.stdout.String(); strings.Contains(out, "one-time password") {
		t.Errorf("the restart created a new admin, so the first start's data is gone:\n%s", out)
	}
	r = c.login("admin", oneTime)
	if r.Status == 303 {
		t.Fatalf("the old one-time password still signs in after the restart: the password change was lost")
	}
	mustSee(t, "login with the old one-time password", r, 422, "")
	if !strings.Contains(r.Body, "用户名或密码不正确") {
		t.Errorf("login with the old one-time password: no login-failed message in:\n%s", excerpt(r.Body))
	}
	mustSee(t, "login with the new password", c.login("admin", newPassword), 303, "/")
	r = c.get("/")
	mustSee(t, "home after the restart", r, 200, "")
	if !strings.Contains(r.Body, "系统管理员") {
		t.Errorf("home after the restart does not greet 系统管理员:\n%s", excerpt(r.Body))
	}
	r = c.get("/admin/users")
	mustSee(t, "users after the restart", r, 200, "")
	for _, want := range []string{"wang.fang", "王芳（断电测试）"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the account created before the kill is missing after the restart: no %q in the user list", want)
		}
	}
	r = c.get("/admin/audit?action=user.password_change")
	mustSee(t, "audit after the restart", r, 200, "")
	if !strings.Contains(r.Body, "user.password_change") {
		t.Errorf("the audit entry of the password change is missing after the restart")
	}
	// The kill left the audit chain whole: no half-written link.
	if !strings.Contains(r.Body, "审计记录完整，未被改动") {
		t.Errorf("the audit page does not say the log is whole after the restart:\n%s", excerpt(r.Body))
	}
}

// TestGracefulShutdown proves that SIGTERM stops the server cleanly: exit
// status 0, a "shutting down" log line, and a database that the next start
// opens with its data.
func TestGracefulShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "vanguard.db")

	first := startVanguard(t, "first start", serveArgs(db)...)
	oneTime := first.waitFor(oneTimeRE, 60*time.Second)[1]
	c := newClient(t, first.url())
	mustSee(t, "healthz", c.get("/healthz"), 200, "")
	stopGracefully(t, first)

	second := startVanguard(t, "second start", serveArgs(db)...)
	c = newClient(t, second.url())
	if out := second.stdout.String(); strings.Contains(out, "one-time password") {
		t.Errorf("the second start created a new admin:\n%s", out)
	}
	mustSee(t, "healthz after the restart", c.get("/healthz"), 200, "")
	// The first start's admin is still there and must still change the
	// one-time password.
	mustSee(t, "login after the restart", c.login("admin", oneTime), 303, "/")
	mustSee(t, "home after the restart", c.get("/"), 303, "/account/password")
	stopGracefully(t, second)
}

// stopGracefully sends SIGTERM and checks the clean exit.
func stopGracefully(t *testing.T, p *proc) {
	t.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM %s: %v", p.name, err)
	}
	if err := p.wait(30 * time.Second); err != nil {
		p.dump()
		t.Fatalf("%s after SIGTERM: %v, want exit status 0", p.name, err)
	}
	t.Logf("%s stopped %v after SIGTERM", p.name, time.Since(start).Round(time.Millisecond))
	if !strings.Contains(p.stderr.String(), "shutting down") {
		p.dump()
		t.Errorf("%s logged no shutdown", p.name)
	}
}

// TestSecondSQLiteInstanceRefused proves that a second instance on the same
// SQLite file refuses to start, saying why, and leaves the first one serving.
func TestSecondSQLiteInstanceRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "vanguard.db")

	first := startVanguard(t, "first instance", serveArgs(db)...)
	c := newClient(t, first.url())

	second := startVanguard(t, "second instance", serveArgs(db)...)
	err := second.wait(60 * time.Second)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		second.dump()
		t.Fatalf("second instance: exit %v, want a non-zero exit status", err)
	}
	if msg := second.stderr.String(); !strings.Contains(msg, "another vanguard instance") {
		t.Errorf("second instance's error does not mention another vanguard instance:\n%s", msg)
	}
	if strings.Contains(second.stdout.String(), "listening on") {
		t.Errorf("second instance started listening before it refused:\n%s", second.stdout.String())
	}
	mustSee(t, "first instance still serves", c.get("/healthz"), 200, "")
}
