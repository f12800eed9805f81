package storetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// MakeReadOnly makes a file or folder impossible to write for this process
// until the test ends: by its mode, and — for root, whom modes do not stop
// — with the immutable attribute (chattr +i). It skips the test when
// neither works here.
func MakeReadOnly(tb testing.TB, path string) {
	tb.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	mode := fi.Mode().Perm()
	ro := os.FileMode(0o444)
	if fi.IsDir() {
		ro = 0o555
	}
	if err := os.Chmod(path, ro); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.Chmod(path, mode) })
	if !writable(path, fi.IsDir()) {
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		tb.Skipf("cannot make %s read-only for this user (root without chattr +i): %v %s", path, err, out)
	}
	tb.Cleanup(func() {
		if out, err := exec.Command("chattr", "-i", path).CombinedOutput(); err != nil {
			tb.Errorf("chattr -i %s: %v %s", path, err, out)
		}
	})
	if writable(path, fi.IsDir()) {
		tb.Skipf("%s stays writable for this user", path)
	}
}

func writable(path string, dir bool) bool {
	if dir {
		f, err := os.CreateTemp(path, ".probe-*")
		if err != nil {
			return false
		}
		f.Close()
		os.Remove(filepath.Join(path, filepath.Base(f.Name())))
		return true
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}
