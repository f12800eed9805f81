package store

import (
	"fmt"
	"time"

	"vanguard/domain"
)

// Sign-in attempts are reserved before the password is checked, never
// counted after it: ReserveLogin counts the recent failures of an account
// and records this attempt as one more, in one transaction that runs alone
// per account (the single SQLite writer; an advisory lock on PostgreSQL).
// So at most LoginMaxFailures guesses per account and address, and
// LoginAccountMaxFailures per account from the addresses that failed, ever
// reach the password check, however many arrive at once. An address with
// no failure of the account in LoginAccountWindow is not held by the limit
// across addresses, only by its own. A success or an attempt that could not be
// checked hands its reservation back with ReleaseLogin.
//
// login_failures.ip and login_locks.ip hold the client address as counted
// (an IPv4 address or an IPv6 /64 prefix); a lock row with ip '*' holds for
// every address that has a failure of the account in LoginAccountWindow.

// LoginAttempt is a sign-in attempt as ReserveLogin left it.
type LoginAttempt struct {
	ID       int64 // its reservation, a login_failures row; 0 when refused
	Refused  LoginRefusal
	Until    time.Time // when a refused attempt may be tried again
	Failures int       // failures of the account from the address in LoginWindow, this one included
	// Locks says which locks this attempt placed: the attempt that reaches a
	// limit locks at once, so the guesses after it are refused unchecked.
	LockedAddress, LockedAccount bool
	username, address            string
}

// LoginRefusal says why a sign-in attempt was refused before its check.
type LoginRefusal string

// The refusals.
const (
	LoginAllowed       LoginRefusal = ""
	LoginLockedAddress LoginRefusal = "locked"         // the account is locked from this address
	LoginLockedAccount LoginRefusal = "account_locked" // the account is locked at every address that failed for it
)

// ReserveLogin records a sign-in attempt of username from address as a
// failure before its password is checked, unless the account is locked
// there, and locks the account when this attempt reaches a limit.
func (tx *Tx) ReserveLogin(username, address string) (LoginAttempt, error) {
	a := LoginAttempt{username: username, address: address}
	if err := tx.serializeOn("login:" + username); err != nil {
		return a, err
	}
	now := micros(tx.now)
	var addrUntil, acctUntil int64
	err := tx.queryRow(`SELECT COALESCE(MAX(CASE WHEN ip = '*' THEN 0 ELSE locked_until END), 0),
		COALESCE(MAX(CASE WHEN ip = '*' THEN locked_until ELSE 0 END), 0)
		FROM login_locks WHERE username = ? AND ip IN (?, '*') AND locked_until > ?`, username, address, now).
		Scan(&addrUntil, &acctUntil)
	if err != nil {
		return a, fmt.Errorf("login locks: %w", err)
	}
	acct, acctOldest, err := tx.countFailures(username, "", domain.LoginAccountWindow)
	if err != nil {
		return a, err
	}
	addr, _, err := tx.countFailures(username, address, domain.LoginWindow)
	if err != nil {
		return a, err
	}
	// The limit across addresses holds only where failures came from: an
	// address with no failure of this account in LoginAccountWindow is still
	// checked (under its own limit), so guesses from elsewhere cannot shut
	// the account's owner out.
	addrHour, _, err := tx.countFailures(username, address, domain.LoginAccountWindow)
	if err != nil {
		return a, err
	}
	failedHere := addrHour > 0
	switch {
	case failedHere && acctUntil > now:
		a.Refused, a.Until = LoginLockedAccount, fromMicros(acctUntil)
	case failedHere && acct >= domain.LoginAccountMaxFailures: // a lock that ended while failures still count
		a.Refused, a.Until = LoginLockedAccount, fromMicros(acctOldest).Add(domain.LoginAccountWindow)
	case addrUntil > now:
		a.Refused, a.Until = LoginLockedAddress, fromMicros(addrUntil)
	case addr >= domain.LoginMaxFailures:
		a.Refused, a.Until = LoginLockedAddress, tx.now.Add(domain.LoginLockDuration)
	}
	if a.Refused != LoginAllowed {
		return a, nil
	}
	if a.ID, err = tx.insert("INSERT INTO login_failures (username, ip, at) VALUES (?, ?, ?)", username, address, now); err != nil {
		return a, fmt.Errorf("reserve login: %w", err)
	}
	a.Failures = addr + 1
	if a.Failures >= domain.LoginMaxFailures {
		a.LockedAddress = true
		if err := tx.lockLogin(username, address, tx.now.Add(domain.LoginLockDuration)); err != nil {
			return a, err
		}
	}
	// Only the attempt that reaches the limit places the lock (and so only
	// it lifts the lock when handed back); an attempt from a clean address
	// past the limit leaves the lock as it is.
	if acct+1 >= domain.LoginAccountMaxFailures && acctUntil <= now {
		if acct == 0 {
			acctOldest = now
		}
		a.LockedAccount = true
		if err := tx.lockLogin(username, "*", fromMicros(acctOldest).Add(domain.LoginAccountWindow)); err != nil {
			return a, err
		}
	}
	return a, nil
}

// RecordLoginFailure counts a failure that no reservation stood for, such
// as the last wrong code of a second factor after a right password, for
// username from ip (counted as domain.LoginAddress), locks as ReserveLogin
// does, audits it as user.login_failed and reports whether the account is
// now locked there.
func (tx *Tx) RecordLoginFailure(username, ip string) (locked bool, err error) {
	a, err := tx.ReserveLogin(username, domain.LoginAddress(ip))
	if err != nil {
		return false, err
	}
	locked = a.Refused != LoginAllowed || a.LockedAddress || a.LockedAccount
	return locked, tx.Audit("user.login_failed", "login", username, nil,
		map[string]any{"username": username, "failures": a.Failures, "locked": locked})
}

// ReleaseLogin hands back a reserved attempt that succeeded or could not be
// checked: it no longer counts as a failure, and the locks it placed go.
func (tx *Tx) ReleaseLogin(a LoginAttempt) error {
	if a.ID == 0 {
		return nil
	}
	if _, err := tx.exec("DELETE FROM login_failures WHERE id = ?", a.ID); err != nil {
		return fmt.Errorf("release login: %w", err)
	}
	for _, lock := range []struct {
		placed bool
		ip     string
	}{{a.LockedAddress, a.address}, {a.LockedAccount, "*"}} {
		if !lock.placed {
			continue
		}
		if _, err := tx.exec("DELETE FROM login_locks WHERE username = ? AND ip = ?", a.username, lock.ip); err != nil {
			return fmt.Errorf("release login lock: %w", err)
		}
	}
	return nil
}

// countFailures counts the failures of username (from address, or from
// every address when it is "") within window, and returns the oldest.
func (tx *Tx) countFailures(username, address string, window time.Duration) (n int, oldest int64, err error) {
	q, args := "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_failures WHERE username = ? AND at > ?",
		[]any{username, micros(tx.now.Add(-window))}
	if address != "" {
		q += " AND ip = ?"
		args = append(args, address)
	}
	if err := tx.queryRow(q, args...).Scan(&n, &oldest); err != nil {
		return 0, 0, fmt.Errorf("count login failures: %w", err)
	}
	return n, oldest, nil
}

func (tx *Tx) lockLogin(username, address string, until time.Time) error {
	_, err := tx.exec(`INSERT INTO login_locks (username, ip, locked_until) VALUES (?, ?, ?)
		ON CONFLICT (username, ip) DO UPDATE SET locked_until = excluded.locked_until`, username, address, micros(until))
	if err != nil {
		return fmt.Errorf("lock login: %w", err)
	}
	return nil
}
