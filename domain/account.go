package domain

import (
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
