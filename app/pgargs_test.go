package app

import (
	"strings"
	"testing"
)

// TestPgArgsKeepThePasswordOffTheCommandLine: pg_dump and pg_restore get the
// password in their environment, never in their arguments, which any local
// user can read in /proc/PID/cmdline.
func TestPgArgsKeepThePasswordOffTheCommandLine(t *testing.T) {
	for _, dsn := range []string{
		"postgres://vanguard:s3cret-pw@db.example:5432/vanguard?sslmode=disable&search_path=vt_1",
		"postgres://vanguard@db.example:5432/vanguard?password=s3cret-pw&sslmode=disable",
	} {
		conn, args, env := pgArgs(dsn, "vt_1")
		if strings.Contains(conn, "s3cret-pw") || strings.Contains(strings.Join(args, " "), "s3cret-pw") {
			t.Errorf("%s: the password is in the arguments: %s %v", dsn, conn, args)
		}
		if strings.Contains(conn, "search_path") {
			t.Errorf("%s: libpq is given search_path: %s", dsn, conn)
		}
		if env[len(env)-1] != "PGPASSWORD=s3cret-pw" {
			t.Errorf("%s: the environment ends with %q, want PGPASSWORD", dsn, env[len(env)-1])
		}
		if len(args) != 1 || args[0] != "--schema=vt_1" {
			t.Errorf("%s: args = %v", dsn, args)
		}
	}
}
