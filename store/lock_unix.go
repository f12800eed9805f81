//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
)

// The single-instance lock is taken on the database file itself, not on a
// file named after the path given: a symlink, a hard link or a path with
// ".." all reach the same inode, and so the same lock. flock(2) locks are
// independent of the POSIX (fcntl) locks SQLite takes on Linux and the BSDs,
// so holding one on the database file does not disturb SQLite, and a
// `vanguard backup` reading the live file through SQLite is not refused.
// (On NFS, Linux emulates flock with fcntl locks: keep the database on a
// local disk.) The kernel drops the lock when the process dies, even by
// SIGKILL.
//
// Closing any descriptor of a file drops every POSIX lock this process holds
// on it, SQLite's included. So a second open of an inode this process already
// serves is refused from a table of (device, inode) before any descriptor is
// opened, and the descriptor of a refused open never belongs to an inode
// SQLite has open here.

type inode struct{ dev, ino uint64 }

var held sync.Map // inode → struct{}: databases this process holds

// lockFile creates path (0600) when missing and takes an exclusive,
// non-blocking flock on it.
func lockFile(path string) (*os.File, error) {
	if fi, err := os.Stat(path); err == nil {
		if _, busy := held.Load(inodeOf(fi)); busy {
			return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS) {
		// A read-only database is still locked; readiness reports that it
		// cannot be written.
		f, err = os.Open(path)
	}
	if err != nil {
		return nil, fmt.Errorf("open database file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open database file: %w", err)
	}
	id := inodeOf(fi)
	if _, busy := held.LoadOrStore(id, struct{}{}); busy {
		f.Close() // unreachable in practice: the Stat above saw it first
		return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		held.Delete(id)
		f.Close()
		return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
	}
	return f, nil
}

func unlockFile(f *os.File) error {
	if fi, err := f.Stat(); err == nil {
		defer held.Delete(inodeOf(fi))
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return f.Close()
}

func inodeOf(fi os.FileInfo) inode {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return inode{}
	}
	return inode{dev: uint64(st.Dev), ino: uint64(st.Ino)}
}
