//go:build !unix

package store

import "os"

// lockFile is a no-op where flock is unavailable; run one instance only.
// (Files are still created by SQLite with its default mode there.)
func lockFile(path string) (*os.File, error) { return nil, nil }

func unlockFile(f *os.File) error { return nil }
