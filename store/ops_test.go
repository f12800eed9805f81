package store_test

import (
	"context"
	"errors"
	"os"
	osexec "os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"vanguard/store"
)

// lockHelperEnv names the variable that turns TestLockHelperProcess into a
// second process opening the database it names.
const lockHelperEnv = "VANGUARD_LOCK_HELPER_DB"

// vacuumHelperEnv makes the helper copy the database with VACUUM INTO, as
// `vanguard backup` does beside a running server.
const vacuumHelperEnv = "VANGUARD_LOCK_HELPER_VACUUM"

// TestLockHelperProcess is not a test on its own: the lock tests run the test
// binary again with it, as a second vanguard process would open the file.
// It exits 3 when the store refuses with ErrLocked, 0 when it opened.
func TestLockHelperProcess(t *testing.T) {
	path := os.Getenv(lockHelperEnv)
	if path == "" {
		t.Skip("helper process for the SQLite lock tests")
	}
	if out := os.Getenv(vacuumHelperEnv); out != "" {
		if err := store.VacuumInto(context.Background(), path, out); err != nil {
			t.Fatalf("helper VACUUM INTO: %v", err)
		}
		os.Exit(0)
	}
	s, err := store.Open(context.Background(), path)
	if errors.Is(err, store.ErrLocked) {
		os.Exit(3)
	}
	if err != nil {
		t.Fatalf("helper open: %v", err)
	}
	s.Close()
	os.Exit(0)
}

// openInOtherProcess opens path in a second process and reports whether it
// was refused with ErrLocked.
func openInOtherProcess(t *testing.T, path string) (locked bool) {
	t.Helper()
	cmd := osexec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+path)
	out, err := cmd.CombinedOutput()
	var exit *osexec.ExitError
	switch {
	case err == nil:
		return false
	case errors.As(err, &exit) && exit.ExitCode() == 3:
		return true
	}
	t.Fatalf("helper process: %v\n%s", err, out)
	return false
}

// TestSQLiteLockFollowsTheFile: the single-instance lock is on the database
// file itself, so a second server reaching the same file through a symlink,
// a hard link or a path with ".." is refused, in this process and in another
// (the issue: the lock was a file named after the path, and two servers ran
// on one database through a link and corrupted it).
func TestSQLiteLockFollowsTheFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("flock is unix only")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "vanguard.db")
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Mkdir(other, 0o700); err != nil {
		t.Fatal(err)
	}
	symlink := filepath.Join(other, "link.db")
	if err := os.Symlink(path, symlink); err != nil {
		t.Fatal(err)
	}
	hardlink := filepath.Join(dir, "hard.db")
	if err := os.Link(path, hardlink); err != nil {
		t.Fatal(err)
	}
	dotdot := filepath.Join(dir, "sub", "..", "vanguard.db")
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	for name, p := range map[string]string{"same path": path, "symlink": symlink, "hard link": hardlink, "dot-dot": dotdot} {
		if _, err := store.Open(context.Background(), p); !errors.Is(err, store.ErrLocked) {
			t.Errorf("%s: second open in this process: got %v, want ErrLocked", name, err)
		}
		if !openInOtherProcess(t, p) {
			t.Errorf("%s: a second process opened the database, want ErrLocked", name)
		}
	}
	// The flock is not one of SQLite's POSIX locks: another process reads
	// the locked database through SQLite, as `vanguard backup` does.
	cmd := osexec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+symlink, vacuumHelperEnv+"="+copyPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("another process copying the locked database: %v\n%s", err, out)
	} else if fi, err := os.Stat(copyPath); err != nil || fi.Size() == 0 {
		t.Errorf("the copy made beside the lock: %v, %v", fi, err)
	}
	// The first store still writes after the refused opens: closing their
	// descriptors must not have dropped its SQLite locks.
	err = s.Write(context.Background(), actor, func(tx *store.Tx) error {
		return tx.Audit("test.after_refusal", "thing", "1", nil, nil)
	})
	if err != nil {
		t.Fatalf("write after refused opens: %v", err)
	}
	s.Close()
	if openInOtherProcess(t, hardlink) {
		t.Error("after Close, a second process is still refused")
	}
}

// TestSQLiteFileModes: the database, its -wal and -shm files and the folder
// created for them are the owner's only (the issue: vanguard.db was 0644).
func TestSQLiteFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix modes")
	}
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "vanguard.db")
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	err = s.Write(context.Background(), actor, func(tx *store.Tx) error {
		return tx.Audit("test.mode", "thing", "1", nil, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600}
	for p, mode := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("%s: mode %o, want %o", filepath.Base(p), got, mode)
		}
	}
}
