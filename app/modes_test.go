package app_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestDataFolderModes: everything Vanguard creates in its data folder is
// the owner's only — the folder and the photo folder 0700, the database
// with its -wal and -shm, secret.key and the photos 0600 (the issue: the
// database was created 0644).
func TestDataFolderModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix modes")
	}
	dir := filepath.Join(t.TempDir(), "data")
	m := mustOpenApp(t, filepath.Join(dir, "vanguard.db"), "", "")
	addPhoto(t, m, addActivity(t, m), 1)
	want := map[string]os.FileMode{"": 0o700, "photos": 0o700, "vanguard.db": 0o600, "vanguard.db-wal": 0o600,
		"vanguard.db-shm": 0o600, "secret.key": 0o600}
	seen := 0
	err := filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if rel == "." {
			rel = ""
		}
		mode, ok := want[rel]
		if !ok {
			mode = 0o600 // a photo
			if fi.IsDir() {
				mode = 0o700
			}
		} else {
			seen++
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("%q: mode %o, want %o", rel, got, mode)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d expected files", seen, len(want))
	}
}
