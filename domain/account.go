package domain

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Session and login limits, from the foundation issue.
const (
	SessionIdle       = 30 * time.Minute
	SessionAbsolute   = 12 * time.Hour
	LoginWindow       = 15 * time.Minute
	LoginMaxFailures  = 5
	LoginLockDuration = 15 * time.Minute
	PasswordMinLen    = 10
	PasswordMaxLen    = 128
	UsernameMaxLen    = 64
)

// Limits on sign-in attempts (issue 12). A lock is per account and client
// address (an IPv6 /64 counts as one address), so an attacker locks the
// account only where the attacker is; the slower limit per account across
// all addresses stops guessing spread over many addresses (it holds at the
// addresses that failed, so a clean address is still checked and guesses
// cannot shut the owner out); and the limit per
// address, checked before any password is hashed, stops one address spraying
// many names.
const (
	LoginAccountMaxFailures = 20
	LoginAccountWindow      = time.Hour
	LoginAddressLimit       = 60
	LoginAddressWindow      = 10 * time.Minute
)

// LoginAddress is a client address as the sign-in limits count it: an IPv4
// address, or the /64 prefix of an IPv6 address, since one household or
// server is given a whole /64 and can take a new address in it at will.
// What is not an address ("local", the command line) counts as itself.
func LoginAddress(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is4() {
		return addr.String()
	}
	p, _ := addr.Prefix(64)
	return p.String()
}

// User is an account. Its password hash never leaves the store and service.
type User struct {
	ID                 int64
	Username           string
	DisplayName        string
	MustChangePassword bool
	Disabled           bool
	CreatedAt          time.Time
}

// NormalizeUsername trims and lower-cases a login name so that "Admin" and
// "admin " are one account.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateUsername checks a login name: 3–64 characters of letters, digits,
// '.', '_' or '-'.
func ValidateUsername(s string) error {
	if n := utf8.RuneCountInString(s); n < 3 || n > UsernameMaxLen {
		return Invalid("username", "err.username.length")
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return Invalid("username", "err.username.chars")
		}
	}
	return nil
}

// ValidatePassword checks a new password against the rules: long enough, not
// too long, not one of the most common passwords and not the username.
func ValidatePassword(field, password, username string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < PasswordMinLen:
		return Invalid(field, "err.password.too_short", PasswordMinLen)
	case n > PasswordMaxLen:
		return Invalid(field, "err.password.too_long", PasswordMaxLen)
	case IsCommonPassword(password):
		return Invalid(field, "err.password.common")
	case username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)):
		return Invalid(field, "err.password.contains_username")
	}
	return nil
}

// AccountState is what an account's administrators see of it at a glance.
type AccountState string

// The states of an account, in the order the filter offers them.
const (
	AccountActive     AccountState = "active"      // may sign in and work
	AccountMustChange AccountState = "must_change" // signs in to a one-time password it must replace
	AccountLocked     AccountState = "locked"      // too many failed sign-ins, for a while
	AccountDisabled   AccountState = "disabled"    // switched off by an administrator
)

// AccountStates lists the states for the account filter.
var AccountStates = []AccountState{AccountActive, AccountMustChange, AccountLocked, AccountDisabled}

// Valid reports whether s is a known state.
func (s AccountState) Valid() bool {
	for _, x := range AccountStates {
		if s == x {
			return true
		}
	}
	return false
}

// AccountGrant is a role grant with its scope's name and the org path the
// scope lies in (an org's own path; a team's or site's owning org's), so a
// list shows names, never ids, and the policy can place the account.
type AccountGrant struct {
	Grant
	ScopeName string
	ScopePath string
}

// Account is an account as its administrators see it: its grants, its
// linked person (with masked data only) and its sign-in state.
type Account struct {
	User
	LastLoginAt time.Time // zero: never signed in
	LockedUntil time.Time // zero: not locked
	Grants      []AccountGrant
	PersonID    int64
	PersonName  string
	PersonOrg   string
	PersonPath  string // the person's org path
	PersonPhone string // masked
}

// State is the account's state: disabled first, then locked, then waiting
// for its first password change.
func (a Account) State(now time.Time) AccountState {
	switch {
	case a.Disabled:
		return AccountDisabled
	case a.LockedUntil.After(now):
		return AccountLocked
	case a.MustChangePassword:
		return AccountMustChange
	}
	return AccountActive
}

// Paths returns the org paths the account lies in — its grants' scopes and
// its person's org — and whether it holds a grant over the whole tree, for
// AuthorizeAccount.
func (a Account) Paths() (paths []string, whole bool) {
	for _, g := range a.Grants {
		switch ScopeFor(g.Role) {
		case ScopeAll:
			whole = true
		case ScopeOrg, ScopeTeam, ScopeSite:
			paths = append(paths, g.ScopePath)
		}
	}
	if a.PersonID != 0 {
		paths = append(paths, a.PersonPath)
	}
	return paths, whole
}

// IsCommitteeAdmin reports whether the account holds committee_admin.
func (a Account) IsCommitteeAdmin() bool {
	for _, g := range a.Grants {
		if g.Role == RoleCommitteeAdmin {
			return true
		}
	}
	return false
}

// BulkUsername is the login name given to a person's account when accounts
// are created for a roster at once: "v" and the person's number in the
// registry ("v1024"), which is ASCII, stable (the same person always gets
// the same name) and unique (no two people share a number). Should the name
// be taken already — someone created "v1024" by hand — the next attempt adds
// a suffix: "v1024-2", "v1024-3".
func BulkUsername(personID int64, attempt int) string {
	name := "v" + strconv.FormatInt(personID, 10)
	if attempt > 0 {
		name += "-" + strconv.Itoa(attempt+1)
	}
	return name
}
