package app_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/service"
)

// TestBusyPortFailsFirst: when the address is taken, `serve --demo` fails
// before it creates the data folder, seeds the demo or prints logins (the
// issue: it printed the logins and made data/ before failing).
func TestBusyPortFailsFirst(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := filepath.Join(t.TempDir(), "data")
	var out bytes.Buffer
	m, err := app.Open(context.Background(), app.Config{Addr: busy.Addr().String(), DB: filepath.Join(dir, "vanguard.db"),
		Demo: true, Out: &out, Hasher: service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}})
	if err == nil {
		m.Close()
		t.Fatal("Open on a busy port succeeded")
	}
	if !strings.Contains(err.Error(), busy.Addr().String()) {
		t.Errorf("the error does not name the address: %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("printed before failing: %q", out.String())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the data folder was created before failing: %v", err)
	}
}
